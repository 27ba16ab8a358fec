"""The digest's HTML: packed at section boundaries within Telegram's limits, escaped,
and its chart drawn as a real PNG."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from io import BytesIO

from PIL import Image

from bot.digest.chart import (
    HANDLED,
    KONFLIK,
    NO_INCIDENTS,
    TRANTIBUM,
    WEEKS_BOX,
    Dot,
    Line,
    Rect,
    Text,
    capaian_bars,
    digest_chart,
    digest_drawing,
    week_label,
)
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


def _rgb(color: str) -> tuple[int, int, int]:
    return (int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16))


def test_the_chart_is_a_png_with_its_bars_and_line_painted() -> None:
    digest = _digest([_desa(1, "Peltong")])
    png = digest_chart(digest.history, digest.report, "Larangan")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(BytesIO(png)).convert("RGB")
    assert image.size == (1080, 1020)
    drawing = digest_drawing(digest.history, digest.report, "Larangan")
    bars = [s for s in drawing.shapes if isinstance(s, Rect) and s.role in ("konflik", "trantibum")]
    assert bars  # the fixture's weeks have incidents
    for bar in bars:  # the middle of every bar is painted in its colour
        middle = (round((bar.x0 + bar.x1) / 2), round((bar.y0 + bar.y1) / 2))
        assert image.getpixel(middle) == _rgb(bar.fill or "")
    dot = next(s for s in drawing.shapes if isinstance(s, Dot) and s.role == "sharedot")
    assert image.getpixel((round(dot.x), round(dot.y))) == _rgb(HANDLED)
    colours = {image.getpixel((x, y)) for x in range(0, 1080, 2) for y in range(0, 1020, 2)}
    assert {_rgb(KONFLIK), _rgb(TRANTIBUM), _rgb(HANDLED)} <= colours


def test_weeks_are_labelled_by_their_dates() -> None:
    assert week_label(IsoWeek(2026, 48)) == "23-29 Nov"
    assert week_label(IsoWeek(2026, 49)) == "30 Nov-6 Des"
    assert week_label(IsoWeek(2026, 53)) == "28 Des-3 Jan"  # 2026 has 53 ISO weeks


def test_the_weeks_panel_has_dates_and_two_axes_that_cannot_be_confused() -> None:
    digest = _digest([_desa(1, "Peltong")])
    drawing = digest_drawing(digest.history, digest.report, "Larangan")
    labels = drawing.texts("xtick")[: len(digest.history)]
    assert len(labels) == len(digest.history)
    last = digest.history[-1].week
    assert labels[-1] == f"{week_label(last)} (W{last.week:02d})"
    assert drawing.texts("ylabel") == ["Jumlah kejadian diterima"]
    assert drawing.texts("sharelabel") == ["Persentase tertangani"]
    assert drawing.texts("sharetick") == ["0%", "25%", "50%", "75%", "100%"]
    # The share line, its axis and its label are all in the same colour.
    share_label = next(s for s in drawing.of("sharelabel") if isinstance(s, Text))
    share_lines = [s for s in drawing.of("share") if isinstance(s, Line)]
    assert share_lines
    assert {share_label.color} == {s.color for s in share_lines} == {HANDLED}
    assert "Kecamatan Larangan: kejadian diterima per minggu" in drawing.texts("title")
    assert drawing.texts("legend") == [
        "Konflik sosial (jumlah)",
        "Trantibum (jumlah)",
        "Tertangani sekarang (%, kanan)",
    ]
    assert drawing.texts("xlabel") == ["Capaian (realisasi / target, %)"]


def test_the_bars_stack_trantibum_on_konflik_in_proportion() -> None:
    digest = _digest([_desa(1, "Peltong")])
    drawing = digest_drawing(digest.history, digest.report, "Larangan")
    konflik = [s for s in drawing.of("konflik") if isinstance(s, Rect)]
    trantibum = [s for s in drawing.of("trantibum") if isinstance(s, Rect)]
    busy = [p for p in digest.history if p.konflik and p.trantibum]
    assert busy
    assert len(konflik) >= len(busy)
    per_incident = {
        round((k.y1 - k.y0) / p.konflik, 6)
        for k, p in zip(konflik, [p for p in digest.history if p.konflik], strict=True)
    }
    assert len(per_incident) == 1  # one scale for every week
    axis = WEEKS_BOX[3]
    for bar in trantibum:  # stacked: on the week's konflik bar, or on the axis without one
        under = [k for k in konflik if k.x0 == bar.x0]
        assert bar.y1 == (under[0].y0 if under else axis)


def test_a_period_without_incidents_says_so_instead_of_an_empty_plot() -> None:
    digest = _digest([_desa(1, "Peltong")])
    empty = [replace(p, konflik=0, trantibum=0, handled=0) for p in digest.history]
    drawing = digest_drawing(empty, digest.report, "Larangan")
    assert drawing.texts("note") == [NO_INCIDENTS.format(weeks=len(empty))]
    assert drawing.of("konflik") == drawing.of("trantibum") == []  # no bars
    assert drawing.of("share") == drawing.of("sharelabel") == []  # no handled-share axis
    assert drawing.texts("legend") == []
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
    drawing = digest_drawing(digest.history, digest.report, "Larangan")
    expected = [
        bar.note if bar.capaian is None else f"{bar.capaian:.2f}%".replace(".", ",") for bar in bars
    ]
    assert drawing.texts("value") == expected
    with_value = [b for b in bars if b.capaian is not None and b.capaian > 0]
    assert len(drawing.of("bar")) == len(with_value)


def test_the_caption_fits_telegram() -> None:
    digest = _digest([_desa(1, "Peltong")])
    long = replace(digest, kecamatan=replace(digest.kecamatan, nama="L" * 2000))
    assert len(chart_caption(long)) <= 1024
