"""The periodic job runner: enqueues scheduled background tasks at their times of day.

Run exactly one `thedeal run_schedule` per installation, beside the web server and the
`thedeal db_worker` process(es) that carry the tasks out. Like cron, a job whose time passes
while the runner is stopped is not caught up: each job is idempotent work ("send today's
digest") that the next run covers.

Jobs are listed in settings.PERIODIC_TASKS as {"task": "dotted.path.to.task", "at": "HH:MM"}
(local time, settings.TIME_ZONE).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Job:
    task_path: str
    at: datetime.time

    @classmethod
    def from_setting(cls, entry: dict[str, str]) -> Job:
        try:
            task_path = entry["task"]
            at = datetime.time.fromisoformat(entry["at"])
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(
                f'Each PERIODIC_TASKS entry needs "task" and "at" (HH:MM); {entry!r} is wrong ({error}).'
            ) from None
        return cls(task_path=task_path, at=at)

    def next_run(self, after: datetime.datetime) -> datetime.datetime:
        """The first time strictly after `after` at which this job is due."""
        candidate = after.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
        if candidate <= after:
            candidate += datetime.timedelta(days=1)
        return candidate

    def task(self) -> Any:
        return import_string(self.task_path)


def jobs() -> list[Job]:
    return [Job.from_setting(entry) for entry in settings.PERIODIC_TASKS]


def due(after: datetime.datetime, until: datetime.datetime) -> list[Job]:
    """The jobs whose time falls in (after, until]."""
    return [job for job in jobs() if job.next_run(after) <= until]
