"""The kabupaten recap: every kecamatan's IKU report side by side, and the kabupaten's totals.

Decisions:
- The kecamatan of a kabupaten are the registered kecamatan whose Kemendagri code starts
  with the kabupaten's code and a dot (35.28 -> 35.28.01 ... 35.28.13), by code.
- Each kecamatan's report is exactly :func:`domain.report.iku_report` of that kecamatan;
  the period's incident and SKM counts of all of them are read in two GROUP BY
  statements (:func:`domain.report.period_counts`), not a dozen per kecamatan.
- IKU 1 and 2 of the kabupaten are the sums of the desa counts (desa mandiri: of the
  kecamatan that have IDM data for the year; none without any data at all).
- IKU 3 and 4 are the total handled over the total incidents of all kecamatan
  (:func:`domain.handling.handling_percentage`, exact, half-up), not an average of
  percentages; "tidak ada kejadian" when no kecamatan had any.
- IKU 5 is the NIK of all responses together: the per-unsur sums and the respondents of
  every kecamatan pooled, then the same SKM formula (:func:`domain.skm.skm_from_totals`);
  NIKs are never averaged.
- The kabupaten has no targets of its own: its totals carry realisasi only, no capaian.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.errors import NotFound
from domain.handling import HandlingResult, handling_percentage
from domain.idm import IdmStatus
from domain.models import Kecamatan
from domain.period import Period
from domain.ports import SkmTotals, UnitOfWork
from domain.report import IkuReport, iku_report, period_counts
from domain.skm import SkmResult, skm_from_totals

__all__ = ["KabupatenRecap", "KabupatenTotal", "kabupaten_kecamatan", "kabupaten_recap"]


@dataclass(frozen=True, slots=True)
class KabupatenTotal:
    """The kabupaten's indicators over all its kecamatan."""

    desa_count: int
    idm_with_data: int
    mandiri: int | None
    tematik: int
    konflik: HandlingResult
    trantibum: HandlingResult
    skm_respondents: int
    skm: SkmResult | None


@dataclass(frozen=True, slots=True)
class KabupatenRecap:
    """The IKU reports of the kecamatan of a kabupaten, and the totals."""

    kode: str
    nama: str
    period: Period
    generated_at: datetime
    kecamatan: list[IkuReport]
    total: KabupatenTotal


def kabupaten_kecamatan(uow: UnitOfWork, kode: str) -> list[Kecamatan]:
    """The registered kecamatan of a kabupaten (code ``35.28``), by code."""
    prefix = kode.strip() + "."
    return [k for k in uow.kecamatan.list() if k.kode.startswith(prefix)]


def kabupaten_recap(
    uow: UnitOfWork, *, kabupaten_code: str, period: Period, now: datetime
) -> KabupatenRecap:
    """Compute the recap of a kabupaten for a period (read-only)."""
    members = kabupaten_kecamatan(uow, kabupaten_code)
    if not members:
        raise NotFound(
            f"Kabupaten dengan kode {kabupaten_code.strip()} belum punya kecamatan terdaftar "
            "(daftarkan dengan 'iku-bot db seed BERKAS')."
        )
    counts = period_counts(uow, [k.id for k in members], period)
    reports = [
        iku_report(uow, kecamatan_code=k.kode, period=period, now=now, counts=counts)
        for k in members
    ]
    pooled = SkmTotals.pooled(counts.skm_totals(k.id) for k in members)
    with_data = sum(r.idm.with_data for r in reports)
    total = KabupatenTotal(
        desa_count=sum(r.desa_count for r in reports),
        idm_with_data=with_data,
        mandiri=sum(r.idm.counts.get(IdmStatus.MANDIRI, 0) for r in reports) if with_data else None,
        tematik=sum(r.tematik.count for r in reports),
        konflik=handling_percentage(
            sum(r.konflik.result.total for r in reports),
            sum(r.konflik.result.handled for r in reports),
        ),
        trantibum=handling_percentage(
            sum(r.trantibum.result.total for r in reports),
            sum(r.trantibum.result.handled for r in reports),
        ),
        skm_respondents=pooled.respondents,
        skm=skm_from_totals(pooled.totals, pooled.respondents),
    )
    return KabupatenRecap(
        kode=kabupaten_code.strip(),
        nama=members[0].kabupaten,
        period=period,
        generated_at=now,
        kecamatan=reports,
        total=total,
    )
