"""Nothing attached to a refuge or safe house is ever published: not by the feed, not by the
public exports, not on the site. One persona (tests.factories.directory.refuge) for the cases
we know, and a property test for the ones we have not thought of."""

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import directory as factories
from thedeal.deal.models import PledgeType
from thedeal.directory import models

pytestmark = pytest.mark.django_db

API = "/api/directory"
TILES = "https://tiles.example.org/{z}/{x}/{y}.png"


def feed(client, path, **params):
    response = client.get(f"{API}{path}", params)
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def exported(fmt):
    """Everything a public export writes, as one text."""
    with tempfile.TemporaryDirectory() as folder:
        call_command("export_hsds", folder, format=fmt, stdout=io.StringIO())
        return "".join(p.read_text(encoding="utf-8") for p in sorted(Path(folder).iterdir()))


def everything_public_about(client, service):
    """Every public output that could carry something of this service's places."""
    organization = service.organization_id
    return "\n".join(
        [
            feed(client, f"/services/{service.pk}"),
            feed(client, "/services", full="true"),
            feed(client, "/services", full="true", format="ndjson"),
            feed(client, "/service_at_locations", full="true"),
            feed(client, f"/organizations/{organization}", full_service="true"),
            feed(client, f"/organizations/{organization}"),
            feed(client, "/organizations", full_service="true"),
            feed(client, "/organizations", full="true", format="ndjson"),
            exported("json"),
            exported("csv"),
            client.get(f"/services/{service.pk}/").content.decode(),
            client.get("/services/", {"q": service.name}).content.decode(),
        ]
    )


def test_a_refuges_opening_times_are_published_nowhere(client):
    sal = factories.refuge()
    # Staff entered the night cover against the service and the refuge both.
    factories.ScheduleFactory(service=sal.service, service_at_location=sal,
                              description="Night worker on site 7pm to 7am")  # fmt: skip
    factories.ScheduleFactory(service=sal.service, location=sal.location,
                              description="Door answered 9am to 5pm")  # fmt: skip

    text = everything_public_about(client, sal.service)

    assert "Night worker on site" not in text and "Door answered" not in text
    assert "Safe house support" in text and "0800 000 111" in text


def test_a_number_shared_by_a_service_and_its_refuge_is_published_nowhere(client):
    # The factory's refuge line (01942 222 333) is linked to the service and to the refuge.
    sal = factories.refuge()

    text = everything_public_about(client, sal.service)

    assert "01942 222 333" not in text
    assert "0800 000 111" in text


def test_a_contact_and_language_shared_with_a_refuge_are_published_nowhere(client):
    sal = factories.refuge()
    models.Contact.objects.create(service=sal.service, location=sal.location,
                                  name="Priya, night manager")  # fmt: skip
    models.Language.objects.create(service=sal.service, location=sal.location,
                                   name="Tigrinya, at the house")  # fmt: skip

    text = everything_public_about(client, sal.service)

    assert "Priya, night manager" not in text and "Tigrinya, at the house" not in text


def test_the_history_of_a_note_on_a_refuges_address_is_published_nowhere(client):
    sal = factories.refuge()
    note = models.Attribute.objects.get(link_id=sal.location.addresses.get().pk)
    models.Metadata.objects.create(
        resource_id=note.pk, resource_type="attribute", last_action_date="2026-01-05",
        last_action_type="update", field_name="value", previous_value="",
        replacement_value="Round the back, blue door", updated_by="Directory team",
    )  # fmt: skip

    text = everything_public_about(client, sal.service)

    assert "blue door" not in text and str(note.pk) not in text


def test_searching_by_opening_day_never_finds_a_service_by_its_refuges_hours(client):
    sal = factories.refuge()
    factories.ScheduleFactory(service=sal.service, byday="MO", opens_at="09:00", closes_at="17:00")
    # Only the refuge is staffed on Sundays: a search for Sundays must not reveal that.
    factories.ScheduleFactory(service=None, service_at_location=sal, byday="SU",
                              opens_at="08:00", closes_at="09:00")  # fmt: skip
    factories.ScheduleFactory(service=None, location=sal.location, byday="SA",
                              opens_at="08:00", closes_at="09:00")  # fmt: skip

    monday = json.loads(feed(client, "/services", day="MO"))
    sunday = json.loads(feed(client, "/services", day="SU"))
    early = json.loads(feed(client, "/services", start_time="08:00", end_time="09:00"))
    site_sunday = client.get("/services/", {"day": "SU"}).content.decode()

    assert [s["name"] for s in monday["contents"]] == ["Safe house support"]
    assert sunday["contents"] == [] and early["contents"] == []
    assert "Safe house support" not in site_sunday


def test_a_refuge_is_never_the_place_a_prevention_suggestion_measures_from():
    from thedeal.prevention import actions as prevention

    sal = factories.refuge(easting=358123, northing=405321)
    sal.service.name = "Befriending at the house"
    sal.service.save()
    public = factories.ServiceAtLocationFactory(service=sal.service)

    (offer,) = prevention.offers()

    assert offer.places == ((public.location.easting, public.location.northing),)


def test_a_public_export_keeps_everything_else_of_a_refuges_service(client):
    sal = factories.refuge()
    factories.ScheduleFactory(service=sal.service, description="Helpline 24 hours")

    with tempfile.TemporaryDirectory() as folder:
        call_command("export_hsds", folder, format="csv", stdout=io.StringIO())
        with open(Path(folder) / "phones.csv", encoding="utf-8") as f:
            phones = [row["number"] for row in csv.DictReader(f)]
        with open(Path(folder) / "schedules.csv", encoding="utf-8") as f:
            schedules = [row["description"] for row in csv.DictReader(f)]

    assert phones == ["0800 000 111"]
    assert schedules == ["Helpline 24 hours"]


# --- The property: random directories with refuges ------------------------------------------
# Which links each kind of record may have (HSDS 3.0), and the kind each points at. Attributes
# and change history may be attached to a record of any kind.
LINKS = {
    "address": {"location": "location"},
    "accessibility": {"location": "location"},
    "contact": {"organization": "organization", "service": "service",
                "service_at_location": "service_at_location", "location": "location"},
    "phone": {"location": "location", "service": "service", "organization": "organization",
              "contact": "contact", "service_at_location": "service_at_location"},
    "schedule": {"service": "service", "location": "location",
                 "service_at_location": "service_at_location"},
    "language": {"service": "service", "location": "location", "phone": "phone"},
}  # fmt: skip
ONE_PARENT = {"address", "accessibility"}
ATTACHABLE = [*LINKS, "attribute", "metadata"]


class Directory:
    """A small directory being built at random, each record carrying a marker of its own, with
    the test's own answer to "is it attached to a confidential place?" (not the code's)."""

    def __init__(self, data):
        self.data = data
        self.records = {}  # kind -> [instance]
        self.markers = {}  # marker -> (instance, attached to a refuge?)
        self.attached = set()  # primary keys of records attached to a refuge
        self.term = factories.TaxonomyTermFactory(code="qx-helps", name="Helps")

    def marker(self):
        suffix = self.data.draw(st.text(alphabet="abcdefghjkmnprstuvwy", min_size=4, max_size=4))
        return f"qx{len(self.markers)}z{suffix}"

    def add(self, kind, instance, marker, attached):
        self.records.setdefault(kind, []).append(instance)
        self.markers[marker] = (instance, attached)
        if attached:
            self.attached.add(instance.pk)
        return instance

    def pick(self, kind):
        return self.data.draw(st.sampled_from(self.records[kind]))

    def any_record(self, *, but):
        """A record of any kind that HSDS lets carry attributes or change history (hsds.NESTING:
        change history carries neither, and an attribute no attributes)."""
        kind = self.data.draw(st.sampled_from(sorted(set(self.records) - set(but))))
        return self.pick(kind)

    def build(self):
        draw = self.data.draw
        for _ in range(draw(st.integers(1, 2))):
            marker = self.marker()
            self.add("organization", factories.OrganizationFactory(name=marker), marker, False)
        for _ in range(draw(st.integers(1, 3))):
            marker = self.marker()
            service = factories.ServiceFactory(name=marker, organization=self.pick("organization"))
            factories.AttributeFactory(link_id=service.pk, taxonomy_term=self.term)
            self.add("service", service, marker, False)
        for n in range(draw(st.integers(1, 3))):
            marker = self.marker()
            confidential = n == 0 or draw(st.booleans())
            location = factories.LocationFactory(
                name=marker,
                confidential=confidential,
                organization=draw(st.sampled_from([None, *self.records["organization"]])),
                easting=factories.WIGAN_CENTRE[0] + draw(st.integers(-900, 900)),
                northing=factories.WIGAN_CENTRE[1] + draw(st.integers(-900, 900)),
            )
            self.add("location", location, marker, confidential)
        for service in self.records["service"]:
            for location in self.records["location"]:
                if draw(st.booleans()):
                    marker = self.marker()
                    sal = factories.ServiceAtLocationFactory(
                        service=service, location=location, description=marker
                    )
                    self.add("service_at_location", sal, marker, location.pk in self.attached)
        models.Location.objects.refresh_service_counts()
        for _ in range(draw(st.integers(2, 14))):
            self.attach(draw(st.sampled_from(ATTACHABLE)))

    def attach(self, kind):
        draw = self.data.draw
        marker = self.marker()
        if kind == "attribute":
            target = self.any_record(but=("attribute", "metadata"))
            instance = models.Attribute.objects.create(
                link_id=target.pk, taxonomy_term=self.term, link_entity="x", value=marker
            )
            self.add(kind, instance, marker, target.pk in self.attached)
            return
        if kind == "metadata":
            target = self.any_record(but=("metadata",))
            named = self.any_record(but=("metadata",)) if draw(st.booleans()) else None
            instance = models.Metadata.objects.create(
                resource_id=target.pk, resource_type="x", last_action_date="2026-01-05",
                last_action_type="update", field_name="description",
                previous_value=str(named.pk) if named else "", replacement_value=marker,
                updated_by="Directory team",
            )  # fmt: skip
            attached = target.pk in self.attached or (
                named is not None and named.pk in self.attached
            )
            self.add(kind, instance, marker, attached)
            return
        possible = [link for link, target in LINKS[kind].items() if self.records.get(target)]
        if not possible:
            return
        if kind in ONE_PARENT:
            chosen = possible
        else:
            chosen = draw(st.lists(st.sampled_from(possible), min_size=1, unique=True))
        parents = {link: self.pick(LINKS[kind][link]) for link in chosen}
        attached = any(parent.pk in self.attached for parent in parents.values())
        make = {
            "address": lambda: factories.AddressFactory(address_1=marker, **parents),
            "accessibility": lambda: models.Accessibility.objects.create(
                description=marker, **parents
            ),
            "contact": lambda: models.Contact.objects.create(name=marker, **parents),
            "phone": lambda: models.Phone.objects.create(number=marker, **parents),
            "schedule": lambda: factories.ScheduleFactory(
                description=marker, **{"service": None, **parents}
            ),
            "language": lambda: models.Language.objects.create(name=marker, **parents),
        }[kind]
        self.add(kind, make(), marker, attached)


def map_points(response, directory):
    """A search results page, checked to carry the map when a public place has a service (so
    that the map's points are looked at)."""
    page = response.content.decode()
    mapped = any(
        not sal.location.confidential for sal in directory.records.get("service_at_location", [])
    )
    assert ('id="map-points"' in page) == mapped
    return page


def every_public_output(client, directory):
    """Everything the public can read: the feed, the public exports and the site's pages."""
    services = directory.records["service"]
    pages = [
        feed(client, "/services"),
        feed(client, "/services", full="true"),
        feed(client, "/services", minimal="true"),
        feed(client, "/services", full="true", format="ndjson"),
        feed(client, "/services", day="MO", full="true"),
        feed(client, "/service_at_locations"),
        feed(client, "/service_at_locations", full="true"),
        feed(client, "/service_at_locations", full="true", format="ndjson"),
        feed(client, "/service_at_locations", postcode="WN1 1AA", proximity="5000", full="true"),
        feed(client, "/organizations"),
        feed(client, "/organizations", full="true"),
        feed(client, "/organizations", full_service="true"),
        feed(client, "/organizations", full_service="true", format="ndjson"),
        feed(client, "/taxonomy_terms"),
        exported("json"),
        exported("csv"),
        client.get("/services/", {"category": directory.term.pk}).content.decode(),
        map_points(client.get("/services/", {"postcode": "WN1 1AA"}), directory),
        client.get("/services/", {"q": services[0].name, "day": "MO"}).content.decode(),
        client.get("/deal/your-part/qx-helps/").content.decode(),
    ]
    for service in services:
        pages += [
            feed(client, f"/services/{service.pk}"),
            client.get(f"/services/{service.pk}/").content.decode(),
        ]
    for sal in directory.records.get("service_at_location", []):
        response = client.get(f"{API}/service_at_locations/{sal.pk}")
        if sal.location.confidential:
            # As if it did not exist (the 404 repeats the id asked for, which is no leak).
            assert response.status_code == 404
            assert sal.description not in response.content.decode()
        else:
            pages.append(response.content.decode())
    for organization in directory.records["organization"]:
        pages += [
            feed(client, f"/organizations/{organization.pk}"),
            feed(client, f"/organizations/{organization.pk}", full_service="true"),
        ]
    for location in directory.records["location"]:
        response = client.get(f"/services/places/{location.pk}/")
        assert response.status_code == (404 if location.confidential else 200)
        pages.append(response.content.decode())
    return "\n".join(pages)


@settings(
    derandomize=True,
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_nothing_attached_to_a_refuge_is_published_anywhere(client, data):
    # With a tile server, search results carry the map's points: the places' coordinates.
    with transaction.atomic(), override_settings(MAP_TILE_URL=TILES):
        cache.clear()  # each directory gets its own rate-limit allowance
        try:
            PledgeType.objects.create(slug="qx-helps", title="Get help", summary="Help.",
                                      term_codes="qx-helps")  # fmt: skip
            directory = Directory(data)
            directory.build()
            text = every_public_output(client, directory)
            csv_export = exported("csv")
        finally:
            transaction.set_rollback(True)

    for marker, (record, attached) in directory.markers.items():
        if attached:
            assert marker not in text, f"{type(record).__name__} attached to a refuge published"
            assert str(record.pk) not in text and record.pk.hex not in text
        else:
            # Everything else is still published: the rule hides no more than it must.
            assert marker in csv_export, f"{type(record).__name__} {marker} not exported"
    for location in directory.records["location"]:
        if location.confidential:
            assert json.dumps(location.latitude) not in text
            assert json.dumps(location.longitude) not in text
