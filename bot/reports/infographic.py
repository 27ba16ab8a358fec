"""The published SKM documents: the infographic of a period and the QR posters.

One page per document, drawn with matplotlib's object-oriented API on a Figure of the
paper's size (Agg backend, no pyplot state: two documents made at once cannot draw
into each other), saved as PNG (at a given dpi) or PDF (vector, one page per figure).
matplotlib and segno are imported when a document is made, not when the bot starts.

The figures come from ``domain.publication``; every Indonesian word from ``bot.texts``.
The QR code is drawn module by module from segno's matrix as filled squares (vector in
the PDF, sharp when printed), with the quiet zone of 4 modules left white.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from babel.dates import format_date

from bot import texts
from bot.reports.iku import LOCALE, fmt_date_id, fmt_decimal
from domain.documents import PAPER_SIZES, PaperSize
from domain.models import Kecamatan, SkmService
from domain.period import Period
from domain.publication import SkmPublication
from domain.skm import SCORE_MAX

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "POSTER_SIZES",
    "QUIET_ZONE",
    "Format",
    "PosterPage",
    "infographic",
    "paper",
    "period_words",
    "poster_qr_box",
    "posters",
    "qr_matrix",
]

Format = Literal["png", "pdf"]

MM_PER_INCH = 25.4
QUIET_ZONE = 4  # modules of white around the QR code (ISO/IEC 18004)
POSTER_SIZES: dict[str, PaperSize] = {
    "A4": PAPER_SIZES["A4"],
    "A5": PaperSize("A5", 148, 210),
}

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_BLUE = "#1f4e79"
_LIGHT = "#dce6f2"
_BAR = "#2e75b6"
_MUTU_COLOURS = {"A": "#2e7d32", "B": "#1565c0", "C": "#ef6c00", "D": "#c62828"}


def paper(name: str) -> PaperSize:
    """A paper by name: A4, F4 (documents) or A5 (posters)."""
    size = PAPER_SIZES.get(name) or POSTER_SIZES.get(name)
    if size is None:
        raise ValueError(f"kertas tidak dikenal: {name}")
    return size


def period_words(period: Period) -> str:
    """'Semester I 2026 (1 Januari – 30 Juni 2026)'; any other range by its dates alone."""
    year = period.start.year
    name: str | None = None
    if period == Period.year(year):
        name = texts.INFO_PERIOD_YEAR.format(tahun=year)
    for number in (1, 2):
        if period == Period.semester(year, number):
            name = texts.INFO_PERIOD_SEMESTER.format(romawi=_ROMAN[number], tahun=year)
    for number in (1, 2, 3, 4):
        if period == Period.quarter(year, number):
            name = texts.INFO_PERIOD_QUARTER.format(romawi=_ROMAN[number], tahun=year)
    if period.start.year == period.end.year:
        start = str(format_date(period.start, "d MMMM", locale=LOCALE))
    else:
        start = fmt_date_id(period.start)
    end = fmt_date_id(period.end)
    if name is None:
        return f"{start} – {end}"
    return texts.INFO_PERIOD_WORDS.format(nama=name, mulai=start, sampai=end)


def _figure(size: PaperSize) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(size.width_mm / MM_PER_INCH, size.height_mm / MM_PER_INCH))
    FigureCanvasAgg(figure)
    figure.patch.set_facecolor("white")
    return figure


def _save(figures: Sequence[Figure], form: Format, dpi: int, title: str) -> bytes:
    buffer = io.BytesIO()
    if form == "png":
        if len(figures) != 1:
            raise ValueError("PNG hanya satu halaman")
        figures[0].savefig(buffer, format="png", dpi=dpi, facecolor="white")
        return buffer.getvalue()
    from matplotlib.backends.backend_pdf import PdfPages

    # No creation date in the file: the same figures give the same bytes.
    with PdfPages(buffer, metadata={"Title": title, "CreationDate": None}) as pdf:
        for figure in figures:
            pdf.savefig(figure)
    return buffer.getvalue()


def _kinerja(text: str) -> str:
    return " ".join(word.capitalize() for word in text.split())


def _kabupaten(kecamatan: Kecamatan) -> str:
    """'Kabupaten Pamekasan' (the data names it 'Pamekasan'); a 'Kota ...' as it is."""
    name = kecamatan.kabupaten.strip()
    if name.startswith(("Kabupaten ", "Kota ")):
        return name
    return texts.INFO_KABUPATEN.format(kabupaten=name)


def _office(kecamatan: Kecamatan) -> str:
    return texts.INFO_OFFICE.format(kecamatan=kecamatan.nama, kabupaten=_kabupaten(kecamatan))


# -- the infographic --------------------------------------------------------------------------


def infographic(data: SkmPublication, *, size: PaperSize, form: Format, dpi: int = 150) -> bytes:
    """One portrait page: office, period, NIK and mutu, NRR per unsur, sample, date."""
    figure = _figure(size)
    scale = size.width_mm / 210  # fonts follow the paper's width
    _header(figure, data, scale)
    result = data.result
    if result is None:
        message = texts.INFO_NO_RESPONSES if data.respondents == 0 else texts.INFO_NO_RESULT
        figure.text(
            0.5,
            0.58,
            "\n".join(textwrap.wrap(message, 48)),
            ha="center",
            va="center",
            fontsize=20 * scale,
            color=_BLUE,
            linespacing=1.5,
        )
    else:
        _score(figure, data, scale)
        _bars(figure, data, scale)
    _sample(figure, data, scale)
    figure.text(0.06, 0.045, texts.INFO_METHOD, fontsize=8.5 * scale, color="#555555", va="center")
    figure.text(
        0.94,
        0.045,
        texts.INFO_MADE.format(tanggal=fmt_date_id(data.made_at.date())),
        fontsize=8.5 * scale,
        color="#555555",
        ha="right",
        va="center",
    )
    title = f"{texts.INFO_TITLE} - {_office(data.kecamatan)} - {period_words(data.period)}"
    return _save([figure], form, dpi, title)


def _header(figure: Figure, data: SkmPublication, scale: float) -> None:
    from matplotlib.patches import Rectangle

    figure.add_artist(
        Rectangle((0, 0.885), 1, 0.115, transform=figure.transFigure, color=_BLUE, zorder=0)
    )
    figure.text(
        0.5,
        0.955,
        texts.INFO_TITLE,
        ha="center",
        va="center",
        fontsize=19 * scale,
        weight="bold",
        color="white",
    )
    figure.text(
        0.5,
        0.912,
        _office(data.kecamatan),
        ha="center",
        va="center",
        fontsize=14 * scale,
        color="white",
    )
    figure.text(
        0.5,
        0.855,
        period_words(data.period),
        ha="center",
        va="center",
        fontsize=13 * scale,
        weight="bold",
        color=_BLUE,
    )


def _score(figure: Figure, data: SkmPublication, scale: float) -> None:
    from matplotlib.patches import FancyBboxPatch

    result = data.result
    assert result is not None
    figure.add_artist(
        FancyBboxPatch(
            (0.06, 0.665),
            0.88,
            0.16,
            boxstyle="round,pad=0,rounding_size=0.015",
            transform=figure.transFigure,
            facecolor=_LIGHT,
            edgecolor="none",
            zorder=0,
        )
    )
    figure.text(0.1, 0.8, texts.INFO_NIK_LABEL, fontsize=11 * scale, color=_BLUE, va="center")
    figure.text(
        0.1,
        0.735,
        fmt_decimal(result.nik, 2),
        fontsize=54 * scale,
        weight="bold",
        color=_BLUE,
        va="center",
    )
    figure.text(
        0.1,
        0.68,
        texts.INFO_IKM.format(ikm=fmt_decimal(result.ikm_rounded(4), 4)),
        fontsize=9.5 * scale,
        color="#333333",
        va="center",
    )
    colour = _MUTU_COLOURS.get(result.mutu, _BLUE)
    centre = (0.64, 0.745)
    _disc(figure, centre, 0.062, colour)
    figure.text(
        *centre,
        result.mutu,
        ha="center",
        va="center",
        fontsize=44 * scale,
        weight="bold",
        color="white",
    )
    figure.text(
        0.73,
        0.77,
        texts.INFO_MUTU.format(mutu=result.mutu),
        fontsize=12 * scale,
        weight="bold",
        color=colour,
        va="center",
    )
    figure.text(
        0.73,
        0.72,
        "\n".join(textwrap.wrap(_kinerja(result.kinerja), 12)),
        fontsize=11 * scale,
        color=colour,
        va="center",
    )
    figure.text(
        0.5,
        0.643,
        texts.INFO_KINERJA.format(kinerja=f"{result.mutu} {_kinerja(result.kinerja)}"),
        ha="center",
        va="center",
        fontsize=10.5 * scale,
        color="#333333",
    )


def _disc(figure: Figure, centre: tuple[float, float], radius: float, colour: str) -> None:
    """A round disc of ``radius`` (a fraction of the page width) in figure coordinates."""
    from matplotlib.patches import Ellipse

    width, height = figure.get_size_inches()
    figure.add_artist(
        Ellipse(
            centre,
            2 * radius,
            2 * radius * width / height,
            transform=figure.transFigure,
            color=colour,
        )
    )


def _bars(figure: Figure, data: SkmPublication, scale: float) -> None:
    """The nine NRR as horizontal bars on the 1-4 scale, each with its value."""
    figure.text(0.06, 0.605, texts.INFO_BARS_TITLE, fontsize=12 * scale, weight="bold", color=_BLUE)
    axes = figure.add_axes((0.42, 0.235, 0.5, 0.355))
    lines = data.unsur
    positions = list(range(len(lines)))
    values = [float(line.nrr or 0) for line in lines]
    axes.barh(positions, values, color=_BAR, height=0.62)
    labels = ["\n".join(textwrap.wrap(f"{line.number}. {line.name}", 26)) for line in lines]
    axes.set_yticks(positions, labels, fontsize=9 * scale)
    axes.invert_yaxis()  # unsur 1 on top
    axes.set_xlim(0, SCORE_MAX + 0.7)
    axes.set_xticks(range(SCORE_MAX + 1))
    axes.tick_params(axis="x", labelsize=8 * scale)
    axes.tick_params(axis="y", length=0)
    for position, line in zip(positions, lines, strict=True):
        axes.text(
            float(line.nrr or 0) + 0.06,
            position,
            fmt_decimal(line.nrr, 4),
            va="center",
            fontsize=9 * scale,
            weight="bold",
            color="#222222",
        )
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _sample(figure: Figure, data: SkmPublication, scale: float) -> None:
    """Respondents, and whether they reach the Krejcie-Morgan minimum."""
    from matplotlib.patches import FancyBboxPatch

    figure.add_artist(
        FancyBboxPatch(
            (0.06, 0.085),
            0.88,
            0.105,
            boxstyle="round,pad=0,rounding_size=0.015",
            transform=figure.transFigure,
            facecolor=_LIGHT,
            edgecolor="none",
            zorder=0,
        )
    )
    figure.text(
        0.09,
        0.158,
        texts.INFO_RESPONDENTS.format(jumlah=data.respondents),
        fontsize=13 * scale,
        weight="bold",
        color=_BLUE,
        va="center",
    )
    if data.min_sample is None or data.population is None:
        line = texts.INFO_SAMPLE_UNKNOWN
        colour = "#555555"
    else:
        enough = bool(data.sufficient)
        line = texts.INFO_SAMPLE.format(
            populasi=data.population,
            minimal=data.min_sample,
            status=texts.INFO_SAMPLE_OK if enough else texts.INFO_SAMPLE_SHORT,
        )
        colour = _MUTU_COLOURS["A"] if enough else _MUTU_COLOURS["D"]
    figure.text(0.09, 0.115, line, fontsize=10.5 * scale, color=colour, va="center")


# -- the posters ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PosterPage:
    """One poster: the office, the service (None: every service) and its deep link."""

    kecamatan: Kecamatan
    service: SkmService | None
    link: str


def qr_matrix(link: str) -> list[list[bool]]:
    """The QR code of ``link`` as rows of dark (True) modules, without the quiet zone."""
    import segno

    code = segno.make(link, error="m")
    return [[bool(value) for value in row] for row in code.matrix]


# The QR code's square, quiet zone included: from the page's left, bottom (fractions),
# and its side as a fraction of the page width; the same on A4 and A5 (same shape).
_QR_LEFT = 0.2
_QR_BOTTOM = 0.24
_QR_SIDE = 0.6


def poster_qr_box(size: PaperSize) -> tuple[float, float, float, float]:
    """Where the QR code is drawn: left, bottom, width, height in fractions of the page."""
    return (_QR_LEFT, _QR_BOTTOM, _QR_SIDE, _QR_SIDE * size.width_mm / size.height_mm)


def _poster_figure(page: PosterPage, size: PaperSize) -> Figure:
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    figure = _figure(size)
    scale = size.width_mm / 210
    figure.add_artist(
        Rectangle((0, 0.86), 1, 0.14, transform=figure.transFigure, color=_BLUE, zorder=0)
    )
    figure.text(
        0.5,
        0.95,
        texts.POSTER_OFFICE.format(kecamatan=page.kecamatan.nama.upper()),
        ha="center",
        va="center",
        fontsize=24 * scale,
        weight="bold",
        color="white",
    )
    figure.text(
        0.5,
        0.895,
        _kabupaten(page.kecamatan),
        ha="center",
        va="center",
        fontsize=15 * scale,
        color="white",
    )
    figure.text(
        0.5,
        0.82,
        texts.POSTER_HEADING,
        ha="center",
        va="center",
        fontsize=22 * scale,
        weight="bold",
        color=_BLUE,
    )
    service = texts.POSTER_ALL_SERVICES if page.service is None else page.service.nama
    figure.text(
        0.5,
        0.775,
        texts.POSTER_SERVICE_LABEL,
        ha="center",
        va="center",
        fontsize=13 * scale,
        color="#333333",
    )
    lines = textwrap.wrap(service, 30)
    if len(lines) > 2:  # a long name in smaller letters, so that it stays above the code
        lines = textwrap.wrap(service, 42)
    figure.text(
        0.5,
        0.755,
        "\n".join(lines),
        ha="center",
        va="top",
        fontsize=(21 if len(lines) <= 2 else 15) * scale,
        weight="bold",
        color="#111111",
        linespacing=1.2,
    )

    matrix = qr_matrix(page.link)
    count = len(matrix)
    axes = figure.add_axes(poster_qr_box(size))
    axes.set_axis_off()
    axes.set_xlim(-QUIET_ZONE, count + QUIET_ZONE)
    axes.set_ylim(count + QUIET_ZONE, -QUIET_ZONE)  # row 0 on top
    squares = [
        Rectangle((x, y), 1, 1)
        for y, row in enumerate(matrix)
        for x, dark in enumerate(row)
        if dark
    ]
    # Slightly overlapping edges would blur; none, and no antialiasing, keeps modules sharp.
    axes.add_collection(
        PatchCollection(squares, facecolor="black", edgecolor="none", antialiased=False)
    )

    figure.text(
        0.5,
        0.175,
        "\n".join(textwrap.wrap(texts.POSTER_INSTRUCTION, 50)),
        ha="center",
        va="center",
        fontsize=15 * scale,
        color=_BLUE,
        weight="bold",
        linespacing=1.4,
    )
    figure.text(0.5, 0.105, page.link, ha="center", va="center", fontsize=11 * scale)
    figure.text(
        0.5,
        0.055,
        texts.POSTER_THANKS,
        ha="center",
        va="center",
        fontsize=11 * scale,
        color="#555555",
    )
    return figure


def posters(pages: Sequence[PosterPage], *, size: PaperSize, form: Format, dpi: int = 150) -> bytes:
    """The posters, one page each (PDF), or the one poster as PNG."""
    if not pages:
        raise ValueError("tidak ada poster")
    figures = [_poster_figure(page, size) for page in pages]
    return _save(figures, form, dpi, texts.POSTER_HEADING)
