"""Concurrent update processing with the order of each chat kept.

python-telegram-bot hands every update to an update processor. This one lets
updates of different chats run side by side (their transactions run in the
database pool, see bot/conversation/engine.py) while the updates of one chat run one after
another, in the order Telegram delivered them: an answer is never applied before
the question it answers, and a double press waits for the first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

__all__ = ["ChatOrderedProcessor", "chat_key"]

# Updates waiting for their chat hold a slot of the base class's semaphore, so the
# limit is generous; the real limits are the database pool and the sender.
MAX_CONCURRENT_UPDATES = 512


def chat_key(update: object) -> int | None:
    """The chat whose order ``update`` must keep (None: an update of no chat)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Chats side by side, each chat's updates in order."""

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}
        # Told when an update's processing ends, so that polling may confirm it.
        self.finished: Callable[[object], None] | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's earlier updates (asyncio locks are first come, first served)."""
        try:
            await self._in_order(update, coroutine)
        finally:
            if self.finished is not None:
                self.finished(update)

    async def _in_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[key] -= 1
            if self._users[key] == 0:
                del self._users[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""
