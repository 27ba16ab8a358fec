"""The weekly kabupaten digest on the in-memory fakes: exact figures of two kecamatan."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.digest.kabupaten_text import kabupaten_digest_messages
from domain.digest import IsoWeek
from domain.errors import InvalidInput
from domain.kabupaten_digest import KabupatenDigest, kabupaten_digest
from domain.models import Desa, IncidentKind, IncidentStatus, IndicatorCode, NilReport
from domain.ports import UnitOfWork
from storage.seed import load_seed_file, seed_kecamatan
from tests.factories import make_incident
from tests.fakes import InMemoryDatabase

WIB = ZoneInfo("Asia/Jakarta")
KABUPATEN_FILE = (
    Path(__file__).resolve().parents[1] / "data" / "kabupaten" / ("pamekasan-2-kecamatan.json")
)
WEEK = IsoWeek(2026, 10)  # 2 to 8 March 2026
NOW = datetime(2026, 3, 9, 1, 0, tzinfo=UTC)  # Monday 08:00 WIB


def _incident(
    uow: UnitOfWork, desa: Desa, kind: IncidentKind, day: date, *, handled: bool = False
) -> None:
    received = datetime(day.year, day.month, day.day, 10, tzinfo=WIB)
    stored = uow.incidents.add(make_incident(desa, kind=kind, event_date=day, received_at=received))
    if handled:
        done = uow.incidents.change_status(
            stored.id,
            to_status=IncidentStatus.TERTANGANI,
            note="Selesai dimediasi",
            user_id=None,
            at=received,
            expected_version=stored.version,
        )
        assert done is not None


def _nil(uow: UnitOfWork, desa: Desa, week: IsoWeek) -> None:
    assert uow.incidents.add_nil_report(NilReport(desa.id, week.year, week.week, None, NOW))


@pytest.fixture
def db() -> InMemoryDatabase:
    """Larangan (14 desa) and Pademawu (2 desa) of Pamekasan, with a week of reports."""
    database = InMemoryDatabase()
    with database.unit_of_work() as uow:
        for seed in load_seed_file(KABUPATEN_FILE):
            seed_kecamatan(uow, seed)
        larangan, pademawu = (
            uow.kecamatan.get_by_code("35.28.08"),
            uow.kecamatan.get_by_code("35.28.09"),
        )
        assert larangan is not None
        assert pademawu is not None
        lar = uow.desa.list_by_kecamatan(larangan.id)
        pad = uow.desa.list_by_kecamatan(pademawu.id)
        konflik, trantibum = IncidentKind.KONFLIK, IncidentKind.TRANTIBUM
        _incident(uow, lar[0], konflik, date(2026, 3, 3), handled=True)
        _incident(uow, lar[1], konflik, date(2026, 2, 10))  # this year, not this week
        _incident(uow, lar[2], trantibum, date(2026, 3, 4))
        _nil(uow, lar[0], WEEK)  # reported and nil: counted once
        _nil(uow, lar[3], WEEK)
        _nil(uow, lar[4], WEEK)
        _nil(uow, lar[5], WEEK.previous())  # last week's nil report does not count
        _incident(uow, pad[0], trantibum, date(2026, 3, 5), handled=True)
        uow.commit()
    return database


def _digest(db: InMemoryDatabase, week: IsoWeek = WEEK) -> KabupatenDigest:
    with db.unit_of_work() as uow:
        return kabupaten_digest(uow, kabupaten_code="35.28", week=week, now=NOW, tz=WIB)


def test_each_kecamatan_side_by_side_with_the_kabupaten_totals(db: InMemoryDatabase) -> None:
    digest = _digest(db)
    recap = digest.recap
    assert (recap.period.start, recap.period.end) == (date(2026, 1, 1), date(2026, 3, 8))
    assert [r.kecamatan.nama for r in recap.kecamatan] == ["Larangan", "Pademawu"]
    larangan, pademawu = recap.kecamatan
    konflik, trantibum = IndicatorCode.KONFLIK_TERTANGANI, IndicatorCode.TRANTIBUM_TERTANGANI
    assert larangan.row(konflik).realisasi == Decimal("50.00")
    assert larangan.row(trantibum).realisasi == Decimal("0.00")
    assert pademawu.konflik.result.no_events
    assert pademawu.row(trantibum).realisasi == Decimal("100.00")
    assert (recap.total.konflik.handled, recap.total.konflik.total) == (1, 2)
    assert recap.total.trantibum.percent == Decimal("50.00")
    assert recap.total.desa_count == 16


def test_completeness_counts_a_desa_once_for_a_report_or_a_nil_report(
    db: InMemoryDatabase,
) -> None:
    digest = _digest(db)
    larangan, pademawu = digest.completeness
    assert (larangan.reported, larangan.desa, larangan.percent) == (4, 14, Decimal("28.57"))
    assert (pademawu.reported, pademawu.desa, pademawu.percent) == (1, 2, Decimal("50.00"))
    # pooled desa, not an average of 28.57 and 50.00
    assert (digest.reported, digest.desa, digest.percent) == (5, 16, Decimal("31.25"))
    earlier = _digest(db, WEEK.previous())
    assert [(c.reported, c.desa) for c in earlier.completeness] == [(1, 14), (0, 2)]
    assert earlier.percent == Decimal("6.25")


def test_a_week_not_begun_is_refused(db: InMemoryDatabase) -> None:
    with pytest.raises(InvalidInput, match="belum dimulai"):
        _digest(db, IsoWeek(2026, 12))


def test_the_text_puts_the_kecamatan_under_each_indicator(db: InMemoryDatabase) -> None:
    (text,) = kabupaten_digest_messages(_digest(db))
    assert "Ringkasan Mingguan IKU Kabupaten Pamekasan" in text
    assert "Minggu 2026-W10" in text
    block = text.split("<b>3. ")[1].split("\n\n")[0].splitlines()
    assert block[1:] == [
        "Larangan: 50,00% (1/2)",
        "Pademawu: tidak ada kejadian",
        "<b>Kabupaten: 50,00% (1/2)</b>",
    ]
    completeness = text.split("<b>Kelengkapan laporan desa minggu ini</b>\n")[1].split("\n\n")[0]
    assert completeness.splitlines() == [
        "Larangan: 4/14 desa (28,57%)",
        "Pademawu: 1/2 desa (50,00%)",
        "<b>Kabupaten: 5/16 desa (31,25%)</b>",
    ]


def test_a_long_digest_is_split_between_blocks_under_the_limit(db: InMemoryDatabase) -> None:
    digest = _digest(db)
    messages = kabupaten_digest_messages(digest, limit=300)
    assert len(messages) > 1
    assert all(len(m) <= 300 for m in messages)
    assert "\n\n".join(messages) == "\n\n".join(kabupaten_digest_messages(digest))


def test_names_are_escaped_in_the_text(db: InMemoryDatabase) -> None:
    digest = _digest(db)
    first = digest.recap.kecamatan[0]
    odd = replace(first.kecamatan, nama="Kota <b>Baru</b> & Co")
    recap = replace(digest.recap, kecamatan=[replace(first, kecamatan=odd)])
    completeness = [replace(digest.completeness[0], kecamatan=odd)]
    (text,) = kabupaten_digest_messages(replace(digest, recap=recap, completeness=completeness))
    assert "Kota &lt;b&gt;Baru&lt;/b&gt; &amp; Co: 4/14 desa (28,57%)" in text
    assert "<b>Baru</b>" not in text
