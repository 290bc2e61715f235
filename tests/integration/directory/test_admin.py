"""Staff look after listings in the admin: edits are validated and leave a change history."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.factories.directory import LocationFactory, ServiceAtLocationFactory, ServiceFactory
from thedeal.directory.models import Location, Metadata, Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory_officer(client):
    user = get_user_model().objects.create_superuser(
        "dana", "dana.officer@example.gov.uk", "a-long-test-password"
    )
    client.force_login(user)
    return user


def test_mark_as_verified_sets_the_assured_date_and_who_checked(client, directory_officer):
    stale = ServiceFactory(assured_date=timezone.localdate() - datetime.timedelta(days=200))

    response = client.post(
        "/admin/directory/service/",
        {"action": "mark_as_verified", "_selected_action": [stale.pk]},
        follow=True,
    )

    stale.refresh_from_db()
    assert response.status_code == 200
    assert stale.assured_date == timezone.localdate()
    assert stale.assurer_email == "dana.officer@example.gov.uk"
    assert not stale.is_stale()
    history = Metadata.objects.get(resource_id=stale.pk, field_name="assured_date")
    assert (
        history.last_action_type == "verify" and history.updated_by == "dana.officer@example.gov.uk"
    )


def test_stale_filter_lists_only_listings_due_for_checking(client, directory_officer):
    ServiceFactory(name="Fresh listing", assured_date=timezone.localdate())
    ServiceFactory(
        name="Old listing", assured_date=timezone.localdate() - datetime.timedelta(days=120)
    )

    page = client.get("/admin/directory/service/", {"stale": "yes"}).content.decode()

    assert "Old listing" in page and "Fresh listing" not in page


def test_editing_a_listing_records_each_changed_field(client, directory_officer):
    service = ServiceFactory(name="Chair yoga")
    Service.objects.filter(pk=service.pk).update(description="Old words.")
    data = {
        "name": "Chair yoga for beginners",
        "description": "Gentle seated yoga.",
        "status": "active",
        "organization": service.organization_id,
        "assured_date": service.assured_date.isoformat(),
        "assurer_email": service.assurer_email,
    }
    for prefix in ("service_at_locations", "schedules", "phones", "cost_options"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})

    response = client.post(f"/admin/directory/service/{service.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    changes = {
        m.field_name: (m.previous_value, m.replacement_value)
        for m in Metadata.objects.filter(resource_id=service.pk)
    }
    assert changes["name"] == ("Chair yoga", "Chair yoga for beginners")
    assert changes["description"] == ("Old words.", "Gentle seated yoga.")
    page = client.get(f"/admin/directory/service/{service.pk}/change/").content.decode()
    assert "Chair yoga for beginners" in page and "Change history" in page


def test_staff_cannot_take_away_a_listings_last_way_of_contact(client, directory_officer):
    from tests.factories.directory import PhoneFactory

    service = ServiceFactory(name="Chair yoga")
    phone = PhoneFactory(service=service, number="01942 111 222")
    data = {
        "name": service.name,
        "status": "active",
        "organization": service.organization_id,
        "assured_date": service.assured_date.isoformat(),
        "assurer_email": service.assurer_email,
        "phones-TOTAL_FORMS": 1, "phones-INITIAL_FORMS": 1,
        "phones-0-id": phone.pk, "phones-0-service": service.pk,
        "phones-0-number": phone.number, "phones-0-DELETE": "on",
    }  # fmt: skip
    for prefix in ("service_at_locations", "schedules", "cost_options"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})

    response = client.post(f"/admin/directory/service/{service.pk}/change/", data)

    assert response.status_code == 200
    assert "Keep at least one way to get in touch" in response.content.decode()
    assert service.phones.filter(number="01942 111 222").exists()

    # With a website instead, the phone number may go.
    response = client.post(
        f"/admin/directory/service/{service.pk}/change/",
        {**data, "url": "https://yoga.example.org"},
    )
    assert response.status_code == 302
    assert not service.phones.exists()


def test_location_form_refuses_impossible_coordinates(client, directory_officer):
    location = LocationFactory()

    response = client.post(
        f"/admin/directory/location/{location.pk}/change/",
        {
            "location_type": "physical",
            "latitude": "100",
            "longitude": "-2.6",
            "addresses-TOTAL_FORMS": 0,
            "addresses-INITIAL_FORMS": 0,
            "accessibility-TOTAL_FORMS": 0,
            "accessibility-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200
    assert "Latitude must be between -90 and 90." in response.content.decode()
    assert Location.objects.get(pk=location.pk).latitude == location.latitude


def test_moving_a_location_moves_its_grid_reference(client, directory_officer):
    location = LocationFactory(easting=357900, northing=405800)

    client.post(
        f"/admin/directory/location/{location.pk}/change/",
        {
            "location_type": "physical",
            "latitude": "53.5",  # about 5 km south
            "longitude": str(location.longitude),
            "easting": location.easting,
            "northing": location.northing,
            "addresses-TOTAL_FORMS": 0,
            "addresses-INITIAL_FORMS": 0,
            "accessibility-TOTAL_FORMS": 0,
            "accessibility-INITIAL_FORMS": 0,
        },
    )

    location.refresh_from_db()
    assert location.latitude == 53.5
    assert 400_000 < location.northing < 401_000


def test_moving_a_place_marks_its_services_as_modified(client, directory_officer):
    sal = ServiceAtLocationFactory()
    Service.objects.filter(pk=sal.service_id).update(
        last_modified=timezone.now() - datetime.timedelta(days=30)
    )
    before = timezone.now()

    client.post(
        f"/admin/directory/location/{sal.location_id}/change/",
        {
            "location_type": "physical",
            "name": "Renamed centre",
            "easting": sal.location.easting,
            "northing": sal.location.northing,
            "latitude": sal.location.latitude,
            "longitude": sal.location.longitude,
            "addresses-TOTAL_FORMS": 0,
            "addresses-INITIAL_FORMS": 0,
            "accessibility-TOTAL_FORMS": 0,
            "accessibility-INITIAL_FORMS": 0,
        },
    )

    assert Service.objects.get(pk=sal.service_id).last_modified >= before


def test_directory_staff_merge_duplicate_listings(client, django_user_model):
    from tests.factories import directory as factories
    from thedeal.directory import models

    staff = django_user_model.objects.create_superuser("dana@example.gov.uk", password="x" * 20)
    client.force_login(staff)
    keep = factories.ServiceFactory(name="Health walks")
    duplicate = factories.ServiceFactory(
        name="Health Walks (duplicate)", organization=keep.organization
    )
    place = factories.LocationFactory()
    factories.ServiceAtLocationFactory(service=keep, location=place)
    factories.ServiceAtLocationFactory(service=duplicate, location=place)  # the same place twice
    factories.PhoneFactory(service=duplicate, number="01942 555 666")
    models.Report.objects.create(service=duplicate, problem="Listed twice")
    selected = {"action": "merge", "_selected_action": [keep.pk, duplicate.pk]}

    confirm = client.post("/admin/directory/service/", selected)
    assert "Choose the listing to keep" in confirm.content.decode()

    client.post("/admin/directory/service/", {**selected, "keep": keep.pk, "confirm": "yes"})

    assert not models.Service.objects.filter(pk=duplicate.pk).exists()
    assert keep.service_at_locations.count() == 1
    assert keep.phones.filter(number="01942 555 666").exists()
    assert keep.reports.filter(problem="Listed twice").exists()
    assert models.Metadata.objects.filter(resource_id=keep.pk, last_action_type="merge").exists()


def test_merging_listings_of_different_organisations_asks_to_be_sure(client, directory_officer):
    from tests.factories.directory import OrganizationFactory

    garden = ServiceFactory(
        name="Health walks", organization=OrganizationFactory(name="Hindley Community Garden")
    )
    ramblers = ServiceFactory(
        name="Health walks", organization=OrganizationFactory(name="Wigan Ramblers")
    )
    selected = {"action": "merge", "_selected_action": [garden.pk, ramblers.pk]}

    confirm = client.post("/admin/directory/service/", selected).content.decode()
    assert "run by different organisations" in confirm
    assert "Hindley Community Garden" in confirm and "Wigan Ramblers" in confirm

    # Confirming without saying they are the same service merges nothing.
    again = client.post(
        "/admin/directory/service/", {**selected, "keep": garden.pk, "confirm": "yes"}
    )
    assert "Tick the box to confirm" in again.content.decode()
    assert Service.objects.filter(pk=ramblers.pk).exists()

    client.post(
        "/admin/directory/service/",
        {**selected, "keep": garden.pk, "confirm": "yes", "different_organisations": "yes"},
    )
    assert not Service.objects.filter(pk=ramblers.pk).exists()


def test_directory_staff_approve_suggested_listings_in_the_admin(client, django_user_model):
    from tests.factories import directory as factories
    from thedeal.directory import models

    staff = django_user_model.objects.create_superuser("dana@example.gov.uk", password="x" * 20)
    client.force_login(staff)
    garden = factories.OrganizationFactory()
    wanted = models.ListingSuggestion.objects.create(organization=garden, name="Seed swap")
    unwanted = models.ListingSuggestion.objects.create(organization=garden, name="Spam")
    url = "/admin/directory/listingsuggestion/"

    client.post(url, {"action": "approve", "_selected_action": [wanted.pk]})
    client.post(url, {"action": "reject", "_selected_action": [unwanted.pk]})

    wanted.refresh_from_db()
    unwanted.refresh_from_db()
    assert wanted.status == "approved" and wanted.service.name == "Seed swap"
    assert unwanted.status == "rejected" and unwanted.service is None
    assert not models.Service.objects.filter(name="Spam").exists()


def test_categories_an_import_brings_are_on_the_search_page_at_once(
    client, django_capture_on_commit_callbacks
):
    from tests.factories.directory import TaxonomyFactory, TaxonomyTermFactory
    from thedeal.directory import imports
    from thedeal.directory.models import TaxonomyTerm

    TaxonomyTermFactory(name="Walking")
    assert "Walking" in client.get("/services/").content.decode()  # the categories are kept

    # Imports write in bulk, past the signals that forget the kept list after an edit.
    with django_capture_on_commit_callbacks(execute=True):
        imports.write({"taxonomy_term": [
            TaxonomyTerm(name="Swimming", description="Pools.", taxonomy_detail=TaxonomyFactory())
        ]})  # fmt: skip

    assert "Swimming" in client.get("/services/").content.decode()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_staff_are_told_how_many_in_plain_english(client, directory_officer):
    from thedeal.directory.models import ListingSuggestion, Report

    one = ServiceFactory(name="Chair yoga")
    two = ServiceFactory(name="Health walks", organization=one.organization)
    changelist = "/admin/directory/service/"

    verified = client.post(
        changelist, {"action": "mark_as_verified", "_selected_action": [one.pk]}, follow=True
    )
    assert _messages(verified) == ["1 listing marked as verified today."]
    verified = client.post(
        changelist,
        {"action": "mark_as_verified", "_selected_action": [one.pk, two.pk]},
        follow=True,
    )
    assert _messages(verified) == ["2 listings marked as verified today."]

    report = Report.objects.create(service=one, problem="Closed on Mondays now")
    dealt = client.post(
        "/admin/directory/report/",
        {"action": "mark_dealt_with", "_selected_action": [report.pk]},
        follow=True,
    )
    assert _messages(dealt) == ["1 report marked as dealt with."]

    suggestions = [
        ListingSuggestion.objects.create(organization=one.organization, name=name)
        for name in ("Seated pilates", "Knit and natter")
    ]
    published = client.post(
        "/admin/directory/listingsuggestion/",
        {"action": "approve", "_selected_action": [suggestions[0].pk]},
        follow=True,
    )
    assert _messages(published) == ["1 listing published."]
    refused = client.post(
        "/admin/directory/listingsuggestion/",
        {"action": "reject", "_selected_action": [suggestions[1].pk]},
        follow=True,
    )
    assert _messages(refused) == ["1 suggestion not approved."]

    merged = client.post(
        changelist,
        {"action": "merge", "_selected_action": [one.pk, two.pk], "keep": one.pk,
         "confirm": "yes"},
        follow=True,
    )  # fmt: skip
    assert _messages(merged) == ["1 listing merged into Chair yoga."]


def test_staff_cannot_delete_a_listings_last_way_of_contact_from_the_phones_list(
    client, directory_officer
):
    from tests.factories.directory import PhoneFactory

    phone = PhoneFactory(service=ServiceFactory(name="Chair yoga"), number="01942 111 222")

    page = client.get(f"/admin/directory/phone/{phone.pk}/delete/", follow=True)
    assert "Keep at least one way to get in touch" in page.content.decode()
    client.post(f"/admin/directory/phone/{phone.pk}/delete/", {"post": "yes"})
    assert Service.objects.get(name="Chair yoga").phones.exists()

    listing = client.post(
        "/admin/directory/phone/",
        {"action": "delete_selected", "_selected_action": [phone.pk], "post": "yes"},
        follow=True,
    )
    assert "Keep at least one way to get in touch" in listing.content.decode()
    assert Service.objects.get(name="Chair yoga").phones.exists()
