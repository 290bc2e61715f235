"""Who may do what: roles are Django groups; a community organisation's editors are linked to
their organisation, and may edit only its listings."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.urls import reverse
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


def looks_after_listings(user) -> bool:
    """Directory staff, and the editors of at least one organisation: the people whose work is
    on "Your listings"."""
    return user.has_perm("directory.change_service") or user.editing.exists()


# The roles that work with people's records (thedeal.casework): practitioners, and
# administrators, who answer for the records their council keeps.
CASEWORK_ROLES = (Role.PRACTITIONER, Role.ADMINISTRATOR)


def roles_of(user) -> frozenset[str]:
    """The names of someone's roles (their groups), read once for each user object: a page asks
    several times (the navigation, the page's own check, who may see whom), and a query each
    time was a fifth of a page's queries. Each request loads its user afresh, so a change of
    role shows from the next request, as with Django's own cache of permissions."""
    if not user.is_authenticated:
        return frozenset()
    try:
        return user._roles_cache
    except AttributeError:
        user._roles_cache = frozenset(user.groups.values_list("name", flat=True))
        return user._roles_cache


def does_casework(user) -> bool:
    """Whether someone may open casework's pages about people."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or not roles_of(user).isdisjoint(CASEWORK_ROLES)


def landing_url(user) -> str:
    """Where each role's work is, for after signing in: practitioners on finding a person,
    directory staff on the admin (Django's admin opens only to `is_staff` accounts), editors on
    their listings, residents (an account with no role) on their pledges, and anyone else with a
    role (an analyst, whose pages are still to come) on their account page, which lists what they
    can open."""
    # A practitioner's work is people, even when they may also look things up in the admin.
    if Role.PRACTITIONER in roles_of(user):
        return reverse("casework:find")
    if user.is_staff:
        return reverse("admin:index")
    if looks_after_listings(user):
        return reverse("accounts:listings")
    if does_casework(user):
        return reverse("casework:find")
    if roles_of(user):
        return reverse("accounts:account")
    return reverse("deal:my-pledges")


def address_to_confirm(user) -> str:
    """The email address an account is waiting to have confirmed, or "" if none is.

    An account's `email` is what every email to it is sent to (password resets, editors'
    reminders, pledge reminders), so a resident's address is kept only in their username (they
    sign in with it) until they follow the emailed link: until then nothing can be sent to it."""
    if user.email or not user.is_authenticated:
        return ""
    try:
        validate_email(user.get_username())
    except ValidationError:
        return ""  # a staff username, not an address: there is nothing to confirm
    return user.get_username()
