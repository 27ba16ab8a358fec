"""An admin's corrections of a submitted report, and the voiding of a duplicate.

Decisions:
- Only an admin of the report's kecamatan corrects or voids, always with a reason
  (at least ``REASON_MIN`` characters).
- Correctable: kind, desa (of the same kecamatan), event date (never in the future;
  an admin may go back further than the reporters' limit), category (valid for the
  kind after the change; a kind change needs a category of the new kind, and a
  konflik needs its stage) and description. A correction that changes nothing is
  refused. The tracking number stays, except on a change of kind: the report takes
  the next number of its new kind (the old number is kept in the corrections).
- A duplicate is voided by pointing it to the report it repeats: that report exists,
  is of the same kecamatan and kind, is not the report itself, is not voided and does
  not (through its own chain) point back to it. A voided report counts nowhere (IKU,
  open cases, reminders, digest) and cannot be corrected or voided again.
- Each writes its correction rows, a history entry (the status unchanged) and an
  audit entry in the caller's transaction; the result names whom to tell: the
  reporter and the seksi responsible for the kind (both seksi when it changes). The
  caller writes those messages to the outbox in the same transaction and commits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from domain.errors import InvalidInput, NotFound
from domain.incidents import (
    CATEGORIES,
    LAINNYA,
    category_label,
    clean_category_detail,
    clean_description,
)
from domain.models import (
    Incident,
    IncidentCorrection,
    IncidentKind,
    KonflikStage,
    Role,
    Seksi,
    User,
    UserStatus,
)
from domain.permissions import Forbidden, responsible_seksi
from domain.ports import UnitOfWork

__all__ = [
    "REASON_MIN",
    "REASON_MAX",
    "FIELDS",
    "FIELD_NAMES",
    "field_names",
    "Changes",
    "CorrectionResult",
    "clean_reason",
    "require_admin_of",
    "correct_incident",
    "void_duplicate",
]

REASON_MIN = 10
REASON_MAX = 500

# The fields an admin corrects, as stored in the correction rows, with their names as
# the case history and the notices show them.
FIELDS = ("kind", "desa", "event_date", "category", "description")
FIELD_NAMES = {
    "kind": "jenis",
    "desa": "desa",
    "event_date": "tanggal kejadian",
    "category": "kategori",
    "description": "uraian",
    "nomor": "nomor",
    "duplicate_of": "duplikat dari",
}


@dataclass(frozen=True, slots=True)
class Changes:
    """The new values (None: unchanged). A new category may carry its detail; a change
    to konflik carries the stage."""

    kind: IncidentKind | None = None
    desa_id: int | None = None
    event_date: date | None = None
    category: str | None = None
    category_detail: str | None = None
    stage: KonflikStage | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class CorrectionResult:
    """The report after the change, what changed, and whom to tell."""

    before: Incident
    incident: Incident
    corrections: tuple[IncidentCorrection, ...]
    reason: str
    seksi: tuple[Seksi, ...]
    reporter_id: int | None


def field_names(rows: tuple[IncidentCorrection, ...] | list[IncidentCorrection]) -> str:
    """The changed fields in words: "jenis, kategori"."""
    return ", ".join(FIELD_NAMES.get(r.field, r.field) for r in rows)


def clean_reason(text: str) -> str:
    """The reason of a correction or void: 10-500 characters."""
    value = " ".join(text.split())
    if len(value) < REASON_MIN:
        raise InvalidInput(
            f"Alasan terlalu singkat (minimal {REASON_MIN} karakter). Jelaskan mengapa "
            "laporan ini dikoreksi."
        )
    if len(value) > REASON_MAX:
        raise InvalidInput(f"Alasan terlalu panjang (maksimal {REASON_MAX} karakter).")
    return value


def require_admin_of(user: User | None, kecamatan_id: int) -> User:
    """An active admin of the kecamatan, or :class:`Forbidden`."""
    if (
        user is None
        or user.status is not UserStatus.ACTIVE
        or user.role is not Role.ADMIN
        or user.kecamatan_id != kecamatan_id
    ):
        raise Forbidden("Hanya admin kecamatan yang dapat mengoreksi atau membatalkan laporan.")
    return user


def _load(uow: UnitOfWork, incident_id: int) -> Incident:
    incident = uow.incidents.get(incident_id)
    if incident is None:
        raise NotFound("Laporan ini tidak ditemukan.")
    return incident


def _not_voided(incident: Incident) -> None:
    if incident.voided:
        raise InvalidInput(
            f"Laporan {incident.nomor} sudah dibatalkan sebagai duplikat; tidak dapat "
            "dikoreksi lagi."
        )


def _seksi(*kinds: IncidentKind) -> tuple[Seksi, ...]:
    return tuple(dict.fromkeys(responsible_seksi(k) for k in kinds))


def correct_incident(
    uow: UnitOfWork,
    *,
    admin: User | None,
    incident_id: int,
    expected_version: int,
    changes: Changes,
    reason: str,
    now: datetime,
) -> CorrectionResult:
    """Apply an admin's correction. The caller writes the notices and commits.

    A refusal writes nothing.
    """
    incident = _load(uow, incident_id)
    user = require_admin_of(admin, incident.kecamatan_id)
    _not_voided(incident)
    why = clean_reason(reason)
    if incident.version != expected_version:
        raise InvalidInput(
            f"Laporan {incident.nomor} baru saja berubah. Mulai koreksi lagi dengan "
            f"/koreksi {incident.nomor}."
        )
    kind = changes.kind or incident.kind
    corrected = incident
    rows: list[IncidentCorrection] = []
    if changes.kind is not None and changes.kind is not incident.kind:
        corrected = replace(corrected, kind=changes.kind)
        rows.append(IncidentCorrection("kind", incident.kind.value, changes.kind.value))
    if changes.desa_id is not None and changes.desa_id != incident.desa_id:
        desa = uow.desa.get(changes.desa_id)
        if desa is None:
            raise NotFound("Desa itu tidak ditemukan.")
        if desa.kecamatan_id != incident.kecamatan_id:
            raise InvalidInput(
                f"Desa {desa.nama} bukan desa kecamatan laporan ini; pilih desa kecamatan sendiri."
            )
        corrected = replace(corrected, desa_id=desa.id)
        rows.append(IncidentCorrection("desa", str(incident.desa_id), str(desa.id)))
    if changes.event_date is not None and changes.event_date != incident.event_date:
        if changes.event_date > now.date():
            raise InvalidInput("Tanggal kejadian tidak boleh di masa depan.")
        corrected = replace(corrected, event_date=changes.event_date)
        rows.append(
            IncidentCorrection(
                "event_date", incident.event_date.isoformat(), changes.event_date.isoformat()
            )
        )
    category = changes.category or incident.category
    if category not in CATEGORIES[kind]:
        raise InvalidInput(
            f"Kategori {category} tidak berlaku untuk laporan {kind.value}; pilih kategori "
            f"{kind.value}."
        )
    detail = incident.category_detail if changes.category is None else None
    if category == LAINNYA:
        detail = clean_category_detail(changes.category_detail or detail or "")
    stage = incident.stage
    if kind is IncidentKind.KONFLIK:
        stage = changes.stage or stage
        if stage is None:
            raise InvalidInput("Laporan konflik harus menyebut potensi atau terjadi.")
    else:
        stage = None
    old_label = category_label(incident.kind, incident.category, incident.category_detail)
    new_label = category_label(kind, category, detail)
    if (category, detail, stage) != (incident.category, incident.category_detail, incident.stage):
        corrected = replace(corrected, category=category, category_detail=detail, stage=stage)
        if (category, detail) != (incident.category, incident.category_detail):
            rows.append(IncidentCorrection("category", old_label, new_label))
    if changes.description is not None:
        text = clean_description(changes.description)
        if text != incident.description:
            corrected = replace(corrected, description=text)
            rows.append(IncidentCorrection("description", incident.description, text))
    if not rows:
        raise InvalidInput("Tidak ada yang berubah: nilai baru sama dengan yang tercatat.")
    return _store(uow, user, incident, corrected, rows, why, now, "correct_incident")


def void_duplicate(
    uow: UnitOfWork,
    *,
    admin: User | None,
    incident_id: int,
    expected_version: int,
    original_nomor: str,
    reason: str,
    now: datetime,
) -> CorrectionResult:
    """Void a duplicate, pointing it to the report it repeats. The caller writes the
    notices and commits. A refusal writes nothing."""
    incident = _load(uow, incident_id)
    user = require_admin_of(admin, incident.kecamatan_id)
    _not_voided(incident)
    why = clean_reason(reason)
    if incident.version != expected_version:
        raise InvalidInput(
            f"Laporan {incident.nomor} baru saja berubah. Mulai lagi dengan "
            f"/batalkan {incident.nomor}."
        )
    original = uow.incidents.get_by_nomor(original_nomor.strip())
    if original is None or original.kecamatan_id != incident.kecamatan_id:
        raise NotFound(f"Laporan {original_nomor.strip().upper()} tidak ditemukan.")
    if original.id == incident.id:
        raise InvalidInput("Laporan tidak dapat menjadi duplikat dirinya sendiri.")
    if original.kind is not incident.kind:
        raise InvalidInput(
            f"{original.nomor} laporan {original.kind.value}, {incident.nomor} laporan "
            f"{incident.kind.value}: duplikat harus sejenis. Koreksi jenisnya dulu."
        )
    if original.voided:
        raise InvalidInput(
            f"{original.nomor} sendiri sudah dibatalkan; tunjuk laporan yang masih berlaku."
        )
    # No cycle: the original's chain (of voided reports) never leads back here.
    seen = {original.id}
    step = original
    while step.duplicate_of_id is not None:
        if step.duplicate_of_id == incident.id:
            raise InvalidInput(f"{original.nomor} sudah menunjuk ke {incident.nomor}.")
        following = uow.incidents.get(step.duplicate_of_id)
        if following is None or following.id in seen:
            break
        seen.add(following.id)
        step = following
    corrected = replace(incident, duplicate_of_id=original.id, voided_at=now, void_reason=why)
    rows = [IncidentCorrection("duplicate_of", None, original.nomor)]
    return _store(uow, user, incident, corrected, rows, why, now, "void_incident")


def _store(
    uow: UnitOfWork,
    user: User,
    before: Incident,
    corrected: Incident,
    rows: list[IncidentCorrection],
    reason: str,
    now: datetime,
    action: str,
) -> CorrectionResult:
    if corrected.voided and not before.voided:
        note = f"Dibatalkan sebagai duplikat: {reason}"
    else:
        note = f"Dikoreksi admin ({field_names(rows)}): {reason}"
    stored = uow.incidents.apply_correction(
        before.id,
        corrected=corrected,
        corrections=rows,
        reason=reason,
        note=note,
        user_id=user.id,
        at=now,
        expected_version=before.version,
    )
    if stored is None:
        raise InvalidInput(f"Laporan {before.nomor} baru saja berubah. Mulai lagi.")
    detail: dict[str, object] = {"bidang": [r.field for r in rows], "alasan": reason}
    if stored.nomor != before.nomor:
        detail["nomor_baru"] = stored.nomor
    if stored.duplicate_of_id is not None and before.duplicate_of_id is None:
        detail["duplikat_dari"] = rows[0].new_value
    uow.audit.record(
        actor=f"tg:{user.telegram_id}",
        action=action,
        entity="incident",
        entity_id=before.nomor,
        detail=detail,
        user_id=user.id,
        at=now,
    )
    return CorrectionResult(
        before=before,
        incident=stored,
        corrections=tuple(rows),
        reason=reason,
        seksi=_seksi(before.kind, stored.kind),
        reporter_id=before.reporter_id,
    )
