"""Writes for teams: breaking glass, and a team administrator's review of it (a person joins a
caseload when added: casework.actions.add_person). Each is audited in the same transaction (casework.actions.audit).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from thedeal.casework.actions import audit
from thedeal.casework.models import AuditEvent, BreakGlass, Person, Team, end_of_day

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
