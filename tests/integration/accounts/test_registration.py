"""A resident creating an account: what the pages promise, GOV.UK errors with the password
rules beside the field, and an email address that receives nothing until it is confirmed."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.core import signing
from django.utils import timezone

from tests.factories import accounts as people
from tests.factories.accounts import PASSWORD
from thedeal.accounts import actions

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "three random words"


def register(client, username="Sam@Example.org", password=NEW_PASSWORD, again=None):
    return client.post(
        "/accounts/register/",
        {"username": username, "password1": password, "password2": again or password},
    )


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body).group(1)


@pytest.mark.parametrize("path", ["/accounts/sign-in/", "/accounts/register/"])
def test_sign_in_and_register_say_what_an_account_adds_and_that_none_is_needed(client, path):
    page = client.get(path).content.decode()
    assert "You do not need an account to find what helps near you" in page
    assert "no private link to keep" in page
    assert "reminder email each month" in page
    assert "delete your account" in page


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, ["Enter your email address", "Enter a password", "Confirm your password"]),
        ({"username": "sam", "password1": "x", "password2": "x"},
         ["Enter an email address in the correct format, like name@example.com",
          "Your password must be at least 12 characters long"]),
        ({"username": "sam@example.org", "password1": NEW_PASSWORD, "password2": "three random wordz"},
         ["Passwords must match"]),
        ({"username": "sam@example.org", "password1": "short", "password2": "shorter"},
         ["Your password must be at least 12 characters long", "Passwords must match"]),
        ({"username": "sam@example.org", "password1": "381924756301", "password2": "381924756301"},
         ["Your password must not be only numbers"]),
        ({"username": "sam@example.org", "password1": "password1234", "password2": "password1234"},
         ["Your password is one that many people use: choose one that is harder to guess"]),
        ({"username": "sam.smith@example.org", "password1": "sam.smith@example",
          "password2": "sam.smith@example"},
         ["Your password must not be like your email address"]),
    ],
)  # fmt: skip
def test_registration_errors_are_in_gov_uk_words(client, data, errors):
    page = client.post("/accounts/register/", data).content.decode()
    assert "There is a problem" in page
    for error in errors:
        # In the summary, linked to its field, and above the field itself.
        assert re.search(rf'<li><a href="#id_\w+">{error}</a></li>', page), error
        assert f'<span class="govuk-visually-hidden">Error:</span> {error}</p>' in page, error
    assert "didn’t match" not in page and "Password confirmation" not in page
    assert not User.objects.exists()


RULES = (
    "Your password must be at least 12 characters long, not like your email address, not a "
    "commonly used password and not only numbers."
)


@pytest.mark.parametrize(
    ("path", "signed_in"),
    [("/accounts/register/", False), ("/accounts/password/", True)],
)
def test_the_password_rules_are_shown_beside_the_new_password(client, path, signed_in):
    if signed_in:
        client.force_login(people.sam())
    page = client.get(path).content.decode()
    hint = re.search(r'<div id="(id_\w*password1)-hint" class="govuk-hint">([^<]+)</div>', page)
    assert hint.group(2).startswith(RULES)
    # Read out with the field it is beside.
    assert f'aria-describedby="{hint.group(1)}-hint"' in page


def test_the_password_rules_follow_the_settings(client, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
         "OPTIONS": {"min_length": 15}},
    ]  # fmt: skip
    page = client.get("/accounts/register/").content.decode()
    assert "Your password must be at least 15 characters long." in page
    refused = register(client, password="correct horse").content.decode()  # 13 characters
    assert "Your password must be at least 15 characters long</p>" in refused


def test_changing_a_password_speaks_gov_uk(client):
    client.force_login(people.sam())
    page = client.post("/accounts/password/", {"old_password": "wrong", "new_password1": NEW_PASSWORD,
                                                "new_password2": "different words here"}).content.decode()  # fmt: skip
    assert "Your current password is not right: enter it again" in page
    assert "Passwords must match" in page
    empty = client.post("/accounts/password/", {}).content.decode()
    for error in (
        "Enter your current password",
        "Enter a new password",
        "Confirm your new password",
    ):
        assert error in empty


def test_a_new_account_receives_no_email_until_its_address_is_confirmed(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert register(client)["Location"] == "/accounts/"
    sam = User.objects.get(username="sam@example.org")
    assert sam.email == ""  # nothing can be sent to the account yet
    (message,) = mailoutbox
    assert message.to == ["sam@example.org"] and "confirm" in message.subject.lower()
    # The link does not carry the address (its key is signed, not encrypted).
    key = confirmation_link(message).split("/")[-2]
    named = signing.b64_decode(key.split(":")[0].encode()).decode()
    assert '"user"' in named and "sam" not in named

    account = client.get("/accounts/").content.decode()
    assert "Confirm your email address" in account and "Not confirmed" in account
    assert "Send a new link" in account

    # A password reset cannot reach the account before it is confirmed.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "sam@example.org"})
    assert len(mailoutbox) == 1

    client.logout()  # the link works signed out, on any device
    confirmed = client.get(confirmation_link(message))
    assert confirmed.status_code == 200 and "Email address confirmed" in confirmed.content.decode()
    sam.refresh_from_db()
    assert sam.email == "sam@example.org"

    client.force_login(sam)
    account = client.get("/accounts/").content.decode()
    assert "Confirm your email address" not in account and "Confirmed" in account


def test_a_confirmation_link_expires_and_cannot_be_forged(client, mailoutbox, monkeypatch,
                                                          django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        register(client)
    link = confirmation_link(mailoutbox[0])
    assert client.get(link.replace("/confirm-email/", "/confirm-email/x")).status_code == 404

    later = timezone.now() + datetime.timedelta(days=actions.CONFIRMATION_LINK_DAYS + 1)
    monkeypatch.setattr("django.core.signing.time.time", lambda: later.timestamp())
    expired = client.get(link)
    assert expired.status_code == 404 and "This link does not work" in expired.content.decode()
    assert User.objects.get().email == ""


def test_a_link_for_an_address_the_account_no_longer_has_confirms_nothing(client):
    sam = people.UserFactory(username="sam@example.org", confirmed=False)
    link = f"/accounts/confirm-email/{actions.confirmation_key(sam)}/"
    sam.username = "sam@another.example"
    sam.save()
    assert client.get(link).status_code == 404
    sam.refresh_from_db()
    assert sam.email == ""


def test_a_new_confirmation_link_can_be_asked_for_a_few_times_an_hour(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    sam = people.UserFactory(username="sam@example.org", confirmed=False)
    client.force_login(sam)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            sent = client.post("/accounts/confirm-email/", follow=True)
        assert "We have sent a new link to sam@example.org" in sent.content.decode()
    refused = client.post("/accounts/confirm-email/")
    assert refused.status_code == 429 and "Retry-After" in refused
    assert len(mailoutbox) == 3
    # Each new link works.
    assert client.get(confirmation_link(mailoutbox[0])).status_code == 200


def test_an_account_with_a_confirmed_address_is_sent_no_new_link(client, mailoutbox):
    client.force_login(people.sam())
    client.post("/accounts/confirm-email/")
    assert mailoutbox == []
    assert "Confirm your email address" not in client.get("/accounts/").content.decode()


def test_staff_sign_in_names_are_not_taken_for_addresses_to_confirm(client):
    staff = User.objects.create_user("dana", password=PASSWORD)
    client.force_login(staff)
    page = client.get("/accounts/").content.decode()
    assert "Confirm your email address" not in page and "Username" in page
