"""Operator imports: ``import-idm`` and ``import-skm`` as batches, ``import list`` and
``import undo`` (the use cases are in domain/batches.py).

A file imported already (the same bytes) is refused with the moment and number of
its batch; ``--ganti`` replaces it (undone and stored again in one transaction).
Every problem of every file is printed, not only the first ones.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from bot import texts
from bot.reports.iku import fmt_datetime_id
from bot.runtime import Runtime
from domain.batches import (
    IdmBatchResult,
    IdmFile,
    ImportedFile,
    Importer,
    UndoResult,
    file_sha256,
    import_idm_files,
    import_skm_file,
    undo_batch,
)
from domain.errors import ImportFailed, ImportProblem, InvalidInput
from domain.idm import VillageIndex
from domain.importing import IdmParse, parse_skm_rows, read_idm_table, read_kemendesa_json
from domain.models import ImportBatch, ImportKind, ImportSource
from domain.ports import UnitOfWork
from domain.rounding import round_half_up
from storage.readers import read_bytes, table_from_bytes

__all__ = ["cmd_import_idm", "cmd_import_skm", "cmd_import", "IDM_SUFFIXES", "LIST_LIMIT"]

EXIT_OK = 0
EXIT_ERROR = 1
IDM_SUFFIXES = (".json", ".csv", ".xlsx")
LIST_LIMIT = 30
SHA_SHOWN = 12  # hex digits of the SHA-256 printed by ``import list``


def _operator() -> str:
    """Who runs the command: the login name on this machine (the audit log's actor)."""
    try:
        login = getpass.getuser().strip()
    except (OSError, KeyError):  # no login name (a container without a user entry)
        return "cli"
    return f"cli:{login}" if login else "cli"


def _importer() -> Importer:
    return Importer(_operator(), ImportSource.CLI)


def _when_of(runtime: Runtime) -> Callable[[datetime], str]:
    def when(moment: datetime) -> str:
        return fmt_datetime_id(moment.astimezone(runtime.settings.tz))

    return when


def _explain(runtime: Runtime) -> Callable[[ImportBatch], str]:
    when = _when_of(runtime)

    def explain(batch: ImportBatch) -> str:
        return texts.IMPORT_SAME_FILE.format(
            sha=batch.sha256[:SHA_SHOWN],
            when=when(batch.created_at),
            id=batch.id,
            stored=batch.stored,
        )

    return explain


def _failed(error: ImportFailed) -> int:
    """Every problem, one a line (the message of the error shows only the first 20)."""
    print(texts.IMPORT_FAILED.format(count=len(error.problems)), file=sys.stderr)
    for problem in error.problems:
        print(f"  {problem}", file=sys.stderr)
    return EXIT_ERROR


# -- import-idm ----------------------------------------------------------------------------


def _idm_paths(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in IDM_SUFFIXES
            )
            if not found:
                raise InvalidInput(f"Folder {path} tidak berisi berkas .json, .csv atau .xlsx.")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise InvalidInput(f"Berkas atau folder tidak ditemukan: {path}")
    return files


def _read_idm(path: Path) -> IdmFile | list[ImportProblem]:
    """A file read once: its SHA-256 and its rows come from the same bytes."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in IDM_SUFFIXES:
        return [
            ImportProblem(
                name,
                "jenis berkas tidak didukung (harus .json Kemendesa, .csv atau .xlsx; "
                "berkas .xls simpan ulang sebagai .xlsx)",
            )
        ]
    try:
        content = read_bytes(path)
    except ImportFailed as failed:
        return failed.problems
    file = ImportedFile(name, file_sha256(content))
    if suffix == ".json":
        return IdmFile(file, read_kemendesa_json(content, name))
    try:
        table = table_from_bytes(content, name)
    except ImportFailed as failed:  # not UTF-8, not an XLSX, a formula without a value
        return IdmFile(file, IdmParse([], [], failed.problems))
    return IdmFile(file, read_idm_table(table, name))


def _describe_idm(runtime: Runtime, results: list[IdmBatchResult]) -> list[str]:
    when = _when_of(runtime)
    lines: list[str] = []
    for result in results:
        batch, counts = result.batch, result.summary
        lines.append(
            f"{counts.source}: {counts.inserted} baru, {counts.updated} diperbarui "
            f"(batch #{batch.id})"
        )
        for desa, record in result.items:
            places = 4 if record.index is VillageIndex.IDM else 2
            line = (
                f"  {desa.kode} {desa.nama} tahun {record.tahun}: {record.index.label} "
                f"{format(round_half_up(record.score, places), f'.{places}f').replace('.', ',')}"
                f" ({record.status.label})"
            )
            if record.status_published and record.index is VillageIndex.IDM:
                published = record.status_published
                if published.strip().lower() != record.status.label.lower():
                    line += texts.INDEKS_DESA_FLAG.format(published=published)
            lines.append(line)
        if result.replaced is not None:
            old = result.replaced
            lines.append(
                "  "
                + texts.IMPORT_REPLACED_IDM.format(
                    id=old.batch.id,
                    when=when(old.batch.created_at),
                    restored=old.restored,
                    removed=old.removed,
                    kept=old.kept,
                )
            )
        lines += ["  " + _same_name_note(runtime, b) for b in result.same_name]
    total = sum(r.summary.inserted + r.summary.updated for r in results)
    lines.append(f"Selesai: {total} hasil IDM dari {len(results)} berkas disimpan.")
    return lines


def _same_name_note(runtime: Runtime, batch: ImportBatch) -> str:
    return texts.IMPORT_SAME_NAME.format(
        file=batch.file_name, id=batch.id, when=_when_of(runtime)(batch.created_at)
    )


def cmd_import_idm(runtime: Runtime, args: argparse.Namespace) -> int:
    """IDM files, one batch each: every file checked first; any problem stores nothing."""
    kec = runtime.kecamatan(args.kecamatan)
    files: list[IdmFile] = []
    unreadable: list[ImportProblem] = []
    for path in _idm_paths(args.paths):
        read = _read_idm(path)
        if isinstance(read, IdmFile):
            files.append(read)
        else:
            unreadable += read
    try:
        with runtime.uow() as uow:
            results = import_idm_files(
                uow,
                files,
                kecamatan=kec,
                now=runtime.now(),
                importer=_importer(),
                explain=_explain(runtime),
                replace=args.ganti,
                unreadable=unreadable,  # reported with the problems of the others
            )
            uow.commit()
    except ImportFailed as error:
        return _failed(error)
    print("\n".join(_describe_idm(runtime, results)))
    return EXIT_OK


# -- import-skm ----------------------------------------------------------------------------


def cmd_import_skm(runtime: Runtime, args: argparse.Namespace) -> int:
    """A typed-in SKM sheet as one batch, in one transaction."""
    kec = runtime.kecamatan(args.kecamatan)
    path: Path = args.file
    if not path.is_file():
        raise InvalidInput(f"Berkas tidak ditemukan: {path}")
    try:
        content = read_bytes(path)
        rows = parse_skm_rows(
            table_from_bytes(content, path.name), path.name, today=runtime.now().date()
        )
        with runtime.uow() as uow:
            result = import_skm_file(
                uow,
                rows,
                kecamatan_id=kec.id,
                file=ImportedFile(path.name, file_sha256(content)),
                now=runtime.now(),
                importer=_importer(),
                explain=_explain(runtime),
                replace=args.ganti,
            )
            uow.commit()
    except ImportFailed as error:
        return _failed(error)
    print(result.summary.describe())
    print(texts.IMPORT_BATCH.format(id=result.batch.id))
    if result.replaced is not None:
        old = result.replaced
        print(
            texts.IMPORT_REPLACED_SKM.format(
                id=old.batch.id,
                when=_when_of(runtime)(old.batch.created_at),
                removed=old.removed,
            )
        )
    for batch in result.same_name:
        print(_same_name_note(runtime, batch))
    return EXIT_OK


# -- import list / undo --------------------------------------------------------------------


def _who(uow: UnitOfWork, actor: str, user_id: int | None) -> str:
    """The actor, with the officer's name for a file sent to the bot."""
    user = None if user_id is None else uow.users.get(user_id)
    return actor if user is None else f"{user.nama} ({actor})"


def _list(runtime: Runtime, args: argparse.Namespace) -> int:
    kec = runtime.kecamatan(args.kecamatan)
    kind = None if args.jenis is None else ImportKind(args.jenis)
    when = _when_of(runtime)
    with runtime.uow() as uow:
        batches = uow.imports.list_for_kecamatan(kec.id, kind=kind, limit=args.batas)
        total = uow.imports.count(kec.id, kind=kind)
        who = {b.id: _who(uow, b.actor, b.user_id) for b in batches}
    if not batches:
        print(texts.IMPORT_LIST_EMPTY.format(kecamatan=kec.nama))
        return EXIT_OK
    print(texts.IMPORT_LIST_HEADER.format(kecamatan=kec.nama, shown=len(batches), total=total))
    for batch in batches:
        print(
            texts.IMPORT_LIST_LINE.format(
                id=batch.id,
                kind=batch.kind.value.upper(),
                file=batch.file_name,
                sha=batch.sha256[:SHA_SHOWN],
                who=who[batch.id],
                when=when(batch.created_at),
            )
        )
        if batch.undone_at is None:
            state = texts.IMPORT_LIST_ACTIVE
        else:
            state = texts.IMPORT_LIST_UNDONE.format(
                when=when(batch.undone_at), who=batch.undone_by or "-"
            )
            if batch.replaced_by is not None:
                state += texts.IMPORT_LIST_REPLACED_BY.format(id=batch.replaced_by)
        print(
            texts.IMPORT_LIST_COUNTS.format(
                read=batch.rows_read, stored=batch.stored, replaced=batch.replaced, state=state
            )
        )
    if total > len(batches):
        print(texts.IMPORT_LIST_MORE.format(count=total - len(batches)))
    return EXIT_OK


def _undone_text(runtime: Runtime, result: UndoResult) -> str:
    batch = result.batch
    when = _when_of(runtime)(batch.created_at)
    if batch.kind is ImportKind.SKM:
        return texts.IMPORT_UNDONE_SKM.format(
            id=batch.id, file=batch.file_name, when=when, removed=result.removed
        )
    return texts.IMPORT_UNDONE_IDM.format(
        id=batch.id,
        file=batch.file_name,
        when=when,
        restored=result.restored,
        removed=result.removed,
        kept=result.kept,
    )


def _undo(runtime: Runtime, args: argparse.Namespace) -> int:
    kec = runtime.kecamatan(args.kecamatan)
    with runtime.uow() as uow:
        result = undo_batch(
            uow,
            args.id,
            kecamatan_id=kec.id,
            now=runtime.now(),
            importer=_importer(),
            when=_when_of(runtime),
        )
        uow.commit()
    print(_undone_text(runtime, result))
    return EXIT_OK


def cmd_import(runtime: Runtime, args: argparse.Namespace) -> int:
    """``import list`` or ``import undo ID``."""
    if args.import_command == "list":
        return _list(runtime, args)
    return _undo(runtime, args)


def batch_id(text: str) -> int:
    """A batch number as ``import undo`` takes it ('7' or '#7')."""
    value = text.strip().removeprefix("#")
    if not value.isascii() or not value.isdigit() or int(value) <= 0:
        raise argparse.ArgumentTypeError(f"nomor batch harus bilangan bulat positif: {text!r}")
    return int(value)


def list_limit(text: str) -> int:
    """How many batches ``import list`` shows."""
    if not text.isascii() or not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"batas harus bilangan bulat positif: {text!r}")
    return int(text)
