"""Requests to erase a person's record (UK GDPR Article 17, "the right to erasure"), and what
became of each: erased, or refused while something must be kept.

The record of a request outlives the person, so it holds no personal data: the person's id (as
the audit log holds it), the legal basis, who decided and when, and why it was refused.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

__all__ = ["ErasureBasis", "ErasureOutcome", "ErasureRequest"]


class ErasureBasis(models.TextChoices):
    """The grounds of UK GDPR Article 17(1) a person asks under."""

    NO_LONGER_NEEDED = "17-1-a", "No longer needed for the purpose it was collected for"
    CONSENT_WITHDRAWN = "17-1-b", "They withdrew the consent it relied on"
    OBJECTION = "17-1-c", "They object, and nothing overrides their objection"
    UNLAWFUL = "17-1-d", "It was processed unlawfully"
    LEGAL_OBLIGATION = "17-1-e", "The law requires it to be erased"


class ErasureOutcome(models.TextChoices):
    ERASED = "erased", "Erased"
    REFUSED = "refused", "Refused"


class ErasureRequest(models.Model):
    """One request to erase a person's record, as decided. No personal data."""

    person_id = models.PositiveBigIntegerField(
        "person id", db_index=True, help_text="The erased person's id, as the audit log has it."
    )
    basis = models.CharField("Legal basis", max_length=10, choices=ErasureBasis)
    received_on = models.DateField("Date the request was received")
    outcome = models.CharField(max_length=10, choices=ErasureOutcome)
    refused_because = models.JSONField(
        default=list,
        blank=True,
        help_text="What must be kept, in plain words, when the request was refused.",
    )
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"Erasure request {self.pk} ({self.outcome})"

    @property
    def article(self) -> str:
        """The basis as the law cites it: Article 17(1)(a)."""
        number, paragraph, point = self.basis.split("-")
        return f"Article {number}({paragraph})({point})"
