"""/laporanskm [TAHUN] [S1|S2|TW1..TW4] [pdf]: the SKM report of a period as a Word document
(or, with "pdf", its PDF through LibreOffice).

For admins of the kecamatan, in a private chat. The document goes through the
outbox with its audit entry (an export, ``export_docx``) in the same transaction.
Without a year: the current year; without a part: the whole year.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from bot import texts
from bot.conversation import CommandSpec, Ctx, Registry
from bot.formatting import h
from bot.reports.iku import fmt_date_id
from bot.reports.printing import setup_for
from bot.reports.skm_report import docx_to_pdf, report_name, skm_docx
from domain.audit import ExportForm
from domain.errors import InvalidInput
from domain.export import Viewer
from domain.models import Role, UserStatus
from domain.period import Period
from domain.permissions import Action, Forbidden, require
from domain.skm_report import skm_report

__all__ = ["register", "report_period"]

_PART = re.compile(r"(s|tw)([0-9])")


def report_period(args: Sequence[str], today: date) -> Period:
    """The period of ``/laporanskm [TAHUN] [S1|S2|TW1..TW4]``; InvalidInput if unclear."""
    if len(args) > 2:
        raise InvalidInput(texts.SKMR_BAD_ARGS.format(teks=h(" ".join(args))))
    year = today.year
    rest = list(args)
    if rest and rest[0].isascii() and rest[0].isdigit():
        text = rest.pop(0)
        if len(text) != 4 or not 2000 <= int(text) <= 2100:
            raise InvalidInput(texts.SKMR_BAD_ARGS.format(teks=h(text)))
        year = int(text)
    if not rest:
        return Period.year(year)
    found = _PART.fullmatch(rest[0].lower())
    if len(rest) > 1 or found is None:
        raise InvalidInput(texts.SKMR_BAD_ARGS.format(teks=h(" ".join(rest))))
    number = int(found.group(2))
    if found.group(1) == "s" and number in (1, 2):
        return Period.semester(year, number)
    if found.group(1) == "tw" and number in (1, 2, 3, 4):
        return Period.quarter(year, number)
    raise InvalidInput(texts.SKMR_BAD_ARGS.format(teks=h(rest[0])))


def _laporanskm(ctx: Ctx, args: list[str]) -> None:
    """The SKM report of a period as a .docx document."""
    user = ctx.user
    if user is None or user.status is not UserStatus.ACTIVE:
        require(user, Action.MANAGE_USERS)  # the usual refusal: register, or wait
    assert user is not None
    if user.role is not Role.ADMIN:
        raise Forbidden(texts.SKMR_ADMIN_ONLY)
    pdf = bool(args) and args[-1].lower() == "pdf"
    period = report_period(args[:-1] if pdf else args, ctx.now.date())
    data = skm_report(
        ctx.uow,
        viewer=Viewer.person(user, in_group=False),
        kecamatan_code=ctx.kecamatan.kode,
        period=period,
        now=ctx.now,
        form=ExportForm.PDF if pdf else ExportForm.DOCX,
        kegiatan=texts.SKMR_RTL_KEGIATAN,
        penanggung_jawab=texts.SKMR_RTL_PJ,
    )
    settings = ctx.services.settings
    kec = data.export.report.kecamatan
    setup = setup_for(settings, kec)
    content = skm_docx(data, signer=setup.signer, paper=setup.paper, signed_on=ctx.now.date())
    if pdf:  # LibreOffice; when missing: said in words, nothing committed or audited
        content = docx_to_pdf(content)
    message = ctx.say(
        (texts.SKMR_CAPTION_PDF if pdf else texts.SKMR_CAPTION).format(
            kecamatan=h(kec.nama),
            mulai=fmt_date_id(period.start),
            sampai=fmt_date_id(period.end),
        )
    )
    message.document = (report_name(period, kec.nama, ".pdf" if pdf else ".docx"), content)


def register(registry: Registry) -> None:
    """/laporanskm."""
    registry.command(
        CommandSpec("laporanskm", _laporanskm, texts.SKMR_COMMAND, action=Action.MANAGE_USERS)
    )
