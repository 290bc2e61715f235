from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the platform: health checks for load balancers, backups and restores, and the
    logs (one JSON object a line in production, with a request id and no personal data)."""

    name = "thedeal.operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from thedeal.operations import checks  # noqa: F401 (registers the deploy checks)
