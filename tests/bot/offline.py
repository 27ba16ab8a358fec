"""An offline Bot API for in-process tests: answers calls locally and records them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_ID = 7000000001


@dataclass
class Call:
    """One Bot API call the bot made."""

    method: str
    params: dict[str, Any]


@dataclass
class OfflineRequest(BaseRequest):
    """Answers getMe, sendMessage and friends without a network; fails anything unknown."""

    calls: list[Call] = field(default_factory=list)
    _message_id: int = 100

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @property
    def read_timeout(self) -> float | None:
        """No timeouts offline."""
        return None

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
        """Answer one Bot API call."""
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data is not None else {}
        self.calls.append(Call(api_method, params))
        result: Any
        if api_method == "getMe":
            result = {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "IKU Bot",
                "username": "iku_test_bot",
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        elif api_method in ("sendMessage", "editMessageText"):
            self._message_id += 1
            result = {
                "message_id": self._message_id,
                "date": 1_780_000_000,
                "chat": {"id": int(str(params["chat_id"])), "type": "private"},
                "text": params.get("text", ""),
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "IKU Bot"},
            }
        elif api_method in ("setMyCommands", "deleteWebhook", "answerCallbackQuery"):
            result = True
        elif api_method == "getUpdates":
            result = []
        else:
            raise AssertionError(f"unexpected Bot API call {api_method}")
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def sent_texts(self) -> list[str]:
        """Texts of every sendMessage call, in order."""
        return [str(c.params["text"]) for c in self.calls if c.method == "sendMessage"]
