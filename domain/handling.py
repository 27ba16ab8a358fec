"""IKU 3 and 4: the percentage of conflicts / trantibum events handled.

A period without events is neither 0% nor 100%: the result says "no events"
explicitly (decided, domain.md) and carries no percentage.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from domain.rounding import round_half_up

__all__ = ["HandlingResult", "handling_percentage"]


@dataclass(frozen=True, slots=True)
class HandlingResult:
    """Handled events out of all events; ``percent`` is None when there were none."""

    total: int
    handled: int
    percent: Decimal | None

    @property
    def no_events(self) -> bool:
        """True when the period had no event at all."""
        return self.total == 0

    @property
    def open(self) -> int:
        """Events not (yet) handled."""
        return self.total - self.handled


def handling_percentage(total: int, handled: int, places: int = 2) -> HandlingResult:
    """handled / total x 100%, rounded half-up to ``places`` decimals."""
    if total < 0 or handled < 0:
        raise ValueError("jumlah kejadian tidak boleh negatif")
    if handled > total:
        raise ValueError(f"tertangani ({handled}) melebihi jumlah kejadian ({total})")
    if total == 0:
        return HandlingResult(total=0, handled=0, percent=None)
    return HandlingResult(
        total=total,
        handled=handled,
        percent=round_half_up(Fraction(handled * 100, total), places),
    )
