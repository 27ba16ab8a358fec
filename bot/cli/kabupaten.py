"""``iku-bot report --kabupaten 35.28``: the kecamatan of a kabupaten side by side."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from bot import texts
from bot.cli.options import period_of, write_atomically
from bot.reports.iku import fmt_date_id
from bot.runtime import Runtime
from domain.audit import Channel, ExportForm, record_export
from domain.documents import PAPER_SIZES
from domain.errors import InvalidInput
from domain.kabupaten import kabupaten_recap

__all__ = ["add_kabupaten_option", "cmd_report_kabupaten", "kabupaten_code"]

_KAB_CODE = re.compile(r"\d{2}\.\d{2}")


def kabupaten_code(text: str) -> str:
    """A kabupaten code as typed (``35.28``); argparse explains a bad one."""
    code = text.strip()
    if not _KAB_CODE.fullmatch(code):
        raise argparse.ArgumentTypeError(
            f"kode kabupaten harus berbentuk 35.28 (kode Kemendagri), diterima {text!r}"
        )
    return code


def add_kabupaten_option(parser: argparse.ArgumentParser) -> None:
    """``--kabupaten KODE`` on ``iku-bot report``."""
    parser.add_argument(
        "--kabupaten",
        type=kabupaten_code,
        metavar="KODE",
        help="rekap semua kecamatan satu kabupaten berdampingan, mis. 35.28 "
        "(format table, json atau xlsx)",
    )


def _usage(message: str) -> int:
    print(f"iku-bot report: kesalahan perintah: {message}", file=sys.stderr)
    return 2


def cmd_report_kabupaten(runtime: Runtime, args: argparse.Namespace) -> int:
    """Print the recap (table or JSON), or write it as one printable Excel sheet."""
    output: Path | None = args.output
    if args.format == "pdf":
        return _usage("--kabupaten hanya untuk --format table, json atau xlsx")
    if getattr(args, "kecamatan", None):
        return _usage("--kabupaten tidak dipakai bersama --kecamatan")
    if args.format == "xlsx":
        if output is None:
            return _usage("--format xlsx memerlukan --output BERKAS.xlsx")
        if output.suffix.lower() != ".xlsx":
            return _usage(f"berkas --output harus berakhiran .xlsx: {output}")
        if not output.parent.is_dir():
            raise InvalidInput(
                f"Folder {output.parent} tidak ada. Buat foldernya dulu, atau pilih berkas di "
                "folder lain."
            )
        if output.is_dir():
            raise InvalidInput(f"{output} adalah folder. Tulis nama berkas, misalnya rekap.xlsx.")
    elif output is not None:
        return _usage("--output hanya dipakai bersama --format xlsx")
    # Imported here: the workbook library is heavy, and no other command needs it.
    from bot.reports.kabupaten import recap_json, recap_text, recap_workbook

    now = runtime.now()
    period = period_of(args, now.date())
    form = {"json": ExportForm.JSON, "xlsx": ExportForm.XLSX}.get(args.format, ExportForm.TABLE)
    with runtime.uow() as uow:
        recap = kabupaten_recap(uow, kabupaten_code=args.kabupaten, period=period, now=now)
        for report in recap.kecamatan:  # one audit entry per kecamatan shown
            record_export(
                uow,
                user=None,
                channel=Channel.CLI,
                kecamatan=report.kecamatan,
                period=period,
                form=form,
                contents={"rekap_kabupaten": recap.kode},
                at=now,
                entity="rekap_kabupaten",
            )
        if output is not None:
            paper = PAPER_SIZES[runtime.settings.paper_size]
            write_atomically(output, recap_workbook(recap, paper))
        uow.commit()
    if output is not None:
        print(
            texts.KAB_WRITTEN.format(
                kabupaten=recap.nama,
                mulai=fmt_date_id(period.start),
                sampai=fmt_date_id(period.end),
                berkas=output,
            )
        )
    elif args.format == "json":
        print(json.dumps(recap_json(recap), ensure_ascii=False, indent=2))
    else:
        print(recap_text(recap), end="")
    return 0
