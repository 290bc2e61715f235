"""Who may open which casework page: one table of page × named persona, every cell asserted.

Maureen is in the caseload of the Wigan Central link workers (Ola's team); Kofi, in the Leigh
community team, is Ola's colleague in another team; Grace manages both teams (their administrator);
Pat is a practitioner no one has added to a team; Priya edits Hindley Community Garden, and Lee
another organisation's listings; Ade is an analyst; Dana an administrator; Sam a resident.

To add a page: one line in PAGES (how to make its address from the world) and one row in TABLE.
302 means "sent elsewhere": to sign in for an anonymous visitor (checked), or on to the page
that the persona wants (breaking glass for someone they already see goes to the record, and so
does adding someone to a caseload when every one of the persona's teams has them already).
"""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group

from tests.factories import accounts as personas
from tests.factories import directory as directory_factories
from tests.factories import teams
from tests.factories.casework import PersonFactory, ade
from thedeal.accounts.models import OrganisationEditor, Role
from thedeal.casework import actions
from thedeal.casework.models import AuditEvent

pytestmark = pytest.mark.django_db


@dataclass
class World:
    person: object
    consent: object
    conversation: object = None
    plan: object = None
    goal: object = None
    referral: object = None
    concern: object = None
    risk: object = None


PAGES = {
    "find": lambda w: "/casework/",
    "find by name": lambda w: "/casework/?name=Maureen",
    "your caseload": lambda w: "/casework/caseload/",
    "add a person": lambda w: "/casework/people/new/",
    "a person's record": lambda w: f"/casework/people/{w.person.reference}/",
    "change a part": lambda w: f"/casework/people/{w.person.reference}/change/name/",
    "record a consent": lambda w: f"/casework/people/{w.person.reference}/consents/new/",
    "withdraw a consent": lambda w: (
        f"/casework/people/{w.person.reference}/consents/{w.consent.pk}/withdraw/"
    ),
    "break glass": lambda w: f"/casework/people/{w.person.reference}/break-glass/",
    "review break glass": lambda w: "/casework/break-glass/",
    "add to a caseload": lambda w: f"/casework/people/{w.person.reference}/caseload/add/",
    "take off a caseload": lambda w: f"/casework/people/{w.person.reference}/caseload/remove/",
    "a conversation": lambda w: f"/casework/people/{w.person.reference}/conversations/{w.conversation.pk}/",
    "a risk": lambda w: f"/casework/people/{w.person.reference}/risks/{w.risk.pk}/",
    "change a risk": lambda w: f"/casework/people/{w.person.reference}/risks/{w.risk.pk}/change/",
    "end a risk": lambda w: f"/casework/people/{w.person.reference}/risks/{w.risk.pk}/end/",
    "record a conversation": lambda w: f"/casework/people/{w.person.reference}/conversations/new/",
    "well-being": lambda w: f"/casework/people/{w.person.reference}/wellbeing/",
    "a plan": lambda w: f"/casework/people/{w.person.reference}/plans/{w.plan.pk}/",
    "a goal": lambda w: f"/casework/people/{w.person.reference}/goals/{w.goal.pk}/",
    "services for a goal": lambda w: f"/casework/people/{w.person.reference}/goals/{w.goal.pk}/services/",
    "a referral made": lambda w: f"/casework/people/{w.person.reference}/referrals/{w.referral.pk}/",
    "a concern": lambda w: f"/casework/people/{w.person.reference}/safeguarding/{w.concern.pk}/",
    "concerns list": lambda w: "/casework/safeguarding/",
    "subject access": lambda w: f"/casework/people/{w.person.reference}/subject-access/",
    "erase": lambda w: f"/casework/people/{w.person.reference}/erase/",
    "reports": lambda w: "/casework/reports/",
    "a report's CSV": lambda w: "/casework/reports/by-outcome.csv",
    "outreach worklists": lambda w: "/casework/outreach/",
    "inbox": lambda w: "/referrals/",
    "inbox referral": lambda w: f"/referrals/{w.referral.fhir_id}/",
    "referrals received": lambda w: "/casework/triage/",
}  # fmt: skip

TABLE = """
page                 anonymous resident editor other_org analyst no_team ola  kofi grace dana
find                 302       403      403    403       403     403     200  200  200   200
find by name         302       403      403    403       403     403     200  200  200   200
your caseload        302       403      403    403       403     403     200  200  200   200
add a person         302       403      403    403       403     403     200  200  200   200
a person's record    302       403      403    403       403     403     200  404  200   200
change a part        302       403      403    403       403     403     200  404  200   200
record a consent     302       403      403    403       403     403     200  404  200   200
withdraw a consent   302       403      403    403       403     403     200  404  200   200
break glass          302       403      403    403       403     403     302  200  302   302
review break glass   302       403      403    403       403     403     403  403  200   200
add to a caseload    302       403      403    403       403     403     302  404  200   403
take off a caseload  302       403      403    403       403     403     200  404  200   403
a conversation       302       403      403    403       403     403     200  404  200   200
record a conversation 302      403      403    403       403     403     200  404  200   200
a risk               302       403      403    403       403     403     200  404  200   200
change a risk        302       403      403    403       403     403     200  404  200   200
end a risk           302       403      403    403       403     403     200  404  200   200
well-being           302       403      403    403       403     403     200  404  200   200
a plan               302       403      403    403       403     403     200  404  200   200
a goal               302       403      403    403       403     403     200  404  200   200
services for a goal  302       403      403    403       403     403     200  404  200   200
a referral made      302       403      403    403       403     403     200  404  200   200
a concern            302       403      403    403       403     403     200  404  200   200
concerns list        302       403      403    403       403     403     403  403  200   200
subject access       302       403      403    403       403     403     403  403  403   200
erase                302       403      403    403       403     403     403  403  403   200
reports              302       403      403    403       200     200     200  200  200   200
a report's CSV       302       403      403    403       200     200     200  200  200   200
outreach worklists   302       403      403    403       403     403     200  200  200   200
inbox                302       403      200    200       403     403     403  403  403   403
inbox referral       302       403      200    404       403     403     403  403  403   403
referrals received   302       403      403    403       403     403     200  200  200   200
"""


def editor_of_another_organisation():
    user = personas.UserFactory(username="lee@example.org")
    user.groups.add(Group.objects.get(name=Role.EDITOR))
    OrganisationEditor.objects.create(
        user=user, organization=directory_factories.OrganizationFactory(name="Leigh Food Bank")
    )
    return user


PERSONAS = {
    "anonymous": None,
    "resident": personas.sam,
    "editor": personas.priya,
    "other_org": editor_of_another_organisation,
    "analyst": ade,
    "no_team": teams.lone_practitioner,
    "ola": personas.ola,
    "kofi": teams.kofi,
    "grace": lambda: teams.join(teams.grace(), teams.WIGAN_CENTRAL, teams.LEIGH),
    "dana": personas.dana,
}


def _the_work_with(maureen, consent) -> World:
    """Maureen's conversation, plan with a goal, a referral to Priya's organisation (with her
    consent to share with it) and an open safeguarding concern."""
    from django.contrib.auth.models import User

    from tests.factories.casework import RiskFactory
    from tests.factories.inbox import sent_referral, share_consent
    from tests.factories.safeguarding import ConcernFactory
    from thedeal.casework.models import Conversation, Goal, Plan
    from thedeal.directory.models import Organization

    ola = User.objects.filter(username="ola@example.nhs.uk").first() or personas.ola()
    conversation = Conversation.objects.create(
        person=maureen, held_on=datetime.date(2026, 2, 1), practitioner=ola,
        contact_method="phone", reason_for_contact="gp", no_known_risks=True,
    )  # fmt: skip
    plan = Plan.objects.create(person=maureen, agreed_on=datetime.date(2026, 2, 1))
    goal = Goal.objects.create(plan=plan, in_their_words="Get out more", importance=7)
    garden = Organization.objects.get_or_create(
        name="Hindley Community Garden", defaults={"description": "A garden."}
    )[0]
    share_consent(maureen, garden)
    referral = sent_referral(to=garden, by=ola, person=maureen)
    concern = ConcernFactory(person=maureen)
    risk = RiskFactory(person=maureen, conversation=conversation)
    return World(maureen, consent, conversation, plan, goal, referral, concern, risk)


def expected_by_persona():
    """TABLE read as {persona: {page: status}}."""
    header, *rows = TABLE.strip().splitlines()
    columns = header.split()[1:]
    table = {persona: {} for persona in columns}
    for row in rows:
        # A page's name may have spaces: the statuses are the last columns.
        cells = row.split()
        page, statuses = " ".join(cells[: -len(columns)]), cells[-len(columns) :]
        for persona, status in zip(columns, statuses, strict=True):
            table[persona][page] = int(status)
    return table


def test_the_table_has_a_column_for_every_persona_and_a_row_for_every_page():
    table = expected_by_persona()
    assert set(table) == set(PERSONAS)
    assert all(set(pages) == set(PAGES) for pages in table.values())


# One test for each persona (a column), asking every page: each test signs someone in once.
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_who_may_open_each_casework_page(client, persona):
    maureen = PersonFactory(given_name="Maureen", family_name="Hesketh")
    consent = actions.record_consent(
        person=maureen, kind="record", given_on=datetime.date(2026, 1, 5), by=teams.grace()
    )
    make = PERSONAS[persona]
    if make is not None:
        client.force_login(make())
    world = _the_work_with(maureen, consent)  # after the persona: Priya's garden is hers
    expected = expected_by_persona()[persona]

    answers = {}
    for page in expected:
        before = AuditEvent.objects.filter(action="viewed").count()
        response = client.get(PAGES[page](world))
        answers[page] = response.status_code
        if persona == "anonymous":
            assert response["Location"].startswith("/accounts/sign-in/"), page
        if response.status_code != 200:
            # A page not shown is not a look at anyone's record, and names no one.
            assert AuditEvent.objects.filter(action="viewed").count() == before, page
            assert "Hesketh" not in response.content.decode(), page

    assert answers == expected
