"""Every rate limit on the site answers the same way: a 429 page that says when to try again.

The limits themselves (how many, per what) are in thedeal/web/ratelimit.py; these tests go
through the pages as a resident, an editor or an attacker would.
"""

import pytest
from django.contrib.auth.models import User

from tests.factories import directory as factories
from thedeal.deal import actions, demo
from thedeal.deal.models import CheckIn, PledgeType
from thedeal.web.ratelimit import in_words

pytestmark = pytest.mark.django_db


def assert_try_again_page(response, reason: str) -> None:
    """The one answer to a refused request: 429, Retry-After, and a page saying when."""
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    # A sliding hour: up to an hour and a tenth of one for a limit of 10 an hour.
    assert 0 < wait <= 3600 + 360
    html = response.content.decode()
    assert "Too many requests from your connection" in html
    assert reason in html
    assert f"Try again in {in_words(wait)}." in html


@pytest.fixture
def keep_active(db):
    demo.load(seed=1)
    return PledgeType.objects.get(slug="keep-active")


def test_check_ins_beyond_the_limit_get_the_try_again_page(client, keep_active):
    _, token = actions.make_pledge(pledge_type=keep_active)
    link = f"/deal/pledges/{token}/"
    for _ in range(30):
        assert client.post(link, {"progress": "well"}).status_code == 302

    refused = client.post(link, {"progress": "well"})

    assert_try_again_page(refused, "Too many check-ins")
    assert CheckIn.objects.count() == 30


def test_registrations_beyond_the_limit_get_the_try_again_page(client):
    def register(n):
        return client.post("/accounts/register/", {"username": f"resident{n}@example.org",
                                                   "password1": "a long pass phrase here",
                                                   "password2": "a long pass phrase here"})  # fmt: skip

    for n in range(10):
        assert register(n).status_code == 302
        client.logout()

    assert_try_again_page(register(10), "Too many accounts")
    assert User.objects.count() == 10


def test_pledges_and_reports_beyond_the_limit_get_the_try_again_page(client, keep_active):
    for _ in range(20):
        assert client.post("/deal/your-part/keep-active/", {}).status_code == 302
    assert_try_again_page(client.post("/deal/your-part/keep-active/", {}), "Too many pledges")

    service = factories.ServiceFactory()
    url = f"/services/{service.pk}/report/"
    for _ in range(10):
        assert client.post(url, {"problem": "Wrong"}).status_code == 302
    assert_try_again_page(client.post(url, {"problem": "Wrong"}), "Too many reports")


def test_guessing_private_pledge_links_is_stopped(client, keep_active):
    _, token = actions.make_pledge(pledge_type=keep_active)
    for n in range(20):
        assert client.get(f"/deal/pledges/guess{n:04d}/").status_code == 404

    assert_try_again_page(client.get("/deal/pledges/guess9999/"), "Too many pledge links")
    # Even a right guess now: the limit is on the connection, not on wrong answers alone.
    assert client.get(f"/deal/pledges/{token}/").status_code == 429
    assert client.post(f"/deal/pledges/{token}/withdraw/").status_code == 429


def test_a_resident_opening_their_own_pledge_often_is_not_limited(client, keep_active):
    _, token = actions.make_pledge(pledge_type=keep_active)
    for _ in range(50):
        assert client.get(f"/deal/pledges/{token}/").status_code == 200


def test_password_reset_emails_one_address_only_a_few_times(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    User.objects.create_user("priya@example.org", email="priya@example.org", password="x" * 20)
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            # From twelve different connections: the limit on the address holds wherever they are.
            client.post(
                "/accounts/password/reset/",
                {"email": "Priya@example.org"},
                REMOTE_ADDR=f"192.0.2.{n}",
            ).status_code  # fmt: skip
            for n in range(12)
        ]
    assert answers == [302] * 3 + [429] * 9
    assert len(mailoutbox) == 3


def test_password_resets_from_one_connection_are_limited(client, mailoutbox):
    for n in range(10):
        page = client.post("/accounts/password/reset/", {"email": f"someone{n}@example.org"})
        assert page.status_code == 302
    refused = client.post("/accounts/password/reset/", {"email": "another@example.org"})
    assert_try_again_page(refused, "Too many password resets")


def test_sign_in_attempts_from_one_connection_are_limited(client):
    # Different usernames each time: the lock on a username never comes into it.
    for n in range(30):
        page = client.post("/accounts/sign-in/", {"username": f"u{n}@example.org", "password": "x"})
        assert page.status_code == 200
    refused = client.post("/accounts/sign-in/", {"username": "u99@example.org", "password": "x"})
    assert_try_again_page(refused, "Too many sign-in attempts")


def test_signing_in_successfully_does_not_count_towards_the_limit(client):
    User.objects.create_user("priya@example.org", password="correct horse battery staple")
    for _ in range(40):
        page = client.post("/accounts/sign-in/", {"username": "priya@example.org",
                                                  "password": "correct horse battery staple"})  # fmt: skip
        assert page.status_code == 302
        client.logout()


@pytest.fixture
def still_clock(monkeypatch):
    """The limiter's clock stands still, so a long test cannot straddle the turn of a minute
    (when part of the allowance comes back, as it should)."""
    from types import SimpleNamespace

    from thedeal.web import ratelimit

    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))


@pytest.mark.slow
def test_the_sites_search_is_limited_like_the_feed(client, still_clock):
    for n in range(120):
        assert client.get("/services/", {"q": f"walking {n}"}).status_code == 200
    refused = client.get("/services/", {"q": "swimming"})
    assert_try_again_page(refused, "Too many searches")
    # The search page itself, with nothing searched for, still opens.
    assert client.get("/services/").status_code == 200


def test_a_forged_forwarded_for_does_not_lift_a_form_limit(client, settings):
    service = factories.ServiceFactory()
    url = f"/services/{service.pk}/report/"
    for n in range(10):
        forged = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}
        assert client.post(url, {"problem": "Wrong"}, **forged).status_code == 302
    refused = client.post(url, {"problem": "Wrong"}, HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert refused.status_code == 429


def feed_limit(settings, rate: str) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"directory": rate},
    }


def test_a_forged_forwarded_for_does_not_lift_the_feeds_limit(client, settings):
    feed_limit(settings, "3/min")
    url = "/api/directory/taxonomies"
    answers = [
        client.get(url, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(4)
    ]
    whole_directory = client.get(
        "/api/directory/services", {"format": "ndjson"}, HTTP_X_FORWARDED_FOR="198.51.100.99"
    )

    assert answers == [200, 200, 200, 429]
    assert whole_directory.status_code == 429
    assert whole_directory.json()["retry_after_seconds"] == int(whole_directory["Retry-After"])


def test_behind_a_proxy_each_client_of_the_feed_has_its_own_limit(client, settings):
    settings.NUM_PROXIES = 1
    feed_limit(settings, "3/min")
    url = "/api/directory/taxonomies"

    def through_proxy(header):
        return client.get(url, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=header).status_code

    # Each forges a different first hop; the proxy appends the address it saw.
    first = [through_proxy(f"203.0.113.{n}, 192.0.2.1") for n in range(4)]
    second = [through_proxy(f"203.0.113.{n}, 192.0.2.2") for n in range(4)]

    assert first == second == [200, 200, 200, 429]


def test_a_failed_sign_in_is_recorded_against_the_real_client(client, settings):
    from axes.models import AccessAttempt

    settings.NUM_PROXIES = 1
    client.post(
        "/accounts/sign-in/",
        {"username": "priya@example.org", "password": "wrong"},
        REMOTE_ADDR="10.0.0.5",  # the proxy
        HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.77",  # a forged hop, then what it saw
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["192.0.2.77"]
