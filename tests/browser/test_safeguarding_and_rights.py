"""The safeguarding and subject rights pages in a real browser, with JavaScript on and off: no
axe-core violation (the accessibility crawl's rules) and nothing scrolls sideways at 320 px (the
reflow crawl's measure), including the pages a form leads to: errors, a refused erasure, and an
erasure done. Signed in as an administrator, who answers for a person in no team's caseload (their
safeguarding lead).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import page_of_width
from .test_accessibility import TAGS, after_submitting
from .test_reflow import too_wide

pytestmark = [pytest.mark.once, pytest.mark.slow]

LEAD = ("dana@example.gov.uk", "correct horse battery staple")


def safeguarding_and_rights_pages():
    """A person with long words in their record and one of every kind of record about them, an
    open concern (overdue, raised from their conversation) and a closed one; the pages about
    them, for an administrator."""
    from django.contrib.auth.models import Group, User

    from tests.factories.casework import PersonFactory
    from tests.factories.safeguarding import overdue_concern, whole_record
    from thedeal.accounts.models import Role
    from thedeal.casework.models import Conversation

    dana = User.objects.create_user(LEAD[0], password=LEAD[1], email=LEAD[0])
    dana.groups.add(Group.objects.get_or_create(name=Role.ADMINISTRATOR)[0])
    person = whole_record(
        PersonFactory(
            caseload=False,  # in no team's caseload: administrators answer for them
            given_name="Bartholomew-Christopher",
            family_name="Featherstonehaugh-Worthington",
            email="bartholomew.featherstonehaughworthington@ashtoninmakerfield.example.org",
        ),
        by=dana,
    )
    conversation = Conversation.objects.get(person=person)
    concern = overdue_concern(
        person=person, raised_from="conversation", conversation=conversation, raised_by=dana
    )
    closed = person.safeguarding_concerns.exclude(pk=concern.pk).get()
    base = f"/casework/people/{person.reference}/"
    return person, {
        "a person's record, with an overdue concern": base,
        "raise a concern": f"{base}safeguarding/new/?from=conversation-{conversation.pk}",
        "a concern, overdue": f"{base}safeguarding/{concern.pk}/",
        "a concern, closed": f"{base}safeguarding/{closed.pk}/",
        "acknowledge a concern": f"{base}safeguarding/{concern.pk}/acknowledge/",
        "safeguarding concerns": "/casework/safeguarding/",
        "subject access": f"{base}subject-access/",
        "erase, refused in advance": f"{base}erase/",
    }


def _sign_in(page):
    after_submitting(page, "/accounts/sign-in/", "Sign in",
                     {"Email address or username": LEAD[0], "Password": LEAD[1]})  # fmt: skip


def _visit_all(page, check):
    """Each page, then each form sent: `check` says what is wrong with the page showing."""
    person, urls = safeguarding_and_rights_pages()
    _sign_in(page)
    results = {}
    for name, url in urls.items():
        page.goto(url)
        results[name] = check(page)
    base = f"/casework/people/{person.reference}/"
    after_submitting(page, f"{base}safeguarding/new/", "Raise the concern")
    results["raise a concern, with errors"] = check(page)
    after_submitting(page, f"{base}safeguarding/new/", "Raise the concern",
                     {"What happened": "Bruises on both arms"})  # fmt: skip
    results["raise a concern, with some errors"] = check(page)
    page.get_by_label("Physical abuse").check()
    page.get_by_label("Today").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Raise the concern").click()
    results["a concern, just raised"] = check(page)
    after_submitting(page, f"{base}erase/", "Record the request", {"Day": "2", "Month": "3",
                                                                   "Year": "2026"})  # fmt: skip
    results["erase, with errors"] = check(page)
    page.get_by_label("It was processed unlawfully").check()
    page.get_by_label("I have checked").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Record the request").click()
    assert page.get_by_text("The request was refused").count() == 1
    results["erase, refused"] = check(page)
    # Close everything that must be kept, then erase.
    from thedeal.casework.models import Referral, SafeguardingConcern

    SafeguardingConcern.objects.filter(person=person).delete()
    Referral.objects.filter(person=person).update(status="completed")
    page.goto(f"{base}erase/")
    for label in ("Day", "Month", "Year"):
        page.get_by_label(label).fill({"Day": "2", "Month": "3", "Year": "2026"}[label])
    page.get_by_label("They withdrew the consent it relied on").check()
    page.get_by_label("I have checked").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Erase their record").click()
    assert page.get_by_text("Record erased").count() == 1
    results["erased"] = check(page)
    return results


def test_safeguarding_and_rights_pages_have_no_violation(checked_page, borough):
    axe = Axe()
    results = _visit_all(
        checked_page,
        lambda page: axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}}),
    )
    failures = {name: r.generate_report() for name, r in results.items() if r.violations_count}
    assert not failures, "\n\n".join(f"{name}:\n{report}" for name, report in failures.items())


@pytest.fixture
def narrow_page(browser, javascript, live_server):
    yield from page_of_width(browser, live_server, javascript=javascript, width=320, height=640)


def test_no_safeguarding_or_rights_page_scrolls_sideways_at_320_px(narrow_page, borough):
    problems = _visit_all(narrow_page, too_wide)
    failures = {name: problem for name, problem in problems.items() if problem}
    assert not failures, "\n".join(f"{name}: {problem}" for name, problem in failures.items())
