"""`thedeal check --deploy` is clean under production settings (DEBUG off, a real secret)."""

import json
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
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
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


def test_the_deploy_check_warns_when_emails_would_be_printed_into_the_logs(tmp_path):
    env = production(tmp_path)
    del env["EMAIL_BACKEND"]  # Django's console backend, the development default
    result = subprocess.run(
        [sys.executable, "-m", "thedeal", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "operations.W001" in result.stderr and "residents' email addresses" in result.stderr


def test_production_logs_one_json_object_a_line_without_personal_data(tmp_path):
    env = {**production(tmp_path), "DJANGO_SETTINGS_MODULE": "thedeal.settings"}
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('thedeal.deal').warning('Reminder to %s failed', 'sam@example.org')"
    )
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    (line,) = [json.loads(text) for text in result.stderr.splitlines()]
    assert line["message"] == "Reminder to [email] failed"
    assert (line["level"], line["logger"], line["request_id"]) == ("WARNING", "thedeal.deal", "-")
