"""The digest's chart: incidents per week and the handled share, as a PNG.

matplotlib with the Agg backend (no display). The figure is drawn with the
object-oriented API on its own Figure, never pyplot's global state, so that two
digests made at once cannot draw into each other. matplotlib (and numpy, PIL) is
imported when the first chart is drawn, not when the bot or the CLI starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from domain.digest import WeekPoint

__all__ = ["incidents_chart"]

_KONFLIK = "#c0504d"
_TRANTIBUM = "#4f81bd"
_HANDLED = "#2e7d32"


def incidents_chart(points: Sequence[WeekPoint], kecamatan: str) -> bytes:
    """Stacked bars of new conflicts and trantibum events per week, with the handled %."""
    if not points:
        raise ValueError("tidak ada minggu untuk digambar")
    # Heavy (about 60 MB with numpy and PIL): imported here, when a chart is drawn.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    figure = Figure(figsize=(8, 4.5), dpi=120)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = [f"W{p.week.week:02d}" for p in points]
    positions = list(range(len(points)))
    konflik = [p.konflik for p in points]
    trantibum = [p.trantibum for p in points]
    axes.bar(positions, konflik, color=_KONFLIK, label="Konflik sosial")
    axes.bar(positions, trantibum, bottom=konflik, color=_TRANTIBUM, label="Trantibum")
    axes.set_xticks(positions, labels, fontsize=8)
    axes.set_ylabel("Kejadian diterima")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    top = max((p.total for p in points), default=0)
    axes.set_ylim(0, max(top * 1.25, 4))

    share = axes.twinx()
    handled = [
        float(p.handled_percent) if p.handled_percent is not None else float("nan") for p in points
    ]
    share.plot(positions, handled, color=_HANDLED, marker="o", label="Tertangani (%)")
    share.set_ylim(0, 105)
    share.yaxis.set_major_formatter(PercentFormatter(100))
    share.set_ylabel("Tertangani")

    first, last = points[0].week, points[-1].week
    axes.set_title(
        f"Kecamatan {kecamatan}: kejadian per minggu ({first.key} s.d. {last.key})", fontsize=10
    )
    bars, bar_labels = axes.get_legend_handles_labels()
    line, line_labels = share.get_legend_handles_labels()
    axes.legend(bars + line, bar_labels + line_labels, loc="upper left", fontsize=8)
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    buffer = BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
