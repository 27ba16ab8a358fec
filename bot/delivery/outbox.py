"""The transactional outbox: what a change must tell people, delivered even after a crash.

A handler never sends. Its replies, the cards to the responsible seksi, the notices
to reporters and the reminders are encoded here as outbox rows (one row, one Bot API
call) and written in the transaction of the change that caused them. After the
commit the :class:`OutboxSender` delivers them:

- in order per chat (one worker per chat with something pending), chats side by side;
- transient failures (network, timeout, HTTP 5xx) are tried again after a pause that
  doubles from OUTBOX_RETRY_SECONDS up to five minutes; a 429 waits as Telegram says;
- Forbidden (the person blocked the bot) and BadRequest (Telegram refuses the message)
  are given up at once, with a log line and an audit entry; a photo or document that
  is refused (or keeps failing) is replaced by its text, so the words still arrive;
- a message still failing after OUTBOX_MAX_AGE_HOURS is given up the same way;
- Telegram's message id is recorded with the delivery;
- after a restart, everything still pending is sent (a sweep at start and every
  half minute picks up what no worker holds).

Deliveries are recorded in batches: after a delivery the recorder waits until
RECORD_QUIET passes with no other (RECORD_SECONDS at most while they keep coming), so
that the deliveries of a busy moment share one transaction (one write, not one per
message, and no second writer beside every conversation step); ``drain()`` and
``stop()`` write at once. Delivery is therefore at least once: a process killed
between Telegram's answer and the record of it (RECORD_QUIET later when the bot is
quiet, RECORD_SECONDS at most under load, unless it stops cleanly) sends those
messages again after the restart. Nothing is stored twice because of it: the change
was committed once, before any sending.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot, InlineKeyboardMarkup, InputFile, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)

from bot import failpoints
from bot.conversation.context import CHOICE_PREFIX, Keyboard, Outgoing
from bot.delivery.flood import retry_after_seconds
from bot.delivery.waiting import wait_event
from bot.runtime import Runtime
from domain.models import OutboxMessage

__all__ = [
    "TEXT",
    "PHOTO",
    "DOCUMENT",
    "LOCATION",
    "EDIT",
    "MAX_TEXT",
    "MAX_CAPTION",
    "split_text",
    "render_markup",
    "encode",
    "encode_text",
    "encode_edit",
    "OutboxSender",
]

log = logging.getLogger(__name__)

TEXT = "text"
PHOTO = "photo"
DOCUMENT = "document"
LOCATION = "location"
EDIT = "edit"

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_BACKOFF = 300.0  # seconds between tries of a message that keeps failing
MEDIA_TRIES = 2  # a photo, document or location failing this often: its text goes alone
EDIT_TRIES = 3  # an edit (buttons taken off a question) is cosmetic: tried a few times
SWEEP_SECONDS = 30.0
SEND_CONCURRENCY = 256  # Bot API calls in flight at once (the rate limiter paces them)
RECORD_SECONDS = 0.25  # deliveries of a busy moment share one transaction, this long at most
RECORD_QUIET = 0.02  # ... and are written once this long passes with no new delivery

T = TypeVar("T")


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


def render_markup(
    keyboard: Keyboard | None, *, token: str | None = None, step: str | None = None
) -> dict[str, Any] | None:
    """The inline keyboard of a message as the Bot API's JSON (what
    ``InlineKeyboardMarkup.to_dict()`` gives, built without its objects: every reply of
    every step passes here); choice buttons are bound to a conversation step."""
    if not keyboard:
        return None
    rows = []
    for row in keyboard:
        buttons: list[dict[str, str]] = []
        for button in row:
            if button.url is not None:
                buttons.append({"text": button.label, "url": button.url})
            elif button.data is not None:
                buttons.append({"text": button.label, "callback_data": button.data})
            else:
                if token is None or step is None:
                    raise ValueError(f"choice button {button.label!r} outside a conversation")
                data = f"{CHOICE_PREFIX}:{token}:{step}:{button.value}"
                if len(data.encode()) > 64:
                    raise ValueError(f"callback data too long: {data}")
                buttons.append({"text": button.label, "callback_data": data})
        rows.append(buttons)
    return {"inline_keyboard": rows}


def encode_text(
    chat_id: int,
    text: str,
    markup: dict[str, Any] | None = None,
    *,
    source: str | None = None,
) -> list[OutboxMessage]:
    """A text as outbox rows: one per part of at most 4,096 characters, buttons on the last."""
    parts = split_text(text)
    rows = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        payload = {"text": part, "markup": markup if last else None}
        rows.append(OutboxMessage(chat_id=chat_id, kind=TEXT, payload=payload, source=source))
    return rows


def encode(message: Outgoing, chat_id: int, *, source: str | None = None) -> list[OutboxMessage]:
    """One queued reply or notice as outbox rows (``chat_id``: the current chat)."""
    target = message.chat_id if message.chat_id is not None else chat_id
    markup = render_markup(message.keyboard, token=message.token, step=message.step)
    media_kind = None
    media: dict[str, Any] = {}
    content: bytes | None = None
    if message.photo is not None or message.photo_file_id is not None:
        media_kind = PHOTO
        media = {"file_id": message.photo_file_id, "file_name": "gambar.png"}
        content = message.photo
    elif message.document is not None:
        media_kind = DOCUMENT
        name, content = message.document
        media = {"file_id": None, "file_name": name}
    elif message.document_file_id is not None:
        media_kind = DOCUMENT
        media = {"file_id": message.document_file_id, "file_name": None}
    if media_kind is not None:
        fits = len(message.text) <= MAX_CAPTION
        payload = {
            **media,
            "caption": message.text if fits else None,
            "markup": markup if fits else None,
        }
        row = OutboxMessage(
            chat_id=target, kind=media_kind, payload=payload, content=content, source=source
        )
        if fits:
            return [row]
        return [row, *encode_text(target, message.text, markup, source=source)]
    rows = []
    if message.location is not None:
        latitude, longitude = message.location
        payload = {"latitude": latitude, "longitude": longitude}
        rows.append(OutboxMessage(chat_id=target, kind=LOCATION, payload=payload, source=source))
    return rows + encode_text(target, message.text, markup, source=source)


def encode_edit(
    chat_id: int,
    message_id: int,
    text: str,
    keyboard: Keyboard | None,
    *,
    source: str | None = None,
) -> OutboxMessage:
    """Replace a shown message (text empty: only take its buttons off)."""
    markup = render_markup(keyboard)
    payload = {"message_id": message_id, "text": text, "markup": markup}
    return OutboxMessage(chat_id=chat_id, kind=EDIT, payload=payload, source=source)


@dataclass(slots=True)
class _Held:
    """A message a worker holds: when it is due, and whether Telegram already has it."""

    message: OutboxMessage
    due: float  # the event loop's clock
    delivered: bool = False
    telegram_message_id: int | None = None


@dataclass(slots=True)
class _Chat:
    queue: deque[_Held] = field(default_factory=deque)
    worker: asyncio.Task[None] | None = None


class OutboxSender:
    """Delivers the outbox: in order per chat, with retries, across restarts."""

    def __init__(
        self,
        runtime: Runtime,
        pool: Executor,
        *,
        retry_seconds: float = 2.0,
        max_age: timedelta = timedelta(hours=48),
        sweep_seconds: float = SWEEP_SECONDS,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        record_seconds: float = RECORD_SECONDS,
        record_quiet: float = RECORD_QUIET,
    ) -> None:
        self.runtime = runtime
        self.record_seconds = record_seconds
        self.record_quiet = record_quiet
        self.pool = pool
        self.retry_seconds = retry_seconds
        self.max_age = max_age
        self.sweep_seconds = sweep_seconds
        self.sleep = sleep
        self._bot: Bot | None = None
        self._chats: dict[int, _Chat] = {}
        self._known: set[int] = set()  # ids held by a worker (the sweep skips them)
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._main: asyncio.Task[None] | None = None
        self._sent: list[tuple[int, int | None]] = []  # delivered, not yet recorded
        self._recorder: asyncio.Task[None] | None = None
        self._flush = asyncio.Event()  # set: the recorder writes without waiting
        self._limit = asyncio.Semaphore(SEND_CONCURRENCY)
        self.delivered = 0
        self.given_up = 0

    # -- life cycle -------------------------------------------------------------------

    async def start(self, bot: Bot) -> None:
        """Begin delivering (what is pending from before a restart too)."""
        self._bot = bot
        for chat_id in list(self._chats):
            self._ensure_worker(chat_id)
        if self._main is None:
            self._main = asyncio.get_running_loop().create_task(self._run(), name="outbox")

    async def stop(self) -> None:
        """Stop delivering; what is not delivered stays pending for the next start."""
        tasks = [chat.worker for chat in self._chats.values() if chat.worker is not None]
        if self._main is not None:
            tasks.append(self._main)
            self._main = None
        if self._recorder is not None:
            tasks.append(self._recorder)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._sent:  # one last try; what stays unrecorded is sent again after a restart
            batch, self._sent = self._sent, []
            with contextlib.suppress(SQLAlchemyError):
                await self._in_thread(partial(self._save_sent, batch))
        self._recorder = None
        self._chats.clear()
        self._known.clear()
        self._idle.set()

    def submit(self, messages: list[OutboxMessage]) -> None:
        """Deliver these committed messages now (ids not yet held by a worker)."""
        now = asyncio.get_running_loop().time()
        for message in messages:
            if message.id is None or message.id in self._known:
                continue
            self._known.add(message.id)
            chat = self._chats.setdefault(message.chat_id, _Chat())
            held = _Held(message, due=now + self._delay_until(message))
            # Ids follow the order of commits; keep each chat's queue in that order.
            position = len(chat.queue)
            while position > 0 and (chat.queue[position - 1].message.id or 0) > message.id:
                position -= 1
            if position == 0 and chat.queue and chat.worker is not None:
                position = 1  # the head is being sent: never jump ahead of it
            chat.queue.insert(position, held)
            self._ensure_worker(message.chat_id)

    def _ensure_worker(self, chat_id: int) -> None:
        chat = self._chats[chat_id]
        if chat.worker is None and chat.queue and self._bot is not None:
            self._idle.clear()
            chat.worker = asyncio.get_running_loop().create_task(
                self._work(chat_id), name=f"outbox-{chat_id}"
            )

    def wake(self) -> None:
        """Look for pending messages now (e.g. after a restart of the database)."""
        self._wake.set()

    async def drain(self) -> None:
        """Wait until every message held by a worker is delivered (and recorded) or given up."""
        if not self._idle.is_set():
            self._flush.set()  # what is delivered is recorded now, not after RECORD_SECONDS
        await self._idle.wait()

    # -- the sweep ----------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            await self._sweep()
            await wait_event(self._wake, self.sweep_seconds)
            self._wake.clear()

    async def sweep(self) -> int:
        """Hand what is pending and held by no worker to the workers; how many."""
        return await self._sweep()

    async def _sweep(self) -> int:
        held = set(self._known)

        def load() -> list[OutboxMessage]:
            with self.runtime.uow() as uow:
                return uow.outbox.pending(limit=500, exclude=held)

        try:
            pending = await self._in_thread(load)
        except SQLAlchemyError as error:
            log.warning("Antrean pesan tidak dapat dibaca (dicoba lagi): %s", _short(error))
            return 0
        if pending:
            log.info("%d pesan tertunda dikirim.", len(pending))
        self.submit(pending)
        return len(pending)

    # -- one chat's worker ------------------------------------------------------------------

    async def _work(self, chat_id: int) -> None:
        chat = self._chats[chat_id]
        try:
            while chat.queue:
                held = chat.queue[0]
                wait = held.due - asyncio.get_running_loop().time()
                if wait > 0:
                    await self.sleep(wait)
                if await self._attempt(held):
                    chat.queue.popleft()
                    if held.message.id is not None and not held.delivered:
                        self._known.discard(held.message.id)  # delivered: once recorded
        finally:
            chat.worker = None
            if not chat.queue:
                self._chats.pop(chat_id, None)
            self._check_idle()

    def _check_idle(self) -> None:
        busy = self._recorder is not None or self._sent
        if not busy and not any(c.worker is not None for c in self._chats.values()):
            self._idle.set()
            self._flush.clear()

    async def _attempt(self, held: _Held) -> bool:
        """One try at a message; True when it is done with (delivered or given up)."""
        message = held.message
        assert message.id is not None
        if not held.delivered:
            failpoints.hit("outbox:before_send")
            try:
                async with self._limit:
                    held.telegram_message_id = await self._call(message)
                held.delivered = True
                failpoints.hit("outbox:after_send")
            except RetryAfter as error:
                wait = max(retry_after_seconds(error), 0.5)
                return await self._later(held, f"RetryAfter {wait:.0f} s", wait, counts=False)
            except ChatMigrated as error:
                message.chat_id = int(error.new_chat_id)
                return await self._later(held, f"pindah ke {message.chat_id}", 0)
            except Forbidden as error:
                return await self._give_up(held, f"Forbidden: {error.message}")
            except BadRequest as error:
                return await self._refused(held, error)
            except InvalidToken as error:
                return await self._later(held, f"InvalidToken: {error.message}", None)
            except TelegramError as error:  # NetworkError, TimedOut, 5xx, Conflict ...
                return await self._transient(held, error)
            except Exception as error:  # a message this code cannot build: never loops
                log.exception("Pesan antrean %s tidak dapat dikirim", message.id)
                return await self._give_up(held, f"{type(error).__name__}: {error}")
        return await self._record(held)

    async def _call(self, message: OutboxMessage) -> int | None:
        bot = self._bot
        assert bot is not None
        payload = message.payload
        markup_data = payload.get("markup")
        markup = None if markup_data is None else InlineKeyboardMarkup.de_json(markup_data, bot)
        sent: Message | bool
        if message.kind == TEXT:
            sent = await bot.send_message(
                message.chat_id,
                payload["text"],
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                disable_web_page_preview=True,
            )
        elif message.kind == PHOTO:
            sent = await bot.send_photo(
                message.chat_id,
                _upload(message, "gambar.png"),
                caption=payload.get("caption"),
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
        elif message.kind == DOCUMENT:
            sent = await bot.send_document(
                message.chat_id,
                _upload(message, "berkas"),
                caption=payload.get("caption"),
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
        elif message.kind == LOCATION:
            sent = await bot.send_location(
                message.chat_id, payload["latitude"], payload["longitude"]
            )
        elif message.kind == EDIT:
            if payload.get("text"):
                sent = await bot.edit_message_text(
                    payload["text"],
                    chat_id=message.chat_id,
                    message_id=payload["message_id"],
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                )
            else:
                sent = await bot.edit_message_reply_markup(
                    chat_id=message.chat_id, message_id=payload["message_id"], reply_markup=None
                )
        else:
            raise ValueError(f"jenis pesan tidak dikenal: {message.kind}")
        return sent.message_id if isinstance(sent, Message) else None

    # -- outcomes ---------------------------------------------------------------------------

    async def _transient(self, held: _Held, error: TelegramError) -> bool:
        message = held.message
        reason = f"{type(error).__name__}: {error.message}"
        if message.kind == EDIT and message.attempts + 1 >= EDIT_TRIES:
            log.info("Pesan %s tidak dapat diubah: %s", message.payload.get("message_id"), reason)
            return await self._give_up(held, reason, audit=False)
        if message.kind in (PHOTO, DOCUMENT, LOCATION) and message.attempts + 1 >= MEDIA_TRIES:
            return await self._as_text(held, reason)
        return await self._later(held, reason, None)

    async def _refused(self, held: _Held, error: BadRequest) -> bool:
        message = held.message
        reason = f"BadRequest: {error.message}"
        if message.kind == EDIT:
            if "not modified" in error.message.lower():
                return await self._record(held)  # already as wanted
            log.info("Pesan %s tidak dapat diubah: %s", message.payload.get("message_id"), reason)
            return await self._give_up(held, reason, audit=False)
        if message.kind in (PHOTO, DOCUMENT, LOCATION):
            return await self._as_text(held, reason)
        return await self._give_up(held, reason)

    async def _as_text(self, held: _Held, reason: str) -> bool:
        """The media could not go: send its caption (and buttons) as a plain message."""
        message = held.message
        log.warning(
            "%s ke chat %s tidak terkirim (%s); teksnya dikirim saja.",
            "Foto" if message.kind == PHOTO else "Berkas" if message.kind == DOCUMENT else "Lokasi",
            message.chat_id,
            reason,
        )
        caption = message.payload.get("caption")
        if message.kind == LOCATION or not caption:
            return await self._give_up(held, reason, audit=False)
        message.kind = TEXT
        message.payload = {"text": caption, "markup": message.payload.get("markup")}
        message.content = None
        return await self._later(held, reason, 0, counts=False, changed=True)

    async def _later(
        self,
        held: _Held,
        reason: str,
        wait: float | None,
        *,
        counts: bool = True,
        changed: bool = False,
    ) -> bool:
        """Keep the message at the head of its chat and try again after ``wait`` seconds."""
        message = held.message
        assert message.id is not None
        now = self.runtime.now()
        created = message.created_at or now
        if now - created > self.max_age:
            return await self._give_up(held, f"terlalu lama tertunda ({reason})")
        if counts:
            message.attempts += 1
        if wait is None:
            wait = min(self.retry_seconds * 2 ** max(message.attempts - 1, 0), MAX_BACKOFF)
        log.warning(
            "Pesan ke chat %s belum terkirim (%s); dicoba lagi dalam %.0f detik.",
            message.chat_id,
            reason,
            wait,
        )
        attempts, chat_id = message.attempts, message.chat_id
        kind, payload = message.kind, message.payload

        def save() -> None:
            with self.runtime.uow() as uow:
                uow.outbox.reschedule(
                    message.id or 0,
                    attempts=attempts,
                    next_attempt_at=now + timedelta(seconds=wait),
                    error=reason,
                    chat_id=chat_id,
                    kind=kind if changed else None,
                    payload=payload if changed else None,
                )
                uow.commit()

        try:
            await self._in_thread(save)
        except SQLAlchemyError as error:  # the next try does not depend on it
            log.warning("Jadwal ulang pesan %s tidak tersimpan: %s", message.id, _short(error))
        held.due = asyncio.get_running_loop().time() + wait
        return False

    async def _give_up(self, held: _Held, reason: str, *, audit: bool = True) -> bool:
        message = held.message
        if audit:
            log.warning("Pesan ke chat %s dihentikan: %s", message.chat_id, reason)
        at = self.runtime.now()

        def save() -> None:
            with self.runtime.uow() as uow:
                uow.outbox.mark_failed(message.id or 0, error=reason, at=at)
                if audit:
                    uow.audit.record(
                        actor="bot",
                        action="pesan_gagal",
                        entity="outbox",
                        entity_id=str(message.id),
                        detail={"chat_id": message.chat_id, "jenis": message.kind, "error": reason},
                        at=at,
                    )
                uow.commit()

        if not await self._saved(held, save):
            return False
        self.given_up += 1
        return True

    async def _record(self, held: _Held) -> bool:
        """Delivered: the worker goes on at once, the record joins the next batch.

        Deliveries are recorded many to a transaction by one recorder, which waits
        for the others of that moment (see ``_gather``; and while it writes, the next
        ones gather), so a busy minute costs a few writes, not one per message.
        A message stays held (the sweep skips it) until its record is written; the
        database away, the batch is tried again.
        """
        message_id = held.message.id
        assert message_id is not None
        held.delivered = True
        self._sent.append((message_id, held.telegram_message_id))
        if self._recorder is None:
            self._idle.clear()
            self._recorder = asyncio.get_running_loop().create_task(
                self._record_sent(), name="outbox-recorder"
            )
        return True

    async def _record_sent(self) -> None:
        try:
            while self._sent:
                await self._gather()
                batch, self._sent = self._sent, []
                try:
                    await self._in_thread(partial(self._save_sent, batch))
                except SQLAlchemyError as error:
                    log.warning(
                        "Hasil kirim %d pesan belum tercatat (basis data): %s; dicoba lagi.",
                        len(batch),
                        _short(error),
                    )
                    self._sent = batch + self._sent
                    await self.sleep(self.retry_seconds)
                    continue
                for message_id, _ in batch:
                    self._known.discard(message_id)
                self.delivered += len(batch)
        finally:
            self._recorder = None
            self._check_idle()

    async def _gather(self) -> None:
        """Wait for the deliveries of this moment: until RECORD_QUIET passes without a
        new one, RECORD_SECONDS at most, or at once when a drain asks for the record."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.record_seconds
        while not self._flush.is_set():
            seen = len(self._sent)
            left = deadline - loop.time()
            if left <= 0 or await wait_event(self._flush, min(self.record_quiet, left)):
                return
            if len(self._sent) == seen:
                return  # quiet: nothing more is coming for now

    def _save_sent(self, batch: list[tuple[int, int | None]]) -> None:
        with self.runtime.uow() as uow:
            uow.outbox.mark_sent_many(batch, at=self.runtime.now())
            uow.commit()

    async def _saved(self, held: _Held, save: Callable[[], None]) -> bool:
        """Write the outcome; when the database is away, keep the message and try later."""
        try:
            await self._in_thread(save)
            return True
        except SQLAlchemyError as error:
            log.warning(
                "Hasil kirim pesan %s belum tercatat (basis data): %s; dicoba lagi.",
                held.message.id,
                _short(error),
            )
            held.due = asyncio.get_running_loop().time() + self.retry_seconds
            return False

    # -- helpers ----------------------------------------------------------------------

    def _delay_until(self, message: OutboxMessage) -> float:
        if message.next_attempt_at is None or message.attempts == 0:
            return 0.0
        delay = (message.next_attempt_at - self.runtime.now()).total_seconds()
        return min(max(delay, 0.0), MAX_BACKOFF)

    async def _in_thread(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.pool, work)


def _upload(message: OutboxMessage, default_name: str) -> InputFile | str:
    """The photo or document of a message: its bytes, or a file id Telegram already has."""
    if message.content is not None:
        name = message.payload.get("file_name") or default_name
        return InputFile(message.content, filename=name)
    return str(message.payload["file_id"])


def _short(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:200]
