"""The workbook printed as it is: LibreOffice headless to PDF, read back with pdfium.

What the office saw before: the IKU table on 6 portrait pages with overlapping rows,
26 pages for the workbook. Here the whole workbook, built from ``seed_known_year``, is
converted to PDF and each page checked: its size and orientation, the IKU table on one
landscape page with its figures, the earlier years, the capaian category and the
signature, and a rendered page that is not blank.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

from bot.reports.office import to_pdf
from bot.reports.printing import print_setup
from bot.reports.workbook import SHEETS, report_workbook
from bot.runtime import Runtime
from domain.export import Viewer, export_data
from domain.models import IncidentKind, KonflikStage
from domain.period import Period
from tests.bot.test_export_workbook import (
    NOW,
    WIB,
    _incident,
    _soffice,
    known_export,
    seed_known_year,
)
from tests.storage.builders import jakarta

A4 = (842, 595)  # landscape, in points
A4_PORTRAIT = (595, 842)
F4 = (935, 609)  # 215 x 330 mm landscape: LibreOffice's F4 is folio, 8.5 x 13 in (612 x 936)


def _pdf(workbook: bytes, tmp_path: Path) -> Path:
    """The workbook printed by the project's own converter (bot/reports/office.py)."""
    _soffice()  # skipped without LibreOffice outside CI, failed in CI
    path = tmp_path / "iku.pdf"
    path.write_bytes(to_pdf(workbook, ".xlsx"))
    return path


def _pages(path: Path) -> list[tuple[tuple[int, int], str]]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for page in document:
            width, height = page.get_size()
            text = page.get_textpage().get_text_range()
            pages.append(((round(width), round(height)), " ".join(text.split())))
        return pages
    finally:
        document.close()


def _near(size: tuple[int, int], expected: tuple[int, int]) -> bool:
    return all(abs(a - b) <= 3 for a, b in zip(size, expected, strict=True))


def test_the_workbook_prints_one_landscape_page_per_sheet_with_the_iku_signed(
    runtime: Runtime, tmp_path: Path
) -> None:
    data, _ = known_export(runtime)
    setup = print_setup(
        data.report.kecamatan,
        signer_nama="MOHAMMAD HARI S.Sos, M.Si",
        signer_nip="197006091993021001",
    )
    pages = _pages(_pdf(report_workbook(data, WIB, setup), tmp_path))
    # Each page's footer names its sheet: the known year is small (it was 26 pages before),
    # one page per sheet but the respondent profile's 45 lines (two upright pages).
    total = len(pages)
    footers = [re.search(r"(\S[^\d]*?) - halaman (\d+) dari (\d+)", text) for _, text in pages]
    assert all(f is not None for f in footers)
    per_sheet = Counter(f.group(1) for f in footers if f is not None)
    # The desa progress has two tables of 14 desa, the counts, a chart and the closest list.
    assert per_sheet == {**dict.fromkeys(SHEETS, 1), "SKM Responden": 2, "Perkembangan Desa": 2}
    assert total == 12
    assert all(f is not None and f.group(3) == str(total) for f in footers)
    portrait = {"SKM", "SKM Responden"}
    for (size, _), footer in zip(pages, footers, strict=True):
        assert footer is not None
        expected = A4_PORTRAIT if footer.group(1) in portrait else A4
        assert _near(size, expected), (footer.group(1), size)
    iku = pages[0][1]
    # The table's header, this year's figures (as formatted), earlier years, categories.
    for shown in (
        "Indikator Kinerja Utama (IKU) Kecamatan Larangan",
        "Satuan",
        "Target 2026",
        "Realisasi",
        "2024",
        "2025",
        "Capaian 2026",
        "Kategori Capaian",
        "40.00%",
        "66.67%",
        "91.48",
        "103.59%",
        "Sangat Tinggi",
        "Sedang",
        "Sangat Rendah",
        "Nilai (NIK)",
    ):
        assert shown in iku, shown
    # "Kinerja Utama" once over its two indicators.
    assert iku.count("Meningkatnya penanganan konflik sosial") == 1
    # Place, date and the signature block from the settings.
    for shown in (
        "Pamekasan, 25 November 2026",
        "CAMAT LARANGAN",
        "MOHAMMAD HARI S.Sos, M.Si",
        "NIP. 19700609 199302 1 001",
        "IKU - halaman 1 dari 12",
    ):
        assert shown in iku, shown
    assert "91.48" in pages[3][1]  # the SKM sheet's NIK
    assert "KS-352808-2026-0001" in pages[1][1]


def test_f4_paper_from_the_settings_and_a_rendered_page_that_is_not_blank(
    runtime: Runtime, tmp_path: Path
) -> None:
    import pypdfium2 as pdfium

    data, _ = known_export(runtime)
    setup = print_setup(data.report.kecamatan, paper_size="F4")
    path = _pdf(report_workbook(data, WIB, setup), tmp_path)
    pages = _pages(path)
    assert _near(pages[0][0], F4), pages[0][0]
    assert "(................................................)" in pages[0][1]  # no name set
    document = pdfium.PdfDocument(str(path))
    try:
        image = document[0].render(scale=1).to_pil().convert("L")
    finally:
        document.close()
    assert image.size == (pages[0][0][0], pages[0][0][1])
    histogram = image.histogram()  # of the 256 grey levels
    dark = sum(histogram[:128])
    assert dark > image.size[0] * image.size[1] // 200  # text and the table's lines


def _add_conflicts(runtime: Runtime, count: int) -> None:
    with runtime.uow() as uow:
        for number in range(count):
            _incident(
                uow,
                number % 14,
                IncidentKind.KONFLIK,
                date(2026, 4, 1 + number % 28),
                jakarta(2026, 4, 1 + number % 28, 9, 0),
                category="tanah",
                stage=KonflikStage.POTENSI,
                description="Perselisihan batas tanah antara dua keluarga; dimediasi kepala desa "
                f"bersama Babinsa dan Bhabinkamtibmas, kejadian ke-{number + 1}.",
            )
        uow.commit()


def test_a_long_case_list_repeats_its_header_on_every_page(
    runtime: Runtime, tmp_path: Path
) -> None:
    """400 conflicts: the Konflik sheet runs over many pages, each with its header row."""
    seed_known_year(runtime.uow)
    _add_conflicts(runtime, 400)
    with runtime.uow() as uow:
        data = export_data(
            uow,
            viewer=Viewer.operator(),
            kecamatan_code="35.28.08",
            period=Period.year(2026),
            now=NOW,
        )
    pages = _pages(_pdf(report_workbook(data, WIB), tmp_path))
    konflik = [text for _, text in pages if "Konflik - halaman" in text]
    assert len(konflik) > 3
    assert all("Uraian" in text and "Nomor" in text for text in konflik)
    # Every conflict is printed, on a page of its own sheet, none cut off.
    printed = " ".join(konflik)
    assert all(f"kejadian ke-{n}." in printed for n in (1, 200, 400))
