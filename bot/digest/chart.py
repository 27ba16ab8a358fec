"""The digest's chart, as a PNG: incidents per week, and the capaian of the five IKU.

Two panels, each readable without the text beside it:
- above, the conflicts and trantibum events received per week (stacked bars, counted on
  the left axis) and the share of them handled now (a line on the right axis, in its
  own colour with its own axis label, 0-100%); each week is labelled by its dates
  ("23-29 Nov"), the ISO week beneath; weeks without any incident at all are said in
  words instead of an empty plot;
- below, the capaian of each indicator (realisasi / target, in %) as a horizontal bar,
  with the 100% line; an indicator without a capaian says why (no target, no data).

Drawn in two steps: :func:`digest_drawing` lays the chart out as plain shapes (texts,
boxes, lines, dots at pixel positions: a pure function, what the tests read), and
:func:`render` paints them with Pillow's ImageDraw. Every digest of every kecamatan draws
one, each week; a plotting library measured every text and took a quarter of a second
per chart (and some 60 MB to import), this takes a few milliseconds. The font is the
scalable one Pillow ships (``ImageFont.load_default(size)``), so nothing is installed
beside Pillow. Each drawing is its own object: two digests drawn at once share nothing
but the cached fonts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from io import BytesIO
from typing import TYPE_CHECKING, Literal

from domain.digest import IsoWeek, WeekPoint
from domain.models import IndicatorCode
from domain.report import IkuReport

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage
    from PIL.ImageDraw import ImageDraw
    from PIL.ImageFont import FreeTypeFont

__all__ = [
    "CapaianBar",
    "Drawing",
    "Dot",
    "Line",
    "NO_INCIDENTS",
    "Rect",
    "Text",
    "capaian_bars",
    "digest_chart",
    "digest_drawing",
    "render",
    "week_label",
]

KONFLIK = "#c0504d"
TRANTIBUM = "#4f81bd"
HANDLED = "#2e7d32"
CAPAIAN = "#7f7f7f"
_GRID = "#e4e4e4"
_AXIS = "#333333"
_INK = "#000000"
WIDTH, HEIGHT = 1080, 1020  # 9 x 8.5 inches at 120 dpi
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
NO_INCIDENTS = (
    "Tidak ada konflik sosial maupun kejadian trantibum\nditerima pada {weeks} minggu ini."
)
_SHORT = {
    IndicatorCode.DESA_MANDIRI: "1. Desa mandiri",
    IndicatorCode.DESA_TEMATIK: "2. Desa tematik",
    IndicatorCode.KONFLIK_TERTANGANI: "3. Konflik tertangani",
    IndicatorCode.TRANTIBUM_TERTANGANI: "4. Trantibum tertangani",
    IndicatorCode.SKM: "5. Kepuasan masyarakat (SKM)",
}
WEEKS_TITLE = "Kecamatan {kecamatan}: kejadian diterima per minggu"
COUNT_LABEL = "Jumlah kejadian diterima"
SHARE_LABEL = "Persentase tertangani"
CAPAIAN_LABEL = "Capaian (realisasi / target, %)"
LEGEND = (
    ("Konflik sosial (jumlah)", KONFLIK),
    ("Trantibum (jumlah)", TRANTIBUM),
    ("Tertangani sekarang (%, kanan)", HANDLED),
)
SHARE_TOP = 110  # the share axis runs to 110% so that a 100% point is not on the frame
SHARE_TICKS = (0, 25, 50, 75, 100)

# The panels' plot boxes (left, top, right, bottom), in pixels.
WEEKS_BOX = (120, 108, 960, 560)
CAPAIAN_BOX = (300, 712, 960, 946)

# Pillow's anchors: first letter horizontal (l, m, r), second vertical (a top, m middle,
# s baseline, d bottom).
Anchor = Literal["la", "ma", "ra", "lm", "mm", "rm", "ld", "md", "rd", "rs"]


def week_label(week: IsoWeek) -> str:
    """The week's dates, short: '23-29 Nov', '30 Nov-6 Des', '29 Des-4 Jan'."""
    start, end = week.start, week.end
    if start.month == end.month:
        return f"{start.day}-{end.day} {_MONTHS[end.month - 1]}"
    return f"{start.day} {_MONTHS[start.month - 1]}-{end.day} {_MONTHS[end.month - 1]}"


@dataclass(frozen=True, slots=True)
class CapaianBar:
    """One indicator's bar: its capaian in %, or the words that say why there is none."""

    label: str
    capaian: Decimal | None
    note: str | None


def capaian_bars(report: IkuReport) -> list[CapaianBar]:
    """The five indicators' capaian, in table order."""
    bars = []
    for row in report.rows:
        note = None
        if row.capaian is None:
            if row.target is None:
                note = "belum ada target"
            elif row.realisasi is None:
                note = "belum ada data"
            else:
                note = "tidak dapat dihitung"
        bars.append(CapaianBar(_SHORT.get(row.code, row.definition.indikator), row.capaian, note))
    return bars


# -- the shapes ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """A text at a point; ``angle`` in degrees counter-clockwise around that point."""

    x: float
    y: float
    text: str
    size: int
    color: str = _INK
    anchor: Anchor = "la"
    angle: float = 0.0
    role: str = ""  # what it is, for readers of the drawing: "title", "xtick", ...
    backdrop: bool = False  # on a white box, readable over a line it crosses


@dataclass(frozen=True, slots=True)
class Rect:
    """A filled box (a bar, a legend key, a frame when ``fill`` is None)."""

    x0: float
    y0: float
    x1: float
    y1: float
    fill: str | None
    outline: str | None = None
    role: str = ""


@dataclass(frozen=True, slots=True)
class Line:
    """A polyline; ``dashed`` draws it in dashes."""

    points: tuple[tuple[float, float], ...]
    color: str
    width: int = 1
    dashed: bool = False
    role: str = ""


@dataclass(frozen=True, slots=True)
class Dot:
    """A filled circle (a marker of the share line)."""

    x: float
    y: float
    radius: float
    color: str
    role: str = ""


Shape = Text | Rect | Line | Dot


@dataclass(slots=True)
class Drawing:
    """The chart as shapes in painting order, on a white canvas of ``width`` x ``height``."""

    width: int = WIDTH
    height: int = HEIGHT
    shapes: list[Shape] = field(default_factory=list)

    def add(self, *shapes: Shape) -> None:
        """Paint these after the ones already there."""
        self.shapes.extend(shapes)

    def texts(self, role: str | None = None) -> list[str]:
        """The words on the chart (of one role, or all)."""
        return [s.text for s in self.shapes if isinstance(s, Text) and role in (None, s.role)]

    def of(self, role: str) -> list[Shape]:
        """The shapes of a role, in painting order."""
        return [s for s in self.shapes if s.role == role]


def _nice_step(top: float, ticks: int) -> float:
    """A round step (1, 2, 5 times a power of ten) giving at most ``ticks`` intervals."""
    raw = max(top / ticks, 1e-9)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return float(factor * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:g}".replace(".", ",")


def digest_drawing(points: Sequence[WeekPoint], report: IkuReport, kecamatan: str) -> Drawing:
    """Lay out the two panels (pure: no pixels yet)."""
    if not points:
        raise ValueError("tidak ada minggu untuk digambar")
    drawing = Drawing()
    _weeks(drawing, points, kecamatan)
    _capaian(drawing, report)
    return drawing


def digest_chart(points: Sequence[WeekPoint], report: IkuReport, kecamatan: str) -> bytes:
    """The digest's chart as PNG bytes."""
    return render(digest_drawing(points, report, kecamatan))


def _weeks(drawing: Drawing, points: Sequence[WeekPoint], kecamatan: str) -> None:
    left, top, right, bottom = WEEKS_BOX
    first, last = points[0].week, points[-1].week
    middle = (left + right) / 2
    drawing.add(
        Text(middle, 18, WEEKS_TITLE.format(kecamatan=kecamatan), 17, anchor="ma", role="title"),
        Text(
            middle,
            44,
            f"{first.start:%d-%m-%Y} s.d. {last.end:%d-%m-%Y}",
            17,
            anchor="ma",
            role="title",
        ),
    )
    slot = (right - left) / len(points)

    def centre(index: int) -> float:
        return left + slot * (index + 0.5)

    quiet = all(p.total == 0 for p in points)
    if not quiet:
        highest = max(p.total for p in points)
        ceiling = max(highest * 1.3, 4.0)
        step = max(_nice_step(ceiling, 6), 1.0)  # whole incidents only

        def y_of(count: float) -> float:
            return bottom - (bottom - top) * count / ceiling

        tick = 0.0
        while tick <= ceiling:
            y = y_of(tick)
            drawing.add(
                Line(((left, y), (right, y)), _GRID, role="grid"),
                Line(((left - 5, y), (left, y)), _AXIS),
                Text(left - 8, y, _number(tick), 13, _AXIS, anchor="rm", role="ytick"),
            )
            tick += step
        half = slot * 0.4
        for index, point in enumerate(points):
            x = centre(index)
            if point.konflik:
                drawing.add(
                    Rect(x - half, y_of(point.konflik), x + half, bottom, KONFLIK, role="konflik")
                )
            if point.trantibum:
                drawing.add(
                    Rect(
                        x - half,
                        y_of(point.konflik + point.trantibum),
                        x + half,
                        y_of(point.konflik),
                        TRANTIBUM,
                        role="trantibum",
                    )
                )
        drawing.add(
            Text(30, (top + bottom) / 2, COUNT_LABEL, 14, anchor="mm", angle=90, role="ylabel")
        )
        _share(drawing, points, centre)
    else:
        drawing.add(
            Text(
                middle,
                (top + bottom) / 2,
                NO_INCIDENTS.format(weeks=len(points)),
                19,
                anchor="mm",
                role="note",
            )
        )
    drawing.add(Rect(left, top, right, bottom, None, _AXIS, role="frame"))
    for index, point in enumerate(points):
        x = centre(index)
        drawing.add(
            Line(((x, bottom), (x, bottom + 5)), _AXIS),
            Text(
                x + 4,
                bottom + 8,
                f"{week_label(point.week)} (W{point.week.week:02d})",
                12,
                _AXIS,
                anchor="ra",
                angle=40,
                role="xtick",
            ),
        )
    if not quiet:
        _legend(drawing, middle, 80)


def _share(drawing: Drawing, points: Sequence[WeekPoint], centre: Callable[[int], float]) -> None:
    """The handled share: a line on its own right axis, in its own colour."""
    _, top, right, bottom = WEEKS_BOX

    def y_of(percent: float) -> float:
        return bottom - (bottom - top) * percent / SHARE_TOP

    for tick in SHARE_TICKS:
        y = y_of(tick)
        drawing.add(
            Line(((right, y), (right + 5, y)), HANDLED),
            Text(right + 8, y, f"{tick}%", 13, HANDLED, anchor="lm", role="sharetick"),
        )
    drawing.add(
        Line(((right, top), (right, bottom)), HANDLED, width=2, role="shareaxis"),
        Text(
            WIDTH - 28,
            (top + bottom) / 2,
            SHARE_LABEL,
            14,
            HANDLED,
            anchor="mm",
            angle=90,
            role="sharelabel",
        ),
    )
    run: list[tuple[float, float]] = []  # a week without incidents breaks the line
    for index, point in enumerate(points):
        if point.handled_percent is None:
            if len(run) > 1:
                drawing.add(Line(tuple(run), HANDLED, width=2, role="share"))
            run = []
            continue
        run.append((centre(index), y_of(float(point.handled_percent))))
    if len(run) > 1:
        drawing.add(Line(tuple(run), HANDLED, width=2, role="share"))
    for index, point in enumerate(points):
        if point.handled_percent is not None:
            x, y = centre(index), y_of(float(point.handled_percent))
            drawing.add(Dot(x, y, 4.5, HANDLED, role="sharedot"))


def _legend(drawing: Drawing, middle: float, y: float) -> None:
    """One row between the title and the plot, where it covers no bar and no point."""
    widths = [44 + 8 * len(label) for label, _ in LEGEND]  # key, gap and words (13 px)
    x = middle - sum(widths) / 2
    for (label, color), width in zip(LEGEND, widths, strict=True):
        if color == HANDLED:
            drawing.add(
                Line(((x, y), (x + 26, y)), color, width=2, role="legendkey"),
                Dot(x + 13, y, 4.5, color, role="legendkey"),
            )
        else:
            drawing.add(Rect(x + 2, y - 6, x + 24, y + 6, color, role="legendkey"))
        drawing.add(Text(x + 34, y, label, 13, anchor="lm", role="legend"))
        x += width


def _capaian(drawing: Drawing, report: IkuReport) -> None:
    left, top, right, bottom = CAPAIAN_BOX
    bars = capaian_bars(report)
    values = [float(b.capaian) if b.capaian is not None else 0.0 for b in bars]
    ceiling = max([120.0, *(v * 1.15 for v in values)])
    period = report.period

    def x_of(value: float) -> float:
        return left + (right - left) * value / ceiling

    drawing.add(
        Text(
            (left + right) / 2,
            top - 44,
            f"Capaian IKU {period.start:%d-%m-%Y} s.d. {period.end:%d-%m-%Y}",
            17,
            anchor="ma",
            role="title",
        )
    )
    step = _nice_step(ceiling, 7)
    tick = 0.0
    while tick <= ceiling:
        x = x_of(tick)
        drawing.add(
            Line(((x, top), (x, bottom)), _GRID, role="grid"),
            Line(((x, bottom), (x, bottom + 5)), _AXIS),
            Text(x, bottom + 8, _number(tick), 13, _AXIS, anchor="ma", role="xtick"),
        )
        tick += step
    slot = (bottom - top) / len(bars)
    for index, (bar, value) in enumerate(zip(bars, values, strict=True)):
        middle = top + slot * (index + 0.5)  # indicator 1 on top
        if value > 0:
            drawing.add(
                Rect(
                    left, middle - slot * 0.3, x_of(value), middle + slot * 0.3, CAPAIAN, role="bar"
                )
            )
        drawing.add(
            Line(((left - 5, middle), (left, middle)), _AXIS),
            Text(left - 8, middle, bar.label, 14, anchor="rm", role="ytick"),
        )
    hundred = x_of(100)
    drawing.add(
        Line(((hundred, top), (hundred, bottom)), _INK, width=2, dashed=True, role="target"),
        Text(hundred + 4, top - 4, "target (100%)", 12, anchor="ld", role="target"),
        Rect(left, top, right, bottom, None, _AXIS, role="frame"),
    )
    for index, (bar, value) in enumerate(zip(bars, values, strict=True)):
        words = (
            f"{bar.capaian:.2f}%".replace(".", ",") if bar.capaian is not None else bar.note or ""
        )
        middle = top + slot * (index + 0.5)
        drawing.add(
            Text(x_of(value) + 6, middle, words, 14, anchor="lm", role="value", backdrop=True)
        )
    drawing.add(
        Text((left + right) / 2, bottom + 34, CAPAIAN_LABEL, 14, anchor="ma", role="xlabel"),
    )


# -- painting -----------------------------------------------------------------------------


@cache
def _font(size: int) -> FreeTypeFont:
    from PIL import ImageFont

    font = ImageFont.load_default(size)
    assert isinstance(font, ImageFont.FreeTypeFont)  # Pillow built with FreeType
    return font


def render(drawing: Drawing) -> bytes:
    """Paint the shapes on a white canvas and encode it as PNG."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (drawing.width, drawing.height), "#ffffff")
    pen = ImageDraw.Draw(image)
    for shape in drawing.shapes:
        if isinstance(shape, Rect):
            pen.rectangle(
                (round(shape.x0), round(shape.y0), round(shape.x1), round(shape.y1)),
                fill=shape.fill,
                outline=shape.outline,
            )
        elif isinstance(shape, Line):
            if shape.dashed:
                _dashes(pen, shape)
            else:
                pen.line(shape.points, fill=shape.color, width=shape.width, joint="curve")
        elif isinstance(shape, Dot):
            r = shape.radius
            pen.ellipse((shape.x - r, shape.y - r, shape.x + r, shape.y + r), fill=shape.color)
        elif "\n" in shape.text:  # the one sentence of a quiet period: drawn in place
            pen.multiline_text(
                (shape.x, shape.y),
                shape.text,
                fill=shape.color,
                font=_font(shape.size),
                anchor=shape.anchor,
                align="center",
                spacing=6,
            )
        else:
            _stamp(image, shape)
    buffer = BytesIO()
    # A palette of 64 colours (the few of the chart and the grey edges of its letters):
    # half the bytes and a third less time than 24-bit colour; fast zlib, since a chat
    # photo is recompressed by Telegram anyway.
    palette = image.quantize(64, method=Image.Quantize.FASTOCTREE)
    palette.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _dashes(pen: ImageDraw, line: Line) -> None:
    (x0, y0), (x1, y1) = line.points[0], line.points[-1]
    length = math.hypot(x1 - x0, y1 - y0)
    done = 0.0
    while done < length:
        end = min(done + 8, length)
        a, b = done / length, end / length
        pen.line(
            ((x0 + (x1 - x0) * a, y0 + (y1 - y0) * a), (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)),
            fill=line.color,
            width=line.width,
        )
        done += 13


@dataclass(frozen=True, slots=True)
class _Tile:
    """A text's letters as a mask, and where each anchor ("la", "rm"...) lies in it."""

    mask: PILImage
    anchors: dict[str, tuple[float, float]]


@lru_cache(maxsize=512)  # a few KB each
def _tile(words: str, size: int, angle: float) -> _Tile:
    """The mask of a text, turned by ``angle``; cached, since most texts of one chart
    (axis labels, ticks, names, the weeks of the same digest) are on every other too."""
    from PIL import Image, ImageDraw

    font = _font(size)
    ascent, descent = font.getmetrics()
    width = max(int(font.getlength(words)), int(font.getbbox(words)[2])) + 4
    height = ascent + descent + 4
    tile = Image.new("L", (width, height), 0)
    ImageDraw.Draw(tile).text((2, 2), words, fill=255, font=font)
    across = {"l": 2.0, "m": width / 2, "r": width - 2.0}
    down = {"a": 2.0, "m": 2 + (ascent + descent) / 2, "s": 2.0 + ascent, "d": height - 2.0}
    anchors = {h + v: (x, y) for h, x in across.items() for v, y in down.items()}
    if not angle:
        return _Tile(tile, anchors)
    turned = tile.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    # Turning is around the tile's centre, y growing downwards: each anchor turns with it.
    rad = math.radians(angle)
    cx, cy = width / 2, height / 2
    moved = {
        key: (
            (x - cx) * math.cos(rad) + (y - cy) * math.sin(rad) + turned.width / 2,
            -(x - cx) * math.sin(rad) + (y - cy) * math.cos(rad) + turned.height / 2,
        )
        for key, (x, y) in anchors.items()
    }
    return _Tile(turned, moved)


def _stamp(image: PILImage, text: Text) -> None:
    """Paint a text's cached mask in its colour, its anchor on the text's point."""
    tile = _tile(text.text, text.size, text.angle)
    ax, ay = tile.anchors[text.anchor]
    x, y = text.x - ax, text.y - ay
    left, top = round(x), round(y)
    width, height = tile.mask.size
    if text.backdrop:
        image.paste("#ffffff", (left, top + 1, left + width, top + height - 1))
    image.paste(text.color, (left, top, left + width, top + height), tile.mask)
