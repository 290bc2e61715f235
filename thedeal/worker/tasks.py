"""Background work about background work, run by `thedeal db_worker` on the schedule."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from thedeal.worker.models import SentEmail

# How long an email's idempotency key is kept: far longer than any task waits to be run again
# (minutes), and than the keys' own periods (a day's digest, a month's reminder cycle).
SENT_EMAIL_KEEP_DAYS = 30


@task()
def forget_sent_emails() -> int:
    """Delete the idempotency keys of emails sent more than SENT_EMAIL_KEEP_DAYS ago."""
    cutoff = timezone.now() - datetime.timedelta(days=SENT_EMAIL_KEEP_DAYS)
    deleted, _ = SentEmail.objects.filter(claimed_at__lt=cutoff).delete()
    return deleted
