"""The wire layer itself (tests/e2e/wire.py): Telegram's getUpdates contract and the faults.

A plain HTTP client plays the bot here, and python-telegram-bot's own ``Bot`` shows that
each injected fault reaches the bot as the exception Telegram's answer would raise.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from tests.e2e.conftest import Client, Person
from tests.e2e.wire import WireServer

SITI = Person(700101, "Siti Aminah")
HASAN = Person(700102, "Hasan Basri")


async def _call(
    http: httpx.AsyncClient, wire: WireServer, token: str, method: str, **params: Any
) -> httpx.Response:
    return await http.post(f"{wire.api_url}{token}/{method}", data=params)


async def _updates(
    http: httpx.AsyncClient, wire: WireServer, token: str, **params: Any
) -> list[dict[str, Any]]:
    response = await _call(http, wire, token, "getUpdates", **params)
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()["result"]
    return result


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=15.0) as session:
        yield session


async def test_updates_stay_until_confirmed_by_a_higher_offset(
    wire: WireServer, token: str, client: Client, http: httpx.AsyncClient
) -> None:
    await client.send_message(SITI, "satu")
    await client.send_message(SITI, "dua")

    first = await _updates(http, wire, token, timeout=1)
    again = await _updates(http, wire, token)  # no offset: nothing was confirmed
    assert [u["message"]["text"] for u in first] == ["satu", "dua"]
    assert [u["update_id"] for u in again] == [u["update_id"] for u in first]
    # A new process (offset 0 again) still gets them: fetched is not confirmed.
    assert len(await _updates(http, wire, token, offset=0)) == 2

    second_id = first[1]["update_id"]
    rest = await _updates(http, wire, token, offset=second_id)
    assert [u["update_id"] for u in rest] == [second_id]
    assert await _updates(http, wire, token, offset=second_id + 1) == []
    assert wire.unconfirmed(token) == []
    assert wire.deliveries(token) == {first[0]["update_id"]: 3, second_id: 4}


async def test_an_empty_poll_waits_its_timeout_and_answers_as_soon_as_a_user_writes(
    wire: WireServer, token: str, client: Client, http: httpx.AsyncClient
) -> None:
    began = time.monotonic()
    assert await _updates(http, wire, token, timeout=1) == []
    assert 0.9 < time.monotonic() - began < 2.0

    poll = asyncio.ensure_future(_updates(http, wire, token, timeout=10))
    await asyncio.sleep(0.3)
    sent = time.monotonic()
    await client.send_message(SITI, "halo")
    got = await poll
    assert [u["message"]["text"] for u in got] == ["halo"]
    assert time.monotonic() - sent < 0.5
    assert "botToken" not in got[0]["message"]


async def test_limit_and_a_second_poller_ends_the_first_with_conflict(
    wire: WireServer, token: str, client: Client, http: httpx.AsyncClient
) -> None:
    for text in ("a", "b", "c"):
        await client.send_message(SITI, text)
    assert [u["message"]["text"] for u in await _updates(http, wire, token, limit=2)] == [
        "a",
        "b",
    ]
    last = (await _updates(http, wire, token))[-1]["update_id"]

    older = asyncio.ensure_future(
        _call(http, wire, token, "getUpdates", offset=last + 1, timeout=5)
    )
    await asyncio.sleep(0.3)
    newer = asyncio.ensure_future(_updates(http, wire, token, offset=last + 1, timeout=1))
    conflict = await older
    assert conflict.status_code == 409
    assert conflict.json()["description"].startswith("Conflict: terminated by other getUpdates")
    assert await newer == []


async def test_redeliver_hands_a_confirmed_update_over_once_more(
    wire: WireServer, token: str, client: Client, http: httpx.AsyncClient
) -> None:
    await client.send_photo(SITI, "foto-1")
    (update,) = await _updates(http, wire, token, timeout=1)
    assert update["message"]["photo"][-1]["file_id"] == "foto-1"
    number = update["update_id"]
    assert await _updates(http, wire, token, offset=number + 1) == []

    wire.redeliver(token, number)

    assert [u["update_id"] for u in await _updates(http, wire, token, offset=number + 1)] == [
        number
    ]
    assert await _updates(http, wire, token, offset=number + 1) == []
    assert wire.deliveries(token)[number] == 2


async def test_faults_hit_the_chosen_method_and_chat_the_chosen_number_of_times(
    wire: WireServer, token: str, client: Client, http: httpx.AsyncClient
) -> None:
    wire.inject(token, "sendMessage", "502", chat_id=SITI.id)
    wire.inject(token, "sendMessage", "429", chat_id=SITI.id, retry_after=3)

    other = await _call(http, wire, token, "sendMessage", chat_id=HASAN.id, text="untuk Hasan")
    bad_gateway = await _call(http, wire, token, "sendMessage", chat_id=SITI.id, text="satu")
    flood = await _call(http, wire, token, "sendMessage", chat_id=SITI.id, text="dua")
    fine = await _call(http, wire, token, "sendMessage", chat_id=SITI.id, text="tiga")

    assert other.status_code == 200
    assert bad_gateway.status_code == 502
    assert b"502 Bad Gateway" in bad_gateway.content
    assert flood.status_code == 429
    assert flood.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    assert fine.status_code == 200
    assert fine.json()["result"]["text"] == "tiga"
    assert [m.text for m in await client.history(SITI.id)] == ["tiga"]
    calls = wire.calls(token, "sendMessage")
    assert [(c.chat_id, c.status, c.fault) for c in calls] == [
        (HASAN.id, 200, None),
        (SITI.id, 502, "502"),
        (SITI.id, 429, "429 retry_after=3"),
        (SITI.id, 200, None),
    ]


async def test_a_hang_outlasts_the_read_timeout_delivered_or_not(
    wire: WireServer, token: str, client: Client, http: httpx.AsyncClient
) -> None:
    wire.inject(token, "sendMessage", "hang", seconds=2.0)
    wire.inject(token, "sendMessage", "hang", seconds=2.0, deliver=True)
    url = f"{wire.api_url}{token}/sendMessage"

    for text in ("hilang", "terkirim"):
        with pytest.raises(httpx.ReadTimeout):
            await http.post(url, data={"chat_id": SITI.id, "text": text}, timeout=0.5)
    await asyncio.sleep(0.2)

    # Never forwarded: the bot gave up first. Forwarded first: Telegram has the message.
    assert [m.text for m in await client.history(SITI.id)] == ["terkirim"]
    calls = wire.calls(token, "sendMessage")
    assert [(c.status, c.forwarded) for c in calls] == [(0, False), (0, True)]


async def test_media_are_stored_as_messages_and_answered_as_telegram_does(
    wire: WireServer, token: str, client: Client, http: httpx.AsyncClient
) -> None:
    photo = await http.post(
        f"{wire.api_url}{token}/sendPhoto",
        data={"chat_id": str(SITI.id), "caption": "Bukti"},
        files={"photo": ("bukti.jpg", b"\xff\xd8 not really a jpeg", "image/jpeg")},
    )
    location = await _call(
        http, wire, token, "sendLocation", chat_id=SITI.id, latitude=-7.07, longitude=113.5
    )

    assert photo.status_code == 200, photo.text
    message = photo.json()["result"]
    assert message["caption"] == "Bukti"
    assert message["photo"][0]["file_id"].startswith("wire-photo-")
    assert "text" not in message
    assert location.json()["result"]["location"] == {"latitude": -7.07, "longitude": 113.5}
    assert [m.text for m in await client.history(SITI.id)] == ["Bukti", "[lokasi]"]
    (call,) = wire.calls(token, "sendPhoto")
    assert call.parameters["photo"] == {"upload": "bukti.jpg", "size": 20}


async def test_python_telegram_bot_sees_each_fault_as_telegram_would_raise_it(
    wire: WireServer, token: str, client: Client
) -> None:
    request = HTTPXRequest(read_timeout=1.0)
    bot = Bot(token, base_url=wire.api_url, request=request, get_updates_request=request)
    await client.send_command(SITI, "/start")
    async with bot:
        assert (await bot.get_me()).is_bot
        (update,) = await bot.get_updates(timeout=1)
        assert update.message is not None
        assert update.message.text == "/start"
        wire.inject(token, "sendMessage", "502")
        wire.inject(token, "sendMessage", "429", retry_after=1)
        wire.inject(token, "sendMessage", "hang", seconds=2.0)
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(SITI.id, "satu")
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(SITI.id, "dua")
        waited = flood.value.retry_after
        assert (waited if isinstance(waited, int) else waited.total_seconds()) == 1
        with pytest.raises(TimedOut):
            await bot.send_message(SITI.id, "tiga")
        sent = await bot.send_message(SITI.id, "empat")
        assert sent.text == "empat"
        edited = await bot.edit_message_text("empat!", chat_id=SITI.id, message_id=sent.message_id)
        assert not isinstance(edited, bool)
        assert edited.text == "empat!"
        assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
