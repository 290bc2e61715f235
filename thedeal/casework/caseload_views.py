"""A practitioner's caseload: the people their teams work with, those whose plan is due for
review first. Each line shown is audited as a search's are (one event per person listed)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, F, Max, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from thedeal.casework import actions
from thedeal.casework.access import casework_only
from thedeal.casework.lifecycle import CLOSED
from thedeal.casework.models import (
    CaseloadEntry,
    Conversation,
    Direction,
    Person,
    Plan,
    Referral,
    Team,
)

PER_PAGE = 50


def caseload_people(teams: Any) -> Any:
    """The people in these teams' caseloads, each with their open plan's review date: review
    overdue first, then soonest, then by name (people with no open plan last)."""
    open_plan = Plan.objects.filter(person=OuterRef("pk"), closed_on__isnull=True)
    return (
        Person.objects.filter(
            pk__in=CaseloadEntry.objects.filter(team__in=teams).values("person_id")
        )
        .annotate(review_on=Subquery(open_plan.values("review_on")[:1]))
        .order_by(F("review_on").asc(nulls_last=True), "family_name", "given_name", "pk")
    )


def with_their_work(people: list[Person]) -> list[Person]:
    """The page's people, each with their last conversation and open referrals (counted for
    the fifty on the page, not for the whole caseload)."""
    ids = [person.pk for person in people]
    last = dict(
        Conversation.objects.filter(person_id__in=ids)
        .values("person_id")
        .annotate(last=Max("held_on"))
        .values_list("person_id", "last")
    )
    referrals = dict(
        Referral.objects.filter(person_id__in=ids, direction=Direction.OUTBOUND)
        .exclude(status__in=[s.value for s in CLOSED])
        .values("person_id")
        .annotate(open=Count("pk"))
        .values_list("person_id", "open")
    )
    for person in people:
        person.last_conversation = last.get(person.pk)
        person.open_referrals = referrals.get(person.pk, 0)
    return people


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
    page.object_list = with_their_work(list(page.object_list))
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
