"""Writes about accounts: confirming a resident's email address."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse

from thedeal import notify
from thedeal.accounts.models import address_to_confirm

CONFIRMATION_SALT = "thedeal.accounts.confirm-email"
# Long enough for an email read a few days late; a new link is one click from the account page.
CONFIRMATION_LINK_DAYS = 7


def _fingerprint(address: str) -> str:
    # A link's key is only signed, not encrypted: it names the address by a hash, so that the
    # address itself is never in a URL (where proxies and browser histories keep it).
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:20]


def confirmation_key(user) -> str:
    """A signed, expiring key naming the account and the address it is for, so that a link for
    an address the account no longer has confirms nothing."""
    return signing.TimestampSigner(salt=CONFIRMATION_SALT).sign_object(
        {"user": user.pk, "address": _fingerprint(user.get_username())}
    )


def send_confirmation(*, user) -> bool:
    """Email the account's address a link that confirms it; False if it has nothing to confirm."""
    address = address_to_confirm(user)
    if not address:
        return False
    link = settings.SITE_URL.rstrip("/") + reverse(
        "accounts:confirm-email", args=[confirmation_key(user)]
    )
    notify.send_email(
        to=address,
        subject=f"Confirm your email address for {settings.SERVICE_NAME}",
        body=(
            f"Follow this link to confirm that this is your email address:\n\n{link}\n\n"
            f"The link works for {CONFIRMATION_LINK_DAYS} days. Until you follow it, we cannot "
            "send you reminders about your pledges or a link to reset your password.\n\n"
            f"If you did not create an account with {settings.SERVICE_NAME}, you can ignore this "
            f"email.\n\n{settings.SERVICE_NAME}, {settings.COUNCIL['name']}"
        ),
    )
    return True


def confirm_email(key: str):
    """Confirm the address a link was sent to; returns the account, or None if the link is
    wrong, has expired, or is for an address the account no longer has."""
    try:
        found = signing.TimestampSigner(salt=CONFIRMATION_SALT).unsign_object(
            key, max_age=datetime.timedelta(days=CONFIRMATION_LINK_DAYS)
        )
    except signing.BadSignature:
        return None
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().filter(pk=found.get("user")).first()
        if user is None or _fingerprint(user.get_username()) != found.get("address"):
            return None
        if not user.email:
            user.email = user.get_username()
            user.save(update_fields=["email"])
    return user
