"""The IKU table as an Excel workbook, for /ekspor.

One sheet "IKU": three title rows (kecamatan, period, when it was made), then the
table from row :data:`HEADER_ROW`. Numbers stay numbers with a number format, so
that the office can compute with them: percentages (realisasi of IKU 3 and 4, every
capaian) are stored as fractions with the format ``0.00%`` (50% is 0.5), NIK with
``0.00``, desa counts as integers. A value that does not exist is "-"; a handling
indicator without any incident says "tidak ada kejadian" (never 0% or 100%).
"""

from __future__ import annotations

import re
from datetime import UTC
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from bot import texts
from bot.reporting import fmt_date_id
from domain.models import IndicatorCode
from domain.report import IkuReport, IkuRow

__all__ = [
    "HEADER_ROW",
    "FIRST_ROW",
    "iku_workbook",
    "workbook_name",
    "no_events",
]

HEADER_ROW = 5
FIRST_ROW = HEADER_ROW + 1
_WIDTHS = (5, 40, 45, 12, 18, 12, 50)
_PERCENT = "0.00%"
_FORMATS = {"%": _PERCENT, "NIK": "0.00", "desa": "0"}
_MISSING = "-"

Value = str | int | float | None


def workbook_name(report: IkuReport) -> str:
    """'IKU-Larangan-2026.xlsx' (only letters, digits and dashes in the name)."""
    nama = re.sub(r"[^A-Za-z0-9]+", "-", report.kecamatan.nama).strip("-") or "Kecamatan"
    return f"IKU-{nama}-{report.period.year_of_record}.xlsx"


def no_events(report: IkuReport, row: IkuRow) -> bool:
    """True for a handling indicator whose period had no incident at all."""
    if row.code is IndicatorCode.KONFLIK_TERTANGANI:
        return report.konflik.result.no_events
    if row.code is IndicatorCode.TRANTIBUM_TERTANGANI:
        return report.trantibum.result.no_events
    return False


def _number(value: Decimal, satuan: str) -> int | float:
    """A Decimal as an Excel number: percentages as fractions, whole numbers as ints."""
    if satuan == "%":
        value = value / 100
    if value == value.to_integral_value() and satuan != "%":
        return int(value)
    return float(value)


def _cells(report: IkuReport, row: IkuRow) -> list[tuple[Value, str | None]]:
    """The seven cells of an indicator: (value, number format)."""
    satuan = row.definition.satuan
    fmt = _FORMATS.get(satuan, "General")

    def amount(value: Decimal | None) -> tuple[Value, str | None]:
        return (_MISSING, None) if value is None else (_number(value, satuan), fmt)

    realisasi = (texts.SUMMARY_NO_EVENTS, None) if no_events(report, row) else amount(row.realisasi)
    capaian: tuple[Value, str | None] = (
        (_MISSING, None) if row.capaian is None else (_number(row.capaian, "%"), _PERCENT)
    )
    return [
        (row.definition.number, None),
        (row.kinerja_utama, None),
        (row.definition.indikator, None),
        amount(row.target),
        realisasi,
        capaian,
        (row.keterangan, None),
    ]


def iku_workbook(report: IkuReport) -> bytes:
    """The IKU table of ``report`` as the bytes of an .xlsx file."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = texts.XLSX_SHEET
    kec = report.kecamatan
    period = report.period
    moment = report.generated_at
    titles = (
        texts.XLSX_TITLE.format(kecamatan=kec.nama),
        texts.XLSX_PERIOD.format(mulai=fmt_date_id(period.start), sampai=fmt_date_id(period.end)),
        texts.XLSX_GENERATED.format(
            kabupaten=kec.kabupaten,
            provinsi=kec.provinsi,
            waktu=f"{fmt_date_id(moment.date())} {moment:%H.%M}",
        ),
    )
    last_column = len(texts.XLSX_HEADERS)
    for number, title in enumerate(titles, start=1):
        sheet.cell(row=number, column=1, value=title).font = Font(bold=number == 1, size=13)
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=last_column)

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for column, header in enumerate(texts.XLSX_HEADERS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for offset, row in enumerate(report.rows):
        for column, (value, number_format) in enumerate(_cells(report, row), start=1):
            cell = sheet.cell(row=FIRST_ROW + offset, column=column, value=value)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=column in (2, 3, 7))
            if number_format is not None:
                cell.number_format = number_format
            elif column in (4, 5, 6):
                cell.alignment = Alignment(vertical="top", horizontal="right")

    for column, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{FIRST_ROW}"
    workbook.properties.creator = "iku-bot"
    workbook.properties.title = titles[0]
    workbook.properties.created = moment.astimezone(UTC).replace(tzinfo=None)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
