"""Telegram's flood control (429 RetryAfter): wait as told, then send again."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

__all__ = ["retry_after_seconds", "send_patiently"]

log = logging.getLogger(__name__)


def retry_after_seconds(error: RetryAfter) -> float:
    """How long Telegram asks to wait (seconds today, a timedelta in PTB's next major)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def send_patiently(
    send: Callable[[], Awaitable[object]],
    *,
    sleep: Callable[[float], Awaitable[None]],
    tries: int,
    max_wait: float | None = None,
) -> None:
    """Call ``send`` up to ``tries`` times, waiting between calls as flood control asks.

    The last RetryAfter, or one asking to wait longer than ``max_wait``, is raised.
    """
    for attempt in range(1, tries + 1):
        try:
            await send()
            return
        except RetryAfter as flood:
            wait = retry_after_seconds(flood)
            if attempt == tries or (max_wait is not None and wait > max_wait):
                raise
            log.warning("Batas kirim Telegram: menunggu %.0f detik", wait)
            await sleep(wait)
