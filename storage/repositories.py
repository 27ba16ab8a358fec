"""Repositories over SQLModel tables; they return domain objects, never rows.

Aggregates are computed by the database (COUNT, SUM, GROUP BY over indexed columns),
never by loading rows into Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Executable,
    Result,
    Table,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.idm import IdmStatus
from domain.models import (
    Desa,
    DesaTematik,
    DigestGroup,
    DigestLog,
    DigestStatus,
    Draft,
    IdmResult,
    Incident,
    IncidentEvent,
    IncidentKind,
    IncidentStatus,
    IndicatorCode,
    Invite,
    Kecamatan,
    KonflikStage,
    NilReport,
    Role,
    Seksi,
    SkmResponse,
    SkmService,
    Tema,
    User,
    UserStatus,
    tracking_number,
)
from domain.period import Period
from domain.ports import HandlingCounts, KecamatanSeed, ReceivedMark, SkmTotals
from domain.skm import UNSUR, UnsurTotal
from storage.tables import (
    AuditLogRow,
    DesaRow,
    DesaTematikRow,
    DigestGroupRow,
    DigestLogRow,
    DraftRow,
    IdmResultRow,
    IncidentEventRow,
    IncidentPhotoRow,
    IncidentRow,
    InviteRow,
    KecamatanRow,
    NilReportRow,
    ReminderLogRow,
    SkmDedupRow,
    SkmResponseRow,
    SkmServiceRow,
    TargetRow,
    TrackingCounterRow,
    UserRow,
    utcnow,
)

__all__ = [
    "SqlKecamatanRepository",
    "SqlDesaRepository",
    "SqlIdmRepository",
    "SqlTematikRepository",
    "SqlUserRepository",
    "SqlIncidentRepository",
    "SqlSkmRepository",
    "SqlTargetRepository",
    "SqlAuditRepository",
    "SqlInviteRepository",
    "SqlDraftRepository",
    "SqlDigestRepository",
]

OFFICE_TZ = ZoneInfo("Asia/Jakarta")


def _kecamatan(row: KecamatanRow) -> Kecamatan:
    assert row.id is not None
    return Kecamatan(row.id, row.kode, row.kode_bps, row.nama, row.kabupaten, row.provinsi)


def _desa(row: DesaRow) -> Desa:
    assert row.id is not None
    return Desa(row.id, row.kecamatan_id, row.kode, row.kode_bps, row.nama)


def _insert_once(session: Session, table: Any, values: dict[str, Any], key: list[str]) -> bool:
    """One atomic INSERT ... ON CONFLICT DO NOTHING; True when the row was inserted.

    Two writers at once get one row and no error (no read-then-write race).
    """
    dialect = session.get_bind().dialect.name
    make_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    returned = getattr(table, key[0])
    inserted = session.execute(
        make_insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=key)
        .returning(col(returned))
    ).scalar_one_or_none()
    return inserted is not None


class _Repo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _core(self, statement: Executable, params: dict[str, Any] | None = None) -> Result[Any]:
        """A prepared Core statement of the hot path (compiled once, no ORM in between).

        ORM changes not yet flushed are flushed first, as an ORM query would.
        """
        session = self.session
        if session.new or session.dirty or session.deleted:
            session.flush()
        return session.connection().execute(statement, params)


class SqlKecamatanRepository(_Repo):
    """Kecamatan rows."""

    def get(self, kecamatan_id: int) -> Kecamatan | None:
        """By id."""
        row = self.session.get(KecamatanRow, kecamatan_id)
        return None if row is None else _kecamatan(row)

    def get_by_code(self, kode: str) -> Kecamatan | None:
        """By Kemendagri or BPS code."""
        kode = kode.strip()
        row = self.session.scalars(
            select(KecamatanRow).where(
                or_(col(KecamatanRow.kode) == kode, col(KecamatanRow.kode_bps) == kode)
            )
        ).first()
        return None if row is None else _kecamatan(row)

    def list(self) -> list[Kecamatan]:
        """All kecamatan by code."""
        rows = self.session.scalars(select(KecamatanRow).order_by(col(KecamatanRow.kode)))
        return [_kecamatan(r) for r in rows]

    def upsert(self, seed: KecamatanSeed) -> tuple[Kecamatan, int]:
        """Insert or update a kecamatan and its desa, matched by Kemendagri code."""
        changed = 0
        row = self.session.scalars(
            select(KecamatanRow).where(col(KecamatanRow.kode) == seed.kode)
        ).first()
        values = {
            "kode_bps": seed.kode_bps,
            "nama": seed.nama,
            "kabupaten": seed.kabupaten,
            "provinsi": seed.provinsi,
        }
        if row is None:
            row = KecamatanRow(
                kode=seed.kode,
                kode_bps=seed.kode_bps,
                nama=seed.nama,
                kabupaten=seed.kabupaten,
                provinsi=seed.provinsi,
            )
            self.session.add(row)
            changed += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            changed += 1
        self.session.flush()
        assert row.id is not None
        existing = {
            d.kode: d
            for d in self.session.scalars(
                select(DesaRow).where(col(DesaRow.kecamatan_id) == row.id)
            )
        }
        for item in seed.desa:
            desa = existing.get(item.kode)
            if desa is None:
                self.session.add(
                    DesaRow(
                        kecamatan_id=row.id, kode=item.kode, kode_bps=item.kode_bps, nama=item.nama
                    )
                )
                changed += 1
            elif (desa.kode_bps, desa.nama) != (item.kode_bps, item.nama):
                desa.kode_bps, desa.nama = item.kode_bps, item.nama
                changed += 1
        self.session.flush()
        return _kecamatan(row), changed


class SqlDesaRepository(_Repo):
    """Desa rows."""

    def get(self, desa_id: int) -> Desa | None:
        """By id."""
        row = self.session.get(DesaRow, desa_id)
        return None if row is None else _desa(row)

    def find_by_code(self, code: str) -> Desa | None:
        """By Kemendagri or BPS code."""
        code = code.strip()
        row = self.session.scalars(
            select(DesaRow).where(or_(col(DesaRow.kode) == code, col(DesaRow.kode_bps) == code))
        ).first()
        return None if row is None else _desa(row)

    def list_by_kecamatan(self, kecamatan_id: int) -> list[Desa]:
        """The desa of a kecamatan by code."""
        rows = self.session.scalars(
            select(DesaRow)
            .where(col(DesaRow.kecamatan_id) == kecamatan_id)
            .order_by(col(DesaRow.kode))
        )
        return [_desa(r) for r in rows]


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
        row.updated_at = utcnow()
        self.session.flush()
        return inserted

    def get(self, desa_id: int, tahun: int) -> IdmResult | None:
        """One desa's result for a year."""
        row = self.session.scalars(
            select(IdmResultRow).where(
                col(IdmResultRow.desa_id) == desa_id, col(IdmResultRow.tahun) == tahun
            )
        ).first()
        return None if row is None else _idm(row)

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


_USERS: Table = UserRow.__table__  # type: ignore[attr-defined]
_USER_BY_TELEGRAM_ID = select(_USERS).where(_USERS.c.telegram_id == bindparam("telegram_id"))


def _user(row: Any) -> User:
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
        return _user(row)

    def get_by_telegram_id(self, telegram_id: int) -> User | None:
        """By Telegram id."""
        row = self._core(_USER_BY_TELEGRAM_ID, {"telegram_id": telegram_id}).first()
        return None if row is None else _user(row)

    def get(self, user_id: int) -> User | None:
        """By id."""
        row = self.session.get(UserRow, user_id)
        return None if row is None else _user(row)

    def list(
        self,
        kecamatan_id: int,
        *,
        status: UserStatus | None = None,
        role: Role | None = None,
        seksi: Seksi | None = None,
    ) -> list[User]:
        """Users of a kecamatan by name, optionally filtered."""
        query = select(UserRow).where(col(UserRow.kecamatan_id) == kecamatan_id)
        if status is not None:
            query = query.where(col(UserRow.status) == status.value)
        if role is not None:
            query = query.where(col(UserRow.role) == role.value)
        if seksi is not None:
            query = query.where(col(UserRow.seksi) == seksi.value)
        rows = self.session.scalars(query.order_by(col(UserRow.nama), col(UserRow.id)))
        return [_user(r) for r in rows]

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


_IN_CHUNK = 500  # ids per IN (...) list: far below SQLite's and PostgreSQL's limits

# Not yet handled: the condition of the partial indexes ix_incident_open(_kind) (see
# storage/tables.py), with the value written into the SQL. Sent as a parameter, the
# engines could not prove that a query only wants the indexed rows (PostgreSQL's generic
# plans of prepared statements never can) and would read every incident instead.
_NOT_HANDLED = literal(IncidentStatus.TERTANGANI.value, literal_execute=True)


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

    def _next_sequence(self, kind: IncidentKind, tahun: int) -> int:
        bump = (
            update(TrackingCounterRow)
            .where(
                col(TrackingCounterRow.kind) == kind.value, col(TrackingCounterRow.tahun) == tahun
            )
            .values(last=col(TrackingCounterRow.last) + 1)
            .returning(col(TrackingCounterRow.last))
        )
        for _ in range(3):
            value = self.session.execute(bump).scalar()
            if value is not None:
                return int(value)
            try:
                with self.session.begin_nested():
                    self.session.execute(
                        insert(TrackingCounterRow).values(kind=kind.value, tahun=tahun, last=1)
                    )
                return 1
            except IntegrityError:
                continue  # another writer created the counter first: bump it instead
        raise RuntimeError("nomor laporan tidak dapat dialokasikan")

    def add(self, incident: Incident) -> Incident:
        """Store a new incident with the next tracking number of its kind and year."""
        tahun = incident.received_at.astimezone(OFFICE_TZ).year
        seq = self._next_sequence(incident.kind, tahun)
        row = IncidentRow(
            nomor=tracking_number(incident.kind, tahun, seq),
            kind=incident.kind.value,
            tahun=tahun,
            seq=seq,
            kecamatan_id=incident.kecamatan_id,
            desa_id=incident.desa_id,
            event_date=incident.event_date,
            received_at=incident.received_at,
            category=incident.category,
            category_detail=incident.category_detail,
            description=incident.description,
            stage=None if incident.stage is None else incident.stage.value,
            latitude=incident.latitude,
            longitude=incident.longitude,
            status=IncidentStatus.BARU.value,
            reporter_id=incident.reporter_id,
            created_at=incident.received_at,
            updated_at=incident.received_at,
        )
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        for file_id in incident.photo_file_ids:
            self.session.add(
                IncidentPhotoRow(incident_id=row.id, file_id=file_id, purpose="laporan")
            )
        self.session.add(
            IncidentEventRow(
                incident_id=row.id,
                from_status=None,
                to_status=IncidentStatus.BARU.value,
                note="Laporan diterima",
                user_id=incident.reporter_id,
                created_at=incident.received_at,
            )
        )
        self.session.flush()
        return _incident(row, tuple(incident.photo_file_ids))

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

    def _range(self, kecamatan_id: int, kind: IncidentKind, start: date, end: date) -> Any:
        return and_(
            col(IncidentRow.kecamatan_id) == kecamatan_id,
            col(IncidentRow.kind) == kind.value,
            col(IncidentRow.event_date) >= start,
            col(IncidentRow.event_date) <= end,
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
            )
            .order_by(col(IncidentRow.handled_at), col(IncidentRow.id))
        )
        return self._incidents(rows)

    def reported_desa(self, kecamatan_id: int, start: date, end: date) -> set[int]:
        """Desa with an incident dated or received on days [start, end]."""
        since, until = Period.between(start, end).utc_bounds(OFFICE_TZ)
        rows = self.session.scalars(
            select(col(IncidentRow.desa_id))
            .where(
                col(IncidentRow.kecamatan_id) == kecamatan_id,
                or_(
                    and_(col(IncidentRow.event_date) >= start, col(IncidentRow.event_date) <= end),
                    and_(
                        col(IncidentRow.received_at) >= since, col(IncidentRow.received_at) < until
                    ),
                ),
            )
            .distinct()
        )
        return set(rows)

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

    def handling_counts(
        self, kecamatan_id: int, kind: IncidentKind, start: date, end: date
    ) -> HandlingCounts:
        """COUNT(*) and handled count in one query."""
        handled = func.coalesce(
            func.sum(
                case((col(IncidentRow.status) == IncidentStatus.TERTANGANI.value, 1), else_=0)
            ),
            0,
        )
        total, done = self.session.execute(
            select(func.count(), handled).where(self._range(kecamatan_id, kind, start, end))
        ).one()
        return HandlingCounts(total=int(total), handled=int(done))

    def counts_by_status(
        self, kecamatan_id: int, kind: IncidentKind, start: date, end: date
    ) -> dict[str, int]:
        """Incidents per status (GROUP BY)."""
        rows = self.session.execute(
            select(col(IncidentRow.status), func.count())
            .where(self._range(kecamatan_id, kind, start, end))
            .group_by(col(IncidentRow.status))
        )
        return {str(status): int(count) for status, count in rows}


def _service(row: SkmServiceRow) -> SkmService:
    assert row.id is not None
    return SkmService(row.id, row.kecamatan_id, row.kode, row.nama, row.population, row.active)


class SqlSkmRepository(_Repo):
    """SKM services and responses."""

    def add_response(self, response: SkmResponse) -> int:
        """Store one anonymous response."""
        row = SkmResponseRow(
            kecamatan_id=response.kecamatan_id,
            service_id=response.service_id,
            survey_date=response.survey_date,
            # The day only, never the moment: a time would let the answers be matched
            # with the moment someone was served or with the duplicate check.
            created_at=datetime.combine(response.survey_date, time.min, tzinfo=UTC),
            jenis_kelamin=response.jenis_kelamin,
            usia=response.usia,
            pendidikan=response.pendidikan,
            pekerjaan=response.pekerjaan,
            saran=response.saran,
            source=response.source,
        )
        for key in UNSUR:
            setattr(row, f"u_{key}", response.answers.get(key))
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        return row.id

    def claim_dedup(self, key_hash: str, period: str) -> bool:
        """INSERT ... ON CONFLICT DO NOTHING on the keyed hash: True only for the first."""
        return _insert_once(
            self.session, SkmDedupRow, {"key_hash": key_hash, "period": period}, key=["key_hash"]
        )

    def has_dedup(self, key_hash: str) -> bool:
        """Whether the keyed hash is stored (an indexed lookup)."""
        found = self.session.scalar(
            select(col(SkmDedupRow.key_hash)).where(col(SkmDedupRow.key_hash) == key_hash).limit(1)
        )
        return found is not None

    def get_service(self, service_id: int) -> SkmService | None:
        """By id."""
        row = self.session.get(SkmServiceRow, service_id)
        return None if row is None else _service(row)

    def get_service_by_code(self, kecamatan_id: int, kode: str) -> SkmService | None:
        """By code, case-insensitive."""
        row = self.session.scalars(
            select(SkmServiceRow).where(
                col(SkmServiceRow.kecamatan_id) == kecamatan_id,
                func.lower(col(SkmServiceRow.kode)) == kode.strip().lower(),
            )
        ).first()
        return None if row is None else _service(row)

    def find_service_by_name(self, kecamatan_id: int, nama: str) -> SkmService | None:
        """By name, case-insensitive."""
        row = self.session.scalars(
            select(SkmServiceRow).where(
                col(SkmServiceRow.kecamatan_id) == kecamatan_id,
                func.lower(col(SkmServiceRow.nama)) == " ".join(nama.split()).lower(),
            )
        ).first()
        return None if row is None else _service(row)

    def list_services(self, kecamatan_id: int) -> list[SkmService]:
        """Services of a kecamatan."""
        rows = self.session.scalars(
            select(SkmServiceRow)
            .where(col(SkmServiceRow.kecamatan_id) == kecamatan_id)
            .order_by(col(SkmServiceRow.nama))
        )
        return [_service(r) for r in rows]

    def add_service(self, service: SkmService) -> SkmService:
        """Create a service."""
        row = SkmServiceRow(
            kecamatan_id=service.kecamatan_id,
            kode=service.kode,
            nama=service.nama,
            population=service.population,
            active=service.active,
        )
        self.session.add(row)
        self.session.flush()
        return _service(row)

    def update_service(self, service: SkmService) -> SkmService:
        """Store name, population and active flag of an existing service."""
        row = self.session.get(SkmServiceRow, service.id)
        if row is None:
            raise LookupError(f"layanan {service.id} tidak ada")
        row.nama, row.population, row.active = service.nama, service.population, service.active
        self.session.flush()
        return _service(row)

    def totals(
        self, kecamatan_id: int, start: date, end: date, service_id: int | None = None
    ) -> SkmTotals:
        """SUM and COUNT per unsur and COUNT(*) in a single query."""
        columns = [getattr(SkmResponseRow, f"u_{key}") for key in UNSUR]
        selected: list[Any] = [func.count()]
        for column in columns:
            selected += [func.coalesce(func.sum(column), 0), func.count(column)]
        conditions = [
            col(SkmResponseRow.kecamatan_id) == kecamatan_id,
            col(SkmResponseRow.survey_date) >= start,
            col(SkmResponseRow.survey_date) <= end,
        ]
        if service_id is not None:
            conditions.append(col(SkmResponseRow.service_id) == service_id)
        row = self.session.execute(select(*selected).where(*conditions)).one()
        respondents = int(row[0])
        totals = {
            key: UnsurTotal(total=int(row[1 + 2 * i]), answered=int(row[2 + 2 * i]))
            for i, key in enumerate(UNSUR)
        }
        return SkmTotals(respondents=respondents, totals=totals)


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


_DRAFTS: Table = DraftRow.__table__  # type: ignore[attr-defined]
_DRAFT_KEY = and_(
    _DRAFTS.c.chat_id == bindparam("key_chat_id"), _DRAFTS.c.user_id == bindparam("key_user_id")
)
_DRAFT_GET = select(_DRAFTS).where(_DRAFT_KEY)
_DRAFT_INSERT = {
    name: make_insert(_DRAFTS).on_conflict_do_nothing().returning(_DRAFTS.c.id)
    for name, make_insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}
_DRAFT_UPDATE = (
    update(_DRAFTS)
    .where(
        _DRAFT_KEY,
        _DRAFTS.c.token == bindparam("key_token"),
        _DRAFTS.c.version == bindparam("key_version"),
    )
    .values(
        flow=bindparam("new_flow"),
        step=bindparam("new_step"),
        data=bindparam("new_data", type_=_DRAFTS.c.data.type),
        version=bindparam("new_version"),
        updated_at=bindparam("new_updated_at", type_=_DRAFTS.c.updated_at.type),
    )
)
_DRAFT_DELETE = delete(_DRAFTS).where(_DRAFT_KEY)


def _draft(row: Any) -> Draft:
    """A draft from its ORM row or a Core row."""
    return Draft(
        chat_id=row.chat_id,
        user_id=row.user_id,
        flow=row.flow,
        step=row.step,
        data=dict(row.data),
        token=row.token,
        version=row.version,
        updated_at=row.updated_at,
    )


class SqlDraftRepository(_Repo):
    """Conversations in progress."""

    def get(self, chat_id: int, user_id: int) -> Draft | None:
        """The draft of this chat and user."""
        key = {"key_chat_id": chat_id, "key_user_id": user_id}
        row = self._core(_DRAFT_GET, key).first()
        return None if row is None else _draft(row)

    def save(self, draft: Draft) -> Draft | None:
        """Insert a new draft or update the stored one if its version is unchanged.

        ``updated_at`` is the draft's own (the caller's clock), or now.
        """
        at = draft.updated_at or utcnow()
        key = {"key_chat_id": draft.chat_id, "key_user_id": draft.user_id}
        if draft.version == 0:
            self._core(_DRAFT_DELETE, key)
            values = {
                "chat_id": draft.chat_id,
                "user_id": draft.user_id,
                "flow": draft.flow,
                "step": draft.step,
                "data": dict(draft.data),
                "token": draft.token,
                "version": 1,
                "updated_at": at,
            }
            # Another transaction's draft for the same chat and user: not ours to replace.
            statement = _DRAFT_INSERT.get(self.session.get_bind().dialect.name)
            if statement is None:
                raise NotImplementedError("database tidak didukung")
            if self._core(statement, values).first() is None:
                return None
            return replace(draft, data=dict(draft.data), version=1, updated_at=at)
        result = self._core(
            _DRAFT_UPDATE,
            {
                **key,
                "key_token": draft.token,
                "key_version": draft.version,
                "new_flow": draft.flow,
                "new_step": draft.step,
                "new_data": dict(draft.data),
                "new_version": draft.version + 1,
                "new_updated_at": at,
            },
        )
        if getattr(result, "rowcount", 0) != 1:
            return None
        return replace(draft, data=dict(draft.data), version=draft.version + 1, updated_at=at)

    def purge(self, older_than: datetime, flow: str | None = None) -> int:
        """Delete abandoned drafts."""
        query = delete(DraftRow).where(col(DraftRow.updated_at) < older_than)
        if flow is not None:
            query = query.where(col(DraftRow.flow) == flow)
        result = self.session.execute(query.execution_options(synchronize_session=False))
        return int(getattr(result, "rowcount", 0) or 0)

    def delete(
        self, chat_id: int, user_id: int, *, token: str | None = None, version: int | None = None
    ) -> bool:
        """Remove the draft (only that token and version, when given)."""
        if token is None and version is None:
            key = {"key_chat_id": chat_id, "key_user_id": user_id}
            return bool(getattr(self._core(_DRAFT_DELETE, key), "rowcount", 0))
        query = delete(DraftRow).where(
            col(DraftRow.chat_id) == chat_id, col(DraftRow.user_id) == user_id
        )
        if token is not None:
            query = query.where(col(DraftRow.token) == token)
        if version is not None:
            query = query.where(col(DraftRow.version) == version)
        result = self.session.execute(query.execution_options(synchronize_session=False))
        return bool(getattr(result, "rowcount", 0))


def _group(row: DigestGroupRow) -> DigestGroup:
    return DigestGroup(
        kecamatan_id=row.kecamatan_id,
        chat_id=row.chat_id,
        title=row.title,
        bound_by=row.bound_by,
        bound_at=row.bound_at,
    )


def _log(row: DigestLogRow) -> DigestLog:
    assert row.id is not None
    return DigestLog(
        id=row.id,
        kecamatan_id=row.kecamatan_id,
        chat_id=row.chat_id,
        week_key=row.week_key,
        status=DigestStatus(row.status),
        claimed_at=row.claimed_at,
        attempts=row.attempts,
        parts_sent=row.parts_sent,
        sent_at=row.sent_at,
        error=row.error,
    )


class SqlDigestRepository(_Repo):
    """Digest groups, the digest log (claimed before sending) and the reminder log."""

    def group_for(self, kecamatan_id: int) -> DigestGroup | None:
        """The group bound to a kecamatan."""
        row = self.session.get(DigestGroupRow, kecamatan_id)
        return None if row is None else _group(row)

    def group_by_chat(self, chat_id: int) -> DigestGroup | None:
        """The binding of a chat."""
        row = self.session.scalars(
            select(DigestGroupRow).where(col(DigestGroupRow.chat_id) == chat_id)
        ).first()
        return None if row is None else _group(row)

    def groups(self) -> list[DigestGroup]:
        """All bindings, by kecamatan id."""
        rows = self.session.scalars(
            select(DigestGroupRow).order_by(col(DigestGroupRow.kecamatan_id))
        )
        return [_group(r) for r in rows]

    def bind(self, group: DigestGroup) -> DigestGroup | None:
        """Bind or re-bind; None when the chat already serves another kecamatan."""
        other = self.group_by_chat(group.chat_id)
        if other is not None and other.kecamatan_id != group.kecamatan_id:
            return None
        row = self.session.get(DigestGroupRow, group.kecamatan_id)
        if row is None:
            row = DigestGroupRow(kecamatan_id=group.kecamatan_id, chat_id=group.chat_id, title="")
            self.session.add(row)
        row.chat_id = group.chat_id
        row.title = group.title[:255]
        row.bound_by = group.bound_by
        row.bound_at = group.bound_at
        try:
            with self.session.begin_nested():
                self.session.flush()
        except IntegrityError:  # another kecamatan took this chat at the same moment
            return None
        return _group(row)

    def unbind(self, chat_id: int) -> DigestGroup | None:
        """Remove a chat's binding."""
        row = self.session.scalars(
            select(DigestGroupRow).where(col(DigestGroupRow.chat_id) == chat_id)
        ).first()
        if row is None:
            return None
        removed = _group(row)
        self.session.delete(row)
        self.session.flush()
        return removed

    def move_chat(self, old_chat_id: int, new_chat_id: int) -> bool:
        """Follow a group that became a supergroup."""
        result = self.session.execute(
            update(DigestGroupRow)
            .where(col(DigestGroupRow.chat_id) == old_chat_id)
            .values(chat_id=new_chat_id)
            .execution_options(synchronize_session=False)
        )
        return getattr(result, "rowcount", 0) == 1

    def get_log(self, chat_id: int, week_key: str) -> DigestLog | None:
        """A group's digest entry for a week."""
        row = self.session.scalars(
            select(DigestLogRow).where(
                col(DigestLogRow.chat_id) == chat_id, col(DigestLogRow.week_key) == week_key
            )
        ).first()
        if row is not None:
            self.session.refresh(row)
        return None if row is None else _log(row)

    def claim(
        self,
        *,
        kecamatan_id: int,
        chat_id: int,
        week_key: str,
        at: datetime,
        stale_before: datetime,
    ) -> DigestLog | None:
        """Insert SENDING once, or take over a FAILED or stale SENDING entry (atomic)."""
        inserted = _insert_once(
            self.session,
            DigestLogRow,
            {
                "kecamatan_id": kecamatan_id,
                "chat_id": chat_id,
                "week_key": week_key,
                "status": DigestStatus.SENDING.value,
                "claimed_at": at,
                "attempts": 1,
                "parts_sent": 0,
            },
            key=["chat_id", "week_key"],
        )
        if not inserted:
            # Compare-and-set: of two processes taking over at once, one updates the row.
            result = self.session.execute(
                update(DigestLogRow)
                .where(
                    col(DigestLogRow.chat_id) == chat_id,
                    col(DigestLogRow.week_key) == week_key,
                    or_(
                        col(DigestLogRow.status) == DigestStatus.FAILED.value,
                        and_(
                            col(DigestLogRow.status) == DigestStatus.SENDING.value,
                            col(DigestLogRow.claimed_at) < stale_before,
                        ),
                    ),
                )
                .values(
                    status=DigestStatus.SENDING.value,
                    claimed_at=at,
                    attempts=col(DigestLogRow.attempts) + 1,
                )
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) != 1:
                return None
        return self.get_log(chat_id, week_key)

    def progress(self, log_id: int, parts_sent: int) -> None:
        """Record the parts sent so far."""
        self.session.execute(
            update(DigestLogRow)
            .where(col(DigestLogRow.id) == log_id)
            .values(parts_sent=parts_sent)
            .execution_options(synchronize_session=False)
        )

    def finish(self, log_id: int, *, at: datetime, figures: dict[str, str | None]) -> None:
        """Mark sent, keeping the figures shown."""
        self.session.execute(
            update(DigestLogRow)
            .where(col(DigestLogRow.id) == log_id)
            .values(status=DigestStatus.SENT.value, sent_at=at, error=None, figures=figures)
            .execution_options(synchronize_session=False)
        )

    def fail(self, log_id: int, *, error: str, give_up: bool) -> None:
        """Mark failed (retried later) or given up."""
        status = DigestStatus.GAVE_UP if give_up else DigestStatus.FAILED
        self.session.execute(
            update(DigestLogRow)
            .where(col(DigestLogRow.id) == log_id)
            .values(status=status.value, error=error[:2000])
            .execution_options(synchronize_session=False)
        )

    def figures_of(self, kecamatan_id: int, week_key: str) -> dict[str, str | None] | None:
        """The figures of a sent digest of the kecamatan for the week."""
        value = self.session.scalars(
            select(col(DigestLogRow.figures))
            .where(
                col(DigestLogRow.kecamatan_id) == kecamatan_id,
                col(DigestLogRow.week_key) == week_key,
                col(DigestLogRow.status) == DigestStatus.SENT.value,
                col(DigestLogRow.figures).is_not(None),
            )
            .order_by(col(DigestLogRow.sent_at).desc())
            .limit(1)
        ).first()
        return None if value is None else dict(value)

    def claim_reminder(self, user_id: int, week_key: str, kind: str, at: datetime) -> bool:
        """Once per person, week and kind."""
        return _insert_once(
            self.session,
            ReminderLogRow,
            {"user_id": user_id, "week_key": week_key, "kind": kind, "sent_at": at},
            key=["user_id", "week_key", "kind"],
        )
