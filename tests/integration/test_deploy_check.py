"""Production settings (no demo file) keep every secure default, and `thedeal check --deploy` is
clean under them; the demo file turns off, by name, only what plain HTTP needs."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# What a process needs from the machine; nothing else of the test run's environment, which
# holds demo.env's values (plain HTTP) and the test settings' module and key.
MACHINE = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH")


def production(tmp_path) -> dict[str, str]:
    empty = tmp_path / "production.env"
    empty.write_text("")
    return {
        **{k: v for k, v in os.environ.items() if k in MACHINE},
        "DJANGO_SETTINGS_MODULE": "thedeal.settings",
        "THEDEAL_ENV_FILE": str(empty),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "thedeal.example.gov.uk",
        "THEDEAL_VAR_DIR": str(tmp_path / "var"),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }


SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps("
    "[s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
    "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE]))"
)


def settings_of(env: dict[str, str]) -> list[object]:
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_without_the_demo_file_keeps_every_secure_default(tmp_path):
    debug, redirect, hsts, subdomains, session_secure, csrf_secure = settings_of(
        production(tmp_path)
    )

    assert debug is False
    assert redirect is True
    assert hsts == 31_536_000 and subdomains is True
    assert session_secure is True and csrf_secure is True


def test_development_mode_turns_off_no_security_setting(tmp_path):
    """DEBUG shows Django's error pages; only the demo's named settings allow plain HTTP."""
    env = {**production(tmp_path), "DEBUG": "true"}

    assert settings_of(env)[1:] == [True, 31_536_000, True, True, True]


def test_the_demo_file_serves_plain_http_so_that_signing_in_works(tmp_path):
    env = {**production(tmp_path), "THEDEAL_ENV_FILE": str(ROOT / "demo.env")}

    assert settings_of(env) == [False, False, 0, True, False, False]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-m", "thedeal", "check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_the_demo_refuses_to_start_without_the_key_make_install_writes(tmp_path):
    """demo.env holds no secret: `make run` reads the checkout's .env first, for its key."""
    env = {**production(tmp_path), "THEDEAL_ENV_FILE": str(ROOT / "demo.env")}
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-m", "thedeal", "check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_the_first_env_file_named_wins_and_a_missing_one_is_named(tmp_path):
    local = tmp_path / "local.env"
    local.write_text("SECURE_COOKIES=true\n")
    env = {**production(tmp_path), "THEDEAL_ENV_FILE": f"{local},{ROOT / 'demo.env'}"}

    # The local file's choice, then demo.env's for everything it does not set.
    assert settings_of(env) == [False, False, 0, True, True, True]

    env["THEDEAL_ENV_FILE"] = f"{tmp_path / '.env'},{ROOT / 'demo.env'}"
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert f"THEDEAL_ENV_FILE names {tmp_path / '.env'}, which does not exist" in result.stderr
    assert "make install" in result.stderr


def test_the_deploy_check_finds_nothing(tmp_path):
    env = production(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "thedeal", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_static_files_collect_for_production(tmp_path):
    """collectstatic's manifest storage refuses a stylesheet or script that points at a missing
    file (a source map, an image), which would stop a council's deployment."""
    env = production(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "thedeal", "collectstatic", "--no-input"],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    collected = tmp_path / "var" / "static"
    assert (collected / "staticfiles.json").exists()
    assert (collected / "govuk" / "govuk-frontend.min.js").stat().st_size > 10_000


def test_the_deploy_check_warns_when_emails_would_be_printed_into_the_logs(tmp_path):
    env = production(tmp_path)
    env["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    result = subprocess.run(
        [sys.executable, "-m", "thedeal", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "operations.W001" in result.stderr and "residents' email addresses" in result.stderr


def test_the_deploy_check_warns_when_emails_would_be_kept_in_the_outbox(tmp_path):
    env = production(tmp_path)
    del env["EMAIL_BACKEND"]  # Django's file backend into OUTBOX_DIR, the development default
    result = subprocess.run(
        [sys.executable, "-m", "thedeal", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "operations.W001" in result.stderr and "never sent" in result.stderr


def test_the_deploy_check_refuses_the_demos_people(tmp_path):
    env = {**production(tmp_path), "DEMO_PEOPLE": "true"}
    result = subprocess.run(
        [sys.executable, "-m", "thedeal", "check", "--deploy"],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "operations.E001" in result.stderr and "DEMO_PEOPLE" in result.stderr


def test_production_logs_one_json_object_a_line_without_personal_data(tmp_path):
    env = {**production(tmp_path), "DJANGO_SETTINGS_MODULE": "thedeal.settings"}
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('thedeal.deal').warning('Reminder to %s failed', 'sam@example.org')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    (line,) = [json.loads(text) for text in result.stderr.splitlines()]
    assert line["message"] == "Reminder to [email] failed"
    assert (line["level"], line["logger"], line["request_id"]) == ("WARNING", "thedeal.deal", "-")
