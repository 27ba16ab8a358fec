"""/ringkasan (the IKU table in chat) and /ekspor (the same table as an Excel file).

Both compute the year to date through the same use case as ``iku-bot report``, for
admins and staf seksi, in private chats (and in groups, for bot admins).
"""

from __future__ import annotations

from bot import texts
from bot.dialog import Ctx
from bot.engine import CommandSpec, Registry
from bot.export import iku_workbook, no_events, workbook_name
from bot.formatting import h
from bot.reporting import fmt_amount, fmt_date_id, fmt_decimal
from domain.period import Period
from domain.permissions import Action, require
from domain.report import IkuReport, iku_report

__all__ = ["register", "summary_html", "year_to_date_report"]


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
    parts.append(texts.SUMMARY_FOOTER.format(waktu=f"{fmt_date_id(moment.date())} {moment:%H.%M}"))
    return "\n\n".join(parts)


def _ringkasan(ctx: Ctx, args: list[str]) -> None:
    """The IKU table, year to date."""
    require(ctx.user, Action.VIEW_SUMMARY)
    ctx.say(summary_html(year_to_date_report(ctx)))


def _ekspor(ctx: Ctx, args: list[str]) -> None:
    """The IKU table, year to date, as an Excel document."""
    require(ctx.user, Action.VIEW_SUMMARY)
    report = year_to_date_report(ctx)
    message = ctx.say(
        texts.EXPORT_CAPTION.format(
            kecamatan=h(report.kecamatan.nama),
            mulai=fmt_date_id(report.period.start),
            sampai=fmt_date_id(report.period.end),
        )
    )
    message.document = (workbook_name(report), iku_workbook(report))


def register(registry: Registry) -> None:
    """/ringkasan and /ekspor."""
    for name, handler, description in (
        ("ringkasan", _ringkasan, texts.SUMMARY_COMMAND),
        ("ekspor", _ekspor, texts.EXPORT_COMMAND),
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
