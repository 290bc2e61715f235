"""`thedeal check --deploy` is clean under production settings (DEBUG off, a real secret)."""

import os
import secrets
import subprocess
import sys


def test_the_deploy_check_finds_nothing(tmp_path):
    empty = tmp_path / "production.env"
    empty.write_text("")
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")},
        "THEDEAL_ENV_FILE": str(empty),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "thedeal.example.gov.uk",
        "THEDEAL_VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "thedeal", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
