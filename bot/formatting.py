"""Domain objects to short Indonesian HTML texts (user text is always escaped)."""

from __future__ import annotations

import html
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot import texts
from bot.reports.iku import fmt_date_id, fmt_datetime_id
from domain.incidents import category_label
from domain.models import Desa, Incident, IncidentEvent, IncidentStatus, Role, Seksi, User
from domain.registration import STATUS_LABEL

__all__ = [
    "h",
    "role_text",
    "role_label",
    "user_line",
    "STATUS_TEXT",
    "fmt_day",
    "fmt_moment",
    "incident_text",
    "history_text",
]


def h(text: object) -> str:
    """Escape anything for Telegram HTML."""
    return html.escape(str(text), quote=False)


def role_text(role: Role, seksi: Seksi | None = None, desa: Desa | None = None) -> str:
    """'Admin', 'Staf Seksi Ketenteraman dan Ketertiban Umum', 'Perangkat Desa Larangan Luar'."""
    if role is Role.ADMIN:
        return "Admin"
    if role is Role.ADMIN_KABUPATEN:
        return "Admin Kabupaten"
    if role is Role.STAF_SEKSI:
        return f"Staf {seksi.full_name}" if seksi else "Staf seksi"
    return f"Perangkat Desa {desa.nama}" if desa else "Perangkat desa"


def role_label(user: User, desa: Desa | None = None) -> str:
    """A registered user's role (``desa``: the perangkat desa's own)."""
    return role_text(user.role, user.seksi, desa)


def user_line(user: User, desa: Desa | None = None) -> str:
    """Name, position, role and status on one line."""
    return (
        f"{h(user.nama)} - {h(user.jabatan)} ({h(role_label(user, desa))}, "
        f"{STATUS_LABEL[user.status]})"
    )


STATUS_TEXT: dict[IncidentStatus, str] = {
    IncidentStatus.BARU: "Baru",
    IncidentStatus.DIPROSES: "Diproses",
    IncidentStatus.TERTANGANI: "Tertangani",
}


def fmt_day(day: date) -> str:
    """'5 November 2026'."""
    return fmt_date_id(day)


def fmt_moment(moment: datetime, tz: ZoneInfo) -> str:
    """'5 November 2026 14.05 WIB' on the office clock."""
    return fmt_datetime_id(moment.astimezone(tz))


def incident_text(
    incident: Incident, desa: Desa | None, tz: ZoneInfo, reporter: User | None = None
) -> str:
    """The report as a card: number, kind, desa, date, category, description, status."""
    lines = [
        f"<b>{h(incident.nomor)}</b> - {h(incident.kind.label)}",
        f"Desa: {h(desa.nama if desa else '-')}",
        f"Tanggal kejadian: {fmt_day(incident.event_date)}",
    ]
    if incident.stage is not None:
        lines.append(
            f"Tahap: {'Potensi konflik' if incident.stage.value == 'potensi' else 'Terjadi'}"
        )
    lines.append(
        f"Kategori: {h(category_label(incident.kind, incident.category, incident.category_detail))}"
    )
    lines.append(f"Uraian: {h(incident.description)}")
    if incident.latitude is not None and incident.longitude is not None:
        lines.append(f"Lokasi: {incident.latitude:.5f}, {incident.longitude:.5f}")
    if incident.photo_file_ids:
        lines.append(f"Foto: {len(incident.photo_file_ids)}")
    if reporter is not None:
        lines.append(f"Pelapor: {h(reporter.nama)} ({h(reporter.jabatan)})")
    lines.append(f"Diterima: {fmt_moment(incident.received_at, tz)}")
    if incident.late_entry:
        lines.append(texts.LATE_ENTRY_MARK)
    if incident.voided:
        lines.append(texts.VOIDED_MARK)
    lines.append(f"Status: <b>{STATUS_TEXT[incident.status]}</b>")
    return "\n".join(lines)


def history_text(
    incident: Incident, events: list[IncidentEvent], names: dict[int, str], tz: ZoneInfo
) -> str:
    """The follow-up history of a case, oldest first, under the case's number and kind."""
    lines = [f"<b>Riwayat {h(incident.nomor)}</b> ({h(incident.kind.label)})"]
    for event in events:
        who = names.get(event.user_id or 0, "-")
        proof = " (dengan foto bukti)" if event.photo_file_id else ""
        lines.append(
            f"- {fmt_moment(event.created_at, tz)}: {STATUS_TEXT[event.to_status]} oleh "
            f"{h(who)}: {h(event.note)}{proof}"
        )
    return "\n".join(lines)
