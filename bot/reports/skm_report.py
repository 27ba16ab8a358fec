"""The SKM report as a Word document (python-docx), and as PDF through LibreOffice.

For ``iku-bot report skm`` and /laporanskm. The figures come from
:func:`domain.skm_report.skm_report_data`; this module only lays them out:
BAB I-V, the tables, one chart per unsur and one of the nine NRR, and the
signature block. DOCX so that the office can edit it before printing and signing;
PDF by converting that very DOCX with ``soffice --headless``.

Charts are drawn with matplotlib's object-oriented API on their own Figure (never
pyplot's global state), imported when the first chart is drawn.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from bot import texts
from bot.reports.iku import fmt_date_id, fmt_decimal
from bot.reports.office import OfficeUnavailable, to_pdf
from domain.documents import PaperSize, Signatory
from domain.export import ProfileTable, UnsurLine
from domain.period import Period
from domain.skm import SCORE_MAX, SCORE_MIN, UNSUR_INFO
from domain.skm_report import Direction, SkmReportData, strongest, weakest

__all__ = ["skm_docx", "docx_to_pdf", "report_name", "PdfUnavailable"]

MARGIN_CM = 2.5
_PROFILE_SHOWN = ("jenis_kelamin", "usia", "pendidikan_resmi", "pekerjaan_resmi")


PdfUnavailable = OfficeUnavailable  # the name the SKM report's callers know


def report_name(period: Period, kecamatan_nama: str, suffix: str = ".docx") -> str:
    """The file name of a report: laporan-skm-larangan-2026-01-01-2026-06-30.docx."""
    slug = "-".join(kecamatan_nama.lower().split())
    return f"laporan-skm-{slug}-{period.start.isoformat()}-{period.end.isoformat()}{suffix}"


# --- charts ---------------------------------------------------------------------------


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=150)
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Any) -> bytes:
    buffer = BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def unsur_chart(key: str, counts: dict[int, int]) -> bytes:
    """Bars of how many respondents gave each score 1-4 to one unsur."""
    info = UNSUR_INFO[key]
    scores = list(range(SCORE_MIN, SCORE_MAX + 1))
    values = [counts.get(score, 0) for score in scores]
    figure = _figure(3.6, 2.6)
    axes = figure.add_subplot()
    bars = axes.bar(
        [f"{s}\n{textwrap.fill(info.label(s), 12)}" for s in scores], values, color="#2f6f9f"
    )
    axes.bar_label(bars, fontsize=7)
    axes.set_title(
        textwrap.fill(texts.SKMR_CHART_TITLE.format(nomor=info.number, nama=info.name), 40),
        fontsize=8,
    )
    axes.set_ylabel(texts.SKMR_CHART_Y, fontsize=7)
    axes.set_xlabel(texts.SKMR_CHART_X, fontsize=7)
    axes.tick_params(labelsize=6)
    axes.set_ylim(0, max(values) * 1.2 + 1)
    axes.yaxis.get_major_locator().set_params(integer=True)
    return _png(figure)


def nrr_chart(lines: Sequence[UnsurLine], period_label: str) -> bytes:
    """Horizontal bars of the NRR of the unsur answered (scale 1-4)."""
    from matplotlib.ticker import FuncFormatter

    shown = [line for line in lines if line.nrr is not None]
    figure = _figure(6.3, 3.8)
    axes = figure.add_subplot()
    labels = [f"U{line.number} {textwrap.fill(line.name, 30)}" for line in shown]
    values = [float(line.nrr or 0) for line in shown]
    bars = axes.barh(labels, values, color="#3f8f5f")
    axes.bar_label(bars, labels=[fmt_decimal(line.nrr, 4) for line in shown], fontsize=7)
    axes.invert_yaxis()
    axes.set_xlim(1, 4.4)
    # Decimal comma on the axis too, as in the tables (1,5 not 1.5).
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.1f}".replace(".", ",")))
    axes.set_xlabel(texts.SKMR_NRR_CHART_X, fontsize=8)
    axes.set_title(texts.SKMR_NRR_CHART_TITLE.format(periode=period_label), fontsize=9)
    axes.tick_params(labelsize=7)
    return _png(figure)


# --- document -------------------------------------------------------------------------


def _table(
    document: Any,
    head: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    widths: Sequence[float] | None = None,
) -> Any:
    """A grid table (``head`` in bold; None: no header row), column widths in cm."""
    from docx.shared import Cm, Pt  # python-docx is loaded with the first report (skm_docx)

    table = document.add_table(rows=0, cols=len(head) if head else len(rows[0]))
    table.style = "Table Grid"
    if head:
        for cell, text in zip(table.add_row().cells, head, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    if widths is not None:
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)  # the grid LibreOffice lays out by
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(10)
    document.add_paragraph()
    return table


def _percent(share: Decimal | None) -> str:
    return "-" if share is None else fmt_decimal(share * 100, 2) + "%"


def _profile(document: Any, table: ProfileTable) -> None:
    document.add_paragraph(texts.SKMR_PROFILE_TITLES[table.question]).runs[0].bold = True
    rows = [
        (line.label or texts.SKMR_PROFILE_BLANK, str(line.count), _percent(line.share))
        for line in table.lines
    ]
    _table(document, texts.SKMR_PROFILE_HEAD, rows, (8, 3, 3))


def _date(value: date | None) -> str:
    return "-" if value is None else fmt_date_id(value)


def _signature(document: Any, signer: Signatory, signed_on: date) -> None:
    lines: list[tuple[str, bool]] = [
        (f"{signer.place}, {fmt_date_id(signed_on)}", False),
        (signer.jabatan, False),
        ("", False),
        ("", False),
        ("", False),
        (signer.nama or texts.SKMR_DOTS, True),
        (signer.pangkat or "", False),
        (texts.SKMR_NIP.format(nip=signer.nip or texts.SKMR_DOTS), False),
    ]
    from docx.shared import Cm, Pt  # python-docx is loaded with the first report (skm_docx)

    for text, name in lines:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(9)
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        if name:
            run.bold = True
            run.underline = True


def skm_docx(data: SkmReportData, *, signer: Signatory, paper: PaperSize, signed_on: date) -> bytes:
    """The SKM report of ``data`` as a .docx document."""
    # python-docx (with lxml, about 7 MB resident) is imported with the first report,
    # not by the bot at rest (tests/test_imports.py).
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt, RGBColor

    report = data.export.report
    kec = report.kecamatan
    period = report.period
    result = data.result
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(paper.width_mm)
    section.page_height = Mm(paper.height_mm)
    section.left_margin = section.right_margin = Cm(MARGIN_CM)
    section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    for name, size in (("Heading 1", 14), ("Heading 2", 12)):
        heading = document.styles[name]
        heading.font.name = "Times New Roman"  # as the body: an office letter, not a theme
        heading.font.size = Pt(size)
        heading.font.color.rgb = RGBColor(0, 0, 0)
        fonts = heading.element.rPr.rFonts if heading.element.rPr is not None else None
        if fonts is not None:  # the theme's font would win over the name otherwise
            for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attribute), None)
    document.core_properties.title = texts.SKMR_TITLE
    document.core_properties.author = f"Kecamatan {kec.nama}"
    words = {"kecamatan": kec.nama, "kabupaten": kec.kabupaten}
    dates = {"mulai": fmt_date_id(period.start), "sampai": fmt_date_id(period.end)}

    for text, size in (
        (texts.SKMR_TITLE, 14),
        (texts.SKMR_SUBTITLE.format(**words).upper(), 13),
        (texts.SKMR_PERIOD.format(periode=period.label, **dates), 12),
    ):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = Pt(size)

    # BAB I
    document.add_heading(texts.SKMR_BAB1, level=1)
    document.add_heading(texts.SKMR_LATAR, level=2)
    document.add_paragraph(texts.SKMR_LATAR_TEXT.format(**words))
    document.add_heading(texts.SKMR_DASAR, level=2)
    for item in texts.SKMR_DASAR_ITEMS:
        document.add_paragraph(item, style="List Number")
    document.add_heading(texts.SKMR_TUJUAN, level=2)
    document.add_paragraph(texts.SKMR_TUJUAN_TEXT)

    # BAB II
    skm = report.skm
    document.add_heading(texts.SKMR_BAB2, level=1)
    document.add_heading(texts.SKMR_PELAKSANA, level=2)
    document.add_paragraph(texts.SKMR_PELAKSANA_TEXT.format(**words))
    document.add_heading(texts.SKMR_METODE, level=2)
    document.add_paragraph(texts.SKMR_METODE_TEXT)
    document.add_heading(texts.SKMR_TEMPAT, level=2)
    document.add_paragraph(texts.SKMR_TEMPAT_TEXT.format(**words, **dates))
    document.add_heading(texts.SKMR_SAMPEL, level=2)
    if skm.min_sample is None:
        document.add_paragraph(texts.SKMR_SAMPEL_UNKNOWN.format(responden=skm.respondents))
    else:
        document.add_paragraph(
            texts.SKMR_SAMPEL_TEXT.format(
                responden=skm.respondents,
                populasi=skm.population,
                sampel=skm.min_sample,
                memenuhi=texts.SKMR_SAMPEL_MET if skm.sufficient else texts.SKMR_SAMPEL_NOT_MET,
            )
        )

    # BAB III
    document.add_heading(texts.SKMR_BAB3, level=1)
    document.add_heading(texts.SKMR_RESPONDEN, level=2)
    for table in data.export.profile:
        if table.question in _PROFILE_SHOWN:
            _profile(document, table)
    document.add_heading(texts.SKMR_NRR, level=2)
    _table(
        document,
        texts.SKMR_NRR_HEAD,
        [
            (
                f"U{line.number}",
                line.name,
                str(line.total),
                str(line.answered),
                fmt_decimal(line.nrr, 4),
                fmt_decimal(line.weighted, 4),
            )
            for line in data.export.unsur
        ],
        (1.2, 6.3, 2.2, 2.0, 2.1, 2.2),
    )
    if result is None:
        reason = texts.SKMR_NO_RESPONDENTS if skm.respondents == 0 else texts.SKMR_UNANSWERED
        document.add_paragraph(texts.SKMR_NO_RESULT.format(alasan=reason))
    else:
        values = (
            fmt_decimal(result.ikm_rounded(4), 4),
            fmt_decimal(result.nik, 2),
            result.mutu,
            result.kinerja,
        )
        _table(document, None, list(zip(texts.SKMR_IKM_ROWS, values, strict=True)), (8, 5))
    document.add_heading(texts.SKMR_CHARTS, level=2)
    grid = document.add_table(rows=0, cols=2)
    cells: list[Any] = []
    for line in data.export.unsur:
        if not cells:
            cells = list(grid.add_row().cells)
        cell = cells.pop(0)
        counts = data.scores.get(line.key, {})
        paragraph = cell.paragraphs[0]
        if sum(counts.values()) == 0:
            paragraph.add_run(texts.SKMR_CHART_EMPTY.format(nomor=line.number, nama=line.name))
        else:
            paragraph.add_run().add_picture(BytesIO(unsur_chart(line.key, counts)), width=Cm(7.8))
    document.add_paragraph()
    if any(line.nrr is not None for line in data.export.unsur):
        document.add_picture(BytesIO(nrr_chart(data.export.unsur, period.label)), width=Cm(15))
    else:
        document.add_paragraph(texts.SKMR_NRR_CHART_EMPTY)
    document.add_heading(texts.SKMR_LAYANAN, level=2)
    if data.services:
        rows = [
            (
                item.nama,
                str(item.respondents),
                "-" if item.min_sample is None else str(item.min_sample),
                "-" if item.result is None else fmt_decimal(item.result.ikm_rounded(4), 4),
                "-" if item.result is None else fmt_decimal(item.result.nik, 2),
                "-" if item.result is None else item.result.mutu,
            )
            for item in data.services
        ]
        # Responses typed in without a service count in the total: shown, so that the
        # rows add up to it (as on the workbook's SKM sheet).
        unassigned = data.export.report.skm.respondents - sum(i.respondents for i in data.services)
        if unassigned > 0:
            rows.append((texts.WB_SKM_NO_SERVICE, str(unassigned), "-", "-", "-", "-"))
        _table(document, texts.SKMR_LAYANAN_HEAD, rows, (5.5, 2.2, 2.2, 2.1, 2.0, 2.0))
    else:
        document.add_paragraph(texts.SKMR_LAYANAN_NONE)

    # BAB IV
    document.add_heading(texts.SKMR_BAB4, level=1)
    document.add_heading(texts.SKMR_UNSUR_ANALYSIS, level=2)
    low, high = weakest(data.export.unsur), strongest(data.export.unsur)
    if low is None or high is None:
        document.add_paragraph(texts.SKMR_NO_UNSUR)
    else:
        for template, line in ((texts.SKMR_WEAKEST, low), (texts.SKMR_STRONGEST, high)):
            document.add_paragraph(
                template.format(nomor=line.number, nama=line.name, nrr=fmt_decimal(line.nrr, 4))
            )
    document.add_heading(texts.SKMR_TREND, level=2)
    document.add_paragraph(_trend_text(data))
    document.add_heading(texts.SKMR_RTL, level=2)
    items, proposed = data.rtl_rows, data.rtl_proposed
    if proposed:
        document.add_paragraph(texts.SKMR_RTL_PROPOSED if items else texts.SKMR_RTL_NONE)
    if items:
        _table(
            document,
            texts.SKMR_RTL_HEAD,
            [
                (
                    str(number),
                    item.unsur,
                    item.kegiatan,
                    item.penanggung_jawab,
                    _date(item.batas_waktu),
                    item.status,
                    _date(item.selesai_pada),
                )
                for number, item in enumerate(items, start=1)
            ],
            (1.0, 3.0, 3.8, 2.6, 2.4, 1.6, 1.6),
        )
    if not proposed:
        figures = data.rtl_figures
        if figures.percent is None:
            document.add_paragraph(texts.SKMR_RTL_NOTHING_PLANNED)
        elif figures.done == 0:
            document.add_paragraph(texts.SKMR_RTL_NONE_DONE.format(rencana=figures.planned))
        else:
            document.add_paragraph(
                texts.SKMR_RTL_SUMMARY.format(
                    selesai=figures.done,
                    rencana=figures.planned,
                    persen=fmt_decimal(figures.percent, 2),
                    tepat=figures.on_time,
                    persen_tepat=fmt_decimal(figures.on_time_percent, 2),
                )
            )

    # BAB V
    document.add_heading(texts.SKMR_BAB5, level=1)
    if result is None:
        document.add_paragraph(texts.SKMR_PENUTUP_NO_RESULT)
    else:
        document.add_paragraph(
            texts.SKMR_PENUTUP_TEXT.format(
                mutu=result.mutu, kinerja=result.kinerja, nik=fmt_decimal(result.nik, 2)
            )
        )
    document.add_paragraph()
    _signature(document, signer, signed_on)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _trend_text(data: SkmReportData) -> str:
    found = data.trend
    if found.previous is None:
        return texts.SKMR_TREND_NO_PERIOD
    before = found.previous.label
    if found.direction is None or found.previous_result is None:
        return texts.SKMR_TREND_NONE.format(sebelumnya=before)
    words = {
        "sekarang": fmt_decimal(found.current_nik, 2),
        "sebelumnya": before,
        "lalu": fmt_decimal(found.previous_result.nik, 2),
        "selisih": fmt_decimal(abs(found.change or Decimal(0)), 2),
    }
    template = {
        Direction.NAIK: texts.SKMR_TREND_UP,
        Direction.TURUN: texts.SKMR_TREND_DOWN,
        Direction.TETAP: texts.SKMR_TREND_SAME,
    }[found.direction]
    return template.format(**words)


def docx_to_pdf(content: bytes) -> bytes:
    """The PDF of a .docx (LibreOffice headless, bot/reports/office.py)."""
    return to_pdf(content, ".docx")
