from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "thedeal.directory"
    verbose_name = "Community assets directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from thedeal.directory import signals  # noqa: F401  (connects the search index upkeep)
