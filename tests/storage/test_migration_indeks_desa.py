"""Migration 0017: village index results say which index they are."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text

from storage.engine import make_engine
from storage.migrate import alembic_config, is_up_to_date, upgrade


def test_the_indeks_desa_migration_marks_old_results_idm_and_goes_back(
    database_url: str,
) -> None:
    config = alembic_config(database_url)
    command.downgrade(config, "0016")
    engine = make_engine(database_url)
    try:
        assert "indeks" not in {c["name"] for c in inspect(engine).get_columns("idm_result")}
        with engine.begin() as conn:
            kec = conn.execute(
                text(
                    "INSERT INTO kecamatan (kode, kode_bps, nama, kabupaten, provinsi, "
                    "service_examples_offered, created_at) VALUES ('35.28.08', '3528040', "
                    "'Larangan', 'Pamekasan', 'Jawa Timur', false, CURRENT_TIMESTAMP) "
                    "RETURNING id"
                )
            ).scalar_one()
            for i, kode in enumerate(("2001", "2002"), start=1):
                desa = conn.execute(
                    text(
                        "INSERT INTO desa (kecamatan_id, kode, kode_bps, nama) VALUES "
                        f"(:k, '35.28.08.{kode}', '352804000{i}', 'Desa {i}') RETURNING id"
                    ),
                    {"k": kec},
                ).scalar_one()
                conn.execute(
                    text(
                        "INSERT INTO idm_result (desa_id, tahun, score, status, "
                        "status_published, source, updated_at) VALUES (:d, 2024, :score, "
                        ":status, :published, 'f.json', CURRENT_TIMESTAMP)"
                    ),
                    {
                        "d": desa,
                        "score": "0.81560000000000" if i == 1 else "0.70000000000000",
                        "status": "mandiri" if i == 1 else "berkembang",
                        "published": None if i == 1 else "MAJU",
                    },
                )
        upgrade(database_url)
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT indeks, status_published, dimensi FROM idm_result ORDER BY desa_id")
            ).all()
        # No published status: the stored one; a published one stays as it was.
        assert [tuple(r) for r in rows] == [("idm", "Mandiri", None), ("idm", "MAJU", None)]
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE idm_result SET indeks = 'indeks_desa', score = 100, tahun = 2025 "
                    "WHERE status = 'maju' OR status = 'berkembang'"
                )
            )
        # An Indeks Desa of 100 fits; the downgrade refuses to drop it.
        with pytest.raises(Exception, match="Indeks Desa"):
            command.downgrade(config, "0016")
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM idm_result WHERE indeks = 'indeks_desa'"))
        command.downgrade(config, "0016")
        columns = {c["name"] for c in inspect(engine).get_columns("idm_result")}
        assert not {"indeks", "dimensi", "status_source"} & columns
        with engine.connect() as conn:
            assert conn.execute(text("SELECT status FROM idm_result")).scalars().all() == [
                "mandiri"
            ]
    finally:
        engine.dispose()
        upgrade(database_url)
    assert is_up_to_date(database_url)
