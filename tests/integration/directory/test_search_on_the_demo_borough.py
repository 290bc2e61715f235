"""Search forgives what residents type, on the demo borough as a resident and a harvester meet
it: on both databases (CI runs this file on each). The rules behind it are in
test_search_forgiving.py and tests/unit/directory/test_vocabulary.py."""

import csv
from pathlib import Path

import pytest

from .test_search_forgiving import count_shown, feed, found_ids, resident_search, suggested

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_borough")]

QUERIES = Path(__file__).resolve().parents[3] / "benchmarks" / "search_queries.csv"
API = "/api/directory"


class TestOnTheDemoBorough:
    def test_loneliness_finds_befriending(self, client):
        found = resident_search(client, "loneliness")

        assert count_shown(found) >= count_shown(resident_search(client, "befriending")) > 0
        assert "Befriending" in found.content.decode()

    def test_foodbank_finds_the_food_banks(self, client):
        assert count_shown(resident_search(client, "foodbank")) == count_shown(
            resident_search(client, "food bank")
        ) > 0  # fmt: skip

    def test_a_misspelling_suggests_the_word_and_searches_what_was_typed(self, client):
        page = resident_search(client, "lonliness")

        assert suggested(page) == "loneliness"
        assert count_shown(page) == 0
        assert 'href="?q=loneliness"' in page.content.decode()

    def test_the_suggestion_keeps_the_other_filters(self, client):
        page = resident_search(client, "walkng", age="30")

        assert suggested(page) == "walking"
        assert 'href="?q=walking&amp;age=30"' in page.content.decode()

    def test_nonsense_finds_nothing_and_suggests_nothing(self, client):
        page = resident_search(client, "xqzvbn")

        assert count_shown(page) == 0 and suggested(page) is None
        assert feed(client, "xqzvbn")["total_items"] == 0

    def test_a_word_spelt_right_gets_no_suggestion(self, client):
        assert suggested(resident_search(client, "walking")) is None

    def test_did_you_mean_never_changes_what_the_feed_returns(self, client):
        for typo, word in (("lonliness", "loneliness"), ("walkng", "walking")):
            assert feed(client, typo)["total_items"] == 0
            assert feed(client, word)["total_items"] > 0

    def test_the_feed_finds_what_the_site_finds_for_every_measured_query(self, client):
        with QUERIES.open(newline="") as f:
            queries = [row["query"] for row in csv.DictReader(f)]
        differ = {}
        for q in queries:
            site = resident_search(client, q)
            body = feed(client, q)
            site_found = (count_shown(site), found_ids(site))
            feed_found = (body["total_items"], [s["id"] for s in body["contents"]])
            if site_found != feed_found:
                differ[q] = (site_found, feed_found)
        assert len(queries) >= 40
        assert not differ

    def test_places_in_the_feed_find_the_same_services(self, client):
        services = feed(client, "loneliness", per_page=200)
        at_places = client.get(
            f"{API}/service_at_locations", {"search": "loneliness", "per_page": 200}
        ).json()

        assert {s["service"]["id"] for s in at_places["contents"]} <= {
            s["id"] for s in services["contents"]
        }
        assert at_places["total_items"] > 0
