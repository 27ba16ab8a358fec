"""``iku-bot perkembangan``: each desa's status over the years, as text or JSON.

``--from``/``--to`` give the range (bawaan: every year with data up to this year); the
text is the bot's /perkembangan table without its HTML; JSON carries exact decimals as
strings and says of each gap whether it is official (IDM) or an estimate (Indeks Desa).
The same use case as the bot and the workbook (domain.desa_progress); read-only.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from typing import Any

from bot import texts
from bot.cli.options import kecamatan_option, year
from bot.runtime import Runtime
from domain.desa_progress import ProgressReport, desa_progress
from domain.errors import NotFound
from domain.records import YEAR_MIN

__all__ = ["COMMAND", "add_progress_parser", "cmd_progress", "progress_json"]

COMMAND = "perkembangan"
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
_TAGS = re.compile(r"</?(?:b|i|pre|code)>")


def add_progress_parser(sub: Any) -> None:
    """``perkembangan [--from TAHUN] [--to TAHUN] [--format table|json] [--kecamatan KODE]``."""
    parser = sub.add_parser(
        COMMAND, help="status tiap desa per tahun (IDM, Indeks Desa) dan desa terdekat naik status"
    )
    parser.add_argument("--from", dest="first", type=year, metavar="TAHUN", help="tahun awal")
    parser.add_argument("--to", dest="last", type=year, metavar="TAHUN", help="tahun akhir")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    kecamatan_option(parser)


def _num(value: Any) -> str | None:
    return None if value is None else format(value, "f")


def progress_json(report: ProgressReport) -> dict[str, Any]:
    """The report as JSON-ready data (decimals as exact strings)."""
    return {
        "kecamatan": report.kecamatan.kode,
        "tahun_awal": report.first,
        "tahun_akhir": report.last,
        "tahun": report.years,
        "desa": [
            {
                "kode": p.desa.kode,
                "nama": p.desa.nama,
                "per_tahun": {
                    str(t): {
                        "indeks": y.index.value,
                        "status": y.status.value,
                        "skor": _num(y.score),
                        "status_terbit": y.published,
                        "ditandai": y.flagged,
                    }
                    for t, y in sorted(p.years.items())
                },
                "perubahan": [
                    {"dari": m.dari_tahun, "ke": m.ke_tahun, "arah": m.change.value}
                    for m in p.transitions
                ],
            }
            for p in report.desa
        ],
        "per_status": [
            {
                "tahun": c.tahun,
                "indeks": c.index.value,
                "jumlah": {s.value: n for s, n in c.counts.items()},
                "tanpa_data": c.without,
            }
            for c in report.counts
        ],
        "terdekat": [
            {
                "kode": c.desa.kode,
                "nama": c.desa.nama,
                "tahun": c.tahun,
                "status": c.status.value,
                "target": c.target.value,
                "skor": _num(c.score),
                "skor_minimal": _num(c.minimum),
                "kekurangan": _num(c.needed),
                "resmi": c.official,
            }
            for c in report.closest
        ],
    }


def cmd_progress(runtime: Runtime, args: argparse.Namespace) -> int:
    """Print the progress of the kecamatan's desa."""
    this_year = runtime.now().year
    last = args.last or this_year
    first = args.first
    for given in (first, last):
        if given is not None and given > this_year:
            message = texts.PROGRESS_FUTURE.format(tahun=given, sekarang=this_year)
            print(f"iku-bot {COMMAND}: kesalahan perintah: {message}", file=sys.stderr)
            return EXIT_USAGE
        if given is not None and given < YEAR_MIN:
            message = texts.PROGRESS_TOO_EARLY.format(pertama=YEAR_MIN)
            print(f"iku-bot {COMMAND}: kesalahan perintah: {message}", file=sys.stderr)
            return EXIT_USAGE
    if first is not None and first > last:
        message = texts.PROGRESS_REVERSED.format(awal=first, akhir=last)
        print(f"iku-bot {COMMAND}: kesalahan perintah: {message}", file=sys.stderr)
        return EXIT_USAGE
    # The chat's text (and Telegram's limits with it) only when the command runs:
    # ``iku-bot --help`` loads no Telegram library.
    from bot.reports.progress import progress_messages, year_range

    code = args.kecamatan or runtime.settings.kecamatan
    with runtime.uow() as uow:
        kec = uow.kecamatan.get_by_code(code)
        if kec is None:
            raise NotFound(f"Kecamatan {code} tidak dikenal.")
        report = desa_progress(uow, kecamatan=kec, last=last, first=first)
    if args.format == "json":
        print(json.dumps(progress_json(report), ensure_ascii=False, indent=2))
        return EXIT_OK
    if not report.years:
        print(
            html.unescape(
                texts.PROGRESS_NO_DATA.format(
                    kecamatan=kec.nama, rentang=year_range(report.first, report.last)
                )
            )
        )
        return EXIT_OK
    for message in progress_messages(report):
        print(html.unescape(_TAGS.sub("", message)))
        print()
    return EXIT_OK
