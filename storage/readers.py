"""Reading imported files from disk: CSV and JSON as text, XLSX through openpyxl."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

from domain.errors import ImportFailed, ImportProblem
from domain.importing import Table, csv_table

__all__ = ["read_text", "read_table", "MAX_FILE_BYTES"]

# Far above any real sheet of a kecamatan; refuses a wrong file before parsing it.
MAX_FILE_BYTES = 20 * 1024 * 1024


def _fail(path: Path, message: str) -> ImportFailed:
    return ImportFailed([ImportProblem(path.name, message)])


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _fail(path, f"berkas tidak dapat dibaca ({exc.strerror})") from None
    if size > MAX_FILE_BYTES:
        raise _fail(path, f"berkas terlalu besar ({size // 1024 // 1024} MB; maksimal 20 MB)")


def read_text(path: Path) -> str:
    """A UTF-8 text file (a BOM is allowed)."""
    _check_size(path)
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(
            path,
            f"berkas bukan teks UTF-8 (bita ke-{exc.start + 1}); simpan ulang sebagai CSV UTF-8",
        ) from None
    except OSError as exc:
        raise _fail(path, f"berkas tidak dapat dibaca ({exc.strerror})") from None


def _xlsx_table(path: Path) -> Table:
    # Imported when an .xlsx is read, not whenever the CLI starts.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise _fail(path, "berkas XLSX rusak atau bukan berkas Excel .xlsx") from None
    try:
        sheet = workbook.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, dict[str, object]]] = []
        overflow: set[int] = set()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [
                v.date() if isinstance(v, datetime) and v.time() == datetime.min.time() else v
                for v in values
            ]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
                continue
            if header is None:
                header = ["" if v is None else str(v).strip().lower() for v in cells]
                while header and not header[-1]:
                    header.pop()
                continue
            if any(v not in (None, "") for v in cells[len(header) :]):
                overflow.add(number)
            rows.append(
                (
                    number,
                    {name: cells[i] if i < len(cells) else None for i, name in enumerate(header)},
                )
            )
        return Table(header or [], rows, frozenset(overflow))
    finally:
        workbook.close()


def read_table(path: Path) -> Table:
    """A sheet from a ``.csv`` or ``.xlsx`` file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return csv_table(read_text(path))
    if suffix == ".xlsx":
        _check_size(path)
        return _xlsx_table(path)
    raise _fail(path, "jenis berkas tidak didukung (harus .csv atau .xlsx)")
