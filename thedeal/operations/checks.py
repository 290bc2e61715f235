"""Checks that `thedeal check --deploy` runs for operations."""

from django.conf import settings
from django.core import checks

CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
FILE_EMAIL = "django.core.mail.backends.filebased.EmailBackend"


@checks.register(checks.Tags.security, deploy=True)
def emails_stay_out_of_the_logs(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    # Without Notify or a real email backend, Django prints every email (a resident's address,
    # the signed link to their pledge, a password reset link) to the server's output: its log.
    # The development default, files in the outbox, sends nothing: residents would wait for
    # emails that never come, while the files pile up on the server with the same details.
    if settings.NOTIFY_API_KEY or settings.EMAIL_BACKEND not in (CONSOLE_EMAIL, FILE_EMAIL):
        return []
    kept = "printed to the server's output, and so into its logs"
    if settings.EMAIL_BACKEND == FILE_EMAIL:
        kept = f"kept as files in {settings.EMAIL_FILE_PATH} and never sent"
    return [
        checks.Warning(
            f"Emails would be {kept}, with residents' email addresses and private links in them.",
            hint="Set NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID, or EMAIL_BACKEND to "
            "django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST.",
            id="operations.W001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def no_demo_people(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    # The demo's accounts (an administrator among them) share a password printed to a terminal.
    if not settings.DEMO_PEOPLE:
        return []
    return [
        checks.Error(
            "DEMO_PEOPLE is on: `thedeal load_demo` would make accounts for each role, an "
            "administrator among them, with one password printed to the terminal.",
            hint="Remove DEMO_PEOPLE (it is for the demo borough, demo.env, only), and delete "
            "any demo accounts already made (sam@example.org, priya@example.org, "
            "dana@example.gov.uk, ola@example.nhs.uk, ade@example.gov.uk).",
            id="operations.E001",
        )
    ]
