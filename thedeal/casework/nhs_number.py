"""NHS numbers, in plain Python (no Django): normalising what people type, the modulus 11 check
digit, and the test range the demo uses.

An NHS number is ten digits; the tenth is a check digit over the first nine (NHS Data
Dictionary, "NHS Number"): multiply each of the first nine by 10, 9, ... 2, add them up, take
the remainder on dividing by 11 and subtract it from 11. A result of 11 means a check digit of
0; a result of 10 means no number with those nine digits is ever issued. Numbers that are one
digit ten times over (0000000000, 4444444444...) pass the check for some digits but are never
issued, and are refused. Numbers starting 999 are NHS England's test range: never a real
person, which is why the synthetic demo uses them and only them.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "InvalidNHSNumber",
    "TEST_PREFIX",
    "check_digit",
    "format_nhs_number",
    "is_test_number",
    "normalise_nhs_number",
]

#: NHS England's test numbers start with these digits (never issued to a person).
TEST_PREFIX: Final = "999"

_WEIGHTS: Final = (10, 9, 8, 7, 6, 5, 4, 3, 2)
# What people type between the digits: "943 476 5919", "943-476-5919", "943.476.5919".
_SEPARATORS: Final = re.compile(r"[\s\-.]+")


class InvalidNHSNumber(ValueError):
    """Not an NHS number; the message says why, in words a practitioner can act on."""


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None where no number with them is valid (the
    modulus 11 sum gives 10)."""
    if len(first_nine) != 9 or not first_nine.isdigit() or not first_nine.isascii():
        raise ValueError("check_digit takes exactly nine digits")
    total = sum(int(d) * w for d, w in zip(first_nine, _WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise_nhs_number(text: str) -> str:
    """The ten digits of a typed NHS number, checked: spaces, hyphens and dots between digits
    are dropped. Raises InvalidNHSNumber saying what is wrong."""
    digits = _SEPARATORS.sub("", text.strip())
    if not digits:
        raise InvalidNHSNumber("Enter an NHS number")
    if not (digits.isascii() and digits.isdigit()):
        raise InvalidNHSNumber("An NHS number must contain only numbers, like 943 476 5919")
    if len(digits) != 10:
        raise InvalidNHSNumber("An NHS number must be 10 digits, like 943 476 5919")
    if len(set(digits)) == 1:
        raise InvalidNHSNumber("That is not a real NHS number: check it and enter it again")
    if check_digit(digits[:9]) != int(digits[9]):
        raise InvalidNHSNumber(
            "That is not a real NHS number (its last digit does not match): check it and "
            "enter it again"
        )
    return digits


def format_nhs_number(digits: str) -> str:
    """Ten digits as people read them: 3 3 4 ("943 476 5919")."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def is_test_number(digits: str) -> bool:
    """Whether a (normalised) NHS number is in the test range, never a real person's."""
    return digits.startswith(TEST_PREFIX)
