"""A resident's pledges in their account, and withdrawing one: asked first, undone until the
retention schedule deletes it."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import accounts as people
from thedeal.deal import actions, demo, tasks
from thedeal.deal.models import Pledge, PledgeType

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_active():
    demo.load(seed=1)
    return PledgeType.objects.get(slug="keep-active")


def test_a_signed_in_resident_is_not_asked_for_an_email_nor_shown_a_private_link(
    client, keep_active
):
    sam = people.sam()
    client.force_login(sam)
    form = client.get("/deal/your-part/keep-active/").content.decode()
    assert 'name="email"' not in form
    assert "It will be kept in your account" in form and "To sam@example.org." in form

    made = client.post("/deal/your-part/keep-active/", {"reminders": "on"})
    assert made["Location"] == "/deal/your-part/mine/"
    assert client.get("/deal/your-part/made/")["Location"] == "/deal/your-part/"  # no link shown
    mine = client.get("/deal/your-part/mine/").content.decode()
    assert "Pledge made: Keep active" in mine and "private link" not in mine
    pledge = Pledge.objects.get()
    assert (pledge.user, pledge.email, pledge.reminders) == (sam, "", True)

    link = re.search(r'href="(/deal/pledges/[^"]+/)">Keep active', mine).group(1)
    assert "Check in" in client.get(link).content.decode()
    client.logout()
    assert client.get("/deal/your-part/mine/").status_code == 302


def test_an_accounts_reminders_go_to_its_address_only_once_confirmed(
    keep_active, mailoutbox, django_capture_on_commit_callbacks
):
    waiting = people.UserFactory(username="new@example.org", confirmed=False)
    actions.make_pledge(pledge_type=keep_active, user=waiting, reminders=True)
    sam = people.sam()
    actions.make_pledge(pledge_type=keep_active, user=sam, reminders=True)
    actions.make_pledge(pledge_type=keep_active, user=people.UserFactory())  # no reminders

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_pledge_reminders.call() == 1
    assert [m.to for m in mailoutbox] == [["sam@example.org"]]


def test_a_signed_in_residents_form_says_reminders_wait_for_confirmation(client, keep_active):
    client.force_login(people.UserFactory(username="new@example.org", confirmed=False))
    form = client.get("/deal/your-part/keep-active/").content.decode()
    assert "They start once you have confirmed your email address" in form
    client.post("/deal/your-part/keep-active/", {"reminders": "on"})
    mine = client.get("/deal/your-part/mine/").content.decode()
    link = re.search(r'href="(/deal/pledges/[^"]+/)">Keep active', mine).group(1)
    page = client.get(link).content.decode()
    assert "Reminders will go to your email address each month once you have confirmed it" in page


def test_withdrawing_asks_first_and_can_be_undone_until_the_pledge_is_deleted(client, keep_active):
    pledge, token = actions.make_pledge(pledge_type=keep_active, email="sam@example.org",
                                        reminders=True)  # fmt: skip
    link = f"/deal/pledges/{token}/"
    page = client.get(link).content.decode()
    assert f'href="{link}withdraw/">Withdraw my pledge</a>' in page  # a link to a page, no script

    confirm = client.get(f"{link}withdraw/").content.decode()
    until = timezone.localtime(
        timezone.now() + datetime.timedelta(days=settings.PLEDGE_KEEP_WITHDRAWN_DAYS)
    )
    assert "Withdraw your pledge?" in confirm
    assert f"You can restore it until {until:%-d %B %Y}" in confirm
    pledge.refresh_from_db()
    assert not pledge.withdrawn  # only asked, so far

    withdrawn = client.post(f"{link}withdraw/", follow=True).content.decode()
    assert "Your pledge has been withdrawn" in withdrawn
    assert f"We will delete it after {until:%-d %B %Y}" in withdrawn
    pledge.refresh_from_db()
    assert pledge.withdrawn and pledge.email == "" and not pledge.reminders

    restored = client.post(f"{link}restore/", follow=True).content.decode()
    assert "Your pledge has been restored" in restored and "Check in" in restored
    pledge.refresh_from_db()
    assert not pledge.withdrawn
    assert Pledge.objects.active().count() == 1


def test_a_withdrawn_pledge_in_an_account_says_until_when_it_can_be_restored(client, keep_active):
    sam = people.sam()
    pledge, _ = actions.make_pledge(pledge_type=keep_active, user=sam)
    actions.withdraw(pledge)
    client.force_login(sam)
    mine = client.get("/deal/your-part/mine/").content.decode()
    assert (
        f"withdrawn (you can restore it until {timezone.localtime(pledge.deleted_after()):%-d %B %Y})"
        in mine
    )


def test_once_the_retention_schedule_has_deleted_it_there_is_nothing_to_restore(
    client, keep_active
):
    pledge, token = actions.make_pledge(pledge_type=keep_active)
    actions.withdraw(pledge)
    later = pledge.deleted_after() + datetime.timedelta(seconds=1)
    assert actions.delete_expired(now=later) == 1
    assert client.post(f"/deal/pledges/{token}/restore/").status_code == 404


DAYS = st.integers(min_value=0, max_value=1000)


@given(withdrawn_days_ago=st.one_of(st.none(), DAYS), inactive_days=DAYS,
       keep_withdrawn=st.integers(0, 60), keep_inactive=st.integers(1, 800))  # fmt: skip
@hypothesis_settings(max_examples=60, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
def test_the_date_a_pledge_is_said_to_be_kept_until_is_when_the_schedule_deletes_it(
    keep_active, withdrawn_days_ago, inactive_days, keep_withdrawn, keep_inactive
):
    """Whatever the settings and the pledge's history, the schedule keeps a pledge up to the
    date its page gives, and deletes it after."""
    now = timezone.now()
    with override_settings(PLEDGE_KEEP_WITHDRAWN_DAYS=keep_withdrawn,
                           PLEDGE_KEEP_INACTIVE_DAYS=keep_inactive):  # fmt: skip
        pledge, _ = actions.make_pledge(pledge_type=keep_active)
        Pledge.objects.filter(pk=pledge.pk).update(
            last_active_at=now - datetime.timedelta(days=inactive_days),
            withdrawn_at=None
            if withdrawn_days_ago is None
            else now - datetime.timedelta(days=withdrawn_days_ago),
        )
        pledge.refresh_from_db()
        until = pledge.deleted_after()
        assert actions.delete_expired(now=until) == 0
        assert Pledge.objects.filter(pk=pledge.pk).exists()
        assert actions.delete_expired(now=until + datetime.timedelta(microseconds=1)) == 1
