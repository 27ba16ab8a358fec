"""The full IKU report as an Excel workbook, for /ekspor and ``iku-bot report --format xlsx``.

Sheets, each with title rows (what, period, when made), a bold filled header row that
stays frozen while scrolling, set column widths and wrapped long text:

- ``IKU``: the signed table's columns (no, kinerja utama, indikator, formula, target,
  realisasi, capaian, sumber data, penanggung jawab) and keterangan;
- ``Konflik`` and ``Trantibum``: every incident of the period, under a summary
  (jumlah, tertangani, persentase) equal to the IKU row; a case the viewer may not
  open is listed without its description and reporter, and a group's workbook has
  the counts per desa and status instead of the list (domain.export decides who
  sees what);
- ``SKM``: per unsur the sums, NRR and NRR x 1/9, then IKM, NIK, mutu, kinerja and the
  sample against the minimum, in total and per service;
- ``SKM Responden``: the respondent profile (counts and shares);
- ``SKM Saran``: the suggestions with their day and service only (for those who may
  read them; others see how many there are);
- ``IDM``: every desa with IKS, IKE, IKL, the stored score and status, counts per status;
- ``Desa Tematik``: the active designations of the year;
- ``Bukti``: the evidence files of the cases the viewer may open (metadata and SHA-256,
  never the bytes); in a group's workbook a note instead.

Numbers stay numbers with a number format, so that the office can compute with them:
percentages are fractions shown as ``0.00%`` (50% is 0.5), NIK ``0.00``, NRR and IKM
``0.0000``, counts integers, dates real dates shown ``dd-mm-yyyy`` (instants on the
office clock). A value that does not exist is "-"; a handling indicator without any
incident says "tidak ada kejadian" (never 0% or 100%).

Every text is written as a string cell, never as a formula: a user's "=..." stays
text (and is marked with a quote prefix, so that editing the cell keeps it text).

openpyxl is imported when a workbook is written, not when the bot or the CLI starts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from bot import texts
from bot.formatting import STATUS_TEXT
from bot.reports.iku import fmt_date_id, fmt_datetime_id
from bot.reports.printing import (
    LINE_POINTS,
    PrintSetup,
    line_room,
    lines_needed,
    print_setup,
    setup_page,
)
from bot.reports.sheet_rows import RowStore, save_workbook
from domain.audit import Channel
from domain.desa_progress import ProgressReport
from domain.documents import Signatory, capaian_category
from domain.export import (
    PROFILE_QUESTIONS,
    CaseCount,
    Disclosure,
    ExportData,
    handling_days,
)
from domain.idm import DIMENSIONS, IdmStatus, VillageIndex, index_for_year
from domain.incidents import category_label
from domain.models import IncidentKind, IndicatorCode, KonflikStage
from domain.period import Period
from domain.ports import IncidentRecord
from domain.records import TEMA_LABEL
from domain.report import HandlingDetail, IkuReport, IkuRow

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "PERCENT",
    "DATE",
    "DATETIME",
    "SHEETS",
    "report_workbook",
    "build_workbook",
    "workbook_name",
    "no_events",
]

PERCENT = "0.00%"
NIK = "0.00"
NRR = "0.0000"
INTEGER = "0"
DATE = "dd-mm-yyyy"
DATETIME = "dd-mm-yyyy hh:mm"
# The IDM score as stored (14 decimals): at least 4 shown, every further digit kept.
SCORE = "0.0000##########"
_FORMATS = {"%": PERCENT, "NIK": NIK, "desa": INTEGER}
# Arial (Liberation Sans where LibreOffice prints it: the same widths), 10 pt.
FONT = "Arial"
FONT_SIZE = 10
_MISSING = texts.WB_MISSING
_STAGES = {
    KonflikStage.POTENSI.value: texts.STAGE_POTENSI,
    KonflikStage.TERJADI.value: texts.STAGE_TERJADI,
}
_FORMULA_START = ("=", "+", "-", "@")
_MAX_TEXT = 32767  # characters of a cell's text (openpyxl cuts there too)
# Control characters XML 1.0 cannot hold (openpyxl's _ILLEGAL).
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

SHEETS: tuple[str, ...] = (
    texts.WB_SHEET_IKU,
    texts.WB_SHEET_KONFLIK,
    texts.WB_SHEET_TRANTIBUM,
    texts.WB_SHEET_SKM,
    texts.WB_SHEET_PROFILE,
    texts.WB_SHEET_SARAN,
    texts.WB_SHEET_IDM,
    texts.WB_SHEET_PROGRESS,
    texts.WB_SHEET_TEMATIK,
    texts.WB_SHEET_BUKTI,
)

Value = str | int | float | date | datetime | None


@dataclass(frozen=True, slots=True)
class Cell:
    """A value and its number format (None: General)."""

    value: Value
    fmt: str | None = None


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a sheet's table: header, width in characters, wrapped or not."""

    header: str
    width: float
    wrap: bool = False
    right: bool = False


def _missing() -> Cell:
    return Cell(_MISSING)


def _count(value: int | None) -> Cell:
    return _missing() if value is None else Cell(value, INTEGER)


def _decimal(value: Decimal | None, fmt: str) -> Cell:
    return _missing() if value is None else Cell(float(value), fmt)


def _fraction(value: Decimal | None) -> Cell:
    """A share already expressed as a fraction (0.5 is 50%)."""
    return _missing() if value is None else Cell(float(value), PERCENT)


def _percent(value: Decimal | None) -> Cell:
    """A percentage as the domain gives it (50.00) stored as the fraction 0.5."""
    return _missing() if value is None else Cell(float(value / 100), PERCENT)


def _yes_no(value: bool | None) -> Cell:
    if value is None:
        return _missing()
    return Cell(texts.WB_YES if value else texts.WB_NO)


# The looks of cells outside the tables (_Styles.looks).
_PLAIN = "biasa"
_BOLD = "tebal"
_TITLE = "judul"
_SUBTITLE = "subjudul"
_NOTE = "catatan"
_RIGHT = "kanan"
_HEADER = "kepala"
_SIGN = "ttd"
_SIGN_BOLD = "ttd tebal"
_SIGN_NAME = "ttd nama"


class _Styles:
    """The cell styles of one workbook: named table styles and a few looks, each resolved once.

    Setting font, border and alignment cell by cell makes openpyxl hash each style
    object again for every cell (seconds for a few thousand incidents). Every cell is
    stored instead (:mod:`bot.reports.sheet_rows`) with the id of its resolved style,
    found once per named style or look, number format, quote prefix and kind of date.
    """

    def __init__(self, workbook: Workbook) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.workbook = workbook
        self.made: set[str] = set()
        self.names: dict[tuple[str | None, bool, bool, bool], str] = {}
        self.ids: dict[tuple[str, str, str | None, bool, type | None], int] = {}
        self.stores: list[RowStore] = []  # every sheet's stored cells, to write them
        thin = Side(style="thin")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.header_fill = PatternFill("solid", fgColor="DDEBF7")
        bold = Font(name=FONT, size=FONT_SIZE, bold=True)
        centre = Alignment(horizontal="center")
        plain = Font(name=FONT, size=FONT_SIZE)
        underlined = Font(name=FONT, size=FONT_SIZE, bold=True, underline="single")
        # Each look: the font, fill, alignment and border it sets (None: left as it is).
        self.looks: dict[str, tuple[Font | None, PatternFill | None, Alignment | None]] = {
            _PLAIN: (None, None, None),
            _BOLD: (bold, None, None),
            _TITLE: (Font(name=FONT, bold=True, size=13), None, None),
            _SUBTITLE: (Font(name=FONT, bold=False, size=FONT_SIZE), None, None),
            _NOTE: (Font(name=FONT, size=FONT_SIZE, italic=True), None, None),
            _RIGHT: (None, None, Alignment(horizontal="right")),
            _HEADER: (
                bold,
                self.header_fill,
                Alignment(horizontal="center", vertical="center", wrap_text=True),
            ),
            _SIGN: (plain, None, centre),
            _SIGN_BOLD: (bold, None, centre),
            _SIGN_NAME: (underlined, None, centre),
        }

    def name(self, *, fmt: str | None, bold: bool, wrap: bool, right: bool) -> str:
        """The name of the table style with these properties (registered on first use)."""
        key = (fmt, bold, wrap, right)
        known = self.names.get(key)
        if known is not None:
            return known
        name = "IKU tabel" + " tebal" * bold + " lipat" * wrap + " kanan" * right
        name += f" {fmt}" if fmt else ""
        if name not in self.made:
            from openpyxl.styles import Alignment, Font, NamedStyle

            style = NamedStyle(name=name)
            style.font = Font(name=FONT, size=FONT_SIZE, bold=bold)
            style.border = self.border
            style.alignment = Alignment(
                vertical="top", wrap_text=wrap, horizontal="right" if right else None
            )
            if fmt is not None:
                style.number_format = fmt
            self.workbook.add_named_style(style)
            self.made.add(name)
        self.names[key] = name
        return name

    def style_id(
        self,
        sheet: Worksheet,
        *,
        named: str = "",
        look: str = _PLAIN,
        fmt: str | None = None,
        quote: bool,
        value: Value,
    ) -> int:
        """The workbook's style id of a cell holding ``value``, in a named style or a look.

        Resolved as openpyxl resolves a cell's style, on a cell that is not placed on
        the sheet: the named style, the value (a date whose format is no date format
        gets openpyxl's default date format), the quote prefix of a text that looks
        like a formula, the number format, then the look's font, fill and alignment.
        """
        kind = type(value) if isinstance(value, date) else None
        key = (named, look, fmt, quote, kind)
        known = self.ids.get(key)
        if known is not None:
            return known
        from openpyxl.cell.cell import Cell as SheetCell

        sample = SheetCell(sheet, row=1, column=1)
        if named:
            sample.style = named
        if kind is not None:
            sample.value = value
        if quote:
            sample.quotePrefix = True
        if fmt is not None and not named:
            sample.number_format = fmt
        font, fill, alignment = self.looks[look]
        if font is not None:
            sample.font = font
        if fill is not None:
            sample.fill = fill
            sample.border = self.border  # a filled look is the header: with borders
        if alignment is not None:
            sample.alignment = alignment
        found = self.ids[key] = sample.style_id
        return found


def _clean(value: Value) -> tuple[Value, bool]:
    """A value as a cell holds it and whether it needs the quote prefix.

    Text is always a string, never a formula: characters XML cannot hold are dropped,
    it is cut at Excel's limit, and one that looks like a formula is marked with a quote
    prefix, so that editing the cell keeps it text.
    """
    if not isinstance(value, str):
        return value, False
    text = _ILLEGAL.sub("", value)[:_MAX_TEXT]
    return text, len(text) > 1 and text.startswith(_FORMULA_START)


class _SheetWriter:
    """Writes one sheet top to bottom: titles, summary pairs, the table, more blocks.

    Every cell is stored in the sheet's :class:`RowStore` with its style id, and every
    row height there too; openpyxl cells are made only where cells are merged.
    """

    def __init__(self, sheet: Worksheet, columns: Sequence[Column], styles: _Styles) -> None:
        from openpyxl.utils import get_column_letter

        self.sheet = sheet
        self.columns = list(columns)
        self.styles = styles
        self.row = 1
        self.header_rows: tuple[int, int] | None = None  # the first table header's rows
        self.store = RowStore(sheet)
        styles.stores.append(self.store)
        # A table cell's style id by column, number format, bold, quote prefix, kind of date.
        self._ids: dict[tuple[int, str | None, bool, bool, type | None], int] = {}
        # The wrapped columns' widths and room, by column number (their texts set the row
        # height; a text no longer than the room fits on one line, see lines_needed).
        self._wrap_widths = {
            number: (column.width, line_room(column.width))
            for number, column in enumerate(self.columns, start=1)
            if column.wrap
        }
        for number, column in enumerate(self.columns, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = column.width

    def put(
        self, column: int, item: Cell | Value, *, bold: bool = False, look: str | None = None
    ) -> None:
        """One cell of the current row outside a table: plain, bold, or in ``look``."""
        self.put_at(self.row, column, item, look=look or (_BOLD if bold else _PLAIN))

    def put_at(self, row: int, column: int, item: Cell | Value, *, look: str) -> None:
        """One cell outside a table, anywhere on the sheet."""
        value, fmt = (item.value, item.fmt) if isinstance(item, Cell) else (item, None)
        value, quote = _clean(value)
        style_id = self.styles.style_id(self.sheet, look=look, fmt=fmt, quote=quote, value=value)
        self.store.put(row, column, value, style_id)

    def merge(self, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        """Merge a range (its stored cells become openpyxl cells first, as merging needs)."""
        self.store.materialize(first_row, first_column, last_row, last_column)
        self.sheet.merge_cells(
            start_row=first_row, start_column=first_column, end_row=last_row, end_column=last_column
        )

    def titles(self, lines: Sequence[str]) -> None:
        """Title rows (the first one larger and bold), then an empty row."""
        for number, line in enumerate(lines):
            self.put(1, line, look=_TITLE if number == 0 else _SUBTITLE)
            self.row += 1
        self.row += 1

    def pairs(self, items: Sequence[tuple[str, Cell]], value_column: int) -> None:
        """Label-value rows (label in column A, spilling right), then an empty row."""
        for label, value in items:
            self.put(1, label, bold=True)
            self.put(value_column, value, look=_RIGHT)
            self.row += 1
        self.row += 1

    def header(self, headers: Sequence[str] | None = None, first: int = 1, *, freeze: bool) -> None:
        """A bold, filled header row; with ``freeze`` everything above the next row stays."""
        shown = list(headers or [c.header for c in self.columns])
        for offset, text in enumerate(shown):
            self.header_cell(self.row, first + offset, text)
        self.fit_height(self.row, {first + offset: text for offset, text in enumerate(shown)})
        if freeze:
            self.sheet.freeze_panes = f"A{self.row + 1}"
        if self.header_rows is None:
            self.header_rows = (self.row, self.row)
        self.row += 1

    def header_cell(self, row: int, column: int, text: str) -> None:
        """One bold, filled, centred header cell with borders."""
        self.put_at(row, column, text, look=_HEADER)

    def fit_height(self, row: int, texts_by_column: dict[int, object]) -> None:
        """Make ``row`` tall enough for its wrapped texts (not every program does it)."""
        needed = 1
        for column, value in texts_by_column.items():
            if not isinstance(value, str) or column > len(self.columns):
                continue
            needed = max(needed, lines_needed(value, self.columns[column - 1].width))
        if needed > 1:
            self.store.heights[row] = needed * LINE_POINTS

    def line(
        self,
        cells: Sequence[Cell | Value],
        first: int = 1,
        *,
        bold: bool = False,
        unfitted: frozenset[int] = frozenset(),
    ) -> None:
        """A table row with borders; long-text columns wrap (the row grows to show them).

        Each cell's named table style (by number format, bold, the column's wrap and
        alignment), quote prefix and kind of date give its style id, found once per
        sheet and kept: a kecamatan-year has thousands of rows.
        """
        needed = 1
        stored = self.store.row(self.row)
        ids = self._ids
        wrap_widths = self._wrap_widths
        illegal = _ILLEGAL
        for offset, item in enumerate(cells):
            column = first + offset
            if isinstance(item, Cell):
                value, fmt = item.value, item.fmt
            else:
                value, fmt = item, None
            quote = False
            if isinstance(value, str):
                wrapped = wrap_widths.get(column)
                if (
                    wrapped is not None
                    and (len(value) > wrapped[1] or "\n" in value)
                    and column not in unfitted
                ):
                    needed = max(needed, lines_needed(value, wrapped[0]))
                value = illegal.sub("", value)[:_MAX_TEXT]  # as _clean, inline: every cell
                quote = len(value) > 1 and value.startswith(_FORMULA_START)
            kind = type(value) if isinstance(value, date) else None
            key = (column, fmt, bold, quote, kind)
            style_id = ids.get(key)
            if style_id is None:
                spec = self.columns[column - 1] if column <= len(self.columns) else None
                name = self.styles.name(
                    fmt=fmt,
                    bold=bold,
                    wrap=spec is not None and spec.wrap,
                    right=spec is not None and spec.right,
                )
                style_id = self.styles.style_id(self.sheet, named=name, quote=quote, value=value)
                ids[key] = style_id
            stored[column] = (value, style_id)
        if needed > 1:
            self.store.heights[self.row] = needed * LINE_POINTS
        self.row += 1

    def note(self, text: str) -> None:
        """A line of explanation (not part of any table)."""
        self.put(1, text, look=_NOTE)
        self.row += 1

    def skip(self) -> None:
        """An empty row."""
        self.row += 1


def _header_of(sheet: Worksheet) -> tuple[int, int] | None:
    """The header row of a sheet's table: the row above where it is frozen."""
    frozen = sheet.freeze_panes
    if not frozen:
        return None
    row = int("".join(ch for ch in frozen if ch.isdigit()))
    return (row - 1, row - 1) if row > 1 else None


def workbook_name(report: IkuReport) -> str:
    """'IKU-Larangan-2026.xlsx', '...-2026-S1', '...-2026-TW3', or '...-20260101-20261125'."""
    nama = re.sub(r"[^A-Za-z0-9]+", "-", report.kecamatan.nama).strip("-") or "Kecamatan"
    return f"IKU-{nama}-{_period_tag(report.period)}.xlsx"


def _period_tag(period: Period) -> str:
    year = period.start.year
    if period.end.year == year:
        if (period.start, period.end) == (date(year, 1, 1), date(year, 12, 31)):
            return str(year)
        for number in (1, 2):
            semester = Period.semester(year, number)
            if (period.start, period.end) == (semester.start, semester.end):
                return f"{year}-S{number}"
        for number in (1, 2, 3, 4):
            quarter = Period.quarter(year, number)
            if (period.start, period.end) == (quarter.start, quarter.end):
                return f"{year}-TW{number}"
    return f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"


def no_events(report: IkuReport, row: IkuRow) -> bool:
    """True for a handling indicator whose period had no incident at all."""
    if row.code is IndicatorCode.KONFLIK_TERTANGANI:
        return report.konflik.result.no_events
    if row.code is IndicatorCode.TRANTIBUM_TERTANGANI:
        return report.trantibum.result.no_events
    return False


def _amount(value: Decimal | None, satuan: str) -> Cell:
    """A target or realisasi in its unit: percentages as fractions, counts as integers."""
    if value is None:
        return _missing()
    if satuan == "%":
        return _percent(value)
    if satuan == "desa" and value == value.to_integral_value():
        return Cell(int(value), INTEGER)
    return Cell(float(value), _FORMATS.get(satuan))


def _titles(report: IkuReport, title: str) -> list[str]:
    kec = report.kecamatan
    moment = report.generated_at
    return [
        title,
        texts.WB_PERIOD.format(
            mulai=fmt_date_id(report.period.start), sampai=fmt_date_id(report.period.end)
        ),
        texts.WB_GENERATED.format(
            kabupaten=kec.kabupaten,
            provinsi=kec.provinsi,
            waktu=fmt_datetime_id(moment),
        ),
    ]


def _local(moment: datetime | None, tz: tzinfo) -> datetime | None:
    """An instant as a naive wall time on the office clock (Excel has no time zones)."""
    if moment is None:
        return None
    return moment.astimezone(tz).replace(tzinfo=None)


def _year_label(period: Period) -> str:
    """The period's year as a column header: '2026', or the part of it ('2026 S1')."""
    tag = _period_tag(period)
    year = str(period.year_of_record)
    if tag == year:
        return year
    if "-" in tag and tag.startswith(year + "-"):
        return f"{year} {tag.removeprefix(year + '-')}"
    if period.start == date(period.end.year, 1, 1):  # the year so far
        return f"{year} s.d. {fmt_date_id(period.end).rsplit(' ', 1)[0]}"
    return f"{fmt_date_id(period.start)} - {fmt_date_id(period.end)}"


def _realisasi(report: IkuReport, row: IkuRow) -> Cell:
    if no_events(report, row):
        return Cell(texts.SUMMARY_NO_EVENTS)
    return _amount(row.realisasi, row.definition.satuan)


def _iku_sheet(
    sheet: Worksheet,
    data: ExportData,
    styles: _Styles,
    setup: PrintSetup,
    note: str | None = None,
) -> None:
    """The signed table as the LKjIP prints it: earlier years beside this one, signed."""
    report = data.report
    earlier = list(data.earlier)
    tahun = _year_label(report.period)
    years = [str(r.period.year_of_record) for r in earlier] + [tahun]
    # No, kinerja utama, indikator, satuan, formula, target, realisasi per year, capaian,
    # kategori, sumber data, penanggung jawab, keterangan.
    heads = texts.WB_HEADERS_IKU
    spec: list[tuple[str, float, bool, bool]] = [
        (heads[0], 5, False, False),
        (heads[1], 22, True, False),
        (heads[2], 26, True, False),
        (heads[3], 9, True, False),
        (heads[4], 34, True, False),
        (heads[5].format(tahun=tahun), 10, True, True),
        *[(year, 11, True, True) for year in years],
        (heads[7].format(tahun=tahun), 10, True, True),
        (heads[8], 11, True, False),
        (heads[9], 14, True, False),
        (heads[10], 20, True, False),
        (heads[11], 28, True, False),
    ]
    columns = [Column(h, w, wrap, right) for h, w, wrap, right in spec]
    out = _SheetWriter(sheet, columns, styles)
    titles = _titles(report, texts.WB_TITLE_IKU.format(kecamatan=report.kecamatan.nama))
    out.titles(titles if note is None else [*titles, note])
    # Two header rows: "Realisasi" over the years; every other header spans both rows.
    top = out.row
    first_year = 7
    last_year = first_year + len(years) - 1
    for number, column in enumerate(columns, start=1):
        if first_year <= number <= last_year:
            out.header_cell(top + 1, number, column.header)
            continue
        out.header_cell(top, number, column.header)
        out.header_cell(top + 1, number, "")
        out.merge(top, number, top + 1, number)
    out.header_cell(top, first_year, texts.WB_IKU_REALISASI_OF)
    for number in range(first_year + 1, last_year + 1):
        out.header_cell(top, number, "")
    if last_year > first_year:
        out.merge(top, first_year, top, last_year)
    out.fit_height(top, {n: c.header for n, c in enumerate(columns, start=1)})
    out.header_rows = (top, top + 1)
    out.row = top + 2
    sheet.freeze_panes = f"A{out.row}"
    groups: list[tuple[int, int, str]] = []  # first row, last row, kinerja utama
    for row in report.rows:
        definition = row.definition
        before = [_earlier_realisasi(r, row) for r in earlier]
        category = capaian_category(row.capaian)
        line = out.row
        out.line(
            [
                Cell(definition.number),
                row.kinerja_utama,
                definition.indikator,
                texts.WB_SATUAN.get(definition.satuan, definition.satuan),
                row.formula,
                _amount(row.target, definition.satuan),
                *before,
                _realisasi(report, row),
                _percent(row.capaian),
                category or _MISSING,
                row.sumber_data,
                definition.owner.full_name,
                row.keterangan,
            ],
            unfitted=frozenset({2}),  # "Kinerja Utama" is merged over its rows: fitted below
        )
        if groups and groups[-1][2] == row.kinerja_utama and groups[-1][1] == line - 1:
            groups[-1] = (groups[-1][0], line, row.kinerja_utama)
        else:
            groups.append((line, line, row.kinerja_utama))
    for first, last, text in groups:
        if last > first:  # "Kinerja Utama" once over its indicators
            out.merge(first, 2, last, 2)
        _fit_merged(out, first, last, lines_needed(text, columns[1].width))
    out.skip()
    out.note(texts.WB_CAPAIAN_NOTE)
    _signature(out, setup.signer, report, first_column=len(columns) - 3, last_column=len(columns))
    setup_page(sheet, setup.paper, title_rows=out.header_rows)


def _earlier_realisasi(earlier: IkuReport, row: IkuRow) -> Cell:
    """The realisasi of the same indicator in an earlier year's report."""
    for other in earlier.rows:
        if other.code is row.code:
            return _realisasi(earlier, other)
    return _missing()


def _fit_merged(out: _SheetWriter, first: int, last: int, lines: int) -> None:
    """Give a merged cell's rows together the height its text needs (the last row grows)."""
    stored = out.store.heights
    heights = [stored.get(r) or LINE_POINTS for r in range(first, last + 1)]
    missing = lines * LINE_POINTS - sum(heights)
    if missing > 0:
        stored[last] = heights[-1] + missing


def _signature(
    out: _SheetWriter,
    signer: Signatory,
    report: IkuReport,
    *,
    first_column: int,
    last_column: int,
) -> None:
    """Place and date, jabatan, room to sign, name, pangkat and NIP, on the right."""
    day = report.generated_at.date()
    lines: list[tuple[str, str]] = [
        (texts.WB_SIGN_DATE.format(tempat=signer.place, tanggal=fmt_date_id(day)), _SIGN),
        (signer.jabatan, _SIGN_BOLD),
        ("", _SIGN),
        ("", _SIGN),
        ("", _SIGN),
        (signer.nama or texts.WB_SIGN_BLANK_NAME, _SIGN_NAME),
    ]
    if signer.pangkat:
        lines.append((signer.pangkat, _SIGN))
    nip = texts.WB_SIGN_NIP.format(nip=signer.nip) if signer.nip else texts.WB_SIGN_BLANK_NIP
    lines.append((nip, _SIGN))
    out.skip()
    for text, look in lines:
        out.put(first_column, text or None, look=look)
        out.merge(out.row, first_column, out.row, last_column)
        out.row += 1


def _count_table(out: _SheetWriter, counts: list[CaseCount]) -> None:
    """The incidents per desa and status, with a total row (the group's version)."""
    out.note(texts.WB_GROUP_COUNTS_NOTE)
    out.skip()
    out.header(texts.WB_HEADERS_CASE_COUNTS, freeze=True)
    for number, item in enumerate(counts, start=1):
        out.line(
            [
                Cell(number),
                item.desa_kode,
                item.desa_nama,
                Cell(item.baru, INTEGER),
                Cell(item.diproses, INTEGER),
                Cell(item.tertangani, INTEGER),
                Cell(item.total, INTEGER),
            ]
        )
    out.line(
        [
            None,
            None,
            texts.WB_PROFILE_TOTAL,
            *(
                Cell(sum(getattr(c, name) for c in counts), INTEGER)
                for name in ("baru", "diproses", "tertangani", "total")
            ),
        ],
        bold=True,
    )


def _incident_sheet(
    sheet: Worksheet,
    styles: _Styles,
    report: IkuReport,
    detail: HandlingDetail,
    records: list[IncidentRecord],
    tz: tzinfo,
    disclosure: Disclosure,
    counts: list[CaseCount],
) -> None:
    konflik = detail.kind is IncidentKind.KONFLIK
    widths = (5, 21, 12, 17, 16, 26, 15, 12, 12, 11, 54, 22, 20)
    wraps = (False, False, False, False, True, True, False, False, False, False, True, True, True)
    zona = report.generated_at.astimezone(tz).tzname() or str(tz)  # WIB, WITA or WIT
    columns = [
        Column(h.format(zona=zona), w, wrap)
        for h, w, wrap in zip(texts.WB_HEADERS_INCIDENT, widths, wraps, strict=True)
        if konflik or h != texts.WB_HEADERS_INCIDENT[6]  # "Tahap" is for conflicts only
    ]
    out = _SheetWriter(sheet, columns, styles)
    title = texts.WB_TITLE_KONFLIK if konflik else texts.WB_TITLE_TRANTIBUM
    out.titles(_titles(report, title.format(kecamatan=report.kecamatan.nama)))
    result = detail.result
    percent = Cell(texts.SUMMARY_NO_EVENTS) if result.no_events else _percent(result.percent)
    out.pairs(
        [
            (texts.WB_INCIDENT_TOTAL, Cell(result.total, INTEGER)),
            (texts.WB_INCIDENT_HANDLED, Cell(result.handled, INTEGER)),
            (texts.WB_INCIDENT_PERCENT, percent),
        ],
        value_column=4,
    )
    out.note(texts.WB_INCIDENT_NOTE)
    if not disclosure.case_lists:
        _count_table(out, counts)
        return
    withheld = sum(item.nomor in disclosure.withheld for item in records)
    if withheld:
        out.note(texts.WB_WITHHELD_NOTE.format(jumlah=withheld))
    out.skip()
    out.header(freeze=True)
    for number, item in enumerate(records, start=1):
        stage: list[Cell | Value] = [_STAGES.get(item.stage or "", _MISSING)] if konflik else []
        handled = _local(item.handled_at, tz)
        days = handling_days(item)
        hidden = item.nomor in disclosure.withheld
        out.line(
            [
                Cell(number),
                item.nomor,
                Cell(item.event_date, DATE),
                Cell(_local(item.received_at, tz), DATETIME),
                item.desa_nama,
                category_label(item.kind, item.category, item.category_detail),
                *stage,
                STATUS_TEXT[item.status],
                _missing() if handled is None else Cell(handled.date(), DATE),
                _count(days),
                texts.WB_WITHHELD if hidden else item.description,
                texts.WB_WITHHELD_SHORT if hidden else item.reporter_nama or _MISSING,
                texts.WB_WITHHELD_SHORT if hidden else item.reporter_jabatan or _MISSING,
            ]
        )


def _skm_sheet(sheet: Worksheet, data: ExportData, styles: _Styles) -> None:
    report = data.report
    skm = report.skm
    columns = [
        Column(h, w) for h, w in zip(texts.WB_HEADERS_UNSUR, (7, 44, 16, 14, 16, 14), strict=True)
    ]
    columns[1] = Column(columns[1].header, columns[1].width, wrap=True)
    out = _SheetWriter(sheet, columns, styles)
    out.titles(_titles(report, texts.WB_TITLE_SKM.format(kecamatan=report.kecamatan.nama)))
    out.note(texts.WB_SKM_NOTE)
    out.skip()
    out.header(freeze=True)
    for line in data.unsur:
        out.line(
            [
                f"U{line.number}",
                line.name,
                Cell(line.total, INTEGER),
                Cell(line.answered, INTEGER),
                _decimal(line.nrr, NRR),
                _decimal(line.weighted, NRR),
            ]
        )
    out.skip()
    result = skm.result
    summary: list[tuple[str, Cell]] = [
        (texts.WB_SKM_IKM, _missing() if result is None else _decimal(result.ikm_rounded(4), NRR)),
        (texts.WB_SKM_NIK, _missing() if result is None else _decimal(result.nik, NIK)),
        (texts.WB_SKM_MUTU, _missing() if result is None else Cell(result.mutu)),
        (texts.WB_SKM_KINERJA, _missing() if result is None else Cell(result.kinerja)),
        (texts.WB_SKM_RESPONDENTS, Cell(skm.respondents, INTEGER)),
        (texts.WB_SKM_POPULATION, _count(skm.population)),
        (texts.WB_SKM_MIN_SAMPLE, _count(skm.min_sample)),
        (texts.WB_SKM_SUFFICIENT, _yes_no(skm.sufficient)),
    ]
    if result is None:
        summary.append(
            (texts.WB_SKM_NOTE_LABEL, Cell(report.row(IndicatorCode.SKM).keterangan or _MISSING))
        )
    for label, value in summary:
        out.put(2, label, bold=True)
        out.put(3, value)
        out.row += 1
    out.skip()
    out.header(texts.WB_HEADERS_SERVICE, first=2, freeze=False)
    for service in data.services:
        out.line(
            [
                service.nama or texts.WB_SKM_NO_SERVICE,
                Cell(service.respondents, INTEGER),
                _count(service.population),
                _count(service.min_sample),
                _yes_no(service.sufficient),
            ],
            first=2,
        )
    rtl = data.rtl
    if rtl is None:
        return
    out.skip()
    title = texts.WB_RTL_TITLE.format(periode=rtl.skm_period.label, ringkas=rtl.figures.text)
    out.put(1, title, bold=True)
    out.row += 1
    if not rtl.rows:
        out.note(texts.WB_RTL_NONE)
        return
    out.header(texts.WB_HEADERS_RTL, freeze=False)
    for item in rtl.rows:
        out.line(
            [
                item.unsur.split(" ", 1)[0],
                item.kegiatan,
                item.penanggung_jawab,
                Cell(item.batas_waktu, DATE),
                item.status,
                _missing() if item.selesai_pada is None else Cell(item.selesai_pada, DATE),
            ]
        )


def _profile_sheet(sheet: Worksheet, data: ExportData, styles: _Styles) -> None:
    report = data.report
    columns = [
        Column(h, w) for h, w in zip(texts.WB_HEADERS_PROFILE, (28, 26, 10, 12), strict=True)
    ]
    out = _SheetWriter(sheet, columns, styles)
    out.titles(_titles(report, texts.WB_TITLE_PROFILE.format(kecamatan=report.kecamatan.nama)))
    out.note(texts.WB_PROFILE_NOTE)
    out.skip()
    out.header(freeze=True)
    tables = {table.question: table for table in data.profile}
    for key in PROFILE_QUESTIONS:
        table = tables[key]
        question = texts.WB_PROFILE_QUESTION[key]
        for line in table.lines:
            out.line(
                [
                    question,
                    line.label if line.label is not None else texts.WB_PROFILE_BLANK,
                    Cell(line.count, INTEGER),
                    _fraction(line.share),
                ]
            )
        whole = _fraction(Decimal(1) if table.total else None)
        out.line([question, texts.WB_PROFILE_TOTAL, Cell(table.total, INTEGER), whole], bold=True)


def _saran_sheet(sheet: Worksheet, data: ExportData, styles: _Styles) -> None:
    report = data.report
    columns = [
        Column(h, w, wrap)
        for h, w, wrap in zip(
            texts.WB_HEADERS_SARAN, (5, 14, 30, 90), (False, False, True, True), strict=True
        )
    ]
    out = _SheetWriter(sheet, columns, styles)
    out.titles(_titles(report, texts.WB_TITLE_SARAN.format(kecamatan=report.kecamatan.nama)))
    out.note(texts.WB_SARAN_NOTE)
    out.skip()
    out.header(freeze=True)
    shown = data.disclosure
    if shown.suggestions_withheld:
        group = shown.channel is Channel.GROUP
        note = texts.WB_SARAN_GROUP if group else texts.WB_SARAN_WITHHELD
        out.note(note.format(jumlah=shown.suggestions_withheld))
    elif not data.suggestions:
        out.note(texts.WB_SARAN_NONE)
    for number, item in enumerate(data.suggestions, start=1):
        out.line([Cell(number), Cell(item.survey_date, DATE), item.service or _MISSING, item.saran])


def _idm_title(report: IkuReport) -> str:
    """The sheet's title by the indices of the year's results (by the year without any)."""
    idm = report.idm
    found = idm.indices or [index_for_year(idm.tahun)]
    kec = report.kecamatan.nama
    if len(found) > 1:
        return texts.WB_TITLE_IDM_BOTH.format(kecamatan=kec, tahun=idm.tahun)
    if found[0] is VillageIndex.INDEKS_DESA:
        return texts.WB_TITLE_INDEKS_DESA.format(kecamatan=kec, tahun=idm.tahun)
    return texts.WB_TITLE_IDM.format(kecamatan=kec, tahun=idm.tahun)


def _idm_sheet(sheet: Worksheet, report: IkuReport, styles: _Styles) -> None:
    """Every desa's result of the year: which index, the score as published (IDM 0-1,
    Indeks Desa 0-100), the status IKU 1 counts beside the published one and its source,
    the mismatch flag, and the six Indeks Desa dimensions when given."""
    idm = report.idm
    widths = (5, 16, 13, 20, 19, 19, 19, 19, 19, 12, 14, 30, 22, *[14] * len(DIMENSIONS))
    headers = (
        *texts.WB_HEADERS_IDM,
        *texts.WB_HEADERS_IDM_MORE,
        *(label for _, label in DIMENSIONS),
    )
    columns = [Column(h, w) for h, w in zip(headers, widths, strict=True)]
    out = _SheetWriter(sheet, columns, styles)
    out.titles(_titles(report, _idm_title(report)))
    indices = idm.indices or [index_for_year(idm.tahun)]
    if VillageIndex.IDM in indices:
        out.note(texts.WB_IDM_NOTE)
    if VillageIndex.INDEKS_DESA in indices:
        out.note(texts.WB_IDM_NOTE_INDEKS)
    out.skip()
    out.header(freeze=True)
    for number, (desa, result) in enumerate(idm.per_desa, start=1):
        head: list[Cell | Value] = [Cell(number), desa.kode, desa.kode_bps, desa.nama]
        if result is None:
            out.line([*head, *[_missing()] * 4, texts.WB_IDM_NO_DATA.format(tahun=idm.tahun)])
            continue
        dimensions = result.dimensions or {}
        out.line(
            [
                *head,
                _decimal(result.iks, SCORE),
                _decimal(result.ike, SCORE),
                _decimal(result.ikl, SCORE),
                _decimal(result.score, _SCORE_FORMATS[result.index]),
                result.status.label,
                result.index.label,
                result.status_published or _MISSING,
                result.status_source or result.source or _MISSING,
                texts.WB_IDM_FLAGGED if result.flagged else "",
                *(
                    _decimal(dimensions.get(key), _SCORE_FORMATS[VillageIndex.INDEKS_DESA])
                    for key, _ in DIMENSIONS
                ),
            ]
        )
    out.skip()
    out.put(1, texts.WB_IDM_COUNTS.format(tahun=idm.tahun), bold=True)
    out.row += 1
    counts: list[tuple[str, Cell]] = [
        (status.label, Cell(idm.counts.get(status, 0), INTEGER)) for status in reversed(IdmStatus)
    ]
    counts.append((texts.WB_IDM_WITHOUT, Cell(len(idm.per_desa) - idm.with_data, INTEGER)))
    counts.append((texts.WB_IDM_ALL, Cell(len(idm.per_desa), INTEGER)))
    out.pairs(counts, value_column=4)


# Score formats by index: IDM as stored (at least 4 decimals), Indeks Desa at least 2.
_SCORE_FORMATS = {VillageIndex.IDM: SCORE, VillageIndex.INDEKS_DESA: "0.00##########"}
_CHART_ROWS = 18  # rows left free under the count table for its chart


def _progress_sheet(
    sheet: Worksheet, report: IkuReport, progress: ProgressReport | None, styles: _Styles
) -> None:
    """Each desa's status per year, its score per year, the counts with a chart, the closest.

    Statuses and scores are two tables of the same shape (one column per year) rather
    than two columns per year: each stays narrow enough for A4/F4 landscape, and the
    scores stay numbers. The chart is Excel's own (stacked columns per status).
    """
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    years = [] if progress is None else progress.years
    year_columns = [Column(str(t), 12, right=False) for t in years]
    columns = [
        Column(texts.WB_PROGRESS_HEAD[0], 5),
        Column(texts.WB_PROGRESS_HEAD[1], 16),
        Column(texts.WB_PROGRESS_HEAD[2], 20),
        *year_columns,
        Column(texts.WB_PROGRESS_LAST, 30, wrap=True),
    ]
    out = _SheetWriter(sheet, columns, styles)
    for number in range(len(columns) + 1, 12):  # the count table's columns
        sheet.column_dimensions[get_column_letter(number)].width = 12
    tahun = report.period.year_of_record
    first = years[0] if years else (progress.first if progress else tahun)
    rentang = str(first) if not years or first == years[-1] else f"{first}-{years[-1]}"
    out.titles(
        _titles(
            report, texts.WB_TITLE_PROGRESS.format(kecamatan=report.kecamatan.nama, rentang=rentang)
        )
    )
    out.note(texts.WB_PROGRESS_NOTE)
    out.skip()
    if progress is None or not years:
        out.note(texts.WB_PROGRESS_NO_DATA.format(rentang=f"{first}-{tahun}"))
        return
    out.header(
        [
            *texts.WB_PROGRESS_HEAD,
            *(texts.WB_PROGRESS_STATUS.format(tahun=t) for t in years),
            texts.WB_PROGRESS_LAST,
        ],
        freeze=True,
    )
    for number, item in enumerate(progress.desa, start=1):
        statuses: list[Cell | Value] = []
        for t in years:
            year = item.at(t)
            statuses.append(
                _missing() if year is None else year.status.label + ("*" if year.flagged else "")
            )
        last = item.last_change
        change = (
            _MISSING
            if last is None
            else texts.WB_PROGRESS_CHANGE_TEXT.format(
                change=texts.WB_PROGRESS_CHANGE[last.change.value],
                dari=f"{last.dari_tahun} {last.dari.label}",
                ke=f"{last.ke_tahun} {last.ke.label}",
            )
        )
        out.line([Cell(number), item.desa.kode, item.desa.nama, *statuses, change])
    out.skip()
    out.header(
        [*texts.WB_PROGRESS_HEAD, *(texts.WB_PROGRESS_SCORE.format(tahun=t) for t in years)],
        freeze=False,
    )
    for number, item in enumerate(progress.desa, start=1):
        scores: list[Cell | Value] = []
        for t in years:
            year = item.at(t)
            scores.append(
                _missing() if year is None else _decimal(year.score, _SCORE_FORMATS[year.index])
            )
        out.line([Cell(number), item.desa.kode, item.desa.nama, *scores])
    out.skip()
    # Desa per status per year, from column B: the chart's data.
    out.put(1, texts.WB_PROGRESS_COUNTS, bold=True)
    out.row += 1
    order = list(IdmStatus)
    head_row = out.row
    out.header(
        [
            texts.PROGRESS_COUNTS_HEAD,
            texts.WB_PROGRESS_INDEX,
            *(s.label for s in order),
            texts.WB_PROGRESS_WITHOUT,
            texts.WB_IDM_ALL,
        ],
        first=2,
        freeze=False,
    )
    for count in progress.counts:
        out.line(
            [
                Cell(str(count.tahun)),
                count.index.label,
                *(Cell(count.counts[s], INTEGER) for s in order),
                Cell(count.without, INTEGER),
                Cell(count.with_data + count.without, INTEGER),
            ],
            first=2,
        )
    last_row = out.row - 1
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = texts.WB_PROGRESS_CHART
    chart.y_axis.title = texts.PROGRESS_CHART_Y
    chart.x_axis.title = texts.PROGRESS_COUNTS_HEAD
    data = Reference(sheet, min_col=4, max_col=3 + len(order), min_row=head_row, max_row=last_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, min_row=head_row + 1, max_row=last_row))
    for series, status in zip(chart.series, order, strict=True):
        colour = _CHART_COLOURS[status]
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    chart.height = 8.5
    chart.width = 18
    out.skip()
    sheet.add_chart(chart, f"B{out.row}")
    out.row += _CHART_ROWS
    _closest_table(out, progress)


# The statuses' colours, red to green, as the chat's chart (bot/reports/progress.py).
_CHART_COLOURS = {
    IdmStatus.SANGAT_TERTINGGAL: "C0504D",
    IdmStatus.TERTINGGAL: "F79646",
    IdmStatus.BERKEMBANG: "F2C314",
    IdmStatus.MAJU: "9BBB59",
    IdmStatus.MANDIRI: "2E7D32",
}


def _closest_table(out: _SheetWriter, progress: ProgressReport) -> None:
    """Every desa below Mandiri of the last year, closest to its next status first."""
    latest = progress.latest
    assert latest is not None
    index = index_for_year(latest)
    out.put(1, texts.WB_PROGRESS_CLOSEST.format(index=index.label, tahun=latest), bold=True)
    out.row += 1
    out.header(list(texts.WB_PROGRESS_CLOSEST_HEAD), freeze=False)
    if not progress.closest:
        out.note(texts.PROGRESS_CLOSEST_NONE)
    for number, item in enumerate(progress.closest, start=1):
        fmt = _SCORE_FORMATS[item.index]
        basis = (
            texts.WB_PROGRESS_OFFICIAL
            if item.official
            else texts.WB_PROGRESS_ESTIMATE
            if item.needed is not None
            else texts.WB_PROGRESS_NO_ESTIMATE
        )
        out.line(
            [
                Cell(number),
                item.desa.nama,
                item.status.label,
                _decimal(item.score, fmt),
                item.target.label,
                _decimal(item.minimum, fmt),
                _decimal(item.needed, fmt),
                basis,
            ]
        )
    out.skip()
    if any(c.official for c in progress.closest):
        out.note(texts.PROGRESS_CLOSEST_NOTE_IDM)
    if any(not c.official for c in progress.closest):
        out.note(texts.PROGRESS_CLOSEST_NOTE_ESTIMATE)


def _tematik_sheet(
    sheet: Worksheet, report: IkuReport, styles: _Styles, *, typed_texts: bool = True
) -> None:
    tematik = report.tematik
    widths = (5, 16, 20, 24, 8, 44)
    wraps = (False, False, False, True, False, True)
    columns = [
        Column(h, w, wrap)
        for h, w, wrap in zip(texts.WB_HEADERS_TEMATIK, widths, wraps, strict=True)
    ]
    out = _SheetWriter(sheet, columns, styles)
    title = texts.WB_TITLE_TEMATIK.format(kecamatan=report.kecamatan.nama, tahun=tematik.tahun)
    out.titles(_titles(report, title))
    out.pairs([(texts.WB_TEMATIK_COUNT, Cell(tematik.count, INTEGER))], value_column=4)
    out.header(freeze=True)
    if not tematik.items:
        out.note(texts.WB_TEMATIK_NONE.format(tahun=tematik.tahun))
    for number, (desa, item) in enumerate(tematik.items, start=1):
        tema = TEMA_LABEL[item.tema]
        if item.tema_lainnya and typed_texts:
            tema = f"{tema}: {item.tema_lainnya}"
        referensi = item.referensi if typed_texts else texts.WB_WITHHELD_SHORT
        out.line([Cell(number), desa.kode, desa.nama, tema, Cell(item.tahun), referensi])


def _bukti_sheet(sheet: Worksheet, data: ExportData, styles: _Styles, tz: tzinfo) -> None:
    report = data.report
    zona = report.generated_at.astimezone(tz).tzname() or str(tz)
    widths = (5, 17, 20, 12, 17, 12, 66, 14, 17, 17)
    columns = [
        Column(h.format(zona=zona), w) for h, w in zip(texts.WB_HEADERS_BUKTI, widths, strict=True)
    ]
    out = _SheetWriter(sheet, columns, styles)
    out.titles(_titles(report, texts.WB_TITLE_BUKTI.format(kecamatan=report.kecamatan.nama)))
    out.note(texts.WB_BUKTI_NOTE)
    shown = data.disclosure
    if not shown.case_lists:
        out.note(texts.WB_BUKTI_GROUP)
        return
    if data.evidence_withheld:
        out.note(texts.WB_BUKTI_WITHHELD.format(jumlah=data.evidence_withheld))
    out.skip()
    out.header(freeze=True)
    if not data.evidence:
        out.note(texts.WB_BUKTI_NONE)
    for number, item in enumerate(data.evidence, start=1):
        file = item.file
        out.line(
            [
                Cell(number),
                item.nomor,
                item.desa_nama,
                texts.EVIDENCE_KIND_TEXT[item.kind.value],
                texts.EVIDENCE_ROLE_TEXT[file.role.value],
                texts.EVIDENCE_STATUS_TEXT[file.status.value],
                file.sha256 or _MISSING,
                _count(file.size),
                file.content_type or _MISSING,
                Cell(_local(file.received_at, tz), DATETIME),
            ]
        )


def _default_font(workbook: Workbook) -> None:
    """Arial 10 for every cell without a font of its own (openpyxl's default is Calibri 11)."""
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    # The first font of the workbook is the Normal style's (openpyxl has no setter for it).
    cast(Any, workbook)._fonts = IndexedList([Font(name=FONT, size=FONT_SIZE, family=2)])


# Sheets narrow enough to print upright; the others print landscape.
_PORTRAIT = frozenset({texts.WB_SHEET_SKM, texts.WB_SHEET_PROFILE})


def report_workbook(
    data: ExportData,
    tz: tzinfo,
    setup: PrintSetup | None = None,
    *,
    sheets: Sequence[str] = SHEETS,
) -> bytes:
    """The full report as the bytes of an .xlsx file; instants shown on clock ``tz``.

    ``setup`` gives the paper and the signatory (bawaan: A4, the Camat with dotted lines);
    ``sheets`` which sheets, in the order of :data:`SHEETS` (the IKU table alone to sign).
    """
    workbook, stores = build_workbook(data, tz, setup, sheets=sheets)
    return save_workbook(workbook, stores)


def build_workbook(
    data: ExportData,
    tz: tzinfo,
    setup: PrintSetup | None = None,
    *,
    sheets: Sequence[str] = SHEETS,
) -> tuple[Workbook, list[RowStore]]:
    """The workbook of :func:`report_workbook` before it is written, with its table cells
    still in their stores (:func:`bot.reports.sheet_rows.save_workbook` writes both)."""
    from openpyxl import Workbook

    unknown = set(sheets) - set(SHEETS)
    if unknown or not sheets:
        raise ValueError(f"lembar tidak dikenal: {sorted(unknown)}")
    report = data.report
    setup = setup or print_setup(report.kecamatan)
    workbook = Workbook()
    _default_font(workbook)
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    styles = _Styles(workbook)
    shown = data.disclosure
    group_note = texts.WB_GROUP_NOTE if shown.channel is Channel.GROUP else None
    writers: dict[str, Callable[[Worksheet], None]] = {
        texts.WB_SHEET_IKU: lambda sheet: _iku_sheet(sheet, data, styles, setup, group_note),
        texts.WB_SHEET_KONFLIK: lambda sheet: _incident_sheet(
            sheet,
            styles,
            report,
            report.konflik,
            data.konflik,
            tz,
            shown,
            data.konflik_counts,
        ),
        texts.WB_SHEET_TRANTIBUM: lambda sheet: _incident_sheet(
            sheet,
            styles,
            report,
            report.trantibum,
            data.trantibum,
            tz,
            shown,
            data.trantibum_counts,
        ),
        texts.WB_SHEET_SKM: lambda sheet: _skm_sheet(sheet, data, styles),
        texts.WB_SHEET_PROFILE: lambda sheet: _profile_sheet(sheet, data, styles),
        texts.WB_SHEET_SARAN: lambda sheet: _saran_sheet(sheet, data, styles),
        texts.WB_SHEET_IDM: lambda sheet: _idm_sheet(sheet, report, styles),
        texts.WB_SHEET_PROGRESS: lambda sheet: _progress_sheet(
            sheet, report, data.progress, styles
        ),
        texts.WB_SHEET_TEMATIK: lambda sheet: _tematik_sheet(
            sheet, report, styles, typed_texts=shown.typed_texts
        ),
        texts.WB_SHEET_BUKTI: lambda sheet: _bukti_sheet(sheet, data, styles, tz),
    }
    for title in SHEETS:
        if title not in sheets:
            continue
        sheet = workbook.create_sheet(title)
        writers[title](sheet)
        if title != texts.WB_SHEET_IKU:  # set up with its signature block
            setup_page(
                sheet, setup.paper, landscape=title not in _PORTRAIT, title_rows=_header_of(sheet)
            )
    workbook.active = 0
    workbook.properties.creator = "iku-bot"
    workbook.properties.title = texts.WB_TITLE_IKU.format(kecamatan=report.kecamatan.nama)
    workbook.properties.created = report.generated_at.astimezone(UTC).replace(tzinfo=None)
    return workbook, styles.stores
