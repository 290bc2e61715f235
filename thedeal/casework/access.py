"""Who may see whom: the one place casework's pages ask.

- Practitioners see the people in their teams' caseloads, and a person outside them for the rest
  of the day after "breaking glass" (a recorded reason, reviewed by their team administrator).
  A practitioner in no team sees no one: a page tells them to ask an administrator.
- Administrators see everyone. They answer for every record the council keeps: subject access
  requests, erasure and the audit log concern people in any team's caseload, or in none (someone
  added by an administrator, a referral from a GP not yet triaged). Every look is still audited.
- Analysts never see a person: they work with counts (the reports).
- Community organisations' editors see a person only through a referral to their organisation,
  and only while the person consents to share with it (may_see_referral, for the inbox pages).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from thedeal.accounts.models import OrganisationEditor, Role, does_casework, roles_of
from thedeal.accounts.views import verified_staff
from thedeal.casework.models import BreakGlass, CaseloadEntry, ConsentKind, Person, Team


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def sees_everyone(user: Any) -> bool:
    """Administrators (and the site's superusers): see the module's docstring for why."""
    if not _active(user):
        return False
    return user.is_superuser or Role.ADMINISTRATOR in roles_of(user)


def is_practitioner(user: Any) -> bool:
    return _active(user) and Role.PRACTITIONER in roles_of(user)


def teams_of(user: Any) -> QuerySet[Team]:
    if not _active(user):
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user)


def needs_a_team(user: Any) -> bool:
    """A practitioner who is in no team (and sees no one, until an administrator adds them)."""
    return not sees_everyone(user) and is_practitioner(user) and not teams_of(user).exists()


def live_break_glass(user: Any, person: Person) -> BreakGlass | None:
    if not _active(user):
        return None
    return (
        BreakGlass.objects.filter(user=user, person=person, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )


def seen_only_through(user: Any, person_id: int | None) -> BreakGlass | None:
    """The live break glass through which alone this user sees this person (not in their
    teams' caseloads, not an administrator); None otherwise. Their looks are audited with it."""
    if person_id is None or not _active(user):
        return None
    glass = (
        BreakGlass.objects.filter(user=user, person_id=person_id, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )
    if glass is None or sees_everyone(user):
        return None
    in_caseload = CaseloadEntry.objects.filter(
        person_id=person_id, team__memberships__user=user
    ).exists()
    return None if in_caseload else glass


def may_see(user: Any, person: Person) -> bool:
    """Whether this user may open this person's record."""
    if not does_casework(user):
        return False
    if sees_everyone(user):
        return True
    if not is_practitioner(user):
        return False
    in_caseload = person.caseload_entries.filter(team__memberships__user=user).exists()
    return in_caseload or live_break_glass(user, person) is not None


def visible_people(user: Any) -> QuerySet[Person]:
    """The people this user may see, as a query (for finding people and for lists): the same
    rule as may_see."""
    if not does_casework(user):
        return Person.objects.none()
    if sees_everyone(user):
        return Person.objects.all()
    if not is_practitioner(user):
        return Person.objects.none()
    in_caseload = Q(
        pk__in=Person.objects.filter(caseload_entries__team__memberships__user=user).values("pk")
    )
    broken_glass = Q(
        pk__in=BreakGlass.objects.filter(user=user, expires_at__gt=timezone.now()).values(
            "person_id"
        )
    )
    return Person.objects.filter(in_caseload | broken_glass)


def may_see_referral(user: Any, referral: Any) -> bool:
    """Whether this user may open this referral (and what it says about the person).

    An organisation's editors may, when it was sent to their organisation and the person has a
    current consent to share their details with that organisation (withdrawing it closes the
    referral to them at once). Staff who may see the person (may_see) may too.
    """
    if not _active(user):
        return False
    organisation_id = referral.performer_organization_id
    if organisation_id is not None and (
        OrganisationEditor.objects.filter(user=user, organization_id=organisation_id).exists()
        and referral.person.consents.filter(
            kind=ConsentKind.SHARE,
            organization_id=organisation_id,
            given_on__lte=timezone.localdate(),
            withdrawn_on__isnull=True,
        ).exists()
    ):
        return True
    return may_see(user, referral.person)


def casework_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed in (else to sign in), past two-factor, never cached, and a casework role (else
    403: the page exists, but not for them). A practitioner in no team gets a page saying to ask
    an administrator (403 too: they may not work with anyone yet)."""

    @verified_staff
    @wraps(view)
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not does_casework(request.user):
            raise PermissionDenied
        if needs_a_team(request.user):
            return render(request, "casework/teams/no_team.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


# What a page with a form answers to (HEAD with GET, for checkers that ask it first).
GET_OR_POST = ["GET", "HEAD", "POST"]


def person_or_404(request: Any, reference: str) -> Person:
    """The person with this reference, if this user may see them; else 404, never saying
    whether such a person exists. Every part's pages about a person open it through here."""
    person = get_object_or_404(Person.objects.select_related("gp_practice"), reference=reference)
    if not may_see(request.user, person):
        raise Http404
    return person
