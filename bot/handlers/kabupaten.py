"""/ringkasan and /ekspor of an admin kabupaten: the kabupaten recap in chat and as Excel.

bot/handlers/reports.py owns both commands and hands an admin kabupaten over here:
- ``/ringkasan [tahun [semester N | triwulan N]]``: the recap table (every kecamatan
  side by side, the kabupaten's totals) as monospaced text; the year to date by default.
- ``/ringkasan <kode kecamatan> [periode]``: the IKU table of one kecamatan of the
  kabupaten (another kabupaten's is refused).
- ``/ekspor [periode]``: the recap as one printable sheet (bot.reports.kabupaten).
Both are aggregates only, so they are the same in a group as in private; every recap
handed out is audited per kecamatan (domain.kabupaten_admin.audited_recap).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot import texts
from bot.conversation import Ctx
from bot.formatting import h
from bot.reports.iku import fmt_date_id
from domain.audit import Channel, ExportForm
from domain.documents import PAPER_SIZES
from domain.errors import InvalidInput
from domain.kabupaten import KabupatenRecap
from domain.kabupaten_admin import audited_recap
from domain.models import Kecamatan, Role, User, UserStatus
from domain.period import Period
from domain.permissions import Action, require, require_kecamatan_view
from domain.report import IkuReport, iku_report

__all__ = ["MAX_MESSAGE", "check_own", "is_kabupaten_admin", "kecamatan_arg", "ringkasan", "ekspor"]

MAX_MESSAGE = 4000  # Telegram allows 4096 characters; room for the <pre> tags
_KECAMATAN_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}")


def is_kabupaten_admin(user: User | None) -> bool:
    """Whether /ringkasan and /ekspor serve ``user`` the kabupaten recap."""
    return (
        user is not None and user.role is Role.ADMIN_KABUPATEN and user.status is UserStatus.ACTIVE
    )


def kecamatan_arg(args: list[str]) -> tuple[str | None, list[str]]:
    """A leading kecamatan code (``35.28.08``) and the rest (the period)."""
    if args and _KECAMATAN_CODE.fullmatch(args[0]):
        return args[0], args[1:]
    return None, args


def _channel(ctx: Ctx) -> Channel:
    return Channel.GROUP if ctx.request.incoming.in_group else Channel.PRIVATE


def _chunks(text: str) -> list[str]:
    """Whole lines, at most :data:`MAX_MESSAGE` characters (escaped) per message."""
    parts: list[str] = []
    current = ""
    for line in text.splitlines():
        candidate = f"{current}\n{line}" if current else line
        if len(h(candidate)) > MAX_MESSAGE and current:
            parts.append(current)
            candidate = line
        current = candidate
    if current:
        parts.append(current)
    return parts


def _kecamatan(ctx: Ctx, code: str) -> Kecamatan:
    kecamatan = ctx.uow.kecamatan.get_by_code(code)
    if kecamatan is None:
        raise InvalidInput(texts.KABADM_UNKNOWN_KECAMATAN.format(kode=h(code)))
    return kecamatan


def _recap(ctx: Ctx, user: User | None, period: Period, form: ExportForm) -> KabupatenRecap:
    """The kabupaten recap of ``user``'s kabupaten, audited as handed out in ``form``."""
    return audited_recap(
        ctx.uow,
        user=user,
        home=ctx.kecamatan,
        period=period,
        now=ctx.now,
        channel=_channel(ctx),
        form=form,
    )


def check_own(ctx: Ctx, code: str) -> None:
    """``/ringkasan <kode>`` of a kecamatan user: their own kecamatan only (else refused)."""
    require_kecamatan_view(ctx.user, ctx.kecamatan, _kecamatan(ctx, code))


def ringkasan(
    ctx: Ctx, code: str | None, period: Period, render: Callable[[IkuReport], str]
) -> None:
    """The recap table, or (``code``) one kecamatan's IKU table rendered by ``render``."""
    user = require(ctx.user, Action.VIEW_KABUPATEN)
    if code is not None:
        kecamatan = _kecamatan(ctx, code)
        require_kecamatan_view(user, ctx.kecamatan, kecamatan)
        report = iku_report(ctx.uow, kecamatan_code=kecamatan.kode, period=period, now=ctx.now)
        ctx.say(render(report))
        return
    recap = _recap(ctx, user, period, ExportForm.TABLE)
    from bot.reports.kabupaten import recap_text  # the workbook library is heavy

    for part in _chunks(recap_text(recap)):
        ctx.say(f"<pre>{h(part)}</pre>")


def _file_name(kabupaten: Kecamatan, period: Period) -> str:
    nama = re.sub(r"[^A-Za-z0-9]+", "-", kabupaten.kabupaten).strip("-") or "Kabupaten"
    return f"Rekap-IKU-Kabupaten-{nama}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"


def ekspor(ctx: Ctx, period: Period) -> None:
    """The recap of a period as one printable Excel sheet, here (a group too)."""
    user = require(ctx.user, Action.VIEW_KABUPATEN)
    recap = _recap(ctx, user, period, ExportForm.XLSX)
    from bot.reports.kabupaten import recap_workbook

    content = recap_workbook(recap, PAPER_SIZES[ctx.services.settings.paper_size])
    message = ctx.say(
        texts.KABADM_EXPORT_CAPTION.format(
            kabupaten=h(recap.nama),
            jumlah=len(recap.kecamatan),
            mulai=fmt_date_id(period.start),
            sampai=fmt_date_id(period.end),
        )
    )
    message.document = (_file_name(ctx.kecamatan, period), content)
