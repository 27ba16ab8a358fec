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
- The reporter's name and position are listed to whoever may open the case:
  reporters are registered officers (perangkat desa, staf seksi), not citizens, and
  the office needs to know whom to call about a case. Nothing of a citizen is
  listed: the SKM is anonymous, so its sheets hold only totals, counts per profile
  answer, and suggestions with their day and service.

Who gets what (:class:`Viewer`; the rule is the screens' rule, domain.permissions):
- An export is for someone who may read the IKU summary (/ringkasan): an active admin
  or staf seksi of that kecamatan, or the operator at the command line. A perangkat
  desa, a pending, rejected or disabled user and a stranger get none (Forbidden),
  as they get no /ringkasan.
- The IKU table, the counts of every sheet (jumlah, tertangani, persentase), the SKM
  per unsur and per service, the respondent profile, the IDM per desa and the desa
  tematik are complete for every viewer (in a group, as said below): they are what
  IKU counts.
- Every incident of the period is listed with its number, dates, desa, category,
  stage, status and handling time: the weekly digest shows the Camat's group the
  open ones by number and desa, and the sheet's rows must add up to its totals.
  Its *details* (uraian, the "Lainnya" text of the category, the reporter's name
  and position) only when the viewer may open the case on screen
  (``can_view_case``: admins, the seksi that follows that kind up, the reporter
  of the case); otherwise the row says they are withheld. Follow-up notes and
  the photos themselves are not part of the export for anyone (they are in the case's history).
- The evidence files (photos and documents of cases) are listed by their metadata
  only (case number, desa, kind, role, status, SHA-256, size, type, received) for the
  cases whose details the viewer may open; none in a group's export. Their bytes are
  only in ``iku-bot ekspor-bukti`` (the operator's).
- The SKM suggestions (citizens' free text, shown on no screen) go to admins and
  Seksi Pelayanan, who run the survey (``can_read_suggestions``); others see how
  many there are.
- In a group chat (an admin's /ekspor there) the export holds aggregates only: the
  IKU table, per kind the counts per desa and status instead of the list of cases,
  the SKM per unsur and per service, the profile counts, the number of suggestions,
  the IDM per desa and the desa tematik without what was typed for them (the SK
  reference, the name of a theme outside the list). No person's name, no
  description, no suggestion. The detailed workbook goes to the admin privately.
- The operator (``iku-bot report``) sees everything: the operator has the database.
- NRR tertimbang is NRR x 1/9, the exact weight (domain.md): the nine weighted values
  add up to the IKM. Published tools that print 0.111 are not copied.
- Printed values are rounded half-up once, from exact fractions: NRR, NRR tertimbang
  and IKM to 4 decimals, NIK to 2 (as domain.skm does), profile shares to 4 decimals
  of a fraction (two decimals of a percentage).
- Age groups for the profile: 15-24, 25-34, 35-44, 45-54, 55-64 and 65 or older
  (ten-year groups as BPS tabulates them; the questionnaire accepts ages 15-100).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

from domain.audit import Channel, ExportForm, record_export
from domain.desa_progress import ProgressReport, desa_progress
from domain.models import IncidentKind, IncidentStatus, User
from domain.period import Period
from domain.permissions import (
    Action,
    Forbidden,
    can_read_suggestions,
    can_view_case,
    require,
)
from domain.ports import EvidenceListing, IncidentRecord, SkmSuggestion, UnitOfWork
from domain.report import IkuReport, SkmServiceDetail, iku_report
from domain.rounding import round_half_up
from domain.rtl import RtlReport, SkmPeriod, rtl_report
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
    "Viewer",
    "Disclosure",
    "CaseCount",
    "handling_days",
    "unsur_lines",
    "case_counts",
    "export_data",
    "export_report",
    "EARLIER_YEARS",
]

EARLIER_YEARS: Final = 2  # realisasi of the two years before, beside this year's
FIRST_YEAR: Final = 2000  # the first year a period can have (domain.period)


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
class Viewer:
    """Whom an export is for and where it is shown (``user`` None: the operator)."""

    user: User | None
    channel: Channel

    @classmethod
    def operator(cls) -> Viewer:
        """The operator at the command line: everything."""
        return cls(None, Channel.CLI)

    @classmethod
    def person(cls, user: User | None, *, in_group: bool) -> Viewer:
        """Someone in a chat with the bot: privately, or in a group."""
        return cls(user, Channel.GROUP if in_group else Channel.PRIVATE)

    def __post_init__(self) -> None:
        if self.channel is Channel.CLI and self.user is not None:
            raise ValueError("the command line is the operator's, not a user's")

    def may_open(self, record: IncidentRecord, kecamatan_id: int) -> bool:
        """Whether the export shows this case's details (as the screens would)."""
        if self.channel is Channel.CLI:
            return True
        if self.channel is Channel.GROUP:
            return False
        return can_view_case(self.user, record.kind, kecamatan_id, record.reporter_id)

    def may_read_suggestions(self, kecamatan_id: int) -> bool:
        """Whether the export lists the SKM suggestions."""
        if self.channel is Channel.CLI:
            return True
        if self.channel is Channel.GROUP:
            return False
        return can_read_suggestions(self.user, kecamatan_id)


@dataclass(frozen=True, slots=True)
class CaseCount:
    """The incidents of one kind of one desa in the period, per status."""

    desa_kode: str
    desa_nama: str
    baru: int
    diproses: int
    tertangani: int

    @property
    def total(self) -> int:
        """Every incident of the desa."""
        return self.baru + self.diproses + self.tertangani


@dataclass(frozen=True, slots=True)
class Disclosure:
    """What an export shows beyond the aggregates, decided by its :class:`Viewer`.

    ``case_lists`` False: the incidents are counted per desa and status, not listed.
    ``withheld``: the numbers of listed cases whose details were left out.
    ``suggestions_withheld``: how many suggestions were left out (0: all shown).
    ``typed_texts`` False: the desa tematik without their SK reference and the name of
    a theme outside the list.
    """

    channel: Channel
    case_lists: bool
    withheld: frozenset[str]
    suggestions: bool
    suggestions_withheld: int
    typed_texts: bool


@dataclass(frozen=True, slots=True)
class ExportData:
    """Everything the workbook shows, computed in one unit of work, for one viewer.

    The lists hold only what the viewer may see: a withheld case's description,
    category text and reporter are empty here, and a group's export lists no case and
    no suggestion at all.
    """

    report: IkuReport
    konflik: list[IncidentRecord]
    trantibum: list[IncidentRecord]
    unsur: list[UnsurLine]
    services: list[ServiceLine]
    profile: list[ProfileTable]
    suggestions: list[SkmSuggestion]
    disclosure: Disclosure
    konflik_counts: list[CaseCount]
    trantibum_counts: list[CaseCount]
    evidence: list[EvidenceListing] = dataclasses.field(default_factory=list)
    evidence_withheld: int = 0
    # The whole years before the period's year (oldest first), for the realisasi of earlier
    # years beside this one in the IKU table (LKjIP tables show them).
    earlier: tuple[IkuReport, ...] = ()
    # The SKM follow-up plan of the period, when it is a year, semester or quarter.
    rtl: RtlReport | None = None
    # Each desa's status over the years up to the period's year (the "Perkembangan Desa"
    # sheet): IDM and Indeks Desa results are complete for every viewer, as the IDM sheet.
    progress: ProgressReport | None = None

    def contents(self) -> dict[str, Any]:
        """What this export included, for its audit entry (counts, never the content)."""
        shown = self.disclosure
        kinds = {"konflik": self.konflik, "trantibum": self.trantibum}
        counts = {"konflik": self.konflik_counts, "trantibum": self.trantibum_counts}
        return {
            "daftar_kasus": shown.case_lists,
            "kasus_dengan_rincian": {
                kind: sum(r.nomor not in shown.withheld for r in records)
                for kind, records in kinds.items()
            },
            "kasus_tanpa_rincian": {
                kind: (
                    sum(r.nomor in shown.withheld for r in kinds[kind])
                    if shown.case_lists
                    else sum(c.total for c in items)
                )
                for kind, items in counts.items()
            },
            "saran": len(self.suggestions),
            "saran_ditahan": shown.suggestions_withheld,
            "teks_desa_tematik": shown.typed_texts,
            "bukti": len(self.evidence),
            "bukti_ditahan": self.evidence_withheld,
        }


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


def case_counts(records: list[IncidentRecord]) -> list[CaseCount]:
    """The incidents per desa (by desa code) and status."""
    per: dict[tuple[str, str], Counter[IncidentStatus]] = {}
    for record in records:
        per.setdefault((record.desa_kode, record.desa_nama), Counter())[record.status] += 1
    return [
        CaseCount(
            desa_kode=kode,
            desa_nama=nama,
            baru=statuses[IncidentStatus.BARU],
            diproses=statuses[IncidentStatus.DIPROSES],
            tertangani=statuses[IncidentStatus.TERTANGANI],
        )
        for (kode, nama), statuses in sorted(per.items())
    ]


def _without_details(record: IncidentRecord) -> IncidentRecord:
    """A case as listed for someone who may not open it."""
    return dataclasses.replace(
        record,
        description="",
        category_detail=None,
        reporter_nama=None,
        reporter_jabatan=None,
        reporter_id=None,
    )


def _check_viewer(viewer: Viewer, kecamatan_id: int) -> None:
    """Only who may read the IKU summary of this kecamatan gets its export."""
    if viewer.channel is Channel.CLI:
        return
    user = require(viewer.user, Action.VIEW_SUMMARY)
    assert user is not None
    if user.kecamatan_id != kecamatan_id:
        raise Forbidden("Maaf, laporan ini hanya untuk kecamatan Anda sendiri.")


def export_data(
    uow: UnitOfWork, *, viewer: Viewer, kecamatan_code: str, period: Period, now: datetime
) -> ExportData:
    """The IKU report of a period and the records behind it, as ``viewer`` may see them.

    Read-only; :class:`Forbidden` for someone who may not read the IKU summary.
    """
    report = iku_report(uow, kecamatan_code=kecamatan_code, period=period, now=now)
    kec_id = report.kecamatan.id
    _check_viewer(viewer, kec_id)
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
    konflik = uow.exports.incidents(kec_id, IncidentKind.KONFLIK, start, end)
    trantibum = uow.exports.incidents(kec_id, IncidentKind.TRANTIBUM, start, end)
    suggestions = uow.exports.skm_suggestions(kec_id, start, end)
    lists = viewer.channel is not Channel.GROUP
    withheld = frozenset(
        r.nomor for r in konflik + trantibum if lists and not viewer.may_open(r, kec_id)
    )

    def shown(records: list[IncidentRecord]) -> list[IncidentRecord]:
        if not lists:
            return []
        return [_without_details(r) if r.nomor in withheld else r for r in records]

    readable = viewer.may_read_suggestions(kec_id)
    files = uow.evidence.listing(kecamatan_id=kec_id, start=start, end=end)
    skm_period = SkmPeriod.of(period)
    earlier = tuple(
        iku_report(uow, kecamatan_code=kecamatan_code, period=Period.year(year), now=now)
        for year in range(period.year_of_record - EARLIER_YEARS, period.year_of_record)
        if year >= FIRST_YEAR
    )
    evidence = [f for f in files if lists and f.nomor not in withheld]
    return ExportData(
        report=report,
        konflik=shown(konflik),
        trantibum=shown(trantibum),
        unsur=unsur_lines(totals),
        services=_services(report),
        profile=profile,
        suggestions=suggestions if readable else [],
        disclosure=Disclosure(
            channel=viewer.channel,
            case_lists=lists,
            withheld=withheld,
            suggestions=readable,
            suggestions_withheld=0 if readable else len(suggestions),
            typed_texts=lists,
        ),
        konflik_counts=case_counts(konflik),
        trantibum_counts=case_counts(trantibum),
        evidence=evidence,
        evidence_withheld=len(files) - len(evidence),
        earlier=earlier,
        rtl=None
        if skm_period is None
        else rtl_report(uow, kecamatan_id=kec_id, skm_period=skm_period),
        progress=desa_progress(uow, kecamatan=report.kecamatan, last=period.year_of_record),
    )


def export_report(
    uow: UnitOfWork,
    *,
    viewer: Viewer,
    kecamatan_code: str,
    period: Period,
    now: datetime,
    requested_in: Channel | None = None,
    form: ExportForm = ExportForm.XLSX,
) -> ExportData:
    """:func:`export_data` for a workbook that is handed out, with its audit entry.

    The caller commits (the entry and the message that carries the file together).
    """
    data = export_data(uow, viewer=viewer, kecamatan_code=kecamatan_code, period=period, now=now)
    record_export(
        uow,
        user=viewer.user,
        channel=viewer.channel,
        kecamatan=data.report.kecamatan,
        period=period,
        form=form,
        contents=data.contents(),
        at=now,
        requested_in=requested_in,
    )
    return data
