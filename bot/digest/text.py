"""The weekly digest as Telegram HTML: sections, packed into messages within the limits.

Every name that came from users (desa names come from the seed, but are escaped all
the same) goes through :func:`bot.formatting.h`. A long digest is split between
sections, and a section longer than a message is split between lines, never inside
a line or a tag (every line is self-contained HTML).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from bot import texts
from bot.delivery.outbox import MAX_CAPTION, MAX_TEXT, split_text
from bot.formatting import h
from bot.reports.iku import fmt_amount, fmt_date_id, fmt_datetime_id, fmt_decimal
from domain.digest import IkuLine, Trend, WeeklyDigest
from domain.idm import IdmStatus
from domain.models import Desa, IndicatorCode

__all__ = ["digest_sections", "digest_messages", "chart_caption", "pack", "MAX_OPEN_LISTED"]

# The group reads a list, not a register: the rest is one command away.
MAX_OPEN_LISTED: Final = 30
# Long lists of names are broken into lines so that no line comes near a message's size.
_LINE_WIDTH: Final = 1000


def _moment(digest: WeeklyDigest) -> str:
    moment = digest.made_at
    return fmt_datetime_id(moment)


def _arrow(line: IkuLine) -> str:
    before = "-" if line.previous is None else fmt_amount(line.row, line.previous)
    match line.trend:
        case Trend.UP:
            return texts.DIGEST_ARROW_UP.format(sebelum=before)
        case Trend.DOWN:
            return texts.DIGEST_ARROW_DOWN.format(sebelum=before)
        case Trend.SAME:
            return texts.DIGEST_ARROW_SAME
        case Trend.NEW:
            return texts.DIGEST_ARROW_NEW
    return ""


def _iku(digest: WeeklyDigest) -> str:
    period = digest.report.period
    lines = [
        texts.DIGEST_TITLE.format(
            kecamatan=h(digest.kecamatan.nama),
            minggu=digest.week.key,
            mulai=fmt_date_id(digest.week.start),
            sampai=fmt_date_id(digest.week.end),
        ),
        "",
        texts.DIGEST_IKU_HEADER.format(
            periode=f"tahun {period.start.year} s.d. {fmt_date_id(period.end)}"
        ),
    ]
    for line in digest.lines:
        row = line.row
        realisasi = texts.SUMMARY_NO_EVENTS if line.no_events else fmt_amount(row, row.realisasi)
        lines.append(
            texts.DIGEST_IKU_ROW.format(
                nomor=row.definition.number,
                indikator=h(row.definition.indikator),
                realisasi=realisasi,
                arah=_arrow(line),
            ).rstrip()
        )
        lines.append(
            texts.DIGEST_IKU_DETAIL.format(
                target=fmt_amount(row, row.target),
                capaian="-" if row.capaian is None else fmt_decimal(row.capaian, 2) + "%",
            )
        )
    lines.append(
        {
            "digest": texts.DIGEST_COMPARED_DIGEST,
            "hitung": texts.DIGEST_COMPARED_COMPUTED,
        }.get(digest.compared_with or "", texts.DIGEST_COMPARED_NONE)
    )
    return "\n".join(lines)


def _kinds(konflik: int, trantibum: int) -> str:
    parts = []
    if konflik:
        parts.append(f"{konflik} konflik sosial")
    if trantibum:
        parts.append(f"{trantibum} trantibum")
    return ", ".join(parts)


def _week(digest: WeeklyDigest) -> str:
    lines = [texts.DIGEST_WEEK_HEADER]
    if digest.new_by_desa:
        lines.append(
            texts.DIGEST_WEEK_NEW.format(konflik=digest.new_konflik, trantibum=digest.new_trantibum)
        )
        for count in digest.new_by_desa:
            lines.append(
                texts.DIGEST_WEEK_DESA.format(
                    desa=h(count.desa.nama), rincian=_kinds(count.konflik, count.trantibum)
                )
            )
    else:
        lines.append(texts.DIGEST_WEEK_NONE)
    lines.append(
        texts.DIGEST_WEEK_HANDLED.format(
            konflik=digest.handled_konflik, trantibum=digest.handled_trantibum
        )
    )
    if digest.corrected or digest.voided:
        lines.append(
            texts.DIGEST_WEEK_CORRECTIONS.format(koreksi=digest.corrected, batal=digest.voided)
        )
    return "\n".join(lines)


def _open(digest: WeeklyDigest, overdue_days: int) -> str:
    cases = digest.open_cases
    if digest.open_total == 0:
        return texts.DIGEST_OPEN_NONE.format(waktu=_moment(digest))
    lines = [
        texts.DIGEST_OPEN_HEADER.format(
            waktu=_moment(digest), jumlah=digest.open_total, terlambat=digest.overdue_total
        )
    ]
    for case in cases[:MAX_OPEN_LISTED]:
        lines.append(
            texts.DIGEST_OPEN_ROW.format(
                tanda="⚠️" if case.overdue else "•",
                nomor=h(case.incident.nomor),
                desa=h(case.desa.nama),
                hari=case.days_open,
            )
        )
    listed = min(len(cases), MAX_OPEN_LISTED)
    if digest.open_total > listed:
        lines.append(texts.DIGEST_OPEN_MORE.format(jumlah=digest.open_total - listed))
    if digest.overdue_total:
        lines.append(texts.DIGEST_OPEN_LEGEND.format(batas=overdue_days))
    return "\n".join(lines)


def _names(desa: Sequence[Desa], width: int = _LINE_WIDTH) -> str:
    """Names separated by commas, broken into lines of about ``width`` characters.

    The lines let a very long list be split between messages without cutting a name.
    """
    lines: list[str] = []
    current = ""
    for item in desa:
        name = h(item.nama)
        if current and len(current) + 2 + len(name) > width:
            lines.append(current + ",")
            current = name
        else:
            current = f"{current}, {name}" if current else name
    lines.append(current)
    return "\n".join(lines)


def _completeness(digest: WeeklyDigest) -> str:
    lines = [texts.DIGEST_DESA_HEADER]
    if digest.reported:
        lines.append(
            texts.DIGEST_DESA_REPORTED.format(
                jumlah=len(digest.reported), desa=_names(digest.reported)
            )
        )
    if digest.nil:
        lines.append(texts.DIGEST_DESA_NIL.format(jumlah=len(digest.nil), desa=_names(digest.nil)))
    if digest.silent:
        lines.append(
            texts.DIGEST_DESA_SILENT.format(jumlah=len(digest.silent), desa=_names(digest.silent))
        )
    else:
        lines.append(texts.DIGEST_DESA_ALL.format(jumlah=len(digest.reported) + len(digest.nil)))
    return "\n".join(lines)


def _skm_idm(digest: WeeklyDigest) -> str:
    report = digest.report
    skm = report.skm
    period = f"Tahun {report.period.start.year} s.d. {fmt_date_id(report.period.end)}"
    lines = [texts.DIGEST_SKM_HEADER, texts.DIGEST_SKM_WEEK.format(jumlah=digest.skm_week)]
    if skm.result is None:
        reason = report.row(IndicatorCode.SKM).keterangan or ""
        lines.append(texts.DIGEST_SKM_NONE.format(periode=period, alasan=h(reason)))
    else:
        sample = ""
        if skm.min_sample is not None:
            sample = texts.DIGEST_SKM_SAMPLE.format(minimal=skm.min_sample)
            if not skm.sufficient:
                sample += texts.DIGEST_SKM_SAMPLE_SHORT
        lines.append(
            texts.DIGEST_SKM_YEAR.format(
                periode=period,
                nik=fmt_decimal(skm.result.nik, 2),
                mutu=skm.result.mutu,
                kinerja=h(skm.result.kinerja),
                responden=skm.respondents,
                sampel=sample,
            )
        )
    if digest.rtl is not None:
        rtl_period, figures = digest.rtl
        lines.append(texts.DIGEST_RTL.format(periode=h(rtl_period.label), ringkas=h(figures.text)))
    idm = report.idm
    lines += ["", texts.DIGEST_IDM_HEADER.format(tahun=idm.tahun)]
    if idm.with_data == 0:
        last = (
            texts.DIGEST_IDM_LAST.format(tahun=idm.latest_year)
            if idm.latest_year is not None and idm.latest_year != idm.tahun
            else ""
        )
        lines.append(texts.DIGEST_IDM_NONE.format(tahun=idm.tahun, terakhir=last))
    else:
        counts = " · ".join(
            f"{status.label} {idm.counts.get(status, 0)}" for status in reversed(IdmStatus)
        )
        lines.append(
            texts.DIGEST_IDM_ROW.format(rincian=counts, kosong=len(idm.per_desa) - idm.with_data)
        )
    lines += [
        "",
        texts.DIGEST_TEMATIK.format(tahun=report.tematik.tahun, jumlah=report.tematik.count),
    ]
    return "\n".join(lines)


def digest_sections(digest: WeeklyDigest, *, overdue_days: int) -> list[str]:
    """The digest's sections in reading order (each is whole HTML)."""
    return [
        _iku(digest),
        _week(digest),
        _open(digest, overdue_days),
        _completeness(digest),
        _skm_idm(digest),
        texts.DIGEST_FOOTER.format(waktu=_moment(digest)),
    ]


def pack(sections: Sequence[str], limit: int = MAX_TEXT) -> list[str]:
    """Sections joined by blank lines into as few messages as fit, split only between them.

    A section longer than ``limit`` on its own is split between its lines.
    """
    messages: list[str] = []
    current = ""
    for section in sections:
        pieces = [section] if len(section) <= limit else split_text(section, limit)
        for piece in pieces:
            candidate = f"{current}\n\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages


def digest_messages(digest: WeeklyDigest, *, overdue_days: int) -> list[str]:
    """The digest as the text messages to send, in order."""
    return pack(digest_sections(digest, overdue_days=overdue_days))


def chart_caption(digest: WeeklyDigest) -> str:
    """The chart's caption (well under Telegram's 1,024 characters)."""
    history = digest.history
    first = history[0].week if history else digest.week
    caption = texts.DIGEST_CHART_CAPTION.format(
        kecamatan=h(digest.kecamatan.nama), mulai=first.key, akhir=digest.week.key
    )
    return caption[:MAX_CAPTION]
