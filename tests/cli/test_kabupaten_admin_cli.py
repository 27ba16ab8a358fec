"""``iku-bot admin-kabupaten add``: registered once, active at once, audited."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import CliRunner

KABUPATEN_FILE = (
    Path(__file__).resolve().parents[1] / "data" / "kabupaten" / ("pamekasan-2-kecamatan.json")
)


def test_adding_the_admin_kabupaten_twice_changes_nothing_the_second_time(cli: CliRunner) -> None:
    assert cli("db", "seed", str(KABUPATEN_FILE)).code == 0
    args = ("admin-kabupaten", "add", "--telegram-id", "4242", "--kabupaten", "35.28")
    first = cli(*args, "--nama", "Rina Pemerintahan", "--kecamatan", "35.28.09")
    assert first.code == 0, first.err
    assert "terdaftar sebagai admin Kabupaten Pamekasan (35.28)" in first.out
    assert "kecamatan asal Pademawu" in first.out
    second = cli(*args, "--nama", "Rina Pemerintahan")
    assert second.code == 0, second.err
    assert "tidak ada yang berubah" in second.out


def test_a_bad_kabupaten_is_explained(cli: CliRunner) -> None:
    args = ("admin-kabupaten", "add", "--telegram-id", "1", "--nama", "Rina")
    unknown = cli(*args, "--kabupaten", "35.99")
    assert unknown.code == 1
    assert "35.99 belum punya kecamatan" in unknown.err
