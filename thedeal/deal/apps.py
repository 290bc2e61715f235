from django.apps import AppConfig


class DealConfig(AppConfig):
    """The Deal itself: the council's and partners' commitments ("our part") and residents'
    pledges ("your part")."""

    name = "thedeal.deal"
    verbose_name = "The Deal"
