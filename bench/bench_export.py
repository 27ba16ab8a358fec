"""Benchmark: the data of the Excel report against loading every row of the year.

Fills a database with a kabupaten-size year (incidents and SKM responses with a
respondent profile and some suggestions), then measures in the same process:

- baseline: a naive export that loads every SKM response of the year into Python and
  counts the profile and the unsur sums there, and lists the incidents;
- measured: ``domain.export.export_data``, whose SKM figures are COUNT/SUM/GROUP BY
  queries; only incidents and suggestions are listed row by row.

Both must agree on the respondents and the profile counts. Then the workbook of that
data, also in the same process, runs alternating with its baseline (median of at least
5 runs each after a warm-up):

- baseline: the same workbook with every cell an openpyxl cell, saved by openpyxl's own
  writer (how it was written before :mod:`bot.reports.sheet_rows`);
- measured: ``bot.reports.workbook.report_workbook``, the table rows written as XML text.

Both workbooks must hold the same cells (values, number formats, styles) and sheets.
Printed as ratios measured / baseline (lower is better); written to bench/results/.

With ``--large URL`` nothing is written to the database: the kecamatan-year of the large
database made by ``bench.generate`` (Larangan 2026, as ``bench.bench_scale``) is
exported, its data timed, and its workbook measured against the baseline as above.

    uv run python -m bench.bench_export --incidents 5000 --responses 50000
    uv run python -m bench.bench_export --database-url postgresql+psycopg://...
    uv run python -m bench.bench_export --large sqlite:///bench/besar.db
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, insert, select, text
from sqlmodel import col

from bench.bench_report import RESULTS, timed
from bench.support import bench_settings
from bot.reports.printing import PrintSetup, setup_for
from bot.reports.workbook import build_workbook, report_workbook
from bot.runtime import open_runtime
from domain.export import AGE_GROUPS, ExportData, Viewer, export_data
from domain.models import IncidentKind, IncidentStatus
from domain.period import Period
from domain.skm import PEKERJAAN, PENDIDIKAN, UNSUR
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.seed import packaged_kecamatan, seed_kecamatan
from storage.tables import IncidentRow, SkmResponseRow, metadata
from storage.uow import SqlUnitOfWork

YEAR = 2026
BATCH = 5000
WIB = ZoneInfo("Asia/Jakarta")
MIN_REPEAT = 5  # runs of each workbook writer, at least
LARGE_KECAMATAN = "35.28.08"  # the kecamatan-year bench.bench_scale exports
LARGE_NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def fill(engine: Engine, incidents: int, responses: int, seed: int = 11) -> int:
    """A year of incidents and profiled responses (plus some of the year before)."""
    rng = random.Random(seed)
    larangan = packaged_kecamatan("35.28.08")
    assert larangan is not None
    with SqlUnitOfWork(make_session_factory(engine)) as uow:
        seed_kecamatan(uow, larangan)
        uow.commit()
        kec = uow.kecamatan.get_by_code("35.28.08")
        assert kec is not None
        desa_ids = [d.id for d in uow.desa.list_by_kecamatan(kec.id)]
    start = date(YEAR - 1, 10, 1)
    days = (date(YEAR, 12, 31) - start).days + 1
    seq: Counter[tuple[IncidentKind, int]] = Counter()
    with engine.begin() as conn:
        rows: list[dict[str, Any]] = []
        for _ in range(incidents):
            kind = rng.choice(list(IncidentKind))
            day = start + timedelta(days=rng.randrange(days))
            seq[(kind, day.year)] += 1
            received = datetime(day.year, day.month, day.day, 3, tzinfo=UTC)
            status = rng.choice(list(IncidentStatus))
            rows.append(
                {
                    "nomor": f"{kind.prefix}-{day.year}-{seq[(kind, day.year)]:06d}",
                    "kind": kind.value,
                    "tahun": day.year,
                    "seq": seq[(kind, day.year)],
                    "kecamatan_id": kec.id,
                    "desa_id": rng.choice(desa_ids),
                    "event_date": day,
                    "received_at": received,
                    "category": "lainnya",
                    "description": "Kejadian untuk pengukuran ekspor",
                    "status": status.value,
                    "handled_at": received + timedelta(days=2)
                    if status is IncidentStatus.TERTANGANI
                    else None,
                    "version": 1,
                    "created_at": received,
                    "updated_at": received,
                }
            )
            if len(rows) >= BATCH:
                conn.execute(insert(IncidentRow), rows)
                rows = []
        if rows:
            conn.execute(insert(IncidentRow), rows)
        rows = []
        for _ in range(responses):
            day = start + timedelta(days=rng.randrange(days))
            row: dict[str, Any] = {
                "kecamatan_id": kec.id,
                "survey_date": day,
                "source": "bench",
                "created_at": datetime(day.year, day.month, day.day, tzinfo=UTC),
                "jenis_kelamin": rng.choice(("L", "P", None)),
                "usia": rng.choice((None, *range(15, 90))),
                "pendidikan": rng.choice((None, *PENDIDIKAN)),
                "pekerjaan": rng.choice((None, *PEKERJAAN)),
                "saran": "Pelayanan sudah baik" if rng.random() < 0.05 else None,
            }
            for key in UNSUR:
                row[f"u_{key}"] = rng.choice((2, 3, 3, 4, 4))
            rows.append(row)
            if len(rows) >= BATCH:
                conn.execute(insert(SkmResponseRow), rows)
                rows = []
        if rows:
            conn.execute(insert(SkmResponseRow), rows)
    return kec.id


def _age_group(age: int | None) -> int | None:
    """The lower bound of an age's group, as the database query groups it."""
    if age is None:
        return None
    return max((g.start for g in AGE_GROUPS if g.start <= age), default=AGE_GROUPS[0].start)


def naive(engine: Engine, kecamatan_id: int, period: Period) -> dict[str, Any]:
    """The baseline: every response and incident of the period loaded and counted here."""
    with make_session_factory(engine)() as session:
        incidents = session.scalars(
            select(IncidentRow).where(
                col(IncidentRow.kecamatan_id) == kecamatan_id,
                col(IncidentRow.event_date) >= period.start,
                col(IncidentRow.event_date) <= period.end,
            )
        ).all()
        responses = session.scalars(
            select(SkmResponseRow).where(
                col(SkmResponseRow.kecamatan_id) == kecamatan_id,
                col(SkmResponseRow.survey_date) >= period.start,
                col(SkmResponseRow.survey_date) <= period.end,
            )
        ).all()
        sums = {key: sum(getattr(r, f"u_{key}") or 0 for r in responses) for key in UNSUR}
        return {
            "incidents": len(incidents),
            "respondents": len(responses),
            "sums": sums,
            "jenis_kelamin": dict(Counter(r.jenis_kelamin for r in responses)),
            "usia": dict(Counter(_age_group(r.usia) for r in responses)),
            "suggestions": sum(1 for r in responses if r.saran),
        }


def _figures(data: ExportData) -> dict[str, Any]:
    tables = {t.question: t for t in data.profile}
    labels = {g.label: g.start for g in AGE_GROUPS}
    return {
        "incidents": len(data.konflik) + len(data.trantibum),
        "respondents": data.report.skm.respondents,
        "sums": {line.key: line.total for line in data.unsur},
        "jenis_kelamin": {
            {"Laki-laki": "L", "Perempuan": "P", None: None}[line.label]: line.count
            for line in tables["jenis_kelamin"].lines
            if line.count
        },
        "usia": {
            (None if line.label is None else labels[line.label]): line.count
            for line in tables["usia"].lines
            if line.count
        },
        "suggestions": len(data.suggestions),
    }


def measured(engine: Engine, period: Period) -> ExportData:
    """The project's export data: aggregates computed by the database."""
    with SqlUnitOfWork(make_session_factory(engine)) as uow:
        return export_data(
            uow,
            viewer=Viewer.operator(),
            kecamatan_code="35.28.08",
            period=period,
            now=datetime.now(WIB),
        )


def openpyxl_workbook(data: ExportData, tz: tzinfo, setup: PrintSetup | None = None) -> bytes:
    """The workbook baseline: every cell an openpyxl cell, written by openpyxl's writer."""
    workbook, stores = build_workbook(data, tz, setup)
    for store in stores:
        store.materialize_all()
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def paired(
    baseline: Callable[[], bytes], measured: Callable[[], bytes], repeat: int
) -> tuple[bytes, bytes, float, float]:
    """Both results and the median seconds of each, run alternately after a warm-up each.

    Alternating keeps a machine shared with other work from favouring either side.
    """
    base, ours = baseline(), measured()
    base_s: list[float] = []
    ours_s: list[float] = []
    for _ in range(repeat):
        begin = time.perf_counter()
        base = baseline()
        base_s.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        ours = measured()
        ours_s.append(time.perf_counter() - begin)
    return base, ours, statistics.median(base_s), statistics.median(ours_s)


def same_workbook(expected: bytes, actual: bytes) -> str | None:
    """What differs between two workbooks read back with openpyxl (None: nothing).

    Every cell's value, type, number format and style, and each sheet's used range,
    merged cells, frozen panes, print titles, column widths and row heights.
    """
    from openpyxl import load_workbook

    first, second = load_workbook(BytesIO(expected)), load_workbook(BytesIO(actual))
    if first.sheetnames != second.sheetnames:
        return f"lembar {first.sheetnames} != {second.sheetnames}"
    for name in first.sheetnames:
        one, two = first[name], second[name]
        facts = [
            (
                sheet.dimensions,
                sorted(str(r) for r in sheet.merged_cells.ranges),
                sheet.freeze_panes,
                sheet.print_title_rows,
                {k: d.width for k, d in sheet.column_dimensions.items()},
                {k: d.height for k, d in sheet.row_dimensions.items() if d.height},
            )
            for sheet in (one, two)
        ]
        if facts[0] != facts[1]:
            return f"{name}: {facts[0]} != {facts[1]}"
        for row_one, row_two in zip(one.iter_rows(), two.iter_rows(), strict=True):
            for a, b in zip(row_one, row_two, strict=True):
                shown = [
                    (
                        c.value,
                        c.data_type,
                        c.number_format,
                        c.style,
                        c.quotePrefix,
                        *(repr(x) for x in (c.font, c.fill, c.border, c.alignment)),
                    )
                    for c in (a, b)
                ]
                if shown[0] != shown[1]:
                    return f"{name}!{a.coordinate}: {shown[0]} != {shown[1]}"
    return None


def measure_workbook(
    data: ExportData, tz: tzinfo, setup: PrintSetup | None, repeat: int
) -> dict[str, Any]:
    """The workbook against its baseline, paired; both must hold the same cells."""
    base, ours, base_s, ours_s = paired(
        lambda: openpyxl_workbook(data, tz, setup),
        lambda: report_workbook(data, tz, setup),
        max(repeat, MIN_REPEAT),
    )
    differs = same_workbook(base, ours)
    if differs is not None:
        raise SystemExit(f"buku kerja berbeda dengan pembanding: {differs}")
    return {
        "workbook_baseline_seconds": round(base_s, 4),
        "workbook_seconds": round(ours_s, 4),
        "workbook_ratio": round(ours_s / base_s, 4),
        "workbook_baseline_bytes": len(base),
        "workbook_bytes": len(ours),
    }


def large(url: str, repeat: int) -> dict[str, Any]:
    """The kecamatan-year of the large database (read only): its data and its workbook."""
    with tempfile.TemporaryDirectory() as folder:
        settings = bench_settings(url, Path(folder))
        runtime = open_runtime(settings)
        try:
            kecamatan = runtime.kecamatan(LARGE_KECAMATAN)

            def exported() -> ExportData:
                with runtime.uow() as uow:
                    return export_data(
                        uow,
                        viewer=Viewer.operator(),
                        kecamatan_code=LARGE_KECAMATAN,
                        period=Period.year(YEAR),
                        now=LARGE_NOW,
                    )

            data, data_s, _ = timed(exported, max(repeat, MIN_REPEAT))
            setup = setup_for(settings, kecamatan)
        finally:
            runtime.close()
        figures = measure_workbook(data, settings.tz, setup, repeat)
    return {
        "engine": url.split(":", 1)[0].split("+", 1)[0],
        "database": "large",
        "listed_incidents": len(data.konflik) + len(data.trantibum),
        "export_data_seconds": round(data_s, 4),
        **figures,
        "export_seconds": round(data_s + figures["workbook_seconds"], 4),
        "export_baseline_seconds": round(data_s + figures["workbook_baseline_seconds"], 4),
    }


def main() -> None:
    """Run the benchmark and print the ratios."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--incidents", type=int, default=5_000)
    parser.add_argument("--responses", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (bawaan: SQLite)")
    parser.add_argument("--large", metavar="URL", help="the large database (read only)")
    args = parser.parse_args()
    if args.large:
        _save(large(args.large, args.repeat))
        return
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        upgrade(url)
        engine = make_engine(url)
        try:
            if engine.dialect.name == "postgresql":
                with engine.begin() as conn:
                    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
                    conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            kec_id = fill(engine, args.incidents, args.responses)
            if engine.dialect.name == "postgresql":
                with engine.begin() as conn:
                    conn.execute(text("ANALYZE"))
            period = Period.year(YEAR)
            base, base_s, base_mem = timed(lambda: naive(engine, kec_id, period), args.repeat)
            data, ours_s, ours_mem = timed(lambda: measured(engine, period), args.repeat)
        finally:
            engine.dispose()
    ours = _figures(data)
    if base != ours:
        raise SystemExit(f"hasil berbeda: baseline {base} != ekspor {ours}")
    summary = {
        "engine": url.split(":", 1)[0],
        "incidents": args.incidents,
        "responses": args.responses,
        "listed_incidents": ours["incidents"],
        "respondents": ours["respondents"],
        "baseline_seconds": round(base_s, 4),
        "export_data_seconds": round(ours_s, 4),
        "time_ratio": round(ours_s / base_s, 4),
        "baseline_peak_bytes": base_mem,
        "export_data_peak_bytes": ours_mem,
        "memory_ratio": round(ours_mem / base_mem, 4),
        **measure_workbook(data, WIB, None, args.repeat),
    }
    _save(summary)


def _save(summary: dict[str, Any]) -> None:
    """Print the figures and write them to bench/results/."""
    RESULTS.mkdir(exist_ok=True)
    engine = summary["engine"].split("+", 1)[0]
    name = f"export-{engine}-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    (RESULTS / name).write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
