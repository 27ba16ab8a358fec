"""Migrations: they build the schema the models describe, on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Connection, Engine, Integer, MetaData, Table, inspect, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from domain.models import IncidentKind
from storage.engine import make_engine
from storage.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    is_up_to_date,
    upgrade,
)
from storage.repositories.incidents import SqlIncidentRepository
from storage.tables import metadata
from tests.factories import make_desa, make_incident


def _diff(engine: Engine, target: MetaData) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, target))


def _seed_report(conn: Connection, *, status: str, version: int) -> int:
    """A kecamatan, a desa and a trantibum report in raw SQL (the schema of an old
    revision, not the models of today); the report's id."""
    conn.execute(
        text(
            "INSERT INTO kecamatan (kode, kode_bps, nama, kabupaten, provinsi, created_at)"
            " VALUES ('35.28.08', '3528040', 'Larangan', 'Pamekasan', 'Jawa Timur', "
            "CURRENT_TIMESTAMP)"
        )
    )
    kec = conn.execute(text("SELECT id FROM kecamatan")).scalar_one()
    conn.execute(
        text(
            "INSERT INTO desa (kecamatan_id, kode, kode_bps, nama) VALUES "
            "(:kec, '35.28.08.2001', '3528040001', 'Larangan Luar')"
        ),
        {"kec": kec},
    )
    desa = conn.execute(text("SELECT id FROM desa")).scalar_one()
    conn.execute(
        text(
            "INSERT INTO incident (nomor, kind, tahun, seq, kecamatan_id, desa_id, "
            "event_date, received_at, category, description, status, version, "
            "created_at, updated_at) VALUES ('TRB-2026-0001', 'trantibum', 2026, 1, "
            ":kec, :desa, '2026-03-02', CURRENT_TIMESTAMP, 'judi', 'uraian kejadian', "
            ":status, :version, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ),
        {"kec": kec, "desa": desa, "status": status, "version": version},
    )
    incident: int = conn.execute(text("SELECT id FROM incident")).scalar_one()
    return incident


def test_a_migrated_database_is_at_head(database_url: str) -> None:
    assert current_revision(database_url) == head_revision()
    assert is_up_to_date(database_url)


def test_upgrading_twice_changes_nothing(database_url: str, engine: Engine) -> None:
    before = sorted(inspect(engine).get_table_names())
    upgrade(database_url)
    assert sorted(inspect(engine).get_table_names()) == before
    assert "incident" in before
    assert "skm_response" in before


def test_models_and_migrations_do_not_drift(engine: Engine) -> None:
    assert _diff(engine, metadata) == []


def test_the_drift_check_notices_a_column_missing_from_the_migrations(engine: Engine) -> None:
    # Same metadata plus one column the migrations never created: the check must see it.
    drifted = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        table.to_metadata(drifted)
    extra = drifted.tables["desa"]
    assert isinstance(extra, Table)
    extra.append_column(Column("luas_km2", Integer, nullable=True))
    differences = _diff(engine, drifted)
    assert any("luas_km2" in repr(d) for d in differences)


def test_skm_responses_have_no_column_for_a_telegram_id(engine: Engine) -> None:
    columns = {c["name"] for c in inspect(engine).get_columns("skm_response")}
    assert not any("telegram" in name or "user" in name for name in columns)


def test_the_skm_dedup_migration_keeps_the_hashes_and_drops_their_times(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0002")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO kecamatan (kode, kode_bps, nama, kabupaten, provinsi, created_at) "
                "VALUES ('35.28.08', '3528040', 'Larangan', 'Pamekasan', 'Jawa Timur', "
                "'2026-01-01 00:00:00.000000')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO skm_dedup (key_hash, created_at) VALUES "
                "('bb', '2026-08-01 03:04:05.000000'), ('aa', '2026-02-01 09:10:11.000000')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO skm_response (kecamatan_id, survey_date, u_persyaratan, source, "
                "created_at) VALUES (1, '2026-02-01', 4, 'bot', '2026-02-01 09:10:11.000000')"
            )
        )
    upgrade(url)
    with engine.connect() as conn:
        hashes = conn.execute(text("SELECT key_hash, period FROM skm_dedup")).all()
        created = conn.execute(text("SELECT created_at FROM skm_response")).scalar_one()
    engine.dispose()
    assert sorted(hashes) == [("aa", "2026-S1"), ("bb", "2026-S2")]
    assert str(created).startswith("2026-02-01 00:00:00")


def test_on_sqlite_the_skm_dedup_table_has_no_rowid_to_order_it(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("rowid is SQLite's")
    with engine.connect() as conn, pytest.raises(OperationalError, match="rowid"):
        conn.execute(text("SELECT rowid FROM skm_dedup"))


def test_the_example_services_migration_marks_no_existing_row_and_goes_back(
    database_url: str,
) -> None:
    # From 0007 with a service that has a response: after 0008 it is no example and the
    # kecamatan has not been offered any; back at 0007 both columns are gone, rows kept.
    config = alembic_config(database_url)
    command.downgrade(config, "0007")
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO kecamatan (kode, kode_bps, nama, kabupaten, provinsi, created_at)"
                    " VALUES ('35.28.08', '3528040', 'Larangan', 'Pamekasan', 'Jawa Timur', "
                    "CURRENT_TIMESTAMP)"
                )
            )
            kec = conn.execute(text("SELECT id FROM kecamatan")).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO skm_service (kecamatan_id, kode, nama, active, created_at) "
                    "VALUES (:kec, 'ktp', 'Rekomendasi KTP-el', TRUE, CURRENT_TIMESTAMP)"
                ),
                {"kec": kec},
            )
            service = conn.execute(text("SELECT id FROM skm_service")).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO skm_response (kecamatan_id, service_id, survey_date, source, "
                    "created_at) VALUES (:kec, :service, '2026-03-10', 'bot', CURRENT_TIMESTAMP)"
                ),
                {"kec": kec, "service": service},
            )
        upgrade(database_url)
        with engine.connect() as conn:
            example = conn.execute(text("SELECT example FROM skm_service")).scalar_one()
            offered = conn.execute(
                text("SELECT service_examples_offered FROM kecamatan")
            ).scalar_one()
        assert (bool(example), bool(offered)) == (False, False)
        command.downgrade(config, "0007")
        inspector = inspect(engine)
        assert "example" not in {c["name"] for c in inspector.get_columns("skm_service")}
        offered_column = {c["name"] for c in inspector.get_columns("kecamatan")}
        assert "service_examples_offered" not in offered_column
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT COUNT(*) FROM skm_response")).scalar_one()
            services = conn.execute(text("SELECT kode FROM skm_service")).scalars().all()
        assert (kept, services) == (1, ["ktp"])
    finally:
        engine.dispose()
        upgrade(database_url)
    assert is_up_to_date(database_url)


def test_the_evidence_migration_turns_known_photos_into_pending_rows_and_goes_back(
    database_url: str,
) -> None:
    # At 0011, a report photo and a follow-up proof: after 0012 both are pending evidence
    # (the proof linked to its follow-up); back at 0011 the table is gone, photos kept.
    config = alembic_config(database_url)
    command.downgrade(config, "0011")
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            incident = _seed_report(conn, status="tertangani", version=2)
            conn.execute(
                text(
                    "INSERT INTO incident_photo (incident_id, file_id, purpose, created_at) "
                    "VALUES (:i, 'report-1', 'laporan', CURRENT_TIMESTAMP), "
                    "(:i, 'proof-1', 'bukti', CURRENT_TIMESTAMP)"
                ),
                {"i": incident},
            )
            conn.execute(
                text(
                    "INSERT INTO incident_event (incident_id, from_status, to_status, note, "
                    "photo_file_id, created_at) VALUES (:i, 'baru', 'tertangani', "
                    "'sudah ditangani', 'proof-1', CURRENT_TIMESTAMP)"
                ),
                {"i": incident},
            )
            event = conn.execute(text("SELECT id FROM incident_event")).scalar_one()
        upgrade(database_url)
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT role, telegram_file_id, status, event_id, attempts FROM "
                    "evidence_file ORDER BY id"
                )
            ).all()
        assert [tuple(r) for r in rows] == [
            ("laporan", "report-1", "pending", None, 0),
            ("bukti", "proof-1", "pending", event, 0),
        ]
        command.downgrade(config, "0011")
        assert "evidence_file" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            photos = conn.execute(text("SELECT COUNT(*) FROM incident_photo")).scalar_one()
        assert photos == 2
    finally:
        engine.dispose()
        upgrade(database_url)
    assert is_up_to_date(database_url)


def test_the_skm_anonymity_migration_deals_out_the_chat_answers_and_goes_back(
    database_url: str,
) -> None:
    # At 0011: three chat responses (ids in the order of answering) and their hashes.
    # After 0014 the ids and the contents are kept as sets, the hashes too; back at
    # 0011 whatever waited in the pool is a response, and the pool is gone.
    config = alembic_config(database_url)
    command.downgrade(config, "0011")
    engine = make_engine(database_url)
    answers = ["satu", "dua", "tiga"]
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO kecamatan (kode, kode_bps, nama, kabupaten, provinsi, created_at)"
                    " VALUES ('35.28.08', '3528040', 'Larangan', 'Pamekasan', 'Jawa Timur', "
                    "CURRENT_TIMESTAMP)"
                )
            )
            kec = conn.execute(text("SELECT id FROM kecamatan")).scalar_one()
            for saran in answers:
                conn.execute(
                    text(
                        "INSERT INTO skm_response (kecamatan_id, survey_date, saran, source, "
                        "created_at) VALUES (:kec, '2026-03-10', :saran, 'bot', "
                        "CURRENT_TIMESTAMP)"
                    ),
                    {"kec": kec, "saran": saran},
                )
            for key_hash in ("cc", "aa", "bb"):
                conn.execute(
                    text("INSERT INTO skm_dedup (key_hash, period) VALUES (:h, '2026-S1')"),
                    {"h": key_hash},
                )
            ids = conn.execute(text("SELECT id FROM skm_response")).scalars().all()
        upgrade(database_url)
        with engine.begin() as conn:
            rows = conn.execute(text("SELECT id, saran FROM skm_response")).all()
            hashes = conn.execute(text("SELECT key_hash FROM skm_dedup")).scalars().all()
            conn.execute(
                text(
                    "INSERT INTO skm_pool (id, kecamatan_id, survey_date, saran) "
                    "VALUES ('ff', :kec, '2026-03-11', 'empat')"
                ),
                {"kec": kec},
            )
        assert sorted(i for i, _ in rows) == sorted(ids)
        assert sorted(s for _, s in rows) == sorted(answers)
        assert sorted(hashes) == ["aa", "bb", "cc"]
        command.downgrade(config, "0011")
        assert "skm_pool" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT saran FROM skm_response")).scalars().all()
        assert sorted(kept) == sorted([*answers, "empat"])
    finally:
        engine.dispose()
        upgrade(database_url)
    assert is_up_to_date(database_url)


def test_the_corrections_migration_marks_no_report_and_goes_back(database_url: str) -> None:
    # At 0014 a report (with a follow-up referring to it): after 0013 it is neither voided
    # nor a late entry; back at 0014 the columns and the table are gone, the rows and the
    # incident's indexes kept, and no foreign key broken.
    config = alembic_config(database_url)
    command.downgrade(config, "0014")
    engine = make_engine(database_url)
    try:
        indexes_before = {i["name"] for i in inspect(engine).get_indexes("incident")}
        with engine.begin() as conn:
            incident = _seed_report(conn, status="baru", version=1)
            conn.execute(
                text(
                    "INSERT INTO incident_event (incident_id, from_status, to_status, note, "
                    "created_at) VALUES (:i, NULL, 'baru', 'laporan', CURRENT_TIMESTAMP)"
                ),
                {"i": incident},
            )
        upgrade(database_url)
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT duplicate_of_id, voided_at, void_reason, late_entry FROM incident")
            ).one()
        assert (row[0], row[1], row[2], bool(row[3])) == (None, None, None, False)
        assert "incident_correction" in inspect(engine).get_table_names()
        command.downgrade(config, "0014")
        inspector = inspect(engine)
        assert "incident_correction" not in inspector.get_table_names()
        columns = {c["name"] for c in inspector.get_columns("incident")}
        assert not columns & {"duplicate_of_id", "voided_at", "void_reason", "late_entry"}
        assert {i["name"] for i in inspector.get_indexes("incident")} == indexes_before
        with engine.connect() as conn:
            events = conn.execute(text("SELECT COUNT(*) FROM incident_event")).scalar_one()
            if engine.dialect.name == "sqlite":
                assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
                assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert events == 1
    finally:
        engine.dispose()
        upgrade(database_url)
    assert is_up_to_date(database_url)
    assert _diff(make_engine(database_url), metadata) == []


def test_the_evidence_media_migration_calls_every_known_file_a_photo_and_goes_back(
    database_url: str,
) -> None:
    # At 0013 a pending evidence row: after 0015 it came as a photo (no name); back at 0013
    # the columns are gone and the row is kept.
    config = alembic_config(database_url)
    command.downgrade(config, "0013")
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            incident = _seed_report(conn, status="baru", version=1)
            conn.execute(
                text(
                    "INSERT INTO evidence_file (incident_id, role, telegram_file_id, status, "
                    "attempts, received_at) VALUES (:i, 'laporan', 'report-1', 'pending', 0, "
                    "CURRENT_TIMESTAMP)"
                ),
                {"i": incident},
            )
        upgrade(database_url)
        with engine.connect() as conn:
            row = conn.execute(text("SELECT media, file_name FROM evidence_file")).one()
        assert tuple(row) == ("foto", None)
        command.downgrade(config, "0013")
        columns = {c["name"] for c in inspect(engine).get_columns("evidence_file")}
        assert not columns & {"media", "file_name"}
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT telegram_file_id FROM evidence_file")).all()
        assert [tuple(r) for r in kept] == [("report-1",)]
    finally:
        engine.dispose()
        upgrade(database_url)
    assert is_up_to_date(database_url)


def test_the_rtl_migration_adds_the_two_tables_and_goes_back(database_url: str) -> None:
    # At 0015 there is no RTL table; after 0016 an item and a note are stored (the status
    # check refuses a proposal); back at 0015 both tables are gone, the users kept.
    config = alembic_config(database_url)
    command.downgrade(config, "0015")
    engine = make_engine(database_url)
    try:
        assert not {"rtl_item", "rtl_progress"} & set(inspect(engine).get_table_names())
        upgrade(database_url)
        with engine.begin() as conn:
            kec = conn.execute(
                text(
                    "INSERT INTO kecamatan (kode, kode_bps, nama, kabupaten, provinsi, "
                    "service_examples_offered, created_at) VALUES ('35.28.08', '3528040', "
                    "'Larangan', 'Pamekasan', 'Jawa Timur', false, CURRENT_TIMESTAMP) "
                    "RETURNING id"
                )
            ).scalar_one()
            user = conn.execute(
                text(
                    "INSERT INTO app_user (telegram_id, nama, jabatan, role, status, "
                    "kecamatan_id, created_at, updated_at) VALUES (5, 'Camat', 'Camat', "
                    "'admin', 'active', :k, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id"
                ),
                {"k": kec},
            ).scalar_one()
            insert = text(
                "INSERT INTO rtl_item (kecamatan_id, tahun, bagian, unsur, kegiatan, owner_id, "
                "due, status, version, created_at, updated_at) VALUES (:k, 2026, 'S1', "
                "'waktu', 'Menambah loket', :u, '2026-08-31', :s, 1, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP) RETURNING id"
            )
            item = conn.execute(insert, {"k": kec, "u": user, "s": "direncanakan"}).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO rtl_progress (item_id, user_id, note, status, at) "
                    "VALUES (:i, :u, 'Mulai', 'direncanakan', CURRENT_TIMESTAMP)"
                ),
                {"i": item, "u": user},
            )
        with pytest.raises(Exception, match=r"(?i)check"), engine.begin() as conn:
            conn.execute(insert, {"k": kec, "u": user, "s": "usulan"})
        # One live item per unsur and period; a cancelled one does not count.
        with pytest.raises(Exception, match=r"(?i)unique"), engine.begin() as conn:
            conn.execute(insert, {"k": kec, "u": user, "s": "selesai"})
        with engine.begin() as conn:
            conn.execute(insert, {"k": kec, "u": user, "s": "dibatalkan"})
        command.downgrade(config, "0015")
        assert not {"rtl_item", "rtl_progress"} & set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            assert conn.execute(text("SELECT nama FROM app_user")).scalars().all() == ["Camat"]
    finally:
        engine.dispose()
        upgrade(database_url)
    assert is_up_to_date(database_url)
    assert _diff(make_engine(database_url), metadata) == []


def test_the_kecamatan_numbering_migration_keeps_old_numbers_continues_and_goes_back(
    database_url: str,
) -> None:
    # At 0021 (before the per-kecamatan counter) a trantibum report TB-2026-0007 and its
    # counter: after 0022 the old number is still found (any case) and the kecamatan's next
    # number continues at 0008 in the new format; a second kecamatan's first number of the
    # year shares that sequence, so a downgrade refuses and changes nothing; without the
    # second one it goes back.
    config = alembic_config(database_url)
    command.downgrade(config, "0021")
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            _seed_report(conn, status="baru", version=1)
            conn.execute(text("UPDATE incident SET nomor = 'TB-2026-0007', seq = 7"))
            conn.execute(
                text(
                    "INSERT INTO tracking_counter (kind, tahun, last) VALUES ('trantibum', 2026, 7)"
                )
            )
        command.upgrade(config, "0022")
        with Session(engine) as session:
            repo = SqlIncidentRepository(session)
            old = repo.get_by_nomor(" tb-2026-0007 ")
            assert old is not None
            assert old.nomor == "TB-2026-0007"
            desa_id = old.desa_id
            larangan_luar = make_desa(id=desa_id, kecamatan_id=old.kecamatan_id)
            new = repo.add(
                make_incident(larangan_luar, kind=IncidentKind.TRANTIBUM, category="judi")
            )
            session.commit()
        assert new.nomor == "TB-352808-2026-0008"
        with engine.begin() as conn:
            kec = conn.execute(
                text(
                    "INSERT INTO kecamatan (kode, kode_bps, nama, kabupaten, provinsi, "
                    "service_examples_offered, created_at) VALUES ('35.28.09', '3528050', "
                    "'Pademawu', 'Pamekasan', 'Jawa Timur', false, CURRENT_TIMESTAMP) "
                    "RETURNING id"
                )
            ).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO incident (nomor, kind, tahun, seq, kecamatan_id, desa_id, "
                    "event_date, received_at, category, description, status, version, "
                    "late_entry, created_at, updated_at) VALUES ('TB-352809-2026-0008', "
                    "'trantibum', 2026, 8, :kec, :desa, '2026-03-02', CURRENT_TIMESTAMP, "
                    "'judi', 'uraian kejadian', 'baru', 1, false, CURRENT_TIMESTAMP, "
                    "CURRENT_TIMESTAMP)"
                ),
                {"kec": kec, "desa": desa_id},
            )
        with pytest.raises(RuntimeError, match="lebih dari satu kecamatan"):
            command.downgrade(config, "0021")
        assert current_revision(database_url) == "0022"
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM incident WHERE nomor = 'TB-352809-2026-0008'"))
        command.downgrade(config, "0021")
        with engine.connect() as conn:
            numbers = conn.execute(text("SELECT nomor FROM incident ORDER BY id")).scalars().all()
            counter = conn.execute(text("SELECT kind, tahun, last FROM tracking_counter")).all()
        assert numbers == ["TB-2026-0007", "TB-352808-2026-0008"]
        assert [tuple(r) for r in counter] == [("trantibum", 2026, 8)]
    finally:
        engine.dispose()
        upgrade(database_url)
    assert is_up_to_date(database_url)
    assert _diff(make_engine(database_url), metadata) == []
