"""Factories for the background worker's records: heartbeats, and tasks as the worker left them."""

import datetime

import factory
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from thedeal.worker import models


class HeartbeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Heartbeat

    worker_id = factory.Sequence(lambda n: f"worker-{n}")
    host = "worker.example.gov.uk"
    pid = factory.Sequence(lambda n: 1000 + n)
    started_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    beat_at = factory.LazyFunction(timezone.now)


class RunningTaskFactory(factory.django.DjangoModelFactory):
    """A task a worker has claimed and not finished: `worker` is the worker's id."""

    class Meta:
        model = DBTaskResult

    class Params:
        worker = "worker-0"

    status = TaskResultStatus.RUNNING
    task_path = "thedeal.directory.tasks.send_freshness_digest"
    args_kwargs = factory.LazyFunction(lambda: {"args": [], "kwargs": {}})
    backend_name = "default"
    queue_name = "default"
    started_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=10))
    worker_ids = factory.LazyAttribute(lambda o: [o.worker])
