"""What a resident does in a real browser, with JavaScript on and off."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.once, pytest.mark.slow]


def test_a_resident_finds_a_stop_smoking_service_near_a_postcode(page, borough):
    page.goto("/")
    page.get_by_label("What are you looking for?").fill("stop smoking")
    page.get_by_label("Your postcode (optional)").fill("wn1 1aa")
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Find what helps near you")
    expect(page.locator("#results-count")).to_contain_text("result")
    first = page.locator("#results .directory-result").first
    expect(first).to_contain_text(re.compile(r"miles? away|less than 0.1 miles"))
    name = first.get_by_role("heading").inner_text()
    assert "smok" in name.lower()

    first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_text("Is this information wrong?")).to_be_visible()


def test_a_resident_makes_a_pledge_and_checks_in(page, javascript, borough):
    page.goto("/")
    if javascript:  # on a phone, the navigation folds behind a Menu button
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Your part").click()
    page.get_by_role("link", name="Stop smoking").click()
    page.get_by_label("Postcode (optional)").fill("WN1 1AA")
    page.get_by_role("button", name="Make my pledge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pledge made")
    link = page.locator("#private-link").inner_text()

    page.goto(link)
    page.get_by_label("Going well").check()
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("main")).to_contain_text("Going well")

    page.get_by_role("link", name="Withdraw my pledge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw your pledge?")
    page.get_by_role("button", name="Withdraw my pledge").click()
    expect(page.locator("main")).to_contain_text("You withdrew this pledge")
    page.get_by_role("button", name="Restore my pledge").click()
    expect(page.locator("main")).to_contain_text("Your pledge has been restored")
    expect(page.get_by_role("button", name="Check in")).to_be_visible()


def test_a_resident_with_an_account_pledges_without_a_private_link_and_signs_out(
    page, javascript, borough
):
    page.goto("/")
    page.get_by_role("link", name="Sign in or create an account").click()
    page.get_by_role("link", name="Create an account", exact=True).click()
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("Create a password").fill("three random words")
    page.get_by_label("Confirm your password").fill("three random words")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator("main")).to_contain_text("Confirm your email address")
    expect(page.locator("header")).to_contain_text("sam@example.org")

    page.goto("/deal/your-part/keep-active/")
    expect(page.get_by_label("Email address (optional)")).to_have_count(0)
    page.get_by_role("button", name="Make my pledge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your pledges")
    expect(page.locator("main")).to_contain_text("Pledge made: Keep active")
    expect(page.locator("#private-link")).to_have_count(0)

    # Signing out is a form's button in the header: it works with JavaScript off too.
    page.locator("header").get_by_role("button", name="Sign out").click()
    expect(page.locator("header")).not_to_contain_text("sam@example.org")
    page.get_by_role("link", name="Sign in or create an account").click()
    page.get_by_label("Email address or username").fill("sam@example.org")
    page.get_by_label("Password", exact=True).fill("three random words")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your pledges")
    expect(page.locator("main")).to_contain_text("Keep active")


def test_a_mistyped_postcode_is_explained(page, javascript, borough):
    page.goto("/services/")
    page.get_by_label("Postcode").fill("WN1 1")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real postcode")
    page.locator(".govuk-error-summary a").click()
    if javascript:
        # GOV.UK Frontend's error summary moves focus to the field itself.
        expect(page.get_by_label("Postcode")).to_be_focused()
    else:
        assert page.url.endswith("#id_postcode")


def test_a_resident_reports_wrong_information(page, borough):
    page.goto("/services/?q=swimming")
    page.locator("#results .directory-result a").first.click()
    page.get_by_role("link", name=re.compile("Tell us what is wrong")).click()
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Tell us what is wrong with this information"
    )
    page.get_by_label("What is wrong with this information?").fill("The pool is shut for repairs")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")


def test_an_organisation_editor_updates_a_listing_and_cannot_edit_anothers(page, borough):
    from django.contrib.auth.models import User

    from thedeal.accounts.models import OrganisationEditor
    from thedeal.directory.models import Service

    own, other = Service.objects.order_by("name")[:2]
    user = User.objects.create_user("priya@example.org", password="correct horse battery staple")
    OrganisationEditor.objects.create(user=user, organization=own.organization)
    if own.organization_id == other.organization_id:
        other = Service.objects.exclude(organization=own.organization).first()

    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address or username").fill("priya@example.org")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your listings")

    page.get_by_role("link", name=own.name, exact=True).click()
    page.get_by_role("link", name="Change what it is").click()
    page.get_by_label("What it is").fill("Now meeting in the new hall.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
    own.refresh_from_db()
    assert own.description == "Now meeting in the new hall."
    # From the listing's overview, times of its own, which residents then see.
    page.get_by_role("link", name="Add times", exact=False).first.click()
    page.get_by_label("Thursday").check()
    page.get_by_label("Opens at").fill("6:30pm")
    page.get_by_label("Closes at").fill("8pm")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("times have been saved")
    page.get_by_role("link", name="See the public page").click()
    expect(page.get_by_text("Thursdays, 6:30pm to 8pm.")).to_be_visible()

    response = page.goto(f"/accounts/listings/{other.pk}/")
    assert response.status == 404


def test_choosing_a_category_updates_the_results_with_javascript(page, javascript, borough):
    if not javascript:
        pytest.skip("without JavaScript the Search button does this (tested above)")
    page.goto("/services/?postcode=WN1+1AA")
    before = page.locator("#results-count").inner_text()
    # After a search the filters wait behind "Filter results", so the results come first.
    page.get_by_text("Filter results").click()
    page.get_by_label("Category").select_option(label="Stop smoking")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop smoking")
    expect(page.locator("#results-count")).not_to_have_text(before)
    assert "category=" in page.url  # the address follows, so Back and sharing work
    for result in page.locator("#results .directory-result").all():
        expect(result).to_contain_text(re.compile("miles? away|less than 0.1 miles"))


@pytest.mark.parametrize(("width", "open_after_search"), [(390, False), (1024, True)])
def test_filters_fold_away_after_a_search_only_on_a_phone(browser, live_server, borough, width,
                                                          open_after_search):  # fmt: skip
    # On a phone the results come first; on a wider screen the filters sit beside them.
    context = browser.new_context(base_url=live_server.url,
                                  viewport={"width": width, "height": 900})  # fmt: skip
    page = context.new_page()
    page.goto("/services/?q=walking")
    expect(page.locator("#results-count")).to_contain_text("result")
    expect(page.get_by_label("Category")).to_be_visible(visible=open_after_search)
    context.close()
