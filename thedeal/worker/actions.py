"""Heartbeats and recovery: no background task is lost when its worker dies.

django-tasks-db marks a task RUNNING when a worker claims it, and nothing else ever touches it
again if that worker is killed (kill -9, out of memory, a server restart): the task stays
RUNNING for ever and its work is never done. So each `thedeal db_worker` records a heartbeat
(models.Heartbeat), and every worker, at each of its heartbeats, puts the RUNNING tasks of
workers that have gone silent for WORKER_TIMEOUT_SECONDS back in the queue. A task may then run
a second time: tasks are written to be safe to repeat (emails carry an idempotency key, see
thedeal/notify.py). A task that has killed its worker MAX_ATTEMPTS times is marked failed
rather than tried for ever.

Times are the workers' clocks, as django-tasks-db's own are: servers must keep time (NTP).
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from thedeal.worker.models import Heartbeat

logger = logging.getLogger(__name__)

# A task whose worker died this many times (counting the first) is failed, not queued again:
# it is most likely what kills the worker (memory, say), and would otherwise loop for ever.
MAX_ATTEMPTS = 3
# Heartbeats of workers gone this long are deleted; their tasks were recovered long before.
FORGET_WORKERS_AFTER = datetime.timedelta(days=7)


class WorkerStopped(Exception):
    """Recorded as a task's error when its worker stopped during it MAX_ATTEMPTS times."""


@dataclass(frozen=True)
class Recovery:
    requeued: int = 0
    failed: int = 0


def timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WORKER_TIMEOUT_SECONDS)


def start_worker(worker_id: str, *, now: datetime.datetime | None = None) -> Recovery:
    """Record a worker's first heartbeat. A worker started again under the id of one that died
    (`--worker-id` fixed by the operator) takes that one's unfinished tasks back at once: they
    cannot still be running, since ids are unique across the running workers."""
    now = now or timezone.now()
    recovered = recover_abandoned_tasks(now=now, restarted_worker_id=worker_id)
    _record(worker_id, now)
    return recovered


def beat(worker_id: str, *, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    if not Heartbeat.objects.filter(worker_id=worker_id).update(beat_at=now):
        # Deleted by someone tidying up: this worker is alive, so it records itself again.
        _record(worker_id, now)


def _record(worker_id: str, now: datetime.datetime) -> None:
    Heartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "started_at": now,
                  "beat_at": now},
    )  # fmt: skip


def stop_worker(worker_id: str) -> None:
    """A worker that stops normally (it finishes its task first) leaves no heartbeat behind, so
    `thedeal worker_status` tells the truth: no worker is running."""
    Heartbeat.objects.filter(worker_id=worker_id).delete()


def recover_abandoned_tasks(
    *, now: datetime.datetime | None = None, restarted_worker_id: str | None = None
) -> Recovery:
    """Queue again the RUNNING tasks whose worker has no heartbeat within the time-out.

    Safe to run from every worker at once: each task is changed only if it is still the same
    run (same status and start time), so two workers never both take it up."""
    now = now or timezone.now()
    silent_since = now - timeout()
    alive = set(
        Heartbeat.objects.filter(beat_at__gte=silent_since).values_list("worker_id", flat=True)
    )
    alive.discard(restarted_worker_id)
    requeued = failed = 0
    running = DBTaskResult.objects.running().only("id", "task_path", "started_at", "worker_ids")
    for task in running:
        worker_id = task.worker_ids[-1] if task.worker_ids else None
        if worker_id in alive:
            continue
        if worker_id != restarted_worker_id and task.started_at and task.started_at > silent_since:
            # Claimed moments ago by a worker whose first heartbeat is not yet visible.
            continue
        same_run = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        attempts = len(task.worker_ids)
        if attempts >= MAX_ATTEMPTS:
            changed = same_run.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=f"{WorkerStopped.__module__}.{WorkerStopped.__name__}",
                traceback=(
                    f"The worker running this task stopped during it {attempts} times; "
                    "it is not tried again."
                ),
            )
            failed += changed
        else:
            changed = same_run.update(status=TaskResultStatus.READY)
            requeued += changed
        if changed:
            # Ids and the task's name only: a task's arguments may be about a resident.
            logger.warning(
                "Task %s (%s) was running on worker %s, which stopped: %s (attempt %d of %d).",
                task.pk,
                task.task_path,
                worker_id,
                "queued again" if attempts < MAX_ATTEMPTS else "marked failed",
                attempts,
                MAX_ATTEMPTS,
            )
    Heartbeat.objects.filter(beat_at__lt=now - FORGET_WORKERS_AFTER).delete()
    return Recovery(requeued=requeued, failed=failed)
