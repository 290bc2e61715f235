"""Tokens for the FHIR API: `create` (prints the token alone on its last line, the only time
it is shown), `revoke` and `list`."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from thedeal.casework.fhir.actions import organisation_for
from thedeal.casework.models import ApiToken
from thedeal.directory.models import Organization


class Command(BaseCommand):
    help = "Create, revoke and list the bearer tokens that other systems use for the FHIR API."

    def add_arguments(self, parser: Any) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        create = commands.add_parser(
            "create", help="Make a token and print it (only this once: it is stored hashed)."
        )
        create.add_argument("--name", required=True, help="The system that will use it.")
        create.add_argument(
            "--organisation",
            required=True,
            help="The directory organisation's id, or a GP practice's ODS code (a practice not "
            "yet in the directory is added to it).",
        )
        revoke = commands.add_parser("revoke", help="Stop a token working, from now on.")
        revoke.add_argument("name", help="The token's name, as `list` shows it.")
        commands.add_parser("list", help="Every token: name, organisation, last used, revoked.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(**options)

    @transaction.atomic
    def _create(self, *, name: str, organisation: str, **options: Any) -> None:
        name = name.strip()
        if not name:
            raise CommandError("Give the token a name: the system that will use it.")
        if ApiToken.objects.filter(name=name).exists():
            raise CommandError(f'A token named "{name}" already exists: choose another name.')
        organization = self._organisation(organisation.strip())
        _, token = ApiToken.issue(name=name, organization=organization)
        self.stdout.write(
            f'Token "{name}" for {organization.name} ({organization.pk}). '
            "Keep it secret: it is shown only now. Send it as: Authorization: Bearer <token>"
        )
        self.stdout.write(token)

    def _organisation(self, given: str) -> Organization:
        try:
            return Organization.objects.get(pk=uuid.UUID(given))
        except ValueError:
            pass
        except Organization.DoesNotExist:
            raise CommandError(f"No organisation in the directory has the id {given}.") from None
        try:
            return organisation_for(ods_code=given)
        except ValueError as error:
            raise CommandError(
                f"{given!r} is neither a directory organisation's id nor a GP practice's ODS "
                f"code ({error})."
            ) from None

    def _revoke(self, *, name: str, **options: Any) -> None:
        token = ApiToken.objects.filter(name=name).first()
        if token is None:
            raise CommandError(f'No token is named "{name}" (see `api_token list`).')
        token.revoke()
        self.stdout.write(f'Token "{name}" revoked: it no longer works.')

    def _list(self, **options: Any) -> None:
        tokens = ApiToken.objects.select_related("organization")
        if not tokens:
            self.stdout.write("No tokens yet.")
        for token in tokens:
            used = token.last_used_at.isoformat() if token.last_used_at else "never used"
            state = f"revoked {token.revoked_at.isoformat()}" if token.revoked else "live"
            self.stdout.write(
                f"{token.name}\t{token.organization.name} ({token.organization.pk})\t"
                f"created {token.created_at.isoformat()}\t{used}\t{state}"
            )
