"""What the privacy filter takes out of a log line, and what it leaves for whoever reads it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _wigan_postcodes() -> list[str]:
    import csv
    import pathlib

    import thedeal.geography

    path = pathlib.Path(thedeal.geography.__file__).parent / "data" / "wigan_postcodes.csv"
    with path.open(newline="") as rows:
        return [row["postcode"] for row in csv.DictReader(rows)]


POSTCODES = _wigan_postcodes()
SPELLINGS = [
    lambda p: p,
    lambda p: p.lower(),
    lambda p: p.replace(" ", ""),
    lambda p: p.replace(" ", "+"),
    lambda p: p.replace(" ", "%20"),
    lambda p: p.replace(" ", "  "),
]


@settings(derandomize=True, max_examples=400, deadline=None)
@given(
    postcode=st.sampled_from(POSTCODES),
    spelling=st.sampled_from(SPELLINGS),
    local=st.from_regex(r"[a-z][a-z0-9._+-]{0,20}", fullmatch=True),
    domain=st.from_regex(r"[a-z0-9-]{1,12}(\.[a-z]{2,6}){1,2}", fullmatch=True),
    before=st.sampled_from(["", " ", "(", '"', "=", ": ", "/services/?q=", "x "]),
    after=st.sampled_from(["", " ", ")", '"', ",", ". ", "&page=2", "\n"]),
)
def test_no_postcode_or_email_address_survives_in_any_spelling(
    postcode, spelling, local, domain, before, after
):
    written = spelling(postcode)
    email = f"{local}@{domain}"

    line = redact(f"{before}{written}{after} and {before}{email}{after}")

    assert written.lower() not in line.lower() and email not in line
