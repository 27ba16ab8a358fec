"""Incidents, their history, nil reports and the handling aggregates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam, case, func, insert, literal, select, union, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from domain.models import (
    Incident,
    IncidentCorrection,
    IncidentEvent,
    IncidentKind,
    IncidentStatus,
    KonflikStage,
    NilReport,
    tracking_number,
)
from domain.period import Period
from domain.ports import ReceivedCount, ReceivedMark
from storage.repositories._base import _insert_once, _Repo
from storage.tables import (
    DesaRow,
    IncidentCorrectionRow,
    IncidentEventRow,
    IncidentPhotoRow,
    IncidentRow,
    KecamatanRow,
    NilReportRow,
    TrackingCounterRow,
)

__all__ = ["SqlIncidentRepository"]

OFFICE_TZ = ZoneInfo("Asia/Jakarta")


_IN_CHUNK = 500  # ids per IN (...) list: far below SQLite's and PostgreSQL's limits

# Not yet handled: the condition of the partial indexes ix_incident_open(_kind) (see
# storage/tables.py), with the value written into the SQL. Sent as a parameter, the
# engines could not prove that a query only wants the indexed rows (PostgreSQL's generic
# plans of prepared statements never can) and would read every incident instead.
_NOT_HANDLED = literal(IncidentStatus.TERTANGANI.value, literal_execute=True)
# A voided duplicate counts nowhere: not in the IKU, the open cases, reminders or digest.
_NOT_VOIDED = col(IncidentRow.voided_at).is_(None)

# A new report: Core statements of the tables (compiled once, no ORM unit of work).
_INCIDENT_TABLE: Table = IncidentRow.__table__  # type: ignore[attr-defined]
_INCIDENT_INSERT = insert(_INCIDENT_TABLE).returning(_INCIDENT_TABLE.c.id)
_PHOTO_INSERT = insert(IncidentPhotoRow.__table__)  # type: ignore[attr-defined]
_EVENT_INSERT = insert(IncidentEventRow.__table__)  # type: ignore[attr-defined]
# The tracking counter of a kecamatan's kind and year bumped, returning the new number
# and the kecamatan's code (a scalar subquery: both engines allow it in RETURNING).
_COUNTERS: Table = TrackingCounterRow.__table__  # type: ignore[attr-defined]
_KECAMATAN: Table = KecamatanRow.__table__  # type: ignore[attr-defined]
_KECAMATAN_KODE = select(_KECAMATAN.c.kode).where(_KECAMATAN.c.id == bindparam("counter_kecamatan"))
_COUNTER_BUMP = (
    update(_COUNTERS)
    .where(
        _COUNTERS.c.kecamatan_id == bindparam("counter_kecamatan"),
        _COUNTERS.c.kind == bindparam("counter_kind"),
        _COUNTERS.c.tahun == bindparam("counter_tahun"),
    )
    .values(last=_COUNTERS.c.last + 1)
    .returning(
        _COUNTERS.c.last,
        select(_KECAMATAN.c.kode)
        .where(_KECAMATAN.c.id == _COUNTERS.c.kecamatan_id)
        .scalar_subquery()
        .label("kode"),
    )
)


def _incident(row: IncidentRow, photos: tuple[str, ...]) -> Incident:
    assert row.id is not None
    return Incident(
        id=row.id,
        nomor=row.nomor,
        kind=IncidentKind(row.kind),
        kecamatan_id=row.kecamatan_id,
        desa_id=row.desa_id,
        event_date=row.event_date,
        received_at=row.received_at,
        category=row.category,
        description=row.description,
        status=IncidentStatus(row.status),
        reporter_id=row.reporter_id,
        category_detail=row.category_detail,
        stage=None if row.stage is None else KonflikStage(row.stage),
        latitude=row.latitude,
        longitude=row.longitude,
        photo_file_ids=photos,
        handled_at=row.handled_at,
        version=row.version,
        duplicate_of_id=row.duplicate_of_id,
        voided_at=row.voided_at,
        void_reason=row.void_reason,
        late_entry=bool(row.late_entry),
    )


class SqlIncidentRepository(_Repo):
    """Incidents, history, nil reports and the handling aggregates."""

    def _photos(self, incident_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """The report photos of many incidents, in one query per 500 ids (no query per row)."""
        found: dict[int, list[str]] = {}
        unique = list(dict.fromkeys(incident_ids))
        for first in range(0, len(unique), _IN_CHUNK):
            rows = self.session.execute(
                select(col(IncidentPhotoRow.incident_id), col(IncidentPhotoRow.file_id))
                .where(
                    col(IncidentPhotoRow.incident_id).in_(unique[first : first + _IN_CHUNK]),
                    col(IncidentPhotoRow.purpose) == "laporan",
                )
                .order_by(col(IncidentPhotoRow.incident_id), col(IncidentPhotoRow.id))
            )
            for incident_id, file_id in rows:
                found.setdefault(incident_id, []).append(file_id)
        return {incident_id: tuple(files) for incident_id, files in found.items()}

    def _incidents(self, rows: Iterable[IncidentRow]) -> list[Incident]:
        """Domain incidents of rows, their photos loaded together."""
        listed = list(rows)
        photos = self._photos([r.id for r in listed if r.id is not None])
        return [_incident(row, photos.get(row.id or 0, ())) for row in listed]

    def _incident(self, row: IncidentRow) -> Incident:
        [incident] = self._incidents([row])
        return incident

    def _tracking_number(
        self, kecamatan_id: int, kind: IncidentKind, tahun: int
    ) -> tuple[str, int]:
        """The next tracking number of a kecamatan's kind and year, and its sequence.

        The counter row stays locked until commit, so that concurrent writers of one series
        wait and never share a number. One statement (the bump returns the kecamatan's code
        too) but for the first report of a series, which creates its counter.
        """
        key = {
            "counter_kecamatan": kecamatan_id,
            "counter_kind": kind.value,
            "counter_tahun": tahun,
        }
        for _ in range(3):
            bumped = self._core(_COUNTER_BUMP, key).first()
            if bumped is not None:
                last, kode = bumped.last, bumped.kode
                return tracking_number(kind, kode, tahun, int(last)), int(last)
            kode = self._core(_KECAMATAN_KODE, key).scalar()
            if kode is None:
                raise ValueError(f"kecamatan {kecamatan_id} tidak ada")
            try:
                with self.session.begin_nested():
                    self.session.execute(
                        insert(TrackingCounterRow).values(
                            kecamatan_id=kecamatan_id, kind=kind.value, tahun=tahun, last=1
                        )
                    )
                return tracking_number(kind, kode, tahun, 1), 1
            except IntegrityError:
                continue  # another writer created the counter first: bump it instead
        raise RuntimeError("nomor laporan tidak dapat dialokasikan")

    def add(self, incident: Incident) -> Incident:
        """Store a new incident with the next tracking number of its kecamatan, kind and year.

        Core statements, no ORM unit of work: the report, its photos and its first event,
        three INSERTs at most (every report's last step pays them).
        """
        tahun = incident.received_at.astimezone(OFFICE_TZ).year
        nomor, seq = self._tracking_number(incident.kecamatan_id, incident.kind, tahun)
        at = incident.received_at
        incident_id = self._core(
            _INCIDENT_INSERT,
            {
                "nomor": nomor,
                "kind": incident.kind.value,
                "tahun": tahun,
                "seq": seq,
                "kecamatan_id": incident.kecamatan_id,
                "desa_id": incident.desa_id,
                "event_date": incident.event_date,
                "received_at": at,
                "category": incident.category,
                "category_detail": incident.category_detail,
                "description": incident.description,
                "stage": None if incident.stage is None else incident.stage.value,
                "latitude": incident.latitude,
                "longitude": incident.longitude,
                "status": IncidentStatus.BARU.value,
                "reporter_id": incident.reporter_id,
                "version": 1,
                "late_entry": incident.late_entry,
                "created_at": at,
                "updated_at": at,
            },
        ).scalar_one()
        photos = tuple(incident.photo_file_ids)
        if photos:
            self._core(
                _PHOTO_INSERT,
                [
                    {
                        "incident_id": incident_id,
                        "file_id": file_id,
                        "purpose": "laporan",
                        "created_at": at,
                    }
                    for file_id in photos
                ],
            )
        self._core(
            _EVENT_INSERT,
            {
                "incident_id": incident_id,
                "from_status": None,
                "to_status": IncidentStatus.BARU.value,
                "note": "Laporan diterima",
                "photo_file_id": None,
                "user_id": incident.reporter_id,
                "created_at": at,
            },
        )
        return replace(
            incident,
            id=int(incident_id),
            nomor=nomor,
            status=IncidentStatus.BARU,
            photo_file_ids=photos,
            handled_at=None,
            version=1,
            duplicate_of_id=None,
            voided_at=None,
            void_reason=None,
        )

    def get_by_nomor(self, nomor: str) -> Incident | None:
        """By tracking number, case-insensitive."""
        row = self.session.scalars(
            select(IncidentRow).where(col(IncidentRow.nomor) == nomor.strip().upper())
        ).first()
        return None if row is None else self._incident(row)

    def change_status(
        self,
        incident_id: int,
        *,
        to_status: IncidentStatus,
        note: str,
        user_id: int | None,
        at: datetime,
        expected_version: int,
        photo_file_id: str | None = None,
    ) -> Incident | None:
        """Optimistic status change with a history entry; None when the version moved on."""
        current = self.session.get(IncidentRow, incident_id)
        if current is None:
            return None
        from_status = current.status
        handled_at = at if to_status is IncidentStatus.TERTANGANI else None
        result = self.session.execute(
            update(IncidentRow)
            .where(col(IncidentRow.id) == incident_id, col(IncidentRow.version) == expected_version)
            .values(
                status=to_status.value,
                handled_at=handled_at,
                updated_at=at,
                version=col(IncidentRow.version) + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) != 1:
            return None
        self.session.add(
            IncidentEventRow(
                incident_id=incident_id,
                from_status=from_status,
                to_status=to_status.value,
                note=note,
                photo_file_id=photo_file_id,
                user_id=user_id,
                created_at=at,
            )
        )
        if photo_file_id is not None:
            self.session.add(
                IncidentPhotoRow(incident_id=incident_id, file_id=photo_file_id, purpose="bukti")
            )
        self.session.flush()
        self.session.refresh(current)
        return self._incident(current)

    def apply_correction(
        self,
        incident_id: int,
        *,
        corrected: Incident,
        corrections: list[IncidentCorrection],
        reason: str,
        note: str,
        user_id: int | None,
        at: datetime,
        expected_version: int,
    ) -> Incident | None:
        """An admin's correction or void; None when the version moved on."""
        current = self.session.get(IncidentRow, incident_id)
        if current is None:
            return None
        values: dict[str, Any] = {
            "desa_id": corrected.desa_id,
            "event_date": corrected.event_date,
            "category": corrected.category,
            "category_detail": corrected.category_detail,
            "stage": None if corrected.stage is None else corrected.stage.value,
            "description": corrected.description,
            "duplicate_of_id": corrected.duplicate_of_id,
            "voided_at": corrected.voided_at,
            "void_reason": corrected.void_reason,
            "updated_at": at,
            "version": col(IncidentRow.version) + 1,
        }
        rows = list(corrections)
        if corrected.kind.value != current.kind:
            # The numbering series is the kind's: the next number of the new kind (in the
            # kecamatan's format, even when the old number was of the single-kecamatan one).
            nomor, seq = self._tracking_number(current.kecamatan_id, corrected.kind, current.tahun)
            values.update(kind=corrected.kind.value, seq=seq, nomor=nomor)
            rows.append(IncidentCorrection("nomor", current.nomor, nomor))
        result = self.session.execute(
            update(IncidentRow)
            .where(col(IncidentRow.id) == incident_id, col(IncidentRow.version) == expected_version)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) != 1:
            return None
        for row in rows:
            self.session.add(
                IncidentCorrectionRow(
                    incident_id=incident_id,
                    field=row.field,
                    old_value=row.old_value,
                    new_value=row.new_value,
                    reason=reason,
                    by_user_id=user_id,
                    at=at,
                )
            )
        self.session.add(
            IncidentEventRow(
                incident_id=incident_id,
                from_status=current.status,
                to_status=current.status,
                note=note,
                user_id=user_id,
                created_at=at,
            )
        )
        self.session.flush()
        self.session.expire(current)
        return self.get(incident_id)

    def corrections(self, incident_id: int) -> list[tuple[IncidentCorrection, str, datetime]]:
        """An incident's corrections (with reason and time), oldest first."""
        found = (
            self.session.execute(
                select(IncidentCorrectionRow)
                .where(col(IncidentCorrectionRow.incident_id) == incident_id)
                .order_by(col(IncidentCorrectionRow.id))
            )
            .scalars()
            .all()
        )
        return [
            (IncidentCorrection(r.field, r.old_value, r.new_value), r.reason, r.at) for r in found
        ]

    def correction_counts(self, kecamatan_id: int, start: date, end: date) -> tuple[int, int]:
        """Reports corrected and reports voided on office days [start, end]."""
        since, until = Period.between(start, end).utc_bounds(OFFICE_TZ)
        # The week's corrections first (ix_incident_correction_at), each looked up in its
        # kecamatan: a join let SQLite start from every incident of the kecamatan instead.
        of_kecamatan = (
            select(literal(1))
            .where(
                col(IncidentRow.id) == col(IncidentCorrectionRow.incident_id),
                col(IncidentRow.kecamatan_id) == kecamatan_id,
            )
            .exists()
        )
        corrected = self.session.scalar(
            select(func.count(func.distinct(col(IncidentCorrectionRow.incident_id)))).where(
                col(IncidentCorrectionRow.at) >= since,
                col(IncidentCorrectionRow.at) < until,
                col(IncidentCorrectionRow.field) != "duplicate_of",
                of_kecamatan,
            )
        )
        voided = self.session.scalar(
            select(func.count()).where(
                col(IncidentRow.kecamatan_id) == kecamatan_id,
                col(IncidentRow.voided_at) >= since,
                col(IncidentRow.voided_at) < until,
            )
        )
        return int(corrected or 0), int(voided or 0)

    def get(self, incident_id: int) -> Incident | None:
        """By id."""
        row = self.session.get(IncidentRow, incident_id)
        if row is not None:
            self.session.refresh(row)
        return None if row is None else self._incident(row)

    def list_by_reporter(self, reporter_id: int, limit: int = 20) -> list[Incident]:
        """A reporter's incidents, newest first."""
        rows = self.session.scalars(
            select(IncidentRow)
            .where(col(IncidentRow.reporter_id) == reporter_id)
            .order_by(col(IncidentRow.received_at).desc(), col(IncidentRow.id).desc())
            .limit(limit)
        )
        return self._incidents(rows)

    @staticmethod
    def _open(kecamatan_id: int, kind: IncidentKind | None) -> list[Any]:
        conditions = [
            col(IncidentRow.kecamatan_id) == kecamatan_id,
            col(IncidentRow.status) != _NOT_HANDLED,
            _NOT_VOIDED,
        ]
        if kind is not None:
            conditions.append(col(IncidentRow.kind) == kind.value)
        return conditions

    def list_open(
        self,
        kecamatan_id: int,
        kind: IncidentKind | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Incident]:
        """Incidents not yet handled, oldest received first (a page: limit and offset)."""
        query = (
            select(IncidentRow)
            .where(*self._open(kecamatan_id, kind))
            .order_by(col(IncidentRow.received_at), col(IncidentRow.id))
        )
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(offset)
        return self._incidents(self.session.scalars(query))

    def count_open(
        self,
        kecamatan_id: int,
        *,
        kind: IncidentKind | None = None,
        received_before: datetime | None = None,
    ) -> int:
        """COUNT of incidents not yet handled (of a kind, received before a moment, if given)."""
        query = select(func.count()).where(*self._open(kecamatan_id, kind))
        if received_before is not None:
            query = query.where(col(IncidentRow.received_at) < received_before)
        return int(self.session.scalar(query) or 0)

    def count_for_desa(self, desa_id: int, start: date, end: date) -> int:
        """COUNT of a desa's incidents by event date."""
        value = self.session.scalar(
            select(func.count()).where(
                col(IncidentRow.desa_id) == desa_id,
                col(IncidentRow.event_date) >= start,
                col(IncidentRow.event_date) <= end,
                _NOT_VOIDED,
            )
        )
        return int(value or 0)

    def history(self, incident_id: int) -> list[IncidentEvent]:
        """Follow-ups, oldest first."""
        rows = self.session.scalars(
            select(IncidentEventRow)
            .where(col(IncidentEventRow.incident_id) == incident_id)
            .order_by(col(IncidentEventRow.created_at), col(IncidentEventRow.id))
        )
        return [
            IncidentEvent(
                id=r.id or 0,
                incident_id=r.incident_id,
                from_status=None if r.from_status is None else IncidentStatus(r.from_status),
                to_status=IncidentStatus(r.to_status),
                note=r.note,
                user_id=r.user_id,
                created_at=r.created_at,
                photo_file_id=r.photo_file_id,
            )
            for r in rows
        ]

    def add_nil_report(self, report: NilReport) -> bool:
        """Record a nil report once per desa and ISO week."""
        # One atomic statement (INSERT ... ON CONFLICT DO NOTHING), so that two officers
        # of the same desa confirming at once get one row and no error.
        return _insert_once(
            self.session,
            NilReportRow,
            {
                "desa_id": report.desa_id,
                "iso_year": report.iso_year,
                "iso_week": report.iso_week,
                "user_id": report.user_id,
                "created_at": report.created_at,
            },
            key=["desa_id", "iso_year", "iso_week"],
        )

    def received_marks(self, kecamatan_id: int, start: date, end: date) -> list[ReceivedMark]:
        """Four columns of the incidents received on office days [start, end]."""
        since, until = Period.between(start, end).utc_bounds(OFFICE_TZ)
        rows = self.session.execute(
            select(
                col(IncidentRow.desa_id),
                col(IncidentRow.kind),
                col(IncidentRow.received_at),
                col(IncidentRow.status),
            )
            .where(
                col(IncidentRow.kecamatan_id) == kecamatan_id,
                col(IncidentRow.received_at) >= since,
                col(IncidentRow.received_at) < until,
                _NOT_VOIDED,
            )
            .order_by(col(IncidentRow.received_at), col(IncidentRow.id))
        )
        return [
            ReceivedMark(
                desa_id=desa_id,
                kind=IncidentKind(kind),
                received_at=received_at,
                handled=status == IncidentStatus.TERTANGANI.value,
            )
            for desa_id, kind, received_at, status in rows
        ]

    def received_counts(
        self, kecamatan_id: int, start: date, end: date, edges: Sequence[datetime]
    ) -> list[ReceivedCount]:
        """Received incidents counted per slot [edges[i], edges[i + 1]) and kind: one GROUP BY."""
        if len(edges) < 2:
            return []
        since, until = Period.between(start, end).utc_bounds(OFFICE_TZ)
        received = col(IncidentRow.received_at)
        slot = case(
            *[(received < edge, index) for index, edge in enumerate(edges[1:])], else_=None
        ).label("slot")
        handled = func.coalesce(
            func.sum(
                case((col(IncidentRow.status) == IncidentStatus.TERTANGANI.value, 1), else_=0)
            ),
            0,
        )
        rows = self.session.execute(
            select(slot, col(IncidentRow.kind), func.count(), handled)
            .where(
                col(IncidentRow.kecamatan_id) == kecamatan_id,
                received >= since,
                received < until,
                received >= edges[0],
                received < edges[-1],
                _NOT_VOIDED,
            )
            # By the label: the CASE's parameters would make two different expressions.
            .group_by("slot", col(IncidentRow.kind))
            .order_by("slot", col(IncidentRow.kind))
        )
        return [
            ReceivedCount(int(index), IncidentKind(kind), int(total), int(done))
            for index, kind, total, done in rows
            if index is not None
        ]

    def list_handled(self, kecamatan_id: int, start: date, end: date) -> list[Incident]:
        """Incidents handled (and still so) on office days [start, end], oldest first."""
        since, until = Period.between(start, end).utc_bounds(OFFICE_TZ)
        rows = self.session.scalars(
            select(IncidentRow)
            .where(
                col(IncidentRow.kecamatan_id) == kecamatan_id,
                col(IncidentRow.status) == IncidentStatus.TERTANGANI.value,
                col(IncidentRow.handled_at) >= since,
                col(IncidentRow.handled_at) < until,
                _NOT_VOIDED,
            )
            .order_by(col(IncidentRow.handled_at), col(IncidentRow.id))
        )
        return self._incidents(rows)

    def reported_desa(self, kecamatan_id: int, start: date, end: date) -> set[int]:
        """Desa with an incident dated or received on days [start, end]."""
        since, until = Period.between(start, end).utc_bounds(OFFICE_TZ)
        # A UNION of two searches, each on its own index: with the two ranges ORed in one
        # WHERE, SQLite walks every incident of the kecamatan (half a second on ten years).
        mine = (col(IncidentRow.kecamatan_id) == kecamatan_id, _NOT_VOIDED)
        dated = select(col(IncidentRow.desa_id)).where(
            *mine, col(IncidentRow.event_date) >= start, col(IncidentRow.event_date) <= end
        )
        received = select(col(IncidentRow.desa_id)).where(
            *mine, col(IncidentRow.received_at) >= since, col(IncidentRow.received_at) < until
        )
        return {int(desa_id) for desa_id in self.session.scalars(union(dated, received))}

    def nil_desa(self, kecamatan_id: int, iso_year: int, iso_week: int) -> set[int]:
        """Desa with a nil report for the ISO week."""
        rows = self.session.scalars(
            select(col(NilReportRow.desa_id))
            .join(DesaRow, col(DesaRow.id) == col(NilReportRow.desa_id))
            .where(
                col(DesaRow.kecamatan_id) == kecamatan_id,
                col(NilReportRow.iso_year) == iso_year,
                col(NilReportRow.iso_week) == iso_week,
            )
        )
        return set(rows)

    def status_counts(
        self, kecamatan_ids: Sequence[int], start: date, end: date
    ) -> dict[tuple[int, IncidentKind], dict[str, int]]:
        """One GROUP BY over the IKU index (kecamatan, event date, kind, status)."""
        if not kecamatan_ids:
            return {}
        rows = self.session.execute(
            select(
                col(IncidentRow.kecamatan_id),
                col(IncidentRow.kind),
                col(IncidentRow.status),
                func.count(),
            )
            .where(
                col(IncidentRow.kecamatan_id).in_(sorted(set(kecamatan_ids))),
                col(IncidentRow.event_date) >= start,
                col(IncidentRow.event_date) <= end,
                _NOT_VOIDED,
            )
            .group_by(col(IncidentRow.kecamatan_id), col(IncidentRow.kind), col(IncidentRow.status))
        )
        counts: dict[tuple[int, IncidentKind], dict[str, int]] = {}
        for kecamatan_id, kind, status, count in rows:
            counts.setdefault((int(kecamatan_id), IncidentKind(kind)), {})[str(status)] = int(count)
        return counts
