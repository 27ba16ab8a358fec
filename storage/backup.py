"""Database snapshots for backups, and the way back into an empty database.

SQLite is copied with SQLite's online backup API (``sqlite3.Connection.backup``): one
consistent copy while the bot goes on writing. PostgreSQL is dumped with ``pg_dump``'s
custom format inside a transaction whose snapshot is exported to ``pg_dump``
(``--snapshot``), so the row counts written next to the dump are those of the dump.

Nothing here knows the tables by name: the contents of a database are read from the
database itself (every table it has, with its row count), so that tables added by later
migrations are backed up, counted and checked without a change here.

Errors are :class:`DatabaseProblem` subclasses carrying what went wrong; the command line
turns them into its (Indonesian) messages. No password ever appears in an argument, a
message or a log: ``pg_dump`` and ``pg_restore`` get it in their environment.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from sqlalchemy.sql import column, table
from sqlalchemy.sql.expression import ColumnClause

from storage.engine import BUSY_TIMEOUT_MS, prepare_sqlite_path

__all__ = [
    "SQLITE",
    "POSTGRESQL",
    "DatabaseProblem",
    "DatabaseMissing",
    "UnsupportedDatabase",
    "ToolMissing",
    "ToolTooOld",
    "ToolFailed",
    "CopyDamaged",
    "Contents",
    "Snapshot",
    "PgTool",
    "engine_of",
    "snapshot_database",
    "existing_objects",
    "restore_database",
    "database_contents",
    "contents_of",
    "find_pg_tool",
    "libpq_connection",
]

SQLITE = "sqlite"
POSTGRESQL = "postgresql"

# Where Debian/Ubuntu (postgresql-N) and the PGDG RPMs put the server's programs.
_PG_BIN_GLOBS = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin")
_VERSION_RE = re.compile(r"(\d+)(?:\.(\d+))?")
_STDERR_LINES = 8


class DatabaseProblem(Exception):
    """A backup or restore step on the database failed; the fields say which and why."""


class UnsupportedDatabase(DatabaseProblem):
    """An in-memory SQLite database (nothing to back up or restore into)."""


class DatabaseMissing(DatabaseProblem):
    """The SQLite file to back up does not exist."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class ToolMissing(DatabaseProblem):
    """``pg_dump`` / ``pg_restore`` was not found (in ``bin_dir`` when one was named)."""

    def __init__(self, tool: str, bin_dir: str | None) -> None:
        super().__init__(tool)
        self.tool = tool
        self.bin_dir = bin_dir


class ToolTooOld(DatabaseProblem):
    """The newest ``pg_dump`` / ``pg_restore`` found is older than the server."""

    def __init__(self, tool: str, path: Path, version: str, server_major: int) -> None:
        super().__init__(tool)
        self.tool = tool
        self.path = path
        self.version = version
        self.server_major = server_major


class ToolFailed(DatabaseProblem):
    """``pg_dump`` / ``pg_restore`` exited with an error; ``detail`` is its last lines."""

    def __init__(self, tool: str, returncode: int, detail: str) -> None:
        super().__init__(tool)
        self.tool = tool
        self.returncode = returncode
        self.detail = detail


class CopyDamaged(DatabaseProblem):
    """The SQLite copy failed its integrity check."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Contents:
    """What a database holds: its migration level, its tables' row counts, its kecamatan."""

    revision: str | None
    tables: dict[str, int]
    kecamatan: tuple[str, ...]

    @property
    def rows(self) -> int:
        """All rows of all tables."""
        return sum(self.tables.values())


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A database copied to a file, and what it held at that moment."""

    engine: str
    contents: Contents
    server_version: str | None = None
    tool_version: str | None = None


@dataclass(frozen=True, slots=True)
class PgTool:
    """A PostgreSQL client program and its version (e.g. '15.18')."""

    path: Path
    version: str

    @property
    def major(self) -> int:
        """The major version (15 for '15.18')."""
        return int(self.version.split(".")[0])


def engine_of(url: str) -> str:
    """``sqlite`` or ``postgresql``."""
    backend = make_url(url).get_backend_name()
    return SQLITE if backend == "sqlite" else POSTGRESQL


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if database in (None, "", ":memory:"):
        raise UnsupportedDatabase(url)
    return Path(str(database)).expanduser()


def _sqlite_uri(path: Path, mode: str) -> str:
    return f"file:{quote(str(path.resolve()))}?mode={mode}"


def _table_names(connection: Connection) -> list[str]:
    return sorted(inspect(connection).get_table_names())


def database_contents(connection: Connection) -> Contents:
    """Every table of the database with its row count, the revision and the kecamatan codes."""
    names = _table_names(connection)
    tables = {
        name: int(connection.execute(select(func.count()).select_from(table(name))).scalar_one())
        for name in names
    }
    # Alembic (with Mako and Pygments) is imported here, not by every operator command.
    from alembic.runtime.migration import MigrationContext

    revision = (
        MigrationContext.configure(connection).get_current_revision()
        if "alembic_version" in names
        else None
    )
    kecamatan: tuple[str, ...] = ()
    if "kecamatan" in names:
        kode: ColumnClause[Any] = column("kode")
        kecamatan = tuple(
            str(code)
            for code in connection.execute(
                select(kode).select_from(table("kecamatan")).order_by(kode)
            ).scalars()
        )
    return Contents(revision, tables, kecamatan)


def _sqlite_engine(path: Path) -> Engine:
    uri = _sqlite_uri(path, "ro")
    return create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
        poolclass=NullPool,
    )


def _contents_of_sqlite(path: Path) -> Contents:
    engine = _sqlite_engine(path)
    try:
        with engine.connect() as connection:
            return database_contents(connection)
    finally:
        engine.dispose()


def _pg_engine(url: str, **kwargs: Any) -> Engine:
    return create_engine(url, poolclass=NullPool, **kwargs)


def _server_major(connection: Connection) -> int:
    return int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000


def libpq_connection(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and an environment that has it."""
    parsed = make_url(url)
    params: dict[str, str] = {}
    if parsed.host:
        params["host"] = parsed.host
    if parsed.port:
        params["port"] = str(parsed.port)
    if parsed.username:
        params["user"] = parsed.username
    if parsed.database:
        params["dbname"] = parsed.database
    for key, value in parsed.query.items():  # psycopg hands these to libpq as they are
        params[key] = value[-1] if isinstance(value, tuple) else value
    conninfo = " ".join(f"{key}={_conninfo_value(value)}" for key, value in params.items())
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    return conninfo, env


def _conninfo_value(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def _tool_version(path: Path) -> str:
    try:
        result = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, check=False, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    match = _VERSION_RE.search(result.stdout)  # "pg_dump (PostgreSQL) 15.18 (Debian ...)"
    if result.returncode != 0 or match is None:
        return ""
    return match.group(0)


def _candidates(name: str) -> list[Path]:
    found: list[Path] = []
    on_path = shutil.which(name)
    if on_path is not None:
        found.append(Path(on_path))
    for pattern in _PG_BIN_GLOBS:
        folders = sorted(
            Path("/").glob(pattern.lstrip("/")),
            key=lambda folder: [int(n) for n in re.findall(r"\d+", folder.parent.name)],
            reverse=True,
        )
        found += [folder / name for folder in folders if (folder / name).is_file()]
    return found


def find_pg_tool(name: str, *, bin_dir: str | None, server_major: int | None) -> PgTool:
    """``pg_dump`` or ``pg_restore``: in ``bin_dir`` when given, else on PATH or in the
    server's program folders; the first one not older than the server (when known)."""
    if bin_dir:
        path = Path(bin_dir).expanduser() / name
        if not path.is_file() or not os.access(path, os.X_OK):
            raise ToolMissing(name, bin_dir)
        tool = PgTool(path, _tool_version(path) or "0")
        if server_major is not None and tool.major < server_major:
            raise ToolTooOld(name, path, tool.version, server_major)
        return tool
    tools = [
        PgTool(path, version)
        for path in _candidates(name)
        if os.access(path, os.X_OK) and (version := _tool_version(path))
    ]
    if not tools:
        raise ToolMissing(name, None)
    for tool in tools:
        if server_major is None or tool.major >= server_major:
            return tool
    newest = max(tools, key=lambda tool: [int(n) for n in tool.version.split(".")])
    assert server_major is not None
    raise ToolTooOld(name, newest.path, newest.version, server_major)


def _run_tool(tool: PgTool, args: list[str], env: dict[str, str]) -> None:
    # -w: never ask for a password (there is no one to type it in a timer or cron).
    result = subprocess.run(
        [str(tool.path), "-w", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        raise ToolFailed(tool.path.name, result.returncode, "\n".join(lines[-_STDERR_LINES:]))


# --- backup ---------------------------------------------------------------------------------


def snapshot_database(url: str, target: Path, *, pg_bin_dir: str | None = None) -> Snapshot:
    """Copy the database to ``target`` (a new file) and say what the copy holds."""
    if engine_of(url) == SQLITE:
        return _sqlite_snapshot(_sqlite_path(url), target)
    return _pg_snapshot(url, target, pg_bin_dir)


def _sqlite_snapshot(path: Path, target: Path) -> Snapshot:
    if not path.is_file():
        raise DatabaseMissing(path)
    # mode=rw: never create a missing file; reading a WAL database needs its -shm file.
    source = sqlite3.connect(_sqlite_uri(path, "rw"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            # One self-contained file: the copy is not in WAL mode like its source.
            copy.execute("PRAGMA journal_mode=DELETE")
            check = [str(row[0]) for row in copy.execute("PRAGMA integrity_check").fetchall()]
        finally:
            copy.close()
    finally:
        source.close()
    if check != ["ok"]:
        raise CopyDamaged("; ".join(check[:5]))
    return Snapshot(SQLITE, _contents_of_sqlite(target), sqlite3.sqlite_version)


def _pg_snapshot(url: str, target: Path, bin_dir: str | None) -> Snapshot:
    conninfo, env = libpq_connection(url)
    engine = _pg_engine(url)
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            with connection.begin():
                server = str(connection.execute(text("SHOW server_version")).scalar_one())
                tool = find_pg_tool(
                    "pg_dump", bin_dir=bin_dir, server_major=_server_major(connection)
                )
                snapshot = str(connection.execute(text("SELECT pg_export_snapshot()")).scalar_one())
                contents = database_contents(connection)
                # The transaction stays open while pg_dump reads the same snapshot.
                _run_tool(
                    tool,
                    [
                        "--format=custom",
                        f"--snapshot={snapshot}",
                        f"--file={target}",
                        f"--dbname={conninfo}",
                    ],
                    env,
                )
        # The archive reads back (its table of contents), with the same programs.
        listing = find_pg_tool("pg_restore", bin_dir=bin_dir, server_major=tool.major)
        _run_tool(listing, ["--list", f"--file={os.devnull}", str(target)], env)
    finally:
        engine.dispose()
    return Snapshot(POSTGRESQL, contents, server.split()[0], tool.version)


# --- restore --------------------------------------------------------------------------------


def existing_objects(url: str) -> list[str]:
    """The tables (views, sequences ...) the database already has: [] when it is empty.

    A missing SQLite file is empty (and is not created here).
    """
    if engine_of(url) == SQLITE:
        path = _sqlite_path(url)
        if not path.exists() or path.stat().st_size == 0:
            return []
        raw = sqlite3.connect(_sqlite_uri(path, "ro"), uri=True)
        try:
            names = raw.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name"
            ).fetchall()
        finally:
            raw.close()
        return [str(row[0]) for row in names]
    engine = _pg_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT n.nspname || '.' || c.relname FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') "
                    "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                    "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' "
                    "ORDER BY 1"
                )
            ).scalars()
            return [str(row) for row in rows]
    finally:
        engine.dispose()


def restore_database(url: str, source: Path, engine: str, *, pg_bin_dir: str | None = None) -> None:
    """Load a snapshot file into the (empty) database of ``url``, all or nothing.

    SQLite: the backup API writes the whole file in one transaction; a file this call
    created is removed again when it fails. PostgreSQL: ``pg_restore`` in a single
    transaction that stops at the first error.
    """
    if engine != engine_of(url):
        raise UnsupportedDatabase(url)
    if engine == SQLITE:
        _sqlite_restore(_sqlite_path(url), source)
    else:
        _pg_restore(url, source, pg_bin_dir)


def _sqlite_restore(path: Path, source: Path) -> None:
    prepare_sqlite_path(f"sqlite:///{path}")
    created = not path.exists()
    try:
        copy = sqlite3.connect(_sqlite_uri(source, "ro"), uri=True)
        try:
            target = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                copy.backup(target)
                target.execute("PRAGMA journal_mode=WAL")  # as the bot opens it
            finally:
                target.close()
        finally:
            copy.close()
    except BaseException:
        if created:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        raise


def _pg_restore(url: str, source: Path, bin_dir: str | None) -> None:
    conninfo, env = libpq_connection(url)
    engine = _pg_engine(url)
    try:
        with engine.connect() as connection:
            major = _server_major(connection)
    finally:
        engine.dispose()
    tool = find_pg_tool("pg_restore", bin_dir=bin_dir, server_major=major)
    _run_tool(
        tool,
        [
            "--exit-on-error",
            "--single-transaction",
            # Owned by the user of DATABASE_URL, whoever owned them where they came from.
            "--no-owner",
            "--no-privileges",
            f"--dbname={conninfo}",
            str(source),
        ],
        env,
    )


def contents_of(url: str) -> Contents:
    """What the database of ``url`` holds now (read only)."""
    if engine_of(url) == SQLITE:
        return _contents_of_sqlite(_sqlite_path(url))
    engine = _pg_engine(url)
    try:
        with engine.connect() as connection:
            return database_contents(connection)
    finally:
        engine.dispose()
