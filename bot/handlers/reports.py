"""/ringkasan (the IKU table in chat) and /ekspor (the full report as an Excel file).

Both use the same use cases as ``iku-bot report``, for admins and staf seksi, in
private chats (and in groups, for bot admins). /ringkasan is the year to date;
/ekspor takes an optional period: ``/ekspor 2026``, ``/ekspor 2026 semester 1``
(``s1``), ``/ekspor 2026 triwulan 3`` (``tw3``, ``triwulan III``); without one, the
year to date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from bot import texts
from bot.conversation import CommandSpec, Ctx, Registry
from bot.formatting import h
from bot.reports.iku import fmt_amount, fmt_date_id, fmt_datetime_id, fmt_decimal
from bot.reports.workbook import no_events, report_workbook, workbook_name
from domain.errors import InvalidInput
from domain.export import export_data
from domain.period import Period
from domain.permissions import Action, require
from domain.report import IkuReport, iku_report

__all__ = ["export_period", "register", "summary_html", "year_to_date_report"]


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
    """The IKU table, year to date."""
    require(ctx.user, Action.VIEW_SUMMARY)
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


def _ekspor(ctx: Ctx, args: list[str]) -> None:
    """The full IKU report of a period (year to date by default) as an Excel document."""
    require(ctx.user, Action.VIEW_SUMMARY)
    period = export_period(args, ctx.now.date())
    data = export_data(ctx.uow, kecamatan_code=ctx.kecamatan.kode, period=period, now=ctx.now)
    report = data.report
    message = ctx.say(
        texts.EXPORT_FULL_CAPTION.format(
            kecamatan=h(report.kecamatan.nama),
            mulai=fmt_date_id(report.period.start),
            sampai=fmt_date_id(report.period.end),
        )
    )
    message.document = (workbook_name(report), report_workbook(data, ctx.services.settings.tz))


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
            )
        )
