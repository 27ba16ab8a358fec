"""The digest's HTML: packed at section boundaries within Telegram's limits, escaped,
and its chart drawn as a real PNG."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from bot.digest.chart import NO_INCIDENTS, capaian_bars, digest_chart, digest_figure, week_label
from bot.digest.text import (
    MAX_OPEN_LISTED,
    chart_caption,
    digest_messages,
    digest_sections,
    pack,
)
from domain.digest import IkuLine, IsoWeek, OpenCase, Trend, WeeklyDigest, WeekPoint, table_period
from domain.handling import handling_percentage
from domain.idm import IdmStatus
from domain.indicators import INDICATORS
from domain.models import Desa, IncidentKind
from domain.report import (
    HandlingDetail,
    IdmDetail,
    IkuReport,
    IkuRow,
    SkmDetail,
    TematikDetail,
)
from tests.bot.conftest import WIB
from tests.factories import make_desa, make_incident, make_kecamatan

WEEK = IsoWeek(2026, 48)
MADE = datetime(2026, 11, 30, 7, 0, tzinfo=WIB)


def _desa(index: int, nama: str) -> Desa:
    return make_desa(
        id=index,
        kecamatan_id=1,
        kode=f"35.28.08.{2000 + index}",
        kode_bps=f"35280400{index:02d}",
        nama=nama,
    )


def _digest(desa: list[Desa], open_cases: int = 0) -> WeeklyDigest:
    kec = make_kecamatan(nama="Larangan <Uji>")
    period = table_period(WEEK, MADE.date())
    rows = [IkuRow(d, d.kinerja_for(kec.nama), None, None, None) for d in INDICATORS]
    none = handling_percentage(0, 0)
    report = IkuReport(
        kecamatan=kec,
        period=period,
        generated_at=MADE,
        rows=rows,
        idm=IdmDetail(2026, [(d, None) for d in desa], dict.fromkeys(IdmStatus, 0), None),
        tematik=TematikDetail(2026, 0, []),
        konflik=HandlingDetail(IncidentKind.KONFLIK, none, {}),
        trantibum=HandlingDetail(IncidentKind.TRANTIBUM, none, {}),
        skm=SkmDetail(None, 0, None, None, []),
        desa_count=len(desa),
    )
    cases = [
        OpenCase(
            make_incident(
                desa[n % len(desa)],
                id=n,
                nomor=f"TB-352808-2026-{n:04d}",
                kind=IncidentKind.TRANTIBUM,
                event_date=date(2026, 11, 1),
                received_at=datetime(2026, 11, 1, 9, 0, tzinfo=WIB),
                category="lainnya",
                description="x" * 20,
            ),
            desa[n % len(desa)],
            29,
            True,
        )
        for n in range(1, open_cases + 1)
    ]
    return WeeklyDigest(
        kecamatan=kec,
        week=WEEK,
        made_at=MADE,
        report=report,
        lines=[IkuLine(r, False, None, Trend.NONE) for r in rows],
        compared_with=None,
        new_by_desa=[],
        handled_konflik=0,
        handled_trantibum=0,
        open_cases=cases,
        reported=[],
        nil=[],
        silent=desa,
        skm_week=0,
        history=[WeekPoint(WEEK.previous(n), n % 3, n % 2, n % 2) for n in range(11, -1, -1)],
        open_total=open_cases,
        overdue_total=open_cases,
    )


def test_names_are_escaped() -> None:
    digest = _digest([_desa(1, "Desa <b>Palsu</b> & Co")])
    text = "\n".join(digest_messages(digest, overdue_days=7))
    assert "Larangan &lt;Uji&gt;" in text
    assert "Desa &lt;b&gt;Palsu&lt;/b&gt; &amp; Co" in text
    assert "<b>Palsu</b>" not in text
    assert "&lt;Uji&gt;" in chart_caption(digest)


def test_a_long_digest_is_split_between_sections_within_the_limit() -> None:
    # 600 desa with long names make the completeness section alone longer than a message.
    desa = [_desa(n, f"Desa Dengan Nama Yang Cukup Panjang Nomor {n}") for n in range(1, 601)]
    digest = _digest(desa, open_cases=80)
    messages = digest_messages(digest, overdue_days=7)
    assert len(messages) > 2
    assert all(len(m) <= 4096 for m in messages)
    joined = "\n\n".join(messages)
    # Nothing lost, nothing cut inside a line.
    assert joined.count("⚠️ TB-352808-2026-") == MAX_OPEN_LISTED
    assert f"… dan {80 - MAX_OPEN_LISTED} kasus lain (lihat /tindaklanjut)." in joined
    for message in messages:
        assert message.count("<b>") == message.count("</b>")
        assert message.count("<i>") == message.count("</i>")
    # Every line arrives whole: the messages' lines are lines of the unsplit digest.
    whole = set("\n\n".join(digest_sections(digest, overdue_days=7)).split("\n"))
    assert all(line in whole for m in messages for line in m.split("\n"))
    assert len(messages[0]) > 3000  # sections are packed together, not one per message


def test_pack_joins_small_sections_and_splits_only_between_them() -> None:
    sections = ["a" * 3000, "b" * 1000, "c" * 200, "d" * 4000]
    assert [len(m) for m in pack(sections)] == [4002, 200, 4000]
    assert pack(["x"]) == ["x"]
    long_section = "\n".join(["y" * 100] * 50)  # 5049 characters, lines of 100
    parts = pack([long_section])
    assert all(len(p) <= 4096 for p in parts)
    assert "\n".join(parts) == long_section


def test_the_chart_is_a_png_with_content() -> None:
    digest = _digest([_desa(1, "Peltong")])
    png = digest_chart(digest.history, digest.report, "Larangan")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 10_000


def test_weeks_are_labelled_by_their_dates() -> None:
    assert week_label(IsoWeek(2026, 48)) == "23-29 Nov"
    assert week_label(IsoWeek(2026, 49)) == "30 Nov-6 Des"
    assert week_label(IsoWeek(2026, 53)) == "28 Des-3 Jan"  # 2026 has 53 ISO weeks


def _texts(figure: Any) -> list[str]:
    found = [t.get_text() for t in figure.texts]
    for axes in figure.axes:
        found += [t.get_text() for t in axes.texts]
        found += [t.get_text() for t in axes.get_xticklabels() + axes.get_yticklabels()]
        found += [axes.get_ylabel(), axes.get_xlabel(), axes.get_title()]
    return found


def test_the_weeks_panel_has_dates_and_two_axes_that_cannot_be_confused() -> None:
    digest = _digest([_desa(1, "Peltong")])
    figure = digest_figure(digest.history, digest.report, "Larangan")
    weeks, capaian, share = figure.axes  # the twin axis of the handled share comes last
    labels = [t.get_text() for t in weeks.get_xticklabels()]
    assert len(labels) == len(digest.history)
    last = digest.history[-1].week
    assert labels[-1] == f"{week_label(last)} (W{last.week:02d})"
    assert weeks.get_ylabel() == "Jumlah kejadian diterima"
    assert share.get_ylabel() == "Persentase tertangani"
    assert share.yaxis.label.get_color() == share.get_lines()[0].get_color()  # line and axis
    assert share.get_ylim() == (0, 110)
    assert capaian.get_xlabel() == "Capaian (realisasi / target, %)"


def test_a_period_without_incidents_says_so_instead_of_an_empty_plot() -> None:
    digest = _digest([_desa(1, "Peltong")])
    empty = [replace(p, konflik=0, trantibum=0, handled=0) for p in digest.history]
    figure = digest_figure(empty, digest.report, "Larangan")
    weeks = figure.axes[0]
    assert NO_INCIDENTS.format(weeks=len(empty)) in [t.get_text() for t in weeks.texts]
    assert len(weeks.patches) == 0  # no bars
    assert len(figure.axes) == 2  # no handled-share axis either
    assert digest_chart(empty, digest.report, "Larangan").startswith(b"\x89PNG")


def test_the_capaian_panel_shows_each_indicator_or_says_why_not() -> None:
    digest = _digest([_desa(1, "Peltong")])
    bars = capaian_bars(digest.report)
    assert [b.label for b in bars] == [
        "1. Desa mandiri",
        "2. Desa tematik",
        "3. Konflik tertangani",
        "4. Trantibum tertangani",
        "5. Kepuasan masyarakat (SKM)",
    ]
    for bar, row in zip(bars, digest.report.rows, strict=True):
        assert bar.capaian == row.capaian
        assert (bar.note is None) == (row.capaian is not None)
    figure = digest_figure(digest.history, digest.report, "Larangan")
    shown = _texts(figure)
    for bar in bars:
        expected = bar.note if bar.capaian is None else f"{bar.capaian:.2f}%".replace(".", ",")
        assert expected in shown


def test_the_caption_fits_telegram() -> None:
    digest = _digest([_desa(1, "Peltong")])
    long = replace(digest, kecamatan=replace(digest.kecamatan, nama="L" * 2000))
    assert len(chart_caption(long)) <= 1024
