"""Incident reports, their follow-up until handled, and weekly nil reports.

Decisions:
- Event dates: typed as dd-mm-yyyy (also dd/mm/yyyy and dd.mm.yyyy), never in the
  future on the office's clock, never older than a configurable number of days.
- Status changes: baru -> diproses, baru or diproses -> tertangani; a handled case
  may be reopened (-> diproses) only with a reason. Every change carries a note.
- A case is overdue when it is still open more than N days after it was received.
- A nil report is per desa and ISO week (Monday-Sunday, office clock); a second one
  in the same week changes nothing and is reported as such. A week in which the desa
  has an incident (by event date) cannot be nil. An incident reported after a nil
  report of its week is still stored (the report is the newer fact); the digest
  shows both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.errors import InvalidInput, NotFound
from domain.evidence import record_received
from domain.models import (
    Desa,
    EvidenceRole,
    Incident,
    IncidentKind,
    IncidentStatus,
    KonflikStage,
    NilReport,
    ReceivedFile,
    Role,
    User,
)
from domain.permissions import Action, Forbidden, require, require_follow_up, require_report_for
from domain.ports import UnitOfWork

__all__ = [
    "CATEGORIES",
    "LAINNYA",
    "DESCRIPTION_MIN",
    "DESCRIPTION_MAX",
    "DETAIL_MAX",
    "NOTE_MIN",
    "NOTE_MAX",
    "MAX_PHOTOS",
    "category_label",
    "parse_date",
    "check_event_date",
    "is_late_entry",
    "clean_description",
    "clean_category_detail",
    "clean_note",
    "IncidentDraft",
    "submit_incident",
    "allowed_transitions",
    "follow_up",
    "is_overdue",
    "days_open",
    "submit_nil_report",
    "check_nil_report",
    "NilResult",
    "week_of",
]

LAINNYA = "lainnya"

CATEGORIES: dict[IncidentKind, dict[str, str]] = {
    IncidentKind.KONFLIK: {
        "tanah": "Sengketa tanah/batas",
        "antarwarga": "Perselisihan antarwarga/kelompok",
        "sara": "Suku, agama, ras, antargolongan",
        "politik": "Pilkades/politik",
        "carok": "Carok/perkelahian massal",
        "sda": "Sumber daya (air, lahan, tambang)",
        LAINNYA: "Lainnya",
    },
    IncidentKind.TRANTIBUM: {
        "pencurian": "Pencurian",
        "keributan": "Perkelahian/keributan",
        "miras": "Minuman keras/narkoba",
        "judi": "Perjudian",
        "ketertiban": "Gangguan ketertiban umum",
        "perda": "Pelanggaran Perda/Perkada",
        LAINNYA: "Lainnya",
    },
}

DESCRIPTION_MIN = 15
DESCRIPTION_MAX = 1000
DETAIL_MAX = 100
NOTE_MIN = 5
NOTE_MAX = 1000
MAX_PHOTOS = 3


def category_label(kind: IncidentKind, code: str, detail: str | None = None) -> str:
    """The category as shown to users ("Lainnya: ..." with its text)."""
    label = CATEGORIES[kind].get(code, code)
    return f"Lainnya: {detail}" if code == LAINNYA and detail else label


_DATE = re.compile(r"\s*([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{4})\s*")
_ISO_DATE = re.compile(r"\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\s*")


def parse_date(text: str) -> date:
    """dd-mm-yyyy (or with / or .), or ISO yyyy-mm-dd as the CSV files use, to a date."""
    match = _DATE.fullmatch(text)
    iso = _ISO_DATE.fullmatch(text)
    if match is not None:
        day, month, year = (int(match.group(i)) for i in (1, 3, 4))
    elif iso is not None:
        year, month, day = (int(iso.group(i)) for i in (1, 2, 3))
    else:
        raise InvalidInput(
            "Format tanggal tidak dikenali. Tulis tanggal sebagai hh-bb-tttt, misalnya "
            "05-11-2026 (atau 2026-11-05)."
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(
            f"Tanggal {day:02d}-{month:02d}-{year} tidak ada di kalender. Periksa lagi."
        ) from None


def is_late_entry(day: date, today: date, max_age_days: int) -> bool:
    """An event older than ``max_age_days``: only an admin enters it, as a late entry."""
    return (today - day).days > max_age_days


def check_event_date(day: date, today: date, max_age_days: int, *, admin: bool = False) -> date:
    """Not in the future and, unless an admin enters it (a late entry), not older than
    ``max_age_days``."""
    if day > today:
        raise InvalidInput("Tanggal kejadian tidak boleh di masa depan.")
    if not admin and is_late_entry(day, today, max_age_days):
        raise InvalidInput(
            f"Tanggal kejadian lebih dari {max_age_days} hari yang lalu. Laporan yang lebih "
            "lama dicatat langsung oleh admin kecamatan: mintalah admin mencatatnya sebagai "
            "entri terlambat."
        )
    return day


def _text(text: str) -> str:
    # Keep line breaks, tidy spaces in each line, drop empty lines at the ends.
    lines = [" ".join(line.split()) for line in text.strip().splitlines()]
    return "\n".join(lines).strip()


def clean_description(text: str) -> str:
    """The description: 15-1000 characters."""
    value = _text(text)
    if len(value) < DESCRIPTION_MIN:
        raise InvalidInput(
            f"Uraian terlalu singkat (minimal {DESCRIPTION_MIN} karakter). Ceritakan apa yang "
            "terjadi, siapa yang terlibat, dan di mana."
        )
    if len(value) > DESCRIPTION_MAX:
        raise InvalidInput(
            f"Uraian terlalu panjang ({len(value)} karakter, maksimal {DESCRIPTION_MAX}). "
            "Ringkaslah."
        )
    return value


def clean_category_detail(text: str) -> str:
    """The text of a "Lainnya" category: 3-100 characters."""
    value = " ".join(text.split())
    if not 3 <= len(value) <= DETAIL_MAX:
        raise InvalidInput(f"Sebutkan jenisnya dalam 3-{DETAIL_MAX} karakter.")
    return value


def clean_note(text: str) -> str:
    """A follow-up note or reopening reason: 5-1000 characters."""
    value = _text(text)
    if len(value) < NOTE_MIN:
        raise InvalidInput(f"Catatan terlalu singkat (minimal {NOTE_MIN} karakter).")
    if len(value) > NOTE_MAX:
        raise InvalidInput(f"Catatan terlalu panjang (maksimal {NOTE_MAX} karakter).")
    return value


@dataclass(frozen=True, slots=True)
class IncidentDraft:
    """Everything a reporter entered, checked again when it is sent."""

    kind: IncidentKind
    desa_id: int
    event_date: date
    category: str
    description: str
    stage: KonflikStage | None = None
    category_detail: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    photo_file_ids: tuple[str, ...] = ()
    # What is known of those files beyond their ids (a document, its name, its unique id).
    files: tuple[ReceivedFile, ...] = ()


def submit_incident(
    uow: UnitOfWork,
    *,
    reporter: User | None,
    draft: IncidentDraft,
    now: datetime,
    max_age_days: int,
) -> Incident:
    """Validate the whole draft again and store it with its tracking number.

    The caller commits.
    """
    desa = uow.desa.get(draft.desa_id)
    if desa is None:
        raise NotFound("Desa laporan ini tidak ditemukan.")
    user = require_report_for(reporter, desa.id, desa.kecamatan_id)
    admin = user.role is Role.ADMIN
    check_event_date(draft.event_date, now.date(), max_age_days, admin=admin)
    late = admin and is_late_entry(draft.event_date, now.date(), max_age_days)
    if draft.category not in CATEGORIES[draft.kind]:
        raise InvalidInput("Kategori laporan tidak dikenal.")
    detail = None
    if draft.category == LAINNYA:
        detail = clean_category_detail(draft.category_detail or "")
    if (draft.kind is IncidentKind.KONFLIK) != (draft.stage is not None):
        raise InvalidInput("Laporan konflik harus menyebut potensi atau terjadi.")
    if len(draft.photo_file_ids) > MAX_PHOTOS:
        raise InvalidInput(f"Paling banyak {MAX_PHOTOS} foto per laporan.")
    if (draft.latitude is None) != (draft.longitude is None) or (
        draft.latitude is not None
        and draft.longitude is not None
        and not (-90 <= draft.latitude <= 90 and -180 <= draft.longitude <= 180)
    ):
        raise InvalidInput("Lokasi tidak valid.")
    incident = uow.incidents.add(
        Incident(
            id=0,
            nomor="",
            kind=draft.kind,
            kecamatan_id=desa.kecamatan_id,
            desa_id=desa.id,
            event_date=draft.event_date,
            received_at=now,
            category=draft.category,
            category_detail=detail,
            description=clean_description(draft.description),
            status=IncidentStatus.BARU,
            reporter_id=user.id,
            stage=draft.stage,
            latitude=draft.latitude,
            longitude=draft.longitude,
            photo_file_ids=draft.photo_file_ids,
            late_entry=late,
        )
    )
    # The files are kept as evidence to download, in this same transaction.
    known = {file.file_id: file for file in draft.files}
    record_received(
        uow,
        incident_id=incident.id,
        role=EvidenceRole.REPORT,
        files=[known.get(file_id, ReceivedFile(file_id)) for file_id in draft.photo_file_ids],
        at=now,
    )
    uow.audit.record(
        actor=f"tg:{user.telegram_id}",
        action="report_incident",
        entity="incident",
        entity_id=incident.nomor,
        user_id=user.id,
        at=now,
    )
    return incident


def allowed_transitions(status: IncidentStatus) -> tuple[IncidentStatus, ...]:
    """Where a case in ``status`` may go next."""
    if status is IncidentStatus.BARU:
        return (IncidentStatus.DIPROSES, IncidentStatus.TERTANGANI)
    if status is IncidentStatus.DIPROSES:
        return (IncidentStatus.TERTANGANI,)
    return (IncidentStatus.DIPROSES,)  # reopening, with a reason


def follow_up(
    uow: UnitOfWork,
    *,
    actor: User | None,
    incident_id: int,
    expected_version: int,
    to_status: IncidentStatus,
    note: str,
    now: datetime,
    proof: ReceivedFile | None = None,
) -> Incident:
    """Change a case's status with a note (and a proof); refused when the case changed.

    The caller commits. A refusal (:class:`StaleIncident`) writes nothing.
    """
    incident = uow.incidents.get(incident_id)
    if incident is None:
        raise NotFound("Laporan ini tidak ditemukan.")
    user = require_follow_up(actor, incident.kind, incident.kecamatan_id)
    if incident.version != expected_version:
        raise StaleIncident(incident)
    if to_status not in allowed_transitions(incident.status):
        raise InvalidInput(
            f"Status {incident.nomor} sekarang {incident.status.value}; tidak dapat diubah "
            f"menjadi {to_status.value}."
        )
    changed = uow.incidents.change_status(
        incident.id,
        to_status=to_status,
        note=clean_note(note),
        user_id=user.id,
        at=now,
        expected_version=expected_version,
        photo_file_id=None if proof is None else proof.file_id,
    )
    if changed is None:  # the conditional UPDATE wrote nothing: nothing to roll back
        raise StaleIncident(uow.incidents.get(incident_id) or incident)
    if proof is not None:
        event = uow.incidents.history(incident_id)[-1]  # the follow-up just written
        record_received(
            uow,
            incident_id=incident_id,
            role=EvidenceRole.PROOF,
            files=(proof,),
            at=now,
            event_id=event.id,
        )
    uow.audit.record(
        actor=f"tg:{user.telegram_id}",
        action="reopen_incident"
        if incident.status is IncidentStatus.TERTANGANI
        else "follow_up_incident",
        entity="incident",
        entity_id=incident.nomor,
        detail={"dari": incident.status.value, "ke": to_status.value},
        user_id=user.id,
        at=now,
    )
    return changed


class StaleIncident(InvalidInput):
    """The case changed since the user saw it; carries its current state."""

    def __init__(self, current: Incident) -> None:
        super().__init__(
            f"Laporan {current.nomor} sudah diperbarui orang lain sejak pesan ini dikirim "
            f"(status sekarang: {current.status.value}). Tidak ada yang diubah."
        )
        self.current = current


__all__ += ["StaleIncident"]


def days_open(incident: Incident, now: datetime) -> int:
    """Whole days since the case was received."""
    return max((now - incident.received_at).days, 0)


def is_overdue(incident: Incident, now: datetime, overdue_days: int) -> bool:
    """Open and received more than ``overdue_days`` days ago."""
    return incident.status is not IncidentStatus.TERTANGANI and now - incident.received_at > (
        timedelta(days=overdue_days)
    )


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week of ``day``."""
    start = day - timedelta(days=day.isoweekday() - 1)
    return start, start + timedelta(days=6)


@dataclass(frozen=True, slots=True)
class NilResult:
    """A nil report's outcome: stored now, or already there for this week."""

    created: bool
    iso_year: int
    iso_week: int
    week_start: date
    week_end: date


def check_nil_report(uow: UnitOfWork, *, user: User | None, now: datetime) -> Desa:
    """The user's desa, if a nil report may be sent for this week; else why not.

    Asked before the confirmation too, so that nobody confirms what cannot be stored.
    """
    require(user, Action.NIL_REPORT)
    assert user is not None
    assert user.desa_id is not None
    desa = uow.desa.get(user.desa_id)
    if desa is None:
        raise Forbidden("Desa Anda tidak ditemukan; hubungi admin.")
    start, end = week_of(now.date())
    reported = uow.incidents.count_for_desa(desa.id, start, end)
    if reported:
        # Zero and one are different facts: a week with a report cannot also be nil.
        raise InvalidInput(
            f"Desa {desa.nama} sudah mempunyai {reported} laporan kejadian bertanggal minggu "
            "ini, jadi laporan nihil tidak dapat dikirim untuk minggu ini."
        )
    return desa


def submit_nil_report(uow: UnitOfWork, *, user: User | None, now: datetime) -> NilResult:
    """Record "nothing happened in my desa this week" (ISO week of the office clock).

    The caller commits.
    """
    desa = check_nil_report(uow, user=user, now=now)
    assert user is not None
    iso = now.date().isocalendar()
    start, end = week_of(now.date())
    created = uow.incidents.add_nil_report(
        NilReport(
            desa_id=desa.id,
            iso_year=iso.year,
            iso_week=iso.week,
            user_id=user.id,
            created_at=now,
        )
    )
    if created:
        uow.audit.record(
            actor=f"tg:{user.telegram_id}",
            action="nil_report",
            entity="nil_report",
            entity_id=f"{desa.kode}/{iso.year}-W{iso.week:02d}",
            user_id=user.id,
            at=now,
        )
    return NilResult(created, iso.year, iso.week, start, end)
