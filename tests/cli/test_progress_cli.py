"""``iku-bot perkembangan``: the desa statuses over the years as text and JSON, from
results imported with ``import-idm``; bad ranges are usage errors."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.cli.conftest import CliRunner, write_csv

pytestmark = pytest.mark.usefixtures("larangan")


def _import(cli: CliRunner, folder: Path) -> None:
    path = write_csv(
        folder / "hasil.csv",
        ["kode_desa", "tahun", "skor", "status"],
        [
            ["3528040001", 2024, "0.8155", "Maju"],
            ["3528040001", 2025, "85", "Mandiri"],
            ["3528040006", 2024, "0.6000", "Berkembang"],
            ["3528040006", 2025, "62.5", "Berkembang"],
        ],
    )
    result = cli("import-idm", str(path))
    assert result.code == 0, result.err


def test_json_has_the_statuses_changes_counts_and_closest(cli: CliRunner, cli_env: Path) -> None:
    _import(cli, cli_env)
    result = cli("perkembangan", "--format", "json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["tahun"] == [2024, 2025]
    peltong = data["desa"][0]
    assert peltong["nama"] == "Peltong"
    assert peltong["per_tahun"]["2024"]["indeks"] == "idm"
    assert peltong["per_tahun"]["2024"]["status"] == "maju"
    assert Decimal(peltong["per_tahun"]["2024"]["skor"]) == Decimal("0.8155")
    assert peltong["per_tahun"]["2025"]["indeks"] == "indeks_desa"
    assert peltong["perubahan"] == [{"dari": 2024, "ke": 2025, "arah": "naik"}]
    by_year = {c["tahun"]: c for c in data["per_status"]}
    assert by_year[2025]["jumlah"]["mandiri"] == 1
    assert by_year[2025]["tanpa_data"] == 12
    # Blumbungan, Berkembang in 2025: no Maju desa published that year, so no estimate.
    assert data["terdekat"] == [
        {
            "kode": "35.28.08.2002",
            "nama": "Blumbungan",
            "tahun": 2025,
            "status": "berkembang",
            "target": "maju",
            "skor": data["terdekat"][0]["skor"],
            "skor_minimal": None,
            "kekurangan": None,
            "resmi": False,
        }
    ]
    assert Decimal(data["terdekat"][0]["skor"]) == Decimal("62.5")
    idm_only = cli("perkembangan", "--to", "2024", "--format", "json").json()
    closest = idm_only["terdekat"][0]
    assert (closest["nama"], closest["resmi"]) == ("Peltong", True)
    assert Decimal(closest["kekurangan"]) == Decimal("0.0001")


def test_text_is_the_table_without_html(cli: CliRunner, cli_env: Path) -> None:
    _import(cli, cli_env)
    result = cli("perkembangan", "--from", "2024")
    assert result.code == 0, result.err
    assert "Perkembangan status desa Kecamatan Larangan, 2024–2025" in result.out
    assert "Peltong        MJ  MD" in result.out
    assert "Blumbungan     BK  BK" in result.out
    assert "IDM 2024: status dari skor (IDM > 0,8155 = Mandiri)." in result.out
    assert "<pre>" not in result.out


def test_bad_ranges_are_usage_errors_and_no_data_is_said(cli: CliRunner, cli_env: Path) -> None:
    _import(cli, cli_env)
    reversed_range = cli("perkembangan", "--from", "2025", "--to", "2024")
    assert reversed_range.code == 2
    assert "Tahun awal 2025 sesudah tahun akhir 2024" in reversed_range.err
    future = cli("perkembangan", "--to", "2099")
    assert future.code == 2
    assert "Tahun 2099 belum tiba" in future.err
    empty = cli("perkembangan", "--from", "2016", "--to", "2020")
    assert empty.code == 0
    assert "Belum ada data IDM maupun Indeks Desa Kecamatan Larangan untuk tahun 2016–2020" in (
        empty.out
    )
