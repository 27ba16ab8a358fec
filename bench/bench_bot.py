"""Benchmark: the bot's guided conversation against a bare echo bot, per update.

Both run in the same process on the same offline Bot API (no network):

- baseline: a python-telegram-bot Application with one handler that answers every
  message with a fixed text (the floor of what any bot costs per update);
- measured: the real application (``bot.app.build_application``) taking officers
  through complete ``/lapor`` reports, each update one database transaction that
  loads the user and the draft, runs the step and saves the draft; the last one
  stores the incident and sends the card.

It prints the time per update and the peak Python memory of both, and the ratios
measured / baseline, and writes them to bench/results/.

    uv run python -m bench.bench_bot --reports 200
    uv run python -m bench.bench_bot --database-url postgresql+psycopg://user@host/db_kosong
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from itertools import count
from pathlib import Path

from telegram import (
    Chat,
    Update,
    User,
)
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.app import build_application
from bot.config import load_settings
from bot.offline import OfflineBotApi, message_update, press_update, process
from bot.runtime import Runtime, open_runtime
from domain.models import Role, Seksi, UserStatus
from domain.models import User as Officer

RESULTS = Path(__file__).resolve().parent / "results"
TOKEN = "123456789:BENCH-token-abcdefghijklmnopqrstuvwx"
_ids = count(1)


def _person(user_id: int) -> tuple[User, Chat]:
    return User(id=user_id, first_name="Bench", is_bot=False), Chat(id=user_id, type=Chat.PRIVATE)


def _message(user_id: int, text: str) -> Update:
    person, chat = _person(user_id)
    return message_update(person, chat, text=text)


def _press(api: OfflineBotApi, user_id: int, label: str) -> Update:
    target = api.last_with_buttons(user_id)
    assert target is not None
    data = next(b["callback_data"] for row in target.buttons for b in row if b["text"] == label)
    return press_update(_person(user_id)[0], target, data)


async def one_report(app: Application, api: OfflineBotApi, user_id: int) -> int:  # type: ignore[type-arg]
    """A complete /lapor conversation; returns the number of updates it took."""
    steps: list[Callable[[], Update]] = [
        lambda: _message(user_id, "/lapor"),
        lambda: _press(api, user_id, "Trantibum"),
        lambda: _press(api, user_id, "Hari ini"),
        lambda: _press(api, user_id, "Pencurian"),
        lambda: _message(user_id, "Sepeda motor warga hilang di halaman masjid."),
        lambda: _press(api, user_id, "Lewati"),
        lambda: _press(api, user_id, "Lewati"),
        lambda: _press(api, user_id, "Kirim"),
    ]
    for make in steps:
        await process(app, make())
    return len(steps)


def _officers(runtime: Runtime, how_many: int) -> list[int]:
    kec = runtime.kecamatan()
    ids = []
    with runtime.uow() as uow:
        desa = uow.desa.list_by_kecamatan(kec.id)
        for n in range(how_many):
            telegram_id = 5_000_000 + n
            uow.users.add(
                Officer(
                    id=0,
                    telegram_id=telegram_id,
                    nama=f"Perangkat {n}",
                    jabatan="Kasi Pemerintahan",
                    role=Role.PERANGKAT_DESA,
                    status=UserStatus.ACTIVE,
                    kecamatan_id=kec.id,
                    desa_id=desa[n % len(desa)].id,
                )
            )
            ids.append(telegram_id)
        uow.users.add(
            Officer(
                id=0,
                telegram_id=4_999_999,
                nama="Kasi Trantib",
                jabatan="Kasi Trantib",
                role=Role.STAF_SEKSI,
                status=UserStatus.ACTIVE,
                kecamatan_id=kec.id,
                seksi=Seksi.TRANTIB,
            )
        )
        uow.commit()
    return ids


async def _measure(work: Callable[[], Awaitable[int]]) -> tuple[int, float, int]:
    """Time one run (tracing memory would slow it), then trace the peak of a second run."""
    started = time.perf_counter()
    updates = await work()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    await work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return updates, elapsed, peak


async def run(reports: int, database_url: str | None) -> dict[str, float]:
    """Run both sides and return the figures."""
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        settings = load_settings(
            telegram_bot_token=TOKEN,
            database_url=url,
            skm_secret="bench-secret-0123456789abcdef0123456789",
        )
        runtime = open_runtime(settings)
        officers = _officers(runtime, 20)

        api = OfflineBotApi()
        # Both sides without Telegram's flood limits: they would measure waiting, not work.
        real = build_application(settings, runtime, request=api, rate_limit=False)
        await real.initialize()

        echo_api = OfflineBotApi()
        echo = ApplicationBuilder().token(TOKEN).request(echo_api).build()

        async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            if update.effective_message is not None:
                await update.effective_message.reply_text("ok")

        echo.add_handler(MessageHandler(filters.ALL, answer))
        await echo.initialize()

        async def measured() -> int:
            done = 0
            for n in range(reports):
                done += await one_report(real, api, officers[n % len(officers)])
            return done

        updates, real_time, real_peak = await _measure(measured)

        async def baseline() -> int:
            for n in range(updates):
                await process(echo, _message(officers[n % len(officers)], "halo"))
            return updates

        _, echo_time, echo_peak = await _measure(baseline)
        with runtime.uow() as uow:
            stored = len(uow.incidents.list_open(runtime.kecamatan().id))
        await real.shutdown()
        await echo.shutdown()
        runtime.close()
    if stored != 2 * reports:  # each side runs twice: once timed, once traced
        raise RuntimeError(f"expected {reports} stored reports, found {stored}")
    return {
        "updates": updates,
        "reports": reports,
        "baseline_ms_per_update": 1000 * echo_time / updates,
        "measured_ms_per_update": 1000 * real_time / updates,
        "time_ratio": real_time / echo_time,
        "baseline_peak_kib": echo_peak / 1024,
        "measured_peak_kib": real_peak / 1024,
        "memory_ratio": real_peak / echo_peak,
    }


def main() -> None:
    """Parse arguments, run, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--database-url", help="an empty, migrated database (bawaan: SQLite)")
    args = parser.parse_args()
    figures = asyncio.run(run(args.reports, args.database_url))
    engine = "postgresql" if args.database_url else "sqlite"
    for key, value in figures.items():
        print(f"{key:>26}: {value:,.3f}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"bot-{engine}.json"
    path.write_text(json.dumps({"engine": engine, **figures}, indent=2) + "\n")
    print(f"tersimpan: {path}")


if __name__ == "__main__":
    main()
