"""An organisation's editor changes every part of their listing (times, phone numbers, places,
accessibility, ages, categories) on its own page; residents then see the change on the public
page, harvesters in the feed, and the change history records who made it."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import accounts as people
from tests.factories import directory as factories
from thedeal.accounts.models import OrganisationEditor
from thedeal.directory import models

pytestmark = pytest.mark.django_db


@pytest.fixture
def priya():
    """Priya edits the listings of Hindley Community Garden, and nothing else."""
    return people.priya()


@pytest.fixture
def walks(priya):
    """The garden's walking group, at its own pavilion, reachable by email."""
    garden = priya.editing.get().organization
    service = factories.ServiceFactory(
        name="Garden walks", organization=garden, email="walks@example.org"
    )
    pavilion = factories.LocationFactory(name="Garden pavilion", organization=garden)
    factories.AddressFactory(location=pavilion, address_1="1 Mill Lane", postal_code="WN2 3AA")
    factories.ServiceAtLocationFactory(service=service, location=pavilion)
    return service


@pytest.fixture
def editing(client, priya):
    client.force_login(priya)
    return client


def _url(service, path=""):
    return f"/accounts/listings/{service.pk}/{path}"


def _public(client, service):
    return client.get(f"/services/{service.pk}/").content.decode()


def _feed(client, service):
    return client.get(f"/api/directory/services/{service.pk}").json()


def _history(resource, **fields):
    return models.Metadata.objects.filter(
        resource_id=resource.pk, updated_by="priya@example.org", **fields
    )


def test_the_overview_shows_every_part_with_a_change_link(editing, walks):
    page = editing.get(_url(walks)).content.decode()

    for part in ("Name", "What it is", "Ages", "Categories", "What it costs", "Email address",
                 "Website", "When it runs", "Where it runs", "Garden pavilion", "1 Mill Lane"):  # fmt: skip
        assert part in page
    for link in ("details/#id_name", "ages/", "categories/", "phones/new/", "times/new/",
                 "places/new/"):  # fmt: skip
        assert _url(walks, link) in page
    link = walks.service_at_locations.get()
    assert _url(walks, f"places/{link.pk}/times/new/") in page
    assert _url(walks, f"places/{link.pk}/accessibility/new/") in page


def test_times_at_a_place_show_on_the_public_page_and_in_the_feed(editing, walks):
    link = walks.service_at_locations.get()

    response = editing.post(
        _url(walks, f"places/{link.pk}/times/new/"),
        {"days": ["TU"], "how_often": "weekly", "opens_at": "6:30pm", "closes_at": "20:00"},
    )

    assert response.status_code == 302
    assert response["Location"] == _url(walks, "?done=time")
    assert "Tuesdays, 6:30pm to 8pm." in _public(editing, walks)
    assert "Tuesdays, 6:30pm to 8pm." in editing.get(_url(walks)).content.decode()
    (place,) = _feed(editing, walks)["service_at_locations"]
    assert place["schedules"][0]["byday"] == "TU"
    assert place["schedules"][0]["opens_at"].startswith("18:30")
    schedule = models.Schedule.objects.get(service_at_location=link)
    assert _history(schedule, last_action_type="create", field_name="byday").exists()


def test_a_monthly_time_reads_as_residents_say_it(editing, walks):
    editing.post(_url(walks, "times/new/"),
                 {"days": ["SA"], "how_often": "1", "opens_at": "10am", "closes_at": "midday"})  # fmt: skip

    assert "The first Saturday of the month, 10am to midday." in _public(editing, walks)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"how_often": "weekly", "opens_at": "10:00", "closes_at": "12:00"}, "days",
         "Select the days it runs, or describe the times in words"),
        ({"days": ["MO"], "how_often": "weekly", "opens_at": "14:00", "closes_at": "2pm"},
         "closes_at", "The time it closes must be different from the time it opens"),
        ({"days": ["MO"], "how_often": "weekly", "opens_at": "teatime", "closes_at": "18:00"},
         "opens_at", "Enter the time it opens as a time, like 9:30am or 14:00"),
        ({"days": ["MO"], "how_often": "weekly", "opens_at": "10:00"}, "closes_at",
         "Enter the time it closes"),
        ({"days": ["XX"], "how_often": "weekly"}, "days", "Select a valid choice"),
    ],
)  # fmt: skip
def test_times_that_cannot_be_right_are_refused_naming_the_field(editing, walks, data, field,
                                                                 message):  # fmt: skip
    response = editing.post(_url(walks, "times/new/"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f'href="#id_{field}"' in page and message in page
    assert not models.Schedule.objects.exists()


def test_every_mistake_in_times_is_shown_at_once(editing, walks):
    page = editing.post(
        _url(walks, "times/new/"), {"how_often": "weekly", "opens_at": "14:00", "closes_at": "2pm"}
    ).content.decode()

    assert 'href="#id_days"' in page and 'href="#id_closes_at"' in page


def test_the_admin_and_imports_refuse_the_same_times():
    schedule = models.Schedule(freq="WEEKLY", byday="MO,FUNDAY", opens_at="14:00:00",
                               closes_at="14:00:00")  # fmt: skip
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        schedule.full_clean(exclude=["service", "location", "service_at_location"])

    assert set(error.value.message_dict) == {"byday", "closes_at"}


def test_times_that_run_until_midnight_are_kept():
    schedule = models.Schedule(freq="WEEKLY", byday="SA", opens_at=datetime.time(18, 0),
                               closes_at=datetime.time(0, 0))  # fmt: skip

    schedule.full_clean(exclude=["service", "location", "service_at_location"])

    # Kept (no error above), and read as GOV.UK writes it, not "12am".
    assert schedule.describe() == "Saturdays, 6pm to midnight"


def test_times_that_run_past_midnight_are_kept_and_read_as_they_run():
    # A night shelter or a late helpline: feeds publish such hours, and an import refusing them
    # would refuse the council's whole file.
    schedule = models.Schedule(freq="WEEKLY", byday="FR", opens_at=datetime.time(22, 0),
                               closes_at=datetime.time(2, 0))  # fmt: skip

    schedule.full_clean(exclude=["service", "location", "service_at_location"])

    assert schedule.describe() == "Fridays, 10pm to 2am"


def test_times_can_be_changed_and_removed(editing, walks):
    schedule = factories.ScheduleFactory(service=walks, byday="MO")

    editing.post(_url(walks, f"times/{schedule.pk}/"),
                 {"days": ["MO", "WE"], "how_often": "weekly", "opens_at": "9:00",
                  "closes_at": "11:00"})  # fmt: skip
    assert "Mondays and Wednesdays, 9am to 11am." in _public(editing, walks)
    assert _history(schedule, field_name="byday", previous_value="MO",
                    replacement_value="MO,WE").exists()  # fmt: skip

    confirm = editing.get(_url(walks, f"time/{schedule.pk}/remove/")).content.decode()
    assert "Remove these times?" in confirm
    editing.post(_url(walks, f"time/{schedule.pk}/remove/"))
    assert "Mondays and Wednesdays" not in _public(editing, walks)
    assert _history(schedule, last_action_type="delete").exists()


def test_a_phone_number_added_is_public_and_in_the_feed(editing, walks):
    response = editing.post(_url(walks, "phones/new/"),
                            {"number": "01942  828 000", "description": "Bookings"})  # fmt: skip

    assert response.status_code == 302
    assert "01942 828 000" in _public(editing, walks)
    assert _feed(editing, walks)["phones"][0]["number"] == "01942 828 000"
    assert _history(walks.phones.get(), field_name="number").exists()


def test_a_phone_number_that_is_not_one_is_refused(editing, walks):
    page = editing.post(_url(walks, "phones/new/"), {"number": "call us"}).content.decode()

    assert 'href="#id_number"' in page and "Enter a phone number, like 01942 828 000" in page


def test_a_listings_last_way_of_contact_cannot_be_removed(editing, walks):
    walks.email = ""
    walks.save()
    phone = factories.PhoneFactory(service=walks, number="01942 111 222")

    page = editing.post(_url(walks, f"phone/{phone.pk}/remove/")).content.decode()

    assert "Keep at least one way to get in touch" in page
    assert walks.phones.filter(pk=phone.pk).exists()


def test_a_phone_number_can_go_when_the_listing_keeps_another_way(editing, walks):
    phone = factories.PhoneFactory(service=walks, number="01942 111 222")

    editing.post(_url(walks, f"phone/{phone.pk}/remove/"))

    assert not walks.phones.exists()
    assert "01942 111 222" not in _public(editing, walks)


def test_an_organisations_other_place_can_be_added(editing, walks):
    library = factories.LocationFactory(name="Hindley Library",
                                        organization=walks.organization)  # fmt: skip
    factories.AddressFactory(location=library, address_1="Market Street")

    page = editing.get(_url(walks, "places/new/")).content.decode()
    assert "Hindley Library" in page and "Garden pavilion" not in page
    editing.post(_url(walks, "places/new/"), {"place": str(library.pk)})

    assert "Market Street" in _public(editing, walks)
    link = walks.service_at_locations.get(location=library)
    assert _history(link, last_action_type="create", field_name="location_id").exists()


def test_another_organisations_place_cannot_be_added(editing, walks):
    elsewhere = factories.LocationFactory(name="Somebody else's hall")

    response = editing.post(_url(walks, "places/new/"), {"place": str(elsewhere.pk)})

    assert "Select a valid choice" in response.content.decode()
    assert not walks.service_at_locations.filter(location=elsewhere).exists()


def test_a_new_place_is_found_by_its_postcode(editing, walks):
    response = editing.post(
        _url(walks, "places/new/address/"),
        {"name": "Scout hut", "address_1": "2 Park Road", "city": "Wigan",
         "county": "Greater Manchester", "postcode": "wn1 1aa"},
    )  # fmt: skip

    assert response.status_code == 302
    place = models.Location.objects.get(name="Scout hut")
    assert place.organization == walks.organization and not place.confidential
    assert place.easting is not None and place.latitude is not None
    assert "2 Park Road, Wigan, WN1 1AA" in _public(editing, walks)
    found = editing.get("/services/", {"q": "Garden walks", "postcode": "WN1 1AA",
                                       "distance": "1"}).content.decode()  # fmt: skip
    assert "Scout hut" in found


def test_a_new_place_with_an_unknown_postcode_is_refused(editing, walks):
    page = editing.post(
        _url(walks, "places/new/address/"),
        {"name": "Hut", "address_1": "2 Park Road", "city": "Wigan", "county": "Greater Manchester",
         "postcode": "not a postcode"},
    ).content.decode()  # fmt: skip

    assert 'href="#id_postcode"' in page and "Enter a real postcode" in page
    assert not models.Location.objects.filter(name="Hut").exists()


def test_removing_a_place_takes_its_times_but_keeps_the_place(editing, walks):
    link = walks.service_at_locations.get()
    factories.ScheduleFactory(service=None, service_at_location=link, byday="FR")

    editing.post(_url(walks, f"place/{link.pk}/remove/"))

    page = _public(editing, walks)
    assert "Garden pavilion" not in page and "Fridays" not in page
    assert models.Location.objects.filter(name="Garden pavilion").exists()
    assert not models.Schedule.objects.exists()


def test_accessibility_of_a_place_is_shown_for_every_listing_there(editing, walks):
    link = walks.service_at_locations.get()

    editing.post(_url(walks, f"places/{link.pk}/accessibility/new/"),
                 {"description": "Step-free access", "details": "Ramp by the gate"})  # fmt: skip

    assert "Step-free access Ramp by the gate" in _public(editing, walks)
    item = link.location.accessibility.get()
    assert _history(item, field_name="description").exists()
    page = editing.post(_url(walks, f"places/{link.pk}/accessibility/{item.pk}/"),
                        {"description": ""}).content.decode()  # fmt: skip
    assert 'href="#id_description"' in page


def test_another_organisations_place_keeps_its_accessibility_to_itself(editing, walks):
    hall = factories.LocationFactory(name="Parish hall")  # another organisation's
    link = factories.ServiceAtLocationFactory(service=walks, location=hall)

    assert (
        "Another organisation looks after this place" in editing.get(_url(walks)).content.decode()
    )
    response = editing.post(_url(walks, f"places/{link.pk}/accessibility/new/"),
                            {"description": "Lift"})  # fmt: skip
    assert response.status_code == 404


def test_ages_are_saved_and_refused_when_the_wrong_way_round(editing, walks):
    page = editing.post(_url(walks, "ages/"),
                        {"minimum_age": "65", "maximum_age": "18"}).content.decode()  # fmt: skip
    assert 'href="#id_maximum_age"' in page
    assert "The oldest age must be the same as or above the youngest age" in page

    editing.post(_url(walks, "ages/"), {"minimum_age": "18", "maximum_age": ""})

    assert _feed(editing, walks)["minimum_age"] == 18
    assert "Ages 18 and over" in _public(editing, walks)
    assert _history(walks, field_name="minimum_age", replacement_value="18").exists()


def test_categories_chosen_are_searched_and_shown(editing, walks):
    health = factories.TaxonomyTermFactory(name="Health and wellbeing")
    walking = factories.TaxonomyTermFactory(name="Nordic rambling", parent=health)
    factories.TaxonomyTermFactory(name="Money advice", parent=health)

    page = editing.get(_url(walks, "categories/")).content.decode()
    assert "Health and wellbeing" in page and "Money advice" in page
    editing.post(_url(walks, "categories/"), {"categories": [str(walking.pk)]})

    assert "Nordic rambling" in _public(editing, walks)
    assert "Garden walks" in editing.get("/services/", {"q": "rambling"}).content.decode()
    assert _history(models.Attribute.objects.get(link_id=walks.pk), last_action_type="create",
                    field_name="taxonomy_term_id").exists()  # fmt: skip

    editing.post(_url(walks, "categories/"), {})
    assert "Nordic rambling" not in _public(editing, walks)
    assert not models.Attribute.objects.filter(link_id=walks.pk).exists()


def test_every_change_marks_the_listing_modified_for_harvesters(editing, walks):
    before = models.Service.objects.get(pk=walks.pk).last_modified

    editing.post(_url(walks, "phones/new/"), {"number": "01942 828 000"})

    assert models.Service.objects.get(pk=walks.pk).last_modified > before


def test_an_editor_cannot_reach_another_organisations_listing_or_its_parts(editing, walks):
    other = factories.ServiceFactory(name="Not theirs")
    link = factories.ServiceAtLocationFactory(service=other)
    schedule = factories.ScheduleFactory(service=other)
    phone = factories.PhoneFactory(service=other)
    paths = ["", "details/", "times/new/", f"times/{schedule.pk}/", "phones/new/",
             f"phones/{phone.pk}/", "places/new/", "places/new/address/", "ages/", "categories/",
             f"places/{link.pk}/times/new/", f"places/{link.pk}/phones/new/",
             f"places/{link.pk}/accessibility/new/", f"time/{schedule.pk}/remove/",
             f"phone/{phone.pk}/remove/", f"place/{link.pk}/remove/"]  # fmt: skip

    for path in paths:
        assert editing.get(_url(other, path)).status_code == 404, path
    for path in paths[1:]:
        assert editing.post(_url(other, path), {"number": "1", "days": ["MO"]}).status_code == 404
    # Nor another listing's parts through their own listing's address.
    assert editing.get(_url(walks, f"times/{schedule.pk}/")).status_code == 404
    assert editing.post(_url(walks, f"phone/{phone.pk}/remove/")).status_code == 404
    assert models.Phone.objects.filter(pk=phone.pk).exists()


def test_the_suggestion_page_says_where_places_and_times_are_added(editing, walks):
    page = editing.get("/accounts/listings/new/").content.decode()

    assert "where you can add its places, times, phone numbers" in page


# --- The property: no edit publishes what is at a refuge --------------------------------------

EDITS = st.lists(
    st.sampled_from(["time at the refuge", "phone at the refuge", "access at the refuge",
                     "another refuge added", "time", "phone"]),
    min_size=1, max_size=5,
)  # fmt: skip


@settings(max_examples=15, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(edits=EDITS)
def test_no_editors_change_at_a_refuge_is_published(client, edits):
    with transaction.atomic():
        try:
            sal = factories.refuge()
            user = User.objects.create_user("refuge.editor@example.org")
            OrganisationEditor.objects.create(user=user, organization=sal.service.organization)
            sal.location.organization = sal.service.organization
            sal.location.save()
            client.force_login(user)
            service = sal.service
            secrets, public = [], []
            for number, edit in enumerate(edits):
                at_refuge = edit.endswith("at the refuge")
                if edit.startswith("time"):
                    # A minute of its own for each edit, so that no time is part of another
                    # ("1:17" is in "11:17am").
                    hour, minute = 10 + number, (11, 23, 37, 41, 53)[number]
                    path = f"places/{sal.pk}/times/new/" if at_refuge else "times/new/"
                    client.post(_url(service, path), {"days": ["SU"], "how_often": "weekly",
                                                      "opens_at": f"{hour}:{minute}",
                                                      "closes_at": f"{hour}:59"})  # fmt: skip
                    text = f"{hour % 12 or 12}:{minute}"
                elif edit.startswith("phone"):
                    text = f"01942 5550{number:02d}"
                    path = f"places/{sal.pk}/phones/new/" if at_refuge else "phones/new/"
                    client.post(_url(service, path), {"number": text})
                elif edit == "another refuge added":
                    text = f"{number} Hidden Road"
                    house = factories.LocationFactory(name=f"House {number}", confidential=True,
                                                      organization=service.organization)  # fmt: skip
                    factories.AddressFactory(location=house, address_1=text)
                    client.post(_url(service, "places/new/"), {"place": str(house.pk)})
                    at_refuge = True
                else:
                    text = f"Secret ramp {number}"
                    client.post(_url(service, f"places/{sal.pk}/accessibility/new/"),
                                {"description": text})  # fmt: skip
                (secrets if at_refuge else public).append(text)
            # All saved: the editor sees each on their overview.
            overview = client.get(_url(service)).content.decode()
            client.logout()
            outputs = "\n".join(
                [
                    client.get(f"/services/{service.pk}/").content.decode(),
                    client.get("/api/directory/services", {"full": "true"}).content.decode(),
                    client.get(f"/api/directory/services/{service.pk}").content.decode(),
                    client.get("/services/", {"q": service.name, "day": "SU"}).content.decode(),
                ]
            )
        finally:
            transaction.set_rollback(True)
    # The feed's timestamps ("last_modified": "...T13:52:17Z") would match an opening time such as
    # "2:17" by chance; they are not opening times, so they are taken out before looking.
    outputs = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?", "", outputs)

    for secret in secrets:
        assert secret in overview
        assert secret not in outputs
    for text in public:
        assert text in outputs
