"""PostgreSQL restarted under a running bot: no ping per checkout, nothing lost.

The pool does not ping the server before every checkout (a round trip on every update);
a connection the server closed is found by the first statement, the pool is invalidated,
and the update's transaction runs again on a fresh connection (``DB_TRIES``).
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot import texts
from bot.conversation import engine as conversation_engine
from bot.runtime import Runtime
from domain.models import Role
from storage.engine import make_engine
from tests.bot.conftest import add_user
from tests.bot.harness import Harness, Person


def _close_every_connection(url: str) -> int:
    """What a server restart does to the bot's pool: every session of the database ends."""
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            return int(
                conn.execute(
                    text(
                        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).scalar()
                or 0
            )
    finally:
        admin.dispose()


def test_postgresql_connections_are_not_pinged_at_each_checkout(bot_database_url: str) -> None:
    if not bot_database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite has no server to restart")
    engine = make_engine(bot_database_url)
    try:
        assert engine.pool._pre_ping is False
        assert 0 < engine.pool._recycle <= 600
    finally:
        engine.dispose()


async def test_an_update_after_the_server_closed_every_connection_is_answered(
    harness: Harness, runtime: Runtime, bot_database_url: str
) -> None:
    if not bot_database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite has no server to restart")
    person = Person(810301, "Warga")
    await harness.send(person, "/bantuan")  # the pool holds a connection now
    before = len(harness.texts(person))
    assert _close_every_connection(bot_database_url) >= 1

    await harness.send(person, "/bantuan")

    answers = harness.texts(person)[before:]
    assert answers, "no answer after the connections were closed"
    assert texts.DATABASE_DOWN not in answers
    assert answers[0] == harness.texts(person)[0]  # the same help text as before


async def test_without_the_retry_the_closed_connection_would_have_been_felt(
    harness: Harness, runtime: Runtime, bot_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test above is not passing by luck: the pooled connection really was dead."""
    if not bot_database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite has no server to restart")
    person = Person(810302, "Warga")
    await harness.send(person, "/bantuan")
    before = len(harness.texts(person))
    _close_every_connection(bot_database_url)
    monkeypatch.setattr(conversation_engine, "DB_TRIES", 1)

    await harness.send(person, "/bantuan")

    assert harness.texts(person)[before:] == [texts.DATABASE_DOWN]


async def test_a_report_step_after_the_server_closed_every_connection_moves_on_once(
    harness: Harness, runtime: Runtime, bot_database_url: str
) -> None:
    """Mid-conversation: the step is claimed, read and saved on a fresh connection, once."""
    if not bot_database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite has no server to restart")
    officer = Person(810303, "Ahmad Fauzi")
    add_user(runtime, officer, Role.PERANGKAT_DESA, desa_kode="35.28.08.2001", jabatan="Kasi Pem")
    await harness.send(officer, "/lapor")
    await harness.press(officer, "Trantibum")
    with runtime.uow() as uow:
        before = uow.drafts.get(officer.id, officer.id)
    assert before is not None
    asked = len(harness.texts(officer))
    assert _close_every_connection(bot_database_url) >= 1

    await harness.press(officer, "Hari ini")

    assert texts.DATABASE_DOWN not in harness.texts(officer)[asked:]
    assert len(harness.texts(officer)) == asked + 1  # the next question, once
    with runtime.uow() as uow:
        after = uow.drafts.get(officer.id, officer.id)
    assert after is not None
    assert after.version == before.version + 1  # saved once
    assert after.step != before.step
