"""Background work for the referral inbox, carried out by `thedeal db_worker` and scheduled daily
by `thedeal run_schedule` (settings.PERIODIC_TASKS)."""

from __future__ import annotations

from django_tasks import task

from thedeal.casework import inbox_actions


@task()
def chase_unanswered_referrals() -> int:
    """Chase the referrals organisations have not answered in time; returns how many were
    chased. Safe to run twice: a referral is chased once in each period."""
    return inbox_actions.chase_unanswered()
