"""Import batches (one per imported file) and the IDM results they overwrote."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col

from domain.idm import IdmStatus, VillageIndex
from domain.models import (
    IdmChange,
    IdmResult,
    IdmSnapshot,
    ImportBatch,
    ImportKind,
    ImportSource,
)
from storage.repositories._base import _Repo
from storage.repositories.idm import dimensions_from_text, dimensions_to_text
from storage.tables import IdmImportChangeRow, ImportBatchRow

__all__ = ["SqlImportBatchRepository"]


def _batch(row: ImportBatchRow) -> ImportBatch:
    assert row.id is not None
    return ImportBatch(
        id=row.id,
        kecamatan_id=row.kecamatan_id,
        kind=ImportKind(row.kind),
        source=ImportSource(row.source),
        file_name=row.file_name,
        sha256=row.sha256,
        actor=row.actor,
        created_at=row.created_at,
        rows_read=row.rows_read,
        stored=row.stored,
        replaced=row.replaced,
        user_id=row.user_id,
        undone_at=row.undone_at,
        undone_by=row.undone_by,
        replaced_by=row.replaced_by,
    )


def _previous_columns(previous: IdmSnapshot | None) -> dict[str, Any]:
    if previous is None:
        return {
            "had_previous": False,
            "prev_iks": None,
            "prev_ike": None,
            "prev_ikl": None,
            "prev_score": None,
            "prev_status": None,
            "prev_status_published": None,
            "prev_source": None,
            "prev_updated_at": None,
            "prev_batch_id": None,
            "prev_indeks": None,
            "prev_dimensi": None,
            "prev_status_source": None,
        }
    result = previous.result
    return {
        "had_previous": True,
        "prev_iks": result.iks,
        "prev_ike": result.ike,
        "prev_ikl": result.ikl,
        "prev_score": result.score,
        "prev_status": result.status.value,
        "prev_status_published": result.status_published,
        "prev_source": result.source,
        "prev_updated_at": previous.updated_at,
        "prev_batch_id": result.batch_id,
        "prev_indeks": result.index.value,
        "prev_dimensi": dimensions_to_text(result.dimensions),
        "prev_status_source": result.status_source,
    }


def _change(row: IdmImportChangeRow) -> IdmChange:
    previous = None
    if row.had_previous:
        assert row.prev_score is not None
        assert row.prev_status is not None
        assert row.prev_updated_at is not None
        previous = IdmSnapshot(
            IdmResult(
                desa_id=row.desa_id,
                tahun=row.tahun,
                score=row.prev_score,
                status=IdmStatus(row.prev_status),
                iks=row.prev_iks,
                ike=row.prev_ike,
                ikl=row.prev_ikl,
                status_published=row.prev_status_published,
                source=row.prev_source or "",
                batch_id=row.prev_batch_id,
                index=VillageIndex(row.prev_indeks or VillageIndex.IDM.value),
                dimensions=dimensions_from_text(row.prev_dimensi),
                status_source=row.prev_status_source,
            ),
            row.prev_updated_at,
        )
    return IdmChange(row.desa_id, row.tahun, previous)


class SqlImportBatchRepository(_Repo):
    """Import batches."""

    def add(self, batch: ImportBatch) -> ImportBatch | None:
        """INSERT ... ON CONFLICT DO NOTHING: the partial unique index on the active
        batches' SHA-256 decides, also between two writers at once."""
        dialect = self.session.get_bind().dialect.name
        make_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        values = {
            "kecamatan_id": batch.kecamatan_id,
            "kind": batch.kind.value,
            "source": batch.source.value,
            "file_name": batch.file_name[:200],
            "sha256": batch.sha256,
            "actor": batch.actor[:60],
            "user_id": batch.user_id,
            "created_at": batch.created_at,
            "rows_read": batch.rows_read,
            "stored": batch.stored,
            "replaced": batch.replaced,
        }
        statement = (
            make_insert(ImportBatchRow)
            .values(**values)
            .on_conflict_do_nothing()
            .returning(col(ImportBatchRow.id))
        )
        batch_id = self._core(statement).scalar_one_or_none()
        return None if batch_id is None else self.get(int(batch_id))

    def get(self, batch_id: int) -> ImportBatch | None:
        """By id (read from the database, not from the session's cache)."""
        row = self.session.scalars(
            select(ImportBatchRow)
            .where(col(ImportBatchRow.id) == batch_id)
            .execution_options(populate_existing=True)
        ).first()
        return None if row is None else _batch(row)

    def find_active(self, kecamatan_id: int, kind: ImportKind, sha256: str) -> ImportBatch | None:
        """The batch not undone with these bytes (the unique index finds it)."""
        row = self.session.scalars(
            select(ImportBatchRow)
            .where(
                col(ImportBatchRow.kecamatan_id) == kecamatan_id,
                col(ImportBatchRow.kind) == kind.value,
                col(ImportBatchRow.sha256) == sha256,
                col(ImportBatchRow.undone_at).is_(None),
            )
            .execution_options(populate_existing=True)
        ).first()
        return None if row is None else _batch(row)

    def find_active_by_name(
        self, kecamatan_id: int, kind: ImportKind, file_name: str
    ) -> list[ImportBatch]:
        """Batches not undone of files with this name, oldest first."""
        rows = self.session.scalars(
            select(ImportBatchRow)
            .where(
                col(ImportBatchRow.kecamatan_id) == kecamatan_id,
                col(ImportBatchRow.kind) == kind.value,
                col(ImportBatchRow.file_name) == file_name[:200],
                col(ImportBatchRow.undone_at).is_(None),
            )
            .order_by(col(ImportBatchRow.id))
            .execution_options(populate_existing=True)
        )
        return [_batch(r) for r in rows]

    def list_for_kecamatan(
        self, kecamatan_id: int, *, kind: ImportKind | None = None, limit: int | None = None
    ) -> list[ImportBatch]:
        """Newest first."""
        query = select(ImportBatchRow).where(col(ImportBatchRow.kecamatan_id) == kecamatan_id)
        if kind is not None:
            query = query.where(col(ImportBatchRow.kind) == kind.value)
        query = query.order_by(col(ImportBatchRow.created_at).desc(), col(ImportBatchRow.id).desc())
        if limit is not None:
            query = query.limit(limit)
        query = query.execution_options(populate_existing=True)
        return [_batch(r) for r in self.session.scalars(query)]

    def count(self, kecamatan_id: int, *, kind: ImportKind | None = None) -> int:
        """COUNT of a kecamatan's batches."""
        query = (
            select(func.count())
            .select_from(ImportBatchRow)
            .where(col(ImportBatchRow.kecamatan_id) == kecamatan_id)
        )
        if kind is not None:
            query = query.where(col(ImportBatchRow.kind) == kind.value)
        return int(self.session.scalar(query) or 0)

    def set_counts(self, batch_id: int, *, rows_read: int, stored: int, replaced: int) -> None:
        """UPDATE the counts."""
        self._core(
            update(ImportBatchRow)
            .where(col(ImportBatchRow.id) == batch_id)
            .values(rows_read=rows_read, stored=stored, replaced=replaced)
        )

    def mark_undone(self, batch_id: int, *, at: datetime, by: str) -> bool:
        """UPDATE ... WHERE undone_at IS NULL: of two undos at once, one changes the row."""
        result = self._core(
            update(ImportBatchRow)
            .where(col(ImportBatchRow.id) == batch_id, col(ImportBatchRow.undone_at).is_(None))
            .values(undone_at=at, undone_by=by[:60])
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def set_replaced_by(self, batch_id: int, replaced_by: int) -> None:
        """UPDATE replaced_by."""
        self._core(
            update(ImportBatchRow)
            .where(col(ImportBatchRow.id) == batch_id)
            .values(replaced_by=replaced_by)
        )

    def add_idm_change(
        self, batch_id: int, desa_id: int, tahun: int, previous: IdmSnapshot | None
    ) -> None:
        """INSERT the desa-year and its previous values."""
        self.session.add(
            IdmImportChangeRow(
                batch_id=batch_id, desa_id=desa_id, tahun=tahun, **_previous_columns(previous)
            )
        )
        self.session.flush()

    def idm_changes(self, batch_id: int) -> list[IdmChange]:
        """The batch's desa-years in the order written."""
        rows = self.session.scalars(
            select(IdmImportChangeRow)
            .where(col(IdmImportChangeRow.batch_id) == batch_id)
            .order_by(col(IdmImportChangeRow.id))
            .execution_options(populate_existing=True)
        )
        return [_change(r) for r in rows]

    def relink_idm_previous(
        self, desa_id: int, tahun: int, *, replaced_batch: int, previous: IdmSnapshot | None
    ) -> int:
        """One UPDATE of the active batches' changes that name ``replaced_batch``."""
        active = select(col(ImportBatchRow.id)).where(col(ImportBatchRow.undone_at).is_(None))
        result = self._core(
            update(IdmImportChangeRow)
            .where(
                col(IdmImportChangeRow.desa_id) == desa_id,
                col(IdmImportChangeRow.tahun) == tahun,
                col(IdmImportChangeRow.prev_batch_id) == replaced_batch,
                col(IdmImportChangeRow.batch_id).in_(active),
            )
            .values(**_previous_columns(previous))
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
