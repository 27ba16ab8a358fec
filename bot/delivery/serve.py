"""Serving Telegram for real: wait for the database and Telegram, then run until stopped.

A server restarts at night, the database comes up after the bot, the office's
internet drops: the bot waits and retries instead of dying with a traceback. Each
attempt is one Indonesian log line (the details only at DEBUG), the pause doubles
from one second up to a minute, and "Bot berjalan" is logged only once the bot
really polls (or listens for its webhook). SIGTERM or Ctrl+C stops it cleanly,
also while it waits. A token that Telegram rejects is not retried: that needs a
person, so the process ends with exit code 1 and says why.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from bot.config import Settings
from bot.delivery.polling import DurablePoller
from bot.delivery.updates import ChatOrderedProcessor
from bot.delivery.waiting import wait_event
from bot.runtime import Runtime, open_runtime

__all__ = ["serve", "Stopped", "with_retries", "MAX_PAUSE"]

log = logging.getLogger(__name__)

MAX_PAUSE = 60.0  # seconds between attempts, at most
T = TypeVar("T")


class Stopped(Exception):
    """The bot was asked to stop while it was waiting."""


def _reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]


async def with_retries(
    what: str,
    attempt: Callable[[], Awaitable[T]],
    *,
    retry_on: tuple[type[BaseException], ...],
    stop: asyncio.Event,
    first_pause: float = 1.0,
) -> T:
    """``attempt()`` until it succeeds; one log line per failure; :class:`Stopped` on stop."""
    pause = first_pause
    tries = 0
    while True:
        tries += 1
        try:
            return await attempt()
        except retry_on as error:
            log.warning(
                "%s belum dapat dihubungi (percobaan %d): %s. Dicoba lagi dalam %.0f detik.",
                what,
                tries,
                _reason(error),
                pause,
            )
            log.debug("Rincian kegagalan %s", what, exc_info=error)
        await wait_event(stop, pause)
        if stop.is_set():
            raise Stopped
        pause = min(pause * 2, MAX_PAUSE)


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> int:
    """Open the database, reach Telegram, and serve until SIGTERM/SIGINT; the exit code.

    ``stop`` ends it too (tests); without one, the signals are bound to a new event.
    """
    # Imported here: the composition root pulls in the whole Telegram stack.
    from bot.app import build_application, serve_options

    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)

    def open_database() -> Runtime:
        return open_runtime(settings)

    async def database() -> Runtime:
        return await asyncio.to_thread(open_database)

    try:
        runtime = await with_retries(
            "Basis data", database, retry_on=(SQLAlchemyError, OSError), stop=stop
        )
    except Stopped:
        return 0
    try:
        app = build_application(settings, runtime)
        try:
            await with_retries("Telegram", app.initialize, retry_on=(NetworkError,), stop=stop)
        except InvalidToken:
            log.error(
                "Token bot ditolak Telegram. Periksa TELEGRAM_BOT_TOKEN (salin ulang dari "
                "@BotFather); bot tidak dijalankan."
            )
            return 1
        except Stopped:
            await app.shutdown()
            return 0
        poller: DurablePoller | None = None
        try:
            post_init = app.post_init
            if post_init is not None:
                await with_retries(
                    "Telegram", lambda: post_init(app), retry_on=(NetworkError,), stop=stop
                )
            options = serve_options(settings)
            poller = await _start_updates(app, options, stop)
            await app.start()
            if options[0] == "webhook":
                log.info(
                    "Bot berjalan (webhook) di %s:%s.",
                    settings.webhook_listen,
                    settings.webhook_port,
                )
            else:
                log.info("Bot berjalan (long polling). Hentikan dengan Ctrl+C.")
            await stop.wait()
            log.info("Bot dihentikan.")
        except Stopped:
            pass
        finally:
            if poller is not None:
                await poller.stop()
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            await app.shutdown()
            if app.post_shutdown is not None:
                await app.post_shutdown(app)
    finally:
        runtime.close()
    return 0


def _polling_trouble(error: TelegramError) -> None:
    """While polling: the poller tries again by itself; one line instead of a traceback."""
    log.warning("Telegram tidak dapat dihubungi saat mengambil pesan: %s. Dicoba lagi.", error)


async def _start_updates(
    app: Application,  # type: ignore[type-arg]
    mode_options: tuple[str, dict[str, object]],
    stop: asyncio.Event,
) -> DurablePoller | None:
    """Webhook: python-telegram-bot's own server. Polling: :class:`DurablePoller`."""
    updater = app.updater
    assert updater is not None
    mode, options = mode_options
    if mode == "webhook":

        async def webhook() -> None:
            await updater.start_webhook(**options)  # type: ignore[arg-type]

        await with_retries("Telegram (webhook)", webhook, retry_on=(NetworkError,), stop=stop)
        return None

    poller = DurablePoller(app, on_trouble=_polling_trouble)
    processor = app.update_processor
    if isinstance(processor, ChatOrderedProcessor):
        processor.finished = poller.finished
    await with_retries("Telegram", poller.start, retry_on=(NetworkError,), stop=stop)
    return poller
