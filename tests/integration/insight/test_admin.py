"""Staff say which direction is good for an imported indicator, and read (never edit) areas and
batches, in the admin."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from thedeal.insight import actions
from thedeal.insight.models import Area, Batch, Indicator

pytestmark = pytest.mark.django_db
GOOD = Path(__file__).resolve().parents[2] / "fixtures" / "fingertips" / "wigan_wards.csv"


@pytest.fixture
def analyst(client):
    user = get_user_model().objects.create_superuser(
        "ana", "ana.analyst@example.gov.uk", "a-long-test-password"
    )
    client.force_login(user)
    return user


def test_staff_set_an_imported_indicators_polarity_and_definition(client, analyst):
    actions.import_fingertips(GOOD)
    indicator = Indicator.objects.get(fingertips_id=93283)
    page = client.get(f"/admin/insight/indicator/{indicator.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(polarity="high_is_good", definition="Years a newborn would live.")
    response = client.post(f"/admin/insight/indicator/{indicator.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    indicator.refresh_from_db()
    assert indicator.polarity == "high_is_good"
    assert indicator.definition == "Years a newborn would live."
    assert indicator.fingertips_id == 93283  # not editable: later files match on it


def test_areas_and_batches_are_listed_but_cannot_be_added_changed_or_deleted(client, analyst):
    actions.import_fingertips(GOOD)
    assert client.get("/admin/insight/area/?kind__exact=ward").status_code == 200
    assert client.get("/admin/insight/batch/").status_code == 200
    area, batch = Area.objects.get(code="E05014989"), Batch.objects.get()
    assert client.get("/admin/insight/area/add/").status_code == 403
    assert client.get("/admin/insight/indicator/add/").status_code == 403
    client.post(f"/admin/insight/area/{area.pk}/change/", {"name": "Elsewhere"})
    assert Area.objects.get(pk=area.pk).name == "Abram"
    assert (
        client.post(f"/admin/insight/batch/{batch.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert Batch.objects.filter(pk=batch.pk).exists()
