"""A person's plan, as the PRSB standard's "Care and support plan" and "Plan and requested
actions" shape it: goals in the person's own words, each with how much it matters to them, and
actions (who does what, by when, and how confident the person is); a review date. And the
services a practitioner signposted the person to ("Signpost details").

A person has at most one open plan: the plan of their current episode with the team. When the
episode ends, the plan is closed with a summary, and a new episode starts a new plan.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from thedeal.casework.models.people import Person
from thedeal.directory.models import Service, TaxonomyTerm

__all__ = [
    "Action", "ActionStatus", "Goal", "GoalStatus", "Plan", "Signpost", "SignpostMethod",
    "keep_review_dates",
]  # fmt: skip


class Plan(models.Model):
    """The plan agreed with the person for one episode of support."""

    PII_FIELDS = ("agreed_with", "closing_summary")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="plans")
    agreed_on = models.DateField("Date agreed")
    agreed_with = models.CharField(
        "Agreed with",
        max_length=200,
        blank=True,
        help_text="Leave blank if agreed with the person themselves; otherwise their "
        "representative's name and role.",
    )
    review_on = models.DateField("Review date", null=True, blank=True)
    responsible_for_review = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Who will review it",
    )
    closed_on = models.DateField(null=True, blank=True)
    closing_summary = models.TextField(
        blank=True, help_text="What happened, for the person's record and their referrer."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-agreed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(closed_on__isnull=True), name="one_open_plan"
            ),
            models.CheckConstraint(
                condition=Q(review_on__isnull=True) | Q(review_on__gte=models.F("agreed_on")),
                name="plan_reviewed_after_agreed",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("agreed_on")),
                name="plan_closed_after_agreed",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan {self.pk} agreed on {self.agreed_on}"

    # Person.review_on copies the open plan's review date for the caseload's order. Every plan
    # written through save() or delete() puts it right; a bulk write (bulk_create, update) calls
    # keep_review_dates itself.
    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if fields is None or {"review_on", "closed_on", "person"} & set(fields):
            self._keep_review_date()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        deleted = super().delete(*args, **kwargs)
        self._keep_review_date()
        return deleted

    def _keep_review_date(self) -> None:
        keep_review_dates(Person.objects.filter(pk=self.person_id))
        if Plan.person.is_cached(self):  # the person in hand says what the database now says
            self.person.review_on = (
                Person.objects.filter(pk=self.person_id).values_list("review_on", flat=True).first()
            )

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def review_overdue(self) -> bool:
        return self.is_open and self.review_on is not None and self.review_on < timezone.localdate()

    def clean(self) -> None:
        if self.agreed_on and self.agreed_on > timezone.localdate():
            raise ValidationError({"agreed_on": "The date agreed must be today or in the past"})
        if self.review_on and self.agreed_on and self.review_on < self.agreed_on:
            raise ValidationError(
                {"review_on": "The review date must be on or after the date the plan was agreed"}
            )


def keep_review_dates(people: QuerySet[Person]) -> int:
    """Copy each person's open plan's review date (None without one) into Person.review_on,
    in one UPDATE: after a bulk write of plans, and by the migration that brought the copy in."""
    open_plan = Plan.objects.filter(person=OuterRef("pk"), closed_on__isnull=True)
    return people.update(review_on=Subquery(open_plan.values("review_on")[:1]))


class GoalStatus(models.TextChoices):
    WORKING_ON_IT = "working-on-it", "Working on it"
    ACHIEVED = "achieved", "Achieved"
    PARTLY_ACHIEVED = "partly-achieved", "Partly achieved"
    NO_LONGER_WANTED = "no-longer-wanted", "No longer wanted"


class Goal(models.Model):
    """What the person wants, in their words ("to get out of the house twice a week"), and how
    much it matters to them (1, a little, to 10, more than anything)."""

    PII_FIELDS = ("in_their_words", "outcome")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    in_their_words = models.TextField("The goal, in their words")
    importance = models.PositiveSmallIntegerField(
        "How much it matters to them",
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="From 1 (a little) to 10 (more than anything).",
    )
    # What kind of help would serve it: a directory category, which suggestions start from.
    category = models.ForeignKey(
        TaxonomyTerm,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Kind of help",
    )
    status = models.CharField(
        max_length=20, choices=GoalStatus.choices, default=GoalStatus.WORKING_ON_IT
    )
    outcome = models.TextField("How it went", blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return f"Goal {self.pk}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not-started", "Not started"
    IN_PROGRESS = "in-progress", "In progress"
    DONE = "done", "Done"
    NOT_DONE = "not-done", "Not done"


class Action(models.Model):
    """A step towards a goal: who does it, by when, and how confident the person is that it
    will happen (0, not at all, to 10, certain)."""

    PII_FIELDS = ("description", "who")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField("What will be done")
    who = models.CharField(
        "Who will do it", max_length=200, help_text="For example: me, my daughter, the link worker."
    )
    due_on = models.DateField("By when", null=True, blank=True)
    status = models.CharField(
        max_length=15, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    confidence = models.PositiveSmallIntegerField(
        "How confident they are",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text="From 0 (not at all) to 10 (certain it will happen).",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["goal", "due_on", "pk"]

    def __str__(self) -> str:
        return f"Action {self.pk}"

    @property
    def overdue(self) -> bool:
        return (
            self.status in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class SignpostMethod(models.TextChoices):
    PRINTED = "printed", "Printed and handed over"
    EMAIL = "email", "Emailed"
    TEXT = "text", "Sent by text message"
    TOLD = "told", "Told in person or by phone"


class Signpost(models.Model):
    """A service's details handed to the person (without a referral): the standard's "Signpost
    details record entry", with why it was suggested."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="signposts")
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="signposts"
    )
    # PROTECT: a listing someone was signposted to is withdrawn in the directory, not deleted.
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    method = models.CharField("How", max_length=10, choices=SignpostMethod.choices)
    reasons = models.JSONField(
        default=list, blank=True, help_text="Why it was suggested, in plain words."
    )
    given_on = models.DateField(default=timezone.localdate)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"Signpost {self.pk}"
