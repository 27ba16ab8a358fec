"""Read-only look-ups for ``iku-bot doctor``: nothing here writes to the database.

The queries are SQLAlchemy Core over the table names alone, so that they work at any
migration level (the ORM tables describe only the newest one). The engine opened
here refuses writes: SQLite connections are ``query_only`` (and a missing file is
never created), and PostgreSQL sessions are read-only transactions.

SQLite is opened read-write but with ``PRAGMA query_only``: a read-only connection
would leave the ``-wal`` and ``-shm`` files behind, owned by whoever ran doctor
(root, say), where the bot's own user could not open them any more.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, func, inspect, or_, select
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from sqlalchemy.sql import column, table

from storage.types import UTCDateTime

__all__ = [
    "OutboxBacklog",
    "readonly_engine",
    "sqlite_file",
    "safe_url",
    "database_revision",
    "known_revision",
    "has_table",
    "kecamatan_by_code",
    "digest_group_of",
    "kabupaten_groups",
    "outbox_backlog",
]

_kecamatan = table("kecamatan", column("id"), column("kode"), column("kode_bps"), column("nama"))
_digest_group = table("digest_group", column("kecamatan_id"), column("chat_id"), column("title"))
_kabupaten_group = table(
    "kabupaten_digest_group", column("kabupaten_code"), column("chat_id"), column("title")
)
_kecamatan_kabupaten = table("kecamatan", column("id"), column("kode"), column("kabupaten"))
_user = table("app_user", column("kecamatan_id"), column("role"), column("status"))
_outbox = table("outbox", column("status"), column("created_at", UTCDateTime()))


@dataclass(frozen=True, slots=True)
class OutboxBacklog:
    """Messages of the outbox that are waiting or gave up."""

    pending: int
    failed: int
    oldest_pending: datetime | None


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL (None for PostgreSQL and in-memory databases)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database)).expanduser()


def safe_url(url: str) -> str:
    """The URL with its password masked, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def readonly_engine(url: str, *, timeout: float = 5.0) -> Engine:
    """An engine that can only read, with a short connect timeout.

    An SQLite file must exist already (``mode=rw`` never creates it).
    """
    path = sqlite_file(url)
    if path is not None:
        target = f"file:{quote(str(path.resolve()))}?mode=rw"

        def connect() -> sqlite3.Connection:
            raw = sqlite3.connect(target, uri=True, timeout=timeout, check_same_thread=False)
            raw.execute("PRAGMA query_only=ON")
            return raw

        return create_engine("sqlite://", creator=connect, poolclass=NullPool)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":  # in memory: nothing to protect
        return create_engine(url, poolclass=NullPool)
    return create_engine(
        url,
        poolclass=NullPool,
        connect_args={
            "connect_timeout": max(1, round(timeout)),
            "options": "-c default_transaction_read_only=on -c statement_timeout=15000",
        },
    )


def database_revision(connection: Connection) -> str | None:
    """The Alembic revision the database is at (None: never migrated)."""
    # Alembic (with Mako and Pygments) is imported when asked, not by every command
    # that imports this module.
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def known_revision(revision: str) -> bool:
    """True when ``revision`` is one of the packaged migrations."""
    from alembic.script import ScriptDirectory  # imported when asked, as above
    from alembic.util import CommandError

    from storage.migrate import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    try:
        return scripts.get_revision(revision) is not None
    except CommandError:
        return False


def has_table(connection: Connection, name: str) -> bool:
    """True when the table exists (it depends on the migration level)."""
    return inspect(connection).has_table(name)


def kecamatan_by_code(connection: Connection, code: str) -> tuple[int, str] | None:
    """(id, nama) of the kecamatan with this Kemendagri or BPS code."""
    row = connection.execute(
        select(_kecamatan.c.id, _kecamatan.c.nama).where(
            or_(_kecamatan.c.kode == code, _kecamatan.c.kode_bps == code)
        )
    ).first()
    return None if row is None else (int(row[0]), str(row[1]))


def digest_group_of(connection: Connection, kecamatan_id: int) -> tuple[int, str] | None:
    """(chat id, title) of the group bound to a kecamatan, or None."""
    row = connection.execute(
        select(_digest_group.c.chat_id, _digest_group.c.title).where(
            _digest_group.c.kecamatan_id == kecamatan_id
        )
    ).first()
    return None if row is None else (int(row[0]), str(row[1]))


@dataclass(frozen=True, slots=True)
class KabupatenGroup:
    """A kabupaten that has an active admin kabupaten or a bound digest group."""

    kode: str  # "35.28"
    nama: str
    has_admin: bool
    group: tuple[int, str] | None  # (chat id, title) when bound


def kabupaten_groups(connection: Connection) -> list[KabupatenGroup]:
    """Every kabupaten with an active admin kabupaten or a bound group, by code."""
    names: dict[str, str] = {}
    for kode, kabupaten in connection.execute(
        select(_kecamatan_kabupaten.c.kode, _kecamatan_kabupaten.c.kabupaten)
    ):
        names.setdefault(str(kode).rsplit(".", 1)[0], str(kabupaten))
    admins = {
        str(kode).rsplit(".", 1)[0]
        for (kode,) in connection.execute(
            select(_kecamatan_kabupaten.c.kode)
            .select_from(
                _user.join(_kecamatan_kabupaten, _kecamatan_kabupaten.c.id == _user.c.kecamatan_id)
            )
            .where(_user.c.role == "admin_kabupaten", _user.c.status == "active")
        )
    }
    groups = {
        str(code): (int(chat_id), str(title))
        for code, chat_id, title in connection.execute(
            select(
                _kabupaten_group.c.kabupaten_code,
                _kabupaten_group.c.chat_id,
                _kabupaten_group.c.title,
            )
        )
    }
    return [
        KabupatenGroup(code, names.get(code, code), code in admins, groups.get(code))
        for code in sorted(admins | set(groups))
    ]


def outbox_backlog(connection: Connection) -> OutboxBacklog:
    """Pending and failed counts, and when the oldest pending message was written."""
    counts = {
        str(status): int(number)
        for status, number in connection.execute(
            select(_outbox.c.status, func.count()).group_by(_outbox.c.status)
        )
    }
    oldest = connection.execute(
        select(func.min(_outbox.c.created_at)).where(_outbox.c.status == "pending")
    ).scalar_one_or_none()
    return OutboxBacklog(counts.get("pending", 0), counts.get("failed", 0), oldest)
