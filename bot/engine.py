"""The adapter between python-telegram-bot and the guided conversations.

One unit of work per update: load the user and the draft, run the command, step or
button handler, save the draft, commit, then send the replies. Domain errors become
their Indonesian message and the current question is asked again; a button whose
conversation moved on is answered as stale, never applied.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import ContextTypes

from bot import texts
from bot.dialog import (
    MAX_DOCUMENT,
    Ctx,
    Flow,
    Input,
    InputKind,
    Keyboard,
    Outgoing,
    Services,
    StaleDraft,
)
from bot.runtime import Runtime
from domain.errors import DomainError
from domain.models import Kecamatan, Role, User, UserStatus
from domain.permissions import Action, allowed
from domain.registration import bootstrap_admin

__all__ = ["Registry", "CommandSpec", "Engine", "to_input", "split_text", "CHOICE_PREFIX"]

log = logging.getLogger(__name__)

CHOICE_PREFIX = "d"  # d:<token>:<step>:<value> - a choice of a conversation's step
RECORD_PREFIX = "r"  # r:<kind>:<args...> - a button bound to a record (card, approval)
SKM_DRAFT_HOURS = 24  # an unfinished questionnaire is forgotten after a day
MAX_TEXT = 4096
MAX_CAPTION = 1024

CommandFn = Callable[[Ctx, list[str]], None]
RecordFn = Callable[[Ctx, list[str]], None]
DeepLinkFn = Callable[[Ctx, str], None]


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """A command: its handler, where it may be used, and its menu description."""

    name: str
    handler: CommandFn
    description: str
    private_only: bool = True
    group_admin: bool = False  # usable in groups by bot admins
    action: Action | None = None  # listed for users allowed this; None: for everyone
    registered: bool = False  # listed only for registered (active) users


@dataclass(slots=True)
class Registry:
    """Every command, conversation and record button of the bot, by name."""

    commands: dict[str, CommandSpec] = field(default_factory=dict)
    flows: dict[str, type[Flow]] = field(default_factory=dict)
    records: dict[str, RecordFn] = field(default_factory=dict)
    deep_links: dict[str, DeepLinkFn] = field(default_factory=dict)

    def command(self, spec: CommandSpec) -> None:
        """Register a command (names are unique)."""
        if spec.name in self.commands:
            raise ValueError(f"duplicate command {spec.name}")
        self.commands[spec.name] = spec

    def flow(self, flow: type[Flow]) -> None:
        """Register a conversation."""
        if flow.name in self.flows:
            raise ValueError(f"duplicate flow {flow.name}")
        for step in flow.steps:
            if ":" in step or len(step) > 12:
                raise ValueError(f"step name {step!r} must be short and free of ':'")
        self.flows[flow.name] = flow

    def deep_link(self, prefix: str, handler: DeepLinkFn) -> None:
        """Register what ``/start <prefix>...`` does (longest prefix wins)."""
        if prefix in self.deep_links:
            raise ValueError(f"duplicate deep link {prefix}")
        self.deep_links[prefix] = handler

    def for_payload(self, payload: str) -> DeepLinkFn | None:
        """The handler of a deep-link payload, if any."""
        for prefix in sorted(self.deep_links, key=len, reverse=True):
            if payload == prefix or payload.startswith(prefix):
                return self.deep_links[prefix]
        return None

    def visible_to(self, user: User | None) -> list[CommandSpec]:
        """The commands ``user`` may use, in registration order (for help and menus)."""
        active = user is not None and user.status is UserStatus.ACTIVE
        shown = []
        for spec in self.commands.values():
            if spec.registered and not active:
                continue
            if spec.action is not None and not allowed(user, spec.action):
                continue
            shown.append(spec)
        return shown

    def record(self, kind: str, handler: RecordFn) -> None:
        """Register the handler of record buttons ``r:<kind>:...``."""
        if kind in self.records:
            raise ValueError(f"duplicate record button {kind}")
        self.records[kind] = handler


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
        return Input(InputKind.PHOTO, text=message.caption or "", file_id=best.file_id)
    if message.document is not None:
        doc = message.document
        return Input(
            InputKind.DOCUMENT,
            text=message.caption or "",
            file_id=doc.file_id,
            file_name=doc.file_name,
            file_size=doc.file_size,
        )
    if message.text is not None:
        return Input(InputKind.TEXT, text=message.text)
    for attribute, what in _OTHER_KINDS:
        if getattr(message, attribute, None):
            return Input(InputKind.OTHER, what=what)
    return Input(InputKind.OTHER, what="pesan jenis ini")


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split at line boundaries (a single over-long line is cut) so each part fits."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts


def _markup(message: Outgoing) -> InlineKeyboardMarkup | None:
    if not message.keyboard:
        return None
    rows = []
    for row in message.keyboard:
        buttons = []
        for button in row:
            if button.url is not None:
                buttons.append(InlineKeyboardButton(button.label, url=button.url))
            elif button.data is not None:
                buttons.append(InlineKeyboardButton(button.label, callback_data=button.data))
            else:
                if message.token is None or message.step is None:
                    raise ValueError(f"choice button {button.label!r} outside a conversation")
                data = f"{CHOICE_PREFIX}:{message.token}:{message.step}:{button.value}"
                if len(data.encode()) > 64:
                    raise ValueError(f"callback data too long: {data}")
                buttons.append(InlineKeyboardButton(button.label, callback_data=data))
        rows.append(buttons)
    return InlineKeyboardMarkup(rows)


class Engine:
    """Runs commands, conversation steps and buttons in one transaction per update."""

    def __init__(self, runtime: Runtime, registry: Registry, services: Services) -> None:
        self.runtime = runtime
        self.registry = registry
        self.services = services
        self._kecamatan: dict[int, Kecamatan] = {}
        self._default: Kecamatan | None = None
        self.on_menus: Callable[[Bot, list[int]], Awaitable[None]] | None = None

    # -- Telegram entry points -------------------------------------------------------

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A /command in any chat."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        head, *args = message.text.split()
        name, _, addressee = head[1:].partition("@")
        spec = self.registry.commands.get(name.lower())
        if message.chat.type != ChatType.PRIVATE:
            # In a group, commands for other bots and unknown ones are none of our business.
            mine = context.bot.username or self.services.bot_username
            if spec is None or (addressee and addressee.lower() != (mine or "").lower()):
                return
        if spec is None:
            await self._send_plain(context.bot, message.chat_id, texts.UNKNOWN_COMMAND)
            return
        if message.chat.type != ChatType.PRIVATE and spec.private_only:
            await self._send_private_hint(context.bot, message.chat_id)
            return

        def run(ctx: Ctx) -> None:
            in_group = message.chat.type != ChatType.PRIVATE
            if in_group and spec.group_admin and not _is_admin(ctx):
                ctx.say(texts.GROUP_ADMIN_ONLY)
                return
            spec.handler(ctx, args)

        await self._run(update, context.bot, run)

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Anything but a command in a private chat: an answer to the current step."""
        message = update.effective_message
        if message is None:
            return
        given = to_input(message)
        if given.kind is InputKind.DOCUMENT and message.document is not None:
            given = await _with_content(given, message, context.bot)
        await self._run(update, context.bot, lambda ctx: self._feed(ctx, given))

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

            def choose(ctx: Ctx) -> None:
                draft = ctx.draft
                if draft is None or draft.token != token or draft.step != step:
                    raise StaleDraft
                ctx.edit = ("", None)  # accepted: take the buttons off the question
                self._feed(ctx, Input(InputKind.CHOICE, text=value))

            await self._run(update, context.bot, choose, query=query)
        elif kind == RECORD_PREFIX:
            record, *args = rest.split(":")
            handler = self.registry.records.get(record)

            def press(ctx: Ctx) -> None:
                if handler is None:
                    raise StaleDraft
                handler(ctx, args)

            await self._run(update, context.bot, press, query=query)
        else:
            await self._answer(query, texts.STALE_BUTTON)

    # -- the transaction ---------------------------------------------------------------

    def _default_kecamatan(self) -> Kecamatan:
        """The configured kecamatan, looked up once (not on every citizen's update)."""
        if self._default is None:
            self._default = self.runtime.kecamatan()
        return self._default

    def _kecamatan_of(self, uow: Any, kecamatan_id: int | None) -> Kecamatan:
        if kecamatan_id is not None and kecamatan_id not in self._kecamatan:
            self._kecamatan = {k.id: k for k in uow.kecamatan.list()}
        if kecamatan_id is not None and kecamatan_id in self._kecamatan:
            return self._kecamatan[kecamatan_id]
        return self._default_kecamatan()

    async def _run(
        self,
        update: Update,
        bot: Bot,
        action: Callable[[Ctx], None],
        *,
        query: CallbackQuery | None = None,
    ) -> None:
        chat = update.effective_chat
        person = update.effective_user
        if chat is None or person is None or person.is_bot:
            return
        ctx = self.run_sync(chat.id, person.id, person.full_name, action)
        if query is not None:
            await self._answer(query, ctx.toast)
            if ctx.edit is not None and query.message is not None:
                await self._edit(bot, query, ctx.edit)
        await self.deliver(bot, chat.id, ctx.outbox)
        if ctx.menus and self.on_menus is not None:
            await self.on_menus(bot, ctx.menus)

    def run_sync(
        self, chat_id: int, telegram_id: int, name: str, action: Callable[[Ctx], None]
    ) -> Ctx:
        """Run ``action`` in one unit of work and return the context with its outbox."""
        settings = self.services.settings
        with self.runtime.uow() as uow:
            user = uow.users.get_by_telegram_id(telegram_id)
            now = self.runtime.now()
            if user is None and telegram_id in settings.admin_telegram_ids:
                default = self._default_kecamatan()
                user = bootstrap_admin(
                    uow, telegram_id=telegram_id, kecamatan_id=default.id, nama=name, at=now
                )
            kecamatan = self._kecamatan_of(uow, None if user is None else user.kecamatan_id)
            ctx = Ctx(
                uow=uow,
                chat_id=chat_id,
                telegram_id=telegram_id,
                telegram_name=name,
                user=user,
                kecamatan=kecamatan,
                now=now,
                services=self.services,
                draft=uow.drafts.get(chat_id, telegram_id),
            )
            try:
                action(ctx)
                self._finish(ctx)
                uow.commit()
            except StaleDraft:
                uow.rollback()
                ctx = self._stale(ctx)
            except DomainError as error:
                uow.rollback()
                ctx = self._explain(ctx, str(error))
        return ctx

    def _reset(self, ctx: Ctx) -> Ctx:
        """A fresh context on the stored state, after a rollback."""
        return replace(
            ctx,
            draft=ctx.uow.drafts.get(ctx.chat_id, ctx.telegram_id),
            outbox=[],
            next_step=None,
            ended=False,
            started=False,
            edit=None,
            toast=None,
        )

    def _explain(self, ctx: Ctx, message: str) -> Ctx:
        """Say what was wrong and ask the current question again."""
        fresh = self._reset(ctx)
        fresh.say(html.escape(message, quote=False))
        if fresh.draft is not None and ctx.draft is not None and ctx.draft.version > 0:
            fresh.next_step = fresh.draft.step
            self._finish(fresh)
            fresh.uow.commit()
        return fresh

    def _stale(self, ctx: Ctx) -> Ctx:
        fresh = self._reset(ctx)
        fresh.toast = texts.STALE_BUTTON
        if fresh.draft is not None and fresh.draft.flow in self.registry.flows:
            flow = self.registry.flows[fresh.draft.flow]
            fresh.say(texts.STALE_RESUME.format(title=flow.title))
            fresh.next_step = fresh.draft.step
            self._finish(fresh)
            fresh.uow.commit()
        else:
            fresh.say(texts.STALE_NO_DRAFT)
        return fresh

    def _finish(self, ctx: Ctx) -> None:
        """Prompt the next step (prompts may skip ahead) and save the draft."""
        if ctx.ended or ctx.draft is None:
            return
        flow = self.registry.flows.get(ctx.draft.flow)
        if flow is None:
            ctx.uow.drafts.delete(ctx.chat_id, ctx.telegram_id)
            return
        for _ in range(len(flow.steps) + 1):
            if ctx.next_step is None or ctx.ended:
                break
            step = ctx.next_step
            ctx.next_step = None
            ctx.draft = replace(ctx.draft, step=step)
            flow.steps[step].prompt(ctx)
        if ctx.is_over():
            return
        assert ctx.draft is not None
        saved = ctx.uow.drafts.save(replace(ctx.draft, updated_at=ctx.now))
        if saved is None:
            raise StaleDraft
        ctx.draft = saved

    def _feed(self, ctx: Ctx, given: Input) -> None:
        """Hand an answer to the current step, or explain what the bot expects."""
        draft = ctx.draft
        if draft is None or draft.flow not in self.registry.flows:
            if given.kind is InputKind.CHOICE:
                raise StaleDraft
            ctx.say(texts.NO_CONVERSATION)
            return
        flow = self.registry.flows[draft.flow]
        step = flow.steps.get(draft.step)
        if step is None:
            raise StaleDraft
        if given.kind not in step.accepts:
            if given.kind is InputKind.OTHER:
                ctx.say(texts.UNSUPPORTED.format(what=given.what))
            elif step.hint:
                ctx.say(step.hint)
            elif InputKind.CHOICE in step.accepts:
                ctx.say(texts.CHOOSE_BUTTON)
            else:
                ctx.say(texts.WRONG_KIND)
            ctx.edit = None
            ctx.goto(draft.step)
            return
        step.handle(ctx, given)

    # -- housekeeping ------------------------------------------------------------------

    def purge_drafts(self) -> int:
        """Forget conversations abandoned long ago; SKM ones (a chat id next to answers) soon."""
        settings = self.services.settings
        now = self.runtime.now()
        with self.runtime.uow() as uow:
            purged = uow.drafts.purge(now - timedelta(hours=SKM_DRAFT_HOURS), flow="skm")
            purged += uow.drafts.purge(now - timedelta(days=settings.draft_max_age_days))
            uow.commit()
        if purged:
            log.info("%d isian yang ditinggalkan dihapus.", purged)
        return purged

    # -- sending -----------------------------------------------------------------------

    async def deliver(self, bot: Bot, chat_id: int, outbox: list[Outgoing]) -> None:
        """Send every queued message; a recipient who blocked the bot does not stop the rest."""
        for message in outbox:
            target = message.chat_id if message.chat_id is not None else chat_id
            try:
                await self._send(bot, target, message)
            except (Forbidden, BadRequest) as error:
                log.warning("Pesan ke chat %s tidak terkirim: %s", target, error)
                if message.chat_id is None:
                    raise

    async def _send(self, bot: Bot, chat_id: int, message: Outgoing) -> None:
        markup = _markup(message)
        if message.photo is not None or message.photo_file_id is not None:
            photo: Any = (
                InputFile(message.photo, filename="gambar.png")
                if message.photo is not None
                else message.photo_file_id
            )
            caption = message.text if len(message.text) <= MAX_CAPTION else None
            try:
                await bot.send_photo(
                    chat_id, photo, caption=caption, parse_mode=ParseMode.HTML, reply_markup=markup
                )
            except (NetworkError, BadRequest) as error:  # the media was refused: keep the text
                log.warning("Foto ke chat %s tidak terkirim: %s", chat_id, error)
                await self._send_text(bot, chat_id, message.text, markup)
                return
            if caption is None:
                await self._send_text(bot, chat_id, message.text, None)
            return
        if message.document is not None:
            name, content = message.document
            caption = message.text if len(message.text) <= MAX_CAPTION else None
            try:
                await bot.send_document(
                    chat_id,
                    InputFile(content, filename=name),
                    caption=caption,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                )
            except (NetworkError, BadRequest) as error:  # the file was refused: keep the text
                log.warning("Berkas ke chat %s tidak terkirim: %s", chat_id, error)
                await self._send_text(bot, chat_id, message.text, markup)
                return
            if caption is None:
                await self._send_text(bot, chat_id, message.text, None)
            return
        if message.location is not None:
            await bot.send_location(chat_id, message.location[0], message.location[1])
        await self._send_text(bot, chat_id, message.text, markup)

    async def _send_text(
        self, bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        parts = split_text(text)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            await bot.send_message(
                chat_id,
                part,
                parse_mode=ParseMode.HTML,
                reply_markup=markup if last else None,
                disable_web_page_preview=True,
            )

    async def _send_plain(self, bot: Bot, chat_id: int, text: str) -> None:
        await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)

    async def _send_private_hint(self, bot: Bot, chat_id: int) -> None:
        link = f"https://t.me/{self.services.bot_username}"
        await bot.send_message(
            chat_id,
            texts.PRIVATE_ONLY,
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton(texts.OPEN_PRIVATE, url=link)]]
            ),
        )

    async def _answer(self, query: CallbackQuery, text: str | None) -> None:
        try:
            await query.answer(text)
        except BadRequest as error:  # "query is too old": the press still gets its reply
            log.info("Callback tidak dapat dijawab: %s", error)

    async def _edit(
        self, bot: Bot, query: CallbackQuery, edit: tuple[str, Keyboard | None]
    ) -> None:
        message = query.message
        if message is None:
            return
        text, keyboard = edit
        markup = _markup(Outgoing(text, keyboard)) if keyboard else None
        try:
            if text:
                await bot.edit_message_text(
                    text,
                    chat_id=message.chat.id,
                    message_id=message.message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                )
            else:
                await bot.edit_message_reply_markup(
                    chat_id=message.chat.id, message_id=message.message_id, reply_markup=None
                )
        except TelegramError as error:  # too old, unchanged, or deleted: not worth failing
            log.info("Pesan lama tidak dapat diubah: %s", error)


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
    return user is not None and user.role is Role.ADMIN and user.status is UserStatus.ACTIVE
