"""Writes for teams: breaking glass, and a team administrator's review of it; a practitioner
adding a person they can see to one of their teams' caseloads, or taking them off it, with a
reason (a person also joins a caseload when added: casework.actions.add_person; when taken on
from triage; when reached by outreach). Each is audited in the same transaction
(casework.actions.audit).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from thedeal.casework import access
from thedeal.casework.actions import audit
from thedeal.casework.models import (
    AuditEvent,
    BreakGlass,
    CaseloadChange,
    CaseloadEntry,
    Person,
    Team,
    end_of_day,
)

# A reason someone else can judge: "checking" is not one.
SHORTEST_REASON = 10


@transaction.atomic
def break_glass(*, person: Person, reason: str, by: Any) -> BreakGlass:
    """Open a record outside the practitioner's caseloads until the end of the day, with the
    reason written to the audit log and the use flagged to their teams' administrators."""
    reason = reason.strip()
    if len(reason) < SHORTEST_REASON:
        raise ValueError("A break-glass reason must say why")
    now = timezone.now()
    use = BreakGlass.objects.create(
        user=by, person=person, reason=reason, opened_at=now, expires_at=end_of_day(now)
    )
    use.teams.set(Team.objects.filter(memberships__user=by))
    audit(
        by=by,
        action=AuditEvent.Action.CREATED,
        record_type="break-glass",
        record_id=use.pk,
        person_id=person.pk,
        field_names=["reason"],
        reason=reason,
    )
    return use


@transaction.atomic
def mark_reviewed(*, use: BreakGlass, by: Any) -> None:
    use = BreakGlass.objects.select_for_update().get(pk=use.pk)
    use.mark_reviewed(by=by)
    use.save(update_fields=["reviewed_at", "reviewed_by"])
    audit(
        by=by,
        action=AuditEvent.Action.CHANGED,
        record_type="break-glass",
        record_id=use.pk,
        person_id=use.person_id,
        field_names=["reviewed_at"],
    )


class Refused(Exception):
    """Why this change of caseload cannot be made (said to the practitioner as it is)."""


def _checked_reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < SHORTEST_REASON:
        raise ValueError("A reason for a change of caseload must say why")
    return reason


def _record(*, person: Person, team: Team, change: str, reason: str, by: Any) -> CaseloadChange:
    made = CaseloadChange.objects.create(
        person=person, team=team, team_name=team.name, change=change, reason=reason,
        made_by=by, made_by_username=by.get_username(),
    )  # fmt: skip
    audit(
        by=by,
        action=AuditEvent.Action.CHANGED,
        record_type="caseload",
        record_id=made.pk,
        person_id=person.pk,
        field_names=["team"],
        reason=f"{made.get_change_display()} of {team.name}: {reason}",
    )
    return made


@transaction.atomic
def add_to_caseload(*, person: Person, team: Team, reason: str, by: Any) -> CaseloadChange:
    """Add a person the practitioner may already see (in another of their teams' caseloads, or
    through break glass) to one of their own teams' caseloads, saying why."""
    reason = _checked_reason(reason)
    if not team.memberships.filter(user=by).exists() or not access.may_see(by, person):
        raise PermissionDenied
    _, created = CaseloadEntry.objects.get_or_create(
        team=team, person=person, defaults={"added_by": by}
    )
    if not created:
        raise Refused(f"They are already in the caseload of {team.name}")
    return _record(person=person, team=team, change=CaseloadChange.Change.JOINED,
                   reason=reason, by=by)  # fmt: skip


@transaction.atomic
def remove_from_caseload(*, person: Person, team: Team, reason: str, by: Any) -> CaseloadChange:
    """Take a person off the caseload of one of the practitioner's teams, saying why (their
    team may then no longer open the record, unless another of its caseloads has them)."""
    reason = _checked_reason(reason)
    if not team.memberships.filter(user=by).exists():
        raise PermissionDenied
    removed, _ = CaseloadEntry.objects.filter(team=team, person=person).delete()
    if not removed:
        raise Refused(f"They are not in the caseload of {team.name}")
    return _record(person=person, team=team, change=CaseloadChange.Change.LEFT,
                   reason=reason, by=by)  # fmt: skip
