"""Background work for safeguarding, run by `thedeal db_worker` on the schedule in settings."""

from __future__ import annotations

from django_tasks import task

from thedeal.casework import safeguarding_actions


@task()
def remind_leads_of_overdue_concerns() -> int:
    """Email the safeguarding leads about concerns not acknowledged in time (each concern at
    most once a day: settings schedule this more than once a day, so that a concern that
    falls overdue in the morning is chased the same afternoon)."""
    return safeguarding_actions.remind_leads_of_overdue_concerns()
