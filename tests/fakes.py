"""An in-memory unit of work for fast use-case tests: dicts instead of a database.

``InMemoryDatabase`` keeps the committed tables; every ``InMemoryUnitOfWork`` works on
a deep copy of them, taken when it begins. ``commit()`` makes the working copy the
committed state, ``rollback()`` (and leaving ``with`` without a commit) throws it away,
so that the state is again the one of the last commit: the semantics of
``storage.uow.SqlUnitOfWork`` that the use cases rely on.

The repositories behave like the SQL ones where the use cases depend on it:

- ids are assigned on ``add`` (from counters that, like PostgreSQL sequences, are not
  rolled back); tracking numbers are the next of their kecamatan, kind and year (Asia/Jakarta)
  and, like the SQL counter row, roll back with the rest;
- the conditional writes return None/False instead of writing: an incident's status
  change with a stale ``expected_version``, a user update with another status than
  ``expected_status``, a second nil report of a desa and week, a second SKM dedup
  hash, a used invite, an ended desa tematik, a digest already claimed, a kecamatan's
  example services offered already;
- what the database refuses raises :class:`IntegrityViolation`: a duplicate unique key
  (Telegram id, kecamatan and desa codes, service code of a kecamatan, invite hash),
  a row that refers to a missing one and the deletion of a service that responses
  refer to (foreign keys), as well as naive datetimes;
- decimals are kept at the scale of their column (IDM 14 places, targets 2), lists
  come in the SQL order (strings compare by code point, as PostgreSQL's C collation
  and SQLite do), instants are kept in UTC.

Two units of work of one database that both write: the second ``commit()`` raises
:class:`CommitConflict` (first committer wins) instead of silently losing the first's
work. A unit of work sees the state of when it began (a snapshot), not the commits
made since, unlike PostgreSQL's READ COMMITTED.

Methods that no domain use case calls (the bot's drafts, outbox, update log, digest
groups and reminder log) raise NotImplementedError: test those on the SQL unit of
work.
"""

from __future__ import annotations

import copy
import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, NoReturn, Self
from zoneinfo import ZoneInfo

from domain.idm import IdmStatus
from domain.models import (
    CheckedFile,
    Desa,
    DesaTematik,
    DigestGroup,
    DigestLog,
    DigestStatus,
    Draft,
    EvidenceFile,
    EvidenceMedia,
    EvidenceRole,
    EvidenceStatus,
    IdmChange,
    IdmResult,
    IdmSnapshot,
    ImportBatch,
    ImportKind,
    Incident,
    IncidentCorrection,
    IncidentEvent,
    IncidentKind,
    IncidentStatus,
    IndicatorCode,
    Invite,
    KabupatenDigestGroup,
    KabupatenDigestLog,
    Kecamatan,
    NilReport,
    OutboxMessage,
    OutboxStatus,
    Role,
    Seksi,
    SkmResponse,
    SkmService,
    UpdateKey,
    User,
    UserStatus,
    tracking_number,
)
from domain.period import Period
from domain.ports import (
    AuditLogEntry,
    AuditRepository,
    DesaRepository,
    DigestRepository,
    DraftRepository,
    EvidenceListing,
    EvidenceRepository,
    ExportRepository,
    IdmRepository,
    ImportBatchRepository,
    IncidentRecord,
    IncidentRepository,
    InviteRepository,
    KecamatanRepository,
    KecamatanSeed,
    OutboxRepository,
    ReceivedCount,
    ReceivedMark,
    RtlRepository,
    SkmProfileCounts,
    SkmRepository,
    SkmSuggestion,
    SkmTotals,
    TargetRepository,
    TematikRepository,
    UnitOfWork,
    UpdateLogRepository,
    UserRepository,
)
from domain.rtl import RtlItem, RtlProgress, RtlStatus
from domain.skm import UNSUR, UnsurTotal

__all__ = [
    "AuditEntry",
    "CommitConflict",
    "InMemoryDatabase",
    "InMemoryUnitOfWork",
    "IntegrityViolation",
    "Tables",
]

OFFICE_TZ = ZoneInfo("Asia/Jakarta")


class IntegrityViolation(Exception):
    """What the database would refuse: a duplicate key, a missing referenced row."""


class CommitConflict(Exception):
    """Another unit of work committed since this one began, and both wrote."""


def _not_used(method: str) -> NoReturn:
    raise NotImplementedError(
        f"{method}: no domain use case calls it, so InMemoryUnitOfWork does not implement "
        "it; test it on the SQL unit of work (tests/storage)"
    )


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One stored audit entry (the row ``AuditRepository.record`` writes)."""

    id: int
    actor: str
    action: str
    entity: str
    entity_id: str | None
    detail: dict[str, Any] | None
    user_id: int | None
    created_at: datetime


@dataclass(slots=True)
class Tables:
    """Everything stored, one dict per table (keys: ids or the table's unique key)."""

    kecamatan: dict[int, Kecamatan] = field(default_factory=dict)
    service_examples_offered: set[int] = field(default_factory=set)  # kecamatan ids
    desa: dict[int, Desa] = field(default_factory=dict)
    idm: dict[tuple[int, int], IdmResult] = field(default_factory=dict)
    tematik: dict[int, DesaTematik] = field(default_factory=dict)
    tematik_ended_at: dict[int, datetime] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    incidents: dict[int, Incident] = field(default_factory=dict)
    incident_events: dict[int, IncidentEvent] = field(default_factory=dict)
    proof_photos: dict[int, list[str]] = field(default_factory=dict)
    tracking: dict[tuple[int, IncidentKind, int], int] = field(default_factory=dict)
    incident_corrections: list[tuple[int, IncidentCorrection, str, datetime]] = field(
        default_factory=list
    )
    nil_reports: dict[tuple[int, int, int], NilReport] = field(default_factory=dict)
    skm_services: dict[int, SkmService] = field(default_factory=dict)
    skm_responses: dict[int, SkmResponse] = field(default_factory=dict)
    skm_dedup: dict[str, str] = field(default_factory=dict)
    skm_pool: dict[str, SkmResponse] = field(default_factory=dict)  # random key
    targets: dict[tuple[int, IndicatorCode, int], Decimal] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    invites: dict[int, Invite] = field(default_factory=dict)
    invite_hashes: dict[int, str] = field(default_factory=dict)
    digest_logs: dict[int, DigestLog] = field(default_factory=dict)
    digest_figures: dict[int, dict[str, str | None]] = field(default_factory=dict)
    kabupaten_digest_logs: dict[int, KabupatenDigestLog] = field(default_factory=dict)
    idm_updated_at: dict[tuple[int, int], datetime] = field(default_factory=dict)
    import_batches: dict[int, ImportBatch] = field(default_factory=dict)
    idm_changes: dict[tuple[int, int, int], IdmChange] = field(default_factory=dict)
    evidence: dict[int, EvidenceFile] = field(default_factory=dict)
    rtl_items: dict[int, RtlItem] = field(default_factory=dict)
    rtl_progress: dict[int, RtlProgress] = field(default_factory=dict)


class InMemoryDatabase:
    """The committed state shared by the units of work of one test."""

    def __init__(self) -> None:
        self._committed = Tables()
        self._generation = 0  # how many commits wrote something
        self._last_ids: dict[str, int] = {}

    def unit_of_work(self) -> InMemoryUnitOfWork:
        """A new unit of work on this database (a ``Callable[[], UnitOfWork]``)."""
        return InMemoryUnitOfWork(self)

    @property
    def committed(self) -> Tables:
        """A copy of the committed tables, to assert on what a caller committed."""
        return copy.deepcopy(self._committed)

    def next_id(self, table: str) -> int:
        """The next id of a table: 1, 2, ... never reused, not rolled back."""
        value = self._last_ids.get(table, 0) + 1
        self._last_ids[table] = value
        return value

    def _begin(self) -> tuple[Tables, int]:
        return copy.deepcopy(self._committed), self._generation

    def _commit(self, work: Tables, base: int) -> int:
        if self._generation != base:
            raise CommitConflict(
                "another unit of work committed changes since this one began; "
                "this one's work is not stored"
            )
        self._committed = copy.deepcopy(work)
        self._generation += 1
        return self._generation


class InMemoryUnitOfWork:
    """A transaction over in-memory repositories; rolls back unless committed."""

    # Typed as the ports, so that the class satisfies ``domain.ports.UnitOfWork``.
    kecamatan: KecamatanRepository
    desa: DesaRepository
    idm: IdmRepository
    tematik: TematikRepository
    users: UserRepository
    incidents: IncidentRepository
    skm: SkmRepository
    targets: TargetRepository
    audit: AuditRepository
    invites: InviteRepository
    drafts: DraftRepository
    digests: DigestRepository
    exports: ExportRepository
    outbox: OutboxRepository
    updates: UpdateLogRepository
    imports: ImportBatchRepository
    evidence: EvidenceRepository
    rtl: RtlRepository

    def __init__(self, database: InMemoryDatabase | None = None) -> None:
        self.database = database if database is not None else InMemoryDatabase()
        self._work: Tables | None = None
        self._base = 0
        self._dirty = False
        self.kecamatan = InMemoryKecamatanRepository(self)
        self.desa = InMemoryDesaRepository(self)
        self.idm = InMemoryIdmRepository(self)
        self.tematik = InMemoryTematikRepository(self)
        self.users = InMemoryUserRepository(self)
        self.incidents = InMemoryIncidentRepository(self)
        self.skm = InMemorySkmRepository(self)
        self.targets = InMemoryTargetRepository(self)
        self.audit = InMemoryAuditRepository(self)
        self.invites = InMemoryInviteRepository(self)
        self.drafts = InMemoryDraftRepository()
        self.digests = InMemoryDigestRepository(self)
        self.exports = InMemoryExportRepository(self)
        self.outbox = InMemoryOutboxRepository()
        self.updates = InMemoryUpdateLogRepository()
        self.imports = InMemoryImportBatchRepository(self)
        self.evidence = InMemoryEvidenceRepository(self)
        self.rtl = InMemoryRtlRepository(self)

    def __enter__(self) -> Self:
        self._begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._work = None
        self._dirty = False

    def _begin(self) -> None:
        self._work, self._base = self.database._begin()
        self._dirty = False

    def commit(self) -> None:
        """Make the work the committed state; the next work starts from it."""
        work = self.read()
        if self._dirty:
            self.database._commit(work, self._base)
        self._begin()

    def rollback(self) -> None:
        """Discard the work: the state is again that of the last commit."""
        self.read()
        self._begin()

    @property
    def tables(self) -> Tables:
        """The working copy (this transaction's view), to assert on inside ``with``."""
        return self.read()

    def read(self) -> Tables:
        """The working tables, for a repository that reads."""
        if self._work is None:
            raise RuntimeError("unit of work belum dibuka (gunakan 'with')")
        return self._work

    def write(self) -> Tables:
        """The working tables, for a repository that is about to change them."""
        work = self.read()
        self._dirty = True
        return work

    def next_id(self, table: str) -> int:
        """An id for a new row of ``table``."""
        return self.database.next_id(table)


def _conforms(uow: InMemoryUnitOfWork) -> UnitOfWork:
    """Static proof (checked by mypy) that the fake satisfies the port."""
    return uow


# --- helpers ------------------------------------------------------------------------------


def _aware(value: datetime, what: str) -> datetime:
    """UTC, as storage.types.UTCDateTime keeps it; a naive datetime is refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"waktu tanpa zona waktu ditolak: {what} {value.isoformat()}")
    return value.astimezone(UTC)


def _scaled(value: Decimal, scale: int) -> Decimal:
    """A decimal at its column's scale, as storage.types.ExactDecimal returns it."""
    return value.quantize(Decimal(1).scaleb(-scale))


def _scaled_or_none(value: Decimal | None, scale: int) -> Decimal | None:
    return None if value is None else _scaled(value, scale)


def _skm_totals(found: Sequence[SkmResponse]) -> SkmTotals:
    totals: dict[str, UnsurTotal] = {}
    for key in UNSUR:
        values = [v for r in found if (v := r.answers.get(key)) is not None]
        totals[key] = UnsurTotal(total=sum(values), answered=len(values))
    return SkmTotals(respondents=len(found), totals=totals)


def _live(tables: Tables) -> list[Incident]:
    """The incidents that count: a voided duplicate counts nowhere."""
    return [i for i in tables.incidents.values() if i.voided_at is None]


def _refers(rows: dict[int, Any], row_id: int | None, what: str) -> None:
    """A foreign key: the referenced row must exist (None is allowed)."""
    if row_id is not None and row_id not in rows:
        raise IntegrityViolation(f"{what} {row_id} tidak ada (foreign key)")


def _unique(taken: Iterable[Any], value: Any, what: str) -> None:
    if value in set(taken):
        raise IntegrityViolation(f"{what} {value!r} sudah ada (unique)")


def _office_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return Period.between(start, end).utc_bounds(OFFICE_TZ)


class _Repo:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    def _read(self) -> Tables:
        return self._uow.read()

    def _write(self) -> Tables:
        return self._uow.write()


# --- kecamatan and desa --------------------------------------------------------------------


class InMemoryKecamatanRepository(_Repo):
    """Kecamatan (and, through ``upsert``, their desa)."""

    def get_by_code(self, kode: str) -> Kecamatan | None:
        """By Kemendagri or BPS code."""
        kode = kode.strip()
        return next(
            (k for k in self._read().kecamatan.values() if kode in (k.kode, k.kode_bps)), None
        )

    def get(self, kecamatan_id: int) -> Kecamatan | None:
        """By id."""
        return self._read().kecamatan.get(kecamatan_id)

    def upsert(self, seed: KecamatanSeed) -> tuple[Kecamatan, int]:
        """Insert or update a kecamatan and its desa, matched by Kemendagri code."""
        tables = self._write()
        changed = 0
        row = next((k for k in tables.kecamatan.values() if k.kode == seed.kode), None)
        others = [k for k in tables.kecamatan.values() if row is None or k.id != row.id]
        _unique((k.kode_bps for k in others), seed.kode_bps, "kode_bps kecamatan")
        wanted = Kecamatan(
            0 if row is None else row.id,
            seed.kode,
            seed.kode_bps,
            seed.nama,
            seed.kabupaten,
            seed.provinsi,
        )
        if row is None:
            row = replace(wanted, id=self._uow.next_id("kecamatan"))
            changed += 1
        elif row != wanted:
            row = wanted
            changed += 1
        tables.kecamatan[row.id] = row
        existing = {d.kode: d for d in tables.desa.values() if d.kecamatan_id == row.id}
        for item in seed.desa:
            desa = existing.get(item.kode)
            others_desa = [d for d in tables.desa.values() if desa is None or d.id != desa.id]
            if desa is None:
                _unique((d.kode for d in others_desa), item.kode, "kode desa")
                _unique((d.kode_bps for d in others_desa), item.kode_bps, "kode_bps desa")
                new = Desa(self._uow.next_id("desa"), row.id, item.kode, item.kode_bps, item.nama)
                tables.desa[new.id] = new
                changed += 1
            elif (desa.kode_bps, desa.nama) != (item.kode_bps, item.nama):
                _unique((d.kode_bps for d in others_desa), item.kode_bps, "kode_bps desa")
                tables.desa[desa.id] = replace(desa, kode_bps=item.kode_bps, nama=item.nama)
                changed += 1
        return row, changed

    def claim_service_examples(self, kecamatan_id: int) -> bool:
        """True the first time for an existing kecamatan, then False."""
        tables = self._read()
        if kecamatan_id not in tables.kecamatan or kecamatan_id in tables.service_examples_offered:
            return False
        self._write().service_examples_offered.add(kecamatan_id)
        return True

    def list(self) -> list[Kecamatan]:
        """All kecamatan by code."""
        return sorted(self._read().kecamatan.values(), key=lambda k: k.kode)


class InMemoryDesaRepository(_Repo):
    """Desa."""

    def get(self, desa_id: int) -> Desa | None:
        """By id."""
        return self._read().desa.get(desa_id)

    def find_by_code(self, code: str) -> Desa | None:
        """By Kemendagri or BPS code."""
        code = code.strip()
        return next((d for d in self._read().desa.values() if code in (d.kode, d.kode_bps)), None)

    def list_by_kecamatan(self, kecamatan_id: int) -> list[Desa]:
        """The desa of a kecamatan by code."""
        found = [d for d in self._read().desa.values() if d.kecamatan_id == kecamatan_id]
        return sorted(found, key=lambda d: d.kode)


# --- IDM and desa tematik -----------------------------------------------------------------


class InMemoryIdmRepository(_Repo):
    """IDM results per desa and year."""

    def upsert(self, result: IdmResult) -> bool:
        """Insert or update desa+year; True when inserted."""
        tables = self._write()
        _refers(tables.desa, result.desa_id, "desa")
        key = (result.desa_id, result.tahun)
        inserted = key not in tables.idm
        tables.idm[key] = replace(
            result,
            score=_scaled(result.score, 14),
            iks=_scaled_or_none(result.iks, 14),
            ike=_scaled_or_none(result.ike, 14),
            ikl=_scaled_or_none(result.ikl, 14),
            source=result.source[:200],
            dimensions=None if not result.dimensions else dict(result.dimensions),
            status_source=None if result.status_source is None else result.status_source[:200],
        )
        tables.idm_updated_at[key] = datetime.now(UTC)
        return inserted

    def get(self, desa_id: int, tahun: int) -> IdmResult | None:
        """One desa's result for a year."""
        return self._read().idm.get((desa_id, tahun))

    def snapshot(self, desa_id: int, tahun: int) -> IdmSnapshot | None:
        """The stored result and its time of change."""
        tables = self._read()
        result = tables.idm.get((desa_id, tahun))
        if result is None:
            return None
        return IdmSnapshot(result, tables.idm_updated_at[(desa_id, tahun)])

    def restore(self, desa_id: int, tahun: int, snapshot: IdmSnapshot | None) -> None:
        """Put the snapshot back, or delete."""
        tables = self._write()
        key = (desa_id, tahun)
        if snapshot is None:
            tables.idm.pop(key, None)
            tables.idm_updated_at.pop(key, None)
            return
        self.upsert(snapshot.result)
        tables.idm_updated_at[key] = _aware(snapshot.updated_at, "updated_at")

    def _of(self, kecamatan_id: int) -> list[tuple[Desa, IdmResult]]:
        tables = self._read()
        return [
            (tables.desa[r.desa_id], r)
            for r in tables.idm.values()
            if tables.desa[r.desa_id].kecamatan_id == kecamatan_id
        ]

    def list_for_kecamatan(self, kecamatan_id: int, tahun: int) -> list[IdmResult]:
        """Results of a kecamatan's desa for a year, by desa code."""
        found = [(d.kode, r) for d, r in self._of(kecamatan_id) if r.tahun == tahun]
        return [r for _, r in sorted(found, key=lambda pair: pair[0])]

    def count_by_status(self, kecamatan_id: int, tahun: int) -> dict[IdmStatus, int]:
        """Desa per status (every status, absent ones 0)."""
        counts = dict.fromkeys(IdmStatus, 0)
        for _, result in self._of(kecamatan_id):
            if result.tahun == tahun:
                counts[result.status] += 1
        return counts

    def latest_year(self, kecamatan_id: int) -> int | None:
        """The most recent year with a result."""
        return max((r.tahun for _, r in self._of(kecamatan_id)), default=None)


class InMemoryTematikRepository(_Repo):
    """Desa tematik designations."""

    def add(self, item: DesaTematik) -> DesaTematik:
        """Store a designation with a new id."""
        tables = self._write()
        _refers(tables.desa, item.desa_id, "desa")
        stored = replace(item, id=self._uow.next_id("desa_tematik"))
        tables.tematik[stored.id] = stored
        return stored

    def _active(self, kecamatan_id: int, tahun: int) -> list[DesaTematik]:
        tables = self._read()
        found = [
            t
            for t in tables.tematik.values()
            if t.active and t.tahun == tahun and tables.desa[t.desa_id].kecamatan_id == kecamatan_id
        ]
        return sorted(found, key=lambda t: (tables.desa[t.desa_id].kode, t.id))

    def list_active(self, kecamatan_id: int, tahun: int) -> list[DesaTematik]:
        """Active designations of a year, by desa code and id."""
        return self._active(kecamatan_id, tahun)

    def get(self, tematik_id: int) -> DesaTematik | None:
        """One designation by id."""
        return self._read().tematik.get(tematik_id)

    def end(self, tematik_id: int, at: datetime) -> bool:
        """Deactivate an active designation; False when it was not active."""
        item = self._read().tematik.get(tematik_id)
        if item is None or not item.active:
            return False
        tables = self._write()
        tables.tematik[tematik_id] = replace(item, active=False)
        tables.tematik_ended_at[tematik_id] = _aware(at, "ended_at")
        return True

    def count_desa(self, kecamatan_id: int, tahun: int) -> int:
        """Distinct desa with an active theme in the year."""
        return len({t.desa_id for t in self._active(kecamatan_id, tahun)})


# --- users -----------------------------------------------------------------------------------


class InMemoryUserRepository(_Repo):
    """Registered officers; the Telegram id is unique."""

    def add(self, user: User) -> User:
        """Store a user with a new id."""
        tables = self._write()
        _unique((u.telegram_id for u in tables.users.values()), user.telegram_id, "telegram_id")
        _refers(tables.kecamatan, user.kecamatan_id, "kecamatan")
        _refers(tables.desa, user.desa_id, "desa")
        stored = replace(user, id=self._uow.next_id("app_user"))
        tables.users[stored.id] = stored
        return stored

    def get_by_telegram_id(self, telegram_id: int) -> User | None:
        """By Telegram id."""
        return next((u for u in self._read().users.values() if u.telegram_id == telegram_id), None)

    def get(self, user_id: int) -> User | None:
        """By id."""
        return self._read().users.get(user_id)

    def update(self, user: User, *, expected_status: UserStatus | None = None) -> User | None:
        """Store every field but the Telegram id; None unless the status is the expected one."""
        current = self._read().users.get(user.id)
        if current is None or (
            expected_status is not None and current.status is not expected_status
        ):
            return None
        tables = self._write()
        _refers(tables.kecamatan, user.kecamatan_id, "kecamatan")
        _refers(tables.desa, user.desa_id, "desa")
        # As the SQL UPDATE: every column but telegram_id; the caller's user is returned.
        tables.users[user.id] = replace(user, telegram_id=current.telegram_id)
        return user

    def list(
        self,
        kecamatan_id: int,
        *,
        status: UserStatus | None = None,
        role: Role | None = None,
        seksi: Seksi | None = None,
    ) -> list[User]:
        """Users of a kecamatan by name (then id), optionally filtered."""
        found = [
            u
            for u in self._read().users.values()
            if u.kecamatan_id == kecamatan_id
            and (status is None or u.status is status)
            and (role is None or u.role is role)
            and (seksi is None or u.seksi is seksi)
        ]
        return sorted(found, key=lambda u: (u.nama, u.id))


# --- incidents -------------------------------------------------------------------------------


class InMemoryIncidentRepository(_Repo):
    """Incidents, their history, nil reports and the handling aggregates."""

    def add(self, incident: Incident) -> Incident:
        """Store a new incident (status BARU) with the next number of its kind and year."""
        tables = self._write()
        _refers(tables.kecamatan, incident.kecamatan_id, "kecamatan")
        _refers(tables.desa, incident.desa_id, "desa")
        _refers(tables.users, incident.reporter_id, "app_user")
        received = _aware(incident.received_at, "received_at")
        tahun = received.astimezone(OFFICE_TZ).year
        series = (incident.kecamatan_id, incident.kind, tahun)
        seq = tables.tracking.get(series, 0) + 1
        tables.tracking[series] = seq
        kode = tables.kecamatan[incident.kecamatan_id].kode
        stored = replace(
            incident,
            id=self._uow.next_id("incident"),
            nomor=tracking_number(incident.kind, kode, tahun, seq),
            received_at=received,
            status=IncidentStatus.BARU,
            handled_at=None,
            version=1,
            photo_file_ids=tuple(incident.photo_file_ids),
        )
        tables.incidents[stored.id] = stored
        self._event(
            tables,
            stored.id,
            from_status=None,
            to_status=IncidentStatus.BARU,
            note="Laporan diterima",
            user_id=incident.reporter_id,
            at=received,
        )
        return stored

    def _event(
        self,
        tables: Tables,
        incident_id: int,
        *,
        from_status: IncidentStatus | None,
        to_status: IncidentStatus,
        note: str,
        user_id: int | None,
        at: datetime,
        photo_file_id: str | None = None,
    ) -> None:
        event = IncidentEvent(
            id=self._uow.next_id("incident_event"),
            incident_id=incident_id,
            from_status=from_status,
            to_status=to_status,
            note=note,
            user_id=user_id,
            created_at=at,
            photo_file_id=photo_file_id,
        )
        tables.incident_events[event.id] = event

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
        current = self._read().incidents.get(incident_id)
        if current is None or current.version != expected_version:
            return None
        tables = self._write()
        _refers(tables.users, user_id, "app_user")
        _refers(tables.desa, corrected.desa_id, "desa")
        _refers(tables.incidents, corrected.duplicate_of_id, "incident")
        moment = _aware(at, "at")
        rows = list(corrections)
        nomor = current.nomor
        if corrected.kind is not current.kind:
            tahun = current.received_at.astimezone(OFFICE_TZ).year
            series = (current.kecamatan_id, corrected.kind, tahun)
            seq = tables.tracking.get(series, 0) + 1
            tables.tracking[series] = seq
            nomor = tracking_number(
                corrected.kind, tables.kecamatan[current.kecamatan_id].kode, tahun, seq
            )
            rows.append(IncidentCorrection("nomor", current.nomor, nomor))
        changed = replace(
            current,
            nomor=nomor,
            kind=corrected.kind,
            desa_id=corrected.desa_id,
            event_date=corrected.event_date,
            category=corrected.category,
            category_detail=corrected.category_detail,
            stage=corrected.stage,
            description=corrected.description,
            duplicate_of_id=corrected.duplicate_of_id,
            voided_at=None if corrected.voided_at is None else _aware(corrected.voided_at, "at"),
            void_reason=corrected.void_reason,
            version=current.version + 1,
        )
        tables.incidents[incident_id] = changed
        for row in rows:
            tables.incident_corrections.append((incident_id, row, reason, moment))
        self._event(
            tables,
            incident_id,
            from_status=current.status,
            to_status=current.status,
            note=note,
            user_id=user_id,
            at=moment,
        )
        return changed

    def corrections(self, incident_id: int) -> list[tuple[IncidentCorrection, str, datetime]]:
        """An incident's corrections (with reason and time), oldest first."""
        return [
            (row, reason, at)
            for owner, row, reason, at in self._read().incident_corrections
            if owner == incident_id
        ]

    def correction_counts(self, kecamatan_id: int, start: date, end: date) -> tuple[int, int]:
        """Reports corrected and reports voided on office days [start, end]."""
        since, until = _office_bounds(start, end)
        tables = self._read()
        corrected = {
            owner
            for owner, row, _, at in tables.incident_corrections
            if row.field != "duplicate_of"
            and since <= at < until
            and tables.incidents[owner].kecamatan_id == kecamatan_id
        }
        voided = sum(
            1
            for i in tables.incidents.values()
            if i.kecamatan_id == kecamatan_id
            and i.voided_at is not None
            and since <= i.voided_at < until
        )
        return len(corrected), voided

    def get_by_nomor(self, nomor: str) -> Incident | None:
        """By tracking number, case-insensitive."""
        wanted = nomor.strip().upper()
        return next((i for i in self._read().incidents.values() if i.nomor == wanted), None)

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
        current = self._read().incidents.get(incident_id)
        if current is None or current.version != expected_version:
            return None
        tables = self._write()
        _refers(tables.users, user_id, "app_user")
        moment = _aware(at, "at")
        changed = replace(
            current,
            status=to_status,
            handled_at=moment if to_status is IncidentStatus.TERTANGANI else None,
            version=current.version + 1,
        )
        tables.incidents[incident_id] = changed
        self._event(
            tables,
            incident_id,
            from_status=current.status,
            to_status=to_status,
            note=note,
            user_id=user_id,
            at=moment,
            photo_file_id=photo_file_id,
        )
        if photo_file_id is not None:
            tables.proof_photos.setdefault(incident_id, []).append(photo_file_id)
        return changed

    def get(self, incident_id: int) -> Incident | None:
        """By id."""
        return self._read().incidents.get(incident_id)

    def list_by_reporter(self, reporter_id: int, limit: int = 20) -> list[Incident]:
        """A reporter's incidents, newest first."""
        found = [i for i in self._read().incidents.values() if i.reporter_id == reporter_id]
        found.sort(key=lambda i: (i.received_at, i.id), reverse=True)
        return found[:limit]

    def _open(self, kecamatan_id: int, kind: IncidentKind | None) -> list[Incident]:
        found = [
            i
            for i in _live(self._read())
            if i.kecamatan_id == kecamatan_id
            and i.status is not IncidentStatus.TERTANGANI
            and (kind is None or i.kind is kind)
        ]
        return sorted(found, key=lambda i: (i.received_at, i.id))

    def list_open(
        self,
        kecamatan_id: int,
        kind: IncidentKind | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Incident]:
        """Incidents not yet handled, oldest received first (a page: limit and offset)."""
        found = self._open(kecamatan_id, kind)[offset:]
        return found if limit is None else found[:limit]

    def count_open(
        self,
        kecamatan_id: int,
        *,
        kind: IncidentKind | None = None,
        received_before: datetime | None = None,
    ) -> int:
        """Incidents not yet handled (of a kind, received before a moment, if given)."""
        return sum(
            1
            for i in self._open(kecamatan_id, kind)
            if received_before is None or i.received_at < received_before
        )

    def count_for_desa(self, desa_id: int, start: date, end: date) -> int:
        """A desa's incidents by event date in [start, end]."""
        return sum(
            1 for i in _live(self._read()) if i.desa_id == desa_id and start <= i.event_date <= end
        )

    def history(self, incident_id: int) -> list[IncidentEvent]:
        """Follow-ups, oldest first."""
        found = [e for e in self._read().incident_events.values() if e.incident_id == incident_id]
        return sorted(found, key=lambda e: (e.created_at, e.id))

    def add_nil_report(self, report: NilReport) -> bool:
        """Once per desa and ISO week; False (nothing written) for a second one."""
        key = (report.desa_id, report.iso_year, report.iso_week)
        if key in self._read().nil_reports:
            return False
        tables = self._write()
        _refers(tables.desa, report.desa_id, "desa")
        _refers(tables.users, report.user_id, "app_user")
        tables.nil_reports[key] = replace(
            report, created_at=_aware(report.created_at, "created_at")
        )
        return True

    def status_counts(
        self, kecamatan_ids: Sequence[int], start: date, end: date
    ) -> dict[tuple[int, IncidentKind], dict[str, int]]:
        """Incidents not voided by event date, per kecamatan, kind and status that occurs."""
        wanted = set(kecamatan_ids)
        counts = Counter(
            (i.kecamatan_id, i.kind, i.status.value)
            for i in _live(self._read())
            if i.kecamatan_id in wanted and start <= i.event_date <= end
        )
        found: dict[tuple[int, IncidentKind], dict[str, int]] = {}
        for (kecamatan_id, kind, status), count in sorted(counts.items()):
            found.setdefault((kecamatan_id, kind), {})[status] = count
        return found

    def received_marks(self, kecamatan_id: int, start: date, end: date) -> list[ReceivedMark]:
        """The incidents received on office days [start, end], in order."""
        since, until = _office_bounds(start, end)
        found = sorted(
            (
                i
                for i in _live(self._read())
                if i.kecamatan_id == kecamatan_id and since <= i.received_at < until
            ),
            key=lambda i: (i.received_at, i.id),
        )
        return [
            ReceivedMark(
                desa_id=i.desa_id,
                kind=i.kind,
                received_at=i.received_at,
                handled=i.status is IncidentStatus.TERTANGANI,
            )
            for i in found
        ]

    def received_counts(
        self, kecamatan_id: int, start: date, end: date, edges: Sequence[datetime]
    ) -> list[ReceivedCount]:
        """Received incidents counted per slot [edges[i], edges[i + 1]) and kind."""
        tally: Counter[tuple[int, IncidentKind]] = Counter()
        done: Counter[tuple[int, IncidentKind]] = Counter()
        for mark in self.received_marks(kecamatan_id, start, end):
            slot = next(
                (i for i in range(len(edges) - 1) if edges[i] <= mark.received_at < edges[i + 1]),
                None,
            )
            if slot is None:
                continue
            tally[slot, mark.kind] += 1
            done[slot, mark.kind] += mark.handled
        return [
            ReceivedCount(slot, kind, tally[slot, kind], done[slot, kind])
            for slot, kind in sorted(tally, key=lambda k: (k[0], k[1].value))
        ]

    def list_handled(self, kecamatan_id: int, start: date, end: date) -> list[Incident]:
        """Incidents handled (and still so) on office days [start, end], oldest first."""
        since, until = _office_bounds(start, end)
        found = [
            i
            for i in _live(self._read())
            if i.kecamatan_id == kecamatan_id
            and i.status is IncidentStatus.TERTANGANI
            and i.handled_at is not None
            and since <= i.handled_at < until
        ]
        return sorted(found, key=lambda i: (i.handled_at or since, i.id))

    def reported_desa(self, kecamatan_id: int, start: date, end: date) -> set[int]:
        """Desa with an incident dated or received on days [start, end]."""
        since, until = _office_bounds(start, end)
        return {
            i.desa_id
            for i in _live(self._read())
            if i.kecamatan_id == kecamatan_id
            and (start <= i.event_date <= end or since <= i.received_at < until)
        }

    def nil_desa(self, kecamatan_id: int, iso_year: int, iso_week: int) -> set[int]:
        """Desa of the kecamatan with a nil report for the ISO week."""
        tables = self._read()
        return {
            desa_id
            for (desa_id, year, week) in tables.nil_reports
            if (year, week) == (iso_year, iso_week)
            and tables.desa[desa_id].kecamatan_id == kecamatan_id
        }


# --- SKM, targets, audit, invites ------------------------------------------------------------


class InMemorySkmRepository(_Repo):
    """SKM services, responses and the dedup hashes."""

    def add_response(self, response: SkmResponse) -> int:
        """Store one response (the nine unsur only); returns its id."""
        tables = self._write()
        _refers(tables.kecamatan, response.kecamatan_id, "kecamatan")
        _refers(tables.skm_services, response.service_id, "skm_service")
        answers = {key: response.answers.get(key) for key in UNSUR}
        for key, value in answers.items():
            if value is not None and not 1 <= value <= 4:
                raise IntegrityViolation(f"u_{key}_range: {value} di luar 1-4 (check)")
        response_id = self._uow.next_id("skm_response")
        tables.skm_responses[response_id] = replace(response, answers=answers, id=response_id)
        return response_id

    def pool_response(self, response: SkmResponse) -> None:
        """Keep a chat answer in the pool under a random key."""
        tables = self._write()
        _refers(tables.kecamatan, response.kecamatan_id, "kecamatan")
        _refers(tables.skm_services, response.service_id, "skm_service")
        answers = {key: response.answers.get(key) for key in UNSUR}
        for key, value in answers.items():
            if value is not None and not 1 <= value <= 4:
                raise IntegrityViolation(f"u_{key}_range: {value} di luar 1-4 (check)")
        tables.skm_pool[secrets.token_hex(16)] = replace(response, answers=answers, id=None)

    def pool_sizes(self) -> dict[int, int]:
        """Pooled answers per kecamatan."""
        return dict(Counter(r.kecamatan_id for r in self._read().skm_pool.values()))

    def take_pool(self) -> list[SkmResponse]:
        """The pool ordered by content (the SQL order of columns)."""

        def content(r: SkmResponse) -> tuple[Any, ...]:
            answers = tuple((v is not None, v or 0) for v in (r.answers.get(k) for k in UNSUR))
            profile = (r.jenis_kelamin, r.usia, r.pendidikan, r.pekerjaan, r.saran)
            present = tuple((v is not None, v if v is not None else 0) for v in profile)
            return (r.kecamatan_id, r.service_id or 0, r.survey_date, answers, present)

        return sorted(self._read().skm_pool.values(), key=content)

    def store_flushed(self, ordered: Sequence[SkmResponse]) -> None:
        """Move the taken pool into the responses in this order and empty the pool."""
        tables = self._write()
        for response in ordered:
            response_id = self._uow.next_id("skm_response")
            tables.skm_responses[response_id] = replace(response, id=response_id)
        tables.skm_pool.clear()
        tables.skm_dedup = dict(sorted(tables.skm_dedup.items()))

    def claim_dedup(self, key_hash: str, period: str) -> bool:
        """Store a keyed hash once; False when it was already stored."""
        if key_hash in self._read().skm_dedup:
            return False
        self._write().skm_dedup[key_hash] = period
        return True

    def has_dedup(self, key_hash: str) -> bool:
        """Whether the keyed hash is stored."""
        return key_hash in self._read().skm_dedup

    def get_service(self, service_id: int) -> SkmService | None:
        """By id."""
        return self._read().skm_services.get(service_id)

    def get_service_by_code(self, kecamatan_id: int, kode: str) -> SkmService | None:
        """By code, case-insensitive."""
        wanted = kode.strip().lower()
        return next(
            (
                s
                for s in self._read().skm_services.values()
                if s.kecamatan_id == kecamatan_id and s.kode.lower() == wanted
            ),
            None,
        )

    def find_service_by_name(self, kecamatan_id: int, nama: str) -> SkmService | None:
        """By name, case-insensitive, spaces tidied."""
        wanted = " ".join(nama.split()).lower()
        return next(
            (
                s
                for s in self._read().skm_services.values()
                if s.kecamatan_id == kecamatan_id and s.nama.lower() == wanted
            ),
            None,
        )

    def list_services(self, kecamatan_id: int) -> list[SkmService]:
        """Services of a kecamatan by name."""
        found = [s for s in self._read().skm_services.values() if s.kecamatan_id == kecamatan_id]
        return sorted(found, key=lambda s: s.nama)

    def add_service(self, service: SkmService) -> SkmService:
        """Create a service; the code is unique within its kecamatan."""
        tables = self._write()
        _refers(tables.kecamatan, service.kecamatan_id, "kecamatan")
        _unique(
            (
                s.kode
                for s in tables.skm_services.values()
                if s.kecamatan_id == service.kecamatan_id
            ),
            service.kode,
            "kode layanan",
        )
        stored = replace(service, id=self._uow.next_id("skm_service"))
        tables.skm_services[stored.id] = stored
        return stored

    def update_service(self, service: SkmService) -> SkmService:
        """Store name, population, active flag and example mark of an existing service."""
        current = self._read().skm_services.get(service.id)
        if current is None:
            raise LookupError(f"layanan {service.id} tidak ada")
        stored = replace(
            current,
            nama=service.nama,
            population=service.population,
            active=service.active,
            example=service.example,
        )
        self._write().skm_services[service.id] = stored
        return stored

    def delete_service(self, service_id: int) -> None:
        """Delete a service; one that responses refer to is refused (foreign key)."""
        tables = self._read()
        if service_id not in tables.skm_services:
            raise LookupError(f"layanan {service_id} tidak ada")
        stored = (*tables.skm_responses.values(), *tables.skm_pool.values())
        if any(r.service_id == service_id for r in stored):
            raise IntegrityViolation(f"skm_response merujuk layanan {service_id} (foreign key)")
        del self._write().skm_services[service_id]

    def count_responses(self, service_id: int) -> int:
        """How many responses name the service, pooled ones included."""
        tables = self._read()
        stored = (*tables.skm_responses.values(), *tables.skm_pool.values())
        return sum(1 for r in stored if r.service_id == service_id)

    def delete_batch_responses(self, batch_id: int) -> int:
        """Delete the responses of an import batch; how many."""
        responses = self._write().skm_responses
        found = [i for i, r in responses.items() if r.batch_id == batch_id]
        for response_id in found:
            del responses[response_id]
        return len(found)

    def totals(
        self, kecamatan_id: int, start: date, end: date, service_id: int | None = None
    ) -> SkmTotals:
        """Per-unsur sums and counts and the respondent count for survey dates in range."""
        tables = self._read()
        found = [
            r
            for r in (*tables.skm_responses.values(), *tables.skm_pool.values())
            if r.kecamatan_id == kecamatan_id
            and start <= r.survey_date <= end
            and (service_id is None or r.service_id == service_id)
        ]
        return _skm_totals(found)

    def service_totals(
        self, kecamatan_ids: Sequence[int], start: date, end: date
    ) -> dict[tuple[int, int | None], SkmTotals]:
        """:meth:`totals` of each kecamatan and service that has responses in range."""
        tables = self._read()
        wanted = set(kecamatan_ids)
        groups: dict[tuple[int, int | None], list[SkmResponse]] = {}
        for r in (*tables.skm_responses.values(), *tables.skm_pool.values()):
            if r.kecamatan_id in wanted and start <= r.survey_date <= end:
                groups.setdefault((r.kecamatan_id, r.service_id), []).append(r)
        return {key: _skm_totals(found) for key, found in groups.items()}

    def score_counts(self, kecamatan_id: int, start: date, end: date) -> dict[str, dict[int, int]]:
        """Per unsur, the answers of each score 1-4 for survey dates in range."""
        tables = self._read()
        found = [
            r
            for r in (*tables.skm_responses.values(), *tables.skm_pool.values())
            if r.kecamatan_id == kecamatan_id and start <= r.survey_date <= end
        ]
        return {
            key: {score: sum(r.answers.get(key) == score for r in found) for score in range(1, 5)}
            for key in UNSUR
        }


class InMemoryImportBatchRepository(_Repo):
    """Import batches and the IDM changes they remember."""

    def add(self, batch: ImportBatch) -> ImportBatch | None:
        """Store a batch; None when an active one has the same bytes (the unique index)."""
        if self.find_active(batch.kecamatan_id, batch.kind, batch.sha256) is not None:
            return None
        tables = self._write()
        _refers(tables.kecamatan, batch.kecamatan_id, "kecamatan")
        _refers(tables.users, batch.user_id, "app_user")
        stored = replace(
            batch,
            id=self._uow.next_id("import_batch"),
            file_name=batch.file_name[:200],
            actor=batch.actor[:60],
            created_at=_aware(batch.created_at, "created_at"),
        )
        tables.import_batches[stored.id] = stored
        return stored

    def get(self, batch_id: int) -> ImportBatch | None:
        """By id."""
        return self._read().import_batches.get(batch_id)

    def find_active(self, kecamatan_id: int, kind: ImportKind, sha256: str) -> ImportBatch | None:
        """The batch not undone with these bytes."""
        return next(
            (
                b
                for b in self._read().import_batches.values()
                if (b.kecamatan_id, b.kind, b.sha256) == (kecamatan_id, kind, sha256)
                and not b.undone
            ),
            None,
        )

    def find_active_by_name(
        self, kecamatan_id: int, kind: ImportKind, file_name: str
    ) -> list[ImportBatch]:
        """Batches not undone of files with this name, oldest first."""
        found = [
            b
            for b in self._read().import_batches.values()
            if (b.kecamatan_id, b.kind, b.file_name) == (kecamatan_id, kind, file_name[:200])
            and not b.undone
        ]
        return sorted(found, key=lambda b: b.id)

    def _of(self, kecamatan_id: int, kind: ImportKind | None) -> list[ImportBatch]:
        return [
            b
            for b in self._read().import_batches.values()
            if b.kecamatan_id == kecamatan_id and (kind is None or b.kind is kind)
        ]

    def list_for_kecamatan(
        self, kecamatan_id: int, *, kind: ImportKind | None = None, limit: int | None = None
    ) -> list[ImportBatch]:
        """Newest first."""
        found = sorted(self._of(kecamatan_id, kind), key=lambda b: (b.created_at, b.id))
        found.reverse()
        return found if limit is None else found[:limit]

    def count(self, kecamatan_id: int, *, kind: ImportKind | None = None) -> int:
        """How many batches."""
        return len(self._of(kecamatan_id, kind))

    def _change(self, batch_id: int, **values: Any) -> None:
        tables = self._write()
        tables.import_batches[batch_id] = replace(tables.import_batches[batch_id], **values)

    def set_counts(self, batch_id: int, *, rows_read: int, stored: int, replaced: int) -> None:
        """The counts."""
        self._change(batch_id, rows_read=rows_read, stored=stored, replaced=replaced)

    def mark_undone(self, batch_id: int, *, at: datetime, by: str) -> bool:
        """Undone once; False the second time."""
        batch = self._read().import_batches.get(batch_id)
        if batch is None or batch.undone:
            return False
        self._change(batch_id, undone_at=_aware(at, "undone_at"), undone_by=by[:60])
        return True

    def set_replaced_by(self, batch_id: int, replaced_by: int) -> None:
        """The batch that replaced it."""
        _refers(self._read().import_batches, replaced_by, "import_batch")
        self._change(batch_id, replaced_by=replaced_by)

    def add_idm_change(
        self, batch_id: int, desa_id: int, tahun: int, previous: IdmSnapshot | None
    ) -> None:
        """Remember a desa-year once per batch."""
        tables = self._write()
        _refers(tables.import_batches, batch_id, "import_batch")
        key = (batch_id, desa_id, tahun)
        _unique(tables.idm_changes, key, "idm_import_change")
        tables.idm_changes[key] = IdmChange(desa_id, tahun, previous)

    def idm_changes(self, batch_id: int) -> list[IdmChange]:
        """In the order written."""
        return [c for (b, _, _), c in self._read().idm_changes.items() if b == batch_id]

    def relink_idm_previous(
        self, desa_id: int, tahun: int, *, replaced_batch: int, previous: IdmSnapshot | None
    ) -> int:
        """The active batches' changes that remember ``replaced_batch``'s value."""
        tables = self._read()
        found = [
            key
            for key, change in tables.idm_changes.items()
            if key[1:] == (desa_id, tahun)
            and change.previous is not None
            and change.previous.result.batch_id == replaced_batch
            and not tables.import_batches[key[0]].undone
        ]
        for key in found:
            self._write().idm_changes[key] = IdmChange(desa_id, tahun, previous)
        return len(found)


class InMemoryTargetRepository(_Repo):
    """Annual targets (2 decimal places, as their column)."""

    def set(self, kecamatan_id: int, indicator: IndicatorCode, tahun: int, value: Decimal) -> None:
        """Insert or replace."""
        tables = self._write()
        _refers(tables.kecamatan, kecamatan_id, "kecamatan")
        tables.targets[(kecamatan_id, indicator, tahun)] = _scaled(value, 2)

    def for_year(self, kecamatan_id: int, tahun: int) -> dict[IndicatorCode, Decimal]:
        """All targets of a year."""
        return {
            indicator: value
            for (kec, indicator, year), value in self._read().targets.items()
            if (kec, year) == (kecamatan_id, tahun)
        }


class InMemoryAuditRepository(_Repo):
    """The audit log (read it through ``Tables.audit``)."""

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
        """Append one entry (the actor cut to 60 characters, as its column)."""
        tables = self._write()
        _refers(tables.users, user_id, "app_user")
        tables.audit.append(
            AuditEntry(
                id=self._uow.next_id("audit_log"),
                actor=actor[:60],
                action=action,
                entity=entity,
                entity_id=entity_id,
                detail=copy.deepcopy(detail),
                user_id=user_id,
                created_at=datetime.now(UTC) if at is None else _aware(at, "created_at"),
            )
        )

    def entries(
        self,
        *,
        user_ids: frozenset[int] | None = None,
        actors: frozenset[str] | None = None,
        since: datetime | None = None,
        before: datetime | None = None,
        action_prefix: str | None = None,
        limit: int | None = None,
    ) -> list[AuditLogEntry]:
        """Newest first (by time, then id), filtered as the SQL query does."""
        found = []
        for item in self._read().audit:
            if user_ids is not None or actors is not None:
                by_user = user_ids is not None and item.user_id in user_ids
                by_actor = actors is not None and item.actor in actors
                if not (by_user or by_actor):
                    continue
            if since is not None and item.created_at < since:
                continue
            if before is not None and item.created_at >= before:
                continue
            if action_prefix and not item.action.startswith(action_prefix):
                continue
            found.append(item)
        found.sort(key=lambda e: (e.created_at, e.id), reverse=True)
        return [
            AuditLogEntry(
                id=e.id,
                user_id=e.user_id,
                actor=e.actor,
                action=e.action,
                entity=e.entity,
                entity_id=e.entity_id,
                detail=copy.deepcopy(e.detail),
                created_at=e.created_at,
            )
            for e in found[:limit]
        ]


class InMemoryInviteRepository(_Repo):
    """Single-use registration links; the token's hash is unique."""

    def add(self, invite: Invite, token_hash: str) -> Invite:
        """Store an invite (unused) with a new id."""
        tables = self._write()
        _unique(tables.invite_hashes.values(), token_hash, "token_hash")
        _refers(tables.kecamatan, invite.kecamatan_id, "kecamatan")
        _refers(tables.desa, invite.desa_id, "desa")
        _refers(tables.users, invite.created_by, "app_user")
        stored = replace(
            invite,
            id=self._uow.next_id("invite"),
            expires_at=_aware(invite.expires_at, "expires_at"),
            used_at=None,
            used_by=None,
        )
        tables.invites[stored.id] = stored
        tables.invite_hashes[stored.id] = token_hash
        return stored

    def get_by_hash(self, token_hash: str) -> Invite | None:
        """By the token's hash."""
        tables = self._read()
        return next(
            (tables.invites[i] for i, h in tables.invite_hashes.items() if h == token_hash), None
        )

    def mark_used(self, invite_id: int, user_id: int, at: datetime) -> bool:
        """Only the first use succeeds."""
        current = self._read().invites.get(invite_id)
        if current is None or current.used_at is not None:
            return False
        tables = self._write()
        _refers(tables.users, user_id, "app_user")
        tables.invites[invite_id] = replace(current, used_at=_aware(at, "used_at"), used_by=user_id)
        return True


# --- the bot's repositories: only what the domain reads ------------------------------------


class InMemoryDraftRepository:
    """Conversations in progress: the bot's, no domain use case touches them."""

    def get(self, chat_id: int, user_id: int) -> Draft | None:
        """Not used by the domain."""
        _not_used("DraftRepository.get")

    def get_with_user(self, chat_id: int, user_id: int) -> tuple[User | None, Draft | None]:
        """Not used by the domain."""
        _not_used("DraftRepository.get_with_user")

    def claim_with_user(
        self, key: UpdateKey, at: datetime, chat_id: int, user_id: int
    ) -> tuple[User | None, Draft | None] | None:
        """Not used by the domain."""
        _not_used("DraftRepository.claim_with_user")

    def save(self, draft: Draft) -> Draft | None:
        """Not used by the domain."""
        _not_used("DraftRepository.save")

    def delete(
        self, chat_id: int, user_id: int, *, token: str | None = None, version: int | None = None
    ) -> bool:
        """Not used by the domain."""
        _not_used("DraftRepository.delete")

    def purge(self, older_than: datetime, flow: str | None = None) -> int:
        """Not used by the domain."""
        _not_used("DraftRepository.purge")


class InMemoryDigestRepository(_Repo):
    """The digest log (the domain reads the figures last sent); groups are the bot's."""

    def group_for(self, kecamatan_id: int) -> DigestGroup | None:
        """Not used by the domain."""
        _not_used("DigestRepository.group_for")

    def group_by_chat(self, chat_id: int) -> DigestGroup | None:
        """Not used by the domain."""
        _not_used("DigestRepository.group_by_chat")

    def groups(self) -> list[DigestGroup]:
        """Not used by the domain."""
        _not_used("DigestRepository.groups")

    def bind(self, group: DigestGroup) -> DigestGroup | None:
        """Not used by the domain."""
        _not_used("DigestRepository.bind")

    def unbind(self, chat_id: int) -> DigestGroup | None:
        """Not used by the domain."""
        _not_used("DigestRepository.unbind")

    def move_chat(self, old_chat_id: int, new_chat_id: int) -> bool:
        """Not used by the domain."""
        _not_used("DigestRepository.move_chat")

    def claim_reminder(self, user_id: int, week_key: str, kind: str, at: datetime) -> bool:
        """Not used by the domain."""
        _not_used("DigestRepository.claim_reminder")

    def get_log(self, chat_id: int, week_key: str) -> DigestLog | None:
        """A group's digest entry for a week."""
        return next(
            (
                log
                for log in self._read().digest_logs.values()
                if (log.chat_id, log.week_key) == (chat_id, week_key)
            ),
            None,
        )

    def claim(
        self,
        *,
        kecamatan_id: int,
        chat_id: int,
        week_key: str,
        at: datetime,
        stale_before: datetime,
    ) -> DigestLog | None:
        """Insert SENDING once, or take over a FAILED or stale SENDING entry."""
        moment = _aware(at, "claimed_at")
        current = self.get_log(chat_id, week_key)
        if current is None:
            tables = self._write()
            _refers(tables.kecamatan, kecamatan_id, "kecamatan")
            log = DigestLog(
                id=self._uow.next_id("digest_log"),
                kecamatan_id=kecamatan_id,
                chat_id=chat_id,
                week_key=week_key,
                status=DigestStatus.SENDING,
                claimed_at=moment,
            )
            tables.digest_logs[log.id] = log
            return log
        if current.status is DigestStatus.FAILED or (
            current.status is DigestStatus.SENDING and current.claimed_at < stale_before
        ):
            log = replace(
                current,
                status=DigestStatus.SENDING,
                claimed_at=moment,
                attempts=current.attempts + 1,
            )
            self._write().digest_logs[log.id] = log
            return log
        return None

    def _change(self, log_id: int, **changes: Any) -> None:
        current = self._read().digest_logs.get(log_id)
        if current is not None:  # an UPDATE of a missing row changes nothing
            self._write().digest_logs[log_id] = replace(current, **changes)

    def progress(self, log_id: int, parts_sent: int) -> None:
        """Record the parts sent so far."""
        self._change(log_id, parts_sent=parts_sent)

    def finish(self, log_id: int, *, at: datetime, figures: dict[str, str | None]) -> None:
        """Mark sent, keeping the figures shown."""
        if log_id in self._read().digest_logs:
            self._change(
                log_id, status=DigestStatus.SENT, sent_at=_aware(at, "sent_at"), error=None
            )
            self._write().digest_figures[log_id] = dict(figures)

    def fail(self, log_id: int, *, error: str, give_up: bool) -> None:
        """Mark failed (retried later) or given up."""
        status = DigestStatus.GAVE_UP if give_up else DigestStatus.FAILED
        self._change(log_id, status=status, error=error[:2000])

    def figures_of(self, kecamatan_id: int, week_key: str) -> dict[str, str | None] | None:
        """The figures of the kecamatan's digest last sent for the week."""
        tables = self._read()
        sent = [
            log
            for log in tables.digest_logs.values()
            if (log.kecamatan_id, log.week_key) == (kecamatan_id, week_key)
            and log.status is DigestStatus.SENT
            and log.id in tables.digest_figures
        ]
        if not sent:
            return None
        latest = max(sent, key=lambda log: log.sent_at or log.claimed_at)
        return dict(tables.digest_figures[latest.id])

    # -- the kabupaten's digest: groups are the bot's, the log is faked ----------------

    def kabupaten_group(self, kabupaten_code: str) -> KabupatenDigestGroup | None:
        """Not used by the domain."""
        _not_used("DigestRepository.kabupaten_group")

    def kabupaten_group_by_chat(self, chat_id: int) -> KabupatenDigestGroup | None:
        """Not used by the domain."""
        _not_used("DigestRepository.kabupaten_group_by_chat")

    def kabupaten_groups(self) -> list[KabupatenDigestGroup]:
        """Not used by the domain."""
        _not_used("DigestRepository.kabupaten_groups")

    def bind_kabupaten(self, group: KabupatenDigestGroup) -> KabupatenDigestGroup | None:
        """Not used by the domain."""
        _not_used("DigestRepository.bind_kabupaten")

    def unbind_kabupaten(self, chat_id: int) -> KabupatenDigestGroup | None:
        """Not used by the domain."""
        _not_used("DigestRepository.unbind_kabupaten")

    def move_kabupaten_chat(self, old_chat_id: int, new_chat_id: int) -> bool:
        """Not used by the domain."""
        _not_used("DigestRepository.move_kabupaten_chat")

    def kabupaten_log(self, kabupaten_code: str, week_key: str) -> KabupatenDigestLog | None:
        """The kabupaten digest entry of a week."""
        return next(
            (
                log
                for log in self._read().kabupaten_digest_logs.values()
                if (log.kabupaten_code, log.week_key) == (kabupaten_code, week_key)
            ),
            None,
        )

    def claim_kabupaten(
        self,
        *,
        kabupaten_code: str,
        chat_id: int,
        week_key: str,
        at: datetime,
        stale_before: datetime,
    ) -> KabupatenDigestLog | None:
        """Insert SENDING once, or take over a FAILED or stale SENDING entry."""
        moment = _aware(at, "claimed_at")
        current = self.kabupaten_log(kabupaten_code, week_key)
        if current is None:
            log = KabupatenDigestLog(
                id=self._uow.next_id("kabupaten_digest_log"),
                kabupaten_code=kabupaten_code,
                chat_id=chat_id,
                week_key=week_key,
                status=DigestStatus.SENDING,
                claimed_at=moment,
            )
            self._write().kabupaten_digest_logs[log.id] = log
            return log
        if current.status is DigestStatus.FAILED or (
            current.status is DigestStatus.SENDING and current.claimed_at < stale_before
        ):
            log = replace(
                current,
                status=DigestStatus.SENDING,
                claimed_at=moment,
                chat_id=chat_id,
                attempts=current.attempts + 1,
            )
            self._write().kabupaten_digest_logs[log.id] = log
            return log
        return None

    def _change_kabupaten(self, log_id: int, **changes: Any) -> None:
        current = self._read().kabupaten_digest_logs.get(log_id)
        if current is not None:
            self._write().kabupaten_digest_logs[log_id] = replace(current, **changes)

    def progress_kabupaten(self, log_id: int, parts_sent: int) -> None:
        """Record the parts sent so far."""
        self._change_kabupaten(log_id, parts_sent=parts_sent)

    def finish_kabupaten(self, log_id: int, *, at: datetime) -> None:
        """Mark sent."""
        self._change_kabupaten(
            log_id, status=DigestStatus.SENT, sent_at=_aware(at, "sent_at"), error=None
        )

    def fail_kabupaten(self, log_id: int, *, error: str, give_up: bool) -> None:
        """Mark failed (retried later) or given up."""
        status = DigestStatus.GAVE_UP if give_up else DigestStatus.FAILED
        self._change_kabupaten(log_id, status=status, error=error[:2000])


class InMemoryExportRepository(_Repo):
    """The lists of the Excel report."""

    def incidents(
        self, kecamatan_id: int, kind: IncidentKind, start: date, end: date
    ) -> list[IncidentRecord]:
        """Incidents of a kind by event date, with desa and reporter."""
        tables = self._read()
        found = sorted(
            (
                i
                for i in _live(tables)
                if i.kecamatan_id == kecamatan_id
                and i.kind is kind
                and start <= i.event_date <= end
            ),
            key=lambda i: (i.event_date, i.received_at, i.id),
        )
        records: list[IncidentRecord] = []
        for i in found:
            desa = tables.desa[i.desa_id]
            reporter = None if i.reporter_id is None else tables.users.get(i.reporter_id)
            records.append(
                IncidentRecord(
                    nomor=i.nomor,
                    kind=kind,
                    event_date=i.event_date,
                    received_at=i.received_at,
                    desa_kode=desa.kode,
                    desa_nama=desa.nama,
                    category=i.category,
                    category_detail=i.category_detail,
                    stage=None if i.stage is None else i.stage.value,
                    status=i.status,
                    handled_at=i.handled_at,
                    description=i.description,
                    reporter_nama=None if reporter is None else reporter.nama,
                    reporter_jabatan=None if reporter is None else reporter.jabatan,
                    reporter_id=i.reporter_id,
                )
            )
        return records

    def _responses(self, kecamatan_id: int, start: date, end: date) -> list[SkmResponse]:
        tables = self._read()
        return [
            r
            for r in (*tables.skm_responses.values(), *tables.skm_pool.values())
            if r.kecamatan_id == kecamatan_id and start <= r.survey_date <= end
        ]

    def skm_profile(
        self, kecamatan_id: int, start: date, end: date, age_groups: tuple[int, ...]
    ) -> SkmProfileCounts:
        """Respondents per profile answer (None: not answered)."""
        if not age_groups or list(age_groups) != sorted(set(age_groups)):
            raise ValueError("age_groups harus naik dan tidak kosong")
        found = self._responses(kecamatan_id, start, end)

        def group(usia: int | None) -> int | None:
            if usia is None:
                return None
            return next((b for b in reversed(age_groups[1:]) if usia >= b), age_groups[0])

        def count(values: Iterable[Any]) -> dict[Any, int]:
            return dict(Counter(values))

        return SkmProfileCounts(
            jenis_kelamin=count(r.jenis_kelamin for r in found),
            usia=count(group(r.usia) for r in found),
            pendidikan=count(r.pendidikan for r in found),
            pekerjaan=count(r.pekerjaan for r in found),
        )

    def skm_suggestions(self, kecamatan_id: int, start: date, end: date) -> list[SkmSuggestion]:
        """Non-empty suggestions by day, service name and text."""
        services = self._read().skm_services
        found = [
            SkmSuggestion(
                r.survey_date,
                None if r.service_id is None else services[r.service_id].nama,
                r.saran,
            )
            for r in self._responses(kecamatan_id, start, end)
            if r.saran
        ]
        return sorted(found, key=lambda s: (s.survey_date, s.service or "", s.saran))


class InMemoryOutboxRepository:
    """The bot's outbox: no domain use case queues messages."""

    def add(self, messages: list[OutboxMessage], *, at: datetime) -> list[OutboxMessage]:
        """Not used by the domain."""
        _not_used("OutboxRepository.add")

    def pending(self, *, limit: int, exclude: set[int] | None = None) -> list[OutboxMessage]:
        """Not used by the domain."""
        _not_used("OutboxRepository.pending")

    def mark_sent(self, message_id: int, *, telegram_message_id: int | None, at: datetime) -> None:
        """Not used by the domain."""
        _not_used("OutboxRepository.mark_sent")

    def mark_sent_many(self, sent: list[tuple[int, int | None]], *, at: datetime) -> None:
        """Not used by the domain."""
        _not_used("OutboxRepository.mark_sent_many")

    def reschedule(
        self,
        message_id: int,
        *,
        attempts: int,
        next_attempt_at: datetime,
        error: str,
        chat_id: int | None = None,
        kind: str | None = None,
        payload: dict[str, Any] | None = None,
    ) -> None:
        """Not used by the domain."""
        _not_used("OutboxRepository.reschedule")

    def mark_failed(self, message_id: int, *, error: str, at: datetime) -> None:
        """Not used by the domain."""
        _not_used("OutboxRepository.mark_failed")

    def counts(self) -> dict[OutboxStatus, int]:
        """Not used by the domain."""
        _not_used("OutboxRepository.counts")

    def purge_sent(self, before: datetime) -> int:
        """Not used by the domain."""
        _not_used("OutboxRepository.purge_sent")


class InMemoryUpdateLogRepository:
    """The bot's log of handled Telegram updates: not a domain concern."""

    def claim(self, key: UpdateKey, *, at: datetime) -> bool:
        """Not used by the domain."""
        _not_used("UpdateLogRepository.claim")

    def purge(self, before: datetime) -> int:
        """Not used by the domain."""
        _not_used("UpdateLogRepository.purge")


# --- evidence files --------------------------------------------------------------------------


class InMemoryEvidenceRepository(_Repo):
    """The photos and documents of cases and where their bytes are."""

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
        tables = self._write()
        _refers(tables.incidents, incident_id, "incident")
        _refers(tables.incident_events, event_id, "incident_event")
        if len(telegram_file_id) > 200:
            raise IntegrityViolation("telegram_file_id longer than 200")
        moment = _aware(received_at, "received_at")
        stored = EvidenceFile(
            id=self._uow.next_id("evidence_file"),
            incident_id=incident_id,
            role=role,
            telegram_file_id=telegram_file_id,
            status=EvidenceStatus.PENDING,
            received_at=moment,
            event_id=event_id,
            telegram_file_unique_id=telegram_file_unique_id,
            next_attempt_at=moment,
            media=media,
            file_name=file_name,
        )
        tables.evidence[stored.id] = stored
        self.added += 1
        return stored

    def get(self, evidence_id: int) -> EvidenceFile | None:
        """By id."""
        return self._read().evidence.get(evidence_id)

    def for_incident(self, incident_id: int) -> list[EvidenceFile]:
        """A case's files in the order they were received."""
        files = self._read().evidence.values()
        return sorted((f for f in files if f.incident_id == incident_id), key=lambda f: f.id)

    def due(self, *, now: datetime, limit: int) -> list[EvidenceFile]:
        """Pending files whose next attempt is due, oldest first."""
        due = [
            f
            for f in self._read().evidence.values()
            if f.status is EvidenceStatus.PENDING
            and (f.next_attempt_at is None or f.next_attempt_at <= now)
        ]
        # SQL orders NULL first on SQLite and last on PostgreSQL; rows here always have one.
        due.sort(key=lambda f: (f.next_attempt_at or now, f.id))
        return due[:limit]

    def _set(self, evidence_id: int, **values: Any) -> None:
        tables = self._write()
        current = tables.evidence.get(evidence_id)
        if current is not None:
            tables.evidence[evidence_id] = replace(current, **values)

    def mark_stored(
        self, evidence_id: int, *, checked: CheckedFile, store_key: str, at: datetime
    ) -> None:
        """The bytes are in the store under ``store_key``."""
        self._set(
            evidence_id,
            status=EvidenceStatus.STORED,
            sha256=checked.sha256,
            size=checked.size,
            content_type=checked.content_type,
            store_key=store_key,
            stored_at=_aware(at, "at"),
            next_attempt_at=None,
            last_error=None,
        )

    def mark_rejected(self, evidence_id: int, *, reason: str, at: datetime) -> None:
        """The download is not kept (never retried)."""
        self._set(
            evidence_id,
            status=EvidenceStatus.REJECTED,
            last_error=reason[:500],
            next_attempt_at=None,
        )

    def reschedule(
        self, evidence_id: int, *, attempts: int, next_attempt_at: datetime, error: str
    ) -> None:
        """A failed download: try again at ``next_attempt_at``."""
        self._set(
            evidence_id,
            attempts=attempts,
            next_attempt_at=_aware(next_attempt_at, "next_attempt_at"),
            last_error=error[:500],
        )

    def mark_failed(self, evidence_id: int, *, attempts: int, error: str, at: datetime) -> None:
        """Given up after the attempts."""
        self._set(
            evidence_id,
            status=EvidenceStatus.FAILED,
            attempts=attempts,
            last_error=error[:500],
            next_attempt_at=None,
        )

    def listing(self, *, kecamatan_id: int | None, start: date, end: date) -> list[EvidenceListing]:
        """Files of the cases with event date in [start, end], by event date, case, file."""
        tables = self._read()
        found = []
        for file in tables.evidence.values():
            incident = tables.incidents[file.incident_id]
            if not start <= incident.event_date <= end:
                continue
            if kecamatan_id is not None and incident.kecamatan_id != kecamatan_id:
                continue
            desa = tables.desa[incident.desa_id]
            found.append(
                EvidenceListing(
                    file=file,
                    nomor=incident.nomor,
                    kind=incident.kind,
                    event_date=incident.event_date,
                    kecamatan_id=incident.kecamatan_id,
                    desa_kode=desa.kode,
                    desa_nama=desa.nama,
                )
            )
        found.sort(key=lambda e: (e.event_date, e.file.incident_id, e.file.id))
        return found

    def counts(self) -> dict[EvidenceStatus, int]:
        """How many files are in each status."""
        counted = Counter(f.status for f in self._read().evidence.values())
        return {status: counted.get(status, 0) for status in EvidenceStatus}


# --- the SKM follow-up plan (RTL) -------------------------------------------------------------


class InMemoryRtlRepository(_Repo):
    """RTL items and their notes."""

    def add(self, item: RtlItem) -> RtlItem | None:
        """Store a new item with a new id (a proposal is never stored); None when the
        period has a live item for the unsur (the partial unique index)."""
        if item.status is RtlStatus.USULAN:
            raise ValueError("a proposal is not stored")
        key = (item.kecamatan_id, item.tahun, item.bagian, item.unsur)
        for other in self._read().rtl_items.values():
            live = other.status is not RtlStatus.DIBATALKAN
            if live and (other.kecamatan_id, other.tahun, other.bagian, other.unsur) == key:
                return None
        tables = self._write()
        _refers(tables.kecamatan, item.kecamatan_id, "kecamatan")
        _refers(tables.users, item.owner_id, "app_user")
        _refers(tables.users, item.created_by, "app_user")
        stored = replace(
            item, id=self._uow.next_id("rtl_item"), created_at=_aware(item.created_at, "created_at")
        )
        tables.rtl_items[stored.id] = stored
        return stored

    def get(self, item_id: int) -> RtlItem | None:
        """One item by id."""
        return self._read().rtl_items.get(item_id)

    def update(self, item: RtlItem, *, expected_version: int) -> RtlItem | None:
        """Status, version, done date and reason, if still at ``expected_version``."""
        current = self._read().rtl_items.get(item.id)
        if current is None or current.version != expected_version:
            return None
        stored = replace(
            current,
            status=item.status,
            version=item.version,
            done_on=item.done_on,
            cancel_reason=item.cancel_reason,
        )
        self._write().rtl_items[item.id] = stored
        return stored

    def add_progress(self, progress: RtlProgress) -> RtlProgress:
        """Append a note."""
        tables = self._write()
        _refers(tables.rtl_items, progress.item_id, "rtl_item")
        _refers(tables.users, progress.user_id, "app_user")
        stored = replace(
            progress, id=self._uow.next_id("rtl_progress"), at=_aware(progress.at, "at")
        )
        tables.rtl_progress[stored.id] = stored
        return stored

    def progress(self, item_id: int) -> list[RtlProgress]:
        """An item's notes, oldest first."""
        found = [p for p in self._read().rtl_progress.values() if p.item_id == item_id]
        return sorted(found, key=lambda p: (p.at, p.id))

    def list_for_period(self, kecamatan_id: int, tahun: int, bagian: str) -> list[RtlItem]:
        """A period's items, by id."""
        found = [
            i
            for i in self._read().rtl_items.values()
            if (i.kecamatan_id, i.tahun, i.bagian) == (kecamatan_id, tahun, bagian)
        ]
        return sorted(found, key=lambda i: i.id)

    def list_for_owner(self, owner_id: int) -> list[RtlItem]:
        """An owner's items, by due date and id."""
        found = [i for i in self._read().rtl_items.values() if i.owner_id == owner_id]
        return sorted(found, key=lambda i: (i.due, i.id))

    def list_open(self, kecamatan_id: int) -> list[RtlItem]:
        """The kecamatan's planned items, by due date and id."""
        found = [
            i
            for i in self._read().rtl_items.values()
            if i.kecamatan_id == kecamatan_id and i.status is RtlStatus.DIRENCANAKAN
        ]
        return sorted(found, key=lambda i: (i.due, i.id))

    def periods(self, kecamatan_id: int) -> list[tuple[int, str]]:
        """The distinct (tahun, bagian) with items, in order."""
        return sorted(
            {
                (i.tahun, i.bagian)
                for i in self._read().rtl_items.values()
                if i.kecamatan_id == kecamatan_id
            }
        )
