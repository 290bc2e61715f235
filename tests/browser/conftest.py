"""Browser tests: Playwright driving Debian's chromium against a live server.

They skip, saying why, where /usr/bin/chromium is missing; CI sets THEDEAL_REQUIRE_BROWSER=1 so
that they fail there instead of skipping. A downloaded browser is never used.
"""

import io
import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

# Playwright's sync API runs an event loop in the test's thread; Django's ORM would refuse to
# run beside it. The tests' own database calls are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("THEDEAL_REQUIRE_BROWSER"):
            pytest.fail(f"THEDEAL_REQUIRE_BROWSER is set but {CHROMIUM} is missing")
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(params=["with JavaScript", "without JavaScript"])
def javascript(request):
    return request.param == "with JavaScript"


@pytest.fixture
def page(browser, javascript, live_server):
    """A phone-sized page, with JavaScript on or off in the browser."""
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=javascript,
        viewport={"width": 390, "height": 844},
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def page_of_width(browser, live_server, *, javascript, width, height):
    """A page `width` px wide, for checks that are themselves JavaScript (axe-core, measuring):
    "without JavaScript" means the site's own scripts never load, so the page is what a browser
    without JavaScript shows. A generator: the fixtures below yield from it."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}
    )
    if not javascript:
        context.route("**/*.js", lambda route: route.abort())
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture
def checked_page(browser, javascript, live_server):
    """A phone-sized page for axe-core."""
    yield from page_of_width(browser, live_server, javascript=javascript, width=390, height=844)


@pytest.fixture
def borough(transactional_db):
    """A small synthetic borough in the live server's database."""
    from django.core.management import call_command

    quiet = io.StringIO()
    call_command("load_demo", services=150, seed=3, no_people=True, stdout=quiet, stderr=quiet)
