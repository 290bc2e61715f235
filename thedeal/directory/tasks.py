"""Background work for the directory, carried out by the `thedeal db_worker` process."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import F, Q
from django.urls import reverse
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


@task()
def remind_organisation_editors() -> int:
    """Email each community organisation editor the listings of theirs that are due for
    re-verification, with the link to check them. Returns how many editors were reminded.
    Each editor hears once that day, however often it runs."""
    from thedeal.accounts.models import OrganisationEditor

    if timezone.localdate().strftime("%a").upper()[:2] != settings.EDITOR_REMINDER_DAY:
        return 0  # the schedule runs daily; editors hear once a week
    stale = stale_services()
    by_editor: dict[str, list[Service]] = {}
    links = OrganisationEditor.objects.filter(user__is_active=True).select_related("user")
    for link in links:
        due = [s for s in stale.filter(organization_id=link.organization_id)[:DIGEST_LISTINGS]]
        if due and link.user.email:
            by_editor.setdefault(link.user.email, []).extend(due)
    url = settings.SITE_URL.rstrip("/") + reverse("accounts:listings")
    for address, services in by_editor.items():
        names = "\n".join(f"- {s.name}" for s in services)
        notify.send_email(
            key=f"editor-reminder:{timezone.localdate().isoformat()}",
            to=address,
            subject="Your listings are due for checking",
            body=(
                f"These listings in {settings.SERVICE_NAME} have not been checked for more than "
                f"{settings.DIRECTORY_STALE_AFTER_DAYS} days:\n\n{names}\n\nSign in to check "
                f"them, and correct anything that has changed: {url}"
            ),
        )
    return len(by_editor)
