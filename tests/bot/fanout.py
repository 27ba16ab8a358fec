"""What the fan-out tests and its benchmark share: many kecamatan with a group each, a
fake clock for the rate limiter, and the moments of every message sent."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from telegram.ext import ExtBot

from bot.delivery.offline import OfflineBotApi, SentMessage
from bot.delivery.ratelimit import TelegramRateLimiter
from bot.runtime import Runtime
from domain.models import DigestGroup
from domain.ports import DesaSeed, KecamatanSeed
from storage.seed import seed_kecamatan

__all__ = ["FakeClock", "Timeline", "add_groups", "group_id", "limited_bot"]

T = TypeVar("T")


def group_id(number: int) -> int:
    """The chat id of the n-th kecamatan's group (a supergroup: negative)."""
    return -1_000_000_000 - number


def add_groups(runtime: Runtime, count: int, at: datetime, *, desa: int = 3) -> list[int]:
    """``count`` kecamatan (a few desa each), every one with its digest group; their chat ids."""
    chats = []
    with runtime.uow() as uow:
        for number in range(1, count + 1):
            kode = f"35.90.{number:02d}" if number < 100 else f"35.91.{number - 99:02d}"
            bps = kode.replace(".", "")
            seed_kecamatan(
                uow,
                KecamatanSeed(
                    kode=kode,
                    kode_bps=bps,
                    nama=f"Uji {number:03d}",
                    kabupaten="Uji",
                    provinsi="Jawa Timur",
                    desa=tuple(
                        DesaSeed(f"{kode}.{2000 + d}", f"{bps}{d:03d}", f"Desa {number}-{d}")
                        for d in range(1, desa + 1)
                    ),
                ),
            )
            kecamatan = uow.kecamatan.get_by_code(kode)
            assert kecamatan is not None
            uow.digests.bind(
                DigestGroup(kecamatan.id, group_id(number), f"Grup {number}", None, at)
            )
            chats.append(group_id(number))
        uow.commit()
    return chats


class FakeClock:
    """Virtual time for the rate limiter: a sleep returns when :meth:`run` moves time on.

    :meth:`run` lets every runnable task run (and database threads answer), and only
    when nothing else moves does it wake the earliest sleeper, at its moment.
    """

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of virtual time."""
        wake: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), next(self._order), wake))
        await wake

    async def run(self, work: Awaitable[T]) -> T:
        """Run ``work`` to its end, moving virtual time on whenever everything sleeps."""
        task = asyncio.ensure_future(work)
        quiet = 0
        while not task.done():
            await asyncio.sleep(0.001)  # real time: the database threads answer meanwhile
            if task.done():
                break
            quiet += 1
            if self._sleepers and quiet >= 3:
                quiet = 0
                moment, _, wake = heapq.heappop(self._sleepers)
                self.now = max(self.now, moment)
                wake.set_result(None)
        return task.result()


@dataclass
class Timeline:
    """The moment (on the clock) of every message Telegram received, in order."""

    clock: FakeClock | None = None
    sent: list[tuple[float, int, SentMessage]] = field(default_factory=list)

    def listen(self, api: OfflineBotApi) -> None:
        api.listener = self._hear

    def _hear(self, method: str, sent: SentMessage | None, params: dict[str, Any]) -> None:
        if sent is not None and method.startswith("send"):
            moment = self.clock() if self.clock is not None else 0.0
            self.sent.append((moment, sent.chat_id, sent))

    def most_in_window(self, seconds: float, chat_id: int | None = None) -> int:
        """The most messages (to ``chat_id``, or to anyone) within any ``seconds`` window."""
        moments = sorted(m for m, c, _ in self.sent if chat_id is None or c == chat_id)
        most, start = 0, 0
        for end, moment in enumerate(moments):
            while moments[start] <= moment - seconds:
                start += 1
            most = max(most, end - start + 1)
        return most


def limited_bot(api: OfflineBotApi, token: str, limiter: TelegramRateLimiter) -> ExtBot[Any]:
    """A bot on the offline API whose every call goes through ``limiter``."""
    return ExtBot(token, request=api, get_updates_request=api, rate_limiter=limiter)
