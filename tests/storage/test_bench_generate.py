"""The benchmark database generator (bench/generate.py), small, on both engines.

It must write what the bot itself would: counts that the IKU report reads back, tracking
counters that let new reports continue each numbering, and ids past the generated ones.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bench.generate import Scale, generate
from domain.models import IncidentKind
from domain.period import Period
from domain.report import iku_report
from storage.engine import make_engine, make_session_factory
from storage.uow import SqlUnitOfWork
from tests.factories import make_incident

SMALL = Scale(kecamatan=3, desa=24, incidents=3000, responses=400)


def _scalar(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar() or 0)


def test_the_generated_kabupaten_has_the_rows_asked_for(engine: Engine, database_url: str) -> None:
    counts = generate(engine, database_url, SMALL, seed=5)

    assert counts.rows["incident"] == 3000 == _scalar(engine, "SELECT COUNT(*) FROM incident")
    assert counts.rows["skm_response"] == 400
    assert _scalar(engine, "SELECT COUNT(*) FROM kecamatan") == 3
    assert _scalar(engine, "SELECT COUNT(*) FROM desa") == 24
    events = _scalar(engine, "SELECT COUNT(*) FROM incident_event")
    assert 2.7 <= events / 3000 <= 3.1
    # Every handled case has its time and its "tertangani" event; no other case has either.
    assert (
        _scalar(
            engine,
            "SELECT COUNT(*) FROM incident i WHERE (i.status = 'tertangani') <> "
            "(i.handled_at IS NOT NULL AND EXISTS (SELECT 1 FROM incident_event e "
            "WHERE e.incident_id = i.id AND e.to_status = 'tertangani'))",
        )
        == 0
    )
    # Each desa has its index every year: IDM 2016-2024, Indeks Desa 2025.
    assert _scalar(engine, "SELECT COUNT(*) FROM idm_result WHERE indeks = 'idm'") == 24 * 9
    assert _scalar(engine, "SELECT COUNT(*) FROM idm_result WHERE indeks = 'indeks_desa'") == 24


def test_the_report_reads_back_what_was_generated(engine: Engine, database_url: str) -> None:
    generate(engine, database_url, SMALL, seed=5)
    with SqlUnitOfWork(make_session_factory(engine)) as uow:
        report = iku_report(
            uow, kecamatan_code="35.28.08", period=Period.year(2024), now=datetime.now(UTC)
        )
    kec_id = report.kecamatan.id
    konflik = _scalar(
        engine,
        f"SELECT COUNT(*) FROM incident WHERE kecamatan_id = {kec_id} AND kind = 'konflik' "
        "AND event_date BETWEEN '2024-01-01' AND '2024-12-31'",
    )
    assert konflik > 0
    assert report.konflik.result.total == konflik
    assert report.idm.with_data == report.desa_count == 14


@pytest.mark.parametrize("kind", list(IncidentKind))
def test_a_new_report_continues_the_generated_numbering(
    engine: Engine, database_url: str, kind: IncidentKind
) -> None:
    generate(engine, database_url, SMALL, seed=5)
    highest_id = _scalar(engine, "SELECT MAX(id) FROM incident")
    with SqlUnitOfWork(make_session_factory(engine)) as uow:
        kec = uow.kecamatan.get_by_code("35.28.08")
        assert kec is not None
        desa = uow.desa.list_by_kecamatan(kec.id)[0]
        received = datetime(2026, 11, 30, 3, tzinfo=UTC)
        last = _scalar(
            engine,
            f"SELECT MAX(seq) FROM incident WHERE kind = '{kind.value}' AND tahun = 2026"
            + (f" AND kecamatan_id = {kec.id}" if _per_kecamatan(engine) else ""),
        )
        added = uow.incidents.add(make_incident(desa, kind=kind, received_at=received))
        uow.commit()
    assert added.id > highest_id
    assert added.nomor.endswith(f"-2026-{last + 1:04d}")


def _per_kecamatan(engine: Engine) -> bool:
    with engine.connect() as conn:
        columns = conn.execute(text("SELECT * FROM tracking_counter LIMIT 0")).keys()
    return "kecamatan_id" in columns


def test_the_same_seed_gives_the_same_database(tmp_path: Path) -> None:
    digests = []
    for name in ("a", "b"):
        url = f"sqlite:///{tmp_path / name}.db"
        eng = make_engine(url)
        try:
            generate(eng, url, Scale(kecamatan=2, desa=20, incidents=500, responses=50), seed=9)
            with eng.connect() as conn:
                digests.append(
                    conn.execute(
                        text(
                            "SELECT group_concat(nomor || status || desa_id || event_date, ',') "
                            "FROM (SELECT * FROM incident ORDER BY id)"
                        )
                    ).scalar()
                )
        finally:
            eng.dispose()
    assert digests[0] == digests[1]
    assert digests[0]
