"""Insight's records: the areas indicators are given for, the indicators with their definitions,
their values by area, period, sex and age (each from a batch: a file imported or a compute run),
the evaluations of the programme, and what the programme cost (for the savings ledger).

Values are never edited by hand: a batch is loaded whole or not at all (`insight.actions`), and a
newer batch of the same kind and source replaces the older one's values in one transaction.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from thedeal.indicators.polarity import HIGH_IS_GOOD, LOW_IS_GOOD, NO_JUDGEMENT


class AreaKind(models.TextChoices):
    ENGLAND = "england", "England"
    REGION = "region", "Region"
    BOROUGH = "borough", "Borough"
    WARD = "ward", "Ward"
    MSOA = "msoa", "Middle layer super output area"
    LSOA = "lsoa", "Lower layer super output area"
    GP_PRACTICE = "gp_practice", "GP practice"
    OTHER = "other", "Other area"


class Area(models.Model):
    """A place indicators are given for, by its official code (GSS codes such as E08000010 for
    the borough, E05 wards, E01 LSOAs; ODS codes for GP practices). LSOAs belong to the ward that
    holds most of their postcodes (thedeal.geography.wards), wards to the borough."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AreaKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Polarity(models.TextChoices):
    HIGH_IS_GOOD = HIGH_IS_GOOD, "Higher is better"
    LOW_IS_GOOD = LOW_IS_GOOD, "Lower is better"
    NO_JUDGEMENT = NO_JUDGEMENT, "Neither higher nor lower is better"


class Indicator(models.Model):
    """What is measured, with what an analyst needs to read its values: the definition, source,
    method, polarity and unit. Computed indicators come from `insight.catalogue`; imported ones
    from a Fingertips file (its Indicator ID and name; the rest is filled in by staff)."""

    slug = models.SlugField(max_length=120, unique=True)
    fingertips_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    name = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    source = models.TextField(blank=True)
    method = models.TextField(blank=True)
    value_type = models.CharField(max_length=100, blank=True)
    polarity = models.CharField(
        max_length=20,
        choices=Polarity.choices,
        default=Polarity.NO_JUDGEMENT,
        help_text="Which direction is good; decides whether a difference is Better or Worse.",
    )
    unit = models.CharField(max_length=50, blank=True)
    multiplier = models.PositiveIntegerField(default=1)
    decimals = models.PositiveSmallIntegerField(default=1)
    # The age group the pages show its figures for, as Fingertips names it ("All ages", "18+ yrs",
    # "65+ yrs"): an indicator's figures are for one age group; a file may hold others as well.
    age = models.CharField(max_length=40, default="All ages")
    numerator_definition = models.TextField(blank=True)
    denominator_definition = models.TextField(blank=True)
    comparison_level = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.950"),
        choices=[(Decimal("0.950"), "95%"), (Decimal("0.998"), "99.8%")],
    )
    # Computed by `thedeal insight compute` from the borough's linked records (not imported).
    computed = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=1000)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class BatchKind(models.TextChoices):
    IMPORT = "import", "Imported file"
    COMPUTE = "compute", "Computed from linked data"


class Batch(models.Model):
    """One load of values: a Fingertips file imported, or one run of `insight compute`. Every
    value says which batch it came from, so a figure can be traced to its file or data."""

    kind = models.CharField(max_length=10, choices=BatchKind.choices)
    file_name = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # For a compute run: the data directory's fingerprint and the synthetic generator's version
    # (blank for a council's real data, which has no generator).
    data_fingerprint = models.CharField(max_length=64, blank=True)
    generator_version = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "batches"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        what = self.file_name or self.get_kind_display()
        return f"{what} ({self.rows} values, {self.created_at:%d %b %Y})"

    @property
    def synthetic(self) -> bool:
        return bool(self.generator_version)


class Sex(models.TextChoices):
    PERSONS = "Persons"
    MALE = "Male"
    FEMALE = "Female"


ALL_AGES = "All ages"


class IndicatorValue(models.Model):
    """One value of an indicator for an area, period, sex and age group (and, as Fingertips has
    them, a category such as a deprivation decile), with its limits, count and denominator.
    A suppressed value (too few to publish, or too uncertain) keeps its row, with no value and
    a note saying why."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="values")
    period_label = models.CharField(max_length=40)  # as Fingertips writes it: "2021/22 - 23/24"
    period_start = models.DateField()
    period_end = models.DateField()  # the last day, included
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.PERSONS)
    age = models.CharField(max_length=40, default=ALL_AGES)
    category_type = models.CharField(max_length=100, blank=True)
    category = models.CharField(max_length=100, blank=True)
    value = models.FloatField(null=True, blank=True)
    lower95 = models.FloatField(null=True, blank=True)
    upper95 = models.FloatField(null=True, blank=True)
    lower998 = models.FloatField(null=True, blank=True)
    upper998 = models.FloatField(null=True, blank=True)
    count = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0)])
    denominator = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0)])
    value_note = models.CharField(max_length=300, blank=True)
    suppressed = models.BooleanField(default=False)
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="values")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "indicator",
                    "area",
                    "period_label",
                    "sex",
                    "age",
                    "category_type",
                    "category",
                ],
                name="one_value_per_indicator_area_period_sex_age_category",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="indicator_period_ends_after_it_starts",
            ),
        ]
        indexes = [
            # A ward's profile and an indicator's map read the values of one area or one
            # indicator, newest period last.
            models.Index(
                fields=["indicator", "area", "period_end"], name="value_by_indicator_area"
            ),
            models.Index(fields=["area", "indicator", "period_end"], name="value_by_area"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.area.name} · {self.period_label} · {self.sex}"


class EvaluationRun(models.Model):
    """One run of `thedeal insight evaluate --save`: what it estimated (the JSON it printed) and
    the data it read. Staff choose which run the public page shows."""

    created_at = models.DateTimeField(auto_now_add=True)
    data_fingerprint = models.CharField(max_length=64, blank=True)
    generator_version = models.CharField(max_length=20, blank=True)
    result = models.JSONField()
    published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # The public page shows one evaluation: the one published.
            models.UniqueConstraint(
                fields=["published"],
                condition=models.Q(published=True),
                name="one_published_evaluation",
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluation of {self.created_at:%d %b %Y %H:%M}"


class CostCategory(models.TextChoices):
    PRACTITIONER_TIME = "practitioner_time", "Practitioners' time"
    GRANTS = "grants", "Grants to community groups"
    OTHER = "other", "Other costs"


class Payer(models.TextChoices):
    COUNCIL = "council", "Council"
    NHS = "nhs", "NHS"


class ProgrammeCost(models.Model):
    """What the programme cost, entered by staff: the ledger sets it against what was saved."""

    period_start = models.DateField()
    period_end = models.DateField()
    category = models.CharField(max_length=20, choices=CostCategory.choices)
    payer = models.CharField(max_length=10, choices=Payer.choices)
    # Pounds and pence, exactly: money is never a float.
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))]
    )
    description = models.CharField(max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period_start", "category"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="programme_cost_period_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="programme_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: £{self.amount:,.2f} ({self.get_payer_display()})"


class LedgerSettings(models.Model):
    """The savings ledger's assumptions, one row, which a council may change: the cost of an
    emergency admission (and where that figure comes from), and how a saving is shared."""

    cost_per_admission = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="The average cost of one non-elective admission, its bed days included.",
    )
    cost_source = models.TextField(help_text="Where the cost comes from, with its year.")
    council_share = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.000"),
        help_text="The share of an admission's cost that the council would save (0 to 1).",
    )
    cashable_share = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.000"),
        help_text=(
            "The share of the saving that is cash (0 to 1): a bed freed is usually filled by "
            "someone else, so the saving is capacity, not cash."
        ),
    )
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "ledger settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(council_share__gte=0, council_share__lte=1)
                & models.Q(cashable_share__gte=0, cashable_share__lte=1),
                name="ledger_shares_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return f"£{self.cost_per_admission:,.2f} an admission"
