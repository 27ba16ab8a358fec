"""Reading imported files: CSV and JSON as text, XLSX through openpyxl.

A file is read once, as bytes (its SHA-256 is taken from the same bytes); the
tables are made from those bytes, whether they come from disk or from Telegram.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from domain.errors import ImportFailed, ImportProblem
from domain.importing import Table, csv_table

__all__ = [
    "read_bytes",
    "read_text",
    "read_table",
    "decode_text",
    "table_from_bytes",
    "xlsx_table",
    "MAX_FILE_BYTES",
    "MAX_XLSX_UNPACKED",
    "MAX_SHEET_ROWS",
]

# Far above any real sheet of a kecamatan; refuses a wrong file before parsing it.
MAX_FILE_BYTES = 20 * 1024 * 1024
# An XLSX is a zip: what its parts may unpack to (a small file can unpack to gigabytes).
MAX_XLSX_UNPACKED = 100 * 1024 * 1024
MAX_SHEET_ROWS = 100_000
_OLD_EXCEL = b"\xd0\xcf\x11\xe0"  # the start of an .xls (Excel 97-2003) file


def _fail(name: str, message: str) -> ImportFailed:
    return ImportFailed([ImportProblem(name, message)])


def read_bytes(path: Path) -> bytes:
    """A file's bytes, refused when larger than ``MAX_FILE_BYTES``."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(
                path.name, f"berkas terlalu besar ({size // 1024 // 1024} MB; maksimal 20 MB)"
            )
        return path.read_bytes()
    except OSError as exc:
        raise _fail(path.name, f"berkas tidak dapat dibaca ({exc.strerror})") from None


def decode_text(content: bytes, name: str) -> str:
    """UTF-8 text (a BOM is allowed)."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(
            name,
            f"berkas bukan teks UTF-8 (bita ke-{exc.start + 1}); simpan ulang sebagai CSV UTF-8",
        ) from None


def read_text(path: Path) -> str:
    """A UTF-8 text file (a BOM is allowed)."""
    return decode_text(read_bytes(path), path.name)


def _column(index: int) -> str:
    """Spreadsheet column letters: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _open_workbook(content: bytes, name: str, *, formulas: bool) -> Any:
    # Imported when an .xlsx is read, not whenever the CLI or the bot starts.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=not formulas)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise _fail(name, "berkas XLSX rusak atau bukan berkas Excel .xlsx") from None


def _check_package(content: bytes, name: str) -> None:
    """Refuse what is no XLSX, or unpacks to too much, before openpyxl reads it."""
    if not content:
        raise _fail(name, "berkas kosong (0 bita)")
    if content.startswith(_OLD_EXCEL):
        raise _fail(
            name,
            "berkas Excel lama (.xls) tidak dapat dibaca; simpan ulang sebagai .xlsx "
            "(Excel 2007 atau lebih baru) atau sebagai CSV",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            unpacked = sum(item.file_size for item in package.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise _fail(name, "berkas XLSX rusak atau bukan berkas Excel .xlsx") from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise _fail(
            name,
            f"isi berkas XLSX terlalu besar ({unpacked // 1024 // 1024} MB setelah dibuka; "
            f"maksimal {MAX_XLSX_UNPACKED // 1024 // 1024} MB)",
        )


def xlsx_table(content: bytes, name: str) -> Table:
    """The first sheet of an XLSX file; its first non-blank row is the header.

    A formula is read with the value the spreadsheet saved with it; a formula saved
    without a value (a file written by a program that does not calculate) is refused
    cell by cell, as is a file that is no XLSX, empty, or too large.
    """
    _check_package(content, name)
    values_book = _open_workbook(content, name, formulas=False)
    formula_book = _open_workbook(content, name, formulas=True)
    problems: list[ImportProblem] = []
    try:
        if not values_book.worksheets:
            raise _fail(name, "berkas XLSX tidak berisi lembar kerja")
        values = values_book.worksheets[0].iter_rows(values_only=True)
        formulas = formula_book.worksheets[0].iter_rows(values_only=True)
        header: list[str] | None = None
        rows: list[tuple[int, dict[str, object]]] = []
        overflow: set[int] = set()
        for number, (row, raw) in enumerate(zip(values, formulas, strict=False), start=1):
            if number > MAX_SHEET_ROWS:
                raise _fail(name, f"lembar pertama berisi lebih dari {MAX_SHEET_ROWS} baris")
            cells = [
                v.date() if isinstance(v, datetime) and v.time() == datetime.min.time() else v
                for v in row
            ]
            for index, (value, written) in enumerate(zip(cells, raw, strict=False)):
                if value is None and isinstance(written, str) and written.startswith("="):
                    label = header[index] if header and index < len(header) else None
                    problems.append(
                        ImportProblem(
                            name,
                            f"sel {_column(index)}{number} berisi rumus tanpa nilai tersimpan "
                            f"({written[:40]}); buka berkasnya di Excel atau LibreOffice lalu "
                            "simpan lagi, atau salin nilainya saja",
                            line=number,
                            field=label or None,
                        )
                    )
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
                continue
            if header is None:
                header = ["" if v is None else str(v).strip().lower() for v in cells]
                while header and not header[-1]:
                    header.pop()
                continue
            if any(v not in (None, "") for v in cells[len(header) :]):
                overflow.add(number)
            padded = cells + [None] * (len(header) - len(cells))
            rows.append((number, dict(zip(header, padded, strict=False))))
        if problems:
            raise ImportFailed(problems)
        return Table(header or [], rows, frozenset(overflow))
    finally:
        values_book.close()
        formula_book.close()


def table_from_bytes(content: bytes, name: str) -> Table:
    """A sheet from the bytes of a ``.csv`` or ``.xlsx`` file (by its name)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return csv_table(decode_text(content, name))
    if suffix == ".xlsx":
        return xlsx_table(content, name)
    raise _fail(name, "jenis berkas tidak didukung (harus .csv atau .xlsx)")


def read_table(path: Path) -> Table:
    """A sheet from a ``.csv`` or ``.xlsx`` file."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise _fail(path.name, "jenis berkas tidak didukung (harus .csv atau .xlsx)")
    return table_from_bytes(read_bytes(path), path.name)
