from django.apps import AppConfig


class PreventionConfig(AppConfig):
    name = "thedeal.prevention"
    verbose_name = "Prevention"
