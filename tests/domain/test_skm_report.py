"""domain.skm_report: weakest and strongest unsur, the previous period, the trend, the RTL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.export import UnsurLine, unsur_lines
from domain.period import Period
from domain.skm import UNSUR, UnsurTotal, skm_from_totals
from domain.skm_report import (
    Direction,
    PeriodKind,
    lowest,
    next_period,
    period_kind,
    previous_period,
    proposed_rows,
    strongest,
    trend,
    weakest,
)

# domain.md's worked check: 29 respondents, NIK 91.48.
WORKED = (105, 101, 100, 116, 102, 105, 106, 105, 115)
KEGIATAN = {key: f"Perbaiki {key}" for key in UNSUR}


def _lines(totals: tuple[int, ...], answered: int = 29) -> list[UnsurLine]:
    return unsur_lines({key: UnsurTotal(t, answered) for key, t in zip(UNSUR, totals, strict=True)})


def test_weakest_and_strongest_of_the_worked_example() -> None:
    """Waktu 100/29 = 3.4483 is lowest, biaya 116/29 = 4.0000 highest."""
    lines = _lines(WORKED)
    low, high = weakest(lines), strongest(lines)
    assert low is not None
    assert high is not None
    assert (low.key, low.nrr) == ("waktu", Decimal("3.4483"))
    assert (high.key, high.nrr) == ("biaya", Decimal("4.0000"))
    assert [line.key for line in lowest(lines, 3)] == ["waktu", "prosedur", "produk"]


def test_ties_go_to_the_lower_unsur_number() -> None:
    lines = _lines((100,) * 9)
    assert [line.number for line in lowest(lines, 3)] == [1, 2, 3]
    low, high = weakest(lines), strongest(lines)
    assert low is not None
    assert high is not None
    assert (low.number, high.number) == (1, 1)


def test_an_unsur_nobody_answered_is_neither_weakest_nor_strongest() -> None:
    totals = {key: UnsurTotal(10, 5) for key in UNSUR} | {"persyaratan": UnsurTotal(0, 0)}
    lines = unsur_lines(totals)
    low = weakest(lines)
    assert low is not None
    assert low.key == "prosedur"
    assert weakest(unsur_lines({})) is None
    assert strongest(unsur_lines({})) is None


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (Period.year(2026), Period.year(2025)),
        (Period.semester(2026, 1), Period.semester(2025, 2)),
        (Period.semester(2026, 2), Period.semester(2026, 1)),
        (Period.quarter(2026, 1), Period.quarter(2025, 4)),
        (Period.quarter(2026, 3), Period.quarter(2026, 2)),
    ],
)
def test_the_previous_period_has_the_same_length(period: Period, expected: Period) -> None:
    assert previous_period(period) == expected
    assert next_period(expected) == period


def test_a_period_of_another_shape_has_no_previous_one() -> None:
    odd = Period.between(date(2026, 3, 1), date(2026, 3, 31))
    assert period_kind(odd) == (PeriodKind.OTHER, 0)
    assert previous_period(odd) is None
    assert previous_period(Period.year(2000)) is None
    assert next_period(Period.quarter(2100, 4)) is None
    assert period_kind(Period.between(date(2026, 1, 1), date(2026, 12, 31)))[0] is PeriodKind.YEAR


def test_trend_compares_the_printed_nik() -> None:
    worked = skm_from_totals(
        {key: UnsurTotal(t, 29) for key, t in zip(UNSUR, WORKED, strict=True)}, 29
    )
    all_ones = skm_from_totals({key: UnsurTotal(1, 1) for key in UNSUR}, 1)
    assert worked is not None
    assert all_ones is not None
    before = Period.semester(2025, 2)
    up = trend(worked, before, all_ones)
    assert (up.direction, up.change) == (Direction.NAIK, Decimal("66.48"))
    down = trend(all_ones, before, worked)
    assert (down.direction, down.change) == (Direction.TURUN, Decimal("-66.48"))
    same = trend(worked, before, worked)
    assert (same.direction, same.change) == (Direction.TETAP, Decimal("0.00"))
    none = trend(worked, before, None)
    assert (none.direction, none.change, none.current_nik) == (None, None, Decimal("91.48"))
    assert trend(None, before, worked).direction is None


def test_proposed_rows_are_the_three_lowest_unsur_with_status_usulan() -> None:
    totals = {key: UnsurTotal(t, 29) for key, t in zip(UNSUR, WORKED, strict=True)}
    rows = proposed_rows(
        totals,
        kegiatan=KEGIATAN,
        penanggung_jawab="Seksi Pelayanan",
        batas_waktu=date(2026, 12, 31),
    )
    assert [row.unsur for row in rows] == [
        "U3 Waktu Penyelesaian",
        "U2 Sistem, Mekanisme, dan Prosedur",
        "U5 Produk Spesifikasi Jenis Pelayanan",
    ]
    assert {row.status for row in rows} == {"Usulan"}
    assert rows[0].kegiatan == "Perbaiki waktu"
    assert {row.batas_waktu for row in rows} == {date(2026, 12, 31)}
    assert {row.selesai_pada for row in rows} == {None}
    nothing = proposed_rows(
        {}, kegiatan=KEGIATAN, penanggung_jawab="x", batas_waktu=date(2026, 1, 1)
    )
    assert nothing == []
