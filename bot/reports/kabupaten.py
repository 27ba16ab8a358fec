"""The kabupaten recap as JSON, a terminal table and a printable Excel sheet."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

from bot import texts
from bot.reports.iku import _num, fmt_date_id, fmt_decimal, report_json
from bot.reports.printing import setup_page
from domain.documents import PaperSize
from domain.handling import HandlingResult
from domain.indicators import INDICATORS
from domain.kabupaten import KabupatenRecap
from domain.models import IndicatorCode
from domain.report import IkuReport

__all__ = ["recap_json", "recap_rows", "recap_text", "recap_workbook"]


def _handling_total(result: HandlingResult) -> dict[str, Any]:
    return {
        "total": result.total,
        "tertangani": result.handled,
        "belum_tertangani": result.open,
        "tidak_ada_kejadian": result.no_events,
        "persen": _num(result.percent),
    }


def recap_json(recap: KabupatenRecap) -> dict[str, Any]:
    """One object: ``kabupaten``, ``periode``, the list ``kecamatan`` and the ``total``."""
    total = recap.total
    skm = total.skm
    realisasi: dict[IndicatorCode, Decimal | None] = {
        IndicatorCode.DESA_MANDIRI: None if total.mandiri is None else Decimal(total.mandiri),
        IndicatorCode.DESA_TEMATIK: Decimal(total.tematik),
        IndicatorCode.KONFLIK_TERTANGANI: total.konflik.percent,
        IndicatorCode.TRANTIBUM_TERTANGANI: total.trantibum.percent,
        IndicatorCode.SKM: None if skm is None else skm.nik,
    }
    details: dict[IndicatorCode, dict[str, Any]] = {
        IndicatorCode.DESA_MANDIRI: {
            "desa": total.desa_count,
            "desa_dengan_data": total.idm_with_data,
        },
        IndicatorCode.DESA_TEMATIK: {"desa": total.desa_count},
        IndicatorCode.KONFLIK_TERTANGANI: _handling_total(total.konflik),
        IndicatorCode.TRANTIBUM_TERTANGANI: _handling_total(total.trantibum),
        IndicatorCode.SKM: {
            "respondents": total.skm_respondents,
            "nik": None if skm is None else _num(skm.nik),
            "ikm": None if skm is None else _num(skm.ikm_rounded(4)),
            "mutu": None if skm is None else skm.mutu,
            "kinerja": None if skm is None else skm.kinerja,
        },
    }
    return {
        "kabupaten": {"kode": recap.kode, "nama": recap.nama},
        "periode": {
            "label": recap.period.label,
            "mulai": recap.period.start.isoformat(),
            "selesai": recap.period.end.isoformat(),
        },
        "dibuat": recap.generated_at.isoformat(),
        "kecamatan": [
            {
                "kode": report.kecamatan.kode,
                "nama": report.kecamatan.nama,
                "indicators": report_json(report)["indicators"],
            }
            for report in recap.kecamatan
        ],
        "total": {
            "indicators": [
                {
                    "code": d.code.value,
                    "nomor": d.number,
                    "indikator": d.indikator,
                    "satuan": d.satuan,
                    "realisasi": _num(realisasi[d.code]),
                    "detail": details[d.code],
                }
                for d in INDICATORS
            ],
        },
    }


def _fraction(result: HandlingResult) -> str:
    return texts.KAB_NO_EVENTS if result.no_events else f"{result.handled}/{result.total}"


def _percent(result: HandlingResult) -> str:
    return texts.KAB_NO_EVENTS if result.percent is None else fmt_decimal(result.percent, 2)


def _row_of(report: IkuReport, number: int) -> list[str]:
    mandiri = report.row(IndicatorCode.DESA_MANDIRI).realisasi
    nik = report.skm.result.nik if report.skm.result is not None else None
    return [
        str(number),
        report.kecamatan.nama,
        report.kecamatan.kode,
        str(report.desa_count),
        texts.KAB_NO_DATA if mandiri is None else str(int(mandiri)),
        str(report.tematik.count),
        _fraction(report.konflik.result),
        _percent(report.konflik.result),
        _fraction(report.trantibum.result),
        _percent(report.trantibum.result),
        str(report.skm.respondents),
        texts.KAB_NO_DATA if nik is None else fmt_decimal(nik, 2),
    ]


def recap_rows(recap: KabupatenRecap) -> list[list[str]]:
    """The table's rows as printed: one per kecamatan, then the kabupaten's totals."""
    rows = [_row_of(report, n) for n, report in enumerate(recap.kecamatan, start=1)]
    total = recap.total
    rows.append(
        [
            "",
            texts.KAB_TOTAL,
            recap.kode,
            str(total.desa_count),
            texts.KAB_NO_DATA if total.mandiri is None else str(total.mandiri),
            str(total.tematik),
            _fraction(total.konflik),
            _percent(total.konflik),
            _fraction(total.trantibum),
            _percent(total.trantibum),
            str(total.skm_respondents),
            texts.KAB_NO_DATA if total.skm is None else fmt_decimal(total.skm.nik, 2),
        ]
    )
    return rows


def _heading(recap: KabupatenRecap) -> list[str]:
    return [
        texts.KAB_TITLE.format(kabupaten=recap.nama, kode=recap.kode),
        texts.KAB_PERIOD.format(
            label=recap.period.label,
            mulai=fmt_date_id(recap.period.start),
            sampai=fmt_date_id(recap.period.end),
        ),
    ]


def recap_text(recap: KabupatenRecap) -> str:
    """The recap as a plain-text table: kecamatan side by side on each indicator."""
    table = [list(texts.KAB_HEADERS), *recap_rows(recap)]
    widths = [max(len(row[i]) for row in table) for i in range(len(texts.KAB_HEADERS))]
    lines = [*_heading(recap), ""]
    for number, row in enumerate(table):
        cells = [
            cell.ljust(widths[i]) if i in (1, 2) else cell.rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0 or number == len(table) - 2:
            lines.append("-" * len(lines[-1]))
    lines += ["", texts.KAB_NOTE]
    return "\n".join(lines) + "\n"


def recap_workbook(recap: KabupatenRecap, paper: PaperSize) -> bytes:
    """One printable sheet "Rekap Kabupaten": kecamatan rows, indicator columns, totals."""
    # openpyxl (about 30 MB resident) is imported for the sheet only: the text recap
    # of /rekap and the JSON of the CLI do without it.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = texts.KAB_SHEET
    title, period = _heading(recap)
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([period])
    sheet.append([])
    header_row = 4
    sheet.append(list(texts.KAB_HEADERS))
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    rows = recap_rows(recap)
    for row in rows:
        sheet.append([_cell_value(i, value) for i, value in enumerate(row)])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.append([])
    sheet.append([texts.KAB_NOTE])
    for letter, width in zip(
        "ABCDEFGHIJKL", (5, 22, 11, 7, 9, 9, 14, 12, 14, 12, 11, 9), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    setup_page(sheet, paper, landscape=True, title_rows=(header_row, header_row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_value(index: int, value: str) -> str | int | Decimal:
    """Counts and percentages as numbers in the sheet, words as words."""
    if index in (0, 3, 4, 5, 10) and value.isdigit():
        return int(value)
    if index in (7, 9, 11) and value not in (texts.KAB_NO_EVENTS, texts.KAB_NO_DATA):
        return Decimal(value.replace(",", "."))
    return value
