"""import-idm of published results: kode_desa,tahun,skor,status (IDM up to 2024,
Indeks Desa from 2025), CSV and XLSX."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import CliRunner, write_csv
from tests.cli.test_cli import indicator
from tests.cli.test_import_batches import write_xlsx

pytestmark = pytest.mark.usefixtures("larangan")

HEADER = ["kode_desa", "tahun", "skor", "status"]
DIMENSIONS = [
    "layanan_dasar",
    "sosial",
    "ekonomi",
    "lingkungan",
    "aksesibilitas",
    "tata_kelola_pemerintahan",
]
DECREE = "Kepmendes No. 343 Tahun 2025"


def _mandiri(cli: CliRunner, year: int) -> dict[str, Any]:
    report = cli("report", "--year", str(year), "--format", "json").json()
    row = indicator(report, "desa_mandiri")
    assert isinstance(row, dict)
    return row


def test_a_csv_of_2025_indeks_desa_counts_the_published_mandiri(
    cli: CliRunner, cli_env: Path
) -> None:
    path = write_csv(
        cli_env / "indeks-desa-2025.csv",
        [*HEADER, *DIMENSIONS, "sumber"],
        [
            # A high score but published Maju: not mandiri.
            ["3528040001", 2025, "85", "Maju", 90, 80, 85, 80, 85, 90, DECREE],
            ["35.28.08.2003", 2025, "78,5", "MANDIRI", "", "", "", "", "", "", DECREE],
            ["3528040003", 2025, "55.25", "sangat tertinggal", "", "", "", "", "", "", ""],
        ],
        sep=";",
    )
    result = cli("import-idm", str(path))
    assert result.code == 0, result.err
    assert "indeks-desa-2025.csv: 3 baru, 0 diperbarui (batch #1)" in result.out
    assert "Indeks Desa 85,00 (Maju)" in result.out
    row = _mandiri(cli, 2025)
    assert row["realisasi"] == 1
    assert "Indeks Desa tahun 2025" in row["keterangan"]
    assert DECREE in row["keterangan"]
    detail = row["detail"]
    first = detail["desa"][0]
    assert (first["indeks"], first["skor"], first["status"]) == ("indeks_desa", 85, "maju")
    assert first["dimensi"]["layanan_dasar"] == 90
    assert first["sumber_status"] == DECREE
    third = next(d for d in detail["desa"] if d["kode_bps"] == "3528040003")
    assert third["sumber_status"] == "indeks-desa-2025.csv"  # no sumber: the file
    listing = cli("import", "list")
    assert "indeks-desa-2025.csv" in listing.out


def test_an_xlsx_of_2024_idm_counts_above_08155_and_flags_a_different_status(
    cli: CliRunner, cli_env: Path
) -> None:
    path = write_xlsx(
        cli_env / "idm-2024.xlsx",
        ["Kode_Desa", "Tahun", "Skor", "Status"],
        [
            [3528040001, 2024, 0.8155, "Maju"],  # exactly the threshold: not mandiri
            [3528040003, 2024, "0.81550000000001", "Mandiri"],
            ["3528040004", 2024.0, 0.7, "Mandiri"],  # published Mandiri, score Berkembang
        ],
    )
    result = cli("import-idm", str(path))
    assert result.code == 0, result.err
    assert "idm-2024.xlsx: 3 baru, 0 diperbarui (batch #1)" in result.out
    assert "status terbit Mandiri berbeda dengan status dari skor: ditandai" in result.out
    row = _mandiri(cli, 2024)
    assert row["realisasi"] == 1
    assert (
        "IDM tahun 2024: dihitung desa dengan IDM > 0,8155 (sumber: idm-2024.xlsx)"
        in (row["keterangan"])
    )
    assert "(terbit Mandiri, dari skor Berkembang)" in row["keterangan"]
    detail = row["detail"]
    assert len(detail["ditandai"]) == 1
    flagged = next(d for d in detail["desa"] if d["ditandai"])
    assert (flagged["status"], flagged["status_terbit"]) == ("berkembang", "Mandiri")
    assert Decimal(str(flagged["idm"])) == Decimal("0.7")


def test_a_bad_file_names_every_problem_and_stores_nothing(cli: CliRunner, cli_env: Path) -> None:
    path = write_csv(
        cli_env / "salah.csv",
        [*HEADER, "sosial"],
        [
            ["3528040001", 2024, "85", "Maju", ""],  # IDM year: 0-1
            ["3528040003", 2025, "101", "Mandiri", ""],  # Indeks Desa: 0-100
            ["3528040004", 2025, "70", "Hebat", ""],  # no such status
            ["3528040005", 2024, "0.5", "Maju", "70"],  # dimensions only for Indeks Desa
            ["3528040006", 2025, "abc", "Maju", "120"],
            ["3528040007", 2025, "80", "Maju", ""],  # a good row: not stored either
        ],
    )
    result = cli("import-idm", str(path))
    assert result.code == 1
    err = result.err
    assert (
        "salah.csv, baris 2, kolom/isian skor: skor IDM (tahun 2024 dan sebelumnya) harus 0-1"
        in (err)
    )
    assert (
        "salah.csv, baris 3, kolom/isian skor: skor Indeks Desa (tahun 2025 dan sesudahnya) "
        "harus 0-100 (diterima 101)" in err
    )
    assert "salah.csv, baris 4, kolom/isian status: status harus salah satu dari Mandiri" in err
    assert "salah.csv, baris 5, kolom/isian sosial: skor dimensi hanya untuk Indeks Desa" in err
    assert "salah.csv, baris 6, kolom/isian skor: skor harus angka" in err
    assert "salah.csv, baris 6, kolom/isian sosial: harus angka 0-100" in err
    assert _mandiri(cli, 2025)["detail"]["desa"][0]["skor"] is None
    assert _mandiri(cli, 2024)["realisasi"] is None
    assert "salah.csv" not in cli("import", "list").out


def test_a_file_without_the_required_columns_is_refused(cli: CliRunner, cli_env: Path) -> None:
    path = write_csv(cli_env / "kolom.csv", ["kode_desa", "skor", "nilai"], [["3528040001", 1, 2]])
    result = cli("import-idm", str(path))
    assert result.code == 1
    assert "kolom.csv, baris 1, kolom/isian nilai: kolom tidak dikenal" in result.err
    assert "kolom.csv, baris 1, kolom/isian tahun: kolom wajib tidak ada" in result.err
    assert "kolom.csv, baris 1, kolom/isian status: kolom wajib tidak ada" in result.err


def test_undoing_a_batch_puts_back_the_indeks_desa_it_overwrote(
    cli: CliRunner, cli_env: Path
) -> None:
    first = write_csv(
        cli_env / "awal.csv",
        [*HEADER, "sosial", "sumber"],
        [["3528040001", 2025, "90", "Mandiri", "88.5", DECREE]],
    )
    second = write_csv(cli_env / "ralat.csv", HEADER, [["3528040001", 2025, "70", "Berkembang"]])
    assert cli("import-idm", str(first)).code == 0
    assert cli("import-idm", str(second)).code == 0
    desa = _mandiri(cli, 2025)["detail"]["desa"][0]
    assert (desa["skor"], desa["status"], desa["dimensi"]) == (70, "berkembang", None)
    undone = cli("import", "undo", "2")
    assert undone.code == 0, undone.err
    row = _mandiri(cli, 2025)
    desa = row["detail"]["desa"][0]
    assert (desa["indeks"], desa["skor"], desa["status"]) == ("indeks_desa", 90, "mandiri")
    assert desa["dimensi"] == {"sosial": 88.5}
    assert desa["sumber_status"] == DECREE
    assert row["realisasi"] == 1
