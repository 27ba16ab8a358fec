"""``iku-bot ekspor-bukti``: the evidence files of a period as a ZIP with an index.

The ZIP holds, per case, its stored files named by role and position in the case
(``KS-352808-2026-0001/laporan-1.jpg``, ``KS-352808-2026-0001/bukti-2.pdf``) and ``indeks.csv``
listing every file of the period; a file not in the store (pending, rejected, failed)
is listed with its status and no file name. Each file's bytes are checked against the
SHA-256 recorded when it was stored: a mismatch (or a missing file) refuses the whole
ZIP. The ZIP is written to a temporary file next to the target and linked into place
only when complete, never over an existing file; the export is audited as the
operator's (``export_evidence_zip``), and the ZIP is removed again when that entry
cannot be committed. The files come from :func:`storage.evidence_store.evidence_store`
(the folder, or the S3 bucket when one is set).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

from bot import texts
from bot.reports.iku import fmt_date_id
from bot.runtime import Runtime
from domain.audit import Channel, ExportForm, record_export
from domain.errors import InvalidInput, NotFound
from domain.evidence import EvidenceStore, extension_of
from domain.models import EvidenceStatus
from domain.period import Period
from domain.ports import EvidenceListing
from storage.evidence_store import evidence_store

__all__ = ["add_evidence_parser", "cmd_evidence_export", "INDEX_NAME", "archive_names"]

INDEX_NAME: Final = "indeks.csv"
EXIT_OK: Final = 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(texts.EVIDENCE_ZIP_BAD_DATE.format(teks=text)) from None


def add_evidence_parser(sub: Any) -> None:
    """The ``ekspor-bukti`` command of the ``iku-bot`` parser (``sub``: its subparsers)."""
    parser = sub.add_parser(
        "ekspor-bukti", help="berkas bukti satu periode sebagai ZIP dengan indeks.csv"
    )
    parser.add_argument(
        "--dari", type=_day, required=True, metavar="YYYY-MM-DD", help="tanggal kejadian awal"
    )
    parser.add_argument(
        "--sampai", type=_day, required=True, metavar="YYYY-MM-DD", help="tanggal kejadian akhir"
    )
    parser.add_argument(
        "--kecamatan",
        metavar="KODE",
        help="kode Kemendagri atau BPS kecamatan (bawaan: KECAMATAN dari pengaturan)",
    )
    parser.add_argument(
        "--output", type=Path, required=True, metavar="BERKAS.zip", help="berkas ZIP yang ditulis"
    )


class EvidenceExportError(InvalidInput):
    """The ZIP cannot be written as asked (nothing is written)."""


def archive_names(files: list[EvidenceListing]) -> dict[int, str]:
    """The ZIP name of each file by evidence id: ``NOMOR/peran-N.ext``, N its place in the case."""
    names: dict[int, str] = {}
    place: dict[str, int] = {}
    for item in files:
        number = place.get(item.nomor, 0) + 1
        place[item.nomor] = number
        file = item.file
        names[file.id] = (
            f"{item.nomor}/{file.role.value}-{number}.{extension_of(file.content_type)}"
        )
    return names


@dataclass(frozen=True, slots=True)
class _Written:
    stored: int
    not_stored: int
    cases: int


def _target(output: Path) -> Path:
    if output.suffix.lower() != ".zip":
        raise EvidenceExportError(texts.EVIDENCE_ZIP_SUFFIX.format(berkas=output))
    if not output.parent.is_dir():
        raise EvidenceExportError(texts.EVIDENCE_ZIP_NO_FOLDER.format(folder=output.parent))
    if output.exists() or output.is_symlink():
        raise EvidenceExportError(texts.EVIDENCE_ZIP_EXISTS.format(berkas=output))
    return output


def _index_row(item: EvidenceListing, name: str | None) -> list[str]:
    file = item.file
    return [
        item.nomor,
        item.desa_nama,
        texts.EVIDENCE_KIND_TEXT[item.kind.value],
        item.event_date.isoformat(),
        texts.EVIDENCE_ROLE_TEXT[file.role.value],
        name or "",
        file.sha256 or "",
        "" if file.size is None else str(file.size),
        file.content_type or "",
        texts.EVIDENCE_STATUS_TEXT[file.status.value],
    ]


def _write_zip(
    archive: zipfile.ZipFile, files: list[EvidenceListing], store: EvidenceStore
) -> _Written:
    names = archive_names(files)
    index = io.StringIO()
    writer = csv.writer(index, lineterminator="\r\n")
    writer.writerow(texts.EVIDENCE_INDEX_HEADERS)
    stored = 0
    for item in files:
        file = item.file
        name = names[file.id]
        if file.status is not EvidenceStatus.STORED or not file.store_key or not file.sha256:
            writer.writerow(_index_row(item, None))
            continue
        try:
            data = store.get(file.store_key)
        except KeyError:
            raise EvidenceExportError(
                texts.EVIDENCE_ZIP_MISSING.format(berkas=name, sha256=file.sha256)
            ) from None
        if hashlib.sha256(data).hexdigest() != file.sha256:
            raise EvidenceExportError(
                texts.EVIDENCE_ZIP_MISMATCH.format(berkas=name, sha256=file.sha256)
            )
        # Photos and PDFs are compressed already: stored as they are.
        archive.writestr(name, data, compress_type=zipfile.ZIP_STORED)
        writer.writerow(_index_row(item, name))
        stored += 1
    archive.writestr(INDEX_NAME, index.getvalue().encode("utf-8"), zipfile.ZIP_DEFLATED)
    return _Written(
        stored=stored, not_stored=len(files) - stored, cases=len({f.nomor for f in files})
    )


def _zip_to_temporary(
    target: Path, files: list[EvidenceListing], store: EvidenceStore
) -> tuple[_Written, Path]:
    """The whole ZIP in a temporary file next to ``target`` (removed on any failure)."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w") as archive:
                written = _write_zip(archive, files, store)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return written, temporary


def cmd_evidence_export(runtime: Runtime, args: argparse.Namespace) -> int:
    """Write the evidence ZIP of a period and audit it."""
    start: date = args.dari
    end: date = args.sampai
    if start > end:
        raise EvidenceExportError(
            texts.EVIDENCE_ZIP_ORDER.format(dari=start.isoformat(), sampai=end.isoformat())
        )
    target = _target(args.output)
    code = args.kecamatan or runtime.settings.kecamatan
    period = Period.between(start, end)
    store = evidence_store(runtime.settings)
    now = runtime.now()
    with runtime.uow() as uow:
        kecamatan = uow.kecamatan.get_by_code(code)
        if kecamatan is None:
            raise NotFound(texts.EVIDENCE_ZIP_NO_KECAMATAN.format(kode=code))
        files = uow.evidence.listing(kecamatan_id=kecamatan.id, start=start, end=end)
        written, temporary = _zip_to_temporary(target, files, store)
        linked = False
        try:
            record_export(
                uow,
                user=None,
                channel=Channel.CLI,
                kecamatan=kecamatan,
                period=period,
                form=ExportForm.EVIDENCE_ZIP,
                contents={
                    "berkas": written.stored,
                    "tidak_tersimpan": written.not_stored,
                    "kasus": written.cases,
                },
                at=now,
            )
            try:
                os.link(temporary, target)  # never over a file that appeared meanwhile
            except FileExistsError:
                raise EvidenceExportError(texts.EVIDENCE_ZIP_EXISTS.format(berkas=target)) from None
            linked = True
            uow.commit()  # the ZIP and its audit entry: both or neither
        except BaseException:
            if linked:
                target.unlink(missing_ok=True)
            raise
        finally:
            temporary.unlink(missing_ok=True)
    if not files:
        print(texts.EVIDENCE_ZIP_EMPTY.format(berkas=target))
        return EXIT_OK
    print(
        texts.EVIDENCE_ZIP_WRITTEN.format(
            kecamatan=kecamatan.nama,
            mulai=fmt_date_id(start),
            sampai=fmt_date_id(end),
            berkas=target,
            disimpan=written.stored,
            kasus=written.cases,
        )
    )
    if written.not_stored:
        print(texts.EVIDENCE_ZIP_NOT_STORED.format(jumlah=written.not_stored))
    return EXIT_OK
