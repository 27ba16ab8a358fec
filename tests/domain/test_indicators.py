"""The five IKU of the signed table and capaian."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.indicators import INDICATORS, SUMBER_IDM, SUMBER_LAPORAN, capaian
from domain.models import IndicatorCode, Seksi


def test_the_five_indicators_come_in_the_order_of_the_signed_table() -> None:
    assert [i.code.value for i in INDICATORS] == [
        "desa_mandiri",
        "desa_tematik",
        "konflik_tertangani",
        "trantibum_tertangani",
        "skm",
    ]
    assert [i.number for i in INDICATORS] == [1, 2, 3, 4, 5]
    assert {i.code for i in INDICATORS} == set(IndicatorCode)


def test_each_indicator_is_owned_by_its_seksi() -> None:
    assert [i.owner for i in INDICATORS] == [
        Seksi.PPD,
        Seksi.PMD,
        Seksi.KESBANG,
        Seksi.TRANTIB,
        Seksi.PELAYANAN,
    ]


def test_only_desa_mandiri_is_sourced_from_the_idm() -> None:
    assert [i.sumber_data for i in INDICATORS] == [SUMBER_IDM] + [SUMBER_LAPORAN] * 4


def test_the_units_are_desa_percent_and_nik() -> None:
    assert [i.satuan for i in INDICATORS] == ["desa", "desa", "%", "%", "NIK"]


def test_desa_mandiri_counts_an_idm_strictly_above_0_8155() -> None:
    assert "lebih besar (>) dari 0,8155" in INDICATORS[0].formula


def test_the_kinerja_utama_names_the_kecamatan() -> None:
    assert INDICATORS[0].kinerja_for("Larangan") == (
        "Mendorong Tumbuhnya Desa Mandiri/Maju/Tematik di Wilayah Kecamatan Larangan"
    )
    assert all("{" not in i.kinerja_for("Larangan") for i in INDICATORS)


@pytest.mark.parametrize(
    ("realisasi", "target", "expected"),
    [
        (2, 3, "66.67"),
        (Decimal("91.48"), Decimal("88.31"), "103.59"),
        (5, 5, "100.00"),
        (0, 5, "0.00"),
        (1, 8, "12.50"),
        (1, 32, "3.13"),  # 3.125 rounded half-up
        (Decimal("100.00"), 100, "100.00"),
        (Decimal("50"), Decimal("80"), "62.50"),
    ],
)
def test_capaian_is_realisasi_over_target_times_100_half_up_to_two_places(
    realisasi: Decimal | int, target: Decimal | int, expected: str
) -> None:
    result = capaian(realisasi, target)
    assert result is not None
    assert str(result) == expected


@pytest.mark.parametrize(
    ("realisasi", "target"),
    [(3, None), (3, 0), (Decimal("3"), Decimal("0.00")), (None, 5), (None, None)],
)
def test_capaian_is_none_when_the_target_or_realisasi_is_missing_or_the_target_is_zero(
    realisasi: Decimal | int | None, target: Decimal | int | None
) -> None:
    assert capaian(realisasi, target) is None
