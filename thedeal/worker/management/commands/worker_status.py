"""`thedeal worker_status`: is a background-task worker alive? For a process manager's or a
monitoring system's health check of the worker, kept apart from the web servers' /healthz, so a
stopped worker never takes the web servers out of service."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from thedeal.worker import actions
from thedeal.worker.models import Heartbeat


class Command(BaseCommand):
    help = (
        "Exit 0 if a background-task worker has recorded a heartbeat within "
        "WORKER_TIMEOUT_SECONDS, 1 if none has; print each worker's last heartbeat."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        limit = actions.timeout()
        workers = list(Heartbeat.objects.all())
        for worker in workers:
            age = (now - worker.beat_at).total_seconds()
            state = "alive" if now - worker.beat_at <= limit else "silent"
            self.stdout.write(
                f"{state}: worker {worker.worker_id} on {worker.host} (process {worker.pid}), "
                f"last heartbeat {timezone.localtime(worker.beat_at):%Y-%m-%d %H:%M:%S %Z} "
                f"({age:.0f} s ago)"
            )
        waiting = DBTaskResult.objects.ready().count()
        running = DBTaskResult.objects.running().count()
        self.stdout.write(f"Tasks waiting: {waiting}; running: {running}")
        if not any(now - worker.beat_at <= limit for worker in workers):
            raise CommandError(
                f"No background-task worker has recorded a heartbeat in the last "
                f"{limit.total_seconds():.0f} seconds: start `thedeal db_worker`.",
                returncode=1,
            )
