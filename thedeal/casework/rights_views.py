"""A person's rights over their record, for administrators only: the subject access export (a
printable page and JSON, each audited), and erasure requests (refused while something must be
kept, else the whole record deleted; the decision is recorded without personal data)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from thedeal.accounts.models import Role, roles_of
from thedeal.casework import actions as record_actions
from thedeal.casework import forms as casework_forms
from thedeal.casework import rights_actions, rights_forms
from thedeal.casework import subject_access as whole_record
from thedeal.casework.access import GET_OR_POST, casework_only
from thedeal.casework.access import person_or_404 as _person_or_404
from thedeal.casework.models import ErasureOutcome, ErasureRequest


def is_administrator(user: Any) -> bool:
    """Subject access and erasure answer for the council as data controller: administrators."""
    return user.is_superuser or Role.ADMINISTRATOR in roles_of(user)


def on_person_page(request: Any, person: Any) -> dict[str, Any]:
    return {"rights_administrator": is_administrator(request.user)}


def _administrators_only(request: Any) -> None:
    if not is_administrator(request.user):
        raise PermissionDenied


@casework_only
@require_safe
def subject_access(request, reference):
    _administrators_only(request)
    person = _person_or_404(request, reference)
    rights_actions.record_export(person=person, by=request.user, how="as a document")
    return render(
        request,
        "casework/rights/subject_access.html",
        {"person": person, "sections": whole_record.record_of(person)},
    )


@casework_only
@require_safe
def subject_access_json(request, reference):
    _administrators_only(request)
    person = _person_or_404(request, reference)
    rights_actions.record_export(person=person, by=request.user, how="as JSON")
    response = JsonResponse(
        whole_record.as_json(person, whole_record.record_of(person)),
        json_dumps_params={"indent": 2, "ensure_ascii": False},
    )
    response["Content-Disposition"] = f'attachment; filename="person-{person.reference}.json"'
    return response


@casework_only
@require_http_methods(GET_OR_POST)
def erase(request, reference):
    _administrators_only(request)
    person = _person_or_404(request, reference)
    form = rights_forms.ErasureForm(request.POST if request.method == "POST" else None)
    refused = None
    if request.method == "POST" and form.is_valid():
        decided = rights_actions.request_erasure(
            person=person,
            basis=form.cleaned_data["basis"],
            received_on=form.cleaned_data["received_on"],
            by=request.user,
        )
        if decided.outcome == ErasureOutcome.ERASED:
            return redirect(reverse("casework:erasure", args=[decided.pk]))
        refused = decided
    if request.method != "POST":
        record_actions.record_view(
            person=person, by=request.user, reason="to record an erasure request"
        )
    return render(
        request,
        "casework/rights/erase.html",
        {
            "person": person,
            "form": form,
            "items": casework_forms.layout(form),
            "heading": "Erase their record",
            "must_keep": rights_actions.must_keep(person),
            "refused": refused,
        },
    )


@casework_only
@require_safe
def erasure(request, pk):
    _administrators_only(request)
    decided = get_object_or_404(ErasureRequest.objects.select_related("decided_by"), pk=pk)
    return render(request, "casework/rights/erasure.html", {"erasure": decided})
