"""A pledge's "What helps": what is nearest to the resident first, when they gave a postcode."""

import re

import pytest

from tests.factories import directory as factories
from thedeal import geography
from thedeal.deal import actions, demo
from thedeal.deal.models import PledgeType
from thedeal.directory import models

pytestmark = pytest.mark.django_db

WIGAN_PIER = (357900, 405300)  # WN3 4EU's neighbourhood, on the National Grid
LEIGH = (366000, 400000)


def titles(html) -> list[str]:
    return re.findall(r'<h2 class="govuk-heading-m"><a class="govuk-link" href="[^"]+">([^<]+)',
                      html)  # fmt: skip


@pytest.fixture
def activities():
    """Five activities far from the pier, named A to E, and one at the pier, named last."""
    demo.load(seed=1)
    term = factories.TaxonomyTermFactory(code="physical-activity", name="Physical activity")
    for name in ("Aerobics", "Badminton", "Cycling", "Dance", "Exercise class"):
        sal = factories.ServiceAtLocationFactory(
            service=factories.ServiceFactory(name=f"{name} in Leigh"),
            location=factories.LocationFactory(easting=LEIGH[0], northing=LEIGH[1]),
        )
        factories.AttributeFactory(link_id=sal.service.pk, taxonomy_term=term)
    sal = factories.ServiceAtLocationFactory(
        service=factories.ServiceFactory(name="Zumba at the pier"),
        location=factories.LocationFactory(easting=WIGAN_PIER[0], northing=WIGAN_PIER[1]),
    )
    factories.AttributeFactory(link_id=sal.service.pk, taxonomy_term=term)
    models.Location.objects.refresh_service_counts()


def test_a_pledge_with_a_postcode_shows_what_helps_nearest_first(client, activities):
    _, token = actions.make_pledge(
        pledge_type=PledgeType.objects.get(slug="keep-active"),
        place=geography.lookup_postcode("WN3 4EU"),
    )

    shown = titles(client.get(f"/deal/pledges/{token}/").content.decode())

    assert shown[0] == "Zumba at the pier"


def test_a_pledge_without_a_postcode_still_shows_what_helps(client, activities):
    _, token = actions.make_pledge(pledge_type=PledgeType.objects.get(slug="keep-active"))

    shown = titles(client.get(f"/deal/pledges/{token}/").content.decode())

    assert len(shown) == 3
