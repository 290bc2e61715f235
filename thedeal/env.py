"""Strict readers for settings that come from environment variables.

A council's operator sets these in the environment (or an env file); a typo must stop the
server with a message that names the variable, not run with a silently wrong value.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# The limits `check --deploy` warns below; start-up refuses the same keys.
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)


class ConfigurationError(Exception):
    """A setting is missing or malformed."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def read_env_file(path: Path) -> None:
    """Load KEY=VALUE lines into os.environ without overriding what is already set.

    Blank lines and lines starting with # are ignored; values may be quoted.
    """
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ConfigurationError(f"{path}, line {number}: expected KEY=VALUE, got {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        os.environ.setdefault(key.strip(), value)


def read_env_files(names: str) -> None:
    """Read each env file that `names` lists (comma-separated, as THEDEAL_ENV_FILE holds them).

    The first file to set a variable wins, and a real environment variable wins over every file:
    `.env,demo.env` is this checkout's own settings over the demo's. A file that does not exist
    stops start-up, naming it.
    """
    for path in (Path(name.strip()) for name in names.split(",") if name.strip()):
        if not path.is_file():
            raise ConfigurationError(
                f"THEDEAL_ENV_FILE names {path}, which does not exist"
                + (" (`make install` writes it)." if path.name == ".env" else ".")
            )
        read_env_file(path)


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ConfigurationError(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ConfigurationError(
        f"The environment variable {name} must be true or false (1/0, yes/no), not {value!r}."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigurationError(
            f"The environment variable {name} must be a whole number, not {value!r}."
        ) from None
    if minimum is not None and number < minimum:
        raise ConfigurationError(f"The environment variable {name} must be at least {minimum}.")
    return number


# A rate limit as people write it: "1200/min", "10/hour". The rate limiter reads rates this way too.
RATE_PATTERN = re.compile(r"([1-9][0-9]*)/(s|sec|second|m|min|minute|h|hour|d|day)")


def env_rate(name: str, default: str) -> str:
    value = env_str(name, default)
    if not RATE_PATTERN.fullmatch(value):
        raise ConfigurationError(
            f"The environment variable {name} must be a number of requests per second, minute, "
            f"hour or day, e.g. 1200/min, not {value!r}."
        )
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str, *, debug: bool, dev_default: str) -> str:
    """A secret: required in production, a fixed development value when DEBUG is on.

    In production it must pass Django's own test of a signing key, the one `check --deploy`
    applies (security.W009): a key that starts the server never draws that warning later.
    """
    value = os.environ.get(name)
    if value:
        if not debug and not strong_enough(value):
            raise ConfigurationError(
                f"{name} must be at least {SECRET_KEY_MIN_LENGTH} characters long in production, "
                f"with at least {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different characters, and not "
                f"start with {SECRET_KEY_INSECURE_PREFIX!r} (generate one with: "
                'python -c "import secrets; print(secrets.token_urlsafe(50))").'
            )
        return value
    if debug:
        return dev_default
    raise ConfigurationError(
        f"The environment variable {name} must be set when DEBUG is off "
        '(generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))").'
    )


def strong_enough(secret: str) -> bool:
    """Django's rule for a signing key (django.core.checks.security.base, W009)."""
    return (
        len(secret) >= SECRET_KEY_MIN_LENGTH
        and len(set(secret)) >= SECRET_KEY_MIN_UNIQUE_CHARACTERS
        and not secret.startswith(SECRET_KEY_INSECURE_PREFIX)
    )


def env_header_colour(name: str, default: str) -> str:
    """A colour (#rrggbb) for a bar with white text on it, refused if the text would be hard
    to read: WCAG 2.2 AA asks for a contrast of at least 4.5 to 1."""
    value = os.environ.get(name, default).strip()
    digits = value.removeprefix("#")
    if len(digits) != 6 or any(c not in "0123456789abcdefABCDEF" for c in digits):
        raise ConfigurationError(
            f"The environment variable {name} must be a colour such as #1d70b8, not {value!r}."
        )
    ratio = contrast_with_white(digits)
    if ratio < 4.5:
        raise ConfigurationError(
            f"{name}={value} is too light for white text (contrast {ratio:.1f} to 1; "
            "WCAG 2.2 AA needs at least 4.5 to 1): choose a darker colour."
        )
    return f"#{digits.lower()}"


def contrast_with_white(digits: str) -> float:
    """WCAG's contrast ratio between white and the colour rrggbb."""

    def linear(channel: str) -> float:
        c = int(channel, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(digits[i : i + 2]) for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)
