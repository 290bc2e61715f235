"""The helpers that keep a list of fifty lines quick (thedeal/web/links.py, `|short_date`) write
exactly what Django's reverse() and `|date:"j M Y"` write."""

import datetime
import uuid

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse

from thedeal.web.links import Links


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load dates %}" + source).render(context)


@pytest.mark.parametrize(
    "day",
    [datetime.date(2026, 1, 1), datetime.date(2026, 9, 30), datetime.date(2028, 2, 29)],
)
def test_a_day_is_written_as_the_date_filter_writes_it(day):
    assert render("{{ day|short_date }}", day=day) == render('{{ day|date:"j M Y" }}', day=day)
    assert render("{{ day|short_date }}", day=day) == f"{day.day} {day:%b} {day.year}"


def test_a_time_is_written_as_its_day_in_the_councils_time_zone():
    # Half past eleven at night in UTC is already the next day in London's summer time.
    late = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    assert render("{{ at|short_date }}", at=late) == "1 Jul 2026"
    assert render("{{ at|short_date }}", at=late) == render('{{ at|date:"j M Y" }}', at=late)
    winter = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    assert render("{{ at|short_date }}", at=winter) == "31 Dec 2026"


def test_no_date_is_left_for_default_to_fill():
    assert render('{{ day|short_date|default:"None yet" }}', day=None) == "None yet"


def test_a_lists_links_are_the_ones_reverse_gives():
    people = Links("casework:person")
    assert people.to("ECAMD9WX") == reverse("casework:person", args=["ECAMD9WX"])
    referrals = Links("inbox:referral", stand_in=uuid.UUID(int=0))
    fhir_id = uuid.uuid4()
    assert referrals.to(fhir_id) == reverse("inbox:referral", args=[fhir_id])


def test_a_value_a_url_would_not_take_is_refused_as_reverse_refuses_it():
    with pytest.raises(NoReverseMatch):
        Links("casework:person").to("not a reference")


def test_a_stand_in_the_urls_pattern_refuses_is_refused():
    with pytest.raises(NoReverseMatch):
        Links("inbox:referral")  # a <uuid:...> needs a UUID to stand in
