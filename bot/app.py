"""The Telegram application: ``build_application`` is the one composition root."""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
)
from telegram.request import BaseRequest

from bot import texts
from bot.config import Settings
from bot.runtime import Runtime, open_runtime

__all__ = ["build_application", "run"]

log = logging.getLogger(__name__)


def build_application(
    settings: Settings, runtime: Runtime, *, request: BaseRequest | None = None
) -> Application:  # type: ignore[type-arg]
    """Wire handlers and services into a python-telegram-bot Application.

    ``request`` replaces the network layer (tests answer Bot API calls locally).
    """
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN belum diatur")
    kecamatan = runtime.kecamatan()

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Greet the user."""
        if update.effective_message is not None:
            await update.effective_message.reply_text(
                texts.START.format(kecamatan=html.escape(kecamatan.nama))
            )

    async def bantuan(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """List the commands."""
        if update.effective_message is not None:
            await update.effective_message.reply_text(texts.HELP)

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log with context and tell the user in plain words."""
        log.error("Kesalahan saat memproses update", exc_info=context.error)
        if isinstance(update, Update) and update.effective_message is not None:
            await update.effective_message.reply_text(texts.ERROR)

    async def post_shutdown(_: Application) -> None:  # type: ignore[type-arg]
        runtime.close()

    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .rate_limiter(AIORateLimiter())
        .post_shutdown(post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    app = builder.build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("bantuan", bantuan))
    app.add_error_handler(on_error)
    return app


def run(settings: Settings) -> int:
    """Prepare the database, then poll Telegram until stopped; explain a missing token."""
    runtime = open_runtime(settings)
    if settings.telegram_bot_token is None:
        runtime.close()
        print(texts.NO_TOKEN)
        return 0
    app = build_application(settings, runtime)
    log.info("Bot berjalan (long polling). Hentikan dengan Ctrl+C.")
    # Pending updates are kept: what users sent while the bot was down is answered.
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    return 0
