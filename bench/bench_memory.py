"""Benchmark: resident memory of the running bot, at rest and with open conversations.

Each side runs in a fresh subprocess of its own, so that nothing the benchmark itself
imports counts; the child imports only what the bot imports, starts as production
does, on the offline Bot API (no network), and reads its resident set size
(``VmRSS`` of /proc/self/status, after a garbage collection) at these moments:

- at rest: once started (initialize, post_init with the menus of every registered
  user, start; the job queue running), before any update;
- open: after ``--users`` people each opened a conversation, one update at a time
  per chat and the chats side by side: officers ``/lapor``, choose the seksi and the
  day (three updates, the draft stored), and leave the report unfinished;
- digest (the bot alone): once the weekly digest has then been composed, its chart
  drawn: what a library loaded on first use (Pillow) keeps resident from then on.

The two sides:

- baseline: a bare python-telegram-bot Application with one handler that answers
  every message with a fixed text, sent the same three messages by as many people;
- measured: the real application (``bot.app.build_application``, the database opened
  and checked by ``open_runtime`` as in ``bot.delivery.serve``).

What the offline Bot API recorded is dropped before each reading (it is the test
double's memory, not the bot's). Without Telegram's flood limits: they would make a
run wait, and their state is bounded (bot/delivery/ratelimit.py). The database is made
anew (migrated, seeded, the officers added) before every measured run, in the parent.

The sides run ``--runs`` times (at least 5) in pairs, echo then bot; it prints the
medians in MiB of both at rest and open (and the bot's after the digest), the memory
per open conversation, the peak (``VmHWM``), the start-up time, and the ratios
measured / baseline (median, min and max of the pairs). The figures are written to
bench/results/. ``--profile`` runs the bot once more under tracemalloc and prints where
its memory was allocated, per top-level package (tracing itself costs memory: that run
is not part of the figures).

    uv run python -m bench.bench_memory --users 500
    uv run python -m bench.bench_memory --database-url postgresql+psycopg://user@host/db

A PostgreSQL database given with ``--database-url`` is migrated and its tables are
emptied first.
"""

# Only the standard library at the top: the children run this module too, and what it
# imports before the bot would count in their memory.
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from telegram import Update
    from telegram.ext import Application

    from bot.delivery.offline import OfflineBotApi, SentMessage

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent
MIN_RUNS = 5
PATIENCE = 60.0  # seconds for one reply
CONCURRENT = 50  # conversations under way at once
TOKEN = "123456789:BENCH-token-abcdefghijklmnopqrstuvwx"
FIRST_USER = 5_000_000

# (button label or text typed, is a button): the start of a /lapor report; the draft is
# stored after each step. For the echo bot, three messages.
STEPS: list[tuple[str, bool]] = [("/lapor", False), ("Trantibum", True), ("Hari ini", True)]


def _rss_mib(field: str = "VmRSS") -> float:
    """``field`` of /proc/self/status in MiB, after a full garbage collection."""
    import gc

    gc.collect()
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


# --- the child: one side, in its own process -------------------------------------------


class _Replies:
    """Counts what is sent per chat, and wakes whoever waits for a reply."""

    def __init__(self, api: OfflineBotApi) -> None:
        import asyncio
        from collections import Counter

        self.api = api
        self.sent: Counter[int] = Counter()
        self._changed = asyncio.Event()
        api.listener = self._hear

    def _hear(self, method: str, sent: SentMessage | None, params: dict[str, Any]) -> None:
        if sent is not None and method.startswith("send"):
            self.sent[sent.chat_id] += 1
            self._changed.set()

    async def until(self, chat_id: int, count: int) -> None:
        """Wait until ``chat_id`` received ``count`` messages (PATIENCE seconds at most)."""
        import asyncio

        try:
            async with asyncio.timeout(PATIENCE):
                while self.sent[chat_id] < count:
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            raise RuntimeError(f"no reply within {PATIENCE:.0f} s for chat {chat_id}") from None


def _step_update(api: OfflineBotApi, user_id: int, what: str, button: bool) -> Update:
    from telegram import Chat, User

    from bot.delivery.offline import message_update, press_update

    person = User(id=user_id, first_name="Bench", is_bot=False)
    if not button:
        return message_update(person, Chat(id=user_id, type=Chat.PRIVATE), text=what)
    target = api.last_with_buttons(user_id)
    if target is None or what not in target.labels():
        raise RuntimeError(f"no button {what!r} for {user_id}")
    data = next(b["callback_data"] for row in target.buttons for b in row if b["text"] == what)
    return press_update(person, target, data)


async def _conversations(
    app: Application,  # type: ignore[type-arg]
    api: OfflineBotApi,
    users: int,
    steps: list[tuple[str, bool]],
) -> None:
    """``users`` people each take ``steps``, a reply awaited after every step."""
    import asyncio

    from telegram import Update

    replies = _Replies(api)
    waiting = iter(range(FIRST_USER, FIRST_USER + users))

    async def worker() -> None:
        # A few workers, not a task per person: the benchmark's own tasks would be
        # counted in the memory it measures.
        for user_id in waiting:
            for what, button in steps:
                update = _step_update(api, user_id, what, button)
                goal = replies.sent[user_id] + 1
                received = Update.de_json(update.to_dict(), app.bot)
                assert received is not None
                await app.update_queue.put(received)
                await replies.until(user_id, goal)

    await asyncio.gather(*(worker() for _ in range(min(CONCURRENT, users))))
    await app.update_queue.join()
    api.listener = None


async def _start(app: Application) -> None:  # type: ignore[type-arg]
    """As bot.delivery.serve does: initialize, post_init (and its menus task), start."""
    import asyncio

    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
        await asyncio.gather(*[t for t in asyncio.all_tasks() if t.get_name() == "menus"])
    await app.start()


async def _stop(app: Application) -> None:  # type: ignore[type-arg]
    await app.stop()
    if app.post_stop is not None:
        await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)


def _echo_app(api: OfflineBotApi) -> Application:  # type: ignore[type-arg]
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None:
            await update.effective_message.reply_text("ok")

    app = ApplicationBuilder().token(TOKEN).request(api).get_updates_request(api).build()
    app.add_handler(MessageHandler(filters.ALL, answer))
    return app


def _bot_app(api: OfflineBotApi, database_url: str, folder: Path) -> Application:  # type: ignore[type-arg]
    # What production's serve() imports before it builds the application.
    import bot.delivery.serve  # noqa: F401
    from bot.app import build_application
    from bot.config import load_settings
    from bot.runtime import open_runtime

    settings = _settings(database_url, folder, load_settings)
    return build_application(settings, open_runtime(settings), request=api, rate_limit=False)


def _settings(database_url: str, folder: Path, load: Any) -> Any:
    """Production's defaults (digest and reminder jobs scheduled), the bench's database."""
    return load(
        telegram_bot_token=TOKEN,
        database_url=database_url,
        skm_secret="bench-secret-0123456789abcdef0123456789",
        skm_secret_file=str(folder / "skm.key"),
    )


async def _child_run(side: str, users: int, database_url: str, folder: Path) -> dict[str, float]:
    import time

    started = time.perf_counter()
    from bot.delivery.offline import OfflineBotApi

    api = OfflineBotApi()
    if side == "echo":
        app = _echo_app(api)
        steps = [("halo", False)] * len(STEPS)
    else:
        app = _bot_app(api, database_url, folder)
        steps = STEPS
    await _start(app)
    start_s = time.perf_counter() - started
    api.calls.clear()
    api.messages.clear()
    rest = _rss_mib()
    await _conversations(app, api, users, steps)
    api.calls.clear()
    api.messages.clear()
    opened = _rss_mib()
    peak = _rss_mib("VmHWM")
    digest = await _one_digest(app) if side == "bot" else opened
    await _stop(app)
    return {
        "rest_mib": rest,
        "open_mib": opened,
        "peak_mib": peak,
        "digest_mib": digest,
        "start_s": start_s,
    }


async def _one_digest(app: Application) -> float:  # type: ignore[type-arg]
    """Resident memory once the weekly digest has been composed, its chart drawn."""
    import asyncio

    from bot.app import DIGEST_KEY
    from bot.digest.sender import DigestService, reported_week

    digests = app.bot_data[DIGEST_KEY]
    assert isinstance(digests, DigestService)
    now = digests.runtime.now()
    code = digests.settings.kecamatan
    composed = await asyncio.to_thread(digests.compose, code, reported_week(now), now)
    if composed.chart is None:
        raise RuntimeError("the digest's chart was not drawn")
    return _rss_mib()


async def _child_profile(users: int, database_url: str, folder: Path) -> dict[str, Any]:
    """The bot under tracemalloc: what is allocated at rest and open, per package."""
    import tracemalloc

    tracemalloc.start(1)
    from bot.delivery.offline import OfflineBotApi

    api = OfflineBotApi()
    app = _bot_app(api, database_url, folder)
    await _start(app)
    api.calls.clear()
    api.messages.clear()
    rest = tracemalloc.take_snapshot()
    await _conversations(app, api, users, STEPS)
    api.calls.clear()
    api.messages.clear()
    opened = tracemalloc.take_snapshot()
    await _stop(app)
    tracemalloc.stop()
    return {"rest": _by_package(rest), "open_minus_rest": _by_package(opened, rest)}


def _by_package(snapshot: Any, before: Any = None) -> list[tuple[str, float]]:
    """KiB allocated per top-level package (or since ``before``), largest first."""
    totals: dict[str, float] = {}
    stats = snapshot.compare_to(before, "filename") if before else snapshot.statistics("filename")
    for stat in stats:
        name = stat.traceback[0].filename
        package = _package(name)
        size = stat.size_diff if before else stat.size
        totals[package] = totals.get(package, 0.0) + size / 1024
    ordered = sorted(totals.items(), key=lambda item: -item[1])
    return [(name, round(kib, 1)) for name, kib in ordered[:20]]


def _package(filename: str) -> str:
    for marker in ("site-packages/", "/lib/python3"):
        if marker in filename:
            rest = filename.split(marker, 1)[1]
            if marker != "site-packages/":
                rest = rest.split("/", 1)[1] if "/" in rest else rest
            return rest.split("/", 1)[0].removesuffix(".py")
    if filename.startswith(str(ROOT)):
        return filename[len(str(ROOT)) + 1 :].split("/", 1)[0]
    return filename


def _child(args: argparse.Namespace) -> None:
    import asyncio

    folder = Path(args.folder)
    if args.child == "profile":
        result: Any = asyncio.run(_child_profile(args.users, args.database_url, folder))
    else:
        result = asyncio.run(_child_run(args.child, args.users, args.database_url, folder))
    print(json.dumps(result))


# --- the parent: prepares the database, runs the children, sums up ---------------------


def _prepare(database_url: str, folder: Path, users: int) -> None:
    """The database migrated (emptied on PostgreSQL), seeded, and ``users`` officers."""
    from bench.support import add_officers, fresh_runtime
    from bot.config import load_settings

    runtime = fresh_runtime(_settings(database_url, folder, load_settings))
    try:
        add_officers(runtime, users, first_id=FIRST_USER)
    finally:
        runtime.close()


def _check_drafts(database_url: str, folder: Path, users: int) -> None:
    """Every officer's report is under way: a stored draft per conversation."""
    from bot.config import load_settings
    from bot.runtime import open_runtime

    runtime = open_runtime(_settings(database_url, folder, load_settings), prepare=False)
    try:
        with runtime.uow() as uow:
            drafts = [uow.drafts.get(FIRST_USER + n, FIRST_USER + n) for n in range(users)]
    finally:
        runtime.close()
    missing = sum(1 for draft in drafts if draft is None)
    if missing:
        raise RuntimeError(f"{missing} of {users} conversations have no stored draft")


def _spawn(side: str, users: int, database_url: str, folder: Path) -> Any:
    command = [sys.executable, "-m", "bench.bench_memory", "--child", side]
    command += ["--users", str(users), "--database-url", database_url, "--folder", str(folder)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{side} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(users: int, database_url: str | None, runs: int, profile: bool) -> dict[str, Any]:
    """Run both sides in ``runs`` pairs (each its own process) and return the figures."""
    echo: list[dict[str, float]] = []
    real: list[dict[str, float]] = []
    profiled: Any = None
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for n in range(runs + (1 if profile else 0)):
            url = database_url or f"sqlite:///{folder / f'bench-{n}.db'}"
            _prepare(url, folder, users)
            if n == runs:
                profiled = _spawn("profile", users, url, folder)
                break
            echo.append(_spawn("echo", users, url, folder))
            real.append(_spawn("bot", users, url, folder))
            _check_drafts(url, folder, users)

    def median(side: list[dict[str, float]], key: str) -> float:
        return statistics.median(figures[key] for figures in side)

    figures: dict[str, Any] = {"users": users, "runs": runs}
    for key in ("rest_mib", "open_mib", "peak_mib", "start_s"):
        figures[f"baseline_{key}"] = median(echo, key)
        figures[f"measured_{key}"] = median(real, key)
    figures["measured_digest_mib"] = median(real, "digest_mib")
    for side, results in (("baseline", echo), ("measured", real)):
        per = [1024 * (r["open_mib"] - r["rest_mib"]) / users for r in results]
        figures[f"{side}_kib_per_conversation"] = statistics.median(per)
    for key in ("rest_mib", "open_mib"):
        ratios = [r[key] / e[key] for r, e in zip(real, echo, strict=True)]
        short = key.removesuffix("_mib")
        figures[f"{short}_ratio_median"] = statistics.median(ratios)
        figures[f"{short}_ratio_min"] = min(ratios)
        figures[f"{short}_ratio_max"] = max(ratios)
    if profiled is not None:
        figures["profile_kib"] = profiled
    return figures


def main() -> None:
    """Parse arguments, run, print and save the figures (or be one child)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=500, help="open conversations")
    parser.add_argument("--database-url", help="PostgreSQL (emptied first); bawaan: SQLite")
    parser.add_argument("--runs", type=int, default=MIN_RUNS, help=f"pairs, at least {MIN_RUNS}")
    parser.add_argument("--profile", action="store_true", help="one more run, traced")
    parser.add_argument("--child", choices=["echo", "bot", "profile"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        _child(args)
        return
    if args.runs < MIN_RUNS or args.users < 1:
        parser.error(f"--runs at least {MIN_RUNS}, --users at least 1")
    figures = run(args.users, args.database_url, args.runs, args.profile)
    engine = "postgresql" if args.database_url else "sqlite"
    for key, value in figures.items():
        if key == "profile_kib":
            for phase, rows in value.items():
                print(f"{phase} (KiB, tracemalloc):")
                for package, kib in rows:
                    print(f"{package:>40}: {kib:,.1f}")
        else:
            print(f"{key:>30}: {value:,.3f}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"memory-{engine}.json"
    path.write_text(json.dumps({"engine": engine, **figures}, indent=2) + "\n")
    print(f"tersimpan: {path}")


if __name__ == "__main__":
    main()
