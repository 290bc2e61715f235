"""Staff keep the GP practices here; administrators search the audit log and export it as CSV.

A person's record is not in the admin: every look at it must be audited, and the casework
pages are where that happens.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from thedeal.casework.models import (
    ApiToken,
    AuditEvent,
    ErasureRequest,
    GPPractice,
    Person,
    Reidentification,
)

# The events an administrator must be able to find at once: opening a record outside one's
# team ("break glass"), subject access exports, and erasure requests (by record type, as
# teams, casework.rights_actions and this filter name them).
SENSITIVE_RECORD_TYPES = {
    "break-glass": "Break glass",
    "subject-access": "Subject access",
    "erasure": "Erasure",
}

AUDIT_COLUMNS = (
    "at",
    "user_id",
    "username",
    "action",
    "record_type",
    "record_id",
    "person_id",
    "field_names",
    "reason",
)


@admin.register(GPPractice)
class GPPracticeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "ods_code", "postcode", "synthetic", "closed")
    list_filter = ("synthetic", "closed")
    search_fields = ("name", "ods_code", "postcode")


def audit_csv(events: Any) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(AUDIT_COLUMNS)
    for event in events.order_by("at", "pk").iterator():
        row = [getattr(event, c) for c in AUDIT_COLUMNS]
        row[0] = event.at.isoformat()
        row[7] = " ".join(event.field_names)
        writer.writerow(["" if v is None else v for v in row])
    return response


class SensitiveEventFilter(admin.SimpleListFilter):
    title = "events to review"
    parameter_name = "sensitive"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("all", "All of these"), *SENSITIVE_RECORD_TYPES.items()]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "all":
            return queryset.filter(record_type__in=SENSITIVE_RECORD_TYPES)
        if self.value() in SENSITIVE_RECORD_TYPES:
            return queryset.filter(record_type=self.value())
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read only: the log is append-only, so there is nothing to add, change or delete."""

    list_display = ("at", "username", "action", "record_type", "record_id", "person_id", "reason")
    list_filter = (
        SensitiveEventFilter,
        "action",
        "record_type",
        ("at", admin.DateFieldListFilter),
    )
    search_fields = ("=username", "=person_id", "=record_id", "reason")
    search_help_text = (
        "A person's reference (like 7KQ2M9XA) or id, a username, a record id, or words of a reason."
    )

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        """Also every event about the person whose reference is searched for (staff quote
        references, not ids; an erased person is found by the id on their erasure request)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip().upper()
        person_id = Person.objects.filter(reference=term).values_list("pk", flat=True).first()
        if person_id is not None:
            results = results | queryset.filter(person_id=person_id)
        return results, may_have_duplicates

    date_hierarchy = "at"
    actions = ["export_csv"]
    readonly_fields = AUDIT_COLUMNS

    @admin.action(description="Export the selected events as CSV")
    def export_csv(self, request: HttpRequest, queryset: Any) -> HttpResponse:
        return audit_csv(queryset)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read only: requests are decided on the person's page (casework.rights_views)."""

    list_display = (
        "pk",
        "person_id",
        "basis",
        "outcome",
        "received_on",
        "decided_at",
        "decided_by",
    )
    list_filter = ("outcome", "basis")
    search_fields = ("=person_id",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TokenState(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("live", "Live"), ("revoked", "Revoked")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() in ("live", "revoked"):
            return queryset.filter(revoked_at__isnull=self.value() == "live")
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Tokens are made with `thedeal api_token create` (the only time a token is shown); here
    administrators see them and revoke them."""

    list_display = ("name", "organization", "state", "last_used_at", "created_at")
    list_filter = (TokenState,)
    search_fields = ("name", "organization__name")
    fields = ("name", "organization", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Kept when revoked: the audit log names a token by its name.
        return False

    @admin.display(description="State", ordering="revoked_at")
    def state(self, token: ApiToken) -> str:
        if token.revoked_at is None:
            return "Live"
        return f"Revoked {timezone.localtime(token.revoked_at):%-d %b %Y}"

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset:
            token.revoke()
        self.message_user(request, f"Revoked {len(queryset)} token(s): they no longer work.")


@admin.register(Reidentification)
class ReidentificationAdmin(AuditEventAdmin):
    """Each re-identification of a worklist entry (who, when, why, which entry), read only. The
    re-identification table itself is never in the admin: it is read only to re-identify."""

    list_display = ("at", "username", "worklist_id", "entry_id", "person_id", "purpose")
    list_filter = (("at", admin.DateFieldListFilter),)
    search_fields = ("=username", "=person_id", "=worklist_id", "purpose")
    actions = []
    readonly_fields = ("at", "user_id", "username", "purpose", "worklist_id", "entry_id",
                       "resident_id", "person_id")  # fmt: skip


# Teams, caseloads and break-glass uses (registered on import).
from thedeal.casework import teams_admin  # noqa: E402, F401
