"""Benchmark: the IKU report computed by the database against loading every row.

Fills a database with a large year of incidents and SKM responses, then measures in
the same process:

- baseline: what a naive implementation does, loading every incident and response
  of the year into Python and counting there (``compute_skm`` over all answers);
- measured: ``domain.report.iku_report``, whose aggregates are COUNT/SUM/GROUP BY
  queries over indexed date ranges.

Both must agree on every figure; the script prints time and peak Python memory as
ratios measured / baseline (lower is better) and writes them to bench/results/.

    uv run python -m bench.bench_report --incidents 100000 --responses 100000
    uv run python -m bench.bench_report --database-url postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, insert, select, text
from sqlmodel import SQLModel, col

from domain.handling import handling_percentage
from domain.models import IncidentKind, IncidentStatus
from domain.period import Period
from domain.report import iku_report
from domain.skm import UNSUR, SkmResult, compute_skm
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.seed import packaged_kecamatan, seed_kecamatan
from storage.tables import IncidentRow, SkmResponseRow, metadata
from storage.uow import SqlUnitOfWork

T = TypeVar("T")
YEAR = 2026
BATCH = 5000
RESULTS = Path(__file__).resolve().parent / "results"


def fill(engine: Engine, incidents: int, responses: int, seed: int = 7) -> int:
    """Insert a year of data (plus some of the year before); returns the kecamatan id."""
    rng = random.Random(seed)
    factory = make_session_factory(engine)
    larangan = packaged_kecamatan("35.28.08")
    assert larangan is not None
    with SqlUnitOfWork(factory) as uow:
        seed_kecamatan(uow, larangan)
        uow.commit()
        kec = uow.kecamatan.get_by_code("35.28.08")
        assert kec is not None
        desa_ids = [d.id for d in uow.desa.list_by_kecamatan(kec.id)]
    start = date(YEAR - 1, 7, 1)
    statuses = [s.value for s in IncidentStatus]
    batch: list[dict[str, Any]] = []
    seq = {(kind, year): 0 for kind in IncidentKind for year in (YEAR - 1, YEAR)}
    with engine.begin() as conn:
        for _ in range(incidents):
            kind = rng.choice(list(IncidentKind))
            day = start + timedelta(days=rng.randrange(549))
            seq[(kind, day.year)] += 1
            number = seq[(kind, day.year)]
            received = datetime(day.year, day.month, day.day, 5, tzinfo=UTC)
            batch.append(
                {
                    "nomor": f"{kind.prefix}-{day.year}-{number:06d}",
                    "kind": kind.value,
                    "tahun": day.year,
                    "seq": number,
                    "kecamatan_id": kec.id,
                    "desa_id": rng.choice(desa_ids),
                    "event_date": day,
                    "received_at": received,
                    "category": "lainnya",
                    "description": "Kejadian untuk pengukuran",
                    "status": rng.choice(statuses),
                    "version": 1,
                    "created_at": received,
                    "updated_at": received,
                }
            )
            batch = _flush(conn, IncidentRow, batch)
        batch = _flush(conn, IncidentRow, batch, final=True)
        now = datetime.now(UTC)
        for _ in range(responses):
            row: dict[str, Any] = {
                "kecamatan_id": kec.id,
                "survey_date": start + timedelta(days=rng.randrange(549)),
                "source": "bench",
                "created_at": now,
            }
            for key in UNSUR:
                row[f"u_{key}"] = None if rng.random() < 0.02 else rng.choice((2, 3, 3, 4, 4))
            batch.append(row)
            batch = _flush(conn, SkmResponseRow, batch)
        _flush(conn, SkmResponseRow, batch, final=True)
    return kec.id


def _flush(
    conn: Connection, table: type[SQLModel], batch: list[dict[str, Any]], final: bool = False
) -> list[dict[str, Any]]:
    """Insert ``batch`` once it is full (or, with ``final``, whatever is left)."""
    if batch and (final or len(batch) >= BATCH):
        conn.execute(insert(table), batch)
        return []
    return batch


def naive(engine: Engine, kecamatan_id: int, period: Period) -> dict[str, Any]:
    """The baseline: every row of the period loaded into Python and counted there."""
    factory = make_session_factory(engine)
    out: dict[str, Any] = {}
    with factory() as session:
        for kind in IncidentKind:
            rows = session.scalars(
                select(IncidentRow).where(
                    col(IncidentRow.kecamatan_id) == kecamatan_id,
                    col(IncidentRow.kind) == kind.value,
                    col(IncidentRow.event_date) >= period.start,
                    col(IncidentRow.event_date) <= period.end,
                )
            ).all()
            handled = sum(1 for r in rows if r.status == IncidentStatus.TERTANGANI.value)
            out[kind.value] = handling_percentage(len(rows), handled).percent
        responses = session.scalars(
            select(SkmResponseRow).where(
                col(SkmResponseRow.kecamatan_id) == kecamatan_id,
                col(SkmResponseRow.survey_date) >= period.start,
                col(SkmResponseRow.survey_date) <= period.end,
            )
        ).all()
        result: SkmResult = compute_skm(
            {key: getattr(r, f"u_{key}") for key in UNSUR} for r in responses
        )
        out["nik"] = result.nik
        out["respondents"] = result.respondents
    return out


def measured(engine: Engine, period: Period) -> dict[str, Any]:
    """The project's report: aggregates computed by the database."""
    with SqlUnitOfWork(make_session_factory(engine)) as uow:
        report = iku_report(uow, kecamatan_code="35.28.08", period=period, now=datetime.now(UTC))
    assert report.skm.result is not None
    return {
        "konflik": report.konflik.result.percent,
        "trantibum": report.trantibum.result.percent,
        "nik": report.skm.result.nik,
        "respondents": report.skm.respondents,
    }


def timed(function: Callable[[], T], repeat: int) -> tuple[T, float, int]:
    """Median seconds over ``repeat`` runs and the peak traced memory of one run."""
    result = function()  # warm-up: caches, query compilation
    seconds = []
    for _ in range(repeat):
        begin = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - begin)
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, statistics.median(seconds), peak


def main() -> None:
    """Run the benchmark and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (bawaan: SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        upgrade(url)
        engine = make_engine(url)
        try:
            if engine.dialect.name == "postgresql":
                with engine.begin() as conn:
                    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
                    conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            begin = time.perf_counter()
            kec_id = fill(engine, args.incidents, args.responses)
            if engine.dialect.name == "postgresql":
                with engine.begin() as conn:
                    conn.execute(text("ANALYZE"))
            filled = time.perf_counter() - begin
            period = Period.year(YEAR)
            base, base_s, base_mem = timed(lambda: naive(engine, kec_id, period), args.repeat)
            ours, ours_s, ours_mem = timed(lambda: measured(engine, period), args.repeat)
        finally:
            engine.dispose()
    if base != ours:
        raise SystemExit(f"hasil berbeda: baseline {base} != report {ours}")
    summary = {
        "engine": url.split(":", 1)[0],
        "incidents": args.incidents,
        "responses": args.responses,
        "fill_seconds": round(filled, 2),
        "baseline_seconds": round(base_s, 4),
        "report_seconds": round(ours_s, 4),
        "time_ratio": round(ours_s / base_s, 4),
        "baseline_peak_bytes": base_mem,
        "report_peak_bytes": ours_mem,
        "memory_ratio": round(ours_mem / base_mem, 4),
        "figures": {k: str(v) for k, v in ours.items()},
    }
    RESULTS.mkdir(exist_ok=True)
    name = f"report-{summary['engine']}-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    (RESULTS / name).write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
