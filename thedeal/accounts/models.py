"""Who may do what: roles are Django groups; a community organisation's editors are linked to
their organisation, and may edit only its listings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from thedeal.directory.models import Organization, Service


class Role(models.TextChoices):
    """The platform's roles, each a Django group of the same name (made by a migration)."""

    EDITOR = "Community organisation editor"
    PRACTITIONER = "Practitioner"
    ANALYST = "Analyst"
    ADMINISTRATOR = "Administrator"


class OrganisationEditor(models.Model):
    """A person who keeps an organisation's listings up to date."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editing"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="editors")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_link_per_editor")
        ]

    def __str__(self) -> str:
        return f"{self.user} edits {self.organization}"


def organisations_edited_by(user):
    return Organization.objects.filter(editors__user=user)


def can_edit(user, service: Service) -> bool:
    """Directory staff (who may change any service) edit every listing; an organisation's
    editors edit only their organisation's."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_perm("directory.change_service"):
        return True
    return OrganisationEditor.objects.filter(
        user=user, organization_id=service.organization_id
    ).exists()


def editable_services(user):
    if user.has_perm("directory.change_service"):
        return Service.objects.all()
    return Service.objects.filter(organization__editors__user=user)
