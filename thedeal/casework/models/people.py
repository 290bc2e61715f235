"""A person's record, their consents, the GP practices staff keep, and the audit log.

Personal data lives in Person and Consent only (PII_FIELDS lists it, for subject access and
erasure). The audit log names a person and a user by id, never by name, so it survives a
person's erasure and says nothing about them on its own.
"""

from __future__ import annotations

import re
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.utils import timezone

from thedeal import geography
from thedeal.casework.nhs_number import InvalidNHSNumber, format_nhs_number, normalise_nhs_number
from thedeal.directory.models import Organization

__all__ = [
    "AppendOnly", "AuditEvent", "AuditQuerySet", "CASELOAD_ORDER", "Consent", "ConsentKind",
    "ContactMethod",
    "GPPractice", "ODS_PRACTICE_CODE", "Person", "REFERENCE_ALPHABET", "REFERENCE_LENGTH",
    "new_reference", "validate_nhs_number", "validate_ods_practice_code",
]  # fmt: skip

# GP practice ODS codes: a letter, then five digits (e.g. P92001 in NHS Greater Manchester).
ODS_PRACTICE_CODE = re.compile(r"[A-Z][0-9]{5}")
# A person's reference: what staff quote to each other instead of a name. No 0/O, 1/I/L.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8


def validate_nhs_number(value: str) -> None:
    """A model field's check: the stored value is ten digits with a matching check digit."""
    try:
        if normalise_nhs_number(value) != value:
            raise ValidationError("Store an NHS number as its ten digits")
    except InvalidNHSNumber as error:
        raise ValidationError(str(error)) from None


def validate_ods_practice_code(value: str) -> None:
    if not ODS_PRACTICE_CODE.fullmatch(value):
        raise ValidationError(
            "Enter the practice's ODS code: a capital letter and 5 digits, like P92001"
        )


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class GPPractice(models.Model):
    """A GP practice people are registered with, from a list staff keep in the admin."""

    name = models.CharField(max_length=200)
    ods_code = models.CharField(
        "ODS code",
        max_length=6,
        unique=True,
        validators=[validate_ods_practice_code],
        help_text="The practice's code in the NHS Organisation Data Service, like P92001.",
    )
    postcode = models.CharField(max_length=8, blank=True)
    synthetic = models.BooleanField(
        default=False,
        help_text="Made up for the demo: not a real practice, whatever its name or code.",
    )
    closed = models.BooleanField(
        default=False, help_text="No longer offered when choosing a practice."
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "GP practice"

    def __str__(self) -> str:
        suffix = " (synthetic)" if self.synthetic else ""
        return f"{self.name}, {self.ods_code}{suffix}"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in-person", "In person"


def _no_review_date() -> ExpressionWrapper:
    # False before True: written out rather than "NULLS LAST", which SQLite cannot index.
    return ExpressionWrapper(Q(review_on__isnull=True), output_field=models.BooleanField())


# A caseload's order: review overdue first, then soonest, then by name, people without an open
# plan (or without a review date) last. The index person_caseload_order has the same terms, and
# the order is only read from it while the two stay the same.
CASELOAD_ORDER = (_no_review_date().asc(), F("review_on").asc(), "family_name", "given_name", "pk")


class Person(models.Model):
    """Someone a practitioner works with. Names are kept as the person gives them: a given and
    a family name (either may be empty: not everyone has both) and what they like to be called.
    """

    # Personal data, for subject access and erasure (STYLE.md rule 4).
    PII_FIELDS: ClassVar[tuple[str, ...]] = (
        "given_name", "family_name", "preferred_name", "date_of_birth", "nhs_number",
        "address", "postcode", "phone", "email", "contact_times", "reasonable_adjustments",
        "what_matters", "important_people", "how_i_communicate", "please_do", "please_dont",
    )  # fmt: skip

    reference = models.CharField(
        max_length=REFERENCE_LENGTH, unique=True, default=new_reference, editable=False
    )
    given_name = models.CharField("Given name", max_length=100, blank=True)
    family_name = models.CharField("Family name", max_length=100, blank=True)
    preferred_name = models.CharField("What they like to be called", max_length=100, blank=True)
    date_of_birth = models.DateField("Date of birth")
    nhs_number = models.CharField(
        "NHS number", max_length=10, null=True, blank=True, validators=[validate_nhs_number]
    )
    address = models.TextField("Address", blank=True, help_text="Without the postcode.")
    postcode = models.CharField(max_length=8, blank=True)
    # Derived from the postcode (thedeal.geography), kept so that caseloads count by place.
    ward_code = models.CharField(max_length=9, blank=True)
    ward_name = models.CharField(max_length=100, blank=True)
    lsoa_code = models.CharField("LSOA", max_length=9, blank=True)
    gp_practice = models.ForeignKey(
        GPPractice, on_delete=models.PROTECT, null=True, blank=True, related_name="patients"
    )
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    contact_methods = models.JSONField("How to contact them", default=list, blank=True)
    contact_times = models.CharField("When to contact them", max_length=200, blank=True)
    do_not_contact = models.BooleanField("Please don't contact me", default=False)
    reasonable_adjustments = models.TextField(blank=True)
    what_matters = models.TextField("What matters to me", blank=True)
    important_people = models.TextField("People who are important to me", blank=True)
    how_i_communicate = models.TextField("How I like to communicate", blank=True)
    please_do = models.TextField("Please do", blank=True)
    please_dont = models.TextField("Please don't", blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    # A copy of their open plan's review date (None without one), kept by Plan.save, so that a
    # caseload is read in its order from an index instead of looking up every person's plan.
    review_on = models.DateField("Open plan's review date", null=True, editable=False)

    class Meta:
        ordering = ["family_name", "given_name", "date_of_birth"]
        # What practitioners find people by (a name is matched anywhere in it: no index helps).
        indexes = [
            models.Index(fields=["date_of_birth"], name="person_date_of_birth"),
            models.Index(fields=["postcode"], name="person_postcode"),
            # A caseload's order (CASELOAD_ORDER), read from the index a page at a time.
            models.Index(
                _no_review_date(),
                F("review_on"),
                F("family_name"),
                F("given_name"),
                F("id"),
                name="person_caseload_order",
            ),
        ]
        constraints = [
            # No two records for one person: an NHS number is on one record at most.
            models.UniqueConstraint(fields=["nhs_number"], name="one_record_per_nhs_number"),
            # "No NHS number" is NULL, never "", so that the constraint above ignores it.
            models.CheckConstraint(condition=~Q(nhs_number=""), name="nhs_number_null_not_empty"),
            models.CheckConstraint(
                condition=~Q(given_name="", family_name="", preferred_name=""),
                name="person_has_a_name",
            ),
        ]

    def __str__(self) -> str:
        return f"Person {self.reference}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # review_on is their plan's to write (Plan.save): saving a person's details leaves it
        # alone, so that a copy loaded before a plan changed cannot put the old date back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "review_on"
            ]
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return " ".join(filter(None, [self.given_name, self.family_name])) or self.preferred_name

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number) if self.nhs_number else ""

    def contact_method_labels(self) -> list[str]:
        labels = dict(ContactMethod.choices)
        return [labels[m] for m in self.contact_methods if m in labels]

    def place_at(self, postcode: str) -> None:
        """Set the postcode, and the ward and LSOA it lies in (blank outside the borough)."""
        self.postcode = postcode
        place = geography.lookup_postcode(postcode) if postcode else None
        self.ward_code = (place.ward_code if place else None) or ""
        self.ward_name = (place.ward_name if place else None) or ""
        self.lsoa_code = (place.lsoa_code if place else None) or ""

    def mark_changed(self, *, by: Any) -> None:
        self.updated_at = timezone.now()
        self.updated_by = by

    def current_consents(self) -> models.QuerySet[Consent]:
        return self.consents.filter(withdrawn_on__isnull=True)


class ConsentKind(models.TextChoices):
    RECORD = "record", "To keep a record"
    SHARE = "share", "To share with an organisation"
    CONTACT = "contact", "To be contacted"


class Consent(models.Model):
    """A consent the person gave, kept when withdrawn (the record of what was agreed, when)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(max_length=10, choices=ConsentKind.choices)
    # Sharing is consented to one named organisation at a time.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    given_on = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="share", organization__isnull=False)
                | (~Q(kind="share") & Q(organization__isnull=True)),
                name="share_consent_names_one_organisation",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent {self.pk} ({self.kind})"

    @property
    def description(self) -> str:
        if self.kind == ConsentKind.SHARE and self.organization is not None:
            return f"To share with {self.organization.name}"
        return self.get_kind_display()

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_on is not None

    def withdraw(self, *, on: Any, by: Any) -> None:
        """Withdraw the consent from a date (kept, never deleted)."""
        if self.withdrawn:
            raise ValidationError("This consent has already been withdrawn")
        if on < self.given_on:
            raise ValidationError(
                {
                    "withdrawn_on": "The date it was withdrawn must be on or after the date it was given"
                }
            )
        if on > timezone.localdate():
            raise ValidationError(
                {"withdrawn_on": "The date it was withdrawn must be today or in the past"}
            )
        self.withdrawn_on = on
        self.withdrawn_by = by

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("A consent is never deleted: withdraw it instead")


class AppendOnly(Exception):
    """Raised on any attempt to change or remove an audit record."""


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("The audit log is append-only: its records are never changed")

    def delete(self) -> Any:
        raise AppendOnly("The audit log is append-only: its records are never deleted")


class AuditEvent(models.Model):
    """One look at or change to a person's record: who, what, when and why. Append-only.

    Who and which person are ids, not foreign keys: the row must outlive both an account's and
    a person's deletion, and say nothing about the person by itself. Which fields changed are
    named; their values never are.
    """

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        SEARCHED = "searched", "Searched"
        # A subject access export of the whole record, and the record's erasure.
        EXPORTED = "exported", "Exported"
        ERASED = "erased", "Erased"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user_id = models.PositiveIntegerField("user id", null=True, db_index=True)
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    # Which record: a kind ("person", "consent") and its id; the person it belongs to, if any.
    record_type = models.CharField(max_length=30)
    record_id = models.PositiveBigIntegerField(null=True)
    person_id = models.PositiveBigIntegerField("person id", null=True, db_index=True)
    field_names = models.JSONField(
        default=list, blank=True, help_text="Names of the fields changed, never their values."
    )
    reason = models.TextField(blank=True)
    # The break glass (teams.BreakGlass) through which alone the user saw the person, so that
    # its review shows what was looked at under it. An id, as the others are: the row outlives it.
    break_glass_id = models.PositiveBigIntegerField("break glass id", null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "audit event"

    def __str__(self) -> str:
        return f"{self.username or 'someone'} {self.action} {self.record_type} {self.record_id}"

    @property
    def what(self) -> str:
        """What was done, in words a reviewer reads: "Viewed the record", "Changed a risk"."""
        record = "the record" if self.record_type == "person" else f"a {self.record_type}"
        return f"{self.get_action_display()} {record}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or kwargs.get("force_update"):
            raise AppendOnly("The audit log is append-only: its records are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("The audit log is append-only: its records are never deleted")
