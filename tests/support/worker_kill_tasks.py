"""The worker's side of the worker-kill scenario (tests/support/worker_kill.py): a task that
emails one resident and can pause where the scenario kills its worker, and an email backend
that records each email as it leaves. Loaded by `thedeal db_worker` in a fresh process
configured only by the environment."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import task

from tests.support.worker_kill import FOLDER, PAUSE_AT, PAUSE_WHERE


def _append(name: str, line: str) -> None:
    # One write() of a short line to an O_APPEND file: whole even if the process dies next.
    fd = os.open(Path(os.environ[FOLDER]) / name, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


@task()
def email_one_resident(number: int) -> int:
    """A task like a reminder: one email to one resident, without a key of its own (so it is
    keyed by the task's id). It pauses where the scenario will kill its worker."""
    from thedeal import notify

    pause = int(os.environ.get(PAUSE_AT, "0")) == number
    where = os.environ.get(PAUSE_WHERE, "after-email")
    if pause and where == "before-email":
        _append("progress", f"paused {number}")
        time.sleep(600)
    notify.send_email(
        to=f"resident{number}@example.org",
        subject=f"Your reminder number {number}",
        body="A synthetic reminder.",
    )
    if pause and where == "after-email":
        _append("progress", f"paused {number}")
        time.sleep(600)
    return number


class RecordingBackend(BaseEmailBackend):
    """Records each email as it leaves (the task number from its subject), one line each."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        for message in email_messages:
            _append("mail", message.subject.rsplit(" ", 1)[-1])
        return len(email_messages)
