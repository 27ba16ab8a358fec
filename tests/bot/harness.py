"""Drive the real Application in-process: people send messages and press buttons."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from telegram import (
    Chat,
    Document,
    Location,
    PhotoSize,
    Sticker,
    Update,
    User,
    Voice,
)
from telegram.ext import Application

from bot.app import OUTBOX_KEY, build_application
from bot.config import Settings
from bot.delivery.offline import OfflineBotApi, SentMessage, message_update, press_update, process
from bot.delivery.outbox import OutboxSender
from bot.runtime import Runtime

__all__ = ["Harness", "Person", "TOKEN"]

TOKEN = "123456789:AAE-test-token-abcdefghijklmnopqrstuv"
_ids = count(1)


@dataclass(frozen=True)
class Person:
    """A Telegram account talking to the bot in private."""

    id: int
    name: str = "Siti Aminah"
    username: str | None = None

    @property
    def tg(self) -> User:
        return User(id=self.id, first_name=self.name, is_bot=False, username=self.username)

    @property
    def chat(self) -> Chat:
        return Chat(id=self.id, type=Chat.PRIVATE)


@dataclass
class Harness:
    """The application on a database, with an offline Bot API that records everything."""

    settings: Settings
    runtime: Runtime
    api: OfflineBotApi = field(default_factory=OfflineBotApi)
    app: Application | None = None  # type: ignore[type-arg]

    async def start(self) -> None:
        """Build and initialise the application (again, after :meth:`stop`)."""
        # Offline there are no flood limits to respect (the rate limiter would only wait).
        self.app = build_application(
            self.settings, self.runtime, request=self.api, rate_limit=False
        )
        await self.app.initialize()
        # Menus are set by a background task at start: let it finish.
        await self.app.post_init(self.app)  # type: ignore[misc]

    async def stop(self) -> None:
        """Shut the application down (the database stays)."""
        if self.app is not None:
            await self.app.shutdown()
            if self.app.post_shutdown is not None:  # as run_polling does after shutdown
                await self.app.post_shutdown(self.app)
            self.app = None

    async def restart(self) -> None:
        """A new process on the same database: nothing in memory survives."""
        await self.stop()
        await self.start()

    @property
    def application(self) -> Application:  # type: ignore[type-arg]
        assert self.app is not None
        return self.app

    @property
    def outbox(self) -> OutboxSender:
        """The application's outbox sender."""
        sender: OutboxSender = self.application.bot_data[OUTBOX_KEY]
        return sender

    async def settle(self) -> None:
        """Wait until every committed message has been delivered (or given up)."""
        async with asyncio.timeout(30):
            await self.outbox.drain()

    async def feed(self, update: Update) -> None:
        """Process one update as Telegram would deliver it, then let the outbox deliver."""
        await process(self.application, update)
        await self.settle()

    async def send(self, person: Person, text: str, *, chat: Chat | None = None) -> None:
        """Type a text (a /command is marked as one)."""
        await self.feed(message_update(person.tg, chat or person.chat, text=text))

    async def send_photo(self, person: Person, file_id: str, caption: str | None = None) -> None:
        """Send a photo."""
        photo = [PhotoSize(file_id, file_id + "-u", 800, 600)]
        await self._send(person, photo=photo, caption=caption)

    async def send_location(self, person: Person, latitude: float, longitude: float) -> None:
        """Share a location."""
        await self._send(person, location=Location(longitude, latitude))

    async def send_document(
        self, person: Person, name: str, content: bytes, file_id: str | None = None
    ) -> None:
        """Send a file as a document (its content is served by the offline API)."""
        fid = file_id or f"doc-{next(_ids)}"
        self.api.files[fid] = content
        doc = Document(fid, fid + "-u", file_name=name, file_size=len(content))
        await self._send(person, document=doc)

    async def send_sticker(self, person: Person) -> None:
        """Send a sticker."""
        await self._send(
            person, sticker=Sticker("stk", "stk-u", 512, 512, False, False, Sticker.REGULAR)
        )

    async def send_voice(self, person: Person) -> None:
        """Send a voice note."""
        await self._send(person, voice=Voice("voc", "voc-u", 3))

    async def _send(self, person: Person, **content: Any) -> None:
        await self.feed(message_update(person.tg, person.chat, **content))

    def last(self, person: Person | int) -> SentMessage:
        """The last message the bot sent to this chat."""
        chat_id = person if isinstance(person, int) else person.id
        sent = self.api.to_chat(chat_id)
        assert sent, f"nothing was sent to {chat_id}"
        return sent[-1]

    def texts(self, person: Person | int) -> list[str]:
        """Every text the bot sent to this chat."""
        chat_id = person if isinstance(person, int) else person.id
        return [m.text for m in self.api.to_chat(chat_id)]

    def with_buttons(self, person: Person | int) -> SentMessage:
        """The last message to this chat that has buttons."""
        chat_id = person if isinstance(person, int) else person.id
        found = self.api.last_with_buttons(chat_id)
        assert found is not None, f"no message with buttons for {chat_id}"
        return found

    async def press(
        self,
        person: Person,
        label: str | Callable[[str], bool],
        *,
        message: SentMessage | None = None,
    ) -> None:
        """Press the button whose label is ``label`` (or matches it) on a message."""
        target = message or self.with_buttons(person)
        matches = [
            b
            for row in target.buttons
            for b in row
            if (label(b["text"]) if callable(label) else b["text"] == label)
        ]
        assert matches, f"no button {label!r} among {target.labels()}"
        await self.press_data(person, matches[0]["callback_data"], target)

    @staticmethod
    def data_of(message: SentMessage, label: str) -> str:
        """The callback data of a button (kept to press it again after it is gone)."""
        for row in message.buttons:
            for button in row:
                if button["text"] == label:
                    return button["callback_data"]
        raise AssertionError(f"no button {label!r} among {message.labels()}")

    async def press_data(self, person: Person, data: str, target: SentMessage) -> None:
        """Press a button with this callback data on ``target``."""
        await self.feed(press_update(person.tg, target, data))

    def toasts(self) -> list[str]:
        """Texts of answered callback queries that had one."""
        return [
            str(c.params["text"])
            for c in self.api.calls
            if c.method == "answerCallbackQuery" and c.params.get("text")
        ]
