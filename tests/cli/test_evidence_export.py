"""``iku-bot ekspor-bukti``: the stored evidence of a period as a ZIP with ``indeks.csv``.

Each file re-checked against its SHA-256, the ZIP written whole or not at all, never
over an existing file, and audited as the operator's export. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot import texts
from domain.evidence import EvidenceStore, check_file
from domain.models import EvidenceRole, IncidentKind
from storage.engine import make_engine, make_session_factory
from storage.evidence_store import LocalEvidenceStore, S3EvidenceStore
from storage.uow import SqlUnitOfWork
from tests.cli.conftest import CliRunner
from tests.factories import make_incident
from tests.storage.builders import jakarta

JPEG = b"\xff\xd8\xff\xe0" + b"foto kejadian" * 20
PDF = b"%PDF-1.4\n" + b"berita acara" * 20
HEADER = "nomor,desa,jenis,tanggal_kejadian,peran,berkas,sha256,ukuran,tipe,status"


def _seed_into(url: str, store: EvidenceStore) -> dict[str, str]:
    """March: a conflict with a stored photo and a pending one, a trantibum case with a
    stored proof (PDF); May: a conflict with a stored photo. Their numbers."""
    engine = make_engine(url)
    numbers: dict[str, str] = {}
    try:
        with SqlUnitOfWork(make_session_factory(engine)) as uow:
            kec = uow.kecamatan.get_by_code("35.28.08")
            assert kec is not None
            desa = uow.desa.list_by_kecamatan(kec.id)
            plan: list[tuple[str, IncidentKind, date, list[tuple[EvidenceRole, bytes | None]]]] = [
                (
                    "k1",
                    IncidentKind.KONFLIK,
                    date(2026, 3, 2),
                    [(EvidenceRole.REPORT, JPEG), (EvidenceRole.REPORT, None)],
                ),
                ("t1", IncidentKind.TRANTIBUM, date(2026, 3, 20), [(EvidenceRole.PROOF, PDF)]),
                ("k2", IncidentKind.KONFLIK, date(2026, 5, 1), [(EvidenceRole.REPORT, JPEG)]),
            ]
            for name, kind, day, files in plan:
                incident = uow.incidents.add(
                    make_incident(
                        desa[0],
                        kind=kind,
                        event_date=day,
                        received_at=jakarta(day.year, day.month, day.day),
                    )
                )
                numbers[name] = incident.nomor
                for number, (role, data) in enumerate(files):
                    row = uow.evidence.add_pending(
                        incident_id=incident.id,
                        role=role,
                        telegram_file_id=f"{name}-{number}",
                        received_at=jakarta(day.year, day.month, day.day),
                    )
                    if data is not None:
                        key = store.put(data)
                        uow.evidence.mark_stored(
                            row.id, checked=check_file(data), store_key=key, at=jakarta(2026, 6, 1)
                        )
            uow.commit()
    finally:
        engine.dispose()
    return numbers


@pytest.fixture
def store(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> LocalEvidenceStore:
    monkeypatch.setenv("EVIDENCE_DIR", str(cli_env / "bukti"))
    monkeypatch.delenv("EVIDENCE_S3_BUCKET", raising=False)
    return LocalEvidenceStore(cli_env / "bukti")


@pytest.fixture
def seeded(cli: CliRunner, database_url: str, store: LocalEvidenceStore) -> dict[str, str]:
    assert cli("db", "upgrade").code == 0
    return _seed_into(database_url, store)


def _index(archive: zipfile.ZipFile) -> list[list[str]]:
    text = archive.read("indeks.csv").decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def _export_entries(url: str) -> list[dict[str, object]]:
    engine = make_engine(url)
    try:
        with SqlUnitOfWork(make_session_factory(engine)) as uow:
            entries = uow.audit.entries(action_prefix="export_evidence")
            return [dict(e.detail or {}, actor=e.actor, entity_id=e.entity_id) for e in entries]
    finally:
        engine.dispose()


def test_the_zip_holds_the_stored_files_and_an_index_of_every_file(
    cli: CliRunner, cli_env: Path, seeded: dict[str, str], database_url: str
) -> None:
    target = cli_env / "bukti-maret.zip"
    result = cli(
        "ekspor-bukti", "--dari", "2026-03-01", "--sampai", "2026-03-31", "--output", str(target)
    )
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        texts.EVIDENCE_ZIP_WRITTEN.format(
            kecamatan="Larangan",
            mulai="1 Maret 2026",
            sampai="31 Maret 2026",
            berkas=target,
            disimpan=2,
            kasus=2,
        ),
        texts.EVIDENCE_ZIP_NOT_STORED.format(jumlah=1),
    ]
    k1, t1 = seeded["k1"], seeded["t1"]
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == sorted(
            ["indeks.csv", f"{k1}/laporan-1.jpg", f"{t1}/bukti-1.pdf"]
        )
        assert archive.read(f"{k1}/laporan-1.jpg") == JPEG
        assert archive.read(f"{t1}/bukti-1.pdf") == PDF
        rows = _index(archive)
    jpeg, pdf = check_file(JPEG), check_file(PDF)
    assert ",".join(rows[0]) == HEADER
    desa = rows[1][1]
    assert rows[1:] == [
        [
            k1,
            desa,
            "Konflik",
            "2026-03-02",
            "laporan",
            f"{k1}/laporan-1.jpg",
            jpeg.sha256,
            str(jpeg.size),
            "image/jpeg",
            "tersimpan",
        ],
        [k1, desa, "Konflik", "2026-03-02", "laporan", "", "", "", "", "menunggu"],
        [
            t1,
            desa,
            "Trantibum",
            "2026-03-20",
            "bukti penanganan",
            f"{t1}/bukti-1.pdf",
            pdf.sha256,
            str(pdf.size),
            "application/pdf",
            "tersimpan",
        ],
    ]
    assert sorted(p.name for p in cli_env.iterdir() if p.suffix == ".tmp") == []
    assert _export_entries(database_url) == [
        {
            "actor": "cli",
            "entity_id": "35.28.08/2026-03-01/2026-03-31",
            "saluran": "cli",
            "bentuk": "zip_bukti",
            "mulai": "2026-03-01",
            "sampai": "2026-03-31",
            "isi": {"berkas": 2, "tidak_tersimpan": 1, "kasus": 2},
        }
    ]


def test_a_file_whose_bytes_changed_in_the_store_refuses_the_whole_zip(
    cli: CliRunner, cli_env: Path, seeded: dict[str, str], database_url: str
) -> None:
    sha = check_file(PDF).sha256
    (cli_env / "bukti" / sha[:2] / sha).write_bytes(PDF + b"diubah")
    target = cli_env / "bukti.zip"
    result = cli(
        "ekspor-bukti", "--dari", "2026-03-01", "--sampai", "2026-03-31", "--output", str(target)
    )
    assert result.code == 1
    name = f"{seeded['t1']}/bukti-1.pdf"
    assert texts.EVIDENCE_ZIP_MISMATCH.format(berkas=name, sha256=sha) in result.err
    assert not target.exists()
    assert [p.name for p in cli_env.iterdir() if p.name.startswith(".bukti.zip")] == []
    assert _export_entries(database_url) == []


def test_a_file_missing_from_the_store_refuses_the_zip(
    cli: CliRunner, cli_env: Path, seeded: dict[str, str], database_url: str
) -> None:
    sha = check_file(JPEG).sha256
    (cli_env / "bukti" / sha[:2] / sha).unlink()
    target = cli_env / "bukti.zip"
    result = cli(
        "ekspor-bukti", "--dari", "2026-05-01", "--sampai", "2026-05-31", "--output", str(target)
    )
    assert result.code == 1
    name = f"{seeded['k2']}/laporan-1.jpg"
    assert texts.EVIDENCE_ZIP_MISSING.format(berkas=name, sha256=sha) in result.err
    assert not target.exists()
    assert _export_entries(database_url) == []


def test_an_empty_period_writes_only_the_index_header_and_says_so(
    cli: CliRunner, cli_env: Path, seeded: dict[str, str], database_url: str
) -> None:
    target = cli_env / "kosong.zip"
    result = cli(
        "ekspor-bukti", "--dari", "2026-01-01", "--sampai", "2026-01-31", "--output", str(target)
    )
    assert result.code == 0, result.err
    assert result.out.strip() == texts.EVIDENCE_ZIP_EMPTY.format(berkas=target)
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == ["indeks.csv"]
        assert [",".join(row) for row in _index(archive)] == [HEADER]
    (entry,) = _export_entries(database_url)
    assert entry["isi"] == {"berkas": 0, "tidak_tersimpan": 0, "kasus": 0}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--dari", "2026-02-30", "--sampai", "2026-03-31"],
            "tanggal harus berformat YYYY-MM-DD: '2026-02-30'",
        ),
        (
            ["--dari", "01-03-2026", "--sampai", "2026-03-31"],
            "tanggal harus berformat YYYY-MM-DD: '01-03-2026'",
        ),
    ],
    ids=["no such day", "not iso"],
)
def test_bad_dates_are_usage_errors(
    cli: CliRunner,
    cli_env: Path,
    seeded: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    with pytest.raises(SystemExit) as raised:
        cli("ekspor-bukti", *args, "--output", str(cli_env / "b.zip"))
    assert raised.value.code == 2
    assert message in capsys.readouterr().err
    assert not (cli_env / "b.zip").exists()


def test_refusals_write_nothing(
    cli: CliRunner, cli_env: Path, seeded: dict[str, str], database_url: str
) -> None:
    target = cli_env / "b.zip"
    march = ["--dari", "2026-03-01", "--sampai", "2026-03-31"]
    result = cli(
        "ekspor-bukti", "--dari", "2026-04-01", "--sampai", "2026-03-01", "--output", str(target)
    )
    assert (result.code, result.err.strip()) == (
        1,
        "Gagal: " + texts.EVIDENCE_ZIP_ORDER.format(dari="2026-04-01", sampai="2026-03-01"),
    )
    result = cli("ekspor-bukti", *march, "--kecamatan", "99.99.99", "--output", str(target))
    assert (result.code, result.err.strip()) == (
        1,
        "Gagal: Kecamatan dengan kode 99.99.99 belum terdaftar.",
    )
    result = cli("ekspor-bukti", *march, "--output", str(cli_env / "b.tar"))
    assert result.code == 1
    assert texts.EVIDENCE_ZIP_SUFFIX.format(berkas=cli_env / "b.tar") in result.err
    result = cli("ekspor-bukti", *march, "--output", str(cli_env / "tidak-ada" / "b.zip"))
    assert result.code == 1
    assert "tidak ada" in result.err
    assert not target.exists()
    target.write_bytes(b"lama")
    result = cli("ekspor-bukti", *march, "--output", str(target))
    assert result.code == 1
    assert texts.EVIDENCE_ZIP_EXISTS.format(berkas=target) in result.err
    assert target.read_bytes() == b"lama"
    assert _export_entries(database_url) == []


def test_with_a_bucket_set_the_files_come_from_s3(
    cli: CliRunner, cli_env: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3
    from moto import mock_aws

    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("EVIDENCE_S3_BUCKET", "bukti-kantor")
    monkeypatch.setenv("EVIDENCE_S3_PREFIX", "larangan/")
    monkeypatch.setenv("EVIDENCE_DIR", str(cli_env / "tidak-dipakai"))
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket="bukti-kantor")
        assert cli("db", "upgrade").code == 0
        s3_store = S3EvidenceStore("bukti-kantor", prefix="larangan/", client=client)
        numbers = _seed_into(database_url, s3_store)
        target = cli_env / "s3.zip"
        result = cli(
            "ekspor-bukti",
            "--dari",
            "2026-05-01",
            "--sampai",
            "2026-05-31",
            "--output",
            str(target),
        )
    assert result.code == 0, result.err
    with zipfile.ZipFile(target) as archive:
        assert archive.read(f"{numbers['k2']}/laporan-1.jpg") == JPEG
    assert not (cli_env / "tidak-dipakai").exists()


def test_a_zip_whose_audit_entry_cannot_be_committed_is_removed(
    cli: CliRunner,
    cli_env: Path,
    seeded: dict[str, str],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import bot.cli.evidence as command
    from domain.audit import record_export as real

    def then_fail(uow: Any, **kwargs: Any) -> None:
        real(uow, **kwargs)

        def commit() -> None:
            raise OSError("basis data terputus")

        monkeypatch.setattr(uow, "commit", commit)

    monkeypatch.setattr(command, "record_export", then_fail)
    target = cli_env / "bukti.zip"
    with pytest.raises(OSError, match="terputus"):
        cli(
            "ekspor-bukti",
            "--dari",
            "2026-03-01",
            "--sampai",
            "2026-03-31",
            "--output",
            str(target),
        )
    assert not target.exists()
    assert [p.name for p in cli_env.iterdir() if p.name.startswith(".bukti.zip")] == []
    assert _export_entries(database_url) == []
