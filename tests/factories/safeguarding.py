"""Factories for safeguarding concerns, and a person with one of every kind of record (for the
subject access export and erasure)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories import directory
from tests.factories.casework import PersonFactory
from thedeal.casework import actions
from thedeal.casework.lifecycle import Party, Status
from thedeal.casework.models import (
    Action,
    BreakGlass,
    CaseloadChange,
    Conversation,
    Direction,
    Goal,
    Outreach,
    OutreachAttempt,
    Plan,
    Referral,
    Reidentification,
    Risk,
    RiskEdit,
    SafeguardingConcern,
    Signpost,
    WellbeingMeasure,
    acknowledge_by,
)


class ConcernFactory(factory.django.DjangoModelFactory):
    """An open concern, raised now, to be acknowledged today."""

    class Meta:
        model = SafeguardingConcern

    person = factory.SubFactory(PersonFactory)
    category = "self-neglect"
    urgency = "today"
    details = "Kitchen had no food; heating off in January."
    raised_at = factory.LazyFunction(timezone.now)
    acknowledge_by = factory.LazyAttribute(lambda o: acknowledge_by(o.urgency, o.raised_at))


def overdue_concern(**kwargs):
    """A concern raised "immediately" two hours ago and not acknowledged."""
    raised = timezone.now() - datetime.timedelta(hours=2)
    return ConcernFactory(urgency="immediately", raised_at=raised, **kwargs)


def whole_record(person=None, *, by, closed=True):
    """A person with one of every kind of record about them, each holding a word of their own
    ("Zebedee") where it has text. `closed`: the referral and the concern are closed (so the
    record may be erased); otherwise both stay open."""
    person = person or PersonFactory(what_matters="Zebedee, my dog")
    organisation = directory.OrganizationFactory()
    service = directory.ServiceFactory(organization=organisation)
    day = datetime.date(2026, 3, 2)
    actions.record_consent(person=person, kind="record", given_on=day, by=by)
    share = actions.record_consent(
        person=person, kind="share", organization=organisation, given_on=day, by=by
    )
    conversation = Conversation.objects.create(
        person=person,
        held_on=day,
        practitioner=by,
        contact_method="in-person",
        reason_for_contact="self-referral",
        worries="Zebedee is poorly",
    )
    risk = Risk.objects.create(
        person=person, conversation=conversation, risk="Falls; Zebedee trips over the lead"
    )
    # Reworded since: what it said before is kept.
    RiskEdit.objects.create(risk=risk, risk_before="Falls; Zebedee trips", changed_by=by)
    WellbeingMeasure.objects.create(
        person=person,
        conversation=conversation,
        taken_on=day,
        occasion="first-contact",
        life_satisfaction=4,
        **{f"swemwbs_{n}": 3 for n in range(1, 8)},
        pam_score=Decimal("55.2"),
    )
    plan = Plan.objects.create(person=person, agreed_on=day)
    goal = Goal.objects.create(plan=plan, in_their_words="Walk Zebedee in the park", importance=8)
    Action.objects.create(goal=goal, description="Buy a lead for Zebedee", who="me")
    Signpost.objects.create(person=person, goal=goal, service=service, method="printed")
    referral = Referral.objects.create(
        person=person,
        direction=Direction.OUTBOUND,
        performer_organization=organisation,
        service=service,
        share_consent=share,
        goal=goal,
        reason="Zebedee needs walking",
    )
    referral.record_start(by=Party.REQUESTER, user=by)
    concern = ConcernFactory(person=person, details="Zebedee left alone for days")
    if closed:
        referral.change_status(Status.CANCELLED, by=Party.REQUESTER, user=by, reason="Moved")
        concern.acknowledge(action_taken="Spoke to Zebedee's vet", by=by)
        concern.close(outcome="No abuse found", by=by)
        concern.save()
    BreakGlass.objects.create(
        user=by, person=person, reason="Covering the duty phone",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )  # fmt: skip
    CaseloadChange.objects.create(
        person=person, team_name="Leigh community team", change="joined",
        reason="Moved to Leigh: their team works with them now", made_by_username=by.username,
    )  # fmt: skip
    # Reached from a worklist: re-identified, one attempt to reach them.
    Reidentification.objects.create(
        user_id=by.pk, username=by.username, purpose="To offer support (the audit of a re-identification is kept)",
        worklist_id=1, entry_id=1, resident_id=424242, person_id=person.pk,
    )  # fmt: skip
    outreach = Outreach.objects.create(
        worklist_id=1, resident_id=424242, person=person, rank=3, reasons=["Lives alone"]
    )
    OutreachAttempt.objects.create(
        outreach=outreach, tried_on=day, method="phone", outcome="no-answer", recorded_by=by
    )
    actions.record_view(person=person, by=by)
    return person
