"""Emails and text messages from the platform: through GOV.UK Notify when configured, else Django's
email backend (by default files in OUTBOX_DIR/email) and, for texts, a file each in
OUTBOX_DIR/texts. Never printed: the server's output is its log, and a message holds a
resident's address or number and what was sent to them. The log says only that a message went,
by its key, and where. Always sent after the current transaction commits, so a
rolled-back change never sends an email about itself.

Each email is sent once, even when the task that sends it runs twice (a task whose worker died
is run again, see thedeal/worker/actions.py). Every email has an idempotency key: what it is
about (the caller's `key`, e.g. "pledge-reminder:<pledge>:<cycle>", or else the running task's
id and the subject) and its recipient, hashed. The key is claimed in the database before
sending and marked sent after, so a repeat finds it and sends nothing. It goes to Notify as the
notification's `reference`, and to mail servers as the Message-ID.

If a sender dies between claiming a key and marking it sent, nobody knows whether the email
left. Once the claim is older than WORKER_TIMEOUT_SECONDS a repeat takes it over: with Notify
it first asks Notify whether a notification with that reference exists, and sends only if not;
with Django's backend it sends again under the same Message-ID, which mail systems that
de-duplicate (Gmail, Exchange) show once. A lost email is worse than that rare second copy.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from thedeal.worker import current
from thedeal.worker.models import SentEmail

logger = logging.getLogger(__name__)


def send_email(*, to: list[str] | str, subject: str, body: str, key: str = "") -> None:
    """Email `to` (each address its own email) once the current transaction commits.

    `key` says what the email is about, so that sending it again is recognised: the same key
    and recipient are sent once. Without one, a task's emails are keyed by the task and the
    subject; an email sent outside a task (from a web request, which is not repeated) is sent
    as it stands."""
    recipients = [r for r in ([to] if isinstance(to, str) else to) if r]
    if not recipients:
        return
    if key:
        about = key
    elif task_id := current.task_id():
        about = f"task:{task_id}:{subject}"
    else:
        about = f"once:{uuid.uuid4()}"  # a web request is not repeated: nothing to recognise
    transaction.on_commit(lambda: _send(recipients, subject, body, about))


def send_text(*, to: str, body: str, key: str = "") -> None:
    """Text `to` (a UK phone number) once the current transaction commits, once per key, as
    `send_email` does: through Notify's text template when configured, else kept as a file in
    TEXT_FILE_PATH for a developer to read (as Django's file backend keeps emails)."""
    if not to.strip():
        return
    if key:
        about = key
    elif task_id := current.task_id():
        about = f"task:{task_id}:{body[:40]}"
    else:
        about = f"once:{uuid.uuid4()}"
    transaction.on_commit(lambda: _send_text(to.strip(), body, f"text:{about}"))


def _send_text(number: str, body: str, about: str) -> None:
    key = idempotency_key(about, number)
    claim = _claim(key)
    if claim is None:
        logger.info("Text %s was sent already, or is being sent: not sent again.", key[:12])
        return
    try:
        if settings.NOTIFY_API_KEY and settings.NOTIFY_SMS_TEMPLATE_ID:
            _text_through_notify(number, body, key, taken_over=claim)
        else:
            _keep_text(number, body, key)
    except BaseException:
        _release(key)
        raise
    _mark_sent(key)


def _keep_text(number: str, body: str, key: str) -> None:
    # Without Notify nothing can send a text: keep it where a developer can read it. Only its key
    # and the folder are logged, since the number and the message say who it is for.
    folder = Path(settings.TEXT_FILE_PATH)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    kept = folder / f"{timezone.now():%Y%m%d-%H%M%S}-{key[:12]}.txt"
    kept.write_text(f"To: {number}\nReference: {key}\n\n{body}\n", encoding="utf-8")
    kept.chmod(0o600)
    logger.info("Text %s kept in %s (GOV.UK Notify is not set up): not sent.", key[:12], folder)


def _text_through_notify(number: str, body: str, key: str, *, taken_over: bool) -> None:
    from notifications_python_client.notifications import NotificationsAPIClient

    client = NotificationsAPIClient(settings.NOTIFY_API_KEY)
    if taken_over and client.get_all_notifications(reference=key).get("notifications"):
        logger.info("Text %s had reached GOV.UK Notify: not sent again.", key[:12])
        return
    client.send_sms_notification(
        phone_number=number,
        template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
        personalisation={"body": body},
        reference=key,
    )


def idempotency_key(about: str, address: str) -> str:
    return hashlib.sha256(f"{about}\n{address.strip().lower()}".encode()).hexdigest()


def _send(recipients: list[str], subject: str, body: str, about: str) -> None:
    for address in recipients:
        key = idempotency_key(about, address)
        claim = _claim(key)
        if claim is None:
            # Key only: the address and the subject may say who the email is about.
            logger.info("Email %s was sent already, or is being sent: not sent again.", key[:12])
            continue
        try:
            if settings.NOTIFY_API_KEY:
                _send_through_notify(address, subject, body, key, taken_over=claim)
            else:
                _send_through_django(address, subject, body, key)
        except BaseException:
            # Not sent: free the key, so that the task's retry (or the next run) sends it.
            _release(key)
            raise
        _mark_sent(key)


def _claim(key: str) -> bool | None:
    """Claim a key before sending: False if newly claimed, True if taken over from a sender
    that stopped before saying it had sent, None if sent already (or being sent just now)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            SentEmail.objects.create(key=key, claimed_at=now)
        return False
    except IntegrityError:
        abandoned = now - datetime.timedelta(seconds=settings.WORKER_TIMEOUT_SECONDS)
        taken = SentEmail.objects.filter(
            key=key, sent_at__isnull=True, claimed_at__lt=abandoned
        ).update(claimed_at=now)
        if taken:
            logger.warning("Email %s: its sender stopped while sending; checking.", key[:12])
        return True if taken else None


def _mark_sent(key: str) -> None:
    SentEmail.objects.filter(key=key).update(sent_at=timezone.now())


def _release(key: str) -> None:
    SentEmail.objects.filter(key=key, sent_at__isnull=True).delete()


def _send_through_notify(
    address: str, subject: str, body: str, key: str, *, taken_over: bool
) -> None:
    from notifications_python_client.notifications import NotificationsAPIClient

    client = NotificationsAPIClient(settings.NOTIFY_API_KEY)
    if taken_over and client.get_all_notifications(reference=key).get("notifications"):
        logger.info("Email %s had reached GOV.UK Notify: not sent again.", key[:12])
        return
    client.send_email_notification(
        email_address=address,
        template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
        personalisation={"subject": subject, "body": body},
        reference=key,
    )


def _send_through_django(address: str, subject: str, body: str, key: str) -> None:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    message = EmailMessage(
        subject, body, None, [address], headers={"Message-ID": f"<{key}@{domain}>"}
    )
    message.send()
    # Key and backend only: the address and the subject may say who the email is about.
    where = (
        getattr(settings, "EMAIL_FILE_PATH", "") if "filebased" in settings.EMAIL_BACKEND else ""
    )
    logger.info(
        "Email %s handed to %s%s.",
        key[:12],
        settings.EMAIL_BACKEND.rsplit(".", 2)[-2],
        f" (kept in {where})" if where else "",
    )
