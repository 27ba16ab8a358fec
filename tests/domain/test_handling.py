"""IKU 3 and 4: percentage of events handled, with "no events" explicit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.handling import HandlingResult, handling_percentage


def test_a_period_without_events_says_no_events_and_has_no_percentage() -> None:
    result = handling_percentage(total=0, handled=0)
    assert result.no_events
    assert result.percent is None
    assert result.percent != Decimal(0)
    assert result.percent != Decimal(100)
    assert result.open == 0


@pytest.mark.parametrize(
    ("handled", "total", "percent"),
    [
        (1, 3, "33.33"),
        (2, 3, "66.67"),
        (1, 8, "12.50"),
        (0, 5, "0.00"),
        (5, 5, "100.00"),
        (7, 9, "77.78"),
    ],
)
def test_the_percentage_is_rounded_half_up_to_two_places(
    handled: int, total: int, percent: str
) -> None:
    result = handling_percentage(total=total, handled=handled)
    assert result.percent is not None
    assert str(result.percent) == percent
    assert not result.no_events


@pytest.mark.parametrize(
    ("handled", "total", "places", "percent"),
    [
        (1, 32, 2, "3.13"),  # 3.125
        (1, 16, 1, "6.3"),  # 6.25
        (1, 8, 0, "13"),  # 12.5
        (3, 8, 0, "38"),  # 37.5
        (1, 3, 0, "33"),
        (2, 3, 4, "66.6667"),
    ],
)
def test_a_tie_is_rounded_up_at_the_requested_number_of_places(
    handled: int, total: int, places: int, percent: str
) -> None:
    result = handling_percentage(total=total, handled=handled, places=places)
    assert str(result.percent) == percent


def test_open_events_are_those_not_handled() -> None:
    assert handling_percentage(total=7, handled=4).open == 3


def test_more_handled_than_events_is_refused() -> None:
    with pytest.raises(ValueError, match="melebihi"):
        handling_percentage(total=2, handled=3)


@pytest.mark.parametrize(("total", "handled"), [(-1, 0), (3, -1), (-2, -3)])
def test_a_negative_count_is_refused(total: int, handled: int) -> None:
    with pytest.raises(ValueError, match="negatif"):
        handling_percentage(total=total, handled=handled)


def test_the_result_keeps_both_counts() -> None:
    assert handling_percentage(total=4, handled=1) == HandlingResult(4, 1, Decimal("25.00"))


# Up to 19999 events: from 20000 on, half-up at 2 places shows (n-1)/n as 100.00 and
# 1/n as 0.00 (for example 19999/20000 = 99.995%), see the report of these tests.
@settings(max_examples=200, deadline=None)
@given(data=st.data(), total=st.integers(min_value=0, max_value=19999))
def test_the_percentage_is_within_0_and_100_and_is_100_exactly_when_all_are_handled(
    data: st.DataObject, total: int
) -> None:
    handled = data.draw(st.integers(min_value=0, max_value=total))
    result = handling_percentage(total=total, handled=handled)
    assert result.open == total - handled
    assert result.no_events == (total == 0)
    if total == 0:
        assert result.percent is None
        return
    assert result.percent is not None
    assert Decimal(0) <= result.percent <= Decimal(100)
    assert (result.percent == 100) == (handled == total)
    assert (result.percent == 0) == (handled == 0)
    assert result.percent.as_tuple().exponent == -2
