"""Staff and community organisation accounts: signing in, and who may edit which listing."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import directory as factories
from thedeal.accounts.models import OrganisationEditor, Role
from thedeal.directory import models

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor():
    """Priya edits the listings of Hindley Community Garden, and nothing else."""
    user = User.objects.create_user("priya@example.org", password=PASSWORD)
    user.groups.add(Group.objects.get(name=Role.EDITOR))
    garden = factories.OrganizationFactory(name="Hindley Community Garden")
    OrganisationEditor.objects.create(user=user, organization=garden)
    return user


def sign_in(client, username="priya@example.org", password=PASSWORD):
    return client.post("/accounts/sign-in/", {"username": username, "password": password})


def test_the_four_roles_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_an_editor_signs_in_and_sees_only_their_listings(client, editor):
    own = factories.ServiceFactory(
        name="Garden volunteering", organization=editor.editing.get().organization
    )
    factories.ServiceFactory(name="Someone else's club")

    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/listings/"
    html = client.get("/accounts/listings/").content.decode()
    assert (
        own.name in html
        and "Someone else&#x27;s club" not in html
        and "Someone else's club" not in html
    )


def test_an_editor_updates_their_listing_with_its_history(client, editor):
    own = factories.ServiceFactory(
        organization=editor.editing.get().organization, description="Old"
    )
    client.force_login(editor)
    response = client.post(
        f"/accounts/listings/{own.pk}/details/", {"name": own.name, "description": "New words"}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.description == "New words"
    change = models.Metadata.objects.get(resource_id=own.pk, field_name="description")
    assert (change.previous_value, change.replacement_value) == ("Old", "New words")
    assert change.updated_by == "priya@example.org"


def test_an_editor_cannot_edit_or_verify_another_organisations_listing(client, editor):
    other = factories.ServiceFactory(description="Theirs")
    client.force_login(editor)
    assert client.get(f"/accounts/listings/{other.pk}/").status_code == 404
    assert (
        client.post(f"/accounts/listings/{other.pk}/details/", {"name": "Mine now"}).status_code
        == 404
    )
    assert client.post(f"/accounts/listings/{other.pk}/verify/").status_code == 404
    other.refresh_from_db()
    assert other.name != "Mine now"


def test_directory_staff_edit_any_listing(client):
    staff = User.objects.create_user("dana@example.gov.uk", password=PASSWORD)
    staff.user_permissions.add(Permission.objects.get(codename="change_service"))
    service = factories.ServiceFactory()
    client.force_login(staff)
    assert client.get(f"/accounts/listings/{service.pk}/").status_code == 200


def test_an_editor_marks_a_listing_as_checked_and_deals_with_reports(client, editor):
    own = factories.ServiceFactory(
        organization=editor.editing.get().organization, assured_date=None
    )
    report = models.Report.objects.create(
        service=own, problem="Closed on Fridays now", email="r@example.org"
    )
    client.force_login(editor)

    page = client.get(f"/accounts/listings/{own.pk}/").content.decode()
    assert "Closed on Fridays now" in page and "r@example.org" in page

    client.post(f"/accounts/listings/{own.pk}/verify/")
    own.refresh_from_db()
    assert own.assured_date is not None and own.assurer_email == "priya@example.org"

    client.post(f"/accounts/listings/{own.pk}/reports/{report.pk}/done/")
    report.refresh_from_db()
    assert report.status == "done" and report.email == ""


def test_a_listing_form_explains_its_mistakes(client, editor):
    own = factories.ServiceFactory(organization=editor.editing.get().organization)
    client.force_login(editor)
    html = client.post(
        f"/accounts/listings/{own.pk}/details/", {"name": "", "email": "nope", "url": "ftp:x"}
    ).content.decode()
    assert "There is a problem" in html
    assert "Enter an email address in the correct format" in html
    assert "Enter a website address in the correct format" in html


def test_five_wrong_passwords_lock_the_account(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert "Enter a correct email address" in sign_in(client, password="wrong").content.decode()
    locked = sign_in(client, password="wrong")
    assert locked.status_code == 429 and "Your account is locked" in locked.content.decode()
    # Even the right password is refused while the lock lasts.
    assert sign_in(client).status_code == 429


def test_two_factor_sign_in(client, editor):
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    response = sign_in(client)
    assert response["Location"].startswith("/accounts/two-factor/")
    # Signed in with a password alone is not enough to see the listings.
    assert client.get("/accounts/listings/")["Location"].startswith("/accounts/two-factor/")

    wrong = client.post("/accounts/two-factor/?next=/accounts/listings/", {"code": "000000"})
    assert "The code is not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait; the test does not
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    right = client.post("/accounts/two-factor/?next=/accounts/listings/", {"code": code})
    assert right["Location"] == "/accounts/listings/"
    assert client.get("/accounts/listings/").status_code == 200


def test_setting_up_two_factor(client, editor):
    client.force_login(editor)
    page = client.get("/accounts/two-factor/set-up/").content.decode()
    assert "<svg" in page and "Key:" in page
    device = TOTPDevice.objects.get(user=editor)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    done = client.post("/accounts/two-factor/set-up/", {"code": code}).content.decode()
    device.refresh_from_db()
    assert device.confirmed
    # Anyone may turn it on, residents too: back to the account, not to an editor's listings.
    assert '<a class="govuk-link" href="/accounts/">Back to your account</a>' in done


def test_pages_for_staff_need_signing_in(client):
    response = client.get("/accounts/listings/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")


def test_editors_are_reminded_weekly_of_their_listings_due_for_checking(
    editor, settings, mailoutbox, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from thedeal.accounts.tasks import remind_organisation_editors

    editor.email = "priya@example.org"
    editor.save()
    garden = editor.editing.get().organization
    factories.ServiceFactory(name="Garden volunteering", organization=garden, assured_date=None)
    factories.ServiceFactory(name="Fresh listing", organization=garden,
                             assured_date=timezone.localdate())  # fmt: skip
    factories.ServiceFactory(name="Another organisation's", assured_date=None)
    today = timezone.localdate().strftime("%a").upper()[:2]
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%a").upper()[:2]

    settings.EDITOR_REMINDER_DAY = tomorrow
    assert remind_organisation_editors.call() == 0
    settings.EDITOR_REMINDER_DAY = today
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_organisation_editors.call() == 1
    (message,) = mailoutbox
    assert message.to == ["priya@example.org"]
    assert "Garden volunteering" in message.body
    assert "Fresh listing" not in message.body and "Another organisation" not in message.body
    assert "/accounts/listings/" in message.body


def test_a_forgotten_password_is_reset_through_an_emailed_link(
    client, editor, mailoutbox, django_capture_on_commit_callbacks
):
    import re

    editor.email = "priya@example.org"
    editor.save()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/accounts/password/reset/", {"email": "priya@example.org"})
    assert page["Location"] == "/accounts/password/reset/sent/"
    # The same answer for an address with no account, so the page reveals nobody.
    assert (
        client.post("/accounts/password/reset/", {"email": "nobody@example.org"}).status_code == 302
    )
    (message,) = mailoutbox
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Set a new password" in form.content.decode()
    weak = client.post(
        form.redirect_chain[-1][0], {"new_password1": "password", "new_password2": "password"}
    )
    assert "Your password must be at least 12 characters long" in weak.content.decode()
    done = client.post(form.redirect_chain[-1][0],
                       {"new_password1": "a much longer pass phrase", "new_password2": "a much longer pass phrase"})  # fmt: skip
    assert done["Location"] == "/accounts/password/reset/done/"
    assert (
        sign_in(client, password="a much longer pass phrase")["Location"] == "/accounts/listings/"
    )


def test_an_editor_changes_their_password_under_the_rules(client, editor):
    client.force_login(editor)
    weak = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "12345678",
                                                "new_password2": "12345678"})  # fmt: skip
    assert "There is a problem" in weak.content.decode()
    changed = client.post("/accounts/password/", {"old_password": PASSWORD,
                                                   "new_password1": "another long pass phrase",
                                                   "new_password2": "another long pass phrase"})  # fmt: skip
    assert changed["Location"] == "/accounts/password/changed/"


def test_an_editor_suggests_a_listing_which_is_published_only_once_approved(
    client, editor, mailoutbox, django_capture_on_commit_callbacks
):
    from thedeal.directory import actions

    editor.email = "priya@example.org"
    editor.save()
    garden = editor.editing.get().organization
    client.force_login(editor)
    assert (
        "Enter the listing"
        in client.post("/accounts/listings/new/", {"organization": garden.pk}).content.decode()
    )
    response = client.post("/accounts/listings/new/", {"organization": garden.pk, "name": "Seed swap",
                                                        "description": "Swap seeds each spring."})  # fmt: skip
    assert response.status_code == 302
    suggestion = models.ListingSuggestion.objects.get()
    assert not models.Service.objects.filter(name="Seed swap").exists()  # not published yet
    assert "Waiting for approval" in client.get("/accounts/listings/").content.decode()

    staff = User.objects.create_superuser("dana@example.gov.uk", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        service = actions.approve_suggestion(suggestion, by=staff)
    assert service.organization == garden and service.assured_date is not None
    assert "Seed swap" in client.get(f"/services/{service.pk}/").content.decode()
    (message,) = mailoutbox
    assert message.to == ["priya@example.org"] and "now listed" in message.body


def test_only_editors_of_an_organisation_can_suggest_for_it(client, editor):
    other = factories.OrganizationFactory()
    client.force_login(editor)
    response = client.post(
        "/accounts/listings/new/", {"organization": other.pk, "name": "Not mine"}
    )
    assert "Select a valid choice" in response.content.decode()
    assert not models.ListingSuggestion.objects.exists()


def test_a_resident_creates_an_account_and_their_pledges_live_in_it(client):
    from thedeal.deal import demo

    demo.load()
    bad = client.post(
        "/accounts/register/", {"username": "sam", "password1": "short", "password2": "short"}
    )
    html = bad.content.decode()
    assert "Enter an email address in the correct format" in html
    assert "Your password must be at least 12 characters long" in html
    made = client.post("/accounts/register/", {"username": "Sam@Example.org",
                                               "password1": "a long pass phrase here",
                                               "password2": "a long pass phrase here"})  # fmt: skip
    assert made["Location"] == "/accounts/"
    sam = User.objects.get(username="sam@example.org")
    assert not sam.groups.exists() and not sam.is_staff
    client.post("/deal/your-part/keep-active/", {})
    assert sam.pledges.count() == 1
    again = client.post("/accounts/register/", {"username": "sam@example.org",
                                                "password1": "a long pass phrase here",
                                                "password2": "a long pass phrase here"})  # fmt: skip
    assert "There is already an account" in again.content.decode()


def test_a_resident_deletes_their_account_and_its_pledges(client):
    from thedeal.deal import actions, demo
    from thedeal.deal.models import Pledge, PledgeType

    demo.load()
    sam = User.objects.create_user("sam@example.org", password=PASSWORD)
    actions.make_pledge(pledge_type=PledgeType.objects.first(), user=sam)
    client.force_login(sam)
    assert "cannot be undone" in client.get("/accounts/delete/").content.decode()
    assert "has been deleted" in client.post("/accounts/delete/").content.decode()
    assert not User.objects.filter(username="sam@example.org").exists()
    assert not Pledge.objects.exists()


def test_a_password_reset_goes_through_gov_uk_notify_like_every_other_email(
    client, editor, settings, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    """With Notify configured, the reset link goes through Notify, never through Django's
    backend (printed into the server's log by default, with the address and the link)."""
    sent = []

    class FakeNotify:
        def __init__(self, api_key):
            pass

        def send_email_notification(self, **kwargs):
            sent.append(kwargs)
            return {"id": "1"}

    editor.email = "priya@example.org"
    editor.save()
    settings.NOTIFY_API_KEY = "test-key"
    settings.NOTIFY_EMAIL_TEMPLATE_ID = "template"
    monkeypatch.setattr(
        "notifications_python_client.notifications.NotificationsAPIClient", FakeNotify
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "priya@example.org"})
    assert mailoutbox == []
    (notification,) = sent
    assert notification["email_address"] == "priya@example.org"
    assert "/accounts/password/reset/" in notification["personalisation"]["body"]
