"""The cells of a workbook kept as plain values and written as XML text, not by openpyxl.

Why: a kecamatan-year has thousands of incidents, about 85,000 cells. As openpyxl cells
each one costs an object, a style copy and, when saved, an lxml element (93% of the
export's time, 2.5 s); openpyxl's write-only mode writes each cell through lxml as
well and is no faster. Here a cell is a (value, style id) pair in a :class:`RowStore`,
and its ``<c>`` element is written as text, the way openpyxl writes it: inline strings,
numbers as ``%.16g``, dates as serial numbers on the workbook's epoch, ``s`` the index
of the cell's style in the workbook's ``cellXfs`` (resolved by openpyxl beforehand).

Everything else stays openpyxl's: a sheet may hold openpyxl cells beside the stored
ones (merged cells), and its columns, frozen panes, merged ranges, print setup and
charts are written by openpyxl's own worksheet writer; only the ``sheetData`` element
is put together here, from both kinds of cell, in row and column order, with the row
heights. A place holds one kind of cell or the other, never both (writing refuses it;
:meth:`RowStore.materialize` turns stored cells into openpyxl ones, before a merge).

The hooks are openpyxl 3.1's ``ExcelWriter.write_worksheet`` and ``WorksheetWriter``:
tests/bot/test_export_workbook.py compares the sheets with those openpyxl writes from
the same cells, XML and read back, so that an openpyxl release that changes either
shows there.

openpyxl is imported when a workbook is written, not when the bot or the CLI starts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from copy import copy
from io import BytesIO
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["RowStore", "StoredValue", "save_workbook"]

StoredValue = str | int | float | dt.date | dt.datetime | None
_PLACEHOLDER = b"<sheetData/>"
# Text escaped as libxml2 escapes it (openpyxl writes through lxml): & < > and CR.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;"}
)


class RowStore:
    """The stored cells of one worksheet: row -> column -> (value, style id).

    A value is kept as it is to be shown: text already cleaned of characters XML cannot
    hold (the caller's business, as with openpyxl cells), a naive date or datetime.
    """

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.rows: dict[int, dict[int, tuple[StoredValue, int]]] = {}
        # Row heights in points, written as openpyxl writes a row's set height (it keeps
        # a RowDimension object per row, slow to make by the thousand).
        self.heights: dict[int, float] = {}

    def put(self, row: int, column: int, value: StoredValue, style_id: int) -> None:
        """Store a cell (replacing a stored one at the same place)."""
        self.row(row)[column] = (value, style_id)

    def row(self, number: int) -> dict[int, tuple[StoredValue, int]]:
        """The stored cells of a row by column, to add to (the fastest way to store)."""
        cells = self.rows.get(number)
        if cells is None:
            cells = self.rows[number] = {}
        return cells

    def materialize(self, min_row: int, min_column: int, max_row: int, max_column: int) -> None:
        """Turn the stored cells of a range into openpyxl cells (to merge or restyle them)."""
        styles = cast(Any, self.sheet.parent)._cell_styles
        for row in range(min_row, max_row + 1):
            cells = self.rows.get(row)
            if not cells:
                continue
            for column in range(min_column, max_column + 1):
                stored = cells.pop(column, None)
                if stored is None:
                    continue
                value, style_id = stored
                cell = self.sheet.cell(row=row, column=column)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, as when it was stored
                cast(Any, cell)._style = copy(styles[style_id])
            if not cells:
                del self.rows[row]

    def materialize_all(self) -> None:
        """Every stored cell as an openpyxl cell and every height as openpyxl's: what
        openpyxl alone would have written."""
        for row, height in self.heights.items():
            self.sheet.row_dimensions[row].height = height
        self.heights = {}
        if not self.rows:
            return
        columns = [column for cells in self.rows.values() for column in cells]
        self.materialize(min(self.rows), min(columns), max(self.rows), max(columns))

    def dimension(self) -> str:
        """The sheet's used range, over openpyxl's cells and the stored ones ('A1:M40')."""
        from openpyxl.utils import get_column_letter

        rows = {row for row, _ in self.sheet._cells}
        columns = {column for _, column in self.sheet._cells}
        for row, cells in self.rows.items():
            if cells:
                rows.add(row)
                columns.update(cells)
        if not rows:
            return "A1:A1"
        return (
            f"{get_column_letter(min(columns))}{min(rows)}:"
            f"{get_column_letter(max(columns))}{max(rows)}"
        )

    def sheet_data(self) -> bytes:
        """The ``sheetData`` element: every row, its cells in column order."""
        from openpyxl.utils import get_column_letter

        sheet = self.sheet
        workbook = cast(Any, sheet.parent)
        if workbook.iso_dates:
            raise ValueError("ISO 8601 dates are not written by RowStore")
        cell_text = _CellText(workbook.epoch)
        texts = cell_text.texts
        theirs: dict[int, dict[int, Any]] = {}
        for (row, column), cell in sheet._cells.items():
            theirs.setdefault(row, {})[column] = cell
        dimensions = sheet.row_dimensions
        heights = self.heights
        both_heights = heights.keys() & dimensions.keys()
        if both_heights:
            raise ValueError(f"{sheet.title}: rows {sorted(both_heights)} have two heights")
        numbers = sorted(set(self.rows) | set(theirs) | set(dimensions.keys()) | set(heights))
        letters: dict[int, str] = {}
        parts = ["<sheetData>"]
        append = parts.append
        for number in numbers:
            height = heights.get(number)
            if height is not None:
                attributes = f' ht="{_number(height)}" customHeight="1"'
            else:
                attributes = "".join(
                    f' {key}="{value.translate(_ATTRIBUTE_ESCAPES)}"'
                    for key, value in dimensions.get(number, ())
                )
            stored = self.rows.get(number, {})
            native = theirs.get(number, {})
            if native:
                both = stored.keys() & native.keys()
                if both:
                    raise ValueError(
                        f"{sheet.title}: row {number} columns {sorted(both)} hold a stored and "
                        "an openpyxl cell"
                    )
                columns = sorted(stored.keys() | native.keys())
            else:
                columns = sorted(stored)
            if not columns:
                append(f'<row r="{number}"{attributes}/>')
                continue
            append(f'<row r="{number}"{attributes}>')
            row_ref = f'{number}"'
            for column in columns:
                if column in native:
                    append(_native_cell(native[column]))
                    continue
                letter = letters.get(column)
                if letter is None:
                    letter = letters[column] = '<c r="' + get_column_letter(column)
                value, style_id = stored[column]
                if type(value) is str:  # most cells: the text cache looked up here
                    tail = texts.get((value, style_id)) or cell_text.tail(value, style_id)
                else:
                    tail = cell_text.tail(value, style_id)
                if tail:
                    append(letter + row_ref + tail)
            append("</row>")
        append("</sheetData>")
        return "".join(parts).encode("utf-8")


class _CellText:
    """A stored cell's ``<c>`` element after its reference, as openpyxl's writer makes it.

    Texts and dates repeat down a table (statuses, desa, days): each distinct one with
    its style is written once.
    """

    def __init__(self, epoch: dt.datetime) -> None:
        from openpyxl.utils import datetime as excel_dates

        self.epoch = epoch
        self.serial: Callable[[dt.date, dt.datetime], float] = excel_dates.to_excel
        self.texts: dict[tuple[str, int], str] = {}
        self.dates: dict[tuple[dt.date, int], str] = {}

    def tail(self, value: StoredValue, style_id: int) -> str:
        """What follows ``<c r="A1`` (empty: the cell is not written at all)."""
        style = f' s="{style_id}"' if style_id else ""
        if isinstance(value, str):
            key = (value, style_id)
            known = self.texts.get(key)
            if known is None:
                known = self.texts[key] = _text_tail(value, style)
            return known
        if value is None:
            return f'{style} t="n"/>' if style_id else ""
        if isinstance(value, bool):
            return f'{style} t="b"><v>{value:d}</v></c>'
        if isinstance(value, dt.date):
            moment = (value, style_id)
            known = self.dates.get(moment)
            if known is None:
                if isinstance(value, dt.datetime) and value.tzinfo is not None:
                    raise TypeError("Excel does not support timezones in datetimes")
                serial = _number(self.serial(value, self.epoch))
                known = self.dates[moment] = f'{style} t="n"><v>{serial}</v></c>'
            return known
        return f'{style} t="n"><v>{_number(value)}</v></c>'


def _text_tail(value: str, style: str) -> str:
    """An inline string cell (``xml:space`` kept where the text starts or ends blank)."""
    if not value:
        return f'{style} t="inlineStr"/>'
    space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
    return f'{style} t="inlineStr"><is><t{space}>{value.translate(_ESCAPES)}</t></is></c>'


def _number(value: float) -> str:
    """A number as openpyxl writes it (``%.16g``; NaN and infinities empty)."""
    if type(value) is int and -(10**15) < value < 10**15:
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        return ""
    return f"{value:.16g}"


def _native_cell(cell: Any) -> str:
    """An openpyxl cell written by openpyxl's own cell writer (the few that are not stored)."""
    from openpyxl.cell._writer import etree_write_cell
    from openpyxl.xml.functions import tostring

    if cell._comment is not None or cell.hyperlink is not None:
        raise ValueError(f"{cell.coordinate}: comments and hyperlinks are not written here")
    if cell._value is None and not cell.has_style:
        return ""
    written: list[Any] = []
    etree_write_cell(_Collect(written), cell.parent, cell, cell.has_style)
    return "".join(cast(bytes, tostring(element)).decode("utf-8") for element in written)


class _Collect:
    """Stands for the XML stream openpyxl's cell writer writes to: keeps the elements."""

    def __init__(self, written: list[Any]) -> None:
        self.written = written

    def write(self, element: Any) -> None:
        self.written.append(element)


def save_workbook(workbook: Workbook, stores: Iterable[RowStore]) -> bytes:
    """The workbook's .xlsx bytes, each sheet with a store written with its stored cells."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.writer.excel import ExcelWriter
    from openpyxl.xml.functions import Element

    by_sheet = {id(store.sheet): store for store in stores}

    class _SheetWriter(WorksheetWriter):
        """openpyxl's worksheet writer with the rows left out (put in afterwards)."""

        def __init__(self, sheet: Worksheet, store: RowStore) -> None:
            super().__init__(sheet, out=BytesIO())
            self.store = store

        def write_dimensions(self) -> None:
            from openpyxl.worksheet.dimensions import SheetDimension

            self.xf.send(SheetDimension(self.store.dimension()).to_tree())

        def write_rows(self) -> None:
            self.xf.send(Element("sheetData"))

    class _Writer(ExcelWriter):
        def write_worksheet(self, ws: Any) -> None:
            store = by_sheet.get(id(ws))
            if store is None:
                super().write_worksheet(ws)
                return
            from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing

            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            writer = _SheetWriter(ws, store)
            writer.write()
            ws._rels = cast(Any, writer)._rels
            xml = writer.read()
            if xml.count(_PLACEHOLDER) != 1:
                raise ValueError(f"{ws.title}: no single empty sheetData to fill")
            cast(Any, self)._archive.writestr(
                ws.path[1:], xml.replace(_PLACEHOLDER, store.sheet_data())
            )
            self.manifest.append(ws)

    buffer = BytesIO()
    workbook.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
    with ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        _Writer(workbook, archive).save()
    return buffer.getvalue()
