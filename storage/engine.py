"""Engines and sessions, built on demand (never at import time)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["make_engine", "make_session_factory", "prepare_sqlite_path"]


def prepare_sqlite_path(url: str) -> None:
    """Create the folder of an SQLite database file if it does not exist yet."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(str(parsed.database)).expanduser().parent.mkdir(parents=True, exist_ok=True)


BUSY_TIMEOUT_MS = 10_000
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "BEGIN IMMEDIATE")
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


class _WriterQueue:
    """One writer at a time per SQLite file in this process, waiting in line.

    SQLite lets one connection write at a time; the others poll for the lock with
    growing sleeps (the busy timeout), so under load most of a writer's time goes
    to sleeping while the lock is free. Here a connection takes a process-wide lock
    for the file at its first write statement and gives it back when its
    transaction ends (commit, rollback, close), so the next writer starts the
    moment it may. Another process's lock is still waited out by SQLite's busy
    timeout; the queue waits at most as long, then fails as SQLite would.
    """

    def __init__(self, key: str) -> None:
        with _LOCKS_GUARD:
            self.lock = _LOCKS.setdefault(key, threading.Lock())
        self.holders: set[int] = set()  # id() of the DBAPI connections holding it

    def before_execute(
        self, conn: Any, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any
    ) -> None:
        raw = conn.connection.dbapi_connection
        if id(raw) in self.holders or not statement.lstrip()[:15].upper().startswith(_WRITES):
            return
        if not self.lock.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise sqlite3.OperationalError("database is locked")
        self.holders.add(id(raw))

    def release(self, connection: Any) -> None:
        # The dialect is given the pool's proxy, the pool events the DBAPI connection.
        raw = getattr(connection, "dbapi_connection", connection)
        if id(raw) in self.holders:
            self.holders.discard(id(raw))
            self.lock.release()

    def install(self, engine: Engine) -> None:
        dialect = engine.dialect
        commit, rollback = dialect.do_commit, dialect.do_rollback

        def do_commit(raw: Any) -> None:
            try:
                commit(raw)
            finally:
                self.release(raw)

        def do_rollback(raw: Any) -> None:
            try:
                rollback(raw)
            finally:
                self.release(raw)

        dialect.do_commit = do_commit  # type: ignore[method-assign,assignment]
        dialect.do_rollback = do_rollback  # type: ignore[method-assign,assignment]
        event.listen(engine, "before_cursor_execute", self.before_execute)
        for name in ("close", "invalidate", "soft_invalidate", "close_detached"):
            event.listen(engine.pool, name, lambda raw, *_: self.release(raw))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows and freed pages are overwritten with zeros: a deleted SKM pool row or
    # a survey draft must not stay readable in the file (README "Anonimitas SKM").
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _sqlite_savepoint(connection: Any, _name: str) -> None:
    # The sqlite3 module opens a transaction only before INSERT/UPDATE/DELETE. A
    # SAVEPOINT emitted first would start a transaction of its own, and its RELEASE
    # would commit the work outside the unit of work. Begin the real one first.
    # (The module's implicit BEGIN is otherwise kept on purpose: reads before the
    # first write see committed data, as on PostgreSQL's READ COMMITTED, so a write
    # after another writer's commit is checked by versions, not refused as locked.)
    raw = connection.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN")


POOL_RECYCLE_SECONDS = 300


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``: SQLite with foreign keys and WAL, or PostgreSQL (psycopg 3)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        prepare_sqlite_path(url)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "savepoint", _sqlite_savepoint)
        if parsed.database not in (None, "", ":memory:"):
            key = str(Path(str(parsed.database)).expanduser().resolve())
            _WriterQueue(key).install(engine)
        return engine
    # No ping before every checkout (a round trip on every update). A connection the
    # server closed (a restart, a failover) fails its first statement: SQLAlchemy then
    # invalidates the whole pool, and the update's transaction runs again on a fresh
    # connection (bot/conversation/engine.py DB_TRIES; the senders try again next
    # round). Connections are replaced after POOL_RECYCLE_SECONDS, before servers or
    # proxies drop idle ones; LIFO keeps the few busy connections warm and lets the
    # rest age out.
    kwargs.setdefault("pool_pre_ping", False)
    kwargs.setdefault("pool_recycle", POOL_RECYCLE_SECONDS)
    kwargs.setdefault("pool_use_lifo", True)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (repositories return plain objects)."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
