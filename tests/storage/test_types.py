"""Column types: UTC instants and exact decimals behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, insert, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from domain.idm import IdmStatus
from domain.models import Desa, IdmResult, IndicatorCode, Kecamatan
from domain.ports import UnitOfWork
from storage.tables import AuditLogRow, IdmResultRow, TargetRow
from tests.factories import make_incident
from tests.storage.builders import jakarta, utc


def _idm(
    desa: Desa,
    score: Decimal,
    iks: Decimal | None = None,
    ike: Decimal | None = None,
    ikl: Decimal | None = None,
) -> IdmResult:
    return IdmResult(
        desa_id=desa.id,
        tahun=2025,
        score=score,
        status=IdmStatus.MAJU,
        iks=iks,
        ike=ike,
        ikl=ikl,
        source="Status IDM 2025.xlsx",
    )


# --- UTCDateTime ---------------------------------------------------------------------------


def test_a_naive_datetime_is_refused_before_it_reaches_the_database(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow, pytest.raises(StatementError, match="tanpa zona waktu") as info:
        uow.audit.record(actor="admin", action="test", entity="x", at=datetime(2026, 3, 2, 9))
    assert isinstance(info.value.orig, ValueError)


def test_a_naive_datetime_is_refused_by_a_core_insert_too(
    engine: Engine, larangan: Kecamatan
) -> None:
    row = {"actor": "admin", "action": "test", "entity": "x", "created_at": datetime(2026, 3, 2)}
    with engine.begin() as conn, pytest.raises(StatementError, match="tanpa zona waktu"):
        conn.execute(insert(AuditLogRow).values(**row))


def test_a_jakarta_instant_reads_back_as_an_aware_utc_datetime_equal_to_it(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    received = jakarta(2026, 3, 2, 10, 15)
    with uow_factory() as uow:
        nomor = uow.incidents.add(make_incident(desa[0], received_at=received)).nomor
        uow.commit()
    with uow_factory() as uow:
        stored = uow.incidents.get_by_nomor(nomor)
    assert stored is not None
    assert stored.received_at == received
    assert stored.received_at.utcoffset() == timedelta(0)
    assert stored.received_at.tzinfo is UTC
    assert (stored.received_at.hour, stored.received_at.minute) == (3, 15)


def test_the_instant_is_stored_as_utc_wall_time(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork], engine: Engine
) -> None:
    with uow_factory() as uow:
        uow.incidents.add(make_incident(desa[0], received_at=jakarta(2026, 3, 2, 10, 15)))
        uow.commit()
    with engine.connect() as conn:
        raw = conn.execute(text("SELECT received_at FROM incident")).scalar_one()
    if engine.dialect.name == "sqlite":
        assert str(raw).startswith("2026-03-02 03:15:00")
    else:
        assert isinstance(raw, datetime)
        assert raw == utc(2026, 3, 2, 3, 15)


def test_an_instant_just_after_midnight_in_jakarta_keeps_its_utc_date(
    larangan: Kecamatan,
    uow_factory: Callable[[], UnitOfWork],
    session_factory: sessionmaker[Session],
) -> None:
    at = jakarta(2026, 1, 1, 0, 30)  # 2025-12-31T17:30Z
    with uow_factory() as uow:
        uow.audit.record(actor="admin", action="test", entity="x", at=at)
        uow.commit()
    with session_factory() as session:
        created = session.scalars(select(col(AuditLogRow.created_at))).one()
    assert created == at
    assert created == utc(2025, 12, 31, 17, 30)
    assert created.tzinfo is UTC


def test_microseconds_survive_the_round_trip(
    larangan: Kecamatan,
    uow_factory: Callable[[], UnitOfWork],
    session_factory: sessionmaker[Session],
) -> None:
    at = datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC)
    with uow_factory() as uow:
        uow.audit.record(actor="admin", action="test", entity="x", at=at)
        uow.commit()
    with session_factory() as session:
        assert session.scalars(select(col(AuditLogRow.created_at))).one() == at


# --- ExactDecimal --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "score",
    [
        "0.81550000000001",
        "0.81549999999999",
        "0.70720000000000",
        "0.00000000000001",
        "0.99999999999999",
        "1.00000000000000",
        "0.60119047619048",
    ],
)
def test_exact_decimal_keeps_fourteen_decimals_exactly(
    score: str, desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    value = Decimal(score)
    with uow_factory() as uow:
        uow.idm.upsert(_idm(desa[0], value, iks=value, ike=value, ikl=value))
        uow.commit()
    with uow_factory() as uow:
        stored = uow.idm.get(desa[0].id, 2025)
    assert stored is not None
    for read in (stored.score, stored.iks, stored.ike, stored.ikl):
        assert isinstance(read, Decimal)
        assert read.as_tuple() == value.as_tuple()
        assert format(read, "f") == score


def test_exact_decimal_is_not_stored_as_a_float(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork], engine: Engine
) -> None:
    with uow_factory() as uow:
        uow.idm.upsert(_idm(desa[0], Decimal("0.81550000000001")))
        uow.commit()
    with engine.connect() as conn:
        raw = conn.execute(text("SELECT score FROM idm_result")).scalar_one()
    if engine.dialect.name == "sqlite":
        assert raw == "0.81550000000001"
    else:
        assert raw == Decimal("0.81550000000001")


def test_exact_decimal_quantizes_to_the_scale_of_the_column(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        uow.idm.upsert(_idm(desa[0], Decimal("0.123456789012345678"), iks=Decimal("0.5")))
        uow.commit()
    with uow_factory() as uow:
        stored = uow.idm.get(desa[0].id, 2025)
    assert stored is not None
    assert str(stored.score) == "0.12345678901235"
    assert str(stored.iks) == "0.50000000000000"
    assert stored.ike is None


def test_a_target_is_quantized_to_two_places(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        uow.targets.set(larangan.id, IndicatorCode.SKM, 2026, Decimal("87.456"))
        uow.targets.set(larangan.id, IndicatorCode.DESA_MANDIRI, 2026, Decimal("3"))
        uow.commit()
    with uow_factory() as uow:
        targets = uow.targets.for_year(larangan.id, 2026)
    assert str(targets[IndicatorCode.SKM]) == "87.46"
    assert str(targets[IndicatorCode.DESA_MANDIRI]) == "3.00"


def test_exact_decimal_refuses_a_float(engine: Engine, larangan: Kecamatan) -> None:
    row = {"kecamatan_id": larangan.id, "indicator": "skm", "tahun": 2026, "value": 87.5}
    row["updated_at"] = utc(2026, 1, 1)
    with engine.begin() as conn, pytest.raises(StatementError, match="Decimal") as info:
        conn.execute(insert(TargetRow).values(**row))
    assert isinstance(info.value.orig, TypeError)


def test_exact_decimal_keeps_none(desa: list[Desa], uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        uow.idm.upsert(_idm(desa[0], Decimal("0.7")))
        uow.commit()
    with uow_factory() as uow:
        stored = uow.idm.get(desa[0].id, 2025)
    assert stored is not None
    assert (stored.iks, stored.ike, stored.ikl) == (None, None, None)


def test_a_decimal_read_through_the_orm_has_the_column_scale(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork], session_factory: sessionmaker[Session]
) -> None:
    with uow_factory() as uow:
        uow.idm.upsert(_idm(desa[0], Decimal("0.8")))
        uow.commit()
    with session_factory() as session:
        score = session.scalars(select(col(IdmResultRow.score))).one()
    assert score.as_tuple().exponent == -14
