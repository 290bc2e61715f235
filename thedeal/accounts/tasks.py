"""Background work for organisation editors' accounts, carried out by `thedeal db_worker`."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from thedeal import notify
from thedeal.accounts.models import OrganisationEditor
from thedeal.directory.models import Service
from thedeal.directory.tasks import DIGEST_LISTINGS, stale_services


@task()
def remind_organisation_editors() -> int:
    """Email each community organisation editor the listings of theirs that are due for
    re-verification, with the link to check them. Returns how many editors were reminded.
    Each editor hears once that day, however often it runs."""
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
