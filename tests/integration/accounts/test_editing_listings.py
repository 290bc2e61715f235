"""What an organisation's editor changes is what residents then see, and nothing an edit
leaves behind contradicts it."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User

from tests.factories import directory as factories
from thedeal.accounts.models import OrganisationEditor, Role
from thedeal.directory import models

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    """Priya edits the listings of Hindley Community Garden, and nothing else."""
    user = User.objects.create_user("priya@example.org", password="correct horse battery staple")
    user.groups.add(Group.objects.get(name=Role.EDITOR))
    garden = factories.OrganizationFactory(name="Hindley Community Garden")
    OrganisationEditor.objects.create(user=user, organization=garden)
    return user


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
    return client.post(f"/accounts/listings/{service.pk}/", data)


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
