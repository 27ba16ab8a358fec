"""Engines and sessions, built on demand (never at import time)."""

from __future__ import annotations

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


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
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


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``: SQLite with foreign keys and WAL, or PostgreSQL (psycopg 3)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        prepare_sqlite_path(url)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "savepoint", _sqlite_savepoint)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (repositories return plain objects)."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
