"""Property tests of the SKM computation, checked against an independent exact computation."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.rounding import round_half_up
from domain.skm import UNSUR, UnsurTotal, compute_skm, min_sample, skm_from_totals

Answers = dict[str, int | None]

# A code per unsur: 1-4 a score, 0 unanswered as None, 5 unanswered as a missing key.
# Satisfied respondents are drawn as often as mixed ones, so that every grade comes up.
CODES = st.one_of(
    st.tuples(*[st.integers(min_value=0, max_value=5)] * len(UNSUR)),
    st.tuples(*[st.sampled_from((4, 4, 4, 3, 3, 0, 5))] * len(UNSUR)),
)


@st.composite
def answer_sets(draw: st.DrawFn) -> list[Answers]:
    """A non-empty list of valid answer sets in which every unsur is answered at least once.

    Every respondent answers at least one unsur; an unanswered one is None or a missing key.
    """
    codes = draw(st.lists(CODES, min_size=1, max_size=25))
    grid = [list(row) for row in codes]
    for number, row in enumerate(grid):
        if all(code in (0, 5) for code in row):
            row[number % len(UNSUR)] = 1 + number % 4
    for column, _ in enumerate(UNSUR):
        if all(row[column] in (0, 5) for row in grid):
            grid[column % len(grid)][column] = 1 + column % 4
    rows: list[Answers] = []
    for row in grid:
        answers: Answers = {}
        for key, code in zip(UNSUR, row, strict=True):
            if code != 5:
                answers[key] = code or None
        rows.append(answers)
    return rows


def exact_nrr(rows: list[Answers]) -> dict[str, Fraction]:
    """NRR per unsur computed here, independently of the domain."""
    result: dict[str, Fraction] = {}
    for key in UNSUR:
        scores = [score for row in rows if (score := row.get(key)) is not None]
        result[key] = Fraction(sum(scores), len(scores))
    return result


def half_up(value: Fraction, places: int) -> Decimal:
    """An independent half-up rounding of a non-negative exact value."""
    assert value >= 0
    scaled = math.floor(value * 10**places + Fraction(1, 2))
    return Decimal(scaled).scaleb(-places)


def expected_letter(nik: Decimal) -> str:
    if nik >= Decimal("88.31"):
        return "A"
    if nik >= Decimal("76.61"):
        return "B"
    if nik >= Decimal("65.00"):
        return "C"
    return "D"


FAST = settings(max_examples=200, deadline=None)


@FAST
@given(rows=answer_sets())
def test_the_nik_always_lies_between_25_and_100_with_two_places(rows: list[Answers]) -> None:
    result = compute_skm(rows)
    assert Decimal(25) <= result.nik <= Decimal(100)
    assert result.nik.as_tuple().exponent == -2
    assert Decimal(1) <= result.ikm <= Decimal(4)
    assert result.respondents == len(rows)


@FAST
@given(rows=answer_sets())
def test_the_nik_is_the_mean_of_the_exact_nrr_times_25_rounded_half_up(rows: list[Answers]) -> None:
    result = compute_skm(rows)
    nrr = exact_nrr(rows)
    mean = sum(nrr.values(), Fraction(0)) / 9
    assert result.ikm_exact == mean
    assert result.nik == half_up(mean * 25, 2)
    for key in UNSUR:
        assert abs(Fraction(result.nrr[key]) - nrr[key]) < Fraction(1, 10**20)
        assert result.nrr_rounded()[key] == half_up(nrr[key], 4)


@FAST
@given(rows=answer_sets())
def test_the_mutu_is_the_grade_of_the_printed_nik(rows: list[Answers]) -> None:
    result = compute_skm(rows)
    assert result.mutu == expected_letter(result.nik)
    kinerja = {"A": "Sangat baik", "B": "Baik", "C": "Kurang baik", "D": "Tidak baik"}
    assert result.kinerja == kinerja[result.mutu]


@FAST
@given(rows=answer_sets(), data=st.data())
def test_the_order_of_the_respondents_does_not_change_the_result(
    rows: list[Answers], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(rows))
    assert compute_skm(shuffled) == compute_skm(rows)


@FAST
@given(rows=answer_sets())
def test_the_result_equals_the_result_from_the_summed_totals(rows: list[Answers]) -> None:
    totals: dict[str, UnsurTotal] = {}
    for key in UNSUR:
        scores = [score for row in rows if (score := row.get(key)) is not None]
        totals[key] = UnsurTotal(sum(scores), len(scores))
    assert skm_from_totals(totals, len(rows)) == compute_skm(rows)


@FAST
@given(rows=answer_sets())
def test_the_ikm_times_25_rounded_half_up_is_the_nik(rows: list[Answers]) -> None:
    result = compute_skm(rows)
    assert round_half_up(result.ikm * 25, 2) == result.nik
    assert round_half_up(result.ikm_exact * 25, 2) == result.nik


@FAST
@given(population=st.integers(min_value=1, max_value=10**8))
def test_the_minimum_sample_never_exceeds_the_population_nor_384(population: int) -> None:
    sample = min_sample(population)
    assert 1 <= sample <= min(population, 384)
    assert sample <= min_sample(population + 1)
