import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # CI's PostgreSQL run sets this, so that a run that quietly fell back to SQLite fails.
    if os.environ.get("THEDEAL_REQUIRE_POSTGRES"):
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"]
        if engine != "django.db.backends.postgresql":
            raise pytest.UsageError(
                f"THEDEAL_REQUIRE_POSTGRES is set but the database is {engine}: set DATABASE_URL."
            )


@pytest.fixture(autouse=True)
def _isolated_cache(settings):  # type: ignore[no-untyped-def]
    """Each test gets an empty in-memory cache, so rate limits never leak between tests."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": os.urandom(8).hex(),
        }
    }
    yield
