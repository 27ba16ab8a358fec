"""What the use cases need from storage: repository and unit-of-work protocols.

The storage package implements these on SQLModel; tests may implement them with
dicts. Aggregates (counts, sums) are computed by the implementation, so that a
database can do them with COUNT/SUM/GROUP BY instead of loading rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Protocol, Self

from domain.idm import IdmStatus
from domain.models import (
    CheckedFile,
    Desa,
    DesaTematik,
    DigestGroup,
    DigestLog,
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
)
from domain.rtl import RtlItem, RtlProgress
from domain.skm import UNSUR, UnsurTotal

__all__ = [
    "KecamatanSeed",
    "DesaSeed",
    "ServiceSeed",
    "HandlingCounts",
    "ReceivedMark",
    "ReceivedCount",
    "SkmTotals",
    "KecamatanRepository",
    "DesaRepository",
    "IdmRepository",
    "TematikRepository",
    "UserRepository",
    "IncidentRepository",
    "SkmRepository",
    "TargetRepository",
    "AuditLogEntry",
    "AuditRepository",
    "InviteRepository",
    "DraftRepository",
    "DigestRepository",
    "UnitOfWork",
]


@dataclass(frozen=True, slots=True)
class DesaSeed:
    """A desa to register: both codes and its name."""

    kode: str
    kode_bps: str
    nama: str


@dataclass(frozen=True, slots=True)
class ServiceSeed:
    """An example service (layanan) of a kecamatan's data file: code and name."""

    kode: str
    nama: str


@dataclass(frozen=True, slots=True)
class KecamatanSeed:
    """A kecamatan to register with its desa and the office's usual services.

    ``layanan_contoh`` are examples: a kecamatan without any service gets them once,
    marked as examples that an admin confirms or removes.
    """

    kode: str
    kode_bps: str
    nama: str
    kabupaten: str
    provinsi: str
    desa: tuple[DesaSeed, ...]
    layanan_contoh: tuple[ServiceSeed, ...] = ()


@dataclass(frozen=True, slots=True)
class HandlingCounts:
    """Incidents of one kind whose event date is in a range, and how many are handled."""

    total: int
    handled: int

    @classmethod
    def from_statuses(cls, by_status: dict[str, int]) -> HandlingCounts:
        """The counts of a kind from its incidents per status value."""
        return cls(
            total=sum(by_status.values()),
            handled=by_status.get(IncidentStatus.TERTANGANI.value, 0),
        )


@dataclass(frozen=True, slots=True)
class ReceivedMark:
    """One received incident, reduced to what weekly counts need."""

    desa_id: int
    kind: IncidentKind
    received_at: datetime
    handled: bool


@dataclass(frozen=True, slots=True)
class ReceivedCount:
    """Incidents of one kind received within one slot of time, and how many are handled."""

    slot: int
    kind: IncidentKind
    total: int
    handled: int


@dataclass(frozen=True, slots=True)
class SkmTotals:
    """Per-unsur sums over the responses of a date range, and the respondent count."""

    respondents: int
    totals: dict[str, UnsurTotal]

    @classmethod
    def pooled(cls, parts: Iterable[SkmTotals]) -> SkmTotals:
        """The totals of several groups of responses together (sums add up exactly)."""
        respondents = 0
        sums = dict.fromkeys(UNSUR, 0)
        answered = dict.fromkeys(UNSUR, 0)
        for part in parts:
            respondents += part.respondents
            for key, item in part.totals.items():
                sums[key] += item.total
                answered[key] += item.answered
        return cls(
            respondents=respondents,
            totals={key: UnsurTotal(total=sums[key], answered=answered[key]) for key in UNSUR},
        )


class KecamatanRepository(Protocol):
    """Kecamatan rows."""

    def get_by_code(self, kode: str) -> Kecamatan | None:
        """By Kemendagri code (35.28.08) or BPS code (3528040)."""
        ...

    def get(self, kecamatan_id: int) -> Kecamatan | None:
        """By id."""
        ...

    def list(self) -> list[Kecamatan]:
        """All kecamatan, ordered by Kemendagri code."""
        ...

    def upsert(self, seed: KecamatanSeed) -> tuple[Kecamatan, int]:
        """Insert or update a kecamatan and its desa (matched by Kemendagri code).

        Returns the kecamatan and how many rows were inserted or changed.
        """
        ...

    def claim_service_examples(self, kecamatan_id: int) -> bool:
        """Mark the data file's example services as offered; True only the first time."""
        ...


class DesaRepository(Protocol):
    """Desa rows."""

    def get(self, desa_id: int) -> Desa | None:
        """By id."""
        ...

    def find_by_code(self, code: str) -> Desa | None:
        """By Kemendagri code (35.28.08.2001) or BPS/IDM code (3528040001)."""
        ...

    def list_by_kecamatan(self, kecamatan_id: int) -> list[Desa]:
        """The desa of a kecamatan, ordered by Kemendagri code."""
        ...


class IdmRepository(Protocol):
    """IDM results per desa and year."""

    def upsert(self, result: IdmResult) -> bool:
        """Insert, or update the same desa and year; True if a row was inserted."""
        ...

    def get(self, desa_id: int, tahun: int) -> IdmResult | None:
        """One desa's result for a year."""
        ...

    def list_for_kecamatan(self, kecamatan_id: int, tahun: int) -> list[IdmResult]:
        """Results of a kecamatan's desa for a year."""
        ...

    def count_by_status(self, kecamatan_id: int, tahun: int) -> dict[IdmStatus, int]:
        """Desa per status for a year, counted by the database (absent statuses: 0)."""
        ...

    def latest_year(self, kecamatan_id: int) -> int | None:
        """The most recent year with any result, or None."""
        ...

    def snapshot(self, desa_id: int, tahun: int) -> IdmSnapshot | None:
        """The stored result with its batch and time of change, to be put back later."""
        ...

    def restore(self, desa_id: int, tahun: int, snapshot: IdmSnapshot | None) -> None:
        """Put a snapshot back exactly (None: delete the desa-year's result)."""
        ...


class TematikRepository(Protocol):
    """Desa tematik designations."""

    def add(self, item: DesaTematik) -> DesaTematik:
        """Store a designation (its ``id`` is ignored) and return it with its id."""
        ...

    def list_active(self, kecamatan_id: int, tahun: int) -> list[DesaTematik]:
        """Active designations of a year."""
        ...

    def get(self, tematik_id: int) -> DesaTematik | None:
        """One designation by id."""
        ...

    def end(self, tematik_id: int, at: datetime) -> bool:
        """Mark an active designation as ended; False if it was not active."""
        ...

    def count_desa(self, kecamatan_id: int, tahun: int) -> int:
        """Distinct desa with at least one active theme in a year (COUNT DISTINCT)."""
        ...


class UserRepository(Protocol):
    """Registered officers."""

    def add(self, user: User) -> User:
        """Store a user (``id`` ignored); returns it with its id."""
        ...

    def get_by_telegram_id(self, telegram_id: int) -> User | None:
        """The user with this Telegram id."""
        ...

    def get(self, user_id: int) -> User | None:
        """By id."""
        ...

    def list(
        self,
        kecamatan_id: int,
        *,
        status: UserStatus | None = None,
        role: Role | None = None,
        seksi: Seksi | None = None,
    ) -> list[User]:
        """Users of a kecamatan, optionally filtered, ordered by name."""
        ...

    def update(self, user: User, *, expected_status: UserStatus | None = None) -> User | None:
        """Store every field of an existing user (by ``id``).

        With ``expected_status``, changes nothing and returns None unless the stored
        status is that one (two admins deciding at once: only one wins).
        """
        ...


class IncidentRepository(Protocol):
    """Incidents, their follow-up history and the aggregates the indicators need."""

    def add(self, incident: Incident) -> Incident:
        """Store a new incident; ``id`` and ``nomor`` are ignored and assigned here.

        The tracking number is the next of its kind and year of ``received_at`` in
        Asia/Jakarta, allocated safely under concurrent writers. The first history
        entry (status BARU) is written with it.
        """
        ...

    def get_by_nomor(self, nomor: str) -> Incident | None:
        """By tracking number (case-insensitive)."""
        ...

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
        """Move an incident to a status and append the history entry.

        Returns None (and changes nothing) when the stored version is not
        ``expected_version``: somebody changed it in the meantime.
        """
        ...

    def get(self, incident_id: int) -> Incident | None:
        """By id."""
        ...

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
        """An admin's correction or void: store ``corrected``'s kind, desa, event date,
        category (and detail, stage), description and void columns, one correction row
        per entry of ``corrections`` and a history entry (same status) with ``note``.

        A change of kind takes the next tracking number of the new kind (the old one is
        kept as a ``nomor`` correction row). None (nothing written) when the stored
        version is not ``expected_version``.
        """
        ...

    def corrections(self, incident_id: int) -> list[tuple[IncidentCorrection, str, datetime]]:
        """An incident's corrections (with reason and time), oldest first."""
        ...

    def correction_counts(self, kecamatan_id: int, start: date, end: date) -> tuple[int, int]:
        """Reports of a kecamatan corrected (not counting voids), and reports voided, on
        office days [start, end] (Asia/Jakarta): two COUNTs."""
        ...

    def list_by_reporter(self, reporter_id: int, limit: int = 20) -> list[Incident]:
        """A reporter's incidents, newest first."""
        ...

    def list_open(
        self,
        kecamatan_id: int,
        kind: IncidentKind | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Incident]:
        """Incidents not yet handled, oldest received first: at most ``limit`` of them,
        after the first ``offset`` (a page), with their photos loaded together."""
        ...

    def count_open(
        self,
        kecamatan_id: int,
        *,
        kind: IncidentKind | None = None,
        received_before: datetime | None = None,
    ) -> int:
        """Incidents not yet handled (COUNT), optionally of one kind or only those
        received before a moment."""
        ...

    def count_for_desa(self, desa_id: int, start: date, end: date) -> int:
        """Incidents of a desa whose event date is in [start, end] (COUNT)."""
        ...

    def history(self, incident_id: int) -> list[IncidentEvent]:
        """Follow-ups of an incident, oldest first."""
        ...

    def add_nil_report(self, report: NilReport) -> bool:
        """Record a desa's nil report for an ISO week; False if it already had one."""
        ...

    def status_counts(
        self, kecamatan_ids: Sequence[int], start: date, end: date
    ) -> dict[tuple[int, IncidentKind], dict[str, int]]:
        """Incidents not voided with event date in [start, end], per kecamatan, kind and
        status value (one GROUP BY for any number of kecamatan); only non-zero counts."""
        ...

    def received_marks(self, kecamatan_id: int, start: date, end: date) -> list[ReceivedMark]:
        """Desa, kind, moment and handled flag of the incidents received on office days
        [start, end] (Asia/Jakarta): a few columns, not whole incidents."""
        ...

    def list_handled(self, kecamatan_id: int, start: date, end: date) -> list[Incident]:
        """Incidents now handled whose handling falls on office days [start, end]."""
        ...

    def received_counts(
        self, kecamatan_id: int, start: date, end: date, edges: Sequence[datetime]
    ) -> list[ReceivedCount]:
        """The incidents of :meth:`received_marks` counted in the database: per kind and
        per slot ``i`` (received in [edges[i], edges[i + 1])); slots without any left out,
        and what falls outside the edges too."""
        ...

    def reported_desa(self, kecamatan_id: int, start: date, end: date) -> set[int]:
        """Desa with an incident dated or received on days [start, end] (DISTINCT)."""
        ...

    def nil_desa(self, kecamatan_id: int, iso_year: int, iso_week: int) -> set[int]:
        """Desa of a kecamatan with a nil report for an ISO week."""
        ...


class SkmRepository(Protocol):
    """SKM services and responses."""

    def add_response(self, response: SkmResponse) -> int:
        """Store one response; returns its id."""
        ...

    def pool_response(self, response: SkmResponse) -> None:
        """Store a chat answer in the pool (random key; written to responses at a flush)."""
        ...

    def pool_sizes(self) -> dict[int, int]:
        """How many answers wait in the pool, per kecamatan id."""
        ...

    def take_pool(self) -> list[SkmResponse]:
        """Lock the pool and the hashes for this transaction; the pool ordered by content."""
        ...

    def store_flushed(self, ordered: Sequence[SkmResponse]) -> None:
        """Write the taken pool as responses in this order, empty it, rewrite the hashes."""
        ...

    def claim_dedup(self, key_hash: str, period: str) -> bool:
        """Store a keyed hash once; False if it was already stored (already answered)."""
        ...

    def has_dedup(self, key_hash: str) -> bool:
        """Whether a keyed hash is stored."""
        ...

    def get_service(self, service_id: int) -> SkmService | None:
        """A service by id."""
        ...

    def get_service_by_code(self, kecamatan_id: int, kode: str) -> SkmService | None:
        """A service by its short code (case-insensitive)."""
        ...

    def find_service_by_name(self, kecamatan_id: int, nama: str) -> SkmService | None:
        """A service by its name (case-insensitive, surrounding spaces ignored)."""
        ...

    def list_services(self, kecamatan_id: int) -> list[SkmService]:
        """All services of a kecamatan."""
        ...

    def add_service(self, service: SkmService) -> SkmService:
        """Create a service (``id`` ignored)."""
        ...

    def update_service(self, service: SkmService) -> SkmService:
        """Store the name, population, active flag and example mark of a service (by ``id``)."""
        ...

    def delete_service(self, service_id: int) -> None:
        """Delete a service without responses (one with responses is refused)."""
        ...

    def count_responses(self, service_id: int) -> int:
        """How many responses name a service (all dates)."""
        ...

    def delete_batch_responses(self, batch_id: int) -> int:
        """Delete the responses an import batch stored; how many."""
        ...

    def totals(
        self, kecamatan_id: int, start: date, end: date, service_id: int | None = None
    ) -> SkmTotals:
        """Per-unsur SUM and COUNT and the respondent COUNT for survey dates in [start, end]."""
        ...

    def service_totals(
        self, kecamatan_ids: Sequence[int], start: date, end: date
    ) -> dict[tuple[int, int | None], SkmTotals]:
        """:meth:`totals` per kecamatan and service (None: no service) in one GROUP BY,
        for survey dates in [start, end]; only the groups that have responses."""
        ...

    def score_counts(self, kecamatan_id: int, start: date, end: date) -> dict[str, dict[int, int]]:
        """Per unsur, how many answers gave each score 1-4, for survey dates in [start, end]."""
        ...


class TargetRepository(Protocol):
    """Annual targets."""

    def set(self, kecamatan_id: int, indicator: IndicatorCode, tahun: int, value: Decimal) -> None:
        """Set (insert or replace) a target."""
        ...

    def for_year(self, kecamatan_id: int, tahun: int) -> dict[IndicatorCode, Decimal]:
        """All targets of a year."""
        ...


@dataclass(frozen=True, slots=True)
class AuditLogEntry:
    """One entry of the audit log: who (user and actor text), what, on what, when."""

    id: int
    user_id: int | None
    actor: str
    action: str
    entity: str
    entity_id: str | None
    detail: dict[str, Any] | None
    created_at: datetime


class AuditRepository(Protocol):
    """Who changed what."""

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
        """Append one audit entry."""
        ...

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
        """Entries newest first: of these users or actors (either), created in
        [since, before), whose action starts with ``action_prefix``; at most ``limit``."""
        ...


class InviteRepository(Protocol):
    """Single-use registration links (only the token's hash is stored)."""

    def add(self, invite: Invite, token_hash: str) -> Invite:
        """Store an invite (``id`` ignored)."""
        ...

    def get_by_hash(self, token_hash: str) -> Invite | None:
        """The invite whose token hashes to this value."""
        ...

    def mark_used(self, invite_id: int, user_id: int, at: datetime) -> bool:
        """Use an unused invite; False (and nothing changed) if it was used already."""
        ...


class DraftRepository(Protocol):
    """Conversations in progress, one per chat and user."""

    def get(self, chat_id: int, user_id: int) -> Draft | None:
        """The conversation in progress, if any."""
        ...

    def get_with_user(self, chat_id: int, user_id: int) -> tuple[User | None, Draft | None]:
        """The registered user of Telegram id ``user_id`` and their draft in this chat.

        One read (the start of every update): ``(users.get_by_telegram_id(user_id),
        get(chat_id, user_id))``.
        """
        ...

    def claim_with_user(
        self, key: UpdateKey, at: datetime, chat_id: int, user_id: int
    ) -> tuple[User | None, Draft | None] | None:
        """Claim the update as ``UpdateLogRepository.claim`` does, then :meth:`get_with_user`.

        None (and nothing read) when the update was handled before.
        """
        ...

    def save(self, draft: Draft) -> Draft | None:
        """Insert (``version`` 0) or update (stored version must equal ``version``).

        Returns the draft with its new version, or None when somebody else saved
        first: the caller then treats its input as stale.
        """
        ...

    def delete(
        self, chat_id: int, user_id: int, *, token: str | None = None, version: int | None = None
    ) -> bool:
        """End the conversation; with ``token`` and ``version``, only that very state.

        Returns False when there was nothing (matching) to delete.
        """
        ...

    def purge(self, older_than: datetime, flow: str | None = None) -> int:
        """Delete drafts (of one flow, or all) last saved before ``older_than``; how many."""
        ...


class DigestRepository(Protocol):
    """The digest group of each kecamatan, the digest log and the reminder log."""

    def group_for(self, kecamatan_id: int) -> DigestGroup | None:
        """The group bound to a kecamatan."""
        ...

    def group_by_chat(self, chat_id: int) -> DigestGroup | None:
        """The binding of a group chat."""
        ...

    def groups(self) -> list[DigestGroup]:
        """Every bound group, by kecamatan."""
        ...

    def bind(self, group: DigestGroup) -> DigestGroup | None:
        """Bind (or re-bind) a kecamatan's group; None if the chat serves another kecamatan."""
        ...

    def unbind(self, chat_id: int) -> DigestGroup | None:
        """Remove a group's binding; returns what was removed."""
        ...

    def move_chat(self, old_chat_id: int, new_chat_id: int) -> bool:
        """A group became a supergroup with a new id: follow it (False if not bound)."""
        ...

    def get_log(self, chat_id: int, week_key: str) -> DigestLog | None:
        """The log entry of a group's digest for a week."""
        ...

    def claim(
        self,
        *,
        kecamatan_id: int,
        chat_id: int,
        week_key: str,
        at: datetime,
        stale_before: datetime,
    ) -> DigestLog | None:
        """Claim the right to send a week's digest to a group, atomically.

        A new entry is inserted as SENDING; a FAILED entry, or a SENDING one claimed
        before ``stale_before`` (its process died), is taken over with one more attempt.
        Returns None when the digest was sent, given up, or is being sent by another
        process.
        """
        ...

    def progress(self, log_id: int, parts_sent: int) -> None:
        """How many parts of the digest went out (a retry continues after them)."""
        ...

    def finish(self, log_id: int, *, at: datetime, figures: dict[str, str | None]) -> None:
        """Mark a digest sent, with the figures it showed (next week's arrows)."""
        ...

    def fail(self, log_id: int, *, error: str, give_up: bool) -> None:
        """Mark a digest failed (to be retried) or given up."""
        ...

    def figures_of(self, kecamatan_id: int, week_key: str) -> dict[str, str | None] | None:
        """The figures of a kecamatan's digest sent for a week, if any."""
        ...

    def claim_reminder(self, user_id: int, week_key: str, kind: str, at: datetime) -> bool:
        """Record a reminder once per person, week and kind; False if already recorded."""
        ...

    # -- the kabupaten's digest group and log ------------------------------------------

    def kabupaten_group(self, kabupaten_code: str) -> KabupatenDigestGroup | None:
        """The group bound to a kabupaten ("35.28")."""
        ...

    def kabupaten_group_by_chat(self, chat_id: int) -> KabupatenDigestGroup | None:
        """The kabupaten binding of a group chat."""
        ...

    def kabupaten_groups(self) -> list[KabupatenDigestGroup]:
        """Every bound kabupaten group, by code."""
        ...

    def bind_kabupaten(self, group: KabupatenDigestGroup) -> KabupatenDigestGroup | None:
        """Bind (or re-bind) a kabupaten's group; None if the chat serves another
        kabupaten or is a kecamatan's digest group."""
        ...

    def unbind_kabupaten(self, chat_id: int) -> KabupatenDigestGroup | None:
        """Remove a chat's kabupaten binding; returns what was removed."""
        ...

    def move_kabupaten_chat(self, old_chat_id: int, new_chat_id: int) -> bool:
        """A kabupaten group became a supergroup: follow it (False if not bound)."""
        ...

    def kabupaten_log(self, kabupaten_code: str, week_key: str) -> KabupatenDigestLog | None:
        """The kabupaten digest entry of a week."""
        ...

    def claim_kabupaten(
        self,
        *,
        kabupaten_code: str,
        chat_id: int,
        week_key: str,
        at: datetime,
        stale_before: datetime,
    ) -> KabupatenDigestLog | None:
        """Like :meth:`claim`, once per kabupaten and week."""
        ...

    def progress_kabupaten(self, log_id: int, parts_sent: int) -> None:
        """How many parts of the kabupaten digest went out."""
        ...

    def finish_kabupaten(self, log_id: int, *, at: datetime) -> None:
        """Mark a kabupaten digest sent."""
        ...

    def fail_kabupaten(self, log_id: int, *, error: str, give_up: bool) -> None:
        """Mark a kabupaten digest failed (to be retried) or given up."""
        ...


# -- export (Excel report) -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IncidentRecord:
    """One incident as the Excel report lists it, with its desa and reporter resolved.

    ``stage`` is the KonflikStage value of a conflict (None for trantibum); the
    reporter is an officer (a registered user), never a citizen.
    """

    nomor: str
    kind: IncidentKind
    event_date: date
    received_at: datetime
    desa_kode: str
    desa_nama: str
    category: str
    category_detail: str | None
    stage: str | None
    status: IncidentStatus
    handled_at: datetime | None
    description: str
    reporter_nama: str | None
    reporter_jabatan: str | None
    reporter_id: int | None = None


@dataclass(frozen=True, slots=True)
class SkmProfileCounts:
    """Respondents per profile answer, counted by the database (None: not answered).

    ``usia`` is keyed by the lower bound of the age group asked for.
    """

    jenis_kelamin: dict[str | None, int]
    usia: dict[int | None, int]
    pendidikan: dict[str | None, int]
    pekerjaan: dict[str | None, int]


@dataclass(frozen=True, slots=True)
class SkmSuggestion:
    """A suggestion (saran) with its survey day and service: nothing that names a person."""

    survey_date: date
    service: str | None
    saran: str


class ExportRepository(Protocol):
    """What the Excel report lists beyond the IKU table's aggregates."""

    def incidents(
        self, kecamatan_id: int, kind: IncidentKind, start: date, end: date
    ) -> list[IncidentRecord]:
        """Incidents of ``kind`` with event date in [start, end], oldest event first."""
        ...

    def skm_profile(
        self, kecamatan_id: int, start: date, end: date, age_groups: tuple[int, ...]
    ) -> SkmProfileCounts:
        """Respondents per profile answer for survey dates in [start, end] (GROUP BY).

        ``age_groups`` are the ascending lower bounds of the age groups; an age
        below the first bound counts in the first group.
        """
        ...

    def skm_suggestions(self, kecamatan_id: int, start: date, end: date) -> list[SkmSuggestion]:
        """Non-empty suggestions for survey dates in [start, end], by day, service and text."""
        ...


__all__ += ["IncidentRecord", "SkmProfileCounts", "SkmSuggestion", "ExportRepository"]


class OutboxRepository(Protocol):
    """Messages waiting for Telegram, written in the transaction of what caused them."""

    def add(self, messages: list[OutboxMessage], *, at: datetime) -> list[OutboxMessage]:
        """Queue ``messages`` (in this order) and return them with their ids."""
        ...

    def pending(self, *, limit: int, exclude: set[int] | None = None) -> list[OutboxMessage]:
        """Pending messages in the order they were queued (``exclude``: ids to skip)."""
        ...

    def mark_sent(self, message_id: int, *, telegram_message_id: int | None, at: datetime) -> None:
        """Delivered: keep Telegram's id, drop the uploaded content."""
        ...

    def mark_sent_many(self, sent: list[tuple[int, int | None]], *, at: datetime) -> None:
        """Delivered, many at once: (outbox id, Telegram's message id) pairs."""
        ...

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
        """A transient failure: try again at ``next_attempt_at`` (optionally changed)."""
        ...

    def mark_failed(self, message_id: int, *, error: str, at: datetime) -> None:
        """Given up: the message is kept with its error, never sent."""
        ...

    def counts(self) -> dict[OutboxStatus, int]:
        """How many messages are pending, sent and failed."""
        ...

    def purge_sent(self, before: datetime) -> int:
        """Forget messages delivered before ``before``; how many."""
        ...


class UpdateLogRepository(Protocol):
    """Telegram updates already handled, so that a redelivered one changes nothing."""

    def claim(self, key: UpdateKey, *, at: datetime) -> bool:
        """Record ``key`` as handled; False when it (or its button press) already was."""
        ...

    def purge(self, before: datetime) -> int:
        """Forget updates handled before ``before``; how many."""
        ...


__all__ += ["OutboxRepository", "UpdateLogRepository"]


class ImportBatchRepository(Protocol):
    """Imported files (batches) and what the IDM ones replaced."""

    def add(self, batch: ImportBatch) -> ImportBatch | None:
        """Record a batch (``id`` ignored); None when an active batch of the same
        kecamatan and kind has the same SHA-256 (also when another writer has just
        recorded it)."""
        ...

    def get(self, batch_id: int) -> ImportBatch | None:
        """By id."""
        ...

    def find_active(self, kecamatan_id: int, kind: ImportKind, sha256: str) -> ImportBatch | None:
        """The batch, not undone, that imported a file with these bytes."""
        ...

    def find_active_by_name(
        self, kecamatan_id: int, kind: ImportKind, file_name: str
    ) -> list[ImportBatch]:
        """Batches, not undone, of files with this name, oldest first."""
        ...

    def list_for_kecamatan(
        self, kecamatan_id: int, *, kind: ImportKind | None = None, limit: int | None = None
    ) -> list[ImportBatch]:
        """A kecamatan's batches, newest first."""
        ...

    def count(self, kecamatan_id: int, *, kind: ImportKind | None = None) -> int:
        """How many batches a kecamatan has (COUNT)."""
        ...

    def set_counts(self, batch_id: int, *, rows_read: int, stored: int, replaced: int) -> None:
        """What the batch read, stored and replaced."""
        ...

    def mark_undone(self, batch_id: int, *, at: datetime, by: str) -> bool:
        """Mark a batch undone; False (nothing changed) when it already was."""
        ...

    def set_replaced_by(self, batch_id: int, replaced_by: int) -> None:
        """The batch that replaced an undone one (``--ganti``)."""
        ...

    def add_idm_change(
        self, batch_id: int, desa_id: int, tahun: int, previous: IdmSnapshot | None
    ) -> None:
        """Remember what an IDM batch is about to overwrite (None: nothing there yet)."""
        ...

    def idm_changes(self, batch_id: int) -> list[IdmChange]:
        """The desa-years an IDM batch wrote, with what was there before."""
        ...

    def relink_idm_previous(
        self, desa_id: int, tahun: int, *, replaced_batch: int, previous: IdmSnapshot | None
    ) -> int:
        """In the active batches that remember a value of ``replaced_batch`` as what they
        overwrote for this desa-year, remember ``previous`` instead; how many."""
        ...


__all__ += ["ImportBatchRepository"]


@dataclass(frozen=True, slots=True)
class EvidenceListing:
    """An evidence file with its case, as the workbook and the evidence ZIP list it."""

    file: EvidenceFile
    nomor: str
    kind: IncidentKind
    event_date: date
    kecamatan_id: int
    desa_kode: str
    desa_nama: str


class EvidenceRepository(Protocol):
    """The photos and documents of cases and where their bytes are."""

    # How many pending files this unit of work added (the fetcher is woken after them).
    added: int

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
        ...

    def get(self, evidence_id: int) -> EvidenceFile | None:
        """By id."""
        ...

    def for_incident(self, incident_id: int) -> list[EvidenceFile]:
        """A case's files in the order they were received."""
        ...

    def due(self, *, now: datetime, limit: int) -> list[EvidenceFile]:
        """Pending files whose next attempt is due, oldest first."""
        ...

    def mark_stored(
        self, evidence_id: int, *, checked: CheckedFile, store_key: str, at: datetime
    ) -> None:
        """The bytes are in the store under ``store_key``."""
        ...

    def mark_rejected(self, evidence_id: int, *, reason: str, at: datetime) -> None:
        """The download is not kept (never retried)."""
        ...

    def reschedule(
        self, evidence_id: int, *, attempts: int, next_attempt_at: datetime, error: str
    ) -> None:
        """A failed download: try again at ``next_attempt_at``."""
        ...

    def mark_failed(self, evidence_id: int, *, attempts: int, error: str, at: datetime) -> None:
        """Given up after the attempts."""
        ...

    def listing(self, *, kecamatan_id: int | None, start: date, end: date) -> list[EvidenceListing]:
        """Files of the cases with event date in [start, end] (of one kecamatan, or all),
        by event date, case and file."""
        ...

    def counts(self) -> dict[EvidenceStatus, int]:
        """How many files are in each status."""
        ...


__all__ += ["EvidenceListing", "EvidenceRepository"]


class RtlRepository(Protocol):
    """The SKM follow-up plan: items and their dated notes."""

    def add(self, item: RtlItem) -> RtlItem | None:
        """Store a new item (its id is given by storage); None when the period already has
        an item for the unsur that is not cancelled (also between two writers at once)."""
        ...

    def get(self, item_id: int) -> RtlItem | None:
        """One item by id."""
        ...

    def update(self, item: RtlItem, *, expected_version: int) -> RtlItem | None:
        """Store the item's status, version, done date and reason if it is still at
        ``expected_version`` (a conditional UPDATE); None when it was not."""
        ...

    def add_progress(self, progress: RtlProgress) -> RtlProgress:
        """Append a note to an item."""
        ...

    def progress(self, item_id: int) -> list[RtlProgress]:
        """An item's notes, oldest first."""
        ...

    def list_for_period(self, kecamatan_id: int, tahun: int, bagian: str) -> list[RtlItem]:
        """A period's items (every status), by id."""
        ...

    def list_for_owner(self, owner_id: int) -> list[RtlItem]:
        """Every item of an owner, by due date and id."""
        ...

    def list_open(self, kecamatan_id: int) -> list[RtlItem]:
        """The kecamatan's items still planned (not done, not cancelled), by due date and id."""
        ...

    def periods(self, kecamatan_id: int) -> list[tuple[int, str]]:
        """The distinct (tahun, bagian) that have items."""
        ...


__all__ += ["RtlRepository"]


class UnitOfWork(Protocol):
    """One transaction over all repositories; rolls back unless ``commit()`` is called.

    The caller that opens the unit of work owns the transaction and commits it: the
    bot's engine after a handler, a CLI command, a job. Use cases never commit (nor
    roll back); they do their work inside the caller's unit of work, so that several
    of them and the caller's own writes succeed or fail together. When a use case
    raises, the caller rolls back.
    """

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

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Make the work durable."""
        ...

    def rollback(self) -> None:
        """Discard the work."""
        ...
