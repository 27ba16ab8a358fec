"""Benchmark: the reads of a whole kabupaten on the large database, against a naive baseline.

Runs on a database filled by ``bench.generate`` (13 kecamatan, 194 desa, ten years,
1,000,000 incidents, 200,000 SKM responses) and measures in the same process, each the
median of ``--repeat`` runs (at least 5) after a warm-up:

- baseline: one kecamatan-year loaded row by row into Python and counted there
  (``bench.bench_report.naive``), the cost any implementation without aggregates pays;
- the IKU table of one kecamatan-year (``domain.report.iku_report``);
- the kabupaten recap of every kecamatan (``domain.kabupaten.kabupaten_recap``);
- the weekly digest's composition of one kecamatan: figures, text and chart, as the
  scheduler composes it (``DigestService.compose``), twice: the first digest ever (the
  previous week's figures, for the arrows, computed again) and the steady state of
  every later week (they are read from the previous week's digest log). For the
  second the benchmark writes one digest log row for the previous week, with a chat id
  no group has, and deletes it afterwards;
- the full Excel export of a kecamatan-year: its data (``export_data``) and the workbook.

The IKU table and the baseline must agree on every figure. Prints seconds and ratios
(measured / baseline) and writes them to bench/results/scale-<engine>.json.

    uv run python -m bench.generate --database-url sqlite:///bench/besar.db
    uv run python -m bench.bench_scale --database-url sqlite:///bench/besar.db
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import text

from bench.bench_report import naive
from bench.support import bench_settings
from bot.digest.sender import DigestService
from bot.reports.printing import setup_for
from bot.reports.workbook import report_workbook
from bot.runtime import Runtime, open_runtime
from domain.digest import IsoWeek, figures_of, table_period
from domain.export import Viewer, export_data
from domain.kabupaten import kabupaten_recap
from domain.period import Period
from domain.report import iku_report

T = TypeVar("T")
RESULTS = Path(__file__).resolve().parent / "results"
MIN_REPEAT = 5
KECAMATAN = "35.28.08"
KABUPATEN = "35.28"
YEAR = 2026
WEEK = IsoWeek(2026, 48)
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
BENCH_CHAT = -999_000_000_001  # no group has it: the benchmark's own digest log row


def timed(function: Callable[[], T], repeat: int) -> tuple[T, float]:
    """The result and the median seconds of ``repeat`` runs after one warm-up."""
    result = function()
    seconds = []
    for _ in range(repeat):
        begin = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - begin)
    return result, statistics.median(seconds)


@contextmanager
def previous_week_logged(runtime: Runtime, kecamatan_id: int) -> Iterator[None]:
    """A sent digest of the week before ``WEEK`` with its figures, removed afterwards."""
    previous = WEEK.previous()
    with runtime.uow() as uow:
        kecamatan = uow.kecamatan.get(kecamatan_id)
        assert kecamatan is not None
        before = table_period(previous, NOW.date())
        report = iku_report(uow, kecamatan_code=kecamatan.kode, period=before, now=NOW)
        log = uow.digests.claim(
            kecamatan_id=kecamatan_id,
            chat_id=BENCH_CHAT,
            week_key=previous.key,
            at=NOW,
            stale_before=NOW,
        )
        assert log is not None, "log digest minggu sebelumnya sudah ada"
        uow.digests.finish(log.id, at=NOW, figures=figures_of(report))
        uow.commit()
    try:
        yield
    finally:
        with runtime.engine.begin() as connection:
            connection.execute(
                text("DELETE FROM digest_log WHERE chat_id = :chat AND week_key = :week"),
                {"chat": BENCH_CHAT, "week": previous.key},
            )


def run(url: str, repeat: int) -> dict[str, Any]:
    """Every measurement on the database at ``url`` (read only)."""
    with tempfile.TemporaryDirectory() as folder:
        settings = bench_settings(url, Path(folder))
        runtime = open_runtime(settings)
        try:
            kecamatan = runtime.kecamatan(KECAMATAN)
            period = Period.year(YEAR)

            def table() -> Any:
                with runtime.uow() as uow:
                    return iku_report(uow, kecamatan_code=KECAMATAN, period=period, now=NOW)

            def recap() -> Any:
                with runtime.uow() as uow:
                    return kabupaten_recap(uow, kabupaten_code=KABUPATEN, period=period, now=NOW)

            digests = DigestService(runtime, settings)

            def data() -> Any:
                with runtime.uow() as uow:
                    return export_data(
                        uow,
                        viewer=Viewer.operator(),
                        kecamatan_code=KECAMATAN,
                        period=period,
                        now=NOW,
                    )

            setup = setup_for(settings, kecamatan)
            base, base_s = timed(lambda: naive(runtime.engine, kecamatan.id, period), repeat)
            report, table_s = timed(table, repeat)
            recapped, recap_s = timed(recap, repeat)
            _, digest_s = timed(lambda: digests.compose(KECAMATAN, WEEK, NOW), repeat)
            with previous_week_logged(runtime, kecamatan.id):
                steady, steady_s = timed(lambda: digests.compose(KECAMATAN, WEEK, NOW), repeat)
            assert steady.digest.compared_with == "digest"
            exported, data_s = timed(data, repeat)
            content, workbook_s = timed(
                lambda: report_workbook(exported, settings.tz, setup), repeat
            )
        finally:
            runtime.close()
    assert report.skm.result is not None
    ours = {
        "konflik": report.konflik.result.percent,
        "trantibum": report.trantibum.result.percent,
        "nik": report.skm.result.nik,
        "respondents": report.skm.respondents,
    }
    expected = {k: base[k] for k in ("konflik", "trantibum", "nik", "respondents")}
    if ours != expected:
        raise SystemExit(f"tabel IKU berbeda dengan pembanding: {ours} != {expected}")
    export_s = data_s + workbook_s
    return {
        "engine": url.split(":", 1)[0].split("+", 1)[0],
        "kecamatan": len(recapped.kecamatan),
        "repeat": repeat,
        "baseline_seconds": round(base_s, 4),
        "iku_table_seconds": round(table_s, 4),
        "iku_table_ratio": round(table_s / base_s, 4),
        "kabupaten_recap_seconds": round(recap_s, 4),
        "kabupaten_recap_ratio": round(recap_s / base_s, 4),
        "digest_first_compose_seconds": round(digest_s, 4),
        "digest_compose_seconds": round(steady_s, 4),
        "digest_compose_ratio": round(steady_s / base_s, 4),
        "export_data_seconds": round(data_s, 4),
        "export_workbook_seconds": round(workbook_s, 4),
        "export_seconds": round(export_s, 4),
        "export_ratio": round(export_s / base_s, 4),
        "workbook_bytes": len(content),
    }


def main() -> None:
    """Parse the arguments, run, print and save the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", required=True, help="diisi oleh bench.generate")
    parser.add_argument("--repeat", type=int, default=MIN_REPEAT)
    args = parser.parse_args()
    if args.repeat < MIN_REPEAT:
        parser.error(f"--repeat at least {MIN_REPEAT}")
    figures = run(args.database_url, args.repeat)
    for key, value in figures.items():
        print(f"{key:>26}: {value}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"scale-{figures['engine']}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"tersimpan: {path}")


if __name__ == "__main__":
    main()
