"""Example services through the CLI: a fresh install lists them; confirm and remove."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import storage
from domain.skm import UNSUR
from tests.cli.conftest import CliRunner, write_csv
from tests.cli.test_cli import indicator, worked_rows
from tests.storage.builders import PADEMAWU

HEADER = ["tanggal", *UNSUR, "layanan"]
MARK = "(contoh, belum dikonfirmasi)"
LARANGAN_FILE = Path(storage.__file__).parent / "data" / "kecamatan" / "35.28.08.json"


def _line(listed: str, kode: str) -> str:
    return next(line for line in listed.splitlines() if line.split()[:1] == [kode])


def test_a_fresh_install_lists_the_usual_services_as_examples(cli: CliRunner) -> None:
    listed = cli("layanan", "list")
    assert listed.code == 0, listed.err
    assert "Layanan SKM Kecamatan Larangan:" in listed.out
    for kode, nama in [
        ("ktp", "Rekomendasi KTP-el"),
        ("kk", "Kartu Keluarga"),
        ("pindah", "Surat Pindah"),
        ("sktm", "Surat Keterangan Tidak Mampu (SKTM)"),
        ("dispensasi", "Dispensasi Nikah"),
        ("pbg", "Rekomendasi PBG"),
    ]:
        line = _line(listed.out, kode)
        assert nama in line
        assert line.endswith(MARK)
        assert "(nonaktif)" not in line
    assert "iku-bot layanan confirm KODE" in listed.out
    assert "iku-bot layanan remove KODE" in listed.out


def test_a_confirmed_example_is_listed_as_a_normal_service(cli: CliRunner) -> None:
    confirmed = cli("layanan", "confirm", "KTP")
    assert confirmed.code == 0, confirmed.err
    assert confirmed.out == (
        "Layanan ktp (Rekomendasi KTP-el) dikonfirmasi sebagai layanan Kecamatan Larangan.\n"
    )
    listed = cli("layanan", "list").out
    assert MARK not in _line(listed, "ktp")
    assert _line(listed, "kk").endswith(MARK)
    again = cli("layanan", "confirm", "ktp")
    assert again.code == 1
    assert "Layanan ktp (Rekomendasi KTP-el) bukan layanan contoh" in again.err


def test_a_removed_example_without_responses_is_gone(cli: CliRunner) -> None:
    removed = cli("layanan", "remove", "pbg")
    assert removed.code == 0, removed.err
    assert removed.out == "Layanan contoh pbg (Rekomendasi PBG) dihapus.\n"
    listed = cli("layanan", "list").out
    assert "pbg" not in listed
    assert "Rekomendasi PBG" not in listed
    gone = cli("layanan", "remove", "pbg")
    assert gone.code == 1
    assert "Layanan dengan kode pbg belum terdaftar." in gone.err


def test_a_removed_example_with_responses_is_deactivated_and_still_counted(
    cli: CliRunner, cli_env: Path
) -> None:
    path = write_csv(cli_env / "skm.csv", HEADER, [[*r, "kk"] for r in worked_rows()])
    assert cli("import-skm", str(path)).code == 0
    removed = cli("layanan", "remove", "kk")
    assert removed.code == 0, removed.err
    assert removed.out == (
        "Layanan contoh kk (Kartu Keluarga) sudah punya 29 tanggapan: layanan dinonaktifkan, "
        "tanggapannya tetap tersimpan.\n"
    )
    line = _line(cli("layanan", "list").out, "kk")
    assert line.endswith("(nonaktif)")
    assert MARK not in line
    report = cli("report", "--year", "2026", "--format", "json").json()
    assert indicator(report, "skm")["detail"]["respondents"] == 29  # type: ignore[index]
    again = cli("layanan", "remove", "kk")
    assert again.code == 1
    assert "bukan layanan contoh" in again.err


def test_only_examples_are_confirmed_or_removed(cli: CliRunner) -> None:
    assert cli("layanan", "add", "dom", "Surat Keterangan Domisili").code == 0
    for action in ("confirm", "remove"):
        own = cli("layanan", action, "dom")
        assert own.code == 1
        assert own.err == (
            "Gagal: Layanan dom (Surat Keterangan Domisili) bukan layanan contoh: "
            "layanan ini sudah dikonfirmasi.\n"
        )
        unknown = cli("layanan", action, "akta")
        assert unknown.code == 1
        assert unknown.err == "Gagal: Layanan dengan kode akta belum terdaftar.\n"
    assert MARK not in _line(cli("layanan", "list").out, "dom")


def test_removed_and_deactivated_examples_stay_away_after_a_restart_and_a_seed(
    cli: CliRunner,
) -> None:
    for kode in ("ktp", "kk", "pindah", "sktm"):
        assert cli("layanan", "remove", kode).code == 0
    for kode in ("dispensasi", "pbg"):
        assert cli("layanan", "update", kode, "--nonaktif").code == 0
    assert cli("db", "upgrade").code == 0  # seeds the packaged data again
    seeded = cli("db", "seed", str(LARANGAN_FILE))
    assert seeded.out == (  # the two deactivated ones are still examples
        "Kecamatan Larangan (35.28.08) dengan 14 desa: sudah terdaftar, tidak berubah.\n"
        "2 layanan contoh belum dikonfirmasi (lihat 'iku-bot layanan list').\n"
    )
    listed = cli("layanan", "list").out
    assert [line.split()[0] for line in listed.splitlines()[1:] if line.startswith("  ")] == [
        "dispensasi",
        "pbg",
    ]
    assert "(nonaktif)" in _line(listed, "pbg")


def test_db_seed_of_a_file_with_example_services(cli: CliRunner, cli_env: Path) -> None:
    data = {
        **PADEMAWU,
        "layanan_contoh": [
            {"kode": "domisili", "nama": "Surat Keterangan Domisili"},
            {"kode": "sktm", "nama": "Surat Keterangan Tidak Mampu"},
        ],
    }
    path = cli_env / "35.28.09.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    seeded = cli("db", "seed", str(path))
    assert seeded.code == 0, seeded.err
    assert seeded.out == (
        "Kecamatan Pademawu (35.28.09) dengan 2 desa: 5 baris baru/diubah.\n"
        "2 layanan contoh belum dikonfirmasi (lihat 'iku-bot layanan list').\n"
    )
    listed = cli("layanan", "list", "--kecamatan", "35.28.09").out
    assert _line(listed, "domisili").endswith(MARK)
    assert _line(listed, "sktm").endswith(MARK)
    assert cli("layanan", "remove", "domisili", "--kecamatan", "35.28.09").code == 0
    again = cli("db", "seed", str(path))
    assert again.out == (
        "Kecamatan Pademawu (35.28.09) dengan 2 desa: sudah terdaftar, tidak berubah.\n"
        "1 layanan contoh belum dikonfirmasi (lihat 'iku-bot layanan list').\n"
    )
    assert "domisili" not in cli("layanan", "list", "--kecamatan", "35.28.09").out


def test_a_db_seed_file_with_a_bad_example_is_refused_naming_it(
    cli: CliRunner, cli_env: Path
) -> None:
    data = {**PADEMAWU, "layanan_contoh": [{"kode": "ok", "nama": "Layanan"}, {"kode": "x y"}]}
    path = cli_env / "35.28.09.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    refused = cli("db", "seed", str(path))
    assert refused.code == 1
    assert (
        refused.err == "Gagal: 35.28.09.json: layanan_contoh ke-2: isian 'nama' wajib berupa teks\n"
    )
    assert cli("layanan", "list", "--kecamatan", "35.28.09").code == 1  # nothing stored


def test_help_of_confirm_and_remove_speaks_indonesian(
    cli: CliRunner, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        cli("layanan", "--help")
    out = " ".join(capsys.readouterr().out.split())
    assert "confirm mengonfirmasi layanan contoh sebagai layanan kantor" in out
    assert "remove menghapus layanan contoh" in out
