"""Nothing attached to a refuge or safe house is ever published: not by the feed, not by the
public exports, not on the site. One persona (tests.factories.directory.refuge) for the cases
we know, and a property test for the ones we have not thought of."""

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import directory as factories
from thedeal.directory import models

pytestmark = pytest.mark.django_db

API = "/api/directory"


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
