"""The Telegram application: ``build_application`` is the one composition root."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import time, timedelta
from functools import partial
from typing import Any, cast

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import texts
from bot.config import Settings
from bot.conversation import Registry, Services
from bot.conversation.engine import Engine
from bot.conversation.telegram import TelegramAdapter
from bot.delivery.evidence import EvidenceFetcher
from bot.delivery.outbox import OutboxSender
from bot.delivery.ratelimit import TelegramRateLimiter
from bot.delivery.updates import ChatOrderedProcessor
from bot.digest.reminders import ReminderService
from bot.digest.sender import DigestService
from bot.handlers import build_registry
from bot.runtime import Runtime, open_runtime
from domain.models import User, UserStatus
from storage.evidence_store import evidence_store as make_evidence_store

__all__ = [
    "build_application",
    "run",
    "serve_options",
    "ENGINE_KEY",
    "DIGEST_KEY",
    "REMINDER_KEY",
    "OUTBOX_KEY",
    "set_scope_menus",
    "set_user_menu",
]

log = logging.getLogger(__name__)

ENGINE_KEY = "engine"
DIGEST_KEY = "digest"
REMINDER_KEY = "reminders"
OUTBOX_KEY = "outbox"
EVIDENCE_KEY = "evidence"


def _commands(registry: Registry, user: User | None, *, group: bool = False) -> list[BotCommand]:
    specs = registry.visible_to(user)
    if group:
        specs = [s for s in specs if not s.private_only]
    return [BotCommand(s.name, s.description) for s in specs if s.name != "start"]


async def set_scope_menus(bot: Bot, registry: Registry) -> None:
    """Menus per scope: citizens in private chats, admins in groups (officers: per chat)."""
    await bot.set_my_commands(_commands(registry, None), scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands(
        [BotCommand("bantuan", "Bantuan")], scope=BotCommandScopeAllGroupChats()
    )
    admin_cmds = [
        BotCommand(s.name, s.description) for s in registry.commands.values() if not s.private_only
    ]
    await bot.set_my_commands(admin_cmds, scope=BotCommandScopeAllChatAdministrators())


async def set_user_menu(bot: Bot, registry: Registry, telegram_id: int, user: User | None) -> None:
    """The private-chat menu of one person, from their role (or the citizen menu)."""
    active = user if user is not None and user.status is UserStatus.ACTIVE else None
    try:
        await bot.set_my_commands(
            _commands(registry, active), scope=BotCommandScopeChat(telegram_id)
        )
    except TelegramError as error:  # the person never opened the bot, or blocked it
        log.info("Menu untuk %s tidak dapat diatur: %s", telegram_id, error)


def build_application(
    settings: Settings,
    runtime: Runtime | None = None,
    *,
    request: BaseRequest | None = None,
    rate_limit: bool = True,
) -> Application:  # type: ignore[type-arg]
    """Wire settings, database, features and Telegram into one Application.

    ``runtime`` shares an already open database (the console, tests); ``request``
    replaces the network layer (tests and the console answer Bot API calls locally);
    ``rate_limit=False`` leaves out Telegram's flood limits where there is no Telegram.
    """
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN belum diatur")
    owns_runtime = runtime is None
    rt = runtime if runtime is not None else open_runtime(settings)
    registry = build_registry()
    services = Services(settings=settings, skm_secret=rt.skm_secret(), read_xlsx=rt.read_xlsx)
    # Every transaction runs in this pool, never on the event loop; the connection pool
    # of SQLAlchemy (5 + 10 overflow by default) is larger, so a thread never waits for one.
    pool = ThreadPoolExecutor(max_workers=settings.db_threads, thread_name_prefix="iku-db")
    sender = OutboxSender(
        rt,
        pool,
        retry_seconds=settings.outbox_retry_seconds,
        max_age=timedelta(hours=settings.outbox_max_age_hours),
    )
    engine = Engine(rt, registry, services, pool=pool, outbox=sender)
    evidence_store = make_evidence_store(settings)  # S3 when EVIDENCE_S3_BUCKET is set
    services.evidence_store = evidence_store
    fetcher = EvidenceFetcher(
        rt,
        pool,
        evidence_store,
        max_bytes=settings.evidence_max_mb * 1024 * 1024,
        secrets=(settings.telegram_bot_token.get_secret_value(),),
    )
    telegram = TelegramAdapter(engine)
    telegram.on_evidence = fetcher.wake  # after a report or follow-up with photos
    digests = DigestService(rt, settings, pool)
    reminders = ReminderService(rt, settings, sender, pool)
    background: set[asyncio.Task[None]] = set()

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        me = await app.bot.get_me()
        services.bot_username = me.username or services.bot_username
        # What was committed but not delivered before a restart goes out first.
        await sender.start(app.bot)
        await fetcher.start(app.bot)
        try:
            await set_scope_menus(app.bot, registry)
        except TelegramError as error:
            log.warning("Menu perintah tidak dapat diatur: %s", error)
        # One menu per registered user may take a while under rate limits: not blocking.
        task = asyncio.get_running_loop().create_task(_user_menus(app.bot), name="menus")
        background.add(task)
        task.add_done_callback(background.discard)

    def _everyone() -> list[User]:
        with rt.uow() as uow:
            return [u for k in uow.kecamatan.list() for u in uow.users.list(k.id)]

    async def _user_menus(bot: Bot) -> None:
        for user in await engine.in_thread(_everyone):
            await set_user_menu(bot, registry, user.telegram_id, user)

    def _user(telegram_id: int) -> User | None:
        with rt.uow() as uow:
            return uow.users.get_by_telegram_id(telegram_id)

    async def refresh(bot: Bot, telegram_ids: list[int]) -> None:
        for telegram_id in telegram_ids:
            user = await engine.in_thread(partial(_user, telegram_id))
            await set_user_menu(bot, registry, telegram_id, user)

    telegram.on_menus = refresh

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log with context; tell the user in plain words (never the details)."""
        where: dict[str, Any] = {}
        if isinstance(update, Update):
            where = {
                "update_id": update.update_id,
                "chat_id": update.effective_chat.id if update.effective_chat else None,
                "user_id": update.effective_user.id if update.effective_user else None,
            }
        log.error("Kesalahan saat memproses update %s", where, exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                if update.callback_query is not None:
                    await update.callback_query.answer()
                await context.bot.send_message(
                    update.effective_chat.id, texts.ERROR, parse_mode=ParseMode.HTML
                )
            except TelegramError as error:
                log.warning("Pesan kesalahan tidak terkirim: %s", error)

    async def post_shutdown(_: Application) -> None:  # type: ignore[type-arg]
        for task in list(background):
            task.cancel()
        await fetcher.stop()
        await sender.stop()
        pool.shutdown(wait=True)  # transactions under way finish (or roll back) first
        if owns_runtime:
            rt.close()

    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        # Chats side by side, each chat's updates in order (bot/delivery/updates.py).
        .concurrent_updates(ChatOrderedProcessor())
    )
    if rate_limit:
        # The builder's type parameter for the limiter changes here; PTB's stubs cannot follow.
        builder = cast(Any, builder).rate_limiter(TelegramRateLimiter())
    if settings.telegram_api_base_url is not None:
        builder = builder.base_url(settings.telegram_api_base_url)
        file_url = settings.file_base_url()
        if file_url is not None:
            builder = builder.base_file_url(file_url)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    app = builder.build()
    app.bot_data[ENGINE_KEY] = engine
    app.bot_data[DIGEST_KEY] = digests
    app.bot_data[REMINDER_KEY] = reminders
    app.bot_data[OUTBOX_KEY] = sender
    app.bot_data[EVIDENCE_KEY] = fetcher
    # Commands (in any chat), answers in private chats, button presses.
    app.add_handler(MessageHandler(filters.COMMAND, telegram.on_command))
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & ~filters.COMMAND & ~filters.StatusUpdate.ALL,
            telegram.on_message,
        )
    )
    app.add_handler(CallbackQueryHandler(telegram.on_callback))
    app.add_handler(ChatMemberHandler(digests.on_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_error_handler(on_error)
    if app.job_queue is not None:
        schedule_jobs(app, engine, digests, reminders)
    return app


def schedule_jobs(
    app: Application,  # type: ignore[type-arg]
    engine: Engine,
    digests: DigestService,
    reminders: ReminderService,
) -> None:
    """The JobQueue (APScheduler on the office clock): digest, reminders, catch-up, purge.

    The digest and the reminders run at their scheduled moments; a second job every
    DIGEST_RETRY_MINUTES (and shortly after start) sends what is due but not sent yet:
    what was missed while the bot was down (within the grace period), or a retry.
    """
    queue = app.job_queue
    assert queue is not None

    async def purge(_: ContextTypes.DEFAULT_TYPE) -> None:
        await engine.in_thread(engine.purge_drafts)

    async def digest(context: ContextTypes.DEFAULT_TYPE) -> None:
        await digests.tick(context.bot)

    async def remind(context: ContextTypes.DEFAULT_TYPE) -> None:
        await reminders.tick(context.bot)

    async def flush_batch(_: ContextTypes.DEFAULT_TYPE) -> None:
        await engine.in_thread(engine.flush_skm)

    async def flush_day(_: ContextTypes.DEFAULT_TYPE) -> None:
        await engine.in_thread(partial(engine.flush_skm, whole=True))

    queue.run_repeating(purge, interval=3600, first=60, name="purge-drafts")
    # SKM answers: written in a shuffled batch once SKM_BATCH_SIZE wait (checked every
    # minute), and whatever waits at the end of each day (README "Anonimitas SKM").
    queue.run_repeating(flush_batch, interval=60, first=45, name="skm-flush")
    queue.run_daily(
        flush_day, time=time(23, 55, tzinfo=engine.services.settings.tz), name="skm-flush-day"
    )
    if digests.plan is not None:
        queue.run_custom(digest, job_kwargs={"trigger": digests.plan.trigger}, name="digest")
        queue.run_repeating(
            digest, interval=digests.retry.total_seconds(), first=15, name="digest-catch-up"
        )
    plan = reminders.settings.reminder_plan()
    if plan is not None:
        queue.run_custom(remind, job_kwargs={"trigger": plan.trigger}, name="reminders")
        queue.run_repeating(
            remind, interval=digests.retry.total_seconds(), first=30, name="reminders-catch-up"
        )


def serve_options(settings: Settings) -> tuple[str, dict[str, Any]]:
    """How to serve: ("polling", ...) by default, ("webhook", ...) when WEBHOOK_URL is set.

    Pending updates are never dropped: what users sent while the bot was down is answered.
    """
    common: dict[str, Any] = {"allowed_updates": Update.ALL_TYPES, "drop_pending_updates": False}
    if settings.webhook_url is None:
        return "polling", common
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    return "webhook", {
        **common,
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "webhook_url": settings.webhook_url,
        "secret_token": secret,
    }


def run(settings: Settings) -> int:
    """Prepare the database, then serve Telegram (long polling, or a webhook when set).

    Waits and retries while the database or Telegram cannot be reached (bot/delivery/serve.py).
    """
    if settings.telegram_bot_token is None:
        open_runtime(settings).close()  # the database is ready for when the token comes
        print(texts.NO_TOKEN)
        return 0
    from bot.delivery.serve import serve

    return asyncio.run(serve(settings))
