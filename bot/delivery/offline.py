"""A Bot API that answers locally: for the offline console and for in-process tests.

It records every call, keeps what the bot sent per chat (with its buttons), and
serves files registered in :attr:`OfflineBotApi.files` for ``getFile`` and
downloads. Anything it does not know fails loudly, so that a new Bot API call is
noticed instead of silently ignored.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count
from typing import Any

from telegram import CallbackQuery, Chat, Message, MessageEntity, Update, User
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

__all__ = [
    "BOT_ID",
    "Call",
    "SentMessage",
    "OfflineBotApi",
    "message_update",
    "press_update",
    "process",
]

BOT_ID = 7000000001
_DATE = 1_780_000_000


@dataclass
class Call:
    """One Bot API call the bot made."""

    method: str
    params: dict[str, Any]


@dataclass
class SentMessage:
    """A message the bot sent (or edited), as a user would see it."""

    chat_id: int
    message_id: int
    text: str
    buttons: list[list[dict[str, str]]] = field(default_factory=list)
    kind: str = "text"  # text, photo, document, location
    file_name: str | None = None
    content: bytes | None = None

    def labels(self) -> list[str]:
        """Button labels, row by row."""
        return [b["text"] for row in self.buttons for b in row]


def _buttons(params: dict[str, Any]) -> list[list[dict[str, str]]]:
    markup = params.get("reply_markup")
    if markup is None:
        return []
    if isinstance(markup, str):
        markup = json.loads(markup)
    rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
    return [[dict(b) for b in row] for row in rows]


@dataclass
class OfflineBotApi(BaseRequest):
    """Answers the Bot API calls this bot makes, without a network."""

    username: str = "iku_test_bot"
    calls: list[Call] = field(default_factory=list)
    messages: list[SentMessage] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    listener: Callable[[str, SentMessage | None, dict[str, Any]], None] | None = None
    fail_for: set[int] = field(default_factory=set)  # chats that "blocked" the bot
    # The bot's membership per group chat (getChatMember) and the group's permissions.
    member_status: dict[int, dict[str, Any]] = field(default_factory=dict)
    chat_permissions: dict[int, dict[str, bool]] = field(default_factory=dict)
    # Scripted errors for the next sends to a chat: (HTTP code, description, parameters).
    scripted: dict[int, list[tuple[int, str, dict[str, Any] | None]]] = field(default_factory=dict)
    _message_id: int = 100

    def fail_next(
        self,
        chat_id: int,
        code: int,
        description: str,
        parameters: dict[str, Any] | None = None,
        *,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` sends to ``chat_id`` fail as Telegram would."""
        self.scripted.setdefault(chat_id, []).extend([(code, description, parameters)] * times)

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @property
    def read_timeout(self) -> float | None:
        """No timeouts offline."""
        return None

    def _message(self, chat_id: int, text: str, **extra: Any) -> dict[str, Any]:
        self._message_id += 1
        return {
            "message_id": self._message_id,
            "date": _DATE,
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "text": text,
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "IKU Bot"},
            **extra,
        }

    def _record(self, method: str, params: dict[str, Any]) -> Any:
        chat_id = int(str(params.get("chat_id", 0)))
        if method in {"sendMessage", "sendPhoto", "sendDocument", "sendLocation"}:
            if chat_id in self.fail_for:
                return None
            kind = {"sendMessage": "text", "sendPhoto": "photo", "sendDocument": "document"}.get(
                method, "location"
            )
            text = str(params.get("text") or params.get("caption") or "")
            content = None
            name = None
            upload = params.get("photo") or params.get("document")
            if upload is not None and hasattr(upload, "input_file_content"):
                content = upload.input_file_content
                name = getattr(upload, "filename", None)
            elif isinstance(upload, str):
                name = upload
            result = self._message(chat_id, text)
            sent = SentMessage(
                chat_id, result["message_id"], text, _buttons(params), kind, name, content
            )
            self.messages.append(sent)
            if self.listener is not None:
                self.listener(method, sent, params)
            return result
        if method in {"editMessageText", "editMessageReplyMarkup"}:
            message_id = int(str(params["message_id"]))
            for sent in self.messages:
                if sent.message_id == message_id and sent.chat_id == chat_id:
                    if method == "editMessageText":
                        sent.text = str(params["text"])
                    sent.buttons = _buttons(params)
                    if self.listener is not None:
                        self.listener(method, sent, params)
                    return self._message(chat_id, sent.text)
            return self._message(chat_id, str(params.get("text", "")))
        if self.listener is not None:
            self.listener(method, None, params)
        return True

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """Answer one Bot API call (or a file download)."""
        if "/file/" in url:
            file_id = url.rsplit("/", 1)[-1]
            if file_id in self.files:
                return 200, self.files[file_id]
            return 404, b"not found"
        api_method = url.rsplit("/", 1)[-1]
        params: dict[str, Any] = {}
        if request_data is not None:
            params = dict(request_data.parameters)
            # Uploaded files: keep the InputFile objects so that their content can be read.
            for param in request_data._parameters:
                if param.input_files:
                    params[param.name] = param.input_files[0]
        self.calls.append(Call(api_method, params))
        result: Any
        if api_method == "getMe":
            result = {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "IKU Bot",
                "username": self.username,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        elif api_method == "getFile":
            file_id = str(params["file_id"])
            if file_id not in self.files:
                return 400, json.dumps(
                    {"ok": False, "error_code": 400, "description": "Bad Request: file not found"}
                ).encode()
            result = {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_size": len(self.files[file_id]),
                "file_path": f"documents/{file_id}",
            }
        elif api_method == "getUpdates":
            result = []
        elif api_method == "getChatMember":
            chat_id = int(str(params["chat_id"]))
            user_id = int(str(params["user_id"]))
            member = self.member_status.get(chat_id, {"status": "member"})
            result = {
                "user": {"id": user_id, "is_bot": user_id == BOT_ID, "first_name": "IKU Bot"},
                **({"until_date": 0} if member.get("status") == "restricted" else {}),
                **member,
            }
        elif api_method == "getChat":
            chat_id = int(str(params["chat_id"]))
            result = {
                "id": chat_id,
                "type": "supergroup",
                "title": "Grup",
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": False,
                    "limited_gifts": False,
                    "unique_gifts": False,
                    "premium_subscription": False,
                    "gifts_from_channels": False,
                },
            }
            if chat_id in self.chat_permissions:
                result["permissions"] = self.chat_permissions[chat_id]
        elif api_method in {
            "sendMessage",
            "sendPhoto",
            "sendDocument",
            "sendLocation",
            "editMessageText",
            "editMessageReplyMarkup",
            "setMyCommands",
            "deleteWebhook",
            "answerCallbackQuery",
            "sendChatAction",
        }:
            target = int(str(params.get("chat_id", 0)))
            queue = self.scripted.get(target)
            if queue and api_method.startswith("send"):
                code, description, parameters = queue.pop(0)
                body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
                if parameters is not None:
                    body["parameters"] = parameters
                return code, json.dumps(body).encode()
            result = self._record(api_method, params)
            if result is None:
                return 403, json.dumps(
                    {
                        "ok": False,
                        "error_code": 403,
                        "description": "Forbidden: bot was blocked by the user",
                    }
                ).encode()
        else:
            raise AssertionError(f"unexpected Bot API call {api_method}")
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def sent_texts(self) -> list[str]:
        """Texts of every sendMessage call, in order."""
        return [str(c.params["text"]) for c in self.calls if c.method == "sendMessage"]

    def to_chat(self, chat_id: int) -> list[SentMessage]:
        """What the bot sent to one chat, in order."""
        return [m for m in self.messages if m.chat_id == chat_id]

    def last_with_buttons(self, chat_id: int) -> SentMessage | None:
        """The most recent message in a chat that still has buttons."""
        for sent in reversed(self.messages):
            if sent.chat_id == chat_id and sent.buttons:
                return sent
        return None


# -- a person's side: updates as Telegram would deliver them ----------------------------

# Update ids unique across runs too: the bot remembers handled ids for a week, and a
# console session on yesterday's database must not look like a redelivery.
_ids = count(int(time.time() * 1000))


def message_update(person: User, chat: Chat, **content: Any) -> Update:
    """A message from ``person`` in ``chat``; a text starting with / is marked a command."""
    text = content.get("text")
    if isinstance(text, str) and text.startswith("/") and "entities" not in content:
        content["entities"] = [MessageEntity(MessageEntity.BOT_COMMAND, 0, len(text.split()[0]))]
    message = Message(
        message_id=next(_ids), date=datetime.now(UTC), chat=chat, from_user=person, **content
    )
    return Update(update_id=next(_ids), message=message)


def press_update(person: User, target: SentMessage, data: str) -> Update:
    """``person`` pressing the button with callback ``data`` on the bot's message ``target``."""
    chat_type = Chat.PRIVATE if target.chat_id > 0 else Chat.SUPERGROUP
    shown = Message(
        message_id=target.message_id,
        date=datetime.now(UTC),
        chat=Chat(id=target.chat_id, type=chat_type),
        text=target.text,
    )
    query = CallbackQuery(
        id=str(next(_ids)),
        from_user=person,
        chat_instance=str(target.chat_id),
        data=data,
        message=shown,
    )
    return Update(update_id=next(_ids), callback_query=query)


async def process(app: Application, update: Update) -> None:  # type: ignore[type-arg]
    """Hand ``update`` to ``app`` through JSON, as from Telegram.

    Every nested object (a document, a photo) then knows the bot, so that shortcuts
    such as ``document.get_file()`` work.
    """
    received = Update.de_json(update.to_dict(), app.bot)
    assert received is not None
    await app.process_update(received)
