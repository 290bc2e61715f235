"""Background work for the Deal, run by `thedeal db_worker` on the schedule in settings."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from thedeal import notify
from thedeal.deal import actions
from thedeal.deal.models import Pledge


@task()
def apply_pledge_retention() -> int:
    """Delete the pledges the council's retention schedule says go (see actions.delete_expired)."""
    return actions.delete_expired()


@task()
def send_pledge_reminders() -> int:
    """A monthly reminder to each resident who asked for one, with a signed link to their pledge
    that expires after PLEDGE_LINK_DAYS. Sent one by one: each email carries its own link. A
    pledge made in an account is reminded at the account's address, only once it is confirmed
    (an unconfirmed account's `email` is empty: accounts.models.address_to_confirm).

    Safe to run twice: a reminder is keyed by its pledge and the previous reminder's time, so a
    run cut short between sending and recording it does not send it again."""
    now = timezone.now()
    due = (
        Pledge.objects.active()
        .filter(reminders=True)
        .filter(~Q(email="") | (Q(user__isnull=False) & ~Q(user__email="")))
        .filter(
            Q(last_reminded_at__isnull=True)
            | Q(last_reminded_at__lt=now - datetime.timedelta(days=settings.PLEDGE_REMINDER_DAYS))
        )
    )
    sent = 0
    for pledge in due.select_related("pledge_type", "user"):
        link = settings.SITE_URL.rstrip("/") + reverse(
            "deal:pledge", args=[actions.signed_link_key(pledge)]
        )
        cycle = pledge.last_reminded_at.isoformat() if pledge.last_reminded_at else "first"
        notify.send_email(
            key=f"pledge-reminder:{pledge.pk}:{cycle}",
            to=pledge.email or pledge.user.email,
            subject=f"Your pledge: {pledge.pledge_type.title}",
            body=(
                f"How is your pledge to {pledge.pledge_type.title.lower()} going? Check in, see "
                f"what helps near you, or stop these reminders here (the link works for "
                f"{settings.PLEDGE_LINK_DAYS} days):\n\n{link}\n\n{settings.SERVICE_NAME}, "
                f"{settings.COUNCIL['name']}"
            ),
        )
        pledge.last_reminded_at = now
        pledge.save(update_fields=["last_reminded_at"])
        sent += 1
    return sent
