"""The progress of each desa: its status year by year, IDM up to 2024, then Indeks Desa.

One read-only use case, :func:`desa_progress`, gives for a kecamatan and a range of
years each desa's status per year, the changes between its consecutive years with
data (naik / turun / tetap), the number of desa per status per year (the chart's
data) and the desa closest to their next status.

Decisions:
- The status of a year is the one IKU 1 counts and the IDM sheet shows
  (``IdmResult.status``): for IDM years the status of the exact score (thresholds of
  domain.idm), for Indeks Desa years the status as published (never recomputed,
  domain.md). A published IDM status that differs from its score's is kept beside it
  and the year is flagged, as the IDM sheet flags it; the counts stay those of IKU 1.
- The years: every year with at least one result in the range; without a first year,
  from the first IDM year (domain.records.YEAR_MIN) to the last year asked for.
- A change is read between a desa's consecutive years *with data* (a year without a
  result is skipped, not counted as a fall); a change across the switch from IDM to
  Indeks Desa compares the status names, which both indices share, and says so.
- Closest to the next status, in the last year with data:
  - IDM year: the official gap, ``domain.idm.next_status`` (the next threshold plus
    0.0001 minus the exact score), exact decimals; ``official`` is True.
  - Indeks Desa year: no threshold table of the new index was confirmed, so no
    official gap exists. An *estimate* from published data is given instead: the
    lowest score published in the same year with the next status among the desa of
    the same kecamatan, minus the desa's score (0 when the desa already scores as
    much); ``official`` is False, and every screen labels it "perkiraan". Without a
    desa of the next status in the kecamatan that year there is no estimate
    (``needed`` None). Never presented as an official number.
  Ordered by the gap (smallest first), then those without a gap by score (highest
  first); Mandiri desa are not listed.
"""

from __future__ import annotations

import enum
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from domain.idm import IdmStatus, VillageIndex, index_for_year, next_status
from domain.models import Desa, IdmResult, Kecamatan
from domain.ports import UnitOfWork
from domain.records import YEAR_MIN

__all__ = [
    "Change",
    "YearStatus",
    "Transition",
    "DesaProgress",
    "YearCount",
    "Closest",
    "ProgressReport",
    "desa_progress",
    "progress_of",
    "closest_to_next",
    "transitions",
]

_ORDER = list(IdmStatus)


class Change(enum.StrEnum):
    """How a desa's status moved from one year with data to the next."""

    NAIK = "naik"
    TURUN = "turun"
    TETAP = "tetap"


@dataclass(frozen=True, slots=True)
class YearStatus:
    """A desa's result of one year, as IKU 1 counts it."""

    tahun: int
    index: VillageIndex
    status: IdmStatus
    score: Decimal
    published: str | None = None  # the published status text, when stored
    flagged: bool = False  # IDM: the published status differs from the score's
    source: str | None = None  # the decree or file of the published status

    @classmethod
    def of(cls, result: IdmResult) -> YearStatus:
        """From a stored result."""
        return cls(
            tahun=result.tahun,
            index=result.index,
            status=result.status,
            score=result.score,
            published=result.status_published,
            flagged=result.flagged,
            source=result.status_source or result.source or None,
        )


@dataclass(frozen=True, slots=True)
class Transition:
    """A change between two consecutive years with data of one desa."""

    dari_tahun: int
    ke_tahun: int
    dari: IdmStatus
    ke: IdmStatus
    across_index: bool  # from an IDM year to an Indeks Desa year

    @property
    def change(self) -> Change:
        """Naik, turun or tetap."""
        step = _ORDER.index(self.ke) - _ORDER.index(self.dari)
        return Change.NAIK if step > 0 else Change.TURUN if step < 0 else Change.TETAP


def transitions(years: list[YearStatus]) -> list[Transition]:
    """The changes between consecutive years (``years`` in any order)."""
    ordered = sorted(years, key=lambda y: y.tahun)
    return [
        Transition(a.tahun, b.tahun, a.status, b.status, a.index is not b.index)
        for a, b in itertools.pairwise(ordered)
    ]


@dataclass(frozen=True, slots=True)
class DesaProgress:
    """One desa's statuses over the years."""

    desa: Desa
    years: dict[int, YearStatus]

    def at(self, tahun: int) -> YearStatus | None:
        """The result of a year, None without one."""
        return self.years.get(tahun)

    @property
    def transitions(self) -> list[Transition]:
        """Its changes, oldest first."""
        return transitions(list(self.years.values()))

    @property
    def last_change(self) -> Transition | None:
        """The most recent change (None with fewer than two years of data)."""
        found = self.transitions
        return found[-1] if found else None


@dataclass(frozen=True, slots=True)
class YearCount:
    """The number of desa per status in one year (the chart's bar)."""

    tahun: int
    index: VillageIndex
    counts: dict[IdmStatus, int]
    without: int  # desa of the kecamatan without a result that year

    @property
    def with_data(self) -> int:
        """Desa with a result."""
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class Closest:
    """A desa and how far it is from its next status in a year."""

    desa: Desa
    tahun: int
    index: VillageIndex
    status: IdmStatus
    target: IdmStatus
    score: Decimal
    needed: Decimal | None  # None: no estimate (Indeks Desa without a desa of the target)
    minimum: Decimal | None  # IDM: the official minimum; Indeks Desa: the lowest published
    official: bool  # True for the IDM thresholds; False for an estimate (perkiraan)


@dataclass(frozen=True, slots=True)
class ProgressReport:
    """A kecamatan's desa over the years."""

    kecamatan: Kecamatan
    first: int  # the range asked for
    last: int
    years: list[int]  # years with data, oldest first
    desa: list[DesaProgress]
    counts: list[YearCount]
    closest: list[Closest] = field(default_factory=list)

    @property
    def latest(self) -> int | None:
        """The last year with data (the one of :attr:`closest`)."""
        return self.years[-1] if self.years else None

    @property
    def indices(self) -> list[VillageIndex]:
        """The indices of the years shown, IDM first."""
        found = {c.index for c in self.counts}
        return [i for i in VillageIndex if i in found]

    def changes(self, tahun: int) -> dict[Change, int]:
        """How many desa went up, down or stayed, into year ``tahun``."""
        counted = dict.fromkeys(Change, 0)
        for item in self.desa:
            for move in item.transitions:
                if move.ke_tahun == tahun:
                    counted[move.change] += 1
        return counted


def closest_to_next(tahun: int, results: list[tuple[Desa, YearStatus]]) -> list[Closest]:
    """The desa below Mandiri of one year, closest to their next status first."""
    lowest: dict[tuple[VillageIndex, IdmStatus], Decimal] = {}
    for _, year in results:
        key = (year.index, year.status)
        if key not in lowest or year.score < lowest[key]:
            lowest[key] = year.score
    found: list[Closest] = []
    for desa, year in results:
        if year.status is IdmStatus.MANDIRI:
            continue
        target = _ORDER[_ORDER.index(year.status) + 1]
        if year.index is VillageIndex.IDM:
            step = next_status(year.score)
            # The IDM status is the score's, so the official next status is this one's.
            found.append(
                Closest(
                    desa,
                    tahun,
                    year.index,
                    year.status,
                    step.target or target,
                    year.score,
                    step.needed,
                    step.minimum_score,
                    official=True,
                )
            )
            continue
        reference = lowest.get((year.index, target))
        needed = None if reference is None else max(reference - year.score, Decimal(0))
        found.append(
            Closest(
                desa, tahun, year.index, year.status, target, year.score, needed, reference, False
            )
        )
    return sorted(
        found,
        key=lambda c: (c.needed is None, c.needed or Decimal(0), -c.score, c.desa.kode),
    )


def progress_of(
    kecamatan: Kecamatan,
    desa: list[Desa],
    results: list[IdmResult],
    *,
    first: int,
    last: int,
) -> ProgressReport:
    """The report from a kecamatan's desa and their results (any years; pure)."""
    ids = {d.id for d in desa}
    shown = [r for r in results if r.desa_id in ids and first <= r.tahun <= last]
    by_desa: dict[int, dict[int, YearStatus]] = {d.id: {} for d in desa}
    for result in shown:
        by_desa[result.desa_id][result.tahun] = YearStatus.of(result)
    years = sorted({r.tahun for r in shown})
    counts = []
    for tahun in years:
        per = dict.fromkeys(IdmStatus, 0)
        for item in by_desa.values():
            if tahun in item:
                per[item[tahun].status] += 1
        counts.append(YearCount(tahun, index_for_year(tahun), per, len(desa) - sum(per.values())))
    progress = [DesaProgress(d, by_desa[d.id]) for d in desa]
    closest: list[Closest] = []
    if years:
        latest = years[-1]
        closest = closest_to_next(
            latest, [(p.desa, p.years[latest]) for p in progress if latest in p.years]
        )
    return ProgressReport(kecamatan, first, last, years, progress, counts, closest)


def desa_progress(
    uow: UnitOfWork, *, kecamatan: Kecamatan, last: int, first: int | None = None
) -> ProgressReport:
    """A kecamatan's desa from ``first`` (bawaan: the first IDM year) to ``last``; read-only.

    ``first`` after ``last`` is a :class:`ValueError` (the callers check their input).
    """
    start = YEAR_MIN if first is None else first
    if start > last:
        raise ValueError(f"tahun awal {start} sesudah tahun akhir {last}")
    desa = uow.desa.list_by_kecamatan(kecamatan.id)
    results: list[IdmResult] = []
    for tahun in range(start, last + 1):  # one query a year: a dozen years at most
        results.extend(uow.idm.list_for_kecamatan(kecamatan.id, tahun))
    return progress_of(kecamatan, desa, results, first=start, last=last)
