"""Emails from the platform: through GOV.UK Notify when configured, else Django's email backend
(printed to the console by default). Always sent after the current transaction commits, so a
rolled-back change never sends an email about itself."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction


def send_email(*, to: list[str] | str, subject: str, body: str) -> None:
    recipients = [to] if isinstance(to, str) else [r for r in to if r]
    if recipients:
        transaction.on_commit(lambda: _send(recipients, subject, body))


def _send(recipients: list[str], subject: str, body: str) -> None:
    if settings.NOTIFY_API_KEY:
        from notifications_python_client.notifications import NotificationsAPIClient

        client = NotificationsAPIClient(settings.NOTIFY_API_KEY)
        for address in recipients:
            client.send_email_notification(
                email_address=address,
                template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
                personalisation={"subject": subject, "body": body},
            )
        return
    send_mail(subject, body, None, recipients)
