from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    """Casework: the people practitioners work with, their consents and the audit of every look
    at and change to their records."""

    name = "thedeal.casework"
    verbose_name = "Casework"
