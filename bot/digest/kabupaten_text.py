"""The weekly kabupaten digest as Telegram HTML, compact for a phone.

One block per indicator (a line per kecamatan, then the kabupaten's total), then the
completeness of the week's reports. Names are escaped; a long digest (a kabupaten of
many kecamatan) is split between blocks, or between lines, under Telegram's limit.
"""

from __future__ import annotations

from decimal import Decimal

from bot import texts
from bot.digest.text import pack
from bot.formatting import h
from bot.reports.iku import fmt_date_id, fmt_datetime_id, fmt_decimal, fmt_in_unit
from domain.handling import HandlingResult
from domain.indicators import INDICATORS, IndicatorDef
from domain.kabupaten import KabupatenTotal
from domain.kabupaten_digest import KabupatenDigest
from domain.models import IndicatorCode
from domain.report import IkuReport

__all__ = ["kabupaten_digest_sections", "kabupaten_digest_messages"]


def _handling(result: HandlingResult) -> str:
    if result.no_events:
        return texts.KABDIG_NO_EVENTS
    percent = "-" if result.percent is None else fmt_decimal(result.percent, 2) + "%"
    return texts.KABDIG_HANDLED.format(
        persen=percent, tertangani=result.handled, total=result.total
    )


def _value(definition: IndicatorDef, report: IkuReport) -> str:
    code = definition.code
    if code is IndicatorCode.KONFLIK_TERTANGANI:
        return _handling(report.konflik.result)
    if code is IndicatorCode.TRANTIBUM_TERTANGANI:
        return _handling(report.trantibum.result)
    return fmt_in_unit(definition, report.row(code).realisasi)


def _total(definition: IndicatorDef, total: KabupatenTotal) -> str:
    code = definition.code
    if code is IndicatorCode.KONFLIK_TERTANGANI:
        return _handling(total.konflik)
    if code is IndicatorCode.TRANTIBUM_TERTANGANI:
        return _handling(total.trantibum)
    value: Decimal | None
    if code is IndicatorCode.DESA_MANDIRI:
        value = None if total.mandiri is None else Decimal(total.mandiri)
    elif code is IndicatorCode.DESA_TEMATIK:
        value = Decimal(total.tematik)
    else:
        value = None if total.skm is None else total.skm.nik
    return fmt_in_unit(definition, value)


def _percent(value: Decimal | None) -> str:
    return "-" if value is None else fmt_decimal(value, 2) + "%"


def kabupaten_digest_sections(digest: KabupatenDigest) -> list[str]:
    """The digest's sections: heading, one per indicator, completeness, footer."""
    recap = digest.recap
    period = recap.period
    sections = [
        texts.KABDIG_TITLE.format(
            kabupaten=h(recap.nama),
            minggu=digest.week.key,
            mulai=fmt_date_id(digest.week.start),
            sampai=fmt_date_id(digest.week.end),
        )
        + "\n"
        + texts.KABDIG_PERIOD.format(tahun=period.start.year, sampai=fmt_date_id(period.end))
    ]
    for definition in INDICATORS:
        lines = [
            texts.KABDIG_INDICATOR.format(
                nomor=definition.number, indikator=h(definition.indikator)
            )
        ]
        for report in recap.kecamatan:
            lines.append(
                texts.KABDIG_ROW.format(
                    kecamatan=h(report.kecamatan.nama), nilai=_value(definition, report)
                )
            )
        lines.append(texts.KABDIG_TOTAL.format(nilai=_total(definition, recap.total)))
        sections.append("\n".join(lines))
    lines = [texts.KABDIG_COMPLETENESS]
    for item in digest.completeness:
        lines.append(
            texts.KABDIG_COMPLETENESS_ROW.format(
                kecamatan=h(item.kecamatan.nama),
                lapor=item.reported,
                desa=item.desa,
                persen=_percent(item.percent),
            )
        )
    lines.append(
        texts.KABDIG_COMPLETENESS_TOTAL.format(
            lapor=digest.reported, desa=digest.desa, persen=_percent(digest.percent)
        )
    )
    sections.append("\n".join(lines))
    sections.append(texts.KABDIG_FOOTER.format(waktu=fmt_datetime_id(digest.made_at)))
    return sections


def kabupaten_digest_messages(digest: KabupatenDigest, limit: int | None = None) -> list[str]:
    """The digest as the text messages to send, in order (each under the limit)."""
    sections = kabupaten_digest_sections(digest)
    return pack(sections) if limit is None else pack(sections, limit)
