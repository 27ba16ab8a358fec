"""ISO weeks, the digest's table period and arrows: the rules without a database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.digest import IsoWeek, Trend, WeekPoint, _trend, table_period
from domain.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-W47", (2026, 47)), ("2026w7", (2026, 7)), (" 2026-W01 ", (2026, 1))],
)
def test_weeks_are_parsed(text: str, expected: tuple[int, int]) -> None:
    week = IsoWeek.parse(text)
    assert (week.year, week.week) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("minggu lalu", "tidak dikenali"),
        ("2026-47", "tidak dikenali"),
        ("2025-W53", "tahun 2025 punya 52 minggu ISO"),
        ("2026-W00", "tidak ada"),
        ("1999-W10", "di luar rentang"),
        ("２０２６-W47", "tidak dikenali"),
    ],
)
def test_bad_weeks_are_refused_in_indonesian(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        IsoWeek.parse(text)


def test_week_bounds_and_neighbours() -> None:
    week = IsoWeek(2026, 53)  # 2026 has 53 ISO weeks: 28 Dec 2026 - 3 Jan 2027
    assert (week.start, week.end) == (date(2026, 12, 28), date(2027, 1, 3))
    assert week.previous() == IsoWeek(2026, 52)
    assert IsoWeek.of(date(2027, 1, 3)) == week
    assert IsoWeek(2027, 1).previous() == week
    assert week.key == "2026-W53"


def test_the_table_of_a_week_across_new_year_is_the_year_of_its_monday() -> None:
    today = date(2027, 2, 1)
    last = table_period(IsoWeek(2026, 53), today)
    assert (last.start, last.end) == (date(2026, 1, 1), date(2026, 12, 31))
    first = table_period(IsoWeek(2027, 1), today)
    assert (first.start, first.end) == (date(2027, 1, 1), date(2027, 1, 10))
    # 2026-W01 starts on Monday 29 December 2025: it closes the year 2025.
    opening = table_period(IsoWeek(2026, 1), today)
    assert (opening.start, opening.end) == (date(2025, 1, 1), date(2025, 12, 31))


def test_the_table_of_the_running_week_stops_today() -> None:
    period = table_period(IsoWeek(2026, 48), date(2026, 11, 25))
    assert (period.start, period.end) == (date(2026, 1, 1), date(2026, 11, 25))


@pytest.mark.parametrize(
    ("now", "before", "comparable", "trend"),
    [
        (Decimal("3"), Decimal("2"), True, Trend.UP),
        (Decimal("66.67"), Decimal("100.00"), True, Trend.DOWN),
        (Decimal("50.00"), Decimal("50"), True, Trend.SAME),
        (Decimal("1"), None, True, Trend.NEW),
        (None, Decimal("1"), True, Trend.NONE),
        (Decimal("1"), Decimal("0"), False, Trend.NONE),
    ],
)
def test_trends(
    now: Decimal | None, before: Decimal | None, comparable: bool, trend: Trend
) -> None:
    assert _trend(now, before, comparable) is trend


def test_the_handled_share_of_a_week_is_rounded_half_up() -> None:
    week = IsoWeek(2026, 48)
    assert WeekPoint(week, 2, 1, 2).handled_percent == Decimal("66.67")
    assert WeekPoint(week, 1, 7, 1).handled_percent == Decimal("12.50")
    assert WeekPoint(week, 0, 0, 0).handled_percent is None
