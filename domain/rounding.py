"""Rounding at the edge: exact fractions to printed decimals, half-up."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

__all__ = ["round_half_up", "to_decimal"]


def exact(value: Fraction | Decimal | int | float) -> Fraction:
    """A number as an exact fraction; a float is read as the decimal it prints as.

    ``Fraction(0.8155)`` is the binary value just above 0.8155; a person who types or
    passes 0.8155 means 0.8155, so a float goes through its shortest round-trip
    representation (``repr``) first. NaN, infinities and booleans are refused.
    """
    if isinstance(value, bool):
        raise TypeError("nilai logika (True/False) bukan angka")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"angka tidak terhingga atau bukan angka: {value!r}")
        return Fraction(Decimal(repr(value)))
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"angka tidak terhingga atau bukan angka: {value}")
    return Fraction(value)


def round_half_up(value: Fraction | Decimal | int | float, places: int = 2) -> Decimal:
    """Round an exact value half-up (away from zero on a tie) to ``places`` decimals.

    A float is read as the decimal it prints as (see :func:`exact`).
    """
    frac = exact(value)
    sign = -1 if frac < 0 else 1
    scaled = abs(frac) * 10**places
    whole = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    return Decimal(sign * whole).scaleb(-places)


def to_decimal(value: Fraction) -> Decimal:
    """A fraction as a ``Decimal`` in the default context (28 significant digits)."""
    return Decimal(value.numerator) / Decimal(value.denominator)
