"""The weekly reminders, sent privately at the scheduled moment or caught up after downtime.

``tick`` runs from the JobQueue at the scheduled moment and every few minutes: when the
reminders of a scheduled moment are due (domain.reminders.due_week), each kecamatan
gets one unit of work that works out its reminders, claims each (person, week, kind)
in the reminder log and writes the message to the outbox in the same transaction;
the outbox sender delivers them after the commit (bot/delivery/outbox.py). So a reminder is
never claimed twice (two bot processes, a restart, every later tick), and a process
dying after the commit still sends it after the restart.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from telegram import Bot

from bot import texts
from bot.config import Settings
from bot.conversation.context import Button
from bot.delivery.outbox import OutboxSender, encode_text, render_markup
from bot.formatting import STATUS_TEXT, fmt_day, h
from bot.handlers.nihil import nihil_data
from bot.runtime import Runtime
from domain.digest import IsoWeek
from domain.models import IncidentKind, Kecamatan, OutboxMessage, User, UserStatus
from domain.reminders import (
    NihilReminder,
    OverdueReminder,
    ReminderKind,
    due_week,
    reminders_for,
)
from domain.rtl import RtlItem, overdue_rtl, unsur_label

__all__ = ["ReminderService", "Reminder", "nihil_text", "overdue_text", "rtl_text"]

log = logging.getLogger(__name__)

MAX_CASES_PER_KIND: Final = 20  # keeps a reminder in one message; /tindaklanjut lists all


@dataclass(frozen=True, slots=True)
class Reminder:
    """A claimed reminder, ready to send to one person's private chat."""

    telegram_id: int
    kind: ReminderKind
    week: IsoWeek
    text: str
    markup: dict[str, Any] | None = None  # the Bot API's JSON (render_markup)


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


def rtl_text(user: User, items: list[RtlItem]) -> str:
    """The SKM follow-up items of one owner that are past their due date."""
    lines = [texts.RTL_REMINDER_HEADER.format(nama=h(user.nama), jumlah=len(items))]
    for item in items[:MAX_CASES_PER_KIND]:
        lines.append(
            texts.RTL_REMINDER_LINE.format(
                unsur=h(unsur_label(item.unsur)),
                periode=h(item.skm_period.label),
                kegiatan=h(item.kegiatan),
                batas=fmt_day(item.due),
            )
        )
    lines += ["", texts.RTL_REMINDER_FOOTER]
    return "\n".join(lines)


def _nihil_markup(week: IsoWeek) -> dict[str, Any] | None:
    return render_markup([[Button(texts.REMINDER_NIHIL_BUTTON, data=nihil_data(week))]])


class ReminderService:
    """Works out and claims the weekly reminders of every kecamatan; the outbox sends them."""

    def __init__(
        self,
        runtime: Runtime,
        settings: Settings,
        outbox: OutboxSender | None = None,
        pool: Executor | None = None,
    ) -> None:
        self.runtime = runtime
        self.settings = settings
        self.outbox = outbox
        self.pool = pool

    def due(self, now: datetime | None = None) -> IsoWeek | None:
        """The week whose reminders are due at ``now`` (office clock), or None."""
        plan = self.settings.reminder_plan()
        if plan is None:  # REMINDER_SCHEDULE=nonaktif
            return None
        moment = now if now is not None else self.runtime.now()
        grace = self.settings.grace()
        last = plan.last_run(moment, lookback=grace + timedelta(hours=1))
        return due_week(last, moment, grace, self.settings.tz)

    def claim(self, now: datetime | None = None) -> list[OutboxMessage]:
        """Claim the due reminders nobody has had yet, with their messages; returns those."""
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
        queued: list[OutboxMessage] = []
        for kecamatan in every:
            try:
                queued += self._claim_kecamatan(kecamatan, week, moment)
            except Exception:
                # Nothing of this kecamatan was committed, so the next tick tries it again;
                # the other kecamatan still get theirs.
                log.exception(
                    "Pengingat minggu %s untuk Kecamatan %s gagal disiapkan; dicoba lagi "
                    "pada putaran berikutnya.",
                    week.key,
                    kecamatan.nama,
                )
        return queued

    def _claim_kecamatan(
        self, kecamatan: Kecamatan, week: IsoWeek, now: datetime
    ) -> list[OutboxMessage]:
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
            # The owners of SKM follow-up items past their due date (office clock), once a
            # week each, claimed in the same log as the other reminders.
            today = now.astimezone(self.settings.tz).date()
            for owner_id, items in overdue_rtl(uow, kecamatan.id, today).items():
                owner = uow.users.get(owner_id)
                if owner is None or owner.status is not UserStatus.ACTIVE:
                    continue
                if uow.digests.claim_reminder(owner.id, week.key, ReminderKind.RTL, now):
                    claimed.append(
                        Reminder(owner.telegram_id, ReminderKind.RTL, week, rtl_text(owner, items))
                    )
            rows: list[OutboxMessage] = []
            for reminder in claimed:
                source = f"pengingat:{reminder.kind.value}:{week.key}"
                rows += encode_text(
                    reminder.telegram_id, reminder.text, reminder.markup, source=source
                )
            queued = uow.outbox.add(rows, at=now)
            uow.commit()
        return queued

    async def tick(self, bot: Bot) -> int:
        """Claim the reminders due now that nobody has had yet; how many were queued."""
        del bot  # the outbox sender has its own
        assert self.outbox is not None, "a reminder service without an outbox only claims"
        if self.pool is None:
            queued = self.claim()
        else:
            queued = await asyncio.get_running_loop().run_in_executor(self.pool, self.claim)
        if not queued:
            return 0
        self.outbox.submit(queued)
        reminders = len({(message.chat_id, message.source) for message in queued})
        log.info("Pengingat: %d pesan diantrekan untuk dikirim.", reminders)
        return reminders
