"""What the task worker records about itself, and about the emails the platform has sent."""

from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """One running `thedeal db_worker` process, which updates `beat_at` every
    WORKER_HEARTBEAT_SECONDS while it lives (even in the middle of a long task). A worker whose
    heartbeat is older than WORKER_TIMEOUT_SECONDS is taken for dead: its running tasks are
    put back in the queue. A worker that stops normally deletes its row."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    # Where it runs, for the operator looking for it (no personal data: a machine and a number).
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"Worker {self.worker_id} on {self.host} (process {self.pid})"


class SentEmail(models.Model):
    """An email the platform has sent, or is sending, known only by its idempotency key.

    The key is a SHA-256 of what the email is about and its recipient (thedeal/notify.py): the
    address itself, the subject and the body are never kept, so this table holds no personal
    data. (A hash of an address alone could be reversed by guessing addresses; mixed with what
    the email is about, it can only be matched by someone who already knows both.) A row is
    claimed before sending and marked sent after: a task run again after its worker died finds
    the key and does not send again. Rows are deleted after SENT_EMAIL_KEEP_DAYS, long after any
    task could run again."""

    key = models.CharField(max_length=64, unique=True)
    claimed_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at"]

    def __str__(self) -> str:
        return f"Email {self.key[:12]}… ({'sent' if self.sent_at else 'being sent'})"
