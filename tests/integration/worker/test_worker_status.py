import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories.worker import HeartbeatFactory

pytestmark = pytest.mark.django_db


def worker_status():
    out = io.StringIO()
    call_command("worker_status", stdout=out)
    return out.getvalue()


def test_worker_status_passes_and_shows_the_last_heartbeat_of_a_live_worker():
    beat = timezone.now() - datetime.timedelta(seconds=5)
    HeartbeatFactory(worker_id="worker-a", host="tasks-1", pid=4242, beat_at=beat)

    output = worker_status()

    assert "alive: worker worker-a on tasks-1 (process 4242)" in output
    assert f"{timezone.localtime(beat):%Y-%m-%d %H:%M:%S}" in output


def test_worker_status_fails_when_no_worker_is_running():
    with pytest.raises(CommandError, match="start `thedeal db_worker`") as failure:
        worker_status()

    assert failure.value.returncode == 1


def test_worker_status_fails_when_the_only_worker_has_gone_silent(settings):
    silent = timezone.now() - datetime.timedelta(seconds=settings.WORKER_TIMEOUT_SECONDS + 1)
    HeartbeatFactory(beat_at=silent)

    with pytest.raises(CommandError, match="No background-task worker") as failure:
        worker_status()

    assert failure.value.returncode == 1
