"""The base of the repositories and the helpers they share."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Executable, Result
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlmodel import col


def _insert_once(session: Session, table: Any, values: dict[str, Any], key: list[str]) -> bool:
    """One atomic INSERT ... ON CONFLICT DO NOTHING; True when the row was inserted.

    Two writers at once get one row and no error (no read-then-write race).
    """
    dialect = session.get_bind().dialect.name
    make_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    returned = getattr(table, key[0])
    inserted = session.execute(
        make_insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=key)
        .returning(col(returned))
    ).scalar_one_or_none()
    return inserted is not None


class _Repo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _core(
        self,
        statement: Executable,
        params: dict[str, Any] | list[dict[str, Any]] | None = None,
    ) -> Result[Any]:
        """A prepared Core statement of the hot path (compiled once, no ORM in between);
        a list of parameter sets: the statement once for each (executemany).

        ORM changes not yet flushed are flushed first, as an ORM query would.
        """
        session = self.session
        if session.new or session.dirty or session.deleted:
            session.flush()
        return session.connection().execute(statement, params)
