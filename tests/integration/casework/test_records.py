"""The records a practitioner keeps about their work with a person: a referral's status moves
only along the lifecycle and every move is kept; measures keep answers and score them; a person
has one open plan at a time."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories.accounts import ola
from tests.factories.casework import PersonFactory
from tests.factories.directory import ServiceFactory
from thedeal.casework.lifecycle import Party, Status, TransitionRefused
from thedeal.casework.models import Direction, Plan, Referral, WellbeingMeasure

pytestmark = pytest.mark.django_db


def _referral(**kwargs):
    service = ServiceFactory()
    referral = Referral.objects.create(
        person=kwargs.pop("person", None) or PersonFactory(),
        direction=Direction.OUTBOUND,
        performer_organization=service.organization,
        service=service,
        **kwargs,
    )
    referral.record_start(by=Party.REQUESTER)
    return referral


def test_a_referral_moves_along_the_lifecycle_and_keeps_every_change():
    referral = _referral()
    worker = ola()
    referral.change_status(Status.ACCEPTED, by=Party.TARGET, user=worker)
    referral.change_status(Status.FAILED, by=Party.TARGET, reason="Did not attend twice")
    referral.refresh_from_db()

    assert referral.status == "failed"
    assert referral.is_closed and referral.closed_at is not None
    assert referral.answered_at is not None
    assert [(c.from_status, c.to_status, c.by_party) for c in referral.changes.all()] == [
        ("", "requested", "requester"),
        ("requested", "accepted", "target"),
        ("accepted", "failed", "target"),
    ]
    assert referral.changes.get(to_status="accepted").by_user == worker


def test_a_change_the_lifecycle_does_not_have_is_refused_and_nothing_is_written():
    referral = _referral()
    with pytest.raises(TransitionRefused, match="only the organisation"):
        referral.change_status(Status.ACCEPTED, by=Party.REQUESTER)
    with pytest.raises(TransitionRefused, match="without a reason"):
        referral.change_status(Status.REJECTED, by=Party.TARGET)
    referral.refresh_from_db()
    assert referral.status == "requested"
    assert referral.changes.count() == 1


def test_an_outbound_referral_names_the_organisation_it_is_sent_to():
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(person=PersonFactory(), direction=Direction.OUTBOUND)
    inbound = Referral.objects.create(person=PersonFactory(), direction=Direction.INBOUND)
    assert inbound.performer_organization is None  # the link workers' triage queue


def test_measures_keep_answers_and_score_them():
    measure = WellbeingMeasure.objects.create(
        person=PersonFactory(),
        taken_on=datetime.date(2026, 3, 1),
        occasion="first-contact",
        life_satisfaction=4,
        anxiety=7,
        **{f"swemwbs_{n}": 3 for n in range(1, 8)},
        pam_score=Decimal("55.2"),
    )
    assert measure.swemwbs().raw_total == 21
    assert measure.ons4().score_for("anxiety").score == 7
    assert measure.ons4().score_for("worthwhile") is None
    assert measure.pam_level().level == 3


def test_swemwbs_is_kept_with_all_seven_answers_or_none():
    with pytest.raises(IntegrityError), transaction.atomic():
        WellbeingMeasure.objects.create(
            person=PersonFactory(),
            taken_on=datetime.date(2026, 3, 1),
            occasion="review",
            swemwbs_1=3,
        )


def test_a_measure_with_no_answers_is_refused():
    measure = WellbeingMeasure(
        person=PersonFactory(), taken_on=datetime.date(2026, 3, 1), occasion="review"
    )
    with pytest.raises(ValidationError, match="at least one measure"):
        measure.full_clean()


def test_a_person_has_one_open_plan_at_a_time():
    person = PersonFactory()
    Plan.objects.create(person=person, agreed_on=datetime.date(2026, 1, 5))
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(person=person, agreed_on=datetime.date(2026, 2, 5))
    Plan.objects.filter(person=person).update(closed_on=datetime.date(2026, 2, 1))
    Plan.objects.create(person=person, agreed_on=datetime.date(2026, 2, 5))
    assert person.plans.count() == 2
