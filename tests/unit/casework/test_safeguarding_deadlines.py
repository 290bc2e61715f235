"""When the safeguarding lead must have acknowledged a concern: within the hour when someone is
at risk now, by the end of the day for "today" (weekends and bank holidays included), and by
the end of the third working day for "within 3 working days"."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thedeal.casework.models import Urgency, acknowledge_by
from thedeal.casework.working_days import is_working_day, working_days_between

LONDON = ZoneInfo("Europe/London")


def at(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("urgency", "raised", "deadline"),
    [
        ("immediately", at(2026, 12, 24, 16, 30), at(2026, 12, 24, 17, 30)),
        # "Today" is today, even on Christmas Day.
        ("today", at(2026, 12, 25, 9, 0), at(2026, 12, 25, 23, 59, 59, 999999)),
        # Thursday 24 December 2026: Christmas (Friday) and Boxing Day's substitute (Monday 28)
        # are not working days, so the third is Thursday 31 December.
        ("3-working-days", at(2026, 12, 24, 10, 0), at(2026, 12, 31, 23, 59, 59, 999999)),
        # Raised on a Saturday: Monday, Tuesday, Wednesday.
        ("3-working-days", at(2026, 3, 7, 10, 0), at(2026, 3, 11, 23, 59, 59, 999999)),
    ],
)
def test_the_deadline_follows_the_urgency(urgency, raised, deadline):
    assert acknowledge_by(urgency, raised) == deadline


def test_an_unknown_urgency_is_refused():
    with pytest.raises(ValueError, match="Unknown urgency"):
        acknowledge_by("whenever", at(2026, 3, 2, 9, 0))


@given(
    raised=st.datetimes(
        min_value=datetime.datetime(2013, 1, 1),
        max_value=datetime.datetime(2040, 12, 31),
        timezones=st.just(LONDON),
    ),
    urgency=st.sampled_from(list(Urgency)),
)
def test_every_deadline_is_after_the_concern_was_raised(raised, urgency):
    deadline = acknowledge_by(urgency, raised)
    assert deadline >= raised
    if urgency == Urgency.THREE_WORKING_DAYS:
        day = deadline.astimezone(LONDON).date()
        assert is_working_day(day)
        assert working_days_between(raised.astimezone(LONDON).date(), day) == 3
