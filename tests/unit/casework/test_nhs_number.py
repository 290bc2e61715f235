"""NHS numbers as practitioners type them: spaces and hyphens are fine, a wrong check digit,
a wrong length or one digit repeated is refused with a reason."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thedeal.casework.nhs_number import (
    InvalidNHSNumber,
    check_digit,
    format_nhs_number,
    is_test_number,
    normalise_nhs_number,
)

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@pytest.mark.parametrize(
    "typed", ["9434765919", "943 476 5919", "943-476-5919", " 943 476 5919 ", "943.476.5919"]
)
def test_nhs_number_typed_with_spaces_or_hyphens_is_normalised(typed):
    assert normalise_nhs_number(typed) == "9434765919"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Enter an NHS number"),
        ("943 476 591", "10 digits"),
        ("943 476 59190", "10 digits"),
        ("943 476 591O", "only numbers"),
        ("９４３４７６５９１９", "only numbers"),  # full-width digits are not ASCII digits
        ("943 476 5918", "last digit does not match"),
        ("0000000000", "not a real NHS number"),
        ("4444444444", "not a real NHS number"),
    ],
)
def test_nhs_number_refused_says_why(typed, says):
    with pytest.raises(InvalidNHSNumber, match=says):
        normalise_nhs_number(typed)


def test_nine_digits_whose_check_would_be_ten_have_no_valid_number():
    # 10*9 + 9*9 + 8*9 = 243, and 243 % 11 = 1: 11 - 1 = 10, never issued.
    assert check_digit("999000000") is None
    for last in "0123456789":
        with pytest.raises(InvalidNHSNumber):
            normalise_nhs_number("999000000" + last)


def test_test_range_is_recognised():
    assert is_test_number(normalise_nhs_number("999 000 0018"))
    assert not is_test_number("9434765919")


@given(nine_digits)
def test_every_nine_digits_have_at_most_one_check_digit_and_it_is_accepted(first_nine):
    digit = check_digit(first_nine)
    number = first_nine + str(digit) if digit is not None else None
    for last in "0123456789":
        candidate = first_nine + last
        accepted = True
        try:
            normalise_nhs_number(candidate)
        except InvalidNHSNumber:
            accepted = False
        expected = candidate == number and len(set(candidate)) > 1
        assert accepted == expected


@given(nine_digits, st.lists(st.sampled_from([" ", "-", "  "]), min_size=2, max_size=2))
def test_a_valid_number_survives_any_spacing(first_nine, separators):
    digit = check_digit(first_nine)
    number = first_nine + str(digit) if digit is not None else None
    if number is None or len(set(number)) == 1:
        return
    typed = number[:3] + separators[0] + number[3:6] + separators[1] + number[6:]
    assert normalise_nhs_number(typed) == number
    assert normalise_nhs_number(format_nhs_number(number)) == number


@given(nine_digits, st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_changing_any_one_digit_of_a_valid_number_is_caught(first_nine, position, shift):
    digit = check_digit(first_nine)
    if digit is None:
        return
    number = first_nine + str(digit)
    changed = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    with pytest.raises(InvalidNHSNumber):
        normalise_nhs_number(changed)
