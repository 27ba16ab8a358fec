"""The evidence fetcher: downloads the photos and documents of cases into the office's store.

The evidence rows (status ``pending``) are committed with the report or follow-up that
received the file ids. This worker takes the due rows, asks Telegram for each file
(getFile, then the download through the application's Bot), checks it (size, type by
its first bytes, SHA-256: :func:`domain.evidence.check_file`), puts the bytes in the
store and records the outcome, each file in its own short transaction in the thread
pool. A refused file is ``rejected``; a failed download is tried again later
(:class:`domain.evidence.FetchPolicy`) and ``failed`` after the last attempt. The
worker is woken after updates and sweeps every ``sweep_seconds``, so what was pending
before a restart is fetched after it. Errors are recorded without the bot token.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from datetime import datetime
from functools import partial
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot
from telegram.error import TelegramError

from bot.delivery.waiting import wait_event
from bot.runtime import Runtime
from domain.evidence import (
    DEFAULT_MAX_BYTES,
    EvidenceRefused,
    EvidenceStore,
    FetchPolicy,
    check_file,
    record_fetch_error,
    record_rejected,
    record_stored,
    safe_error,
)
from domain.models import CheckedFile, EvidenceFile

__all__ = ["EvidenceFetcher", "SWEEP_SECONDS", "BATCH"]

log = logging.getLogger(__name__)

SWEEP_SECONDS = 60.0
BATCH = 20

T = TypeVar("T")


class EvidenceFetcher:
    """Fetches due evidence files into the store, across restarts."""

    def __init__(
        self,
        runtime: Runtime,
        pool: Executor,
        store: EvidenceStore,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        policy: FetchPolicy | None = None,
        sweep_seconds: float = SWEEP_SECONDS,
        secrets: tuple[str, ...] = (),
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.runtime = runtime
        self.pool = pool
        self.store = store
        self.max_bytes = max_bytes
        self.policy = policy or FetchPolicy()
        self.sweep_seconds = sweep_seconds
        self.secrets = secrets
        self.clock = clock or runtime.now
        self._bot: Bot | None = None
        self._wake = asyncio.Event()
        self._main: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self.stored = 0
        self.rejected = 0
        self.errors = 0

    # -- life cycle -------------------------------------------------------------------

    async def start(self, bot: Bot) -> None:
        """Begin fetching (what was pending before a restart too)."""
        self._bot = bot
        if self._main is None:
            self._main = asyncio.get_running_loop().create_task(self._run(), name="evidence")

    async def stop(self) -> None:
        """Stop; what is not fetched stays pending for the next start.

        A download under way is abandoned (its row stays pending, tried again after the
        next start); a transaction under way finishes in the pool, which the application
        shuts down after this.
        """
        main, self._main = self._main, None
        if main is not None:
            main.cancel()
            await asyncio.gather(main, return_exceptions=True)

    def wake(self) -> None:
        """Look for due files now (after an update that may have recorded some)."""
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                await self.fetch_due()
            except SQLAlchemyError as error:
                log.warning("Bukti belum dapat diambil (basis data): %s", safe_error(error))
            except Exception as error:  # the worker must outlive any one bad pass
                log.error(
                    "Pengambilan bukti gagal: %s",
                    safe_error(error, *self.secrets),
                    exc_info=log.isEnabledFor(logging.DEBUG),
                )
            await wait_event(self._wake, self.sweep_seconds)
            self._wake.clear()

    # -- work -----------------------------------------------------------------------

    async def fetch_due(self, *, limit: int = BATCH) -> int:
        """Fetch every file due now (in batches of ``limit``); how many were handled."""
        if self._bot is None:
            raise RuntimeError("the evidence fetcher is not started")
        handled = 0
        async with self._lock:  # one pass at a time: a row is never fetched twice at once
            seen: set[int] = set()
            while True:
                due = await self._in_thread(partial(self._due, limit))
                fresh = [file for file in due if file.id not in seen]
                if not fresh:
                    return handled
                for file in fresh:
                    seen.add(file.id)
                    await self._fetch(self._bot, file)
                    handled += 1

    def _due(self, limit: int) -> list[EvidenceFile]:
        with self.runtime.uow() as uow:
            return uow.evidence.due(now=self.clock(), limit=limit)

    async def _download(self, bot: Bot, file_id: str) -> bytes:
        telegram_file = await bot.get_file(file_id)
        size = telegram_file.file_size
        if size is not None and size > self.max_bytes:
            # Telegram said how large it is: no need to download it to refuse it.
            raise EvidenceRefused(_too_large(size, self.max_bytes))
        data = await telegram_file.download_as_bytearray()
        return bytes(data)

    async def _fetch(self, bot: Bot, file: EvidenceFile) -> None:
        try:
            data = await self._download(bot, file.telegram_file_id)
            checked = check_file(data, max_bytes=self.max_bytes)
        except EvidenceRefused as refused:
            reason = str(refused)
            await self._in_thread(partial(self._reject, file, reason))
            self.rejected += 1
            log.info("Bukti %s kasus %s ditolak: %s", file.id, file.incident_id, reason)
            return
        except (TelegramError, OSError) as error:
            await self._record_error(file, error)
            return
        try:
            key = await self._in_thread(partial(self.store.put, data))
        except OSError as error:
            await self._record_error(file, error)
            return
        await self._in_thread(partial(self._store, file, checked, key))
        self.stored += 1

    async def _record_error(self, file: EvidenceFile, error: BaseException) -> None:
        text = safe_error(error, *self.secrets)
        self.errors += 1
        log.warning("Bukti %s kasus %s gagal diambil: %s", file.id, file.incident_id, text)
        await self._in_thread(partial(self._error, file, text))

    def _reject(self, file: EvidenceFile, reason: str) -> None:
        with self.runtime.uow() as uow:
            record_rejected(uow, file, reason=reason, at=self.clock())
            uow.commit()

    def _store(self, file: EvidenceFile, checked: CheckedFile, key: str) -> None:
        with self.runtime.uow() as uow:
            record_stored(uow, file, checked=checked, key=key, at=self.clock())
            uow.commit()

    def _error(self, file: EvidenceFile, text: str) -> None:
        with self.runtime.uow() as uow:
            record_fetch_error(uow, file, error=text, at=self.clock(), policy=self.policy)
            uow.commit()

    async def _in_thread(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.pool, work)


def _too_large(size: int, max_bytes: int) -> str:
    def mb(value: int) -> str:
        return f"{value / (1024 * 1024):.1f}".replace(".", ",")

    return f"Berkas terlalu besar ({mb(size)} MB, maksimal {mb(max_bytes)} MB)."
