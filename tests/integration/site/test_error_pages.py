"""A mistyped address or a fault shows the council's own pages, as the demo and production run
(DEBUG off): never Django's debug page, with its list of every address and setting."""

from types import ModuleType

import pytest
from django.test import Client
from django.urls import path

import thedeal.urls


@pytest.mark.django_db
def test_a_mistyped_address_shows_the_councils_page_not_found(client):
    response = client.get("/servcies/walking-groups/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "Wigan Council" in page
    assert "check it is correct" in page
    # Django's debug 404 lists the site's addresses ("Using the URLconf defined in ...").
    assert "URLconf" not in page and "tried these URL patterns" not in page


def fails(request):
    raise RuntimeError("the database went away mid-request")


@pytest.mark.django_db
def test_a_fault_shows_the_councils_problem_page_with_how_to_reach_it(settings):
    # The site's own addresses and error handlers, with one address that always fails.
    urlconf = ModuleType("failing_urls")
    urlconf.urlpatterns = [path("fails/", fails), *thedeal.urls.urlpatterns]
    urlconf.handler500 = thedeal.urls.handler500
    settings.ROOT_URLCONF = urlconf
    client = Client(raise_request_exception=False)

    response = client.get("/fails/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page and "Try again later." in page
    assert "Wigan Council" in page and "01942 000000" in page
    assert "thedeal@example.org.uk" in page
    assert "database went away" not in page and "Traceback" not in page
