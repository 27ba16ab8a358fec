"""``iku-bot db seed`` of a kabupaten file: idempotent, all problems at once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli.conftest import CliRunner

KABUPATEN_FILE = (
    Path(__file__).resolve().parents[1] / "data" / "kabupaten" / ("pamekasan-2-kecamatan.json")
)


def _kabupaten() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(KABUPATEN_FILE.read_text(encoding="utf-8"))
    return data


def _kecamatan_json(cli: CliRunner, kode: str) -> dict[str, Any]:
    report = cli("report", "--year", "2026", "--kecamatan", kode, "--format", "json")
    assert report.code == 0, report.err
    result: dict[str, Any] = report.json()
    return result


def _desa_names(cli: CliRunner, kode: str) -> list[str]:
    items = _kecamatan_json(cli, kode)["indicators"][0]["detail"]["desa"]
    return sorted(d["nama"] for d in items)


def test_seeding_a_kabupaten_twice_changes_nothing_the_second_time(cli: CliRunner) -> None:
    first = cli("db", "seed", str(KABUPATEN_FILE))
    assert first.code == 0, first.err
    assert "Kecamatan Pademawu (35.28.09) dengan 2 desa: 3 baris baru/diubah." in first.out
    second = cli("db", "seed", str(KABUPATEN_FILE))
    assert second.code == 0, second.err
    assert second.out.count("sudah terdaftar, tidak berubah.") == 2
    assert _desa_names(cli, "35.28.09") == ["Bunder", "Murtajih"]
    assert len(_desa_names(cli, "35.28.08")) == 14
    assert _kecamatan_json(cli, "35.28.09")["kecamatan"]["nama"] == "Pademawu"


def test_a_changed_desa_name_is_updated(cli: CliRunner, cli_env: Path) -> None:
    assert cli("db", "seed", str(KABUPATEN_FILE)).code == 0
    data = _kabupaten()
    data["kecamatan"][1]["desa"][1]["nama"] = "Bunder Baru"
    path = cli_env / "kab.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    again = cli("db", "seed", str(path))
    assert again.code == 0, again.err
    assert "Kecamatan Pademawu (35.28.09) dengan 2 desa: 1 baris baru/diubah." in again.out
    assert _desa_names(cli, "35.28.09") == ["Bunder Baru", "Murtajih"]


def test_a_bad_kabupaten_file_names_every_problem_and_writes_nothing(
    cli: CliRunner, cli_env: Path
) -> None:
    data = _kabupaten()
    pademawu = data["kecamatan"][1]
    pademawu["desa"].append({"kode": "35.28.09.2003", "kode_bps": "352805", "nama": "Dasok"})
    pademawu["desa"].append({"kode": "35.28.09.2001", "kode_bps": "3528050004", "nama": "Ulang"})
    data["kecamatan"].append(
        {"kode": "35.29.01", "kode_bps": "3529010", "nama": "Luar", "desa": []}
    )
    path = cli_env / "kab.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    refused = cli("db", "seed", str(path))
    assert refused.code == 1
    assert "kecamatan ke-2: desa ke-3: kode_bps 352805 harus 10 digit" in refused.err
    assert "kecamatan ke-2: desa ke-4: kode 35.28.09.2001 ganda" in refused.err
    assert "kecamatan ke-3: daftar 'desa' wajib diisi" in refused.err
    assert "kecamatan ke-3: kode 35.29.01 bukan kecamatan kabupaten 35.28" in refused.err
    # Nothing of the file written: Pademawu is still unknown.
    missing = cli("report", "--year", "2026", "--kecamatan", "35.28.09", "--format", "json")
    assert missing.code == 1


def test_a_desa_code_of_another_kecamatan_is_refused_and_nothing_written(
    cli: CliRunner, cli_env: Path
) -> None:
    assert cli("db", "upgrade").code == 0  # Larangan, with Peltong 3528040001
    data = _kabupaten()
    data["kecamatan"][1]["kode_bps"] = "3528040"
    data["kecamatan"][1]["desa"] = [
        {"kode": "35.28.09.2001", "kode_bps": "3528040001", "nama": "Murtajih"}
    ]
    data["kecamatan"] = data["kecamatan"][1:]
    path = cli_env / "kab.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    refused = cli("db", "seed", str(path))
    assert refused.code == 1
    assert (
        "desa Murtajih kode 3528040001 sudah terdaftar di Kecamatan Larangan (35.28.08) "
        "sebagai Peltong"
    ) in refused.err
    missing = cli("report", "--year", "2026", "--kecamatan", "35.28.09", "--format", "json")
    assert missing.code == 1
