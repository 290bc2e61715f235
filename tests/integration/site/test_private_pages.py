"""Pages that show a resident's or a member of staff's own data are never kept by a browser or a
proxy (Cache-Control: no-store), so the next person at a shared computer cannot bring them back."""

import pytest
from django.contrib.auth.models import Group, User

from thedeal.accounts.models import Role
from thedeal.deal import actions, demo
from thedeal.deal.models import PledgeType

pytestmark = pytest.mark.django_db


def assert_not_stored(response) -> None:
    assert response.status_code in (200, 302), response.status_code
    assert "no-store" in response.get("Cache-Control", ""), response.get("Cache-Control")


@pytest.fixture
def pledge_link():
    demo.load(seed=1)
    pledge, token = actions.make_pledge(pledge_type=PledgeType.objects.get(slug="keep-active"))
    return pledge, f"/deal/pledges/{token}/"


@pytest.mark.parametrize("suffix", ["", "delete/"])
def test_a_pledge_through_its_private_link_is_not_stored(client, pledge_link, suffix):
    _, link = pledge_link
    assert_not_stored(client.get(f"{link}{suffix}"))


def test_a_pledge_through_a_reminders_signed_link_is_not_stored(client, pledge_link):
    pledge, _ = pledge_link
    assert_not_stored(client.get(f"/deal/pledges/{actions.signed_link_key(pledge)}/"))


def test_checking_in_withdrawing_and_deleting_are_not_stored(client, pledge_link):
    _, link = pledge_link
    assert_not_stored(client.post(link, {"progress": "well"}))
    assert_not_stored(client.post(f"{link}withdraw/"))
    assert_not_stored(client.post(f"{link}delete/"))


def test_the_page_showing_a_new_private_link_is_not_stored(client):
    demo.load(seed=1)
    client.post("/deal/your-part/keep-active/", {})
    assert_not_stored(client.get("/deal/your-part/made/"))


@pytest.mark.parametrize(
    "path",
    [
        "/deal/your-part/mine/",
        "/accounts/delete/",
        "/accounts/password/",
        "/accounts/two-factor/set-up/",
        "/accounts/listings/",
    ],
)
def test_account_pages_are_not_stored(client, path):
    user = User.objects.create_user("sam@example.org", password="correct horse battery staple")
    user.groups.add(Group.objects.get(name=Role.EDITOR))
    client.force_login(user)
    assert_not_stored(client.get(path))


@pytest.mark.parametrize(
    "path", ["/accounts/sign-in/", "/accounts/register/", "/accounts/password/reset/"]
)
def test_account_forms_are_not_stored(client, path):
    assert_not_stored(client.get(path))
