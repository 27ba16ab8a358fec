"""The IKU table of a kecamatan for a period, and the details behind each indicator.

Decisions (domain.md leaves them open):
- IKU 1 and 2 are yearly: they use the year of the period's last day.
- IKU 3 and 4 count incidents whose *event date* lies in the period; "handled" is
  their status at the time of the report (tertangani).
- IKU 5 uses the responses whose survey date lies in the period.
- A period without conflicts or trantibum events, without SKM responses, or without
  IDM data has no realisasi and no capaian; the row says why instead of printing 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from domain.errors import NotFound
from domain.handling import HandlingResult, handling_percentage
from domain.idm import IdmStatus, VillageIndex, index_for_year
from domain.indicators import (
    FORMULA_INDEKS_DESA,
    INDICATORS,
    SUMBER_IDM,
    SUMBER_INDEKS_DESA,
    IndicatorDef,
    capaian,
)
from domain.models import (
    Desa,
    DesaTematik,
    IdmResult,
    IncidentKind,
    IndicatorCode,
    Kecamatan,
    SkmService,
)
from domain.period import Period
from domain.ports import HandlingCounts, SkmTotals, UnitOfWork
from domain.skm import SkmResult, min_sample, skm_from_totals

__all__ = [
    "IkuRow",
    "IdmDetail",
    "TematikDetail",
    "HandlingDetail",
    "SkmServiceDetail",
    "SkmDetail",
    "IkuReport",
    "PeriodCounts",
    "iku_report",
    "period_counts",
    "skm_detail",
]


@dataclass(frozen=True, slots=True)
class IkuRow:
    """One indicator of the table: target, realisasi and capaian for the period."""

    definition: IndicatorDef
    kinerja_utama: str
    target: Decimal | None
    realisasi: Decimal | None
    capaian: Decimal | None
    keterangan: str | None = None
    # The formula and data source that apply to the period's year when they differ from
    # the signed definition's (IKU 1 in an Indeks Desa year); None: the definition's.
    formula_berlaku: str | None = None
    sumber_berlaku: str | None = None

    @property
    def formula(self) -> str:
        """The formula that applies to the period's year."""
        return self.formula_berlaku or self.definition.formula

    @property
    def sumber_data(self) -> str:
        """The data source that applies to the period's year."""
        return self.sumber_berlaku or self.definition.sumber_data

    @property
    def code(self) -> IndicatorCode:
        """The indicator's code."""
        return self.definition.code


@dataclass(frozen=True, slots=True)
class IdmDetail:
    """IDM status of each desa for the year of record."""

    tahun: int
    per_desa: list[tuple[Desa, IdmResult | None]]
    counts: dict[IdmStatus, int]
    latest_year: int | None

    @property
    def with_data(self) -> int:
        """Desa that have a result for the year."""
        return sum(self.counts.values())

    @property
    def results(self) -> list[tuple[Desa, IdmResult]]:
        """The desa that have a result for the year, with it."""
        return [(d, r) for d, r in self.per_desa if r is not None]

    @property
    def indices(self) -> list[VillageIndex]:
        """The indices the year's results are in (usually one), IDM first."""
        found = {r.index for _, r in self.results}
        return [i for i in VillageIndex if i in found]

    def sources(self, index: VillageIndex) -> list[str]:
        """Where the published statuses of an index come from (decree or file), sorted."""
        found = {r.status_source or r.source for _, r in self.results if r.index is index}
        # A result typed in through the bot names its officer, not a document.
        return sorted(s for s in found if s and not s.startswith("bot:"))

    @property
    def flagged(self) -> list[tuple[Desa, IdmResult]]:
        """IDM results whose published status differs from the one of their score."""
        return [(d, r) for d, r in self.results if r.flagged]

    @property
    def applying(self) -> list[VillageIndex]:
        """The indices IKU 1 is counted in this year: those of its results, or the year's."""
        return self.indices or [index_for_year(self.tahun)]

    def formula(self, signed: str) -> str | None:
        """The formula of the year when it is not the ``signed`` (IDM) one, else None."""
        found = self.applying
        if found == [VillageIndex.IDM]:
            return None
        if found == [VillageIndex.INDEKS_DESA]:
            return FORMULA_INDEKS_DESA
        return f"IDM: {signed}; Indeks Desa: {FORMULA_INDEKS_DESA}"

    def sumber(self) -> str | None:
        """The data source of the year when it is not the IDM alone, else None."""
        found = self.applying
        if found == [VillageIndex.IDM]:
            return None
        if found == [VillageIndex.INDEKS_DESA]:
            return SUMBER_INDEKS_DESA
        return f"{SUMBER_IDM}; {SUMBER_INDEKS_DESA}"

    def note(self) -> str:
        """How IKU 1 was counted: the index, its rule and source, and the flagged desa."""
        parts: list[str] = []
        for index in self.indices:
            rule = (
                "dihitung desa dengan IDM > 0,8155"
                if index is VillageIndex.IDM
                else "dihitung desa dengan status Indeks Desa Mandiri yang ditetapkan"
            )
            sources = self.sources(index)
            where = f" (sumber: {'; '.join(sources)})" if sources else ""
            parts.append(f"{index.label} tahun {self.tahun}: {rule}{where}.")
        if self.flagged:
            names = ", ".join(
                f"{d.nama} (terbit {r.status_published}, dari skor {r.status.label})"
                for d, r in self.flagged
            )
            parts.append(
                f"Status IDM terbit berbeda dengan status dari skornya: {names}; "
                "dihitung dari skor, status terbit tetap tersimpan."
            )
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class TematikDetail:
    """Active desa tematik designations of the year of record."""

    tahun: int
    count: int
    items: list[tuple[Desa, DesaTematik]]


@dataclass(frozen=True, slots=True)
class HandlingDetail:
    """Incident counts of one kind for the period."""

    kind: IncidentKind
    result: HandlingResult
    by_status: dict[str, int]


@dataclass(frozen=True, slots=True)
class SkmServiceDetail:
    """Respondents of one service against the minimum sample of its population."""

    service: SkmService
    respondents: int
    min_sample: int | None

    @property
    def sufficient(self) -> bool | None:
        """Whether the respondents reach the minimum sample (None: population unknown)."""
        return None if self.min_sample is None else self.respondents >= self.min_sample


@dataclass(frozen=True, slots=True)
class SkmDetail:
    """SKM result of the period and the sample against the minimum."""

    result: SkmResult | None
    respondents: int
    population: int | None
    min_sample: int | None
    services: list[SkmServiceDetail]

    @property
    def sufficient(self) -> bool | None:
        """Whether all respondents reach the minimum sample of the total population."""
        return None if self.min_sample is None else self.respondents >= self.min_sample


@dataclass(frozen=True, slots=True)
class IkuReport:
    """The IKU table and its details."""

    kecamatan: Kecamatan
    period: Period
    generated_at: datetime
    rows: list[IkuRow]
    idm: IdmDetail
    tematik: TematikDetail
    konflik: HandlingDetail
    trantibum: HandlingDetail
    skm: SkmDetail
    desa_count: int = field(default=0)

    def row(self, code: IndicatorCode) -> IkuRow:
        """The row of an indicator."""
        return next(r for r in self.rows if r.code is code)


@dataclass(frozen=True, slots=True)
class PeriodCounts:
    """What a period's incidents and SKM responses add up to, for one or more kecamatan.

    Two GROUP BY statements, whatever the number of kecamatan: the kabupaten recap reads
    them once for all its kecamatan instead of a dozen statements per kecamatan.
    """

    incidents: dict[tuple[int, IncidentKind], dict[str, int]]
    skm: dict[tuple[int, int | None], SkmTotals]

    def by_status(self, kecamatan_id: int, kind: IncidentKind) -> dict[str, int]:
        """A kecamatan's incidents of a kind per status value."""
        return self.incidents.get((kecamatan_id, kind), {})

    def skm_totals(self, kecamatan_id: int, service_id: int | None = None) -> SkmTotals:
        """A kecamatan's SKM totals: of one service, or of all (``None``)."""
        if service_id is not None:
            return self.skm.get((kecamatan_id, service_id)) or SkmTotals.pooled(())
        return SkmTotals.pooled(t for (k, _), t in self.skm.items() if k == kecamatan_id)


def period_counts(uow: UnitOfWork, kecamatan_ids: Sequence[int], period: Period) -> PeriodCounts:
    """Read the period's incident and SKM counts of the kecamatan (read-only)."""
    return PeriodCounts(
        incidents=uow.incidents.status_counts(kecamatan_ids, period.start, period.end),
        skm=uow.skm.service_totals(kecamatan_ids, period.start, period.end),
    )


def _handling(counts: PeriodCounts, kec: Kecamatan, kind: IncidentKind) -> HandlingDetail:
    by_status = counts.by_status(kec.id, kind)
    found = HandlingCounts.from_statuses(by_status)
    return HandlingDetail(
        kind=kind,
        result=handling_percentage(found.total, found.handled),
        by_status=dict(by_status),
    )


def _skm(uow: UnitOfWork, kec: Kecamatan, counts: PeriodCounts) -> SkmDetail:
    totals = counts.skm_totals(kec.id)
    result = skm_from_totals(totals.totals, totals.respondents)
    services: list[SkmServiceDetail] = []
    population = 0
    known = False
    for service in uow.skm.list_services(kec.id):
        assert service.id is not None
        per = counts.skm_totals(kec.id, service.id)
        if not service.active and per.respondents == 0:
            continue  # a retired service without answers in the period is not reported
        sample = min_sample(service.population) if service.population else None
        if service.population:
            population += service.population
            known = True
        services.append(SkmServiceDetail(service, per.respondents, sample))
    return SkmDetail(
        result=result,
        respondents=totals.respondents,
        population=population if known else None,
        min_sample=min_sample(population) if known else None,
        services=services,
    )


def skm_detail(uow: UnitOfWork, kec: Kecamatan, period: Period) -> SkmDetail:
    """The SKM of a period alone, as IKU 5 of :func:`iku_report` computes it (read-only)."""
    totals = uow.skm.service_totals([kec.id], period.start, period.end)
    return _skm(uow, kec, PeriodCounts(incidents={}, skm=totals))


def iku_report(
    uow: UnitOfWork,
    *,
    kecamatan_code: str,
    period: Period,
    now: datetime,
    counts: PeriodCounts | None = None,
) -> IkuReport:
    """Compute the IKU table of a kecamatan for a period (read-only).

    ``counts``: the period's counts when the caller read them already for several
    kecamatan (:func:`period_counts`); read here for this kecamatan otherwise.
    """
    kec = uow.kecamatan.get_by_code(kecamatan_code)
    if kec is None:
        raise NotFound(f"Kecamatan dengan kode {kecamatan_code} belum terdaftar.")
    if counts is None:
        counts = period_counts(uow, [kec.id], period)
    tahun = period.year_of_record
    desa = uow.desa.list_by_kecamatan(kec.id)
    desa_by_id = {d.id: d for d in desa}
    targets = uow.targets.for_year(kec.id, tahun)

    idm_results = {r.desa_id: r for r in uow.idm.list_for_kecamatan(kec.id, tahun)}
    idm = IdmDetail(
        tahun=tahun,
        per_desa=[(d, idm_results.get(d.id)) for d in desa],
        counts=uow.idm.count_by_status(kec.id, tahun),
        latest_year=uow.idm.latest_year(kec.id),
    )
    tematik = TematikDetail(
        tahun=tahun,
        count=uow.tematik.count_desa(kec.id, tahun),
        items=[
            (desa_by_id[t.desa_id], t)
            for t in uow.tematik.list_active(kec.id, tahun)
            if t.desa_id in desa_by_id
        ],
    )
    konflik = _handling(counts, kec, IncidentKind.KONFLIK)
    trantibum = _handling(counts, kec, IncidentKind.TRANTIBUM)
    skm = _skm(uow, kec, counts)

    values: dict[IndicatorCode, tuple[Decimal | None, str | None]] = {}
    if idm.with_data == 0:
        note = f"Belum ada data IDM tahun {tahun}"
        if idm.latest_year is not None and idm.latest_year != tahun:
            note += f" (data terakhir: tahun {idm.latest_year})"
        values[IndicatorCode.DESA_MANDIRI] = (None, note + ".")
    else:
        # IDM: the status computed from the exact score (> 0.8155 is Mandiri);
        # Indeks Desa: the status the minister's decree published.
        mandiri = Decimal(sum(1 for _, r in idm.results if r.status is IdmStatus.MANDIRI))
        note_idm = idm.note()
        if idm.with_data < len(desa):
            note_idm += f" Data tahun {tahun} baru ada untuk {idm.with_data} dari {len(desa)} desa."
        values[IndicatorCode.DESA_MANDIRI] = (mandiri, note_idm.strip())
    values[IndicatorCode.DESA_TEMATIK] = (Decimal(tematik.count), None)
    for code, detail, what in (
        (IndicatorCode.KONFLIK_TERTANGANI, konflik, "konflik sosial"),
        (IndicatorCode.TRANTIBUM_TERTANGANI, trantibum, "kejadian trantibum"),
    ):
        if detail.result.no_events:
            values[code] = (None, f"Tidak ada {what} pada periode ini.")
        else:
            values[code] = (
                detail.result.percent,
                f"{detail.result.handled} dari {detail.result.total} tertangani.",
            )
    if skm.result is None:
        reason = (
            "Belum ada responden SKM pada periode ini."
            if skm.respondents == 0
            else "Ada unsur SKM yang belum dijawab satu responden pun."
        )
        values[IndicatorCode.SKM] = (None, reason)
    else:
        note_skm = f"Mutu {skm.result.mutu} ({skm.result.kinerja}), {skm.respondents} responden"
        if skm.min_sample is not None:
            note_skm += f" dari sampel minimal {skm.min_sample}"
            if not skm.sufficient:
                note_skm += " (belum memenuhi)"
        values[IndicatorCode.SKM] = (skm.result.nik, note_skm + ".")

    rows = []
    for definition in INDICATORS:
        realisasi, note_row = values[definition.code]
        mandiri_row = definition.code is IndicatorCode.DESA_MANDIRI
        target = targets.get(definition.code)
        if target is None:
            extra = "Target belum ditetapkan."
            note_row = f"{note_row} {extra}" if note_row else extra
        rows.append(
            IkuRow(
                definition=definition,
                kinerja_utama=definition.kinerja_for(kec.nama),
                target=target,
                realisasi=realisasi,
                capaian=capaian(realisasi, target),
                keterangan=note_row,
                formula_berlaku=idm.formula(definition.formula) if mandiri_row else None,
                sumber_berlaku=idm.sumber() if mandiri_row else None,
            )
        )
    return IkuReport(
        kecamatan=kec,
        period=period,
        generated_at=now,
        rows=rows,
        idm=idm,
        tematik=tematik,
        konflik=konflik,
        trantibum=trantibum,
        skm=skm,
        desa_count=len(desa),
    )
