"""Directory staff link community organisation editors to their organisations here."""

from django.contrib import admin

from thedeal.accounts.forms import AdminSignInForm
from thedeal.accounts.models import OrganisationEditor

admin.site.login_form = AdminSignInForm


@admin.register(OrganisationEditor)
class OrganisationEditorAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "added_at"]
    search_fields = ["user__username", "user__email", "organization__name"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["user"]
