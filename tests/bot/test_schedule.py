"""Schedules: day and time, cron with the usual day numbers, off; the last run in a window."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import SettingsError, load_settings
from bot.digest.schedule import ScheduleError, parse_schedule
from bot.digest.sender import reported_week
from domain.digest import IsoWeek

WIB = ZoneInfo("Asia/Jakarta")


def _next(text: str, after: datetime) -> datetime:
    plan = parse_schedule(text, WIB)
    assert plan is not None
    moment = plan.next_run(after)
    assert moment is not None
    return moment


@pytest.mark.parametrize(
    "text", ["senin 07:00", "Senin 07.00", "monday 7:00", "mon 07:00", "0 7 * * 1", "0 7 * * mon"]
)
def test_monday_seven_in_every_spelling(text: str) -> None:
    wednesday = datetime(2026, 11, 25, 10, 0, tzinfo=WIB)
    assert _next(text, wednesday) == datetime(2026, 11, 30, 7, 0, tzinfo=WIB)


def test_cron_day_numbers_mean_what_cron_means() -> None:
    wednesday = datetime(2026, 11, 25, 10, 0, tzinfo=WIB)
    assert _next("0 14 * * 5", wednesday) == datetime(2026, 11, 27, 14, 0, tzinfo=WIB)  # Friday
    assert _next("0 8 * * 0", wednesday) == datetime(2026, 11, 29, 8, 0, tzinfo=WIB)  # Sunday
    assert _next("0 8 * * 7", wednesday) == datetime(2026, 11, 29, 8, 0, tzinfo=WIB)  # Sunday
    assert _next("30 6 * * 1-5", wednesday) == datetime(2026, 11, 26, 6, 30, tzinfo=WIB)


def test_the_schedule_describes_itself() -> None:
    plan = parse_schedule("jumat 14:00", WIB)
    assert plan is not None
    assert plan.text == "setiap Jumat pukul 14.00"


@pytest.mark.parametrize("text", ["nonaktif", "mati", "OFF", " - "])
def test_a_schedule_can_be_off(text: str) -> None:
    assert parse_schedule(text, WIB) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("senen 07:00", "hari 'senen' tidak dikenal"),
        ("senin 24:00", "jam 24:00 tidak ada"),
        ("setiap minggu", "tidak dikenali"),
        ("0 7 * *", "tidak dikenali"),
        ("0 25 * * 1", "tidak sah"),
        ("0 7 * * 8", "hari 8 tidak ada"),
        ("0 7 * * */2", "langkah"),
    ],
)
def test_bad_schedules_are_explained(text: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_schedule(text, WIB)


def test_a_bad_schedule_stops_the_settings_with_its_name() -> None:
    with pytest.raises(SettingsError, match="DIGEST_SCHEDULE: hari 'senen' tidak dikenal"):
        load_settings(digest_schedule="senen 07:00")


def test_the_last_run_within_a_window() -> None:
    plan = parse_schedule("senin 07:00", WIB)
    assert plan is not None
    monday = datetime(2026, 11, 30, 7, 0, tzinfo=WIB)
    window = timedelta(days=2, hours=1)
    assert plan.last_run(monday, window) == monday
    assert plan.last_run(monday - timedelta(seconds=1), window) is None
    assert plan.last_run(monday + timedelta(days=2), window) == monday
    assert plan.last_run(monday + timedelta(days=3), window) is None


def test_a_monday_digest_reports_the_week_that_ended() -> None:
    assert reported_week(datetime(2026, 11, 30, 7, 0, tzinfo=WIB)) == IsoWeek(2026, 48)
    assert reported_week(datetime(2026, 12, 4, 16, 0, tzinfo=WIB)) == IsoWeek(2026, 48)
    assert reported_week(datetime(2027, 1, 4, 7, 0, tzinfo=WIB)) == IsoWeek(2026, 53)
