"""Scoring runs, the scores they produced, and worklists made from them.

Only pseudonymous resident ids are stored here: who may link one to a person, and how, is in
docs/dpia.md. A later issue shows these to practitioners; every view of them must be audited.
"""

from __future__ import annotations

from django.db import models


class ScoringRun(models.Model):
    """One scoring of a population by one model: what was used, when, and how it compared."""

    model_version = models.CharField(max_length=100)
    model_path = models.TextField(help_text="The model folder used.")
    data_path = models.TextField(help_text="The data folder scored.")
    data_fingerprint = models.CharField(max_length=32, help_text="A fingerprint of the data files.")
    index_date = models.DateField(
        help_text="Risk is of an emergency admission in the year after this."
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    residents_scored = models.PositiveIntegerField()
    residents_opted_out = models.PositiveIntegerField(help_text="Excluded before scoring.")
    mean_risk = models.FloatField()
    outreach_threshold = models.FloatField()
    drift = models.JSONField(help_text="Population stability of scores and key features.")
    drift_alert = models.BooleanField(default=False)
    outreach_make_up = models.JSONField(
        default=dict,
        help_text="Share of each group (sex, age band, deprivation quintile) in the outreach band and in the population.",
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.model_version} on {self.index_date} ({self.residents_scored:,} residents)"


class RiskScore(models.Model):
    """A resident's risk from a scoring run: kept for the highest-risk residents, with reasons."""

    class Band(models.TextChoices):
        HIGH = "high", "High (the outreach band)"
        RISING = "rising", "Rising"
        LOWER = "lower", "Lower"

    run = models.ForeignKey(ScoringRun, on_delete=models.CASCADE, related_name="scores")
    resident_id = models.BigIntegerField(help_text="Pseudonymous: not an NHS number.")
    rank = models.PositiveIntegerField(help_text="1 is the highest risk in the run.")
    risk = models.FloatField()
    band = models.CharField(max_length=10, choices=Band.choices)
    reasons = models.JSONField(
        default=list, help_text="Plain-English reasons, most important first."
    )
    efi_category = models.CharField(max_length=10, blank=True)
    lsoa_code = models.CharField(max_length=9)
    ward = models.CharField(max_length=100, blank=True)
    # For matching services to the resident: their age, and their neighbourhood's centre (not
    # their home address, which this module never sees).
    age = models.PositiveSmallIntegerField()
    easting = models.IntegerField()
    northing = models.IntegerField()

    class Meta:
        ordering = ["run", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "resident_id"], name="one_score_per_resident_per_run"
            ),
        ]
        indexes = [models.Index(fields=["run", "ward", "rank"], name="riskscore_ward_rank_idx")]


class Worklist(models.Model):
    """Residents to offer support to, highest risk first, in a ward or the whole borough."""

    run = models.ForeignKey(ScoringRun, on_delete=models.CASCADE, related_name="worklists")
    ward = models.CharField(max_length=100, blank=True, help_text="Blank: the whole borough.")
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.ward or 'Whole borough'}: {self.size} residents"


class WorklistEntry(models.Model):
    worklist = models.ForeignKey(Worklist, on_delete=models.CASCADE, related_name="entries")
    score = models.ForeignKey(RiskScore, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    suggestions = models.JSONField(default=list, help_text="Local services matched to the reasons.")

    class Meta:
        ordering = ["worklist", "position"]
        verbose_name_plural = "worklist entries"
