"""axe-core on every page the site renders (Django's admin aside), with JavaScript on and off."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from thedeal.directory.models import Location, Service

pytestmark = [pytest.mark.once, pytest.mark.slow]

# WCAG 2.2 A and AA, and the best practices axe checks beside them.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def pages():
    service = Service.objects.exclude(status="defunct").order_by("name").first()
    place = Location.objects.filter(confidential=False, location_type="physical").first()
    return {
        "home": "/",
        "search": "/services/",
        "search results near a postcode": "/services/?q=walk&postcode=WN1+1AA&distance=5",
        "search results, page 2": "/services/?page=2&age=30",
        "search with errors": "/services/?postcode=nowhere&age=old",
        "search with no results": "/services/?q=zzzzqqq",
        "service": f"/services/{service.pk}/",
        "place": f"/services/places/{place.pk}/",
        "report form": f"/services/{service.pk}/report/",
        "report sent": f"/services/{service.pk}/report/sent/",
        "accessibility statement": "/accessibility/",
        "privacy notice": "/privacy/",
        "cookies": "/cookies/",
        "page not found": "/no-such-page/",
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


def test_the_report_form_with_errors_has_no_violation(checked_page, borough):
    page = checked_page
    service = Service.objects.order_by("name").first()
    page.goto(f"/services/{service.pk}/report/")
    page.get_by_role("button", name="Send").click()
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    assert not result.violations_count, result.generate_report()
