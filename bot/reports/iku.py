"""The IKU report as plain text (terminal) and as a JSON-ready dict."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from babel.dates import format_date, format_datetime

from domain.handling import HandlingResult
from domain.idm import IdmStatus, VillageIndex
from domain.indicators import IndicatorDef
from domain.models import IndicatorCode
from domain.report import HandlingDetail, IkuReport, IkuRow
from domain.skm import UNSUR, UNSUR_INFO

__all__ = ["report_text", "report_json", "fmt_decimal", "fmt_date_id", "fmt_amount"]

LOCALE = "id_ID"


def fmt_decimal(value: Decimal | None, places: int | None = None) -> str:
    """A number the Indonesian way (decimal comma); '-' for None."""
    if value is None:
        return "-"
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    return format(value, "f").replace(".", ",")


def fmt_date_id(value: Any) -> str:
    """A date in Indonesian, e.g. '4 Januari 2024'."""
    return str(format_date(value, "d MMMM y", locale=LOCALE))


_ZONES = {7: "WIB", 8: "WITA", 9: "WIT"}  # Indonesia's three time zones, by UTC offset


def zone_label(moment: datetime) -> str:
    """WIB, WITA or WIT for a time in Indonesia; the zone's own name elsewhere."""
    offset = moment.utcoffset()
    if offset is not None and offset.total_seconds() % 3600 == 0:
        label = _ZONES.get(int(offset.total_seconds() // 3600))
        if label is not None:
            return label
    return moment.tzname() or "UTC"


def fmt_datetime_id(moment: datetime) -> str:
    """A moment in Indonesian with its zone, e.g. '4 Januari 2024 14.05 WIB'."""
    return f"{fmt_date_id(moment.date())} {moment:%H.%M} {zone_label(moment)}"


def fmt_amount(row: IkuRow, value: Decimal | None) -> str:
    """A target or realisasi in the indicator's unit: '50,00%', '87,50', '3 desa'."""
    return fmt_in_unit(row.definition, value)


def fmt_in_unit(definition: IndicatorDef, value: Decimal | None) -> str:
    """A value of an indicator in its unit, the Indonesian way: '50,00%', '87,50', '3 desa'."""
    if value is None:
        return "-"
    satuan = definition.satuan
    if satuan == "%":
        return fmt_decimal(value, 2) + "%"
    if satuan == "NIK":
        return fmt_decimal(value, 2)
    if value == value.to_integral_value():
        return f"{fmt_decimal(value, 0)} {satuan}"
    return f"{fmt_decimal(value.normalize())} {satuan}"


def _capaian(row: IkuRow) -> str:
    return "-" if row.capaian is None else fmt_decimal(row.capaian, 2) + "%"


def _handling_lines(detail: HandlingDetail) -> list[str]:
    result = detail.result
    if result.no_events:
        return ["  Tidak ada kejadian pada periode ini (bukan 0%, bukan 100%)."]
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(detail.by_status.items()))
    return [
        f"  Jumlah kejadian: {result.total}; tertangani: {result.handled}; "
        f"belum tertangani: {result.open}.",
        f"  Per status: {statuses}.",
    ]


def report_text(report: IkuReport) -> str:
    """The IKU table and its details as plain text for a terminal."""
    kec = report.kecamatan
    period = report.period
    lines = [
        f"INDIKATOR KINERJA UTAMA (IKU) KECAMATAN {kec.nama.upper()}",
        f"Kabupaten {kec.kabupaten}, Provinsi {kec.provinsi} (kode {kec.kode})",
        f"Periode: {period.label} ({fmt_date_id(period.start)} s.d. {fmt_date_id(period.end)})",
        "Dicetak: "
        + str(format_datetime(report.generated_at, "d MMMM y HH.mm zzz", locale=LOCALE)),
        "",
    ]
    header = f"{'No':<3} {'Indikator':<62} {'Target':>10} {'Realisasi':>10} {'Capaian':>9}"
    lines += [header, "-" * len(header)]
    for row in report.rows:
        d = row.definition
        lines.append(
            f"{d.number:<3} {d.indikator[:62]:<62} {fmt_amount(row, row.target):>10} "
            f"{fmt_amount(row, row.realisasi):>10} {_capaian(row):>9}"
        )
    lines.append("")
    for row in report.rows:
        d = row.definition
        lines += [
            f"{d.number}. {d.indikator}",
            f"  Kinerja utama: {row.kinerja_utama}",
            f"  Formula: {row.formula}",
            f"  Target: {fmt_amount(row, row.target)}; "
            f"realisasi: {fmt_amount(row, row.realisasi)}; capaian: {_capaian(row)}",
            f"  Sumber data: {row.sumber_data}; penanggung jawab: {d.owner.full_name}",
        ]
        if row.keterangan:
            lines.append(f"  Keterangan: {row.keterangan}")
        lines += _detail_lines(report, row.code)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _detail_lines(report: IkuReport, code: IndicatorCode) -> list[str]:
    if code is IndicatorCode.DESA_MANDIRI:
        idm = report.idm
        counts = ", ".join(
            f"{status.label}: {idm.counts.get(status, 0)}" for status in reversed(IdmStatus)
        )
        names = "/".join(i.label for i in idm.indices) or "IDM"
        out = [
            f"  Status {names} tahun {idm.tahun}: {counts}; tanpa data: "
            f"{len(idm.per_desa) - idm.with_data}."
        ]
        for desa, result in idm.per_desa:
            if result is None:
                out.append(f"    {desa.kode} {desa.nama:<20} belum ada data")
            else:
                places = 4 if result.index is VillageIndex.IDM else 2
                flag = f" (terbit {result.status_published}: ditandai)" if result.flagged else ""
                out.append(
                    f"    {desa.kode} {desa.nama:<20} {result.index.label} "
                    f"{fmt_decimal(result.score, places)} {result.status.label}{flag}"
                )
        return out
    if code is IndicatorCode.DESA_TEMATIK:
        items = report.tematik.items
        if not items:
            return [f"  Belum ada desa tematik tahun {report.tematik.tahun}."]
        return [
            f"    {desa.nama:<20} {item.tema_lainnya or item.tema.value} ({item.referensi})"
            for desa, item in items
        ]
    if code is IndicatorCode.KONFLIK_TERTANGANI:
        return _handling_lines(report.konflik)
    if code is IndicatorCode.TRANTIBUM_TERTANGANI:
        return _handling_lines(report.trantibum)
    skm = report.skm
    out = []
    if skm.result is not None:
        nrr = skm.result.nrr_rounded(4)
        out.append("  NRR per unsur:")
        out += [
            f"    U{UNSUR_INFO[key].number} {UNSUR_INFO[key].name:<42} {fmt_decimal(nrr[key])}"
            for key in UNSUR
        ]
        out.append(
            f"  IKM {fmt_decimal(skm.result.ikm_rounded(4))}; NIK {fmt_decimal(skm.result.nik)}; "
            f"mutu {skm.result.mutu} ({skm.result.kinerja})."
        )
    sample = (
        f"sampel minimal {skm.min_sample} dari populasi {skm.population}"
        + (" (terpenuhi)" if skm.sufficient else " (belum terpenuhi)")
        if skm.min_sample is not None
        else "populasi layanan belum diisi, sampel minimal tidak dapat dihitung"
    )
    out.append(f"  Responden: {skm.respondents}; {sample}.")
    for item in skm.services:
        need = "" if item.min_sample is None else f" / minimal {item.min_sample}"
        out.append(f"    {item.service.nama}: {item.respondents} responden{need}")
    return out


def _num(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number (ints stay ints; 2-decimal values print as written)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _handling_json(result: HandlingResult, detail: HandlingDetail) -> dict[str, Any]:
    return {
        "total": result.total,
        "tertangani": result.handled,
        "belum_tertangani": result.open,
        "tidak_ada_kejadian": result.no_events,
        "persen": _num(result.percent),
        "per_status": dict(sorted(detail.by_status.items())),
    }


def report_json(report: IkuReport) -> dict[str, Any]:
    """The report as one JSON-ready object with a list ``indicators``."""
    kec = report.kecamatan
    skm = report.skm
    details: dict[IndicatorCode, dict[str, Any]] = {
        IndicatorCode.DESA_MANDIRI: {
            "tahun": report.idm.tahun,
            "tahun_data_terakhir": report.idm.latest_year,
            "per_status": {s.value: report.idm.counts.get(s, 0) for s in IdmStatus},
            "indeks": [i.value for i in report.idm.indices],
            "sumber": {i.value: report.idm.sources(i) for i in report.idm.indices},
            "ditandai": [desa.kode for desa, _ in report.idm.flagged],
            "desa": [
                {
                    "kode": desa.kode,
                    "kode_bps": desa.kode_bps,
                    "nama": desa.nama,
                    "indeks": None if r is None else r.index.value,
                    "idm": None if r is None or r.index is not VillageIndex.IDM else _num(r.score),
                    "skor": None if r is None else _num(r.score),
                    "status": None if r is None else r.status.value,
                    "status_terbit": None if r is None else r.status_published,
                    "sumber_status": None if r is None else (r.status_source or r.source),
                    "dimensi": None
                    if r is None or not r.dimensions
                    else {k: _num(v) for k, v in r.dimensions.items()},
                    "ditandai": False if r is None else r.flagged,
                }
                for desa, r in report.idm.per_desa
            ],
        },
        IndicatorCode.DESA_TEMATIK: {
            "tahun": report.tematik.tahun,
            "desa": [
                {
                    "kode": desa.kode,
                    "nama": desa.nama,
                    "tema": item.tema.value,
                    "tema_lainnya": item.tema_lainnya,
                    "referensi": item.referensi,
                }
                for desa, item in report.tematik.items
            ],
        },
        IndicatorCode.KONFLIK_TERTANGANI: _handling_json(report.konflik.result, report.konflik),
        IndicatorCode.TRANTIBUM_TERTANGANI: _handling_json(
            report.trantibum.result, report.trantibum
        ),
        IndicatorCode.SKM: {
            "respondents": skm.respondents,
            "population": skm.population,
            "min_sample": skm.min_sample,
            "sample_sufficient": skm.sufficient,
            "mutu": None if skm.result is None else skm.result.mutu,
            "kinerja": None if skm.result is None else skm.result.kinerja,
            "nik": None if skm.result is None else _num(skm.result.nik),
            "ikm": None if skm.result is None else _num(skm.result.ikm_rounded(4)),
            "nrr": None
            if skm.result is None
            else {k: _num(v) for k, v in skm.result.nrr_rounded(4).items()},
            "services": [
                {
                    "kode": s.service.kode,
                    "nama": s.service.nama,
                    "respondents": s.respondents,
                    "population": s.service.population,
                    "min_sample": s.min_sample,
                    "sample_sufficient": s.sufficient,
                }
                for s in skm.services
            ],
        },
    }
    return {
        "kecamatan": {
            "kode": kec.kode,
            "kode_bps": kec.kode_bps,
            "nama": kec.nama,
            "kabupaten": kec.kabupaten,
        },
        "periode": {
            "label": report.period.label,
            "mulai": report.period.start.isoformat(),
            "selesai": report.period.end.isoformat(),
        },
        "dibuat": report.generated_at.isoformat(),
        "indicators": [
            {
                "code": row.code.value,
                "nomor": row.definition.number,
                "kinerja_utama": row.kinerja_utama,
                "indikator": row.definition.indikator,
                "formula": row.definition.formula,
                "satuan": row.definition.satuan,
                "target": _num(row.target),
                "realisasi": _num(row.realisasi),
                "capaian": _num(row.capaian),
                "sumber_data": row.definition.sumber_data,
                "formula_berlaku": row.formula,
                "sumber_data_berlaku": row.sumber_data,
                "penanggung_jawab": row.definition.owner.full_name,
                "keterangan": row.keterangan,
                "detail": details[row.code],
            }
            for row in report.rows
        ],
    }
