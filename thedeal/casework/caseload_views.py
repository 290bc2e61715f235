"""A practitioner's caseload: the people their teams work with, those whose plan is due for
review first. Each line shown is audited as a search's are (one event per person listed)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from thedeal.casework import actions
from thedeal.casework.access import casework_only
from thedeal.casework.lifecycle import CLOSED
from thedeal.casework.models import Direction, Person, Plan, Team

PER_PAGE = 50


def caseload_people(teams: Any) -> Any:
    """The people in these teams' caseloads, with their open plan's review date, their last
    conversation and their open referrals: review overdue first, then soonest, then by name."""
    open_plan = Plan.objects.filter(person=OuterRef("pk"), closed_on__isnull=True)
    return (
        Person.objects.filter(caseload_entries__team__in=teams)
        .distinct()
        .annotate(
            review_on=Subquery(open_plan.values("review_on")[:1]),
            last_conversation=Max("conversations__held_on"),
            open_referrals=Count(
                "referrals",
                filter=Q(referrals__direction=Direction.OUTBOUND)
                & ~Q(referrals__status__in=[s.value for s in CLOSED]),
                distinct=True,
            ),
        )
        .order_by(F("review_on").asc(nulls_last=True), "family_name", "given_name", "pk")
    )


@casework_only
@require_safe
def caseload(request):
    teams = Team.objects.filter(memberships__user=request.user).order_by("name")
    chosen = request.GET.get("team", "")
    if chosen:
        teams = teams.filter(pk=chosen) if chosen.isdigit() else Team.objects.none()
        if not teams.exists():
            raise Http404
    page = Paginator(caseload_people(teams), PER_PAGE).get_page(request.GET.get("page"))
    actions.record_search(by=request.user, criteria=["caseload"], shown=page.object_list)
    return render(
        request,
        "casework/caseload/caseload.html",
        {
            "page": page,
            "teams": Team.objects.filter(memberships__user=request.user).order_by("name"),
            "chosen": chosen,
            "today": timezone.localdate(),
        },
    )
