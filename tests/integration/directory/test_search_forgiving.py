"""Search forgives what residents type: word forms, synonyms and compounds staff keep, and a
"did you mean" that only suggests. On both databases (CI runs this file on each)."""

import csv
import re
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from tests.factories.directory import ServiceFactory
from thedeal.directory import search
from thedeal.directory.models import SearchSynonym

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
QUERIES = ROOT / "benchmarks" / "search_queries.csv"
SHIPPED = ROOT / "thedeal" / "directory" / "data" / "search_synonyms.csv"
API = "/api/directory"


def resident_search(client, q: str, **filters):
    return client.get("/services/", {"q": q, **filters})


def found_ids(response) -> list[str]:
    return re.findall(r'<h2 class="govuk-heading-m"><a class="govuk-link" href="/services/'
                      r'([0-9a-f-]{36})/"', response.content.decode())  # fmt: skip


def count_shown(response) -> int:
    return int(re.search(r'id="results-count"[^>]*>(\d+) result', response.content.decode())[1])


def suggested(response) -> str | None:
    found = re.search(r'id="did-you-mean">Did you mean <a class="govuk-link" href="[^"]*">'
                      r"([^<]+)</a>", response.content.decode())  # fmt: skip
    return found[1] if found else None


def feed(client, q: str, **params) -> dict:
    response = client.get(f"{API}/services", {"search": q, "per_page": 10, **params})
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def directory_officer(client):
    user = get_user_model().objects.create_superuser(
        "dana", "dana.officer@example.gov.uk", "a-long-test-password"
    )
    client.force_login(user)
    return user


# --- What a resident notices, on the demo borough -------------------------------------------


@pytest.mark.usefixtures("demo_borough")
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


# --- Staff keep the list ----------------------------------------------------------------------


def test_a_synonym_staff_add_is_searched_at_once_and_stops_when_removed(client, directory_officer):
    ServiceFactory(name="Zumba in the park", description="Dance to Latin music, outdoors.")
    assert search.count("salsa") == 0

    client.post("/admin/directory/searchsynonym/add/",
                {"term": "Salsa", "alternatives": "zumba, latin dance"})  # fmt: skip
    assert search.count("salsa") == 1

    entry = SearchSynonym.objects.get(term="salsa")
    client.post(f"/admin/directory/searchsynonym/{entry.pk}/change/",
                {"term": "salsa", "alternatives": "latin dance"})  # fmt: skip
    assert search.count("salsa") == 0

    client.post(f"/admin/directory/searchsynonym/{entry.pk}/delete/", {"post": "yes"})
    assert not SearchSynonym.objects.filter(term="salsa").exists()
    assert search.count("salsa") == 0


def test_a_listing_edit_changes_the_words_did_you_mean_knows(client):
    # Twice at least: a word a single listing uses may be a typing slip of its own.
    potters = ServiceFactory.create_batch(2, name="Pottery class")
    assert suggested(resident_search(client, "potery")) == "pottery"

    for service in potters:
        service.name = "Archery club"
        service.save()

    assert suggested(resident_search(client, "potery")) != "pottery"
    assert suggested(resident_search(client, "archry")) == "archery"


def test_each_edit_is_in_the_entrys_history_with_who_made_it(client, directory_officer):
    client.post("/admin/directory/searchsynonym/add/",
                {"term": "zumba", "alternatives": "dance"})  # fmt: skip
    entry = SearchSynonym.objects.get(term="zumba")
    client.post(f"/admin/directory/searchsynonym/{entry.pk}/change/",
                {"term": "zumba", "alternatives": "dance, latin dance"})  # fmt: skip

    entry.refresh_from_db()
    history = client.get(f"/admin/directory/searchsynonym/{entry.pk}/history/").content.decode()
    assert entry.updated_by == "dana.officer@example.gov.uk"
    assert LogEntry.objects.filter(object_id=str(entry.pk)).count() == 2
    assert "Changed Also find." in history


@pytest.mark.parametrize(
    ("term", "alternatives", "field", "message"),
    [
        ("", "lonely", "term", "Enter the word or phrase residents type"),
        ("!!!", "lonely", "term", "Enter the word or phrase residents type"),
        ("sadness", "", "alternatives", "Enter at least one word or phrase to also find"),
        ("sad", "low mood,, depression", "alternatives", "An alternative is empty"),
        ("sad", "low mood, Low  Mood", "alternatives", "“low mood” is listed twice"),
        ("sad", "sad, low mood", "alternatives", "“sad” is the word itself"),
        ("sad", ", ".join(f"w{i}" for i in range(11)), "alternatives", "10 alternatives or fewer"),
        ("a b c d e", "lonely", "term", "4 words or fewer"),
        ("sad", "one two three four five", "alternatives", "“one two three four five” is too long"),
    ],
)
def test_an_entry_search_could_not_use_is_refused_saying_why(
    client, directory_officer, term, alternatives, field, message
):
    response = client.post("/admin/directory/searchsynonym/add/",
                           {"term": term, "alternatives": alternatives})  # fmt: skip

    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors[field])
    assert not SearchSynonym.objects.filter(term=term.lower()).exists()


def test_a_second_entry_for_the_same_words_is_refused(client, directory_officer):
    response = client.post("/admin/directory/searchsynonym/add/",
                           {"term": "  FoodBank ", "alternatives": "pantry"})  # fmt: skip

    errors = response.context["adminform"].form.errors["term"]
    assert "“foodbank” already has an entry: add to that one instead" in errors


def test_an_entry_is_kept_in_search_form(directory_officer):
    entry = SearchSynonym(term=" Walking  Football! ", alternatives=" Football,Walking sport , ")

    entry.full_clean()

    assert (entry.term, entry.alternatives) == ("walking football", "football, walking sport")


def test_the_shipped_list_keeps_its_own_rules():
    with SHIPPED.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    shipped = {e.term: e for e in SearchSynonym.objects.all()}

    assert len(shipped) == len(rows)
    for row in rows:
        entry = shipped[row["term"]]
        entry.full_clean()  # raises ValidationError if the list breaks a rule
        assert (entry.term, entry.alternatives) == (row["term"], row["alternatives"])


def test_expansion_is_one_level_so_chains_cannot_grow_a_search():
    SearchSynonym.objects.create(term="aaa", alternatives="bbb")
    SearchSynonym.objects.create(term="bbb", alternatives="ccc")
    ServiceFactory(name="Ccc club")
    ServiceFactory(name="Bbb club")

    assert search.count("aaa") == 1
    assert search.count("bbb") == 2


def test_a_broken_entry_saved_around_the_form_is_still_refused():
    entry = SearchSynonym(term="sad", alternatives="")

    with pytest.raises(ValidationError):
        entry.full_clean()
