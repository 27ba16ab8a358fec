"""Benchmark: how long each of many users waits for the bot's first reply, all at once.

Every user sends one update and all of them are put on the application's update
queue at the same moment (interleaved, as Telegram delivers a busy minute), so they
go through the real dispatch path: the update fetcher, the application's update
processor, the handlers. The offline Bot API answers every call after ``--rtt-ms``
(a network round trip). A user's latency runs from putting the update on the queue
to the bot's first message to that user's chat being answered by the Bot API.

The load: ``--officer-share`` of the users (0.2 by default, spread evenly among the
others) are registered perangkat desa who start a report with ``/lapor`` (a draft
row written); the others are unregistered citizens who send ``/start`` or
``/bantuan`` (alternately; read only on the engine that answers inline).

Baseline in the same process: the same load on a bare echo bot Application (one
MessageHandler that replies "ok") with the same round trip and the same update
processor concurrency as the bot, so the figures are also ratios.

``--lock-seconds N`` (SQLite only): another process holds ``BEGIN EXCLUSIVE`` on the
database file for N seconds, taken just before the users send; citizens' and
officers' latencies are reported apart.

    uv run python -m bench.bench_latency --users 500 --rtt-ms 50
    uv run python -m bench.bench_latency --users 500 --rtt-ms 50 --lock-seconds 8
    uv run python -m bench.bench_latency --database-url postgresql+psycopg://user@host/db

A PostgreSQL database given with ``--database-url`` is migrated and its tables are
emptied first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import json
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from telegram import Chat, Update, User
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.support import (
    TOKEN,
    SlowBotApi,
    add_officers,
    bench_settings,
    fresh_runtime,
    percentile,
    start_app,
    stop_app,
)
from bot.app import build_application
from bot.delivery.offline import SentMessage, message_update

RESULTS = Path(__file__).resolve().parent / "results"
CITIZEN_FIRST_ID = 7_000_000
OFFICER_FIRST_ID = 5_000_000

# Holds the write lock of an SQLite file: prints "locked", sleeps, commits, prints "released".
LOCKER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
print("released", flush=True)
"""


@dataclass(frozen=True)
class Sender:
    """One user of the load and the one text they send."""

    chat_id: int
    text: str
    group: str  # "citizen" or "officer"


def make_load(users: int, officer_share: float) -> list[Sender]:
    """``users`` senders, officers spread evenly among citizens."""
    officers = round(users * officer_share)
    load = []
    citizens = 0
    for n in range(users):
        # Bresenham: user n is an officer when the running share of officers steps up.
        if (n + 1) * officers // users > n * officers // users:
            number = (n + 1) * officers // users - 1
            load.append(Sender(OFFICER_FIRST_ID + number, "/lapor", "officer"))
        else:
            text = "/start" if citizens % 2 == 0 else "/bantuan"
            load.append(Sender(CITIZEN_FIRST_ID + citizens, text, "citizen"))
            citizens += 1
    return load


@dataclass
class Outcome:
    """Latency per user (seconds) and the wall time of one run."""

    latency: dict[int, float]
    wall: float
    missing: int
    lock_window: tuple[float, float] | None = None  # lock taken / released, from the start
    groups: dict[str, list[float]] = field(default_factory=dict)


def _updates(app: Application, load: list[Sender]) -> list[Update]:  # type: ignore[type-arg]
    updates = []
    for sender in load:
        person = User(id=sender.chat_id, first_name="Bench", is_bot=False)
        chat = Chat(id=sender.chat_id, type=Chat.PRIVATE)
        # Through JSON, as from Telegram: the objects then know the bot.
        update = Update.de_json(message_update(person, chat, text=sender.text).to_dict(), app.bot)
        assert update is not None
        updates.append(update)
    return updates


async def drive(
    app: Application,  # type: ignore[type-arg]
    api: SlowBotApi,
    load: list[Sender],
    patience: float,
    before: Callable[[], None] | None = None,
) -> tuple[dict[int, float], float, int]:
    """Enqueue every update at once; wait for every first reply (``patience`` s at most)."""
    updates = _updates(app, load)
    waiting = {sender.chat_id for sender in load}
    if len(waiting) != len(load):
        raise ValueError("one update per user")
    answered: dict[int, float] = {}
    everyone = asyncio.Event()
    previous = api.listener

    def hear(method: str, sent: SentMessage | None, params: dict[str, Any]) -> None:
        if previous is not None:
            previous(method, sent, params)
        if sent is None or not method.startswith("send"):
            return
        if sent.chat_id in waiting and sent.chat_id not in answered:
            answered[sent.chat_id] = time.perf_counter()
            if len(answered) == len(waiting):
                everyone.set()

    api.listener = hear
    if before is not None:
        before()
    enqueued: dict[int, float] = {}
    started = time.perf_counter()
    for sender, update in zip(load, updates, strict=True):
        enqueued[sender.chat_id] = time.perf_counter()
        await app.update_queue.put(update)  # unbounded: never waits, so all at once
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(patience):
            await everyone.wait()
    api.listener = previous
    latency = {chat: answered[chat] - enqueued[chat] for chat in answered}
    wall = (max(answered.values()) if answered else time.perf_counter()) - started
    return latency, wall, len(waiting) - len(answered)


def _concurrency(app: Application) -> int:  # type: ignore[type-arg]
    return app.update_processor.max_concurrent_updates


async def run_echo(load: list[Sender], rtt: float, concurrency: int, patience: float) -> Outcome:
    """The baseline: a bare echo bot with the same round trip and concurrency."""
    api = SlowBotApi(rtt=rtt)
    builder = ApplicationBuilder().token(TOKEN).request(api)
    if concurrency > 1:
        builder = builder.concurrent_updates(concurrency)
    echo = builder.build()

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None:
            await update.effective_message.reply_text("ok")

    echo.add_handler(MessageHandler(filters.ALL, answer))
    await start_app(echo)
    latency, wall, missing = await drive(echo, api, load, patience)
    await stop_app(echo)
    return Outcome(latency, wall, missing)


async def _hold_lock(path: str, seconds: float) -> tuple[asyncio.subprocess.Process, float]:
    locker = await asyncio.create_subprocess_exec(
        sys.executable, "-c", LOCKER, path, str(seconds), stdout=asyncio.subprocess.PIPE
    )
    assert locker.stdout is not None
    line = await locker.stdout.readline()
    if line.strip() != b"locked":
        raise RuntimeError("the lock holder could not lock the database")
    return locker, time.perf_counter()


async def run_bot(
    database_url: str | None,
    load: list[Sender],
    rtt: float,
    patience: float,
    lock_seconds: float,
    profile: str | None,
) -> tuple[Outcome, int]:
    """The real application on a fresh database; returns the outcome and its concurrency."""
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        settings = bench_settings(url, Path(folder))
        runtime = fresh_runtime(settings)
        officers = sum(1 for sender in load if sender.group == "officer")
        add_officers(runtime, officers, OFFICER_FIRST_ID)
        api = SlowBotApi(rtt=rtt)
        app = build_application(settings, runtime, request=api, rate_limit=False)
        await start_app(app)

        locker: asyncio.subprocess.Process | None = None
        locked_at = 0.0
        released: list[float] = []
        watcher: asyncio.Task[None] | None = None
        if lock_seconds > 0:
            parsed = make_url(url)
            if parsed.get_backend_name() != "sqlite" or not parsed.database:
                raise SystemExit("--lock-seconds needs an SQLite file database")
            locker, locked_at = await _hold_lock(parsed.database, lock_seconds)

            async def watch() -> None:
                assert locker is not None
                assert locker.stdout is not None
                await locker.stdout.readline()
                released.append(time.perf_counter())

            watcher = asyncio.create_task(watch())

        profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        latency, wall, missing = await drive(
            app, api, load, patience, before=profiler.enable if profiler else None
        )
        if profiler is not None:
            profiler.disable()
        concurrency = _concurrency(app)
        await stop_app(app)
        with runtime.engine.connect() as conn:
            drafts = conn.execute(text("SELECT count(*) FROM draft WHERE flow = 'lapor'")).scalar()
        if latency and drafts != officers:  # every officer's /lapor started a report
            raise RuntimeError(f"expected {officers} report drafts, found {drafts}")
        window = None
        if locker is not None:
            await locker.wait()
            if watcher is not None:
                await watcher
            window = (locked_at - started, (released[0] if released else locked_at) - started)
        runtime.close()
    if profiler is not None and profile is not None:
        profiler.dump_stats(profile)
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime").print_stats(15)
    outcome = Outcome(latency, wall, missing, window)
    for sender in load:
        if sender.chat_id in latency:
            outcome.groups.setdefault(sender.group, []).append(latency[sender.chat_id])
    return outcome, concurrency


def _summary(prefix: str, values: list[float]) -> dict[str, float]:
    return {
        f"{prefix}_p50_s": percentile(values, 0.50),
        f"{prefix}_p95_s": percentile(values, 0.95),
        f"{prefix}_max_s": max(values) if values else float("nan"),
    }


async def run(
    users: int,
    rtt_ms: float,
    database_url: str | None,
    lock_seconds: float,
    officer_share: float,
    patience: float,
    profile: str | None,
) -> dict[str, float]:
    """The bot, then the echo bot with the bot's concurrency; the figures and ratios."""
    load = make_load(users, officer_share)
    rtt = rtt_ms / 1000
    bot, concurrency = await run_bot(database_url, load, rtt, patience, lock_seconds, profile)
    echo = await run_echo(load, rtt, concurrency, patience)
    figures: dict[str, float] = {
        "users": users,
        "officers": sum(1 for s in load if s.group == "officer"),
        "rtt_ms": rtt_ms,
        "concurrent_updates": concurrency,
    }
    figures |= _summary("echo", list(echo.latency.values()))
    figures |= {
        "echo_wall_s": echo.wall,
        "echo_updates_per_s": len(echo.latency) / echo.wall,
        "echo_missing": echo.missing,
    }
    figures |= _summary("bot", list(bot.latency.values()))
    figures |= {
        "bot_wall_s": bot.wall,
        "bot_updates_per_s": len(bot.latency) / bot.wall,
        "bot_missing": bot.missing,
    }
    for group, values in sorted(bot.groups.items()):
        figures |= _summary(f"bot_{group}", values)
    if bot.lock_window is not None:
        figures |= {
            "lock_seconds": lock_seconds,
            "lock_taken_at_s": bot.lock_window[0],
            "lock_released_at_s": bot.lock_window[1],
        }
    figures |= {
        "p50_ratio": figures["bot_p50_s"] / figures["echo_p50_s"],
        "p95_ratio": figures["bot_p95_s"] / figures["echo_p95_s"],
        "max_ratio": figures["bot_max_s"] / figures["echo_max_s"],
        "throughput_ratio": figures["bot_updates_per_s"] / figures["echo_updates_per_s"],
    }
    return figures


def main() -> None:
    """Parse arguments, run, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--rtt-ms", type=float, default=50.0)
    parser.add_argument("--database-url", help="PostgreSQL (emptied first); bawaan: SQLite")
    parser.add_argument("--lock-seconds", type=float, default=0.0)
    parser.add_argument("--officer-share", type=float, default=0.2)
    parser.add_argument("--timeout", dest="patience", type=float, default=600.0, help="seconds")
    parser.add_argument("--profile", help="write a cProfile of the bot's run to this file")
    args = parser.parse_args()
    if not 0 <= args.officer_share <= 1 or args.users < 1:
        parser.error("--users at least 1, --officer-share between 0 and 1")
    figures = asyncio.run(
        run(
            args.users,
            args.rtt_ms,
            args.database_url,
            args.lock_seconds,
            args.officer_share,
            args.patience,
            args.profile,
        )
    )
    engine = "postgresql" if args.database_url else "sqlite"
    for key, value in figures.items():
        print(f"{key:>26}: {value:,.3f}")
    RESULTS.mkdir(exist_ok=True)
    suffix = "-lock" if args.lock_seconds > 0 else ""
    path = RESULTS / f"latency-{engine}{suffix}.json"
    path.write_text(json.dumps({"engine": engine, **figures}, indent=2) + "\n")
    print(f"tersimpan: {path}")


if __name__ == "__main__":
    main()
