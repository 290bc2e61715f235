"""The demo borough's people: one named persona for each role, so that anyone trying the demo
can sign in as a resident, an organisation's editor, the directory team, a practitioner, a
colleague in another team, their teams' manager and an analyst, and see what each may do
(casework's teams and caseloads are made by thedeal.casework.demo_teams).

They share one password, made at random when they are created and printed once by
`thedeal load_demo`: a demo served beyond this machine (`make run HOST=0.0.0.0`) must not open
its admin to a password written in the README.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import Count

from thedeal.accounts.models import OrganisationEditor, Role
from thedeal.directory.models import Organization


@dataclass(frozen=True)
class Persona:
    username: str
    name: str
    role: Role | None  # None: a resident, who has no role
    staff: bool  # may open the admin
    does: str


PERSONAS = (
    Persona("sam@example.org", "Sam", None, False,
            "a resident: pledges kept in an account, with reminders"),
    Persona("priya@example.org", "Priya", Role.EDITOR, False,
            "edits one organisation's listings"),
    Persona("dana@example.gov.uk", "Dana", Role.ADMINISTRATOR, True,
            "the council's directory team: the whole directory and the Deal, in the admin"),
    Persona("ola@example.nhs.uk", "Ola", Role.PRACTITIONER, True,
            "a link worker in Wigan Central: her team's people at /casework/"),
    Persona("kofi@example.nhs.uk", "Kofi", Role.PRACTITIONER, True,
            "a practitioner in the Leigh community team: a colleague in another team"),
    Persona("grace@example.nhs.uk", "Grace", Role.PRACTITIONER, False,
            "manages both teams: their administrator and safeguarding lead"),
    Persona("ade@example.gov.uk", "Ade", Role.ANALYST, True,
            "an analyst: reads commitments and their yearly figures in the admin"),
)  # fmt: skip


@dataclass(frozen=True)
class Loaded:
    password: str | None  # None when the personas were there already
    editor_organisation: str | None


@transaction.atomic
def load() -> Loaded:
    """Create the personas, unless any is there already (then nothing changes, so a password
    someone has set is kept). Priya edits the organisation with the most listings."""
    if User.objects.filter(username__in=[p.username for p in PERSONAS]).exists():
        editing = OrganisationEditor.objects.filter(user__username="priya@example.org").first()
        return Loaded(None, editing.organization.name if editing else None)
    password = secrets.token_urlsafe(12)
    organisation = (
        Organization.objects.annotate(listings=Count("services"))
        .order_by("-listings", "name", "pk")
        .first()
    )
    for persona in PERSONAS:
        user = User.objects.create_user(
            username=persona.username,
            # Confirmed, as if each had followed the emailed link.
            email=persona.username,
            password=password,
            first_name=persona.name,
            is_staff=persona.staff,
        )
        if persona.role is not None:
            user.groups.add(Group.objects.get(name=persona.role))
        if persona.role == Role.EDITOR and organisation is not None:
            OrganisationEditor.objects.create(user=user, organization=organisation)
    return Loaded(password, organisation.name if organisation else None)
