"""The SKM follow-up plan (RTL): proposals, confirmation, progress, figures, refusals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest

from domain.errors import InvalidInput
from domain.models import Kecamatan, Role, SkmResponse, User, UserStatus
from domain.period import Period
from domain.permissions import Forbidden
from domain.ports import UnitOfWork
from domain.rtl import (
    RtlFigures,
    RtlItem,
    RtlStatus,
    SkmPeriod,
    StaleRtl,
    cancel_rtl,
    check_due,
    clean_kegiatan,
    complete_rtl,
    confirm_rtl,
    latest_rtl_figures,
    open_proposals,
    overdue_rtl,
    propose,
    report_progress,
    rtl_figures,
    rtl_report,
)
from domain.skm import UNSUR, UnsurTotal
from storage.seed import packaged_kecamatan, seed_kecamatan
from tests.factories import store_user
from tests.fakes import InMemoryDatabase

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 7, 10, 9, 0, tzinfo=WIB)
TODAY = NOW.date()
S1 = SkmPeriod(2026, "S1")
T = TypeVar("T")


def committed(db: InMemoryDatabase, work: Callable[[UnitOfWork], T]) -> T:
    with db.unit_of_work() as uow:
        result = work(uow)
        uow.commit()
    return result


@pytest.fixture
def db() -> InMemoryDatabase:
    database = InMemoryDatabase()
    seed = packaged_kecamatan("35.28.08")
    assert seed is not None
    committed(database, lambda uow: seed_kecamatan(uow, replace(seed, layanan_contoh=())))
    return database


@pytest.fixture
def kec(db: InMemoryDatabase) -> Kecamatan:
    found = committed(db, lambda uow: uow.kecamatan.get_by_code("35.28.08"))
    assert found is not None
    return found


@pytest.fixture
def admin(db: InMemoryDatabase, kec: Kecamatan) -> User:
    return store_user(db.unit_of_work, Role.ADMIN, telegram_id=1, nama="Camat", kecamatan_id=kec.id)


@pytest.fixture
def owner(db: InMemoryDatabase, kec: Kecamatan) -> User:
    return store_user(db.unit_of_work, telegram_id=2, nama="Staf Pelayanan", kecamatan_id=kec.id)


def _answers(**low: int) -> dict[str, int | None]:
    return {key: low.get(key, 4) for key in UNSUR}


@pytest.fixture
def survey(db: InMemoryDatabase, kec: Kecamatan) -> None:
    """Two respondents in S1 2026: waktu lowest, then biaya and sarana tied (by number)."""

    def add(uow: UnitOfWork) -> None:
        for day in (date(2026, 2, 1), date(2026, 5, 1)):
            uow.skm.add_response(
                SkmResponse(kec.id, day, _answers(waktu=1, sarana=2, biaya=2, produk=3))
            )
        # Outside the period: never counted.
        uow.skm.add_response(SkmResponse(kec.id, date(2026, 7, 2), _answers(perilaku=1)))

    committed(db, add)


def _confirm(db: InMemoryDatabase, kec: Kecamatan, admin: User, owner: User, unsur: str) -> RtlItem:
    return committed(
        db,
        lambda uow: confirm_rtl(
            uow,
            user=admin,
            kecamatan_id=kec.id,
            skm_period=S1,
            unsur=unsur,
            kegiatan="Menambah loket pelayanan pada jam sibuk",
            owner_id=owner.id,
            due=date(2026, 8, 31),
            today=TODAY,
            now=NOW,
        ),
    )


# -- proposals ------------------------------------------------------------------------------


def test_the_three_lowest_unsur_are_proposed_ties_by_unsur_number() -> None:
    totals = {key: UnsurTotal(8, 2) for key in UNSUR}
    totals |= {"sarana": UnsurTotal(3, 2), "biaya": UnsurTotal(3, 2), "prosedur": UnsurTotal(3, 2)}
    totals["waktu"] = UnsurTotal(5, 2)
    proposed = propose(totals)
    assert [p.unsur for p in proposed] == ["prosedur", "biaya", "sarana"]
    assert proposed[0].nrr == Fraction(3, 2)


def test_only_unsur_with_answers_are_proposed() -> None:
    totals = {"waktu": UnsurTotal(4, 1), "biaya": UnsurTotal(0, 0)}
    assert [p.unsur for p in propose(totals)] == ["waktu"]
    assert propose({}) == []


def test_an_ended_period_proposes_its_lowest_unsur_and_drops_the_planned_ones(
    db: InMemoryDatabase, kec: Kecamatan, admin: User, owner: User, survey: None
) -> None:
    def proposals() -> list[str]:
        found = committed(
            db, lambda uow: open_proposals(uow, kecamatan_id=kec.id, skm_period=S1, today=TODAY)
        )
        return [p.unsur for p in found]

    assert proposals() == ["waktu", "biaya", "sarana"]
    # Only the period's answers: July's response (4 for waktu) would make waktu's NRR 2.
    first = committed(
        db, lambda uow: open_proposals(uow, kecamatan_id=kec.id, skm_period=S1, today=TODAY)
    )
    assert [(p.unsur, p.nrr) for p in first] == [
        ("waktu", Fraction(1)),
        ("biaya", Fraction(2)),
        ("sarana", Fraction(2)),
    ]
    _confirm(db, kec, admin, owner, "waktu")
    assert proposals() == ["biaya", "sarana"]
    # Before the end of the period there is nothing to propose yet.
    assert (
        committed(
            db,
            lambda uow: open_proposals(
                uow, kecamatan_id=kec.id, skm_period=SkmPeriod(2026, "S2"), today=TODAY
            ),
        )
        == []
    )


# -- confirmation ---------------------------------------------------------------------------


def test_confirming_a_proposal_plans_it_and_is_audited(
    db: InMemoryDatabase, kec: Kecamatan, admin: User, owner: User, survey: None
) -> None:
    item = _confirm(db, kec, admin, owner, "waktu")
    assert item.status is RtlStatus.DIRENCANAKAN
    assert (item.owner_id, item.due, item.tahun, item.bagian) == (
        owner.id,
        date(2026, 8, 31),
        2026,
        "S1",
    )
    audit = db.committed.audit[-1]
    assert (audit.action, audit.entity, audit.entity_id) == (
        "rtl_confirm",
        "rtl_item",
        str(item.id),
    )


def test_confirming_twice_is_stale_and_writes_nothing(
    db: InMemoryDatabase, kec: Kecamatan, admin: User, owner: User, survey: None
) -> None:
    _confirm(db, kec, admin, owner, "waktu")
    with pytest.raises(StaleRtl):
        _confirm(db, kec, admin, owner, "waktu")
    assert len(db.committed.rtl_items) == 1


def test_only_an_admin_of_the_kecamatan_confirms(
    db: InMemoryDatabase, kec: Kecamatan, admin: User, owner: User, survey: None
) -> None:
    with pytest.raises(Forbidden, match="admin kecamatan"):
        _confirm(db, kec, owner, owner, "waktu")
    assert db.committed.rtl_items == {}


@pytest.mark.parametrize(
    ("due", "today", "message"),
    [
        (date(2026, 6, 30), date(2026, 7, 1), "sesudah akhir periode"),
        (date(2026, 7, 9), date(2026, 7, 10), "masa lalu"),
    ],
)
def test_a_due_date_on_or_before_the_period_end_or_in_the_past_is_refused(
    due: date, today: date, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_due(due, S1, today)


def test_a_due_date_of_today_or_the_day_after_the_period_is_accepted() -> None:
    assert check_due(date(2026, 7, 1), S1, date(2026, 7, 1)) == date(2026, 7, 1)


def test_an_inactive_owner_or_a_short_kegiatan_is_refused(
    db: InMemoryDatabase, kec: Kecamatan, admin: User, survey: None
) -> None:
    gone = store_user(
        db.unit_of_work, telegram_id=3, kecamatan_id=kec.id, status=UserStatus.DISABLED
    )
    with pytest.raises(InvalidInput, match="pengguna aktif"):
        _confirm(db, kec, admin, gone, "waktu")
    with pytest.raises(InvalidInput, match="terlalu singkat"):
        clean_kegiatan("Rapat")
    with pytest.raises(InvalidInput, match="terlalu panjang"):
        clean_kegiatan("x" * 301)


def test_the_period_argument_is_read_or_refused() -> None:
    assert SkmPeriod.parse(["2026", "tw3"], TODAY) == SkmPeriod(2026, "TW3")
    assert SkmPeriod.parse(["2025"], TODAY) == SkmPeriod(2025, "TAHUN")
    assert SkmPeriod.parse([], date(2026, 7, 1)) == SkmPeriod(2026, "S1")
    assert SkmPeriod.parse([], date(2026, 3, 1)) == SkmPeriod(2025, "S2")
    with pytest.raises(InvalidInput, match="S1, S2"):
        SkmPeriod.parse(["2026", "S3"], TODAY)
    with pytest.raises(InvalidInput, match="Tahun"):
        SkmPeriod.parse(["26"], TODAY)


# -- progress, done, cancel -----------------------------------------------------------------


def test_the_owner_reports_progress_then_finishes_on_time(
    db: InMemoryDatabase, kec: Kecamatan, admin: User, owner: User, survey: None
) -> None:
    item = _confirm(db, kec, admin, owner, "waktu")
    moved = committed(
        db,
        lambda uow: report_progress(
            uow,
            user=owner,
            item_id=item.id,
            version=item.version,
            note="Loket kedua dipasang",
            now=NOW,
        ),
    )
    assert moved.version == item.version + 1
    assert moved.is_open
    done = committed(
        db,
        lambda uow: complete_rtl(
            uow,
            user=owner,
            item_id=item.id,
            version=moved.version,
            note="Sudah berjalan",
            today=date(2026, 8, 31),
            now=NOW,
        ),
    )
    assert (done.status, done.done_on, done.on_time) == (RtlStatus.SELESAI, date(2026, 8, 31), True)
    notes = committed(db, lambda uow: uow.rtl.progress(item.id))
    assert [n.status for n in notes] == [RtlStatus.DIRENCANAKAN, RtlStatus.SELESAI]
    assert [a.action for a in db.committed.audit][-2:] == ["rtl_progress", "rtl_done"]


def test_an_old_version_or_a_closed_item_is_stale_and_writes_nothing(
    db: InMemoryDatabase, kec: Kecamatan, admin: User, owner: User, survey: None
) -> None:
    item = _confirm(db, kec, admin, owner, "waktu")
    committed(
        db,
        lambda uow: report_progress(
            uow, user=owner, item_id=item.id, version=1, note="Catatan pertama", now=NOW
        ),
    )
    with pytest.raises(StaleRtl):
        committed(
            db,
            lambda uow: report_progress(
                uow, user=owner, item_id=item.id, version=1, note="Catatan kedua", now=NOW
            ),
        )
    committed(
        db,
        lambda uow: cancel_rtl(
            uow, user=admin, item_id=item.id, version=2, reason="Anggaran tidak ada", now=NOW
        ),
    )
    with pytest.raises(StaleRtl):
        committed(
            db,
            lambda uow: complete_rtl(
                uow, user=owner, item_id=item.id, version=3, note="Sudah", today=TODAY, now=NOW
            ),
        )
    assert len(committed(db, lambda uow: uow.rtl.progress(item.id))) == 2


def test_someone_other_than_the_owner_may_not_report(
    db: InMemoryDatabase, kec: Kecamatan, admin: User, owner: User, survey: None
) -> None:
    item = _confirm(db, kec, admin, owner, "waktu")
    with pytest.raises(Forbidden, match="penanggung jawab"):
        committed(
            db,
            lambda uow: report_progress(
                uow, user=admin, item_id=item.id, version=1, note="Catatan admin", now=NOW
            ),
        )


# -- figures --------------------------------------------------------------------------------


def _item(status: RtlStatus, due: date, done_on: date | None = None) -> RtlItem:
    return RtlItem(
        1, 1, 2026, "S1", "waktu", "Kegiatan uji coba", 1, due, status, None, NOW, 1, done_on
    )


@pytest.mark.parametrize(
    ("done", "planned", "percent"),
    [(0, 1, "0.00"), (1, 3, "33.33"), (2, 3, "66.67"), (1, 8, "12.50"), (3, 3, "100.00")],
)
def test_the_share_done_is_exact_and_rounded_half_up(done: int, planned: int, percent: str) -> None:
    items = [_item(RtlStatus.SELESAI, date(2026, 8, 1), date(2026, 8, 1))] * done
    items += [_item(RtlStatus.DIRENCANAKAN, date(2026, 8, 1))] * (planned - done)
    items += [_item(RtlStatus.DIBATALKAN, date(2026, 8, 1))]  # counts nowhere
    figures = rtl_figures(items)
    assert (figures.planned, figures.done) == (planned, done)
    assert figures.percent == Decimal(percent)


def test_one_in_eight_done_late_is_half_up_and_on_time_counts_the_due_day() -> None:
    figures = rtl_figures(
        [
            _item(RtlStatus.SELESAI, date(2026, 8, 1), date(2026, 8, 1)),  # on the due day
            _item(RtlStatus.SELESAI, date(2026, 8, 1), date(2026, 8, 2)),  # a day late
        ]
    )
    assert (figures.on_time, figures.on_time_percent) == (1, Decimal("50.00"))
    assert figures.text == "2 dari 2 selesai (100,00%), 1 tepat waktu"
    # 1/8 = 12.5 exactly; 1/6 = 16.666... -> 16.67; 5/6 -> 83.33
    assert RtlFigures(6, 1, 0).percent == Decimal("16.67")
    assert RtlFigures(6, 5, 5).percent == Decimal("83.33")


def test_nothing_planned_says_so() -> None:
    figures = rtl_figures([_item(RtlStatus.DIBATALKAN, date(2026, 8, 1))])
    assert (figures.percent, figures.on_time_percent, figures.text) == (None, None, "belum ada RTL")


def test_the_report_rows_and_the_latest_period_and_the_overdue(
    db: InMemoryDatabase, kec: Kecamatan, admin: User, owner: User, survey: None
) -> None:
    sarana = _confirm(db, kec, admin, owner, "sarana")
    waktu = _confirm(db, kec, admin, owner, "waktu")
    committed(
        db,
        lambda uow: complete_rtl(
            uow,
            user=owner,
            item_id=waktu.id,
            version=1,
            note="Selesai",
            today=date(2026, 9, 2),
            now=NOW,
        ),
    )
    report = committed(db, lambda uow: rtl_report(uow, kecamatan_id=kec.id, skm_period=S1))
    assert [(r.unsur, r.penanggung_jawab, r.status, r.selesai_pada) for r in report.rows] == [
        ("U3 Waktu Penyelesaian", "Staf Pelayanan", "Selesai (terlambat)", date(2026, 9, 2)),
        ("U9 Sarana dan Prasarana", "Staf Pelayanan", "Direncanakan", None),
    ]
    assert report.figures == RtlFigures(2, 1, 0)
    latest = committed(db, lambda uow: latest_rtl_figures(uow, kec.id))
    assert latest == (S1, RtlFigures(2, 1, 0))
    overdue = committed(db, lambda uow: overdue_rtl(uow, kec.id, date(2026, 9, 1)))
    assert {k: [i.id for i in v] for k, v in overdue.items()} == {owner.id: [sarana.id]}
    assert committed(db, lambda uow: overdue_rtl(uow, kec.id, date(2026, 8, 31))) == {}


def test_the_latest_period_with_items_is_the_one_ending_last(
    db: InMemoryDatabase, kec: Kecamatan, admin: User, owner: User
) -> None:
    def add(tahun: int, bagian: str) -> None:
        def work(uow: UnitOfWork) -> None:
            item = RtlItem(
                0,
                kec.id,
                tahun,
                bagian,
                "waktu",
                "Kegiatan uji coba",
                owner.id,
                date(2027, 3, 1),
                RtlStatus.DIRENCANAKAN,
                admin.id,
                NOW,
            )
            assert uow.rtl.add(item) is not None

        committed(db, work)

    assert committed(db, lambda uow: latest_rtl_figures(uow, kec.id)) is None
    add(2026, "TW2")
    add(2025, "TAHUN")
    add(2026, "S1")  # ends with TW2; of the two, the one that began later is the latest
    latest = committed(db, lambda uow: latest_rtl_figures(uow, kec.id))
    assert latest is not None
    assert latest[0] == SkmPeriod(2026, "TW2")
    assert latest[1] == RtlFigures(1, 0, 0)


def test_a_report_period_maps_to_its_skm_period_when_it_is_one() -> None:
    assert SkmPeriod.of(Period.semester(2026, 2)) == SkmPeriod(2026, "S2")
    assert SkmPeriod.of(Period.quarter(2026, 3)) == SkmPeriod(2026, "TW3")
    assert SkmPeriod.of(Period.year(2025)) == SkmPeriod(2025, "TAHUN")
    assert SkmPeriod.of(Period.between(date(2026, 1, 1), date(2026, 2, 1))) is None
