"""The demo's two teams of practitioners and their caseloads: Ola's "Wigan Central link
workers" and Kofi's "Leigh community team", both managed by Grace (their administrator and
safeguarding lead), with the demo's people split between the caseloads (a few in both).

Run after the personas are made (thedeal.accounts.demo): a team needs its people to sign in as.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from thedeal import geography
from thedeal.casework.models import CaseloadEntry, Membership, Person, Team

WIGAN_CENTRAL = "Wigan Central link workers"
LEIGH = "Leigh community team"
MANAGER = "grace@example.nhs.uk"
# Each team and its practitioners (Grace, their manager, is in both).
TEAMS = {
    WIGAN_CENTRAL: ("ola@example.nhs.uk", MANAGER),
    LEIGH: ("kofi@example.nhs.uk", MANAGER),
}
# The wards each team covers (their triage queue's first view), by name as the borough's
# postcodes give them.
WARDS = {
    WIGAN_CENTRAL: ("Wigan Central", "Wigan West", "Douglas", "Pemberton", "Ince"),
    LEIGH: ("Leigh Central & Higher Folds", "Leigh South", "Leigh West", "Atherton North",
            "Atherton South & Lilford", "Astley", "Tyldesley & Mosley Common"),
}  # fmt: skip
# One person in twenty is in both caseloads (someone both teams work with).
SHARED_EVERY = 20


@transaction.atomic
def load() -> int:
    """Make the teams (once) and put every demo person not yet in a caseload into one, split by
    their place in the list (every other person); returns how many people were placed. Does
    nothing when the personas are not there (`load_demo --no-people`)."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[*TEAMS[WIGAN_CENTRAL], *TEAMS[LEIGH]])
    }
    if MANAGER not in users:
        return 0
    teams = []
    for name, usernames in TEAMS.items():
        team, _ = Team.objects.get_or_create(
            name=name,
            defaults={
                "administrator": users[MANAGER],
                "safeguarding_lead": users[MANAGER],
                "ward_codes": ward_codes(WARDS[name]),
            },
        )
        for username in usernames:
            if username in users:
                Membership.objects.get_or_create(team=team, user=users[username])
        teams.append(team)
    unplaced = Person.objects.filter(caseload_entries__isnull=True).order_by("pk")
    entries = []
    placed = 0
    for n, person in enumerate(unplaced.only("pk")):
        entries.append(CaseloadEntry(team=teams[n % 2], person=person))
        if n % SHARED_EVERY == 0:
            entries.append(CaseloadEntry(team=teams[(n + 1) % 2], person=person))
        placed += 1
    CaseloadEntry.objects.bulk_create(entries)
    return placed


def ward_codes(names: tuple[str, ...]) -> list[str]:
    by_name = {name: code for code, name in geography.borough_wards()}
    missing = [name for name in names if name not in by_name]
    if missing:  # the borough's postcode file changed its wards: say which
        raise ValueError(f"No such ward in the borough: {', '.join(missing)}")
    return [by_name[name] for name in names]
