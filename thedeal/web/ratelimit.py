"""The platform's one rate limiter: who a client is, how requests are counted, and the answer to
a refused request. Every limit in the platform (the ORUK feed, the FHIR API, the site's search
and forms, sign-in, password reset, private pledge links) goes through it.

Who a client is (`client_address`): the address that connected to the server, REMOTE_ADDR.
Behind NUM_PROXIES proxies (a TLS proxy, a load balancer), the address the outermost of them
saw: that many hops from the right of X-Forwarded-For, where each proxy appends the address it
saw. Anything further left was written by the client and is never trusted; with NUM_PROXIES
unset no forwarding header is trusted at all. An IPv6 client is its /64 network, which one home
or office connection is given whole.

How requests are counted: a sliding window, estimated from two fixed windows (this one and the
one before it, weighted by how much of it still falls within a period of now), so that a limit
also holds across the turn of a window. Each count is one atomic increment, so that at most the
limit passes however many requests arrive at once: Redis's INCR in production, the in-memory
cache's lock in tests, and on the file cache (one machine, several server processes) a file
lock around the count. Refused requests are taken off again: a client that keeps asking is told
the truth about when it may ask again.

Counts live in the cache, keyed by a keyed hash (HMAC with SECRET_KEY) of the client, so no
address or email address is ever stored.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import ipaddress
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.memcached import BaseMemcachedCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.core.files import locks
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from thedeal.env import RATE_PATTERN

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

# Caches whose increment is atomic across everything that shares them.
_ATOMIC = (RedisCache, LocMemCache, BaseMemcachedCache)


@dataclass(frozen=True)
class Rate:
    """So many requests per period, e.g. Rate.parse("1200/min")."""

    limit: int
    period: int  # seconds

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = RATE_PATTERN.fullmatch(text.strip())
        if match is None:
            raise ValueError(
                f"{text!r} is not a rate: a number of requests per second, minute, hour or day, "
                "e.g. 1200/min"
            )
        return cls(int(match.group(1)), _PERIODS[match.group(2)[0]])


# --- Who a client is -----------------------------------------------------------------------------
def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    # Some proxies add the port: "192.0.2.1:51234", "[2001:db8::1]:51234".
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind NUM_PROXIES proxies the address the
    outermost of them saw. Also django-axes's record of where a sign-in came from."""
    proxies = settings.NUM_PROXIES
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies:
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        # Fewer hops than proxies: the request did not come through them all (it reached an
        # inner proxy or the server directly), so the header may be the client's own invention.
        if len(hops) >= proxies and (seen := _ip(hops[-proxies])) is not None:
            return str(seen)
    return remote


def _client(request: HttpRequest) -> str:
    address = client_address(request)
    parsed = _ip(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed) if parsed is not None else address


def _hashed(text: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


# --- Counting ------------------------------------------------------------------------------------
@contextlib.contextmanager
def _counting(cache: Any) -> Iterator[None]:
    """Make a count and its correction one step, where the cache does not do that itself."""
    if isinstance(cache, _ATOMIC):
        yield
        return
    if not isinstance(cache, FileBasedCache):
        raise ImproperlyConfigured(
            f"Rate limits need Redis, the file cache or the in-memory cache, not "
            f"{type(cache).__name__}: its counts would not be atomic."
        )
    # The file cache's increment reads and rewrites a file: two processes (or threads) can both
    # read 29 and both write 30. A lock file beside the cache's files makes it one at a time
    # across every server process on the machine; the cache never deletes it (it culls and
    # clears only its own *.djcache files).
    directory = Path(settings.CACHES["default"]["LOCATION"])
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "ratelimit.lock", "a") as handle:
        locks.lock(handle, locks.LOCK_EX)
        try:
            yield
        finally:
            locks.unlock(handle)


def _increment(cache: Any, key: str, timeout: int) -> int:
    if isinstance(cache, FileBasedCache):
        # Under _counting's lock, so a plain read and write is atomic, and reads a file less.
        count = cache.get(key, 0) + 1
        cache.set(key, count, timeout=timeout)
        return count
    for _ in range(3):
        if cache.add(key, 1, timeout=timeout):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # it expired between add and incr: start it again
            continue
    raise RuntimeError(f"could not count a request in the cache ({key})")


def _take_back(cache: Any, key: str, timeout: int) -> None:
    """Undo one count (under _counting). On the file cache decr would rewrite the count with the
    cache's default timeout (5 minutes), forgetting an hour's count early; so a read and write
    with the count's own timeout instead."""
    if isinstance(cache, FileBasedCache):
        count = cache.get(key)
        if count:
            cache.set(key, count - 1, timeout=timeout)
        return
    with contextlib.suppress(ValueError):  # already expired: nothing to take back
        cache.decr(key)


@dataclass
class Attempt:
    """One counted request: allowed or not, and if not, how many seconds until it would be."""

    allowed: bool
    retry_after: int
    _key: str = field(repr=False)
    _timeout: int = field(repr=False)
    _refunded: bool = field(default=False, repr=False)

    def refund(self) -> None:
        """Take back an allowed request that should not count (a right password, a real link)."""
        if self.allowed and not self._refunded:
            self._refunded = True
            cache = caches["default"]
            with _counting(cache):
                _take_back(cache, self._key, self._timeout)


@dataclass(frozen=True)
class Limit:
    """A named limit: `scope` keeps its counts apart from every other limit's, `rate` is a rate
    ("10/hour") or a function giving one (for a rate read from settings), and `refusal` is the
    sentence the try-again page opens with."""

    scope: str
    rate: str | Callable[[], str]
    refusal: str = "Too many requests have come from your connection."

    def current_rate(self) -> Rate:
        return Rate.parse(self.rate() if callable(self.rate) else self.rate)

    def hit(self, request: HttpRequest, *, by: str | None = None) -> Attempt:
        """Count one request from this client (or, with `by`, for this email address or other
        name, wherever it comes from) and say whether it is allowed."""
        rate = self.current_rate()
        who = _hashed(f"{self.scope}:{by.strip().lower()}" if by is not None else _client(request))
        at = time.time()
        window, into = divmod(at, rate.period)
        current = f"ratelimit:{self.scope}:{who}:{int(window)}"
        previous = f"ratelimit:{self.scope}:{who}:{int(window) - 1}"
        # Kept for two periods: the next window weighs this one.
        timeout = 2 * rate.period + 1
        cache = caches["default"]
        with _counting(cache):
            count = _increment(cache, current, timeout)
            before = cache.get(previous, 0)
            # The share of the previous window that still lies within one period of now.
            weight = 1 - into / rate.period
            # (The tolerance keeps float rounding from refusing a request exactly at the limit.)
            if before * weight + count <= rate.limit + 1e-9:
                return Attempt(True, 0, current, timeout)
            _take_back(cache, current, timeout)
        return Attempt(False, _wait(rate, window, at, before, count), current, timeout)


def _wait(rate: Rate, window: float, at: float, before: int, count: int) -> int:
    """Seconds until the next request would be allowed, if nothing else arrives meanwhile."""
    period, limit = rate.period, rate.limit
    if count <= limit and before:
        # Later in this window, once enough of the previous one has slid out of the period.
        share = 1 - (limit - count) / before
        ready = (window + share) * period
    else:
        # In the next window, once enough of this one (count - 1 allowed) has slid out.
        allowed = count - 1
        share = max(0.0, 1 - (limit - 1) / allowed) if allowed else 0.0
        ready = (window + 1 + share) * period
    return max(1, math.ceil(round(ready - at, 6)))


# --- The platform's limits -----------------------------------------------------------------------
# Per client (see client_address) unless it says otherwise; each holds over any such period.
FEED = Limit(
    "directory-feed",
    # Per client; DIRECTORY_API_RATE_LIMIT, by default leaving an aggregator room to harvest.
    lambda: settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["directory"],
    "Too many requests to the directory feed have come from your connection.",
)
# Per API token (whoever holds it, from wherever): FHIR_API_RATE_LIMIT.
FHIR_API = Limit(
    "fhir-api",
    lambda: settings.FHIR_API_RATE_LIMIT,
    "Too many requests have been made with this API token.",
)
SEARCH = Limit(
    "directory-search",
    # Far above what people searching need, even a library's worth on one connection; each
    # search may look up a postcode, and floods of them slow the site for everyone.
    "120/min",
    "Too many searches have come from your connection.",
)
REPORTS = Limit(
    "directory-report", "10/hour", "Too many reports have been sent from your connection."
)
PLEDGES = Limit("deal-pledge", "20/hour", "Too many pledges have been made from your connection.")
CHECK_INS = Limit(
    "deal-check-in", "30/hour", "Too many check-ins have been sent from your connection."
)
# Private links that lead nowhere: someone is guessing. A link that works is not counted.
PLEDGE_LINKS = Limit(
    "deal-pledge-link",
    "20/hour",
    "Too many pledge links that do not work have been opened from your connection.",
)
REGISTRATIONS = Limit(
    "register", "10/hour", "Too many accounts have been made from your connection."
)
# Wrong passwords, whatever the username (django-axes also locks one username after
# SIGN_IN_FAILURE_LIMIT wrong passwords from anywhere). A right password is not counted. Generous,
# because a whole council office may share one address.
SIGN_IN = Limit(
    "sign-in",
    "30/hour",
    "Too many sign-in attempts with wrong details have come from your connection.",
)
PASSWORD_RESETS = Limit(
    "password-reset",
    "10/hour",
    "Too many password resets have been asked for from your connection.",
)
# Per email address, from anywhere: nobody's inbox can be flooded with reset emails.
PASSWORD_RESETS_TO_ONE_ADDRESS = Limit(
    "password-reset-address",
    "3/hour",
    "Too many password resets have been asked for this email address.",
)


# --- The answer to a refused request ------------------------------------------------------------
def _plural(number: int, unit: str) -> str:
    return f"{number} {unit}{'' if number == 1 else 's'}"


def in_words(seconds: int) -> str:
    """A wait as people say it: "40 seconds", "12 minutes", "1 hour and 2 minutes" (rounded up,
    so that trying again when it says always works)."""
    if seconds < 60:
        return _plural(seconds, "second")
    hours, minutes = divmod(math.ceil(seconds / 60), 60)
    if not hours:
        return _plural(minutes, "minute")
    return _plural(hours, "hour") + (f" and {_plural(minutes, 'minute')}" if minutes else "")


def try_again_later(request: HttpRequest, limit: Limit, attempt: Attempt) -> HttpResponse:
    """The site's answer to a refused request: 429, Retry-After, and a page saying when."""
    html = render_to_string(
        "web/too_many_requests.html",
        {"refusal": limit.refusal, "wait": in_words(attempt.retry_after)},
        request=request,
    )
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(attempt.retry_after)
    response["Cache-Control"] = "no-store"
    return response


def limited(
    limit: Limit, *, methods: tuple[str, ...] = ("POST",)
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A view decorator: requests with these methods count against the limit, and once it is
    reached get the try-again page instead of the view."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                attempt = limit.hit(request)
                if not attempt.allowed:
                    return try_again_later(request, limit, attempt)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
