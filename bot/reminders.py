"""The weekly reminders, sent privately at the scheduled moment or caught up after downtime.

``tick`` runs from the JobQueue at the scheduled moment and every few minutes: when the
reminders of a scheduled moment are due (domain.reminders.due_week), each kecamatan
gets one unit of work that works out its reminders, claims each (person, week, kind)
in the reminder log and commits; only then are the claimed reminders sent. Claiming
before sending means a reminder is never sent twice (two bot processes, a restart,
every later tick); the price is that a process dying between the commit and the send
loses those reminders, the lesser evil for a weekly nudge.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import RetryAfter, TelegramError

from bot import texts
from bot.config import Settings
from bot.engine import split_text
from bot.flood import send_patiently
from bot.formatting import STATUS_TEXT, fmt_day, h
from bot.handlers.reminders import nihil_data
from bot.runtime import Runtime
from domain.digest import IsoWeek
from domain.models import IncidentKind, Kecamatan
from domain.reminders import (
    NihilReminder,
    OverdueReminder,
    ReminderKind,
    due_week,
    reminders_for,
)

__all__ = ["ReminderService", "Reminder", "nihil_text", "overdue_text"]

log = logging.getLogger(__name__)

SEND_ATTEMPTS: Final = 4  # one send and up to three waits for Telegram's flood control
MAX_CASES_PER_KIND: Final = 20  # keeps a reminder in one message; /tindaklanjut lists all


@dataclass(frozen=True, slots=True)
class Reminder:
    """A claimed reminder, ready to send to one person's private chat."""

    telegram_id: int
    kind: ReminderKind
    week: IsoWeek
    text: str
    markup: InlineKeyboardMarkup | None = None


def nihil_text(reminder: NihilReminder) -> str:
    """The reminder to a perangkat desa whose desa has not reported this week."""
    return texts.REMINDER_NIHIL.format(
        nama=h(reminder.user.nama),
        desa=h(reminder.desa.nama),
        start=fmt_day(reminder.week.start),
        end=fmt_day(reminder.week.end),
    )


def overdue_text(reminder: OverdueReminder, overdue_days: int) -> str:
    """The overdue cases routed to one person, by kind, oldest first."""
    lines = [texts.REMINDER_OVERDUE_HEADER.format(nama=h(reminder.user.nama), days=overdue_days)]
    for kind in IncidentKind:
        cases = reminder.of_kind(kind)
        if not cases:
            continue
        lines += ["", texts.REMINDER_OVERDUE_KIND.format(kind=h(kind.label), count=len(cases))]
        for case in cases[:MAX_CASES_PER_KIND]:
            lines.append(
                texts.REMINDER_OVERDUE_LINE.format(
                    nomor=h(case.incident.nomor),
                    desa=h(case.desa.nama),
                    status=STATUS_TEXT[case.incident.status],
                    days=case.days_open,
                )
            )
        if len(cases) > MAX_CASES_PER_KIND:
            lines.append(texts.REMINDER_OVERDUE_MORE.format(count=len(cases) - MAX_CASES_PER_KIND))
    lines += ["", texts.REMINDER_OVERDUE_FOOTER.format(example=h(reminder.cases[0].incident.nomor))]
    return "\n".join(lines)


def _nihil_markup(week: IsoWeek) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(texts.REMINDER_NIHIL_BUTTON, callback_data=nihil_data(week))
    return InlineKeyboardMarkup([[button]])


class ReminderService:
    """Works out, claims and sends the weekly reminders of every kecamatan."""

    def __init__(self, runtime: Runtime, settings: Settings) -> None:
        self.runtime = runtime
        self.settings = settings
        # How to wait when Telegram asks to (tests replace it so as not to sleep).
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def due(self, now: datetime | None = None) -> IsoWeek | None:
        """The week whose reminders are due at ``now`` (office clock), or None."""
        plan = self.settings.reminder_plan()
        if plan is None:  # REMINDER_SCHEDULE=nonaktif
            return None
        moment = now if now is not None else self.runtime.now()
        grace = self.settings.grace()
        last = plan.last_run(moment, lookback=grace + timedelta(hours=1))
        return due_week(last, moment, grace, self.settings.tz)

    def claim(self, now: datetime | None = None) -> list[Reminder]:
        """Claim, and commit, the due reminders nobody has had yet; returns them to send."""
        moment = now if now is not None else self.runtime.now()
        week = self.due(moment)
        if week is None:
            return []
        try:
            with self.runtime.uow() as uow:
                every = uow.kecamatan.list()
        except Exception:
            log.exception("Pengingat minggu %s: basis data tidak dapat dibaca.", week.key)
            return []
        claimed: list[Reminder] = []
        for kecamatan in every:
            try:
                claimed += self._claim_kecamatan(kecamatan, week, moment)
            except Exception:
                # Nothing of this kecamatan was committed, so the next tick tries it again;
                # the other kecamatan still get theirs.
                log.exception(
                    "Pengingat minggu %s untuk Kecamatan %s gagal disiapkan; dicoba lagi "
                    "pada putaran berikutnya.",
                    week.key,
                    kecamatan.nama,
                )
        return claimed

    def _claim_kecamatan(
        self, kecamatan: Kecamatan, week: IsoWeek, now: datetime
    ) -> list[Reminder]:
        overdue_days = self.settings.overdue_days
        claimed: list[Reminder] = []
        with self.runtime.uow() as uow:
            plan = reminders_for(
                uow, kecamatan=kecamatan, week=week, now=now, overdue_days=overdue_days
            )
            for nihil in plan.nihil:
                if uow.digests.claim_reminder(nihil.user.id, week.key, ReminderKind.NIHIL, now):
                    claimed.append(
                        Reminder(
                            nihil.user.telegram_id,
                            ReminderKind.NIHIL,
                            week,
                            nihil_text(nihil),
                            _nihil_markup(week),
                        )
                    )
            for late in plan.overdue:
                if uow.digests.claim_reminder(late.user.id, week.key, ReminderKind.TERLAMBAT, now):
                    claimed.append(
                        Reminder(
                            late.user.telegram_id,
                            ReminderKind.TERLAMBAT,
                            week,
                            overdue_text(late, overdue_days),
                        )
                    )
            uow.commit()
        return claimed

    async def tick(self, bot: Bot) -> int:
        """Send the reminders due now that were not sent yet; how many went out."""
        reminders = self.claim()
        if not reminders:
            return 0
        sent = 0
        for reminder in reminders:
            if await self._deliver(bot, reminder):
                sent += 1
        log.info(
            "Pengingat minggu %s: %d dari %d terkirim.", reminders[0].week.key, sent, len(reminders)
        )
        return sent

    async def _deliver(self, bot: Bot, reminder: Reminder) -> bool:
        """Send one reminder; a person who blocked the bot does not stop the others."""
        parts = split_text(reminder.text)
        for index, part in enumerate(parts):
            markup = reminder.markup if index == len(parts) - 1 else None
            if not await self._send(bot, reminder, part, markup):
                return False
        return True

    async def _send(
        self, bot: Bot, reminder: Reminder, text: str, markup: InlineKeyboardMarkup | None
    ) -> bool:
        try:
            await send_patiently(
                lambda: bot.send_message(
                    reminder.telegram_id,
                    text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    disable_web_page_preview=True,
                ),
                sleep=self.sleep,
                tries=SEND_ATTEMPTS,
            )
            return True
        except RetryAfter as error:
            log.warning(
                "Pengingat %s ke pengguna Telegram %s tidak terkirim setelah %d kali "
                "dibatasi Telegram: %s",
                reminder.kind.value,
                reminder.telegram_id,
                SEND_ATTEMPTS,
                error,
            )
            return False
        except TelegramError as error:
            # Forbidden (blocked the bot), BadRequest (chat gone), network trouble:
            # never retried, the reminder is claimed and must not arrive twice.
            log.warning(
                "Pengingat %s ke pengguna Telegram %s tidak terkirim: %s",
                reminder.kind.value,
                reminder.telegram_id,
                error,
            )
            return False
