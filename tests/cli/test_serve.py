"""Starting while the database or Telegram is away: retries, one line each, no traceback."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.delivery.serve import serve

TOKEN = "123456789:AAE-test-token-abcdefghijklmnopqrstuv"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class _Rejecting(BaseHTTPRequestHandler):
    """A Bot API that answers every call 401 Unauthorized, as for a revoked token."""

    def do_POST(self) -> None:
        body = b'{"ok":false,"error_code":401,"description":"Unauthorized"}'
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def rejecting_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Rejecting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/bot"
    server.shutdown()
    server.server_close()


async def _until_logged(caplog: pytest.LogCaptureFixture, text: str, count: int) -> None:
    async with asyncio.timeout(20):
        while sum(text in r.getMessage() for r in caplog.records) < count:  # noqa: ASYNC110
            await asyncio.sleep(0.05)  # log records come with no event to wait for


def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        if record.levelno >= logging.INFO:
            assert record.exc_info is None, record.getMessage()


async def test_telegram_unreachable_at_start_is_retried_and_the_bot_never_says_it_runs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(
        telegram_bot_token=TOKEN,
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        skm_secret_file=str(tmp_path / "skm.key"),
        telegram_api_base_url=f"http://127.0.0.1:{_closed_port()}/bot",
    )
    stop = asyncio.Event()
    caplog.set_level(logging.WARNING, logger="httpx")  # as bot.logging_setup does
    with caplog.at_level(logging.INFO):
        task = asyncio.create_task(serve(settings, stop))
        await _until_logged(caplog, "Telegram belum dapat dihubungi", 2)
        stop.set()
        assert await task == 0
    lines = [r.getMessage() for r in caplog.records if "belum dapat dihubungi" in r.getMessage()]
    assert "percobaan 1" in lines[0]
    assert "percobaan 2" in lines[1]
    assert not any("Bot berjalan" in r.getMessage() for r in caplog.records)
    assert TOKEN not in caplog.text
    _no_tracebacks(caplog)


async def test_the_database_unreachable_at_start_is_retried(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(
        telegram_bot_token=TOKEN,
        database_url=f"postgresql+psycopg://iku:rahasia@127.0.0.1:{_closed_port()}/iku",
        skm_secret_file=str(tmp_path / "skm.key"),
    )
    stop = asyncio.Event()
    with caplog.at_level(logging.INFO):
        task = asyncio.create_task(serve(settings, stop))
        await _until_logged(caplog, "Basis data belum dapat dihubungi", 2)
        stop.set()
        assert await task == 0
    assert not any("Bot berjalan" in r.getMessage() for r in caplog.records)
    assert "rahasia" not in caplog.text
    _no_tracebacks(caplog)


async def test_a_rejected_token_stops_with_exit_code_1_and_a_clear_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, rejecting_api: str
) -> None:
    settings = load_settings(
        telegram_bot_token=TOKEN,
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        skm_secret_file=str(tmp_path / "skm.key"),
        telegram_api_base_url=rejecting_api,
    )
    caplog.set_level(logging.WARNING, logger="httpx")  # as bot.logging_setup does
    with caplog.at_level(logging.INFO):
        assert await serve(settings, asyncio.Event()) == 1
    assert "Token bot ditolak Telegram" in caplog.text
    assert TOKEN not in caplog.text
    _no_tracebacks(caplog)
