"""`thedeal check --deploy` is clean under production settings (DEBUG off, a real secret)."""

import os
import secrets
import subprocess
import sys


def production(tmp_path) -> dict[str, str]:
    empty = tmp_path / "production.env"
    empty.write_text("")
    return {
        # Not the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE, which no deployment may set.
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
        },
        "THEDEAL_ENV_FILE": str(empty),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "thedeal.example.gov.uk",
        "THEDEAL_VAR_DIR": str(tmp_path / "var"),
    }


def test_the_deploy_check_finds_nothing(tmp_path):
    env = production(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "thedeal", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_static_files_collect_for_production(tmp_path):
    """collectstatic's manifest storage refuses a stylesheet or script that points at a missing
    file (a source map, an image), which would stop a council's deployment."""
    env = production(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "thedeal", "collectstatic", "--no-input"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    collected = tmp_path / "var" / "static"
    assert (collected / "staticfiles.json").exists()
    assert (collected / "govuk" / "govuk-frontend.min.js").stat().st_size > 10_000
