"""Directory staff link community organisation editors to their organisations here."""

from django.contrib import admin

from thedeal.accounts.forms import AdminSignInForm
from thedeal.accounts.models import OrganisationEditor

admin.site.login_form = AdminSignInForm


@admin.register(OrganisationEditor)
class OrganisationEditorAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "added_at"]
    search_fields = ["user__username", "user__email", "organization__name"]
    # Both chosen by typing part of a name or email address (Django's own user admin searches
    # usernames, names and email addresses), never by a raw id.
    autocomplete_fields = ["user", "organization"]
