"""Annual targets of the indicators."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlmodel import col

from domain.models import IndicatorCode
from storage.repositories._base import _Repo
from storage.tables import TargetRow, utcnow

__all__ = ["SqlTargetRepository"]


class SqlTargetRepository(_Repo):
    """Annual targets."""

    def set(self, kecamatan_id: int, indicator: IndicatorCode, tahun: int, value: Decimal) -> None:
        """Insert or replace."""
        row = self.session.scalars(
            select(TargetRow).where(
                col(TargetRow.kecamatan_id) == kecamatan_id,
                col(TargetRow.indicator) == indicator.value,
                col(TargetRow.tahun) == tahun,
            )
        ).first()
        if row is None:
            self.session.add(
                TargetRow(
                    kecamatan_id=kecamatan_id, indicator=indicator.value, tahun=tahun, value=value
                )
            )
        else:
            row.value = value
            row.updated_at = utcnow()
        self.session.flush()

    def for_year(self, kecamatan_id: int, tahun: int) -> dict[IndicatorCode, Decimal]:
        """All targets of a year."""
        rows = self.session.scalars(
            select(TargetRow).where(
                col(TargetRow.kecamatan_id) == kecamatan_id, col(TargetRow.tahun) == tahun
            )
        )
        return {IndicatorCode(r.indicator): r.value for r in rows}
