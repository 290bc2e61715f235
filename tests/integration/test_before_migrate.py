"""A command run before `thedeal migrate` (a new checkout, a new database) says what to run."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def thedeal(tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    # A SQLite database in an empty folder: no tables at all.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["THEDEAL_VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "-m", "thedeal", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "command",
    [
        ["worker_status"],
        ["createsuperuser", "--no-input", "--username", "officer", "--email", "o@example.org"],
    ],
    ids=lambda command: command[0],
)
def test_a_command_before_migrate_says_to_run_migrate(tmp_path, command):
    done = thedeal(tmp_path, *command)
    assert done.returncode != 0
    assert "run thedeal migrate" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


@pytest.mark.parametrize("command", [["db_worker"], ["run_schedule"]], ids=lambda c: c[0])
def test_a_long_running_process_before_migrate_stops_and_says_so(tmp_path, command):
    # db_worker runs under Django's reloader on the demo, which would wait for ever after the
    # error; run_schedule would fail only when its first job fell due, hours later.
    done = thedeal(tmp_path, *command)
    assert done.returncode != 0
    assert "run thedeal migrate" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_migrate_itself_still_runs(tmp_path):
    done = thedeal(tmp_path, "migrate", "--no-input")
    assert done.returncode == 0, done.stderr
    status = thedeal(tmp_path, "worker_status")
    assert status.returncode == 1  # no worker has started yet: said, not an error
    assert "Traceback" not in status.stderr and "migrate" not in status.stderr
