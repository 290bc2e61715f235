"""Teams in the admin: administrators keep teams (name, administrator, safeguarding lead,
members) and move people between caseloads; break-glass uses are read only here (their review
is on the team administrator's page)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.http import HttpRequest

from thedeal import geography
from thedeal.casework.models import BreakGlass, CaseloadChange, CaseloadEntry, Membership, Team


class TeamForm(forms.ModelForm):  # type: ignore[type-arg]
    """The wards a team covers, ticked from the borough's wards (stored as their codes)."""

    ward_codes = forms.MultipleChoiceField(
        label="Wards covered",
        choices=geography.borough_wards,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Its practitioners' triage queue shows these wards' referrals first (they "
        "may choose all wards). None: the whole borough.",
    )

    class Meta:
        model = Team
        fields = ("name", "administrator", "safeguarding_lead", "ward_codes")


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 1
    autocomplete_fields = ("user",)
    verbose_name = "member"
    verbose_name_plural = "members (practitioners, who may be in more than one team)"


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "administrator", "safeguarding_lead", "member_count", "caseload_size")
    search_fields = ("name",)
    autocomplete_fields = ("administrator", "safeguarding_lead")
    form = TeamForm
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        return (
            super()
            .get_queryset(request)
            .annotate(
                members_n=Count("memberships", distinct=True),
                caseload_n=Count("caseload", distinct=True),
            )
        )

    @admin.display(description="Members", ordering="members_n")
    def member_count(self, team: Any) -> int:
        return team.members_n

    @admin.display(description="People in the caseload", ordering="caseload_n")
    def caseload_size(self, team: Any) -> int:
        return team.caseload_n


@admin.register(CaseloadEntry)
class CaseloadEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """People are named here by their reference only: a record's details are seen, and audited,
    on the casework pages."""

    list_display = ("person", "team", "added_at", "added_by")
    list_filter = ("team",)
    search_fields = ("=person__reference",)
    raw_id_fields = ("person",)
    list_select_related = ("person", "team", "added_by")


@admin.register(BreakGlass)
class BreakGlassAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("opened_at", "user", "person", "expires_at", "reviewed_at", "reviewed_by")
    list_filter = (("reviewed_at", admin.EmptyFieldListFilter), "teams")
    search_fields = ("=user__username", "=person__reference")
    readonly_fields = (
        "user", "person", "reason", "opened_at", "expires_at", "teams", "reviewed_at", "reviewed_by",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CaseloadChange)
class CaseloadChangeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Practitioners adding people to their teams' caseloads and taking them off, with their
    reasons: read only (they are made on the casework pages, and kept)."""

    list_display = ("made_at", "made_by_username", "change", "team_name", "person")
    list_filter = ("change", "team_name")
    search_fields = ("=made_by_username", "=person__reference")
    list_select_related = ("person",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
