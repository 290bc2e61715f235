from django.apps import AppConfig


class InsightConfig(AppConfig):
    """Insight: indicators by place and time (imported from Fingertips or computed from the
    borough's linked data), ward profiles and maps, and the evaluation of the Deal with its
    savings ledger."""

    name = "thedeal.insight"
    verbose_name = "Insight"
