"""What the privacy filter takes out of a log line, and what it leaves for whoever reads it."""

import pytest

from thedeal.operations.logs import loggable_path, redact


@pytest.mark.parametrize(
    ("line", "logged"),
    [
        # The development server's request line: no query string.
        ('"GET /services/?postcode=WN1+1AA&q=x HTTP/1.1" 200 512',
         '"GET /services/?[query] HTTP/1.1" 200 512'),
        ("Reminder to sam@example.org failed", "Reminder to [email] failed"),
        ("Key (email)=(sam%40example.org)", "Key (email)=([email])"),
        ("Postcodes WN1 1AA, wn11aa and M1  1AE", "Postcodes [postcode], [postcode] and [postcode]"),
        ("Not Found: /deal/pledges/Ab3_secret-Key/", "Not Found: /deal/pledges/<key>/"),
        ("GET /accounts/password/reset/MQ/cz1x-abc123/",
         "GET /accounts/password/reset/<uidb64>/<token>/"),
    ],
)  # fmt: skip
def test_personal_data_and_secrets_are_taken_out(line, logged):
    assert redact(line) == logged


@pytest.mark.parametrize(
    "line",
    [
        'File "/srv/thedeal/thedeal/deal/views.py", line 12, in pledge',
        "GET /services/6f78260a-5ed7-4a71-8687-85f49da9b764/report/ 302 8.4ms",
        "request 3c28317089db4ab4b46f99e6474ed58f took 12ms",
        "Enqueued thedeal.deal.tasks.send_pledge_reminders (task 0193a1b2-7c3d)",
    ],
)
def test_what_helps_an_operator_is_left_alone(line):
    assert redact(line) == line


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/services/6f78260a-5ed7-4a71-8687-85f49da9b764/", "/services/6f78260a-5ed7-4a71-8687-85f49da9b764/"),
        ("/deal/your-part/keep-active/", "/deal/your-part/keep-active/"),
        ("/deal/pledges/secret/withdraw/", "/deal/pledges/<key>/withdraw/"),
        ("/api/directory/services/abc", "/api/directory/services/<id>"),
        ("/api/directory/anything/typed", "/api/directory/<path>"),
        # Matches no page: only its first part, since the rest could be anything.
        ("/deal/pledges/secret/withdraw", "/deal/…"),
        ("/wp-login.php", "/wp-login.php"),
    ],
)  # fmt: skip
def test_a_page_is_logged_by_its_path_only_when_that_holds_nothing_private(path, logged):
    assert loggable_path(path) == logged
