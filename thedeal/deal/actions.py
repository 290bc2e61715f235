"""Writes of "your part": pledges made, checked in on, withdrawn, deleted and expired."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from thedeal import geography
from thedeal.deal.models import CheckIn, Pledge, PledgeType, hash_token

REMINDER_SALT = "thedeal.deal.pledge-reminder"


def make_pledge(
    *,
    pledge_type: PledgeType,
    place: geography.Postcode | None = None,
    email: str = "",
    reminders: bool = False,
    user=None,
) -> tuple[Pledge, str]:
    """Make a pledge; returns it and the token of its private link, which is shown once and
    never stored (only its hash is). An email address is kept only with consent to reminders.

    A signed-in resident's pledge belongs to their account, which is their way back to it (no
    private link needed), and its reminders go to the account's address once confirmed: no
    address is kept on the pledge."""
    if user is not None:
        email = ""
    token, token_hash = Pledge.new_token()
    pledge = Pledge.objects.create(
        pledge_type=pledge_type,
        token_hash=token_hash,
        user=user,
        email=email if reminders else "",
        reminders=bool(reminders and (email or user is not None)),
        postcode=place.postcode if place else "",
        ward_code=(place.ward_code or "") if place else "",
        ward_name=(place.ward_name or "") if place else "",
    )
    return pledge, token


def find_pledge(key: str) -> Pledge | None:
    """The pledge behind a private link's token, or behind a reminder email's signed link
    (which expires after PLEDGE_LINK_DAYS)."""
    if ":" not in key:
        return Pledge.objects.filter(token_hash=hash_token(key)).first()
    try:
        pk = signing.TimestampSigner(salt=REMINDER_SALT).unsign(
            key, max_age=datetime.timedelta(days=settings.PLEDGE_LINK_DAYS)
        )
    except signing.BadSignature:
        return None
    return Pledge.objects.filter(pk=pk).first()


def signed_link_key(pledge: Pledge) -> str:
    return signing.TimestampSigner(salt=REMINDER_SALT).sign(str(pledge.pk))


def check_in(pledge: Pledge, progress: str) -> CheckIn:
    with transaction.atomic():
        entry = CheckIn.objects.create(pledge=pledge, progress=progress)
        pledge.last_active_at = entry.created_at
        pledge.save(update_fields=["last_active_at"])
    return entry


def withdraw(pledge: Pledge) -> None:
    """Withdraw a pledge: it stops counting, reminders stop and the email address is forgotten.
    The pledge itself is deleted later, on the council's retention schedule; until then it can
    be restored."""
    pledge.withdraw()
    pledge.save(update_fields=["withdrawn_at", "email", "reminders"])


def restore(pledge: Pledge) -> None:
    """Undo a withdrawal, for as long as the retention schedule has not deleted the pledge."""
    pledge.restore()
    pledge.save(update_fields=["withdrawn_at", "last_active_at"])


def delete(pledge: Pledge) -> None:
    """Delete the pledge and everything about it, now."""
    pledge.delete()


def delete_expired(now: datetime.datetime | None = None) -> int:
    """Apply the retention schedule: pledges withdrawn more than PLEDGE_KEEP_WITHDRAWN_DAYS ago,
    and pledges with no activity for PLEDGE_KEEP_INACTIVE_DAYS, are deleted with their check-ins."""
    now = now or timezone.now()
    withdrawn = Pledge.objects.filter(
        withdrawn_at__lt=now - datetime.timedelta(days=settings.PLEDGE_KEEP_WITHDRAWN_DAYS)
    )
    inactive = Pledge.objects.filter(
        last_active_at__lt=now - datetime.timedelta(days=settings.PLEDGE_KEEP_INACTIVE_DAYS)
    )
    expired = withdrawn | inactive
    count = expired.count()
    expired.delete()
    return count
