"""What an organisation's editor changes is what residents then see, and nothing an edit
leaves behind contradicts it."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from tests.factories import accounts as people
from tests.factories import directory as factories
from thedeal.directory import models

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    """Priya edits the listings of Hindley Community Garden, and nothing else."""
    return people.priya()


@pytest.fixture
def yoga(editor):
    """A listing with an itemised price as well as the organisation's words about cost."""
    service = factories.ServiceFactory(
        name="Chair yoga",
        organization=editor.editing.get().organization,
        fees_description="£2.50 per session.",
        email="yoga@example.org",
    )
    models.CostOption.objects.create(
        service=service, option="Per session", currency="GBP", amount=Decimal("2.50")
    )
    return service


def _edit(client, service, **changes):
    fields = ["name", "description", "eligibility_description", "application_process",
              "fees_description", "email", "url"]  # fmt: skip
    data = {name: getattr(service, name) for name in fields} | changes
    return client.post(f"/accounts/listings/{service.pk}/details/", data)


def test_a_new_cost_saved_by_an_editor_is_on_the_public_page_and_in_the_feed(client, editor, yoga):
    client.force_login(editor)
    assert "£2.50" in client.get(f"/services/{yoga.pk}/").content.decode()

    assert _edit(client, yoga, fees_description="£3 per session.").status_code == 302

    page = client.get(f"/services/{yoga.pk}/").content.decode()
    assert "£3 per session." in page and "£2.50" not in page
    feed = client.get(f"/api/directory/services/{yoga.pk}").json()
    assert feed["fees_description"] == "£3 per session."
    assert not feed.get("cost_options")
    # The prices replaced are in the listing's change history.
    assert models.Metadata.objects.filter(
        resource_type="cost_option", last_action_type="delete", previous_value__contains="2.5"
    ).exists()


def test_an_unchanged_cost_keeps_its_itemised_prices(client, editor, yoga):
    client.force_login(editor)

    _edit(client, yoga, description="Gentle yoga, sitting down.")

    assert yoga.cost_options.count() == 1
    assert "Per session: £2.50" in client.get(f"/services/{yoga.pk}/").content.decode()


def test_an_editor_cannot_take_away_a_listings_last_way_of_contact(client, editor, yoga):
    client.force_login(editor)

    response = _edit(client, yoga, email="")

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Keep at least one way to get in touch" in page
    yoga.refresh_from_db()
    assert yoga.email == "yoga@example.org"


def test_an_editor_may_swap_one_way_of_contact_for_another(client, editor, yoga):
    client.force_login(editor)

    response = _edit(client, yoga, email="", url="https://yoga.example.org")

    assert response.status_code == 302
    yoga.refresh_from_db()
    assert (yoga.email, yoga.url) == ("", "https://yoga.example.org")


def test_an_editor_may_clear_the_email_when_the_listing_has_a_phone_number(client, editor, yoga):
    factories.PhoneFactory(service=yoga, number="01942 111 222")
    client.force_login(editor)

    assert _edit(client, yoga, email="").status_code == 302


@pytest.fixture
def directory_officer(client):
    user = User.objects.create_superuser("dana@example.gov.uk", password="a-long-test-password")
    client.force_login(user)
    return user


def test_directory_staff_page_through_every_listing(client, directory_officer):
    for n in range(1, 56):
        factories.ServiceFactory(name=f"Listing {n:03}")

    first = client.get("/accounts/listings/").content.decode()
    assert "Showing 1 to 50 of 55 listings" in first
    assert "Listing 050" in first and "Listing 051" not in first
    assert 'href="?page=2"' in first

    second = client.get("/accounts/listings/", {"page": 2}).content.decode()
    assert "Showing 51 to 55 of 55 listings" in second
    assert "Listing 051" in second and "Listing 050" not in second


def test_directory_staff_search_the_listings_by_name_or_organisation(client, directory_officer):
    factories.ServiceFactory(name="Chair yoga")
    factories.ServiceFactory(
        name="Health walks", organization=factories.OrganizationFactory(name="Wigan Ramblers")
    )
    factories.ServiceFactory(name="Knit and natter")

    by_name = client.get("/accounts/listings/", {"q": "yoga"}).content.decode()
    assert "Chair yoga" in by_name and "Knit and natter" not in by_name
    assert "1 listing matches" in by_name
    by_organisation = client.get("/accounts/listings/", {"q": "ramblers"}).content.decode()
    assert "Health walks" in by_organisation and "Chair yoga" not in by_organisation
    nothing = client.get("/accounts/listings/", {"q": "archery"}).content.decode()
    assert "No listings match" in nothing and "archery" in nothing


def test_staff_find_the_person_to_make_an_editor_by_name_or_email(client, directory_officer):
    User.objects.create_user("priya.shah@example.org", email="priya.shah@example.org")

    form = client.get("/admin/accounts/organisationeditor/add/").content.decode()
    assert 'name="user"' in form and "admin-autocomplete" in form.split('name="user"')[1][:400]

    found = client.get(
        "/admin/autocomplete/",
        {"term": "priya", "app_label": "accounts", "model_name": "organisationeditor",
         "field_name": "user"},
    ).json()  # fmt: skip
    assert [r["text"] for r in found["results"]] == ["priya.shah@example.org"]


def test_each_listing_is_opened_by_its_name(client, editor, yoga):
    # On a phone a last "Edit" column was off the screen: the name itself is the link.
    client.force_login(editor)

    page = client.get("/accounts/listings/").content.decode()

    assert f'<a class="govuk-link" href="/accounts/listings/{yoga.pk}/">{yoga.name}</a>' in page
    assert ">Edit<" not in page
