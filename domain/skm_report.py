"""The SKM report of a period (Laporan Survei Kepuasan Masyarakat, PermenPAN-RB 14/2017).

What the document says beyond the figures of :mod:`domain.export`: the weakest and the
strongest unsur, the trend against the previous period of the same length, and the
rencana tindak lanjut (RTL).

Decisions:
- Weakest and strongest by NRR (exact, as rounded to 4 decimals for printing: the
  same order, ties broken by the unsur number, lowest first). An unsur nobody
  answered has no NRR and is neither.
- The previous period has the same length: the previous year for a year, the
  previous semester for a semester (S1 2026 follows S2 2025), the previous quarter
  for a quarter (TW1 2026 follows TW4 2025). A period of another shape has none.
- The trend compares the NIK (the printed, rounded value): naik, turun or tetap;
  without a result in either period there is no trend ("tidak ada data").
- RTL: the items of the period as domain.rtl tracks them (:func:`domain.rtl.rtl_report`:
  rows and figures, cancelled items shown but counted nowhere). Without any item, the
  report prints the proposals of :func:`domain.rtl.propose` (the three lowest unsur by
  NRR, ties by number), status "Usulan", due at the end of the next period of the
  same length.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.audit import Channel, ExportForm, record_export
from domain.export import ExportData, UnsurLine, Viewer, export_data
from domain.period import Period
from domain.ports import UnitOfWork
from domain.rtl import (
    STATUS_TEXT,
    RtlFigures,
    RtlRow,
    RtlStatus,
    SkmPeriod,
    propose,
    rtl_report,
    unsur_label,
)
from domain.skm import SkmResult, UnsurTotal, min_sample, skm_from_totals

__all__ = [
    "PeriodKind",
    "period_kind",
    "previous_period",
    "next_period",
    "proposed_rows",
    "weakest",
    "strongest",
    "lowest",
    "Trend",
    "Direction",
    "trend",
    "ServiceSkm",
    "SkmReportData",
    "skm_report_data",
    "skm_report",
]


class PeriodKind(enum.Enum):
    """The shape of a reporting period."""

    YEAR = "tahun"
    SEMESTER = "semester"
    QUARTER = "triwulan"
    OTHER = "lain"


def period_kind(period: Period) -> tuple[PeriodKind, int]:
    """The shape of ``period`` and its number (semester 1-2, quarter 1-4; 0 otherwise)."""
    year = period.start.year
    if not 2000 <= year <= 2100:
        return PeriodKind.OTHER, 0
    if (period.start, period.end) == (date(year, 1, 1), date(year, 12, 31)):
        return PeriodKind.YEAR, 0
    for number in (1, 2):
        candidate = Period.semester(year, number)
        if (period.start, period.end) == (candidate.start, candidate.end):
            return PeriodKind.SEMESTER, number
    for number in (1, 2, 3, 4):
        candidate = Period.quarter(year, number)
        if (period.start, period.end) == (candidate.start, candidate.end):
            return PeriodKind.QUARTER, number
    return PeriodKind.OTHER, 0


def previous_period(period: Period) -> Period | None:
    """The period of the same length just before ``period``; None for another shape."""
    kind, number = period_kind(period)
    year = period.start.year
    if kind is PeriodKind.OTHER or year - 1 < 2000:
        return None
    if kind is PeriodKind.YEAR:
        return Period.year(year - 1)
    if kind is PeriodKind.SEMESTER:
        return Period.semester(year, 1) if number == 2 else Period.semester(year - 1, 2)
    return Period.quarter(year, number - 1) if number > 1 else Period.quarter(year - 1, 4)


def next_period(period: Period) -> Period | None:
    """The period of the same length just after ``period``; None for another shape."""
    kind, number = period_kind(period)
    year = period.start.year
    if kind is PeriodKind.OTHER or year + 1 > 2100:
        return None
    if kind is PeriodKind.YEAR:
        return Period.year(year + 1)
    if kind is PeriodKind.SEMESTER:
        return Period.semester(year, 2) if number == 1 else Period.semester(year + 1, 1)
    return Period.quarter(year, number + 1) if number < 4 else Period.quarter(year + 1, 1)


def _ranked(lines: Sequence[UnsurLine]) -> list[UnsurLine]:
    """Answered unsur, lowest NRR first, ties by unsur number."""
    answered = [line for line in lines if line.nrr is not None]
    return sorted(answered, key=lambda line: (line.nrr, line.number))


def lowest(lines: Sequence[UnsurLine], count: int) -> list[UnsurLine]:
    """The ``count`` answered unsur with the lowest NRR (ties by unsur number)."""
    return _ranked(lines)[:count]


def weakest(lines: Sequence[UnsurLine]) -> UnsurLine | None:
    """The answered unsur with the lowest NRR (the lowest number on a tie)."""
    ranked = _ranked(lines)
    return ranked[0] if ranked else None


def strongest(lines: Sequence[UnsurLine]) -> UnsurLine | None:
    """The answered unsur with the highest NRR (the lowest number on a tie)."""
    answered = [line for line in lines if line.nrr is not None]
    if not answered:
        return None
    return min(answered, key=lambda line: (-(line.nrr or Decimal(0)), line.number))


class Direction(enum.Enum):
    """How the NIK moved against the previous period."""

    NAIK = "naik"
    TURUN = "turun"
    TETAP = "tetap"


@dataclass(frozen=True, slots=True)
class Trend:
    """The NIK of this period against the previous one (``direction`` None: no data)."""

    previous: Period | None
    previous_result: SkmResult | None
    current_nik: Decimal | None
    direction: Direction | None
    change: Decimal | None  # current NIK - previous NIK, 2 decimals


def trend(
    current: SkmResult | None, previous: Period | None, previous_result: SkmResult | None
) -> Trend:
    """Compare the printed NIK of two periods."""
    nik = None if current is None else current.nik
    if current is None or previous_result is None:
        return Trend(previous, previous_result, nik, None, None)
    change = current.nik - previous_result.nik
    direction = Direction.NAIK if change > 0 else Direction.TURUN if change < 0 else Direction.TETAP
    return Trend(previous, previous_result, nik, direction, change)


def proposed_rows(
    totals: Mapping[str, UnsurTotal],
    *,
    kegiatan: Mapping[str, str],
    penanggung_jawab: str,
    batas_waktu: date,
) -> list[RtlRow]:
    """The proposals of domain.rtl (three lowest unsur by NRR) as rows, status "Usulan"."""
    return [
        RtlRow(
            unsur=unsur_label(proposal.unsur),
            kegiatan=kegiatan[proposal.unsur],
            penanggung_jawab=penanggung_jawab,
            batas_waktu=batas_waktu,
            status=STATUS_TEXT[RtlStatus.USULAN],
            selesai_pada=None,
        )
        for proposal in propose(totals)
    ]


@dataclass(frozen=True, slots=True)
class ServiceSkm:
    """The SKM of one service: respondents, its result and its minimum sample."""

    nama: str
    respondents: int
    result: SkmResult | None
    population: int | None
    min_sample: int | None


@dataclass(frozen=True, slots=True)
class SkmReportData:
    """Everything the SKM report prints, read in one unit of work.

    ``rtl_rows`` are the period's tracked items, or (``rtl_proposed``) the proposals
    when it has none; ``rtl_figures`` count the tracked items only.
    """

    export: ExportData
    scores: dict[str, dict[int, int]]
    services: list[ServiceSkm]
    trend: Trend
    rtl_rows: list[RtlRow]
    rtl_figures: RtlFigures
    rtl_proposed: bool

    @property
    def result(self) -> SkmResult | None:
        """The SKM result of the period (None: nothing to compute)."""
        return self.export.report.skm.result

    @property
    def period(self) -> Period:
        """The period reported."""
        return self.export.report.period

    def contents(self) -> dict[str, object]:
        """What the report included, for its audit entry (counts, never the content)."""
        return {
            "responden": self.export.report.skm.respondents,
            "layanan": len(self.services),
            "rtl": 0 if self.rtl_proposed else len(self.rtl_rows),
        }


def skm_report_data(
    uow: UnitOfWork,
    *,
    viewer: Viewer,
    kecamatan_code: str,
    period: Period,
    now: datetime,
    kegiatan: Mapping[str, str],
    penanggung_jawab: str,
) -> SkmReportData:
    """The figures of the SKM report of a period (read-only; Forbidden as export_data).

    ``kegiatan`` (per unsur key) and ``penanggung_jawab`` word the proposed RTL rows.
    """
    data = export_data(uow, viewer=viewer, kecamatan_code=kecamatan_code, period=period, now=now)
    kec_id = data.report.kecamatan.id
    services = []
    for item in data.report.skm.services:
        per = uow.skm.totals(kec_id, period.start, period.end, service_id=item.service.id)
        population = item.service.population
        services.append(
            ServiceSkm(
                nama=item.service.nama,
                respondents=per.respondents,
                result=skm_from_totals(per.totals, per.respondents),
                population=population,
                min_sample=min_sample(population) if population else None,
            )
        )
    before = previous_period(period)
    before_result = None
    if before is not None:
        totals = uow.skm.totals(kec_id, before.start, before.end)
        before_result = skm_from_totals(totals.totals, totals.respondents)
    skm_period = SkmPeriod.of(period)
    tracked = (
        None if skm_period is None else rtl_report(uow, kecamatan_id=kec_id, skm_period=skm_period)
    )
    if tracked is not None and tracked.rows:
        rows, figures, proposed = tracked.rows, tracked.figures, False
    else:
        following = next_period(period)
        rows = proposed_rows(
            {line.key: UnsurTotal(line.total, line.answered) for line in data.unsur},
            kegiatan=kegiatan,
            penanggung_jawab=penanggung_jawab,
            batas_waktu=period.end if following is None else following.end,
        )
        figures, proposed = RtlFigures(0, 0, 0), True
    return SkmReportData(
        export=data,
        scores=uow.skm.score_counts(kec_id, period.start, period.end),
        services=services,
        trend=trend(data.report.skm.result, before, before_result),
        rtl_rows=list(rows),
        rtl_figures=figures,
        rtl_proposed=proposed,
    )


def skm_report(
    uow: UnitOfWork,
    *,
    viewer: Viewer,
    kecamatan_code: str,
    period: Period,
    now: datetime,
    form: ExportForm,
    kegiatan: Mapping[str, str],
    penanggung_jawab: str,
) -> SkmReportData:
    """:func:`skm_report_data` for a document that is handed out, with its audit entry.

    The caller commits (the entry and the message that carries the file together).
    """
    if viewer.channel is Channel.GROUP:
        raise ValueError("the SKM report is handed out privately")
    data = skm_report_data(
        uow,
        viewer=viewer,
        kecamatan_code=kecamatan_code,
        period=period,
        now=now,
        kegiatan=kegiatan,
        penanggung_jawab=penanggung_jawab,
    )
    record_export(
        uow,
        user=viewer.user,
        channel=viewer.channel,
        kecamatan=data.export.report.kecamatan,
        period=period,
        form=form,
        contents=data.contents(),
        at=now,
        entity="laporan_skm",
    )
    return data
