"""Checking one answer or score: the error every measure raises, naming the item and its range."""

from __future__ import annotations

import math
import numbers
from decimal import Decimal


class MeasureError(ValueError):
    """An answer or score a measure cannot take. The message names the item and what it allows,
    in words a practitioner can act on ("Life satisfaction must be a whole number from 0 to 10,
    not 11"); `item` is the item's key (e.g. "life_satisfaction"), for a form to put the message
    beside the right field."""

    def __init__(self, message: str, *, item: str | None = None):
        super().__init__(message)
        self.item = item


def whole_score(value: object, *, key: str, name: str, lowest: int, highest: int) -> int:
    """`value` as a whole number from `lowest` to `highest`, or a MeasureError naming `name`.

    A missing answer (None) is refused, never taken as zero: a zero is an answer. Whole numbers
    written as floats or Decimals (6.0, from a spreadsheet) are accepted; True/False and text
    are not, because they are never what someone meant by a score.
    """
    allowed = f"a whole number from {lowest} to {highest}"
    if value is None:
        raise MeasureError(f"{name} has no answer: it must be {allowed}", item=key)
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, Decimal)):
        raise MeasureError(f"{name} must be {allowed}, not {value!r}", item=key)
    if isinstance(value, float) and not math.isfinite(value):
        raise MeasureError(f"{name} must be {allowed}, not {value!r}", item=key)
    if isinstance(value, Decimal) and not value.is_finite():
        raise MeasureError(f"{name} must be {allowed}, not {value}", item=key)
    if value != int(value):  # type: ignore[call-overload]
        raise MeasureError(f"{name} must be {allowed}, not {value}", item=key)
    whole = int(value)  # type: ignore[call-overload]
    if not lowest <= whole <= highest:
        raise MeasureError(f"{name} must be {allowed}, not {whole}", item=key)
    return whole
