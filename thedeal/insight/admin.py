"""Staff keep each indicator's description (which direction is good, its definition, source and
method); areas and batches are shown, not edited: areas come from the geography and the files,
batches (and their values) only from `thedeal insight import` and `compute`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from thedeal.insight import models


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "fingertips_id", "polarity", "unit", "computed", "order"]
    list_filter = ["computed", "polarity"]
    search_fields = ["name", "slug", "fingertips_id"]
    # What identifies an indicator, and where its values come from, is not staff's to change:
    # the slug is in page addresses, the Fingertips ID matches later files.
    readonly_fields = ["slug", "fingertips_id", "computed"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "fingertips_id", "computed", "polarity"]}),
        (
            "What it measures",
            {
                "fields": [
                    "definition",
                    "numerator_definition",
                    "denominator_definition",
                    "source",
                    "method",
                ]
            },
        ),
        (
            "How values are shown",
            {
                "fields": [
                    "value_type",
                    "age",
                    "unit",
                    "multiplier",
                    "decimals",
                    "comparison_level",
                    "order",
                ]
            },
        ),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Indicators arrive with their values (an import or the catalogue), never empty.
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.Area)
class AreaAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]


@admin.register(models.Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "file_name", "rows", "generator_version", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["created_by"]
