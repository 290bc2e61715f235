from django.apps import AppConfig
from django.conf import settings

from thedeal import geography


class DirectoryConfig(AppConfig):
    name = "thedeal.directory"
    verbose_name = "Community assets directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Once the models are loaded, as Django asks of signal receivers.
        from thedeal.directory import signals  # noqa: F401  (connects the search index upkeep)

        # One index of every UK postcode per machine, in a file that all the server's
        # processes share, rather than a copy in each (see geography).
        geography.keep_uk_index_in(settings.VAR_DIR / "postcodes")
