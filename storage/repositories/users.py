"""Registered officers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlmodel import col

from domain.models import Role, Seksi, User, UserStatus
from storage.repositories._base import _Repo
from storage.tables import UserRow, utcnow

__all__ = ["SqlUserRepository", "USERS", "USER_FIELDS", "user_from_row"]

USERS: Table = UserRow.__table__  # type: ignore[attr-defined]
_USER_BY_TELEGRAM_ID = select(USERS).where(USERS.c.telegram_id == bindparam("telegram_id"))

# The columns a User is made of (user_from_row reads these).
USER_FIELDS = frozenset(
    ("id", "telegram_id", "nama", "jabatan", "role", "status", "kecamatan_id", "seksi", "desa_id")
)


def user_from_row(row: Any) -> User:
    """A user from its ORM row or a Core row (the same column names)."""
    assert row.id is not None
    return User(
        id=row.id,
        telegram_id=row.telegram_id,
        nama=row.nama,
        jabatan=row.jabatan,
        role=Role(row.role),
        status=UserStatus(row.status),
        kecamatan_id=row.kecamatan_id,
        seksi=None if row.seksi is None else Seksi(row.seksi),
        desa_id=row.desa_id,
    )


class SqlUserRepository(_Repo):
    """Registered officers."""

    def add(self, user: User) -> User:
        """Store a user."""
        row = UserRow(
            telegram_id=user.telegram_id,
            nama=user.nama,
            jabatan=user.jabatan,
            role=user.role.value,
            seksi=None if user.seksi is None else user.seksi.value,
            desa_id=user.desa_id,
            kecamatan_id=user.kecamatan_id,
            status=user.status.value,
        )
        self.session.add(row)
        self.session.flush()
        return user_from_row(row)

    def get_by_telegram_id(self, telegram_id: int) -> User | None:
        """By Telegram id."""
        row = self._core(_USER_BY_TELEGRAM_ID, {"telegram_id": telegram_id}).first()
        return None if row is None else user_from_row(row)

    def get(self, user_id: int) -> User | None:
        """By id."""
        row = self.session.get(UserRow, user_id)
        return None if row is None else user_from_row(row)

    def list(
        self,
        kecamatan_id: int,
        *,
        status: UserStatus | None = None,
        role: Role | None = None,
        seksi: Seksi | None = None,
    ) -> list[User]:
        """Users of a kecamatan by name, optionally filtered (Core rows: no ORM objects,
        as every report's last step reads the staff who get its card)."""
        query = select(USERS).where(USERS.c.kecamatan_id == kecamatan_id)
        if status is not None:
            query = query.where(USERS.c.status == status.value)
        if role is not None:
            query = query.where(USERS.c.role == role.value)
        if seksi is not None:
            query = query.where(USERS.c.seksi == seksi.value)
        rows = self._core(query.order_by(USERS.c.nama, USERS.c.id))
        return [user_from_row(r) for r in rows]

    def update(self, user: User, *, expected_status: UserStatus | None = None) -> User | None:
        """Store every field of an existing user; conditional on ``expected_status``."""
        query = update(UserRow).where(col(UserRow.id) == user.id)
        if expected_status is not None:
            query = query.where(col(UserRow.status) == expected_status.value)
        result = self.session.execute(
            query.values(
                nama=user.nama,
                jabatan=user.jabatan,
                role=user.role.value,
                seksi=None if user.seksi is None else user.seksi.value,
                desa_id=user.desa_id,
                kecamatan_id=user.kecamatan_id,
                status=user.status.value,
                updated_at=utcnow(),
            ).execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) != 1:
            return None
        return user
