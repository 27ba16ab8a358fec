"""Single-use registration links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlmodel import col

from domain.models import Invite, Role, Seksi
from storage.repositories._base import _Repo
from storage.tables import InviteRow

__all__ = ["SqlInviteRepository"]


def _invite(row: InviteRow) -> Invite:
    assert row.id is not None
    return Invite(
        id=row.id,
        kecamatan_id=row.kecamatan_id,
        role=Role(row.role),
        created_by=row.created_by,
        expires_at=row.expires_at,
        seksi=None if row.seksi is None else Seksi(row.seksi),
        desa_id=row.desa_id,
        used_at=row.used_at,
        used_by=row.used_by,
    )


class SqlInviteRepository(_Repo):
    """Single-use registration links."""

    def add(self, invite: Invite, token_hash: str) -> Invite:
        """Store an invite."""
        row = InviteRow(
            token_hash=token_hash,
            kecamatan_id=invite.kecamatan_id,
            role=invite.role.value,
            seksi=None if invite.seksi is None else invite.seksi.value,
            desa_id=invite.desa_id,
            created_by=invite.created_by,
            expires_at=invite.expires_at,
        )
        self.session.add(row)
        self.session.flush()
        return _invite(row)

    def get_by_hash(self, token_hash: str) -> Invite | None:
        """By the token's hash."""
        row = self.session.scalars(
            select(InviteRow).where(col(InviteRow.token_hash) == token_hash)
        ).first()
        return None if row is None else _invite(row)

    def mark_used(self, invite_id: int, user_id: int, at: datetime) -> bool:
        """Conditional UPDATE: only the first use of an invite succeeds."""
        result = self.session.execute(
            update(InviteRow)
            .where(col(InviteRow.id) == invite_id, col(InviteRow.used_at).is_(None))
            .values(used_at=at, used_by=user_id)
            .execution_options(synchronize_session=False)
        )
        return getattr(result, "rowcount", 0) == 1
