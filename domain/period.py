"""Reporting periods: a year, a semester, a quarter or any date range (inclusive)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

__all__ = ["Period"]


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive range of calendar days in the office's time zone."""

    start: date
    end: date
    label: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"akhir periode ({self.end}) sebelum awalnya ({self.start})")

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year."""
        _check_year(year)
        return cls(date(year, 1, 1), date(year, 12, 31), f"Tahun {year}")

    @classmethod
    def semester(cls, year: int, number: int) -> Period:
        """Semester 1 (January-June) or 2 (July-December)."""
        _check_year(year)
        if number not in (1, 2):
            raise ValueError(f"semester harus 1 atau 2 (diterima: {number})")
        first_month = 1 if number == 1 else 7
        return cls(
            date(year, first_month, 1),
            _month_end(year, first_month + 5),
            f"Semester {number} Tahun {year}",
        )

    @classmethod
    def quarter(cls, year: int, number: int) -> Period:
        """Quarter (triwulan) 1-4."""
        _check_year(year)
        if number not in (1, 2, 3, 4):
            raise ValueError(f"triwulan harus 1 sampai 4 (diterima: {number})")
        first_month = 3 * (number - 1) + 1
        return cls(
            date(year, first_month, 1),
            _month_end(year, first_month + 2),
            f"Triwulan {number} Tahun {year}",
        )

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        """Any inclusive date range."""
        return cls(start, end, f"{start.isoformat()} s.d. {end.isoformat()}")

    @classmethod
    def year_to_date(cls, today: date) -> Period:
        """From 1 January to ``today``."""
        return cls(date(today.year, 1, 1), today, f"Tahun {today.year} s.d. {today.isoformat()}")

    @property
    def year_of_record(self) -> int:
        """The year whose yearly indicators (IDM, desa tematik, targets) apply.

        Decided: the year of the period's last day, so that a range crossing New
        Year reports against the year it ends in.
        """
        return self.end.year

    def contains(self, day: date) -> bool:
        """True if ``day`` falls within the period."""
        return self.start <= day <= self.end

    def utc_bounds(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """Half-open [start, end) instants of the period's days in time zone ``tz``."""
        start = datetime.combine(self.start, time.min, tzinfo=tz)
        end = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz)
        return start, end


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValueError(f"tahun harus di antara 2000 dan 2100 (diterima: {year})")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
