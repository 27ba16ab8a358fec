"""The unit of work: nothing is durable unless ``commit()`` is called."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, text

from domain.models import Desa, Kecamatan, NilReport, Role, User
from domain.ports import UnitOfWork
from storage.tables import TrackingCounterRow
from storage.uow import SqlUnitOfWork
from tests.factories import make_incident, make_user
from tests.storage.builders import jakarta

TELEGRAM_ID = 123_456_789


def _officer(kecamatan: Kecamatan, telegram_id: int = TELEGRAM_ID) -> User:
    return make_user(
        Role.STAF_SEKSI,
        telegram_id=telegram_id,
        nama="Siti Aminah",
        jabatan="Kasi Trantib",
        kecamatan_id=kecamatan.id,
    )


def _stored(uow_factory: Callable[[], UnitOfWork], telegram_id: int = TELEGRAM_ID) -> bool:
    with uow_factory() as uow:
        return uow.users.get_by_telegram_id(telegram_id) is not None


def test_leaving_the_unit_of_work_without_commit_rolls_back(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        uow.users.add(_officer(larangan))
        assert uow.users.get_by_telegram_id(TELEGRAM_ID) is not None
    assert not _stored(uow_factory)


def test_commit_makes_the_work_durable(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        uow.users.add(_officer(larangan))
        uow.commit()
    assert _stored(uow_factory)


def test_an_exception_inside_the_block_rolls_back_and_propagates(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    def register_then_fail() -> None:
        with uow_factory() as uow:
            uow.users.add(_officer(larangan))
            raise RuntimeError("gagal di tengah jalan")

    with pytest.raises(RuntimeError, match="gagal di tengah jalan"):
        register_then_fail()
    assert not _stored(uow_factory)


def test_work_after_a_commit_is_rolled_back_when_not_committed_again(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        uow.users.add(_officer(larangan, 1))
        uow.commit()
        uow.users.add(_officer(larangan, 2))
    assert _stored(uow_factory, 1)
    assert not _stored(uow_factory, 2)


def test_an_explicit_rollback_discards_only_the_work_before_it(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        uow.users.add(_officer(larangan, 1))
        uow.rollback()
        uow.users.add(_officer(larangan, 2))
        uow.commit()
    assert not _stored(uow_factory, 1)
    assert _stored(uow_factory, 2)


def test_a_nil_report_as_the_first_write_is_still_rolled_back_without_commit(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    # Regression: on SQLite the nil report went through a SAVEPOINT that, opened before any
    # other write, began its own transaction and committed it on RELEASE.
    report = NilReport(desa[0].id, 2026, 10, None, jakarta(2026, 3, 6))
    with uow_factory() as uow:
        assert uow.incidents.add_nil_report(report)
    with uow_factory() as uow:
        assert uow.incidents.add_nil_report(report), "the rolled-back report was kept"


def test_an_incident_as_the_first_write_is_rolled_back_with_its_number(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        assert uow.incidents.add(make_incident(desa[0])).nomor == "KS-352808-2026-0001"
    with uow_factory() as uow:
        assert uow.incidents.get_by_nomor("KS-352808-2026-0001") is None
        assert uow.incidents.add(make_incident(desa[0])).nomor == "KS-352808-2026-0001"


def test_the_session_is_only_available_inside_the_block(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    uow = uow_factory()
    assert isinstance(uow, SqlUnitOfWork)
    with pytest.raises(RuntimeError, match="belum dibuka"):
        uow.commit()
    with uow:
        assert uow.session.is_active
    with pytest.raises(RuntimeError, match="belum dibuka"):
        _ = uow.session


def test_a_unit_of_work_can_be_opened_again_after_it_was_closed(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    uow = uow_factory()
    with uow:
        uow.users.add(_officer(larangan, 1))
    with uow:
        uow.users.add(_officer(larangan, 2))
        uow.commit()
    assert not _stored(uow_factory, 1)
    assert _stored(uow_factory, 2)


def test_two_units_of_work_do_not_see_each_others_uncommitted_work(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as writer:
        writer.users.add(_officer(larangan))
        with uow_factory() as reader:
            assert reader.users.get_by_telegram_id(TELEGRAM_ID) is None
        writer.commit()
    with uow_factory() as reader:
        assert reader.users.get_by_telegram_id(TELEGRAM_ID) is not None


def test_a_savepoint_as_the_first_write_stays_inside_the_unit_of_work(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork], engine: Engine
) -> None:
    with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        with uow.session.begin_nested():
            uow.session.add(
                TrackingCounterRow(kecamatan_id=larangan.id, kind="konflik", tahun=2030, last=7)
            )
        # Leaving without commit(): the savepoint's RELEASE must not have committed.
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM tracking_counter")).scalar_one() == 0
