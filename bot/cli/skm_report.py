"""``iku-bot report skm``: the SKM report of one period as .docx (or .pdf through LibreOffice).

The file is written to a temporary file next to the target and renamed over it, once
the whole document (and its PDF) exists: a refusal or a failure leaves no file. The
audit entry is committed only after the file was written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot import texts
from bot.cli.options import kecamatan_option, period_of, write_atomically, year
from bot.reports.iku import fmt_date_id
from bot.reports.printing import setup_for
from bot.reports.skm_report import docx_to_pdf, skm_docx
from bot.runtime import Runtime
from domain.audit import ExportForm
from domain.errors import InvalidInput
from domain.export import Viewer
from domain.skm_report import skm_report

__all__ = ["add_skm_report_parser", "cmd_report_skm", "COMMAND"]

COMMAND = "report-skm"  # the dispatch name set by the ``report skm`` subparser
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def add_skm_report_parser(report: argparse.ArgumentParser) -> None:
    """``report skm --year Y [--semester N | --quarter N] --output FILE.docx|.pdf``."""
    kinds = report.add_subparsers(
        dest="report_kind", metavar="JENIS", help="skm; tanpa JENIS: tabel IKU seperti di atas"
    )
    skm = kinds.add_parser(
        "skm", help="laporan SKM (PermenPAN-RB 14/2017) satu periode sebagai .docx atau .pdf"
    )
    skm.add_argument("--year", type=year, metavar="TAHUN", help="tahun (bawaan: tahun ini)")
    part = skm.add_mutually_exclusive_group()
    part.add_argument("--semester", type=int, choices=[1, 2], metavar="N", help="semester 1-2")
    part.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], metavar="N", help="triwulan 1-4")
    skm.add_argument(
        "--output",
        type=Path,
        required=True,
        metavar="BERKAS",
        help="berkas .docx (dapat disunting) atau .pdf (perlu LibreOffice Writer)",
    )
    kecamatan_option(skm)
    skm.set_defaults(command=COMMAND)


def _target(output: Path) -> Path:
    if not output.parent.is_dir():
        raise InvalidInput(texts.SKMR_NO_FOLDER.format(folder=output.parent))
    if output.is_dir():
        raise InvalidInput(texts.SKMR_IS_FOLDER.format(berkas=output))
    return output


def cmd_report_skm(runtime: Runtime, args: argparse.Namespace) -> int:
    """Write the SKM report of a period to ``--output`` (.docx, or .pdf via LibreOffice)."""
    output: Path = args.output
    suffix = output.suffix.lower()
    if suffix not in (".docx", ".pdf"):
        print(
            "iku-bot report skm: kesalahan perintah: "
            + texts.SKMR_BAD_SUFFIX.format(berkas=output),
            file=sys.stderr,
        )
        return EXIT_USAGE
    target = _target(output)
    now = runtime.now()
    period = period_of(args, now.date())
    settings = runtime.settings
    code = args.kecamatan or settings.kecamatan
    form = ExportForm.PDF if suffix == ".pdf" else ExportForm.DOCX
    with runtime.uow() as uow:  # audited once the file is written
        data = skm_report(
            uow,
            viewer=Viewer.operator(),
            kecamatan_code=code,
            period=period,
            now=now,
            form=form,
            kegiatan=texts.SKMR_RTL_KEGIATAN,
            penanggung_jawab=texts.SKMR_RTL_PJ,
        )
        kec = data.export.report.kecamatan
        setup = setup_for(settings, kec)
        content = skm_docx(data, signer=setup.signer, paper=setup.paper, signed_on=now.date())
        if form is ExportForm.PDF:
            content = docx_to_pdf(content)
        write_atomically(target, content)
        uow.commit()
    print(
        texts.SKMR_WRITTEN.format(
            kecamatan=kec.nama,
            mulai=fmt_date_id(period.start),
            sampai=fmt_date_id(period.end),
            berkas=target,
        )
    )
    return EXIT_OK
