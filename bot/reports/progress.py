"""The progress of the desa for the chat: a compact table as text, and a PNG chart.

- The table: one line per desa in a monospaced block, one two-letter status per year
  (ST, TT, BK, MJ, MD; "--" without data; "*" where the published IDM status differs
  from its score's), then the desa per status per year, the changes into the last
  year and the desa closest to their next status (the five closest; the workbook has
  them all). Split between sections, each message under Telegram's 4096 characters.
- Scores as reports print them: IDM 4 decimals, Indeks Desa 2, half-up; a gap is
  rounded *up* (rounding down would promise a status the desa would still miss) and
  an Indeks Desa gap is always labelled "perkiraan".
- The chart: stacked bars per year, one colour per status from red (Sangat
  Tertinggal) to green (Mandiri), grey for the desa without data, so that every bar
  is the kecamatan's desa; each year says its index. matplotlib Agg, on its own
  Figure (never pyplot's global state), imported when a chart is drawn, as
  bot/digest/chart.py does.
"""

from __future__ import annotations

import html
from decimal import ROUND_CEILING, Decimal
from io import BytesIO
from typing import TYPE_CHECKING

from bot import texts
from bot.digest.text import pack
from bot.reports.iku import fmt_decimal
from domain.desa_progress import Change, Closest, ProgressReport, YearStatus
from domain.idm import IdmStatus, VillageIndex
from domain.rounding import round_half_up

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "CLOSEST_SHOWN",
    "STATUS_COLOURS",
    "progress_messages",
    "progress_chart",
    "progress_figure",
    "year_range",
    "score_text",
    "gap_text",
    "short",
]

CLOSEST_SHOWN = 5
NAME_WIDTH = 14
# Red to green, the order of the statuses; grey for "no data".
STATUS_COLOURS: dict[IdmStatus, str] = {
    IdmStatus.SANGAT_TERTINGGAL: "#c0504d",
    IdmStatus.TERTINGGAL: "#f79646",
    IdmStatus.BERKEMBANG: "#f2c314",
    IdmStatus.MAJU: "#9bbb59",
    IdmStatus.MANDIRI: "#2e7d32",
}
_WITHOUT = "#bfbfbf"


def _places(index: VillageIndex) -> int:
    return 4 if index is VillageIndex.IDM else 2


def score_text(index: VillageIndex, score: Decimal) -> str:
    """A score as reports print it: IDM 4 decimals, Indeks Desa 2, half-up, decimal comma."""
    places = _places(index)
    return fmt_decimal(round_half_up(score, places), places)


def gap_text(index: VillageIndex, gap: Decimal) -> str:
    """A gap rounded up to the places of its index."""
    places = _places(index)
    return fmt_decimal(gap.quantize(Decimal(1).scaleb(-places), rounding=ROUND_CEILING), places)


def short(year: YearStatus | None) -> str:
    """Two letters for a status, '*' when flagged, '--' without data."""
    if year is None:
        return texts.PROGRESS_NONE_SHORT
    return texts.PROGRESS_SHORT[year.status.value] + ("*" if year.flagged else "")


def year_range(first: int, last: int) -> str:
    """'2022–2025', or '2024' for one year."""
    return str(first) if first == last else f"{first}–{last}"


def _rules(report: ProgressReport) -> list[str]:
    lines = []
    for index, rule in (
        (VillageIndex.IDM, texts.PROGRESS_RULE_IDM),
        (VillageIndex.INDEKS_DESA, texts.PROGRESS_RULE_INDEKS),
    ):
        years = [c.tahun for c in report.counts if c.index is index]
        if years:
            lines.append(rule.format(rentang=year_range(years[0], years[-1])))
    return lines


def _table(report: ProgressReport) -> str:
    heads = [f"{t % 100:02d}" for t in report.years]
    lines = [f"{texts.PROGRESS_DESA_HEAD:<{NAME_WIDTH}} " + " ".join(f"{y:<3}" for y in heads)]
    for item in report.desa:
        name = item.desa.nama[:NAME_WIDTH]
        cells = " ".join(f"{short(item.at(t)):<3}" for t in report.years)
        lines.append(f"{name:<{NAME_WIDTH}} {cells}".rstrip())
    return "<pre>" + html.escape("\n".join(lines)) + "</pre>"


def _counts(report: ProgressReport) -> str:
    order = list(IdmStatus)
    head = f"{texts.PROGRESS_COUNTS_HEAD:<6}" + "".join(
        f"{texts.PROGRESS_SHORT[s.value]:>4}" for s in order
    )
    head += f"{texts.PROGRESS_NONE_SHORT:>4}"
    lines = [head]
    for count in report.counts:
        cells = "".join(f"{count.counts[s]:>4}" for s in order)
        lines.append(f"{count.tahun:<6}{cells}{count.without:>4}")
    block = "<pre>" + html.escape("\n".join(lines)) + "</pre>"
    parts = [texts.PROGRESS_COUNTS_TITLE, block]
    if len(report.years) >= 2:
        last = report.years[-1]
        moved = report.changes(last)
        line = texts.PROGRESS_CHANGES.format(
            tahun=last,
            naik=moved[Change.NAIK],
            turun=moved[Change.TURUN],
            tetap=moved[Change.TETAP],
        )
        before = {c.tahun: c.index for c in report.counts}
        previous = report.years[-2]
        if before[previous] is not before[last]:
            line = line.removesuffix(".") + texts.PROGRESS_CHANGES_ACROSS + "."
        parts.append(line)
    return "\n".join(parts)


def closest_line(number: int, item: Closest) -> str:
    """One desa of the closest list, for the chat."""
    common = {
        "n": number,
        "desa": html.escape(item.desa.nama),
        "status": item.status.label,
        "skor": score_text(item.index, item.score),
        "target": item.target.label,
    }
    if item.official:
        assert item.needed is not None
        assert item.minimum is not None
        return texts.PROGRESS_CLOSEST_IDM.format(
            **common,
            minimum=fmt_decimal(item.minimum),
            kurang=gap_text(item.index, item.needed),
        )
    if item.needed is None:
        return texts.PROGRESS_CLOSEST_NO_ESTIMATE.format(**common)
    return texts.PROGRESS_CLOSEST_ESTIMATE.format(
        **common, kurang=gap_text(item.index, item.needed)
    )


def _closest(report: ProgressReport) -> str:
    latest = report.latest
    assert latest is not None
    index = next(c.index for c in report.counts if c.tahun == latest)
    lines = [texts.PROGRESS_CLOSEST_TITLE.format(index=index.label, tahun=latest)]
    if not report.closest:
        lines.append(texts.PROGRESS_CLOSEST_NONE)
        return "\n".join(lines)
    for number, item in enumerate(report.closest[:CLOSEST_SHOWN], start=1):
        lines.append(closest_line(number, item))
    more = len(report.closest) - CLOSEST_SHOWN
    if more > 0:
        lines.append(texts.PROGRESS_CLOSEST_MORE.format(jumlah=more))
    official = any(c.official for c in report.closest)
    estimate = any(not c.official for c in report.closest)
    if official:
        lines.append(f"<i>{texts.PROGRESS_CLOSEST_NOTE_IDM}</i>")
    if estimate:
        lines.append(f"<i>{texts.PROGRESS_CLOSEST_NOTE_ESTIMATE}</i>")
    return "\n".join(lines)


def progress_messages(report: ProgressReport) -> list[str]:
    """The table, the counts and the closest list as chat messages (HTML, each <= 4096)."""
    if not report.years:
        raise ValueError("tidak ada tahun berdata")
    rentang = year_range(report.years[0], report.years[-1])
    head = "\n".join(
        [
            texts.PROGRESS_TITLE.format(
                kecamatan=html.escape(report.kecamatan.nama), rentang=rentang
            ),
            *_rules(report),
            f"<i>{texts.PROGRESS_LEGEND}</i>",
        ]
    )
    return pack([head, _table(report), _counts(report), _closest(report)])


def progress_figure(report: ProgressReport) -> Figure:
    """The stacked bars of desa per status per year."""
    if not report.counts:
        raise ValueError("tidak ada tahun berdata")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(9, 5.5), dpi=120)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    positions = list(range(len(report.counts)))
    bottom = [0] * len(report.counts)
    for status in IdmStatus:
        values = [c.counts[status] for c in report.counts]
        axes.bar(positions, values, bottom=bottom, color=STATUS_COLOURS[status], label=status.label)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    without = [c.without for c in report.counts]
    if any(without):
        axes.bar(
            positions,
            without,
            bottom=bottom,
            color=_WITHOUT,
            hatch="//",
            label=texts.PROGRESS_CHART_WITHOUT,
        )
    labels = [f"{c.tahun}\n{c.index.label}" for c in report.counts]
    axes.set_xticks(positions, labels, fontsize=8)
    axes.set_ylabel(texts.PROGRESS_CHART_Y)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    total = max(c.with_data + c.without for c in report.counts)
    axes.set_ylim(0, max(total * 1.05, 1))
    axes.grid(axis="y", alpha=0.3)
    axes.set_title(
        texts.PROGRESS_CHART_TITLE.format(
            kecamatan=report.kecamatan.nama,
            rentang=year_range(report.years[0], report.years[-1]),
        ),
        fontsize=10,
    )
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    figure.tight_layout()
    return figure


def progress_chart(report: ProgressReport) -> bytes:
    """The chart as PNG bytes."""
    buffer = BytesIO()
    progress_figure(report).savefig(buffer, format="png")
    return buffer.getvalue()
