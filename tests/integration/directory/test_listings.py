"""Search results read listings the quick way; they must say what the service's page says."""

import pytest

from thedeal import geography
from thedeal.directory.listings import listings
from thedeal.directory.models import Service

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def shown(listing):
    return (
        listing.service.pk,
        listing.service.name,
        listing.service.organization.name if listing.service.organization else None,
        listing.last_checked,
        [(p.location.pk, p.address, p.distance) for p in listing.places],
        listing.opening_times,
        listing.costs,
        listing.accessibility,
    )


def test_brief_listings_match_full_ones_across_a_borough(demo_borough):
    ids = list(Service.objects.order_by("name").values_list("pk", flat=True)[:120])
    near = geography.lookup_postcode("WN1 1AA")
    brief = listings(ids, near=near, brief=True)
    full = listings(ids, near=near)
    assert [shown(b) for b in brief] == [shown(f) for f in full]
    assert any(b.opening_times for b in brief) and any(b.costs for b in brief)
