"""What the published SKM documents show: the infographic of a period and the QR posters.

PermenPAN-RB 29/2022 (PEKPPP) scores whether the SKM results are published, and in
how many media; the office prints an infographic per period and posts QR posters on
its service desks. This module decides *which figures* go on them; the layout is
``bot/reports/infographic.py``.

Decisions:
- The infographic's figures are IKU 5's (``domain.report.skm_detail``): the responses
  whose survey date lies in the period, NIK rounded half-up to 2 decimals and graded
  on that value, NRR per unsur rounded half-up to 4 decimals from exact fractions
  (``domain.export.unsur_lines``).
- Respondents are measured against the Krejcie-Morgan minimum of the total population
  of the services whose population is known (as the IKU report does); without any
  population the minimum is unknown and the infographic says so instead of a verdict.
- A period without a computable result (no responses, or an unsur nobody answered)
  has no bars: the page says so in words.
- Posters are for active services only: an inactive service's link would open a
  questionnaire that refuses it. An unknown or inactive code is refused in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.errors import InvalidInput, NotFound
from domain.export import UnsurLine, unsur_lines
from domain.models import Kecamatan, SkmService
from domain.period import Period
from domain.ports import UnitOfWork
from domain.report import skm_detail
from domain.skm import SkmResult

__all__ = ["SkmPublication", "skm_publication", "poster_services"]


@dataclass(frozen=True, slots=True)
class SkmPublication:
    """The figures of one period's SKM infographic."""

    kecamatan: Kecamatan
    period: Period
    made_at: datetime
    result: SkmResult | None
    respondents: int
    population: int | None
    min_sample: int | None
    unsur: list[UnsurLine]

    @property
    def sufficient(self) -> bool | None:
        """Whether the respondents reach the minimum sample (None: population unknown)."""
        return None if self.min_sample is None else self.respondents >= self.min_sample


def skm_publication(
    uow: UnitOfWork, *, kecamatan: Kecamatan, period: Period, now: datetime
) -> SkmPublication:
    """The SKM figures of ``period`` for the infographic (read-only)."""
    detail = skm_detail(uow, kecamatan, period)
    result = detail.result
    lines = unsur_lines(result.totals) if result is not None else []
    return SkmPublication(
        kecamatan=kecamatan,
        period=period,
        made_at=now,
        result=result,
        respondents=detail.respondents,
        population=detail.population,
        min_sample=detail.min_sample,
        unsur=lines,
    )


def poster_services(
    uow: UnitOfWork, *, kecamatan: Kecamatan, kode: str | None, every: bool
) -> list[SkmService | None]:
    """The services to print a poster for; ``None`` stands for the general link.

    ``kode`` gives one service; ``every`` all active services (in the order of the list
    of services); neither, the general link alone.
    """
    if kode is not None and every:
        raise InvalidInput("Pilih satu: satu layanan (kode) atau semua layanan, bukan keduanya.")
    if kode is not None:
        service = uow.skm.get_service_by_code(kecamatan.id, kode.strip())
        if service is None:
            raise NotFound(
                f"Layanan dengan kode {kode!r} tidak ada di Kecamatan {kecamatan.nama}. "
                "Lihat kodenya dengan 'iku-bot layanan list' atau /layanan."
            )
        if not service.active:
            raise InvalidInput(
                f"Layanan {service.kode} ({service.nama}) nonaktif: kode QR-nya akan "
                "ditolak kuesioner. Aktifkan dulu layanannya."
            )
        return [service]
    if not every:
        return [None]
    services = [s for s in uow.skm.list_services(kecamatan.id) if s.active]
    if not services:
        raise NotFound(
            f"Belum ada layanan SKM aktif di Kecamatan {kecamatan.nama}: daftarkan dulu "
            "dengan 'iku-bot layanan add' atau /layanan."
        )
    return list(services)
