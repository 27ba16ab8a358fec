"""The kabupaten's digest group and log: binding rules and migration 0019 (both engines)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import inspect

from domain.models import DigestGroup, KabupatenDigestGroup, Kecamatan, Role
from domain.ports import UnitOfWork
from storage.engine import make_engine
from storage.migrate import alembic_config, is_up_to_date, upgrade
from tests.factories import store_user

UowFactory = Callable[[], UnitOfWork]
AT = datetime(2026, 3, 9, 1, 0, tzinfo=UTC)
KAB_CHAT = -1_009_000_000_001
KEC_CHAT = -1_009_000_000_002


def _kab(code: str, chat: int, by: int | None = None) -> KabupatenDigestGroup:
    return KabupatenDigestGroup(code, chat, "Grup Kabupaten", by, AT)


def test_a_kabupaten_binds_rebinds_and_unbinds(
    uow_factory: UowFactory, larangan: Kecamatan
) -> None:
    admin = store_user(uow_factory, Role.ADMIN_KABUPATEN, telegram_id=9, kecamatan_id=larangan.id)
    with uow_factory() as uow:
        first = uow.digests.bind_kabupaten(_kab("35.28", KAB_CHAT, admin.id))
        uow.commit()
    assert first == _kab("35.28", KAB_CHAT, admin.id)
    with uow_factory() as uow:
        # another kabupaten may not take the chat; rebinding moves the kabupaten's group
        assert uow.digests.bind_kabupaten(_kab("35.29", KAB_CHAT)) is None
        moved = uow.digests.bind_kabupaten(_kab("35.28", KAB_CHAT - 1, admin.id))
        uow.commit()
    assert moved is not None
    assert moved.chat_id == KAB_CHAT - 1
    with uow_factory() as uow:
        assert uow.digests.kabupaten_groups() == [moved]
        assert uow.digests.kabupaten_group("35.28") == moved
        assert uow.digests.kabupaten_group_by_chat(KAB_CHAT) is None
        assert uow.digests.move_kabupaten_chat(KAB_CHAT - 1, KAB_CHAT - 2)
        assert not uow.digests.move_kabupaten_chat(KAB_CHAT - 1, KAB_CHAT - 3)
        uow.commit()
    moved = replace(moved, chat_id=KAB_CHAT - 2)
    with uow_factory() as uow:
        assert uow.digests.kabupaten_group("35.28") == moved
        assert uow.digests.unbind_kabupaten(KAB_CHAT - 2) == moved
        assert uow.digests.unbind_kabupaten(KAB_CHAT - 2) is None
        uow.commit()
    with uow_factory() as uow:
        assert uow.digests.kabupaten_groups() == []


def test_one_chat_is_either_a_kecamatan_or_a_kabupaten_group(
    uow_factory: UowFactory, larangan: Kecamatan
) -> None:
    with uow_factory() as uow:
        assert uow.digests.bind(DigestGroup(larangan.id, KEC_CHAT, "Kec", None, AT)) is not None
        assert uow.digests.bind_kabupaten(_kab("35.28", KAB_CHAT)) is not None
        uow.commit()
    with uow_factory() as uow:
        assert uow.digests.bind_kabupaten(_kab("35.28", KEC_CHAT)) is None
        assert uow.digests.bind(DigestGroup(larangan.id, KAB_CHAT, "Kec", None, AT)) is None
        uow.commit()
    with uow_factory() as uow:
        assert uow.digests.group_for(larangan.id) is not None
        assert uow.digests.group_for(larangan.id).chat_id == KEC_CHAT  # type: ignore[union-attr]
        assert uow.digests.kabupaten_group("35.28") == _kab("35.28", KAB_CHAT)


def test_the_kabupaten_digest_migration_adds_two_tables_and_goes_back(database_url: str) -> None:
    config = alembic_config(database_url)
    tables = {"kabupaten_digest_group", "kabupaten_digest_log"}
    command.downgrade(config, "0020")
    engine = make_engine(database_url)
    try:
        assert not tables & set(inspect(engine).get_table_names())
        assert "digest_group" in inspect(engine).get_table_names()
        upgrade(database_url)
        assert tables <= set(inspect(engine).get_table_names())
        command.downgrade(config, "0020")
        assert not tables & set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
        upgrade(database_url)
    assert is_up_to_date(database_url)
