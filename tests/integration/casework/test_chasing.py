"""Chasing referrals nobody has answered: after REFERRAL_CHASE_AFTER_WORKING_DAYS working days
(bank holidays and the council's closure days not counted), once in each such period however
often the daily task runs, emailing the organisation's editors and its directory address."""

import datetime
import zoneinfo

import pytest
from django.conf import settings as django_settings

from tests.factories import accounts as personas
from tests.factories.inbox import kofi, organisation_of, sent_referral
from thedeal.casework import inbox_actions
from thedeal.casework.inbox_tasks import chase_unanswered_referrals
from thedeal.casework.lifecycle import Party
from thedeal.casework.models import Referral

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


# Easter 2026: Good Friday 3 April and Easter Monday 6 April are bank holidays.
MAUNDY_THURSDAY = datetime.date(2026, 4, 2)


@pytest.fixture
def priya():
    return personas.priya()


@pytest.fixture
def garden(priya):
    garden = organisation_of(priya)
    garden.email = "hello@hindley-garden.example.org"
    garden.save()
    return garden


@pytest.fixture
def before_easter(garden, settings):
    settings.REFERRAL_CHASE_AFTER_WORKING_DAYS = 5
    settings.COUNCIL_CLOSURE_DAYS = []
    return sent_referral(to=garden, by=personas.ola(), at=at(MAUNDY_THURSDAY, 16))


def chase(day, captured, hour=9):
    with captured(execute=True):
        return inbox_actions.chase_unanswered(now=at(day, hour))


def test_a_referral_sent_before_easter_is_chased_after_five_working_days_not_five_weekdays(
    before_easter, mailoutbox, django_capture_on_commit_callbacks
):
    # Tue 7, Wed 8, Thu 9, Fri 10 April are working days 1 to 4: Good Friday and Easter Monday
    # are not counted, so the fifth is Monday 13 April.
    assert chase(datetime.date(2026, 4, 10), django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []

    assert chase(datetime.date(2026, 4, 13), django_capture_on_commit_callbacks) == 1

    before_easter.refresh_from_db()
    assert before_easter.times_chased == 1
    assert before_easter.last_chased_at == at(datetime.date(2026, 4, 13))
    assert sorted(m.to[0] for m in mailoutbox) == [
        "hello@hindley-garden.example.org",
        "priya@example.org",
    ]
    email = mailoutbox[0]
    assert email.subject == "A referral is waiting for your answer"
    assert "2 April 2026" in email.body and "5 working days" in email.body
    assert "/referrals/" in email.body
    assert before_easter.person.given_name not in email.body + email.subject


def test_chasing_twice_in_a_day_chases_once(
    before_easter, mailoutbox, django_capture_on_commit_callbacks
):
    monday = datetime.date(2026, 4, 13)

    first = chase(monday, django_capture_on_commit_callbacks, hour=9)
    again = chase(monday, django_capture_on_commit_callbacks, hour=9)
    later = chase(monday, django_capture_on_commit_callbacks, hour=17)
    next_day = chase(datetime.date(2026, 4, 14), django_capture_on_commit_callbacks)

    assert (first, again, later, next_day) == (1, 0, 0, 0)
    assert Referral.objects.get(pk=before_easter.pk).times_chased == 1
    assert len(mailoutbox) == 2  # Priya and the organisation's address, once each


def test_a_referral_is_chased_again_in_each_new_period(
    before_easter, mailoutbox, django_capture_on_commit_callbacks
):
    # 10 working days from Maundy Thursday: Monday 20 April.
    chase(datetime.date(2026, 4, 13), django_capture_on_commit_callbacks)
    assert chase(datetime.date(2026, 4, 17), django_capture_on_commit_callbacks) == 0

    assert chase(datetime.date(2026, 4, 20), django_capture_on_commit_callbacks) == 1

    assert Referral.objects.get(pk=before_easter.pk).times_chased == 2
    assert len(mailoutbox) == 4


def test_the_councils_closure_days_are_not_counted(
    before_easter, settings, django_capture_on_commit_callbacks
):
    settings.COUNCIL_CLOSURE_DAYS = [datetime.date(2026, 4, 9)]

    assert chase(datetime.date(2026, 4, 13), django_capture_on_commit_callbacks) == 0
    assert chase(datetime.date(2026, 4, 14), django_capture_on_commit_callbacks) == 1


def test_the_number_of_working_days_is_a_setting(
    before_easter, settings, django_capture_on_commit_callbacks
):
    settings.REFERRAL_CHASE_AFTER_WORKING_DAYS = 2

    assert chase(datetime.date(2026, 4, 8), django_capture_on_commit_callbacks) == 1


def test_an_answered_referral_is_never_chased(
    before_easter, priya, mailoutbox, django_capture_on_commit_callbacks
):
    before_easter.change_status("accepted", by=Party.TARGET, user=priya)

    assert chase(datetime.date(2026, 5, 29), django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_each_organisation_hears_only_of_its_own_referrals(
    before_easter, mailoutbox, django_capture_on_commit_callbacks
):
    shed = organisation_of(kofi())
    sent_referral(to=shed, by=personas.UserFactory(), at=at(datetime.date(2026, 4, 13)))

    chase(datetime.date(2026, 4, 13), django_capture_on_commit_callbacks)

    assert "kofi@example.org" not in [m.to[0] for m in mailoutbox]


def test_the_chase_is_a_daily_scheduled_task(before_easter):
    tasks = [job["task"] for job in django_settings.PERIODIC_TASKS]

    assert "thedeal.casework.inbox_tasks.chase_unanswered_referrals" in tasks
    # Run today (long after Easter 2026), the referral is chased once, then not again.
    assert chase_unanswered_referrals.call() == 1
    assert chase_unanswered_referrals.call() == 0
