"""SQLite writers of one process wait in line instead of polling for the file's lock."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from domain.models import OutboxMessage
from storage import engine as storage_engine
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.tables import OutboxRow
from storage.uow import SqlUnitOfWork

AT = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def _factory(path: Path) -> tuple[object, SqlUnitOfWork]:
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    return engine, SqlUnitOfWork(make_session_factory(engine))


def _message(n: int) -> OutboxMessage:
    return OutboxMessage(chat_id=n, kind="text", payload={"text": f"pesan {n}"})


def _count(path: Path) -> int:
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        value = conn.execute(select(func.count()).select_from(OutboxRow)).scalar_one()
    engine.dispose()
    return int(value)


def test_many_threads_writing_at_once_all_get_their_turn(tmp_path: Path) -> None:
    path = tmp_path / "iku.db"
    engine, _ = _factory(path)
    factory = make_session_factory(engine)  # type: ignore[arg-type]
    errors: list[BaseException] = []

    def write(thread: int) -> None:
        try:
            for n in range(25):
                with SqlUnitOfWork(factory) as uow:
                    uow.outbox.add([_message(thread * 100 + n)], at=AT)
                    uow.commit()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _count(path) == 8 * 25


def test_a_writer_waits_for_the_one_before_it_and_goes_on_when_it_commits(
    tmp_path: Path,
) -> None:
    path = tmp_path / "iku.db"
    engine, _ = _factory(path)
    factory = make_session_factory(engine)  # type: ignore[arg-type]
    first_wrote = threading.Event()
    may_commit = threading.Event()
    order: list[str] = []

    def first() -> None:
        with SqlUnitOfWork(factory) as uow:
            uow.outbox.add([_message(1)], at=AT)
            first_wrote.set()
            may_commit.wait(5)
            order.append("first commits")
            uow.commit()

    def second() -> None:
        first_wrote.wait(5)
        with SqlUnitOfWork(factory) as uow:
            uow.outbox.add([_message(2)], at=AT)
            order.append("second wrote")
            uow.commit()

    one, two = threading.Thread(target=first), threading.Thread(target=second)
    one.start()
    two.start()
    first_wrote.wait(5)
    two.join(0.3)
    assert two.is_alive()  # in line behind the first, not failing
    may_commit.set()
    one.join(5)
    two.join(5)
    assert order == ["first commits", "second wrote"]
    assert _count(path) == 2


def test_a_rolled_back_writer_lets_the_next_one_in_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "iku.db"
    engine, _ = _factory(path)
    factory = make_session_factory(engine)  # type: ignore[arg-type]
    monkeypatch.setattr(storage_engine, "BUSY_TIMEOUT_MS", 200)
    with SqlUnitOfWork(factory) as uow:
        uow.outbox.add([_message(1)], at=AT)  # left without commit: rolled back
    with SqlUnitOfWork(factory) as uow:
        uow.outbox.add([_message(2)], at=AT)
        uow.commit()
    assert _count(path) == 1


def test_a_writer_kept_waiting_too_long_fails_as_sqlite_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "iku.db"
    engine, _ = _factory(path)
    factory = make_session_factory(engine)  # type: ignore[arg-type]
    monkeypatch.setattr(storage_engine, "BUSY_TIMEOUT_MS", 100)
    outcome: list[str] = []
    with SqlUnitOfWork(factory) as holder:
        holder.outbox.add([_message(1)], at=AT)

        def late() -> None:
            try:
                with SqlUnitOfWork(factory) as uow:
                    uow.outbox.add([_message(2)], at=AT)
                    uow.commit()
                outcome.append("written")
            except OperationalError as error:
                outcome.append("locked" if "locked" in str(error) else str(error))

        thread = threading.Thread(target=late)
        thread.start()
        thread.join(5)
        holder.commit()
    assert outcome == ["locked"]
    assert _count(path) == 1
