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

from thedeal.casework.models import AuditEvent, GPPractice

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


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read only: the log is append-only, so there is nothing to add, change or delete."""

    list_display = ("at", "username", "action", "record_type", "record_id", "person_id", "reason")
    list_filter = ("action", "record_type", ("at", admin.DateFieldListFilter))
    search_fields = ("=username", "=person_id", "=record_id", "reason")
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


# Teams, caseloads and break-glass uses (registered on import).
from thedeal.casework import teams_admin  # noqa: E402, F401
