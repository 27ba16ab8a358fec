"""IDM results, desa tematik, targets, audit log and users on both engines."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from domain.idm import IdmStatus, idm_status
from domain.models import (
    Desa,
    DesaTematik,
    IdmResult,
    IndicatorCode,
    Kecamatan,
    Role,
    Seksi,
    Tema,
)
from domain.ports import UnitOfWork
from storage.tables import AuditLogRow, IdmResultRow, TargetRow
from tests.factories import make_user
from tests.storage.builders import captured_statements, jakarta

# --- IDM -----------------------------------------------------------------------------------


def _idm(desa: Desa, tahun: int, score: str, source: str = "idm.csv") -> IdmResult:
    value = Decimal(score)
    return IdmResult(
        desa_id=desa.id, tahun=tahun, score=value, status=idm_status(value), source=source
    )


def _upsert(uow_factory: Callable[[], UnitOfWork], *results: IdmResult) -> list[bool]:
    with uow_factory() as uow:
        inserted = [uow.idm.upsert(r) for r in results]
        uow.commit()
    return inserted


def _idm_rows(session_factory: sessionmaker[Session]) -> int:
    with session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(IdmResultRow)) or 0)


def test_idm_upsert_inserts_then_updates_the_same_desa_and_year(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork], session_factory: sessionmaker[Session]
) -> None:
    first = IdmResult(
        desa_id=desa[0].id,
        tahun=2025,
        score=Decimal("0.70720000000000"),
        status=IdmStatus.BERKEMBANG,
        iks=Decimal("0.80000000000000"),
        ike=Decimal("0.61160000000000"),
        ikl=Decimal("0.73000000000000"),
        status_published="BERKEMBANG",
        source="Status IDM 2025.xlsx",
    )
    corrected = IdmResult(
        desa_id=desa[0].id,
        tahun=2025,
        score=Decimal("0.70730000000000"),
        status=IdmStatus.MAJU,
        source="koreksi.csv",
    )
    assert _upsert(uow_factory, first) == [True]
    with uow_factory() as uow:
        assert uow.idm.get(desa[0].id, 2025) == first
    assert _upsert(uow_factory, corrected) == [False]
    assert _idm_rows(session_factory) == 1
    with uow_factory() as uow:
        assert uow.idm.get(desa[0].id, 2025) == corrected


def test_idm_upsert_keeps_each_year_apart(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork], session_factory: sessionmaker[Session]
) -> None:
    assert _upsert(uow_factory, _idm(desa[0], 2024, "0.65"), _idm(desa[0], 2025, "0.75")) == [
        True,
        True,
    ]
    assert _idm_rows(session_factory) == 2
    with uow_factory() as uow:
        assert uow.idm.get(desa[0].id, 2024) == _idm(desa[0], 2024, "0.65000000000000")
        assert uow.idm.get(desa[0].id, 2023) is None


def test_a_long_source_is_cut_to_the_column(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    _upsert(uow_factory, _idm(desa[0], 2025, "0.75", source="x" * 250))
    with uow_factory() as uow:
        stored = uow.idm.get(desa[0].id, 2025)
    assert stored is not None
    assert stored.source == "x" * 200


def test_idm_count_by_status_groups_with_zero_for_absent_statuses(
    larangan: Kecamatan,
    desa: list[Desa],
    pademawu_desa: list[Desa],
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    _upsert(
        uow_factory,
        _idm(desa[0], 2025, "0.85"),
        _idm(desa[1], 2025, "0.86"),
        _idm(desa[2], 2025, "0.75"),
        _idm(desa[3], 2025, "0.45"),
        _idm(desa[4], 2024, "0.85"),  # another year
        _idm(pademawu_desa[0], 2025, "0.55"),  # another kecamatan
    )
    with uow_factory() as uow:
        counts = uow.idm.count_by_status(larangan.id, 2025)
    assert counts == {
        IdmStatus.SANGAT_TERTINGGAL: 1,
        IdmStatus.TERTINGGAL: 0,
        IdmStatus.BERKEMBANG: 0,
        IdmStatus.MAJU: 1,
        IdmStatus.MANDIRI: 2,
    }


def test_idm_count_by_status_of_a_year_without_data_is_all_zero(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        assert uow.idm.count_by_status(larangan.id, 2025) == dict.fromkeys(IdmStatus, 0)


def test_idm_count_by_status_is_one_grouped_query(
    larangan: Kecamatan, desa: list[Desa], uow_factory: Callable[[], UnitOfWork], engine: Engine
) -> None:
    _upsert(uow_factory, *(_idm(d, 2025, "0.75") for d in desa))
    with uow_factory() as uow:
        uow.desa.get(desa[0].id)
        with captured_statements(engine) as statements:
            counts = uow.idm.count_by_status(larangan.id, 2025)
    assert counts[IdmStatus.MAJU] == 14
    assert len(statements.sql) == 1
    assert "count(" in statements.sql[0].lower()
    assert "group by" in statements.sql[0].lower()


def test_idm_results_of_a_kecamatan_are_listed_by_desa_code(
    larangan: Kecamatan,
    desa: list[Desa],
    pademawu_desa: list[Desa],
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    # Stored in reverse order, and not in the order of the BPS codes either.
    _upsert(uow_factory, *(_idm(d, 2025, "0.75") for d in reversed(desa)))
    _upsert(uow_factory, _idm(pademawu_desa[0], 2025, "0.75"), _idm(desa[0], 2024, "0.65"))
    with uow_factory() as uow:
        listed = uow.idm.list_for_kecamatan(larangan.id, 2025)
    assert [r.desa_id for r in listed] == [d.id for d in sorted(desa, key=lambda d: d.kode)]
    assert {r.tahun for r in listed} == {2025}


def test_the_latest_idm_year_is_per_kecamatan(
    larangan: Kecamatan,
    pademawu: Kecamatan,
    desa: list[Desa],
    pademawu_desa: list[Desa],
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    with uow_factory() as uow:
        assert uow.idm.latest_year(larangan.id) is None
    _upsert(
        uow_factory,
        _idm(desa[0], 2023, "0.65"),
        _idm(desa[1], 2025, "0.65"),
        _idm(desa[2], 2024, "0.65"),
        _idm(pademawu_desa[0], 2026, "0.65"),
    )
    with uow_factory() as uow:
        assert uow.idm.latest_year(larangan.id) == 2025
        assert uow.idm.latest_year(pademawu.id) == 2026


# --- desa tematik --------------------------------------------------------------------------


def _tematik(desa: Desa, tema: Tema, tahun: int = 2026, *, active: bool = True) -> DesaTematik:
    return DesaTematik(
        id=0,
        desa_id=desa.id,
        tema=tema,
        tahun=tahun,
        referensi=f"SK Camat No. 100/{desa.id}/2026",
        active=active,
        tema_lainnya="Kerajinan batik" if tema is Tema.LAINNYA else None,
    )


def _designate(uow_factory: Callable[[], UnitOfWork], *items: DesaTematik) -> list[DesaTematik]:
    with uow_factory() as uow:
        stored = [uow.tematik.add(i) for i in items]
        uow.commit()
    return stored


def test_a_designation_is_stored_with_an_id(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    item = _tematik(desa[0], Tema.LAINNYA)
    (stored,) = _designate(uow_factory, item)
    assert stored.id > 0
    assert stored == DesaTematik(
        stored.id,
        desa[0].id,
        Tema.LAINNYA,
        2026,
        item.referensi,
        True,
        "Kerajinan batik",
        None,
    )


def test_desa_tematik_counts_distinct_desa_with_an_active_theme_in_the_year(
    larangan: Kecamatan,
    desa: list[Desa],
    pademawu_desa: list[Desa],
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    _designate(
        uow_factory,
        _tematik(desa[0], Tema.WISATA),
        _tematik(desa[0], Tema.BUDAYA),  # a second theme: the desa counts once
        _tematik(desa[1], Tema.UMKM),
        _tematik(desa[2], Tema.PETERNAKAN, active=False),  # revoked: does not count
        _tematik(desa[3], Tema.PERIKANAN, tahun=2025),  # another year: does not count
        _tematik(pademawu_desa[0], Tema.WISATA),  # another kecamatan
    )
    with uow_factory() as uow:
        assert uow.tematik.count_desa(larangan.id, 2026) == 2
        assert uow.tematik.count_desa(larangan.id, 2025) == 1
        assert uow.tematik.count_desa(larangan.id, 2024) == 0
        active = uow.tematik.list_active(larangan.id, 2026)
    assert [(t.desa_id, t.tema) for t in active] == [
        (desa[0].id, Tema.WISATA),
        (desa[0].id, Tema.BUDAYA),
        (desa[1].id, Tema.UMKM),
    ]


def test_a_desa_with_only_an_inactive_theme_does_not_count(
    larangan: Kecamatan, desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    _designate(
        uow_factory,
        _tematik(desa[0], Tema.WISATA, active=False),
        _tematik(desa[0], Tema.BUDAYA, active=False),
    )
    with uow_factory() as uow:
        assert uow.tematik.count_desa(larangan.id, 2026) == 0
        assert uow.tematik.list_active(larangan.id, 2026) == []


def test_desa_tematik_are_counted_with_count_distinct_in_the_database(
    larangan: Kecamatan, desa: list[Desa], uow_factory: Callable[[], UnitOfWork], engine: Engine
) -> None:
    _designate(uow_factory, _tematik(desa[0], Tema.WISATA), _tematik(desa[0], Tema.UMKM))
    with uow_factory() as uow:
        uow.desa.get(desa[0].id)
        with captured_statements(engine) as statements:
            assert uow.tematik.count_desa(larangan.id, 2026) == 1
    assert len(statements.sql) == 1
    assert "count(distinct" in statements.sql[0].lower()


# --- targets -------------------------------------------------------------------------------


def test_a_target_is_inserted_then_replaced(
    larangan: Kecamatan,
    uow_factory: Callable[[], UnitOfWork],
    session_factory: sessionmaker[Session],
) -> None:
    with uow_factory() as uow:
        uow.targets.set(larangan.id, IndicatorCode.SKM, 2026, Decimal("82.50"))
        uow.commit()
    with uow_factory() as uow:
        uow.targets.set(larangan.id, IndicatorCode.SKM, 2026, Decimal("85.25"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.targets.for_year(larangan.id, 2026) == {IndicatorCode.SKM: Decimal("85.25")}
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(TargetRow)) == 1


def test_targets_of_a_year_are_exact_decimals(
    larangan: Kecamatan, pademawu: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    values = {
        IndicatorCode.DESA_MANDIRI: Decimal("3"),
        IndicatorCode.DESA_TEMATIK: Decimal("2"),
        IndicatorCode.KONFLIK_TERTANGANI: Decimal("100.00"),
        IndicatorCode.TRANTIBUM_TERTANGANI: Decimal("95.5"),
        IndicatorCode.SKM: Decimal("82.01"),
    }
    with uow_factory() as uow:
        for indicator, value in values.items():
            uow.targets.set(larangan.id, indicator, 2026, value)
        uow.targets.set(larangan.id, IndicatorCode.SKM, 2027, Decimal("90"))
        uow.targets.set(pademawu.id, IndicatorCode.SKM, 2026, Decimal("70"))
        uow.commit()
    with uow_factory() as uow:
        stored = uow.targets.for_year(larangan.id, 2026)
        assert uow.targets.for_year(larangan.id, 2025) == {}
        assert uow.targets.for_year(pademawu.id, 2026) == {IndicatorCode.SKM: Decimal("70")}
    assert stored == values
    assert all(isinstance(v, Decimal) for v in stored.values())
    assert {k: str(v) for k, v in stored.items()} == {
        IndicatorCode.DESA_MANDIRI: "3.00",
        IndicatorCode.DESA_TEMATIK: "2.00",
        IndicatorCode.KONFLIK_TERTANGANI: "100.00",
        IndicatorCode.TRANTIBUM_TERTANGANI: "95.50",
        IndicatorCode.SKM: "82.01",
    }


# --- audit ---------------------------------------------------------------------------------


def test_an_audit_entry_is_written_with_its_json_detail(
    larangan: Kecamatan,
    uow_factory: Callable[[], UnitOfWork],
    session_factory: sessionmaker[Session],
) -> None:
    detail = {
        "nomor": "KS-352808-2026-0001",
        "dari": "baru",
        "ke": "tertangani",
        "foto": ["bukti-1", "bukti-2"],
        "jumlah": 3,
        "catatan": None,
        "lokasi": {"lat": -7.095, "lon": 113.581},
    }
    with uow_factory() as uow:
        officer = uow.users.add(
            make_user(
                Role.STAF_SEKSI,
                telegram_id=42,
                nama="Ahmad Fauzi",
                jabatan="Kepala Seksi Trantib",
                kecamatan_id=larangan.id,
                seksi=Seksi.TRANTIB,
            )
        )
        uow.audit.record(
            actor="Siti Aminah (Kasi Trantib)",
            action="change_status",
            entity="incident",
            entity_id="KS-352808-2026-0001",
            detail=detail,
            user_id=officer.id,
            at=jakarta(2026, 3, 5, 14),
        )
        uow.commit()
    with session_factory() as session:
        (entry,) = session.scalars(select(AuditLogRow)).all()
    assert entry.detail == detail
    assert (entry.actor, entry.action, entry.entity, entry.entity_id) == (
        "Siti Aminah (Kasi Trantib)",
        "change_status",
        "incident",
        "KS-352808-2026-0001",
    )
    assert entry.user_id == officer.id
    assert entry.created_at == jakarta(2026, 3, 5, 14)


def test_an_audit_entry_without_detail_gets_the_current_time(
    larangan: Kecamatan,
    uow_factory: Callable[[], UnitOfWork],
    session_factory: sessionmaker[Session],
) -> None:
    with uow_factory() as uow:
        uow.audit.record(actor="cli:" + "x" * 80, action="set_target", entity="target")
        uow.commit()
    with session_factory() as session:
        (entry,) = session.scalars(select(AuditLogRow)).all()
    assert entry.detail is None
    assert entry.entity_id is None
    assert entry.user_id is None
    assert len(entry.actor) == 60
    assert entry.created_at.tzinfo is not None
    assert entry.created_at.year >= 2026


# --- users ---------------------------------------------------------------------------------

BIG_TELEGRAM_ID = 7_000_000_001  # above 2**31 - 1: needs BIGINT


def test_a_user_with_a_telegram_id_above_32_bits_is_stored_and_found(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        added = uow.users.add(
            make_user(
                Role.STAF_SEKSI,
                telegram_id=BIG_TELEGRAM_ID,
                nama="Ahmad Fauzi",
                jabatan="Kepala Seksi Trantib",
                kecamatan_id=larangan.id,
                seksi=Seksi.TRANTIB,
            )
        )
        uow.commit()
    assert added.id > 0
    with uow_factory() as uow:
        found = uow.users.get_by_telegram_id(BIG_TELEGRAM_ID)
        assert uow.users.get_by_telegram_id(BIG_TELEGRAM_ID - 2**32) is None
    assert found == added
    assert found.telegram_id == BIG_TELEGRAM_ID
    assert found.seksi is Seksi.TRANTIB
    assert found.role is Role.STAF_SEKSI


def test_a_desa_officer_keeps_its_desa(
    larangan: Kecamatan, desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        added = uow.users.add(
            make_user(
                Role.PERANGKAT_DESA,
                telegram_id=8_123_456_789,
                nama="Ahmad Fauzi",
                jabatan="Kepala Seksi Trantib",
                kecamatan_id=larangan.id,
                desa_id=desa[5].id,
            )
        )
        uow.commit()
    with uow_factory() as uow:
        found = uow.users.get_by_telegram_id(8_123_456_789)
    assert found == added
    assert found.desa_id == desa[5].id
    assert found.seksi is None
    assert found.role is Role.PERANGKAT_DESA


def test_an_unknown_telegram_id_finds_nobody(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        assert uow.users.get_by_telegram_id(BIG_TELEGRAM_ID) is None


def test_a_telegram_id_is_registered_only_once(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        uow.users.add(
            make_user(
                Role.STAF_SEKSI,
                telegram_id=BIG_TELEGRAM_ID,
                nama="Ahmad Fauzi",
                jabatan="Kepala Seksi Trantib",
                kecamatan_id=larangan.id,
                seksi=Seksi.TRANTIB,
            )
        )
        uow.commit()
    with uow_factory() as uow, pytest.raises(IntegrityError):
        uow.users.add(
            make_user(
                Role.STAF_SEKSI,
                telegram_id=BIG_TELEGRAM_ID,
                nama="Ahmad Fauzi",
                jabatan="Kepala Seksi Trantib",
                kecamatan_id=larangan.id,
                seksi=Seksi.TRANTIB,
            )
        )
