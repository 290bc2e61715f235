"""The logs: one line per request with a request id, and nothing in them that identifies a
resident (email, postcode) or opens their pledge or account (private link, reset link)."""

import copy
import io
import json
import logging
import logging.config
import re

import pytest
from django.core import mail

from tests.factories import directory as factories

EMAIL = "sam.resident@example.org"
POSTCODE = "WN1 1AA"
PASSWORD = "a long pass phrase for sam"


@pytest.fixture(params=["text", "json"])
def server_log(request, settings):
    """Everything the configured log handlers write, at DEBUG level, in each format."""
    config = copy.deepcopy(settings.LOGGING)
    config["root"]["level"] = "DEBUG"
    for logger in config.get("loggers", {}).values():
        logger["level"] = "DEBUG"
    for handler in config["handlers"].values():
        handler["formatter"] = request.param
    logging.config.dictConfig(config)
    stream = io.StringIO()
    handlers = {h for name in [None, *logging.root.manager.loggerDict]
                for h in getattr(logging.getLogger(name), "handlers", [])}  # fmt: skip
    for handler in handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(stream)
    yield stream
    logging.config.dictConfig(settings.LOGGING)


@pytest.mark.django_db
def test_a_whole_resident_journey_leaves_no_personal_data_in_the_logs(
    client, server_log, django_capture_on_commit_callbacks
):
    from thedeal.deal import demo

    demo.load(seed=1)
    service = factories.ServiceAtLocationFactory().service
    secrets = []

    # Search near home, and report a mistake in a listing, leaving an email address.
    assert client.get("/services/", {"postcode": POSTCODE, "distance": "2"}).status_code == 200
    assert client.get("/services/", {"postcode": "wn11aa", "q": EMAIL}).status_code == 200
    client.post(f"/services/{service.pk}/report/", {"problem": "Closed now", "email": EMAIL})

    # Make a pledge with an email address and a postcode; check in through the private link.
    made = client.post("/deal/your-part/keep-active/",
                       {"email": EMAIL, "reminders": "on", "postcode": POSTCODE})  # fmt: skip
    assert made.status_code == 302
    page = client.get("/deal/your-part/made/").content.decode()
    link = re.search(r'id="private-link">https?://[^/]+(/deal/pledges/[^/]+/)<', page).group(1)
    secrets.append(link.split("/")[-2])
    assert client.post(link, {"progress": "well"}).status_code == 302
    assert client.get(link).status_code == 200

    # Register an account and confirm its address through the emailed link (a secret too),
    # sign out, mistype the password once, sign in.
    with django_capture_on_commit_callbacks(execute=True):
        registered = client.post("/accounts/register/",
                                 {"username": EMAIL, "password1": PASSWORD, "password2": PASSWORD})  # fmt: skip
    assert registered.status_code == 302
    confirm = re.search(r"https?://[^/]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)
    secrets.append(confirm.group(1).split("/")[-2])
    assert client.get(confirm.group(1)).status_code == 200
    client.post("/accounts/sign-out/")
    client.post("/accounts/sign-in/", {"username": EMAIL, "password": "not my password"})
    assert (
        client.post("/accounts/sign-in/", {"username": EMAIL, "password": PASSWORD}).status_code
        == 302
    )
    client.post("/accounts/sign-out/")

    # Forget the password: the emailed link carries a secret token.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/password/reset/", {"email": EMAIL}).status_code == 302
    reset = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[-1].body)
    secrets.append(reset.group(1).split("/")[-2])
    assert client.get(reset.group(1), follow=True).status_code == 200
    assert client.get(reset.group(1).replace(secrets[-1], "set-password")).status_code == 200

    # Delete the pledge, try its link again, then delete the account.
    client.post(f"{link}delete/")
    assert client.get(link).status_code == 404
    assert (
        client.post("/accounts/sign-in/", {"username": EMAIL, "password": PASSWORD}).status_code
        == 302
    )
    assert client.post("/accounts/delete/").status_code == 200

    log = server_log.getvalue()
    assert log.count("\n") >= 20  # a line for each request at least
    for personal in [EMAIL, EMAIL.replace("@", "%40"), "sam.resident", *secrets, PASSWORD]:
        assert personal.lower() not in log.lower(), personal
    for postcode in ["WN1 1AA", "WN11AA", "WN1+1AA", "WN1%201AA"]:
        assert postcode.lower() not in log.lower(), postcode


def access_lines(log: str) -> list[dict]:
    return [json.loads(line) for line in log.splitlines() if '"logger": "thedeal.access"' in line]


@pytest.mark.django_db
@pytest.mark.parametrize("server_log", ["json"], indirect=True)
def test_each_request_gets_an_id_returned_and_carried_by_its_log_lines(client, server_log):
    response = client.get("/services/", {"postcode": POSTCODE})

    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    (line,) = access_lines(server_log.getvalue())
    assert line["request_id"] == request_id
    assert line["method"] == "GET" and line["path"] == "/services/" and line["status"] == 200
    assert line["level"] == "INFO" and "time" in line and line["duration_ms"] >= 0


@pytest.mark.django_db
@pytest.mark.parametrize("server_log", ["json"], indirect=True)
def test_a_proxys_request_id_is_kept_and_a_malformed_one_replaced(client, server_log):
    kept = client.get("/privacy/", HTTP_X_REQUEST_ID="lb-7f3a9c2e-0001")
    replaced = client.get("/privacy/", HTTP_X_REQUEST_ID='bad"\nid injected')

    assert kept["X-Request-ID"] == "lb-7f3a9c2e-0001"
    assert re.fullmatch(r"[0-9a-f]{32}", replaced["X-Request-ID"])
    ids = [line["request_id"] for line in access_lines(server_log.getvalue())]
    assert ids == ["lb-7f3a9c2e-0001", replaced["X-Request-ID"]]


@pytest.mark.django_db
@pytest.mark.parametrize("server_log", ["json"], indirect=True)
@pytest.mark.parametrize("key", ["a-secret-key-nobody-should-read", "a secrét kéy"])
def test_a_private_link_is_logged_by_its_route_not_its_key(client, server_log, key):
    from django.utils.encoding import escape_uri_path

    response = client.get(f"/deal/pledges/{key}/")

    log = server_log.getvalue()
    assert key not in log and escape_uri_path(key) not in log and "secr" not in log
    (line,) = access_lines(log)
    assert line["path"] == "/deal/pledges/<key>/" and line["status"] == 404
    # Django's own line about the missing page, logged after the access line, carries the id too.
    (django_line,) = [json.loads(text) for text in log.splitlines() if "django.request" in text]
    assert django_line["message"] == "Not Found: /deal/pledges/<key>/"
    assert django_line["request_id"] == response["X-Request-ID"]


@pytest.mark.parametrize("server_log", ["json"], indirect=True)
def test_an_error_is_one_json_line_with_its_traceback_scrubbed(server_log):
    try:
        raise ValueError(f"Key (username)=({EMAIL}) already exists, postcode {POSTCODE}")
    except ValueError:
        logging.getLogger("thedeal.test").exception("Could not save")

    (line,) = [json.loads(text) for text in server_log.getvalue().splitlines()]
    assert line["message"] == "Could not save" and line["level"] == "ERROR"
    assert "ValueError" in line["exception"] and "Traceback" in line["exception"]
    assert EMAIL not in line["exception"] and POSTCODE not in line["exception"]


# Committed: the worker closes a connection it finds inside a transaction, as a test's would be.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("server_log", ["json"], indirect=True)
def test_the_task_workers_lines_carry_the_id_of_the_task_they_are_about(server_log):
    from django.core.management import call_command

    from thedeal.deal.tasks import send_pledge_reminders

    task = send_pledge_reminders.enqueue()

    call_command("db_worker", batch=True, reload=False, startup_delay=False, stdout=io.StringIO())

    lines = [json.loads(text) for text in server_log.getvalue().splitlines()]
    finished = [line for line in lines if "state=SUCCESSFUL" in line["message"]]
    assert finished and finished[0]["request_id"] == f"task-{task.id}"
    assert lines[-1]["request_id"] == "-"  # and nothing after it
