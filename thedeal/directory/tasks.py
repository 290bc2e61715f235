"""Background work for the directory, carried out by the `thedeal db_worker` process."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from thedeal import notify
from thedeal.directory.models import Service

# How many of the oldest listings the digest names; the admin's "verification" filter has all.
DIGEST_LISTINGS = 20


def stale_services(today: datetime.date | None = None):  # type: ignore[no-untyped-def]
    """Active listings overdue for re-verification, oldest check first (never checked first)."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.DIRECTORY_STALE_AFTER_DAYS)
    return (
        Service.objects.filter(status=Service.Status.ACTIVE)
        .filter(Q(assured_date__lt=cutoff) | Q(assured_date__isnull=True))
        .select_related("organization")
        .order_by(F("assured_date").asc(nulls_first=True), "name")
    )


@task()
def send_freshness_digest() -> int:
    """Email the directory team the listings due for re-verification. Returns how many.
    One digest a day, however often it runs (a rerun after a worker died sends nothing)."""
    stale = stale_services()
    count = stale.count()
    recipient = settings.COUNCIL["directory_team_email"]
    if not count or not recipient:
        return count
    lines = [
        f"{count} active listings in the {settings.COUNCIL['name']} directory have not been "
        f"verified for more than {settings.DIRECTORY_STALE_AFTER_DAYS} days.",
        "",
        "The longest unchecked:",
    ]
    for service in stale[:DIGEST_LISTINGS]:
        checked = service.assured_date.isoformat() if service.assured_date else "never"
        organisation = service.organization.name if service.organization else "no organisation"
        lines.append(f"- {service.name} ({organisation}), last checked {checked}")
    notify.send_email(
        key=f"directory-digest:{timezone.localdate().isoformat()}",
        to=recipient,
        subject=f"{count} directory listings are due for re-verification",
        body="\n".join(lines),
    )
    return count
