"""Whether a value can be written to its database column: the check at every edge where data
comes in (imports, scoring runs, forms), so that bad input is refused with a message that says
what and where, never a database error half-way through a write.

Django's validators catch most of it, but not everything PostgreSQL refuses and SQLite accepts:

* text holding a NUL character (PostgreSQL text cannot store "\\x00");
* text holding an unpaired surrogate ("\\ud800", which JSON can spell but UTF-8 cannot encode);
* text longer than a CharField's max_length (SQLite stores it anyway);
* whole numbers beyond the column's range (PostgreSQL's integer, smallint, bigint);
* numbers that are not finite (NaN and infinity), and decimals with too many digits;
* date-times that leave the years 1 to 9999 once converted to UTC (PostgreSQL stores them,
  and then every read of the row fails).

The ranges are PostgreSQL's whichever database is in use, so a value refused in production is
refused in development and in the SQLite test run too.
"""

from __future__ import annotations

import datetime
import decimal
import json
import math
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

# PostgreSQL's ranges (Django's defaults; SQLite would take any 64-bit integer).
INTEGER_RANGES: dict[str, tuple[int, int]] = BaseDatabaseOperations.integer_field_ranges


def problem(model_field: models.Field, value: Any) -> str | None:  # type: ignore[type-arg]
    """Why `value` cannot be stored in `model_field`'s column, in plain words; None if it can."""
    if value is None:
        # Primary keys and automatic date-times are filled in as the row is saved.
        automatic = getattr(model_field, "auto_now", False) or getattr(
            model_field, "auto_now_add", False
        )
        if model_field.null or model_field.primary_key or automatic:
            return None
        return "is missing: this field needs a value"
    if isinstance(model_field, models.JSONField):
        return json_problem(value, model_field.encoder)
    if isinstance(value, str):
        return text_problem(value, getattr(model_field, "max_length", None))
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        limits = INTEGER_RANGES.get(model_field.get_internal_type())
        if limits and not limits[0] <= value <= limits[1]:
            return f"{value} is out of range: give a whole number from {limits[0]} to {limits[1]}"
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else f"must be a finite number, not {value}"
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            return f"must be a finite number, not {value}"
        if isinstance(model_field, models.DecimalField):
            try:
                DecimalValidator(model_field.max_digits, model_field.decimal_places)(value)
            except ValidationError as error:
                return "; ".join(str(m).rstrip(".") for m in error.messages)
        return None
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        try:
            value.astimezone(datetime.UTC)
        except OverflowError:
            return (
                f"{value.isoformat()} is out of range: it falls outside the years 1 to 9999 in UTC"
            )
    return None


def text_problem(value: str, max_length: int | None = None) -> str | None:
    """Why text cannot be stored (in a column of at most `max_length` characters), or None."""
    if "\x00" in value:
        return "contains a NUL character (\\x00), which cannot be stored: remove it"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        return (
            f"contains an unpaired surrogate (\\u{ord(value[error.start]):04x}) at character "
            f"{error.start + 1}, which is not valid Unicode text"
        )
    if max_length is not None and len(value) > max_length:
        return f"must be at most {max_length:,} characters (it has {len(value):,})"
    return None


def json_problem(value: Any, encoder: type[json.JSONEncoder] | None = None) -> str | None:
    """Why a value cannot be stored as PostgreSQL jsonb (NaN, infinity, NUL, surrogates), or None."""
    try:
        json.dumps(value, allow_nan=False, cls=encoder)
    except ValueError:
        return "holds a number that is not finite (NaN or infinity), which JSON cannot store"
    except TypeError as error:
        return f"cannot be stored as JSON ({error})"
    for text in _strings(value):
        if found := text_problem(text):
            return found
    return None


def _strings(value: Any) -> Iterator[str]:
    """Every string in a JSON-like value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def problems(
    instance: models.Model, *, skip: set[str] | frozenset[str] = frozenset()
) -> dict[str, str]:
    """Every value of `instance` that its table cannot store: field name -> what is wrong.

    `skip` names fields already reported (by full_clean, say), so nothing is reported twice."""
    found = {}
    for model_field in instance._meta.concrete_fields:
        if model_field.name in skip:
            continue
        message = problem(model_field, getattr(instance, model_field.attname))
        if message:
            found[model_field.name] = message
    return found
