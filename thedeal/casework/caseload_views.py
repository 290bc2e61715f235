"""A practitioner's caseload: the people their teams work with, those whose plan is due for
review first. Each line shown is audited as a search's are (one event per person listed)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from thedeal.casework import actions
from thedeal.casework.access import casework_only
from thedeal.casework.lifecycle import CLOSED
from thedeal.casework.models import (
    CASELOAD_ORDER,
    CaseloadEntry,
    Conversation,
    Direction,
    Person,
    Referral,
    Team,
)
from thedeal.web.links import Links

PER_PAGE = 50


def caseload_people(teams: Any) -> Any:
    """The people in these teams' caseloads, each with their open plan's review date
    (Person.review_on): review overdue first, then soonest, then by name (people with no open
    plan last). Read in that order from the index person_caseload_order, each person checked
    against the caseloads until the page is full, rather than every person sorted."""
    in_caseload = CaseloadEntry.objects.filter(team__in=teams, person=OuterRef("pk"))
    return Person.objects.filter(Exists(in_caseload)).order_by(*CASELOAD_ORDER)


class CaseloadPaginator(Paginator):
    """Pages of a caseload, counted from the caseload's entries (an index on team and person)
    rather than by checking every person."""

    def __init__(self, people: Any, teams: Any) -> None:
        super().__init__(people, PER_PAGE)
        self.teams = teams

    @cached_property
    def count(self) -> int:
        # A person in two of the teams' caseloads is one line on the page.
        entries = CaseloadEntry.objects.filter(team__in=self.teams)
        return entries.values("person_id").distinct().count()


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
    # Found by person only, the direction and status counted in the aggregate: with them in the
    # WHERE, SQLite without statistics reads every outbound referral from the reports' index
    # (which starts with the direction) rather than the fifty people's few from referral_person.
    is_open = Q(direction=Direction.OUTBOUND) & ~Q(status__in=[s.value for s in CLOSED])
    referrals = dict(
        Referral.objects.filter(person_id__in=ids)
        .values("person_id")
        .annotate(open=Count("pk", filter=is_open))
        .values_list("person_id", "open")
    )
    links = Links("casework:person")
    for person in people:
        person.last_conversation = last.get(person.pk)
        person.open_referrals = referrals.get(person.pk, 0)
        person.link = links.to(person.reference)
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
    page = CaseloadPaginator(caseload_people(teams), teams).get_page(request.GET.get("page"))
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
