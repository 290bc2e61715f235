"""A practitioner's caseload: the people their teams work with, overdue reviews first, each
line audited; never anyone outside their teams' caseloads."""

import datetime

import pytest
from django.utils import timezone

from tests.factories.accounts import ola
from tests.factories.casework import PersonFactory
from tests.factories.teams import LEIGH, kofi, team
from thedeal.casework.models import AuditEvent, Plan

pytestmark = pytest.mark.django_db


def test_the_caseload_lists_the_teams_people_overdue_reviews_first(client):
    worker = ola()
    today = timezone.localdate()
    later = PersonFactory(given_name="Alan", family_name="Later")
    overdue = PersonFactory(given_name="Olive", family_name="Overdue")
    no_plan = PersonFactory(given_name="Nora", family_name="Noplan")
    elsewhere = PersonFactory(given_name="Lena", family_name="Leigh", caseload=team(LEIGH))
    Plan.objects.create(
        person=later, agreed_on=today, review_on=today + datetime.timedelta(days=30)
    )
    Plan.objects.create(
        person=overdue,
        agreed_on=today - datetime.timedelta(days=60),
        review_on=today - datetime.timedelta(days=2),
    )
    client.force_login(worker)

    page = client.get("/casework/caseload/").content.decode()

    assert page.index("Olive Overdue") < page.index("Alan Later") < page.index("Nora Noplan")
    assert "Overdue" in page and "No open plan" in page
    assert "Lena Leigh" not in page
    listed = set(
        AuditEvent.objects.filter(user_id=worker.pk, field_names=["caseload"]).values_list(
            "person_id", flat=True
        )
    )
    assert listed == {later.pk, overdue.pk, no_plan.pk}
    assert elsewhere.pk not in listed


def test_a_practitioner_in_two_teams_may_show_one(client):
    grace_in_both = kofi()
    from tests.factories.teams import WIGAN_CENTRAL, join

    join(grace_in_both, WIGAN_CENTRAL)
    PersonFactory(given_name="Wendy", family_name="Central")
    PersonFactory(given_name="Len", family_name="Leighside", caseload=team(LEIGH))
    client.force_login(grace_in_both)

    both = client.get("/casework/caseload/").content.decode()
    only_leigh = client.get("/casework/caseload/", {"team": team(LEIGH).pk}).content.decode()

    assert "Wendy Central" in both and "Len Leighside" in both
    assert "Len Leighside" in only_leigh and "Wendy Central" not in only_leigh
    assert client.get("/casework/caseload/", {"team": "999"}).status_code == 404


def test_a_long_caseload_is_shown_fifty_at_a_time(client):
    PersonFactory.create_batch(53)
    client.force_login(ola())

    first = client.get("/casework/caseload/").content.decode()
    second = client.get("/casework/caseload/", {"page": 2}).content.decode()

    assert "53 people" in first and "Page 1 of 2" in first
    assert second.count('href="/casework/people/') == 3
