"""axe-core on every page the site renders (Django's admin aside), with JavaScript on and off."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.outreach_pages import outreach_pages
from thedeal.deal import actions
from thedeal.deal.models import PledgeType
from thedeal.directory.models import Location, Service

pytestmark = [pytest.mark.once, pytest.mark.slow]

# WCAG 2.2 A and AA, and the best practices axe checks beside them.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def pages():
    service = Service.objects.exclude(status="defunct").order_by("name").first()
    place = Location.objects.filter(confidential=False, location_type="physical").first()
    pledge, token = actions.make_pledge(pledge_type=PledgeType.objects.get(slug="keep-active"))
    actions.check_in(pledge, "well")
    withdrawn, withdrawn_token = actions.make_pledge(
        pledge_type=PledgeType.objects.get(slug="keep-active"), email="sam@example.org",
        reminders=True,
    )  # fmt: skip
    actions.withdraw(withdrawn)
    return {
        "home": "/",
        "search": "/services/",
        "search results near a postcode": "/services/?q=walk&postcode=WN1+1AA&distance=5",
        "search results, page 2": "/services/?page=2&age=30",
        "search with errors": "/services/?postcode=nowhere&age=old",
        "search with no results": "/services/?q=zzzzqqq",
        "search with a suggested spelling": "/services/?q=lonliness",
        "service": f"/services/{service.pk}/",
        "place": f"/services/places/{place.pk}/",
        "report form": f"/services/{service.pk}/report/",
        "report sent": f"/services/{service.pk}/report/sent/",
        "accessibility statement": "/accessibility/",
        "privacy notice": "/privacy/",
        "cookies": "/cookies/",
        "page not found": "/no-such-page/",
        "the Deal": "/deal/",
        "our part": "/deal/our-part/",
        "a commitment with real figures": "/deal/our-part/fewer-adults-smoke/",
        "a commitment with suppressed figures": "/deal/our-part/young-quitters/",
        "your part": "/deal/your-part/",
        "a pledge": "/deal/your-part/stop-smoking/",
        "pledges by neighbourhood": "/deal/your-part/neighbourhoods/",
        "create an account": "/accounts/register/",
        "sign in": "/accounts/sign-in/",
        "my pledge": f"/deal/pledges/{token}/",
        "delete my pledge": f"/deal/pledges/{token}/delete/",
        "withdraw my pledge?": f"/deal/pledges/{token}/withdraw/",
        "a withdrawn pledge, to restore": f"/deal/pledges/{withdrawn_token}/",
        "a confirmation link that does not work": "/accounts/confirm-email/nothing/",
    }


def test_no_page_has_an_accessibility_violation(checked_page, borough):
    page = checked_page
    axe = Axe()
    failures = {}
    for name, url in pages().items():
        page.goto(url)
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
        if result.violations_count:
            failures[name] = result.generate_report()
    assert not failures, "\n\n".join(f"{name}:\n{report}" for name, report in failures.items())


def insight_pages() -> dict[str, str]:
    """Insight's public pages, on three years of every computed indicator for the borough and
    its wards (emergency admissions for the LSOAs too), one ward's smoking figure suppressed."""
    from tests.factories import insight
    from thedeal.insight.models import AreaKind, IndicatorValue

    years = ("2023/24", "2024/25", "2025/26")
    insight.load_borough(seed=2, periods=years, levels=(AreaKind.BOROUGH, AreaKind.WARD))
    insight.load_borough(
        seed=5, periods=years, levels=(AreaKind.LSOA,), slugs=("emergency-admissions",)
    )
    IndicatorValue.objects.filter(
        indicator__slug="smoking", area__code="E05014989", period_label=years[-1]
    ).update(value=None, lower95=None, upper95=None, count=None, suppressed=True)
    ward = "/insight/wards/E05014989/"
    return {
        "health figures": "/insight/",
        "a ward's profile": ward,
        "a ward's profile, women": f"{ward}?sex=Female",
        "an indicator by ward": "/insight/indicators/smoking/",
        "an indicator by LSOA": "/insight/indicators/emergency-admissions/?level=lsoa",
        "an indicator with no funnel plot": "/insight/indicators/life-expectancy-birth/?sex=Male",
    }


def test_insight_pages_have_no_violation(checked_page, transactional_db):
    failures = {}
    for name, url in insight_pages().items():
        assert checked_page.goto(url).status == 200, name
        result = Axe().run(checked_page, options={"runOnly": {"type": "tag", "values": TAGS}})
        if result.violations_count:
            failures[name] = result.generate_report()
    assert not failures, "\n\n".join(f"{name}:\n{report}" for name, report in failures.items())


def signed_in_pages(service):
    """The pages an organisation's editor sees once signed in, by a link rather than a form."""
    from django.contrib.auth.models import User

    from thedeal.accounts.actions import confirmation_key

    editor = User.objects.get(username="priya@example.org")
    listing = f"/accounts/listings/{service.pk}/"
    # In this order: the account page before and after following the confirmation link.
    pages = {
        "your account, email address not confirmed": "/accounts/",
        "a pledge, signed in": "/deal/your-part/keep-active/",
        "email address confirmed": f"/accounts/confirm-email/{confirmation_key(editor)}/",
        "your account, email address confirmed": "/accounts/",
        "a listing's overview": listing,
        "a listing's details": f"{listing}details/",
        "add times": f"{listing}times/new/",
        "add a phone number": f"{listing}phones/new/",
        "add a place": f"{listing}places/new/",
        "add a new place": f"{listing}places/new/address/",
        "a listing's ages": f"{listing}ages/",
        "a listing's categories": f"{listing}categories/",
        "set up two-factor sign-in": "/accounts/two-factor/set-up/",
        "your pledges (signed in)": "/deal/your-part/mine/",
        "change your password": "/accounts/password/",
        "suggest a new listing": "/accounts/listings/new/",
        "delete your account": "/accounts/delete/",
        "reset your password": "/accounts/password/reset/",
        "check your email": "/accounts/password/reset/sent/",
    }
    # Its first place's pages, where the listing has one (the demo's places are its
    # organisation's, so the editor may add to their accessibility too).
    if link := service.service_at_locations.order_by("id").first():
        pages |= {
            "add times at a place": f"{listing}places/{link.pk}/times/new/",
            "add a phone number at a place": f"{listing}places/{link.pk}/phones/new/",
            "add accessibility at a place": f"{listing}places/{link.pk}/accessibility/new/",
            "remove a place": f"{listing}place/{link.pk}/remove/",
        }
    return pages


def after_submitting(page, url, button, fill=None):
    page.goto(url)
    for label, value in (fill or {}).items():
        page.get_by_label(label).fill(value)
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    page.wait_for_load_state("load")
    return Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})


def test_staff_pages_have_no_violation(checked_page, borough):
    from django.contrib.auth.models import User
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from thedeal.accounts.models import OrganisationEditor

    page = checked_page
    service = Service.objects.order_by("name").first()
    user = User.objects.create_user("priya@example.org", password="correct horse battery staple")
    OrganisationEditor.objects.create(user=user, organization=service.organization)
    axe = Axe()
    results = {
        "sign in with errors": after_submitting(page, "/accounts/sign-in/", "Sign in"),
        "your listings": after_submitting(
            page, "/accounts/sign-in/", "Sign in",
            {"Email address or username": "priya@example.org",
             "Password": "correct horse battery staple"},
        ),
    }  # fmt: skip
    for name, url in signed_in_pages(service).items():
        page.goto(url)
        results[name] = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    results["a listing with errors"] = after_submitting(
        page,
        f"/accounts/listings/{service.pk}/details/",
        "Save",
        {"Email address": "not an address"},
    )
    results["times with errors"] = after_submitting(
        page, f"/accounts/listings/{service.pk}/times/new/", "Save", {"Opens at": "teatime"}
    )
    page.goto("/accounts/password/changed/")
    results["password changed"] = axe.run(
        page, options={"runOnly": {"type": "tag", "values": TAGS}}
    )
    device = TOTPDevice.objects.get(user=user)
    from django_otp.oath import totp

    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    results["two-factor sign-in is on"] = after_submitting(
        page, "/accounts/two-factor/set-up/", "Turn on two-factor sign-in",
        {"Code from your authenticator app": code},
    )  # fmt: skip
    page.context.clear_cookies()  # signed out, to be locked out
    for _ in range(5):
        after_submitting(page, "/accounts/sign-in/", "Sign in",
                         {"Email address or username": "locked@example.org", "Password": "wrong"})  # fmt: skip
    results["account locked"] = after_submitting(
        page, "/accounts/sign-in/", "Sign in",
        {"Email address or username": "locked@example.org", "Password": "wrong"},
    )  # fmt: skip
    assert "Your account is locked" in page.content()
    results["create an account with errors"] = after_submitting(
        page, "/accounts/register/", "Create account", {"Email address": "nope"}
    )
    page.goto("/accounts/password/reset/done/")
    results["password set"] = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    TOTPDevice.objects.filter(user=user).update(confirmed=True)
    page.context.clear_cookies()
    after_submitting(page, "/accounts/sign-in/", "Sign in",
                     {"Email address or username": "priya@example.org",
                      "Password": "correct horse battery staple"})  # fmt: skip
    results["enter your code"] = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    failures = {name: r.generate_report() for name, r in results.items() if r.violations_count}
    assert not failures, "\n\n".join(f"{name}:\n{report}" for name, report in failures.items())


def test_forms_with_errors_and_confirmations_have_no_violation(checked_page, borough):
    page = checked_page
    service = Service.objects.order_by("name").first()
    for result in (
        after_submitting(page, f"/services/{service.pk}/report/", "Send"),
        after_submitting(page, "/deal/your-part/keep-active/", "Make my pledge",
                         {"Email address (optional)": "sam@example.org"}),
        after_submitting(page, "/deal/your-part/keep-active/", "Make my pledge"),  # made
    ):  # fmt: skip
        assert not result.violations_count, result.generate_report()
    pledge, token = actions.make_pledge(pledge_type=PledgeType.objects.get(slug="keep-active"))
    for result in (
        after_submitting(page, f"/deal/pledges/{token}/", "Check in"),  # no choice: an error
        after_submitting(page, f"/deal/pledges/{token}/delete/", "Delete my pledge"),
    ):
        assert not result.violations_count, result.generate_report()


PRACTITIONER = ("ola@example.nhs.uk", "correct horse battery staple")


def casework_pages():
    """A practitioner's pages about people, for a person with every part filled in (long words
    among them, for the reflow check) and a consent of each kind, one withdrawn."""
    import datetime

    from django.contrib.auth.models import Group, User

    from thedeal.accounts.models import Role
    from thedeal.casework import actions as casework
    from thedeal.casework.models import GPPractice

    from .casework_suggest import suggest_pages

    ola = User.objects.create_user(PRACTITIONER[0], password=PRACTITIONER[1])
    # get_or_create: the roles come from a migration, and a transactional test's flush empties
    # the groups table once the first such test has run.
    ola.groups.add(Group.objects.get_or_create(name=Role.PRACTITIONER)[0])
    # Ola runs her team (so she reviews its break glass); Kofi is in another team.
    from thedeal.casework import teams_actions
    from thedeal.casework.models import CaseloadEntry, Membership, Team

    kofi = User.objects.create_user("kofi@example.nhs.uk", password=PRACTITIONER[1])
    kofi.groups.add(Group.objects.get_or_create(name=Role.PRACTITIONER)[0])
    for user, name in ((ola, "Wigan Central link workers"), (kofi, "Leigh community team")):
        team = Team.objects.create(name=name, administrator=ola, safeguarding_lead=ola)
        Membership.objects.create(team=team, user=user)
    practice = GPPractice.objects.order_by("name").first()
    person = casework.add_person(
        details={
            "given_name": "Bartholomew-Christopher",
            "family_name": "Featherstonehaugh-Worthington",
            "preferred_name": "Bart",
            "date_of_birth": datetime.date(1948, 2, 29),
            "nhs_number": "9990000018",
            "address": "Flat 12, Ashton-in-Makerfield Community Allotments House\nWigan",
            "postcode": "WN1 1AA",
        },
        by=ola,
    )
    casework.change_person(
        person=person,
        changes={
            "gp_practice": practice,
            "email": "bartholomew.featherstonehaughworthington@ashtoninmakerfield.example.org",
            "phone": "07700 900123",
            "contact_methods": ["phone", "email"],
            "contact_times": "Weekday mornings",
            "do_not_contact": True,
            "reasonable_adjustments": "Large print letters",
            "what_matters": "Getting back to the allotment",
            "please_dont": "Phone before 10",
        },
        by=ola,
    )
    given = datetime.date(2026, 1, 5)
    casework.record_consent(person=person, kind="record", given_on=given, by=ola)
    withdrawn = casework.record_consent(person=person, kind="contact", given_on=given, by=ola)
    casework.withdraw_consent(consent=withdrawn, on=datetime.date(2026, 2, 1), by=ola)
    contact = casework.record_consent(person=person, kind="contact", given_on=given, by=ola)
    base = f"/casework/people/{person.reference}/"
    # Conversations, well-being measures (for the charts) and a plan with a goal and an action.
    from decimal import Decimal

    from thedeal.casework import conversations_actions, plans_actions, wellbeing_actions
    from thedeal.casework.models import WellbeingMeasure

    talk = conversations_actions.record_conversation(
        person=person,
        details={"kind": "listen-and-connect", "held_on": given, "contact_method": "in-person",
                 "reason_for_contact": "gp", "what_matters": "Getting back to the allotment"},
        risks=["Has had two falls"], by=ola,
    )  # fmt: skip
    for day, ons, scale in ((given, (4, 5, 3, 8), 2), (datetime.date(2026, 3, 2), (7, 7, 6, 3), 4)):
        answers = dict(zip(WellbeingMeasure.ONS4_FIELDS, ons, strict=True))
        answers.update({name: scale for name in WellbeingMeasure.SWEMWBS_FIELDS})
        wellbeing_actions.record_measures(person=person, taken_on=day, occasion="review",
                                          answers=answers, pam_score=Decimal(50), by=ola)  # fmt: skip
    plan = plans_actions.agree_plan(person=person, agreed_on=given, by=ola)
    goal = plans_actions.add_goal(
        plan=plan, in_their_words="Get out twice a week", importance=9, by=ola
    )
    step = plans_actions.add_action(
        goal=goal, description="Ring the allotment society", who="Me", by=ola
    )
    parts = {
        "record a conversation": f"{base}conversations/new/",
        "a conversation": f"{base}conversations/{talk.pk}/",
        "add a risk": f"{base}conversations/{talk.pk}/risks/new/",
        "well-being measures": f"{base}wellbeing/",
        "record well-being measures": f"{base}wellbeing/new/",
        "a plan": f"{base}plans/{plan.pk}/",
        "add a goal": f"{base}plans/{plan.pk}/goals/new/",
        "close the plan": f"{base}plans/{plan.pk}/close/",
        "a goal": f"{base}goals/{goal.pk}/",
        "how the goal went": f"{base}goals/{goal.pk}/outcome/",
        "add an action": f"{base}goals/{goal.pk}/actions/new/",
        "change an action's status": f"{base}actions/{step.pk}/status/",
    }
    outside = casework.add_person(
        details={"given_name": "Brenda", "family_name": "Unsworth",
                 "date_of_birth": datetime.date(1950, 6, 1), "nhs_number": "9990000026"},
        by=kofi,
    )  # fmt: skip
    teams_actions.break_glass(
        person=person, reason="Covering for Ola: Bart rang about the allotment group", by=kofi
    )
    assert not CaseloadEntry.objects.filter(person=outside, team__members=ola).exists()
    referred = triage_pages()
    return {
        **referred,
        **parts,
        **outreach_pages(ola),
        "find a person": "/casework/",
        "your caseload": "/casework/caseload/",
        "people found": "/casework/?name=a",
        "no one found": "/casework/?name=zzzzqqq",
        "find a person with errors": "/casework/?nhs_number=123&postcode=nowhere",
        "add a person": "/casework/people/new/",
        "a person's record": base,
        **{f"change {part}": f"{base}change/{part}/" for part in (
            "name", "date-of-birth", "nhs-number", "address", "gp-practice", "contact",
            "adjustments", "about-me")},
        "record a consent": f"{base}consents/new/",
        "withdraw a consent": f"{base}consents/{contact.pk}/withdraw/",
        **suggest_pages(person, ola),
        "casework reports": "/casework/reports/",
        "casework reports, all time": "/casework/reports/?period=all",
        "casework reports with errors": "/casework/reports/?period=forever",
        "someone outside the caseload found": f"/casework/?nhs_number={outside.nhs_number}",
        "break glass": f"/casework/people/{outside.reference}/break-glass/",
        "review break glass": "/casework/break-glass/",
    }  # fmt: skip


def triage_pages():
    """A GP's referral waiting in the link workers' triage queue, with a long word in it."""
    from tests.factories.triage import gp_referral

    referral = gp_referral(
        reason="Socially isolated; asked about the Wigan-Leigh-Hindley-Ince-in-Makerfield walks"
    )
    base = f"/casework/triage/{referral.fhir_id}/"
    return {
        "referrals received": "/casework/triage/",
        "take on a referral": f"{base}take-on/",
        "decline a referral": f"{base}decline/",
    }


def sign_in_as_practitioner(page):
    return after_submitting(
        page, "/accounts/sign-in/", "Sign in",
        {"Email address or username": PRACTITIONER[0], "Password": PRACTITIONER[1]},
    )  # fmt: skip


def test_practitioners_pages_have_no_violation(checked_page, borough):
    page = checked_page
    urls = casework_pages()
    results = {"signed in, find a person": sign_in_as_practitioner(page)}
    assert page.url.endswith("/casework/")
    axe = Axe()
    for name, url in urls.items():
        page.goto(url)
        results[name] = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    results["add a person with errors"] = after_submitting(
        page, "/casework/people/new/", "Add person", {"Day": "31", "Month": "2"}
    )
    results["record a consent with errors"] = after_submitting(
        page, urls["record a consent"], "Record consent"
    )
    results["record a conversation with errors"] = after_submitting(
        page, urls["record a conversation"], "Save conversation"
    )
    results["record well-being measures with errors"] = after_submitting(
        page, urls["record well-being measures"], "Save measures", {"Day": "31", "Month": "2"}
    )
    results["refer with errors"] = after_submitting(page, urls["refer"], "Send referral")
    results["decline a referral with errors"] = after_submitting(
        page, urls["decline a referral"], "Decline the referral"
    )
    results["give details with errors"] = after_submitting(
        page, urls["give them the details"], "Record and give details"
    )
    results["open an outreach with errors"] = after_submitting(
        page, urls["open an outreach"], "Re-identify and open"
    )
    results["record an attempt with errors"] = after_submitting(
        page, urls["an outreach"], "Record attempt"
    )
    results["break glass with errors"] = after_submitting(
        page, urls["break glass"], "Open the record"
    )
    failures = {name: r.generate_report() for name, r in results.items() if r.violations_count}
    assert not failures, "\n\n".join(f"{name}:\n{report}" for name, report in failures.items())


ANALYST = ("analyst@example.gov.uk", "correct horse battery staple")


def test_insight_evaluation_and_ledger_pages_have_no_violation(checked_page, borough):
    """What the Deal has achieved (before and after an evaluation is published), and the staff's
    evaluation and costs pages, as an analyst sees them, with their forms' errors."""
    from django.contrib.auth.models import Group, User

    from tests.factories import evaluation
    from thedeal.accounts.models import Role

    page = checked_page
    axe = Axe()
    results = {}
    page.goto("/insight/achieved/")
    results["achieved, nothing published"] = axe.run(
        page, options={"runOnly": {"type": "tag", "values": TAGS}}
    )
    evaluation.run(published=True)
    evaluation.run()
    spent = evaluation.cost("120000.00")
    analyst = User.objects.create_user(ANALYST[0], password=ANALYST[1])
    # get_or_create: a transactional test before this one may have emptied the groups table.
    analyst.groups.add(Group.objects.get_or_create(name=Role.ANALYST)[0])
    after_submitting(page, "/accounts/sign-in/", "Sign in",
                     {"Email address or username": ANALYST[0], "Password": ANALYST[1]})  # fmt: skip
    for name, url in {
        "achieved": "/insight/achieved/",
        "evaluations": "/insight/evaluation/",
        "costs": "/insight/costs/",
        "add a cost": "/insight/costs/new/",
        "change a cost": f"/insight/costs/{spent.pk}/",
        "remove a cost": f"/insight/costs/{spent.pk}/remove/",
        "the ledger's settings": "/insight/costs/settings/",
    }.items():
        page.goto(url)
        results[name] = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    results["add a cost with errors"] = after_submitting(page, "/insight/costs/new/", "Save")
    results["settings with errors"] = after_submitting(
        page, "/insight/costs/settings/", "Save", {"The council's share of each saving, as a percentage": "200"}
    )  # fmt: skip
    results["a run published"] = after_submitting(page, "/insight/evaluation/", "Publish run")
    failures = {name: r.generate_report() for name, r in results.items() if r.violations_count}
    assert not failures, "\n\n".join(f"{name}:\n{report}" for name, report in failures.items())
