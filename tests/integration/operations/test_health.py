"""Health checks for load balancers and systemd: /healthz (the process is up) and /readyz
(the database and cache answer and every migration is applied)."""

import json

import pytest
from django.db import OperationalError
from django.db.migrations.recorder import MigrationRecorder

PRODUCTION = {
    "SECURE_SSL_REDIRECT": True,
    "ALLOWED_HOSTS": ["thedeal.example.gov.uk"],
}


@pytest.fixture
def production(settings):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)


def probe(client, path, method="get"):
    """As a load balancer probes: plain HTTP, by the server's own address, no cookies."""
    return getattr(client, method)(path, HTTP_HOST="10.0.3.7:8000")


def test_healthz_answers_a_load_balancer_by_address_over_plain_http(client, production):
    response = probe(client, "/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert "Set-Cookie" not in response and not response.cookies
    assert response["Cache-Control"] == "no-store"


def test_head_is_answered_without_a_body(client, production):
    response = probe(client, "/healthz", "head")

    assert response.status_code == 200 and response.content == b""


def test_other_methods_are_refused(client, production):
    response = probe(client, "/readyz", "post")

    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_readyz_reports_each_check(client, production):
    response = probe(client, "/readyz")

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "migrations": "ok"},
    }


@pytest.mark.django_db
def test_readyz_names_an_unapplied_migration(client, production):
    MigrationRecorder.Migration.objects.filter(app="deal", name="0001_initial").delete()

    response = probe(client, "/readyz")

    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "unavailable"
    assert body["checks"]["migrations"] == "not applied: deal.0001_initial"
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readyz_says_the_cache_is_unreachable(client, production, settings):
    # Nothing listens on port 1.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://:cache-password@127.0.0.1:1/5",
        }
    }

    response = probe(client, "/readyz")

    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["checks"]["cache"] == "unreachable"
    assert body["checks"]["database"] == "ok"
    assert "cache-password" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_says_the_database_is_unreachable_without_saying_why(
    client, production, monkeypatch
):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to "db.internal" failed: password "hunter2" refused')

    monkeypatch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.cursor", refuse)

    response = probe(client, "/readyz")

    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["checks"]["database"] == "unreachable"
    assert body["checks"]["migrations"] == "unknown"
    text = response.content.decode()
    assert "hunter2" not in text and "db.internal" not in text and "Traceback" not in text


@pytest.mark.django_db
def test_a_stopped_task_worker_does_not_take_the_site_out_of_service(client, production):
    from thedeal.directory.tasks import send_freshness_digest

    send_freshness_digest.enqueue()  # waits for a worker that is not running

    assert probe(client, "/readyz").status_code == 200


def test_pages_still_redirect_to_https_and_check_the_host(client, production):
    assert probe(client, "/healthz/").status_code == 400  # only the exact paths are special
    response = client.get("/", HTTP_HOST="thedeal.example.gov.uk")
    assert response.status_code == 301 and response["Location"].startswith("https://")
