"""No page scrolls sideways at 320 px wide (WCAG 2.2 1.4.10 Reflow): every page of the
accessibility crawl, the pages reached by sending a form among them, with JavaScript on and off.

320 CSS pixels is what a 1280 px screen shows at 400% zoom, and the width of the smallest phones
still in use. A page that is wider than that makes a resident scroll sideways to read each line.
"""

import pytest

from thedeal.deal import actions
from thedeal.deal.models import PledgeType
from thedeal.directory.models import Service

from .conftest import page_of_width
from .test_accessibility import after_submitting, pages, signed_in_pages

pytestmark = [pytest.mark.once, pytest.mark.slow]

# Measured in the page: how wide the document is against the window, and the outermost elements
# that reach past the window's right edge (the ones to fix), each named by tag, id and classes.
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    [...el.classList].map((c) => "." + c).join("");
  const past = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1;
  };
  const wide = [...document.body.querySelectorAll("*")]
    .filter((el) => past(el) && !(el.parentElement && past(el.parentElement)))
    .slice(0, 5)
    .map((el) => `${name(el)} (right edge at ${Math.round(el.getBoundingClientRect().right)} px)`);
  return {scrollWidth: document.documentElement.scrollWidth, width, wide};
}"""


@pytest.fixture
def narrow_page(browser, javascript, live_server):
    """A page 320 px wide (WCAG 1.4.10's reflow width)."""
    yield from page_of_width(browser, live_server, javascript=javascript, width=320, height=640)


def too_wide(page):
    """What scrolls sideways on the page now showing, or None if nothing does."""
    measured = page.evaluate(MEASURE)
    if measured["scrollWidth"] <= measured["width"]:
        return None
    return f"{measured['scrollWidth']} px wide; " + ", ".join(measured["wide"] or ["(no element)"])


def test_no_public_page_scrolls_sideways_at_320_px(narrow_page, borough):
    page = narrow_page
    problems = {}
    for name, url in pages().items():
        page.goto(url)
        problems[name] = too_wide(page)
    service = Service.objects.order_by("name").first()
    # A long email address has no space to wrap at: it must not push the page wider.
    Service.objects.filter(pk=service.pk).update(
        email="wellbeing.enquiries@ashtoninmakerfieldcommunityallotments.org.uk"
    )
    page.goto(f"/services/{service.pk}/")
    assert page.get_by_text("wellbeing.enquiries@").count() == 1
    problems["service with a long email address"] = too_wide(page)
    after_submitting(page, f"/services/{service.pk}/report/", "Send")
    problems["report form with errors"] = too_wide(page)
    after_submitting(page, "/deal/your-part/keep-active/", "Make my pledge",
                     {"Email address (optional)": "not an address"})  # fmt: skip
    problems["pledge form with errors"] = too_wide(page)
    after_submitting(page, "/deal/your-part/keep-active/", "Make my pledge")
    assert page.locator("#private-link").count() == 1
    problems["pledge made, with its private link"] = too_wide(page)
    _, token = actions.make_pledge(pledge_type=PledgeType.objects.get(slug="keep-active"))
    after_submitting(page, f"/deal/pledges/{token}/", "Check in")
    problems["check in with errors"] = too_wide(page)
    after_submitting(page, f"/deal/pledges/{token}/delete/", "Delete my pledge")
    problems["pledge deleted"] = too_wide(page)
    failures = {name: problem for name, problem in problems.items() if problem}
    assert not failures, "\n".join(f"{name}: {problem}" for name, problem in failures.items())


def test_no_editors_page_scrolls_sideways_at_320_px(narrow_page, borough):
    from django.contrib.auth.models import User

    from thedeal.accounts.models import OrganisationEditor
    from thedeal.directory.models import Report

    page = narrow_page
    problems = {}
    after_submitting(page, "/accounts/sign-in/", "Sign in")
    problems["sign in with errors"] = too_wide(page)
    # An editor for several organisations, so that their listings fill a table.
    user = User.objects.create_user("priya@example.org", password="correct horse battery staple")
    services = Service.objects.order_by("name")[:6]
    for organization in {service.organization for service in services}:
        OrganisationEditor.objects.create(user=user, organization=organization)
    after_submitting(page, "/accounts/sign-in/", "Sign in",
                     {"Email address or username": "priya@example.org",
                      "Password": "correct horse battery staple"})  # fmt: skip
    assert page.locator("table").count() == 1
    problems["your listings"] = too_wide(page)
    # A resident's report with a long email address, which has no space to wrap at.
    Report.objects.create(
        service=services[0],
        problem="The phone number is wrong.",
        email="samantha.osullivanwhitworth@ashtoninmakerfieldcommunityallotments.org.uk",
    )
    page.goto(f"/accounts/listings/{services[0].pk}/")
    assert page.get_by_text("osullivanwhitworth@").count() == 1
    problems["edit a listing with a report"] = too_wide(page)
    for name, url in signed_in_pages(services[0]).items():
        page.goto(url)
        problems[name] = too_wide(page)
    after_submitting(page, f"/accounts/listings/{services[0].pk}/details/", "Save",
                     {"Email address": "not an address"})  # fmt: skip
    problems["a listing with errors"] = too_wide(page)
    failures = {name: problem for name, problem in problems.items() if problem}
    assert not failures, "\n".join(f"{name}: {problem}" for name, problem in failures.items())


def test_no_practitioners_page_scrolls_sideways_at_320_px(narrow_page, borough):
    from .test_accessibility import casework_pages, sign_in_as_practitioner

    page = narrow_page
    urls = casework_pages()
    sign_in_as_practitioner(page)
    problems = {}
    for name, url in urls.items():
        page.goto(url)
        problems[name] = too_wide(page)
    after_submitting(page, "/casework/people/new/", "Add person", {"Day": "31", "Month": "2"})
    problems["add a person with errors"] = too_wide(page)
    after_submitting(page, urls["refer"], "Send referral")
    problems["refer with errors"] = too_wide(page)
    after_submitting(page, urls["an outreach"], "Record attempt")
    problems["record an attempt with errors"] = too_wide(page)
    after_submitting(page, urls["break glass"], "Open the record")
    problems["break glass with errors"] = too_wide(page)
    after_submitting(page, urls["decline a referral"], "Decline the referral")
    problems["decline a referral with errors"] = too_wide(page)
    failures = {name: problem for name, problem in problems.items() if problem}
    assert not failures, "\n".join(f"{name}: {problem}" for name, problem in failures.items())
