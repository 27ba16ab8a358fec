"""The SKM follow-up plan (rencana tindak lanjut, RTL), tracked (PermenPAN-RB 29/2022).

PEKPPP scores the share of the RTL carried out (RTL selesai / RTL direncanakan x 100)
and how fast. Decisions:
- An RTL item belongs to a kecamatan and an SKM period (a year, a semester or a
  quarter: :class:`SkmPeriod`) and names one unsur.
- Proposals are computed, not stored (status ``usulan``): after the period, the three
  unsur with the lowest NRR among those answered, ties by unsur number, without those
  that already have an RTL item that is not cancelled. An admin confirms a proposal
  with a kegiatan, an owner (an active user of the kecamatan) and a due date after the
  period's end and not in the past; the stored item is then ``direncanakan``.
- The owner reports progress (notes with dates) and marks the item ``selesai`` (done
  date = the office's today). An admin may cancel an open item with a reason
  (``dibatalkan``); a cancelled item is not planned and counts nowhere.
- Figures: planned = items not cancelled; done / planned x 100 exact, half-up to 2
  decimals ("belum ada RTL" when none is planned); on time = done on or before the due
  date / done.
- Every change carries the item's version: a button made for an older version is stale
  (:class:`StaleRtl`) and writes nothing.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Final

from domain.errors import DomainError, InvalidInput, NotFound
from domain.models import Role, User, UserStatus
from domain.period import Period
from domain.permissions import Forbidden
from domain.rounding import round_half_up
from domain.skm import UNSUR, UNSUR_INFO, UnsurTotal

if TYPE_CHECKING:  # domain.ports imports this module's records
    from domain.ports import UnitOfWork

__all__ = [
    "RtlStatus",
    "SkmPeriod",
    "RtlItem",
    "RtlProgress",
    "RtlProposal",
    "RtlFigures",
    "RtlRow",
    "RtlReport",
    "StaleRtl",
    "PROPOSALS",
    "KEGIATAN_MIN",
    "KEGIATAN_MAX",
    "NOTE_MIN",
    "NOTE_MAX",
    "STATUS_TEXT",
    "unsur_label",
    "clean_kegiatan",
    "clean_rtl_note",
    "check_due",
    "propose",
    "open_proposals",
    "confirm_rtl",
    "report_progress",
    "complete_rtl",
    "cancel_rtl",
    "rtl_figures",
    "rtl_report",
    "latest_rtl_figures",
    "overdue_rtl",
    "owner_candidates",
]

PROPOSALS: Final = 3  # the lowest unsur proposed after a period
KEGIATAN_MIN: Final = 10
KEGIATAN_MAX: Final = 300
NOTE_MIN: Final = 5
NOTE_MAX: Final = 1000


class RtlStatus(enum.StrEnum):
    """Where an RTL item stands."""

    USULAN = "usulan"  # a proposal (computed, never stored)
    DIRENCANAKAN = "direncanakan"
    SELESAI = "selesai"
    DIBATALKAN = "dibatalkan"


STATUS_TEXT: Final[dict[RtlStatus, str]] = {
    RtlStatus.USULAN: "Usulan",
    RtlStatus.DIRENCANAKAN: "Direncanakan",
    RtlStatus.SELESAI: "Selesai",
    RtlStatus.DIBATALKAN: "Dibatalkan",
}

_PART = re.compile(r"(S[12]|TW[1-4])")


@dataclass(frozen=True, slots=True, order=True)
class SkmPeriod:
    """An SKM period: a year (``bagian`` "TAHUN"), a semester "S1"/"S2" or "TW1".."TW4"."""

    tahun: int
    bagian: str = "TAHUN"

    def __post_init__(self) -> None:
        if self.bagian != "TAHUN" and not _PART.fullmatch(self.bagian):
            raise ValueError(f"bagian periode tidak dikenal: {self.bagian!r}")
        self.period  # noqa: B018 - checks the year

    @property
    def period(self) -> Period:
        """The calendar days of the period."""
        if self.bagian == "TAHUN":
            return Period.year(self.tahun)
        if self.bagian.startswith("TW"):
            return Period.quarter(self.tahun, int(self.bagian[2:]))
        return Period.semester(self.tahun, int(self.bagian[1:]))

    @property
    def label(self) -> str:
        """'Semester 1 Tahun 2026'."""
        return self.period.label

    @property
    def key(self) -> str:
        """'2026-S1', '2026-TW3', '2026'."""
        return str(self.tahun) if self.bagian == "TAHUN" else f"{self.tahun}-{self.bagian}"

    @classmethod
    def of(cls, period: Period) -> SkmPeriod | None:
        """The SKM period covering exactly ``period`` (a year, semester or quarter), or None."""
        year = period.start.year
        if not 2000 <= year <= 2100:
            return None
        for bagian in ("TAHUN", "S1", "S2", "TW1", "TW2", "TW3", "TW4"):
            candidate = cls(year, bagian)
            found = candidate.period
            if (found.start, found.end) == (period.start, period.end):
                return candidate
        return None

    @classmethod
    def parse(cls, args: Sequence[str], today: date) -> SkmPeriod:
        """``[TAHUN] [S1|S2|TW1..TW4]``; no arguments: the last semester that has ended."""
        if not args:
            if today.month > 6:
                return cls(today.year, "S1")
            return cls(today.year - 1, "S2")
        year_text, *rest = args
        if not (year_text.isascii() and year_text.isdigit() and len(year_text) == 4) or not (
            2000 <= int(year_text) <= 2100
        ):
            raise InvalidInput(
                f"Tahun {year_text!r} tidak dikenali. Tulis misalnya: /rtl 2026 S1 "
                "(S1, S2, atau TW1 sampai TW4; tanpa bagian: setahun)."
            )
        if not rest:
            return cls(int(year_text))
        part = "".join(rest).upper()
        if len(rest) > 1 or not _PART.fullmatch(part):
            raise InvalidInput(
                f"Bagian periode {' '.join(rest)!r} tidak dikenali. Gunakan S1, S2, atau "
                "TW1 sampai TW4."
            )
        return cls(int(year_text), part)


@dataclass(frozen=True, slots=True)
class RtlItem:
    """One follow-up action of an SKM period."""

    id: int
    kecamatan_id: int
    tahun: int
    bagian: str
    unsur: str
    kegiatan: str
    owner_id: int
    due: date
    status: RtlStatus
    created_by: int | None
    created_at: datetime
    version: int = 1
    done_on: date | None = None
    cancel_reason: str | None = None

    @property
    def skm_period(self) -> SkmPeriod:
        return SkmPeriod(self.tahun, self.bagian)

    @property
    def is_open(self) -> bool:
        return self.status is RtlStatus.DIRENCANAKAN

    @property
    def on_time(self) -> bool:
        """Done on or before its due date."""
        return self.done_on is not None and self.done_on <= self.due


@dataclass(frozen=True, slots=True)
class RtlProgress:
    """A dated note on an item (progress, completion or cancellation)."""

    id: int
    item_id: int
    user_id: int | None
    note: str
    at: datetime
    status: RtlStatus  # the item's status after the note


@dataclass(frozen=True, slots=True)
class RtlProposal:
    """An unsur proposed for follow-up: its key and its exact NRR."""

    unsur: str
    nrr: Fraction

    @property
    def nrr_printed(self) -> Decimal:
        return round_half_up(self.nrr, 4)


class StaleRtl(DomainError):
    """The item changed (or closed) since the button was made; nothing was written."""

    def __init__(self, item: RtlItem | None) -> None:
        super().__init__("RTL ini sudah berubah sejak pesan itu dikirim.")
        self.item = item


def unsur_label(unsur: str) -> str:
    """'U3 Waktu Penyelesaian'."""
    info = UNSUR_INFO[unsur]
    return f"U{info.number} {info.name}"


def _text(value: str) -> str:
    return " ".join(value.split())


def clean_kegiatan(text: str) -> str:
    """The kegiatan of an RTL item: 10-300 characters."""
    value = _text(text)
    if len(value) < KEGIATAN_MIN:
        raise InvalidInput(
            f"Uraian kegiatan terlalu singkat (minimal {KEGIATAN_MIN} karakter). Tulis apa "
            "yang akan dikerjakan, misalnya: Menambah kursi ruang tunggu pelayanan."
        )
    if len(value) > KEGIATAN_MAX:
        raise InvalidInput(
            f"Uraian kegiatan terlalu panjang ({len(value)} karakter; maksimal {KEGIATAN_MAX})."
        )
    return value


def clean_rtl_note(text: str) -> str:
    """A progress, completion or cancellation note: 5-1000 characters."""
    value = _text(text)
    if len(value) < NOTE_MIN:
        raise InvalidInput(f"Catatan terlalu singkat (minimal {NOTE_MIN} karakter).")
    if len(value) > NOTE_MAX:
        raise InvalidInput(f"Catatan terlalu panjang (maksimal {NOTE_MAX} karakter).")
    return value


def check_due(due: date, skm_period: SkmPeriod, today: date) -> date:
    """A due date after the period's end and not in the past."""
    end = skm_period.period.end
    if due <= end:
        raise InvalidInput(
            f"Batas waktu harus sesudah akhir periode SKM ({end.strftime('%d-%m-%Y')})."
        )
    if due < today:
        raise InvalidInput("Batas waktu tidak boleh di masa lalu.")
    return due


# -- proposals ------------------------------------------------------------------------------


def propose(totals: Mapping[str, UnsurTotal], count: int = PROPOSALS) -> list[RtlProposal]:
    """The ``count`` unsur with the lowest NRR (only unsur with answers), ties by number."""
    answered = [
        RtlProposal(key, Fraction(totals[key].total, totals[key].answered))
        for key in UNSUR
        if key in totals and totals[key].answered > 0
    ]
    answered.sort(key=lambda p: (p.nrr, UNSUR_INFO[p.unsur].number))
    return answered[:count]


def _require_admin(user: User | None, kecamatan_id: int) -> User:
    if (
        user is None
        or user.status is not UserStatus.ACTIVE
        or user.role is not Role.ADMIN
        or user.kecamatan_id != kecamatan_id
    ):
        raise Forbidden("Maaf, rencana tindak lanjut SKM ditetapkan oleh admin kecamatan.")
    return user


def _require_period_over(skm_period: SkmPeriod, today: date) -> None:
    if today <= skm_period.period.end:
        raise InvalidInput(
            f"Periode {skm_period.label} belum berakhir; usulan RTL dibuat sesudah "
            f"{skm_period.period.end.strftime('%d-%m-%Y')}."
        )


def open_proposals(
    uow: UnitOfWork, *, kecamatan_id: int, skm_period: SkmPeriod, today: date
) -> list[RtlProposal]:
    """The proposals of an ended period whose unsur has no RTL item yet (cancelled aside).

    Before the period ends there are none (the survey is still running).
    """
    if today <= skm_period.period.end:
        return []
    period = skm_period.period
    totals = uow.skm.totals(kecamatan_id, period.start, period.end)
    taken = {
        item.unsur
        for item in uow.rtl.list_for_period(kecamatan_id, skm_period.tahun, skm_period.bagian)
        if item.status is not RtlStatus.DIBATALKAN
    }
    return [p for p in propose(totals.totals) if p.unsur not in taken]


def owner_candidates(uow: UnitOfWork, kecamatan_id: int) -> list[User]:
    """Who may own an RTL item: the active users of the kecamatan, by name."""
    users = uow.users.list(kecamatan_id, status=UserStatus.ACTIVE)
    return sorted(users, key=lambda u: (u.nama.lower(), u.id))


def _audit(
    uow: UnitOfWork, actor: User, action: str, item: RtlItem, at: datetime, **detail: object
) -> None:
    uow.audit.record(
        actor=f"tg:{actor.telegram_id}",
        action=action,
        entity="rtl_item",
        entity_id=str(item.id),
        detail={"periode": item.skm_period.key, "unsur": item.unsur, **detail},
        user_id=actor.id,
        at=at,
    )


def confirm_rtl(
    uow: UnitOfWork,
    *,
    user: User | None,
    kecamatan_id: int,
    skm_period: SkmPeriod,
    unsur: str,
    kegiatan: str,
    owner_id: int,
    due: date,
    today: date,
    now: datetime,
) -> RtlItem:
    """Confirm a proposal as a planned RTL item; the caller commits (and tells the owner).

    Refused (:class:`StaleRtl`) when the unsur is no longer proposed (already planned
    meanwhile).
    """
    actor = _require_admin(user, kecamatan_id)
    _require_period_over(skm_period, today)
    if unsur not in {
        p.unsur
        for p in open_proposals(uow, kecamatan_id=kecamatan_id, skm_period=skm_period, today=today)
    }:
        raise StaleRtl(None)
    owner = uow.users.get(owner_id)
    if owner is None or owner.kecamatan_id != kecamatan_id or owner.status is not UserStatus.ACTIVE:
        raise InvalidInput("Penanggung jawab harus pengguna aktif kecamatan ini.")
    check_due(due, skm_period, today)
    added = uow.rtl.add(
        RtlItem(
            id=0,
            kecamatan_id=kecamatan_id,
            tahun=skm_period.tahun,
            bagian=skm_period.bagian,
            unsur=unsur,
            kegiatan=clean_kegiatan(kegiatan),
            owner_id=owner.id,
            due=due,
            status=RtlStatus.DIRENCANAKAN,
            created_by=actor.id,
            created_at=now,
        )
    )
    if added is None:  # planned by someone else at the same moment
        raise StaleRtl(None)
    item = added
    _audit(uow, actor, "rtl_confirm", item, now, owner=owner.id, due=due.isoformat())
    return item


def _open_item(uow: UnitOfWork, item_id: int, version: int) -> RtlItem:
    item = uow.rtl.get(item_id)
    if item is None:
        raise NotFound("RTL ini tidak ditemukan.")
    if item.version != version or not item.is_open:
        raise StaleRtl(item)
    return item


def _require_owner(user: User | None, item: RtlItem) -> User:
    if user is None or user.status is not UserStatus.ACTIVE or user.id != item.owner_id:
        raise Forbidden("Maaf, kemajuan RTL ini dilaporkan oleh penanggung jawabnya.")
    return user


def _change(
    uow: UnitOfWork, item: RtlItem, changed: RtlItem, actor: User, note: str, now: datetime
) -> RtlItem:
    stored = uow.rtl.update(changed, expected_version=item.version)
    if stored is None:  # the conditional UPDATE wrote nothing
        raise StaleRtl(uow.rtl.get(item.id))
    uow.rtl.add_progress(
        RtlProgress(
            id=0, item_id=item.id, user_id=actor.id, note=note, at=now, status=stored.status
        )
    )
    return stored


def report_progress(
    uow: UnitOfWork, *, user: User | None, item_id: int, version: int, note: str, now: datetime
) -> RtlItem:
    """The owner's progress note on an open item; the caller commits."""
    item = _open_item(uow, item_id, version)
    actor = _require_owner(user, item)
    text = clean_rtl_note(note)
    stored = _change(uow, item, replace(item, version=item.version + 1), actor, text, now)
    _audit(uow, actor, "rtl_progress", stored, now)
    return stored


def complete_rtl(
    uow: UnitOfWork,
    *,
    user: User | None,
    item_id: int,
    version: int,
    note: str,
    today: date,
    now: datetime,
) -> RtlItem:
    """The owner marks an open item done today (with a note); the caller commits."""
    item = _open_item(uow, item_id, version)
    actor = _require_owner(user, item)
    text = clean_rtl_note(note)
    changed = replace(item, status=RtlStatus.SELESAI, done_on=today, version=item.version + 1)
    stored = _change(uow, item, changed, actor, text, now)
    _audit(uow, actor, "rtl_done", stored, now, done_on=today.isoformat())
    return stored


def cancel_rtl(
    uow: UnitOfWork, *, user: User | None, item_id: int, version: int, reason: str, now: datetime
) -> RtlItem:
    """An admin cancels an open item with a reason; the caller commits."""
    item = _open_item(uow, item_id, version)
    actor = _require_admin(user, item.kecamatan_id)
    text = clean_rtl_note(reason)
    changed = replace(
        item, status=RtlStatus.DIBATALKAN, cancel_reason=text, version=item.version + 1
    )
    stored = _change(uow, item, changed, actor, text, now)
    _audit(uow, actor, "rtl_cancel", stored, now)
    return stored


# -- figures and the report's rows ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RtlFigures:
    """Planned, done, done on time, and the two shares (None: nothing planned / done)."""

    planned: int
    done: int
    on_time: int

    @property
    def percent(self) -> Decimal | None:
        """done / planned x 100, half-up to 2 decimals."""
        if self.planned == 0:
            return None
        return round_half_up(Fraction(self.done * 100, self.planned), 2)

    @property
    def on_time_percent(self) -> Decimal | None:
        """done on time / done x 100, half-up to 2 decimals."""
        if self.done == 0:
            return None
        return round_half_up(Fraction(self.on_time * 100, self.done), 2)

    @property
    def text(self) -> str:
        """'2 dari 3 selesai (66,67%), 1 tepat waktu', or 'belum ada RTL'."""
        percent = self.percent
        if percent is None:
            return "belum ada RTL"
        shown = f"{percent}".replace(".", ",")
        return f"{self.done} dari {self.planned} selesai ({shown}%), {self.on_time} tepat waktu"


def rtl_figures(items: Iterable[RtlItem]) -> RtlFigures:
    """The figures of a period's items (cancelled items count nowhere)."""
    planned = [i for i in items if i.status in (RtlStatus.DIRENCANAKAN, RtlStatus.SELESAI)]
    done = [i for i in planned if i.status is RtlStatus.SELESAI]
    return RtlFigures(len(planned), len(done), sum(1 for i in done if i.on_time))


@dataclass(frozen=True, slots=True)
class RtlRow:
    """One item as the SKM report prints it."""

    unsur: str
    kegiatan: str
    penanggung_jawab: str
    batas_waktu: date
    status: str
    selesai_pada: date | None


@dataclass(frozen=True, slots=True)
class RtlReport:
    """A period's items as rows, and its figures."""

    skm_period: SkmPeriod
    rows: list[RtlRow]
    figures: RtlFigures


def _status_text(item: RtlItem) -> str:
    if item.status is RtlStatus.DIBATALKAN and item.cancel_reason:
        return f"Dibatalkan: {item.cancel_reason}"
    if item.status is RtlStatus.SELESAI and not item.on_time:
        return "Selesai (terlambat)"
    return STATUS_TEXT[item.status]


def rtl_report(uow: UnitOfWork, *, kecamatan_id: int, skm_period: SkmPeriod) -> RtlReport:
    """The items of a kecamatan's period as plain rows (by unsur number) with the figures."""
    items = uow.rtl.list_for_period(kecamatan_id, skm_period.tahun, skm_period.bagian)
    items = sorted(items, key=lambda i: (UNSUR_INFO[i.unsur].number, i.id))
    names: dict[int, str] = {}
    rows = []
    for item in items:
        if item.owner_id not in names:
            owner = uow.users.get(item.owner_id)
            names[item.owner_id] = owner.nama if owner is not None else "-"
        rows.append(
            RtlRow(
                unsur=unsur_label(item.unsur),
                kegiatan=item.kegiatan,
                penanggung_jawab=names[item.owner_id],
                batas_waktu=item.due,
                status=_status_text(item),
                selesai_pada=item.done_on,
            )
        )
    return RtlReport(skm_period, rows, rtl_figures(items))


def latest_rtl_figures(uow: UnitOfWork, kecamatan_id: int) -> tuple[SkmPeriod, RtlFigures] | None:
    """The latest period that has items (the last to end; on a tie, the last to begin)."""
    periods = [SkmPeriod(tahun, bagian) for tahun, bagian in uow.rtl.periods(kecamatan_id)]
    if not periods:
        return None
    latest = max(periods, key=lambda p: (p.period.end, p.period.start))
    items = uow.rtl.list_for_period(kecamatan_id, latest.tahun, latest.bagian)
    return latest, rtl_figures(items)


def overdue_rtl(uow: UnitOfWork, kecamatan_id: int, today: date) -> dict[int, list[RtlItem]]:
    """Open items past their due date, by owner id (the owner's items oldest due first)."""
    found: dict[int, list[RtlItem]] = {}
    for item in uow.rtl.list_open(kecamatan_id):
        if item.due < today:
            found.setdefault(item.owner_id, []).append(item)
    for items in found.values():
        items.sort(key=lambda i: (i.due, i.id))
    return found
