"""The adapter between python-telegram-bot and the guided conversations.

One unit of work per update, run in a thread of the database pool (never on the
event loop): record the update as handled, load the user and the draft, run the
command, step or button handler, save the draft, write the replies to the outbox,
commit. Only then does the outbox sender deliver them (bot/delivery/outbox.py), so that a
stored change always reaches the people it concerns, also after a crash, and a
redelivered update changes nothing and is not answered again.

Domain errors become their Indonesian message and the current question is asked
again; a button whose conversation moved on is answered as stale, never applied.
When the database cannot be reached, the person is told in plain words (directly,
as nothing can be written) and the draft stays as it was.
"""

from __future__ import annotations

import asyncio
import html
import logging
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from telegram import Bot, CallbackQuery, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import failpoints, texts
from bot.conversation.dialog import (
    CHOICE_PREFIX,
    MAX_DOCUMENT,
    REPLACE_KEY,
    Button,
    Ctx,
    Flow,
    Input,
    InputKind,
    Services,
    StaleDraft,
    WouldReplace,
)
from bot.delivery.outbox import OutboxSender, encode, encode_edit
from bot.runtime import Runtime
from domain.errors import DomainError
from domain.models import Kecamatan, Role, UpdateKey, User, UserStatus
from domain.permissions import Action, allowed
from domain.registration import bootstrap_admin

__all__ = [
    "Registry",
    "CommandSpec",
    "Engine",
    "DatabaseUnavailable",
    "to_input",
    "CHOICE_PREFIX",
]

log = logging.getLogger(__name__)

RECORD_PREFIX = "r"  # r:<kind>:<args...> - a button bound to a record (card, approval)
REPLACE_BUTTON = "gn"  # r:gn:<token>:<version>:l|b - continue the conversation, or start anew
SKM_DRAFT_HOURS = 24  # an unfinished questionnaire is forgotten after a day
HANDLED_UPDATE_DAYS = 7  # Telegram redelivers for 24 hours; a week is ample
SENT_OUTBOX_DAYS = 30  # delivered messages kept this long (for questions about them)
DB_TRIES = 3  # a transaction that lost its connection or met a lock is run again
T = TypeVar("T")


class DatabaseUnavailable(Exception):
    """The database could not be reached (or stayed locked) for an update."""


def _connection_trouble(error: BaseException) -> bool:
    """Errors of the connection or a lock (worth a retry), not of the data."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


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


class Engine:
    """Runs commands, conversation steps and buttons in one transaction per update."""

    def __init__(
        self,
        runtime: Runtime,
        registry: Registry,
        services: Services,
        *,
        pool: Executor,
        outbox: OutboxSender,
    ) -> None:
        self.runtime = runtime
        self.registry = registry
        self.services = services
        self.pool = pool
        self.outbox = outbox
        self._kecamatan: dict[int, Kecamatan] = {}
        self._default: Kecamatan | None = None
        self.on_menus: Callable[[Bot, list[int]], Awaitable[None]] | None = None
        registry.record(REPLACE_BUTTON, self._replace_choice)
        token = services.settings.telegram_bot_token
        prefix = token.get_secret_value().split(":", 1)[0] if token is not None else "0"
        self.bot_id = int(prefix) if prefix.isdigit() else 0

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
            await self._run(update, context.bot, _say(texts.UNKNOWN_COMMAND), what="cmd:?")
            return
        if message.chat.type != ChatType.PRIVATE and spec.private_only:
            link = f"https://t.me/{self.services.bot_username}"
            hint = _say(texts.PRIVATE_ONLY, [[Button(texts.OPEN_PRIVATE, url=link)]])
            await self._run(update, context.bot, hint, what=f"cmd:{spec.name}")
            return

        def run(ctx: Ctx) -> None:
            in_group = message.chat.type != ChatType.PRIVATE
            if in_group and spec.group_admin and not _is_admin(ctx):
                ctx.say(texts.GROUP_ADMIN_ONLY)
                return
            spec.handler(ctx, args)

        await self._run(
            update, context.bot, run, what=f"cmd:{spec.name}", rerun=f"c:{message.text}"
        )

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

            await self._run(
                update, context.bot, press, query=query, what=f"btn:{record}", rerun=f"b:{data}"
            )
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

    def key_of(self, update: Update) -> UpdateKey:
        """What identifies ``update`` in the log of handled updates."""
        query = update.callback_query
        return UpdateKey(self.bot_id, update.update_id, None if query is None else query.id)

    async def in_thread(self, work: Callable[[], T]) -> T:
        """Run blocking work (a transaction, a workbook) in the database pool."""
        return await asyncio.get_running_loop().run_in_executor(self.pool, work)

    async def _run(
        self,
        update: Update,
        bot: Bot,
        action: Callable[[Ctx], None],
        *,
        query: CallbackQuery | None = None,
        what: str | None = None,
        rerun: str | None = None,
    ) -> None:
        chat = update.effective_chat
        person = update.effective_user
        if chat is None or person is None or person.is_bot:
            return
        pressed = None
        if query is not None and isinstance(query.message, Message):
            pressed = query.message.message_id
        key = self.key_of(update)
        try:
            ctx = await self.in_thread(
                lambda: self.run_sync(
                    chat.id,
                    person.id,
                    person.full_name,
                    action,
                    key=key,
                    what=what,
                    pressed=pressed,
                    rerun=rerun,
                )
            )
        except DatabaseUnavailable:
            await self._tell_unavailable(bot, chat.id, query)
            return
        if ctx.duplicate:
            log.info("Update %s sudah pernah ditangani: diabaikan.", update.update_id)
            return
        # The change is committed: from here on nothing may tell the person it failed.
        self.outbox.submit(ctx.queued)
        if query is not None:
            await self._answer(query, ctx.toast)
        if ctx.menus and self.on_menus is not None:
            try:
                await self.on_menus(bot, ctx.menus)
            except Exception:
                log.exception("Menu perintah tidak dapat diperbarui")

    def run_sync(
        self,
        chat_id: int,
        telegram_id: int,
        name: str,
        action: Callable[[Ctx], None],
        *,
        key: UpdateKey | None = None,
        what: str | None = None,
        pressed: int | None = None,
        rerun: str | None = None,
    ) -> Ctx:
        """Run ``action`` in one unit of work; its replies are written to the outbox.

        A transaction that loses its connection (or waits out a lock) is run again
        from the start, up to DB_TRIES times; then :class:`DatabaseUnavailable`.
        """
        for attempt in range(1, DB_TRIES + 1):
            try:
                return self._transaction(
                    chat_id,
                    telegram_id,
                    name,
                    action,
                    key=key,
                    what=what,
                    pressed=pressed,
                    rerun=rerun,
                )
            except Exception as error:
                if not _connection_trouble(error):
                    raise
                if attempt == DB_TRIES:
                    log.warning(
                        "Basis data tidak dapat dipakai untuk chat %s (%d kali): %s",
                        chat_id,
                        attempt,
                        str(error).splitlines()[0][:200],
                    )
                    raise DatabaseUnavailable from error
                time.sleep(0.2 * attempt)
        raise AssertionError("unreachable")

    def _transaction(
        self,
        chat_id: int,
        telegram_id: int,
        name: str,
        action: Callable[[Ctx], None],
        *,
        key: UpdateKey | None,
        what: str | None,
        pressed: int | None,
        rerun: str | None = None,
    ) -> Ctx:
        settings = self.services.settings
        with self.runtime.uow() as uow:
            now = self.runtime.now()
            if key is not None and not uow.updates.claim(key, at=now):
                return Ctx(
                    uow=uow,
                    chat_id=chat_id,
                    telegram_id=telegram_id,
                    telegram_name=name,
                    user=None,
                    kecamatan=self._default_kecamatan(),
                    now=now,
                    services=self.services,
                    duplicate=True,
                )
            user = uow.users.get_by_telegram_id(telegram_id)
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
            if what is None:
                draft = ctx.draft
                what = "msg" if draft is None else f"step:{draft.flow}.{draft.step}"
            bootstrapped = user is not None and user.telegram_id in settings.admin_telegram_ids
            try:
                action(ctx)
                self._finish(ctx)
            except StaleDraft:
                uow.rollback()
                ctx = self._stale(self._again(ctx, bootstrapped), key)
            except DomainError as error:
                uow.rollback()
                ctx = self._explain(self._again(ctx, bootstrapped), str(error), key)
            except WouldReplace as asked:
                uow.rollback()
                ctx = self._ask_replace(self._again(ctx, bootstrapped), asked.flow, key, rerun)
            self._enqueue(ctx, pressed, key)
            failpoints.hit(f"before_commit:{what}")
            uow.commit()
            failpoints.hit(f"after_commit:{what}")
        return ctx

    def _again(self, ctx: Ctx, admin: bool) -> Ctx:
        """After a rollback: a configured admin registered by this update is registered again."""
        if not admin or ctx.user is None:
            return ctx
        if ctx.uow.users.get_by_telegram_id(ctx.telegram_id) is not None:
            return ctx
        user = bootstrap_admin(
            ctx.uow,
            telegram_id=ctx.telegram_id,
            kecamatan_id=self._default_kecamatan().id,
            nama=ctx.telegram_name,
            at=ctx.now,
        )
        return replace(ctx, user=user)

    def _ask_replace(
        self, ctx: Ctx, new: type[Flow], key: UpdateKey | None, rerun: str | None
    ) -> Ctx:
        """Ask before a conversation with answers is replaced: continue, or start anew."""
        fresh = self._reset(ctx, key)
        draft = fresh.draft
        if draft is None or rerun is None or draft.flow not in self.registry.flows:
            return self._stale(ctx, None)
        current = self.registry.flows[draft.flow]
        data = {**draft.data, REPLACE_KEY: rerun}
        saved = fresh.uow.drafts.save(replace(draft, data=data, updated_at=fresh.now))
        if saved is None:
            raise StaleDraft
        fresh.draft = saved
        base = f"{RECORD_PREFIX}:{REPLACE_BUTTON}:{saved.token}:{saved.version}"
        fresh.say(
            texts.REPLACE_ASK.format(current=current.title, new=new.title),
            [
                [Button(texts.REPLACE_CONTINUE.format(title=current.title), data=f"{base}:l")],
                [Button(texts.REPLACE_NEW.format(title=new.title), data=f"{base}:b")],
            ],
        )
        return fresh

    def _replace_choice(self, ctx: Ctx, args: list[str]) -> None:
        """The answer to :meth:`_ask_replace` (a stale one changes nothing)."""
        draft = ctx.draft
        if (
            len(args) != 3
            or draft is None
            or draft.token != args[0]
            or str(draft.version) != args[1]
            or args[2] not in ("l", "b")
            or not isinstance(draft.data.get(REPLACE_KEY), str)
        ):
            raise StaleDraft
        data = dict(draft.data)
        rerun = str(data.pop(REPLACE_KEY))
        ctx.edit_pressed("", None)
        if args[2] == "l":
            ctx.draft = replace(draft, data=data)
            ctx.goto(draft.step)
            return
        if not ctx.uow.drafts.delete(
            ctx.chat_id, ctx.telegram_id, token=draft.token, version=draft.version
        ):
            raise StaleDraft
        ctx.draft = None
        ctx.replace_ok = True
        kind, _, text = rerun.partition(":")
        if kind == "c":
            head, *command_args = text.split()
            spec = self.registry.commands.get(head[1:].partition("@")[0].lower())
            if spec is None:
                raise StaleDraft
            spec.handler(ctx, command_args)
        else:
            _, _, rest = text.partition(":")
            record, *record_args = rest.split(":")
            handler = self.registry.records.get(record)
            if handler is None or record == REPLACE_BUTTON:
                raise StaleDraft
            handler(ctx, record_args)

    def _enqueue(self, ctx: Ctx, pressed: int | None, key: UpdateKey | None) -> None:
        """Write the edit of the pressed message and every reply to the outbox."""
        source = None if key is None else f"update:{key.update_id}"
        rows = []
        if ctx.edit is not None and pressed is not None:
            text, keyboard = ctx.edit
            rows.append(encode_edit(ctx.chat_id, pressed, text, keyboard, source=source))
        for message in ctx.outbox:
            rows += encode(message, ctx.chat_id, source=source)
        ctx.queued = ctx.uow.outbox.add(rows, at=ctx.now) if rows else []

    def _reset(self, ctx: Ctx, key: UpdateKey | None) -> Ctx:
        """A fresh context on the stored state, after a rollback (the update claimed again)."""
        if key is not None:
            ctx.uow.updates.claim(key, at=ctx.now)
        return replace(
            ctx,
            draft=ctx.uow.drafts.get(ctx.chat_id, ctx.telegram_id),
            outbox=[],
            next_step=None,
            ended=False,
            started=False,
            edit=None,
            toast=None,
            menus=[],
        )

    def _explain(self, ctx: Ctx, message: str, key: UpdateKey | None) -> Ctx:
        """Say what was wrong and ask the current question again."""
        fresh = self._reset(ctx, key)
        fresh.say(html.escape(message, quote=False))
        if fresh.draft is not None and ctx.draft is not None and ctx.draft.version > 0:
            fresh.next_step = fresh.draft.step
            self._finish(fresh)
        return fresh

    def _stale(self, ctx: Ctx, key: UpdateKey | None) -> Ctx:
        fresh = self._reset(ctx, key)
        fresh.toast = texts.STALE_BUTTON
        if fresh.draft is not None and fresh.draft.flow in self.registry.flows:
            flow = self.registry.flows[fresh.draft.flow]
            fresh.say(texts.STALE_RESUME.format(title=flow.title))
            fresh.next_step = fresh.draft.step
            self._finish(fresh)
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
        """Forget conversations abandoned long ago; SKM ones (a chat id next to answers) soon.

        Also forgets handled updates after a week and delivered messages after a month.
        """
        settings = self.services.settings
        now = self.runtime.now()
        with self.runtime.uow() as uow:
            purged = uow.drafts.purge(now - timedelta(hours=SKM_DRAFT_HOURS), flow="skm")
            purged += uow.drafts.purge(now - timedelta(days=settings.draft_max_age_days))
            uow.updates.purge(now - timedelta(days=HANDLED_UPDATE_DAYS))
            uow.outbox.purge_sent(now - timedelta(days=SENT_OUTBOX_DAYS))
            uow.commit()
        if purged:
            log.info("%d isian yang ditinggalkan dihapus.", purged)
        return purged

    # -- direct answers ----------------------------------------------------------------

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


def _say(text: str, keyboard: list[list[Button]] | None = None) -> Callable[[Ctx], None]:
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
    return user is not None and user.role is Role.ADMIN and user.status is UserStatus.ACTIVE
