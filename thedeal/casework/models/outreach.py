"""Outreach from prevention worklists: the re-identification table, each re-identification,
and each outreach with its attempts to reach the person.

Worklists are pseudonymous (a resident id, never a name). Turning an entry into a person is a
re-identification: only someone with the permission `casework.reidentify` may do it, stating a
purpose, and each one is kept in Reidentification (append-only) as well as the audit log. The
identifying details live in ResidentIdentity alone, a table nothing else joins to: only
`casework.outreach_actions.reidentify` reads a row of it (docs: prevention/docs/dpia.md).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from thedeal.casework.models.conversations import Conversation
from thedeal.casework.models.people import AppendOnly, ContactMethod, Person, validate_nhs_number
from thedeal.prevention.models import WorklistEntry

__all__ = [
    "Outreach", "OutreachAttempt", "OutreachStatus", "Reidentification", "ResidentIdentity",
]  # fmt: skip


class ResidentIdentity(models.Model):
    """The re-identification table: who a pseudonymous resident id is. Kept apart from the
    worklists (no foreign key either way) and read only to re-identify one entry, with a purpose.
    In the demo it is built from the synthetic borough (`thedeal casework_reidentification
    load`): nobody in it exists."""

    PII_FIELDS: ClassVar[tuple[str, ...]] = (
        "given_name", "family_name", "date_of_birth", "nhs_number", "address", "postcode", "phone",
    )  # fmt: skip

    resident_id = models.BigIntegerField(
        unique=True, help_text="The pseudonymous id the worklists carry."
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    nhs_number = models.CharField(
        max_length=10, null=True, blank=True, validators=[validate_nhs_number]
    )
    address = models.TextField(blank=True, help_text="Without the postcode.")
    postcode = models.CharField(max_length=8, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    # The national data opt-out: such a resident is never put on an outreach list, whatever a
    # scoring run kept (the opt-out may have been registered since).
    opted_out = models.BooleanField("Opted out (national data opt-out)", default=False)
    source = models.CharField(
        max_length=200, help_text="Where the details came from (the data folder's fingerprint)."
    )
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "resident identity"
        verbose_name_plural = "resident identities"
        permissions = [
            ("reidentify", "Re-identify a worklist entry to open an outreach (with a purpose)")
        ]

    def __str__(self) -> str:
        # Never the name: this may reach a log or an error page.
        return f"Resident {self.resident_id}"


class Reidentification(models.Model):
    """One re-identification: who resolved which worklist entry to a person, when and why.
    Append-only, and by ids (not foreign keys), so it outlives the worklist's expiry."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user_id = models.PositiveIntegerField("user id")
    username = models.CharField(max_length=150)
    purpose = models.TextField()
    worklist_id = models.PositiveBigIntegerField("worklist id")
    entry_id = models.PositiveBigIntegerField("worklist entry id")
    resident_id = models.BigIntegerField(help_text="The pseudonymous id re-identified.")
    person_id = models.PositiveBigIntegerField("person id", null=True)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(purpose=""), name="purpose_stated")]

    def __str__(self) -> str:
        return f"{self.username} re-identified worklist entry {self.entry_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or kwargs.get("force_update"):
            raise AppendOnly("Re-identifications are append-only: they are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("Re-identifications are append-only: they are never deleted")


class OutreachStatus(models.TextChoices):
    NOT_YET = "not-yet", "Not yet contacted"
    NOT_CONTACTED = "not-contacted", "Could not be contacted"
    REACHED = "reached", "Reached"
    DECLINED = "declined", "Declined"
    DO_NOT_CONTACT = "do-not-contact", "Asked not to be contacted"


class Outreach(models.Model):
    """An offer of support to someone a worklist found, from its re-identification on. Keeps
    what the worklist said (rank, reasons, suggested services) so that the conversation starts
    from it, and so that it outlives the worklist (scoring runs expire)."""

    # Personal data, for subject access and erasure: why the worklist found them (health).
    PII_FIELDS: ClassVar[tuple[str, ...]] = ("reasons", "suggestions")

    entry = models.OneToOneField(
        WorklistEntry, on_delete=models.SET_NULL, null=True, related_name="outreach"
    )
    worklist_id = models.PositiveBigIntegerField("worklist id")
    resident_id = models.BigIntegerField(help_text="Pseudonymous: the worklist's id for them.")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="outreaches")
    rank = models.PositiveIntegerField(help_text="Their rank in the scoring run (1: highest risk).")
    ward = models.CharField(max_length=100, blank=True)
    reasons = models.JSONField(default=list, help_text="Why the worklist found them, in order.")
    suggestions = models.JSONField(default=list, help_text="The services the worklist suggested.")
    status = models.CharField(
        max_length=15, choices=OutreachStatus.choices, default=OutreachStatus.NOT_YET
    )
    # The first conversation, started when they are reached.
    conversation = models.OneToOneField(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="outreach"
    )
    # SNOMED CT's "Social prescribing declined" when they decline (casework.snomed).
    declined_code = models.CharField(max_length=18, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name_plural = "outreaches"
        constraints = [
            models.CheckConstraint(
                condition=Q(status="declined", declined_code__gt="")
                | (~Q(status="declined") & Q(declined_code="")),
                name="declined_outreach_is_coded",
            )
        ]

    def __str__(self) -> str:
        return f"Outreach {self.pk} ({self.status})"

    @property
    def current_status(self) -> OutreachStatus:
        """The status as the worklist shows it: someone still to be reached who has since asked
        not to be contacted (on their record) is shown as such."""
        status = OutreachStatus(self.status)
        if self.person.do_not_contact and status in (
            OutreachStatus.NOT_YET,
            OutreachStatus.NOT_CONTACTED,
        ):
            return OutreachStatus.DO_NOT_CONTACT
        return status

    @property
    def may_contact(self) -> bool:
        """Whether outreach may still try to reach them: never once they have asked not to be
        contacted (on their record, whenever they said it), declined, or been reached."""
        return not self.person.do_not_contact and self.status in (
            OutreachStatus.NOT_YET,
            OutreachStatus.NOT_CONTACTED,
        )


class OutreachAttempt(models.Model):
    """One try at reaching the person, and how it went."""

    class Outcome(models.TextChoices):
        REACHED = "reached", "Reached them: they would like support"
        DECLINED = "declined", "Reached them: they do not want support"
        NO_ANSWER = "no-answer", "Could not reach them"

    outreach = models.ForeignKey(Outreach, on_delete=models.CASCADE, related_name="attempts")
    tried_on = models.DateField("Date of the attempt")
    method = models.CharField("How", max_length=10, choices=ContactMethod.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["tried_on", "pk"]

    def __str__(self) -> str:
        return f"Attempt {self.pk} on {self.tried_on} ({self.outcome})"
