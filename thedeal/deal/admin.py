"""Staff edit the Deal's commitments, their yearly figures, and the catalogue of pledges.

Residents' pledges are not in the admin: staff see them only as counts (neighbourhoods page)."""

from django.contrib import admin

from thedeal.deal import models


class MeasurementInline(admin.TabularInline):
    model = models.Measurement
    extra = 1
    fields = ["year", "numerator", "denominator", "value", "lower", "upper", "comparator"]


@admin.register(models.Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "target", "target_year", "synthetic"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [MeasurementInline]


@admin.register(models.PledgeType)
class PledgeTypeAdmin(admin.ModelAdmin):
    list_display = ["title", "order"]
    prepopulated_fields = {"slug": ["title"]}
