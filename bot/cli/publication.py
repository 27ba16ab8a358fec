"""``iku-bot skm infografis`` and ``iku-bot skm poster``: the SKM documents the office posts.

The infographic of a period (PNG to upload, PDF to print) and the QR posters of the
survey's deep links (A4 or A5, one page per service in a PDF). Both are written to a
temporary file next to the output and renamed over it: a failure leaves no half file.
Nothing is stored: the figures are the published aggregates of IKU 5.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot import texts
from bot.cli.options import kecamatan_option, period_of, write_atomically, year
from bot.reports.infographic import (
    POSTER_SIZES,
    Format,
    PosterPage,
    infographic,
    paper,
    period_words,
    posters,
)
from bot.reports.qr import bot_username, survey_link
from bot.runtime import Runtime
from domain.errors import InvalidInput
from domain.publication import poster_services, skm_publication

__all__ = ["PUBLICATION_COMMANDS", "add_publication_parsers", "cmd_publication"]

PUBLICATION_COMMANDS = frozenset({"infografis", "poster"})
DPI_DEFAULT = 150


def add_publication_parsers(skm_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``skm infografis`` and ``skm poster`` under ``iku-bot skm``."""
    info = skm_sub.add_parser(
        "infografis",
        help="infografis hasil SKM satu periode (PNG atau PDF, satu halaman kertas PAPER_SIZE)",
    )
    info.add_argument("--year", type=year, metavar="TAHUN", help="tahun (bawaan: tahun ini)")
    part = info.add_mutually_exclusive_group()
    part.add_argument("--semester", type=int, choices=[1, 2], metavar="N", help="1 atau 2")
    part.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], metavar="N", help="1 sampai 4")
    info.add_argument(
        "--output", type=Path, required=True, metavar="BERKAS", help="berkas .png atau .pdf"
    )
    info.add_argument(
        "--dpi",
        type=_dpi,
        default=DPI_DEFAULT,
        metavar="N",
        help=f"resolusi PNG, 150 sampai 300 (bawaan: {DPI_DEFAULT})",
    )
    kecamatan_option(info)

    poster = skm_sub.add_parser(
        "poster", help="poster kode QR survei untuk meja layanan (PDF atau PNG, A4 atau A5)"
    )
    which = poster.add_mutually_exclusive_group()
    which.add_argument(
        "--layanan", metavar="KODE", help="kode layanan (bawaan: tautan umum, semua layanan)"
    )
    which.add_argument(
        "--semua",
        action="store_true",
        help="satu halaman per layanan aktif, dalam satu PDF",
    )
    poster.add_argument(
        "--size",
        type=_poster_size,
        default="A4",
        metavar="A4|A5",
        help="ukuran kertas poster (bawaan: A4)",
    )
    poster.add_argument(
        "--output", type=Path, required=True, metavar="BERKAS", help="berkas .pdf atau .png"
    )
    poster.add_argument(
        "--bot-username",
        metavar="NAMA",
        help="nama pengguna bot di tautan QR, mis. iku_larangan_bot (bawaan: BOT_USERNAME "
        "dari pengaturan; bot yang berjalan memakai namanya sendiri dari Telegram)",
    )
    poster.add_argument(
        "--dpi",
        type=_dpi,
        default=DPI_DEFAULT,
        metavar="N",
        help=f"resolusi PNG, 150 sampai 300 (bawaan: {DPI_DEFAULT})",
    )
    kecamatan_option(poster)


def _dpi(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(texts.PUB_BAD_DPI.format(teks=text)) from None
    if not 150 <= value <= 300:
        raise argparse.ArgumentTypeError(texts.PUB_BAD_DPI.format(teks=text))
    return value


def _poster_size(text: str) -> str:
    name = text.strip().upper()
    if name not in POSTER_SIZES:
        raise argparse.ArgumentTypeError(f"ukuran poster harus A4 atau A5 (diterima: {text!r})")
    return name


def _target(output: Path, example: str) -> tuple[Path, Format]:
    """The file to write and its form; InvalidInput for a wrong suffix or folder."""
    suffix = output.suffix.lower()
    if output.is_dir():
        raise InvalidInput(texts.PUB_IS_FOLDER.format(berkas=output, contoh=example))
    if suffix not in (".png", ".pdf"):
        raise InvalidInput(texts.PUB_BAD_SUFFIX.format(berkas=output))
    if not output.parent.is_dir():
        raise InvalidInput(texts.PUB_NO_FOLDER.format(folder=output.parent))
    return output, "png" if suffix == ".png" else "pdf"


def cmd_publication(runtime: Runtime, args: argparse.Namespace) -> int:
    """``skm infografis`` or ``skm poster``; 0 once the file is written."""
    if args.skm_command == "infografis":
        return _infografis(runtime, args)
    return _poster(runtime, args)


def _infografis(runtime: Runtime, args: argparse.Namespace) -> int:
    target, form = _target(args.output, "skm.pdf")
    now = runtime.now()
    period = period_of(args, now.date())
    kec = runtime.kecamatan(args.kecamatan)
    with runtime.uow() as uow:
        data = skm_publication(uow, kecamatan=kec, period=period, now=now)
    size = paper(runtime.settings.paper_size)
    write_atomically(target, infographic(data, size=size, form=form, dpi=args.dpi))
    print(
        texts.PUB_INFO_WRITTEN.format(
            kecamatan=kec.nama,
            periode=period_words(period),
            berkas=target,
            halaman=1,
            kertas=size.name,
        )
    )
    return 0


def _poster(runtime: Runtime, args: argparse.Namespace) -> int:
    target, form = _target(args.output, "poster.pdf")
    username = runtime.settings.bot_username
    if args.bot_username is not None:
        username = bot_username(args.bot_username)
        if username is None:
            raise InvalidInput(texts.PUB_BAD_USERNAME.format(teks=args.bot_username))
    if username is None:
        raise InvalidInput(texts.PUB_NEED_USERNAME)
    kec = runtime.kecamatan(args.kecamatan)
    with runtime.uow() as uow:
        services = poster_services(uow, kecamatan=kec, kode=args.layanan, every=args.semua)
    if form == "png" and len(services) > 1:
        raise InvalidInput(texts.PUB_PNG_ONE_PAGE.format(jumlah=len(services)))
    pages = [
        PosterPage(kec, service, survey_link(username, None if service is None else service.kode))
        for service in services
    ]
    size = POSTER_SIZES[args.size]
    write_atomically(target, posters(pages, size=size, form=form, dpi=args.dpi))
    names = ", ".join(
        texts.POSTER_ALL_SERVICES if page.service is None else page.service.nama for page in pages
    )
    print(
        texts.PUB_POSTER_WRITTEN.format(
            jumlah=len(pages), kertas=size.name, berkas=target, isi=names
        )
    )
    return 0
