"""The reminder rules: when a week's reminders are due, who is reminded of what."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.digest import IsoWeek
from domain.models import (
    Desa,
    Incident,
    IncidentKind,
    IncidentStatus,
    Role,
    Seksi,
    User,
    UserStatus,
)
from domain.reminders import (
    OverdueCase,
    OverdueReminder,
    due_week,
    nihil_reminders,
    overdue_reminders,
)
from tests.factories import make_desa, make_incident, make_user

WIB = ZoneInfo("Asia/Jakarta")
GRACE = timedelta(days=2)
FRIDAY_14 = datetime(2026, 11, 27, 14, 0, tzinfo=WIB)  # ISO week 2026-W48 (23-29 Nov)
W48 = IsoWeek(2026, 48)

PELTONG = make_desa(id=11, kode="35.28.08.2001", kode_bps="3528040001", nama="Peltong")
MONTOK = make_desa(id=12, kode="35.28.08.2010", kode_bps="3528040010", nama="Montok")
TRASAK = make_desa(id=13, kode="35.28.08.2003", kode_bps="3528040003", nama="Trasak")
ELSEWHERE = make_desa(  # another kecamatan
    id=99, kecamatan_id=2, kode="35.28.09.2001", kode_bps="3528050001", nama="Murtajih"
)
DESA = [PELTONG, MONTOK, TRASAK]
DESA_BY_ID = {d.id: d for d in DESA}


def person(
    user_id: int,
    role: Role,
    *,
    seksi: Seksi | None = None,
    desa: Desa | None = None,
    status: UserStatus = UserStatus.ACTIVE,
) -> User:
    return make_user(
        role,
        id=user_id,
        telegram_id=500000 + user_id,
        nama=f"Pengguna {user_id}",
        jabatan="Staf",
        status=status,
        kecamatan_id=1,
        seksi=seksi,
        desa_id=desa.id if desa else None,
    )


def case(
    number: int,
    kind: IncidentKind,
    *,
    days: float,
    desa: Desa = PELTONG,
    status: IncidentStatus = IncidentStatus.BARU,
) -> Incident:
    """A case received ``days`` before Friday 14:00."""
    return make_incident(
        desa,
        id=number,
        nomor=f"{kind.prefix}-352808-2026-{number:04d}",
        kind=kind,
        kecamatan_id=1,
        event_date=date(2026, 11, 1),
        received_at=FRIDAY_14 - timedelta(days=days),
        category="lainnya",
        description="Kejadian untuk pengujian pengingat",
        status=status,
    )


# --- when the reminders of a scheduled moment are due ------------------------------------


def test_nothing_is_due_without_a_scheduled_moment() -> None:
    assert due_week(None, FRIDAY_14, GRACE, WIB) is None


@pytest.mark.parametrize(
    "now",
    [
        FRIDAY_14,
        FRIDAY_14 + timedelta(minutes=5),
        datetime(2026, 11, 28, 9, 0, tzinfo=WIB),  # Saturday: catching up after downtime
        FRIDAY_14 + GRACE,  # Sunday 14:00: the last moment of the grace period
    ],
)
def test_the_week_of_the_moment_is_due_within_the_grace_period(now: datetime) -> None:
    week = due_week(FRIDAY_14, now, GRACE, WIB)
    assert week == W48
    assert week is not None
    assert week.key == "2026-W48"


def test_nothing_is_due_after_the_grace_period() -> None:
    assert due_week(FRIDAY_14, FRIDAY_14 + GRACE + timedelta(minutes=1), GRACE, WIB) is None
    one_day = timedelta(days=1)
    assert due_week(FRIDAY_14, FRIDAY_14 + timedelta(hours=25), one_day, WIB) is None


def test_nothing_is_due_once_the_office_clock_is_in_the_next_week() -> None:
    # Saturday 14:00 with five days of grace would reach Thursday: the week has changed.
    saturday = datetime(2026, 11, 28, 14, 0, tzinfo=WIB)
    five_days = timedelta(days=5)
    assert due_week(saturday, datetime(2026, 11, 29, 23, 59, tzinfo=WIB), five_days, WIB) == W48
    assert due_week(saturday, datetime(2026, 11, 30, 0, 0, tzinfo=WIB), five_days, WIB) is None


def test_a_moment_in_the_future_is_not_due() -> None:
    assert due_week(FRIDAY_14, FRIDAY_14 - timedelta(seconds=1), GRACE, WIB) is None


def test_weeks_are_read_on_the_office_clock_not_in_utc() -> None:
    # Monday 00:30 in Jakarta is still Sunday 17:30 in UTC: the week is the Monday's.
    monday = datetime(2026, 11, 30, 0, 30, tzinfo=WIB).astimezone(UTC)
    assert due_week(monday, monday + timedelta(hours=1), GRACE, WIB) == IsoWeek(2026, 49)


# --- perangkat desa without a report or a nil report ---------------------------------------


def test_every_active_perangkat_desa_of_a_silent_desa_is_reminded() -> None:
    sekdes = person(1, Role.PERANGKAT_DESA, desa=PELTONG)
    kaur = person(2, Role.PERANGKAT_DESA, desa=PELTONG)
    montok = person(3, Role.PERANGKAT_DESA, desa=MONTOK)
    due = nihil_reminders(
        W48, desa=DESA, perangkat=[sekdes, kaur, montok], reported=set(), nil=set()
    )
    assert [(r.user.id, r.desa.nama, r.week) for r in due] == [
        (1, "Peltong", W48),
        (2, "Peltong", W48),
        (3, "Montok", W48),
    ]


def test_a_desa_with_a_report_or_a_nil_report_is_not_reminded() -> None:
    peltong = person(1, Role.PERANGKAT_DESA, desa=PELTONG)
    montok = person(2, Role.PERANGKAT_DESA, desa=MONTOK)
    trasak = person(3, Role.PERANGKAT_DESA, desa=TRASAK)
    due = nihil_reminders(
        W48,
        desa=DESA,
        perangkat=[peltong, montok, trasak],
        reported={PELTONG.id},
        nil={MONTOK.id},
    )
    assert [r.user.id for r in due] == [3]


@pytest.mark.parametrize("status", [UserStatus.PENDING, UserStatus.DISABLED, UserStatus.REJECTED])
def test_users_who_are_not_active_are_never_reminded(status: UserStatus) -> None:
    user = person(1, Role.PERANGKAT_DESA, desa=PELTONG, status=status)
    assert nihil_reminders(W48, desa=DESA, perangkat=[user], reported=set(), nil=set()) == []


def test_only_perangkat_desa_of_this_kecamatans_desa_get_the_nil_reminder() -> None:
    staff = person(1, Role.STAF_SEKSI, seksi=Seksi.KESBANG)
    admin_with_desa = replace(person(2, Role.ADMIN), desa_id=PELTONG.id)
    no_desa = person(3, Role.PERANGKAT_DESA)
    other_kecamatan = person(4, Role.PERANGKAT_DESA, desa=ELSEWHERE)
    users = [staff, admin_with_desa, no_desa, other_kecamatan]
    assert nihil_reminders(W48, desa=DESA, perangkat=users, reported=set(), nil=set()) == []


# --- overdue cases for the seksi staff (or the admins) -----------------------------------


def _numbers(cases: tuple[OverdueCase, ...]) -> list[tuple[str, str, int]]:
    return [(c.incident.nomor, c.desa.nama, c.days_open) for c in cases]


def test_overdue_cases_go_to_the_staff_of_the_responsible_seksi() -> None:
    kesbang = person(1, Role.STAF_SEKSI, seksi=Seksi.KESBANG)
    trantib = person(2, Role.STAF_SEKSI, seksi=Seksi.TRANTIB)
    pelayanan = person(3, Role.STAF_SEKSI, seksi=Seksi.PELAYANAN)
    admin = person(4, Role.ADMIN)
    cases = [
        case(1, IncidentKind.KONFLIK, days=10, desa=MONTOK),
        case(2, IncidentKind.TRANTIBUM, days=8.5),
        case(3, IncidentKind.KONFLIK, days=12),
    ]
    due = overdue_reminders(
        cases,
        desa=DESA_BY_ID,
        staff=[kesbang, trantib, pelayanan],
        admins=[admin],
        now=FRIDAY_14,
        overdue_days=7,
    )
    assert [(r.user.id, _numbers(r.cases)) for r in due] == [
        (1, [("KS-352808-2026-0003", "Peltong", 12), ("KS-352808-2026-0001", "Montok", 10)]),
        (2, [("TB-352808-2026-0002", "Peltong", 8)]),
    ]


def test_without_active_staff_in_the_seksi_the_active_admins_get_the_cases() -> None:
    kesbang = person(1, Role.STAF_SEKSI, seksi=Seksi.KESBANG)
    trantib_disabled = person(2, Role.STAF_SEKSI, seksi=Seksi.TRANTIB, status=UserStatus.DISABLED)
    camat = person(3, Role.ADMIN)
    sekcam = person(4, Role.ADMIN)
    pending_admin = person(5, Role.ADMIN, status=UserStatus.PENDING)
    cases = [case(1, IncidentKind.KONFLIK, days=9), case(2, IncidentKind.TRANTIBUM, days=9)]
    due = overdue_reminders(
        cases,
        desa=DESA_BY_ID,
        staff=[kesbang, trantib_disabled],
        admins=[camat, sekcam, pending_admin],
        now=FRIDAY_14,
        overdue_days=7,
    )
    assert [(r.user.id, [c.incident.nomor for c in r.cases]) for r in due] == [
        (1, ["KS-352808-2026-0001"]),
        (3, ["TB-352808-2026-0002"]),
        (4, ["TB-352808-2026-0002"]),
    ]


def test_an_admin_routed_both_kinds_gets_one_reminder_with_both() -> None:
    admin = person(1, Role.ADMIN)
    cases = [case(1, IncidentKind.TRANTIBUM, days=20), case(2, IncidentKind.KONFLIK, days=8)]
    [only] = overdue_reminders(
        cases, desa=DESA_BY_ID, staff=[], admins=[admin], now=FRIDAY_14, overdue_days=7
    )
    assert [c.incident.nomor for c in only.cases] == ["KS-352808-2026-0002", "TB-352808-2026-0001"]
    assert [c.incident.nomor for c in only.of_kind(IncidentKind.TRANTIBUM)] == [
        "TB-352808-2026-0001"
    ]


def test_nobody_with_nothing_overdue_gets_a_reminder() -> None:
    kesbang = person(1, Role.STAF_SEKSI, seksi=Seksi.KESBANG)
    trantib = person(2, Role.STAF_SEKSI, seksi=Seksi.TRANTIB)
    cases = [
        case(1, IncidentKind.KONFLIK, days=7),  # exactly the limit: not yet overdue
        case(2, IncidentKind.KONFLIK, days=30, status=IncidentStatus.TERTANGANI),
        case(3, IncidentKind.TRANTIBUM, days=8, status=IncidentStatus.DIPROSES),
    ]
    due = overdue_reminders(
        cases,
        desa=DESA_BY_ID,
        staff=[kesbang, trantib],
        admins=[],
        now=FRIDAY_14,
        overdue_days=7,
    )
    assert [(r.user.id, [c.incident.nomor for c in r.cases]) for r in due] == [
        (2, ["TB-352808-2026-0003"])
    ]


def test_the_limit_is_the_configured_number_of_days() -> None:
    kesbang = person(1, Role.STAF_SEKSI, seksi=Seksi.KESBANG)
    cases = [case(1, IncidentKind.KONFLIK, days=4)]

    def with_limit(days: int) -> list[OverdueReminder]:
        return overdue_reminders(
            cases, desa=DESA_BY_ID, staff=[kesbang], admins=[], now=FRIDAY_14, overdue_days=days
        )

    assert with_limit(7) == []
    [due] = with_limit(3)
    assert due.cases[0].days_open == 4


def test_cases_of_a_desa_outside_the_kecamatan_are_left_out() -> None:
    kesbang = person(1, Role.STAF_SEKSI, seksi=Seksi.KESBANG)
    cases = [case(1, IncidentKind.KONFLIK, days=9, desa=ELSEWHERE)]
    due = overdue_reminders(
        cases, desa=DESA_BY_ID, staff=[kesbang], admins=[], now=FRIDAY_14, overdue_days=7
    )
    assert due == []
