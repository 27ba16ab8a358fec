"""Benchmark: the queries of /tindaklanjut, the digest and /laporanku, and the CLI's start.

Fills a database with a long history of incidents (most handled, a few hundred open,
with photos), then measures in the same process:

- /tindaklanjut without a number, driven through the real application on the offline
  Bot API: SQL statements and time per update against the number of open cases; the
  baseline is /tindaklanjut NOMOR (one card) in the same run;
- the weekly digest (``weekly_digest``) and /laporanku's query: statements and time
  spent in the database with the incident indexes of migration 0006, and again after
  dropping them (the baseline; they are created again afterwards);
- ``iku-bot --help`` (``python -m bot --help``): wall time and peak RSS against
  ``python -c pass`` as the baseline;
- the heavy modules (matplotlib, openpyxl, numpy, segno, PIL) that ``import bot.app``
  and ``import bot.cli.commands`` load.

Prints the figures and ratios and writes them to bench/results/.

    uv run python -m bench.bench_queries --incidents 20000 --open 300
    uv run python -m bench.bench_queries --database-url postgresql+psycopg://user@host/db_kosong
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, event, insert, inspect, select, text, update
from sqlmodel import col
from telegram import Chat, User

from bot.app import build_application
from bot.config import load_settings
from bot.delivery.offline import OfflineBotApi, message_update, process
from bot.runtime import Runtime, open_runtime
from domain.digest import IsoWeek, weekly_digest
from domain.models import IncidentKind, IncidentStatus, Role
from storage.migrate import upgrade
from storage.tables import IncidentPhotoRow, IncidentRow, metadata
from tests.factories import add_user

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TOKEN = "123456789:BENCH-token-abcdefghijklmnopqrstuvwx"
TZ = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 30, 7, 0, tzinfo=TZ)
WEEK = IsoWeek(2026, 48)
ADMIN_ID = 4_900_000
BATCH = 5000
# The incident indexes added by migration 0006 (absent from older code: nothing to drop).
QUERY_INDEXES = (
    "ix_incident_kec_received",
    "ix_incident_kec_event",
    "ix_incident_kec_handled",
    "ix_incident_open",
    "ix_incident_open_kind",
    "ix_incident_reporter_received",
)
HEAVY = ("matplotlib", "openpyxl", "numpy", "segno", "PIL")


@dataclass
class SqlMeter:
    """Counts the statements an engine executes and the time they take."""

    statements: int = 0
    seconds: float = 0.0

    def attach(self, engine: Engine) -> None:
        """Listen to ``engine``'s cursor executions."""

        def before(conn: Any, *_: Any) -> None:
            self.statements += 1
            conn.info.setdefault("bench_started", []).append(time.perf_counter())

        def after(conn: Any, *_: Any) -> None:
            self.seconds += time.perf_counter() - conn.info["bench_started"].pop()

        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)

    @contextmanager
    def measure(self) -> Iterator[SqlMeter]:
        """The statements and database time of the block (a fresh meter)."""
        start = SqlMeter(self.statements, self.seconds)
        block = SqlMeter()
        yield block
        block.statements = self.statements - start.statements
        block.seconds = self.seconds - start.seconds


def fill(runtime: Runtime, incidents: int, open_cases: int, seed: int = 11) -> list[str]:
    """Incidents over 540 days up to NOW, all handled but ``open_cases`` recent ones.

    Every incident has one to three photos; returns the tracking numbers of the open ones.
    """
    rng = random.Random(seed)
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        desa_ids = [d.id for d in uow.desa.list_by_kecamatan(kec.id)]
        reporters = [
            add_user(
                uow,
                Role.PERANGKAT_DESA,
                telegram_id=4_800_000 + n,
                nama=f"Perangkat {n}",
                jabatan="Kasi Pemerintahan",
                kecamatan_id=kec.id,
                desa_id=desa_ids[n % len(desa_ids)],
            ).id
            for n in range(40)
        ]
        add_user(
            uow,
            Role.ADMIN,
            telegram_id=ADMIN_ID,
            nama="Camat",
            jabatan="Camat",
            kecamatan_id=kec.id,
        )
        uow.commit()
    start = NOW.astimezone(UTC) - timedelta(days=540)
    moments = sorted(
        start + timedelta(seconds=rng.randrange(540 * 86400)) for _ in range(incidents)
    )
    recent = [i for i, moment in enumerate(moments) if moment > NOW - timedelta(days=120)]
    opened = set(rng.sample(recent, min(open_cases, len(recent))))
    seq: dict[tuple[IncidentKind, int], int] = {}
    rows: list[dict[str, Any]] = []
    numbers: list[str] = []
    for n, received in enumerate(moments):
        kind = rng.choice(list(IncidentKind))
        year = received.astimezone(TZ).year
        seq[(kind, year)] = seq.get((kind, year), 0) + 1
        nomor = f"{kind.prefix}-{year}-{seq[(kind, year)]:04d}"
        is_open = n in opened
        handled = None if is_open else received + timedelta(hours=rng.randrange(1, 240))
        rows.append(
            {
                "nomor": nomor,
                "kind": kind.value,
                "tahun": year,
                "seq": seq[(kind, year)],
                "kecamatan_id": kec.id,
                "desa_id": rng.choice(desa_ids),
                "event_date": received.astimezone(TZ).date(),
                "received_at": received,
                "category": "lainnya",
                "description": "Kejadian untuk pengukuran",
                "status": (
                    rng.choice((IncidentStatus.BARU, IncidentStatus.DIPROSES)).value
                    if is_open
                    else IncidentStatus.TERTANGANI.value
                ),
                "handled_at": handled,
                "reporter_id": rng.choice(reporters),
                "version": 1,
                "created_at": received,
                "updated_at": handled or received,
            }
        )
        if is_open:
            numbers.append(nomor)
    with runtime.engine.begin() as conn:
        for first in range(0, len(rows), BATCH):
            conn.execute(insert(IncidentRow), rows[first : first + BATCH])
        ids = conn.scalars(select(col(IncidentRow.id)).order_by(col(IncidentRow.id))).all()
        photos = [
            {
                "incident_id": incident_id,
                "file_id": f"photo-{incident_id}-{k}",
                "purpose": "laporan",
                "created_at": NOW,
            }
            for incident_id in ids
            for k in range(rng.randint(1, 3))
        ]
        for first in range(0, len(photos), BATCH):
            conn.execute(insert(IncidentPhotoRow), photos[first : first + BATCH])
    return numbers


def _analyze(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))


def _close_cases(runtime: Runtime, keep_open: int) -> None:
    """Mark open cases handled until ``keep_open`` are left."""
    with runtime.engine.begin() as conn:
        open_ids = conn.scalars(
            select(col(IncidentRow.id))
            .where(col(IncidentRow.status) != IncidentStatus.TERTANGANI.value)
            .order_by(col(IncidentRow.id))
        ).all()
        closing = list(open_ids[keep_open:])
        if closing:
            conn.execute(
                update(IncidentRow)
                .where(col(IncidentRow.id).in_(closing))
                .values(status=IncidentStatus.TERTANGANI.value, handled_at=NOW)
            )


async def tindaklanjut(
    runtime: Runtime, meter: SqlMeter, sizes: list[int], repeat: int, nomor: str
) -> dict[str, Any]:
    """/tindaklanjut's statements and time for each number of open cases."""
    api = OfflineBotApi()
    app = build_application(runtime.settings, runtime, request=api, rate_limit=False)
    await app.initialize()
    person = User(id=ADMIN_ID, first_name="Camat", is_bot=False)
    chat = Chat(id=ADMIN_ID, type=Chat.PRIVATE)

    async def timed(command: str) -> tuple[int, float]:
        await process(app, message_update(person, chat, text=command))  # warm-up
        seconds = []
        statements = 0
        for _ in range(repeat):
            with meter.measure() as used:
                begin = time.perf_counter()
                await process(app, message_update(person, chat, text=command))
                seconds.append(time.perf_counter() - begin)
            statements = used.statements
        return statements, statistics.median(seconds)

    card_statements, card_seconds = await timed(f"/tindaklanjut {nomor}")
    points = []
    for size in sorted(sizes, reverse=True):
        _close_cases(runtime, size)
        if runtime.engine.dialect.name == "postgresql":
            _analyze(runtime.engine)
        statements, seconds = await timed("/tindaklanjut")
        points.append(
            {
                "open_cases": size,
                "statements": statements,
                "ms": round(1000 * seconds, 2),
                "time_ratio_to_one_card": round(seconds / card_seconds, 2),
            }
        )
    await app.shutdown()
    return {
        "baseline_one_card": {
            "statements": card_statements,
            "ms": round(1000 * card_seconds, 2),
        },
        "listing": sorted(points, key=lambda p: p["open_cases"]),
    }


def _existing_indexes(engine: Engine) -> list[str]:
    names = {str(i["name"]) for i in inspect(engine).get_indexes("incident")}
    return [name for name in QUERY_INDEXES if name in names]


def _database_work(runtime: Runtime, meter: SqlMeter, repeat: int) -> dict[str, Any]:
    """Statements and database time of the digest and of /laporanku's query."""
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        reporter = uow.users.get_by_telegram_id(4_800_000)
    assert reporter is not None

    def digest() -> tuple[int, float]:
        with meter.measure() as used, runtime.uow() as uow:
            weekly_digest(uow, kecamatan_code=kec.kode, week=WEEK, now=NOW, overdue_days=7, tz=TZ)
        return used.statements, used.seconds

    def laporanku() -> tuple[int, float]:
        with meter.measure() as used, runtime.uow() as uow:
            uow.incidents.list_by_reporter(reporter.id, limit=20)
        return used.statements, used.seconds

    out: dict[str, Any] = {}
    for name, work in (("digest", digest), ("laporanku", laporanku)):
        work()  # warm-up
        runs = [work() for _ in range(repeat)]
        out[name] = {
            "statements": runs[-1][0],
            "db_ms": round(1000 * statistics.median(s for _, s in runs), 3),
        }
    return out


def indexes(runtime: Runtime, meter: SqlMeter, repeat: int) -> dict[str, Any]:
    """The digest's and /laporanku's database time with the indexes and without them."""
    engine = runtime.engine
    present = _existing_indexes(engine)
    with_indexes = _database_work(runtime, meter, repeat)
    table = metadata.tables["incident"]
    dropped = [i for i in table.indexes if i.name in present]
    for index in dropped:
        index.drop(engine)
    if engine.dialect.name == "postgresql":
        _analyze(engine)
    without = _database_work(runtime, meter, repeat)
    for index in dropped:
        index.create(engine)
    if engine.dialect.name == "postgresql":
        _analyze(engine)
    return {
        "indexes": present,
        "with_indexes": with_indexes,
        "without_indexes": without,
        "digest_db_time_ratio": round(
            with_indexes["digest"]["db_ms"] / without["digest"]["db_ms"], 3
        ),
        "laporanku_db_time_ratio": round(
            with_indexes["laporanku"]["db_ms"] / without["laporanku"]["db_ms"], 3
        ),
    }


# Runs the measured code and, at exit, writes its peak resident memory (VmHWM of its own
# address space: the memory of the parent it was forked from is not counted, as it would
# be in wait4's ru_maxrss) to the file named by BENCH_HWM_FILE.
_WRAPPER = """
import atexit, os, sys
def _hwm():
    with open('/proc/self/status') as status:
        line = next(l for l in status if l.startswith('VmHWM:'))
    with open(os.environ['BENCH_HWM_FILE'], 'w') as out:
        out.write(line.split()[1])
atexit.register(_hwm)
sys.argv = ['iku-bot', *sys.argv[1:]]
exec(os.environ['BENCH_CODE'])
"""


def _child(code: str, *argv: str) -> tuple[float, int, str]:
    """Wall time, peak RSS (bytes) and standard output of ``code`` in a new interpreter."""
    with tempfile.TemporaryDirectory() as folder:
        hwm = Path(folder) / "hwm"
        env = dict(os.environ, PYTHONPATH=str(ROOT), BENCH_HWM_FILE=str(hwm), BENCH_CODE=code)
        begin = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _WRAPPER, *argv],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            check=False,
        )
        elapsed = time.perf_counter() - begin
        if done.returncode != 0:
            raise RuntimeError(f"{code!r} {argv} exited with {done.returncode}")
        return elapsed, int(hwm.read_text()) * 1024, done.stdout.decode()


def startup(repeat: int) -> dict[str, Any]:
    """``iku-bot --help`` and ``import bot.app`` against ``python -c pass``."""

    def measure(code: str, *argv: str) -> dict[str, float]:
        _child(code, *argv)  # warm-up: bytecode caches
        runs = [_child(code, *argv) for _ in range(repeat)]
        return {
            "ms": round(1000 * statistics.median(r[0] for r in runs), 1),
            "peak_rss_mib": round(max(r[1] for r in runs) / 2**20, 1),
        }

    baseline = measure("pass")
    # What the iku-bot script runs.
    help_run = measure("from bot.__main__ import main; main()", "--help")
    app_run = measure("import bot.app")
    probe = (
        "import bot.app, bot.cli.commands, json; "
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {set(HEAVY)!r})))"
    )
    heavy = json.loads(_child(probe)[2])
    count_probe = "import bot.app, bot.cli.commands; print(len(sys.modules))"
    return {
        "baseline_python_pass": baseline,
        "iku_bot_help": help_run,
        "import_bot_app": app_run,
        "help_time_ratio": round(help_run["ms"] / baseline["ms"], 2),
        "help_rss_ratio": round(help_run["peak_rss_mib"] / baseline["peak_rss_mib"], 2),
        "import_app_time_ratio": round(app_run["ms"] / baseline["ms"], 2),
        "import_app_rss_ratio": round(app_run["peak_rss_mib"] / baseline["peak_rss_mib"], 2),
        "heavy_modules_of_import_bot_app_cli": sorted({m.split(".")[0] for m in heavy}),
        "heavy_module_count": len(heavy),
        "modules_of_import_bot_app_cli": int(_child(count_probe)[2]),
    }


async def run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    """Fill, measure, and return the figures."""
    upgrade(url)
    engine_name = url.split(":", 1)[0].split("+", 1)[0]
    settings = load_settings(
        telegram_bot_token=TOKEN,
        database_url=url,
        skm_secret="bench-secret-0123456789abcdef0123456789",
    )
    if engine_name == "postgresql":
        probe = open_runtime(settings, prepare=False)
        with probe.engine.begin() as conn:
            names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        probe.close()
    runtime = open_runtime(settings)
    runtime.clock = lambda: NOW
    try:
        begin = time.perf_counter()
        open_numbers = fill(runtime, args.incidents, args.open)
        if engine_name == "postgresql":
            _analyze(runtime.engine)
        filled = time.perf_counter() - begin
        meter = SqlMeter()
        meter.attach(runtime.engine)
        index_figures = indexes(runtime, meter, args.repeat)
        sizes = sorted({s for s in args.sizes if s <= len(open_numbers)} | {len(open_numbers)})
        listing = await tindaklanjut(runtime, meter, sizes, args.repeat, open_numbers[0])
    finally:
        runtime.close()
    return {
        "engine": engine_name,
        "incidents": args.incidents,
        "open_cases": len(open_numbers),
        "fill_seconds": round(filled, 1),
        "tindaklanjut": listing,
        "database": index_figures,
        "startup": startup(args.repeat),
    }


def main() -> None:
    """Parse arguments, run, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=20_000)
    parser.add_argument("--open", type=int, default=300, help="open cases (bawaan: 300)")
    parser.add_argument(
        "--sizes",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[0, 10, 30, 31, 100],
        help="numbers of open cases measured (bawaan: 0,10,30,31,100 and --open)",
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (bawaan: SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        figures = asyncio.run(run(args, url))
    RESULTS.mkdir(exist_ok=True)
    name = f"queries-{figures['engine']}-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    (RESULTS / name).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
