"""The audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.repositories._base import _Repo
from storage.tables import AuditLogRow, utcnow

__all__ = ["SqlAuditRepository"]


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
