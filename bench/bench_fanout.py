"""Benchmark: the weekly digest fanned out to 100 groups, against what Telegram's limits allow.

Telegram lets a bot send 30 messages a second overall and 20 a minute to one group.
The floor is computed from what was actually sent (every digest's messages, counted
per chat at the offline Bot API): the earliest moment the last message may go, first
message at 0 s, is ``max((ceil(N / 30) - 1) * 1 s, (ceil(k / 20) - 1) * 60 s)`` for N
messages in all and k to the busiest group (``rate_floor_seconds`` is N / 30, the
figure at a steady 30 a second, for reference).

In one process, on a fresh database (SQLite, or an empty PostgreSQL database given
with ``--database-url``) with 100 kecamatan, a few desa and incidents each and a digest
group each, against the offline Bot API (answers at once), each the median of
``--repeat`` runs (at least 5; the digest log is emptied before each):

- sending alone (the digests composed beforehand, so only the fan-out is measured):
  the fan-out as the bot runs it (every group side by side under the project's rate
  limiter, bot/delivery/ratelimit.py), and the former way: one group after another
  under python-telegram-bot's AIORateLimiter;
- the whole fan-out, composing included (queries and chart for each of the 100).

Prints seconds and ratios (measured / floor) and writes bench/results/fanout-<engine>.json.

    uv run python -m bench.bench_fanout
    uv run python -m bench.bench_fanout --database-url postgresql+psycopg://user@host/db
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from telegram.ext import AIORateLimiter, BaseRateLimiter, ExtBot

from bench.support import TOKEN, bench_settings, fresh_runtime
from bot.delivery.offline import OfflineBotApi
from bot.delivery.ratelimit import OVERALL, PER_GROUP, TelegramRateLimiter
from bot.digest.sender import Composed, DigestService
from bot.runtime import Runtime
from domain.digest import IsoWeek
from domain.models import IncidentKind
from storage.tables import DigestLogRow
from tests.bot.fanout import add_groups
from tests.factories import make_incident

RESULTS = Path(__file__).resolve().parent / "results"
MIN_REPEAT = 5
GROUPS = 100
TZ = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 30, 7, 0, tzinfo=TZ)
WEEK = IsoWeek(2026, 48)


def floor_seconds(per_chat: Counter[int]) -> float:
    """The earliest moment the last message may go under both windows (first at 0 s)."""
    total = sum(per_chat.values())
    overall = (math.ceil(total / OVERALL[0]) - 1) * OVERALL[1] if total else 0.0
    busiest = max((k for chat, k in per_chat.items() if chat < 0), default=0)
    group = (math.ceil(busiest / PER_GROUP[0]) - 1) * PER_GROUP[1] if busiest else 0.0
    return max(overall, group)


def seed(runtime: Runtime) -> None:
    """100 kecamatan with a group each, and a few incidents in the weeks the digest shows."""
    add_groups(runtime, GROUPS, NOW - timedelta(days=30))
    with runtime.uow() as uow:
        for kecamatan in uow.kecamatan.list():
            for n, desa in enumerate(uow.desa.list_by_kecamatan(kecamatan.id)):
                for week_back in range(0, 12, 3):
                    day = date(2026, 11, 24) - timedelta(weeks=week_back, days=n)
                    uow.incidents.add(
                        make_incident(
                            desa,
                            kind=IncidentKind.KONFLIK if n % 2 else IncidentKind.TRANTIBUM,
                            event_date=day,
                            received_at=datetime(day.year, day.month, day.day, 9, tzinfo=TZ),
                        )
                    )
        uow.commit()


class Run:
    """One fan-out on a fresh bot (its own limiter windows), the digest log emptied first."""

    def __init__(self, runtime: Runtime, service: DigestService, api: OfflineBotApi) -> None:
        self.runtime = runtime
        self.service = service
        self.api = api

    async def __call__(
        self,
        limiter: Callable[[], BaseRateLimiter[Any]],
        fan_out: Callable[[ExtBot[Any]], Awaitable[int]],
    ) -> tuple[float, Counter[int]]:
        with self.runtime.engine.begin() as conn:
            conn.execute(delete(DigestLogRow))
        self.api.messages.clear()
        self.api.calls.clear()
        bot: ExtBot[Any] = ExtBot(
            TOKEN, request=self.api, get_updates_request=self.api, rate_limiter=limiter()
        )
        await bot.initialize()
        begin = time.perf_counter()
        sent = await fan_out(bot)
        seconds = time.perf_counter() - begin
        await bot.shutdown()
        if sent != GROUPS:
            raise SystemExit(f"{sent} dari {GROUPS} grup menerima ringkasan")
        per_chat = Counter(m.chat_id for m in self.api.messages)
        if len(per_chat) != GROUPS or any(chat >= 0 for chat in per_chat):
            raise SystemExit("ringkasan tidak sampai ke setiap grup tepat sekali")
        return seconds, per_chat


async def measure(url: str, repeat: int) -> dict[str, Any]:
    """Every measurement on a fresh database at ``url``."""
    with tempfile.TemporaryDirectory() as folder:
        settings = bench_settings(url, Path(folder))
        runtime = fresh_runtime(settings)
        try:
            seed(runtime)
            service = DigestService(runtime, settings)
            api = OfflineBotApi()
            run = Run(runtime, service, api)
            with runtime.uow() as uow:
                groups = uow.digests.groups()
                codes = {k.id: k.kode for k in uow.kecamatan.list()}
            compose = service.compose
            made: dict[str, Composed] = {
                codes[g.kecamatan_id]: compose(codes[g.kecamatan_id], WEEK, NOW) for g in groups
            }

            async def side_by_side(bot: ExtBot[Any]) -> int:
                return await service.fan_out(bot, WEEK, NOW)

            async def one_after_another(bot: ExtBot[Any]) -> int:
                sent = 0
                for group in groups:
                    sent += await service.send_week(bot, group, WEEK, NOW)
                return sent

            async def timed(
                limiter: Callable[[], BaseRateLimiter[Any]],
                fan_out: Callable[[ExtBot[Any]], Awaitable[int]],
            ) -> tuple[float, Counter[int]]:
                await run(limiter, fan_out)  # warm-up
                seconds, per_chat = [], Counter[int]()
                for _ in range(repeat):
                    elapsed, per_chat = await run(limiter, fan_out)
                    seconds.append(elapsed)
                return statistics.median(seconds), per_chat

            service.compose = lambda kecamatan_code, week, now: made[kecamatan_code]  # type: ignore[method-assign]
            alone_s, per_chat = await timed(TelegramRateLimiter, side_by_side)
            before_s, _ = await timed(AIORateLimiter, one_after_another)
            service.compose = compose  # type: ignore[method-assign]
            whole_s, whole_chat = await timed(TelegramRateLimiter, side_by_side)
        finally:
            runtime.close()
    if whole_chat != per_chat:
        raise SystemExit("pesan yang terkirim berbeda antara dua cara")
    floor = floor_seconds(per_chat)
    total = sum(per_chat.values())
    return {
        "engine": url.split(":", 1)[0].split("+", 1)[0],
        "groups": GROUPS,
        "repeat": repeat,
        "messages": total,
        "messages_per_group_max": max(per_chat.values()),
        "floor_seconds": round(floor, 4),
        "rate_floor_seconds": round(total / OVERALL[0], 4),
        "sending_alone_seconds": round(alone_s, 4),
        "sending_alone_ratio": round(alone_s / floor, 4),
        "one_after_another_seconds": round(before_s, 4),
        "one_after_another_ratio": round(before_s / floor, 4),
        "with_composing_seconds": round(whole_s, 4),
        "with_composing_ratio": round(whole_s / floor, 4),
    }


def main() -> None:
    """Parse the arguments, run, print and save the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", help="an empty PostgreSQL database (bawaan: SQLite)")
    parser.add_argument("--repeat", type=int, default=MIN_REPEAT)
    args = parser.parse_args()
    if args.repeat < MIN_REPEAT:
        parser.error(f"--repeat at least {MIN_REPEAT}")
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/fanout.db"
        figures = asyncio.run(measure(url, args.repeat))
    for key, value in figures.items():
        print(f"{key:>28}: {value}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"fanout-{figures['engine']}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"tersimpan: {path}")


if __name__ == "__main__":
    main()
