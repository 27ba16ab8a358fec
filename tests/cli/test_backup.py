"""``iku-bot db backup`` / ``db restore`` / ``db backup-kunci`` on SQLite and PostgreSQL.

PostgreSQL is dumped and restored with the real ``pg_dump`` and ``pg_restore`` of the
installed PostgreSQL; without them these tests are skipped locally and fail under
``CI=true``, so that CI never passes without having run them.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import tarfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

from bot import texts
from bot.cli.backup import MANIFEST, SUMS, read_backup
from domain.incidents import IncidentDraft, follow_up, submit_incident
from domain.models import (
    IncidentKind,
    IncidentStatus,
    IndicatorCode,
    Kecamatan,
    KonflikStage,
    Role,
    Tema,
)
from domain.period import Period
from domain.ports import UnitOfWork
from domain.records import record_idm, record_tematik
from domain.report import IkuReport, iku_report
from domain.skm import UNSUR
from domain.survey import AlreadyAnswered, SurveyAnswers, flush_survey_pool, submit_survey
from domain.usecases import add_service, set_target
from storage.backup import (
    POSTGRESQL,
    ToolMissing,
    contents_of,
    engine_of,
    existing_objects,
    find_pg_tool,
    libpq_connection,
)
from storage.engine import make_engine, make_session_factory
from storage.tables import AuditLogRow, metadata
from storage.uow import SqlUnitOfWork
from tests.cli.conftest import CliRunner
from tests.factories import add_user

JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 5, 20, 10, 0, tzinfo=JAKARTA)
PERIOD = Period.year(2026)
SKM_KEY = "5f" * 32  # 64 characters, as the bot makes them
ROOT = Path(__file__).resolve().parents[2]


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def pg_tools(database_url: str) -> None:
    """The PostgreSQL variants need the real pg_dump and pg_restore."""
    if engine_of(database_url) != POSTGRESQL:
        return
    try:
        for tool in ("pg_dump", "pg_restore"):
            find_pg_tool(tool, bin_dir=os.environ.get("PG_BIN_DIR"), server_major=None)
    except ToolMissing as missing:
        message = f"{missing.tool} tidak ditemukan: uji cadangan PostgreSQL tidak dapat jalan"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"pengujian cadangan PostgreSQL wajib jalan di CI: {message}")
        pytest.skip(message)


@pytest.fixture
def office(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, pg_tools: None, database_url: str
) -> Path:
    """The settings of a backup: evidence folder, SKM key; returns the evidence folder."""
    for name in ("EVIDENCE_S3_BUCKET", "PG_BIN_DIR", "SKM_SECRET_FILE"):
        monkeypatch.delenv(name, raising=False)
    evidence = cli_env / "data" / "bukti"
    monkeypatch.setenv("EVIDENCE_DIR", str(evidence))
    monkeypatch.setenv("SKM_SECRET", SKM_KEY)
    return evidence


@pytest.fixture
def empty_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second, EMPTY database of the same engine: the restore target."""
    if engine_of(database_url) != POSTGRESQL:
        yield f"sqlite:///{tmp_path / 'pulih' / 'iku-bot.db'}"  # not even its folder exists
        return
    name = f"iku_restore_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _uow_factory(url: str) -> tuple[Callable[[], UnitOfWork], Callable[[], None]]:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    return (lambda: SqlUnitOfWork(sessions)), engine.dispose


# --- seed data: incidents, IDM, tematik, SKM responses, targets ------------------------------

RESPONDENTS = tuple(range(810_001, 810_013))


def _seed(uow_factory: Callable[[], UnitOfWork], kec: Kecamatan) -> None:
    with uow_factory() as uow:
        desa = uow.desa.list_by_kecamatan(kec.id)
        admin = add_user(uow, Role.ADMIN, telegram_id=500_001, nama="Camat", kecamatan_id=kec.id)
        officers = [
            add_user(
                uow,
                Role.PERANGKAT_DESA,
                telegram_id=600_001 + number,
                nama=f"Perangkat {place.nama}",
                kecamatan_id=kec.id,
                desa_id=place.id,
            )
            for number, place in enumerate(desa[:4])
        ]
        uow.commit()
    for number, officer in enumerate(officers):
        assert officer.desa_id is not None
        for kind in IncidentKind:
            with uow_factory() as uow:
                incident = submit_incident(
                    uow,
                    reporter=officer,
                    draft=IncidentDraft(
                        kind=kind,
                        desa_id=officer.desa_id,
                        event_date=date(2026, 5, 1 + number),
                        category="tanah" if kind is IncidentKind.KONFLIK else "pencurian",
                        description=f"Kejadian nomor {number} dilaporkan warga di balai desa",
                        stage=KonflikStage.TERJADI if kind is IncidentKind.KONFLIK else None,
                    ),
                    now=NOW,
                    max_age_days=30,
                )
                uow.commit()
            if number % 2 == 0:
                with uow_factory() as uow:
                    follow_up(
                        uow,
                        actor=admin,
                        incident_id=incident.id,
                        expected_version=incident.version,
                        to_status=IncidentStatus.TERTANGANI,
                        note="Selesai dimediasi bersama tokoh masyarakat",
                        now=NOW,
                    )
                    uow.commit()
    with uow_factory() as uow:
        for place, score in zip(
            desa, ("0.8500", "0.8156", "0.7000", "0.6000", "0.9100"), strict=False
        ):
            record_idm(uow, user=admin, desa_id=place.id, tahun=2026, now=NOW, idm=Decimal(score))
        for place, tema in ((desa[0], Tema.WISATA), (desa[1], Tema.UMKM)):
            record_tematik(
                uow,
                user=admin,
                desa_id=place.id,
                tema=tema,
                tahun=2026,
                referensi="188/45/432.312/2026",
                now=NOW,
            )
        service = add_service(
            uow,
            kecamatan_id=kec.id,
            kode="ktp",
            nama="Rekomendasi KTP-el",
            population=250,
            actor="cli",
        )
        for indicator, value in (
            (IndicatorCode.DESA_MANDIRI, "4"),
            (IndicatorCode.KONFLIK_TERTANGANI, "80"),
            (IndicatorCode.SKM, "80"),
        ):
            set_target(
                uow,
                kecamatan_id=kec.id,
                indicator=indicator,
                tahun=2026,
                value=Decimal(value),
                actor="cli",
            )
        uow.commit()
    for number, telegram_id in enumerate(RESPONDENTS):
        with uow_factory() as uow:
            submit_survey(
                uow,
                kecamatan_id=kec.id,
                telegram_id=telegram_id,
                survey=SurveyAnswers(
                    service_id=service.id,
                    jenis_kelamin="P" if number % 2 else "L",
                    usia=20 + number,
                    pendidikan="SMA",
                    pekerjaan="Wirausaha",
                    answers={key: 3 + (number + i) % 2 for i, key in enumerate(UNSUR)},
                    saran="Pelayanan cepat" if number % 3 == 0 else None,
                ),
                secret=SKM_KEY.encode(),
                now=NOW,
            )
            uow.commit()
    with uow_factory() as uow:
        flush_survey_pool(uow)
        uow.commit()


def _evidence(folder: Path, count: int = 3) -> dict[str, bytes]:
    """A few content-addressed photos; returns relative path -> content."""
    files: dict[str, bytes] = {}
    for number in range(count):
        content = f"foto bukti {number} ".encode() * (200 + number)
        digest = hashlib.sha256(content).hexdigest()
        relative = f"{digest[:2]}/{digest}.jpg"
        (folder / digest[:2]).mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(content)
        files[relative] = content
    return files


def _report(url: str) -> IkuReport:
    factory, close = _uow_factory(url)
    try:
        with factory() as uow:
            return iku_report(uow, kecamatan_code="35.28.08", period=PERIOD, now=NOW)
    finally:
        close()


def _backup(cli: CliRunner, where: Path) -> Path:
    result = cli("db", "backup", str(where))
    assert result.code == 0, result.out + result.err
    return where


def _member_offset(path: Path, name: str) -> tuple[int, int]:
    with tarfile.open(path) as tar:
        member = tar.getmember(name)
        return member.offset_data, member.size


def _flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _nothing_restored(url: str, evidence: Path) -> None:
    assert existing_objects(url) == []
    if engine_of(url) != POSTGRESQL:
        assert not Path(str(make_url(url).database)).exists()
    assert not evidence.exists() or not any(p.is_file() for p in evidence.rglob("*"))


# --- the round trip -------------------------------------------------------------------------


def test_a_backup_restored_into_an_empty_database_gives_the_same_report_and_rows(
    cli: CliRunner,
    cli_env: Path,
    office: Path,
    database_url: str,
    empty_url: str,
    uow_factory: Callable[[], UnitOfWork],
    larangan: Kecamatan,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _seed(uow_factory, larangan)
    photos = _evidence(office)
    before = contents_of(database_url)
    report = _report(database_url)
    # The seeded office is not an empty report: every part of it has data.
    assert before.tables["incident"] == 8
    assert before.tables["skm_response"] == len(RESPONDENTS)
    assert report.skm.result is not None
    assert report.skm.result.respondents == len(RESPONDENTS)
    assert report.konflik.result.total == 4
    assert report.konflik.result.handled == 2
    assert report.idm.counts
    assert report.tematik.count == 2

    backup = _backup(cli, cli_env / "cadangan.tar")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    manifest = read_backup(backup)
    assert manifest.tables == before.tables  # every table the database has, counted
    assert {t.name for t in metadata.sorted_tables} <= set(manifest.tables)
    assert manifest.alembic_revision == before.revision is not None
    assert manifest.kecamatan == ("35.28.08",)
    assert manifest.engine == engine_of(database_url)
    assert {e.path.removeprefix("bukti/") for e in manifest.evidence_files} == set(photos)

    restored_evidence = cli_env / "bukti-pulih"
    monkeypatch.setenv("DATABASE_URL", empty_url)
    monkeypatch.setenv("EVIDENCE_DIR", str(restored_evidence))
    result = cli("db", "restore", str(backup))
    assert result.code == 0, result.out + result.err
    assert "Pemeriksaan terhadap manifes: OK" in result.out
    assert f"Bukti: {len(photos)} berkas disalin" in result.out

    after = contents_of(empty_url)
    assert after == before
    assert _report(empty_url) == report
    for relative, content in photos.items():
        assert (restored_evidence / relative).read_bytes() == content
    assert not list(restored_evidence.rglob(".*"))  # no temporary file left behind


def test_the_restored_database_with_its_key_still_refuses_a_second_answer(
    cli: CliRunner,
    cli_env: Path,
    office: Path,
    empty_url: str,
    uow_factory: Callable[[], UnitOfWork],
    larangan: Kecamatan,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _seed(uow_factory, larangan)
    backup = _backup(cli, cli_env / "cadangan.tar")
    (cli_env / "brankas").mkdir()
    key = cli("db", "backup-kunci", str(cli_env / "brankas"))
    assert key.code == 0, key.err
    key_file = cli_env / "brankas" / "skm-secret.key"
    monkeypatch.setenv("DATABASE_URL", empty_url)
    monkeypatch.setenv("EVIDENCE_DIR", str(cli_env / "bukti-pulih"))
    assert cli("db", "restore", str(backup)).code == 0

    factory, close = _uow_factory(empty_url)
    try:
        with factory() as uow:
            service = next(s for s in uow.skm.list_services(larangan.id) if s.kode == "ktp")
        survey = SurveyAnswers(
            service_id=service.id,
            jenis_kelamin="L",
            usia=40,
            pendidikan="SMA",
            pekerjaan="Wirausaha",
            answers=dict.fromkeys(UNSUR, 4),
        )
        with factory() as uow, pytest.raises(AlreadyAnswered):
            submit_survey(
                uow,
                kecamatan_id=larangan.id,
                telegram_id=RESPONDENTS[0],
                survey=survey,
                secret=key_file.read_text().strip().encode(),
                now=NOW,
            )
        # Without that key (a new one), the same person's second answer goes through.
        with factory() as uow:
            submit_survey(
                uow,
                kecamatan_id=larangan.id,
                telegram_id=RESPONDENTS[0],
                survey=survey,
                secret=b"kunci-baru-" * 4,
                now=NOW,
            )
            uow.commit()
    finally:
        close()


def test_a_backup_taken_while_the_bot_writes_is_consistent_with_its_manifest(
    cli: CliRunner,
    cli_env: Path,
    office: Path,
    database_url: str,
    empty_url: str,
    larangan: Kecamatan,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows committed during the backup: the copy and its counts are of one moment."""
    audit = AuditLogRow.__table__  # type: ignore[attr-defined]
    engine = make_engine(database_url)
    written: list[int] = []
    stop = threading.Event()

    def writer() -> None:
        for number in range(20_000):  # bounded; stopped once the backup is done
            if stop.is_set():
                return
            with engine.begin() as connection:
                connection.execute(
                    insert(audit).values(actor="uji", action="tulis", entity="uji", created_at=NOW)
                )
            written.append(number)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20 and thread.is_alive():
            time.sleep(0.005)
        at_start = len(written)
        backup = _backup(cli, cli_env / "cadangan.tar")
        during = len(written) - at_start
    finally:
        stop.set()
        thread.join()
        engine.dispose()
    assert during > 0  # the bot's writes went on while the backup was taken
    counted = read_backup(backup).tables["audit_log"]
    assert at_start <= counted <= len(written)
    monkeypatch.setenv("DATABASE_URL", empty_url)
    restored = cli("db", "restore", str(backup))
    assert restored.code == 0, restored.out + restored.err  # counts == the restored rows
    assert contents_of(empty_url).tables["audit_log"] == counted


# --- refusals -------------------------------------------------------------------------------


def test_a_restore_into_a_database_that_has_tables_is_refused_and_changes_nothing(
    cli: CliRunner,
    cli_env: Path,
    office: Path,
    database_url: str,
    uow_factory: Callable[[], UnitOfWork],
    larangan: Kecamatan,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _seed(uow_factory, larangan)
    _evidence(office)
    backup = _backup(cli, cli_env / "cadangan.tar")
    before = contents_of(database_url)
    monkeypatch.setenv("EVIDENCE_DIR", str(cli_env / "bukti-lain"))
    result = cli("db", "restore", str(backup))  # DATABASE_URL: the database backed up
    assert result.code == 1
    assert "tidak kosong" in result.err
    assert "Tidak ada yang diubah" in result.err
    assert "alembic_version" in result.err
    assert contents_of(database_url) == before
    assert not (cli_env / "bukti-lain").exists()


def test_a_restore_into_a_database_with_only_a_stray_table_is_refused(
    cli: CliRunner,
    cli_env: Path,
    office: Path,
    empty_url: str,
    larangan: Kecamatan,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backup = _backup(cli, cli_env / "cadangan.tar")
    engine = make_engine(empty_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE catatan (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", empty_url)
    result = cli("db", "restore", str(backup))
    assert result.code == 1
    assert "tidak kosong: sudah berisi 1 tabel" in result.err
    assert existing_objects(empty_url) in (["catatan"], ["public.catatan"])


@pytest.mark.parametrize("member", ["database", "evidence", MANIFEST, SUMS])
def test_a_backup_with_one_byte_changed_is_refused_before_anything_is_written(
    cli: CliRunner,
    cli_env: Path,
    office: Path,
    empty_url: str,
    uow_factory: Callable[[], UnitOfWork],
    larangan: Kecamatan,
    monkeypatch: pytest.MonkeyPatch,
    member: str,
) -> None:
    _seed(uow_factory, larangan)
    _evidence(office)
    backup = _backup(cli, cli_env / "cadangan.tar")
    manifest = read_backup(backup)
    name = {
        "database": manifest.database_file,
        "evidence": manifest.evidence_files[0].path,
    }.get(member, member)
    offset, size = _member_offset(backup, name)
    _flip_byte(backup, offset + size // 2)
    restored_evidence = cli_env / "bukti-pulih"
    monkeypatch.setenv("DATABASE_URL", empty_url)
    monkeypatch.setenv("EVIDENCE_DIR", str(restored_evidence))
    result = cli("db", "restore", str(backup))
    assert result.code == 1
    assert "rusak, terpotong, atau diubah" in result.err
    assert "Tidak ada yang diubah" in result.err
    assert result.out == ""
    _nothing_restored(empty_url, restored_evidence)


@pytest.mark.parametrize("cut", ["half", "inside the last file"])
def test_a_truncated_backup_is_refused(
    cli: CliRunner,
    cli_env: Path,
    office: Path,
    empty_url: str,
    larangan: Kecamatan,
    monkeypatch: pytest.MonkeyPatch,
    cut: str,
) -> None:
    _evidence(office)
    backup = _backup(cli, cli_env / "cadangan.tar")
    data = backup.read_bytes()
    offset, size = _member_offset(backup, SUMS)  # the last member
    backup.write_bytes(data[: len(data) // 2 if cut == "half" else offset + size - 1])
    restored_evidence = cli_env / "bukti-pulih"
    monkeypatch.setenv("DATABASE_URL", empty_url)
    monkeypatch.setenv("EVIDENCE_DIR", str(restored_evidence))
    result = cli("db", "restore", str(backup))
    assert result.code == 1
    assert "rusak, terpotong, atau diubah" in result.err
    _nothing_restored(empty_url, restored_evidence)


def test_an_evidence_file_with_other_content_in_the_way_is_refused_before_writing(
    cli: CliRunner,
    cli_env: Path,
    office: Path,
    empty_url: str,
    larangan: Kecamatan,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    photos = _evidence(office)
    backup = _backup(cli, cli_env / "cadangan.tar")
    restored_evidence = cli_env / "bukti-pulih"
    first, *_ = sorted(photos)
    (restored_evidence / first).parent.mkdir(parents=True)
    (restored_evidence / first).write_bytes(b"isi lain")
    monkeypatch.setenv("DATABASE_URL", empty_url)
    monkeypatch.setenv("EVIDENCE_DIR", str(restored_evidence))
    result = cli("db", "restore", str(backup))
    assert result.code == 1
    assert "sudah ada dengan isi yang berbeda" in result.err
    assert existing_objects(empty_url) == []
    assert sorted(p.name for p in restored_evidence.rglob("*") if p.is_file()) == [Path(first).name]


def _rewrite_manifest(backup: Path, change: Callable[[dict[str, object]], None]) -> None:
    """A backup whose manifest says something else, with consistent checksums."""
    with tarfile.open(backup) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]
    contents = {m.name: data for m, data in members}
    manifest = json.loads(contents[MANIFEST])
    change(manifest)
    contents[MANIFEST] = json.dumps(manifest).encode()
    sums = contents[SUMS].decode().splitlines()
    contents[SUMS] = "".join(
        f"{hashlib.sha256(contents[name]).hexdigest()}  {name}\n"
        for name in (line.split("  ", 1)[1] for line in sums)
    ).encode()
    with tarfile.open(backup, "w") as tar:
        for member, _ in members:
            member.size = len(contents[member.name])
            tar.addfile(member, io.BytesIO(contents[member.name]))


def test_a_restored_database_that_differs_from_its_manifest_is_reported_with_exit_3(
    cli: CliRunner,
    cli_env: Path,
    office: Path,
    empty_url: str,
    uow_factory: Callable[[], UnitOfWork],
    larangan: Kecamatan,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _seed(uow_factory, larangan)
    backup = _backup(cli, cli_env / "cadangan.tar")

    def one_more_incident(manifest: dict[str, object]) -> None:
        tables = manifest["tables"]
        assert isinstance(tables, dict)
        tables["incident"] += 1

    _rewrite_manifest(backup, one_more_incident)
    monkeypatch.setenv("DATABASE_URL", empty_url)
    result = cli("db", "restore", str(backup))
    assert result.code == 3, result.out + result.err
    assert "Pemeriksaan terhadap manifes: BERBEDA" in result.out
    assert "tabel incident: 9 baris di cadangan, 8 setelah dipulihkan" in result.out


# --- the SKM key ----------------------------------------------------------------------------


def test_the_key_is_written_apart_with_mode_0600_and_never_into_the_backup(
    cli: CliRunner, cli_env: Path, office: Path, larangan: Kecamatan
) -> None:
    backup = cli("db", "backup", str(cli_env / "cadangan.tar"))
    assert backup.code == 0, backup.err
    assert SKM_KEY.encode() not in (cli_env / "cadangan.tar").read_bytes()
    with tarfile.open(cli_env / "cadangan.tar") as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
    assert manifest["skm_key_included"] is False

    target = cli_env / "kunci.key"
    key = cli("db", "backup-kunci", str(target))
    assert key.code == 0, key.err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text() == SKM_KEY + "\n"
    assert SKM_KEY not in key.out + key.err  # the key is written, never printed
    for output in (backup.out, key.out):
        assert texts.BACKUP_KEY_WARNING in output
    warning = texts.BACKUP_KEY_WARNING
    assert "SEKALIGUS kunci ini" in warning
    assert "ID Telegram" in warning
    assert "jawaban kedua" in warning
    assert "tempat yang berbeda" in warning

    again = cli("db", "backup-kunci", str(target))
    assert again.code == 1
    assert "sudah ada" in again.err
    assert target.read_text() == SKM_KEY + "\n"


def test_the_key_file_made_by_the_bot_is_exported_as_it_is(
    cli: CliRunner, cli_env: Path, office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SKM_SECRET")
    monkeypatch.setenv("SKM_SECRET_FILE", str(cli_env / "data" / "skm-secret.key"))
    missing = cli("db", "backup-kunci", str(cli_env))
    assert missing.code == 1
    assert "Belum ada kunci SKM" in missing.err
    assert not (cli_env / "skm-secret.key").exists()
    (cli_env / "data").mkdir(exist_ok=True)
    (cli_env / "data" / "skm-secret.key").write_text("ab" * 32)
    (cli_env / "brankas").mkdir()
    written = cli("db", "backup-kunci", str(cli_env / "brankas"))
    assert written.code == 0, written.err
    assert (cli_env / "brankas" / "skm-secret.key").read_text().strip() == "ab" * 32


# --- evidence -------------------------------------------------------------------------------


def test_evidence_files_are_listed_with_their_checksums_and_temporary_ones_skipped(
    cli: CliRunner, cli_env: Path, office: Path, larangan: Kecamatan
) -> None:
    photos = _evidence(office, count=4)
    (office / ".unggah-123.tmp").write_bytes(b"setengah")
    result = cli("db", "backup", str(cli_env / "cadangan.tar"))
    assert result.code == 0, result.err
    assert "Bukti: 4 berkas" in result.out
    assert "Dilewati di folder bukti: 1 berkas" in result.out
    manifest = read_backup(cli_env / "cadangan.tar")
    listed = {e.path: (e.size, e.sha256) for e in manifest.evidence_files}
    assert listed == {
        f"bukti/{relative}": (len(content), hashlib.sha256(content).hexdigest())
        for relative, content in photos.items()
    }
    assert manifest.evidence["store"] == "local"
    # SHA256SUMS is what sha256sum -c reads, once unpacked.
    unpacked = cli_env / "terbuka"
    with tarfile.open(cli_env / "cadangan.tar") as tar:
        tar.extractall(unpacked, filter="data")
    check = subprocess.run(
        ["sha256sum", "--check", "--strict", SUMS], cwd=unpacked, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == 4 + 2  # photos, database, manifest


def test_evidence_in_an_s3_bucket_is_named_in_the_manifest_and_not_copied(
    cli: CliRunner,
    cli_env: Path,
    office: Path,
    empty_url: str,
    larangan: Kecamatan,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _evidence(office)  # a local folder that S3 settings make irrelevant
    monkeypatch.setenv("EVIDENCE_S3_BUCKET", "bukti-kecamatan")
    result = cli("db", "backup", str(cli_env / "cadangan.tar"))
    assert result.code == 0, result.err
    assert "bucket S3 bukti-kecamatan dan TIDAK disalin" in result.out
    manifest = read_backup(cli_env / "cadangan.tar")
    assert manifest.evidence == {
        "store": "s3",
        "bucket": "bukti-kecamatan",
        "copied": False,
        "note": "Bukti tersimpan di bucket S3 dan tidak disalin ke cadangan ini.",
    }
    assert manifest.evidence_files == []
    monkeypatch.setenv("DATABASE_URL", empty_url)
    restored = cli("db", "restore", str(cli_env / "cadangan.tar"))
    assert restored.code == 0, restored.err
    assert "tersimpan di bucket S3 bukti-kecamatan" in restored.out


# --- where the backup goes ------------------------------------------------------------------


def test_a_folder_gets_a_timestamped_file_and_an_existing_file_is_never_overwritten(
    cli: CliRunner, cli_env: Path, office: Path, larangan: Kecamatan
) -> None:
    folder = cli_env / "cadangan"
    folder.mkdir()
    first = cli("db", "backup", str(folder))
    assert first.code == 0, first.err
    (written,) = folder.iterdir()
    assert written.name.startswith("iku-bot-")
    assert written.suffix == ".tar"
    content = written.read_bytes()
    again = cli("db", "backup", str(written))
    assert again.code == 1
    assert "sudah ada" in again.err
    assert written.read_bytes() == content
    assert [p.name for p in folder.iterdir()] == [written.name]  # no temporary file left
    wrong = cli("db", "backup", str(cli_env / "cadangan.zip"))
    assert wrong.code == 1
    assert "berakhiran .tar" in wrong.err


# --- PostgreSQL specifics -------------------------------------------------------------------


def test_the_password_goes_to_the_environment_never_to_the_command_line() -> None:
    conninfo, env = libpq_connection(
        "postgresql+psycopg://iku:s%27cr%20t@db.example:6543/iku?sslmode=require"
    )
    assert "s'cr t" not in conninfo
    assert "password" not in conninfo
    assert env["PGPASSWORD"] == "s'cr t"
    assert conninfo == "host='db.example' port='6543' user='iku' dbname='iku' sslmode='require'"


def test_a_missing_pg_dump_is_explained_and_leaves_no_file(
    cli: CliRunner,
    cli_env: Path,
    office: Path,
    database_url: str,
    larangan: Kecamatan,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if engine_of(database_url) != POSTGRESQL:
        pytest.skip("hanya cadangan PostgreSQL memakai pg_dump")
    (cli_env / "kosong").mkdir()
    monkeypatch.setenv("PG_BIN_DIR", str(cli_env / "kosong"))
    result = cli("db", "backup", str(cli_env / "cadangan.tar"))
    assert result.code == 1
    assert "pg_dump tidak ada atau tidak dapat dijalankan di PG_BIN_DIR=" in result.err
    assert sorted(p.name for p in cli_env.iterdir() if p.name.endswith(".tar")) == []
    assert not [p for p in cli_env.iterdir() if p.name.startswith(".iku-bot-cadangan-")]


# --- the daily schedule's script ------------------------------------------------------------


def test_the_daily_script_writes_a_backup_and_keeps_the_newest_seven(
    cli_env: Path, office: Path, database_url: str, larangan: Kecamatan
) -> None:
    backups = cli_env / "cadangan"
    (backups / "harian").mkdir(parents=True)
    for day in range(1, 11):  # ten older daily backups
        (backups / "harian" / f"iku-bot-202601{day:02d}-023000.tar").write_bytes(b"lama")
    env = {
        **os.environ,
        "BACKUP_DIR": str(backups),
        "IKU_BOT": str(Path(shutil.which("iku-bot") or ROOT / ".venv" / "bin" / "iku-bot")),
    }
    result = subprocess.run(
        ["sh", str(ROOT / "deploy" / "iku-bot-backup.sh")],
        cwd=cli_env,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    kept = sorted(p.name for p in (backups / "harian").iterdir())
    assert len(kept) == 7
    newest = backups / "harian" / kept[-1]
    assert newest.read_bytes() != b"lama"
    assert read_backup(newest).tables == contents_of(database_url).tables
    assert kept[0] == "iku-bot-20260105-023000.tar"  # the five oldest are gone
