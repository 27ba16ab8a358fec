"""Benchmark: composing the weekly digest against the /ringkasan report it extends.

Fills a database like bench_report (a large year of incidents and SKM responses),
then measures in the same process:

- baseline: ``iku_report`` for the year to date (what /ringkasan computes);
- measured: ``weekly_digest`` for the last complete week (two IKU tables for the
  arrows, the week's incidents, open cases, completeness, 12 weeks of history),
  and the digest's chart drawn by matplotlib.

Prints time and peak Python memory as ratios measured / baseline and writes them to
bench/results/.

    uv run python -m bench.bench_digest --incidents 50000 --responses 50000
    uv run python -m bench.bench_digest --database-url postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import json
import tempfile
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import text

from bench.bench_report import RESULTS, fill, timed
from bot.digest.chart import digest_chart
from domain.digest import IsoWeek, WeeklyDigest, weekly_digest
from domain.period import Period
from domain.report import IkuReport, iku_report
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.tables import metadata
from storage.uow import SqlUnitOfWork

TZ = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 30, 7, 0, tzinfo=TZ)
WEEK = IsoWeek(2026, 48)


def main() -> None:
    """Run the benchmark and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=50_000)
    parser.add_argument("--responses", type=int, default=50_000)
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
            fill(engine, args.incidents, args.responses)
            if engine.dialect.name == "postgresql":
                with engine.begin() as conn:
                    conn.execute(text("ANALYZE"))
            factory = make_session_factory(engine)

            def baseline() -> IkuReport:
                with SqlUnitOfWork(factory) as uow:
                    return iku_report(
                        uow,
                        kecamatan_code="35.28.08",
                        period=Period.year_to_date(WEEK.end),
                        now=NOW,
                    )

            def digest() -> WeeklyDigest:
                with SqlUnitOfWork(factory) as uow:
                    return weekly_digest(
                        uow,
                        kecamatan_code="35.28.08",
                        week=WEEK,
                        now=NOW,
                        overdue_days=7,
                        tz=TZ,
                    )

            report, base_s, base_mem = timed(baseline, args.repeat)
            composed, digest_s, digest_mem = timed(digest, args.repeat)
            png, chart_s, _ = timed(
                lambda: digest_chart(composed.history, composed.report, "Larangan"), args.repeat
            )
        finally:
            engine.dispose()
    if composed.report.rows != report.rows:
        raise SystemExit("tabel IKU ringkasan berbeda dengan /ringkasan")
    summary = {
        "engine": url.split(":", 1)[0],
        "incidents": args.incidents,
        "responses": args.responses,
        "open_cases": len(composed.open_cases),
        "baseline_seconds": round(base_s, 4),
        "digest_seconds": round(digest_s, 4),
        "chart_seconds": round(chart_s, 4),
        "digest_time_ratio": round(digest_s / base_s, 2),
        "chart_time_ratio": round(chart_s / base_s, 2),
        "baseline_peak_bytes": base_mem,
        "digest_peak_bytes": digest_mem,
        "digest_memory_ratio": round(digest_mem / base_mem, 2),
        "chart_bytes": len(png),
    }
    RESULTS.mkdir(exist_ok=True)
    name = f"digest-{summary['engine']}-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    (RESULTS / name).write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
