"""The data of the full Excel report: the IKU table and the records behind each figure.

One read-only use case, :func:`export_data`, computes the IKU table with
:func:`domain.report.iku_report` and adds, in the same unit of work, what the other
sheets list: the incidents of the period, the SKM per unsur, the respondent profile
(counted by the database) and the suggestions.

Decisions:
- Incidents are those whose *event date* lies in the period, as IKU 3 and 4 count
  them, so that each sheet's count and handled count equal the IKU row.
- Lama penanganan: whole days from the moment the report was received to the moment
  it was marked handled (the way ``domain.incidents.days_open`` counts days); empty
  for a case not handled.
- The reporter's name and position are listed: reporters are registered officers
  (perangkat desa, staf seksi), not citizens, and the office needs to know whom to
  call about a case. Nothing of a citizen is listed: the SKM is anonymous, so its
  sheets hold only totals, counts per profile answer, and suggestions with their day
  and service.
- NRR tertimbang is NRR x 1/9, the exact weight (domain.md): the nine weighted values
  add up to the IKM. Published tools that print 0.111 are not copied.
- Printed values are rounded half-up once, from exact fractions: NRR, NRR tertimbang
  and IKM to 4 decimals, NIK to 2 (as domain.skm does), profile shares to 4 decimals
  of a fraction (two decimals of a percentage).
- Age groups for the profile: 15-24, 25-34, 35-44, 45-54, 55-64 and 65 or older
  (ten-year groups as BPS tabulates them; the questionnaire accepts ages 15-100).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Final

from domain.models import IncidentKind
from domain.period import Period
from domain.ports import IncidentRecord, SkmSuggestion, UnitOfWork
from domain.report import IkuReport, SkmServiceDetail, iku_report
from domain.rounding import round_half_up
from domain.skm import (
    JENIS_KELAMIN,
    KATEGORI_LABEL,
    PEKERJAAN,
    PEKERJAAN_JAWABAN,
    PEKERJAAN_RESMI,
    PENDIDIKAN,
    PENDIDIKAN_JAWABAN,
    PENDIDIKAN_RESMI,
    UNSUR,
    UNSUR_INFO,
    UnsurTotal,
)

__all__ = [
    "AgeGroup",
    "AGE_GROUPS",
    "PROFILE_QUESTIONS",
    "official_table",
    "UnsurLine",
    "ProfileLine",
    "ProfileTable",
    "ServiceLine",
    "ExportData",
    "handling_days",
    "unsur_lines",
    "export_data",
]


@dataclass(frozen=True, slots=True)
class AgeGroup:
    """An age group of the respondent profile: from ``start`` to ``end`` (None: and older)."""

    start: int
    end: int | None

    @property
    def label(self) -> str:
        """'15-24 tahun' or '65 tahun ke atas'."""
        if self.end is None:
            return f"{self.start} tahun ke atas"
        return f"{self.start}-{self.end} tahun"


AGE_GROUPS: Final[tuple[AgeGroup, ...]] = (
    AgeGroup(15, 24),
    AgeGroup(25, 34),
    AgeGroup(35, 44),
    AgeGroup(45, 54),
    AgeGroup(55, 64),
    AgeGroup(65, None),
)

# The profile questions in the order of the questionnaire.
PROFILE_QUESTIONS: Final[tuple[str, ...]] = (
    "jenis_kelamin",
    "usia",
    "pendidikan",
    "pendidikan_resmi",
    "pekerjaan",
    "pekerjaan_resmi",
)


@dataclass(frozen=True, slots=True)
class UnsurLine:
    """One unsur of the SKM: its sums, NRR and weighted NRR (None: nobody answered it)."""

    key: str
    number: int
    name: str
    total: int
    answered: int
    nrr: Decimal | None
    weighted: Decimal | None


@dataclass(frozen=True, slots=True)
class ProfileLine:
    """One answer of a profile question: its label (None: not answered), count, share."""

    label: str | None
    count: int
    share: Decimal | None


@dataclass(frozen=True, slots=True)
class ProfileTable:
    """The answers of one profile question; ``total`` is every respondent of the period."""

    question: str
    lines: list[ProfileLine]
    total: int


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """Respondents of one service against its minimum sample (None: population unknown)."""

    nama: str | None
    respondents: int
    population: int | None
    min_sample: int | None
    sufficient: bool | None


@dataclass(frozen=True, slots=True)
class ExportData:
    """Everything the workbook shows, computed in one unit of work."""

    report: IkuReport
    konflik: list[IncidentRecord]
    trantibum: list[IncidentRecord]
    unsur: list[UnsurLine]
    services: list[ServiceLine]
    profile: list[ProfileTable]
    suggestions: list[SkmSuggestion]


def handling_days(record: IncidentRecord) -> int | None:
    """Whole days from received to handled; None while the case is not handled."""
    if record.handled_at is None:
        return None
    return max((record.handled_at - record.received_at).days, 0)


def unsur_lines(totals: dict[str, UnsurTotal]) -> list[UnsurLine]:
    """NRR = total / answered and NRR x 1/9 per unsur, exact, then rounded half-up to 4."""
    lines = []
    for key in UNSUR:
        info = UNSUR_INFO[key]
        item = totals.get(key, UnsurTotal(0, 0))
        nrr = Fraction(item.total, item.answered) if item.answered else None
        lines.append(
            UnsurLine(
                key=key,
                number=info.number,
                name=info.name,
                total=item.total,
                answered=item.answered,
                nrr=None if nrr is None else round_half_up(nrr, 4),
                weighted=None if nrr is None else round_half_up(nrr / len(UNSUR), 4),
            )
        )
    return lines


def _share(count: int, total: int) -> Decimal | None:
    return None if total == 0 else round_half_up(Fraction(count, total), 4)


def _table(
    question: str, counts: dict[str | None, int], known: list[tuple[str, str]]
) -> ProfileTable:
    """Known answers in the questionnaire's order (also when 0), then others, then blanks."""
    total = sum(counts.values())
    lines = [
        ProfileLine(label, counts.get(value, 0), _share(counts.get(value, 0), total))
        for value, label in known
    ]
    listed = {value for value, _ in known}
    others = sorted(str(v) for v in counts if v is not None and v not in listed)
    lines += [ProfileLine(value, counts[value], _share(counts[value], total)) for value in others]
    blank = counts.get(None, 0)
    if blank:
        lines.append(ProfileLine(None, blank, _share(blank, total)))
    return ProfileTable(question, lines, total)


def official_table(
    question: str,
    counts: dict[str | None, int],
    categories: tuple[str, ...],
    category_of: dict[str, str],
) -> ProfileTable:
    """The answers counted in the regulation's categories (Petani in Lainnya, ...)."""
    merged: dict[str | None, int] = {}
    for value, count in counts.items():
        key = None if value is None else category_of.get(value, value)
        merged[key] = merged.get(key, 0) + count
    return _table(question, merged, [(c, KATEGORI_LABEL.get(c, c)) for c in categories])


def _services(report: IkuReport) -> list[ServiceLine]:
    def line(item: SkmServiceDetail) -> ServiceLine:
        return ServiceLine(
            nama=item.service.nama,
            respondents=item.respondents,
            population=item.service.population,
            min_sample=item.min_sample,
            sufficient=item.sufficient,
        )

    skm = report.skm
    lines = [line(item) for item in skm.services]
    # Responses typed in without a service still count in the total: show them, so
    # that the per-service respondents add up to the total.
    unassigned = skm.respondents - sum(item.respondents for item in skm.services)
    if unassigned > 0:
        lines.append(ServiceLine(None, unassigned, None, None, None))
    return lines


def export_data(
    uow: UnitOfWork, *, kecamatan_code: str, period: Period, now: datetime
) -> ExportData:
    """The IKU report of a period and the records behind it (read-only)."""
    report = iku_report(uow, kecamatan_code=kecamatan_code, period=period, now=now)
    kec_id = report.kecamatan.id
    start, end = period.start, period.end
    result = report.skm.result
    # Without a result (no respondent, or an unsur nobody answered) the per-unsur sums
    # are still worth showing: ask the database for them.
    totals = result.totals if result is not None else uow.skm.totals(kec_id, start, end).totals
    counts = uow.exports.skm_profile(kec_id, start, end, tuple(g.start for g in AGE_GROUPS))
    usia: dict[str | None, int] = {
        None if key is None else str(key): count for key, count in counts.usia.items()
    }
    profile = [
        _table("jenis_kelamin", dict(counts.jenis_kelamin), list(JENIS_KELAMIN.items())),
        _table("usia", usia, [(str(g.start), g.label) for g in AGE_GROUPS]),
        _table("pendidikan", dict(counts.pendidikan), [(v, v) for v in PENDIDIKAN_JAWABAN]),
        official_table("pendidikan_resmi", dict(counts.pendidikan), PENDIDIKAN, PENDIDIKAN_RESMI),
        _table("pekerjaan", dict(counts.pekerjaan), [(v, v) for v in PEKERJAAN_JAWABAN]),
        official_table("pekerjaan_resmi", dict(counts.pekerjaan), PEKERJAAN, PEKERJAAN_RESMI),
    ]
    return ExportData(
        report=report,
        konflik=uow.exports.incidents(kec_id, IncidentKind.KONFLIK, start, end),
        trantibum=uow.exports.incidents(kec_id, IncidentKind.TRANTIBUM, start, end),
        unsur=unsur_lines(totals),
        services=_services(report),
        profile=profile,
        suggestions=uow.exports.skm_suggestions(kec_id, start, end),
    )
