"""API tokens: how another system (a GP practice's, a community organisation's) signs its
requests to the FHIR API. A token belongs to one directory organisation and sees only the
referrals that organisation sent or received.

Only a hash of the token is kept: whoever reads the database (or a backup) cannot use it. The
token itself is shown once, when it is made (`thedeal api_token create`). A token is long and
random, so a plain SHA-256 is enough: there is nothing to guess, unlike a password.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import models
from django.utils import timezone

from thedeal.directory.models import Organization

__all__ = ["ApiToken", "TOKEN_PREFIX"]

# Tokens start with this, so that one pasted into a ticket or a log is recognisable (and a
# secret scanner can find it).
TOKEN_PREFIX = "thedeal_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the FHIR API, named after the system that uses it."""

    name = models.CharField(
        max_length=100,
        unique=True,
        help_text="The sending system, as the audit log names it (e.g. 'Pemberton Surgery EMIS').",
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="api_tokens"
    )
    # SHA-256 of the token, hex: never the token itself.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return self.name

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @classmethod
    def issue(cls, *, name: str, organization: Organization) -> tuple[ApiToken, str]:
        """A new token for `organization`: the saved record, and the token to hand over once."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        record = cls.objects.create(name=name, organization=organization, token_hash=_digest(token))
        return record, token

    @classmethod
    def authenticate(cls, token: str) -> ApiToken | None:
        """The live token this is, or None (unknown or revoked). Marks it used."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        record = (
            cls.objects.select_related("organization")
            .filter(token_hash=_digest(token), revoked_at__isnull=True)
            .first()
        )
        if record is not None:
            record.last_used_at = timezone.now()
            cls.objects.filter(pk=record.pk).update(last_used_at=record.last_used_at)
        return record

    def revoke(self, *, at: Any = None) -> None:
        """Stop the token working from now on (kept, so the audit log's name still means it)."""
        if self.revoked_at is None:
            self.revoked_at = at or timezone.now()
            self.save(update_fields=["revoked_at"])
