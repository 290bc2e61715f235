"""A practitioner's caseload: the people their teams work with, overdue reviews first, each
line audited; never anyone outside their teams' caseloads."""

import datetime

import pytest
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories.accounts import ola
from tests.factories.casework import PersonFactory
from tests.factories.teams import LEIGH, kofi, team
from thedeal.casework import plans_actions
from thedeal.casework.caseload_views import caseload_people
from thedeal.casework.models import AuditEvent, CaseloadEntry, Person, Plan, Team

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


def test_people_on_the_same_review_date_are_in_name_order_then_those_without_one(client):
    today = timezone.localdate()
    due = today + datetime.timedelta(days=7)
    ashworths = [PersonFactory(given_name=n, family_name="Ashworth") for n in ("Zoe", "Amy")]
    for ashworth in ashworths:
        Plan.objects.create(person=ashworth, agreed_on=today, review_on=due)
    # An open plan without a review date: with those without a plan, by name.
    Plan.objects.create(
        person=PersonFactory(given_name="Ben", family_name="Birch"), agreed_on=today
    )
    PersonFactory(given_name="Cal", family_name="Abbott")
    client.force_login(ola())

    page = client.get("/casework/caseload/").content.decode()

    names = ["Amy Ashworth", "Zoe Ashworth", "Cal Abbott", "Ben Birch"]
    assert [page.index(name) for name in names] == sorted(page.index(name) for name in names)


def test_details_saved_from_a_copy_older_than_their_plan_keep_the_plans_review_date():
    today = timezone.localdate()
    copy = PersonFactory()  # as a page loads the person before another agrees their plan
    Plan.objects.create(
        person=Person.objects.get(pk=copy.pk),
        agreed_on=today,
        review_on=today + datetime.timedelta(days=14),
    )

    copy.phone = "01942 000222"
    copy.save()

    assert Person.objects.get(pk=copy.pk).review_on == today + datetime.timedelta(days=14)


# --- The review date copied onto the person: true after any sequence of changes to plans ------

AGREED = datetime.date(2026, 1, 5)
review_dates = st.one_of(st.none(), st.dates(AGREED, AGREED + datetime.timedelta(days=120)))
changes = st.lists(
    st.tuples(
        st.integers(0, 2),  # whose plan
        st.sampled_from(["agree", "reschedule", "close"]),
        review_dates,
    ),
    max_size=12,
)


def as_before(teams):
    """The caseload's order as it was read before the review date was copied onto the person:
    from each person's open plan, looked up for every person."""
    open_plan = Plan.objects.filter(person=OuterRef("pk"), closed_on__isnull=True)
    return list(
        Person.objects.filter(pk__in=CaseloadEntry.objects.filter(team__in=teams).values("person"))
        .annotate(plan_review_on=Subquery(open_plan.values("review_on")[:1]))
        .order_by(F("plan_review_on").asc(nulls_last=True), "family_name", "given_name", "pk")
        .values_list("pk", flat=True)
    )


@pytest.mark.slow
@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=changes)
def test_the_caseload_follows_every_plan_agreed_rescheduled_and_closed(changes):
    with transaction.atomic():  # each example starts from no one (undone at its end)
        worker = ola()
        people = [
            PersonFactory(given_name="Pat", family_name=family)
            for family in ("Ashton", "Ashton", "Bolton")  # two alike: the order falls to pk
        ]
        for whose, change, review_on in changes:
            person = people[whose]
            plan = Plan.objects.filter(person=person, closed_on__isnull=True).first()
            if change == "agree" and plan is None:
                plans_actions.agree_plan(
                    person=person, agreed_on=AGREED, review_on=review_on, by=worker
                )
            elif change == "reschedule" and plan is not None:
                plan.review_on = review_on
                plan.save()
            elif change == "close" and plan is not None:
                plans_actions.close_plan(plan=plan, closed_on=AGREED, summary="Done", by=worker)

            for someone in people:
                open_plan = Plan.objects.filter(person=someone, closed_on__isnull=True).first()
                someone.refresh_from_db()
                assert someone.review_on == (open_plan.review_on if open_plan else None)

        teams = Team.objects.filter(memberships__user=worker)
        shown = list(caseload_people(teams).values_list("pk", flat=True))
        assert shown == as_before(teams)
        transaction.set_rollback(True)


def test_the_caseload_page_reads_the_practitioners_roles_once(client):
    # The navigation, the page's own check and who may see whom each ask for the roles: they
    # are read from the database once for the request (accounts.models.roles_of).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    worker = ola()
    PersonFactory(given_name="Rita", family_name="Roles")
    client.force_login(worker)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/casework/caseload/").content.decode()
    assert "Rita Roles" in page
    assert sum('"auth_group"' in q["sql"] for q in queries.captured_queries) == 1
