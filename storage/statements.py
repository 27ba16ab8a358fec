"""Core statements shared by the storage modules, built once per supported dialect."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Table
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.dml import ReturningInsert

__all__ = ["insert_or_nothing"]


def insert_or_nothing(
    table: Table, returned: ColumnElement[Any]
) -> dict[str, ReturningInsert[Any]]:
    """``INSERT ... ON CONFLICT DO NOTHING RETURNING returned``, by dialect name.

    One statement each for "postgresql" and "sqlite", to be built once at import (a
    prepared statement of the hot path). Nothing comes back when the row was there
    already; what to do on another dialect is the caller's choice.
    """
    return {
        name: make_insert(table).on_conflict_do_nothing().returning(returned)
        for name, make_insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
    }
