from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the platform: health checks for load balancers, backups and restores, and the
    logs (one JSON object a line in production, with a request id and no personal data)."""

    name = "thedeal.operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from django_tasks.signals import task_finished, task_started

        from thedeal.operations import checks, logs  # noqa: F401 (registers the deploy checks)

        # Connected after django-tasks' own receivers, so its "finished" line keeps the id.
        task_started.connect(logs.task_started, dispatch_uid="thedeal-log-task-id")
        task_finished.connect(logs.task_finished, dispatch_uid="thedeal-log-task-id")
