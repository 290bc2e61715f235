"""The demo borough's casework itself: for the synthetic people casework.demo made, a year of
conversations (the three kinds), risks, well-being measures at first contact and at review,
plans with goals and actions, signposts, and referrals in every status of the lifecycle, to
the demo directory's real organisations and from the demo's GP practices.

The same seed gives the same work (over the year up to the day it is loaded). Referrals move
only through `Referral.record_start` and `change_status`, so each has a real history that the
lifecycle allows; the dates are set as they would have been. Like casework.demo, it writes no
audit events: no one looked at or changed a real person's record.

Loaded once: when casework already has conversations or referrals, nothing is added.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from thedeal.accounts.models import OrganisationEditor, Role
from thedeal.casework.lifecycle import Party, Status
from thedeal.casework.models import (
    Action,
    ActionStatus,
    Consent,
    ConsentKind,
    ContactMethod,
    Conversation,
    ConversationKind,
    Direction,
    Goal,
    GoalStatus,
    GPPractice,
    Occasion,
    Person,
    Plan,
    ReasonForContactChoice,
    Referral,
    Risk,
    Signpost,
    SignpostMethod,
    WellbeingMeasure,
)
from thedeal.casework.snomed import REFERRED_BY_GENERAL_PRACTITIONER
from thedeal.directory.models import Organization, OrganizationIdentifier, Service

# The org-id.guide scheme for NHS organisations, whose identifiers are ODS codes.
ODS_SCHEME = "GB-NHS"
ODS_TYPE = "ODS code"

GOALS = (
    ("Get out of the house twice a week", 8),
    ("Make a friend I can have a cup of tea with", 7),
    ("Walk to the shops on my own again", 9),
    ("Sort out my debts so I can sleep at night", 10),
    ("Find some volunteering", 6),
    ("Get back to swimming", 5),
    ("Learn to use a tablet to video call my grandson", 7),
    ("Cook proper meals again", 6),
)
ACTIONS = (
    ("Go along to the first session", "me"),
    ("Phone the group to ask about times", "the link worker"),
    ("Ask my daughter to come with me the first time", "me and my daughter"),
    ("Fill in the benefits form together", "me and the link worker"),
    ("Look up the bus times", "me"),
)
RISKS = (
    "Lives alone and has had two falls this year",
    "Rent arrears: eviction notice received",
    "Low mood: has said they feel hopeless",
    "Caring for a partner with dementia, with no breaks",
)
PLACES = ("Their home", "The library", "The GP surgery", "By phone", "The community centre")
# Why referrals end as they do, in words an organisation would write.
REASONS = {
    Status.REJECTED: (
        "The group is full until the spring",
        "The service is for people over 65",
        "We cannot offer step-free access at that venue",
    ),
    Status.CANCELLED: ("They changed their mind", "They moved out of the borough"),
    Status.ON_HOLD: ("In hospital for a few weeks", "Caring for a relative this month"),
    Status.FAILED: ("Did not come to the first two sessions", "Missed three sessions in a row"),
}
OUTCOMES = (
    "Came every week and has joined the committee",
    "Enjoyed it and now goes with a neighbour",
    "Finished the course; feels more confident",
)
# The path to each final status, after "requested" (each step as the lifecycle allows it).
PATHS: dict[Status, tuple[Status, ...]] = {
    Status.REQUESTED: (),
    Status.ACCEPTED: (Status.ACCEPTED,),
    Status.REJECTED: (Status.REJECTED,),
    Status.IN_PROGRESS: (Status.ACCEPTED, Status.IN_PROGRESS),
    Status.ON_HOLD: (Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD),
    Status.COMPLETED: (Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED),
    Status.FAILED: (Status.ACCEPTED, Status.FAILED),
    Status.CANCELLED: (Status.CANCELLED,),
    Status.ENTERED_IN_ERROR: (Status.ENTERED_IN_ERROR,),
}
# How often a referral of each age ends in each status: old referrals have mostly ended.
OLD_OUTCOMES = (
    (Status.COMPLETED, 40), (Status.FAILED, 14), (Status.REJECTED, 10), (Status.CANCELLED, 6),
    (Status.IN_PROGRESS, 14), (Status.ON_HOLD, 4), (Status.ENTERED_IN_ERROR, 2),
    (Status.ACCEPTED, 6), (Status.REQUESTED, 4),
)  # fmt: skip
RECENT_OUTCOMES = ((Status.REQUESTED, 45), (Status.ACCEPTED, 30), (Status.REJECTED, 5),
                   (Status.IN_PROGRESS, 20))  # fmt: skip


@dataclass
class Loaded:
    conversations: int = 0
    referrals: int = 0
    editor_organisation: str = ""


def _pick(rng: random.Random, weighted: tuple[tuple[Status, int], ...]) -> Status:
    statuses, weights = zip(*weighted, strict=True)
    return rng.choices(statuses, weights=weights)[0]


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A time in working hours on `day`, in the site's time zone (never later than now)."""
    moment = datetime.datetime.combine(day, datetime.time(9 + rng.randrange(8), rng.randrange(60)))
    return min(timezone.make_aware(moment), timezone.now())


def _answers(rng: random.Random, *, base: int, spread: int, low: int, high: int) -> int:
    return max(low, min(high, base + rng.randint(-spread, spread)))


def editor_organisation() -> Organization | None:
    """The organisation the demo's editor (Priya) answers referrals for: hers if she is there,
    else the one accounts.demo will give her (the one with the most listings)."""
    link = OrganisationEditor.objects.filter(user__username="priya@example.org").first()
    if link is not None:
        return link.organization
    return (
        Organization.objects.annotate(listings=Count("services"))
        .order_by("-listings", "name", "pk")
        .first()
    )


def gp_practice_organisations() -> dict[int, Organization]:
    """Each demo GP practice as a directory organisation with its ODS code as an identifier
    (how inbound referrals name who sent them), made once."""
    found: dict[int, Organization] = {}
    for practice in GPPractice.objects.order_by("ods_code"):
        identifier = (
            OrganizationIdentifier.objects.filter(
                identifier_scheme=ODS_SCHEME, identifier=practice.ods_code
            )
            .select_related("organization")
            .first()
        )
        if identifier is not None and identifier.organization is not None:
            found[practice.pk] = identifier.organization
            continue
        organisation = Organization.objects.create(
            name=practice.name, description="A GP practice (synthetic, for the demo)."
        )
        OrganizationIdentifier.objects.create(
            organization=organisation,
            identifier_scheme=ODS_SCHEME,
            identifier_type=ODS_TYPE,
            identifier=practice.ods_code,
        )
        found[practice.pk] = organisation
    return found


def _practitioner() -> User | None:
    return (
        User.objects.filter(groups__name=Role.PRACTITIONER).order_by("pk").first()
        or User.objects.filter(username="ola@example.nhs.uk").first()
    )


def _measure(
    rng: random.Random, person: Person, conversation: Conversation, day: datetime.date,
    occasion: str, *, level: int, by: Any,
) -> WellbeingMeasure:  # fmt: skip
    """A measure around `level` (ONS4's 0-10 scale; anxiety runs the other way)."""
    swemwbs_base = max(1, min(5, round(level / 2.5)))
    return WellbeingMeasure(
        person=person,
        conversation=conversation,
        taken_on=day,
        occasion=occasion,
        life_satisfaction=_answers(rng, base=level, spread=1, low=0, high=10),
        worthwhile=_answers(rng, base=level + 1, spread=1, low=0, high=10),
        happiness=_answers(rng, base=level, spread=2, low=0, high=10),
        anxiety=_answers(rng, base=10 - level, spread=2, low=0, high=10),
        **{
            name: _answers(rng, base=swemwbs_base, spread=1, low=1, high=5)
            for name in WellbeingMeasure.SWEMWBS_FIELDS
        },
        recorded_by=by,
    )


class _Referrals:
    """Makes referrals through the lifecycle, as each side would have moved them."""

    def __init__(self, rng: random.Random, today: datetime.date, by: Any) -> None:
        self.rng, self.today, self.by = rng, today, by
        self.count = 0

    def outbound(
        self, person: Person, service: Service, requested: datetime.date, final: Status,
        *, goal: Goal | None,
    ) -> Referral:  # fmt: skip
        rng = self.rng
        organisation = service.organization
        # The person agreed to their details going to the organisation, on the day.
        consent = Consent.objects.create(
            person=person,
            kind=ConsentKind.SHARE,
            organization=organisation,
            given_on=requested,
            recorded_by=self.by,
        )
        at = _at(requested, rng)
        referral = Referral.objects.create(
            person=person,
            direction=Direction.OUTBOUND,
            reason=f"Would like help with: {goal.in_their_words.lower()}" if goal else "",
            goal=goal,
            reasons_suggested=["Near their home", "On a day that suits them"],
            requester_user=self.by,
            performer_organization=organisation,
            service=service,
            share_consent=consent,
            requested_at=at,
            updated_at=at,
        )
        referral.record_start(by=Party.REQUESTER, user=self.by)
        day, last = requested, at
        for step in PATHS[final]:
            # Organisations answer in a day to a couple of weeks; people attend for weeks.
            answering = step in (Status.ACCEPTED, Status.REJECTED)
            wait = rng.randint(0, 12) if answering else rng.randint(7, 40)
            day = min(self.today, day + datetime.timedelta(days=wait))
            by = Party.REQUESTER if step in (Status.CANCELLED, Status.ENTERED_IN_ERROR) else None
            reason = rng.choice(REASONS[step]) if step in REASONS else ""
            if step is Status.CANCELLED and rng.random() < 0.5:
                # Either side may cancel: sometimes the organisation does.
                by = Party.TARGET
            # Each change after the one before, and none later than now.
            last = min(max(_at(day, rng), last + datetime.timedelta(minutes=5)), timezone.now())
            referral.change_status(step, by=by or Party.TARGET, user=None, reason=reason, at=last)
        if final is Status.COMPLETED:
            referral.attended, referral.outcome = True, rng.choice(OUTCOMES)
        elif final is Status.FAILED:
            referral.attended = False
        if final in (Status.COMPLETED, Status.FAILED):
            referral.save(update_fields=["attended", "outcome"])
        self.count += 1
        return referral

    def inbound(
        self, person: Person, practice: Organization, requested: datetime.date,
        *, first_contact: datetime.date | None,
    ) -> Referral:  # fmt: skip
        """A GP's referral to the link workers: in the triage queue (no performer) until a
        link worker takes it on at the first conversation."""
        at = _at(requested, self.rng)
        referral = Referral.objects.create(
            person=person,
            direction=Direction.INBOUND,
            reason="Socially isolated since a bereavement; would benefit from social prescribing",
            requester_organization=practice,
            requester_name=f"Dr {self.rng.choice(('Ahmed', 'Brown', 'Kaur', 'Nolan'))}",
            source_of_referral=REFERRED_BY_GENERAL_PRACTITIONER,
            requested_at=at,
            updated_at=at,
        )
        referral.record_start(by=Party.REQUESTER, system=f"{practice.name} (demo)")
        if first_contact is not None:
            # Taken on at the first conversation, a few minutes apart.
            taken_on = max(_at(first_contact, self.rng), at + datetime.timedelta(minutes=5))
            for n, step in enumerate((Status.ACCEPTED, Status.IN_PROGRESS)):
                referral.change_status(
                    step,
                    by=Party.TARGET,
                    user=self.by,
                    at=min(taken_on + datetime.timedelta(minutes=n), timezone.now()),
                )
        self.count += 1
        return referral


@transaction.atomic
def load(*, seed: int = 0, today: datetime.date | None = None) -> Loaded:
    """A year of work with the demo's people (once: nothing is added when casework already has
    conversations or referrals, or has no people)."""
    if Conversation.objects.exists() or Referral.objects.exists():
        return Loaded()
    people = list(Person.objects.select_related("gp_practice").order_by("pk"))
    services = list(
        Service.objects.filter(status=Service.Status.ACTIVE, organization__isnull=False)
        .select_related("organization")
        .order_by("organization__name", "name", "pk")
    )
    if not people or not services:
        return Loaded()
    today = today or timezone.localdate()
    rng = random.Random(seed)
    by = _practitioner()
    theirs = editor_organisation()
    their_services = [s for s in services if theirs is not None and s.organization_id == theirs.pk]
    practices = gp_practice_organisations()
    referrals = _Referrals(rng, today, by)
    # Link workers refer mostly to the services they know well: a few dozen of the borough's.
    favourites = rng.sample(services, k=min(30, len(services)))
    conversations = 0

    for n, person in enumerate(people):
        # One in eight has not been seen yet: some of them are waiting in the triage queue.
        if rng.random() < 0.125:
            if person.gp_practice_id and rng.random() < 0.6:
                requested = today - datetime.timedelta(days=rng.randint(0, 15))
                referrals.inbound(
                    person, practices[person.gp_practice_id], requested, first_contact=None
                )
            continue
        first = today - datetime.timedelta(days=rng.randint(3, 360))
        reason = rng.choices(
            list(ReasonForContactChoice), weights=(25, 20, 40, 15), k=1
        )[0]  # fmt: skip
        if reason == ReasonForContactChoice.GP and person.gp_practice_id:
            # The GP's referral came first; the link worker took it on at the first conversation.
            referrals.inbound(
                person,
                practices[person.gp_practice_id],
                first - datetime.timedelta(days=rng.randint(1, 20)),
                first_contact=first,
            )
        crisis = rng.random() < 0.1
        conversation = Conversation.objects.create(
            person=person,
            kind=ConversationKind.CRISIS if crisis else ConversationKind.LISTEN_AND_CONNECT,
            held_on=first,
            practitioner=by,
            place=rng.choice(PLACES),
            contact_method=rng.choice([ContactMethod.IN_PERSON, ContactMethod.PHONE]),
            reason_for_contact=reason,
            source_of_referral=REFERRED_BY_GENERAL_PRACTITIONER
            if reason == ReasonForContactChoice.GP
            else "",
            what_matters=person.what_matters or "Feeling part of things again",
            strengths="Good sense of humour; knows the area well",
            worries="Money, and being on their own in the evenings",
            good_day="A walk, a chat with someone, and a proper meal",
            no_known_risks=not crisis and rng.random() < 0.7,
            created_by=by,
        )
        conversations += 1
        if not conversation.no_known_risks:
            Risk.objects.create(
                person=person,
                conversation=conversation,
                risk=rng.choice(RISKS),
                started_on=first,
                ended_on=first + datetime.timedelta(days=60) if rng.random() < 0.3 else None,
                recorded_by=by,
            )
        level = rng.randint(2, 6)
        measures = [
            _measure(rng, person, conversation, first, Occasion.FIRST_CONTACT, level=level, by=by)
        ]
        review_on = first + datetime.timedelta(days=rng.randint(42, 84))
        plan = Plan.objects.create(
            person=person,
            agreed_on=first,
            review_on=review_on,
            responsible_for_review=by,
            created_by=by,
        )
        goals = []
        for order, (words, importance) in enumerate(rng.sample(GOALS, k=rng.randint(1, 3))):
            goal = Goal.objects.create(
                plan=plan,
                in_their_words=words,
                importance=max(1, min(10, importance + rng.randint(-2, 1))),
                order=order,
            )
            goals.append(goal)
            Action.objects.bulk_create(
                Action(
                    goal=goal,
                    description=description,
                    who=who,
                    due_on=first + datetime.timedelta(days=rng.randint(7, 42)),
                    status=rng.choice(list(ActionStatus)),
                    confidence=rng.randint(3, 10),
                )
                for description, who in rng.sample(ACTIONS, k=rng.randint(1, 2))
            )
        for service in rng.sample(services, k=rng.randint(0, 2)):
            Signpost.objects.create(
                person=person,
                goal=rng.choice(goals),
                service=service,
                method=rng.choice(list(SignpostMethod)),
                reasons=["Near their home"],
                given_on=first,
                given_by=by,
            )
        # Referrals from the plan: most people one or two; Priya's organisation gets every
        # tenth person's, so that her inbox has referrals in several statuses.
        for k in range(rng.choices((0, 1, 2, 3), weights=(15, 45, 30, 10))[0]):
            requested = min(today, first + datetime.timedelta(days=rng.randint(0, 14)))
            recent = (today - requested).days < 21
            final = _pick(rng, RECENT_OUTCOMES if recent else OLD_OUTCOMES)
            pool = their_services if their_services and n % 10 == 0 and k == 0 else favourites
            referrals.outbound(person, rng.choice(pool), requested, final, goal=rng.choice(goals))
        # A review, for most of those whose review date has come: most feel a little better.
        if review_on <= today and rng.random() < 0.8:
            review = Conversation.objects.create(
                person=person,
                kind=ConversationKind.GOOD_LIFE,
                held_on=review_on,
                practitioner=by,
                contact_method=rng.choice([ContactMethod.IN_PERSON, ContactMethod.PHONE]),
                reason_for_contact=reason,
                what_matters="Keeping up what has started",
                no_known_risks=True,
                is_review=True,
                created_by=by,
            )
            conversations += 1
            change = rng.choices((-1, 0, 1, 2), weights=(12, 20, 45, 23))[0]
            measures.append(
                _measure(
                    rng, person, review, review_on, Occasion.REVIEW, level=level + change, by=by
                )
            )
            for goal in goals:
                goal.status = rng.choice(list(GoalStatus))
            Goal.objects.bulk_update(goals, ["status"])
            # About half the plans reviewed are closed: the episode has ended.
            if rng.random() < 0.5:
                plan.closed_on = review_on
                plan.closing_summary = "Goals reviewed together; connected to local groups."
                plan.save(update_fields=["closed_on", "closing_summary"])
        WellbeingMeasure.objects.bulk_create(measures)

    # Make sure the editor's inbox shows each thing she has to do: new, accepted and attending
    # referrals, whatever the dice said.
    if their_services:
        start = len(people) // 2
        for final, person in zip(
            (Status.REQUESTED, Status.REQUESTED, Status.ACCEPTED, Status.IN_PROGRESS,
             Status.COMPLETED, Status.FAILED),
            people[start:],
            strict=False,
        ):  # fmt: skip
            requested = today - datetime.timedelta(days=rng.randint(1, 10))
            referrals.outbound(person, rng.choice(their_services), requested, final, goal=None)
    return Loaded(
        conversations=conversations,
        referrals=referrals.count,
        editor_organisation=theirs.name if theirs is not None else "",
    )
