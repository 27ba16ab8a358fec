"""``iku-bot report skm``: the SKM report of one period as .docx (or .pdf through LibreOffice).

The file is written to a temporary file next to the target and renamed over it, once
the whole document (and its PDF) exists: a refusal or a failure leaves no file. The
audit entry is committed only after the file was written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from bot import texts
from bot.reports.iku import fmt_date_id
from bot.reports.skm_report import docx_to_pdf, skm_docx
from bot.runtime import Runtime
from domain.audit import ExportForm
from domain.documents import PAPER_SIZES, signatory
from domain.errors import InvalidInput
from domain.export import Viewer
from domain.period import Period
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
    skm.add_argument("--year", type=_year, metavar="TAHUN", help="tahun (bawaan: tahun ini)")
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
    skm.add_argument(
        "--kecamatan",
        metavar="KODE",
        help="kode Kemendagri atau BPS kecamatan (bawaan: KECAMATAN dari pengaturan)",
    )
    skm.set_defaults(command=COMMAND)


def _year(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tahun harus angka 4 digit: {text!r}") from None
    if not 2000 <= value <= 2100:
        raise argparse.ArgumentTypeError(f"tahun di luar 2000-2100: {value}")
    return value


def _period(args: argparse.Namespace, year: int) -> Period:
    if args.semester is not None:
        return Period.semester(year, args.semester)
    if args.quarter is not None:
        return Period.quarter(year, args.quarter)
    return Period.year(year)


def _target(output: Path) -> Path:
    if not output.parent.is_dir():
        raise InvalidInput(texts.SKMR_NO_FOLDER.format(folder=output.parent))
    if output.is_dir():
        raise InvalidInput(texts.SKMR_IS_FOLDER.format(berkas=output))
    return output


def _write_atomically(path: Path, content: bytes) -> None:
    """A temporary file next to ``path``, renamed over it: never a half-written file."""
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise InvalidInput(
            texts.SKMR_NOT_WRITABLE.format(berkas=path, alasan=error.strerror)
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise InvalidInput(
            texts.SKMR_NOT_WRITABLE.format(berkas=path, alasan=error.strerror)
        ) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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
    period = _period(args, args.year if args.year is not None else now.date().year)
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
        signer = signatory(
            kec.nama,
            kec.kabupaten,
            jabatan=settings.signer_jabatan,
            nama=settings.signer_nama,
            pangkat=settings.signer_pangkat,
            nip=settings.signer_nip,
            place=settings.sign_place,
        )
        content = skm_docx(
            data, signer=signer, paper=PAPER_SIZES[settings.paper_size], signed_on=now.date()
        )
        if form is ExportForm.PDF:
            content = docx_to_pdf(content)
        _write_atomically(target, content)
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
