"""A community organisation's referral inbox: who may open it, what an editor sees of a
person (only with their consent to share), every look audited, and answers moved only along the
lifecycle, with the referrer told by email."""

import datetime
import html
import itertools

import pytest
from django.db import transaction
from django.db.models import Case, When
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import accounts as personas
from tests.factories import directory as directory_factories
from tests.factories.casework import PersonFactory, ade
from tests.factories.inbox import kofi, organisation_of, sent_referral, share_consent
from thedeal.casework import inbox_actions
from thedeal.casework.lifecycle import Party, Status
from thedeal.casework.models import AuditEvent, Consent, Referral, ReferralChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def priya():
    return personas.priya()


@pytest.fixture
def garden(priya):
    return organisation_of(priya)


@pytest.fixture
def ola():
    return personas.ola()


@pytest.fixture
def maureen():
    return PersonFactory(
        given_name="Maureen",
        family_name="Hesketh",
        phone="01942 000111",
        contact_methods=["phone"],
        contact_times="Weekday mornings",
        reasonable_adjustments="Hard of hearing: face her when speaking",
        what_matters="Getting out of the house; her allotment",
    )


@pytest.fixture
def referral(garden, ola, maureen):
    return sent_referral(to=garden, by=ola, person=maureen)


def text(response):
    return html.unescape(response.content.decode())


def url(referral, step=""):
    return f"/referrals/{referral.fhir_id}/" + (f"{step}/" if step else "")


# --- Who may open it ----------------------------------------------------------------------------

PERSONAS = {
    "the organisation's editor": personas.priya,
    "another organisation's editor": kofi,
    "a practitioner": personas.ola,
    "an analyst": ade,
    "a resident": personas.sam,
}
# Persona -> (the inbox, the referral, accepting it): what each is answered.
EXPECTED = {
    "the organisation's editor": (200, 200, 302),
    "another organisation's editor": (200, 404, 404),
    "a practitioner": (403, 403, 403),
    "an analyst": (403, 403, 403),
    "a resident": (403, 403, 403),
}


@pytest.mark.parametrize("who", list(PERSONAS))
def test_inbox_answers_each_persona_as_the_table_says(client, who, maureen):
    user = PERSONAS[who]()
    kim = personas.UserFactory(username="kim@example.nhs.uk")  # the referring practitioner
    # Priya's garden, made by her persona when she is the one signed in.
    garden = organisation_of(user) if who == "the organisation's editor" else None
    garden = garden or directory_factories.OrganizationFactory(name="Hindley Community Garden")
    referral = sent_referral(to=garden, by=kim, person=maureen)
    client.force_login(user)

    answers = (
        client.get("/referrals/").status_code,
        client.get(url(referral)).status_code,
        client.post(url(referral, "accepted")).status_code,
    )

    assert answers == EXPECTED[who]
    referral.refresh_from_db()
    accepted = who == "the organisation's editor"
    assert referral.status == ("accepted" if accepted else "requested")
    opened = AuditEvent.objects.filter(record_type="referral", action="viewed")
    assert opened.count() == (1 if accepted else 0)


def test_inbox_sends_a_signed_out_visitor_to_sign_in(client, referral):
    for address in ("/referrals/", url(referral), url(referral, "accepted")):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")
    assert client.post(url(referral, "accepted")).status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == "requested"


def test_inbox_pages_are_never_cached(client, priya, referral):
    client.force_login(priya)
    for address in ("/referrals/", url(referral), url(referral, "rejected")):
        assert "no-store" in client.get(address)["Cache-Control"]


def test_inbox_lists_unanswered_referrals_first_then_the_newest(client, priya, garden, ola):
    now = timezone.now()
    old_waiting = sent_referral(
        to=garden, by=ola, at=now - datetime.timedelta(days=9), service_name="Old waiting"
    )
    new_answered = sent_referral(to=garden, by=ola, at=now, service_name="New answered")
    new_answered.change_status("accepted", by=Party.TARGET, user=priya)
    new_waiting = sent_referral(
        to=garden, by=ola, at=now - datetime.timedelta(days=1), service_name="New waiting"
    )
    elsewhere = sent_referral(
        to=directory_factories.OrganizationFactory(), by=ola, service_name="Someone else's"
    )
    client.force_login(priya)

    page = client.get("/referrals/").content.decode()

    order = [page.index(r.service.name) for r in (new_waiting, old_waiting, new_answered)]
    assert order == sorted(order)
    assert elsewhere.service.name not in page
    assert "New referral" in page and "Accepted" in page  # as the organisation reads them
    assert "2 waiting" in page


def test_the_inbox_list_names_no_one(client, priya, referral, garden, maureen):
    share_consent(maureen, garden)
    client.force_login(priya)

    page = client.get("/referrals/").content.decode()

    assert "Grow Together sessions" in page
    assert "Maureen" not in page and "Hesketh" not in page


def test_a_draft_and_a_referral_to_the_link_workers_are_not_in_the_inbox(
    client, priya, garden, ola
):
    draft = sent_referral(to=garden, by=ola, service_name="Not sent yet")
    Referral.objects.filter(pk=draft.pk).update(status=Status.DRAFT)
    client.force_login(priya)

    assert "Not sent yet" not in client.get("/referrals/").content.decode()
    assert client.get(url(draft)).status_code == 404


# --- What the organisation sees of the person ---------------------------------------------------


def test_with_consent_to_share_the_editor_sees_what_they_need(client, priya, referral, garden):
    share_consent(referral.person, garden)
    client.force_login(priya)

    page = client.get(url(referral)).content.decode()

    for shown in (
        "Maureen Hesketh",
        "01942 000111",
        "Phone call",
        "Weekday mornings",
        "Hard of hearing",
        "Lonely since her husband died",
        "her allotment",
    ):
        assert shown in page, shown
    assert referral.person.nhs_number not in page
    assert referral.person.address.splitlines()[0] not in page
    assert "Consent to share is missing" not in page


def test_without_consent_the_editor_sees_only_that_a_referral_exists(client, priya, referral):
    client.force_login(priya)

    page = client.get(url(referral)).content.decode()

    assert "Consent to share is missing" in page
    assert "A person referred to you" in page
    for hidden in ("Maureen", "Hesketh", "000111", "Hard of hearing", "Lonely", "allotment"):
        assert hidden not in page, hidden


THEIRS, OTHERS = "their organisation", "another organisation"


@pytest.mark.parametrize(
    ("kind", "whose", "withdrawn"),
    list(itertools.product(["share", "record", "contact"], [THEIRS, OTHERS], [False, True])),
)
def test_only_a_current_consent_to_share_with_their_organisation_shows_the_person(
    client, priya, referral, garden, kind, whose, withdrawn
):
    organisation = garden if whose == THEIRS else directory_factories.OrganizationFactory()
    Consent.objects.create(
        person=referral.person,
        kind=kind,
        organization=organisation if kind == "share" else None,
        given_on=datetime.date(2026, 1, 5),
        withdrawn_on=datetime.date(2026, 2, 1) if withdrawn else None,
    )
    client.force_login(priya)

    page = client.get(url(referral)).content.decode()

    shown = kind == "share" and whose == THEIRS and not withdrawn
    assert ("Maureen Hesketh" in page) is shown
    assert ("Consent to share is missing" in page) is not shown
    assert (inbox_actions.consent_to_share(referral) is not None) is shown


def test_a_consent_given_after_today_does_not_yet_share(referral, garden):
    share_consent(referral.person, garden, given_on=timezone.localdate() + datetime.timedelta(1))

    assert inbox_actions.consent_to_share(referral) is None


def test_opening_a_referral_is_audited_as_the_editor_from_the_inbox(client, priya, referral):
    client.force_login(priya)

    client.get(url(referral))

    (event,) = AuditEvent.objects.filter(action="viewed")
    assert (event.user_id, event.username) == (priya.pk, "priya@example.org")
    assert (event.record_type, event.record_id) == ("referral", referral.pk)
    assert event.person_id == referral.person_id
    assert event.reason == "inbox"


# --- Answers ------------------------------------------------------------------------------------


def test_a_new_referral_offers_the_organisations_answers_worded_by_the_lifecycle(
    client, priya, referral
):
    client.force_login(priya)

    page = client.get(url(referral)).content.decode()

    for offered in ("Accept referral", "Do not accept", "Cancel referral"):
        assert offered in page
    for not_yet in ("Mark as completed", "Record that they did not attend", "made in error"):
        assert not_yet not in page


def test_accepting_moves_the_referral_and_tells_the_referrer(
    client, priya, ola, referral, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(priya)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(referral, "accepted"))

    assert response.status_code == 302
    assert "done=accepted" in response["Location"]
    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert referral.answered_at is not None
    change = referral.changes.last()
    assert (change.from_status, change.to_status, change.by_party) == (
        "requested",
        "accepted",
        "target",
    )
    assert change.by_user == priya
    (email,) = mailoutbox
    assert email.to == [ola.email]
    assert email.subject == "A referral you made has been accepted"
    assert "Maureen" not in email.subject and "Hesketh" not in email.body
    assert referral.person.reference in email.body
    audited = AuditEvent.objects.get(action="changed", record_type="referral")
    assert audited.user_id == priya.pk and audited.field_names == ["status"]


def test_declining_needs_a_reason_and_says_where(client, priya, referral, mailoutbox):
    client.force_login(priya)

    response = client.post(url(referral, "rejected"), {"reason": "  "})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_reason"' in page
    assert "Enter why the referral cannot be accepted: the referrer will read it" in page
    assert Referral.objects.get(pk=referral.pk).status == "requested"
    assert mailoutbox == []


def test_declining_with_a_reason_tells_the_referrer_why(
    client, priya, ola, referral, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(priya)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(referral, "rejected"), {"reason": "Our sessions are full until May"})

    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == (
        "rejected",
        "Our sessions are full until May",
    )
    (email,) = mailoutbox
    assert email.subject == "A referral you made has not been accepted"
    assert "Our sessions are full until May" in email.body


def test_the_organisation_records_attendance_and_outcome(
    client, priya, ola, referral, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(priya)
    client.post(url(referral, "accepted"))
    client.post(url(referral, "in-progress"))
    client.post(url(referral, "on-hold"), {"reason": "In hospital for a fortnight"})
    client.post(url(referral, "in-progress"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(referral, "completed"), {"outcome": "Came to 6 sessions; now a volunteer"})

    referral.refresh_from_db()
    assert referral.status == "completed"
    assert referral.attended is True
    assert referral.outcome == "Came to 6 sessions; now a volunteer"
    assert list(referral.changes.values_list("to_status", flat=True)) == [
        "requested",
        "accepted",
        "in-progress",
        "on-hold",
        "in-progress",
        "completed",
    ]
    (email,) = mailoutbox  # the outcome (the acceptance's was sent outside the capture)
    assert email.subject == "A referral you made has an outcome: completed"
    assert "now a volunteer" in email.body
    page = client.get(url(referral)).content.decode()
    assert "This referral is closed" in page


def test_did_not_attend_needs_what_happened(client, priya, referral):
    client.force_login(priya)
    client.post(url(referral, "accepted"))

    refused = client.post(url(referral, "failed"), {"reason": ""})
    client.post(url(referral, "failed"), {"reason": "Missed the first three sessions"})

    assert "Enter what happened: the referrer will read it" in refused.content.decode()
    referral.refresh_from_db()
    assert (referral.status, referral.attended) == ("failed", False)


def test_an_illegal_change_is_refused_with_a_clear_error(client, priya, referral):
    client.force_login(priya)
    client.post(url(referral, "accepted"))

    again = client.post(url(referral, "accepted"))
    jumped_back = client.post(url(referral, "rejected"), {"reason": "Changed our minds"})
    not_theirs = client.post(url(referral, "entered-in-error"))

    assert [r.status_code for r in (again, jumped_back, not_theirs)] == [409, 409, 409]
    assert "The referral is already “Accepted”" in text(again)
    assert (
        "A referral that is “Accepted” cannot be made “Not accepted”. You can: "
        "“Record that they have started”, “Put on hold”"
    ) in text(jumped_back)
    assert "Only the practitioner who made the referral can mark it “Made in error”" in text(
        not_theirs
    )
    assert "There is a problem" in text(not_theirs)
    assert ReferralChange.objects.filter(referral=referral).count() == 2
    assert Referral.objects.get(pk=referral.pk).status == "accepted"


def test_a_closed_referral_says_it_is_closed(client, priya, referral):
    client.force_login(priya)
    client.post(url(referral, "accepted"))
    client.post(url(referral, "completed"), {"outcome": ""})

    response = client.get(url(referral, "on-hold"))

    assert response.status_code == 409
    assert "The referral is “Completed”, so it is closed" in text(response)
    assert "<textarea" not in text(response)


def test_a_word_that_is_no_status_is_not_found(client, priya, referral):
    client.force_login(priya)

    assert client.get(url(referral, "approved")).status_code == 404


def test_an_answer_as_the_organisation_cannot_make_a_requesters_change(priya, referral):
    with pytest.raises(ValueError, match="only the referrer"):
        inbox_actions.answer(referral=referral, to="entered-in-error", by=priya)
    assert not AuditEvent.objects.filter(action="changed").exists()


# --- The referrer's side ------------------------------------------------------------------------


def test_the_person_page_shows_the_referrers_view_with_chases(client, ola, referral):
    Referral.objects.filter(pk=referral.pk).update(times_chased=2)
    client.force_login(ola)

    page = client.get(f"/casework/people/{referral.person.reference}/").content.decode()

    assert "Referrals" in page
    assert "Waiting for a reply" in page  # as the practitioner reads "requested"
    assert "Chased 2 times" in page


def test_an_editor_finds_the_inbox_from_their_listings(client, priya):
    client.force_login(priya)

    page = client.get("/accounts/listings/").content.decode()

    assert 'href="/referrals/"' in page


# --- Its pages: the unanswered, then the rest, each newest first, across page breaks ------------


def as_before(user):
    """The inbox as it was read before: one query sorted by "is it unanswered?", then newest."""
    return list(
        Referral.objects.filter(direction="outbound", performer_organization__editors__user=user)
        .exclude(status=Status.DRAFT)
        .annotate(waiting=Case(When(status=Status.REQUESTED, then=0), default=1))
        .order_by("waiting", "-requested_at", "-pk")
    )


@pytest.mark.slow
@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    sent=st.lists(
        st.tuples(
            st.sampled_from([Status.REQUESTED, Status.ACCEPTED, Status.COMPLETED, Status.DRAFT]),
            st.integers(0, 5),  # days ago: several on one day, the newest made first or last
        ),
        max_size=12,
    ),
    lines=st.tuples(st.integers(0, 14), st.integers(0, 14)).map(sorted),
)
def test_each_page_of_the_inbox_holds_what_one_sorted_list_would(sent, lines, priya, garden):
    with transaction.atomic():  # each example starts from an empty inbox (undone at its end)
        now = timezone.now()
        for status, days_ago in sent:
            made = sent_referral(to=garden, at=now - datetime.timedelta(days=days_ago))
            Referral.objects.filter(pk=made.pk).update(status=status)
        start, stop = lines
        inbox = inbox_actions.Inbox(priya)

        assert inbox[start:stop] == as_before(priya)[start:stop]
        assert inbox.count() == len(as_before(priya))
        assert inbox.waiting == sum(status == Status.REQUESTED for status, _ in sent)
        transaction.set_rollback(True)


def test_the_inbox_breaks_its_pages_inside_the_unanswered_and_after(client, priya, garden):
    now = timezone.now()
    for n in range(52):
        made = sent_referral(
            to=garden, at=now - datetime.timedelta(hours=n), service_name=f"Group {n:02d}"
        )
        if n % 4:  # three in four answered; 13 waiting
            Referral.objects.filter(pk=made.pk).update(status=Status.ACCEPTED)
    client.force_login(priya)

    first = text(client.get("/referrals/"))
    second = text(client.get("/referrals/", {"page": 2}))

    waiting = [f"Group {n:02d}" for n in range(0, 52, 4)]
    assert [first.index(name) for name in waiting] == sorted(first.index(n) for n in waiting)
    assert first.index("Group 48") < first.index("Group 01")  # the oldest waiting, then the rest
    assert "13 waiting" in first
    assert "Group 50" in second and "Group 51" in second and "Group 49" not in second
