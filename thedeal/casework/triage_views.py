"""The link workers' triage queue (/casework/triage/): referrals to us that name no organisation,
oldest first, each shown with what deciding needs (who referred and why, the person's age and
ward) and never the person's name, since their record is no one's to open yet. A practitioner
takes one on (the person joins their team's caseload, and they go to the record) or declines it
with a reason. Practitioners and administrators; every line shown is audited.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from thedeal import geography
from thedeal.casework import access, lifecycle, triage_actions
from thedeal.casework import forms as casework_forms
from thedeal.casework.access import casework_only
from thedeal.casework.models import Direction, Referral
from thedeal.casework.triage_forms import DeclineForm, TakeOnForm

GET_OR_POST = ["GET", "HEAD", "POST"]
# What a second person answering the same referral reads.
ANSWERED_ALREADY = "Someone else has already taken on or declined this referral"
DONE = {"declined": "The referral has been declined: the referrer can read your reason"}


def triage_only(view: Any) -> Any:
    """Practitioners and administrators (analysts never see a person: 403)."""

    @casework_only
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not (access.is_practitioner(request.user) or access.sees_everyone(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _line(referral: Referral, today: Any) -> dict[str, Any]:
    return {
        "referral": referral,
        "age": triage_actions.age_on(referral.person.date_of_birth, today),
        "ward": referral.person.ward_name,
        "waiting": triage_actions.working_days_waiting(referral, today=today),
    }


def _referral_or_404(fhir_id: Any) -> Referral:
    """A referral to the link workers, whatever its status (one already answered is shown as
    such); any other referral is not the queue's: 404."""
    return get_object_or_404(
        Referral.objects.select_related("person", "requester_organization"),
        fhir_id=fhir_id,
        direction=Direction.INBOUND,
        performer_organization__isnull=True,
    )


def on_find_page(request: Any) -> dict[str, Any]:
    """How many referrals wait in the queue (for the link on the find page)."""
    if not access.is_practitioner(request.user):
        return {}
    return {"triage_waiting": triage_actions.waiting().count()}


@triage_only
@require_safe
def queue(request):
    """The queue, narrowed to a ward (?ward=CODE), to the wards the user's teams cover (the
    first view, when their teams say which), or all wards (?ward=all): a GET form."""
    today = timezone.localdate()
    teams = list(access.teams_of(request.user))
    covered = triage_actions.wards_covered(teams)
    wards = dict(geography.borough_wards())
    chosen = request.GET.get("ward", triage_actions.TEAMS_WARDS)
    error = ""
    if chosen not in (triage_actions.TEAMS_WARDS, triage_actions.ALL_WARDS, *wards):
        error = "Choose a ward from the list"
        chosen = triage_actions.TEAMS_WARDS
    if chosen == triage_actions.TEAMS_WARDS and not covered:
        chosen = triage_actions.ALL_WARDS
    everyone = triage_actions.waiting()
    if chosen == triage_actions.ALL_WARDS:
        shown = everyone
    elif chosen == triage_actions.TEAMS_WARDS:
        shown = triage_actions.in_wards(everyone, covered)
    else:
        shown = everyone.filter(person__ward_code=chosen)
    referrals = list(shown)
    # Only the lines shown are seen (and audited); the others are counted, never described.
    triage_actions.record_seen(referrals=referrals, by=request.user)
    elsewhere = everyone.count() - len(referrals)
    return render(
        request,
        "casework/triage/queue.html",
        {
            "lines": [_line(r, today) for r in referrals],
            "several_teams": len(teams) > 1,
            "may_take_on": bool(teams),
            "done": DONE.get(request.GET.get("done", "")),
            "chosen": chosen,
            "error": error,
            "wards": wards,
            "covered": sorted(wards.get(code, code) for code in covered),
            "elsewhere": elsewhere,
            "ALL_WARDS": triage_actions.ALL_WARDS,
        },
        status=400 if error else 200,
    )


def _answered(request) -> Any:
    """Two people answering the same referral: the second is told, and changes nothing."""
    return render(
        request, "casework/triage/answered.html", {"message": ANSWERED_ALREADY}, status=409
    )


@triage_only
@require_http_methods(GET_OR_POST)
def take_on(request, fhir_id):
    referral = _referral_or_404(fhir_id)
    teams = access.teams_of(request.user)
    if not teams.exists():
        # An administrator in no team: the person would join no caseload.
        raise PermissionDenied
    form = TakeOnForm(request.POST if request.method == "POST" else None, teams=teams)
    if referral.status != lifecycle.Status.REQUESTED:
        return _answered(request)
    if request.method == "POST" and form.is_valid():
        try:
            triage_actions.take_on(referral=referral, team=form.team(), by=request.user)
        except lifecycle.TransitionRefused:
            return _answered(request)
        return redirect(
            f"{reverse('casework:person', args=[referral.person.reference])}?done=taken-on"
        )
    triage_actions.record_seen(referrals=[referral], by=request.user)
    return render(
        request,
        "casework/triage/take_on.html",
        {
            "form": form,
            "items": casework_forms.layout(form),
            **_line(referral, timezone.localdate()),
        },
    )


@triage_only
@require_http_methods(GET_OR_POST)
def decline(request, fhir_id):
    referral = _referral_or_404(fhir_id)
    if referral.status != lifecycle.Status.REQUESTED:
        return _answered(request)
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            triage_actions.decline(
                referral=referral, reason=form.cleaned_data["reason"], by=request.user
            )
        except lifecycle.TransitionRefused:
            return _answered(request)
        return redirect(f"{reverse('casework:triage')}?done=declined")
    triage_actions.record_seen(referrals=[referral], by=request.user)
    return render(
        request,
        "casework/triage/decline.html",
        {
            "form": form,
            "items": casework_forms.layout(form),
            **_line(referral, timezone.localdate()),
        },
    )


urlpatterns = [
    path("", queue, name="triage"),
    path("<uuid:fhir_id>/take-on/", take_on, name="triage-take-on"),
    path("<uuid:fhir_id>/decline/", decline, name="triage-decline"),
]
