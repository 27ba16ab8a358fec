"""The offline console: talk to the real bot in a terminal, without Telegram.

``iku-bot console`` builds the same Application as the bot (same handlers, same
database) with :class:`bot.delivery.offline.OfflineBotApi` as its network layer, and turns
each input line into a real ``telegram.Update``:

- a number presses that button of the most recent message that still has buttons
  (buttons are listed ``[1] Label``); ``'2026`` sends the number as text instead;
- ``lokasi: LAT, LON`` shares a location; ``foto: BERKAS`` and ``berkas: BERKAS``
  send a picture or a document from disk;
- ``keluar`` (or the end of input) ends the console; anything else is sent as text,
  a ``/command`` marked as a command.

What the bot sends is printed as plain text as it is sent; photos and documents are
written to a folder (``./data/konsol`` by default) and their path printed. Lines are
read one by one, so a script can drive it:
``printf '/start\\n/skm\\n1\\n' | iku-bot console --user-id 42``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from itertools import count
from pathlib import Path
from typing import Any, TextIO

from pydantic import SecretStr
from telegram import (
    Chat,
    Document,
    Location,
    PhotoSize,
    Update,
    User,
)
from telegram.ext import Application

from bot import texts
from bot.app import OUTBOX_KEY, build_application
from bot.config import Settings
from bot.delivery.offline import OfflineBotApi, SentMessage, message_update, press_update, process
from bot.delivery.outbox import OutboxSender
from bot.runtime import open_runtime

__all__ = [
    "DUMMY_TOKEN",
    "DEFAULT_USER_ID",
    "DEFAULT_NAME",
    "FILES_DIR",
    "offline_settings",
    "plain_text",
    "run_console",
]

DUMMY_TOKEN = "123456789:OFFLINE-console-token-0000000000000"
DEFAULT_USER_ID = 1
DEFAULT_NAME = "Pengguna Konsol"
FILES_DIR = Path("data") / "konsol"
BOT_USERNAME = "iku_konsol_bot"
EXIT = "keluar"

_NUMBER = re.compile(r"[0-9]+")
_LINK = re.compile(r'<a\s+href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_COORDINATES = re.compile(r"\s*(-?[0-9]+(?:\.[0-9]+)?)\s*[,;\s]\s*(-?[0-9]+(?:\.[0-9]+)?)\s*")


def offline_settings(settings: Settings) -> Settings:
    """The settings, with a well-formed dummy token when none is set (nothing goes out)."""
    if settings.telegram_bot_token is not None:
        return settings
    return settings.model_copy(update={"telegram_bot_token": SecretStr(DUMMY_TOKEN)})


def plain_text(text: str) -> str:
    """Telegram HTML as terminal text: links as 'label (url)', tags dropped, entities read."""

    def link(match: re.Match[str]) -> str:
        url, label = match.group(1), match.group(2)
        return label if label == url else f"{label} ({url})"

    return html.unescape(_TAG.sub("", _LINK.sub(link, text)))


def _buttons(message: SentMessage) -> list[dict[str, str]]:
    return [button for row in message.buttons for button in row]


class _Console:
    """One person's private chat with the application, printed to ``out``."""

    def __init__(
        self,
        app: Application,  # type: ignore[type-arg]
        api: OfflineBotApi,
        user: User,
        out: TextIO,
        files_dir: Path,
    ) -> None:
        self.app = app
        self.api = api
        self.user = user
        self.chat = Chat(id=user.id, type=Chat.PRIVATE)
        self.out = out
        self.files_dir = files_dir
        self.file_ids = count(1)
        self.names: dict[str, str] = {}  # file id -> name of the file this console sent

    # -- what the bot sends -------------------------------------------------------------

    def write(self, text: str = "") -> None:
        """Print one block of text."""
        self.out.write(text + "\n")
        self.out.flush()

    def note(self, text: str) -> None:
        """A remark of the console itself (not the bot's)."""
        self.write(f"(konsol) {text}\n")

    def on_api(self, method: str, sent: SentMessage | None, params: dict[str, Any]) -> None:
        """Print what the bot sends as soon as it sends it."""
        if method == "answerCallbackQuery":
            if params.get("text"):
                self.write(texts.CONSOLE_TOAST.format(text=params["text"]))
            return
        if sent is None or method == "editMessageReplyMarkup":
            return
        lines: list[str] = []
        own = sent.chat_id == self.chat.id
        if not own:
            lines.append(texts.CONSOLE_OTHER_CHAT.format(chat_id=sent.chat_id))
        if method == "editMessageText":
            lines.append(texts.CONSOLE_EDITED)
        if sent.kind in ("photo", "document"):
            lines.append(self._save(sent))
        elif sent.kind == "location":
            lines.append(
                texts.CONSOLE_LOCATION.format(
                    lat=params.get("latitude"), lon=params.get("longitude")
                )
            )
        if sent.text:
            lines.append(plain_text(sent.text))
        for number, button in enumerate(_buttons(sent), start=1):
            where = f" -> {button['url']}" if "url" in button else ""
            mark = f"[{number}]" if own else "-"
            lines.append(f"  {mark} {button['text']}{where}")
        self.write("\n".join(lines) + "\n")

    def _save(self, sent: SentMessage) -> str:
        """Write a photo or document the bot sent; say where it is.

        A photo sent again (an incident's evidence, by its file id or from the office's
        store) is the file this console sent earlier: it is saved under its own name.
        """
        content = sent.content
        known = self.names.get(sent.file_name or "")
        if content is None and known is not None:
            content = self.api.files.get(sent.file_name or "")
        if content is not None and known is None:
            known = next(
                (
                    self.names[fid]
                    for fid, data in self.api.files.items()
                    if fid in self.names and data == content
                ),
                None,
            )
        if content is None:
            return texts.CONSOLE_PHOTO_ID.format(file_id=sent.file_name or "-")
        if sent.kind == "photo":
            name = f"foto-{sent.message_id}-{known}" if known else f"foto-{sent.message_id}.png"
            jenis = "foto"
        else:
            name = Path(sent.file_name or "").name or f"berkas-{sent.message_id}"
            jenis = "berkas"
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / name
        path.write_bytes(content)
        return texts.CONSOLE_SAVED.format(jenis=jenis, path=path)

    # -- what the person sends ----------------------------------------------------------

    async def _feed(self, update: Update) -> None:
        """One update through the application; its replies are printed once delivered."""
        await process(self.app, update)
        sender: OutboxSender = self.app.bot_data[OUTBOX_KEY]
        await sender.drain()

    async def send_text(self, text: str) -> None:
        """Type a text; a /command is marked as one."""
        await self._feed(message_update(self.user, self.chat, text=text))

    async def send_location(self, spec: str) -> None:
        """'lokasi: -7.05, 113.47'."""
        match = _COORDINATES.fullmatch(spec)
        latitude = float(match.group(1)) if match else 91.0
        longitude = float(match.group(2)) if match else 181.0
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            self.note(texts.CONSOLE_BAD_LOCATION)
            return
        location = Location(longitude=longitude, latitude=latitude)
        await self._feed(message_update(self.user, self.chat, location=location))

    def _read(self, spec: str) -> tuple[str, bytes] | None:
        path = Path(spec.strip()).expanduser()
        if not path.is_file():
            self.note(texts.CONSOLE_NO_FILE.format(path=path))
            return None
        file_id = f"konsol-{next(self.file_ids)}"
        self.api.files[file_id] = path.read_bytes()
        self.names[file_id] = path.name
        return file_id, self.api.files[file_id]

    async def send_photo(self, spec: str) -> None:
        """'foto: gambar.jpg'."""
        read = self._read(spec)
        if read is None:
            return
        file_id, content = read
        photo = [PhotoSize(file_id, f"{file_id}-u", 800, 600, file_size=len(content))]
        await self._feed(message_update(self.user, self.chat, photo=photo))

    async def send_document(self, spec: str) -> None:
        """'berkas: data.csv'."""
        read = self._read(spec)
        if read is None:
            return
        file_id, content = read
        document = Document(
            file_id, f"{file_id}-u", file_name=Path(spec.strip()).name, file_size=len(content)
        )
        await self._feed(message_update(self.user, self.chat, document=document))

    async def press(self, text: str) -> None:
        """Press button number ``text`` of the last message, or send the number as text
        when the last message has no buttons (an age, a year, a population)."""
        shown = self.api.to_chat(self.chat.id)
        target = shown[-1] if shown and shown[-1].buttons else None
        if target is None:
            await self.send_text(text)
            return
        buttons = _buttons(target)
        number = int(text)
        if not 1 <= number <= len(buttons):
            self.note(texts.CONSOLE_BAD_NUMBER.format(jumlah=len(buttons)))
            return
        button = buttons[number - 1]
        if "url" in button:
            await self._open(button["url"])
            return
        await self._feed(press_update(self.user, target, button.get("callback_data", "")))

    async def _open(self, url: str) -> None:
        """A link to this bot with ?start= is followed; any other link is printed."""
        prefix = f"https://t.me/{self.api.username}?start="
        if url.startswith(prefix):
            await self.send_text(f"/start {url.removeprefix(prefix)}")
        else:
            self.note(texts.CONSOLE_LINK.format(url=url))

    async def handle(self, line: str) -> bool:
        """Act on one input line; False when the person wants to stop."""
        text = line.strip()
        lowered = text.lower()
        if lowered == EXIT:
            return False
        if _NUMBER.fullmatch(text):
            await self.press(text)
        elif text.startswith("'"):
            if text[1:].strip():
                await self.send_text(text[1:].strip())
        elif lowered.startswith("lokasi:"):
            await self.send_location(text.split(":", 1)[1])
        elif lowered.startswith("foto:"):
            await self.send_photo(text.split(":", 1)[1])
        elif lowered.startswith("berkas:"):
            await self.send_document(text.split(":", 1)[1])
        else:
            await self.send_text(text)
        return True


def _next_line(lines: Iterator[str], out: TextIO, interactive: bool) -> str | None:
    if interactive:
        out.write("> ")
        out.flush()
    try:
        return next(lines)
    except StopIteration:
        return None


async def run_console(
    settings: Settings,
    user_id: int,
    lines: Iterable[str],
    out: TextIO,
    *,
    name: str = DEFAULT_NAME,
    files_dir: Path = FILES_DIR,
    interactive: bool = False,
) -> int:
    """Talk to the application as Telegram user ``user_id`` until the input ends.

    ``interactive`` (a terminal) shows a prompt; otherwise every input line is
    echoed after '> ' so that the output reads as a transcript. Returns the exit code.
    """
    settings = offline_settings(settings)
    runtime = open_runtime(settings)
    try:
        api = OfflineBotApi(username=BOT_USERNAME)
        # No Telegram, so no flood limits to respect: the rate limiter would only wait.
        app = build_application(settings, runtime, request=api, rate_limit=False)
        person = User(id=user_id, first_name=name, is_bot=False)
        console = _Console(app, api, person, out, files_dir)
        api.listener = console.on_api
        console.write(texts.CONSOLE_INTRO.format(nama=name, id=user_id) + "\n")
        await app.initialize()
        try:
            if app.post_init is not None:
                await app.post_init(app)
            source = iter(lines)
            while True:
                try:
                    line = _next_line(source, out, interactive)
                except KeyboardInterrupt:  # Ctrl+C while waiting for a line: stop cleanly
                    console.write()
                    break
                if line is None:
                    if interactive:
                        console.write()
                    break
                if not line.strip():
                    continue
                if not interactive:
                    console.write(f"> {line.strip()}")
                if not await console.handle(line):
                    break
        finally:
            await app.shutdown()
            if app.post_shutdown is not None:
                await app.post_shutdown(app)
        console.write(texts.CONSOLE_BYE)
    finally:
        runtime.close()
    return 0
