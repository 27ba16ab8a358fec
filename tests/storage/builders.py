"""Builders shared by the storage integration tests: instants, SQL capture (domain
objects: tests/factories.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, event

JAKARTA = ZoneInfo("Asia/Jakarta")

PADEMAWU = {
    "kode": "35.28.09",
    "kode_bps": "3528050",
    "nama": "Pademawu",
    "kabupaten": "Pamekasan",
    "provinsi": "Jawa Timur",
    "desa": [
        {"kode": "35.28.09.2001", "kode_bps": "3528050001", "nama": "Murtajih"},
        {"kode": "35.28.09.2002", "kode_bps": "3528050002", "nama": "Bunder"},
    ],
}


def jakarta(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """An instant given as a wall time in Asia/Jakarta (UTC+7)."""
    return datetime(year, month, day, hour, minute, tzinfo=JAKARTA)


@dataclass
class Statements:
    """SQL sent to the driver while capturing, with the row count the driver reported."""

    sql: list[str] = field(default_factory=list)
    rowcounts: list[int] = field(default_factory=list)

    def containing(self, fragment: str) -> list[str]:
        """The statements that contain ``fragment`` (case-insensitive)."""
        return [s for s in self.sql if fragment.lower() in s.lower()]


@contextmanager
def captured_statements(engine: Engine) -> Iterator[Statements]:
    """Record every statement executed on ``engine`` inside the block."""
    captured = Statements()

    def before(
        conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool
    ) -> None:
        captured.sql.append(statement)

    def after(
        conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool
    ) -> None:
        captured.rowcounts.append(int(cursor.rowcount))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield captured
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant given in UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)
