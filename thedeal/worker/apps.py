from django.apps import AppConfig


class WorkerConfig(AppConfig):
    """Background work that survives a crash: the task worker's heartbeats, taking up again the
    tasks of a worker that died, `thedeal worker_status`, and the record of emails sent (so a
    task that runs twice never emails anyone twice)."""

    name = "thedeal.worker"
    verbose_name = "Background work"
