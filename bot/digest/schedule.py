"""When the digest and the reminders go out: a day and time, or a cron expression.

``senin 07:00`` (Indonesian or English day names, ``07.00`` also accepted) or five
cron fields ``0 7 * * 1`` with the usual cron meaning of the day of week (0 and 7
are Sunday; APScheduler counts from Monday, so numbers are translated to names).
``nonaktif`` turns a schedule off. Times are on the office's clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

__all__ = ["Schedule", "ScheduleError", "parse_schedule", "DAY_NAMES"]

DAY_NAMES: Final = {
    "senin": "mon",
    "selasa": "tue",
    "rabu": "wed",
    "kamis": "thu",
    "jumat": "fri",
    "jum'at": "fri",
    "sabtu": "sat",
    "minggu": "sun",
    "ahad": "sun",
    "mon": "mon",
    "monday": "mon",
    "tue": "tue",
    "tuesday": "tue",
    "wed": "wed",
    "wednesday": "wed",
    "thu": "thu",
    "thursday": "thu",
    "fri": "fri",
    "friday": "fri",
    "sat": "sat",
    "saturday": "sat",
    "sun": "sun",
    "sunday": "sun",
}
_CRON_DAYS: Final = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LABELS: Final = {
    "mon": "Senin",
    "tue": "Selasa",
    "wed": "Rabu",
    "thu": "Kamis",
    "fri": "Jumat",
    "sat": "Sabtu",
    "sun": "Minggu",
}
_DAY_TIME = re.compile(r"^([a-z']+)\s*,?\s+(\d{1,2})[:.](\d{2})$")
_OFF: Final = frozenset({"nonaktif", "mati", "off", "tidak", "-"})
# Enough to find the last run of a weekly schedule within any grace period; a
# schedule that fires every minute needs at most this many steps per look-up.
_MAX_STEPS: Final = 20_000


class ScheduleError(ValueError):
    """A schedule that cannot be understood (the message is Indonesian)."""


@dataclass(frozen=True)
class Schedule:
    """A cron trigger on the office clock, and how to describe it."""

    trigger: CronTrigger
    text: str

    def last_run(self, now: datetime, lookback: timedelta) -> datetime | None:
        """The latest scheduled moment in (now - lookback, now], or None."""
        cursor = now - lookback
        last: datetime | None = None
        for _ in range(_MAX_STEPS):
            moment = self.trigger.get_next_fire_time(last, cursor)
            if moment is None or moment > now:
                break
            last = moment
            cursor = moment + timedelta(seconds=1)
        return last

    def next_run(self, now: datetime) -> datetime | None:
        """The next scheduled moment after ``now``."""
        moment = self.trigger.get_next_fire_time(None, now + timedelta(seconds=1))
        return None if moment is None else moment


def _cron_day(field: str) -> str:
    """Standard cron day-of-week numbers (0/7 Sunday) as APScheduler day names."""

    def name(match: re.Match[str]) -> str:
        number = int(match.group(0))
        if number > 7:
            raise ScheduleError(f"hari {number} tidak ada (0-7, 0 dan 7 = Minggu)")
        return _CRON_DAYS[number]

    if "/" in field:  # steps over numbers cannot be renamed one by one
        raise ScheduleError("langkah (/) pada kolom hari tidak didukung; tulis daftar hari")
    return re.sub(r"\d+", name, field.lower())


def parse_schedule(text: str, tz: ZoneInfo) -> Schedule | None:
    """``senin 07:00`` or ``0 7 * * 1``; None for ``nonaktif``."""
    raw = " ".join(text.strip().lower().split())
    if raw in _OFF:
        return None
    match = _DAY_TIME.match(raw)
    if match is not None:
        day_name, hour, minute = match.group(1), int(match.group(2)), int(match.group(3))
        day = DAY_NAMES.get(day_name)
        if day is None:
            raise ScheduleError(f"hari '{day_name}' tidak dikenal (contoh: senin 07:00)")
        if hour > 23 or minute > 59:
            raise ScheduleError(f"jam {hour:02d}:{minute:02d} tidak ada (00:00-23:59)")
        trigger = CronTrigger(day_of_week=day, hour=hour, minute=minute, timezone=tz)
        return Schedule(trigger, f"setiap {_LABELS[day]} pukul {hour:02d}.{minute:02d}")
    fields = raw.split(" ")
    if len(fields) != 5:
        raise ScheduleError(
            f"jadwal '{text.strip()}' tidak dikenali; tulis hari dan jam (senin 07:00) "
            "atau lima kolom cron (0 7 * * 1)"
        )
    minute_f, hour_f, day_f, month_f, dow_f = fields
    try:
        trigger = CronTrigger(
            minute=minute_f,
            hour=hour_f,
            day=day_f,
            month=month_f,
            day_of_week=_cron_day(dow_f) if dow_f != "*" else "*",
            timezone=tz,
        )
    except ScheduleError:
        raise
    except ValueError as error:
        raise ScheduleError(f"ekspresi cron '{text.strip()}' tidak sah: {error}") from None
    return Schedule(trigger, f"cron {' '.join(fields)}")
