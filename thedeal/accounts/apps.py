from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff and community organisation accounts: roles, sign-in, and who may edit what."""

    name = "thedeal.accounts"
    verbose_name = "Accounts"
