import datetime
from zoneinfo import ZoneInfo

import pytest

from thedeal.worker import schedule

LONDON = ZoneInfo("Europe/London")


def at(hour, minute=0, day=1):
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    "now,expected",
    [
        (at(6, 59), at(7, 0)),
        (at(7, 0), at(7, 0, day=2)),  # due at 07:00 means strictly after a run at 07:00
        (at(23, 30), at(7, 0, day=2)),
    ],
)
def test_next_run_is_the_next_time_of_day(now, expected):
    job = schedule.Job(task_path="x.y", at=datetime.time(7, 0))

    assert job.next_run(now) == expected


def test_due_lists_jobs_whose_time_fell_in_the_window(settings):
    settings.PERIODIC_TASKS = [{"task": "a.b", "at": "07:00"}, {"task": "c.d", "at": "19:30"}]

    assert [j.task_path for j in schedule.due(at(6, 59), at(7, 1))] == ["a.b"]
    assert schedule.due(at(7, 1), at(19, 29)) == []


def test_malformed_schedule_setting_says_what_is_wrong(settings):
    settings.PERIODIC_TASKS = [{"task": "a.b", "at": "seven"}]

    with pytest.raises(ValueError, match='needs "task" and "at"'):
        schedule.jobs()


def test_every_scheduled_job_is_a_task_the_worker_can_run():
    for job in schedule.jobs():
        assert callable(getattr(job.task(), "enqueue", None)), job.task_path


def test_editors_are_reminded_of_listings_due_for_checking():
    # The README promises a weekly reminder at EDITOR_REMINDERS_AT; it was never scheduled.
    scheduled = {job.task_path: job.at for job in schedule.jobs()}

    assert scheduled["thedeal.accounts.tasks.remind_organisation_editors"] == datetime.time(8, 0)
