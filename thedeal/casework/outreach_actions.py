"""Outreach's writes: loading the re-identification table, re-identifying a worklist entry to
open an outreach, and recording each attempt to reach the person. Each write and its audit
rows are one transaction (casework.actions' rule); keyword-only arguments, a `by=` actor."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from thedeal.casework import actions, identities, snomed
from thedeal.casework.models import (
    AuditEvent,
    CaseloadEntry,
    Conversation,
    ConversationKind,
    Outreach,
    OutreachAttempt,
    OutreachStatus,
    Person,
    ReasonForContactChoice,
    Reidentification,
    ResidentIdentity,
    Team,
)
from thedeal.prevention.models import ScoringRun, WorklistEntry

PERMISSION = "casework.reidentify"
# Reasons shown for an entry, as the worklist's CSV shows them (prevention.actions.REASONS_SHOWN,
# not imported: that module loads NumPy and pandas, which a page must not wait for).
REASONS_SHOWN = 3
BATCH = 5_000


class Refused(Exception):
    """Why outreach cannot do this (said to the practitioner as it is)."""


def may_reidentify(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(PERMISSION))


def opted_out_ids() -> QuerySet[ResidentIdentity, int]:
    """The pseudonymous ids of residents who opted out (ids only: nothing that identifies)."""
    return ResidentIdentity.objects.filter(opted_out=True).values_list("resident_id", flat=True)


def listable_entries(worklist_id: int | None = None) -> QuerySet[WorklistEntry]:
    """A worklist's entries (or every worklist's) that may be offered outreach: never a
    resident who opted out."""
    entries = WorklistEntry.objects.all()
    if worklist_id is not None:
        entries = entries.filter(worklist_id=worklist_id)
    return (
        entries.exclude(score__resident_id__in=opted_out_ids())
        .select_related("score", "outreach__person")
        .order_by("position")
    )


# --- the re-identification table ----------------------------------------------------------


def load_identities(
    data_dir: Path, *, progress: Callable[[str], None] = lambda message: None
) -> int:
    """Replace the re-identification table with the synthetic borough's residents, all or
    nothing: a failure part way leaves the table as it was. Returns how many were loaded."""
    from thedeal.prevention import synthpop  # NumPy and pyarrow: only the loader needs them

    if not synthpop.is_synthetic(data_dir):
        # Made-up names for real residents would send a practitioner to the wrong door.
        raise identities.IdentitiesError(
            f"{data_dir} is not a synthetic borough (no generator in its manifest.json): a real "
            "re-identification table comes from the council's own linked data."
        )
    source = f"{Path(data_dir).resolve()} ({synthpop.fingerprint(Path(data_dir))})"
    drawn = identities.draw(
        data_dir, progress=lambda done, total: progress(f"{done:,} of {total:,} residents named")
    )
    with transaction.atomic():
        ResidentIdentity.objects.all().delete()
        count = 0
        batch: list[ResidentIdentity] = []
        for identity in drawn:
            batch.append(ResidentIdentity(**vars_of(identity), source=source))
            if len(batch) == BATCH:
                ResidentIdentity.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        ResidentIdentity.objects.bulk_create(batch)
        count += len(batch)
    progress(f"{count:,} residents in the re-identification table")
    return count


def vars_of(identity: identities.Identity) -> dict[str, Any]:
    return {name: getattr(identity, name) for name in identities.Identity.__slots__}


def load_for_worklists(*, progress: Callable[[str], None] = lambda message: None) -> int:
    """For the demo: fill an empty re-identification table from the synthetic borough the
    newest worklist was scored on, if there is one and its folder is still there."""
    from thedeal.prevention import synthpop

    if ResidentIdentity.objects.exists():
        return 0
    run = ScoringRun.objects.filter(worklists__isnull=False).order_by("-started_at").first()
    if run is None or not synthpop.is_synthetic(Path(run.data_path)):
        return 0
    return load_identities(Path(run.data_path), progress=progress)


# --- re-identifying an entry ----------------------------------------------------------------


@transaction.atomic
def _outreach_team(user: Any) -> Team | None:
    """The team an outreach is opened for: the opener's (the first by name, for someone in
    several: worklists are drawn by ward, not by team)."""
    return Team.objects.filter(memberships__user=user).order_by("name").first()


def open_outreach(*, entry: WorklistEntry, purpose: str, by: Any) -> Outreach:
    """Re-identify one worklist entry (the user must hold casework.reidentify and state why),
    find their record by NHS number or add one, and open an outreach keeping what the worklist
    said. Every re-identification is kept, and audited on the person's record."""
    if not may_reidentify(by):
        raise PermissionDenied
    purpose = purpose.strip()
    if not purpose:
        raise ValidationError("Enter why you are re-identifying this resident")
    existing = Outreach.objects.filter(entry=entry).select_related("person").first()
    if existing is not None:
        return existing
    score = entry.score
    identity = ResidentIdentity.objects.filter(resident_id=score.resident_id).first()
    if identity is None:
        raise Refused(
            "This resident is not in the re-identification table: ask your data team to load it"
        )
    if identity.opted_out:
        raise Refused(
            "This resident has opted out of their data being used (national data opt-out): "
            "they must not be contacted from a worklist"
        )
    person = (
        Person.objects.filter(nhs_number=identity.nhs_number).first()
        if identity.nhs_number
        else None
    )
    if person is None:
        try:
            person = actions.add_person(
                details={
                    "given_name": identity.given_name,
                    "family_name": identity.family_name,
                    "date_of_birth": identity.date_of_birth,
                    "nhs_number": identity.nhs_number,
                    "address": identity.address,
                    "postcode": identity.postcode,
                },
                by=by,
                team=_outreach_team(by),
            )
        except actions.DuplicateNHSNumber as duplicate:
            # Added by someone else a moment ago: theirs is the person's one record.
            person = duplicate.existing
        else:
            if identity.phone:
                actions.change_person(person=person, changes={"phone": identity.phone}, by=by)
    # Reached from the worklist, they are the opener's team's to work with (someone already
    # known to another team joins this one's caseload too: the outreach is this team's work).
    team = _outreach_team(by)
    if team is not None:
        CaseloadEntry.objects.get_or_create(team=team, person=person, defaults={"added_by": by})
    Reidentification.objects.create(
        user_id=by.pk,
        username=by.get_username(),
        purpose=purpose,
        worklist_id=entry.worklist_id,
        entry_id=entry.pk,
        resident_id=score.resident_id,
        person_id=person.pk,
    )
    actions.audit(
        by=by,
        action=AuditEvent.Action.VIEWED,
        record_type="worklist entry",
        record_id=entry.pk,
        person_id=person.pk,
        reason=f"Re-identified from worklist {entry.worklist_id} for outreach: {purpose}",
    )
    try:
        with transaction.atomic():
            outreach = Outreach.objects.create(
                entry=entry,
                worklist_id=entry.worklist_id,
                resident_id=score.resident_id,
                person=person,
                rank=score.rank,
                ward=score.ward,
                reasons=[r["text"] for r in score.reasons[:REASONS_SHOWN]],
                suggestions=entry.suggestions,
                # Someone who has asked not to be contacted is never contacted by outreach.
                status=OutreachStatus.DO_NOT_CONTACT
                if person.do_not_contact
                else OutreachStatus.NOT_YET,
                opened_by=by,
            )
    except IntegrityError:
        # Another practitioner opened this entry at the same moment: theirs stands (this
        # re-identification is still kept and audited above).
        return Outreach.objects.get(entry=entry)
    return outreach


# --- reaching the person --------------------------------------------------------------------


@transaction.atomic
def record_attempt(
    *, outreach: Outreach, tried_on: Any, method: str, outcome: str, by: Any
) -> OutreachAttempt:
    """Record one try at reaching the person. Reached: the first conversation is started (reason
    for contact: worklist outreach). Declined: SNOMED CT's "social prescribing declined" is
    recorded. Refused once outreach may no longer contact them."""
    outreach = Outreach.objects.select_for_update().select_related("person").get(pk=outreach.pk)
    if outreach.person.do_not_contact:
        raise Refused("They have asked not to be contacted: outreach must not contact them")
    if not outreach.may_contact:
        raise Refused(f"This outreach is closed: {outreach.get_status_display().lower()}")
    if tried_on > timezone.localdate():
        raise ValidationError({"tried_on": "The date of the attempt must be today or in the past"})
    attempt = OutreachAttempt.objects.create(
        outreach=outreach, tried_on=tried_on, method=method, outcome=outcome, recorded_by=by
    )
    changed = ["status"]
    if outcome == OutreachAttempt.Outcome.REACHED:
        outreach.status = OutreachStatus.REACHED
        outreach.conversation = Conversation.objects.create(
            person=outreach.person,
            kind=ConversationKind.LISTEN_AND_CONNECT,
            held_on=tried_on,
            practitioner=by,
            contact_method=method,
            reason_for_contact=ReasonForContactChoice.WORKLIST_OUTREACH,
            created_by=by,
        )
        changed.append("conversation")
        actions.audit(
            by=by,
            action=AuditEvent.Action.CREATED,
            record_type="conversation",
            record_id=outreach.conversation.pk,
            person_id=outreach.person_id,
            field_names=["held_on", "contact_method", "reason_for_contact"],
        )
    elif outcome == OutreachAttempt.Outcome.DECLINED:
        outreach.status = OutreachStatus.DECLINED
        outreach.declined_code = snomed.SOCIAL_PRESCRIBING_DECLINED.code
        changed.append("declined_code")
    else:
        outreach.status = OutreachStatus.NOT_CONTACTED
    outreach.save(update_fields=changed)
    actions.audit(
        by=by,
        action=AuditEvent.Action.CREATED,
        record_type="outreach attempt",
        record_id=attempt.pk,
        person_id=outreach.person_id,
        field_names=["tried_on", "method", "outcome"],
    )
    return attempt
