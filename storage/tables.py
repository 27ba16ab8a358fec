"""SQLModel tables. Enums are stored as short strings; instants in UTC; scores exact."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from storage.types import ExactDecimal, UTCDateTime

__all__ = [
    "metadata",
    "utcnow",
    "KecamatanRow",
    "DesaRow",
    "UserRow",
    "IncidentRow",
    "IncidentPhotoRow",
    "IncidentEventRow",
    "TrackingCounterRow",
    "NilReportRow",
    "SkmServiceRow",
    "SkmResponseRow",
    "SkmDedupRow",
    "SkmPoolRow",
    "IdmResultRow",
    "DesaTematikRow",
    "TargetRow",
    "DigestLogRow",
    "DigestGroupRow",
    "ReminderLogRow",
    "AuditLogRow",
    "InviteRow",
    "DraftRow",
    "OutboxRow",
    "HandledUpdateRow",
    "RtlItemRow",
    "RtlProgressRow",
    "ImportBatchRow",
    "IdmImportChangeRow",
    "EvidenceFileRow",
    "ACTIVE_BATCH",
    "UNSUR_COLUMNS",
    "OPEN_CONDITION",
]

# Stable constraint names, so that migrations (and SQLite batch mode) can refer to them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = SQLModel.metadata


def utcnow() -> datetime:
    """The current instant in UTC."""
    return datetime.now(UTC)


def _ts(nullable: bool = False) -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=nullable)


def _false() -> Any:
    # The database default as well: the rows from before the column are False. A plain
    # string, so that SQLite adds the column in place (ALTER TABLE ... ADD COLUMN).
    return Field(default=False, sa_column_kwargs={"server_default": "0"})


class KecamatanRow(SQLModel, table=True):
    """A kecamatan; codes of Kemendagri (35.28.08) and BPS (3528040)."""

    __tablename__ = "kecamatan"

    id: int | None = Field(default=None, primary_key=True)
    kode: str = Field(max_length=16, unique=True)
    kode_bps: str = Field(max_length=16, unique=True)
    nama: str = Field(max_length=100)
    kabupaten: str = Field(max_length=100)
    provinsi: str = Field(max_length=100)
    # Whether the data file's example services were offered already (once, ever: an
    # admin who removed them does not get them back at the next start).
    service_examples_offered: bool = _false()
    created_at: datetime = _ts()


class DesaRow(SQLModel, table=True):
    """A desa; codes of Kemendagri (35.28.08.2001) and BPS/IDM (3528040001)."""

    __tablename__ = "desa"

    id: int | None = Field(default=None, primary_key=True)
    kecamatan_id: int = Field(foreign_key="kecamatan.id", index=True)
    kode: str = Field(max_length=20, unique=True)
    kode_bps: str = Field(max_length=20, unique=True)
    nama: str = Field(max_length=100)


class UserRow(SQLModel, table=True):
    """A registered officer (never a citizen answering the SKM)."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=BigInteger, unique=True)
    nama: str = Field(max_length=100)
    jabatan: str = Field(max_length=100)
    role: str = Field(max_length=20)
    seksi: str | None = Field(default=None, max_length=20)
    desa_id: int | None = Field(default=None, foreign_key="desa.id")
    kecamatan_id: int = Field(foreign_key="kecamatan.id")
    status: str = Field(max_length=20)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class TrackingCounterRow(SQLModel, table=True):
    """The last tracking number given per kecamatan, kind and year."""

    __tablename__ = "tracking_counter"

    kecamatan_id: int = Field(foreign_key="kecamatan.id", primary_key=True)
    kind: str = Field(max_length=20, primary_key=True)
    tahun: int = Field(primary_key=True)
    last: int = 0


# The condition of the open-case indexes; queries must spell it the same way, with the
# value written in the SQL (see storage/repositories/incidents.py), for the indexes to be usable.
OPEN_CONDITION = text("status <> 'tertangani'")
VOIDED_CONDITION = text("voided_at IS NOT NULL")
LIVE_CONDITION = text("voided_at IS NULL")


class IncidentRow(SQLModel, table=True):
    """A conflict or trantibum report."""

    __tablename__ = "incident"
    __table_args__ = (
        UniqueConstraint("kecamatan_id", "kind", "tahun", "seq"),
        # The IKU counts of one or many kecamatan (kind and status per event date): the
        # index holds every column they read, and only the reports not voided.
        Index(
            "ix_incident_iku",
            "kecamatan_id",
            "event_date",
            "kind",
            "status",
            sqlite_where=LIVE_CONDITION,
            postgresql_where=LIVE_CONDITION,
        ),
        # The digest's week: the incidents received (in order), dated and handled.
        Index("ix_incident_kec_received", "kecamatan_id", "received_at", "id"),
        Index("ix_incident_kec_event", "kecamatan_id", "event_date"),
        Index("ix_incident_kec_handled", "kecamatan_id", "handled_at", "id"),
        # The open cases, oldest first, of every kind or of one: counted and listed a page
        # at a time. Partial indexes: they hold only the few rows not yet handled, so that
        # neither engine walks the handled ones (a "status <> ..." cannot search an index).
        Index(
            "ix_incident_open",
            "kecamatan_id",
            "received_at",
            "id",
            sqlite_where=OPEN_CONDITION,
            postgresql_where=OPEN_CONDITION,
        ),
        Index(
            "ix_incident_open_kind",
            "kecamatan_id",
            "kind",
            "received_at",
            "id",
            sqlite_where=OPEN_CONDITION,
            postgresql_where=OPEN_CONDITION,
        ),
        # /laporanku: one reporter's latest reports.
        Index("ix_incident_reporter_received", "reporter_id", "received_at", "id"),
        # The digest's count of voided reports: the few voided rows only.
        Index(
            "ix_incident_kec_voided",
            "kecamatan_id",
            "voided_at",
            sqlite_where=VOIDED_CONDITION,
            postgresql_where=VOIDED_CONDITION,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    nomor: str = Field(max_length=20, unique=True)
    kind: str = Field(max_length=20)
    tahun: int
    seq: int
    kecamatan_id: int = Field(foreign_key="kecamatan.id")
    desa_id: int = Field(foreign_key="desa.id")
    event_date: date
    received_at: datetime = Field(sa_type=UTCDateTime)
    category: str = Field(max_length=60)
    category_detail: str | None = Field(default=None, max_length=200)
    description: str = Field(sa_type=Text)
    stage: str | None = Field(default=None, max_length=20)
    latitude: float | None = None
    longitude: float | None = None
    status: str = Field(max_length=20)
    handled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reporter_id: int | None = Field(default=None, foreign_key="app_user.id")
    version: int = 1
    # An admin's corrections: a duplicate points to the report it repeats and is voided
    # (it counts nowhere); a late entry is an admin's report of an old event.
    duplicate_of_id: int | None = Field(default=None, foreign_key="incident.id")
    voided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    void_reason: str | None = Field(default=None, sa_type=Text)
    late_entry: bool = _false()
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class IncidentCorrectionRow(SQLModel, table=True):
    """One field of a report changed by an admin: old and new value, reason, who, when."""

    __tablename__ = "incident_correction"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    field: str = Field(max_length=30)
    old_value: str | None = Field(default=None, sa_type=Text)
    new_value: str | None = Field(default=None, sa_type=Text)
    reason: str = Field(sa_type=Text)
    by_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    at: datetime = Field(sa_type=UTCDateTime, index=True)


class IncidentPhotoRow(SQLModel, table=True):
    """A photo of a report or a proof of handling (Telegram file id)."""

    __tablename__ = "incident_photo"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    file_id: str = Field(max_length=200)
    purpose: str = Field(max_length=20)
    created_at: datetime = _ts()


class IncidentEventRow(SQLModel, table=True):
    """One follow-up of an incident."""

    __tablename__ = "incident_event"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    note: str = Field(sa_type=Text)
    photo_file_id: str | None = Field(default=None, max_length=200)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = _ts()


class NilReportRow(SQLModel, table=True):
    """A desa's weekly nil report."""

    __tablename__ = "nil_report"
    __table_args__ = (UniqueConstraint("desa_id", "iso_year", "iso_week"),)

    id: int | None = Field(default=None, primary_key=True)
    desa_id: int = Field(foreign_key="desa.id")
    iso_year: int
    iso_week: int
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = _ts()


class SkmServiceRow(SQLModel, table=True):
    """A service (layanan) of the office."""

    __tablename__ = "skm_service"
    __table_args__ = (UniqueConstraint("kecamatan_id", "kode"),)

    id: int | None = Field(default=None, primary_key=True)
    kecamatan_id: int = Field(foreign_key="kecamatan.id")
    kode: str = Field(max_length=40)
    nama: str = Field(max_length=120)
    population: int | None = None
    active: bool = True
    # Suggested by the kecamatan's data file, not yet confirmed by an admin.
    example: bool = _false()
    created_at: datetime = _ts()


UNSUR_COLUMNS = (
    "u_persyaratan",
    "u_prosedur",
    "u_waktu",
    "u_biaya",
    "u_produk",
    "u_kompetensi",
    "u_perilaku",
    "u_pengaduan",
    "u_sarana",
)


def _score() -> Any:
    return Field(default=None, sa_type=SmallInteger)


class SkmResponseRow(SQLModel, table=True):
    """One anonymous SKM questionnaire: no Telegram id is ever stored here."""

    __tablename__ = "skm_response"
    __table_args__ = (
        Index("ix_skm_response_kec_date", "kecamatan_id", "survey_date"),
        *(
            CheckConstraint(f"{col} IS NULL OR ({col} BETWEEN 1 AND 4)", name=f"{col}_range")
            for col in UNSUR_COLUMNS
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    kecamatan_id: int = Field(foreign_key="kecamatan.id")
    service_id: int | None = Field(default=None, foreign_key="skm_service.id")
    survey_date: date
    u_persyaratan: int | None = _score()
    u_prosedur: int | None = _score()
    u_waktu: int | None = _score()
    u_biaya: int | None = _score()
    u_produk: int | None = _score()
    u_kompetensi: int | None = _score()
    u_perilaku: int | None = _score()
    u_pengaduan: int | None = _score()
    u_sarana: int | None = _score()
    jenis_kelamin: str | None = Field(default=None, max_length=1)
    usia: int | None = None
    pendidikan: str | None = Field(default=None, max_length=20)
    pekerjaan: str | None = Field(default=None, max_length=30)
    saran: str | None = Field(default=None, sa_type=Text)
    source: str = Field(max_length=20)
    created_at: datetime = _ts()
    # The import batch of a typed-in sheet (undone together); None for the chat's answers.
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id", index=True)


class SkmDedupRow(SQLModel, table=True):
    """Keyed hashes that allow one response per person per service per period.

    Kept apart from the answers, and with nothing that orders or times them: no serial
    id and no timestamp (only the period, e.g. "2026-S2", so old periods can be purged),
    and on SQLite no rowid; otherwise the n-th hash could be paired with the n-th
    response by insertion order or time.
    """

    __tablename__ = "skm_dedup"
    __table_args__ = {"sqlite_with_rowid": False}

    key_hash: str = Field(max_length=64, primary_key=True)
    period: str = Field(max_length=10)


class SkmPoolRow(SQLModel, table=True):
    """Chat answers waiting to be written to ``skm_response`` in a shuffled batch.

    The submitting transaction writes its duplicate-check hash and this row together,
    so until the batch is flushed the two could be paired (PostgreSQL heap order and
    xmin); the flush (``storage.repositories.skm``) moves the whole pool in random
    order, empties it (TRUNCATE on PostgreSQL, zeroed pages on SQLite) and rewrites the
    hashes in hash order. The key is random and there is no rowid, no timestamp and no
    user: the survey day only, as the response keeps.
    """

    __tablename__ = "skm_pool"
    __table_args__ = (
        *(
            CheckConstraint(f"{col} IS NULL OR ({col} BETWEEN 1 AND 4)", name=f"{col}_range")
            for col in UNSUR_COLUMNS
        ),
        {"sqlite_with_rowid": False},
    )

    id: str = Field(max_length=32, primary_key=True)
    kecamatan_id: int = Field(foreign_key="kecamatan.id")
    service_id: int | None = Field(default=None, foreign_key="skm_service.id")
    survey_date: date
    u_persyaratan: int | None = _score()
    u_prosedur: int | None = _score()
    u_waktu: int | None = _score()
    u_biaya: int | None = _score()
    u_produk: int | None = _score()
    u_kompetensi: int | None = _score()
    u_perilaku: int | None = _score()
    u_pengaduan: int | None = _score()
    u_sarana: int | None = _score()
    jenis_kelamin: str | None = Field(default=None, max_length=1)
    usia: int | None = None
    pendidikan: str | None = Field(default=None, max_length=20)
    pekerjaan: str | None = Field(default=None, max_length=30)
    saran: str | None = Field(default=None, sa_type=Text)


class IdmResultRow(SQLModel, table=True):
    """A desa's IDM for a year; ``status`` is computed from the exact score."""

    __tablename__ = "idm_result"
    __table_args__ = (
        UniqueConstraint("desa_id", "tahun"),
        Index("ix_idm_result_tahun_status", "tahun", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    desa_id: int = Field(foreign_key="desa.id")
    tahun: int
    iks: Decimal | None = Field(default=None, sa_type=ExactDecimal(16, 14))
    ike: Decimal | None = Field(default=None, sa_type=ExactDecimal(16, 14))
    ikl: Decimal | None = Field(default=None, sa_type=ExactDecimal(16, 14))
    # IDM 0-1 or Indeks Desa 0-100 (see ``indeks``), as published.
    score: Decimal = Field(sa_type=ExactDecimal(17, 14))
    # IDM: computed from the exact score; Indeks Desa: the published status.
    status: str = Field(max_length=20)
    status_published: str | None = Field(default=None, max_length=40)
    source: str = Field(max_length=200)
    updated_at: datetime = _ts()
    # The import batch that wrote the current values; None when typed in through /idm.
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
    indeks: str = Field(default="idm", max_length=20)
    # Indeks Desa dimension scores as JSON {"layanan_dasar": "85.12", ...} (exact strings).
    dimensi: str | None = Field(default=None, sa_type=Text)
    # Where the published status comes from (decree number or file name).
    status_source: str | None = Field(default=None, max_length=200)


class DesaTematikRow(SQLModel, table=True):
    """A desa designated with a theme for a year."""

    __tablename__ = "desa_tematik"
    __table_args__ = (Index("ix_desa_tematik_tahun_active", "tahun", "active"),)

    id: int | None = Field(default=None, primary_key=True)
    desa_id: int = Field(foreign_key="desa.id")
    tema: str = Field(max_length=20)
    tema_lainnya: str | None = Field(default=None, max_length=100)
    tahun: int
    referensi: str = Field(max_length=200)
    document_file_id: str | None = Field(default=None, max_length=200)
    active: bool = True
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = _ts()


class TargetRow(SQLModel, table=True):
    """The annual target of an indicator."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("kecamatan_id", "indicator", "tahun"),)

    id: int | None = Field(default=None, primary_key=True)
    kecamatan_id: int = Field(foreign_key="kecamatan.id")
    indicator: str = Field(max_length=30)
    tahun: int
    value: Decimal = Field(sa_type=ExactDecimal(12, 2))
    updated_at: datetime = _ts()


class DigestLogRow(SQLModel, table=True):
    """A weekly digest claimed (then sent) for a group: the unique key makes it once only."""

    __tablename__ = "digest_log"
    __table_args__ = (UniqueConstraint("chat_id", "week_key"),)

    id: int | None = Field(default=None, primary_key=True)
    kecamatan_id: int = Field(foreign_key="kecamatan.id")
    chat_id: int = Field(sa_type=BigInteger)
    week_key: str = Field(max_length=10)
    status: str = Field(max_length=20)
    claimed_at: datetime = _ts()
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    error: str | None = Field(default=None, sa_type=Text)
    attempts: int = Field(default=1)
    parts_sent: int = Field(default=0)
    # The figures the digest showed, so that next week's arrows compare with them.
    figures: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class DigestGroupRow(SQLModel, table=True):
    """The group of a kecamatan that receives the weekly digest (one each way)."""

    __tablename__ = "digest_group"

    kecamatan_id: int = Field(foreign_key="kecamatan.id", primary_key=True)
    chat_id: int = Field(sa_type=BigInteger, unique=True)
    title: str = Field(max_length=255)
    bound_by: int | None = Field(default=None, foreign_key="app_user.id")
    bound_at: datetime = _ts()


class KabupatenDigestGroupRow(SQLModel, table=True):
    """The group of a kabupaten that receives the weekly kabupaten digest (one each way)."""

    __tablename__ = "kabupaten_digest_group"

    kabupaten_code: str = Field(max_length=20, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger, unique=True)
    title: str = Field(max_length=255)
    bound_by: int | None = Field(default=None, foreign_key="app_user.id")
    bound_at: datetime = _ts()


class KabupatenDigestLogRow(SQLModel, table=True):
    """A weekly kabupaten digest claimed (then sent): once per kabupaten and week.

    Separate from ``digest_log``, whose figures feed the kecamatan digest's arrows.
    """

    __tablename__ = "kabupaten_digest_log"
    __table_args__ = (UniqueConstraint("kabupaten_code", "week_key"),)

    id: int | None = Field(default=None, primary_key=True)
    kabupaten_code: str = Field(max_length=20)
    chat_id: int = Field(sa_type=BigInteger)
    week_key: str = Field(max_length=10)
    status: str = Field(max_length=20)
    claimed_at: datetime = _ts()
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    error: str | None = Field(default=None, sa_type=Text)
    attempts: int = Field(default=1)
    parts_sent: int = Field(default=0)


class ReminderLogRow(SQLModel, table=True):
    """A reminder sent to a person for an ISO week: at most once per kind."""

    __tablename__ = "reminder_log"

    user_id: int = Field(foreign_key="app_user.id", primary_key=True)
    week_key: str = Field(max_length=10, primary_key=True)
    kind: str = Field(max_length=20, primary_key=True)
    sent_at: datetime = _ts()


class AuditLogRow(SQLModel, table=True):
    """Who changed what, when."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    actor: str = Field(max_length=60)
    action: str = Field(max_length=60)
    entity: str = Field(max_length=40)
    entity_id: str | None = Field(default=None, max_length=60)
    detail: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = _ts()


class InviteRow(SQLModel, table=True):
    """A single-use registration link; only the SHA-256 of its token is kept."""

    __tablename__ = "invite"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    kecamatan_id: int = Field(foreign_key="kecamatan.id")
    role: str = Field(max_length=20)
    seksi: str | None = Field(default=None, max_length=20)
    desa_id: int | None = Field(default=None, foreign_key="desa.id")
    created_by: int = Field(foreign_key="app_user.id")
    created_at: datetime = _ts()
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_by: int | None = Field(default=None, foreign_key="app_user.id")


class DraftRow(SQLModel, table=True):
    """A conversation in progress (flow, step, answers so far), one per chat and user.

    Deleted when the conversation ends; an SKM draft is the only place where a
    citizen's chat id sits next to answers, and only until the answers are sent.
    """

    __tablename__ = "draft"
    __table_args__ = (UniqueConstraint("chat_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger)
    user_id: int = Field(sa_type=BigInteger)
    flow: str = Field(max_length=30)
    step: str = Field(max_length=30)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    token: str = Field(max_length=16)
    version: int = 1
    updated_at: datetime = _ts()


class OutboxRow(SQLModel, table=True):
    """A message a change causes, written in the change's own transaction.

    The sender (bot/delivery/outbox.py) delivers pending rows in order per chat, records
    Telegram's message id, and retries transient failures; a restart goes on with
    what is pending. ``content`` holds a photo or document to upload and is
    cleared once the message is delivered.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    # BIGINT on PostgreSQL; SQLite needs INTEGER PRIMARY KEY for its rowid alias.
    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    )
    chat_id: int = Field(sa_type=BigInteger)
    kind: str = Field(max_length=20)  # message, edit
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    content: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    status: str = Field(default="pending", max_length=20)  # pending, sent, failed
    attempts: int = 0
    next_attempt_at: datetime = _ts()
    created_at: datetime = _ts()
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    telegram_message_id: int | None = Field(default=None, sa_type=BigInteger)
    error: str | None = Field(default=None, max_length=500)
    source: str | None = Field(default=None, max_length=60)


class HandledUpdateRow(SQLModel, table=True):
    """A Telegram update handled, recorded in the transaction of what it changed.

    A redelivered update (the bot died before confirming it) finds its row and is
    neither applied nor answered again. Rows older than a week are purged (Telegram
    keeps undelivered updates for 24 hours).
    """

    __tablename__ = "handled_update"

    bot_id: int = Field(sa_type=BigInteger, primary_key=True)
    update_id: int = Field(sa_type=BigInteger, primary_key=True)
    callback_query_id: str | None = Field(default=None, max_length=64, unique=True)
    handled_at: datetime = _ts()


# The condition of the "same file once" index: an undone batch no longer counts.
ACTIVE_BATCH = text("undone_at IS NULL")


class ImportBatchRow(SQLModel, table=True):
    """An imported file (SKM sheet or IDM file), kept also after it was undone."""

    __tablename__ = "import_batch"
    __table_args__ = (
        # The same bytes are imported once per kecamatan and kind, until undone: the
        # database refuses a second one even from two writers at once.
        Index(
            "uq_import_batch_active_sha",
            "kecamatan_id",
            "kind",
            "sha256",
            unique=True,
            sqlite_where=ACTIVE_BATCH,
            postgresql_where=ACTIVE_BATCH,
        ),
        Index("ix_import_batch_kec_created", "kecamatan_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kecamatan_id: int = Field(foreign_key="kecamatan.id")
    kind: str = Field(max_length=10)  # skm, idm
    source: str = Field(max_length=10)  # cli, bot
    file_name: str = Field(max_length=200)
    sha256: str = Field(max_length=64)
    actor: str = Field(max_length=60)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = _ts()
    rows_read: int = 0
    stored: int = 0
    replaced: int = 0
    undone_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    undone_by: str | None = Field(default=None, max_length=60)
    replaced_by: int | None = Field(default=None, foreign_key="import_batch.id")


class IdmImportChangeRow(SQLModel, table=True):
    """A desa-year an IDM batch wrote and the result it overwrote, to undo the batch.

    ``had_previous`` False: the batch inserted the result (an undo deletes it).
    Otherwise the ``prev_*`` columns are the overwritten row as it was.
    """

    __tablename__ = "idm_import_change"
    __table_args__ = (UniqueConstraint("batch_id", "desa_id", "tahun"),)

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="import_batch.id")
    desa_id: int = Field(foreign_key="desa.id")
    tahun: int
    had_previous: bool
    prev_iks: Decimal | None = Field(default=None, sa_type=ExactDecimal(16, 14))
    prev_ike: Decimal | None = Field(default=None, sa_type=ExactDecimal(16, 14))
    prev_ikl: Decimal | None = Field(default=None, sa_type=ExactDecimal(16, 14))
    prev_score: Decimal | None = Field(default=None, sa_type=ExactDecimal(17, 14))
    prev_status: str | None = Field(default=None, max_length=20)
    prev_status_published: str | None = Field(default=None, max_length=40)
    prev_source: str | None = Field(default=None, max_length=200)
    prev_updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    prev_batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
    prev_indeks: str | None = Field(default=None, max_length=20)
    prev_dimensi: str | None = Field(default=None, sa_type=Text)
    prev_status_source: str | None = Field(default=None, max_length=200)


class EvidenceFileRow(SQLModel, table=True):
    """A photo or document of a case: its Telegram file id and, once downloaded, where
    its bytes are in the office's store (content-addressed by SHA-256)."""

    __tablename__ = "evidence_file"
    __table_args__ = (
        # The fetcher's queue: the pending files, due first.
        Index("ix_evidence_file_status_next", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    event_id: int | None = Field(default=None, foreign_key="incident_event.id")
    role: str = Field(max_length=20)  # laporan, bukti
    telegram_file_id: str = Field(max_length=200)
    telegram_file_unique_id: str | None = Field(default=None, max_length=100)
    # How it came (foto, dokumen): a document is sent again as one; its name as sent.
    media: str = Field(default="foto", max_length=20, sa_column_kwargs={"server_default": "foto"})
    file_name: str | None = Field(default=None, max_length=255)
    status: str = Field(default="pending", max_length=20)  # pending, stored, rejected, failed
    sha256: str | None = Field(default=None, max_length=64)
    size: int | None = Field(default=None, sa_type=BigInteger)
    content_type: str | None = Field(default=None, max_length=100)
    store_key: str | None = Field(default=None, max_length=200)
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    received_at: datetime = Field(sa_type=UTCDateTime)
    stored_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# -- the SKM follow-up plan (RTL) -----------------------------------------------------------


RTL_LIVE = text("status != 'dibatalkan'")


class RtlItemRow(SQLModel, table=True):
    """An RTL item of an SKM period: one unsur, a kegiatan, an owner and a due date."""

    __tablename__ = "rtl_item"
    __table_args__ = (
        Index("ix_rtl_item_period", "kecamatan_id", "tahun", "bagian"),
        Index("ix_rtl_item_owner", "owner_id", "status"),
        # One live (not cancelled) item per unsur and period, also between two writers.
        Index(
            "uq_rtl_item_live_unsur",
            "kecamatan_id",
            "tahun",
            "bagian",
            "unsur",
            unique=True,
            sqlite_where=RTL_LIVE,
            postgresql_where=RTL_LIVE,
        ),
        CheckConstraint("status IN ('direncanakan', 'selesai', 'dibatalkan')", name="status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kecamatan_id: int = Field(foreign_key="kecamatan.id")
    tahun: int
    bagian: str = Field(max_length=5)  # TAHUN, S1, S2, TW1..TW4
    unsur: str = Field(max_length=20)
    kegiatan: str = Field(max_length=300)
    owner_id: int = Field(foreign_key="app_user.id")
    due: date
    status: str = Field(max_length=20)
    version: int = 1
    done_on: date | None = None
    cancel_reason: str | None = Field(default=None, max_length=1000)
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class RtlProgressRow(SQLModel, table=True):
    """A dated note on an RTL item (progress, completion, cancellation)."""

    __tablename__ = "rtl_progress"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="rtl_item.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    note: str = Field(max_length=1000)
    status: str = Field(max_length=20)
    at: datetime = Field(sa_type=UTCDateTime)
