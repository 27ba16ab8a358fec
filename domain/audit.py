"""What people saw: exports and views of a case's details in the audit log, and its listing.

Decisions:
- An *export* is every report that leaves the bot or the command line: /ekspor (the
  workbook in a private chat; in a group the aggregate workbook there and the detailed
  one sent to the admin privately, two entries) and ``iku-bot report`` in each format
  (table, JSON, Excel), by the operator (actor ``cli``). /ringkasan is not an export:
  it shows the IKU table only, the same in a private chat and in a group.
- A *view* of a case is a display of its details that a person asks for: the card
  (``/tindaklanjut NOMOR``, a case pressed in the list of open cases), its history
  (Riwayat: the follow-up notes and who wrote them) and its photos and location. The
  card that the bot pushes to the responsible seksi when a report arrives and the
  notices of a status change are deliveries, not views (the outbox keeps them); the
  card shown again under an expired button is the card the person already had.
- An entry says who (user id and actor ``tg:<Telegram id>``, or ``cli``), where
  (``saluran``: pribadi, grup or cli), the period and what was included (counts of
  cases with and without their details, of suggestions shown and withheld): never
  the content itself, so that the log does not become a second copy of the
  descriptions and suggestions it accounts for.
- Times are stored in UTC; :func:`audit_log` takes its date range as office days.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, Final

from domain.errors import InvalidInput
from domain.models import Incident, Kecamatan, User
from domain.period import Period
from domain.permissions import require_follow_up, require_view_case
from domain.ports import AuditLogEntry, UnitOfWork

__all__ = [
    "Channel",
    "ExportForm",
    "CaseView",
    "VIEW_CASE",
    "EXPORT_GROUP",
    "export_action",
    "actor_of",
    "record_export",
    "record_case_view",
    "view_case",
    "AuditQuery",
    "AuditListing",
    "audit_log",
    "MAX_LIMIT",
]

VIEW_CASE: Final = "view_case"
EXPORT_GROUP: Final = "export_xlsx_group"
MAX_LIMIT: Final = 10_000


class Channel(enum.StrEnum):
    """Where an export or a view was shown."""

    PRIVATE = "pribadi"
    GROUP = "grup"
    CLI = "cli"


class ExportForm(enum.StrEnum):
    """The form of an export."""

    XLSX = "xlsx"
    TABLE = "tabel"
    JSON = "json"
    EVIDENCE_ZIP = "zip_bukti"
    DOCX = "docx"  # the SKM report, to edit
    PDF = "pdf"  # the IKU table to sign, the SKM report to print


_EXPORT_ACTIONS: Final = {
    ExportForm.XLSX: "export_xlsx",
    ExportForm.TABLE: "export_table",
    ExportForm.JSON: "export_json",
    ExportForm.EVIDENCE_ZIP: "export_evidence_zip",
    ExportForm.DOCX: "export_docx",
    ExportForm.PDF: "export_pdf",
}


def export_action(form: ExportForm, channel: Channel) -> str:
    """The action name of an export: export_xlsx, export_xlsx_group, export_table, ..."""
    if channel is Channel.GROUP:
        return EXPORT_GROUP
    return _EXPORT_ACTIONS[form]


class CaseView(enum.StrEnum):
    """Which display of a case's details was asked for."""

    CARD = "kartu"
    HISTORY = "riwayat"
    MEDIA = "foto_lokasi"


def actor_of(user: User | None) -> str:
    """``tg:<Telegram id>`` of a user; ``cli`` for the operator at the command line."""
    return "cli" if user is None else f"tg:{user.telegram_id}"


def record_export(
    uow: UnitOfWork,
    *,
    user: User | None,
    channel: Channel,
    kecamatan: Kecamatan,
    period: Period,
    form: ExportForm,
    contents: dict[str, Any],
    at: datetime,
    requested_in: Channel | None = None,
    entity: str = "laporan_iku",
) -> None:
    """One audit entry for an export (``user`` None: the operator). The caller commits.

    ``requested_in`` is where it was asked for when that differs from where it went
    (the detailed workbook sent privately after an admin's /ekspor in a group).
    """
    if (user is None) != (channel is Channel.CLI):
        raise ValueError("an export is by a user in a chat, or by the operator at the CLI")
    detail: dict[str, Any] = {
        "saluran": channel.value,
        "bentuk": form.value,
        "mulai": period.start.isoformat(),
        "sampai": period.end.isoformat(),
        "isi": contents,
    }
    if requested_in is not None and requested_in is not channel:
        detail["diminta_di"] = requested_in.value
    uow.audit.record(
        actor=actor_of(user),
        action=export_action(form, channel),
        entity=entity,
        entity_id=f"{kecamatan.kode}/{period.start.isoformat()}/{period.end.isoformat()}",
        detail=detail,
        user_id=None if user is None else user.id,
        at=at,
    )


def record_case_view(
    uow: UnitOfWork,
    *,
    user: User,
    incident: Incident,
    via: CaseView,
    channel: Channel,
    at: datetime,
) -> None:
    """One audit entry for a display of a case's details. The caller commits."""
    uow.audit.record(
        actor=actor_of(user),
        action=VIEW_CASE,
        entity="incident",
        entity_id=incident.nomor,
        detail={"saluran": channel.value, "lewat": via.value, "jenis": incident.kind.value},
        user_id=user.id,
        at=at,
    )


def view_case(
    uow: UnitOfWork,
    *,
    user: User | None,
    incident: Incident,
    via: CaseView,
    channel: Channel,
    at: datetime,
    to_follow_up: bool = False,
) -> User:
    """Let ``user`` see a case's details, and record that they did. The caller commits.

    Its reporter and who follows it up may see it; the card with its status buttons
    (``to_follow_up``) only who follows it up. :class:`Forbidden` otherwise, with
    nothing recorded.
    """
    if to_follow_up:
        viewer = require_follow_up(user, incident.kind, incident.kecamatan_id)
    else:
        viewer = require_view_case(user, incident.kind, incident.kecamatan_id, incident.reporter_id)
    record_case_view(uow, user=viewer, incident=incident, via=via, channel=channel, at=at)
    return viewer


# -- the listing -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Filters of the audit log; None: not filtered.

    ``person`` is a user id or a Telegram id; ``since`` and ``until`` are office days
    (both included); ``action`` a name or its beginning.
    """

    person: int | None = None
    since: date | None = None
    until: date | None = None
    action: str | None = None
    limit: int = 100


@dataclass(frozen=True, slots=True)
class AuditListing:
    """The entries found (newest first), the names of their users, and whether more exist."""

    entries: list[AuditLogEntry]
    names: dict[int, str]
    more: bool
    people: list[User]  # the users ``person`` named (empty without that filter)


def _start_of(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=tz)


def audit_log(uow: UnitOfWork, query: AuditQuery, *, tz: tzinfo) -> AuditListing:
    """The entries matching ``query``, newest first, at most ``query.limit`` (read-only).

    ``person`` matches the entries of the user with that id and of the user with that
    Telegram id (also those written under ``tg:<id>``); a number that is neither is
    refused, so that a mistyped id does not look like a clean record.
    """
    if not 1 <= query.limit <= MAX_LIMIT:
        raise InvalidInput(f"Batas harus 1 sampai {MAX_LIMIT}.")
    if query.since is not None and query.until is not None and query.since > query.until:
        raise InvalidInput(
            f"Tanggal --dari ({query.since.isoformat()}) sesudah --sampai "
            f"({query.until.isoformat()})."
        )
    user_ids: frozenset[int] | None = None
    actors: frozenset[str] | None = None
    people: list[User] = []
    if query.person is not None:
        found = [uow.users.get(query.person), uow.users.get_by_telegram_id(query.person)]
        people = list({u.id: u for u in found if u is not None}.values())
        if not people:
            raise InvalidInput(
                f"Tidak ada pengguna dengan ID {query.person} maupun ID Telegram {query.person}."
            )
        user_ids = frozenset(u.id for u in people)
        actors = frozenset(actor_of(u) for u in people)
    since = None if query.since is None else _start_of(query.since, tz)
    before = None if query.until is None else _start_of(query.until + timedelta(days=1), tz)
    prefix = None if query.action is None else query.action.strip().lower() or None
    entries = uow.audit.entries(
        user_ids=user_ids,
        actors=actors,
        since=since,
        before=before,
        action_prefix=prefix,
        limit=query.limit + 1,
    )
    more = len(entries) > query.limit
    entries = entries[: query.limit]
    names: dict[int, str] = {}
    for entry in entries:
        if entry.user_id is not None and entry.user_id not in names:
            person = uow.users.get(entry.user_id)
            names[entry.user_id] = person.nama if person is not None else "-"
    return AuditListing(entries, names, more, people)
