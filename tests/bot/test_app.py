"""The application built by the composition root, driven in-process."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from telegram import Chat, Message, MessageEntity, Update, User
from telegram.ext import Application

from bot.app import build_application
from bot.config import load_settings
from bot.logging_setup import setup_logging
from bot.runtime import open_runtime
from tests.bot.offline import OfflineRequest

TOKEN = "123456789:AAE-test-token-abcdefghijklmnopqrstuv"


@pytest.fixture
def offline() -> OfflineRequest:
    return OfflineRequest()


@pytest.fixture
async def app(tmp_path: Path, offline: OfflineRequest) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    settings = load_settings(
        telegram_bot_token=TOKEN, database_url=f"sqlite:///{tmp_path / 'bot.db'}"
    )
    runtime = open_runtime(settings)
    application = build_application(settings, runtime, request=offline)
    await application.initialize()
    yield application
    await application.shutdown()
    runtime.close()


def command(text: str, user_id: int = 555) -> Update:
    user = User(id=user_id, first_name="Siti", is_bot=False)
    chat = Chat(id=user_id, type=Chat.PRIVATE)
    message = Message(
        message_id=1,
        date=datetime.now(UTC),
        chat=chat,
        from_user=user,
        text=text,
        entities=[MessageEntity(MessageEntity.BOT_COMMAND, 0, len(text.split()[0]))],
    )
    return Update(update_id=1, message=message)


async def test_start_greets_with_the_kecamatan_name(
    app: Application,  # type: ignore[type-arg]
    offline: OfflineRequest,
) -> None:
    message = command("/start")
    message.message.set_bot(app.bot)  # type: ignore[union-attr]
    await app.process_update(message)
    texts = offline.sent_texts()
    assert len(texts) == 1
    assert "Kecamatan Larangan" in texts[0]


async def test_bantuan_lists_the_commands(
    app: Application,  # type: ignore[type-arg]
    offline: OfflineRequest,
) -> None:
    update = command("/bantuan")
    update.message.set_bot(app.bot)  # type: ignore[union-attr]
    await app.process_update(update)
    assert "/bantuan" in offline.sent_texts()[-1]


def test_the_token_never_reaches_the_log(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(load_settings(telegram_bot_token=TOKEN))
    logger = logging.getLogger("httpx.test")
    logger.error("POST https://api.telegram.org/bot%s/getMe failed", TOKEN)
    try:
        raise RuntimeError(f"connection to /bot{TOKEN}/getMe refused")
    except RuntimeError:
        logging.getLogger("bot.test").exception("request failed")
    err = capsys.readouterr().err
    assert "getMe failed" in err
    assert "connection to /bot" in err
    assert TOKEN not in err
    assert err.count("[TOKEN-DISEMBUNYIKAN]") >= 2
