"""``iku-bot digest --dry-run``: the digest printed as it would be sent, nothing sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import CliRunner


def test_dry_run_prints_the_digest_and_writes_the_chart(cli: CliRunner, tmp_path: Path) -> None:
    chart = tmp_path / "grafik.png"
    result = cli("digest", "--dry-run", "--week", "2026-W47", "--chart", str(chart))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("--- pesan 1/1 (")
    assert lines[1] == "<b>Ringkasan Mingguan IKU Kecamatan Larangan</b>"
    assert lines[2] == "Minggu 2026-W47 (16 November 2026 s.d. 22 November 2026)"
    assert "<b>IKU tahun 2026 s.d. 22 November 2026</b>" in result.out
    assert "Belum ada kabar (14): Peltong, Blumbungan," in result.out
    assert result.out.rstrip().endswith(f"Grafik ditulis ke {chart} ({chart.stat().st_size} bita).")
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_dry_run_needs_the_flag(cli: CliRunner) -> None:
    result = cli("digest")
    assert result.code == 2
    assert "gunakan --dry-run" in result.err
    assert result.out == ""


@pytest.mark.parametrize("week", ["2026-47", "2025-W53", "besok"])
def test_a_bad_week_is_a_usage_error(cli: CliRunner, week: str) -> None:
    with pytest.raises(SystemExit) as exc:
        cli("digest", "--dry-run", "--week", week)
    assert exc.value.code == 2


def test_a_week_that_has_not_begun_is_refused(cli: CliRunner) -> None:
    result = cli("digest", "--dry-run", "--week", "2099-W01")
    assert result.code == 1
    assert "Minggu 2099-W01 belum dimulai" in result.err


def test_the_chart_folder_must_exist(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("digest", "--dry-run", "--chart", str(tmp_path / "tidak-ada" / "g.png"))
    assert result.code == 1
    assert "tidak ada" in result.err
