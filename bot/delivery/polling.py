"""Long polling that confirms an update to Telegram only after it has been processed.

Telegram's getUpdates confirms every update below the ``offset`` it is given.
python-telegram-bot's own updater asks for the next updates (and so confirms the
last ones) while those are still being processed: a process killed at that moment
loses them, although nothing of them was stored. Here the offset never passes the
oldest update still being processed, so after a crash Telegram delivers it again;
the log of handled updates (bot/conversation/engine.py) makes sure that an update which was
stored after all changes nothing and is not answered twice.

While updates are in flight, getUpdates returns at once (the unconfirmed ones come
back); those already in flight are skipped, and the next poll waits until one of
them finishes (at most half a second), so the loop never spins.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.delivery.waiting import wait_event

__all__ = ["DurablePoller"]

log = logging.getLogger(__name__)

LONG_POLL = 10  # seconds Telegram may hold a getUpdates open when nothing is in flight
IN_FLIGHT_WAIT = 0.5  # seconds between polls at most while updates are being processed
MIN_INTERVAL = 0.02  # seconds between polls at least while updates are being processed
MAX_PAUSE = 30.0


class DurablePoller:
    """Fetches updates into the application's queue; confirms them once processed."""

    def __init__(
        self,
        app: Application,  # type: ignore[type-arg]
        *,
        on_trouble: Callable[[TelegramError], None] | None = None,
        long_poll: int = LONG_POLL,
    ) -> None:
        self.app = app
        self.on_trouble = on_trouble
        self.long_poll = long_poll
        self._in_flight: set[int] = set()
        self._next: int | None = None  # one past the newest update handed on
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.polls = 0

    def finished(self, update: object) -> None:
        """An update's processing ended (successfully or not): it may be confirmed."""
        if isinstance(update, Update):
            self._in_flight.discard(update.update_id)
            self._changed.set()

    @property
    def offset(self) -> int | None:
        """What the next getUpdates confirms below."""
        if self._in_flight:
            return min(self._in_flight)
        return self._next

    async def start(self) -> None:
        """Begin polling (no webhook may be set: it is deleted, pending updates kept)."""
        await self.app.bot.delete_webhook(drop_pending_updates=False)
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="polling")

    async def stop(self) -> None:
        """Stop polling; what was not confirmed is delivered again to the next process."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    @property
    def running(self) -> bool:
        """True while the polling loop runs."""
        return self._task is not None and not self._task.done()

    async def _loop(self) -> None:
        pause = 1.0
        while True:
            busy = bool(self._in_flight)
            if busy:
                await wait_event(self._changed, IN_FLIGHT_WAIT)
                self._changed.clear()
                await asyncio.sleep(MIN_INTERVAL)
            try:
                self.polls += 1
                updates = await self.app.bot.get_updates(
                    offset=self.offset,
                    timeout=0 if self._in_flight else self.long_poll,
                    allowed_updates=Update.ALL_TYPES,
                )
                pause = 1.0
            except TelegramError as error:
                if self.on_trouble is not None:
                    self.on_trouble(error)
                else:
                    log.warning("Pesan dari Telegram tidak dapat diambil: %s", error)
                await asyncio.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)
                continue
            for update in updates:
                known = update.update_id in self._in_flight
                done = self._next is not None and update.update_id < self._next
                if known or done:
                    continue  # being processed, or processed: only not confirmed yet
                self._in_flight.add(update.update_id)
                self._next = update.update_id + 1
                await self.app.update_queue.put(update)
