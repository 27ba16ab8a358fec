"""Level-2 fixtures: the real bot, long polling over HTTP, against telegram-test-api.

``emulator`` starts ``tests/e2e/emulator/server.js`` with node once per session on a free
loopback port. Without node or ``npm ci`` in ``tests/e2e/emulator`` these tests are skipped
locally, but fail under ``CI=true`` so that CI can never pass without having run them.

Each test gets its own bot token (the emulator keeps every queue per token), a fresh copy
of the migrated SQLite template, ``bot`` (the application built by ``build_application``,
started for real in the test's event loop) and ``client`` (the simulated Telegram users).

``wire`` (tests/e2e/wire.py) is the Telegram-faithful layer in front of the emulator, once
per session; ``bot_process`` (tests/e2e/process.py) is the real ``iku-bot`` process of one
test, polling the wire layer, on the same database as ``runtime``. When a test fails, the
output of every start of its process and the wire layer's record of its calls are shown.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.config import Settings, load_settings
from bot.runtime import Runtime, open_runtime
from tests.e2e.compat import DEFAULT_FAKE_OK, CompatRequest
from tests.e2e.process import BotProcess, Database
from tests.e2e.wire import WireServer

EMULATOR_DIR = Path(__file__).resolve().parent / "emulator"
POLL_INTERVAL = 0.1  # the emulator answers getUpdates at once: no long poll
WAIT = 5.0  # seconds a helper waits for the bot's answers before giving up


@dataclass(frozen=True, slots=True)
class Person:
    """A Telegram account writing to the bot in a private chat."""

    id: int
    name: str = "Siti Aminah"

    @property
    def user(self) -> dict[str, Any]:
        return {"id": self.id, "is_bot": False, "first_name": self.name}

    @property
    def chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": self.name}


ADMIN = Person(900001, "Camat Larangan")


@dataclass(frozen=True, slots=True)
class BotMessage:
    """A message the bot sent, as the emulator stored it (the raw sendMessage request)."""

    message_id: int
    chat_id: int
    text: str
    buttons: list[list[tuple[str, str]]]  # (label, callback_data or url)

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> BotMessage:
        message = stored["message"]
        markup = message.get("reply_markup") or {}
        rows = [
            [(b["text"], b.get("callback_data") or b.get("url", "")) for b in row]
            for row in markup.get("inline_keyboard", [])
        ]
        return cls(
            message_id=int(stored["messageId"]),
            chat_id=int(message["chat_id"]),
            text=str(message.get("text") or message.get("caption") or ""),
            buttons=rows,
        )

    @property
    def labels(self) -> list[str]:
        return [label for row in self.buttons for label, _ in row]

    def data_of(self, label: str) -> str:
        """The callback data of the button labelled ``label``."""
        for row in self.buttons:
            for text, data in row:
                if text == label:
                    return data
        raise AssertionError(f"no button {label!r} in {self.labels} on {self.text!r}")


@dataclass(frozen=True, slots=True)
class Emulator:
    url: str
    process: subprocess.Popen[bytes]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _launch(log_path: Path) -> Emulator | None:
    """Start the emulator on a free port; None when that port was taken meanwhile."""
    port = _free_port()
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            ["node", "server.js", str(port)], cwd=EMULATOR_DIR, stdout=log, stderr=log
        )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return None
        if _answers(port):
            return Emulator(f"http://127.0.0.1:{port}", process)
        time.sleep(0.05)
    _stop(process)
    raise RuntimeError(f"emulator tidak menjawab di port {port}: {log_path.read_text()}")


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """telegram-test-api on 127.0.0.1, once per session."""
    missing = None
    if shutil.which("node") is None:
        missing = "node tidak ditemukan"
    elif not (EMULATOR_DIR / "node_modules" / "telegram-test-api").is_dir():
        missing = f"jalankan 'npm ci --no-audit --no-fund' di {EMULATOR_DIR}"
    if missing is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"pengujian e2e wajib jalan di CI: {missing}")
        pytest.skip(f"pengujian e2e dilewati: {missing}")
    log_path = tmp_path_factory.mktemp("emulator") / "emulator.log"
    for _ in range(3):
        started = _launch(log_path)
        if started is not None:
            break
    else:
        raise RuntimeError(f"emulator gagal dijalankan: {log_path.read_text()}")
    yield started
    _stop(started.process)


class Client:
    """The simulated users: what they send, and what the bot sent them (over HTTP)."""

    def __init__(self, http: httpx.AsyncClient, token: str) -> None:
        self.http = http
        self.token = token
        self.round_trips = 0  # HTTP requests this helper made to the emulator
        self._expected: dict[int, int] = {}  # chat id -> message id of the last ``expect``

    async def _post(self, path: str, body: dict[str, Any]) -> Any:
        self.round_trips += 1
        response = await self.http.post(path, json=body)
        response.raise_for_status()
        return response.json()["result"]

    def _message(self, person: Person, text: str) -> dict[str, Any]:
        return {
            "botToken": self.token,
            "from": person.user,
            "chat": person.chat,
            "date": int(time.time()),
            "text": text,
        }

    async def send_message(self, person: Person, text: str) -> None:
        """``person`` types ``text`` in the private chat."""
        await self._post("/sendMessage", self._message(person, text))

    async def send_command(self, person: Person, text: str) -> None:
        """``person`` sends ``/command args`` (with its bot_command entity)."""
        length = len(text.split(maxsplit=1)[0])
        body = self._message(person, text)
        body["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        await self._post("/sendCommand", body)

    async def send_callback(self, person: Person, data: str, message: BotMessage) -> None:
        """``person`` presses a button carrying ``data`` under ``message``."""
        await self._post(
            "/sendCallback",
            {
                "botToken": self.token,
                "from": person.user,
                "data": data,
                "message": {
                    "message_id": message.message_id,
                    "date": int(time.time()),
                    "chat": {
                        "id": message.chat_id,
                        "type": "private" if message.chat_id > 0 else "supergroup",
                    },
                    "text": message.text,
                },
            },
        )

    async def press(self, person: Person, message: BotMessage, label: str) -> None:
        """``person`` presses the button labelled ``label`` under ``message``."""
        await self.send_callback(person, message.data_of(label), message)

    async def send_photo(self, person: Person, file_id: str, caption: str = "") -> None:
        """``person`` sends a photo (Telegram's sizes, the largest last)."""
        body = self._message(person, caption)
        del body["text"]
        if caption:
            body["caption"] = caption
        small = f"{file_id}-s"
        body["photo"] = [
            {"file_id": small, "file_unique_id": small, "width": 90, "height": 67},
            {"file_id": file_id, "file_unique_id": file_id, "width": 1280, "height": 960},
        ]
        await self._post("/sendMessage", body)

    async def send_location(self, person: Person, latitude: float, longitude: float) -> None:
        """``person`` shares a location."""
        body = self._message(person, "")
        del body["text"]
        body["location"] = {"latitude": latitude, "longitude": longitude}
        await self._post("/sendMessage", body)

    async def history(self, chat_id: int) -> list[BotMessage]:
        """Everything the bot sent to ``chat_id`` so far, read or not, in order (as edited)."""
        stored = await self._post("/getUpdatesHistory", {"token": self.token})
        found = [
            BotMessage.from_stored(item)
            for item in stored
            if isinstance(item.get("message"), dict)
            and "chat_id" in item["message"]
            and str(item["message"]["chat_id"]) == str(chat_id)
        ]
        return sorted(found, key=lambda m: m.message_id)

    async def expect(self, person: Person, contains: str, *, wait: float = WAIT) -> BotMessage:
        """The first message to ``person`` after the last one expected that contains ``contains``.

        Messages in between are passed over (a test asserts on the whole history at its end).
        """
        after = self._expected.get(person.id, 0)
        deadline = time.monotonic() + wait
        while True:
            newer = [m for m in await self.history(person.id) if m.message_id > after]
            for message in newer:
                if contains in message.text:
                    self._expected[person.id] = message.message_id
                    return message
            if time.monotonic() >= deadline:
                shown = [m.text[:120] for m in newer]
                raise AssertionError(
                    f"{person.name} was not sent {contains!r} within {wait} s; got {shown}"
                )
            await asyncio.sleep(0.05)

    async def count(self, person: Person, contains: str) -> int:
        """How many messages to ``person`` contain ``contains`` (duplicates included)."""
        return sum(contains in m.text for m in await self.history(person.id))

    async def quiet(self, seconds: float = 1.0, *, wait: float = 15.0) -> None:
        """Wait until the bot has sent nothing new for ``seconds`` (late duplicates show)."""
        deadline = time.monotonic() + wait
        last = -1
        since = time.monotonic()
        while time.monotonic() < deadline:
            stored = await self._post("/getUpdatesHistory", {"token": self.token})
            if len(stored) != last:
                last, since = len(stored), time.monotonic()
            elif time.monotonic() - since >= seconds:
                return
            await asyncio.sleep(0.1)

    async def bot_messages(
        self, chat_id: int, count: int = 1, *, wait: float = WAIT
    ) -> list[BotMessage]:
        """The bot's unread messages to ``chat_id``: waits until ``count`` have arrived.

        Returns what arrived by the deadline (the caller's assertion then shows it).
        """
        found: list[BotMessage] = []
        deadline = time.monotonic() + wait
        while True:
            stored = await self._post("/getUpdates", {"token": self.token, "chatId": chat_id})
            found += [BotMessage.from_stored(item) for item in stored]
            if len(found) >= count or time.monotonic() >= deadline:
                return found
            await asyncio.sleep(0.05)


@dataclass
class LiveBot:
    """The application of ``bot.app``, pointed at the emulator and polling for real."""

    settings: Settings
    runtime: Runtime
    request: CompatRequest | None = None
    app: Application | None = field(default=None)  # type: ignore[type-arg]

    async def start(self, *, fake_ok: Collection[str] = DEFAULT_FAKE_OK) -> None:
        """Build, initialise, start and poll, as ``bot.app.run`` does (pending kept)."""
        self.request = CompatRequest(fake_ok=fake_ok)
        app = build_application(self.settings, self.runtime, request=self.request)
        self.app = app
        # The order of Application.run_polling: initialize, post_init, poll, start.
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=POLL_INTERVAL,
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
        )
        await app.start()

    async def stop(self) -> None:
        """Stop polling, the application, and shut it down (the database stays)."""
        app, self.app = self.app, None
        if app is None:
            return
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:  # as run_polling does after shutdown
            await app.post_shutdown(app)


@pytest.fixture
def token() -> str:
    """A bot token of this test alone: the emulator keeps one queue per token."""
    return f"{uuid.uuid4().int % 10**9:09d}:AAE-e2e-{uuid.uuid4().hex}"


@pytest.fixture
def e2e_settings(emulator: Emulator, token: str, tmp_path: Path, sqlite_template: Path) -> Settings:
    database = tmp_path / "e2e.db"
    shutil.copy(sqlite_template, database)
    return load_settings(
        telegram_bot_token=token,
        database_url=f"sqlite:///{database}",
        admin_telegram_ids=str(ADMIN.id),
        skm_secret="e2e-secret-0123456789abcdef0123456789abcdef",
        skm_secret_file=str(tmp_path / "skm.key"),
        telegram_api_base_url=f"{emulator.url}/bot",
    )


@pytest.fixture
def runtime(e2e_settings: Settings) -> Iterator[Runtime]:
    """The database of the bot under test (seeded with Kecamatan Larangan)."""
    rt = open_runtime(e2e_settings)
    yield rt
    rt.close()


@pytest.fixture
async def client(emulator: Emulator, token: str) -> AsyncIterator[Client]:
    async with httpx.AsyncClient(base_url=emulator.url, timeout=5.0) as http:
        yield Client(http, token)


@pytest.fixture
async def stopped_bot(e2e_settings: Settings, runtime: Runtime) -> AsyncIterator[LiveBot]:
    """The bot, not yet started: the test calls ``await stopped_bot.start()``."""
    live = LiveBot(e2e_settings, runtime)
    yield live
    await live.stop()


@pytest.fixture
async def bot(stopped_bot: LiveBot) -> LiveBot:
    """The bot, polling the emulator."""
    await stopped_bot.start()
    return stopped_bot


# -- the wire layer and the real process ---------------------------------------------------

SECTIONS = pytest.StashKey[list[tuple[str, Callable[[], str]]]]()
START_SECONDS: list[float] = []  # every bot process start of the session, until it polled
FIGURES: list[str] = []  # lines the fault tests report (duplicates seen, retries...)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The start time of the bot processes and the figures of the fault tests."""
    if not START_SECONDS and not FIGURES:
        return
    terminalreporter.section("iku-bot processes and faults")
    if START_SECONDS:
        ordered = sorted(START_SECONDS)
        terminalreporter.write_line(
            f"process start until polling: {len(ordered)} starts, "
            f"median {ordered[len(ordered) // 2]:.2f} s, "
            f"min {ordered[0]:.2f} s, max {ordered[-1]:.2f} s (the first compiles)"
        )
    for line in FIGURES:
        terminalreporter.write_line(line)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A failed test shows its bot process's output and the wire layer's calls."""
    report = yield
    if report.failed:
        for title, produce in item.stash.get(SECTIONS, []):
            try:
                text = produce()
            except Exception as error:  # a report must never hide the failure itself
                text = f"(not available: {error!r})"
            report.sections.append((title, text[-30000:]))
    return report


@pytest.fixture(scope="session")
def wire(emulator: Emulator) -> Iterator[WireServer]:
    """The Telegram-faithful layer in front of the emulator, once per session."""
    server = WireServer(emulator.url)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pycache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the bot processes of the session keep their compiled modules."""
    return tmp_path_factory.mktemp("pycache")


@pytest.fixture
def database(e2e_settings: Settings) -> Database:
    """The SQLite file of this test, read with plain SQL."""
    path = e2e_settings.sqlite_path()
    assert path is not None
    return Database(path)


@pytest.fixture
def bot_process(
    wire: WireServer,
    token: str,
    database: Database,
    runtime: Runtime,
    tmp_path: Path,
    pycache: Path,
    request: pytest.FixtureRequest,
) -> Iterator[BotProcess]:
    """The real ``iku-bot`` process of this test (not started: ``await bot_process.start()``).

    ``runtime`` has migrated and seeded the database first; users may be added through it
    before the start.
    """
    process = BotProcess(
        wire=wire,
        token=token,
        database=database.path,
        workdir=tmp_path / "bot",
        admin_ids=(ADMIN.id,),
        pycache=pycache,
    )
    request.node.stash[SECTIONS] = [
        ("bot process output", process.output),
        ("wire layer calls", lambda: wire.log(token)),
    ]
    yield process
    process.stop()
    START_SECONDS.extend(process.start_seconds)
