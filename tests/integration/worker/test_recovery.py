import datetime
import logging

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.factories.worker import HeartbeatFactory, RunningTaskFactory
from thedeal.worker import actions
from thedeal.worker.models import Heartbeat

pytestmark = pytest.mark.django_db


def long_ago(settings, factor=2):
    return timezone.now() - datetime.timedelta(seconds=settings.WORKER_TIMEOUT_SECONDS * factor)


def test_a_task_whose_worker_stopped_beating_is_queued_again(settings):
    HeartbeatFactory(worker_id="killed", beat_at=long_ago(settings))
    task = RunningTaskFactory(worker="killed")

    recovered = actions.recover_abandoned_tasks()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert recovered == actions.Recovery(requeued=1, failed=0)
    assert DBTaskResult.objects.ready().get() == task  # the next worker will pick it up


def test_a_task_whose_worker_left_no_heartbeat_is_queued_again():
    task = RunningTaskFactory(worker="an-old-worker")

    actions.recover_abandoned_tasks()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


def test_a_task_of_a_worker_still_beating_is_left_running():
    HeartbeatFactory(worker_id="busy")
    task = RunningTaskFactory(worker="busy")

    assert actions.recover_abandoned_tasks() == actions.Recovery()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_claimed_moments_ago_is_left_to_its_worker():
    task = RunningTaskFactory(worker="just-started", started_at=timezone.now())

    actions.recover_abandoned_tasks()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_that_stopped_its_worker_three_times_fails_saying_why(settings):
    task = RunningTaskFactory(worker_ids=["first", "second", "third"])

    assert actions.recover_abandoned_tasks() == actions.Recovery(requeued=0, failed=1)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "thedeal.worker.actions.WorkerStopped"
    assert "stopped during it 3 times" in task.traceback


def test_a_worker_restarted_under_its_old_id_takes_its_tasks_back_at_once():
    HeartbeatFactory(worker_id="worker-1")  # its last beat was just before it was killed
    task = RunningTaskFactory(worker="worker-1", started_at=timezone.now())

    actions.start_worker("worker-1")

    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


def test_recovery_logs_no_personal_data(settings, caplog):
    task = RunningTaskFactory(
        worker="killed", args_kwargs={"args": [], "kwargs": {"email": "sam@example.org"}}
    )

    with caplog.at_level(logging.WARNING):
        actions.recover_abandoned_tasks()

    assert str(task.pk) in caplog.text and "queued again" in caplog.text
    assert "sam@example.org" not in caplog.text


def test_heartbeats_of_workers_gone_for_a_week_are_forgotten():
    HeartbeatFactory(worker_id="gone", beat_at=timezone.now() - datetime.timedelta(days=8))
    HeartbeatFactory(worker_id="here")

    actions.recover_abandoned_tasks()

    assert list(Heartbeat.objects.values_list("worker_id", flat=True)) == ["here"]


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_task_left_by_a_dead_worker_and_stops_without_a_heartbeat(
    settings, mailoutbox
):
    settings.COUNCIL = {**settings.COUNCIL, "directory_team_email": "team@example.org.uk"}
    from tests.factories.directory import ServiceFactory

    ServiceFactory(assured_date=None)  # one listing due, so the digest has something to say
    HeartbeatFactory(worker_id="killed", beat_at=long_ago(settings))
    task = RunningTaskFactory(worker="killed")

    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(task.worker_ids) == 2  # the dead worker's attempt and this one's
    assert [m.to for m in mailoutbox] == [["team@example.org.uk"]]
    assert not Heartbeat.objects.exclude(worker_id="killed").exists()


def test_a_live_worker_whose_heartbeat_was_deleted_records_itself_and_keeps_its_task():
    task = RunningTaskFactory(worker="busy", started_at=timezone.now())

    actions.beat("busy")

    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    assert Heartbeat.objects.filter(worker_id="busy").exists()
