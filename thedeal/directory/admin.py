"""Staff editing of listings (Django admin, for now), with validation and a change history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from thedeal.directory import actions, models


def _how_many(count: int, thing: str) -> str:
    """ "1 listing", "2 listings": staff read these in the admin's messages."""
    return f"{count} {thing}{'' if count == 1 else 's'}"


class HistoryAdmin(admin.ModelAdmin):
    """Every staff edit writes HSDS metadata rows, shown on the record as its change history."""

    def save_model(
        self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool
    ) -> None:
        previous = None
        if change:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            previous = actions.snapshot(stored) if stored else None
        actions.save_listing(instance=obj, previous=previous, by=request.user)

    @admin.display(description="Change history")
    def change_history(self, obj: Any) -> str:
        rows = models.Metadata.objects.filter(resource_id=obj.pk).order_by("-last_action_date")[:50]
        if not rows:
            return "No changes recorded yet."
        return format_html_join(
            "\n",
            "<p>{} — {} {} by {}: “{}” → “{}”</p>",
            (
                (
                    r.last_action_date,
                    r.last_action_type,
                    r.field_name,
                    r.updated_by,
                    r.previous_value,
                    r.replacement_value,
                )
                for r in rows
            ),
        )


class StaleFilter(admin.SimpleListFilter):
    title = _("verification")
    parameter_name = "stale"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Due for re-verification"), ("no", "Verified recently")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        from django.conf import settings

        cutoff = timezone.localdate() - timezone.timedelta(days=settings.DIRECTORY_STALE_AFTER_DAYS)
        if self.value() == "yes":
            return queryset.filter(assured_date__lt=cutoff) | queryset.filter(
                assured_date__isnull=True
            )
        if self.value() == "no":
            return queryset.filter(assured_date__gte=cutoff)
        return queryset


class ServiceAtLocationInline(admin.TabularInline):
    model = models.ServiceAtLocation
    fk_name = "service"
    extra = 0
    autocomplete_fields = ["location"]


class ScheduleInline(admin.TabularInline):
    model = models.Schedule
    fk_name = "service"
    extra = 0
    fields = ["freq", "byday", "opens_at", "closes_at", "description", "valid_from", "valid_to"]


class PhoneFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        # Here, where the phone numbers the listing will keep are known; the listing's own
        # form has already put the email address and website entered on the instance.
        kept = [
            form.cleaned_data.get("number", "")
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]
        self.instance.check_keeps_a_way_of_contact(phone_numbers=kept)


class PhoneInline(admin.TabularInline):
    model = models.Phone
    formset = PhoneFormSet
    fk_name = "service"
    extra = 0
    fields = ["number", "type", "description"]


class CostOptionInline(admin.TabularInline):
    model = models.CostOption
    extra = 0
    fields = ["option", "amount", "currency", "amount_description"]


@admin.register(models.Service)
class ServiceAdmin(HistoryAdmin):
    list_display = ["name", "organization", "status", "assured_date", "verified_recently"]
    list_filter = ["status", StaleFilter]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["program"]
    readonly_fields = ["last_modified", "change_history"]
    inlines = [ServiceAtLocationInline, ScheduleInline, PhoneInline, CostOptionInline]
    actions = ["mark_as_verified", "merge"]

    @admin.action(description="Merge duplicate listings into one")
    def merge(self, request: HttpRequest, queryset: QuerySet):
        """Asks which listing to keep, then merges the others into it."""
        services = list(queryset.select_related("organization").order_by("name"))
        if len(services) < 2:
            self.message_user(request, "Choose two or more listings to merge.", messages.WARNING)
            return None
        keep_id = request.POST.get("keep")
        # Listings of different organisations are rarely one service: merged, the others move
        # to the kept one's organisation, and their own organisation's editors lose them.
        different = len({s.organization_id for s in services}) > 1
        organisations = sorted({s.organization.name if s.organization else "no organisation"
                                for s in services})  # fmt: skip
        checked = not different or request.POST.get("different_organisations") == "yes"
        error = ""
        if request.POST.get("confirm") == "yes" and keep_id:
            keep = next((s for s in services if str(s.pk) == keep_id), None)
            if keep is not None and not checked:
                error = (
                    "Tick the box to confirm these are one service, though different "
                    "organisations list them"
                )
            elif keep is not None:
                count = actions.merge_services(keep=keep, duplicates=services, by=request.user)
                self.message_user(
                    request,
                    f"{_how_many(count, 'listing')} merged into {keep.name}.",
                    messages.SUCCESS,
                )
                return None
        return TemplateResponse(
            request,
            "admin/directory/service/merge.html",
            {**self.admin_site.each_context(request), "title": "Merge duplicate listings",
             "services": services, "opts": self.model._meta, "error": error,
             "different_organisations": organisations if different else [],
             "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME},
        )  # fmt: skip

    @admin.display(boolean=True, description="Verified recently")
    def verified_recently(self, obj: models.Service) -> bool:
        return not obj.is_stale()

    @admin.action(description="Mark as verified (checked today)")
    def mark_as_verified(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = actions.mark_as_verified(services=queryset, by=request.user)
        self.message_user(
            request, f"{_how_many(count, 'listing')} marked as verified today.", messages.SUCCESS
        )

    def save_model(
        self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool
    ) -> None:
        obj.last_modified = timezone.now()
        super().save_model(request, obj, form, change)


class LocationForm(forms.ModelForm):
    class Meta:
        model = models.Location
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if latitude is not None and not -90 <= latitude <= 90:
            self.add_error("latitude", "Latitude must be between -90 and 90.")
        if longitude is not None and not -180 <= longitude <= 180:
            self.add_error("longitude", "Longitude must be between -180 and 180.")
        # Whichever pair of coordinates the officer changed wins; the other is derived from it.
        moved_latlon = {"latitude", "longitude"} & set(self.changed_data)
        moved_grid = {"easting", "northing"} & set(self.changed_data)
        if moved_latlon and not moved_grid:
            data["easting"] = data["northing"] = None
            self.instance.easting = self.instance.northing = None
        elif moved_grid and not moved_latlon:
            data["latitude"] = data["longitude"] = None
            self.instance.latitude = self.instance.longitude = None
        return data


class AddressInline(admin.StackedInline):
    model = models.Address
    extra = 0


class AccessibilityInline(admin.TabularInline):
    model = models.Accessibility
    extra = 0


@admin.register(models.Location)
class LocationAdmin(HistoryAdmin):
    form = LocationForm
    list_display = ["__str__", "location_type", "organization", "confidential"]
    list_filter = ["location_type", "confidential"]
    search_fields = ["name", "addresses__postal_code"]
    autocomplete_fields = ["organization"]
    readonly_fields = ["change_history"]
    inlines = [AddressInline, AccessibilityInline]


@admin.register(models.Organization)
class OrganizationAdmin(HistoryAdmin):
    list_display = ["name", "email", "website"]
    search_fields = ["name"]
    autocomplete_fields = ["parent_organization"]
    readonly_fields = ["change_history"]


@admin.register(models.TaxonomyTerm)
class TaxonomyTermAdmin(HistoryAdmin):
    list_display = ["name", "code", "parent", "taxonomy_detail"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["change_history"]


@admin.register(models.Metadata)
class MetadataAdmin(admin.ModelAdmin):
    list_display = [
        "last_action_date",
        "resource_type",
        "field_name",
        "last_action_type",
        "updated_by",
    ]
    list_filter = ["resource_type", "last_action_type"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the history is a record of what happened, not something to edit


def _no_contact_left(phones: QuerySet) -> str:
    """Why deleting these phone numbers would leave a listing no way to get in touch, or ""."""
    going = set(phones.values_list("pk", flat=True))
    for service in models.Service.objects.filter(phones__in=going).distinct():
        kept = [p.number for p in service.phones.all() if p.pk not in going]
        try:
            service.check_keeps_a_way_of_contact(phone_numbers=kept)
        except ValidationError as error:
            return f"{service.name}: {error.messages[0]}"
    return ""


@admin.register(models.Phone)
class PhoneAdmin(HistoryAdmin):
    """The phone numbers, one by one: their deletion keeps the rule the listing's page keeps."""

    actions = ["delete_selected"]

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        if problem := _no_contact_left(models.Phone.objects.filter(pk=object_id)):
            self.message_user(request, problem, messages.ERROR)
            return redirect("admin:directory_phone_change", object_id)
        return super().delete_view(request, object_id, extra_context)

    @admin.action(permissions=["delete"], description=django_delete_selected.short_description)
    def delete_selected(self, request: HttpRequest, queryset: QuerySet) -> Any:
        if problem := _no_contact_left(queryset):
            self.message_user(request, problem, messages.ERROR)
            return None
        return django_delete_selected(self, request, queryset)


for _model in (
    models.Taxonomy,
    models.Program,
    models.OrganizationIdentifier,
    models.ServiceAtLocation,
    models.Contact,
    models.Schedule,
    models.ServiceArea,
    models.Language,
    models.Funding,
    models.RequiredDocument,
    models.Attribute,
    models.MetaTableDescription,
):
    admin.site.register(_model, HistoryAdmin)


@admin.register(models.Report)
class ReportAdmin(admin.ModelAdmin):
    """Residents' "Is this information wrong?" reports, newest first, for the directory team."""

    list_display = ["service", "created_at", "status"]
    list_filter = ["status"]
    search_fields = ["service__name", "problem"]
    readonly_fields = ["service", "problem", "email", "created_at", "dealt_with_at"]
    fields = ["service", "problem", "email", "status", "created_at", "dealt_with_at"]
    actions = ["mark_dealt_with"]

    @admin.action(description="Mark as dealt with (and forget the reply address)")
    def mark_dealt_with(self, request, queryset):
        for report in queryset:
            report.mark_dealt_with()
            report.save()
        self.message_user(request, f"{_how_many(queryset.count(), 'report')} marked as dealt with.")

    def has_add_permission(self, request):
        return False


@admin.register(models.ListingSuggestion)
class ListingSuggestionAdmin(admin.ModelAdmin):
    """New listings that organisation editors propose: nothing is published until approved."""

    list_display = ["name", "organization", "suggested_by", "created_at", "status"]
    list_filter = ["status"]
    readonly_fields = ["organization", "suggested_by", "created_at", "decided_at", "service",
                       "status"]  # fmt: skip
    actions = ["approve", "reject"]

    @admin.action(description="Approve: publish the selected listings")
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._decide(request, queryset, actions.approve_suggestion)
        self.message_user(request, f"{_how_many(count, 'listing')} published.", messages.SUCCESS)

    @admin.action(description="Do not approve the selected listings")
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._decide(request, queryset, actions.reject_suggestion)
        self.message_user(
            request, f"{_how_many(count, 'suggestion')} not approved.", messages.SUCCESS
        )

    @staticmethod
    def _decide(request: HttpRequest, queryset: QuerySet, decision) -> int:
        """Apply the decision to the selected suggestions still waiting; how many there were."""
        pending = list(queryset.filter(status=models.ListingSuggestion.Status.PENDING))
        for suggestion in pending:
            decision(suggestion, by=request.user)
        return len(pending)

    def has_add_permission(self, request):
        return False


@admin.register(models.SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """The words search also looks for when a resident types a word or phrase. Each edit is
    in the entry's History (Django's admin log: who, when, which fields), with the last editor
    on the entry itself; the list is not HSDS, so it is not in the feed's change history."""

    list_display = ["term", "alternatives", "updated_at", "updated_by"]
    search_fields = ["term", "alternatives"]
    fields = ["term", "alternatives", "finds", "updated_at", "updated_by"]
    readonly_fields = ["finds", "updated_at", "updated_by"]

    @admin.display(description="Listings a search for it finds now")
    def finds(self, obj: models.SearchSynonym) -> str:
        from thedeal.directory import search

        return str(search.count(obj.term)) if obj.pk else "Saved entries show this."

    def save_model(
        self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool
    ) -> None:
        obj.updated_at = timezone.now()
        obj.updated_by = getattr(request.user, "email", "") or request.user.get_username()
        obj.save()
