"""Teams' pages: breaking glass to open a record outside your team's caseload, the team
administrator's review of those uses, and what the person page and the find page show of teams.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from thedeal.casework import access, actions, teams_actions, teams_forms
from thedeal.casework import forms as casework_forms
from thedeal.casework.models import AuditEvent, BreakGlass, Person, Team

GET_OR_POST = ["GET", "HEAD", "POST"]


def uses_to_review(user: Any) -> QuerySet[BreakGlass] | None:
    """The break-glass uses waiting for this user's review: those of the teams they
    administer (everyone's, for an administrator); None for someone who reviews none. Never
    their own: someone else judges a reason."""
    if access.sees_everyone(user):
        uses = BreakGlass.objects.all()
    elif user.teams_administered.exists():
        uses = BreakGlass.objects.filter(
            pk__in=BreakGlass.objects.filter(teams__administrator=user).values("pk")
        )
    else:
        return None
    return (
        uses.filter(reviewed_at__isnull=True)
        .exclude(user=user)
        .select_related("user", "person")
        .prefetch_related("teams")
        .order_by("opened_at", "pk")
    )


def on_find_page(request: Any) -> dict[str, Any]:
    """How many break-glass uses wait for this user's review (for a team administrator)."""
    uses = uses_to_review(request.user)
    return {
        "break_glass_to_review": uses.count() if uses is not None else 0,
        # Someone just taken off the user's last caseload that had them (see _change_caseload).
        "left_caseload": request.GET.get("done") == "left-caseload",
    }


def outside_caseload(request: Any, query: Q, *, nhs_number: str | None) -> Person | None:
    """The person a search by exact NHS number found outside the user's caseloads, to offer
    breaking glass (never named: their record is not the user's to see until they give a
    reason). Only an NHS number identifies one person surely enough to offer it."""
    if not nhs_number or not access.is_practitioner(request.user):
        return None
    person = Person.objects.filter(query).first()
    if person is None or access.may_see(request.user, person):
        return None
    return person


def on_person_page(request: Any, person: Person) -> dict[str, Any]:
    """The teams whose caseload the person is in, the break glass this user opened it with (if
    that is how they see it), each change of caseload made with a reason, and whether this
    user may add them to, or take them off, one of their teams' caseloads."""
    teams = [entry.team for entry in person.caseload_entries.select_related("team")]
    # The user's teams read once, and compared here (rather than a query for each question).
    mine = set(access.teams_of(request.user).values_list("pk", flat=True))
    theirs = {team.pk for team in teams}
    in_my_caseload = bool(mine & theirs)
    glass = None
    if not in_my_caseload and not access.sees_everyone(request.user):
        glass = access.live_break_glass(request.user, person)
    return {
        "caseload_teams": teams,
        "break_glass": glass,
        "caseload_changes": person.caseload_changes.all(),
        "may_join_caseload": bool(mine - theirs),  # as _teams_to_join(...).exists()
        "may_leave_caseload": in_my_caseload,  # as _teams_to_leave(...).exists()
    }


def _teams_to_join(user: Any, person: Person) -> QuerySet[Team]:
    return access.teams_of(user).exclude(caseload__person=person).order_by("name")


def _teams_to_leave(user: Any, person: Person) -> QuerySet[Team]:
    return access.teams_of(user).filter(caseload__person=person).order_by("name")


def _change_caseload(request: Any, reference: str, *, joining: bool) -> Any:
    """Add the person to (or take them off) one of the user's teams' caseloads, with a reason.
    404 for a person the user may not see; 403 for someone in no team (an administrator moves
    people in the admin); to the record when none of their teams could make the change."""
    person = access.person_or_404(request, reference)
    if not access.teams_of(request.user).exists():
        raise PermissionDenied
    teams = (_teams_to_join if joining else _teams_to_leave)(request.user, person)
    person_url = reverse("casework:person", args=[person.reference])
    if not teams.exists():
        return redirect(person_url)
    form = teams_forms.CaseloadChangeForm(
        request.POST if request.method == "POST" else None, teams=teams, joining=joining
    )
    refused = None
    if request.method == "POST" and form.is_valid():
        change = teams_actions.add_to_caseload if joining else teams_actions.remove_from_caseload
        try:
            change(person=person, team=form.team(), reason=form.cleaned_data["reason"],
                   by=request.user)  # fmt: skip
        except teams_actions.Refused as error:  # someone else made the change a moment ago
            refused = str(error)
        else:
            done = "joined-caseload" if joining else "left-caseload"
            if access.may_see(request.user, person):
                return redirect(f"{person_url}?done={done}")
            # Taken off their last caseload of the user's: the record is no longer theirs.
            return redirect(f"{reverse('casework:find')}?done={done}")
    if request.method != "POST":
        actions.record_view(person=person, by=request.user, reason="change of caseload")
    return render(
        request,
        "casework/teams/caseload_change.html",
        {
            "person": person,
            "joining": joining,
            "teams": list(teams),
            "form": form,
            "items": casework_forms.layout(form),
            "refused": refused,
        },
    )


@access.casework_only
@require_http_methods(GET_OR_POST)
def join_caseload(request, reference):
    return _change_caseload(request, reference, joining=True)


@access.casework_only
@require_http_methods(GET_OR_POST)
def leave_caseload(request, reference):
    return _change_caseload(request, reference, joining=False)


@access.casework_only
@require_http_methods(GET_OR_POST)
def break_glass(request, reference):
    person = get_object_or_404(Person, reference=reference)
    person_url = reverse("casework:person", args=[person.reference])
    if access.may_see(request.user, person):
        return redirect(person_url)
    form = teams_forms.BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        teams_actions.break_glass(
            person=person, reason=form.cleaned_data["reason"], by=request.user
        )
        return redirect(person_url)
    return render(
        request,
        "casework/teams/break_glass.html",
        {"form": form, "items": casework_forms.layout(form), "reference": person.reference},
    )


@access.casework_only
@require_http_methods(GET_OR_POST)
def review(request):
    uses = uses_to_review(request.user)
    if uses is None:
        raise PermissionDenied
    if request.method == "POST":
        form = teams_forms.ReviewForm(request.POST)
        if form.is_valid():
            use = get_object_or_404(uses, pk=form.cleaned_data["use"])
            teams_actions.mark_reviewed(use=use, by=request.user)
            return redirect(f"{reverse('casework:break-glass-review')}?done=reviewed")
    done = request.GET.get("done") == "reviewed"
    uses = list(uses)
    # What each practitioner looked at (and did) under each use: the audit events linked to it.
    looked_at: dict[int, list[AuditEvent]] = {use.pk: [] for use in uses}
    for event in AuditEvent.objects.filter(break_glass_id__in=looked_at).order_by("at", "pk"):
        looked_at[event.break_glass_id].append(event)
    rows = [
        {
            "use": use,
            "may_open": access.may_see(request.user, use.person),
            "looked_at": looked_at[use.pk],
        }
        for use in uses
    ]
    return render(request, "casework/teams/review.html", {"rows": rows, "done": done})
