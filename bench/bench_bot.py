"""Benchmark: the bot's guided conversation against a bare echo bot, per update.

Both run in the same process on the same offline Bot API (no network), started as
in production, every update put on the application's update queue and the next one
sent once the bot's reply has come out of it:

- baseline: a python-telegram-bot Application with one handler that answers every
  message with a fixed text (what any bot costs per update, at the least);
- floor: the same echo bot, but each update first claimed in the update log in its own
  committed transaction on the bot's database, in a thread pool like the bot's (the least
  any bot that keeps nothing from being lost or done twice costs per update);
- measured: the real application (``bot.app.build_application``) taking officers
  through complete ``/lapor`` reports, each update one database transaction that
  loads the user and the draft, runs the step and saves the draft; the last one
  stores the incident and sends the card.

The three run ``--runs`` times (at least 5) in rounds, echo, floor, then bot; it prints
the median time per update of each, the median of the rounds' ratios measured / baseline
with their min and max (and floor / baseline, measured / floor), the p50 and p99 of one
update's wait (from the queue to its last reply) over all timed runs, and the peak Python
memory of one more run of echo and bot (traced apart: tracing slows a run). The figures
are written to bench/results/.

    uv run python -m bench.bench_bot --reports 200
    uv run python -m bench.bench_bot --database-url postgresql+psycopg://user@host/db
    uv run python -m bench.bench_bot --reports 100 --profile bot.prof

``--profile FILE``: one more bot run under cProfile, the event loop's thread and the
database pool's threads together (each thread its own profiler, merged), written to
FILE and its top entries printed.

A PostgreSQL database given with ``--database-url`` is migrated and its tables are
emptied first.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import statistics
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import thread as futures_thread
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeAlias

from telegram import Chat, Update, User
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.support import (
    KASI_TRANTIB,
    TOKEN,
    SlowBotApi,
    add_officers,
    bench_settings,
    percentile,
    start_app,
    stop_app,
)
from bench.support import fresh_runtime as _fresh_runtime
from bot.app import build_application
from bot.delivery.offline import OfflineBotApi, SentMessage, message_update, press_update
from bot.runtime import Runtime
from domain.models import UpdateKey

RESULTS = Path(__file__).resolve().parent / "results"
MIN_RUNS = 5
PATIENCE = 60.0  # seconds for one reply
FLOOR_BOT_ID = 1  # the floor's claims, apart from the real bot's (its id is the token's)

App: TypeAlias = Application[Any, Any, Any, Any, Any, Any]


class Replies:
    """Counts what the bot sends per chat, and wakes whoever waits for a reply."""

    def __init__(self, api: SlowBotApi) -> None:
        self.api = api
        self.sent: Counter[int] = Counter()
        self.waits: list[float] = []  # seconds from each update put on the queue to its replies
        self._changed = asyncio.Event()
        api.listener = self._hear

    def _hear(self, method: str, sent: SentMessage | None, params: dict[str, Any]) -> None:
        if sent is not None and method.startswith("send"):
            self.sent[sent.chat_id] += 1
        self._changed.set()

    async def until(self, ready: Callable[[], bool], what: Callable[[], str]) -> None:
        """Wait until ``ready()`` holds (checked after every call the bot makes).

        A reply that does not come within PATIENCE seconds stops the benchmark.
        """
        try:
            async with asyncio.timeout(PATIENCE):
                while not ready():
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            raise RuntimeError(f"no reply within {PATIENCE:.0f} s: {what()}") from None


def _person(user_id: int) -> tuple[User, Chat]:
    return User(id=user_id, first_name="Bench", is_bot=False), Chat(id=user_id, type=Chat.PRIVATE)


def _message(user_id: int, text: str) -> Update:
    person, chat = _person(user_id)
    return message_update(person, chat, text=text)


def _button(api: OfflineBotApi, user_id: int, label: str) -> SentMessage | None:
    target = api.last_with_buttons(user_id)
    if target is None or label not in target.labels():
        return None
    return target


async def _press(replies: Replies, user_id: int, label: str) -> Update:
    """Press ``label`` once the question with that button has been sent."""
    api = replies.api
    await replies.until(
        lambda: _button(api, user_id, label) is not None,
        lambda: f"button {label!r} for {user_id}",
    )
    target = _button(api, user_id, label)
    assert target is not None
    data = next(b["callback_data"] for row in target.buttons for b in row if b["text"] == label)
    return press_update(_person(user_id)[0], target, data)


async def send(
    app: App,
    replies: Replies,
    update: Update,
    wait_for: dict[int, int],
) -> None:
    """Put ``update`` on the queue, as from Telegram; wait for the replies it causes.

    ``wait_for``: how many more messages each chat must receive.
    """
    goal = {chat: replies.sent[chat] + more for chat, more in wait_for.items()}
    received = Update.de_json(update.to_dict(), app.bot)
    assert received is not None
    started = time.perf_counter()
    await app.update_queue.put(received)
    await replies.until(
        lambda: all(replies.sent[chat] >= n for chat, n in goal.items()),
        lambda: f"messages {goal}, sent { {c: replies.sent[c] for c in goal} } after {update}",
    )
    replies.waits.append(time.perf_counter() - started)


# A complete /lapor conversation: (button label or text typed, is a button, sends the card).
STEPS: list[tuple[str, bool, bool]] = [
    ("/lapor", False, False),
    ("Trantibum", True, False),
    ("Hari ini", True, False),
    ("Pencurian", True, False),
    ("Sepeda motor warga hilang di halaman masjid.", False, False),
    ("Lewati", True, False),
    ("Lewati", True, False),
    ("Kirim", True, True),
]


async def one_report(app: App, replies: Replies, user_id: int) -> int:
    """A complete /lapor conversation; returns the number of updates it took."""
    for what, button, card in STEPS:
        if button:
            update = await _press(replies, user_id, what)
        else:
            update = _message(user_id, what)
        wait_for = {user_id: 1, KASI_TRANTIB: 1} if card else {user_id: 1}
        await send(app, replies, update, wait_for)
    replies.api.forget()
    return len(STEPS)


async def _echo_bot(
    runtime: Runtime | None = None, pool: ThreadPoolExecutor | None = None
) -> tuple[App, Replies]:
    """The echo bot; given ``runtime`` and ``pool``, the floor: each update claimed first."""
    api = SlowBotApi()
    app = ApplicationBuilder().token(TOKEN).request(api).build()

    def claim(update_id: int) -> None:
        assert runtime is not None
        with runtime.uow() as uow:
            key = UpdateKey(bot_id=FLOOR_BOT_ID, update_id=update_id)
            if not uow.updates.claim(key, at=datetime.now(UTC)):
                raise RuntimeError(f"update {update_id} claimed twice")
            uow.commit()

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if runtime is not None:
            await asyncio.get_running_loop().run_in_executor(pool, claim, update.update_id)
        if update.effective_message is not None:
            await update.effective_message.reply_text("ok")

    app.add_handler(MessageHandler(filters.ALL, answer))
    await start_app(app)
    return app, Replies(api)


async def _timed(work: Callable[[], Awaitable[int]]) -> tuple[int, float]:
    started = time.perf_counter()
    updates = await work()
    return updates, time.perf_counter() - started


async def _traced(work: Callable[[], Awaitable[int]]) -> int:
    tracemalloc.start()
    await work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


@contextmanager
def _profiled(path: str) -> Iterator[None]:
    """cProfile the block in this thread and in every pool thread; the merged stats to ``path``.

    A pool's work item runs under its thread's own profiler (cProfile sees one thread).
    """
    profilers: list[cProfile.Profile] = []
    local = threading.local()
    original = futures_thread._WorkItem.run

    def run(item: Any) -> None:
        profiler = getattr(local, "profiler", None)
        if profiler is None:
            profiler = local.profiler = cProfile.Profile()
            profilers.append(profiler)
        profiler.enable()
        try:
            original(item)
        finally:
            profiler.disable()

    main = cProfile.Profile()
    profilers.append(main)
    futures_thread._WorkItem.run = run  # type: ignore[method-assign,assignment]
    main.enable()
    try:
        yield
    finally:
        main.disable()
        futures_thread._WorkItem.run = original  # type: ignore[method-assign]
    stats = pstats.Stats(profilers[0])
    for profiler in profilers[1:]:
        stats.add(profiler)
    stats.dump_stats(path)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


async def run(
    reports: int, database_url: str | None, runs: int, profile: str | None = None
) -> dict[str, float]:
    """Run both sides in ``runs`` pairs and return the figures."""
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        settings = bench_settings(url, Path(folder))
        runtime = _fresh_runtime(settings)
        officers = add_officers(runtime, 20)

        api = SlowBotApi()
        # Both sides without Telegram's flood limits: they would measure waiting, not work.
        real = build_application(settings, runtime, request=api, rate_limit=False)
        await start_app(real)
        real_replies = Replies(api)

        echo, echo_replies = await _echo_bot()
        floor_pool = ThreadPoolExecutor(settings.db_threads, thread_name_prefix="floor-db")
        floor, floor_replies = await _echo_bot(runtime, floor_pool)

        async def measured() -> int:
            done = 0
            for n in range(reports):
                done += await one_report(real, real_replies, officers[n % len(officers)])
            return done

        updates = len(STEPS) * reports

        async def echoes(app: App, replies: Replies) -> int:
            for n in range(updates):
                chat = officers[n % len(officers)]
                await send(app, replies, _message(chat, "halo"), {chat: 1})
                if n % len(STEPS) == len(STEPS) - 1:
                    replies.api.forget()
            return updates

        async def baseline() -> int:
            return await echoes(echo, echo_replies)

        echo_times: list[float] = []
        floor_times: list[float] = []
        real_times: list[float] = []
        real_replies.waits.clear()
        echo_replies.waits.clear()
        for _ in range(runs):
            echo_times.append((await _timed(baseline))[1])
            floor_times.append((await _timed(lambda: echoes(floor, floor_replies)))[1])
            real_times.append((await _timed(measured))[1])
        real_waits, echo_waits = list(real_replies.waits), list(echo_replies.waits)
        echo_peak = await _traced(baseline)
        real_peak = await _traced(measured)
        if profile is not None:
            with _profiled(profile):
                await measured()
        with runtime.uow() as uow:
            stored = len(uow.incidents.list_open(runtime.kecamatan().id))
        await stop_app(real)
        await stop_app(echo)
        await stop_app(floor)
        floor_pool.shutdown()
        runtime.close()
    expected = (runs + 1 + (profile is not None)) * reports  # timed, traced, profiled
    if stored != expected:
        raise RuntimeError(f"expected {expected} stored reports, found {stored}")
    ratios = [r / e for r, e in zip(real_times, echo_times, strict=True)]
    floor_ratios = [f / e for f, e in zip(floor_times, echo_times, strict=True)]
    over_floor = [r / f for r, f in zip(real_times, floor_times, strict=True)]
    return {
        "updates": updates,
        "reports": reports,
        "runs": runs,
        "baseline_ms_per_update": 1000 * statistics.median(echo_times) / updates,
        "measured_ms_per_update": 1000 * statistics.median(real_times) / updates,
        "time_ratio_median": statistics.median(ratios),
        "time_ratio_min": min(ratios),
        "time_ratio_max": max(ratios),
        "floor_ms_per_update": 1000 * statistics.median(floor_times) / updates,
        "floor_ratio_median": statistics.median(floor_ratios),
        "measured_over_floor_median": statistics.median(over_floor),
        # Per update of the timed runs: from the queue to the last reply it causes.
        "baseline_p50_ms": 1000 * percentile(echo_waits, 0.50),
        "baseline_p99_ms": 1000 * percentile(echo_waits, 0.99),
        "measured_p50_ms": 1000 * percentile(real_waits, 0.50),
        "measured_p99_ms": 1000 * percentile(real_waits, 0.99),
        "baseline_peak_kib": echo_peak / 1024,
        "measured_peak_kib": real_peak / 1024,
        "memory_ratio": real_peak / echo_peak,
    }


def main() -> None:
    """Parse arguments, run, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--database-url", help="PostgreSQL (emptied first); bawaan: SQLite")
    parser.add_argument("--runs", type=int, default=MIN_RUNS, help=f"pairs, at least {MIN_RUNS}")
    parser.add_argument("--profile", help="cProfile one more bot run into this file")
    args = parser.parse_args()
    if args.runs < MIN_RUNS or args.reports < 1:
        parser.error(f"--runs at least {MIN_RUNS}, --reports at least 1")
    figures = asyncio.run(run(args.reports, args.database_url, args.runs, args.profile))
    engine = "postgresql" if args.database_url else "sqlite"
    for key, value in figures.items():
        print(f"{key:>26}: {value:,.3f}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"bot-{engine}.json"
    path.write_text(json.dumps({"engine": engine, **figures}, indent=2) + "\n")
    print(f"tersimpan: {path}")


if __name__ == "__main__":
    main()
