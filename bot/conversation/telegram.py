"""python-telegram-bot's side of the engine: updates in, the transaction's outcome out.

Each handler here turns an Update into a :class:`Request` and an action, runs it in
the engine's transaction (in the database pool), hands the committed replies to the
outbox sender, and answers the button press. Commands in groups that are for other
bots, or unknown, are none of the bot's business; a command's precheck (a group
command asking Telegram for the bot's rights) runs before the transaction. When the
database cannot be reached, the person is told directly, as nothing can be written.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

from telegram import Bot, CallbackQuery, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import texts
from bot.conversation.callbacks import RECORD_PREFIX
from bot.conversation.context import CHOICE_PREFIX, Button, Ctx, Incoming
from bot.conversation.engine import Action, DatabaseUnavailable, Engine
from bot.conversation.flow import MAX_DOCUMENT, Input, InputKind
from domain.models import Role, UpdateKey, UserStatus

__all__ = ["TelegramAdapter", "to_input"]

log = logging.getLogger(__name__)

_OTHER_KINDS = (
    ("sticker", "stiker"),
    ("voice", "pesan suara"),
    ("video_note", "pesan video"),
    ("video", "video"),
    ("audio", "audio"),
    ("animation", "GIF"),
    ("contact", "kontak"),
    ("poll", "polling"),
    ("dice", "dadu"),
    ("game", "permainan"),
)


def to_input(message: Message) -> Input:
    """Reduce a Telegram message to what a step handler needs."""
    if message.location is not None or message.venue is not None:
        loc = message.location or (message.venue.location if message.venue else None)
        assert loc is not None
        return Input(InputKind.LOCATION, latitude=loc.latitude, longitude=loc.longitude)
    if message.photo:
        best = message.photo[-1]
        return Input(
            InputKind.PHOTO,
            text=message.caption or "",
            file_id=best.file_id,
            file_unique_id=best.file_unique_id,
        )
    if message.document is not None:
        doc = message.document
        return Input(
            InputKind.DOCUMENT,
            text=message.caption or "",
            file_id=doc.file_id,
            file_name=doc.file_name,
            file_size=doc.file_size,
            file_unique_id=doc.file_unique_id,
            mime_type=doc.mime_type,
        )
    if message.text is not None:
        return Input(InputKind.TEXT, text=message.text)
    for attribute, what in _OTHER_KINDS:
        if getattr(message, attribute, None):
            return Input(InputKind.OTHER, what=what)
    return Input(InputKind.OTHER, what="pesan jenis ini")


class TelegramAdapter:
    """The handlers python-telegram-bot calls: commands, answers, button presses."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.registry = engine.registry
        self.services = engine.services
        self.on_menus: Callable[[Bot, list[int]], Awaitable[None]] | None = None
        # Called after a transaction that committed pending evidence files.
        self.on_evidence: Callable[[], None] | None = None
        token = engine.services.settings.telegram_bot_token
        prefix = token.get_secret_value().split(":", 1)[0] if token is not None else "0"
        self.bot_id = int(prefix) if prefix.isdigit() else 0

    def key_of(self, update: Update) -> UpdateKey:
        """What identifies ``update`` in the log of handled updates."""
        query = update.callback_query
        return UpdateKey(self.bot_id, update.update_id, None if query is None else query.id)

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A /command in any chat."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        head, *args = message.text.split()
        name, _, addressee = head[1:].partition("@")
        spec = self.registry.commands.get(name.lower())
        in_group = message.chat.type != ChatType.PRIVATE
        if in_group:
            # In a group, commands for other bots and unknown ones are none of our business.
            mine = context.bot.username or self.services.bot_username
            if spec is None or (addressee and addressee.lower() != (mine or "").lower()):
                return
        if spec is None:
            await self._run(update, context.bot, _say(texts.UNKNOWN_COMMAND), what="cmd:?")
            return
        if in_group and spec.private_only:
            link = f"https://t.me/{self.services.bot_username}"
            hint = _say(texts.PRIVATE_ONLY, [[Button(texts.OPEN_PRIVATE, url=link)]])
            await self._run(update, context.bot, hint, what=f"cmd:{spec.name}")
            return
        checked: object = None
        sender = update.effective_user
        if in_group and spec.precheck is not None and sender is not None:
            checked = await spec.precheck(context.bot, message.chat.id, sender.id)

        def run(ctx: Ctx) -> None:
            if in_group and spec.group_admin and not _is_admin(ctx):
                ctx.say(texts.GROUP_ADMIN_ONLY)
                return
            spec.handler(ctx, args)

        await self._run(
            update,
            context.bot,
            run,
            what=f"cmd:{spec.name}",
            rerun=f"c:{message.text}",
            checked=checked,
        )

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Anything but a command in a private chat: an answer to the current step."""
        message = update.effective_message
        if message is None:
            return
        given = to_input(message)
        if given.kind is InputKind.DOCUMENT and message.document is not None:
            given = await _with_content(given, message, context.bot)
        await self._run(update, context.bot, lambda ctx: self.engine.feed(ctx, given))

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button press: a step's choice, or a record's action."""
        query = update.callback_query
        if query is None:
            return
        data = query.data or ""
        kind, _, rest = data.partition(":")
        if kind == CHOICE_PREFIX:
            token, _, rest = rest.partition(":")
            step, _, value = rest.partition(":")
            await self._run(
                update,
                context.bot,
                lambda ctx: self.engine.choose(ctx, token, step, value),
                query=query,
            )
        elif kind == RECORD_PREFIX:
            record = rest.partition(":")[0]
            await self._run(
                update,
                context.bot,
                lambda ctx: self.registry.press(ctx, data),
                query=query,
                what=f"btn:{record}",
                rerun=f"b:{data}",
            )
        else:
            await self._answer(query, texts.STALE_BUTTON)

    async def _run(
        self,
        update: Update,
        bot: Bot,
        action: Action,
        *,
        query: CallbackQuery | None = None,
        what: str | None = None,
        rerun: str | None = None,
        checked: object = None,
    ) -> None:
        chat = update.effective_chat
        person = update.effective_user
        if chat is None or person is None or person.is_bot:
            return
        pressed = None
        if query is not None and isinstance(query.message, Message):
            pressed = query.message.message_id
        key = self.key_of(update)
        incoming = Incoming(
            chat_id=chat.id,
            telegram_id=person.id,
            telegram_name=person.full_name,
            in_group=chat.type != ChatType.PRIVATE,
            chat_title=chat.title,
            checked=checked,
            username=person.username,
        )
        engine = self.engine
        try:
            outcome = await engine.in_thread(
                lambda: engine.run_sync(
                    incoming, action, key=key, what=what, pressed=pressed, rerun=rerun
                )
            )
        except DatabaseUnavailable:
            await self._tell_unavailable(bot, chat.id, query)
            return
        if outcome.duplicate:
            log.info("Update %s sudah pernah ditangani: diabaikan.", update.update_id)
            return
        # The change is committed: from here on nothing may tell the person it failed.
        engine.outbox.submit(outcome.queued)
        if outcome.evidence and self.on_evidence is not None:
            self.on_evidence()
        reply = outcome.ctx.reply
        if query is not None:
            await self._answer(query, reply.toast)
        if reply.menus and self.on_menus is not None:
            try:
                await self.on_menus(bot, reply.menus)
            except Exception:
                log.exception("Menu perintah tidak dapat diperbarui")

    async def _tell_unavailable(self, bot: Bot, chat_id: int, query: CallbackQuery | None) -> None:
        """Nothing could be read or written: say so at once (the outbox is in the database)."""
        if query is not None:
            await self._answer(query, texts.DATABASE_DOWN_TOAST)
        try:
            await bot.send_message(chat_id, texts.DATABASE_DOWN, parse_mode=ParseMode.HTML)
        except TelegramError as error:
            log.warning("Pemberitahuan gangguan ke chat %s tidak terkirim: %s", chat_id, error)

    async def _answer(self, query: CallbackQuery, text: str | None) -> None:
        try:
            await query.answer(text)
        except TelegramError as error:  # "query is too old", or the network: not worth more
            log.info("Callback tidak dapat dijawab: %s", error)


def _say(text: str, keyboard: list[list[Button]] | None = None) -> Action:
    """An action that only replies (kept in the outbox like every other reply)."""

    def action(ctx: Ctx) -> None:
        ctx.say(text, keyboard)

    return action


async def _with_content(given: Input, message: Message, bot: Bot) -> Input:
    """Download a small document so that a step can read it (bigger ones: no content)."""
    document = message.document
    assert document is not None
    if document.file_size is not None and document.file_size > MAX_DOCUMENT:
        return given
    try:
        file = await bot.get_file(document.file_id)
        data = bytes(await file.download_as_bytearray())
    except TelegramError as error:
        log.warning("Berkas tidak dapat diunduh: %s", error)
        return given
    if len(data) > MAX_DOCUMENT:
        return given
    return replace(given, content=data)


def _is_admin(ctx: Ctx) -> bool:
    user = ctx.user
    return (
        user is not None
        and user.role in (Role.ADMIN, Role.ADMIN_KABUPATEN)  # each handler checks its action
        and user.status is UserStatus.ACTIVE
    )
