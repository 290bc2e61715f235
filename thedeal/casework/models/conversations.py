"""Conversations held with a person, the risks recorded in them, and well-being measures.

A conversation is written in the person's own words, in the shape of the "three
conversations" practice (listen and connect; work intensively in a crisis; build a good life)
and of the PRSB Social Prescribing Standard's "Contacts with professionals", "Care and support
plan > Strengths" and "Risks" sections. Risks are their own records (the standard's "Risks
record entry"), because a risk outlives the conversation it was first recorded in.

A person's well-being measures (ONS4, SWEMWBS, PAM) are kept as the answers given; the scores
and bands are worked out from them by `thedeal.casework.measures`, so that a corrected
conversion table corrects every score.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from thedeal.casework.measures import ons4, pam, swemwbs
from thedeal.casework.measures._scores import MeasureError
from thedeal.casework.models.people import ContactMethod, Person
from thedeal.casework.snomed import ReasonForContact

__all__ = [
    "Conversation", "ConversationKind", "Occasion", "Risk", "RiskEdit", "WellbeingMeasure",
    "ReasonForContactChoice",
]  # fmt: skip


class ConversationKind(models.TextChoices):
    """The three conversations (Partners4Change's practice, used across the Deal's teams)."""

    LISTEN_AND_CONNECT = "listen-and-connect", "Listen and connect"
    CRISIS = "crisis", "Work intensively in a crisis"
    GOOD_LIFE = "good-life", "Build a good life"


class ReasonForContactChoice(models.TextChoices):
    """Why the conversation happened: casework.snomed's four reasons, as a model's choices."""

    WORKLIST_OUTREACH = (
        ReasonForContact.WORKLIST_OUTREACH.value,
        ReasonForContact.WORKLIST_OUTREACH.label,
    )
    SELF_REFERRAL = ReasonForContact.SELF_REFERRAL.value, ReasonForContact.SELF_REFERRAL.label
    GP = ReasonForContact.GP.value, ReasonForContact.GP.label
    OTHER = ReasonForContact.OTHER.value, ReasonForContact.OTHER.label


class Conversation(models.Model):
    """One conversation with a person: what they said, in their words, and how it was held."""

    # Personal data, for subject access and erasure.
    PII_FIELDS = (
        "place", "what_matters", "strengths", "gifts_and_interests", "connections", "worries",
        "tried_already", "good_day", "notes",
    )  # fmt: skip

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="conversations")
    kind = models.CharField(
        "Which conversation",
        max_length=20,
        choices=ConversationKind.choices,
        default=ConversationKind.LISTEN_AND_CONNECT,
    )
    held_on = models.DateField("Date of the conversation")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text="Who held it (the standard's 'Seen by').",
    )
    place = models.CharField(
        "Where it was held", max_length=200, blank=True, help_text="For example, their home."
    )
    contact_method = models.CharField(
        "How it was held", max_length=10, choices=ContactMethod.choices
    )
    reason_for_contact = models.CharField(
        "Why we are talking", max_length=20, choices=ReasonForContactChoice.choices
    )
    # The UK Core source of referral (casework.snomed.sources_of_referral), where known.
    source_of_referral = models.CharField(max_length=18, blank=True)

    what_matters = models.TextField("What matters to them", blank=True)
    strengths = models.TextField("Their strengths", blank=True)
    gifts_and_interests = models.TextField("Gifts and interests", blank=True)
    connections = models.TextField("People and community connections", blank=True)
    worries = models.TextField("What worries them", blank=True)
    tried_already = models.TextField("What they have tried", blank=True)
    good_day = models.TextField("What a good day looks like", blank=True)
    notes = models.TextField("Anything else", blank=True)

    no_known_risks = models.BooleanField(
        "No known risks",
        default=False,
        help_text="Recorded when risks were asked about and there are none.",
    )
    is_review = models.BooleanField(
        "A review", default=False, help_text="A review of the person's plan."
    )

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["person", "held_on"], name="conversation_person_held_on")]

    def __str__(self) -> str:
        return f"Conversation {self.pk} on {self.held_on}"

    def clean(self) -> None:
        if self.held_on and self.held_on > timezone.localdate():
            raise ValidationError(
                {"held_on": "The date of the conversation must be today or in the past"}
            )


class Risk(models.Model):
    """A risk to the person or to others, as the standard's "Risks record entry".

    A practitioner may change its wording (what was said before is kept, a RiskEdit each time)
    and end it: on a date, by whom and why. An ended risk stays on the record, apart from the
    current ones."""

    PII_FIELDS = ("risk", "comment")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="risks")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="risks"
    )
    risk = models.CharField("Risk", max_length=300)
    comment = models.TextField(blank=True)
    started_on = models.DateField("Start date", null=True, blank=True)
    ended_on = models.DateField("End date", null=True, blank=True)
    # Who ended it and why (a risk recorded with an end date from elsewhere has neither).
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    end_reason = models.TextField("Why it ended", blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["ended_on", "-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="risk_ends_after_it_starts",
            ),
            # Why it ended only with when (who may later lose their account, leaving the date).
            models.CheckConstraint(
                condition=Q(end_reason="") | Q(ended_on__isnull=False),
                name="risk_ended_with_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Risk {self.pk}"

    @property
    def current(self) -> bool:
        # Ended from its end date: a risk ended today is no longer a current one.
        return self.ended_on is None or self.ended_on > timezone.localdate()

    def end(self, *, on: datetime.date, reason: str, by: Any) -> None:
        """End the risk: from `on` (today or earlier, not before it started), with why."""
        if self.ended_on is not None:
            raise ValidationError("This risk has already ended")
        if on > timezone.localdate():
            raise ValidationError({"ended_on": "The end date must be today or in the past"})
        if self.started_on is not None and on < self.started_on:
            raise ValidationError(
                {
                    "ended_on": f"The end date must be on or after it started, {self.started_on:%-d %B %Y}"
                }
            )
        if not reason.strip():
            raise ValidationError({"end_reason": "Say why the risk has ended"})
        self.ended_on, self.end_reason, self.ended_by = on, reason.strip(), by


class RiskEdit(models.Model):
    """One change of a risk's wording: what it said before, who changed it and when. Kept so
    that what was recorded stays readable after it is reworded."""

    PII_FIELDS = ("risk_before", "comment_before")

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="edits")
    risk_before = models.CharField("The risk, before", max_length=300)
    comment_before = models.TextField("More about it, before", blank=True)
    changed_at = models.DateTimeField(default=timezone.now, editable=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"Change {self.pk} of risk {self.risk_id}"


class Occasion(models.TextChoices):
    FIRST_CONTACT = "first-contact", "First contact"
    REVIEW = "review", "Review"
    OTHER = "other", "Other"


def _zero_to_ten() -> list[Any]:
    return [MinValueValidator(0), MaxValueValidator(10)]


def _one_to_five() -> list[Any]:
    return [MinValueValidator(1), MaxValueValidator(5)]


class WellbeingMeasure(models.Model):
    """The answers a person gave on one day to ONS4, SWEMWBS and the PAM (any or all of them).

    Answers are kept, never scores: `ons4()`, `swemwbs()` and `pam_level()` work them out with
    thedeal.casework.measures. SWEMWBS is kept only with all seven answers (it has no score
    otherwise); ONS4's questions each stand alone.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="measures")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures"
    )
    taken_on = models.DateField("Date")
    occasion = models.CharField(max_length=15, choices=Occasion.choices)

    # ONS4: 0 to 10 each (anxiety: higher is worse).
    life_satisfaction = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=_zero_to_ten()
    )
    worthwhile = models.PositiveSmallIntegerField(null=True, blank=True, validators=_zero_to_ten())
    happiness = models.PositiveSmallIntegerField(null=True, blank=True, validators=_zero_to_ten())
    anxiety = models.PositiveSmallIntegerField(null=True, blank=True, validators=_zero_to_ten())

    # SWEMWBS: seven statements answered 1 (none of the time) to 5 (all of the time), in the
    # scale's order (measures.swemwbs.items()).
    swemwbs_1 = models.PositiveSmallIntegerField(null=True, blank=True, validators=_one_to_five())
    swemwbs_2 = models.PositiveSmallIntegerField(null=True, blank=True, validators=_one_to_five())
    swemwbs_3 = models.PositiveSmallIntegerField(null=True, blank=True, validators=_one_to_five())
    swemwbs_4 = models.PositiveSmallIntegerField(null=True, blank=True, validators=_one_to_five())
    swemwbs_5 = models.PositiveSmallIntegerField(null=True, blank=True, validators=_one_to_five())
    swemwbs_6 = models.PositiveSmallIntegerField(null=True, blank=True, validators=_one_to_five())
    swemwbs_7 = models.PositiveSmallIntegerField(null=True, blank=True, validators=_one_to_five())

    # The Patient Activation Measure's score (0 to 100) where the licensed survey was used.
    pam_score = models.DecimalField(
        "PAM score",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )

    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    SWEMWBS_FIELDS = tuple(f"swemwbs_{n}" for n in range(1, 8))
    ONS4_FIELDS = ("life_satisfaction", "worthwhile", "happiness", "anxiety")

    class Meta:
        ordering = ["taken_on", "pk"]
        indexes = [
            models.Index(fields=["person", "taken_on"], name="measure_person_taken_on"),
            # The well-being report: each person's reviews in a period and first contacts, in
            # the order it picks one of each in, without sorting every measure.
            models.Index(fields=["occasion", "person", "taken_on"], name="measure_occasion_person"),
        ]
        constraints = [
            # All seven SWEMWBS answers or none.
            models.CheckConstraint(
                condition=Q(
                    swemwbs_1__isnull=True,
                    swemwbs_2__isnull=True,
                    swemwbs_3__isnull=True,
                    swemwbs_4__isnull=True,
                    swemwbs_5__isnull=True,
                    swemwbs_6__isnull=True,
                    swemwbs_7__isnull=True,
                )
                | Q(
                    swemwbs_1__isnull=False,
                    swemwbs_2__isnull=False,
                    swemwbs_3__isnull=False,
                    swemwbs_4__isnull=False,
                    swemwbs_5__isnull=False,
                    swemwbs_6__isnull=False,
                    swemwbs_7__isnull=False,
                ),
                name="swemwbs_all_seven_or_none",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"Measures {self.pk} on {self.taken_on}"

    def clean(self) -> None:
        if self.taken_on and self.taken_on > timezone.localdate():
            raise ValidationError({"taken_on": "The date must be today or in the past"})
        if self.ons4() is None and self.swemwbs() is None and self.pam_score is None:
            raise ValidationError("Record at least one measure: ONS4, SWEMWBS or the PAM score")

    def ons4(self) -> ons4.Ons4 | None:
        answers = {key: getattr(self, key) for key in self.ONS4_FIELDS}
        if all(value is None for value in answers.values()):
            return None
        return ons4.Ons4.from_answers(answers)

    def swemwbs(self) -> swemwbs.Swemwbs | None:
        answers = [getattr(self, name) for name in self.SWEMWBS_FIELDS]
        if any(value is None for value in answers):
            return None
        try:
            return swemwbs.Swemwbs(answers=tuple(answers))
        except MeasureError as error:
            raise ValidationError(str(error)) from None

    def pam_level(self) -> pam.PamLevel | None:
        return None if self.pam_score is None else pam.level_for(self.pam_score)
