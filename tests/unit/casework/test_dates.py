"""A GOV.UK date input (day, month and year boxes) gives back exactly the date typed, or one
error saying what is wrong with it, whatever is typed."""

import datetime

from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from thedeal.casework.forms import OLDEST_AGE, DateOfBirthForm

TODAY = timezone.localdate()
PAST = st.dates(min_value=datetime.date(TODAY.year - OLDEST_AGE, 1, 1), max_value=TODAY)


def boxes(day, month, year):
    return {"date_of_birth_day": day, "date_of_birth_month": month, "date_of_birth_year": year}


@given(PAST, st.booleans())
def test_any_past_date_typed_comes_back_as_itself(date, padded):
    day, month = (f"{date.day:02d}", f"{date.month:02d}") if padded else (date.day, date.month)
    form = DateOfBirthForm(boxes(str(day), str(month), f" {date.year} "))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == date


@given(st.text(max_size=5), st.text(max_size=5), st.text(max_size=6))
def test_anything_typed_is_a_date_or_exactly_one_error(day, month, year):
    form = DateOfBirthForm(boxes(day, month, year))
    if form.is_valid():
        date = form.cleaned_data["date_of_birth"]
        assert isinstance(date, datetime.date) and date <= TODAY
    else:
        assert list(form.errors) == ["date_of_birth_day"]
        assert len(form.errors["date_of_birth_day"]) == 1


@given(st.dates(min_value=TODAY + datetime.timedelta(days=1)))
def test_a_date_in_the_future_is_refused(date):
    form = DateOfBirthForm(boxes(str(date.day), str(date.month), str(date.year)))
    assert not form.is_valid()
    assert form.errors["date_of_birth_day"] == ["Date of birth must be today or in the past"]
