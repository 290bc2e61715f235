"""The rate limit holds whatever the concurrency, the cache, and the time of the minute.

The concurrency tests run against each cache the platform may use: the file cache (one machine),
Redis (production) and the in-memory cache (tests). Without Redis at THEDEAL_TEST_REDIS_URL the
Redis cases skip, saying why; CI sets THEDEAL_REQUIRE_REDIS=1 so that they fail instead.
"""

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import RequestFactory

from thedeal.directory.api.views import DirectoryThrottle

REDIS_URL = os.environ.get("THEDEAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")


@pytest.fixture(params=["file", "redis", "memory"])
def any_cache(request, settings, tmp_path):
    """The default cache as each backend the platform may run on, empty."""
    if request.param == "file":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
        yield request.param
    elif request.param == "redis":
        yield from _redis_cache(settings)
    else:
        yield request.param  # conftest's in-memory cache


def _redis_cache(settings):
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("THEDEAL_REQUIRE_REDIS"):
            pytest.fail(f"THEDEAL_REQUIRE_REDIS is set but Redis at {REDIS_URL} is unreachable")
        pytest.skip(f"Redis tests need Redis at {REDIS_URL} ({error}); redis-server starts it")
    # Keys of this test alone, removed after it: nothing else in the database is touched.
    prefix = f"test-{os.urandom(6).hex()}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield "redis"
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def feed_limit(settings, rate: str) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"directory": rate},
    }


def feed_request(address: str = "192.0.2.10", **headers):
    return RequestFactory().get("/api/directory/taxonomies", REMOTE_ADDR=address, **headers)


def test_at_most_the_limit_passes_from_many_threads_at_once(any_cache, settings):
    # A day's window, so that the run cannot straddle the turn of one.
    feed_limit(settings, "30/day")
    start = threading.Barrier(20)

    def one(_):
        if _ < 20:
            start.wait()  # twenty requests at the same instant, then the rest as they come
        return DirectoryThrottle().allow_request(feed_request(), None)

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(one, range(100)))

    assert answers.count(True) == 30


def test_a_limit_holds_across_the_turn_of_a_minute(monkeypatch, settings):
    feed_limit(settings, "30/min")
    clock = [1_800_000_000 + 58.0]  # two seconds before a minute turns
    monkeypatch.setattr(time, "time", lambda: clock[0])

    def burst(n: int) -> int:
        return sum(DirectoryThrottle().allow_request(feed_request(), None) for _ in range(n))

    before = burst(40)
    clock[0] += 3  # one second after it turned
    after = burst(40)

    assert before == 30 and after == 0
    clock[0] += 60  # a minute on: the allowance is back
    assert burst(40) > 0


def test_a_refused_request_is_told_how_long_to_wait(monkeypatch, settings):
    feed_limit(settings, "10/min")
    clock = [1_800_000_000 + 30.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    for _ in range(10):
        assert DirectoryThrottle().allow_request(feed_request(), None)

    refused = DirectoryThrottle()
    assert not refused.allow_request(feed_request(), None)
    wait = refused.wait()

    # The wait it gives is enough, and no longer than needed.
    clock[0] += wait - 1
    assert not DirectoryThrottle().allow_request(feed_request(), None)
    clock[0] += 1
    assert DirectoryThrottle().allow_request(feed_request(), None)


def test_refused_requests_do_not_use_up_the_next_allowance(monkeypatch, settings):
    feed_limit(settings, "10/min")
    clock = [1_800_000_000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    passed = [DirectoryThrottle().allow_request(feed_request(), None) for _ in range(500)]
    assert passed.count(True) == 10

    clock[0] += 120  # two minutes later: whatever was hammered before, a full allowance again
    again = [DirectoryThrottle().allow_request(feed_request(), None) for _ in range(20)]
    assert again.count(True) == 10


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        {"HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7"},
        {"HTTP_X_FORWARDED_FOR": "not an address"},
    ],
)
def test_without_proxies_no_forwarding_header_is_trusted(settings, headers):
    feed_limit(settings, "3/min")
    for _ in range(3):
        assert DirectoryThrottle().allow_request(feed_request(), None)

    assert not DirectoryThrottle().allow_request(feed_request(**headers), None)


def test_behind_one_proxy_the_client_is_the_address_it_saw(settings):
    settings.NUM_PROXIES = 1
    feed_limit(settings, "3/min")
    proxy = "10.0.0.5"
    for n in range(3):
        # A forged first hop changes nothing: the proxy appends the address it saw.
        forged = {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}, 198.51.100.7"}
        assert DirectoryThrottle().allow_request(feed_request(proxy, **forged), None)

    same = {"HTTP_X_FORWARDED_FOR": "203.0.113.99, 198.51.100.7"}
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    assert not DirectoryThrottle().allow_request(feed_request(proxy, **same), None)
    assert DirectoryThrottle().allow_request(feed_request(proxy, **other), None)


def test_a_request_that_bypassed_the_proxies_is_counted_by_its_own_address(settings):
    settings.NUM_PROXIES = 2
    feed_limit(settings, "3/min")
    for n in range(3):
        # Two hops expected, one given: this request did not come through both proxies.
        forged = {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        assert DirectoryThrottle().allow_request(feed_request("192.0.2.50", **forged), None)
    assert not DirectoryThrottle().allow_request(feed_request("192.0.2.50"), None)


def test_one_ipv6_network_is_one_client(settings):
    # A home connection gets a /64 of its own: rotating through it is not a way around.
    feed_limit(settings, "3/min")
    for n in range(3):
        assert DirectoryThrottle().allow_request(feed_request(f"2001:db8:1:2::{n + 1}"), None)
    assert not DirectoryThrottle().allow_request(feed_request("2001:db8:1:2:ffff::1"), None)
    assert DirectoryThrottle().allow_request(feed_request("2001:db8:1:3::1"), None)


def test_an_hours_count_lasts_the_hour_after_refusals(any_cache, monkeypatch, settings):
    # Taking a refused request off again must not shorten how long the count is kept.
    feed_limit(settings, "10/hour")
    clock = [1_800_000_000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    passed = [DirectoryThrottle().allow_request(feed_request(), None) for _ in range(12)]
    assert passed.count(True) == 10

    clock[0] += 20 * 60
    assert not DirectoryThrottle().allow_request(feed_request(), None)


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("203.0.113.1, 198.51.100.7:51234", "198.51.100.7"),  # a proxy that adds the port
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("unknown", "10.0.0.5"),  # not an address: the proxy's own, never the header's text
        ("", "10.0.0.5"),
    ],
)
def test_the_client_behind_a_proxy_is_read_strictly(settings, forwarded, client):
    from thedeal.web.ratelimit import client_address

    settings.NUM_PROXIES = 1
    request = feed_request("10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == client


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 second"),
        (59, "59 seconds"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (3600, "1 hour"),
        (3700, "1 hour and 2 minutes"),
        (7260, "2 hours and 1 minute"),
    ],
)
def test_the_wait_is_said_in_words_rounded_up(seconds, words):
    from thedeal.web.ratelimit import in_words

    assert in_words(seconds) == words
