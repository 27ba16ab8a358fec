"""The weekly digest of a kecamatan: what the Camat's group reads every Monday.

Decisions (the issue and domain.md leave them open):
- The digest reports one ISO week (Monday-Sunday, office calendar) and is keyed by it
  ("2026-W47"); sent on Monday, it reports the week that has just ended.
- The IKU table is the year to date of the year of the week's Monday, up to the
  week's Sunday (or 31 December, or today, whichever comes first). So the last
  digest of a year shows that year's final figures, and a week across New Year
  belongs to the year it starts in.
- The arrow of each indicator compares with the figure the group was shown the week
  before (kept in the digest log). Without that digest, it compares with last week's
  year to date as computed now. Across a year boundary there is no arrow.
- "New this week" counts incidents *received* in the week (each report appears in
  exactly one digest, even when it came late); a desa "reported" if it has an
  incident dated or received in the week, or a nil report for the week.
- Open cases are as of the moment the digest is made; "overdue" is the bot's
  OVERDUE_DAYS rule.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Final
from zoneinfo import ZoneInfo

from domain.errors import InvalidInput, NotFound
from domain.incidents import days_open, is_overdue
from domain.models import Desa, Incident, IncidentKind, IndicatorCode, Kecamatan
from domain.period import Period
from domain.ports import UnitOfWork
from domain.report import IkuReport, IkuRow, iku_report
from domain.rounding import round_half_up
from domain.rtl import RtlFigures, SkmPeriod, latest_rtl_figures

__all__ = [
    "IsoWeek",
    "Trend",
    "IkuLine",
    "DesaCount",
    "OpenCase",
    "WeekPoint",
    "WeeklyDigest",
    "HISTORY_WEEKS",
    "week_edges",
    "table_period",
    "weekly_digest",
    "figures_of",
]

HISTORY_WEEKS: Final = 12
_WEEK_RE = re.compile(r"^\s*([0-9]{4})\s*-?\s*[Ww]\s*([0-9]{1,2})\s*$", re.ASCII)


@dataclass(frozen=True, slots=True, order=True)
class IsoWeek:
    """An ISO 8601 week: Monday to Sunday."""

    year: int
    week: int

    def __post_init__(self) -> None:
        try:
            date.fromisocalendar(self.year, self.week, 1)
        except ValueError:
            raise InvalidInput(
                f"Minggu {self.year}-W{self.week:02d} tidak ada "
                f"(tahun {self.year} punya {_weeks_in(self.year)} minggu ISO)."
            ) from None

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        """The week that contains ``day``."""
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """'2026-W47' (also '2026W47', '2026-w7')."""
        match = _WEEK_RE.match(text)
        if match is None:
            raise InvalidInput(
                f"Minggu '{text}' tidak dikenali; tulis tahun dan nomor minggu ISO, "
                "contoh: 2026-W47."
            )
        year, week = int(match.group(1)), int(match.group(2))
        if not 2000 <= year <= 2100:
            raise InvalidInput(f"Tahun {year} di luar rentang 2000-2100.")
        return cls(year, week)

    @property
    def key(self) -> str:
        """'2026-W47'."""
        return f"{self.year}-W{self.week:02d}"

    @property
    def start(self) -> date:
        """Its Monday."""
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def end(self) -> date:
        """Its Sunday."""
        return date.fromisocalendar(self.year, self.week, 7)

    def previous(self, weeks: int = 1) -> IsoWeek:
        """The week ``weeks`` before."""
        return IsoWeek.of(self.start - timedelta(weeks=weeks))

    def __str__(self) -> str:
        return self.key


def _weeks_in(year: int) -> int:
    return date(year, 12, 28).isocalendar().week


class Trend(enum.StrEnum):
    """How an indicator moved against the previous week."""

    UP = "naik"
    DOWN = "turun"
    SAME = "tetap"
    NEW = "baru"  # there was no figure last week, there is one now
    NONE = "-"  # nothing to compare (new year, or no figure now)


@dataclass(frozen=True, slots=True)
class IkuLine:
    """One indicator of the digest with its movement."""

    row: IkuRow
    no_events: bool
    previous: Decimal | None
    trend: Trend


@dataclass(frozen=True, slots=True)
class DesaCount:
    """New incidents of one desa in the week."""

    desa: Desa
    konflik: int
    trantibum: int

    @property
    def total(self) -> int:
        """Both kinds."""
        return self.konflik + self.trantibum


@dataclass(frozen=True, slots=True)
class OpenCase:
    """An incident not yet handled."""

    incident: Incident
    desa: Desa
    days_open: int
    overdue: bool


@dataclass(frozen=True, slots=True)
class WeekPoint:
    """Incidents received in one week and how many of them are handled now."""

    week: IsoWeek
    konflik: int
    trantibum: int
    handled: int

    @property
    def total(self) -> int:
        """Both kinds."""
        return self.konflik + self.trantibum

    @property
    def handled_percent(self) -> Decimal | None:
        """Handled share in percent, half-up to 2 places; None for a week without incidents."""
        if self.total == 0:
            return None
        return round_half_up(Fraction(self.handled * 100, self.total), 2)


@dataclass(frozen=True, slots=True)
class WeeklyDigest:
    """Everything the weekly digest shows, computed by the domain."""

    kecamatan: Kecamatan
    week: IsoWeek
    made_at: datetime
    report: IkuReport
    lines: list[IkuLine]
    compared_with: str | None  # "digest" (what the group saw), "hitung" (recomputed), None
    new_by_desa: list[DesaCount]
    handled_konflik: int
    handled_trantibum: int
    open_cases: list[OpenCase]  # the oldest ones (overdue first), at most ``open_limit``
    reported: list[Desa]
    nil: list[Desa]
    silent: list[Desa]
    skm_week: int
    history: list[WeekPoint] = field(default_factory=list)
    open_total: int = 0
    overdue_total: int = 0
    corrected: int = 0  # reports an admin corrected in the week
    voided: int = 0  # duplicates voided in the week
    # The SKM follow-up plan of the latest period that has items, and its figures.
    rtl: tuple[SkmPeriod, RtlFigures] | None = None

    @property
    def new_konflik(self) -> int:
        """Conflicts received in the week."""
        return sum(c.konflik for c in self.new_by_desa)

    @property
    def new_trantibum(self) -> int:
        """Trantibum events received in the week."""
        return sum(c.trantibum for c in self.new_by_desa)

    def figures(self) -> dict[str, str | None]:
        """The realisasi shown per indicator, for next week's arrows."""
        return figures_of(self.report)


def figures_of(report: IkuReport) -> dict[str, str | None]:
    """Realisasi per indicator code as exact decimal strings (None: no figure)."""
    return {
        row.code.value: None if row.realisasi is None else str(row.realisasi) for row in report.rows
    }


def table_period(week: IsoWeek, today: date) -> Period:
    """The year to date the digest's IKU table covers (see the module's decisions)."""
    year = week.start.year
    end = min(week.end, date(year, 12, 31), today)
    start = date(year, 1, 1)
    return Period(start, max(start, end), f"Tahun {year} s.d. {end.isoformat()}")


def _decimal(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def _trend(now: Decimal | None, before: Decimal | None, comparable: bool) -> Trend:
    if not comparable or now is None:
        return Trend.NONE
    if before is None:
        return Trend.NEW
    if now > before:
        return Trend.UP
    if now < before:
        return Trend.DOWN
    return Trend.SAME


def weekly_digest(
    uow: UnitOfWork,
    *,
    kecamatan_code: str,
    week: IsoWeek,
    now: datetime,
    overdue_days: int,
    tz: ZoneInfo,
    history_weeks: int = HISTORY_WEEKS,
    open_limit: int = 30,
) -> WeeklyDigest:
    """Compute the digest of ``week`` for a kecamatan (read-only)."""
    today = now.astimezone(tz).date()
    if week.start > today:
        raise InvalidInput(f"Minggu {week.key} belum dimulai; ringkasan belum dapat dibuat.")
    kec = uow.kecamatan.get_by_code(kecamatan_code)
    if kec is None:
        raise NotFound(f"Kecamatan dengan kode {kecamatan_code} belum terdaftar.")
    period = table_period(week, today)
    report = iku_report(uow, kecamatan_code=kec.kode, period=period, now=now)

    previous_week = week.previous()
    before_period = table_period(previous_week, today)
    comparable = before_period.year_of_record == period.year_of_record
    compared_with: str | None = None
    before: dict[str, str | None] = {}
    if comparable:
        shown = uow.digests.figures_of(kec.id, previous_week.key)
        if shown is not None:
            before, compared_with = shown, "digest"
        else:
            earlier = iku_report(uow, kecamatan_code=kec.kode, period=before_period, now=now)
            before, compared_with = figures_of(earlier), "hitung"
    lines = []
    for row in report.rows:
        no_events = (
            row.code is IndicatorCode.KONFLIK_TERTANGANI and report.konflik.result.no_events
        ) or (row.code is IndicatorCode.TRANTIBUM_TERTANGANI and report.trantibum.result.no_events)
        previous = _decimal(before.get(row.code.value))
        lines.append(IkuLine(row, no_events, previous, _trend(row.realisasi, previous, comparable)))

    desa = uow.desa.list_by_kecamatan(kec.id)
    desa_by_id = {d.id: d for d in desa}
    received = uow.incidents.received_marks(kec.id, week.start, week.end)
    per_desa: dict[int, Counter[IncidentKind]] = {}
    for mark in received:
        per_desa.setdefault(mark.desa_id, Counter())[mark.kind] += 1
    new_by_desa = [
        DesaCount(d, per_desa[d.id][IncidentKind.KONFLIK], per_desa[d.id][IncidentKind.TRANTIBUM])
        for d in desa
        if d.id in per_desa
    ]
    handled = Counter(i.kind for i in uow.incidents.list_handled(kec.id, week.start, week.end))
    # Oldest first is overdue first: overdue means received more than overdue_days ago.
    open_cases = [
        OpenCase(
            incident=i,
            desa=desa_by_id[i.desa_id],
            days_open=days_open(i, now),
            overdue=is_overdue(i, now, overdue_days),
        )
        for i in uow.incidents.list_open(kec.id, limit=open_limit)
        if i.desa_id in desa_by_id
    ]
    open_total = uow.incidents.count_open(kec.id)
    overdue_total = uow.incidents.count_open(
        kec.id, received_before=now - timedelta(days=overdue_days)
    )

    reported_ids = uow.incidents.reported_desa(kec.id, week.start, week.end)
    nil_ids = uow.incidents.nil_desa(kec.id, week.year, week.week) - reported_ids
    skm_week = uow.skm.totals(kec.id, week.start, week.end).respondents
    corrected, voided = uow.incidents.correction_counts(kec.id, week.start, week.end)

    return WeeklyDigest(
        kecamatan=kec,
        week=week,
        made_at=now,
        report=report,
        lines=lines,
        compared_with=compared_with,
        new_by_desa=new_by_desa,
        handled_konflik=handled[IncidentKind.KONFLIK],
        handled_trantibum=handled[IncidentKind.TRANTIBUM],
        open_cases=open_cases,
        reported=[d for d in desa if d.id in reported_ids],
        nil=[d for d in desa if d.id in nil_ids],
        silent=[d for d in desa if d.id not in reported_ids and d.id not in nil_ids],
        skm_week=skm_week,
        history=_history(uow, kec.id, week, history_weeks, tz),
        open_total=open_total,
        overdue_total=overdue_total,
        corrected=corrected,
        voided=voided,
        rtl=latest_rtl_figures(uow, kec.id),
    )


def week_edges(weeks: list[IsoWeek], tz: ZoneInfo) -> list[datetime]:
    """The moments the weeks begin on the office clock, and the moment the last one ends."""
    days = [w.start for w in weeks] + [weeks[-1].end + timedelta(days=1)]
    return [datetime.combine(day, time(), tzinfo=tz) for day in days]


def _history(
    uow: UnitOfWork, kecamatan_id: int, last: IsoWeek, count: int, tz: ZoneInfo
) -> list[WeekPoint]:
    """Incidents received per week over the ``count`` weeks up to ``last``.

    Counted in the database, per week from Monday 00:00 to the next on the office clock
    (``tz``): the week of the office date of receipt, as the digest has always counted.
    """
    weeks = [last.previous(n) for n in range(count - 1, -1, -1)]
    counted = uow.incidents.received_counts(
        kecamatan_id, weeks[0].start, last.end, week_edges(weeks, tz)
    )
    tally = [[0, 0, 0] for _ in weeks]
    for row in counted:
        counts = tally[row.slot]
        counts[0 if row.kind is IncidentKind.KONFLIK else 1] += row.total
        counts[2] += row.handled
    return [WeekPoint(w, *tally[i]) for i, w in enumerate(weeks)]
