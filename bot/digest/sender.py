"""Sending the weekly digest to each kecamatan's group: exactly once per group and week.

How "exactly once" holds:
- The content is composed first. A database error there claims nothing: the next
  tick (every DIGEST_RETRY_MINUTES) tries again, within the grace period.
- Then the week is claimed in the digest log (unique group + week) and committed
  before anything is sent: a second process, or a restart, finds the claim.
- Each message sent is recorded (``parts_sent``); a retry continues after the parts
  that went out, so a failure in the middle never repeats the beginning.
- A failed attempt is retried after DIGEST_RETRY_MINUTES, up to DIGEST_MAX_ATTEMPTS;
  then the admins are told. A claim whose process died (still "sending" after
  :data:`STALE_CLAIM`) is taken over.
- The bot removed from the group: the binding is dropped, the week given up and the
  admins told; nothing is retried against a group that refuses the bot.

How a hundred groups go out fast (the fan-out of :meth:`DigestService.tick`):
- every group has its own task, all side by side; each sends its parts in order, so
  the only waits are Telegram's limits (30 messages a second, 20 a minute per group),
  kept by the application's rate limiter (bot/delivery/ratelimit.py);
- composing (queries and chart) and every read and write of the digest log run in
  the database threads, never on the event loop, each in its own unit of work; at
  most :data:`COMPOSING` digests are composed at once, so the pool stays free for
  the users' updates and the first groups are sending while the next are composed;
- a group that fails, waits for flood control or is refused does not hold the others:
  its task alone is retried at the next tick, the others are done; an unexpected
  error in one task is logged and leaves the others running.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Final, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot, InputFile, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot import failpoints, texts
from bot.config import Settings
from bot.delivery.flood import send_patiently
from bot.digest.chart import digest_chart
from bot.digest.kabupaten_sender import KabupatenDigestSender
from bot.digest.schedule import Schedule
from bot.digest.text import MAX_OPEN_LISTED, chart_caption, digest_messages
from bot.formatting import h
from bot.runtime import Runtime
from domain.digest import IsoWeek, WeeklyDigest, weekly_digest
from domain.errors import DomainError
from domain.models import (
    DigestGroup,
    DigestLog,
    DigestStatus,
    KabupatenDigestLog,
    Role,
    User,
    UserStatus,
)
from domain.ports import UnitOfWork

__all__ = ["DigestService", "Composed", "STALE_CLAIM", "COMPOSING", "reported_week"]

log = logging.getLogger(__name__)
T = TypeVar("T")

STALE_CLAIM: Final = timedelta(minutes=30)
# Digests composed at once in a fan-out (each holds a database thread and the CPU).
COMPOSING: Final = 2
# Flood control asks to wait; longer waits are left to the next tick.
_MAX_FLOOD_WAIT: Final = 120.0
_FLOOD_TRIES: Final = 3


@dataclass(frozen=True)
class Composed:
    """A digest ready to send: its text messages and (if it could be drawn) its chart."""

    digest: WeeklyDigest
    messages: list[str]
    chart: bytes | None
    caption: str

    @property
    def parts(self) -> int:
        """Messages to send, the chart included."""
        return len(self.messages) + (1 if self.chart is not None else 0)


def reported_week(moment: datetime) -> IsoWeek:
    """The week a digest sent at ``moment`` reports: the last one that has ended."""
    return IsoWeek.of(moment.date() - timedelta(days=moment.isoweekday()))


class DigestService:
    """Composes and sends the weekly digest; one instance per application."""

    def __init__(self, runtime: Runtime, settings: Settings, pool: Executor | None = None) -> None:
        self.runtime = runtime
        self.settings = settings
        self.pool = pool  # composing (queries and the chart) runs here, off the event loop
        self.plan: Schedule | None = settings.digest_plan()
        self.grace = settings.grace()
        self.retry = timedelta(minutes=settings.digest_retry_minutes)
        self._lock = asyncio.Lock()
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep  # tests replace it
        self.kabupaten = KabupatenDigestSender(self)  # the kabupaten groups, after these

    # -- what is due ---------------------------------------------------------------------

    def due_week(self, now: datetime) -> IsoWeek | None:
        """The week whose digest is due now: the last scheduled run within the grace."""
        if self.plan is None:
            return None
        last = self.plan.last_run(now, self.grace + timedelta(hours=1))
        if last is None or now - last > self.grace:
            return None
        return reported_week(last)

    def compose(self, kecamatan_code: str, week: IsoWeek, now: datetime) -> Composed:
        """The digest of a week as messages and chart (reads the database, sends nothing)."""
        with self.runtime.uow() as uow:
            digest = weekly_digest(
                uow,
                kecamatan_code=kecamatan_code,
                week=week,
                now=now,
                overdue_days=self.settings.overdue_days,
                tz=self.settings.tz,
                open_limit=MAX_OPEN_LISTED,
            )
        messages = digest_messages(digest, overdue_days=self.settings.overdue_days)
        chart: bytes | None
        try:
            chart = digest_chart(digest.history, digest.report, digest.kecamatan.nama)
        except Exception:  # the chart is a bonus: the text goes out without it
            log.exception("Grafik ringkasan %s tidak dapat dibuat", week.key)
            chart = None
        return Composed(digest, messages, chart, chart_caption(digest))

    # -- the scheduler's entry points ----------------------------------------------------

    async def tick(self, bot: Bot) -> int:
        """Send every due digest not sent yet; returns how many went out completely."""
        async with self._lock:  # the cron job and the catch-up job never overlap
            now = self.runtime.now()
            week = self.due_week(now)
            if week is None:
                return 0
            slots = asyncio.Semaphore(COMPOSING)
            kecamatan, kabupaten = await asyncio.gather(
                self.fan_out(bot, week, now, slots), self.kabupaten.tick(bot, week, now, slots)
            )
            return kecamatan + kabupaten

    def _groups(self) -> list[DigestGroup]:
        with self.runtime.uow() as uow:
            return uow.digests.groups()

    async def fan_out(
        self, bot: Bot, week: IsoWeek, now: datetime, slots: asyncio.Semaphore | None = None
    ) -> int:
        """Every kecamatan group's digest of ``week``, side by side; how many went out."""
        try:
            groups = await self._in_thread(self._groups)
        except SQLAlchemyError:
            log.exception("Daftar grup ringkasan tidak dapat dibaca; dicoba lagi nanti")
            return 0
        slots = slots or asyncio.Semaphore(COMPOSING)
        return await self.side_by_side(
            [(g.chat_id, self.send_week(bot, g, week, now, slots)) for g in groups]
        )

    @staticmethod
    async def side_by_side(sends: list[tuple[int, Awaitable[bool]]]) -> int:
        """Await every group's send at once; how many succeeded (an error stays its own)."""
        results = await asyncio.gather(*(send for _, send in sends), return_exceptions=True)
        for (chat_id, _), result in zip(sends, results, strict=True):
            if isinstance(result, BaseException):
                log.error("Ringkasan ke grup %s gagal tak terduga", chat_id, exc_info=result)
        return sum(1 for result in results if result is True)

    def _entry(self, group: DigestGroup, week: IsoWeek) -> tuple[DigestLog | None, str | None]:
        with self.runtime.uow() as uow:
            entry = uow.digests.get_log(group.chat_id, week.key)
            kecamatan = uow.kecamatan.get(group.kecamatan_id)
        return entry, None if kecamatan is None else kecamatan.kode

    def _claim(
        self, kecamatan_id: int, chat_id: int, week_key: str, at: datetime
    ) -> DigestLog | None:
        with self.runtime.uow() as uow:
            claimed = uow.digests.claim(
                kecamatan_id=kecamatan_id,
                chat_id=chat_id,
                week_key=week_key,
                at=at,
                stale_before=at - STALE_CLAIM,
            )
            uow.commit()
        return claimed

    async def send_week(
        self,
        bot: Bot,
        group: DigestGroup,
        week: IsoWeek,
        now: datetime,
        slots: asyncio.Semaphore | None = None,
    ) -> bool:
        """Send one group's digest of ``week`` unless done, running elsewhere, or waiting."""
        try:
            entry, code = await self._in_thread(partial(self._entry, group, week))
        except SQLAlchemyError:
            log.exception("Log ringkasan tidak dapat dibaca; dicoba lagi nanti")
            return False
        if code is None or not self._may_try(entry, now):
            return False
        try:
            async with slots or contextlib.nullcontext():
                composed = await self._in_thread(partial(self.compose, code, week, now))
        except (SQLAlchemyError, DomainError):
            # Nothing is claimed: the next tick composes again (retried, not skipped).
            log.exception("Ringkasan %s untuk grup %s gagal disusun", week.key, group.chat_id)
            return False
        try:
            claimed = await self._in_thread(
                partial(self._claim, group.kecamatan_id, group.chat_id, week.key, now)
            )
        except SQLAlchemyError:
            log.exception("Ringkasan %s tidak dapat diklaim; dicoba lagi nanti", week.key)
            return False
        if claimed is None:
            return False  # sent, given up, or being sent by another process
        failpoints.hit("digest:after_claim")
        return await self._deliver(bot, group, claimed, composed)

    async def _in_thread(self, work: Callable[[], T]) -> T:
        """Database work (and composing) off the event loop: the pool, or a thread of its own."""
        if self.pool is None:
            return await asyncio.to_thread(work)
        return await asyncio.get_running_loop().run_in_executor(self.pool, work)

    def _may_try(self, entry: DigestLog | KabupatenDigestLog | None, now: datetime) -> bool:
        if entry is None:
            return True
        if entry.status in (DigestStatus.SENT, DigestStatus.GAVE_UP):
            return False
        if entry.status is DigestStatus.FAILED:
            return now - entry.claimed_at >= self.retry
        return now - entry.claimed_at >= STALE_CLAIM  # SENDING: only when its process died

    # -- sending -------------------------------------------------------------------------

    async def _deliver(
        self, bot: Bot, group: DigestGroup, entry: DigestLog, composed: Composed
    ) -> bool:
        chat_id = group.chat_id
        week = composed.digest.week
        for index in range(entry.parts_sent, composed.parts):
            try:
                if index < len(composed.messages):
                    await self._flood_safe(
                        partial(
                            bot.send_message,
                            chat_id,
                            composed.messages[index],
                            parse_mode=ParseMode.HTML,
                            disable_web_page_preview=True,
                        )
                    )
                else:
                    await self._send_chart(bot, chat_id, composed)
            except ChatMigrated as moved:
                return await self._migrated(bot, group, entry, moved.new_chat_id, composed)
            except Forbidden as error:
                await self._removed(bot, group, entry, str(error))
                return False
            except (TelegramError, OSError) as error:
                await self._failed(bot, group, entry, str(error))
                return False
            await self._write(lambda uow, n=index + 1: uow.digests.progress(entry.id, n))
            failpoints.hit("digest:after_part")
        figures = composed.digest.figures()
        await self._write(
            lambda uow: uow.digests.finish(entry.id, at=self.runtime.now(), figures=figures)
        )
        log.info("Ringkasan %s terkirim ke grup %s", week.key, chat_id)
        return True

    async def _send_chart(self, bot: Bot, chat_id: int, composed: Composed) -> None:
        assert composed.chart is not None
        try:
            chart = InputFile(composed.chart, filename="grafik-ringkasan.png")
            await self._flood_safe(
                lambda: bot.send_photo(
                    chat_id, chart, caption=composed.caption, parse_mode=ParseMode.HTML
                )
            )
        except BadRequest as error:  # photos not allowed, or refused: the text went out
            if isinstance(error, ChatMigrated):
                raise
            log.warning("Grafik ringkasan ke grup %s tidak terkirim: %s", chat_id, error)

    async def _flood_safe(self, send: Callable[[], Awaitable[object]]) -> None:
        await send_patiently(send, sleep=self.sleep, tries=_FLOOD_TRIES, max_wait=_MAX_FLOOD_WAIT)

    async def _write(self, change: Callable[..., object]) -> None:
        """A small bookkeeping write (in a database thread); a hiccup is logged, not fatal."""

        def write() -> None:
            with self.runtime.uow() as uow:
                change(uow)
                uow.commit()

        try:
            await self._in_thread(write)
        except SQLAlchemyError:
            log.exception("Catatan pengiriman ringkasan tidak tersimpan")

    async def _failed(self, bot: Bot, group: DigestGroup, entry: DigestLog, error: str) -> None:
        give_up = entry.attempts >= self.settings.digest_max_attempts
        await self._write(lambda uow: uow.digests.fail(entry.id, error=error, give_up=give_up))
        if give_up:
            log.error(
                "Ringkasan %s ke grup %s gagal %s kali: %s",
                entry.week_key,
                group.chat_id,
                entry.attempts,
                error,
            )
            await self.tell_admins(
                bot,
                group.kecamatan_id,
                texts.DIGEST_GAVE_UP.format(
                    minggu=entry.week_key,
                    grup=h(group.title),
                    kali=entry.attempts,
                    galat=h(error[:300]),
                ),
            )
        else:
            log.warning(
                "Ringkasan %s ke grup %s gagal (percobaan %s), dicoba lagi: %s",
                entry.week_key,
                group.chat_id,
                entry.attempts,
                error,
            )

    async def _removed(self, bot: Bot, group: DigestGroup, entry: DigestLog, error: str) -> None:
        log.warning("Bot tidak dapat mengirim ke grup %s lagi: %s", group.chat_id, error)
        await self._write(lambda uow: uow.digests.fail(entry.id, error=error, give_up=True))
        await self.forget_group(bot, group.chat_id, reason=error)

    async def _migrated(
        self,
        bot: Bot,
        group: DigestGroup,
        entry: DigestLog,
        new_chat_id: int,
        composed: Composed,
    ) -> bool:
        """The group became a supergroup: follow it and send there from the start."""
        log.info("Grup %s pindah menjadi %s", group.chat_id, new_chat_id)

        def follow(uow: UnitOfWork) -> None:
            uow.digests.fail(entry.id, error="grup pindah ke supergrup", give_up=True)
            uow.digests.move_chat(group.chat_id, new_chat_id)

        await self._write(follow)
        moved = DigestGroup(
            group.kecamatan_id, new_chat_id, group.title, group.bound_by, group.bound_at
        )
        claimed = await self._in_thread(
            partial(
                self._claim, group.kecamatan_id, new_chat_id, entry.week_key, self.runtime.now()
            )
        )
        if claimed is None:
            return False
        return await self._deliver(bot, moved, claimed, composed)

    async def forget_group(self, bot: Bot, chat_id: int, *, reason: str) -> DigestGroup | None:
        """Drop a group's binding (the bot left or was removed) and tell the admins once."""

        def unbind() -> DigestGroup | None:
            with self.runtime.uow() as uow:
                removed = uow.digests.unbind(chat_id)
                if removed is not None:
                    uow.audit.record(
                        actor="bot",
                        action="digest_group_lost",
                        entity="digest_group",
                        entity_id=str(chat_id),
                        detail={"alasan": reason[:200]},
                        at=self.runtime.now(),
                    )
                uow.commit()
            return removed

        try:
            removed = await self._in_thread(unbind)
        except SQLAlchemyError:
            log.exception("Ikatan grup %s tidak dapat dihapus", chat_id)
            return None
        if removed is not None:
            log.warning("Grup ringkasan %s dilepas: %s", chat_id, reason)
            await self.tell_admins(
                bot, removed.kecamatan_id, texts.DIGEST_GROUP_LOST.format(grup=h(removed.title))
            )
        return removed

    async def tell_admins(self, bot: Bot, kecamatan_id: int, text: str) -> int:
        """A private message to every active admin of a kecamatan; how many got it."""

        def admins_of() -> list[User]:
            with self.runtime.uow() as uow:
                return uow.users.list(kecamatan_id, status=UserStatus.ACTIVE, role=Role.ADMIN)

        try:
            admins = await self._in_thread(admins_of)
        except SQLAlchemyError:
            log.exception("Admin tidak dapat dicari untuk pemberitahuan")
            return 0
        told = 0
        for admin in admins:
            try:
                await self._flood_safe(
                    partial(bot.send_message, admin.telegram_id, text, parse_mode=ParseMode.HTML)
                )
                told += 1
            except TelegramError as error:
                log.warning(
                    "Pemberitahuan ke admin %s tidak terkirim: %s", admin.telegram_id, error
                )
        return told

    # -- Telegram updates about the bot's own membership -----------------------------------

    async def on_membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The bot was removed from (or left) a group: forget it and tell the admins."""
        change = update.my_chat_member
        if change is None:
            return
        status = change.new_chat_member.status
        if status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
            reason = f"status bot: {status}"
            await self.forget_group(context.bot, change.chat.id, reason=reason)
            await self.kabupaten.forget_group(context.bot, change.chat.id, reason=reason)
            return
        joined = change.old_chat_member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)
        if joined and change.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
            try:  # added to a group: say how it becomes the digest group
                await context.bot.send_message(change.chat.id, texts.GROUP_WELCOME)
            except TelegramError as error:
                log.info("Salam ke grup %s tidak terkirim: %s", change.chat.id, error)
