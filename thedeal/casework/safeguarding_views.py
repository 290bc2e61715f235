"""Safeguarding concerns: raised from a person's record, a conversation or a referral by anyone
who may see the person; acknowledged and closed by the safeguarding lead; listed for the lead
with the overdue ones first. Every page is audited and never cached (casework_only); writes go
through casework.safeguarding_actions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from thedeal.casework import actions as record_actions
from thedeal.casework import forms as casework_forms
from thedeal.casework import safeguarding_actions as actions
from thedeal.casework import safeguarding_forms
from thedeal.casework.access import GET_OR_POST, casework_only
from thedeal.casework.access import person_or_404 as _person_or_404
from thedeal.casework.models import Conversation, Person, Referral, SafeguardingConcern
from thedeal.casework.models import safeguarding_leads_for as leads_for

DONE = {
    "raised": "The concern has been raised and sent to the safeguarding lead",
    "acknowledged": "The concern has been acknowledged",
    "closed": "The concern has been closed",
}


def is_lead(user: Any, person: Person | None = None) -> bool:
    return leads_for(person).filter(pk=user.pk).exists()


def on_person_page(request: Any, person: Person) -> dict[str, Any]:
    """The person page's safeguarding section: their open concerns, overdue ones flagged."""
    concerns = list(SafeguardingConcern.objects.filter(person=person).open())
    return {
        "safeguarding_concerns": concerns,
        "safeguarding_overdue": sum(c.overdue for c in concerns),
    }


def _concern_or_404(request: Any, reference: str, pk: int) -> SafeguardingConcern:
    person = _person_or_404(request, reference)
    concern = get_object_or_404(
        SafeguardingConcern.objects.select_related(
            "raised_by", "acknowledged_by", "closed_by", "conversation", "referral"
        ),
        pk=pk,
        person=person,
    )
    concern.person = person
    return concern


def _raised_from(request: Any, person: Person) -> dict[str, Any]:
    """The record the concern is raised from, named in the address (?from=conversation-12):
    one of this person's conversations or referrals, else nothing (their record)."""
    kind, _, pk = request.GET.get("from", "").partition("-")
    if not pk.isdigit():
        return {}
    if kind == "conversation":
        return {"conversation": get_object_or_404(Conversation, pk=pk, person=person)}
    if kind == "referral":
        return {"referral": get_object_or_404(Referral, pk=pk, person=person)}
    return {}


@casework_only
@require_http_methods(GET_OR_POST)
def raise_concern(request, reference):
    person = _person_or_404(request, reference)
    source = _raised_from(request, person)
    form = safeguarding_forms.RaiseConcernForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        concern = actions.raise_concern(
            person=person, by=request.user, **form.cleaned_data, **source
        )
        return redirect(
            reverse("casework:safeguarding-concern", args=[person.reference, concern.pk])
            + "?done=raised"
        )
    if request.method != "POST":
        record_actions.record_view(person=person, by=request.user, reason="to raise a concern")
    return render(
        request,
        "casework/safeguarding/raise.html",
        {
            "person": person,
            "form": form,
            "items": casework_forms.layout(form),
            "heading": "Raise a safeguarding concern",
            "source": next(iter(source.values()), None),
        },
    )


@casework_only
@require_safe
def concern(request, reference, pk):
    concern = _concern_or_404(request, reference, pk)
    actions.record_concern_view(concern=concern, by=request.user)
    return render(
        request,
        "casework/safeguarding/concern.html",
        {
            "person": concern.person,
            "concern": concern,
            "heading": f"Safeguarding concern: {concern.get_category_display().lower()}",
            "is_lead": is_lead(request.user, concern.person),
            "done": DONE.get(request.GET.get("done", "")),
        },
    )


def _lead_step(request, reference, pk, *, form_class, step, heading, done):  # type: ignore[no-untyped-def]
    concern = _concern_or_404(request, reference, pk)
    if not is_lead(request.user, concern.person):
        raise PermissionDenied
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            step(concern=concern, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(next(iter(form.fields)), error.messages[0])
        else:
            return redirect(
                reverse("casework:safeguarding-concern", args=[reference, concern.pk])
                + f"?done={done}"
            )
    if request.method != "POST":
        actions.record_concern_view(concern=concern, by=request.user, reason=heading.lower())
    return render(
        request,
        "casework/safeguarding/step.html",
        {
            "person": concern.person,
            "concern": concern,
            "form": form,
            "items": casework_forms.layout(form),
            "heading": heading,
            "button": heading,
        },
    )


@casework_only
@require_http_methods(GET_OR_POST)
def acknowledge(request, reference, pk):
    return _lead_step(
        request,
        reference,
        pk,
        form_class=safeguarding_forms.AcknowledgeForm,
        step=actions.acknowledge_concern,
        heading="Acknowledge the concern",
        done="acknowledged",
    )


@casework_only
@require_http_methods(GET_OR_POST)
def close(request, reference, pk):
    return _lead_step(
        request,
        reference,
        pk,
        form_class=safeguarding_forms.CloseForm,
        step=actions.close_concern,
        heading="Close the concern",
        done="closed",
    )


@casework_only
@require_safe
def concerns(request):
    """The safeguarding lead's list: open concerns, the overdue first, then by when each must be
    acknowledged."""
    if not is_lead(request.user):
        raise PermissionDenied
    open_concerns = [
        c
        for c in SafeguardingConcern.objects.open().select_related("person")
        if is_lead(request.user, c.person)
    ]
    open_concerns.sort(key=lambda c: (not c.overdue, c.acknowledged, c.acknowledge_by))
    actions.record_list_view(concerns=open_concerns, by=request.user)
    return render(
        request,
        "casework/safeguarding/concerns.html",
        {"concerns": open_concerns, "overdue": sum(c.overdue for c in open_concerns)},
    )
