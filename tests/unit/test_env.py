import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thedeal.env import (
    ConfigurationError,
    env_bool,
    env_int,
    env_secret,
    read_env_file,
    read_env_files,
)


@pytest.mark.parametrize(
    "value,expected", [("1", True), ("TRUE", True), ("no", False), ("", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("FLAG", value)

    assert env_bool("FLAG", default=not expected) is expected


def test_env_bool_refuses_anything_else_naming_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "sometimes")

    with pytest.raises(ConfigurationError, match="DEBUG must be true or false"):
        env_bool("DEBUG", default=False)


def test_env_int_refuses_words_and_small_numbers(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ConfigurationError, match="N must be a whole number"):
        env_int("N", 1)
    monkeypatch.setenv("N", "-1")
    with pytest.raises(ConfigurationError, match="at least 0"):
        env_int("N", 1, minimum=0)


def test_secret_key_is_required_in_production(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    with pytest.raises(ConfigurationError, match="SECRET_KEY must be set when DEBUG is off"):
        env_secret("SECRET_KEY", debug=False, dev_default="x")
    assert env_secret("SECRET_KEY", debug=True, dev_default="dev") == "dev"


def test_short_secret_key_is_refused_in_production(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "short")

    with pytest.raises(ConfigurationError, match="at least 50 characters"):
        env_secret("SECRET_KEY", debug=False, dev_default="x")


def test_a_secret_key_the_deploy_check_warns_about_stops_start_up(monkeypatch):
    # 40 random characters: once enough to start, while `check --deploy` warned (W009).
    monkeypatch.setenv("SECRET_KEY", "Zx8-kQ2vLr5TtW9yBn3mHc7JpDf6GsA1eU4oIwE0")

    with pytest.raises(ConfigurationError, match="SECRET_KEY must be at least 50 characters"):
        env_secret("SECRET_KEY", debug=False, dev_default="x")


# What an environment variable can hold: any text but the null character.
ENV_TEXT = st.characters(codec="utf-8", exclude_characters="\x00")


@settings(derandomize=True, max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(ENV_TEXT, min_size=1, max_size=70),
        st.text(alphabet="abcde", min_size=45, max_size=60),
        st.text(ENV_TEXT, min_size=35, max_size=60).map(lambda key: "django-insecure-" + key),
    )
)
def test_start_up_and_the_deploy_check_apply_one_secret_key_rule(key):
    """A key start-up accepts is one `check --deploy` accepts, and the other way round."""
    from django.core.checks.security.base import check_secret_key
    from django.test import override_settings

    with override_settings(SECRET_KEY=key):
        deploy_check_accepts = check_secret_key(None) == []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SECRET_KEY", key)
        try:
            env_secret("SECRET_KEY", debug=False, dev_default="x")
            start_up_accepts = True
        except ConfigurationError:
            start_up_accepts = False

    assert start_up_accepts == deploy_check_accepts


def test_env_file_sets_only_what_the_environment_does_not(tmp_path, monkeypatch):
    monkeypatch.setenv("KEEP", "from environment")
    monkeypatch.delenv("NEW", raising=False)
    path = tmp_path / "council.env"
    path.write_text("# a comment\nKEEP=from file\nNEW='quoted value'\n")

    read_env_file(path)

    import os

    assert os.environ["KEEP"] == "from environment"
    assert os.environ["NEW"] == "quoted value"


def test_env_file_names_the_bad_line(tmp_path):
    path = tmp_path / "council.env"
    path.write_text("GOOD=1\nthis line is wrong\n")

    with pytest.raises(ConfigurationError, match="council.env, line 2: expected KEY=VALUE"):
        read_env_file(path)


NAMES = st.sampled_from(["THEDEAL_TEST_A", "THEDEAL_TEST_B", "THEDEAL_TEST_C"])
VALUES = st.text(alphabet="abcXYZ019-_/:", min_size=1, max_size=8)


@settings(derandomize=True, max_examples=100, deadline=None)
@given(
    files=st.lists(st.dictionaries(NAMES, VALUES), min_size=1, max_size=3),
    environment=st.dictionaries(NAMES, VALUES),
)
def test_the_environment_wins_then_the_first_env_file_to_set_a_variable(files, environment):
    """As `make run` reads `.env,demo.env`: the checkout's own choice over the demo's."""
    import os
    import tempfile
    from pathlib import Path
    from unittest import mock

    with tempfile.TemporaryDirectory() as folder, mock.patch.dict(os.environ, clear=False):
        for name in ("THEDEAL_TEST_A", "THEDEAL_TEST_B", "THEDEAL_TEST_C"):
            os.environ.pop(name, None)
        os.environ.update(environment)
        paths = []
        for number, values in enumerate(files):
            path = Path(folder) / f"{number}.env"
            path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
            paths.append(str(path))

        read_env_files(",".join(paths))

        for name in ("THEDEAL_TEST_A", "THEDEAL_TEST_B", "THEDEAL_TEST_C"):
            expected = environment.get(name) or next(
                (values[name] for values in files if name in values), None
            )
            assert os.environ.get(name) == expected


def test_a_missing_env_file_is_named_and_so_is_what_makes_it(tmp_path):
    present = tmp_path / "demo.env"
    present.write_text("")

    with pytest.raises(ConfigurationError, match=r"names .*\.env, which does not exist \(`make"):
        read_env_files(f"{tmp_path / '.env'},{present}")
    with pytest.raises(ConfigurationError, match=r"names .*council\.env, which does not exist\.$"):
        read_env_files(str(tmp_path / "council.env"))


def import_settings(tmp_path, **env):
    """Import the settings in a fresh interpreter with only these variables; its stderr."""
    import pathlib
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import thedeal.settings"],
        env={"DEBUG": "1", "THEDEAL_VAR_DIR": str(tmp_path), "PATH": "", **env},
        capture_output=True,
        text=True,
        cwd=str(pathlib.Path(__file__).parents[2]),
    )
    assert result.returncode != 0
    return result.stderr


def test_settings_refuse_an_unsupported_database(tmp_path):
    error = import_settings(tmp_path, DATABASE_URL="mysql://root@localhost/x")

    assert "DATABASE_URL must be a sqlite:// or postgres:// URL" in error


def test_settings_refuse_a_malformed_rate_limit(tmp_path):
    error = import_settings(tmp_path, DIRECTORY_API_RATE_LIMIT="lots")

    assert "DIRECTORY_API_RATE_LIMIT must be a number of requests per" in error


def test_settings_refuse_an_unknown_log_format(tmp_path):
    error = import_settings(tmp_path, LOG_FORMAT="xml")

    assert "LOG_FORMAT must be json or text, not 'xml'" in error
