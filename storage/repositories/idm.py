"""IDM results (Indeks Desa Membangun) per desa and year."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import func, select
from sqlmodel import col

from domain.idm import IdmStatus, VillageIndex
from domain.models import IdmResult, IdmSnapshot
from storage.repositories._base import _Repo
from storage.tables import DesaRow, IdmResultRow, utcnow

__all__ = ["SqlIdmRepository", "dimensions_to_text", "dimensions_from_text"]


def dimensions_to_text(dimensions: dict[str, Decimal] | None) -> str | None:
    """Dimension scores as JSON with exact decimal strings (None when absent)."""
    if not dimensions:
        return None
    return json.dumps({k: format(v, "f") for k, v in dimensions.items()}, sort_keys=True)


def dimensions_from_text(text: str | None) -> dict[str, Decimal] | None:
    """The inverse of :func:`dimensions_to_text`."""
    if not text:
        return None
    return {k: Decimal(v) for k, v in json.loads(text).items()}


def _idm(row: IdmResultRow) -> IdmResult:
    return IdmResult(
        desa_id=row.desa_id,
        tahun=row.tahun,
        score=row.score,
        status=IdmStatus(row.status),
        iks=row.iks,
        ike=row.ike,
        ikl=row.ikl,
        status_published=row.status_published,
        source=row.source,
        batch_id=row.batch_id,
        index=VillageIndex(row.indeks),
        dimensions=dimensions_from_text(row.dimensi),
        status_source=row.status_source,
    )


class SqlIdmRepository(_Repo):
    """IDM results."""

    def upsert(self, result: IdmResult) -> bool:
        """Insert or update desa+year; True when inserted."""
        row = self.session.scalars(
            select(IdmResultRow).where(
                col(IdmResultRow.desa_id) == result.desa_id, col(IdmResultRow.tahun) == result.tahun
            )
        ).first()
        inserted = row is None
        if row is None:
            row = IdmResultRow(
                desa_id=result.desa_id,
                tahun=result.tahun,
                score=result.score,
                status=result.status.value,
                source=result.source,
            )
            self.session.add(row)
        row.iks, row.ike, row.ikl = result.iks, result.ike, result.ikl
        row.score = result.score
        row.status = result.status.value
        row.status_published = result.status_published
        row.source = result.source[:200]
        row.batch_id = result.batch_id
        row.indeks = result.index.value
        row.dimensi = dimensions_to_text(result.dimensions)
        row.status_source = None if result.status_source is None else result.status_source[:200]
        row.updated_at = utcnow()
        self.session.flush()
        return inserted

    def _row(self, desa_id: int, tahun: int) -> IdmResultRow | None:
        return self.session.scalars(
            select(IdmResultRow).where(
                col(IdmResultRow.desa_id) == desa_id, col(IdmResultRow.tahun) == tahun
            )
        ).first()

    def get(self, desa_id: int, tahun: int) -> IdmResult | None:
        """One desa's result for a year."""
        row = self._row(desa_id, tahun)
        return None if row is None else _idm(row)

    def snapshot(self, desa_id: int, tahun: int) -> IdmSnapshot | None:
        """The stored result with its batch and its time of change."""
        row = self._row(desa_id, tahun)
        return None if row is None else IdmSnapshot(_idm(row), row.updated_at)

    def restore(self, desa_id: int, tahun: int, snapshot: IdmSnapshot | None) -> None:
        """Write the snapshot's values back (its time of change too), or delete."""
        row = self._row(desa_id, tahun)
        if snapshot is None:
            if row is not None:
                self.session.delete(row)
                self.session.flush()
            return
        self.upsert(snapshot.result)
        row = self._row(desa_id, tahun)
        assert row is not None
        row.updated_at = snapshot.updated_at
        self.session.flush()

    def list_for_kecamatan(self, kecamatan_id: int, tahun: int) -> list[IdmResult]:
        """Results of a kecamatan's desa for a year."""
        rows = self.session.scalars(
            select(IdmResultRow)
            .join(DesaRow, col(DesaRow.id) == col(IdmResultRow.desa_id))
            .where(col(DesaRow.kecamatan_id) == kecamatan_id, col(IdmResultRow.tahun) == tahun)
            .order_by(col(DesaRow.kode))
        )
        return [_idm(r) for r in rows]

    def count_by_status(self, kecamatan_id: int, tahun: int) -> dict[IdmStatus, int]:
        """Desa per status (GROUP BY in the database)."""
        counts = dict.fromkeys(IdmStatus, 0)
        rows = self.session.execute(
            select(col(IdmResultRow.status), func.count())
            .join(DesaRow, col(DesaRow.id) == col(IdmResultRow.desa_id))
            .where(col(DesaRow.kecamatan_id) == kecamatan_id, col(IdmResultRow.tahun) == tahun)
            .group_by(col(IdmResultRow.status))
        )
        for status, count in rows:
            counts[IdmStatus(status)] = int(count)
        return counts

    def latest_year(self, kecamatan_id: int) -> int | None:
        """The most recent year with a result."""
        value = self.session.scalar(
            select(func.max(col(IdmResultRow.tahun)))
            .join(DesaRow, col(DesaRow.id) == col(IdmResultRow.desa_id))
            .where(col(DesaRow.kecamatan_id) == kecamatan_id)
        )
        return None if value is None else int(value)
