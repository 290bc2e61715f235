"""Outreach from prevention worklists: the worklists (pseudonymous: rank, ward, age, reasons,
each entry's outreach state), opening an outreach on an entry (a re-identification, for those
allowed, with a purpose), and an outreach's page, where each attempt to reach them is recorded.
Never cached, every look audited (casework_only, casework.actions)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_safe

from thedeal.casework import actions, outreach_actions, outreach_forms
from thedeal.casework import forms as casework_forms
from thedeal.casework.access import casework_only, may_see
from thedeal.casework.models import AuditEvent, Outreach, OutreachStatus, Person
from thedeal.prevention.models import Worklist

GET_OR_POST = ["GET", "HEAD", "POST"]
WORKLISTS_SHOWN = 20
# Each state's tag colour, as GOV.UK's task lists colour theirs.
TAGS = {
    OutreachStatus.NOT_YET: "govuk-tag--grey",
    OutreachStatus.NOT_CONTACTED: "govuk-tag--yellow",
    OutreachStatus.REACHED: "govuk-tag--green",
    OutreachStatus.DECLINED: "govuk-tag--orange",
    OutreachStatus.DO_NOT_CONTACT: "govuk-tag--red",
}
DONE = {
    "opened": "The outreach has been opened",
    "attempt": "The attempt has been recorded",
}


def _state(outreach: Outreach | None) -> dict[str, str]:
    status = outreach.current_status if outreach else OutreachStatus.NOT_YET
    return {"label": status.label, "tag": TAGS[status]}


@casework_only
@require_safe
def worklists(request):
    shown = list(
        Worklist.objects.select_related("run").order_by("-created_at", "-pk")[:WORKLISTS_SHOWN]
    )
    counts = Counter(
        (outreach.worklist_id, outreach.current_status)
        for outreach in Outreach.objects.filter(
            worklist_id__in=[w.pk for w in shown]
        ).select_related("person")
    )
    rows = []
    for worklist in shown:
        by_state = {
            s: counts[(worklist.pk, s)] for s in OutreachStatus if s != OutreachStatus.NOT_YET
        }
        rows.append(
            {"worklist": worklist, "by_state": {s.label: n for s, n in by_state.items() if n}}
        )
    return render(request, "casework/outreach/worklists.html", {"rows": rows})


@casework_only
@require_safe
def worklist(request, worklist_pk):
    worklist = get_object_or_404(Worklist.objects.select_related("run"), pk=worklist_pk)
    entries = list(outreach_actions.listable_entries(worklist.pk))
    # The worklist is pseudonymous, but it is about people: each look at it is kept.
    actions.audit(
        by=request.user,
        action=AuditEvent.Action.VIEWED,
        record_type="worklist",
        record_id=worklist.pk,
    )
    rows = []
    for entry in entries:
        outreach = getattr(entry, "outreach", None)
        rows.append(
            {
                "entry": entry,
                "score": entry.score,
                "reasons": [
                    r["text"] for r in entry.score.reasons[: outreach_actions.REASONS_SHOWN]
                ],
                "outreach": outreach,
                "state": _state(outreach),
            }
        )
    return render(
        request,
        "casework/outreach/worklist.html",
        {
            "worklist": worklist,
            "rows": rows,
            "may_reidentify": outreach_actions.may_reidentify(request.user),
        },
    )


@casework_only
@require_http_methods(GET_OR_POST)
def open_outreach(request, entry_pk):
    entry = get_object_or_404(
        outreach_actions.listable_entries().select_related("worklist"), pk=entry_pk
    )
    existing = Outreach.objects.filter(entry=entry).first()
    if existing is not None:
        return redirect("casework:outreach", existing.pk)
    # Only those allowed to re-identify may even be asked why.
    if not outreach_actions.may_reidentify(request.user):
        raise PermissionDenied
    form = outreach_forms.PurposeForm(request.POST if request.method == "POST" else None)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            outreach = outreach_actions.open_outreach(
                entry=entry, purpose=form.cleaned_data["purpose"], by=request.user
            )
        except outreach_actions.Refused as error:
            refused = str(error)
        else:
            return redirect(f"{reverse('casework:outreach', args=[outreach.pk])}?done=opened")
    return render(
        request,
        "casework/outreach/open.html",
        {
            "entry": entry,
            "score": entry.score,
            "reasons": [r["text"] for r in entry.score.reasons[: outreach_actions.REASONS_SHOWN]],
            "form": form,
            "items": casework_forms.layout(form),
            "refused": refused,
        },
    )


@casework_only
@require_http_methods(GET_OR_POST)
def outreach(request, outreach_pk):
    outreach = get_object_or_404(Outreach.objects.select_related("person"), pk=outreach_pk)
    person = outreach.person
    if not may_see(request.user, person):
        raise Http404
    form = outreach_forms.AttemptForm(request.POST if request.method == "POST" else None)
    refused = None
    if request.method == "POST":
        if not outreach.may_contact:
            refused = _closed(outreach)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                outreach_actions.record_attempt(
                    outreach=outreach,
                    tried_on=data["tried_on"],
                    method=data["method"],
                    outcome=data["outcome"],
                    by=request.user,
                )
            except outreach_actions.Refused as error:
                refused = str(error)
            except ValidationError as error:
                form.add_error("tried_on_day", error.messages[0])
            else:
                return redirect(f"{reverse('casework:outreach', args=[outreach.pk])}?done=attempt")
    else:
        actions.record_view(person=person, by=request.user, reason="outreach from a worklist")
    outreach.refresh_from_db()
    return render(
        request,
        "casework/outreach/outreach.html",
        {
            "outreach": outreach,
            "person": person,
            "state": _state(outreach),
            "attempts": outreach.attempts.select_related("recorded_by"),
            "form": form,
            "items": casework_forms.layout(form),
            "refused": refused,
            "closed": _closed(outreach),
            # A form sent back with errors is not a success, whatever its address says.
            "done": None if request.method == "POST" else DONE.get(request.GET.get("done", "")),
        },
    )


def _closed(outreach: Outreach) -> str:
    """Why no more attempts may be recorded, or "" while they may."""
    if outreach.person.do_not_contact:
        return "They have asked not to be contacted. Outreach must not contact them."
    if outreach.status == OutreachStatus.REACHED:
        return "They have been reached: carry on from their first conversation."
    if outreach.status == OutreachStatus.DECLINED:
        return "They declined support. Outreach must not contact them again from this worklist."
    return ""


def on_person_page(request: Any, person: Person) -> dict[str, Any]:
    """The person page's outreach section: each outreach opened for them, newest first."""
    found = list(person.outreaches.all())
    for outreach in found:
        outreach.person = person  # already loaded: its "please don't contact me" decides the state
    return {"outreaches": [{"outreach": o, "state": _state(o)} for o in found]}


urlpatterns = [
    path("", worklists, name="outreach-worklists"),
    path("worklists/<int:worklist_pk>/", worklist, name="outreach-worklist"),
    path("entries/<int:entry_pk>/open/", open_outreach, name="outreach-open"),
    path("<int:outreach_pk>/", outreach, name="outreach"),
]
