"""The operator CLI end to end, in-process, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from domain.skm import UNSUR
from tests.cli.conftest import CliRunner, write_csv

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "idm-kemendesa-api"

# domain.md's worked SKM check: 29 respondents with these unsur totals give NIK 91.48, A.
WORKED_TOTALS = (105, 101, 100, 116, 102, 105, 106, 105, 115)


def worked_rows(day: str = "2026-03-10") -> list[list[object]]:
    """29 respondents whose unsur totals are WORKED_TOTALS (threes, then fours)."""
    rows: list[list[object]] = []
    for i in range(29):
        scores = [4 if i < total - 87 else 3 for total in WORKED_TOTALS]
        rows.append([day, *scores])
    return rows


def indicator(report: dict[str, object], code: str) -> dict[str, object]:
    items = report["indicators"]
    assert isinstance(items, list)
    return next(item for item in items if item["code"] == code)


def test_db_upgrade_creates_the_database_and_is_idempotent(cli: CliRunner) -> None:
    first = cli("db", "upgrade")
    second = cli("db", "upgrade")
    assert first.code == 0, first.err
    assert second.code == 0, second.err
    assert "mutakhir" in second.out


def test_report_json_lists_the_five_indicators_with_no_data_yet(cli: CliRunner) -> None:
    result = cli("report", "--year", "2026", "--format", "json")
    assert result.code == 0, result.err
    report = result.json()
    codes = [item["code"] for item in report["indicators"]]
    assert codes == [
        "desa_mandiri",
        "desa_tematik",
        "konflik_tertangani",
        "trantibum_tertangani",
        "skm",
    ]
    assert report["kecamatan"]["nama"] == "Larangan"
    konflik = indicator(report, "konflik_tertangani")
    assert konflik["realisasi"] is None
    assert konflik["detail"]["tidak_ada_kejadian"] is True  # type: ignore[index]
    assert len(indicator(report, "desa_mandiri")["detail"]["desa"]) == 14  # type: ignore[index]


def test_import_idm_csv_counts_desa_mandiri_strictly_above_threshold(
    cli: CliRunner, cli_env: Path
) -> None:
    path = write_csv(
        cli_env / "idm-2026.csv",
        ["kode_desa", "tahun", "idm"],
        [
            ["3528040001", 2026, "0.8156"],  # Peltong: mandiri
            ["35.28.08.2002", 2026, "0.8155"],  # Blumbungan: exactly the threshold, maju
            ["3528040002", 2026, "0.9"],  # Trasak: mandiri
        ],
    )
    imported = cli("import-idm", str(path))
    assert imported.code == 0, imported.err
    # Scores in the Indonesian way, as everywhere else.
    assert "tahun 2026: IDM 0,8156 (Mandiri)" in imported.out
    assert "0.8156" not in imported.out
    cli("target", "set", "desa_mandiri", "2026", "4")
    report = cli("report", "--year", "2026", "--format", "json").json()
    mandiri = indicator(report, "desa_mandiri")
    assert mandiri["realisasi"] == 2
    assert mandiri["target"] == 4
    assert mandiri["capaian"] == 50
    statuses = {d["nama"]: d["status"] for d in mandiri["detail"]["desa"]}  # type: ignore[index]
    assert statuses["Peltong"] == "mandiri"
    assert statuses["Blumbungan"] == "maju"
    assert statuses["Montok"] is None


def test_import_idm_reads_kemendesa_json_files_of_a_registered_kecamatan(
    cli: CliRunner, cli_env: Path
) -> None:
    seed = {
        "kode": "35.11.15",
        "kode_bps": "3511152",
        "nama": "Cermee",
        "kabupaten": "Bondowoso",
        "provinsi": "Jawa Timur",
        "desa": [
            {"kode": f"35.11.15.20{n:02d}", "kode_bps": f"35111520{n:02d}", "nama": f"Desa {n}"}
            for n in range(1, 9)
        ],
    }
    seed_path = cli_env / "cermee.json"
    seed_path.write_text(json.dumps(seed), encoding="utf-8")
    assert cli("db", "seed", str(seed_path)).code == 0
    folder = cli_env / "idm"
    folder.mkdir()
    for sample in sorted(SAMPLES.glob("35111520*_2024.json")):
        shutil.copy(sample, folder / sample.name)
    imported = cli("import-idm", "--kecamatan", "35.11.15", str(folder))
    assert imported.code == 0, imported.err
    report = cli("report", "--year", "2024", "--kecamatan", "35.11.15", "--format", "json").json()
    mandiri = indicator(report, "desa_mandiri")
    assert mandiri["realisasi"] == 0
    by_code = {d["kode_bps"]: d for d in mandiri["detail"]["desa"]}  # type: ignore[index]
    assert by_code["3511152003"]["status"] == "berkembang"
    assert Decimal(str(by_code["3511152003"]["idm"])) == Decimal("0.67730158730159")
    # The same files again are refused, each naming its batch; --ganti replaces them.
    refused = cli("import-idm", "--kecamatan", "35.11.15", str(folder))
    assert refused.code == 1
    assert refused.err.count("sudah diimpor pada") == 8
    replaced = cli("import-idm", "--ganti", "--kecamatan", "35.11.15", str(folder))
    assert replaced.code == 0, replaced.err
    again = cli("report", "--year", "2024", "--kecamatan", "35.11.15", "--format", "json").json()
    assert indicator(again, "desa_mandiri")["detail"] == mandiri["detail"]


def test_import_idm_with_an_unknown_code_names_the_file_and_line_and_stores_nothing(
    cli: CliRunner, cli_env: Path
) -> None:
    good = write_csv(
        cli_env / "a.csv", ["kode_desa", "tahun", "idm"], [["3528040001", 2026, "0.9"]]
    )
    bad = write_csv(
        cli_env / "b.csv",
        ["kode_desa", "tahun", "idm"],
        [["3528040003", 2026, "0.7"], ["9999999999", 2026, "0.7"]],
    )
    result = cli("import-idm", str(good), str(bad))
    assert result.code == 1
    assert "b.csv" in result.err
    assert "baris 3" in result.err
    assert "9999999999" in result.err
    report = cli("report", "--year", "2026", "--format", "json").json()
    assert indicator(report, "desa_mandiri")["realisasi"] is None


def test_import_idm_rejects_a_score_outside_zero_to_one(cli: CliRunner, cli_env: Path) -> None:
    bad = write_csv(
        cli_env / "c.csv",
        ["kode_desa", "tahun", "iks", "ike", "ikl"],
        [["3528040001", 2026, "0.8", "1.2", "0.7"]],
    )
    result = cli("import-idm", str(bad))
    assert result.code == 1
    assert "c.csv" in result.err
    assert "ike" in result.err.lower()


def test_import_skm_sheet_gives_the_worked_nik_and_mutu(cli: CliRunner, cli_env: Path) -> None:
    path = write_csv(cli_env / "skm.csv", ["tanggal", *UNSUR], worked_rows())
    imported = cli("import-skm", str(path))
    assert imported.code == 0, imported.err
    cli("target", "set", "skm", "2026", "88,31")
    report = cli("report", "--year", "2026", "--semester", "1", "--format", "json").json()
    skm = indicator(report, "skm")
    assert skm["realisasi"] == 91.48
    assert skm["detail"]["mutu"] == "A"  # type: ignore[index]
    assert skm["detail"]["respondents"] == 29  # type: ignore[index]
    assert skm["capaian"] == 103.59  # 91.48 / 88.31 x 100 = 103.5896...
    # The second semester has no respondents: no realisasi, not zero.
    other = cli("report", "--year", "2026", "--semester", "2", "--format", "json").json()
    assert indicator(other, "skm")["realisasi"] is None


def test_import_skm_with_a_bad_date_and_score_stores_nothing(cli: CliRunner, cli_env: Path) -> None:
    rows = worked_rows()
    rows[3][0] = "10-03-2026"
    rows[5][4] = 5
    path = write_csv(cli_env / "skm.csv", ["tanggal", *UNSUR], rows)
    result = cli("import-skm", str(path))
    assert result.code == 1
    assert "skm.csv" in result.err
    assert "baris 5" in result.err  # header is line 1, so row index 3 is line 5
    assert "baris 7" in result.err
    report = cli("report", "--year", "2026", "--format", "json").json()
    assert indicator(report, "skm")["detail"]["respondents"] == 0  # type: ignore[index]


def test_report_table_prints_the_iku_table(cli: CliRunner) -> None:
    result = cli("report", "--year", "2026", "--quarter", "2")
    assert result.code == 0, result.err
    assert "INDIKATOR KINERJA UTAMA (IKU) KECAMATAN LARANGAN" in result.out
    assert "Triwulan 2 Tahun 2026" in result.out
    assert "Jumlah Desa Mandiri" in result.out
    assert "Seksi Kesatuan Bangsa" in result.out
    assert "Tidak ada kejadian pada periode ini" in result.out


def test_target_set_rejects_an_unknown_indicator_with_usage_error(
    cli: CliRunner, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        cli("target", "set", "desa_hebat", "2026", "3")
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "penggunaan: iku-bot target set" in err
    assert "pilihan 'desa_hebat' tidak dikenal (pilih salah satu: 'desa_mandiri'" in err
    assert "invalid choice" not in err


def test_help_speaks_indonesian_and_lists_the_indicator_codes(
    cli: CliRunner, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        cli("target", "set", "--help")
    assert exc.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    for english in ("usage:", "positional arguments", "options:", "show this help message"):
        assert english not in out
    assert "argumen:" in out
    assert "menampilkan bantuan ini lalu keluar" in out
    for code in ("desa_mandiri", "desa_tematik", "konflik_tertangani", "trantibum_tertangani"):
        assert code in out
    assert "skm (Hasil Survei Kepuasan Masyarakat, NIK)" in out
    with pytest.raises(SystemExit):
        cli("target")
    assert "argumen berikut wajib diisi: AKSI" in capsys.readouterr().err


def test_targets_print_in_their_unit_the_indonesian_way(cli: CliRunner) -> None:
    assert "desa_mandiri tahun 2026 Kecamatan Larangan: 5 desa" in (
        cli("target", "set", "desa_mandiri", "2026", "5").out
    )
    assert ": 77,50" in cli("target", "set", "skm", "2026", "77.5").out
    assert ": 80,00%" in cli("target", "set", "konflik_tertangani", "2026", "80").out
    listed = cli("target", "list", "2026").out
    assert "5 desa" in listed
    assert "77,50" in listed
    assert "80,00%" in listed
    assert "5,00" not in listed
    assert "belum ada" in listed  # desa_tematik


def test_an_unknown_kecamatan_is_explained(cli: CliRunner) -> None:
    result = cli("report", "--year", "2026", "--kecamatan", "99.99.99")
    assert result.code == 1
    assert "99.99.99" in result.err
    assert "belum terdaftar" in result.err
