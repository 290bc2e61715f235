"""Teams of practitioners, the people each team works with (its caseload), and "break glass":
opening a person's record outside your team's caseload, with a reason, for the rest of the day.

A practitioner sees the people in their teams' caseloads (casework.access.may_see). Teams are
kept in the admin: each has an administrator, who reviews its members' break-glass uses, and a
safeguarding lead, to whom concerns are escalated.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from thedeal.casework.models.people import Person

__all__ = [
    "BreakGlass", "CaseloadChange", "CaseloadEntry", "Membership", "NoTeamChosen", "Team",
    "end_of_day", "team_for_new_person",
]  # fmt: skip


class Team(models.Model):
    """A team of practitioners who share a caseload, like "Wigan Central link workers"."""

    name = models.CharField(max_length=100, unique=True)
    administrator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="teams_administered",
        help_text="Reviews the team's break-glass uses (records opened outside its caseload).",
    )
    safeguarding_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="teams_safeguarded",
        help_text="Safeguarding concerns about the team's people are escalated to them.",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="casework_teams"
    )
    # The borough's wards the team covers (ward codes, as Person.ward_code): its members' triage
    # queue shows referrals of people living there unless they choose all wards. None: the
    # whole borough. A list rather than a table: an administrator ticks a handful in the admin.
    ward_codes = models.JSONField(
        "wards covered",
        default=list,
        blank=True,
        help_text="Its practitioners' triage queue shows these wards' referrals first. None: "
        "the whole borough.",
    )
    # The caseload: the people the team works with (a person may be in several teams').
    people = models.ManyToManyField(Person, through="CaseloadEntry", related_name="teams")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A practitioner in a team (a practitioner may be in more than one)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


class CaseloadEntry(models.Model):
    """A person in a team's caseload: since when, and who added them."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="caseload")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="caseload_entries")
    added_at = models.DateTimeField(default=timezone.now, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = "person in a caseload"
        verbose_name_plural = "caseload"
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="once_in_a_caseload")
        ]
        # may_see asks "is this person in one of these teams' caseloads?" on every page.
        indexes = [models.Index(fields=["person", "team"], name="caseload_by_person")]

    def __str__(self) -> str:
        return f"{self.person} in {self.team}'s caseload"


class CaseloadChange(models.Model):
    """A practitioner adding a person to one of their team's caseloads, or taking them off it,
    and why: kept and shown on the person's page, so that their team can see how they came to
    be (or stopped being) its to work with."""

    class Change(models.TextChoices):
        JOINED = "joined", "Added to the caseload"
        LEFT = "left", "Taken off the caseload"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="caseload_changes")
    # The team's name is kept: a team may later be renamed or closed.
    team = models.ForeignKey(
        "Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    team_name = models.CharField(max_length=100)
    change = models.CharField(max_length=10, choices=Change.choices)
    reason = models.TextField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    made_by_username = models.CharField(max_length=150)
    made_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-made_at", "-pk"]
        verbose_name = "change of caseload"
        verbose_name_plural = "changes of caseload"
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="caseload_change_has_a_reason")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_change_display().lower()} of {self.team_name}"


class NoTeamChosen(Exception):
    """The practitioner is in several teams and did not say whose caseload the person joins."""


def team_for_new_person(user: Any, chosen: Team | None = None) -> Team | None:
    """The team whose caseload a person added by this user joins: the one they chose (one of
    theirs), else their only team; None for someone in no team (an administrator)."""
    signed_in = user is not None and user.is_authenticated
    teams = list(Team.objects.filter(memberships__user=user)) if signed_in else []
    if chosen is not None:
        if chosen not in teams:
            raise ValueError(
                "A person joins the caseload of one of the adding practitioner's teams"
            )
        return chosen
    if len(teams) > 1:
        raise NoTeamChosen
    return teams[0] if teams else None


def end_of_day(at: datetime.datetime) -> datetime.datetime:
    """The last moment of the local day `at` falls in (midnight, as the borough's clocks say)."""
    local = timezone.localtime(at)
    midnight = datetime.datetime.combine(local.date() + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(midnight, local.tzinfo)


class BreakGlass(models.Model):
    """A practitioner's recorded reason to open a record outside their teams' caseloads. It lets
    them see it until the end of the day, and waits for their team administrators' review."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_uses"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="break_glass_uses")
    reason = models.TextField()
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    # The teams the practitioner was in when they opened it: their administrators review it
    # (kept, so that leaving a team does not hide an unreviewed use).
    teams = models.ManyToManyField(Team, related_name="break_glass_uses", blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = "break-glass use"
        indexes = [models.Index(fields=["user", "person", "expires_at"], name="break_glass_live")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("opened_at")),
                name="break_glass_expires_after_opening",
            ),
            # Reviewed by someone at a time, or not reviewed (a reviewer's account may later
            # go, leaving the time).
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=False) | Q(reviewed_by__isnull=True),
                name="break_glass_reviewer_has_a_time",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="break_glass_has_a_reason"),
        ]

    def __str__(self) -> str:
        return f"Break glass {self.pk}: {self.user} opened {self.person}"

    def is_live(self, at: datetime.datetime | None = None) -> bool:
        return self.expires_at > (at or timezone.now())

    @property
    def reviewed(self) -> bool:
        return self.reviewed_at is not None

    def mark_reviewed(self, *, by: Any) -> None:
        if self.reviewed:
            raise ValidationError("This use has already been reviewed")
        self.reviewed_at = timezone.now()
        self.reviewed_by = by
