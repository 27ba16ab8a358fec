"""Rounding at the edge: exact fractions to printed decimals, half-up."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

__all__ = ["round_half_up", "to_decimal"]


def round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """Round an exact value half-up (away from zero on a tie) to ``places`` decimals."""
    frac = Fraction(value)
    sign = -1 if frac < 0 else 1
    scaled = abs(frac) * 10**places
    whole = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    return Decimal(sign * whole).scaleb(-places)


def to_decimal(value: Fraction) -> Decimal:
    """A fraction as a ``Decimal`` in the default context (28 significant digits)."""
    return Decimal(value.numerator) / Decimal(value.denominator)
