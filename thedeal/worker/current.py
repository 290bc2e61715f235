"""Which background task this thread is running, for code below the task that must recognise a
repeat of it: thedeal/notify.py keys an email sent without a key of its own by the task's id, so
that a task run again after its worker died sends none of its emails twice."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

# Set by `thedeal db_worker` around each task it runs.
_task_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_id", default=None)


@contextlib.contextmanager
def running_task(task_id: str) -> Iterator[None]:
    """Code run inside this block is running the task `task_id`."""
    token = _task_id.set(task_id)
    try:
        yield
    finally:
        _task_id.reset(token)


def task_id() -> str | None:
    """The id of the task this thread is running, or None outside a task (a web request)."""
    return _task_id.get()
