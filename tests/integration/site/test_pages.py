"""The pages every council service must have: accessibility statement, privacy notice, cookies."""

import re

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/accessibility/", "/privacy/", "/cookies/"]


@pytest.fixture
def other_council(settings):
    """Another council entirely, so that nothing on the pages is hard-coded for the demo."""
    settings.COUNCIL = {
        **settings.COUNCIL,
        "name": "Testshire Council",
        "short_name": "Testshire",
        "website": "https://www.other_council.example",
        "contact_email": "deal@other_council.example",
        "contact_phone": "01234 567890",
        "directory_team_email": "directory@other_council.example",
    }
    return settings.COUNCIL


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_page_names_the_council_from_settings(client, other_council, url):
    html = page_text(client, url)

    main = html.split('<main class="govuk-main-wrapper" id="main-content">', 1)[1]
    assert "Testshire Council" in main
    assert "wigan" not in html.lower()


@pytest.mark.parametrize("url", PAGES)
def test_page_has_one_main_heading(client, url):
    html = page_text(client, url)

    assert len(re.findall(r"<h1[\s>]", html)) == 1


def test_accessibility_statement_follows_the_model(client, other_council):
    html = page_text(client, "/accessibility/")

    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        assert heading in html
    assert "Equality Advisory and Support Service" in html
    assert "WCAG 2.2" in html or "Guidelines version 2.2" in html
    assert "fully compliant with" not in html
    assert "axe-core" in html
    assert "deal@other_council.example" in html


def test_privacy_notice_lists_the_lawful_bases_and_the_ico(client, other_council):
    html = page_text(client, "/privacy/")

    assert "Article 6(1)(e)" in html
    assert "Article 6(1)(a)" in html
    assert "Public task" in html
    assert "onsent" in html
    assert "Information Commissioner’s Office" in html
    assert 'href="https://ico.org.uk/' in html
    assert "GOV.UK Notify" in html
    assert "deal@other_council.example" in html
    assert 'href="/cookies/"' in html


def test_cookies_page_names_both_cookies(client):
    html = page_text(client, "/cookies/")

    assert '<table class="govuk-table' in html
    assert ">sessionid<" in html
    assert ">csrftoken<" in html
