"""Desa tematik designations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlmodel import col

from domain.models import DesaTematik, Tema
from storage.repositories._base import _Repo
from storage.tables import DesaRow, DesaTematikRow

__all__ = ["SqlTematikRepository"]


def _tematik(row: DesaTematikRow) -> DesaTematik:
    assert row.id is not None
    return DesaTematik(
        id=row.id,
        desa_id=row.desa_id,
        tema=Tema(row.tema),
        tahun=row.tahun,
        referensi=row.referensi,
        active=row.active,
        tema_lainnya=row.tema_lainnya,
        document_file_id=row.document_file_id,
    )


class SqlTematikRepository(_Repo):
    """Desa tematik designations."""

    def add(self, item: DesaTematik) -> DesaTematik:
        """Store a designation."""
        row = DesaTematikRow(
            desa_id=item.desa_id,
            tema=item.tema.value,
            tema_lainnya=item.tema_lainnya,
            tahun=item.tahun,
            referensi=item.referensi,
            document_file_id=item.document_file_id,
            active=item.active,
        )
        self.session.add(row)
        self.session.flush()
        return _tematik(row)

    def _active(self, kecamatan_id: int, tahun: int) -> Any:
        return and_(
            col(DesaRow.kecamatan_id) == kecamatan_id,
            col(DesaTematikRow.tahun) == tahun,
            col(DesaTematikRow.active).is_(True),
        )

    def list_active(self, kecamatan_id: int, tahun: int) -> list[DesaTematik]:
        """Active designations of a year."""
        rows = self.session.scalars(
            select(DesaTematikRow)
            .join(DesaRow, col(DesaRow.id) == col(DesaTematikRow.desa_id))
            .where(self._active(kecamatan_id, tahun))
            .order_by(col(DesaRow.kode), col(DesaTematikRow.id))
        )
        return [_tematik(r) for r in rows]

    def get(self, tematik_id: int) -> DesaTematik | None:
        """One designation by id."""
        row = self.session.get(DesaTematikRow, tematik_id)
        return None if row is None else _tematik(row)

    def end(self, tematik_id: int, at: datetime) -> bool:
        """Deactivate an active designation (a conditional UPDATE: only one ending wins)."""
        result = self.session.execute(
            update(DesaTematikRow)
            .where(col(DesaTematikRow.id) == tematik_id, col(DesaTematikRow.active).is_(True))
            .values(active=False, ended_at=at)
            .execution_options(synchronize_session=False)
        )
        return getattr(result, "rowcount", 0) == 1

    def count_desa(self, kecamatan_id: int, tahun: int) -> int:
        """COUNT(DISTINCT desa) with an active theme in the year."""
        value = self.session.scalar(
            select(func.count(func.distinct(col(DesaTematikRow.desa_id))))
            .join(DesaRow, col(DesaRow.id) == col(DesaTematikRow.desa_id))
            .where(self._active(kecamatan_id, tahun))
        )
        return int(value or 0)
