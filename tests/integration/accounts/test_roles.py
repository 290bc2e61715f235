"""Each role, once signed in: where it lands, what the header and footer say, and that no page
it is shown links to a page it cannot open."""

import html
import re

import pytest

from tests.factories import accounts as people
from tests.factories import directory as factories
from tests.factories.accounts import PASSWORD
from thedeal.deal import actions, demo
from thedeal.deal.models import PledgeType

pytestmark = pytest.mark.django_db


def sign_in(client, username, next_page=None):
    data = {"username": username, "password": PASSWORD}
    if next_page is not None:
        data["next"] = next_page
    return client.post("/accounts/sign-in/", data)


@pytest.mark.parametrize(
    ("persona", "lands_on"),
    [
        (people.sam, "/deal/your-part/mine/"),  # a resident: their pledges
        (people.priya, "/accounts/listings/"),  # an organisation's editor: their listings
        (people.dana, "/admin/"),  # directory staff: the admin
        (people.ola, "/casework/"),  # a practitioner: finding a person
    ],
)
def test_each_role_lands_where_its_work_is(client, persona, lands_on):
    user = persona()
    response = sign_in(client, user.username)
    assert response.status_code == 302 and response["Location"] == lands_on
    assert client.get(lands_on).status_code == 200


def test_a_practitioner_who_may_also_open_the_admin_lands_on_their_people(client):
    user = people.ola()
    user.is_staff = True
    user.save()

    assert sign_in(client, user.username)["Location"] == "/casework/"


def test_a_safe_next_page_wins_over_the_landing_page(client):
    people.sam()
    assert sign_in(client, "sam@example.org", "/deal/our-part/")["Location"] == "/deal/our-part/"
    client.logout()
    elsewhere = sign_in(client, "sam@example.org", "https://example.com/phish/")
    assert elsewhere["Location"] == "/deal/your-part/mine/"


def test_signing_in_again_while_signed_in_goes_to_the_landing_page(client):
    client.force_login(people.priya())
    assert client.get("/accounts/sign-in/")["Location"] == "/accounts/listings/"


SIGN_OUT_BUTTON = re.compile(
    r'<form method="post" action="/accounts/sign-out/" novalidate>'
    r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">'
    r'<button type="submit"[^>]*>Sign out</button></form>'
)


@pytest.mark.parametrize("path", ["/", "/services/", "/deal/your-part/", "/accounts/", "/privacy/"])
def test_every_page_shows_who_is_signed_in_and_a_sign_out_button(client, path):
    client.force_login(people.sam())
    page = client.get(path).content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    assert "sam@example.org" in header and 'href="/accounts/"' in header
    assert SIGN_OUT_BUTTON.search(header)
    assert "Your account</a>" in page[page.index("<footer") :]
    assert "Sign in" not in page[page.index("<footer") :]


def test_signing_out_is_a_button_that_works_without_javascript(client):
    client.force_login(people.sam())
    assert client.post("/accounts/sign-out/")["Location"] == "/"
    page = client.get("/").content.decode()
    assert "sam@example.org" not in page and "Sign out" not in page
    footer = page[page.index("<footer") :]
    assert (
        '<a class="govuk-footer__link" href="/accounts/sign-in/">Sign in or create an account</a>'
        in footer
    )


def test_staff_who_edit_no_organisation_are_not_offered_to_suggest_a_listing(client):
    client.force_login(people.dana())
    assert "Suggest a new listing" not in client.get("/accounts/listings/").content.decode()
    client.force_login(people.priya())
    page = client.get("/accounts/listings/").content.decode()
    assert 'href="/accounts/listings/new/"' in page
    assert client.get("/accounts/listings/new/").status_code == 200


# Pages that are the role's own (its account, listings and pledges): every link on them is
# followed; a link elsewhere (the directory, the admin) is opened but not followed further.
OWN_PAGES = ("/accounts/", "/deal/your-part/mine/", "/deal/pledges/")
HREF = re.compile(r'href="(/[^"#]*)"')


def links_on(page: str) -> set[str]:
    return {html.unescape(h) for h in HREF.findall(page) if not h.startswith("/static/")}


def open_every_link(client, start: list[str], *, limit: int = 80) -> dict[str, int]:
    """Each page reached from `start` through the role's own pages, and what it answered."""
    answered: dict[str, int] = {}
    queue = list(start)
    while queue and len(answered) < limit:
        url = queue.pop(0)
        if url in answered:
            continue
        response = client.get(url)
        answered[url] = response.status_code
        own = url == "/" or url.startswith(OWN_PAGES)
        if own and response.status_code == 200 and "text/html" in response["Content-Type"]:
            queue += sorted(links_on(response.content.decode()) - answered.keys())
    return answered


@pytest.fixture
def borough_with_work():
    """Pledges to keep, a listing to keep up to date."""
    demo.load(seed=1)
    return PledgeType.objects.get(slug="keep-active")


@pytest.mark.parametrize("persona", [None, people.sam, people.priya, people.dana, people.ola])
def test_no_page_links_to_a_page_its_reader_cannot_open(client, borough_with_work, persona):
    start = ["/", "/accounts/sign-in/", "/accounts/register/"]
    if persona is not None:
        user = persona()
        actions.make_pledge(pledge_type=borough_with_work, user=user)
        withdrawn, _ = actions.make_pledge(pledge_type=borough_with_work, user=user)
        actions.withdraw(withdrawn)
        for organisation in user.editing.values_list("organization", flat=True):
            factories.ServiceFactory(organization_id=organisation, name="Garden volunteering")
        start = [sign_in(client, user.username)["Location"], "/accounts/", "/"]

    answered = open_every_link(client, start)

    broken = {url: status for url, status in answered.items() if status != 200}
    assert not broken, broken
    assert len(answered) > 5  # the crawl did go somewhere


@pytest.mark.parametrize(("persona", "sees_people"),
                         [(people.ola, True), (people.dana, True), (people.sam, False),
                          (people.priya, False)])  # fmt: skip
def test_only_those_who_do_casework_see_people_in_the_navigation(client, persona, sees_people):
    client.force_login(persona())

    page = re.sub(r"\s+", " ", client.get("/").content.decode())

    assert ('href="/casework/"> People </a>' in page) is sees_people
