"""A referral's lifecycle: its statuses, the changes between them, and who may make each.

A referral is tracked as a FHIR R4 Task, as the HL7 Gravity "SDOH Clinical Care" IG tracks one
(its Task for referral management; UK Core's Task leaves the statuses open, and no UK
social-prescribing FHIR guide exists). Its status is one of the Task statuses in that IG's
referral value set, spelt as R4 spells them ("in-progress", "entered-in-error"), and it moves
only along the IG's state diagram:

    (new) -> draft -> requested -> accepted -> in-progress <-> on-hold
                          |            |            |              |
                          v            v            v              v
                 rejected, cancelled   completed, failed or cancelled

and any status -> entered-in-error. Each change is made by the party the IG names for the
status it leads to: the requester (the practitioner or GP who referred) or the referral target
(the community organisation the person was referred to); a few need a reason (Task.statusReason).

The reference files in data/ (referral-task-status.csv, referral-task-status-transitions.csv)
are what this table was written from; tests/unit/casework/test_lifecycle.py holds it to them,
pair by pair. Pure Python, no Django: the referral models, the organisations' inbox and the
FHIR API all call `check_transition` before changing a referral.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Status(StrEnum):
    """A referral's status: a FHIR R4 Task.status code in the referral value set."""

    DRAFT = "draft"
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    IN_PROGRESS = "in-progress"
    ON_HOLD = "on-hold"
    FAILED = "failed"
    COMPLETED = "completed"
    ENTERED_IN_ERROR = "entered-in-error"


# R4 Task statuses that the referral value set leaves out: "received" and "ready" stand for
# steps a referral does not take (its target answers with accepted or rejected). An inbound
# Task carrying one is refused with its own message rather than as an unknown word.
TASK_STATUSES_NOT_FOR_REFERRALS: frozenset[str] = frozenset({"received", "ready"})


class Party(StrEnum):
    """Who makes a change (the reference's set_by)."""

    REQUESTER = "requester"
    TARGET = "target"

    @property
    def description(self) -> str:
        return _PARTY_DESCRIPTIONS[self]


_PARTY_DESCRIPTIONS = {
    Party.REQUESTER: "the referrer",
    Party.TARGET: "the organisation the referral was sent to",
}


@dataclass(frozen=True, slots=True)
class StatusInfo:
    """What a status means and how each side reads it.

    `practitioner_label` is what the referrer's side reads (a link worker, in lists and on the
    person's page); `organisation_label` what the community organisation reads in its inbox.
    `set_by`, `reason_required` (with `reason_prompt`, a form's hint) and `action` (a button's
    words) describe the change that leads *to* this status.
    `closed`: the referral's episode with this organisation is over, and the only change left
    is to mark it entered-in-error.
    """

    status: Status
    fhir_display: str
    definition: str
    practitioner_label: str
    organisation_label: str
    set_by: frozenset[Party]
    reason_required: bool
    reason_prompt: str
    action: str
    closed: bool

    def label(self, party: Party) -> str:
        """The status as `party` reads it."""
        return self.practitioner_label if party is Party.REQUESTER else self.organisation_label


_REQUESTER = frozenset({Party.REQUESTER})
_TARGET = frozenset({Party.TARGET})
_EITHER = frozenset({Party.REQUESTER, Party.TARGET})

STATUSES: Mapping[Status, StatusInfo] = MappingProxyType(
    {
        info.status: info
        for info in (
            StatusInfo(
                Status.DRAFT,
                "Draft",
                "The task is not yet ready to be acted upon",
                practitioner_label="Draft",
                # An organisation never sees a draft; the label is here for completeness.
                organisation_label="Not sent yet",
                set_by=_REQUESTER,
                reason_required=False,
                reason_prompt="",
                action="Save as draft",
                closed=False,
            ),
            StatusInfo(
                Status.REQUESTED,
                "Requested",
                "The task is ready to be acted upon and action is sought",
                practitioner_label="Waiting for a reply",
                organisation_label="New referral",
                set_by=_REQUESTER,
                reason_required=False,
                reason_prompt="",
                action="Send referral",
                closed=False,
            ),
            StatusInfo(
                Status.ACCEPTED,
                "Accepted",
                "The potential performer has agreed to execute the task but has not yet "
                "started work",
                practitioner_label="Accepted",
                organisation_label="Accepted",
                set_by=_TARGET,
                reason_required=False,
                reason_prompt="",
                action="Accept referral",
                closed=False,
            ),
            StatusInfo(
                Status.REJECTED,
                "Rejected",
                "The potential performer has decided not to execute it prior to performing "
                "any action.",
                # "Declined" is kept for the person declining (SNOMED 871711000000103).
                practitioner_label="Not accepted",
                organisation_label="Not accepted",
                set_by=_TARGET,
                reason_required=True,
                reason_prompt="Say why the referral cannot be accepted",
                action="Do not accept",
                closed=True,
            ),
            StatusInfo(
                Status.CANCELLED,
                "Cancelled",
                "The task was not completed",
                practitioner_label="Cancelled",
                organisation_label="Cancelled",
                set_by=_EITHER,
                reason_required=True,
                reason_prompt="Say why the referral is cancelled",
                action="Cancel referral",
                closed=True,
            ),
            StatusInfo(
                Status.IN_PROGRESS,
                "In Progress",
                "The task has been started but is not yet complete",
                practitioner_label="Attending",
                organisation_label="Attending",
                set_by=_TARGET,
                reason_required=False,
                reason_prompt="",
                action="Record that they have started",
                closed=False,
            ),
            StatusInfo(
                Status.ON_HOLD,
                "On Hold",
                "The task has been started but work has been paused.",
                practitioner_label="On hold",
                organisation_label="On hold",
                set_by=_TARGET,
                reason_required=True,
                reason_prompt="Say why it is on hold",
                action="Put on hold",
                closed=False,
            ),
            StatusInfo(
                Status.FAILED,
                "Failed",
                "The task was attempted but could not be completed due to some error.",
                # In social prescribing a referral fails when the person does not come.
                practitioner_label="Did not attend",
                organisation_label="Did not attend",
                set_by=_TARGET,
                reason_required=True,
                reason_prompt="Say what happened (for example, how many sessions were missed)",
                action="Record that they did not attend",
                closed=True,
            ),
            StatusInfo(
                Status.COMPLETED,
                "Completed",
                "The task has been completed.",
                practitioner_label="Completed",
                organisation_label="Completed",
                set_by=_TARGET,
                reason_required=False,
                reason_prompt="",
                action="Mark as completed",
                closed=True,
            ),
            StatusInfo(
                Status.ENTERED_IN_ERROR,
                "Entered in Error",
                "The task should never have existed and is retained only because of the "
                "possibility it may have been used",
                practitioner_label="Made in error",
                organisation_label="Made in error",
                set_by=_REQUESTER,
                reason_required=False,
                reason_prompt="",
                action="Mark as made in error",
                closed=True,
            ),
        )
    }
)

CLOSED: frozenset[Status] = frozenset(s for s, info in STATUSES.items() if info.closed)
OPEN: frozenset[Status] = frozenset(STATUSES) - CLOSED


@dataclass(frozen=True, slots=True)
class Transition:
    """A change of status that the lifecycle allows. `start` is None for a new referral."""

    start: Status | None
    end: Status

    @property
    def by(self) -> frozenset[Party]:
        return STATUSES[self.end].set_by

    @property
    def reason_required(self) -> bool:
        return STATUSES[self.end].reason_required

    @property
    def action(self) -> str:
        """The words on the button that makes this change."""
        if self.start is Status.ON_HOLD and self.end is Status.IN_PROGRESS:
            return "Resume"
        return STATUSES[self.end].action

    def allows(self, party: Party) -> bool:
        return party in self.by


_NEXT: Mapping[Status | None, tuple[Status, ...]] = MappingProxyType(
    {
        # A referral may be written as a draft first, or sent straight away.
        None: (Status.DRAFT, Status.REQUESTED),
        Status.DRAFT: (Status.REQUESTED,),
        Status.REQUESTED: (Status.ACCEPTED, Status.REJECTED, Status.CANCELLED),
        # The organisation may record the outcome without recording a start (a one-off session).
        Status.ACCEPTED: (
            Status.IN_PROGRESS,
            Status.ON_HOLD,
            Status.CANCELLED,
            Status.COMPLETED,
            Status.FAILED,
        ),
        Status.IN_PROGRESS: (Status.ON_HOLD, Status.COMPLETED, Status.FAILED, Status.CANCELLED),
        Status.ON_HOLD: (Status.IN_PROGRESS, Status.CANCELLED, Status.COMPLETED, Status.FAILED),
        Status.REJECTED: (),
        Status.CANCELLED: (),
        Status.FAILED: (),
        Status.COMPLETED: (),
        Status.ENTERED_IN_ERROR: (),
    }
)

TRANSITIONS: Mapping[tuple[Status | None, Status], Transition] = MappingProxyType(
    {
        (start, end): Transition(start, end)
        for start, ends in _NEXT.items()
        # Any status can be marked entered-in-error: a referral made by mistake (the wrong
        # person, a duplicate) is kept, because someone may have acted on it.
        for end in (
            *ends,
            *((Status.ENTERED_IN_ERROR,) if start not in (None, Status.ENTERED_IN_ERROR) else ()),
        )
    }
)


class Refusal(StrEnum):
    """Why a change was refused."""

    UNKNOWN_STATUS = "unknown-status"
    ILLEGAL = "illegal"
    WRONG_PARTY = "wrong-party"
    REASON_MISSING = "reason-missing"


class UnknownStatus(ValueError):
    """A word that is not a referral's status."""

    def __init__(self, code: object, message: str) -> None:
        super().__init__(message)
        self.code = code


class TransitionRefused(ValueError):
    """A change of status the lifecycle does not allow, saying which and why."""

    def __init__(
        self, start: Status | None, end: Status, by: Party, why: Refusal, message: str
    ) -> None:
        super().__init__(message)
        self.start = start
        self.end = end
        self.by = by
        self.why = why


def parse_status(code: object) -> Status:
    """The referral status a FHIR code names, or UnknownStatus saying what is wrong with it."""
    if isinstance(code, Status):
        return code
    if isinstance(code, str):
        try:
            return Status(code)
        except ValueError:
            pass
        if code in TASK_STATUSES_NOT_FOR_REFERRALS:
            raise UnknownStatus(
                code,
                f'"{code}" is a FHIR Task status that a referral cannot have (the referral '
                f'value set leaves it out): a referral is "requested", then "accepted" or '
                f'"rejected".',
            )
        near = code.strip().lower().replace("_", "-").replace(" ", "-")
        if near in Status._value2member_map_:
            raise UnknownStatus(
                code, f'"{code}" is not a FHIR R4 Task status: did you mean "{near}"?'
            )
    raise UnknownStatus(
        code,
        f"{code!r} is not a referral status: it must be one of "
        + ", ".join(f'"{s.value}"' for s in Status)
        + ".",
    )


def _describe(start: Status | None, end: Status) -> str:
    if start is None:
        return f'Cannot create a referral as "{end}"'
    return f'Cannot change the referral from "{start}" to "{end}"'


def _quoted(statuses: tuple[Status, ...]) -> str:
    words = [f'"{s}"' for s in statuses]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def check_transition(
    start: Status | str | None,
    end: Status | str,
    *,
    by: Party,
    reason: str | None = None,
) -> Transition:
    """The change from `start` (None: a new referral) to `end` made by `by`, if allowed.

    Otherwise raises TransitionRefused naming the change and why it was refused: it is not a
    change the lifecycle has from that status (Refusal.ILLEGAL), the other party makes it
    (WRONG_PARTY), or it needs a reason and `reason` is empty (REASON_MISSING); or
    UnknownStatus for a word that is not a status. Checked in that order, so the message
    names the most basic problem.
    """
    start = None if start is None else parse_status(start)
    end = parse_status(end)
    by = Party(by)
    transition = TRANSITIONS.get((start, end))
    if transition is None:
        if start is not None and start == end:
            why = f'it is already "{end}".'
        elif start is not None and start in CLOSED:
            why = (
                f'a referral that is "{start}" is closed: it can only be marked '
                f'"{Status.ENTERED_IN_ERROR}".'
                if start is not Status.ENTERED_IN_ERROR
                else "a referral made in error never changes again."
            )
        else:
            allowed = tuple(e for (s, e) in TRANSITIONS if s == start)
            where = (
                "a new referral can start only as"
                if start is None
                else f'from "{start}" it can become only'
            )
            why = f"{where} {_quoted(allowed)}."
        raise TransitionRefused(start, end, by, Refusal.ILLEGAL, f"{_describe(start, end)}: {why}")
    if not transition.allows(by):
        others = " or ".join(p.description for p in sorted(transition.by))
        raise TransitionRefused(
            start,
            end,
            by,
            Refusal.WRONG_PARTY,
            f"{_describe(start, end)}: only {others} can do that, not {by.description}.",
        )
    if transition.reason_required and not (reason or "").strip():
        raise TransitionRefused(
            start,
            end,
            by,
            Refusal.REASON_MISSING,
            f"{_describe(start, end)} without a reason (Task.statusReason): "
            f"{STATUSES[end].reason_prompt[0].lower()}{STATUSES[end].reason_prompt[1:]}.",
        )
    return transition


def transitions_from(start: Status | None, *, by: Party | None = None) -> tuple[Transition, ...]:
    """The changes that can be made from `start` (None: a new referral), by `by` if given, in
    the lifecycle's order: what an inbox offers as buttons."""
    return tuple(
        t for (s, _), t in TRANSITIONS.items() if s == start and (by is None or t.allows(by))
    )


def choices(party: Party = Party.REQUESTER) -> list[tuple[str, str]]:
    """(code, label) for each status, as `party` reads them: a form's or model field's choices."""
    return [(s.value, STATUSES[s].label(party)) for s in Status]
