"""schemathesis against the ORUK feed: every operation of its OpenAPI document, every check.

Bounded for CI (a few examples an operation, derandomised, so it is fast and the same on every
run); benchmarks/fuzz_feed.py runs the same fuzz in full. The three refusals OpenAPI cannot
express are listed in schemathesis.toml (and recognised by tests/feed_fuzz_hooks.py); nothing
else is excluded.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_borough"), pytest.mark.slow]

EXAMPLES = 5


@pytest.fixture
def feed_schema(settings):  # type: ignore[no-untyped-def]
    # The rate limit is not what is being tested: each test has its own empty cache, and a limit
    # no fuzz reaches.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"directory": "1000000/min"},
    }
    # Django closes the database connection after each request; inside a test's transaction that
    # would end the test's own connection (Django's test client stops it the same way).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/directory/openapi.json", WSGIHandler())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("feed_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    # The demo borough is loaded once for the module, outside each example.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_feed_keeps_the_promises_of_its_openapi_document(case):  # type: ignore[no-untyped-def]
    # In-process responses are not un-gzipped as an HTTP client would: ask for them plain.
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
