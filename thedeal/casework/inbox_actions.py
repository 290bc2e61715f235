"""A community organisation's referral inbox: who sees which referral and how much of it, the
organisation's answers (each audited, the referrer emailed), chasing referrals nobody has
answered, and the closing summary sent back to whoever referred a person to us.

Writes follow casework.actions: keyword-only arguments, a `by=` actor, one transaction with its
audit event, emails sent only once the transaction commits (thedeal.notify does that).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from thedeal import notify
from thedeal.accounts.models import OrganisationEditor
from thedeal.casework import closing_summary
from thedeal.casework.actions import audit
from thedeal.casework.lifecycle import Party, Status
from thedeal.casework.models import (
    AuditEvent,
    Consent,
    ConsentKind,
    Conversation,
    Direction,
    Person,
    Plan,
    Referral,
    Signpost,
)
from thedeal.casework.working_days import WorkingDays

# The answers the referrer hears about by email: the first answer, and the outcome.
TELL_THE_REFERRER = {
    Status.ACCEPTED: "has been accepted",
    Status.REJECTED: "has not been accepted",
    Status.COMPLETED: "has an outcome: completed",
    Status.FAILED: "has an outcome: did not attend",
    Status.CANCELLED: "has been cancelled by the organisation",
}
# Changes after which the organisation says how it went (the feedback loop).
WITH_OUTCOME = frozenset({Status.COMPLETED, Status.FAILED})
# The statuses of the referrals an organisation has answered (every one but requested, and
# draft: never sent).
ANSWERED = [s.value for s in Status if s not in (Status.REQUESTED, Status.DRAFT)]


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- Who sees what ------------------------------------------------------------------------------


def edits_for_an_organisation(user: Any) -> bool:
    """Whether someone is an organisation's editor: the people the inbox is for."""
    return (
        user.is_authenticated
        and user.is_active
        and OrganisationEditor.objects.filter(user=user).exists()
    )


class Inbox:
    """The referrals sent to the organisations an editor edits for: unanswered first, then
    newest. Drafts were never sent, and inbound referrals (to the link workers) are not theirs.

    Two queries, the unanswered and then the rest, each newest first and read in that order from
    an index (referral_inbox, referral_inbox_by_date), instead of one sorted by "is it
    unanswered?", which sorts the whole inbox for each page. A Paginator pages it as one list.
    """

    def __init__(self, user: Any) -> None:
        # Their organisations as a list, not a subquery: an editor of one organisation (most)
        # has its referrals read in order from the index, where a subquery would sort them.
        organisations = list(
            OrganisationEditor.objects.filter(user=user).values_list("organization_id", flat=True)
        )
        theirs = (
            Referral.objects.filter(
                direction=Direction.OUTBOUND, performer_organization__in=organisations
            )
            .select_related("performer_organization", "service")
            .order_by("-requested_at", "-pk")
        )
        self.unanswered = theirs.filter(status=Status.REQUESTED)
        self.answered = theirs.exclude(status__in=[Status.REQUESTED, Status.DRAFT])
        # Counted status by status, each a range of the index referral_inbox: "not requested
        # or draft" reads every one of the organisation's referrals and checks it (a third of
        # the time again, at 20,000 referrals to one organisation).
        self._answered_by_status = theirs.filter(status__in=ANSWERED)

    @cached_property
    def waiting(self) -> int:
        """How many are waiting for an answer."""
        return self.unanswered.count()

    def count(self) -> int:
        return self.waiting + self._answered_by_status.count()

    def __getitem__(self, lines: slice) -> list[Referral]:
        if not isinstance(lines, slice) or lines.step is not None:
            raise TypeError("An inbox is read a page (a slice) at a time")
        start, stop = lines.start or 0, lines.stop
        if start < 0 or stop is None or stop < start:
            raise ValueError("An inbox's page runs from a line to a later one")
        page = list(self.unanswered[start:stop]) if start < self.waiting else []
        if stop > self.waiting:
            page += self.answered[max(0, start - self.waiting) : stop - self.waiting]
        return page


def may_open_in_inbox(user: Any, referral: Referral) -> bool:
    """Whether `user` may open this referral in the inbox: an editor of the organisation it was
    sent to, once it was sent. What the page then shows of the person needs their consent to
    share with that organisation (consent_to_share, the rule of access.may_see_referral)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if referral.direction != Direction.OUTBOUND or referral.status == Status.DRAFT:
        return False
    return OrganisationEditor.objects.filter(
        user=user, organization_id=referral.performer_organization_id
    ).exists()


def consent_to_share(referral: Referral, *, on: datetime.date | None = None) -> Consent | None:
    """The person's current consent to share their details with the organisation the referral
    was sent to (given by `on`, not withdrawn), or None: without one the organisation sees that
    a referral exists, and nothing about the person."""
    on = on or timezone.localdate()
    if referral.performer_organization_id is None:
        return None
    return (
        Consent.objects.filter(
            person_id=referral.person_id,
            kind=ConsentKind.SHARE,
            organization_id=referral.performer_organization_id,
            withdrawn_on__isnull=True,
            given_on__lte=on,
        )
        .order_by("-given_on", "-pk")
        .first()
    )


def record_opened(*, referral: Referral, by: Any, shown_person: bool) -> None:
    """Opening a referral in the inbox is a look at the person's record, audited as one (even
    without consent: it shows that the person was referred)."""
    audit(
        by=by,
        action=AuditEvent.Action.VIEWED,
        record_type="referral",
        record_id=referral.pk,
        person_id=referral.person_id,
        field_names=["person"] if shown_person else [],
        reason="inbox",
    )


# --- Answers ------------------------------------------------------------------------------------


@transaction.atomic
def answer(
    *, referral: Referral, to: Status | str, by: Any, reason: str = "", outcome: str = ""
) -> None:
    """The organisation's answer or news about a referral: moved only along the lifecycle, as
    the organisation (lifecycle.TransitionRefused otherwise, and nothing is written)."""
    to = Status(to)
    referral.change_status(to, by=Party.TARGET, user=by, reason=reason)
    changed = ["status"] + (["status_reason"] if reason.strip() else [])
    if to in WITH_OUTCOME:
        referral.attended = to is Status.COMPLETED
        referral.outcome = outcome.strip()
        referral.save(update_fields=["attended", "outcome"])
        changed += ["attended"] + (["outcome"] if referral.outcome else [])
    audit(
        by=by,
        action=AuditEvent.Action.CHANGED,
        record_type="referral",
        record_id=referral.pk,
        person_id=referral.person_id,
        field_names=changed,
        reason="inbox",
    )
    _tell_the_referrer(referral, to)


def _tell_the_referrer(referral: Referral, to: Status) -> None:
    news = TELL_THE_REFERRER.get(to)
    user = referral.requester_user
    if news is None or user is None or not user.email:
        return
    organisation = referral.performer_organization
    person = Person.objects.only("reference").get(pk=referral.person_id)
    lines = [
        f"Your referral of person {person.reference} to {organisation.name} {news}.",
    ]
    if referral.status_reason:
        lines.append(f"What they said: {referral.status_reason}")
    if to in WITH_OUTCOME and referral.outcome:
        lines.append(f"Outcome: {referral.outcome}")
    lines.append(
        "See the person's record: " + _site(reverse("casework:person", args=[person.reference]))
    )
    # The subject names no one: it may be read on a locked phone's screen.
    notify.send_email(
        to=user.email,
        subject=f"A referral you made {news}",
        body="\n\n".join(lines),
        key=f"referral-answer:{referral.pk}:{to.value}",
    )


# --- Chasing ------------------------------------------------------------------------------------


def working_days() -> WorkingDays:
    return WorkingDays(settings.COUNCIL_CLOSURE_DAYS)


def chase_period(
    sent_on: datetime.date, today: datetime.date, *, every: int, days: WorkingDays
) -> int:
    """Which chasing period a referral sent on `sent_on` is in today: 0 until it is `every`
    working days old, then 1, then 2 after twice as long, and so on."""
    return max(days.between(sent_on, today), 0) // every


def chase_unanswered(*, now: datetime.datetime | None = None) -> int:
    """Email the editors (and the directory's address) of each organisation with a referral
    unanswered for REFERRAL_CHASE_AFTER_WORKING_DAYS working days, once in each such period,
    however often this runs. Returns how many referrals were chased."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    every = settings.REFERRAL_CHASE_AFTER_WORKING_DAYS
    days = working_days()
    chased = 0
    waiting = Referral.objects.filter(
        direction=Direction.OUTBOUND, status=Status.REQUESTED
    ).select_related("performer_organization", "service")
    for referral in waiting.iterator():
        sent_on = timezone.localdate(referral.requested_at)
        period = chase_period(sent_on, today, every=every, days=days)
        if period == 0:
            continue
        if referral.last_chased_at is not None:
            last = chase_period(
                sent_on, timezone.localdate(referral.last_chased_at), every=every, days=days
            )
            if last >= period:
                continue  # chased already in this period
        if _chase(referral, period=period, sent_on=sent_on, days=days, now=now):
            chased += 1
    return chased


@transaction.atomic
def _chase(
    referral: Referral,
    *,
    period: int,
    sent_on: datetime.date,
    days: WorkingDays,
    now: datetime.datetime,
) -> bool:
    # Claimed by a conditional update: a second run at the same moment finds it claimed.
    claimed = Referral.objects.filter(
        pk=referral.pk,
        status=Status.REQUESTED,
        times_chased=referral.times_chased,
        last_chased_at=referral.last_chased_at,
    ).update(last_chased_at=now, times_chased=referral.times_chased + 1)
    if not claimed:
        return False
    organisation = referral.performer_organization
    addresses = list(
        OrganisationEditor.objects.filter(
            organization=organisation, user__is_active=True
        ).values_list("user__email", flat=True)
    )
    addresses.append(organisation.email or "")
    addresses = sorted({a.strip() for a in addresses if a and a.strip()})
    waited = days.between(sent_on, timezone.localdate(now))
    service = f" ({referral.service.name})" if referral.service_id else ""
    # No one's name or details: the organisation opens the referral to see them.
    notify.send_email(
        to=addresses,
        subject="A referral is waiting for your answer",
        body=(
            f"A referral to {organisation.name}{service} sent on {sent_on.day} "
            f"{sent_on:%B %Y} has not been answered after {waited} working days.\n\n"
            f"Please accept it or say why you cannot: {_site(reverse('inbox:list'))}"
        ),
        key=f"referral-chase:{referral.pk}:{period}",
    )
    return True


# --- Closing the loop ---------------------------------------------------------------------------


def episode_of(plan: Plan, *, ended_on: datetime.date) -> closing_summary.Episode:
    """The plain record of a plan's episode that the summary is written from."""
    person = plan.person
    inbound = person.referrals.filter(direction=Direction.INBOUND)
    first_referral = inbound.order_by("requested_at").values_list("requested_at", flat=True)
    started_on = plan.agreed_on
    if first_referral and timezone.localdate(first_referral[0]) < started_on:
        started_on = timezone.localdate(first_referral[0])
    conversations = Conversation.objects.filter(
        person=person, held_on__gte=started_on, held_on__lte=ended_on
    ).order_by("held_on", "pk")
    goals = plan.goals.prefetch_related("actions").order_by("order", "pk")
    made = (
        person.referrals.filter(direction=Direction.OUTBOUND)
        .exclude(status__in=[Status.DRAFT, Status.ENTERED_IN_ERROR])
        .filter(requested_at__date__gte=started_on)
        .select_related("performer_organization", "service")
        .order_by("requested_at", "pk")
    )
    signposts = Signpost.objects.filter(
        person=person, given_on__gte=started_on, given_on__lte=ended_on
    ).select_related("service")
    return closing_summary.Episode(
        started_on=started_on,
        ended_on=ended_on,
        conversations=tuple(
            closing_summary.ConversationHeld(c.held_on, c.get_kind_display(), c.is_review)
            for c in conversations
        ),
        goals=tuple(
            closing_summary.GoalWorkedOn(
                in_their_words=g.in_their_words,
                status=g.get_status_display(),
                outcome=g.outcome,
                actions=tuple(
                    closing_summary.ActionDone(a.description, a.who, a.get_status_display())
                    for a in g.actions.all()
                ),
            )
            for g in goals
        ),
        referrals=tuple(
            closing_summary.ReferralMade(
                service=r.service.name if r.service_id else "",
                organisation=r.performer_organization.name,
                status=r.label_for(Party.REQUESTER),
                outcome=r.outcome,
            )
            for r in made
        ),
        signposted_to=tuple(dict.fromkeys(s.service.name for s in signposts)),
    )


@transaction.atomic
def send_closing_summary(*, plan: Plan, by: Any) -> list[Referral]:
    """When a person's episode closes: write what was done to each open inbound referral of it
    (from a GP or another service), mark it completed, and email the summary to the referring
    organisation. Returns the referrals closed. Called by plans_actions.close_plan, in the
    same transaction as the plan's closing; it does not close the plan itself."""
    ended_on = plan.closed_on or timezone.localdate()
    summary = closing_summary.write_summary(episode_of(plan, ended_on=ended_on))
    open_inbound = (
        plan.person.referrals.select_for_update(of=("self",))
        .filter(
            direction=Direction.INBOUND,
            status__in=[Status.REQUESTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD],
        )
        .select_related("requester_organization")
    )
    closed = []
    for referral in open_inbound:
        # The link workers are this referral's target: a referral still waiting is accepted
        # first, as the lifecycle has no way from "requested" straight to "completed".
        if referral.status == Status.REQUESTED:
            referral.change_status(Status.ACCEPTED, by=Party.TARGET, user=by)
        referral.summary = summary
        referral.save(update_fields=["summary"])
        referral.change_status(Status.COMPLETED, by=Party.TARGET, user=by)
        audit(
            by=by,
            action=AuditEvent.Action.CHANGED,
            record_type="referral",
            record_id=referral.pk,
            person_id=referral.person_id,
            field_names=["status", "summary"],
            reason="episode closed",
        )
        address = referral.requester_organization.email if referral.requester_organization else ""
        if address:
            notify.send_email(
                to=address,
                subject="Social prescribing: a summary of support for someone you referred",
                body=(
                    f"Your referral {referral.fhir_id} (NHS number "
                    f"{plan.person.nhs_number_display or 'not known'}) is completed.\n\n{summary}"
                ),
                key=f"referral-summary:{referral.pk}",
            )
        closed.append(referral)
    return closed
