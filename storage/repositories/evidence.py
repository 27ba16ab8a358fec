"""Evidence files of cases: their Telegram file ids and where their bytes are."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, or_, select, update
from sqlmodel import col

from domain.models import (
    CheckedFile,
    EvidenceFile,
    EvidenceMedia,
    EvidenceRole,
    EvidenceStatus,
    IncidentKind,
)
from domain.ports import EvidenceListing
from storage.repositories._base import _Repo
from storage.tables import DesaRow, EvidenceFileRow, IncidentRow

__all__ = ["SqlEvidenceRepository"]


def _file(row: EvidenceFileRow) -> EvidenceFile:
    assert row.id is not None
    return EvidenceFile(
        id=row.id,
        incident_id=row.incident_id,
        role=EvidenceRole(row.role),
        telegram_file_id=row.telegram_file_id,
        status=EvidenceStatus(row.status),
        received_at=row.received_at,
        event_id=row.event_id,
        telegram_file_unique_id=row.telegram_file_unique_id,
        sha256=row.sha256,
        size=row.size,
        content_type=row.content_type,
        store_key=row.store_key,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        stored_at=row.stored_at,
        media=EvidenceMedia(row.media),
        file_name=row.file_name,
    )


class SqlEvidenceRepository(_Repo):
    """The evidence_file table."""

    added = 0  # pending rows added in this unit of work

    def add_pending(
        self,
        *,
        incident_id: int,
        role: EvidenceRole,
        telegram_file_id: str,
        received_at: datetime,
        event_id: int | None = None,
        telegram_file_unique_id: str | None = None,
        media: EvidenceMedia = EvidenceMedia.PHOTO,
        file_name: str | None = None,
    ) -> EvidenceFile:
        """A file id just received: status pending, due at once."""
        row = EvidenceFileRow(
            incident_id=incident_id,
            event_id=event_id,
            role=role.value,
            telegram_file_id=telegram_file_id,
            telegram_file_unique_id=telegram_file_unique_id,
            media=media.value,
            file_name=file_name,
            status=EvidenceStatus.PENDING.value,
            attempts=0,
            next_attempt_at=received_at,
            received_at=received_at,
        )
        self.session.add(row)
        self.session.flush()
        self.added += 1
        return _file(row)

    def get(self, evidence_id: int) -> EvidenceFile | None:
        """By id."""
        row = self.session.get(EvidenceFileRow, evidence_id)
        if row is not None:
            self.session.refresh(row)
        return None if row is None else _file(row)

    def for_incident(self, incident_id: int) -> list[EvidenceFile]:
        """A case's files in the order they were received."""
        rows = self.session.scalars(
            select(EvidenceFileRow)
            .where(col(EvidenceFileRow.incident_id) == incident_id)
            .order_by(col(EvidenceFileRow.id))
        )
        return [_file(row) for row in rows]

    def due(self, *, now: datetime, limit: int) -> list[EvidenceFile]:
        """Pending files whose next attempt is due, oldest first."""
        rows = self.session.scalars(
            select(EvidenceFileRow)
            .where(
                col(EvidenceFileRow.status) == EvidenceStatus.PENDING.value,
                or_(
                    col(EvidenceFileRow.next_attempt_at).is_(None),
                    col(EvidenceFileRow.next_attempt_at) <= now,
                ),
            )
            .order_by(col(EvidenceFileRow.next_attempt_at), col(EvidenceFileRow.id))
            .limit(limit)
        )
        return [_file(row) for row in rows]

    def _set(self, evidence_id: int, **values: object) -> None:
        self.session.execute(
            update(EvidenceFileRow)
            .where(col(EvidenceFileRow.id) == evidence_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    def mark_stored(
        self, evidence_id: int, *, checked: CheckedFile, store_key: str, at: datetime
    ) -> None:
        """The bytes are in the store under ``store_key``."""
        self._set(
            evidence_id,
            status=EvidenceStatus.STORED.value,
            sha256=checked.sha256,
            size=checked.size,
            content_type=checked.content_type,
            store_key=store_key,
            stored_at=at,
            next_attempt_at=None,
            last_error=None,
        )

    def mark_rejected(self, evidence_id: int, *, reason: str, at: datetime) -> None:
        """The download is not kept (never retried)."""
        self._set(
            evidence_id,
            status=EvidenceStatus.REJECTED.value,
            last_error=reason[:500],
            next_attempt_at=None,
        )

    def reschedule(
        self, evidence_id: int, *, attempts: int, next_attempt_at: datetime, error: str
    ) -> None:
        """A failed download: try again at ``next_attempt_at``."""
        self._set(
            evidence_id, attempts=attempts, next_attempt_at=next_attempt_at, last_error=error[:500]
        )

    def mark_failed(self, evidence_id: int, *, attempts: int, error: str, at: datetime) -> None:
        """Given up after the attempts."""
        self._set(
            evidence_id,
            status=EvidenceStatus.FAILED.value,
            attempts=attempts,
            last_error=error[:500],
            next_attempt_at=None,
        )

    def listing(self, *, kecamatan_id: int | None, start: date, end: date) -> list[EvidenceListing]:
        """Files of the cases with event date in [start, end], one joined query."""
        query = (
            select(
                EvidenceFileRow,
                col(IncidentRow.nomor),
                col(IncidentRow.kind),
                col(IncidentRow.event_date),
                col(IncidentRow.kecamatan_id),
                col(DesaRow.kode),
                col(DesaRow.nama),
            )
            .join(IncidentRow, col(IncidentRow.id) == col(EvidenceFileRow.incident_id))
            .join(DesaRow, col(DesaRow.id) == col(IncidentRow.desa_id))
            .where(col(IncidentRow.event_date) >= start, col(IncidentRow.event_date) <= end)
            .order_by(col(IncidentRow.event_date), col(IncidentRow.id), col(EvidenceFileRow.id))
        )
        if kecamatan_id is not None:
            query = query.where(col(IncidentRow.kecamatan_id) == kecamatan_id)
        return [
            EvidenceListing(
                file=_file(row),
                nomor=nomor,
                kind=IncidentKind(kind),
                event_date=event_date,
                kecamatan_id=kec,
                desa_kode=desa_kode,
                desa_nama=desa_nama,
            )
            for row, nomor, kind, event_date, kec, desa_kode, desa_nama in self.session.execute(
                query
            )
        ]

    def counts(self) -> dict[EvidenceStatus, int]:
        """How many files are in each status."""
        rows = self.session.execute(
            select(col(EvidenceFileRow.status), func.count()).group_by(col(EvidenceFileRow.status))
        )
        found = {EvidenceStatus(status): int(count) for status, count in rows}
        return {status: found.get(status, 0) for status in EvidenceStatus}
