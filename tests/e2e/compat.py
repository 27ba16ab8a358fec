"""Test-side repairs of telegram-test-api 4.2.1's defects against python-telegram-bot 22.

Used only by tests/e2e (level 2 of the project's testing notes: the real bot over HTTP
against an independent Bot API emulator). The bot itself is untouched: ``CompatRequest`` is
an ``HTTPXRequest`` (the real HTTP client PTB uses) whose answers are mended before PTB
parses them, and the wire layer (tests/e2e/wire.py) applies the same ``repair`` to what it
forwards; one small function per defect:

- ``getMe`` lacks ``is_bot`` (``Application.initialize()`` would raise TypeError);
- message dates are in milliseconds (PTB: "year ... is out of range");
- a sent message is the request echoed back, so form-encoded objects such as
  ``link_preview_options`` stay JSON strings (PTB: "argument after ** must be a mapping");
- ``editMessageText``/``editMessageReplyMarkup`` return null instead of the edited Message;
- callback queries lack ``chat_instance``;
- ``answerCallbackQuery`` (and ``deleteMessage``) return null instead of true;
- every other method answers HTTP 500 "not supported". Methods named in ``fake_ok``
  (by default ``setMyCommands``, called at every start) get a fake ``true``; the rest keep
  their 500 (its message moved to Telegram's ``description``), which PTB raises as
  ``NetworkError``: sendPhoto/sendDocument show how the bot survives a method the server
  cannot serve.

Every call is recorded (method, parameters, the emulator's own HTTP status) in ``calls``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from telegram.request import HTTPXRequest, RequestData

__all__ = ["ApiCall", "CompatRequest", "DEFAULT_FAKE_OK"]

DEFAULT_FAKE_OK: frozenset[str] = frozenset({"setMyCommands"})
_TRUE_WHEN_NULL = frozenset({"answerCallbackQuery", "deleteMessage"})
_EDITS = frozenset({"editMessageText", "editMessageReplyMarkup", "editMessageCaption"})
_JSON_FIELDS = frozenset(
    {"link_preview_options", "reply_parameters", "entities", "caption_entities", "reply_markup"}
)
_MILLISECONDS = 10**11  # a "date" above this is in milliseconds (year 5138 in seconds)
_BOT = {"id": 666, "is_bot": True, "first_name": "Test First name", "username": "TestNameBot"}


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One Bot API request of the bot, as the emulator answered it (before repairs)."""

    method: str
    parameters: dict[str, Any]
    status: int


def _seconds(value: Any) -> Any:
    """Every ``date``/``edit_date`` in milliseconds becomes seconds (recursively)."""
    if isinstance(value, list):
        return [_seconds(item) for item in value]
    if not isinstance(value, dict):
        return value
    fixed = {key: _seconds(item) for key, item in value.items()}
    for key in ("date", "edit_date"):
        stamp = fixed.get(key)
        if isinstance(stamp, int) and stamp > _MILLISECONDS:
            fixed[key] = stamp // 1000
    return fixed


def _decoded(message: dict[str, Any]) -> dict[str, Any]:
    """Objects the emulator echoed as the JSON strings PTB posted become objects again."""
    return {
        key: json.loads(value) if key in _JSON_FIELDS and isinstance(value, str) else value
        for key, value in message.items()
    }


def _edited_message(parameters: dict[str, Any]) -> dict[str, Any] | bool:
    """What Telegram answers to an edit: the Message (or true for inline messages)."""
    if "inline_message_id" in parameters:
        return True
    chat_id = int(parameters["chat_id"])
    message: dict[str, Any] = {
        "message_id": int(parameters["message_id"]),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
        "from": _BOT,
    }
    if "text" in parameters:
        message["text"] = parameters["text"]
    if isinstance(parameters.get("reply_markup"), dict):
        message["reply_markup"] = parameters["reply_markup"]
    return message


def _with_chat_instance(update: dict[str, Any]) -> dict[str, Any]:
    """Callback queries get the ``chat_instance`` Telegram always sends."""
    query = update.get("callback_query")
    if isinstance(query, dict) and "chat_instance" not in query:
        chat = (query.get("message") or {}).get("chat") or query.get("from") or {}
        update = {**update, "callback_query": {**query, "chat_instance": f"e2e-{chat.get('id')}"}}
    return update


def _as_telegram_error(status: int, payload: bytes) -> bytes:
    """The emulator's ``{"message"}`` error as Telegram's ``{"ok", "description"}``."""
    try:
        message = json.loads(payload).get("message")
    except (ValueError, AttributeError):
        return payload
    if not isinstance(message, str):
        return payload
    error = {"ok": False, "error_code": status, "description": message.split(". ")[0]}
    return json.dumps(error).encode()


def repair(
    method: str, parameters: dict[str, Any], status: int, payload: bytes, fake_ok: Collection[str]
) -> tuple[int, bytes]:
    """The answer Telegram would have given, as far as the test needs it."""
    if status == 500 and method in fake_ok:
        return 200, b'{"ok": true, "result": true}'
    if status != 200:
        return status, _as_telegram_error(status, payload)
    body = json.loads(payload)
    result = body.get("result")
    if method == "getMe" and isinstance(result, dict):
        result = {**result, "is_bot": True}
    elif method == "getUpdates" and isinstance(result, list):
        result = [_with_chat_instance(update) for update in result]
    elif method in _EDITS and result is None:
        result = _edited_message(parameters)
    elif method in _TRUE_WHEN_NULL and result is None:
        result = True
    if isinstance(result, dict) and "message_id" in result:
        result = _decoded(result)
    body["result"] = _seconds(result)
    return status, json.dumps(body).encode()


class CompatRequest(HTTPXRequest):
    """``HTTPXRequest`` speaking to telegram-test-api as if it were Telegram."""

    def __init__(
        self, *, fake_ok: Collection[str] = DEFAULT_FAKE_OK, connection_pool_size: int = 8
    ) -> None:
        # A few connections: the polling loop and the handlers' replies run side by side.
        super().__init__(connection_pool_size=connection_pool_size)
        self.fake_ok = frozenset(fake_ok)
        self.calls: list[ApiCall] = []

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: Any = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send for real, record, then mend the answer."""
        status, payload = await super().do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        api_method = url.rstrip("/").rsplit("/", 1)[-1]
        parameters = dict(request_data.parameters) if request_data is not None else {}
        self.calls.append(ApiCall(api_method, parameters, status))
        return repair(api_method, parameters, status, payload, self.fake_ok)

    def called(self, method: str) -> list[ApiCall]:
        """The recorded calls of one Bot API method, in order."""
        return [call for call in self.calls if call.method == method]
