"""What is lost when a background-task worker is killed mid-task, and how long recovery takes.

Queues N tasks that each email one resident (tests/support/worker_kill_tasks.py), starts
`thedeal db_worker`, kills it with SIGKILL while it is inside task K (before or after that
task's email has left), starts a new worker, and prints the tasks done, failed and lost (never
finished), the emails sent, sent twice and never sent, and the seconds from the kill until
every task had finished.

Run from the repository root:

    .venv/bin/python benchmarks/worker_kill.py [--tasks 200] [--kill-in 100]
        [--where after-email before-email] [--database sqlite|postgres://...]
        [--heartbeat 1] [--timeout 3] [--checkout PATH] [--give-up-after 120]

--checkout runs another copy of the code (e.g. `git archive <commit> | tar -x -C DIR`) to
measure it before a change; the task and email backend still come from this checkout.
A PostgreSQL URL names a server: the script makes a database for each run and drops it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.support.worker_kill import Scenario  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--kill-in", type=int, default=100, help="the task to kill it in")
    parser.add_argument("--where", nargs="+", default=["after-email", "before-email"],
                        choices=["after-email", "before-email"])  # fmt: skip
    parser.add_argument("--database", default="sqlite", help="sqlite, or a postgres:// URL")
    parser.add_argument("--heartbeat", type=int, default=1, help="WORKER_HEARTBEAT_SECONDS")
    parser.add_argument("--timeout", type=int, default=3, help="WORKER_TIMEOUT_SECONDS")
    parser.add_argument("--checkout", type=Path, default=REPO, help="the code to run")
    parser.add_argument("--give-up-after", type=float, default=120)
    args = parser.parse_args()

    print(f"code: {args.checkout}; database: {args.database.split('@')[-1]}; "
          f"heartbeat {args.heartbeat} s, time-out {args.timeout} s")  # fmt: skip
    for where in args.where:
        with tempfile.TemporaryDirectory(prefix="worker-kill-") as folder:
            url, drop = database(args.database, Path(folder))
            try:
                scenario = Scenario(
                    folder=Path(folder),
                    database_url=url,
                    tasks=args.tasks,
                    kill_in=args.kill_in,
                    where=where,
                    heartbeat_seconds=args.heartbeat,
                    timeout_seconds=args.timeout,
                    checkout=args.checkout.resolve(),
                )
                started = time.monotonic()
                outcome = scenario.run(give_up_after=args.give_up_after)
                print(f"\n== {args.tasks} tasks, SIGKILL inside task {args.kill_in} ({where})")
                for line in outcome.lines():
                    print(f"  {line}")
                print(f"  whole run (migrate, queue, work): {time.monotonic() - started:.1f} s")
            finally:
                drop()


def database(choice: str, folder: Path) -> tuple[str, Callable[[], None]]:
    if choice == "sqlite":
        return f"sqlite:///{folder / 'workers.sqlite3'}", lambda: None
    name = f"worker_kill_{uuid.uuid4().hex[:8]}"
    server, _, _ = choice.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{server}/{name}", drop


if __name__ == "__main__":
    main()
