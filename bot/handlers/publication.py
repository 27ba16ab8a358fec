"""/poster (QR posters as A4 PDFs) and /infografis (the SKM infographic of a period).

Both are for whoever runs the survey: admins and Seksi Pelayanan, as /qr (decided:
the posters carry the same links as /qr's pictures; the infographic is the office's
publication of the SKM, which that section runs). Others are refused in words.

- ``/poster``: one A4 PDF per active service and one for the general link (every
  service); ``/poster KODE``: that service's alone.
- ``/infografis [TAHUN] [S1|S2|TW1..TW4]``: the PNG (150 dpi, PAPER_SIZE) as a photo;
  the period as /ekspor reads it (without one: the year to date).

The documents are drawn in the update's transaction and written to the outbox with
their captions; nothing else is stored.
"""

from __future__ import annotations

import re

from bot import texts
from bot.conversation import CommandSpec, Ctx, Registry
from bot.formatting import h
from bot.handlers.reports import export_period
from bot.reports.infographic import (
    POSTER_SIZES,
    PosterPage,
    infographic,
    paper,
    period_words,
    posters,
)
from bot.reports.qr import survey_link
from domain.errors import InvalidInput
from domain.models import SkmService
from domain.permissions import Action, require
from domain.publication import poster_services, skm_publication

__all__ = ["register", "poster_name"]

PNG_DPI = 150


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def poster_name(service: SkmService | None) -> str:
    """The file name of a service's poster (``poster-skm-semua.pdf`` for the general link)."""
    return f"poster-skm-{'semua' if service is None else _slug(service.kode)}.pdf"


def _poster(ctx: Ctx, args: list[str]) -> None:
    """A4 PDF posters: every active service and the general link, or the one named."""
    require(ctx.user, Action.MANAGE_SERVICES)
    kode = args[0] if args else None
    kec = ctx.kecamatan
    if kode is None:
        if not any(s.active for s in ctx.uow.skm.list_services(kec.id)):
            ctx.say(texts.POSTER_NONE)
            return
        services: list[SkmService | None] = [
            *poster_services(ctx.uow, kecamatan=kec, kode=None, every=True),
            None,
        ]
    else:
        services = poster_services(ctx.uow, kecamatan=kec, kode=kode, every=False)
    size = POSTER_SIZES["A4"]
    for service in services:
        link = survey_link(ctx.services.bot_username, None if service is None else service.kode)
        pdf = posters([PosterPage(kec, service, link)], size=size, form="pdf")
        name = texts.POSTER_ALL_SERVICES if service is None else service.nama
        message = ctx.say(texts.POSTER_CAPTION.format(layanan=h(name)))
        message.document = (poster_name(service), pdf)


def _infografis(ctx: Ctx, args: list[str]) -> None:
    """The infographic of a period as a photo."""
    require(ctx.user, Action.MANAGE_SERVICES)
    try:
        period = export_period(args, ctx.now.date())
    except InvalidInput as error:  # the same periods as /ekspor; its examples, for this command
        raise InvalidInput(str(error).replace("/ekspor", "/infografis")) from None
    data = skm_publication(ctx.uow, kecamatan=ctx.kecamatan, period=period, now=ctx.now)
    png = infographic(data, size=paper(ctx.services.settings.paper_size), form="png", dpi=PNG_DPI)
    words = period_words(period)
    message = ctx.say(texts.INFO_CAPTION.format(kecamatan=h(ctx.kecamatan.nama), periode=h(words)))
    message.photo = png


def register(registry: Registry) -> None:
    """/poster and /infografis."""
    registry.command(
        CommandSpec("poster", _poster, texts.POSTER_COMMAND, action=Action.MANAGE_SERVICES)
    )
    registry.command(
        CommandSpec("infografis", _infografis, texts.INFO_COMMAND, action=Action.MANAGE_SERVICES)
    )
