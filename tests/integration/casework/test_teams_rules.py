"""The rule of who a practitioner sees, for every arrangement of teams, caseloads and break
glass: the find page's query (visible_people) and a record's check (may_see) always agree, and
both say "in one of my teams' caseloads, or a break glass not yet expired"."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import teams
from tests.factories.casework import PersonFactory
from thedeal.casework import access
from thedeal.casework.models import BreakGlass, CaseloadEntry, Membership

pytestmark = pytest.mark.django_db

# For each of three people: which of the two teams' caseloads they are in, and the
# practitioner's break glass for them (none, live, or expired).
PERSON = st.tuples(st.sets(st.sampled_from([0, 1])), st.sampled_from(["none", "live", "expired"]))


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(my_teams=st.sets(st.sampled_from([0, 1])), people=st.lists(PERSON, min_size=3, max_size=3))
def test_find_and_the_record_agree_on_who_a_practitioner_sees(my_teams, people):
    both = [teams.team(teams.WIGAN_CENTRAL), teams.team(teams.LEIGH)]
    user = teams.practitioner("rae@example.nhs.uk")
    now = timezone.now()
    with transaction.atomic():
        for n in my_teams:
            Membership.objects.create(team=both[n], user=user)
        expected = set()
        made = []
        for in_teams, glass in people:
            person = PersonFactory(caseload=False)
            made.append(person)
            for n in in_teams:
                CaseloadEntry.objects.create(team=both[n], person=person)
            if glass != "none":
                opened = now - datetime.timedelta(hours=2 if glass == "live" else 30)
                BreakGlass.objects.create(
                    user=user,
                    person=person,
                    reason="Covering for a colleague",
                    opened_at=opened,
                    expires_at=now + datetime.timedelta(hours=1 if glass == "live" else -6),
                )
            if in_teams & my_teams or glass == "live":
                expected.add(person.pk)

        assert set(access.visible_people(user).values_list("pk", flat=True)) == expected
        assert {p.pk for p in made if access.may_see(user, p)} == expected
        transaction.set_rollback(True)
