import datetime

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from tests.factories.directory import ServiceFactory
from thedeal import notify
from thedeal.deal import actions as deal_actions
from thedeal.deal import tasks as deal_tasks
from thedeal.deal.models import Pledge, PledgeType
from thedeal.directory.tasks import send_freshness_digest
from thedeal.worker import current
from thedeal.worker.models import SentEmail
from thedeal.worker.tasks import forget_sent_emails

pytestmark = pytest.mark.django_db


@pytest.fixture
def now_sent(django_capture_on_commit_callbacks):
    """Sends the emails of the block as its transaction commits, as in a real request or task."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_an_email_sent_again_with_the_same_key_goes_once(mailoutbox, now_sent):
    for _ in range(2):
        with now_sent():
            notify.send_email(key="report:7", to="team@example.org.uk", subject="S", body="B")

    assert len(mailoutbox) == 1


def test_each_recipient_gets_their_own_email_once(mailoutbox, now_sent):
    with now_sent():
        notify.send_email(key="report:7", to=["a@example.org", "b@example.org"], subject="S",
                          body="B")  # fmt: skip
    with now_sent():
        notify.send_email(key="report:7", to=["b@example.org", "c@example.org"], subject="S",
                          body="B")  # fmt: skip

    assert sorted(m.to[0] for m in mailoutbox) == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
    ]


def test_a_task_run_twice_sends_its_unkeyed_emails_once(mailoutbox, now_sent):
    for _ in range(2):  # the task's worker died, and another ran it again
        with current.running_task("task-1"), now_sent():
            notify.send_email(to="sam@example.org", subject="Your reminder", body="B")
    with current.running_task("task-2"), now_sent():  # the next day's task
        notify.send_email(to="sam@example.org", subject="Your reminder", body="B")

    assert len(mailoutbox) == 2


def test_an_email_from_a_request_without_a_key_is_sent_every_time(mailoutbox, now_sent):
    for _ in range(2):
        with now_sent():
            notify.send_email(to="sam@example.org", subject="Your password", body="B")

    assert len(mailoutbox) == 2


def test_an_email_that_could_not_be_sent_is_sent_by_the_next_try(mailoutbox, now_sent, monkeypatch):
    def refuse(self, messages):
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", refuse)
        with pytest.raises(ConnectionRefusedError), now_sent():
            notify.send_email(key="digest:1", to="team@example.org.uk", subject="S", body="B")
    with now_sent():
        notify.send_email(key="digest:1", to="team@example.org.uk", subject="S", body="B")

    assert len(mailoutbox) == 1


def claimed(key, recipient, *, seconds_ago):
    return SentEmail.objects.create(
        key=notify.idempotency_key(key, recipient),
        claimed_at=timezone.now() - datetime.timedelta(seconds=seconds_ago),
    )


def test_an_email_being_sent_by_a_live_sender_is_not_sent_beside_it(mailoutbox, now_sent):
    claimed("digest:1", "team@example.org.uk", seconds_ago=1)

    with now_sent():
        notify.send_email(key="digest:1", to="team@example.org.uk", subject="S", body="B")

    assert mailoutbox == []


def test_an_email_whose_sender_died_while_sending_is_sent_under_the_same_message_id(
    mailoutbox, now_sent, settings
):
    claim = claimed(
        "digest:1", "team@example.org.uk", seconds_ago=settings.WORKER_TIMEOUT_SECONDS + 1
    )

    with now_sent():
        notify.send_email(key="digest:1", to="team@example.org.uk", subject="S", body="B")

    (message,) = mailoutbox
    assert message.extra_headers["Message-ID"].startswith(f"<{claim.key}@")
    claim.refresh_from_db()
    assert claim.sent_at is not None


def test_no_address_subject_or_body_is_kept(now_sent):
    with now_sent():
        notify.send_email(key="report:7", to="sam@example.org", subject="About Sam", body="Hi Sam")

    (row,) = SentEmail.objects.values()
    assert not any("sam" in str(value).lower() for value in row.values())


class FakeNotify:
    """GOV.UK Notify's client, recording what it is asked to send."""

    sent: list[dict] = []

    def __init__(self, api_key):
        pass

    def send_email_notification(self, **kwargs):
        FakeNotify.sent.append(kwargs)

    def get_all_notifications(self, reference=None, **kwargs):
        return {"notifications": [n for n in FakeNotify.sent if n["reference"] == reference]}


@pytest.fixture
def notify_client(settings, monkeypatch):
    settings.NOTIFY_API_KEY = "test-key"
    settings.NOTIFY_EMAIL_TEMPLATE_ID = "template"
    FakeNotify.sent = []
    monkeypatch.setattr(
        "notifications_python_client.notifications.NotificationsAPIClient", FakeNotify
    )
    return FakeNotify


def test_notify_gets_the_idempotency_key_as_its_reference(notify_client, now_sent):
    with now_sent():
        notify.send_email(key="report:7", to="sam@example.org", subject="S", body="B")

    (sent,) = notify_client.sent
    assert sent["reference"] == notify.idempotency_key("report:7", "sam@example.org")


def test_notify_is_asked_before_an_abandoned_email_is_sent_again(notify_client, now_sent, settings):
    with now_sent():
        notify.send_email(key="report:7", to="sam@example.org", subject="S", body="B")
    # As if the sender had died after Notify took the email and before it was marked sent.
    SentEmail.objects.update(
        sent_at=None,
        claimed_at=timezone.now() - datetime.timedelta(seconds=settings.WORKER_TIMEOUT_SECONDS + 1),
    )

    with now_sent():
        notify.send_email(key="report:7", to="sam@example.org", subject="S", body="B")

    assert len(notify_client.sent) == 1
    assert SentEmail.objects.get().sent_at is not None


@pytest.fixture
def reminded_pledge(settings):
    pledge_type, _ = PledgeType.objects.get_or_create(
        slug="keep-active", defaults={"title": "Keep active", "summary": "Move more."}
    )
    pledge, _ = deal_actions.make_pledge(pledge_type=pledge_type, email="sam@example.org",
                                         reminders=True)  # fmt: skip
    return pledge


def test_reminders_cut_short_before_they_were_recorded_are_not_sent_again(
    reminded_pledge, mailoutbox, now_sent
):
    with now_sent():
        deal_tasks.send_pledge_reminders.call()
    # The worker died after the email left and before the reminder was recorded.
    Pledge.objects.update(last_reminded_at=None)

    with now_sent():
        deal_tasks.send_pledge_reminders.call()

    assert len(mailoutbox) == 1


def test_the_next_months_reminder_is_sent(reminded_pledge, mailoutbox, now_sent, settings):
    with now_sent():
        deal_tasks.send_pledge_reminders.call()
    a_month_on = timezone.now() - datetime.timedelta(days=settings.PLEDGE_REMINDER_DAYS + 1)
    Pledge.objects.update(last_reminded_at=a_month_on)

    with now_sent():
        deal_tasks.send_pledge_reminders.call()

    assert len(mailoutbox) == 2


def test_the_directory_digest_goes_once_a_day_however_often_it_runs(mailoutbox, now_sent, settings):
    settings.COUNCIL = {**settings.COUNCIL, "directory_team_email": "team@example.org.uk"}
    ServiceFactory(assured_date=None)

    for _ in range(2):
        with now_sent():
            send_freshness_digest.call()

    assert len(mailoutbox) == 1


def test_keys_are_forgotten_after_thirty_days(now_sent):
    old = claimed("digest:old", "team@example.org.uk", seconds_ago=31 * 24 * 3600)
    recent = claimed("digest:new", "team@example.org.uk", seconds_ago=29 * 24 * 3600)

    assert forget_sent_emails.call() == 1

    assert list(SentEmail.objects.all()) == [recent]
    assert not SentEmail.objects.filter(pk=old.pk).exists()
