"""Reporting periods: inclusive calendar days, half-open instants in the office's time zone."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.period import Period

WIB = ZoneInfo("Asia/Jakarta")


def test_a_year_runs_from_1_january_to_31_december() -> None:
    period = Period.year(2024)
    assert (period.start, period.end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert period.label == "Tahun 2024"


@pytest.mark.parametrize(
    ("number", "start", "end"),
    [(1, date(2025, 1, 1), date(2025, 6, 30)), (2, date(2025, 7, 1), date(2025, 12, 31))],
)
def test_semester_one_ends_30_june_and_semester_two_starts_1_july(
    number: int, start: date, end: date
) -> None:
    period = Period.semester(2025, number)
    assert (period.start, period.end) == (start, end)
    assert period.label == f"Semester {number} Tahun 2025"


@pytest.mark.parametrize(
    ("number", "start", "end"),
    [
        (1, date(2025, 1, 1), date(2025, 3, 31)),
        (2, date(2025, 4, 1), date(2025, 6, 30)),
        (3, date(2025, 7, 1), date(2025, 9, 30)),
        (4, date(2025, 10, 1), date(2025, 12, 31)),
    ],
)
def test_each_quarter_runs_over_its_three_months(number: int, start: date, end: date) -> None:
    period = Period.quarter(2025, number)
    assert (period.start, period.end) == (start, end)
    assert period.label == f"Triwulan {number} Tahun 2025"


@pytest.mark.parametrize(("year", "days"), [(2024, 91), (2025, 90), (2000, 91), (2100, 90)])
def test_quarter_one_ends_31_march_and_holds_29_february_in_a_leap_year(
    year: int, days: int
) -> None:
    period = Period.quarter(year, 1)
    assert period.end == date(year, 3, 31)
    assert (period.end - period.start).days + 1 == days
    assert Period.semester(year, 1).end == date(year, 6, 30)
    if days == 91:
        assert period.contains(date(year, 2, 29))


@pytest.mark.parametrize("year", [2024, 2025])
def test_quarters_and_semesters_tile_the_year_without_gap_or_overlap(year: int) -> None:
    for parts in (
        [Period.quarter(year, n) for n in (1, 2, 3, 4)],
        [Period.semester(year, n) for n in (1, 2)],
    ):
        assert parts[0].start == Period.year(year).start
        assert parts[-1].end == Period.year(year).end
        for before, after in itertools.pairwise(parts):
            assert after.start == before.end + timedelta(days=1)


@pytest.mark.parametrize("number", [0, 3, -1])
def test_a_semester_other_than_one_or_two_is_refused(number: int) -> None:
    with pytest.raises(ValueError, match="semester"):
        Period.semester(2025, number)


@pytest.mark.parametrize("number", [0, 5, -1])
def test_a_quarter_other_than_one_to_four_is_refused(number: int) -> None:
    with pytest.raises(ValueError, match="triwulan"):
        Period.quarter(2025, number)


@pytest.mark.parametrize("year", [1999, 2101, 0, -2024])
def test_a_year_outside_2000_to_2100_is_refused(year: int) -> None:
    for make in (Period.year, lambda y: Period.semester(y, 1), lambda y: Period.quarter(y, 1)):
        with pytest.raises(ValueError, match="tahun"):
            make(year)


@pytest.mark.parametrize("year", [2000, 2100])
def test_the_years_2000_and_2100_are_accepted(year: int) -> None:
    assert Period.year(year).year_of_record == year


def test_a_range_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="sebelum"):
        Period.between(date(2025, 3, 2), date(2025, 3, 1))
    with pytest.raises(ValueError, match="sebelum"):
        Period(date(2025, 3, 2), date(2025, 3, 1), "x")


def test_a_range_of_a_single_day_is_accepted() -> None:
    period = Period.between(date(2025, 3, 1), date(2025, 3, 1))
    assert period.contains(date(2025, 3, 1))
    assert period.label == "2025-03-01 s.d. 2025-03-01"


def test_a_range_across_new_year_is_recorded_in_the_year_it_ends() -> None:
    period = Period.between(date(2024, 12, 1), date(2025, 1, 31))
    assert period.year_of_record == 2025


def test_year_to_date_runs_from_1_january_to_today() -> None:
    period = Period.year_to_date(date(2025, 5, 17))
    assert (period.start, period.end) == (date(2025, 1, 1), date(2025, 5, 17))
    assert period.year_of_record == 2025
    assert period.label == "Tahun 2025 s.d. 2025-05-17"


def test_the_utc_bounds_in_jakarta_start_at_17_utc_the_day_before() -> None:
    start, end = Period.year(2024).utc_bounds(WIB)
    assert start == datetime(2023, 12, 31, 17, 0, tzinfo=UTC)
    assert end == datetime(2024, 12, 31, 17, 0, tzinfo=UTC)
    assert (start.astimezone(WIB).time(), end.astimezone(WIB).time()) == (time(0), time(0))
    assert end.astimezone(WIB).date() == date(2025, 1, 1)


def test_the_utc_bounds_of_a_single_day_span_24_hours() -> None:
    start, end = Period.between(date(2025, 8, 17), date(2025, 8, 17)).utc_bounds(WIB)
    assert start == datetime(2025, 8, 16, 17, tzinfo=UTC)
    assert end - start == timedelta(hours=24)


def test_contains_includes_both_ends_and_nothing_outside() -> None:
    period = Period.quarter(2025, 2)
    assert period.contains(date(2025, 4, 1))
    assert period.contains(date(2025, 6, 30))
    assert not period.contains(date(2025, 3, 31))
    assert not period.contains(date(2025, 7, 1))


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    length=st.integers(min_value=0, max_value=400),
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2101, 12, 31)),
    moment=st.times(),
)
def test_an_instant_of_a_day_lies_within_the_utc_bounds_exactly_when_the_day_is_contained(
    start: date, length: int, day: date, moment: time
) -> None:
    period = Period.between(start, start + timedelta(days=length))
    lower, upper = period.utc_bounds(WIB)
    instant = datetime.combine(day, moment, tzinfo=WIB)
    assert (lower <= instant < upper) == period.contains(day)
