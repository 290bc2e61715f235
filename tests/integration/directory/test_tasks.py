import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories.directory import ServiceFactory
from thedeal.directory.tasks import send_freshness_digest

pytestmark = pytest.mark.django_db


def test_freshness_digest_names_overdue_listings_oldest_first(
    mailoutbox, settings, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    ServiceFactory(name="Checked last week", assured_date=today - datetime.timedelta(days=7))
    ServiceFactory(name="Checked in spring", assured_date=today - datetime.timedelta(days=200))
    ServiceFactory(name="Never checked", assured_date=None)
    ServiceFactory(name="Closed and stale", assured_date=None, status="defunct")

    with django_capture_on_commit_callbacks(execute=True):
        count = send_freshness_digest.call()

    assert count == 2
    (message,) = mailoutbox
    assert message.to == [settings.COUNCIL["directory_team_email"]]
    body = message.body
    assert body.index("Checked in spring") > body.index("Never checked")
    assert "Checked last week" not in body and "Closed and stale" not in body


def test_no_digest_when_everything_is_fresh(mailoutbox):
    ServiceFactory(assured_date=timezone.localdate())

    assert send_freshness_digest.call() == 0
    assert mailoutbox == []


def test_run_schedule_now_enqueues_each_job(settings):
    from django_tasks_db.models import DBTaskResult

    call_command("run_schedule", now=True)

    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == sorted(
        job["task"] for job in settings.PERIODIC_TASKS
    )
    assert "thedeal.deal.tasks.apply_pledge_retention" in [
        j["task"] for j in settings.PERIODIC_TASKS
    ]
