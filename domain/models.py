"""Entities and value objects of the domain (plain frozen dataclasses and enums)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.idm import IdmStatus, VillageIndex

__all__ = [
    "Kecamatan",
    "Desa",
    "Role",
    "Seksi",
    "UserStatus",
    "User",
    "IncidentKind",
    "IncidentStatus",
    "KonflikStage",
    "Incident",
    "IncidentCorrection",
    "IncidentEvent",
    "NilReport",
    "SkmService",
    "SkmResponse",
    "IdmRecord",
    "IdmResult",
    "Tema",
    "DesaTematik",
    "IndicatorCode",
    "Target",
    "EvidenceStatus",
    "EvidenceRole",
    "EvidenceMedia",
    "ReceivedFile",
    "EvidenceFile",
    "CheckedFile",
]


@dataclass(frozen=True, slots=True)
class Kecamatan:
    """A kecamatan: Kemendagri code (35.28.08) and BPS code (3528040)."""

    id: int
    kode: str
    kode_bps: str
    nama: str
    kabupaten: str
    provinsi: str


@dataclass(frozen=True, slots=True)
class Desa:
    """A desa: Kemendagri code (35.28.08.2001) and BPS/IDM code (3528040001)."""

    id: int
    kecamatan_id: int
    kode: str
    kode_bps: str
    nama: str


class Role(enum.StrEnum):
    """What a registered user is."""

    ADMIN = "admin"
    STAF_SEKSI = "staf_seksi"
    PERANGKAT_DESA = "perangkat_desa"
    # Bagian Pemerintahan of the kabupaten: reads the recap of every kecamatan of the
    # kabupaten of its home kecamatan (``User.kecamatan_id``); see domain.permissions.
    ADMIN_KABUPATEN = "admin_kabupaten"


class Seksi(enum.StrEnum):
    """The sections of a kecamatan office that own an indicator or a task."""

    PPD = "ppd"
    PMD = "pmd"
    KESBANG = "kesbang"
    TRANTIB = "trantib"
    PELAYANAN = "pelayanan"

    @property
    def full_name(self) -> str:
        """The section's official name."""
        return _SEKSI_NAMES[self]


_SEKSI_NAMES = {
    Seksi.PPD: "Seksi Pembinaan dan Pengawasan Pemerintahan Desa",
    Seksi.PMD: "Seksi Pemberdayaan Masyarakat Desa dan Kelurahan",
    Seksi.KESBANG: "Seksi Kesatuan Bangsa",
    Seksi.TRANTIB: "Seksi Ketenteraman dan Ketertiban Umum",
    Seksi.PELAYANAN: "Seksi Pemerintahan dan Pelayanan Publik",
}


class UserStatus(enum.StrEnum):
    """Registration state of a user."""

    PENDING = "pending"
    ACTIVE = "active"
    DISABLED = "disabled"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class User:
    """A registered officer (citizens answering the SKM are never users)."""

    id: int
    telegram_id: int
    nama: str
    jabatan: str
    role: Role
    status: UserStatus
    kecamatan_id: int
    seksi: Seksi | None = None
    desa_id: int | None = None


class IncidentKind(enum.StrEnum):
    """Social conflict (IKU 3) or trantibum event (IKU 4)."""

    KONFLIK = "konflik"
    TRANTIBUM = "trantibum"

    @property
    def prefix(self) -> str:
        """Tracking-number prefix: KS for konflik sosial, TB for trantibum."""
        return "KS" if self is IncidentKind.KONFLIK else "TB"

    @property
    def label(self) -> str:
        """Name shown to users."""
        return "Konflik sosial" if self is IncidentKind.KONFLIK else "Trantibum"


class IncidentStatus(enum.StrEnum):
    """Follow-up state; only TERTANGANI counts as handled for IKU 3 and 4."""

    BARU = "baru"
    DIPROSES = "diproses"
    TERTANGANI = "tertangani"


class KonflikStage(enum.StrEnum):
    """A conflict report is either a potential conflict or one that happened."""

    POTENSI = "potensi"
    TERJADI = "terjadi"


def tracking_number(kind: IncidentKind, kecamatan_kode: str, year: int, sequence: int) -> str:
    """KS-352808-2026-0001 / TB-352808-2026-0001: unique per kecamatan, kind and year.

    The kecamatan is its Kemendagri code without dots (35.28.08 -> 352808). Numbers given
    before a deployment served several kecamatan (KS-2026-0001) are kept as they were:
    they were printed and told to people.
    """
    return f"{kind.prefix}-{kecamatan_kode.replace('.', '')}-{year:04d}-{sequence:04d}"


@dataclass(frozen=True, slots=True)
class Incident:
    """A reported conflict or trantibum event; event date and received time apart."""

    id: int
    nomor: str
    kind: IncidentKind
    kecamatan_id: int
    desa_id: int
    event_date: date
    received_at: datetime
    category: str
    description: str
    status: IncidentStatus
    reporter_id: int | None = None
    category_detail: str | None = None
    stage: KonflikStage | None = None
    latitude: float | None = None
    longitude: float | None = None
    photo_file_ids: tuple[str, ...] = ()
    handled_at: datetime | None = None
    version: int = 1
    duplicate_of_id: int | None = None
    voided_at: datetime | None = None
    void_reason: str | None = None
    late_entry: bool = False

    @property
    def voided(self) -> bool:
        """A voided report (a duplicate) counts nowhere."""
        return self.voided_at is not None


@dataclass(frozen=True, slots=True)
class IncidentCorrection:
    """One field of a report changed by an admin (values as text, dates ISO)."""

    field: str
    old_value: str | None
    new_value: str | None


@dataclass(frozen=True, slots=True)
class IncidentEvent:
    """One follow-up in an incident's history."""

    id: int
    incident_id: int
    from_status: IncidentStatus | None
    to_status: IncidentStatus
    note: str
    user_id: int | None
    created_at: datetime
    photo_file_id: str | None = None


@dataclass(frozen=True, slots=True)
class NilReport:
    """A desa's weekly "nothing happened" report (ISO week)."""

    desa_id: int
    iso_year: int
    iso_week: int
    user_id: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SkmService:
    """A service (layanan) of the office; ``population`` is its yearly users.

    ``example`` marks a service that the kecamatan's data file suggested (a fresh
    install has the office's usual services); an admin confirms or removes it.
    """

    id: int
    kecamatan_id: int
    kode: str
    nama: str
    population: int | None = None
    active: bool = True
    example: bool = False


@dataclass(frozen=True, slots=True)
class SkmResponse:
    """One anonymous questionnaire: nine answers and an optional profile."""

    kecamatan_id: int
    survey_date: date
    answers: dict[str, int | None]
    service_id: int | None = None
    jenis_kelamin: str | None = None
    usia: int | None = None
    pendidikan: str | None = None
    pekerjaan: str | None = None
    saran: str | None = None
    source: str = "bot"
    id: int | None = None
    batch_id: int | None = None  # the import batch of a typed-in sheet; None from the chat


@dataclass(frozen=True, slots=True)
class IdmRecord:
    """One IDM result read from a file, before it is matched to a desa."""

    kode_desa: str
    tahun: int
    score: Decimal
    status: IdmStatus
    iks: Decimal | None = None
    ike: Decimal | None = None
    ikl: Decimal | None = None
    status_published: str | None = None
    source: str = ""
    nama_desa: str | None = None
    line: int | None = None
    index: VillageIndex = VillageIndex.IDM
    # Indeks Desa dimension scores (0-100) by the names of domain.idm.DIMENSIONS.
    dimensions: dict[str, Decimal] | None = None
    # Where the published status comes from: a decree number, else the file name.
    status_source: str | None = None


@dataclass(frozen=True, slots=True)
class IdmResult:
    """A desa's IDM for a year, as stored."""

    desa_id: int
    tahun: int
    score: Decimal
    status: IdmStatus
    iks: Decimal | None = None
    ike: Decimal | None = None
    ikl: Decimal | None = None
    status_published: str | None = None
    source: str = ""
    batch_id: int | None = None  # the import batch that wrote it; None when typed in
    index: VillageIndex = VillageIndex.IDM
    # Indeks Desa dimension scores (0-100) by the names of domain.idm.DIMENSIONS.
    dimensions: dict[str, Decimal] | None = None
    # Where the published status comes from: a decree number, else the file name.
    status_source: str | None = None

    @property
    def published(self) -> IdmStatus | None:
        """The published status as a status, None when absent or unreadable."""
        if not self.status_published:
            return None
        try:
            return IdmStatus.from_label(self.status_published)
        except ValueError:
            return None

    @property
    def flagged(self) -> bool:
        """An IDM result whose published status differs from the one its score gives."""
        published = self.published
        return self.index is VillageIndex.IDM and published is not None and published != self.status


class Tema(enum.StrEnum):
    """Themes of a desa tematik; LAINNYA carries its own text."""

    BUDAYA = "budaya"
    PETERNAKAN = "peternakan"
    WISATA = "wisata"
    UMKM = "umkm"
    PERIKANAN = "perikanan"
    LAINNYA = "lainnya"


@dataclass(frozen=True, slots=True)
class DesaTematik:
    """A desa designated with a theme for a year."""

    id: int
    desa_id: int
    tema: Tema
    tahun: int
    referensi: str
    active: bool = True
    tema_lainnya: str | None = None
    document_file_id: str | None = None


class IndicatorCode(enum.StrEnum):
    """The five IKU, under the codes the CLI and the JSON report use."""

    DESA_MANDIRI = "desa_mandiri"
    DESA_TEMATIK = "desa_tematik"
    KONFLIK_TERTANGANI = "konflik_tertangani"
    TRANTIBUM_TERTANGANI = "trantibum_tertangani"
    SKM = "skm"


@dataclass(frozen=True, slots=True)
class Target:
    """The annual target of one indicator for a kecamatan."""

    kecamatan_id: int
    indicator: IndicatorCode
    tahun: int
    value: Decimal


@dataclass(frozen=True, slots=True)
class Invite:
    """A single-use, expiring registration link with the role preset by an admin.

    Only a hash of the token is stored; the token itself is shown once, in the link.
    """

    id: int
    kecamatan_id: int
    role: Role
    created_by: int
    expires_at: datetime
    seksi: Seksi | None = None
    desa_id: int | None = None
    used_at: datetime | None = None
    used_by: int | None = None


@dataclass(frozen=True, slots=True)
class Draft:
    """A conversation in progress: which flow, which step, and the answers so far.

    Kept in the database so that a restart loses nothing. ``token`` changes for every
    new conversation, so that buttons of an older one are recognised as stale;
    ``version`` grows with every saved step, so that two writers cannot both win.
    """

    chat_id: int
    user_id: int
    flow: str
    step: str
    data: dict[str, Any]
    token: str
    version: int = 0
    updated_at: datetime | None = None


__all__ += ["tracking_number", "Invite", "Draft"]


@dataclass(frozen=True, slots=True)
class DigestGroup:
    """The Telegram group that receives a kecamatan's weekly digest."""

    kecamatan_id: int
    chat_id: int
    title: str
    bound_by: int | None
    bound_at: datetime


class DigestStatus(enum.StrEnum):
    """Where a week's digest to a group stands."""

    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    GAVE_UP = "gave_up"


@dataclass(frozen=True, slots=True)
class DigestLog:
    """A week's digest to a group: claimed once, then sent, failed or given up."""

    id: int
    kecamatan_id: int
    chat_id: int
    week_key: str
    status: DigestStatus
    claimed_at: datetime
    attempts: int = 1
    parts_sent: int = 0
    sent_at: datetime | None = None
    error: str | None = None


__all__ += ["DigestGroup", "DigestStatus", "DigestLog"]


@dataclass(frozen=True, slots=True)
class KabupatenDigestGroup:
    """The Telegram group that receives a kabupaten's weekly digest (code "35.28")."""

    kabupaten_code: str
    chat_id: int
    title: str
    bound_by: int | None
    bound_at: datetime


@dataclass(frozen=True, slots=True)
class KabupatenDigestLog:
    """A week's kabupaten digest: claimed once per kabupaten and week, then sent or failed."""

    id: int
    kabupaten_code: str
    chat_id: int
    week_key: str
    status: DigestStatus
    claimed_at: datetime
    attempts: int = 1
    parts_sent: int = 0
    sent_at: datetime | None = None
    error: str | None = None


__all__ += ["KabupatenDigestGroup", "KabupatenDigestLog"]


class OutboxStatus(enum.StrEnum):
    """Where a message of the outbox stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # given up (blocked, refused, or too old): logged and audited


@dataclass(slots=True)
class OutboxMessage:
    """One message a change causes, kept until Telegram has it.

    ``kind`` and ``payload`` say what to send (the adapter's own format, plain JSON);
    ``content`` is a photo or document to upload. Written in the transaction of the
    change that caused it, so that a stored change always has its messages.
    """

    chat_id: int
    kind: str
    payload: dict[str, Any]
    content: bytes | None = None
    id: int | None = None
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    created_at: datetime | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateKey:
    """What identifies a Telegram update: the bot, the update id, a button press's id."""

    bot_id: int
    update_id: int
    callback_query_id: str | None = None


__all__ += ["OutboxStatus", "OutboxMessage", "UpdateKey"]


class ImportKind(enum.StrEnum):
    """What a file imported: typed-in SKM questionnaires or IDM results."""

    SKM = "skm"
    IDM = "idm"


class ImportSource(enum.StrEnum):
    """Where a file came in: the operator's command line or a document sent to the bot."""

    CLI = "cli"
    BOT = "bot"


@dataclass(frozen=True, slots=True)
class ImportBatch:
    """One imported file: which, by whom, when, what it stored, and whether it was undone.

    ``stored`` counts what the batch wrote; ``replaced`` what it replaced: for IDM the
    results that existed before and were overwritten, for SKM the responses of an
    earlier import of the same file removed by ``--ganti``. An undone batch keeps its
    row (the history), with ``undone_at``/``undone_by`` and, when a new import of the
    same file replaced it, ``replaced_by``.
    """

    id: int
    kecamatan_id: int
    kind: ImportKind
    source: ImportSource
    file_name: str
    sha256: str
    actor: str
    created_at: datetime
    rows_read: int = 0
    stored: int = 0
    replaced: int = 0
    user_id: int | None = None
    undone_at: datetime | None = None
    undone_by: str | None = None
    replaced_by: int | None = None

    @property
    def undone(self) -> bool:
        """True once the batch was undone (by ``import undo`` or ``--ganti``)."""
        return self.undone_at is not None


@dataclass(frozen=True, slots=True)
class IdmSnapshot:
    """A stored IDM result exactly as it was, to be put back by an undo."""

    result: IdmResult
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class IdmChange:
    """A desa-year an IDM batch wrote, and what was there before (None: nothing)."""

    desa_id: int
    tahun: int
    previous: IdmSnapshot | None


__all__ += ["ImportKind", "ImportSource", "ImportBatch", "IdmSnapshot", "IdmChange"]


# -- evidence files (domain/evidence.py) ---------------------------------------------------


class EvidenceStatus(enum.StrEnum):
    """Where an evidence file is."""

    PENDING = "pending"  # file id known, bytes not yet in the store
    STORED = "stored"
    REJECTED = "rejected"  # too large or not a type kept as evidence
    FAILED = "failed"  # download given up after the attempts


class EvidenceRole(enum.StrEnum):
    """What the file shows (the values of incident_photo.purpose)."""

    REPORT = "laporan"
    PROOF = "bukti"


class EvidenceMedia(enum.StrEnum):
    """How the file came in Telegram (and how it is sent again by its file id)."""

    PHOTO = "foto"
    DOCUMENT = "dokumen"  # a PDF, or a picture sent as a file


@dataclass(frozen=True, slots=True)
class ReceivedFile:
    """A photo or document just received in a chat, before it is downloaded."""

    file_id: str
    unique_id: str | None = None
    media: EvidenceMedia = EvidenceMedia.PHOTO
    file_name: str | None = None


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """One photo or document of a case, with where its bytes are."""

    id: int
    incident_id: int
    role: EvidenceRole
    telegram_file_id: str
    status: EvidenceStatus
    received_at: datetime
    event_id: int | None = None
    telegram_file_unique_id: str | None = None
    sha256: str | None = None
    size: int | None = None
    content_type: str | None = None
    store_key: str | None = None
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    stored_at: datetime | None = None
    media: EvidenceMedia = EvidenceMedia.PHOTO
    file_name: str | None = None


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """A file accepted as evidence."""

    sha256: str
    size: int
    content_type: str
