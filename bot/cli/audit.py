"""``iku-bot audit``: the audit log as a readable Indonesian table, or as a CSV file.

Filters (all optional, combined): ``--pengguna`` a user id or Telegram id, ``--dari`` and
``--sampai`` office days (WIB, both included), ``--aksi`` an action name or its
beginning (``export`` lists every export, ``view_case`` every view of a case), and
``--batas`` how many of the newest entries (100 unless told). Times are shown on the
office clock.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, Final

from bot.reports.iku import fmt_datetime_id
from bot.runtime import Runtime
from domain.audit import MAX_LIMIT, AuditListing, AuditQuery, audit_log
from domain.errors import InvalidInput
from domain.ports import AuditLogEntry

__all__ = ["add_audit_parser", "cmd_audit", "audit_table", "audit_csv", "DEFAULT_LIMIT"]

DEFAULT_LIMIT: Final = 100
_ACTION = re.compile(r"[a-z][a-z0-9_]*")
CSV_HEADERS: Final = (
    "waktu",
    "id_pengguna",
    "nama",
    "aktor",
    "aksi",
    "objek",
    "id_objek",
    "rincian",
)


def _person(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"pengguna harus ID pengguna atau ID Telegram (bilangan bulat): {text!r}"
        ) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(
            f"ID pengguna atau ID Telegram harus lebih dari 0: {value}"
        )
    return value


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal harus berformat YYYY-MM-DD: {text!r}") from None


def _action(text: str) -> str:
    value = text.strip().lower()
    if not _ACTION.fullmatch(value):
        raise argparse.ArgumentTypeError(
            f"nama aksi hanya huruf kecil, angka dan garis bawah, mis. export atau "
            f"view_case: {text!r}"
        )
    return value


def _limit(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"batas harus bilangan bulat: {text!r}") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"batas harus 1 sampai {MAX_LIMIT}: {value}")
    return value


def add_audit_parser(sub: Any) -> None:
    """The ``audit`` command of the ``iku-bot`` parser (``sub``: its subparsers)."""
    parser = sub.add_parser(
        "audit", help="log audit: siapa mengekspor laporan, membuka rincian kasus, mengubah data"
    )
    parser.add_argument(
        "--pengguna",
        type=_person,
        metavar="ID",
        help="ID pengguna atau ID Telegram orang yang dicari",
    )
    parser.add_argument(
        "--dari", type=_day, metavar="TANGGAL", help="sejak tanggal ini (YYYY-MM-DD, WIB)"
    )
    parser.add_argument(
        "--sampai", type=_day, metavar="TANGGAL", help="sampai tanggal ini (YYYY-MM-DD, WIB)"
    )
    parser.add_argument(
        "--aksi",
        type=_action,
        metavar="AKSI",
        help="nama aksi atau awalnya, mis. export (semua ekspor) atau view_case",
    )
    parser.add_argument(
        "--batas",
        type=_limit,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"paling banyak N entri terbaru (bawaan: {DEFAULT_LIMIT})",
    )
    parser.add_argument(
        "--csv", type=Path, metavar="BERKAS", help="menulis entrinya ke berkas CSV ini"
    )


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {_value(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if value is None:
        return "-"
    return str(value)


def _detail(entry: AuditLogEntry) -> str:
    """The detail as 'key: value; ...' (nested counts inline)."""
    if not entry.detail:
        return "-"
    return "; ".join(f"{key}: {_value(value)}" for key, value in entry.detail.items())


def _who(entry: AuditLogEntry, listing: AuditListing) -> str:
    if entry.user_id is not None:
        return f"{listing.names.get(entry.user_id, '-')} (#{entry.user_id}, {entry.actor})"
    return entry.actor


def _when(entry: AuditLogEntry, tz: tzinfo) -> str:
    return fmt_datetime_id(entry.created_at.astimezone(tz))


def _filters(query: AuditQuery, listing: AuditListing) -> str:
    parts = []
    if query.person is not None:
        people = ", ".join(f"{u.nama} (#{u.id}, Telegram {u.telegram_id})" for u in listing.people)
        parts.append(f"pengguna {people}")
    if query.since is not None:
        parts.append(f"dari {query.since.isoformat()}")
    if query.until is not None:
        parts.append(f"sampai {query.until.isoformat()}")
    if query.action is not None:
        parts.append(f"aksi {query.action}*")
    return "; ".join(parts) if parts else "tanpa saringan"


def audit_table(listing: AuditListing, query: AuditQuery, tz: tzinfo) -> str:
    """The entries as a text table, newest first, with a title and a closing line."""
    lines = [f"Log audit ({_filters(query, listing)}), terbaru dahulu:"]
    if not listing.entries:
        lines.append("Tidak ada entri yang cocok.")
        return "\n".join(lines) + "\n"
    rows = [
        (
            _when(e, tz),
            _who(e, listing),
            e.action,
            f"{e.entity} {e.entity_id}" if e.entity_id else e.entity,
            _detail(e),
        )
        for e in listing.entries
    ]
    zone = "WIB"
    if listing.entries:
        zone = fmt_datetime_id(listing.entries[0].created_at.astimezone(tz)).rsplit(" ", 1)[-1]
    headers = (f"Waktu ({zone})", "Pengguna", "Aksi", "Objek", "Rincian")
    widths = [max(len(headers[i]), *(len(r[i]) for r in rows)) for i in range(4)]
    lines.append(
        "  ".join(h.ljust(w) for h, w in zip(headers[:4], widths, strict=True)) + "  " + headers[4]
    )
    lines.append("-" * (sum(widths) + 2 * 4 + len(headers[4])))
    for row in rows:
        lines.append(
            "  ".join(c.ljust(w) for c, w in zip(row[:4], widths, strict=True)) + "  " + row[4]
        )
    count = len(listing.entries)
    lines.append("")
    if listing.more:
        lines.append(
            f"{count} entri terbaru ditampilkan; masih ada entri lain yang cocok: perbesar "
            f"--batas (sekarang {query.limit}) atau persempit saringannya."
        )
    else:
        lines.append(f"{count} entri.")
    return "\n".join(lines) + "\n"


def audit_csv(listing: AuditListing, tz: tzinfo) -> bytes:
    """The entries as CSV (UTF-8 with BOM, for spreadsheets); times with their offset."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for e in listing.entries:
        local: datetime = e.created_at.astimezone(tz)
        writer.writerow(
            [
                local.isoformat(timespec="seconds"),
                "" if e.user_id is None else e.user_id,
                "" if e.user_id is None else listing.names.get(e.user_id, ""),
                e.actor,
                e.action,
                e.entity,
                e.entity_id or "",
                "" if e.detail is None else json.dumps(e.detail, ensure_ascii=False),
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def cmd_audit(runtime: Runtime, args: argparse.Namespace) -> int:
    """Print the audit log, or write it to a CSV file."""
    query = AuditQuery(
        person=args.pengguna,
        since=args.dari,
        until=args.sampai,
        action=args.aksi,
        limit=args.batas,
    )
    target: Path | None = args.csv
    if target is not None:
        if not target.parent.is_dir():
            raise InvalidInput(f"Folder {target.parent} tidak ada.")
        if target.is_dir():
            raise InvalidInput(
                f"{target} adalah folder. Tulis nama berkas, mis. {target}/audit.csv."
            )
    tz = runtime.settings.tz
    with runtime.uow() as uow:
        listing = audit_log(uow, query, tz=tz)
    if target is None:
        print(audit_table(listing, query, tz), end="")
        return 0
    # Imported here: bot.cli.commands imports this module to register the command.
    from bot.cli.options import write_atomically

    write_atomically(target, audit_csv(listing, tz))
    more = " (masih ada entri lain: perbesar --batas)" if listing.more else ""
    print(f"{len(listing.entries)} entri log audit ditulis ke {target}{more}.")
    return 0
