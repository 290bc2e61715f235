""" "Our part" does not mislead: statuses come from a trend, "met" needs the whole interval,
and the chart's key says why each year is missing."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from thedeal.deal import demo
from thedeal.deal.models import Commitment, Measurement

pytestmark = pytest.mark.django_db


@pytest.fixture
def the_deal():
    demo.load(seed=1)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_one_years_rise_in_smoking_is_not_called_getting_worse(client, the_deal):
    our_part = client.get("/deal/our-part/").content.decode()
    card = our_part.split('class="govuk-summary-card"')[1]  # the first commitment's
    page = client.get("/deal/our-part/fewer-adults-smoke/").content.decode()
    for html in (card, page):
        assert "Fewer adults smoke" in html
        assert "Getting worse" not in html and "Getting better" in html


def test_the_commitment_page_says_how_the_status_was_judged(client, the_deal):
    words = text(client.get("/deal/our-part/fewer-adults-smoke/").content.decode())
    assert "last five figures (2014 to 2022)" in words
    assert "publishes no confidence intervals" in words


def test_a_figure_whose_interval_crosses_the_target_is_not_met(client):
    lonely = Commitment.objects.create(
        slug="fewer-lonely", title="Fewer people feel lonely", owner="Us", indicator="Lonely",
        unit="%", direction="lower", target=5.0, target_year=2027,
    )  # fmt: skip
    Measurement.objects.create(commitment=lonely, year=2024, value=4.9, lower=3.8, upper=6.2)

    for page in ("/deal/our-part/", "/deal/our-part/fewer-lonely/"):
        words = text(client.get(page).content.decode())
        assert "Target met" not in words, page
        assert "Cannot tell yet" in words, page
    assert "3.8 to 6.2" in words


def test_statuses_are_tags(client, the_deal):
    html = client.get("/deal/our-part/").content.decode()
    assert re.search(r'<strong class="govuk-tag[^"]*">\s*Getting better\s*</strong>', html)


def test_the_key_says_which_years_had_no_figure_and_which_were_too_small(client, the_deal):
    words = text(client.get("/deal/our-part/fewer-adults-smoke/").content.decode())
    assert "too small to publish" not in words
    assert "No figure was published for 2011, 2013, 2015 to 2017 and 2019" in words

    commitment = Commitment.objects.create(
        slug="small", title="Small", owner="Us", indicator="Quit", unit="%", direction="higher"
    )
    Measurement.objects.create(commitment=commitment, year=2023, numerator=5, denominator=20)
    Measurement.objects.create(commitment=commitment, year=2024, numerator=12, denominator=30)
    words = text(client.get("/deal/our-part/small/").content.decode())
    assert "2023: too few people to publish" in words and "No figure was published" not in words


def test_pledges_named_mid_sentence_keep_their_capitals(client, the_deal):
    words = text(client.get("/deal/").content.decode())
    assert "register with a GP and go for check-ups" in words
    assert "register with a gp" not in words


@pytest.mark.parametrize(
    ("lower", "upper"),
    [(5.0, 6.0), (3.0, 4.0), (6.2, 3.8), (3.8, None), (None, 6.2)],
)
def test_a_published_interval_must_hold_its_figure(lower, upper):
    commitment = Commitment.objects.create(
        slug="c", title="C", owner="Us", indicator="I", unit="%", direction="lower"
    )
    figure = Measurement(commitment=commitment, year=2024, value=4.9, lower=lower, upper=upper)

    with pytest.raises(ValidationError, match="lower limit"):
        figure.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        figure.save()
