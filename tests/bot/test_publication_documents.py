"""The SKM infographic and the QR posters, rendered headless and read back.

The PDFs are opened with pypdfium2: page count, page size in points, the text printed,
a page rendered to pixels. The QR code of a poster is read back by sampling the
rendered page on the module grid and compared with the QR code of the deep link.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
import pytest
from PIL import Image

from bot.reports.infographic import (
    MM_PER_INCH,
    POSTER_SIZES,
    QUIET_ZONE,
    PosterPage,
    infographic,
    paper,
    period_words,
    poster_qr_box,
    posters,
    qr_matrix,
)
from bot.reports.qr import survey_link
from domain.documents import PaperSize
from domain.export import unsur_lines
from domain.models import Kecamatan, SkmService
from domain.period import Period
from domain.publication import SkmPublication
from domain.skm import UNSUR, UNSUR_INFO, UnsurTotal, skm_from_totals

WIB = ZoneInfo("Asia/Jakarta")
# As the packaged data names it: "Pamekasan", printed "Kabupaten Pamekasan".
LARANGAN = Kecamatan(1, "35.28.08", "3528040", "Larangan", "Pamekasan", "Jawa Timur")
KTP = SkmService(1, 1, "ktp", "Rekomendasi KTP-el", 30)
# domain.md's worked check: 29 respondents, NIK 91.48, mutu A.
WORKED = (105, 101, 100, 116, 102, 105, 106, 105, 115)
NRR = ("3,6207", "3,4828", "3,4483", "4,0000", "3,5172", "3,6207", "3,6552", "3,6207", "3,9655")
MADE = datetime(2026, 12, 3, 10, 0, tzinfo=WIB)

# Page sizes in points (1/72 inch), as pypdfium2 reports them.
A4_PT = (595, 842)
A5_PT = (420, 595)
F4_PT = (609, 935)


# -- reading documents back ---------------------------------------------------------------


def pdf_pages(content: bytes) -> list[tuple[tuple[float, float], str]]:
    """Each page's size in points and its text."""
    assert content.startswith(b"%PDF")
    document = pdfium.PdfDocument(content)
    try:
        pages = []
        for page in document:
            text = page.get_textpage().get_text_range()
            pages.append((page.get_size(), text))
        return pages
    finally:
        document.close()


def pdf_page_image(content: bytes, index: int = 0, scale: float = 2.0) -> Image.Image:
    """One page of a PDF rendered to an RGB image (72 dpi x ``scale``)."""
    document = pdfium.PdfDocument(content)
    try:
        image: Image.Image = document[index].render(scale=scale).to_pil().convert("RGB")
        return image
    finally:
        document.close()


def assert_size(size: tuple[float, float], expected: tuple[int, int]) -> None:
    width, height = size
    assert abs(width - expected[0]) <= 1, size
    assert abs(height - expected[1]) <= 1, size


def png_pixels(size: PaperSize, dpi: int) -> tuple[int, int]:
    """The page at ``dpi``, as matplotlib sizes it (whole pixels, truncated)."""
    return (int(size.width_mm / MM_PER_INCH * dpi), int(size.height_mm / MM_PER_INCH * dpi))


def assert_png_of(content: bytes, size: PaperSize, dpi: int) -> Image.Image:
    image = Image.open(BytesIO(content))
    assert image.format == "PNG"
    width, height = image.size
    expected = png_pixels(size, dpi)
    assert abs(width - expected[0]) <= 1, image.size
    assert abs(height - expected[1]) <= 1, image.size
    return image.convert("RGB")


def dark_share(image: Image.Image) -> float:
    """The share of pixels that are not near white."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return sum(histogram[:200]) / (grey.width * grey.height)


def read_qr(image: Image.Image, size: PaperSize, modules: int) -> list[list[bool]]:
    """The module grid sampled at each module's centre within the poster's QR square."""
    left, bottom, width, height = poster_qr_box(size)
    grey = image.convert("L")
    x0 = left * grey.width
    y0 = (1 - bottom - height) * grey.height  # pixel rows run downwards
    side = modules + 2 * QUIET_ZONE
    step_x = width * grey.width / side
    step_y = height * grey.height / side
    return [
        [
            grey.getpixel((int(x0 + (x + 0.5) * step_x), int(y0 + (y + 0.5) * step_y))) < 128  # type: ignore[operator]
            for x in range(side)
        ]
        for y in range(side)
    ]


def assert_qr_is(image: Image.Image, size: PaperSize, link: str) -> None:
    """The poster's printed QR code is exactly the QR code of ``link``, quiet zone white."""
    expected = qr_matrix(link)
    count = len(expected)
    grid = read_qr(image, size, count)
    assert not any(grid[0])
    assert not any(grid[-1])
    assert not any(row[0] or row[-1] for row in grid)
    inner = [row[QUIET_ZONE : QUIET_ZONE + count] for row in grid[QUIET_ZONE : QUIET_ZONE + count]]
    assert inner == expected


# -- the data -----------------------------------------------------------------------------


def worked_publication(period: Period | None = None, population: int | None = 30) -> SkmPublication:
    totals = {key: UnsurTotal(total, 29) for key, total in zip(UNSUR, WORKED, strict=True)}
    result = skm_from_totals(totals, 29)
    assert result is not None
    return SkmPublication(
        kecamatan=LARANGAN,
        period=period or Period.semester(2026, 1),
        made_at=MADE,
        result=result,
        respondents=29,
        population=population,
        min_sample=None if population is None else 28,
        unsur=unsur_lines(result.totals),
    )


# -- period in words ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "words"),
    [
        (Period.semester(2026, 1), "Semester I 2026 (1 Januari – 30 Juni 2026)"),
        (Period.semester(2026, 2), "Semester II 2026 (1 Juli – 31 Desember 2026)"),
        (Period.quarter(2026, 3), "Triwulan III 2026 (1 Juli – 30 September 2026)"),
        (Period.quarter(2026, 4), "Triwulan IV 2026 (1 Oktober – 31 Desember 2026)"),
        (Period.year(2026), "Tahun 2026 (1 Januari – 31 Desember 2026)"),
        (Period.year_to_date(date(2026, 11, 25)), "1 Januari – 25 November 2026"),
        (Period.between(date(2025, 12, 1), date(2026, 1, 31)), "1 Desember 2025 – 31 Januari 2026"),
    ],
)
def test_a_period_is_named_in_words_with_its_dates(period: Period, words: str) -> None:
    assert period_words(period) == words


# -- the infographic ----------------------------------------------------------------------


def test_the_infographic_pdf_is_one_a4_portrait_page_with_the_figures() -> None:
    content = infographic(worked_publication(), size=paper("A4"), form="pdf")
    [(size, text)] = pdf_pages(content)
    assert_size(size, A4_PT)
    for expected in (
        "HASIL SURVEI KEPUASAN MASYARAKAT",
        "Kecamatan Larangan, Kabupaten Pamekasan",
        "Semester I 2026 (1 Januari – 30 Juni 2026)",
        "91,48",
        "Mutu A",
        "A Sangat Baik",
        "IKM 3,6590",
        "Jumlah responden: 29 orang",
        "populasi 30): 28 orang — cukup",
        "Dibuat 3 Desember 2026",
    ):
        assert expected in text, expected
    for value in NRR:
        assert value in text
    for key in UNSUR:
        assert UNSUR_INFO[key].name.split()[0] in text
    assert "Belum ada responden" not in text
    assert dark_share(pdf_page_image(content)) > 0.05


def test_the_infographic_png_has_the_pixels_of_the_paper_at_its_dpi() -> None:
    data = worked_publication()
    for name, dpi in (("A4", 150), ("A4", 200), ("F4", 150)):
        image = assert_png_of(
            infographic(data, size=paper(name), form="png", dpi=dpi), paper(name), dpi
        )
        assert image.height > image.width  # portrait
        assert dark_share(image) > 0.05


def test_an_f4_infographic_is_one_f4_page() -> None:
    [(size, _)] = pdf_pages(infographic(worked_publication(), size=paper("F4"), form="pdf"))
    assert_size(size, F4_PT)


def test_respondents_below_the_minimum_say_belum_cukup() -> None:
    data = worked_publication()
    short = replace(data, min_sample=80, population=100)
    [(_, text)] = pdf_pages(infographic(short, size=paper("A4"), form="pdf"))
    assert "populasi 100): 80 orang — belum cukup" in text
    assert "— cukup" not in text


def test_without_a_population_the_minimum_is_said_to_be_unknown() -> None:
    [(_, text)] = pdf_pages(
        infographic(worked_publication(population=None), size=paper("A4"), form="pdf")
    )
    assert "Sampel minimal belum dapat dihitung: populasi layanan belum diisi." in text
    assert "cukup" not in text


def test_a_period_without_responses_says_so_instead_of_an_empty_chart() -> None:
    empty = SkmPublication(LARANGAN, Period.quarter(2026, 3), MADE, None, 0, 30, 28, [])
    content = infographic(empty, size=paper("A4"), form="pdf")
    [(size, text)] = pdf_pages(content)
    assert_size(size, A4_PT)
    assert "Triwulan III 2026 (1 Juli – 30 September 2026)" in text
    assert "Belum ada responden SKM pada periode ini." in text.replace("\r\n", " ").replace(
        "\n", " "
    )
    assert "Jumlah responden: 0 orang" in text
    assert "belum cukup" in text
    assert "Mutu" not in text
    assert "NRR" not in text
    assert "Persyaratan" not in text


def test_responses_with_an_unanswered_unsur_say_the_nik_cannot_be_computed() -> None:
    partial = SkmPublication(LARANGAN, Period.year(2026), MADE, None, 3, None, None, [])
    [(_, text)] = pdf_pages(infographic(partial, size=paper("A4"), form="pdf"))
    flat = " ".join(text.split())
    assert "Nilai IKM belum dapat dihitung" in flat
    assert "Jumlah responden: 3 orang" in flat


# -- the posters --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "points"), [("A4", A4_PT), ("A5", A5_PT)])
def test_a_poster_pdf_carries_office_service_instruction_and_the_qr_of_its_link(
    name: str, points: tuple[int, int]
) -> None:
    size = POSTER_SIZES[name]
    link = survey_link("iku_larangan_bot", "ktp")
    content = posters([PosterPage(LARANGAN, KTP, link)], size=size, form="pdf")
    [(page_size, text)] = pdf_pages(content)
    assert_size(page_size, points)
    flat = " ".join(text.split())
    assert "KECAMATAN LARANGAN" in flat
    assert "Kabupaten Pamekasan" in flat
    assert "Rekomendasi KTP-el" in flat
    assert (
        "Pindai kode ini dengan kamera HP untuk mengisi Survei Kepuasan Masyarakat; "
        "tanpa nama, 2 menit." in flat
    )
    assert link in flat
    image = pdf_page_image(content, scale=3.0)
    assert dark_share(image) > 0.05
    assert_qr_is(image, size, link)


def test_the_general_poster_says_semua_layanan_and_links_to_the_list() -> None:
    link = survey_link("iku_larangan_bot")
    content = posters([PosterPage(LARANGAN, None, link)], size=POSTER_SIZES["A4"], form="pdf")
    [(_, text)] = pdf_pages(content)
    assert "Semua layanan" in text
    assert "start=skm" in text
    assert "skm_" not in text
    assert_qr_is(pdf_page_image(content), POSTER_SIZES["A4"], link)


def test_several_posters_are_one_page_each_in_one_pdf() -> None:
    kk = SkmService(2, 1, "kk", "Kartu Keluarga", None)
    pages = [
        PosterPage(LARANGAN, KTP, survey_link("iku_larangan_bot", "ktp")),
        PosterPage(LARANGAN, kk, survey_link("iku_larangan_bot", "kk")),
    ]
    content = posters(pages, size=POSTER_SIZES["A5"], form="pdf")
    read = pdf_pages(content)
    assert len(read) == 2
    assert "Rekomendasi KTP-el" in read[0][1]
    assert "Kartu Keluarga" not in read[0][1]
    assert "Kartu Keluarga" in read[1][1]
    assert_qr_is(pdf_page_image(content, 1, scale=3.0), POSTER_SIZES["A5"], pages[1].link)


def test_a_poster_png_has_the_pixels_of_its_paper_and_a_readable_qr() -> None:
    link = survey_link("iku_larangan_bot", "ktp")
    for name in ("A4", "A5"):
        size = POSTER_SIZES[name]
        content = posters([PosterPage(LARANGAN, KTP, link)], size=size, form="png", dpi=200)
        image = assert_png_of(content, size, 200)
        assert_qr_is(image, size, link)


def test_a_png_cannot_hold_several_posters() -> None:
    page = PosterPage(LARANGAN, KTP, survey_link("iku_larangan_bot", "ktp"))
    with pytest.raises(ValueError, match="satu halaman"):
        posters([page, page], size=POSTER_SIZES["A4"], form="png")


def test_the_qr_read_back_differs_for_another_link() -> None:
    """The reader is not trivially true: a poster of one link is not the QR of another."""
    link = survey_link("iku_larangan_bot", "ktp")
    content = posters([PosterPage(LARANGAN, KTP, link)], size=POSTER_SIZES["A4"], form="pdf")
    with pytest.raises(AssertionError):
        assert_qr_is(pdf_page_image(content), POSTER_SIZES["A4"], survey_link("x_bot", "kk"))


def test_a_service_name_of_the_longest_length_is_printed_whole_above_the_code() -> None:
    name = ("Rekomendasi Izin Keramaian dan Pertunjukan Rakyat untuk Kegiatan Desa " * 2)[:120]
    service = SkmService(3, 1, "keramaian", name.strip(), None)
    link = survey_link("iku_larangan_bot", "keramaian")
    for size in POSTER_SIZES.values():
        content = posters([PosterPage(LARANGAN, service, link)], size=size, form="pdf")
        [(_, text)] = pdf_pages(content)
        assert " ".join(name.split()) in " ".join(text.split())
        assert_qr_is(pdf_page_image(content, scale=3.0), size, link)
