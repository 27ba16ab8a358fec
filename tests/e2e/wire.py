"""A Telegram-faithful Bot API layer in front of telegram-test-api, run in the test process.

The bot under test uses ``WireServer.api_url`` as its ``TELEGRAM_API_BASE_URL``. Every Bot
API call is forwarded to the emulator and its answer mended by ``tests.e2e.compat.repair``,
except where the emulator is not faithful to Telegram:

- ``getUpdates`` keeps Telegram's contract per token. Updates fetched from the emulator
  (which marks them read at once) are kept in a buffer; ``getUpdates(offset=N)`` first
  confirms (drops) every buffered update with ``update_id < N``, then returns the rest (up
  to ``limit``), and when there is none it long-polls up to ``timeout`` seconds, asking
  the emulator every 50 ms. An update that was fetched but never confirmed is therefore
  delivered again to the next process, as Telegram does. A second ``getUpdates`` of the
  same token ends the one still waiting with 409 Conflict, as Telegram does.
- ``sendPhoto``, ``sendDocument`` and ``sendLocation`` (HTTP 500 "not supported" in the
  emulator) are stored as a message with the caption (or ``[foto]``, ``[berkas]``,
  ``[lokasi]``) and a ``media`` field, and answered with a Message carrying the photo,
  document or location, so that a sender which retries server errors is not stuck.

- ``getFile`` (the emulator has none) answers from the files the test registered with
  ``add_file`` (``400 wrong file_id`` for any other), and ``/file/bot<token>/<path>``
  serves their bytes, as Telegram's file server does; a photo a user "sent" can thus be
  downloaded by the bot's evidence fetcher. Downloads are counted (``downloads``).

On command from the test it injects faults (``inject``): for a method and optionally a
chat id, the next calls answer 502 Bad Gateway, or 429 with ``retry_after``, or hang
longer than the bot's read timeout (``deliver=True``: the emulator got the call first,
only the answer is lost). ``redeliver`` hands an already confirmed update to the bot once
more. Every call is recorded (``calls``) with what the layer answered.

The server runs on a free loopback port in a thread of its own (its own event loop), so a
test that blocks its own loop for a moment does not stall the bot's requests. The test
side is thread-safe; every method of this class except the handlers is called from the
test.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
from tornado.httpserver import HTTPServer
from tornado.httputil import HTTPServerRequest
from tornado.iostream import StreamClosedError
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from tests.e2e.compat import DEFAULT_FAKE_OK, repair

__all__ = ["Fault", "FaultKind", "WireCall", "WireServer", "POLL_EVERY"]

FaultKind = Literal["502", "429", "hang"]
POLL_EVERY = 0.05  # seconds between two looks at the emulator during a long poll
HANG_SECONDS = 8.0  # longer than python-telegram-bot's default read timeout (5 s)

_CONFLICT = {
    "ok": False,
    "error_code": 409,
    "description": "Conflict: terminated by other getUpdates request; make sure that only "
    "one bot instance is running",
}
_BAD_GATEWAY = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
_MEDIA = {"sendPhoto": "photo", "sendDocument": "document", "sendLocation": "location"}
_MEDIA_PLACEHOLDER = {"photo": "[foto]", "document": "[berkas]", "location": "[lokasi]"}
_JSON_START = ("{", "[")


@dataclass(slots=True)
class Fault:
    """What the next ``times`` calls of ``method`` (to ``chat_id``, if set) get instead."""

    method: str
    kind: FaultKind
    chat_id: int | None = None
    times: int = 1
    retry_after: int = 1  # 429
    seconds: float = HANG_SECONDS  # hang
    deliver: bool = False  # hang: forward first (the message arrives, the answer is lost)
    used: int = 0

    def matches(self, method: str, chat_id: int | None) -> bool:
        if self.used >= self.times or method != self.method:
            return False
        return self.chat_id is None or self.chat_id == chat_id

    @property
    def label(self) -> str:
        if self.kind == "429":
            return f"429 retry_after={self.retry_after}"
        if self.kind == "hang":
            return f"hang {self.seconds:g}s" + (" after delivery" if self.deliver else "")
        return self.kind


@dataclass(frozen=True, slots=True)
class WireCall:
    """One Bot API request of the bot and what the layer answered."""

    seq: int
    at: float  # time.monotonic() when it arrived
    method: str
    parameters: dict[str, Any]
    status: int  # HTTP status answered; 0: none (the bot had gone, or a hang outlasted it)
    fault: str | None  # the injected fault, if any
    forwarded: bool  # the emulator received the call
    update_ids: tuple[int, ...] = ()  # getUpdates: the updates returned

    @property
    def chat_id(self) -> int | None:
        return _chat_id(self.parameters)

    def describe(self) -> str:
        shown = {k: v for k, v in self.parameters.items() if k not in ("reply_markup",)}
        text = json.dumps(shown, ensure_ascii=False, default=str)
        if len(text) > 160:
            text = text[:157] + "..."
        extra = f" updates={list(self.update_ids)}" if self.method == "getUpdates" else ""
        fault = f" FAULT[{self.fault}]" if self.fault else ""
        return f"#{self.seq} {self.method} -> {self.status}{fault}{extra} {text}"


@dataclass(slots=True)
class _Token:
    """The layer's state of one bot token."""

    buffer: dict[int, dict[str, Any]] = field(default_factory=dict)  # fetched, unconfirmed
    seen: dict[int, dict[str, Any]] = field(default_factory=dict)  # every update fetched
    forced: list[dict[str, Any]] = field(default_factory=list)  # redeliveries asked for
    deliveries: Counter[int] = field(default_factory=Counter)
    faults: list[Fault] = field(default_factory=list)
    calls: list[WireCall] = field(default_factory=list)
    polls: int = 0
    poller: int | None = None  # the getUpdates request now waiting
    busy: int = 0  # calls other than getUpdates not answered yet (a hang, a forward)


def _chat_id(parameters: dict[str, Any]) -> int | None:
    raw = parameters.get("chat_id")
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def _value(raw: bytes | str) -> Any:
    """A form value: text, or the object when PTB sent JSON (reply_markup, entities...)."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    if text.startswith(_JSON_START):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def _parameters(request: HTTPServerRequest) -> dict[str, Any]:
    """The call's parameters from the query, a form, a multipart body or JSON."""
    found: dict[str, Any] = {}
    for source in (request.query_arguments, request.body_arguments):
        for key, values in source.items():
            if values:
                found[key] = _value(values[-1])
    for key, files in request.files.items():
        if files:
            found[key] = {"upload": files[0].filename or key, "size": len(files[0].body)}
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("application/json") and request.body:
        try:
            body = json.loads(request.body)
        except ValueError:
            body = None
        if isinstance(body, dict):
            found.update(body)
    return found


def _number(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class _ApiHandler(RequestHandler):
    """``/bot<token>/<method>``: one Bot API call."""

    wire: WireServer

    def initialize(self, wire: WireServer) -> None:
        self.wire = wire
        self.gone = asyncio.Event()

    def on_connection_close(self) -> None:
        self.gone.set()

    def check_xsrf_cookie(self) -> None:  # an API, not a web form
        return None

    async def get(self, token: str, method: str) -> None:
        await self.post(token, method)

    async def post(self, token: str, method: str) -> None:
        await self.wire._handle(self, token, method)

    async def answer(self, status: int, body: bytes, content_type: str) -> bool:
        """Write the answer; False when the bot is no longer there to read it."""
        if self.gone.is_set() or self.request.connection is None:
            return False
        self.set_status(status)
        self.set_header("Content-Type", content_type)
        try:
            await self.finish(body)
        except StreamClosedError:
            return False
        return True

    async def wait_gone(self, seconds: float) -> bool:
        """Wait ``seconds`` or until the bot hangs up; True if it did."""
        try:
            await asyncio.wait_for(self.gone.wait(), seconds)
        except TimeoutError:
            return False
        return True


def _file_path(file_id: str) -> str:
    return f"photos/{file_id}.jpg"


class _FileHandler(RequestHandler):
    """``/file/bot<token>/<path>``: the bytes of a registered file, as Telegram serves them."""

    wire: WireServer

    def initialize(self, wire: WireServer) -> None:
        self.wire = wire

    async def get(self, token: str, path: str) -> None:
        content = self.wire.download(path)
        if content is None:
            self.set_status(404)
            await self.finish(b"Not Found")
            return
        self.set_header("Content-Type", "application/octet-stream")
        await self.finish(content)


class WireServer:
    """The layer: start it, point the bot at ``api_url``, inspect and steer it from tests."""

    def __init__(self, emulator_url: str, *, fake_ok: Collection[str] = DEFAULT_FAKE_OK) -> None:
        self.emulator_url = emulator_url.rstrip("/")
        self.fake_ok = frozenset(fake_ok)
        self.port = 0
        self._lock = threading.Lock()
        self._tokens: dict[str, _Token] = {}
        self._seq = itertools.count(1)
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._http: httpx.AsyncClient | None = None
        self._error: BaseException | None = None
        self._files: dict[str, bytes] = {}  # file id -> content (getFile and downloads)
        self._downloads: Counter[str] = Counter()  # file path -> downloads

    # -- life cycle (test side) ------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The value of ``TELEGRAM_API_BASE_URL`` for the bot."""
        return f"{self.url}/bot"

    def start(self) -> None:
        self._thread = threading.Thread(target=self._serve, name="wire", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the wire layer did not start")
        if self._error is not None:
            raise RuntimeError("the wire layer did not start") from self._error

    def stop(self) -> None:
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(stop.set)
        if self._thread is not None:
            self._thread.join(10)

    def _serve(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as error:  # reported by start()
            self._error = error
            self._ready.set()

    async def _main(self) -> None:
        sockets = bind_sockets(0, "127.0.0.1")
        self.port = int(sockets[0].getsockname()[1])
        app = Application(
            [
                (r"/bot([^/]+)/([A-Za-z]+)", _ApiHandler, {"wire": self}),
                (r"/file/bot([^/]+)/(.+)", _FileHandler, {"wire": self}),
            ],
            log_function=lambda _handler: None,
        )
        server = HTTPServer(app)
        server.add_sockets(sockets)
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=16)
        self._http = httpx.AsyncClient(base_url=self.emulator_url, timeout=10.0, limits=limits)
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            server.stop()
            await server.close_all_connections()
            await self._http.aclose()

    # -- steering and inspection (test side, thread-safe) -----------------------------------

    def _state(self, token: str) -> _Token:
        # Called with the lock held.
        state = self._tokens.get(token)
        if state is None:
            state = self._tokens[token] = _Token()
        return state

    def inject(
        self,
        token: str,
        method: str,
        kind: FaultKind,
        *,
        chat_id: int | None = None,
        times: int = 1,
        retry_after: int = 1,
        seconds: float = HANG_SECONDS,
        deliver: bool = False,
    ) -> Fault:
        """The next ``times`` calls of ``method`` (to ``chat_id``) fail as ``kind`` says."""
        fault = Fault(method, kind, chat_id, times, retry_after, seconds, deliver)
        with self._lock:
            self._state(token).faults.append(fault)
        return fault

    def clear_faults(self, token: str) -> None:
        with self._lock:
            self._state(token).faults.clear()

    def add_file(self, file_id: str, content: bytes) -> None:
        """Register a file a user sent: getFile and the file server give it to the bot."""
        with self._lock:
            self._files[file_id] = content

    def downloads(self, file_id: str) -> int:
        """How often the bot downloaded the file ``file_id``."""
        with self._lock:
            return self._downloads[_file_path(file_id)]

    def redeliver(self, token: str, update_id: int) -> None:
        """Deliver an update the bot already had once more (as after a lost confirmation)."""
        with self._lock:
            state = self._state(token)
            update = state.seen.get(update_id)
            if update is None:
                raise KeyError(f"update {update_id} was never delivered")
            state.forced.append(update)

    def calls(self, token: str, method: str | None = None) -> list[WireCall]:
        """The recorded calls of ``token`` (of one method), in order of arrival."""
        with self._lock:
            calls = list(self._state(token).calls)
        return [c for c in calls if method is None or c.method == method]

    def polls(self, token: str) -> int:
        """How many ``getUpdates`` calls arrived for ``token``."""
        with self._lock:
            return self._state(token).polls

    def updates(self, token: str) -> list[dict[str, Any]]:
        """Every update fetched from the emulator for ``token``, by update id."""
        with self._lock:
            seen = self._state(token).seen
            return [seen[key] for key in sorted(seen)]

    def deliveries(self, token: str) -> dict[int, int]:
        """How many times each update was handed to the bot (answers written)."""
        with self._lock:
            return dict(self._state(token).deliveries)

    def busy(self, token: str) -> int:
        """How many calls other than getUpdates are under way (hanging ones included)."""
        with self._lock:
            return self._state(token).busy

    def unconfirmed(self, token: str) -> list[int]:
        """The update ids fetched and not confirmed yet."""
        with self._lock:
            return sorted(self._state(token).buffer)

    def log(self, token: str) -> str:
        """Every call of ``token``, one line each (shown when a test fails)."""
        lines = [call.describe() for call in self.calls(token)]
        with self._lock:
            state = self._state(token)
            lines.append(f"deliveries: {dict(state.deliveries)}")
            lines.append(f"unconfirmed: {sorted(state.buffer)}")
            faults = [
                f"{f.method}/{f.chat_id} {f.label} used {f.used}/{f.times}" for f in state.faults
            ]
        lines.append(f"faults: {faults}")
        return "\n".join(lines)

    # -- the handlers (wire thread) ---------------------------------------------------------

    def _record(self, token: str, call: WireCall) -> None:
        with self._lock:
            self._state(token).calls.append(call)

    async def _handle(self, handler: _ApiHandler, token: str, method: str) -> None:
        arrived = time.monotonic()
        seq = next(self._seq)
        parameters = _parameters(handler.request)
        if method == "getUpdates":
            await self._get_updates(handler, token, parameters, seq, arrived)
            return
        chat_id = _chat_id(parameters)
        with self._lock:
            state = self._state(token)
            state.busy += 1
            fault = next((f for f in state.faults if f.matches(method, chat_id)), None)
            if fault is not None:
                fault.used += 1
        try:
            await self._call(handler, token, method, parameters, fault, seq, arrived)
        finally:
            with self._lock:
                self._state(token).busy -= 1

    async def _call(
        self,
        handler: _ApiHandler,
        token: str,
        method: str,
        parameters: dict[str, Any],
        fault: Fault | None,
        seq: int,
        arrived: float,
    ) -> None:
        status, forwarded = 0, False
        if fault is None:
            status, forwarded = await self._forward_and_answer(handler, token, method, parameters)
        elif fault.kind == "502":
            written = await handler.answer(502, _BAD_GATEWAY, "text/html")
            status = 502 if written else 0
        elif fault.kind == "429":
            body = {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {fault.retry_after}",
                "parameters": {"retry_after": fault.retry_after},
            }
            written = await handler.answer(429, json.dumps(body).encode(), "application/json")
            status = 429 if written else 0
        else:
            status, forwarded = await self._hang(handler, token, method, parameters, fault)
        self._record(
            token,
            WireCall(
                seq,
                arrived,
                method,
                parameters,
                status,
                None if fault is None else fault.label,
                forwarded,
            ),
        )

    async def _hang(
        self,
        handler: _ApiHandler,
        token: str,
        method: str,
        parameters: dict[str, Any],
        fault: Fault,
    ) -> tuple[int, bool]:
        """Answer late (or never): the bot's read timeout runs out first."""
        if fault.deliver:
            status, payload = await self._forward(handler, token, method, parameters)
            if await handler.wait_gone(fault.seconds):
                return 0, True
            written = await handler.answer(status, payload, "application/json")
            return (status if written else 0), True
        if await handler.wait_gone(fault.seconds):
            return 0, False
        return await self._forward_and_answer(handler, token, method, parameters)

    async def _forward_and_answer(
        self, handler: _ApiHandler, token: str, method: str, parameters: dict[str, Any]
    ) -> tuple[int, bool]:
        status, payload = await self._forward(handler, token, method, parameters)
        written = await handler.answer(status, payload, "application/json")
        return (status if written else 0), True

    async def _forward(
        self, handler: _ApiHandler, token: str, method: str, parameters: dict[str, Any]
    ) -> tuple[int, bytes]:
        """The emulator's answer to the call, mended to what Telegram would answer."""
        assert self._http is not None
        kind = _MEDIA.get(method)
        if kind is not None:
            return await self._media(token, kind, parameters)
        if method == "getFile":
            return self._get_file(parameters)
        headers = {}
        content_type = handler.request.headers.get("Content-Type")
        if content_type:
            headers["Content-Type"] = content_type
        response = await self._http.post(
            f"/bot{token}/{method}", content=handler.request.body, headers=headers
        )
        return repair(method, parameters, response.status_code, response.content, self.fake_ok)

    def _get_file(self, parameters: dict[str, Any]) -> tuple[int, bytes]:
        """Telegram's File object of a registered file (its path: ``photos/<id>.jpg``)."""
        file_id = str(parameters.get("file_id") or "")
        with self._lock:
            content = self._files.get(file_id)
        if content is None:
            body = {"ok": False, "error_code": 400, "description": "Bad Request: wrong file_id"}
            return 400, json.dumps(body).encode()
        result = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(content),
            "file_path": _file_path(file_id),
        }
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def download(self, path: str) -> bytes | None:
        """The bytes served at ``path`` of the file server (None: no such file)."""
        with self._lock:
            found = next((c for i, c in self._files.items() if _file_path(i) == path), None)
            if found is not None:
                self._downloads[path] += 1
            return found

    async def _media(self, token: str, kind: str, parameters: dict[str, Any]) -> tuple[int, bytes]:
        """A photo, document or location stored as a message (the emulator has no media)."""
        assert self._http is not None
        body: dict[str, Any] = {
            "chat_id": parameters.get("chat_id"),
            "text": parameters.get("caption") or _MEDIA_PLACEHOLDER[kind],
            "media": kind,
        }
        for key in ("reply_markup", "parse_mode"):
            if key in parameters:
                body[key] = parameters[key]
        response = await self._http.post(f"/bot{token}/sendMessage", json=body)
        status, payload = repair(
            "sendMessage", body, response.status_code, response.content, self.fake_ok
        )
        if status != 200:
            return status, payload
        answer = json.loads(payload)
        message = dict(answer["result"])
        number = message.get("message_id")
        caption = message.pop("text", None)
        message.pop("media", None)
        if kind == "location":
            message["location"] = {
                "latitude": float(parameters.get("latitude", 0)),
                "longitude": float(parameters.get("longitude", 0)),
            }
        else:
            if parameters.get("caption"):
                message["caption"] = caption
            file = {"file_id": f"wire-{kind}-{number}", "file_unique_id": f"wire-{kind}-{number}"}
            if kind == "photo":
                message["photo"] = [{**file, "width": 640, "height": 480}]
            else:
                upload = parameters.get("document")
                name = upload.get("upload") if isinstance(upload, dict) else None
                message["document"] = {**file, "file_name": name or "berkas"}
        answer["result"] = message
        return status, json.dumps(answer).encode()

    async def _pull(self, token: str) -> None:
        """Fetch what users sent from the emulator into the buffer (the emulator forgets)."""
        assert self._http is not None
        response = await self._http.post(f"/bot{token}/getUpdates")
        status, payload = repair("getUpdates", {}, response.status_code, response.content, ())
        if status != 200:
            raise RuntimeError(f"emulator getUpdates: {status} {payload!r}")
        fetched = json.loads(payload)["result"]
        with self._lock:
            state = self._state(token)
            for update in fetched:
                message = update.get("message")
                if isinstance(message, dict):
                    message.pop("botToken", None)
                number = int(update["update_id"])
                state.buffer[number] = update
                state.seen[number] = update

    def _ready_updates(self, token: str, limit: int) -> list[dict[str, Any]]:
        # Called with the lock held: the redeliveries asked for, then the buffer by id.
        state = self._state(token)
        ready = list(state.forced)
        ready += [state.buffer[key] for key in sorted(state.buffer)]
        return ready[:limit]

    async def _get_updates(
        self,
        handler: _ApiHandler,
        token: str,
        parameters: dict[str, Any],
        seq: int,
        arrived: float,
    ) -> None:
        offset = _number(parameters.get("offset"), 0)
        limit = min(max(_number(parameters.get("limit"), 100), 1), 100)
        timeout = max(_number(parameters.get("timeout"), 0), 0)
        with self._lock:
            state = self._state(token)
            state.polls += 1
            state.poller = seq  # an older request still waiting ends with 409
            if offset > 0:
                for number in [key for key in state.buffer if key < offset]:
                    del state.buffer[number]
        deadline = arrived + timeout
        ready: list[dict[str, Any]] = []
        conflict = False
        while True:
            await self._pull(token)
            with self._lock:
                state = self._state(token)
                conflict = state.poller != seq
                if not conflict:
                    ready = self._ready_updates(token, limit)
            if conflict or ready or handler.gone.is_set() or time.monotonic() >= deadline:
                break
            await asyncio.sleep(POLL_EVERY)
        if conflict:
            written = await handler.answer(409, json.dumps(_CONFLICT).encode(), "application/json")
            status = 409
        else:
            body = json.dumps({"ok": True, "result": ready}).encode()
            written = await handler.answer(200, body, "application/json")
            status = 200
        ids = tuple(int(u["update_id"]) for u in ready)
        with self._lock:
            state = self._state(token)
            if state.poller == seq:
                state.poller = None
            if written:
                state.deliveries.update(ids)
                forced = {id(u) for u in ready}
                state.forced = [u for u in state.forced if id(u) not in forced]
        self._record(
            token,
            WireCall(
                seq,
                arrived,
                "getUpdates",
                parameters,
                status if written else 0,
                None,
                False,
                ids,
            ),
        )
