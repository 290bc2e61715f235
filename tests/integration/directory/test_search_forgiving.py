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


# --- Staff keep the list ----------------------------------------------------------------------


def test_a_synonym_staff_add_is_searched_at_once_and_stops_when_removed(client, directory_officer):
    ServiceFactory(name="Zumba in the park", description="Dance to lively music, outdoors.")
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
