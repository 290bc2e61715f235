"""Suggesting services for a person's goal, signposting and referring: what the directory may
offer (never a refuge's service), the pages a practitioner uses, who may open them, and the
audit events, emails and text messages each leaves."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import accounts as personas
from tests.factories import directory as d
from tests.factories.casework import PersonFactory, ade, test_nhs_number
from tests.integration.test_form_limits import value as form_value
from thedeal import geography, notify
from thedeal.casework import suggest_queries
from thedeal.casework.lifecycle import Party, Status
from thedeal.casework.models import (
    AuditEvent,
    Consent,
    Direction,
    Goal,
    Plan,
    Referral,
    Signpost,
)
from thedeal.directory.models import Service

pytestmark = pytest.mark.django_db

# Maureen's home: WN1 1AA, in Wigan town centre, on the National Grid.
_HOME = geography.lookup_postcode("WN1 1AA")
AT_HOME = (_HOME.easting, _HOME.northing)


def _service(name, *, term=None, at=AT_HOME, **kwargs):
    email = kwargs.pop("org_email", "hello@walkers.example.org")
    service = d.ServiceFactory(
        name=name, organization=d.OrganizationFactory(name=f"{name} group", email=email), **kwargs
    )
    if at is not None:
        d.ServiceAtLocationFactory(
            service=service, location=d.LocationFactory(easting=at[0], northing=at[1])
        )
    if term is not None:
        d.AttributeFactory(link_id=service.pk, taxonomy_term=term)
    return service


@pytest.fixture
def walking():
    return d.TaxonomyTermFactory(name="Walking groups")


@pytest.fixture
def maureen():
    return PersonFactory(
        given_name="Maureen",
        family_name="Hesketh",
        date_of_birth=datetime.date(1959, 3, 27),
        nhs_number=test_nhs_number(3),
        postcode="WN1 1AA",
        email="maureen@example.org",
        phone="07700 900456",
        contact_methods=["email", "text"],
        contact_times="Weekday mornings",
    )


@pytest.fixture
def goal(maureen, walking):
    plan = Plan.objects.create(person=maureen, agreed_on=timezone.localdate())
    return Goal.objects.create(
        plan=plan, in_their_words="Get out walking with others", importance=8, category=walking
    )


# What may be suggested --------------------------------------------------------------------


def test_only_active_services_in_the_goals_category_are_suggested_nearest_first(maureen, walking):
    near = _service("Canal walk", term=walking, at=(AT_HOME[0] + 300, AT_HOME[1]))
    far = _service("Moor walk", term=walking, at=(AT_HOME[0] + 6000, AT_HOME[1]))
    _service("Closed walk", term=walking, status=Service.Status.INACTIVE)
    _service("Knitting", term=d.TaxonomyTermFactory(name="Crafts"))

    found = suggest_queries.suggest(maureen, suggest_queries.Ask(category=walking))

    assert [s.candidate.service_id for s in found] == [near.pk, far.pk]
    assert "0.3 km from home" in found[0].fits
    assert "6.0 km from home" in found[1].misfits


def test_a_distance_limit_leaves_out_places_beyond_it_but_not_online_services(maureen, walking):
    _service("Moor walk", term=walking, at=(AT_HOME[0] + 6000, AT_HOME[1]))
    online = _service("Online walking club", term=walking, at=None)

    found = suggest_queries.suggest(maureen, suggest_queries.Ask(category=walking, within_km=2))

    assert [s.candidate.service_id for s in found] == [online.pk]


def test_any_kind_of_help_ranks_every_active_service_by_fit_then_name(maureen, walking):
    """No category (the person's page before a filter is chosen): every active service, in the
    ranking's order, each with its own reasons, though several share the same hours and cost
    (the suggestions read each pattern once)."""
    from thedeal.casework import suggestions
    from thedeal.directory.models import CostOption

    def weekday_mornings(service):
        d.ScheduleFactory(service=service, byday="MO,WE", opens_at=datetime.time(9, 30))

    near_free = _service("Canal walk", term=walking, at=(AT_HOME[0] + 300, AT_HOME[1]))
    weekday_mornings(near_free)
    CostOption.objects.create(service=near_free, amount=0)
    near_paid = _service("Art club", term=d.TaxonomyTermFactory(name="Crafts"))
    weekday_mornings(near_paid)
    CostOption.objects.create(service=near_paid, amount=5, option="Per session")
    evenings = _service("Book club", at=(AT_HOME[0] + 2000, AT_HOME[1]))
    d.ScheduleFactory(service=evenings, byday="TU", opens_at=datetime.time(19, 0))
    CostOption.objects.create(service=evenings, amount=0)
    helpline = _service("Carers line", at=None)
    weekday_mornings(helpline)
    too_young = _service("Young at heart", maximum_age=25)
    _service("Closed club", status=Service.Status.INACTIVE)

    found = suggest_queries.suggest(
        maureen,
        suggest_queries.Ask(slots=frozenset({suggestions.Slot.WEEKDAY_MORNINGS}), free_first=True),
    )

    assert [s.candidate.name for s in found] == [
        near_free.name,  # 0.3 km, mornings, free: 29 + 15 + 25
        evenings.name,  # 2 km, free, not mornings: 24 - 10 + 25
        near_paid.name,  # at home, mornings, not free: 30 + 15 - 15
        helpline.name,  # no journey, mornings, cost not listed: 15 + 15, after by name
        too_young.name,  # she is 67: after everything she may use
    ]
    assert found[0].fits == ["0.3 km from home", "Monday and Wednesday mornings", "Free"]
    assert "Not open when it suits them (weekday mornings)" in found[1].misfits
    assert "Not free: Per session: £5." in found[2].misfits
    assert found[3].fits == ["Monday and Wednesday mornings"]
    assert found[4].misfits[-1].startswith("For ages up to 25: they are ")


def test_any_kind_of_help_gives_each_service_its_own_places_access_and_times(maureen, walking):
    """Any kind of help reads the places, accessibility and times of the whole directory at
    once (not only of the services chosen): each service still gets its own, as with a goal's
    category, and a closed service sharing a place changes nothing."""
    from thedeal.casework import suggestions
    from thedeal.directory.models import Accessibility

    step_free = d.LocationFactory(easting=AT_HOME[0] + 300, northing=AT_HOME[1])
    Accessibility.objects.create(location=step_free, description="Level access, lift to all floors")
    with_lift = _service("Canal walk", term=walking, at=None)
    # Its time is its place's (a service-at-location's), not its own.
    there = d.ServiceAtLocationFactory(service=with_lift, location=step_free)
    d.ScheduleFactory(
        service=None, service_at_location=there, byday="TU", opens_at=datetime.time(10, 0)
    )
    steps = _service("Moor walk", term=walking, at=(AT_HOME[0] + 600, AT_HOME[1]))
    d.ScheduleFactory(service=steps, byday="SA", opens_at=datetime.time(10, 0))
    closed = _service("Closed walk", term=walking, at=None, status=Service.Status.INACTIVE)
    d.ServiceAtLocationFactory(service=closed, location=step_free)
    d.ScheduleFactory(service=closed, byday="MO", opens_at=datetime.time(10, 0))
    wishes = {
        "slots": frozenset({suggestions.Slot.WEEKDAY_MORNINGS}),
        "needs": frozenset({suggestions.Need.STEP_FREE}),
    }

    anything = suggest_queries.suggest(maureen, suggest_queries.Ask(**wishes))
    walks = suggest_queries.suggest(maureen, suggest_queries.Ask(category=walking, **wishes))

    assert [s.candidate.name for s in anything] == [with_lift.name, steps.name]
    assert anything[0].fits == [
        "0.3 km from home",
        "Tuesday mornings",
        "Step-free or wheelchair access",
    ]
    assert anything[1].misfits == [
        "Not open when it suits them (weekday mornings)",
        "Step-free or wheelchair access: not listed",
    ]
    # The goal's category (which reads only its own services) says the same, and that it helps.
    assert [(s.candidate.name, s.misfits, s.notes) for s in walks] == [
        (s.candidate.name, s.misfits, s.notes) for s in anything
    ]
    assert [s.fits for s in walks] == [["Helps with walking groups", *s.fits] for s in anything]


@hypothesis_settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans()), min_size=1, max_size=6))
def test_a_service_with_anything_at_a_confidential_place_is_never_suggested(maureen, walking, made):
    with transaction.atomic():
        confidential = set()
        for i, (at_refuge, also_public, in_category) in enumerate(made):
            service = _service(f"Service {i}", term=walking if in_category else None)
            if at_refuge:
                d.ServiceAtLocationFactory(
                    service=service,
                    location=d.LocationFactory(confidential=True, easting=AT_HOME[0] + 50),
                )
                confidential.add(service.pk)
            if also_public:
                d.ServiceAtLocationFactory(service=service)
        refuge = d.refuge()
        d.AttributeFactory(link_id=refuge.service.pk, taxonomy_term=walking)
        confidential.add(refuge.service.pk)

        asks = [
            suggest_queries.Ask(category=walking),
            suggest_queries.Ask(),
            suggest_queries.Ask(within_km=1),
        ]
        for ask in asks:
            found = {s.candidate.service_id for s in suggest_queries.suggest(maureen, ask)}
            assert not found & confidential
        only = suggest_queries.suggest(maureen, suggest_queries.Ask(), only=confidential)
        assert only == []
        transaction.set_rollback(True)


def test_the_suggestions_page_is_never_offered_a_refuges_service(client, maureen, goal, walking):
    refuge = d.refuge()
    d.AttributeFactory(link_id=refuge.service.pk, taxonomy_term=walking)
    client.force_login(personas.ola())

    page = client.get(f"/casework/people/{maureen.reference}/goals/{goal.pk}/services/")
    signposting = client.get(
        f"/casework/people/{maureen.reference}/services/{refuge.service.pk}/signpost/"
    )

    assert "Safe house support" not in page.text and "Secret Street" not in page.text
    assert signposting.status_code == 404


# The pages ------------------------------------------------------------------------------


def test_the_goals_suggestions_say_why_and_the_look_is_audited(client, maureen, goal, walking):
    _service("Canal walk", term=walking, minimum_age=50)
    ola = personas.ola()
    client.force_login(ola)

    response = client.get(f"/casework/people/{maureen.reference}/goals/{goal.pk}/services/")

    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    text = response.text
    assert "Get out walking with others" in text
    assert "Canal walk" in text and "Helps with walking groups" in text
    assert "For ages 50 and over: they are" in text
    event = AuditEvent.objects.get(action="viewed", person_id=maureen.pk)
    assert event.reason == "to suggest services" and event.user_id == ola.pk


def test_filters_from_the_address_narrow_and_reorder(client, maureen, walking):
    _service("Paid walk", term=walking, fees_description="£2 a session")
    free = _service("Free walk", term=walking, at=(AT_HOME[0] + 2000, AT_HOME[1]))
    free.cost_options.create(option="Free", amount=0, currency="GBP")
    client.force_login(personas.ola())
    url = f"/casework/people/{maureen.reference}/services/"

    first = client.get(url, {"category": str(walking.pk)}).text
    free_first = client.get(url, {"category": str(walking.pk), "free_first": "on"}).text

    assert first.index("Paid walk") < first.index("Free walk")
    assert free_first.index("Free walk") < free_first.index("Paid walk")
    assert "Not free: £2 a session" in free_first


def test_signposting_by_text_records_it_and_sends_the_details_once(
    client, maureen, goal, walking, texts_kept, django_capture_on_commit_callbacks
):
    service = _service("Canal walk", term=walking)
    d.PhoneFactory(service=service, number="01942 111 222")
    client.force_login(personas.ola())
    url = f"/casework/people/{maureen.reference}/services/{service.pk}/signpost/?goal={goal.pk}"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"method": "text"})

    assert response.status_code == 302
    given = Signpost.objects.get(person=maureen)
    assert (given.service, given.goal, given.method) == (service, goal, "text")
    assert "Helps with walking groups" in given.reasons
    (text,) = texts_kept()
    assert "To: 07700 900456" in text and "Canal walk: 01942 111 222" in text
    event = AuditEvent.objects.get(action="created", record_type="signpost")
    assert event.person_id == maureen.pk and "reasons" in event.field_names


def test_signposting_by_email_sends_the_services_details(
    client, maureen, walking, mailoutbox, django_capture_on_commit_callbacks
):
    service = _service("Canal walk", term=walking, description="A gentle walk by the canal.")
    client.force_login(personas.ola())

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/casework/people/{maureen.reference}/services/{service.pk}/signpost/",
            {"method": "email"},
        )

    (email,) = mailoutbox
    assert email.to == ["maureen@example.org"]
    assert "A gentle walk by the canal." in email.body


@pytest.mark.parametrize("method", ["text", "email"])
def test_signposting_without_notify_keeps_the_message_out_of_the_logs(
    client, maureen, walking, method, settings, tmp_path, texts_kept, capfd, caplog,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    # The project's own default, not the tests' locmem: Django's file backend in the outbox.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "email"
    service = _service("Canal walk", term=walking)
    d.PhoneFactory(service=service, number="01942 111 222")
    client.force_login(personas.ola())
    caplog.set_level("DEBUG")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/casework/people/{maureen.reference}/services/{service.pk}/signpost/",
            {"method": method},
        )

    printed = "".join(capfd.readouterr()) + caplog.text
    for personal in ("Maureen", "Hesketh", "07700 900456", "maureen@example.org", "Canal walk"):
        assert personal not in printed
    assert ("Text" if method == "text" else "Email") in caplog.text  # that it went, and where
    kept = texts_kept() if method == "text" else [
        f.read_text() for f in (tmp_path / "email").iterdir()
    ]  # fmt: skip
    assert len(kept) == 1 and "Canal walk" in kept[0]


def test_printing_leads_to_a_page_of_the_services_details(client, maureen, walking):
    service = _service("Canal walk", term=walking)
    client.force_login(personas.ola())

    response = client.post(
        f"/casework/people/{maureen.reference}/services/{service.pk}/signpost/",
        {"method": "printed"},
        follow=True,
    )

    assert response.redirect_chain[-1][0].endswith("/print/")
    assert "Canal walk" in response.text and "For Maureen Hesketh" in response.text


def test_no_email_or_text_to_someone_who_asked_not_to_be_contacted(client, maureen, walking):
    maureen.do_not_contact = True
    maureen.save()
    service = _service("Canal walk", term=walking)
    client.force_login(personas.ola())
    url = f"/casework/people/{maureen.reference}/services/{service.pk}/signpost/"

    page = client.get(url).text
    refused = client.post(url, {"method": "email"})

    assert 'value="email"' not in page and 'value="text"' not in page
    assert "they have asked not to be contacted" in page
    assert refused.status_code == 200 and "Select a valid choice" in refused.text
    assert not Signpost.objects.exists()


def test_text_only_when_a_text_is_one_of_their_ways_of_being_contacted(client, maureen, walking):
    maureen.contact_methods = ["email"]
    maureen.save()
    service = _service("Canal walk", term=walking)
    client.force_login(personas.ola())

    page = client.get(f"/casework/people/{maureen.reference}/services/{service.pk}/signpost/")

    assert 'value="email"' in page.text and 'value="text"' not in page.text


def test_referring_records_consent_sends_the_referral_and_tells_the_organisation(
    client, maureen, goal, walking, mailoutbox, django_capture_on_commit_callbacks
):
    service = _service("Canal walk", term=walking, org_email="walks@example.org")
    ola = personas.ola()
    client.force_login(ola)
    url = f"/casework/people/{maureen.reference}/services/{service.pk}/refer/?goal={goal.pk}"

    refused = client.post(url, {"reason": "Would like company"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Would like company", "consent": "on"})

    assert "Confirm they agree to share their details with Canal walk group" in refused.text
    referral = Referral.objects.get(person=maureen)
    assert response.status_code == 302 and response["Location"].endswith(
        f"/referrals/{referral.pk}/?done=referred"
    )
    assert (referral.direction, referral.status, referral.goal) == (
        Direction.OUTBOUND,
        Status.REQUESTED,
        goal,
    )
    assert referral.performer_organization == service.organization
    assert "Helps with walking groups" in referral.reasons_suggested
    assert referral.share_consent.organization == service.organization
    assert [(c.from_status, c.to_status, c.by_user) for c in referral.changes.all()] == [
        ("", "requested", ola)
    ]
    assert {e.record_type for e in AuditEvent.objects.filter(action="created")} == {
        "consent",
        "referral",
    }
    (email,) = mailoutbox
    assert email.to == ["walks@example.org"]
    # The organisation reads the referral signed in: the email names nobody.
    assert "Maureen" not in email.body and "Hesketh" not in email.body


def test_a_consent_already_given_is_used_and_not_asked_for_again(client, maureen, walking):
    service = _service("Canal walk", term=walking)
    consent = Consent.objects.create(
        person=maureen,
        kind="share",
        organization=service.organization,
        given_on=timezone.localdate(),
    )
    client.force_login(personas.ola())
    url = f"/casework/people/{maureen.reference}/services/{service.pk}/refer/"

    assert 'name="consent"' not in client.get(url).text
    client.post(url, {"reason": "Would like company"})

    assert Referral.objects.get().share_consent == consent
    assert Consent.objects.count() == 1


def test_the_refer_page_shows_the_organisations_figures_once_there_are_enough(
    client, maureen, walking
):
    service = _service("Canal walk", term=walking)
    client.force_login(personas.ola())
    url = f"/casework/people/{maureen.reference}/services/{service.pk}/refer/"
    others = [PersonFactory() for _ in range(8)]

    def answered(person, status):
        referral = Referral.objects.create(
            person=person,
            direction=Direction.OUTBOUND,
            performer_organization=service.organization,
            service=service,
            requested_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 10)),
        )
        referral.record_start(by=Party.REQUESTER)
        reason = "Full" if status == Status.REJECTED else ""
        referral.change_status(
            status,
            by=Party.TARGET,
            reason=reason,
            at=timezone.make_aware(datetime.datetime(2026, 3, 4, 10)),
        )

    for person in others[:7]:
        answered(person, Status.ACCEPTED)
    seven = client.get(url).text
    answered(others[7], Status.REJECTED)
    eight = client.get(url).text

    assert seven.count("Not enough referrals yet") == 2
    assert "2 working days to answer (median)" in eight and "Accepts 88% of referrals" in eight


def test_a_referrals_page_shows_its_history_and_the_referrer_can_cancel_it(
    client, maureen, walking
):
    service = _service("Canal walk", term=walking)
    ola = personas.ola()
    client.force_login(ola)
    base = f"/casework/people/{maureen.reference}"
    client.post(f"{base}/services/{service.pk}/refer/", {"reason": "Company", "consent": "on"})
    referral = Referral.objects.get()

    page = client.get(f"{base}/referrals/{referral.pk}/").text
    no_reason = client.post(f"{base}/referrals/{referral.pk}/cancelled/", {"reason": ""})
    client.post(f"{base}/referrals/{referral.pk}/cancelled/", {"reason": "Moved away"})
    accept = client.get(f"{base}/referrals/{referral.pk}/accepted/")

    assert "Waiting for a reply" in page and "Cancel referral" in page
    assert "Enter the reason" in no_reason.text
    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == ("cancelled", "Moved away")
    # Only the organisation accepts a referral: not one of the referrer's steps.
    assert accept.status_code == 404
    person_page = client.get(f"{base}/").text
    assert "Canal walk" in person_page and referral.label_for(Party.REQUESTER) in person_page
    change = AuditEvent.objects.get(action="changed", record_type="referral")
    assert change.field_names == ["status", "status_reason"]


# Who may open the pages --------------------------------------------------------------------


def _urls(person, goal, service, referral, signpost):
    base = f"/casework/people/{person.reference}"
    return [
        f"{base}/services/",
        f"{base}/goals/{goal.pk}/services/",
        f"{base}/services/{service.pk}/signpost/",
        f"{base}/services/{service.pk}/refer/",
        f"{base}/signposts/{signpost.pk}/print/",
        f"{base}/referrals/{referral.pk}/",
        f"{base}/referrals/{referral.pk}/cancelled/",
    ]


@pytest.fixture
def records(maureen, goal, walking):
    service = _service("Canal walk", term=walking)
    referral = Referral.objects.create(
        person=maureen,
        direction=Direction.OUTBOUND,
        performer_organization=service.organization,
        service=service,
    )
    referral.record_start(by=Party.REQUESTER)
    signpost = Signpost.objects.create(person=maureen, service=service, method="printed")
    return _urls(maureen, goal, service, referral, signpost)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (personas.ola, 200),
        (personas.dana, 200),
        (personas.priya, 403),
        (personas.sam, 403),
        (ade, 403),
    ],
    ids=["practitioner", "administrator", "editor", "resident", "analyst"],
)
def test_who_may_open_the_pages(client, records, persona, expected):
    client.force_login(persona())
    for url in records:
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 200:
            assert "no-store" in response["Cache-Control"], url


def test_a_signed_out_visitor_is_sent_to_sign_in(client, records):
    for url in records:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/sign-in/"), url


def test_each_page_about_a_person_leaves_one_audit_event(client, records, maureen):
    client.force_login(personas.ola())
    for url in records:
        before = AuditEvent.objects.filter(action="viewed", person_id=maureen.pk).count()
        client.get(url)
        after = AuditEvent.objects.filter(action="viewed", person_id=maureen.pk).count()
        assert after == before + 1, url


def test_another_persons_goal_or_referral_is_not_found_under_this_person(client, records, maureen):
    other = PersonFactory()
    client.force_login(personas.ola())
    for url in records[1:]:
        if "/signpost/" in url or "/refer/" in url or url.endswith("/services/"):
            continue
        assert client.get(url.replace(maureen.reference, other.reference)).status_code == 404, url


def test_a_text_message_is_sent_once_per_key(texts_kept, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify.send_text(to="07700 900456", body="Canal walk: 01942 111 222.", key="once")
        notify.send_text(to="07700 900456", body="Canal walk: 01942 111 222.", key="once")
        notify.send_text(to="07700 900999", body="Canal walk: 01942 111 222.", key="once")

    kept = texts_kept()
    assert sum("To: 07700 900456" in text for text in kept) == 1
    assert sum("To: 07700 900999" in text for text in kept) == 1


def test_words_find_services_through_the_directorys_search_and_say_so(maureen, walking):
    canal = _service("Canal walk", term=walking)
    _service("Knitting circle")

    found = suggest_queries.suggest(maureen, suggest_queries.Ask(words="canal"))
    nothing = suggest_queries.suggest(maureen, suggest_queries.Ask(words="zzyzx"))

    assert [s.candidate.service_id for s in found] == [canal.pk]
    assert "Mentions “canal”" in found[0].fits
    # Words that match nothing suggest nothing, not the whole directory.
    assert nothing == []


@pytest.mark.slow
@hypothesis_settings(
    derandomize=True,
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=st.lists(form_value, min_size=8, max_size=8))
def test_whatever_is_typed_into_the_suggestion_forms_gets_a_message_or_is_saved(
    client, maureen, walking, values
):
    service = Service.objects.filter(name="Canal walk").first() or _service(
        "Canal walk", term=walking
    )
    # Hypothesis runs the examples in one test's database: Ola is made once.
    ola = User.objects.filter(username="ola@example.nhs.uk").first() or personas.ola()
    client.force_login(ola)
    base = f"/casework/people/{maureen.reference}"
    v = iter(values)
    responses = [
        client.get(
            f"{base}/services/",
            {"category": next(v), "words": next(v), "within": next(v), "slots": next(v)},
        ),
        client.post(f"{base}/services/{service.pk}/signpost/", {"method": next(v)}),
        client.post(f"{base}/services/{service.pk}/refer/", {"reason": next(v), "consent": "on"}),
    ]
    referral = Referral.objects.filter(person=maureen).first()
    if referral is not None and not referral.is_closed:
        responses.append(
            client.post(f"{base}/referrals/{referral.pk}/cancelled/", {"reason": next(v)})
        )
    for response in responses:
        # 200: the page again, with its messages; 302: saved. Never a 500 (the test client
        # raises the error itself). A NUL character in an address is refused before any view.
        nul_in_address = "%00" in response.request.get("QUERY_STRING", "")
        assert response.status_code in ((200, 302, 400) if nul_in_address else (200, 302))
    list(Referral.objects.values())
