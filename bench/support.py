"""What the bot benchmarks share: a fresh database, officers, and a Bot API with a round trip."""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text
from telegram.ext import Application
from telegram.request import RequestData

from bot.app import OUTBOX_KEY
from bot.config import Settings, load_settings
from bot.delivery.offline import OfflineBotApi
from bot.delivery.outbox import OutboxSender
from bot.runtime import Runtime, open_runtime
from domain.models import Role, Seksi
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.tables import metadata
from tests.factories import add_user

__all__ = [
    "TOKEN",
    "KASI_TRANTIB",
    "SlowBotApi",
    "bench_settings",
    "fresh_runtime",
    "add_officers",
    "percentile",
    "start_app",
    "settle",
    "stop_app",
]

TOKEN = "123456789:BENCH-token-abcdefghijklmnopqrstuvwx"
KASI_TRANTIB = 4_999_999


@dataclass
class SlowBotApi(OfflineBotApi):
    """The offline Bot API, answering every call only after ``rtt`` seconds (a network)."""

    rtt: float = 0.0

    def forget(self, keep: int = 50) -> None:
        """Drop all but the last messages and every recorded call.

        The offline API looks messages up by scanning its lists: grown over thousands
        of updates they would slow each later run, and count in its memory.
        """
        del self.messages[:-keep]
        self.calls.clear()

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
        """Wait one round trip, then answer (the listener hears the call as it is answered)."""
        if self.rtt > 0:
            await asyncio.sleep(self.rtt)
        return await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )


def bench_settings(database_url: str, folder: Path) -> Settings:
    """Settings of a benchmark: no digest or reminder jobs firing in the middle of a run."""
    return load_settings(
        telegram_bot_token=TOKEN,
        database_url=database_url,
        skm_secret="bench-secret-0123456789abcdef0123456789",
        skm_secret_file=str(folder / "skm.key"),
        digest_schedule="nonaktif",
        reminder_schedule="nonaktif",
    )


def fresh_runtime(settings: Settings) -> Runtime:
    """The database migrated and, on PostgreSQL, emptied first; then the kecamatan seeded."""
    url = settings.database_url
    upgrade(url)
    engine = make_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()
    return open_runtime(settings)


def add_officers(runtime: Runtime, how_many: int, first_id: int = 5_000_000) -> list[int]:
    """Active perangkat desa spread over the villages, and the Kasi Trantib who gets cards."""
    kec = runtime.kecamatan()
    ids = []
    with runtime.uow() as uow:
        desa = uow.desa.list_by_kecamatan(kec.id)
        for n in range(how_many):
            telegram_id = first_id + n
            add_user(
                uow,
                Role.PERANGKAT_DESA,
                telegram_id=telegram_id,
                nama=f"Perangkat {n}",
                jabatan="Kasi Pemerintahan",
                kecamatan_id=kec.id,
                desa_id=desa[n % len(desa)].id,
            )
            ids.append(telegram_id)
        add_user(
            uow,
            Role.STAF_SEKSI,
            telegram_id=KASI_TRANTIB,
            nama="Kasi Trantib",
            jabatan="Kasi Trantib",
            kecamatan_id=kec.id,
            seksi=Seksi.TRANTIB,
        )
        uow.commit()
    return ids


def percentile(values: list[float], share: float) -> float:
    """The ``share`` (0-1) percentile by nearest rank (the max for 1.0)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(share * len(ordered))))
    return ordered[rank - 1]


async def start_app(app: Application) -> None:  # type: ignore[type-arg]
    """Start as run_polling does: initialize, post_init (menus, the outbox sender), start.

    The menus task post_init leaves behind is awaited, so that it does not run during a
    measurement.
    """
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
        await asyncio.gather(*[t for t in asyncio.all_tasks() if t.get_name() == "menus"])
    await app.start()


async def settle(app: Application) -> None:  # type: ignore[type-arg]
    """Wait for the updates in the queue and for the outbox to deliver what they wrote."""
    await app.update_queue.join()
    sender = app.bot_data.get(OUTBOX_KEY)
    if isinstance(sender, OutboxSender):
        await sender.drain()


async def stop_app(app: Application) -> None:  # type: ignore[type-arg]
    """Settle, then stop as run_polling does: stop, post_stop, shutdown, post_shutdown.

    (Application.stop and shutdown alone do not run the post_ hooks: the outbox sender
    and the database threads would outlive the application.)
    """
    await settle(app)
    await app.stop()
    if app.post_stop is not None:
        await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
