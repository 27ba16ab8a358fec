"""Imported files as batches: the same file once, replaced on request, undone later.

Every imported file (an SKM sheet, an IDM file) becomes an :class:`ImportBatch`
holding the SHA-256 of its bytes. The same bytes again, for the same kecamatan and
kind, are refused while the earlier batch stands; with ``replace`` (the CLI's
``--ganti``) the earlier batch is undone and the new one stored in the same
transaction. Undoing an SKM batch deletes its responses; undoing an IDM batch puts
back what it overwrote (kept per desa-year when it was written, see
:meth:`~domain.ports.ImportBatchRepository.add_idm_change`).

Decided:
- A batch is one file: a folder of fourteen Kemendesa files is fourteen batches,
  each refused, replaced and undone on its own.
- An IDM result changed after the batch (typed in through /idm, or imported by a
  later batch) is left as it is by the undo. When a later batch overwrote it, that
  batch from then on remembers, as the value it replaced, the one this batch had
  replaced: undoing both, in any order, gives back the value before either.
- The rules of the bot's /idm apply to every IDM file, whichever way it came: the
  desa must be registered and of the kecamatan, the year 2015 to this year, each
  desa-year once in the files of one import (also when named by both of its codes),
  the status is computed from the exact score. Every problem of every file is
  reported together, before anything is stored.

Use cases do not commit; the caller does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from domain.errors import ImportFailed, ImportProblem, InvalidInput, NotFound
from domain.importing import IdmParse, SkmRow
from domain.models import (
    Desa,
    IdmRecord,
    ImportBatch,
    ImportKind,
    ImportSource,
    Kecamatan,
)
from domain.ports import UnitOfWork
from domain.records import YEAR_MIN
from domain.usecases import IdmFileSummary, SkmImportSummary, import_idm, import_skm

__all__ = [
    "file_sha256",
    "ImportedFile",
    "Importer",
    "Explain",
    "IdmFile",
    "IdmBatchResult",
    "SkmBatchResult",
    "UndoResult",
    "check_idm_rows",
    "check_idm_files",
    "import_idm_files",
    "import_skm_file",
    "undo_batch",
]

# What the caller says when a file was imported already (its wording differs between
# the CLI, which offers --ganti, and the bot), and how it writes a moment (WIB).
Explain = Callable[[ImportBatch], str]
When = Callable[[datetime], str]


def file_sha256(content: bytes) -> str:
    """The SHA-256 of a file's bytes, in hex: what makes two files the same file."""
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True, slots=True)
class ImportedFile:
    """An imported file: its name (as shown) and the SHA-256 of its bytes."""

    name: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Importer:
    """Who imports, and through what (``actor`` as the audit log writes it)."""

    actor: str
    source: ImportSource
    user_id: int | None = None


@dataclass(frozen=True, slots=True)
class IdmFile:
    """One IDM file read (see domain/importing.py), with its identity."""

    file: ImportedFile
    parsed: IdmParse


@dataclass(frozen=True, slots=True)
class UndoResult:
    """What undoing a batch changed.

    ``removed``: SKM responses deleted, or IDM results deleted (the batch had added
    them); ``restored``: IDM results put back to what the batch had overwritten;
    ``kept``: IDM results changed after the batch, left as they are.
    """

    batch: ImportBatch
    removed: int = 0
    restored: int = 0
    kept: int = 0


@dataclass(frozen=True, slots=True)
class IdmBatchResult:
    """One IDM file stored as a batch."""

    batch: ImportBatch
    summary: IdmFileSummary
    items: list[tuple[Desa, IdmRecord]]
    replaced: UndoResult | None = None
    same_name: list[ImportBatch] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SkmBatchResult:
    """An SKM sheet stored as a batch."""

    batch: ImportBatch
    summary: SkmImportSummary
    replaced: UndoResult | None = None
    same_name: list[ImportBatch] = field(default_factory=list)


# -- IDM -----------------------------------------------------------------------------------


def check_idm_rows(
    uow: UnitOfWork, files: Sequence[IdmParse], *, kecamatan: Kecamatan, now: datetime
) -> list[ImportProblem]:
    """The bot's rules for every desa-year the files name, also in rows with bad values.

    A desa is registered and of ``kecamatan``; the year lies in 2015 .. ``now.year``
    (a future year is a typo, not a result); a desa-year is named once in all the
    files (by desa, so that its BPS and Kemendagri codes are the same desa).
    """
    problems: list[ImportProblem] = []
    seen: dict[tuple[int, int], tuple[str, int | None]] = {}
    for parsed in files:
        for row in parsed.rows:
            column = "kode_desa" if row.line is not None else None  # JSON has no columns
            desa = uow.desa.find_by_code(row.kode_desa)
            if desa is None:
                problems.append(
                    ImportProblem(
                        row.source,
                        f"kode desa {row.kode_desa} tidak terdaftar",
                        row.line,
                        column,
                    )
                )
                continue
            if desa.kecamatan_id != kecamatan.id:
                problems.append(
                    ImportProblem(
                        row.source,
                        f"desa {row.kode_desa} ({desa.nama}) bukan desa Kecamatan {kecamatan.nama}",
                        row.line,
                        column,
                    )
                )
                continue
            if not YEAR_MIN <= row.tahun <= now.year:
                problems.append(
                    ImportProblem(
                        row.source,
                        f"tahun {row.tahun} di luar {YEAR_MIN}-{now.year}",
                        row.line,
                        "tahun" if row.line is not None else None,
                    )
                )
                continue
            key = (desa.id, row.tahun)
            first = seen.get(key)
            if first is None:
                seen[key] = (row.source, row.line)
                continue
            source, line = first
            where = [] if source == row.source else [f"berkas {source}"]
            where += [] if line is None else [f"baris {line}"]
            problems.append(
                ImportProblem(
                    row.source,
                    f"Desa {desa.nama} tahun {row.tahun} muncul lebih dari sekali "
                    f"(pertama di {' '.join(where)})",
                    row.line,
                    column,
                )
            )
    return problems


def check_idm_files(
    uow: UnitOfWork,
    files: Sequence[IdmFile],
    *,
    kecamatan: Kecamatan,
    now: datetime,
    explain: Explain,
    replace: bool = False,
    unreadable: Sequence[ImportProblem] = (),
) -> tuple[list[ImportProblem], dict[int, ImportBatch]]:
    """Every problem of IDM files before anything is stored, and the earlier batches
    that ``replace`` will undo (by the file's index).

    The problems: ``unreadable`` (files that could not be read at all), those of
    reading each file, a file imported already (unless ``replace``), two files with the
    same bytes, and the rules of :func:`check_idm_rows`.
    """
    problems: list[ImportProblem] = list(unreadable)
    for item in files:
        problems += item.parsed.problems
        if not item.parsed.problems and not item.parsed.records:
            problems.append(ImportProblem(item.file.name, "berkas tidak berisi hasil IDM"))
    earlier: dict[int, ImportBatch] = {}
    first_of: dict[str, str] = {}
    checked: list[IdmParse] = []
    for index, item in enumerate(files):
        name, sha = item.file.name, item.file.sha256
        if sha in first_of:  # its rows are those of the first: not reported twice
            same = f"isinya sama persis dengan berkas {first_of[sha]}"
            problems.append(ImportProblem(name, same))
            continue
        first_of[sha] = name
        checked.append(item.parsed)
        found = uow.imports.find_active(kecamatan.id, ImportKind.IDM, sha)
        if found is not None:
            if replace:
                earlier[index] = found
            else:
                problems.append(ImportProblem(name, explain(found)))
    problems += check_idm_rows(uow, checked, kecamatan=kecamatan, now=now)
    if not files and not problems:
        problems.append(ImportProblem("(tanpa berkas)", "tidak ada berkas IDM untuk diimpor"))
    # File by file, line by line: the rules' problems next to the reading's problems.
    order = {name: index for index, name in enumerate(dict.fromkeys(p.source for p in problems))}
    problems.sort(key=lambda p: (order[p.source], p.line or 0))
    return problems, earlier


def import_idm_files(
    uow: UnitOfWork,
    files: Sequence[IdmFile],
    *,
    kecamatan: Kecamatan,
    now: datetime,
    importer: Importer,
    explain: Explain,
    replace: bool = False,
    unreadable: Sequence[ImportProblem] = (),
) -> list[IdmBatchResult]:
    """Store IDM files, one batch each, or nothing at all: any problem found by
    :func:`check_idm_files` raises :class:`ImportFailed` with all of them."""
    problems, earlier = check_idm_files(
        uow,
        files,
        kecamatan=kecamatan,
        now=now,
        explain=explain,
        replace=replace,
        unreadable=unreadable,
    )
    if problems:
        raise ImportFailed(problems)
    results: list[IdmBatchResult] = []
    for index, item in enumerate(files):
        same_name = _same_name(uow, kecamatan.id, ImportKind.IDM, item.file)
        replaced = None
        if index in earlier:
            replaced = _undo(uow, earlier[index], now=now, importer=importer, reason="ganti")
        batch = _open(uow, kecamatan.id, ImportKind.IDM, item.file, importer, now, explain)
        summary = import_idm(
            uow,
            [(item.file.name, item.parsed.records)],
            kecamatan_id=kecamatan.id,
            actor=importer.actor,
            batch_id=batch.id,
        )
        counts = summary.files[0]
        batch = _close(
            uow,
            batch,
            rows_read=len(item.parsed.records),
            stored=counts.inserted + counts.updated,
            replaced=counts.updated,
            replacing=earlier.get(index),
        )
        results.append(IdmBatchResult(batch, counts, summary.items, replaced, same_name))
    return results


# -- SKM -----------------------------------------------------------------------------------


def import_skm_file(
    uow: UnitOfWork,
    rows: Sequence[SkmRow],
    *,
    kecamatan_id: int,
    file: ImportedFile,
    now: datetime,
    importer: Importer,
    explain: Explain,
    replace: bool = False,
) -> SkmBatchResult:
    """Store a typed-in SKM sheet as one batch.

    The same sheet (same bytes) imported already is refused; with ``replace`` its
    responses are deleted first, in the same transaction, so that the respondents
    are counted once.
    """
    earlier = uow.imports.find_active(kecamatan_id, ImportKind.SKM, file.sha256)
    if earlier is not None and not replace:
        raise ImportFailed([ImportProblem(file.name, explain(earlier))])
    same_name = _same_name(uow, kecamatan_id, ImportKind.SKM, file)
    replaced = None
    if earlier is not None:
        replaced = _undo(uow, earlier, now=now, importer=importer, reason="ganti")
    batch = _open(uow, kecamatan_id, ImportKind.SKM, file, importer, now, explain)
    summary = import_skm(
        uow,
        rows,
        kecamatan_id=kecamatan_id,
        source=file.name,
        actor=importer.actor,
        batch_id=batch.id,
    )
    batch = _close(
        uow,
        batch,
        rows_read=len(rows),
        stored=summary.stored,
        replaced=0 if replaced is None else replaced.removed,
        replacing=earlier,
    )
    return SkmBatchResult(batch, summary, replaced, same_name)


# -- undo ----------------------------------------------------------------------------------


def undo_batch(
    uow: UnitOfWork,
    batch_id: int,
    *,
    kecamatan_id: int,
    now: datetime,
    importer: Importer,
    when: When,
) -> UndoResult:
    """Undo a batch of the kecamatan: its SKM responses deleted, or its IDM results put
    back; audited. A batch undone already (or of another kecamatan) is refused."""
    batch = uow.imports.get(batch_id)
    if batch is None:
        raise NotFound(f"Batch impor #{batch_id} tidak ada.")
    if batch.kecamatan_id != kecamatan_id:
        raise NotFound(
            f"Batch impor #{batch_id} milik kecamatan lain; pilih kecamatannya dengan --kecamatan."
        )
    if batch.undone_at is not None:
        raise InvalidInput(_undone_text(batch, when))
    return _undo(uow, batch, now=now, importer=importer, reason="batal", when=when)


def _undone_text(batch: ImportBatch, when: When) -> str:
    assert batch.undone_at is not None
    text = (
        f"Batch impor #{batch.id} ({batch.file_name}) sudah dibatalkan pada "
        f"{when(batch.undone_at)} oleh {batch.undone_by or '-'}"
    )
    if batch.replaced_by is not None:
        text += f" (diganti batch #{batch.replaced_by})"
    return text + "; tidak ada yang diubah."


def _undo(
    uow: UnitOfWork,
    batch: ImportBatch,
    *,
    now: datetime,
    importer: Importer,
    reason: str,
    when: When | None = None,
) -> UndoResult:
    if not uow.imports.mark_undone(batch.id, at=now, by=importer.actor):
        # Undone in the meantime by somebody else: nothing of it is left to undo.
        latest = uow.imports.get(batch.id) or batch
        if when is None:
            raise InvalidInput(f"Batch impor #{batch.id} baru saja dibatalkan; coba lagi.")
        raise InvalidInput(_undone_text(latest, when))
    removed = restored = kept = 0
    if batch.kind is ImportKind.SKM:
        removed = uow.skm.delete_batch_responses(batch.id)
    else:
        for change in uow.imports.idm_changes(batch.id):
            current = uow.idm.get(change.desa_id, change.tahun)
            if current is not None and current.batch_id == batch.id:
                uow.idm.restore(change.desa_id, change.tahun, change.previous)
                if change.previous is None:
                    removed += 1
                else:
                    restored += 1
                continue
            # Changed after this batch: left as it is. A later batch that overwrote this
            # batch's value now remembers what this batch had overwritten.
            kept += 1
            uow.imports.relink_idm_previous(
                change.desa_id, change.tahun, replaced_batch=batch.id, previous=change.previous
            )
    uow.audit.record(
        actor=importer.actor,
        action="undo_import",
        entity="import_batch",
        entity_id=str(batch.id),
        detail={
            "berkas": batch.file_name,
            "jenis": batch.kind.value,
            "alasan": reason,
            "dihapus": removed,
            "dipulihkan": restored,
            "dibiarkan": kept,
        },
        user_id=importer.user_id,
        at=now,
    )
    undone = uow.imports.get(batch.id)
    assert undone is not None
    return UndoResult(undone, removed=removed, restored=restored, kept=kept)


# -- helpers -------------------------------------------------------------------------------


def _same_name(
    uow: UnitOfWork, kecamatan_id: int, kind: ImportKind, file: ImportedFile
) -> list[ImportBatch]:
    """Earlier batches, still standing, of a file with this name but other bytes."""
    return [
        b
        for b in uow.imports.find_active_by_name(kecamatan_id, kind, file.name)
        if b.sha256 != file.sha256
    ]


def _open(
    uow: UnitOfWork,
    kecamatan_id: int,
    kind: ImportKind,
    file: ImportedFile,
    importer: Importer,
    now: datetime,
    explain: Explain,
) -> ImportBatch:
    batch = uow.imports.add(
        ImportBatch(
            id=0,
            kecamatan_id=kecamatan_id,
            kind=kind,
            source=importer.source,
            file_name=file.name,
            sha256=file.sha256,
            actor=importer.actor,
            created_at=now,
            user_id=importer.user_id,
        )
    )
    if batch is None:  # another writer imported the same file a moment ago
        found = uow.imports.find_active(kecamatan_id, kind, file.sha256)
        message = (
            explain(found) if found is not None else "berkas yang sama sedang diimpor; coba lagi"
        )
        raise ImportFailed([ImportProblem(file.name, message)])
    return batch


def _close(
    uow: UnitOfWork,
    batch: ImportBatch,
    *,
    rows_read: int,
    stored: int,
    replaced: int,
    replacing: ImportBatch | None,
) -> ImportBatch:
    uow.imports.set_counts(batch.id, rows_read=rows_read, stored=stored, replaced=replaced)
    if replacing is not None:
        uow.imports.set_replaced_by(replacing.id, batch.id)
    closed = uow.imports.get(batch.id)
    assert closed is not None
    return closed
