import io
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


@pytest.fixture(scope="session")
def _outbox(tmp_path_factory):  # type: ignore[no-untyped-def]
    return tmp_path_factory.mktemp("outbox")


@pytest.fixture(autouse=True)
def _texts_kept_aside(settings, _outbox):  # type: ignore[no-untyped-def]
    """Text messages (without Notify, kept as files) go to the run's own folder, never the
    checkout's var/; a test that reads them asks for `texts_kept`. Emails go to Django's
    locmem outbox in tests (pytest-django's `mailoutbox`)."""
    settings.TEXT_FILE_PATH = _outbox / "texts"


@pytest.fixture
def texts_kept(settings, tmp_path):  # type: ignore[no-untyped-def]
    """The text messages kept (Notify not set up) during this test: each file's text, oldest
    first."""
    settings.TEXT_FILE_PATH = tmp_path / "texts"

    def read() -> list[str]:
        folder = tmp_path / "texts"
        return [f.read_text() for f in sorted(folder.glob("*.txt"))] if folder.exists() else []

    return read


@pytest.fixture(scope="module")
def demo_borough(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """A small synthetic borough (300 services), loaded once for a test module, removed after it.

    Tests that use it must not change it: they read the feed as a harvester would.
    """
    from django.core.management import call_command

    from thedeal.directory.models import Service

    with django_db_blocker.unblock():
        if not Service.objects.exists():
            quiet = io.StringIO()
            call_command(
                "load_demo",
                services=300,
                seed=7,
                no_people=True,
                casework_people=0,
                stdout=quiet,
                stderr=quiet,
            )
        yield
        from thedeal.directory import hsds

        for t in hsds.tables():
            t.model._default_manager.all().delete()
