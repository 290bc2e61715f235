"""The referral inbox in a real browser: axe-core at zero violations and nothing scrolling
sideways at 320 px, with JavaScript on and off, for an editor's every inbox page (with and
without the person's consent, open and closed, a form with errors and a refused change) and the
practitioner's view of the referrals on a person's page."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from .test_accessibility import TAGS, after_submitting
from .test_reflow import narrow_page, too_wide  # noqa: F401  (narrow_page: a fixture)

pytestmark = [pytest.mark.once, pytest.mark.slow]

EDITOR = ("priya@example.org", "correct horse battery staple")
PRACTITIONER = ("ola@example.nhs.uk", "correct horse battery staple")


def inbox_pages():
    """Referrals to one organisation in several states, for a person with long names (the
    reflow check), as its editor and the referring practitioner see them."""
    from django.contrib.auth.models import Group, User

    from thedeal.accounts.models import OrganisationEditor, Role
    from thedeal.casework import actions as casework
    from thedeal.casework import inbox_actions
    from thedeal.casework.lifecycle import Party
    from thedeal.casework.models import Direction, Referral
    from thedeal.directory.models import Service

    service = Service.objects.exclude(status="defunct").order_by("name").first()
    organisation = service.organization
    priya = User.objects.create_user(EDITOR[0], email=EDITOR[0], password=EDITOR[1])
    priya.groups.add(Group.objects.get_or_create(name=Role.EDITOR)[0])
    OrganisationEditor.objects.create(user=priya, organization=organisation)
    ola = User.objects.create_user(PRACTITIONER[0], email=PRACTITIONER[0], password=PRACTITIONER[1])
    ola.groups.add(Group.objects.get_or_create(name=Role.PRACTITIONER)[0])
    # Ola works in a team, whose caseload the people she adds join.
    from thedeal.casework.models import Membership, Team

    team = Team.objects.create(
        name="Wigan Central link workers", administrator=ola, safeguarding_lead=ola
    )
    Membership.objects.create(team=team, user=ola)
    person = casework.add_person(
        details={
            "given_name": "Bartholomew-Christopher",
            "family_name": "Featherstonehaugh-Worthington",
            "date_of_birth": datetime.date(1948, 2, 29),
            "postcode": "WN1 1AA",
        },
        by=ola,
    )
    casework.change_person(
        person=person,
        changes={
            "email": "bartholomew.featherstonehaughworthington@ashtoninmakerfield.example.org",
            "phone": "07700 900123",
            "contact_methods": ["phone", "email"],
            "contact_times": "Weekday mornings",
            "reasonable_adjustments": "Large print letters",
            "what_matters": "Getting back to the allotment",
        },
        by=ola,
    )
    casework.record_consent(
        person=person,
        kind="share",
        organization=organisation,
        given_on=datetime.date(2026, 1, 5),
        by=ola,
    )
    stranger = casework.add_person(
        details={"given_name": "Sam", "date_of_birth": datetime.date(1960, 1, 1)}, by=ola
    )

    def referral(who, reason="Lonely since moving to Ashton-in-Makerfield"):
        made = Referral.objects.create(
            person=who,
            direction=Direction.OUTBOUND,
            reason=reason,
            requester_user=ola,
            requester_name="Ola, link worker",
            performer_organization=organisation,
            service=service,
        )
        made.record_start(by=Party.REQUESTER, user=ola)
        return made

    waiting = referral(person)
    Referral.objects.filter(pk=waiting.pk).update(times_chased=2)
    without_consent = referral(stranger)
    attending = referral(person)
    inbox_actions.answer(referral=attending, to="accepted", by=priya)
    inbox_actions.answer(referral=attending, to="in-progress", by=priya)
    closed = referral(person)
    inbox_actions.answer(referral=closed, to="accepted", by=priya)
    inbox_actions.answer(
        referral=closed, to="completed", by=priya, outcome="Came to every session; volunteers now"
    )
    base = "/referrals/"
    editor_pages = {
        "the inbox": base,
        "a new referral, with consent": f"{base}{waiting.fhir_id}/",
        "a referral without consent": f"{base}{without_consent.fhir_id}/",
        "an attending referral": f"{base}{attending.fhir_id}/",
        "a closed referral": f"{base}{closed.fhir_id}/",
        "do not accept": f"{base}{waiting.fhir_id}/rejected/",
        "put on hold": f"{base}{attending.fhir_id}/on-hold/",
        "record the outcome": f"{base}{attending.fhir_id}/completed/",
        "a refused change": f"{base}{closed.fhir_id}/accepted/",
    }
    practitioner_pages = {"a person's referrals": f"/casework/people/{person.reference}/"}
    return editor_pages, practitioner_pages, f"{base}{waiting.fhir_id}/rejected/"


def sign_in(page, who):
    return after_submitting(
        page, "/accounts/sign-in/", "Sign in",
        {"Email address or username": who[0], "Password": who[1]},
    )  # fmt: skip


def sign_out(page):
    page.context.clear_cookies()


def test_inbox_pages_have_no_violation(checked_page, borough):
    page = checked_page
    editor_pages, practitioner_pages, decline = inbox_pages()
    axe = Axe()
    results = {"signed in as an editor": sign_in(page, EDITOR)}
    for name, url in editor_pages.items():
        page.goto(url)
        results[name] = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    results["do not accept, without a reason"] = after_submitting(page, decline, "Do not accept")
    assert page.get_by_text("There is a problem").count() == 1
    sign_out(page)
    sign_in(page, PRACTITIONER)
    for name, url in practitioner_pages.items():
        page.goto(url)
        results[name] = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    assert page.get_by_text("Chased 2 times").count() == 1
    failures = {name: r.generate_report() for name, r in results.items() if r.violations_count}
    assert not failures, "\n\n".join(f"{name}:\n{report}" for name, report in failures.items())


def test_no_inbox_page_scrolls_sideways_at_320_px(narrow_page, borough):  # noqa: F811
    page = narrow_page
    editor_pages, practitioner_pages, decline = inbox_pages()
    sign_in(page, EDITOR)
    problems = {}
    for name, url in editor_pages.items():
        page.goto(url)
        problems[name] = too_wide(page)
    after_submitting(page, decline, "Do not accept")
    problems["do not accept, without a reason"] = too_wide(page)
    sign_out(page)
    sign_in(page, PRACTITIONER)
    for name, url in practitioner_pages.items():
        page.goto(url)
        problems[name] = too_wide(page)
    failures = {name: problem for name, problem in problems.items() if problem}
    assert not failures, "\n".join(f"{name}: {problem}" for name, problem in failures.items())
