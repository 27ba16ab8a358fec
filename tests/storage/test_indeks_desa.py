"""IKU 1 by the index of its year: IDM (<= 2024) and Indeks Desa (2025 on), on both
engines and in the in-memory fake alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.reports.iku import report_json, report_text
from domain.idm import IdmStatus, VillageIndex
from domain.models import IdmResult, IndicatorCode
from domain.period import Period
from domain.ports import UnitOfWork
from domain.report import iku_report
from storage.seed import packaged_kecamatan
from tests.fakes import InMemoryDatabase

UowFactory = Callable[[], UnitOfWork]
NOW = datetime(2026, 3, 5, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
DECREE = "Kepmendes No. 343 Tahun 2025"
DIMENSI = {
    "layanan_dasar": Decimal("90.5"),
    "sosial": Decimal("80"),
    "ekonomi": Decimal("75.25"),
    "lingkungan": Decimal("70"),
    "aksesibilitas": Decimal("88"),
    "tata_kelola_pemerintahan": Decimal("95"),
}


def _scenario(factory: UowFactory) -> dict[str, Any]:
    seed = packaged_kecamatan("35.28.08")
    assert seed is not None
    with factory() as uow:
        kec, _ = uow.kecamatan.upsert(seed)
        desa = uow.desa.list_by_kecamatan(kec.id)
        idm = [
            # Exactly at the threshold: Maju, not Mandiri (strict, unrounded).
            (Decimal("0.8155"), IdmStatus.MAJU, "Maju"),
            (Decimal("0.81550000000001"), IdmStatus.MANDIRI, "Mandiri"),
            # Published Mandiri but its score gives Maju: flagged, counted by the score.
            (Decimal("0.80000000000000"), IdmStatus.MAJU, "MANDIRI"),
        ]
        for d, (score, status, published) in zip(desa, idm, strict=False):
            uow.idm.upsert(
                IdmResult(d.id, 2024, score, status, status_published=published, source="a.json")
            )
        indeks_desa = [
            # A high score does not make a desa Mandiri: the decree's status counts.
            (Decimal("85"), IdmStatus.MAJU),
            (Decimal("100"), IdmStatus.MANDIRI),
            (Decimal("60.12"), IdmStatus.MANDIRI),
        ]
        for d, (score, status) in zip(desa, indeks_desa, strict=False):
            uow.idm.upsert(
                IdmResult(
                    d.id,
                    2025,
                    score,
                    status,
                    status_published=status.label,
                    source="indeks-2025.csv",
                    index=VillageIndex.INDEKS_DESA,
                    dimensions=DIMENSI if score == 100 else None,
                    status_source=DECREE,
                )
            )
        uow.commit()
    with factory() as uow:
        y2024 = iku_report(uow, kecamatan_code="35.28.08", period=Period.year(2024), now=NOW)
        y2025 = iku_report(uow, kecamatan_code="35.28.08", period=Period.year(2025), now=NOW)
        stored = uow.idm.get(desa[1].id, 2025)
    return {"2024": y2024, "2025": y2025, "stored": stored, "desa": desa}


def _check(result: dict[str, Any]) -> None:
    desa = result["desa"]
    y2024, y2025 = result["2024"], result["2025"]
    row = y2024.row(IndicatorCode.DESA_MANDIRI)
    assert row.realisasi == Decimal(1)
    assert "IDM tahun 2024: dihitung desa dengan IDM > 0,8155 (sumber: a.json)" in row.keterangan
    assert f"{desa[2].nama} (terbit MANDIRI, dari skor Maju)" in row.keterangan
    assert [d.kode for d, _ in y2024.idm.flagged] == [desa[2].kode]
    row = y2025.row(IndicatorCode.DESA_MANDIRI)
    assert row.realisasi == Decimal(2)
    assert "Indeks Desa tahun 2025: dihitung desa dengan status Indeks Desa Mandiri" in (
        row.keterangan
    )
    assert f"(sumber: {DECREE})" in row.keterangan
    assert y2025.idm.flagged == []
    stored = result["stored"]
    assert stored.index is VillageIndex.INDEKS_DESA
    assert stored.score == Decimal(100)
    assert stored.dimensions == DIMENSI
    assert stored.status_source == DECREE


def test_each_year_is_counted_by_the_rule_of_its_index(uow_factory: UowFactory) -> None:
    result = _scenario(uow_factory)
    _check(result)
    text = report_text(result["2025"])
    assert "Indeks Desa 100,00 Mandiri" in text
    text = report_text(result["2024"])
    assert "(terbit MANDIRI: ditandai)" in text
    detail = next(
        i for i in report_json(result["2025"])["indicators"] if i["code"] == "desa_mandiri"
    )
    assert "Indeks Desa" in detail["keterangan"]
    assert detail["detail"]["indeks"] == ["indeks_desa"]
    assert detail["detail"]["sumber"] == {"indeks_desa": [DECREE]}
    first, second = detail["detail"]["desa"][:2]
    assert (first["skor"], first["status"], first["idm"]) == (85, "maju", None)
    assert second["dimensi"]["tata_kelola_pemerintahan"] == 95
    flagged = next(
        i for i in report_json(result["2024"])["indicators"] if i["code"] == "desa_mandiri"
    )["detail"]
    assert flagged["ditandai"] == [result["desa"][2].kode]


def test_the_fake_counts_and_stores_as_the_database_does(uow_factory: UowFactory) -> None:
    expected = _scenario(uow_factory)
    actual = _scenario(InMemoryDatabase().unit_of_work)
    _check(actual)
    for key in ("2024", "2025"):
        assert actual[key].rows == expected[key].rows
        assert actual[key].idm.per_desa == expected[key].idm.per_desa
    assert actual["stored"] == expected["stored"]
