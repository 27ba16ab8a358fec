"""Sending the weekly kabupaten digest to each kabupaten's group, once per ISO week.

The same idea as :mod:`bot.digest.sender` (whose service runs this after the kecamatan
groups, in the same schedule slot): compose first (in the pool; an error claims
nothing), claim the kabupaten and week in ``kabupaten_digest_log`` and commit, send the
parts after those already sent, retry after DIGEST_RETRY_MINUTES up to
DIGEST_MAX_ATTEMPTS, then tell the kabupaten's admins. A group that refuses the bot
(Forbidden, or the bot removed from it) is given up at once, its binding dropped and
the admins told.

The same fan-out as the kecamatan groups (and at the same time as theirs): every group
side by side under the rate limiter, composing and the log's reads and writes in the
database threads, at most COMPOSING digests composed at once (the slots are shared).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import ChatMigrated, Forbidden, TelegramError

from bot import texts
from bot.digest.kabupaten_text import kabupaten_digest_messages
from bot.formatting import h
from domain.digest import IsoWeek
from domain.errors import DomainError
from domain.kabupaten import kabupaten_kecamatan
from domain.kabupaten_digest import kabupaten_digest
from domain.models import KabupatenDigestGroup, KabupatenDigestLog, Role, User, UserStatus

if TYPE_CHECKING:
    from bot.digest.sender import DigestService

__all__ = ["KabupatenDigestSender"]

log = logging.getLogger(__name__)


class KabupatenDigestSender:
    """The kabupaten groups' part of a digest tick (uses its service's helpers)."""

    def __init__(self, service: DigestService) -> None:
        self.service = service

    def compose(self, kabupaten_code: str, week: IsoWeek, now: datetime) -> list[str]:
        """The kabupaten digest of a week as messages (reads the database, sends nothing)."""
        service = self.service
        with service.runtime.uow() as uow:
            digest = kabupaten_digest(
                uow, kabupaten_code=kabupaten_code, week=week, now=now, tz=service.settings.tz
            )
        return kabupaten_digest_messages(digest)

    async def tick(
        self, bot: Bot, week: IsoWeek, now: datetime, slots: asyncio.Semaphore | None = None
    ) -> int:
        """Send every bound kabupaten group its digest of ``week``; how many went out."""
        from bot.digest.sender import COMPOSING

        def groups_of() -> list[KabupatenDigestGroup]:
            with self.service.runtime.uow() as uow:
                return uow.digests.kabupaten_groups()

        try:
            groups = await self.service._in_thread(groups_of)
        except SQLAlchemyError:
            log.exception("Daftar grup ringkasan kabupaten tidak dapat dibaca")
            return 0
        slots = slots or asyncio.Semaphore(COMPOSING)
        return await self.service.side_by_side(
            [(g.chat_id, self.send_week(bot, g, week, now, slots)) for g in groups]
        )

    def _entry(self, code: str, week: IsoWeek) -> KabupatenDigestLog | None:
        with self.service.runtime.uow() as uow:
            return uow.digests.kabupaten_log(code, week.key)

    def _claim(
        self, code: str, chat_id: int, week: IsoWeek, now: datetime
    ) -> KabupatenDigestLog | None:
        from bot.digest.sender import STALE_CLAIM

        with self.service.runtime.uow() as uow:
            claimed = uow.digests.claim_kabupaten(
                kabupaten_code=code,
                chat_id=chat_id,
                week_key=week.key,
                at=now,
                stale_before=now - STALE_CLAIM,
            )
            uow.commit()
        return claimed

    async def send_week(
        self,
        bot: Bot,
        group: KabupatenDigestGroup,
        week: IsoWeek,
        now: datetime,
        slots: asyncio.Semaphore | None = None,
    ) -> bool:
        """Send one kabupaten's digest of ``week`` unless done, running elsewhere, or waiting."""
        service = self.service
        code = group.kabupaten_code
        try:
            entry = await service._in_thread(partial(self._entry, code, week))
        except SQLAlchemyError:
            log.exception("Log ringkasan kabupaten tidak dapat dibaca; dicoba lagi nanti")
            return False
        if not service._may_try(entry, now):
            return False
        try:
            async with slots or contextlib.nullcontext():
                messages = await service._in_thread(partial(self.compose, code, week, now))
        except (SQLAlchemyError, DomainError):
            log.exception("Ringkasan kabupaten %s %s gagal disusun", code, week.key)
            return False
        try:
            claimed = await service._in_thread(partial(self._claim, code, group.chat_id, week, now))
        except SQLAlchemyError:
            log.exception("Ringkasan kabupaten %s tidak dapat diklaim", week.key)
            return False
        if claimed is None:
            return False
        chat_id = group.chat_id
        index = claimed.parts_sent
        followed = False
        while index < len(messages):
            try:
                await service._flood_safe(
                    partial(
                        bot.send_message,
                        chat_id,
                        messages[index],
                        parse_mode=ParseMode.HTML,
                        disable_web_page_preview=True,
                    )
                )
            except ChatMigrated as moved:
                if followed:  # moved twice in one send: left to the next attempt
                    await self._failed(bot, group, claimed, str(moved))
                    return False
                followed = True
                # The group became a supergroup: follow it and send the same part there.
                log.info("Grup kabupaten %s pindah menjadi %s", chat_id, moved.new_chat_id)
                await service._write(
                    lambda uow, old=chat_id, new=moved.new_chat_id: uow.digests.move_kabupaten_chat(
                        old, new
                    )
                )
                chat_id = moved.new_chat_id
                continue
            except (TelegramError, OSError) as error:
                if isinstance(error, Forbidden):  # not retried against a group refusing the bot
                    await service._write(
                        lambda uow, e=str(error): uow.digests.fail_kabupaten(
                            claimed.id, error=e, give_up=True
                        )
                    )
                    await self.forget_group(bot, chat_id, reason=str(error))
                else:
                    await self._failed(bot, group, claimed, str(error))
                return False
            index += 1
            await service._write(lambda uow, n=index: uow.digests.progress_kabupaten(claimed.id, n))
        await service._write(
            lambda uow: uow.digests.finish_kabupaten(claimed.id, at=service.runtime.now())
        )
        log.info("Ringkasan kabupaten %s terkirim ke grup %s", week.key, chat_id)
        return True

    async def _failed(
        self,
        bot: Bot,
        group: KabupatenDigestGroup,
        entry: KabupatenDigestLog,
        error: str,
    ) -> None:
        service = self.service
        give_up = entry.attempts >= service.settings.digest_max_attempts
        await service._write(
            lambda uow: uow.digests.fail_kabupaten(entry.id, error=error, give_up=give_up)
        )
        if not give_up:
            log.warning(
                "Ringkasan kabupaten %s ke grup %s gagal (percobaan %s), dicoba lagi: %s",
                entry.week_key,
                group.chat_id,
                entry.attempts,
                error,
            )
            return
        log.error(
            "Ringkasan kabupaten %s ke grup %s gagal %s kali: %s",
            entry.week_key,
            group.chat_id,
            entry.attempts,
            error,
        )
        await self.tell_admins(
            bot,
            group.kabupaten_code,
            texts.KABDIG_GAVE_UP.format(
                minggu=entry.week_key,
                grup=h(group.title),
                kali=entry.attempts,
                galat=h(error[:300]),
            ),
        )

    async def forget_group(
        self, bot: Bot, chat_id: int, *, reason: str
    ) -> KabupatenDigestGroup | None:
        """Drop a kabupaten group's binding (the bot left or was removed); tell the admins."""
        service = self.service

        def unbind() -> KabupatenDigestGroup | None:
            with service.runtime.uow() as uow:
                removed = uow.digests.unbind_kabupaten(chat_id)
                if removed is not None:
                    uow.audit.record(
                        actor="bot",
                        action="kabupaten_digest_group_lost",
                        entity="kabupaten_digest_group",
                        entity_id=str(chat_id),
                        detail={"kabupaten": removed.kabupaten_code, "alasan": reason[:200]},
                        at=service.runtime.now(),
                    )
                uow.commit()
            return removed

        try:
            removed = await service._in_thread(unbind)
        except SQLAlchemyError:
            log.exception("Ikatan grup kabupaten %s tidak dapat dihapus", chat_id)
            return None
        if removed is not None:
            log.warning("Grup ringkasan kabupaten %s dilepas: %s", chat_id, reason)
            await self.tell_admins(
                bot, removed.kabupaten_code, texts.KABDIG_GROUP_LOST.format(grup=h(removed.title))
            )
        return removed

    async def tell_admins(self, bot: Bot, kabupaten_code: str, text: str) -> int:
        """A private message to every active admin of the kabupaten; how many got it."""
        service = self.service

        def admins_of() -> list[User]:
            with service.runtime.uow() as uow:
                admins: list[User] = []
                for kec in kabupaten_kecamatan(uow, kabupaten_code):
                    admins += uow.users.list(
                        kec.id, status=UserStatus.ACTIVE, role=Role.ADMIN_KABUPATEN
                    )
            return admins

        try:
            admins = await service._in_thread(admins_of)
        except SQLAlchemyError:
            log.exception("Admin kabupaten tidak dapat dicari untuk pemberitahuan")
            return 0
        told = 0
        for admin in admins:
            try:
                await service._flood_safe(
                    partial(bot.send_message, admin.telegram_id, text, parse_mode=ParseMode.HTML)
                )
                told += 1
            except TelegramError as error:
                log.warning("Pemberitahuan ke admin %s tidak terkirim: %s", admin.id, error)
        return told
