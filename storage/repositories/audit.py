"""The audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import col

from domain.ports import AuditLogEntry
from storage.repositories._base import _Repo
from storage.tables import AuditLogRow, utcnow

__all__ = ["SqlAuditRepository"]


def _like_prefix(text: str) -> str:
    """A LIKE pattern matching what starts with ``text`` (its own % and _ escaped)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


class SqlAuditRepository(_Repo):
    """Audit log."""

    def record(
        self,
        *,
        actor: str,
        action: str,
        entity: str,
        entity_id: str | None = None,
        detail: dict[str, Any] | None = None,
        user_id: int | None = None,
        at: datetime | None = None,
    ) -> None:
        """Append one entry."""
        self.session.add(
            AuditLogRow(
                user_id=user_id,
                actor=actor[:60],
                action=action,
                entity=entity,
                entity_id=entity_id,
                detail=detail,
                created_at=at or utcnow(),
            )
        )
        self.session.flush()

    def entries(
        self,
        *,
        user_ids: frozenset[int] | None = None,
        actors: frozenset[str] | None = None,
        since: datetime | None = None,
        before: datetime | None = None,
        action_prefix: str | None = None,
        limit: int | None = None,
    ) -> list[AuditLogEntry]:
        """Newest first (by time, then id); one query with the filters in SQL."""
        query = select(AuditLogRow)
        who = []
        if user_ids is not None:
            who.append(col(AuditLogRow.user_id).in_(sorted(user_ids)))
        if actors is not None:
            who.append(col(AuditLogRow.actor).in_(sorted(actors)))
        if who:
            query = query.where(or_(*who))
        if since is not None:
            query = query.where(col(AuditLogRow.created_at) >= since)
        if before is not None:
            query = query.where(col(AuditLogRow.created_at) < before)
        if action_prefix:
            query = query.where(
                col(AuditLogRow.action).like(_like_prefix(action_prefix), escape="\\")
            )
        query = query.order_by(col(AuditLogRow.created_at).desc(), col(AuditLogRow.id).desc())
        if limit is not None:
            query = query.limit(limit)
        return [
            AuditLogEntry(
                id=row.id or 0,
                user_id=row.user_id,
                actor=row.actor,
                action=row.action,
                entity=row.entity,
                entity_id=row.entity_id,
                detail=row.detail,
                created_at=row.created_at,
            )
            for row in self.session.scalars(query)
        ]
