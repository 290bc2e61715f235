from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "thedeal.indicators"
    verbose_name = "Indicators"
