"""Telegram's broadcast limits for every Bot API call: 30 messages a second, 20 a minute per group.

A sliding window per limit: a call goes out when fewer than 30 calls to a chat went out
in the last second and (to a group: a negative chat id or an @name) fewer than 20 to
that group in the last minute; otherwise it waits for the moment the oldest of them
leaves its window. Calls without a chat (getMe, getFile, answers to button presses) are
not limited. A 429 from Telegram (RetryAfter) holds the calls to that chat for the
time it asks (never the other chats: a long flood wait on one chat holds up nobody
else), and is raised to the caller, who decides whether to try again (the outbox and
the digest do).

Many senders may wait at once (the digest fan-out sends to every group side by side):
the check and the record of a call happen together, without an await between them, so
two waiting senders can never both take the last place of a window. The clock and the
sleep are parameters, so that the tests run the limits on a fake clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Final

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.delivery.flood import retry_after_seconds

__all__ = ["OVERALL", "PER_GROUP", "Window", "TelegramRateLimiter"]

OVERALL: Final = (30, 1.0)  # messages, seconds: to all chats together
PER_GROUP: Final = (20, 60.0)  # to one group


class Window:
    """The moments of the last calls within one sliding window of ``period`` seconds."""

    __slots__ = ("limit", "moments", "period")

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self.moments: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until a call may go (0: now); forgets the moments out of the window."""
        while self.moments and self.moments[0] <= now - self.period:
            self.moments.popleft()
        if len(self.moments) < self.limit:
            return 0.0
        return self.moments[0] + self.period - now

    def idle(self, now: float) -> bool:
        """No call within the window any more."""
        return not self.moments or self.moments[-1] <= now - self.period


class TelegramRateLimiter(BaseRateLimiter[int]):
    """python-telegram-bot's rate limiter interface with sliding windows (see the module)."""

    def __init__(
        self,
        *,
        overall: tuple[int, float] = OVERALL,
        per_group: tuple[int, float] = PER_GROUP,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self._overall = Window(*overall)
        self._per_group = per_group
        self._groups: dict[int | str, Window] = {}
        self._held: dict[object, float] = {}  # chat -> a 429 holds its calls until then

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def _group(self, key: int | str) -> Window:
        window = self._groups.get(key)
        if window is None:
            if len(self._groups) > 512:  # forget the groups that are quiet again
                now = self.clock()
                for old in [k for k, w in self._groups.items() if w.idle(now)]:
                    del self._groups[old]
            window = self._groups[key] = Window(*self._per_group)
        return window

    async def acquire(self, chat_id: object) -> None:
        """Wait until a call to ``chat_id`` may go out, and count it."""
        group: Window | None = None
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)  # type: ignore[call-overload]
        if isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0):
            group = self._group(chat_id)
        while True:
            now = self.clock()
            held = self._held.get(chat_id)
            if held is not None and held <= now:
                del self._held[chat_id]
                held = None
            wait = max(
                (held or now) - now,
                self._overall.wait(now),
                group.wait(now) if group is not None else 0.0,
            )
            if wait <= 0:
                self._overall.moments.append(now)
                if group is not None:
                    group.moments.append(now)
                return
            await self.sleep(wait)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Wait for the limits, then make the call; a 429 holds every later call."""
        chat_id = data.get("chat_id")
        if chat_id is not None:
            await self.acquire(chat_id)
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as flood:
            if chat_id is not None:
                with contextlib.suppress(ValueError, TypeError):
                    chat_id = int(chat_id)
                until = self.clock() + retry_after_seconds(flood)
                self._held[chat_id] = max(self._held.get(chat_id, until), until)
            raise
