"""The IKU report counts incidents by event date and only handled ones as handled."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from domain.models import IncidentKind, IncidentStatus
from storage.engine import make_engine, make_session_factory
from storage.uow import SqlUnitOfWork
from tests.cli.conftest import CliRunner
from tests.cli.test_cli import SAMPLES, indicator
from tests.factories import make_incident

RECEIVED = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)


def seed_incidents(url: str, plan: list[tuple[IncidentKind, date, IncidentStatus]]) -> None:
    """Store incidents of Larangan's first desa and move each to its planned status."""
    engine = make_engine(url)
    try:
        with SqlUnitOfWork(make_session_factory(engine)) as uow:
            kec = uow.kecamatan.get_by_code("35.28.08")
            assert kec is not None
            desa = uow.desa.list_by_kecamatan(kec.id)[0]
            for number, (kind, day, status) in enumerate(plan):
                stored = uow.incidents.add(
                    make_incident(
                        desa,
                        kind=kind,
                        event_date=day,
                        received_at=RECEIVED + timedelta(minutes=number),
                        category="lainnya",
                        description="Kejadian uji",
                    )
                )
                if status is not IncidentStatus.BARU:
                    moved = uow.incidents.change_status(
                        stored.id,
                        to_status=status,
                        note="uji",
                        user_id=None,
                        at=RECEIVED + timedelta(hours=1),
                        expected_version=stored.version,
                    )
                    assert moved is not None
            uow.commit()
    finally:
        engine.dispose()


def test_handled_percentages_per_kind_and_period(cli: CliRunner, database_url: str) -> None:
    assert cli("db", "upgrade").code == 0
    k, t = IncidentKind.KONFLIK, IncidentKind.TRANTIBUM
    done, busy, new = IncidentStatus.TERTANGANI, IncidentStatus.DIPROSES, IncidentStatus.BARU
    seed_incidents(
        database_url,
        [
            (k, date(2026, 1, 1), done),  # first day of Q1
            (k, date(2026, 3, 31), busy),  # last day of Q1
            (k, date(2026, 3, 15), new),
            (k, date(2026, 4, 1), done),  # Q2
            (t, date(2026, 2, 2), done),
            (t, date(2026, 2, 3), done),
            (t, date(2025, 12, 31), new),  # the year before
        ],
    )
    assert cli("target", "set", "konflik_tertangani", "2026", "100").code == 0
    q1 = cli("report", "--year", "2026", "--quarter", "1", "--format", "json").json()
    konflik = indicator(q1, "konflik_tertangani")
    assert konflik["realisasi"] == 33.33  # 1 of 3
    assert konflik["capaian"] == 33.33
    assert konflik["detail"] == {
        "total": 3,
        "tertangani": 1,
        "belum_tertangani": 2,
        "tidak_ada_kejadian": False,
        "persen": 33.33,
        "per_status": {"baru": 1, "diproses": 1, "tertangani": 1},
    }
    trantibum = indicator(q1, "trantibum_tertangani")
    assert trantibum["realisasi"] == 100
    assert trantibum["capaian"] is None  # no target set
    year = cli("report", "--year", "2026", "--format", "json").json()
    assert indicator(year, "konflik_tertangani")["realisasi"] == 50  # 2 of 4
    q3 = cli("report", "--year", "2026", "--quarter", "3", "--format", "json").json()
    empty = indicator(q3, "konflik_tertangani")
    assert empty["realisasi"] is None
    assert empty["detail"]["tidak_ada_kejadian"] is True  # type: ignore[index]
    text = cli("report", "--year", "2026", "--quarter", "1").out
    assert "33,33%" in text
    assert "Jumlah kejadian: 3; tertangani: 1; belum tertangani: 2." in text


def test_a_json_file_of_another_kecamatan_is_refused_whole(cli: CliRunner, cli_env: Path) -> None:
    folder = cli_env / "idm"
    folder.mkdir()
    (folder / "3511152001_2021.json").write_bytes((SAMPLES / "3511152001_2021.json").read_bytes())
    (folder / "rusak.json").write_text('{"mapData": {"SUMMARIES": ', encoding="utf-8")
    result = cli("import-idm", str(folder))
    assert result.code == 1
    assert "rusak.json: bukan JSON yang sah" in result.err
    assert "3511152001" in result.err  # not a registered desa
    assert "tidak ada data yang disimpan" in result.err
    report = cli("report", "--year", "2021", "--format", "json").json()
    assert indicator(report, "desa_mandiri")["realisasi"] is None


def test_a_json_file_with_a_score_out_of_range_names_the_field(
    cli: CliRunner, cli_env: Path
) -> None:
    doc = json.loads((SAMPLES / "3511152001_2021.json").read_text(encoding="utf-8"))
    # The same document for a Larangan desa.
    doc["mapData"]["IDENTITAS"][0]["id_desa"] = "3528040001"
    sample = cli_env / "3528040001_2021.json"
    sample.write_text(json.dumps(doc), encoding="utf-8")
    ok = cli("import-idm", str(sample))
    assert ok.code == 0, ok.err
    before = cli("report", "--year", "2021", "--format", "json").json()
    # Then with the economic index (IKE, ROW_CELL 58) pushed out of range.
    for row in doc["mapData"]["ROW"]:
        if row.get("ROW_CELL") == 58:
            row["SKOR"] = 1.2
    sample.write_text(json.dumps(doc), encoding="utf-8")
    result = cli("import-idm", str(sample))
    assert result.code == 1
    assert "3528040001_2021.json, kolom/isian mapData.ROW[ROW_CELL=58].SKOR (IKE)" in result.err
    assert "harus di antara 0 dan 1" in result.err
    after = cli("report", "--year", "2021", "--format", "json").json()
    assert indicator(after, "desa_mandiri") == indicator(before, "desa_mandiri")
