"""A worker killed in the middle of a task: the scenario shared by the test
(tests/integration/worker/test_worker_kill.py) and the benchmark (benchmarks/worker_kill.py).

Tasks that each email one resident are queued; `thedeal db_worker` runs them; when it is inside
one chosen task (before or after that task's email has gone) it is killed with SIGKILL, as the
out-of-memory killer or a pulled plug would. A new worker is started, and the scenario counts
the tasks done, the tasks lost (never finished), and the emails sent twice or never.

This module drives processes and reads the database directly: it needs no Django set-up, so a
benchmark can run it against any checkout. The worker processes import the task and the email
backend from worker_kill_tasks.py.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent.parent

# Set by the scenario for the worker processes (read by worker_kill_tasks.py).
FOLDER = "THEDEAL_KILL_TEST_FOLDER"  # where the progress and mail logs go
PAUSE_AT = "THEDEAL_KILL_TEST_PAUSE_AT"  # the task number to stop in
PAUSE_WHERE = "THEDEAL_KILL_TEST_PAUSE_WHERE"  # "before-email" or "after-email"
TASKS = "tests.support.worker_kill_tasks"


@dataclass(frozen=True)
class Outcome:
    queued: int
    done: int
    failed: int
    lost: int
    emails_sent: int
    sent_twice: int
    never_sent: int
    seconds_to_finish: float

    def lines(self) -> list[str]:
        return [
            f"tasks queued: {self.queued}",
            f"tasks done: {self.done}",
            f"tasks failed: {self.failed}",
            f"tasks lost (not finished): {self.lost}",
            f"emails sent: {self.emails_sent}",
            f"emails sent twice: {self.sent_twice}",
            f"emails never sent: {self.never_sent}",
            f"seconds from the kill until every task finished (or gave up): "
            f"{self.seconds_to_finish:.1f}",
        ]


class Scenario:
    """One run. `database_url` is an empty database: `prepare()` migrates it (unless `migrated`)
    and queues the tasks; `run()` prepares it first unless told it is prepared."""

    def __init__(
        self,
        *,
        folder: Path,
        database_url: str,
        tasks: int,
        kill_in: int,
        where: str = "after-email",
        heartbeat_seconds: int = 1,
        timeout_seconds: int = 3,
        checkout: Path = REPO,
        migrated: bool = False,
    ) -> None:
        self.folder = folder
        self.tasks = tasks
        self.kill_in = kill_in
        self.checkout = checkout
        self.migrated = migrated
        self.env = {
            **os.environ,
            "THEDEAL_ENV_FILE": str(REPO / "demo.env"),
            "DATABASE_URL": database_url,
            "THEDEAL_VAR_DIR": str(folder),
            # The checkout's code first, then this module (tests.support) from this one.
            "PYTHONPATH": os.pathsep.join(dict.fromkeys([str(checkout), str(REPO)])),
            "EMAIL_BACKEND": f"{TASKS}.RecordingBackend",
            "WORKER_HEARTBEAT_SECONDS": str(heartbeat_seconds),
            "WORKER_TIMEOUT_SECONDS": str(timeout_seconds),
            "LOG_LEVEL": "WARNING",
            FOLDER: str(folder),
            PAUSE_AT: str(kill_in),
            PAUSE_WHERE: where,
        }

    def thedeal(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "thedeal", *args],
            cwd=self.checkout,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )

    def worker(self) -> subprocess.Popen[bytes]:
        with (self.folder / "worker.log").open("ab") as log:  # the child keeps its own copy
            return subprocess.Popen(
                [sys.executable, "-m", "thedeal", "db_worker", "--no-reload",
                 "--no-startup-delay", "--interval", "0.1"],
                cwd=self.checkout,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip

    def prepare(self) -> None:
        # One process for both: each start of Django costs seconds on a busy machine.
        migrate = (
            "" if self.migrated else "call_command('migrate', interactive=False, verbosity=0)\n"
        )
        self.thedeal(
            "shell",
            "-c",
            f"from django.core.management import call_command\n{migrate}"
            f"from {TASKS} import email_one_resident as t\n"
            f"for n in range(1, {self.tasks + 1}): t.enqueue(n)",
        )

    def run(self, *, give_up_after: float = 120, prepared: bool = False) -> Outcome:
        if not prepared:
            self.prepare()
        first = self.worker()
        try:
            self._wait_for(f"paused {self.kill_in}", first, give_up_after)
            first.send_signal(signal.SIGKILL)
            first.wait()
            killed_at = time.monotonic()
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
        # The killed worker's task must not hold up the restarted one.
        self.env[PAUSE_AT] = "0"
        second = self.worker()
        try:
            while time.monotonic() - killed_at < give_up_after and self._unfinished():
                time.sleep(0.2)
            finished_in = time.monotonic() - killed_at
        finally:
            second.send_signal(signal.SIGTERM)
            try:
                second.wait(timeout=30)
            except subprocess.TimeoutExpired:
                second.kill()
                second.wait()
        return self._outcome(finished_in)

    def _wait_for(self, line: str, worker: subprocess.Popen[bytes], limit: float) -> None:
        progress = self.folder / "progress"
        started = time.monotonic()
        while time.monotonic() - started < limit:
            if progress.exists() and line in progress.read_text().splitlines():
                return
            if worker.poll() is not None:
                raise RuntimeError(f"The worker stopped early: {self.worker_log()}")
            time.sleep(0.05)
        raise RuntimeError(f"The worker never reached {line!r}: {self.worker_log()}")

    def worker_log(self) -> str:
        return (self.folder / "worker.log").read_text(errors="replace")[-3000:]

    def _count(self, sql: str) -> int:
        # Straight to the database, not through Django: this process may be set up for another.
        url = self.env["DATABASE_URL"]
        if url.startswith("sqlite:///"):
            with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
                return int(db.execute(sql).fetchone()[0])
        with psycopg.connect(url) as db:
            return int(db.execute(sql).fetchone()[0])

    def _unfinished(self) -> int:
        return self._count(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
            "WHERE status NOT IN ('SUCCESSFUL', 'FAILED')"
        )

    def _outcome(self, finished_in: float) -> Outcome:
        done = self._count(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'"
        )
        mail = self.folder / "mail"
        sent = Counter(mail.read_text().split()) if mail.exists() else Counter()
        wanted = {str(n) for n in range(1, self.tasks + 1)}
        failed = self._count(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'"
        )
        return Outcome(
            queued=self.tasks,
            done=done,
            failed=failed,
            lost=self._unfinished(),
            emails_sent=sum(sent.values()),
            sent_twice=sum(1 for n in wanted if sent[n] > 1),
            never_sent=sum(1 for n in wanted if not sent[n]),
            seconds_to_finish=finished_in,
        )
