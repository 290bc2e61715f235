"""Background work for predictive prevention, run by `thedeal db_worker` on the schedule."""

from __future__ import annotations

from django_tasks import task

from thedeal.prevention import actions


@task()
def apply_scoring_retention() -> int:
    """Delete scoring runs older than SCORING_KEEP_DAYS, with their scores and worklists."""
    return actions.delete_expired_runs()
