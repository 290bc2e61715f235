import datetime
import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from thedeal.operations import health
from thedeal.worker import schedule

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Enqueue scheduled background tasks at their times (run exactly one, beside db_worker)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--now", action="store_true", help="Enqueue every scheduled task once, now, and stop."
        )

    def handle(self, *args, now: bool, **options):  # type: ignore[no-untyped-def]
        # Now, not when the first job falls due hours later and cannot be queued.
        if message := health.not_migrated_message():
            raise CommandError(message)
        jobs = schedule.jobs()
        if now:
            for job in jobs:
                self._enqueue(job)
            return
        self.stdout.write("Scheduled: " + ", ".join(f"{j.task_path} at {j.at:%H:%M}" for j in jobs))
        last = timezone.localtime()
        while True:
            # Wake at least once a minute, so a change of clock (or of day) is noticed promptly.
            upcoming = min(
                (job.next_run(last) for job in jobs), default=last + datetime.timedelta(minutes=1)
            )
            time.sleep(max(1.0, min(60.0, (upcoming - timezone.localtime()).total_seconds())))
            current = timezone.localtime()
            for job in schedule.due(last, current):
                self._enqueue(job)
            last = current

    def _enqueue(self, job: schedule.Job) -> None:
        result = job.task().enqueue()
        logger.info("Enqueued %s (task %s)", job.task_path, result.id)
        self.stdout.write(f"Enqueued {job.task_path}")
