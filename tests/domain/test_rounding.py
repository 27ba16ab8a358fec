"""Rounding at the edge: exact values to printed decimals, half-up (away from zero on a tie)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.rounding import round_half_up, to_decimal


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("0.125"), 2, "0.13"),
        (Decimal("-0.125"), 2, "-0.13"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("-2.5"), 0, "-3"),
        (Decimal("0.5"), 0, "1"),
        (Decimal("88.305"), 2, "88.31"),
        (Decimal("76.605"), 2, "76.61"),
        (Decimal("64.995"), 2, "65.00"),
        (Fraction(1, 8), 2, "0.13"),
        (Fraction(-1, 8), 2, "-0.13"),
    ],
)
def test_a_tie_is_rounded_away_from_zero(
    value: Decimal | Fraction, places: int, expected: str
) -> None:
    assert str(round_half_up(value, places)) == expected


def test_half_up_differs_from_the_bankers_rounding_of_decimal() -> None:
    value = Decimal("0.125")
    assert value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN) == Decimal("0.12")
    assert round_half_up(value) == Decimal("0.13")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(1, 3), "0.33"),
        (Fraction(2, 3), "0.67"),
        (Fraction(-2, 3), "-0.67"),
        (Fraction(1249999, 10**7), "0.12"),
        (Fraction(1250001, 10**7), "0.13"),
    ],
)
def test_an_exact_fraction_is_rounded_to_the_nearest_hundredth(
    value: Fraction, expected: str
) -> None:
    assert str(round_half_up(value)) == expected


def test_two_places_is_the_default_and_trailing_zeros_are_kept() -> None:
    result = round_half_up(1)
    assert str(result) == "1.00"
    assert result.as_tuple().exponent == -2


def test_zero_places_gives_an_integral_decimal() -> None:
    assert round_half_up(7, 0) == Decimal(7)
    assert round_half_up(Fraction(7, 2), 0) == Decimal(4)


def test_a_tiny_negative_value_rounds_to_an_unsigned_zero() -> None:
    assert str(round_half_up(Fraction(-1, 1000))) == "0.00"


def test_to_decimal_gives_twenty_eight_significant_digits() -> None:
    assert to_decimal(Fraction(1, 3)) == Decimal("0.3333333333333333333333333333")
    assert to_decimal(Fraction(1, 4)) == Decimal("0.25")


@settings(max_examples=200, deadline=None)
@given(
    value=st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6),
    places=st.integers(min_value=0, max_value=6),
)
def test_rounding_agrees_with_floor_of_the_value_plus_one_half(
    value: Fraction, places: int
) -> None:
    result = round_half_up(value, places)
    scale = 10**places
    sign = -1 if value < 0 else 1
    expected = sign * math.floor(abs(value) * scale + Fraction(1, 2))
    assert Fraction(result) == Fraction(expected, scale)
    assert result.as_tuple().exponent == -places
    assert abs(Fraction(result) - value) <= Fraction(1, 2 * scale)
