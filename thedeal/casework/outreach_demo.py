"""The demo's worklist outreach: the re-identification table, when the demo has worklists, and
Ola (the demo's practitioner) as an outreach lead, who may re-identify."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import Group, User

from thedeal.casework import outreach_actions

OUTREACH_LEAD = "Outreach lead"  # the group made by casework's migration, with casework.reidentify
OUTREACH_LEADS = ("ola@example.nhs.uk",)


def load(*, progress: Callable[[str], None] = lambda message: None) -> int:
    """Fill the re-identification table from the newest worklist's synthetic borough, if the
    demo has worklists (`thedeal risk worklist`) and the table is empty. Returns how many."""
    return outreach_actions.load_for_worklists(progress=progress)


def make_outreach_leads() -> list[str]:
    """Add the demo's outreach leads to the group; returns their usernames."""
    group = Group.objects.get_or_create(name=OUTREACH_LEAD)[0]
    leads = list(User.objects.filter(username__in=OUTREACH_LEADS))
    for user in leads:
        user.groups.add(group)
    return [user.username for user in leads]
