"""The progress of the desa over the years, on the in-memory unit of work: statuses per
year as IKU 1 counts them, changes between years with data, counts per status, and the
desa closest to their next status (official IDM gaps, Indeks Desa estimates)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.desa_progress import Change, ProgressReport, YearStatus, closest_to_next, desa_progress
from domain.idm import IdmStatus, VillageIndex, idm_status
from domain.indicators import FORMULA_INDEKS_DESA, INDICATORS, SUMBER_IDM, SUMBER_INDEKS_DESA
from domain.models import Desa, IdmResult, IndicatorCode, Kecamatan
from domain.period import Period
from domain.ports import UnitOfWork
from domain.report import IkuRow, iku_report
from storage.seed import packaged_kecamatan, seed_kecamatan
from tests.factories import make_desa
from tests.fakes import InMemoryDatabase

S = IdmStatus
DECREE = "Kepmendes No. 343 Tahun 2025"


def idm(desa: Desa, tahun: int, score: str, published: str | None = None) -> IdmResult:
    value = Decimal(score)
    return IdmResult(
        desa_id=desa.id,
        tahun=tahun,
        score=value,
        status=idm_status(value),
        status_published=published,
        source="idm.json",
    )


def indeks(desa: Desa, tahun: int, score: str, status: IdmStatus) -> IdmResult:
    return IdmResult(
        desa_id=desa.id,
        tahun=tahun,
        score=Decimal(score),
        status=status,
        status_published=status.label,
        source="terbit.xlsx",
        index=VillageIndex.INDEKS_DESA,
        status_source=DECREE,
    )


@pytest.fixture
def db() -> InMemoryDatabase:
    database = InMemoryDatabase()
    seed = packaged_kecamatan("35.28.08")
    assert seed is not None
    with database.unit_of_work() as uow:
        seed_kecamatan(uow, replace(seed, layanan_contoh=()))
        uow.commit()
    return database


def seed_results(uow: UnitOfWork) -> tuple[Kecamatan, list[Desa]]:
    """Peltong, Blumbungan, Trasak, Tentenan Barat and Timur, 2022-2025 (not committed)."""
    kec = uow.kecamatan.get_by_code("35.28.08")
    assert kec is not None
    desa = uow.desa.list_by_kecamatan(kec.id)
    peltong, blumbungan, trasak, barat, timur = desa[:5]
    for result in (
        idm(peltong, 2022, "0.7000"),
        idm(peltong, 2023, "0.7100"),
        idm(peltong, 2024, "0.8155"),  # on the threshold: still Maju
        indeks(peltong, 2025, "85", S.MANDIRI),
        idm(blumbungan, 2022, "0.6000"),
        idm(blumbungan, 2024, "0.5989"),  # no 2023: compared with 2022
        indeks(blumbungan, 2025, "62.5", S.BERKEMBANG),
        idm(trasak, 2024, "0.7000", published="Mandiri"),  # flagged
        indeks(trasak, 2025, "70.25", S.MAJU),
        indeks(barat, 2025, "60", S.TERTINGGAL),
        indeks(timur, 2025, "50", S.SANGAT_TERTINGGAL),
    ):
        uow.idm.upsert(result)
    return kec, desa


def seed_history(db: InMemoryDatabase) -> tuple[Kecamatan, list[Desa]]:
    """The results of :func:`seed_results`, committed."""
    with db.unit_of_work() as uow:
        found = seed_results(uow)
        uow.commit()
    return found


def progress(
    db: InMemoryDatabase, kec: Kecamatan, last: int, first: int | None = None
) -> ProgressReport:
    with db.unit_of_work() as uow:
        return desa_progress(uow, kecamatan=kec, last=last, first=first)


def test_each_desa_has_the_status_iku_1_counts_per_year(db: InMemoryDatabase) -> None:
    kec, desa = seed_history(db)
    report = progress(db, kec, 2026)
    assert report.years == [2022, 2023, 2024, 2025]
    assert (report.first, report.last) == (2015, 2026)
    assert [p.desa.nama for p in report.desa] == [d.nama for d in desa]  # every desa, by code
    peltong, blumbungan, trasak = report.desa[:3]
    assert {t: y.status for t, y in peltong.years.items()} == {
        2022: S.BERKEMBANG,
        2023: S.MAJU,
        2024: S.MAJU,
        2025: S.MANDIRI,
    }
    assert peltong.at(2025) == YearStatus(
        2025, VillageIndex.INDEKS_DESA, S.MANDIRI, Decimal("85"), "Mandiri", False, DECREE
    )
    assert blumbungan.at(2023) is None
    flagged = trasak.at(2024)
    assert flagged is not None
    assert (flagged.status, flagged.published, flagged.flagged) == (S.BERKEMBANG, "Mandiri", True)
    assert report.desa[5].years == {}  # Grujugan: no data at all


def test_changes_are_read_between_consecutive_years_with_data(db: InMemoryDatabase) -> None:
    kec, _ = seed_history(db)
    report = progress(db, kec, 2025)
    peltong, blumbungan = report.desa[:2]
    assert [(t.dari_tahun, t.ke_tahun, t.change, t.across_index) for t in peltong.transitions] == [
        (2022, 2023, Change.NAIK, False),
        (2023, 2024, Change.TETAP, False),
        (2024, 2025, Change.NAIK, True),
    ]
    assert [(t.dari_tahun, t.ke_tahun, t.change) for t in blumbungan.transitions] == [
        (2022, 2024, Change.TURUN),
        (2024, 2025, Change.NAIK),
    ]
    assert report.changes(2024) == {Change.NAIK: 0, Change.TURUN: 1, Change.TETAP: 1}
    assert report.changes(2025) == {Change.NAIK: 3, Change.TURUN: 0, Change.TETAP: 0}
    assert report.desa[3].last_change is None  # Tentenan Barat: one year only


def test_counts_per_status_per_year_with_the_desa_without_data(db: InMemoryDatabase) -> None:
    kec, _ = seed_history(db)
    report = progress(db, kec, 2025)
    by_year = {c.tahun: c for c in report.counts}
    assert by_year[2025].index is VillageIndex.INDEKS_DESA
    assert by_year[2025].counts == {
        S.SANGAT_TERTINGGAL: 1,
        S.TERTINGGAL: 1,
        S.BERKEMBANG: 1,
        S.MAJU: 1,
        S.MANDIRI: 1,
    }
    assert (by_year[2025].with_data, by_year[2025].without) == (5, 9)
    # 2024: the flagged Trasak counts as its score's Berkembang, as in IKU 1.
    assert by_year[2024].index is VillageIndex.IDM
    assert by_year[2024].counts[S.BERKEMBANG] == 1
    assert by_year[2024].counts[S.MANDIRI] == 0
    assert report.indices == [VillageIndex.IDM, VillageIndex.INDEKS_DESA]


def test_closest_in_an_idm_year_uses_the_official_thresholds_exactly(
    db: InMemoryDatabase,
) -> None:
    kec, _ = seed_history(db)
    report = progress(db, kec, 2024, first=2023)
    assert report.years == [2023, 2024]
    got = [
        (c.desa.nama, c.status, c.target, c.needed, c.minimum, c.official) for c in report.closest
    ]
    assert got == [
        ("Peltong", S.MAJU, S.MANDIRI, Decimal("0.0001"), Decimal("0.8156"), True),
        ("Blumbungan", S.TERTINGGAL, S.BERKEMBANG, Decimal("0.0001"), Decimal("0.5990"), True),
        ("Trasak", S.BERKEMBANG, S.MAJU, Decimal("0.0073"), Decimal("0.7073"), True),
    ]


def test_closest_in_an_indeks_desa_year_is_an_estimate_from_published_scores(
    db: InMemoryDatabase,
) -> None:
    kec, _ = seed_history(db)
    report = progress(db, kec, 2025)
    got = [(c.desa.nama, c.target, c.needed, c.minimum, c.official) for c in report.closest]
    assert got == [
        ("Tentenan Barat", S.BERKEMBANG, Decimal("2.5"), Decimal("62.5"), False),
        ("Blumbungan", S.MAJU, Decimal("7.75"), Decimal("70.25"), False),
        ("Tentenan Timur", S.TERTINGGAL, Decimal("10"), Decimal("60"), False),
        ("Trasak", S.MANDIRI, Decimal("14.75"), Decimal("85"), False),
    ]  # Peltong is Mandiri: not listed


def test_an_indeks_desa_status_without_a_published_next_one_has_no_estimate() -> None:
    a = make_desa(id=1, kode="35.28.08.2001", nama="A")
    b = make_desa(id=2, kode="35.28.08.2002", nama="B")
    c = make_desa(id=3, kode="35.28.08.2003", nama="C")

    def year(score: str, status: IdmStatus) -> YearStatus:
        return YearStatus(2025, VillageIndex.INDEKS_DESA, status, Decimal(score))

    found = closest_to_next(
        2025,
        [(a, year("55", S.TERTINGGAL)), (b, year("58", S.TERTINGGAL)), (c, year("80", S.MAJU))],
    )
    # No Berkembang nor Mandiri published: no gap; the higher score first.
    assert [(x.desa.nama, x.needed, x.minimum) for x in found] == [
        ("C", None, None),
        ("B", None, None),
        ("A", None, None),
    ]
    # A desa scoring above the lowest of the next status needs 0, not a negative gap.
    found = closest_to_next(2025, [(a, year("72", S.BERKEMBANG)), (b, year("70", S.MAJU))])
    assert [(x.desa.nama, x.needed) for x in found] == [("A", Decimal(0)), ("B", None)]


def test_no_data_in_the_range_gives_no_year_and_a_reversed_range_is_refused(
    db: InMemoryDatabase,
) -> None:
    kec, _ = seed_history(db)
    report = progress(db, kec, 2021, first=2016)
    assert (report.years, report.counts, report.closest, report.latest) == ([], [], [], None)
    with pytest.raises(ValueError, match="sesudah"):
        progress(db, kec, 2020, first=2024)


def _iku_1(db: InMemoryDatabase, tahun: int) -> IkuRow:
    with db.unit_of_work() as uow:
        report = iku_report(
            uow,
            kecamatan_code="35.28.08",
            period=Period.year(tahun),
            now=datetime(2026, 3, 5, 10, 0, tzinfo=UTC),
        )
    return report.row(IndicatorCode.DESA_MANDIRI)


def test_iku_1_says_the_formula_and_source_of_the_index_of_its_year(db: InMemoryDatabase) -> None:
    seed_history(db)
    idm_year = _iku_1(db, 2024)
    assert idm_year.formula == INDICATORS[0].formula
    assert "0,8155" in idm_year.formula
    assert idm_year.sumber_data == SUMBER_IDM
    indeks_year = _iku_1(db, 2025)
    assert indeks_year.formula == FORMULA_INDEKS_DESA
    assert indeks_year.sumber_data == SUMBER_INDEKS_DESA
    assert indeks_year.realisasi == 1  # Peltong, published Mandiri
    assert indeks_year.definition.formula == INDICATORS[0].formula  # the signed text stays
    # A year without data: the index of the year (2026: Indeks Desa).
    assert _iku_1(db, 2026).formula == FORMULA_INDEKS_DESA
    assert _iku_1(db, 2021).formula == INDICATORS[0].formula
