"""The outbox's encoding of inline keyboards: the Bot API's JSON, as python-telegram-bot
would write it, built without its objects."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.conversation.context import CHOICE_PREFIX, Button
from bot.delivery.outbox import encode_text, render_markup


def test_a_keyboard_is_the_json_python_telegram_bot_would_send() -> None:
    keyboard = [
        [Button("Trantibum", value="trantibum"), Button("Konflik", value="konflik")],
        [Button("Riwayat", data="r:th:7")],
        [Button("Buka", url="https://t.me/iku_test_bot")],
    ]
    expected = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "Trantibum", callback_data=f"{CHOICE_PREFIX}:tok:jenis:trantibum"
                ),
                InlineKeyboardButton("Konflik", callback_data=f"{CHOICE_PREFIX}:tok:jenis:konflik"),
            ],
            [InlineKeyboardButton("Riwayat", callback_data="r:th:7")],
            [InlineKeyboardButton("Buka", url="https://t.me/iku_test_bot")],
        ]
    ).to_dict()

    assert render_markup(keyboard, token="tok", step="jenis") == expected


def test_no_keyboard_is_no_markup() -> None:
    assert render_markup(None) is None
    assert render_markup([]) is None


def test_a_choice_outside_a_conversation_or_too_long_is_refused() -> None:
    with pytest.raises(ValueError, match="outside a conversation"):
        render_markup([[Button("Ya", value="ya")]])
    with pytest.raises(ValueError, match="too long"):
        render_markup([[Button("Ya", value="x" * 60)]], token="tok", step="jenis")


def test_a_long_text_carries_its_keyboard_on_the_last_part_only() -> None:
    markup = render_markup([[Button("Nihil", data="r:nl:1")]])
    [first, last] = encode_text(5, "a" * 4096 + "\nb", markup)

    assert first.payload["markup"] is None
    assert last.payload["markup"] == {
        "inline_keyboard": [[{"text": "Nihil", "callback_data": "r:nl:1"}]]
    }
