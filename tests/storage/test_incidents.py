"""Incidents: tracking numbers, status changes with history, photos, nil reports, counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from domain.models import (
    Desa,
    Incident,
    IncidentKind,
    IncidentStatus,
    Kecamatan,
    KonflikStage,
    NilReport,
    Role,
    User,
)
from domain.ports import HandlingCounts, UnitOfWork
from storage.tables import IncidentPhotoRow
from tests.factories import make_incident, store_user
from tests.storage.builders import captured_statements, jakarta, utc

KS = IncidentKind.KONFLIK
TB = IncidentKind.TRANTIBUM
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def _add(uow_factory: Callable[[], UnitOfWork], *incidents: Incident) -> list[Incident]:
    with uow_factory() as uow:
        stored = [uow.incidents.add(i) for i in incidents]
        uow.commit()
    return stored


def _get(uow_factory: Callable[[], UnitOfWork], nomor: str) -> Incident:
    with uow_factory() as uow:
        incident = uow.incidents.get_by_nomor(nomor)
    assert incident is not None
    return incident


def _move(
    uow_factory: Callable[[], UnitOfWork],
    incident: Incident,
    to_status: IncidentStatus,
    *,
    day: int = 10,
    expected_version: int | None = None,
    photo: str | None = None,
) -> Incident | None:
    with uow_factory() as uow:
        moved = uow.incidents.change_status(
            incident.id,
            to_status=to_status,
            note=f"menjadi {to_status.value}",
            user_id=None,
            at=jakarta(2026, 3, day, 14),
            expected_version=incident.version if expected_version is None else expected_version,
            photo_file_id=photo,
        )
        uow.commit()
    return moved


def _officer(uow_factory: Callable[[], UnitOfWork], desa: Desa) -> User:
    return store_user(
        uow_factory,
        Role.PERANGKAT_DESA,
        telegram_id=555_000_111,
        nama="Moh. Hasan",
        jabatan="Kasi Trantib Desa",
        kecamatan_id=desa.kecamatan_id,
        desa_id=desa.id,
    )


# --- tracking numbers ----------------------------------------------------------------------


def test_tracking_numbers_are_allocated_independently_per_kind(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    stored = _add(
        uow_factory,
        make_incident(desa[0], kind=KS),
        make_incident(desa[1], kind=KS),
        make_incident(desa[2], kind=TB, category="keributan"),
    )
    assert [i.nomor for i in stored] == [
        "KS-352808-2026-0001",
        "KS-352808-2026-0002",
        "TB-352808-2026-0001",
    ]


def test_tracking_numbers_continue_in_a_later_unit_of_work(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    _add(uow_factory, make_incident(desa[0], kind=TB), make_incident(desa[0], kind=TB))
    (third,) = _add(uow_factory, make_incident(desa[0], kind=TB))
    assert third.nomor == "TB-352808-2026-0003"


def test_the_year_of_the_number_is_the_year_of_receipt_in_jakarta(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    last_minute_of_2026 = utc(2026, 12, 31, 16, 59)  # 23:59 in Jakarta
    already_2027 = utc(2026, 12, 31, 18, 0)  # 01:00 on 1 January 2027 in Jakarta
    stored = _add(
        uow_factory,
        make_incident(desa[0], received_at=last_minute_of_2026, event_date=date(2026, 12, 31)),
        make_incident(desa[0], received_at=already_2027, event_date=date(2026, 12, 31)),
        make_incident(desa[0], received_at=jakarta(2027, 1, 2), event_date=date(2027, 1, 2)),
    )
    assert [i.nomor for i in stored] == [
        "KS-352808-2026-0001",
        "KS-352808-2027-0001",
        "KS-352808-2027-0002",
    ]


def test_the_year_of_the_number_does_not_come_from_the_event_date(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    (late,) = _add(
        uow_factory,
        make_incident(desa[0], event_date=date(2025, 12, 28), received_at=jakarta(2026, 1, 3)),
    )
    assert late.nomor == "KS-352808-2026-0001"
    assert late.event_date == date(2025, 12, 28)


def test_a_rolled_back_incident_leaves_no_gap_in_the_numbers(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    _add(uow_factory, make_incident(desa[0]))
    with uow_factory() as uow:
        assert uow.incidents.add(make_incident(desa[0])).nomor == "KS-352808-2026-0002"
    (next_one,) = _add(uow_factory, make_incident(desa[0]))
    assert next_one.nomor == "KS-352808-2026-0002"


# --- reading back --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["KS-352808-2026-0001", "ks-352808-2026-0001", "  Ks-352808-2026-0001 "]
)
def test_an_incident_is_found_by_its_number_whatever_the_case(
    typed: str, desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    (stored,) = _add(uow_factory, make_incident(desa[0]))
    assert _get(uow_factory, typed) == stored


def test_an_unknown_number_finds_nothing(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    _add(uow_factory, make_incident(desa[0]))
    with uow_factory() as uow:
        assert uow.incidents.get_by_nomor("KS-352808-2026-0002") is None
        assert uow.incidents.get_by_nomor("TB-352808-2026-0001") is None


def test_every_field_of_a_report_is_kept(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    reporter = _officer(uow_factory, desa[3])
    report = Incident(
        id=0,
        nomor="",
        kind=KS,
        kecamatan_id=desa[3].kecamatan_id,
        desa_id=desa[3].id,
        event_date=date(2026, 2, 27),
        received_at=jakarta(2026, 3, 1, 7, 45),
        category="lainnya",
        category_detail="Perebutan sumber air",
        description="Dua dusun berselisih soal giliran air sawah",
        status=IncidentStatus.TERTANGANI,  # ignored: a new report is always BARU
        reporter_id=reporter.id,
        stage=KonflikStage.POTENSI,
        latitude=-7.0951234,
        longitude=113.5812345,
        photo_file_ids=("AgACAgUAAxkBAAIB", "AgACAgUAAxkBAAIC"),
    )
    (stored,) = _add(uow_factory, report)
    read = _get(uow_factory, stored.nomor)
    assert read == stored
    assert read.id > 0
    assert read.status is IncidentStatus.BARU
    assert read.version == 1
    assert read.handled_at is None
    assert read.reporter_id == reporter.id
    assert read.kecamatan_id == desa[3].kecamatan_id
    assert read.desa_id == desa[3].id
    assert read.event_date == date(2026, 2, 27)
    assert read.received_at == jakarta(2026, 3, 1, 7, 45)
    assert (read.category, read.category_detail) == ("lainnya", "Perebutan sumber air")
    assert read.description == "Dua dusun berselisih soal giliran air sawah"
    assert read.stage is KonflikStage.POTENSI
    assert read.latitude == pytest.approx(-7.0951234)
    assert read.longitude == pytest.approx(113.5812345)
    assert read.photo_file_ids == ("AgACAgUAAxkBAAIB", "AgACAgUAAxkBAAIC")


def test_a_new_incident_gets_its_first_history_entry(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    reporter = _officer(uow_factory, desa[0])
    received = jakarta(2026, 3, 2, 10, 15)
    (stored,) = _add(
        uow_factory, make_incident(desa[0], received_at=received, reporter_id=reporter.id)
    )
    with uow_factory() as uow:
        history = uow.incidents.history(stored.id)
    assert len(history) == 1
    (first,) = history
    assert first.incident_id == stored.id
    assert first.from_status is None
    assert first.to_status is IncidentStatus.BARU
    assert first.user_id == reporter.id
    assert first.created_at == received
    assert first.photo_file_id is None
    assert first.note


# --- status changes ------------------------------------------------------------------------


def test_a_status_change_with_the_current_version_moves_the_status_and_bumps_the_version(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    (stored,) = _add(uow_factory, make_incident(desa[0]))
    moved = _move(uow_factory, stored, IncidentStatus.DIPROSES)
    assert moved is not None
    assert moved.status is IncidentStatus.DIPROSES
    assert moved.version == 2
    assert moved.handled_at is None
    assert _get(uow_factory, stored.nomor) == moved


def test_the_history_records_every_change_in_order(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    (stored,) = _add(uow_factory, make_incident(desa[0]))
    step = _move(uow_factory, stored, IncidentStatus.DIPROSES, day=3)
    assert step is not None
    step = _move(uow_factory, step, IncidentStatus.TERTANGANI, day=5)
    assert step is not None
    step = _move(uow_factory, step, IncidentStatus.DIPROSES, day=7)
    assert step is not None
    with uow_factory() as uow:
        history = uow.incidents.history(stored.id)
    assert [(e.from_status, e.to_status) for e in history] == [
        (None, IncidentStatus.BARU),
        (IncidentStatus.BARU, IncidentStatus.DIPROSES),
        (IncidentStatus.DIPROSES, IncidentStatus.TERTANGANI),
        (IncidentStatus.TERTANGANI, IncidentStatus.DIPROSES),
    ]
    assert [e.created_at for e in history][1:] == [
        jakarta(2026, 3, 3, 14),
        jakarta(2026, 3, 5, 14),
        jakarta(2026, 3, 7, 14),
    ]
    assert [e.note for e in history][1:] == [
        "menjadi diproses",
        "menjadi tertangani",
        "menjadi diproses",
    ]
    assert step.version == 4


def test_handled_at_is_set_only_when_handled_and_cleared_when_reopened(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    (stored,) = _add(uow_factory, make_incident(desa[0]))
    in_progress = _move(uow_factory, stored, IncidentStatus.DIPROSES, day=3)
    assert in_progress is not None
    assert in_progress.handled_at is None
    handled = _move(uow_factory, in_progress, IncidentStatus.TERTANGANI, day=5)
    assert handled is not None
    assert handled.handled_at == jakarta(2026, 3, 5, 14)
    assert _get(uow_factory, stored.nomor).handled_at == jakarta(2026, 3, 5, 14)
    reopened = _move(uow_factory, handled, IncidentStatus.DIPROSES, day=7)
    assert reopened is not None
    assert reopened.handled_at is None
    assert _get(uow_factory, stored.nomor).handled_at is None


def test_a_stale_version_returns_none_and_changes_nothing(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    (stored,) = _add(uow_factory, make_incident(desa[0]))
    moved = _move(uow_factory, stored, IncidentStatus.DIPROSES)
    assert moved is not None
    stale = _move(
        uow_factory, stored, IncidentStatus.TERTANGANI, expected_version=1, photo="bukti-1"
    )
    assert stale is None
    assert _get(uow_factory, stored.nomor) == moved
    with uow_factory() as uow:
        assert len(uow.incidents.history(stored.id)) == 2


def test_of_two_officers_reading_the_same_version_only_the_first_change_wins(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    (stored,) = _add(uow_factory, make_incident(desa[0]))
    with uow_factory() as slow:
        seen = slow.incidents.get_by_nomor(stored.nomor)
        assert seen is not None
        assert _move(uow_factory, seen, IncidentStatus.TERTANGANI) is not None
        late = slow.incidents.change_status(
            seen.id,
            to_status=IncidentStatus.DIPROSES,
            note="terlambat",
            user_id=None,
            at=jakarta(2026, 3, 11),
            expected_version=seen.version,
        )
        assert late is None
        slow.commit()
    final = _get(uow_factory, stored.nomor)
    assert final.status is IncidentStatus.TERTANGANI
    assert final.version == 2


def test_changing_an_unknown_incident_returns_none(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        moved = uow.incidents.change_status(
            999_999,
            to_status=IncidentStatus.DIPROSES,
            note="-",
            user_id=None,
            at=jakarta(2026, 3, 3),
            expected_version=1,
        )
    assert moved is None


def test_report_photos_and_the_proof_photo_are_kept_apart(
    desa: list[Desa],
    uow_factory: Callable[[], UnitOfWork],
    session_factory: sessionmaker[Session],
) -> None:
    (stored,) = _add(uow_factory, make_incident(desa[0], photos=("foto-1", "foto-2", "foto-3")))
    handled = _move(uow_factory, stored, IncidentStatus.TERTANGANI, photo="bukti-1")
    assert handled is not None
    assert handled.photo_file_ids == ("foto-1", "foto-2", "foto-3")
    assert _get(uow_factory, stored.nomor).photo_file_ids == ("foto-1", "foto-2", "foto-3")
    with uow_factory() as uow:
        history = uow.incidents.history(stored.id)
    assert [e.photo_file_id for e in history] == [None, "bukti-1"]
    with session_factory() as session:
        photos = session.execute(
            select(col(IncidentPhotoRow.file_id), col(IncidentPhotoRow.purpose))
            .where(col(IncidentPhotoRow.incident_id) == stored.id)
            .order_by(col(IncidentPhotoRow.id))
        ).all()
    assert [tuple(p) for p in photos] == [
        ("foto-1", "laporan"),
        ("foto-2", "laporan"),
        ("foto-3", "laporan"),
        ("bukti-1", "bukti"),
    ]


# --- handling counts -----------------------------------------------------------------------


@pytest.fixture
def march(
    desa: list[Desa], pademawu_desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> dict[str, Incident]:
    """Incidents around March 2026, some handled, in both kecamatan and of both kinds."""
    late_receipt = jakarta(2026, 4, 20)  # received long after: the event date counts
    specs = {
        "before": make_incident(
            desa[0], event_date=date(2026, 2, 28), received_at=jakarta(2026, 3, 1)
        ),
        "first_day": make_incident(desa[1], event_date=date(2026, 3, 1), received_at=late_receipt),
        "middle": make_incident(desa[2], event_date=date(2026, 3, 15)),
        "reopened": make_incident(desa[3], event_date=date(2026, 3, 20)),
        "last_day": make_incident(desa[4], event_date=date(2026, 3, 31), received_at=late_receipt),
        "after": make_incident(desa[5], event_date=date(2026, 4, 1)),
        "trantibum": make_incident(desa[6], kind=TB, event_date=date(2026, 3, 15)),
        "elsewhere": make_incident(pademawu_desa[0], event_date=date(2026, 3, 15)),
    }
    stored = dict(zip(specs, _add(uow_factory, *specs.values()), strict=True))
    for key in ("before", "first_day", "last_day", "after", "trantibum", "elsewhere"):
        assert _move(uow_factory, stored[key], IncidentStatus.TERTANGANI) is not None
    assert _move(uow_factory, stored["middle"], IncidentStatus.DIPROSES) is not None
    handled = _move(uow_factory, stored["reopened"], IncidentStatus.TERTANGANI)
    assert handled is not None
    assert _move(uow_factory, handled, IncidentStatus.DIPROSES) is not None
    return stored


def _by_status(
    uow: UnitOfWork, kecamatan_id: int, kind: IncidentKind, start: date, end: date
) -> dict[str, int]:
    return uow.incidents.status_counts([kecamatan_id], start, end).get((kecamatan_id, kind), {})


def _handling(
    uow: UnitOfWork, kecamatan_id: int, kind: IncidentKind, start: date, end: date
) -> HandlingCounts:
    return HandlingCounts.from_statuses(_by_status(uow, kecamatan_id, kind, start, end))


def test_handling_counts_count_by_event_date_inclusive_at_both_ends(
    larangan: Kecamatan, march: dict[str, Incident], uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        counts = _handling(uow, larangan.id, KS, *MARCH)
    # first_day, middle, reopened, last_day; handled: first_day and last_day.
    assert counts == HandlingCounts(total=4, handled=2)


def test_counts_by_status_cover_the_same_incidents(
    larangan: Kecamatan, march: dict[str, Incident], uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        counts = _by_status(uow, larangan.id, KS, *MARCH)
    assert counts == {"tertangani": 2, "diproses": 2}


def test_a_single_day_range_counts_the_incidents_of_that_day(
    larangan: Kecamatan, march: dict[str, Incident], uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        first = _handling(uow, larangan.id, KS, date(2026, 3, 1), date(2026, 3, 1))
        last = _handling(uow, larangan.id, KS, date(2026, 3, 31), date(2026, 3, 31))
    assert first == HandlingCounts(total=1, handled=1)
    assert last == HandlingCounts(total=1, handled=1)


def test_handling_counts_are_kept_per_kind(
    larangan: Kecamatan, march: dict[str, Incident], uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        assert _handling(uow, larangan.id, TB, *MARCH) == HandlingCounts(1, 1)
        assert _by_status(uow, larangan.id, TB, *MARCH) == {"tertangani": 1}


def test_handling_counts_are_kept_per_kecamatan(
    pademawu: Kecamatan, march: dict[str, Incident], uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        assert _handling(uow, pademawu.id, KS, *MARCH) == HandlingCounts(1, 1)
        assert _handling(uow, pademawu.id, TB, *MARCH) == HandlingCounts(0, 0)


def test_only_tertangani_counts_as_handled(
    larangan: Kecamatan, desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    fresh, in_progress, handled = _add(
        uow_factory, make_incident(desa[0]), make_incident(desa[1]), make_incident(desa[2])
    )
    assert fresh.status is IncidentStatus.BARU
    assert _move(uow_factory, in_progress, IncidentStatus.DIPROSES) is not None
    assert _move(uow_factory, handled, IncidentStatus.TERTANGANI) is not None
    with uow_factory() as uow:
        counts = _handling(uow, larangan.id, KS, *MARCH)
        by_status = _by_status(uow, larangan.id, KS, *MARCH)
    assert counts == HandlingCounts(total=3, handled=1)
    assert by_status == {"baru": 1, "diproses": 1, "tertangani": 1}


def test_an_empty_range_counts_zero(
    larangan: Kecamatan, march: dict[str, Incident], uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        counts = _handling(uow, larangan.id, KS, date(2025, 1, 1), date(2025, 12, 31))
        by_status = _by_status(uow, larangan.id, KS, date(2025, 1, 1), date(2025, 12, 31))
    assert counts == HandlingCounts(total=0, handled=0)
    assert by_status == {}


def test_status_counts_of_several_kecamatan_are_one_grouped_query(
    larangan: Kecamatan,
    pademawu: Kecamatan,
    march: dict[str, Incident],
    uow_factory: Callable[[], UnitOfWork],
    engine: Engine,
) -> None:
    with uow_factory() as uow:
        uow.desa.list_by_kecamatan(larangan.id)  # the connection is checked out already
        with captured_statements(engine) as statements:
            both = uow.incidents.status_counts([larangan.id, pademawu.id], *MARCH)
        alone = {
            kec_id: uow.incidents.status_counts([kec_id], *MARCH)
            for kec_id in (larangan.id, pademawu.id)
        }
        assert uow.incidents.status_counts([], *MARCH) == {}
    assert both == {**alone[larangan.id], **alone[pademawu.id]}
    assert both == {
        (larangan.id, KS): {"tertangani": 2, "diproses": 2},
        (larangan.id, TB): {"tertangani": 1},
        (pademawu.id, KS): {"tertangani": 1},
    }
    assert len(statements.sql) == 1
    (sql,) = statements.sql
    assert sql.lstrip().upper().startswith("SELECT")
    assert "count(" in sql.lower()
    assert "group by" in sql.lower()
    if engine.dialect.name == "postgresql":
        assert statements.rowcounts == [4]  # one row per kecamatan, kind and status


# --- nil reports ---------------------------------------------------------------------------


def test_a_nil_report_is_accepted_once_per_desa_and_iso_week(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    at = jakarta(2026, 3, 6)
    with uow_factory() as uow:
        assert uow.incidents.add_nil_report(NilReport(desa[0].id, 2026, 10, None, at))
        assert not uow.incidents.add_nil_report(NilReport(desa[0].id, 2026, 10, None, at))
        assert uow.incidents.add_nil_report(NilReport(desa[0].id, 2026, 11, None, at))
        assert uow.incidents.add_nil_report(NilReport(desa[1].id, 2026, 10, None, at))
        assert uow.incidents.add_nil_report(NilReport(desa[0].id, 2027, 10, None, at))
        uow.commit()
    with uow_factory() as uow:
        assert not uow.incidents.add_nil_report(NilReport(desa[0].id, 2026, 10, None, at))
        assert not uow.incidents.add_nil_report(NilReport(desa[1].id, 2026, 10, None, at))
        assert uow.incidents.add_nil_report(NilReport(desa[1].id, 2026, 11, None, at))


def test_a_refused_nil_report_does_not_spoil_the_rest_of_the_unit_of_work(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    reporter = _officer(uow_factory, desa[0])
    at = jakarta(2026, 3, 6)
    with uow_factory() as uow:
        assert uow.incidents.add_nil_report(NilReport(desa[0].id, 2026, 10, reporter.id, at))
        uow.commit()
    with uow_factory() as uow:
        assert not uow.incidents.add_nil_report(NilReport(desa[0].id, 2026, 10, reporter.id, at))
        stored = uow.incidents.add(make_incident(desa[0], reporter_id=reporter.id))
        uow.commit()
    assert _get(uow_factory, stored.nomor) == stored
