"""The digest's chart, as a PNG: incidents per week, and the capaian of the five IKU.

Two panels, each readable without the text beside it:
- above, the conflicts and trantibum events received per week (stacked bars, counted on
  the left axis) and the share of them handled now (a line on the right axis, in its
  own colour with its own axis label, 0-100%); each week is labelled by its dates
  ("23-29 Nov"), the ISO week beneath; weeks without any incident at all are said in
  words instead of an empty plot;
- below, the capaian of each indicator (realisasi / target, in %) as a horizontal bar,
  with the 100% line; an indicator without a capaian says why (no target, no data).

matplotlib with the Agg backend (no display). The figure is drawn with the
object-oriented API on its own Figure, never pyplot's global state, so that two
digests made at once cannot draw into each other. matplotlib (and numpy, PIL) is
imported when the first chart is drawn, not when the bot or the CLI starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import TYPE_CHECKING

from domain.digest import IsoWeek, WeekPoint
from domain.models import IndicatorCode
from domain.report import IkuReport

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "digest_chart",
    "digest_figure",
    "week_label",
    "capaian_bars",
    "CapaianBar",
    "NO_INCIDENTS",
]

_KONFLIK = "#c0504d"
_TRANTIBUM = "#4f81bd"
_HANDLED = "#2e7d32"
_CAPAIAN = "#7f7f7f"
_LAYOUT = {"left": 0.22, "right": 0.905, "top": 0.935, "bottom": 0.07, "hspace": 0.38}
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


def digest_figure(points: Sequence[WeekPoint], report: IkuReport, kecamatan: str) -> Figure:
    """The two panels as a matplotlib Figure (drawn by :func:`digest_chart`)."""
    if not points:
        raise ValueError("tidak ada minggu untuk digambar")
    # Heavy (about 60 MB with numpy and PIL): imported here, when a chart is drawn.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 8.5), dpi=120)
    FigureCanvasAgg(figure)
    weeks_axes, capaian_axes = figure.subplots(2, 1, gridspec_kw={"height_ratios": [3, 2]})
    _weeks(weeks_axes, points, kecamatan)
    _capaian(capaian_axes, report)
    # A fixed layout: what tight_layout finds for these labels (the indicator names on
    # the left, the share axis on the right, two title lines, slanted week labels),
    # without measuring every text first (that measuring took a third of the chart).
    figure.subplots_adjust(**_LAYOUT)
    return figure


def digest_chart(points: Sequence[WeekPoint], report: IkuReport, kecamatan: str) -> bytes:
    """The digest's chart as PNG bytes."""
    buffer = BytesIO()
    # Fast zlib: a third less time for a file a few percent larger (a chat photo is
    # recompressed by Telegram anyway).
    digest_figure(points, report, kecamatan).savefig(
        buffer, format="png", pil_kwargs={"compress_level": 1}
    )
    return buffer.getvalue()


def _weeks(axes: object, points: Sequence[WeekPoint], kecamatan: str) -> None:
    from matplotlib.axes import Axes
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    assert isinstance(axes, Axes)
    first, last = points[0].week, points[-1].week
    axes.set_title(
        f"Kecamatan {kecamatan}: kejadian diterima per minggu\n"
        f"{first.start:%d-%m-%Y} s.d. {last.end:%d-%m-%Y}",
        fontsize=10,
        y=1.0,  # a fixed place: finding one measures every axis (a fifth of the chart)
    )
    positions = list(range(len(points)))
    labels = [f"{week_label(p.week)} (W{p.week.week:02d})" for p in points]
    axes.set_xticks(positions, labels, fontsize=7, rotation=40, ha="right")
    axes.set_xlim(-0.6, len(points) - 0.4)
    if all(p.total == 0 for p in points):
        axes.text(
            0.5,
            0.5,
            NO_INCIDENTS.format(weeks=len(points)),
            transform=axes.transAxes,
            ha="center",
            va="center",
            fontsize=11,
        )
        axes.set_yticks([])
        return
    konflik = [p.konflik for p in points]
    trantibum = [p.trantibum for p in points]
    axes.bar(positions, konflik, color=_KONFLIK, label="Konflik sosial (jumlah)")
    axes.bar(positions, trantibum, bottom=konflik, color=_TRANTIBUM, label="Trantibum (jumlah)")
    axes.set_ylabel("Jumlah kejadian diterima")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    top = max(p.total for p in points)
    axes.set_ylim(0, max(top * 1.3, 4))
    axes.grid(axis="y", alpha=0.3)

    share = axes.twinx()
    handled = [
        float(p.handled_percent) if p.handled_percent is not None else float("nan") for p in points
    ]
    share.plot(
        positions, handled, color=_HANDLED, marker="o", label="Tertangani sekarang (%, kanan)"
    )
    share.set_ylim(0, 110)
    share.set_yticks([0, 25, 50, 75, 100])
    share.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    share.set_ylabel("Persentase tertangani", color=_HANDLED)
    share.tick_params(axis="y", colors=_HANDLED)
    share.spines["right"].set_color(_HANDLED)
    bars, bar_labels = axes.get_legend_handles_labels()
    line, line_labels = share.get_legend_handles_labels()
    axes.legend(bars + line, bar_labels + line_labels, loc="upper left", fontsize=7)


def _capaian(axes: object, report: IkuReport) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axes, Axes)
    bars = capaian_bars(report)
    positions = list(range(len(bars)))[::-1]  # indicator 1 on top
    values = [float(b.capaian) if b.capaian is not None else 0.0 for b in bars]
    axes.barh(positions, values, color=_CAPAIAN, height=0.6)
    axes.set_yticks(positions, [b.label for b in bars], fontsize=8)
    top = max([120.0, *(v * 1.15 for v in values)])
    axes.set_xlim(0, top)
    axes.axvline(100, color="black", linewidth=1, linestyle="--")
    axes.text(100, len(bars) - 0.45, " target (100%)", fontsize=7, va="bottom")
    for position, bar, value in zip(positions, bars, values, strict=True):
        text = (
            f"{bar.capaian:.2f}%".replace(".", ",") if bar.capaian is not None else bar.note or ""
        )
        axes.text(value + top * 0.01, position, text, va="center", fontsize=8)
    axes.set_xlabel("Capaian (realisasi / target, %)")
    period = report.period
    axes.set_title(
        f"Capaian IKU {period.start:%d-%m-%Y} s.d. {period.end:%d-%m-%Y}", fontsize=10, y=1.0
    )
    axes.grid(axis="x", alpha=0.3)
