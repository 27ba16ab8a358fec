"""/ringkasan (the IKU table in chat) and /ekspor (the full report as an Excel file).

An admin kabupaten gets the kabupaten recap instead (bot/handlers/kabupaten.py).

Both use the same use cases as ``iku-bot report``, for admins and staf seksi, in
private chats (and in groups, for bot admins). /ringkasan is the year to date;
/ekspor takes an optional period: ``/ekspor 2026``, ``/ekspor 2026 semester 1``
(``s1``), ``/ekspor 2026 triwulan 3`` (``tw3``, ``triwulan III``); without one, the
year to date.

/ekspor holds what its asker may see (domain.export): in a private chat, the workbook
of that person; in a group, the aggregate workbook for everyone there, and the
admin's detailed one in his private chat. Whether the bot may write to him there is
asked of Telegram first (a chat action "sending a file"): someone who never started
the bot is told so in the group instead. /ringkasan shows the IKU table only, the
same everywhere. Every workbook handed out is an audit entry.
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Sequence
from datetime import date

from telegram import Bot
from telegram.constants import ChatAction
from telegram.error import BadRequest, TelegramError
from telegram.error import Forbidden as TelegramForbidden

from bot import texts
from bot.conversation import Button, CommandSpec, Ctx, Registry
from bot.formatting import h
from bot.handlers import kabupaten
from bot.reports.iku import fmt_amount, fmt_date_id, fmt_datetime_id, fmt_decimal
from bot.reports.office import to_pdf
from bot.reports.printing import setup_for
from bot.reports.workbook import no_events, report_workbook, workbook_name
from domain.audit import Channel, ExportForm
from domain.errors import InvalidInput
from domain.export import ExportData, Viewer, export_report
from domain.period import Period
from domain.permissions import Action, require
from domain.report import IkuReport, iku_report

__all__ = ["PrivateReach", "export_period", "register", "summary_html", "year_to_date_report"]

log = logging.getLogger(__name__)


def year_to_date_report(ctx: Ctx) -> IkuReport:
    """The IKU of the user's kecamatan from 1 January to today (office clock)."""
    return iku_report(
        ctx.uow,
        kecamatan_code=ctx.kecamatan.kode,
        period=Period.year_to_date(ctx.now.date()),
        now=ctx.now,
    )


def summary_html(report: IkuReport) -> str:
    """The five indicators, compact, as Telegram HTML (well under 4096 characters)."""
    period = report.period
    parts = [
        texts.SUMMARY_HEADER.format(
            kecamatan=h(report.kecamatan.nama),
            mulai=fmt_date_id(period.start),
            sampai=fmt_date_id(period.end),
        )
    ]
    for row in report.rows:
        realisasi = (
            texts.SUMMARY_NO_EVENTS if no_events(report, row) else fmt_amount(row, row.realisasi)
        )
        capaian = "-" if row.capaian is None else fmt_decimal(row.capaian, 2) + "%"
        lines = [
            texts.SUMMARY_ROW.format(
                nomor=row.definition.number,
                indikator=h(row.definition.indikator),
                realisasi=realisasi,
                target=fmt_amount(row, row.target),
                capaian=capaian,
            )
        ]
        if row.keterangan:
            lines.append(f"<i>{h(row.keterangan)}</i>")
        parts.append("\n".join(lines))
    moment = report.generated_at
    parts.append(texts.SUMMARY_FOOTER.format(waktu=fmt_datetime_id(moment)))
    return "\n\n".join(parts)


def _ringkasan(ctx: Ctx, args: list[str]) -> None:
    """The IKU table, year to date (an admin kabupaten: the kabupaten recap)."""
    if kabupaten.is_kabupaten_admin(ctx.user):
        code, rest = kabupaten.kecamatan_arg(args)
        kabupaten.ringkasan(ctx, code, export_period(rest, ctx.now.date()), summary_html)
        return
    require(ctx.user, Action.VIEW_SUMMARY)
    code, _ = kabupaten.kecamatan_arg(args)
    if code is not None:  # another kecamatan's table is the kabupaten's to read
        kabupaten.check_own(ctx, code)
    ctx.say(summary_html(year_to_date_report(ctx)))


# Case-insensitive, spaces ignored: "semester 1", "Semester1", "sem 2", "smt 1", "s1";
# "triwulan 3", "tw3", "TW 3", "tri 2", "kuartal 4", "q1"; numbers also in Roman numerals.
_SEMESTER = re.compile(r"(?:semester|smt|sem|s)([0-9]+|[ivx]+)")
_QUARTER = re.compile(r"(?:triwulan|kuartal|tri|tw|q)([0-9]+|[ivx]+)")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}


def _part_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _ROMAN.get(text)


def export_period(args: Sequence[str], today: date) -> Period:
    """The period of ``/ekspor [tahun] [semester N | triwulan N]``; InvalidInput if unclear."""
    if not args:
        return Period.year_to_date(today)
    year_text, *rest = args
    if not (year_text.isascii() and year_text.isdigit() and len(year_text) == 4) or not (
        2000 <= int(year_text) <= 2100
    ):
        raise InvalidInput(texts.EXPORT_BAD_YEAR.format(teks=year_text))
    year = int(year_text)
    period = Period.year(year)
    if rest:
        part = "".join(rest).lower()
        semester = _SEMESTER.fullmatch(part)
        quarter = _QUARTER.fullmatch(part)
        found = semester or quarter
        number = None if found is None or len(rest) > 2 else _part_number(found.group(1))
        if found is None or number is None:
            raise InvalidInput(texts.EXPORT_BAD_PART.format(teks=" ".join(rest)))
        if semester is not None:
            if number not in (1, 2):
                raise InvalidInput(texts.EXPORT_BAD_SEMESTER.format(nomor=number))
            period = Period.semester(year, number)
        else:
            if number not in (1, 2, 3, 4):
                raise InvalidInput(texts.EXPORT_BAD_QUARTER.format(nomor=number))
            period = Period.quarter(year, number)
    if period.start > today:
        raise InvalidInput(texts.EXPORT_NOT_STARTED.format(mulai=fmt_date_id(period.start)))
    return period


class PrivateReach(enum.Enum):
    """Whether the bot may write to the sender of a group command in private."""

    YES = "yes"
    NO = "no"  # never started the bot, or blocked it
    UNKNOWN = "unknown"  # Telegram could not be asked: try (the outbox retries)


async def private_reach(bot: Bot, chat_id: int, sender_id: int) -> PrivateReach:
    """The precheck of /ekspor in a group: a chat action in the sender's private chat."""
    try:
        await bot.send_chat_action(sender_id, ChatAction.UPLOAD_DOCUMENT)
    except TelegramForbidden:  # never started the bot, or blocked it
        return PrivateReach.NO
    except BadRequest as error:  # a person the bot has never talked to
        if "chat not found" in error.message.lower():
            return PrivateReach.NO
        log.warning("Chat pribadi %s tidak dapat diperiksa: %s", sender_id, error)
        return PrivateReach.UNKNOWN
    except TelegramError as error:
        log.warning("Chat pribadi %s tidak dapat diperiksa: %s", sender_id, error)
        return PrivateReach.UNKNOWN
    return PrivateReach.YES


def _attach(ctx: Ctx, data: ExportData, chat_id: int | None, text: str, name: str) -> None:
    """The workbook of ``data`` as a document here (``chat_id`` None) or to another chat."""
    message = ctx.say(text) if chat_id is None else ctx.notify(chat_id, text)
    settings = ctx.services.settings
    setup = setup_for(settings, data.report.kecamatan)
    message.document = (name, report_workbook(data, settings.tz, setup))


def _attach_pdf(ctx: Ctx, data: ExportData) -> None:
    """The signed IKU table of ``data`` as a one-page PDF (LibreOffice; else said in words)."""
    settings = ctx.services.settings
    setup = setup_for(settings, data.report.kecamatan)
    sheet = report_workbook(data, settings.tz, setup, sheets=(texts.WB_SHEET_IKU,))
    content = to_pdf(sheet, ".xlsx")  # OfficeUnavailable: explained, nothing committed
    message = ctx.say(texts.EXPORT_PDF_CAPTION.format(**_period_texts(data)))
    message.document = (workbook_name(data.report).removesuffix(".xlsx") + ".pdf", content)


def _period_texts(data: ExportData) -> dict[str, str]:
    report = data.report
    return {
        "kecamatan": h(report.kecamatan.nama),
        "mulai": fmt_date_id(report.period.start),
        "sampai": fmt_date_id(report.period.end),
    }


def _ekspor(ctx: Ctx, args: list[str]) -> None:
    """The full IKU report of a period (year to date by default) as an Excel document."""
    user = require(ctx.user, Action.VIEW_SUMMARY)
    assert user is not None
    pdf = bool(args) and args[-1].lower() == "pdf"
    if kabupaten.is_kabupaten_admin(user):  # the kabupaten recap (aggregates) instead
        if pdf:
            raise InvalidInput(texts.KABADM_NO_PDF)
        kabupaten.ekspor(ctx, export_period(args, ctx.now.date()))
        return
    period = export_period(args[:-1] if pdf else args, ctx.now.date())
    incoming = ctx.request.incoming

    def export(viewer: Viewer, requested_in: Channel | None = None) -> ExportData:
        return export_report(
            ctx.uow,
            viewer=viewer,
            kecamatan_code=ctx.kecamatan.kode,
            period=period,
            now=ctx.now,
            requested_in=requested_in,
            form=ExportForm.PDF if pdf else ExportForm.XLSX,
        )

    if pdf:  # the IKU table alone (aggregates only): here, in a group too
        data = export(Viewer.person(user, in_group=incoming.in_group))
        _attach_pdf(ctx, data)
        return

    if not incoming.in_group:
        data = export(Viewer.person(user, in_group=False))
        lines = [texts.EXPORT_FULL_CAPTION.format(**_period_texts(data))]
        shown = data.disclosure
        if shown.withheld:
            lines.append(texts.EXPORT_WITHHELD_CASES.format(jumlah=len(shown.withheld)))
        if shown.suggestions_withheld:
            lines.append(texts.EXPORT_WITHHELD_SARAN.format(jumlah=shown.suggestions_withheld))
        _attach(ctx, data, None, "\n".join(lines), workbook_name(data.report))
        return
    group = export(Viewer.person(user, in_group=True))
    name = workbook_name(group.report)
    caption = texts.EXPORT_GROUP_CAPTION.format(**_period_texts(group))
    _attach(ctx, group, None, caption, name.removesuffix(".xlsx") + "-ringkas.xlsx")
    if incoming.checked is PrivateReach.NO:
        link = f"https://t.me/{ctx.services.bot_username}"
        ctx.say(
            texts.EXPORT_GROUP_NOT_REACHABLE.format(nama=h(user.nama)),
            [[Button(texts.OPEN_PRIVATE, url=link)]],
        )
        return
    detailed = export(Viewer.person(user, in_group=False), requested_in=Channel.GROUP)
    text = texts.EXPORT_PRIVATE_FROM_GROUP.format(
        grup=h(incoming.chat_title or str(ctx.chat_id)), **_period_texts(detailed)
    )
    _attach(ctx, detailed, user.telegram_id, text, name)
    ctx.say(texts.EXPORT_GROUP_SENT_PRIVATELY.format(nama=h(user.nama)))


def register(registry: Registry) -> None:
    """/ringkasan and /ekspor."""
    for name, handler, description in (
        ("ringkasan", _ringkasan, texts.SUMMARY_COMMAND),
        ("ekspor", _ekspor, texts.EXPORT_FULL_COMMAND),
    ):
        registry.command(
            CommandSpec(
                name,
                handler,
                description,
                private_only=False,
                group_admin=True,
                action=Action.VIEW_SUMMARY,
                precheck=private_reach if name == "ekspor" else None,
            )
        )
