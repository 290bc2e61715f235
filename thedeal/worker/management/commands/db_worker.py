"""`thedeal db_worker`: django-tasks-db's worker, with a heartbeat and recovery of the tasks of
workers that died (thedeal/worker/actions.py), and each task's id made known
(thedeal/worker/current.py) so that its emails are sent once even if the task runs twice.

Same options as the library's command (`thedeal db_worker --help`)."""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from thedeal.operations import health
from thedeal.worker import actions, current

logger = logging.getLogger(__name__)


class Heartbeats(threading.Thread):
    """Beats for the worker every WORKER_HEARTBEAT_SECONDS, and recovers the tasks of dead
    workers, from its own thread: a worker busy with a long task is still seen to be alive."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(settings.WORKER_HEARTBEAT_SECONDS):
                close_old_connections()
                try:
                    actions.beat(self.worker_id)
                    actions.recover_abandoned_tasks()
                except Exception:
                    # A database that is briefly away must not end the heartbeat for good;
                    # the next beat tries again (and a long outage makes the worker look dead).
                    logger.exception("Worker %s could not record its heartbeat", self.worker_id)
                    connection.close()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=settings.WORKER_HEARTBEAT_SECONDS + 5)


class Worker(db_worker.Worker):
    def run(self) -> None:
        recovered = actions.start_worker(self.worker_id)
        if recovered.requeued or recovered.failed:
            logger.warning(
                "Worker %s started: %d task(s) of a worker that stopped queued again, %d failed.",
                self.worker_id,
                recovered.requeued,
                recovered.failed,
            )
        heartbeats = Heartbeats(self.worker_id)
        heartbeats.start()
        try:
            super().run()
        finally:
            heartbeats.stop()
            actions.stop_worker(self.worker_id)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        with current.running_task(str(db_task_result.id)):
            super().run_task(db_task_result)


class Command(db_worker.Command):
    help = (
        "Run the background-task worker: it records a heartbeat (see `thedeal worker_status`) "
        "and queues again the tasks of workers that died."
    )

    def handle(  # type: ignore[override]
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        # Before the reloader starts: after it, an error would leave it waiting for ever.
        if message := health.not_migrated_message():
            raise db_worker.CommandError(message)
        # As the library's handle(), with this module's Worker.
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning("--reload and --batch cannot be used together: not reloading.")
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise db_worker.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
