"""The Deal's two parts: what the council and its partners commit to, and residents' pledges."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class Commitment(models.Model):
    """Part of "our part": something the council or a partner promises, measured by an
    indicator, with a target."""

    class Direction(models.TextChoices):
        LOWER = "lower", "Lower is better"
        HIGHER = "higher", "Higher is better"

    slug = models.SlugField(unique=True)
    title = models.CharField(
        max_length=200, help_text='What is promised, e.g. "Fewer adults smoke".'
    )
    description = models.TextField(blank=True)
    owner = models.CharField(max_length=200, help_text="Who is responsible for keeping it.")
    indicator = models.CharField(max_length=200, help_text="The indicator that measures it.")
    unit = models.CharField(max_length=50, blank=True, help_text='e.g. "%" or "per 100,000".')
    source = models.CharField(max_length=300, blank=True, help_text="Where the figures come from.")
    direction = models.CharField(max_length=6, choices=Direction.choices)
    target = models.FloatField(null=True, blank=True)
    target_year = models.PositiveIntegerField(null=True, blank=True)
    synthetic = models.BooleanField(
        default=False, help_text="The figures are made up for the demonstration, not real."
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class Measurement(models.Model):
    """One period's figure for a commitment: either counts (from which the library works out
    the value, its 95% confidence interval and any suppression), or a published value."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="measurements"
    )
    year = models.PositiveIntegerField()
    numerator = models.PositiveIntegerField(null=True, blank=True)
    denominator = models.PositiveIntegerField(null=True, blank=True)
    value = models.FloatField(
        null=True, blank=True, help_text="A published figure, when the counts are not available."
    )
    lower = models.FloatField(null=True, blank=True, help_text="Its published lower limit.")
    upper = models.FloatField(null=True, blank=True, help_text="Its published upper limit.")
    comparator = models.FloatField(null=True, blank=True, help_text="England's figure that year.")

    class Meta:
        ordering = ["commitment", "year"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "year"], name="one_figure_a_year"),
            models.CheckConstraint(
                condition=models.Q(numerator__isnull=True)
                | models.Q(denominator__isnull=False, numerator__lte=models.F("denominator")),
                name="numerator_within_denominator",
                violation_error_message="The numerator cannot be more than the denominator.",
            ),
            # "Our part" weighs each figure by its interval and calls a target met only when the
            # whole interval is past it: an interval with one limit, or one that misses its
            # figure, would mislead.
            models.CheckConstraint(
                condition=models.Q(lower__isnull=True, upper__isnull=True)
                | models.Q(lower__isnull=False, upper__isnull=False, lower__lt=models.F("upper")),
                name="interval_has_both_limits_in_order",
                violation_error_message="Give both the lower limit and the upper limit, "
                "with the lower limit below the upper, or neither.",
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True)
                | models.Q(lower__isnull=True)
                | models.Q(lower__lte=models.F("value"), upper__gte=models.F("value")),
                name="interval_holds_value",
                violation_error_message="The figure must lie between its lower limit and its "
                "upper limit.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment}: {self.year}"


class PledgeType(models.Model):
    """Part of "your part": one of the catalogue of pledges a resident can make."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200, help_text='e.g. "Keep active".')
    summary = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    # Directory categories (taxonomy term codes) whose services help keep the pledge.
    term_codes = models.CharField(max_length=300, blank=True, help_text="Comma-separated codes.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def codes(self) -> list[str]:
        return [c.strip() for c in self.term_codes.split(",") if c.strip()]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class PledgeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class Pledge(models.Model):
    """A resident's pledge. No name is asked for. It is reached through a private link (only a
    hash of its token is stored), from the resident's account, or from a signed, expiring link
    in a reminder email when they gave an address and agreed to reminders."""

    pledge_type = models.ForeignKey(PledgeType, on_delete=models.PROTECT, related_name="pledges")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pledges",
    )
    # Personal data, each optional and kept only for its one purpose.
    email = models.EmailField(blank=True, help_text="Only with consent, only for reminders.")
    reminders = models.BooleanField(default=False, help_text="The resident agreed to reminders.")
    postcode = models.CharField(
        max_length=8, blank=True, help_text="Only for neighbourhood counts."
    )
    ward_code = models.CharField(max_length=9, blank=True)
    ward_name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_active_at = models.DateTimeField(default=timezone.now, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    objects = PledgeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.pledge_type} pledge ({self.created_at:%d %b %Y})"

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        """A private link's token and the hash stored in its place."""
        token = secrets.token_urlsafe(24)
        return token, hash_token(token)

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def deleted_after(self) -> datetime.datetime:
        """When the retention schedule (actions.delete_expired) deletes this pledge: after
        PLEDGE_KEEP_WITHDRAWN_DAYS once withdrawn, and after PLEDGE_KEEP_INACTIVE_DAYS without
        a check-in, whichever comes first. Until then a withdrawn pledge can be restored."""
        inactive = self.last_active_at + datetime.timedelta(days=settings.PLEDGE_KEEP_INACTIVE_DAYS)
        if self.withdrawn_at is None:
            return inactive
        withdrawn = self.withdrawn_at + datetime.timedelta(days=settings.PLEDGE_KEEP_WITHDRAWN_DAYS)
        return min(withdrawn, inactive)

    def withdraw(self) -> None:
        """It stops counting, reminders stop, and an email address given for them is forgotten
        (an account's own address stays with the account)."""
        self.withdrawn_at = timezone.now()
        self.email = ""
        self.reminders = False

    def restore(self) -> None:
        """Undo a withdrawal: the pledge counts again. Reminders stay off (the address given for
        them was forgotten); restoring counts as activity for the retention schedule."""
        self.withdrawn_at = None
        self.last_active_at = timezone.now()


class CheckIn(models.Model):
    """The resident saying how their pledge is going."""

    class Progress(models.TextChoices):
        WELL = "well", "Going well"
        SOME = "some", "Some of the time"
        HARD = "hard", "Finding it hard"

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="check_ins")
    progress = models.CharField(max_length=4, choices=Progress.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
