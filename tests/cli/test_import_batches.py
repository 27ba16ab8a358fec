"""Imports as batches through the CLI: the same file refused, --ganti, list, undo, XLSX."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, func, select
from sqlmodel import col

import storage.readers
from domain.skm import UNSUR
from storage.engine import make_engine
from storage.tables import AuditLogRow, SkmResponseRow
from tests.cli.conftest import CliRunner, write_csv
from tests.cli.test_cli import indicator, worked_rows

pytestmark = pytest.mark.usefixtures("larangan")

SKM_HEADER = ["tanggal", *UNSUR, "saran"]
IDM_HEADER = ["kode_desa", "tahun", "idm"]
FUTURE = date.today().year + 4  # 2030 when these tests were written


@pytest.fixture
def db(database_url: str) -> Iterator[Engine]:
    """The CLI's database, to count rows behind its back."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _sheet(path: Path) -> Path:
    rows = [[*row, f"saran nomor {n}"] for n, row in enumerate(worked_rows())]
    return write_csv(path, SKM_HEADER, rows)


def _respondents(cli: CliRunner) -> int:
    report = cli("report", "--year", "2026", "--format", "json").json()
    detail = indicator(report, "skm")["detail"]
    assert isinstance(detail, dict)
    return int(detail["respondents"])


def _suggestions(db: Engine) -> list[str | None]:
    with db.connect() as conn:
        rows = conn.execute(select(col(SkmResponseRow.saran)).order_by(col(SkmResponseRow.id)))
        return [r[0] for r in rows]


def _idm_of(cli: CliRunner, nama: str, year: int = 2026) -> tuple[str | None, Decimal | None]:
    report = cli("report", "--year", str(year), "--format", "json").json()
    detail = indicator(report, "desa_mandiri")["detail"]
    assert isinstance(detail, dict)
    row = next(d for d in detail["desa"] if d["nama"] == nama)
    return row["status"], None if row["idm"] is None else Decimal(str(row["idm"]))


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


# --- SKM ------------------------------------------------------------------------------------


def test_the_same_skm_sheet_twice_is_refused_and_29_stay_29(
    cli: CliRunner, cli_env: Path, db: Engine
) -> None:
    path = _sheet(cli_env / "kuesioner.csv")
    first = cli("import-skm", str(path))
    assert first.code == 0, first.err
    assert "29 responden SKM disimpan" in first.out
    assert "Tercatat sebagai batch #1." in first.out
    nik = indicator(cli("report", "--year", "2026", "--format", "json").json(), "skm")

    again = cli("import-skm", str(path))
    assert again.code == 1
    assert again.out == ""
    assert "Impor dibatalkan, tidak ada data yang disimpan (1 masalah):" in again.err
    assert "kuesioner.csv: berkas yang sama (SHA-256 " in again.err
    assert " WIB sebagai batch #1 (29 disimpan), jadi tidak diimpor lagi" in again.err
    assert "--ganti" in again.err
    assert "iku-bot import undo 1" in again.err
    # A renamed copy is the same file.
    copy = cli_env / "salinan.csv"
    copy.write_bytes(path.read_bytes())
    assert cli("import-skm", str(copy)).code == 1

    assert _respondents(cli) == 29
    assert indicator(cli("report", "--year", "2026", "--format", "json").json(), "skm") == nik
    suggestions = _suggestions(db)
    assert len(suggestions) == len(set(suggestions)) == 29


def test_ganti_replaces_the_sheet_and_29_stay_29(cli: CliRunner, cli_env: Path, db: Engine) -> None:
    path = _sheet(cli_env / "kuesioner.csv")
    assert cli("import-skm", str(path)).code == 0
    nik = indicator(cli("report", "--year", "2026", "--format", "json").json(), "skm")
    replaced = cli("import-skm", "--ganti", str(path))
    assert replaced.code == 0, replaced.err
    assert "Tercatat sebagai batch #2." in replaced.out
    assert "Batch #1 yang lama (diimpor " in replaced.out
    assert "dibatalkan dan diganti: 29 responden lamanya dihapus." in replaced.out
    assert _respondents(cli) == 29
    assert indicator(cli("report", "--year", "2026", "--format", "json").json(), "skm") == nik
    assert len(_suggestions(db)) == 29

    listed = cli("import", "list")
    assert listed.code == 0, listed.err
    lines = listed.out.splitlines()
    assert lines[0] == "Batch impor Kecamatan Larangan, terbaru dulu (2 dari 2):"
    assert lines[1].startswith("#2  SKM  kuesioner.csv  sha256 ")
    assert " oleh cli" in lines[1]
    assert lines[1].endswith(" WIB")
    assert lines[2].strip() == "dibaca 29, disimpan 29, diganti 29; aktif"
    assert lines[3].startswith("#1  SKM  kuesioner.csv  sha256 ")
    assert lines[1].split("sha256 ")[1][:12] == lines[3].split("sha256 ")[1][:12]
    assert "dibaca 29, disimpan 29, diganti 0; dibatalkan " in lines[4]
    assert lines[4].endswith(", diganti batch #2")


def test_undo_removes_the_respondents_is_audited_and_is_refused_twice(
    cli: CliRunner, cli_env: Path, db: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli("import-skm", str(_sheet(cli_env / "kuesioner.csv"))).code == 0
    undone = cli("import", "undo", "1")
    assert undone.code == 0, undone.err
    assert undone.out.startswith("Batch #1 (SKM, kuesioner.csv, diimpor ")
    assert "dibatalkan: 29 responden SKM dihapus." in undone.out
    assert _respondents(cli) == 0
    with db.connect() as conn:
        entry = conn.execute(
            select(AuditLogRow.action, AuditLogRow.entity_id, AuditLogRow.actor)  # type: ignore[call-overload]
            .where(col(AuditLogRow.action) != "export_json")  # the report read just above
            .order_by(col(AuditLogRow.id).desc())
            .limit(1)
        ).one()
        responses = conn.scalar(select(func.count()).select_from(SkmResponseRow))
    assert (entry.action, entry.entity_id) == ("undo_import", "1")
    assert entry.actor.startswith("cli")
    assert responses == 0

    twice = cli("import", "undo", "#1")
    assert twice.code == 1
    assert "Batch impor #1 (kuesioner.csv) sudah dibatalkan pada " in twice.err
    assert "tidak ada yang diubah" in twice.err
    assert cli("import", "undo", "99").code == 1
    assert "#99 tidak ada" in cli("import", "undo", "99").err
    with pytest.raises(SystemExit) as usage:
        cli("import", "undo", "satu")
    assert usage.value.code == 2
    assert "nomor batch harus bilangan bulat positif" in capsys.readouterr().err
    # Undone, the sheet can be imported again.
    assert cli("import-skm", str(cli_env / "kuesioner.csv")).code == 0
    assert _respondents(cli) == 29


def test_a_corrected_sheet_with_the_same_name_is_stored_with_a_note(
    cli: CliRunner, cli_env: Path
) -> None:
    path = _sheet(cli_env / "kuesioner.csv")
    assert cli("import-skm", str(path)).code == 0
    rows = worked_rows()[:3]
    write_csv(path, ["tanggal", *UNSUR], rows)
    second = cli("import-skm", str(path))
    assert second.code == 0, second.err
    assert (
        "Catatan: berkas bernama kuesioner.csv dengan isi lain sudah diimpor sebagai batch #1"
        in (second.out)
    )
    assert "'iku-bot import undo 1'" in second.out
    assert _respondents(cli) == 32


# --- IDM ------------------------------------------------------------------------------------


def test_idm_undo_restores_the_values_the_import_replaced(cli: CliRunner, cli_env: Path) -> None:
    first = write_csv(cli_env / "idm-a.csv", IDM_HEADER, [["3528040001", 2026, "0.9"]])
    second = write_csv(
        cli_env / "idm-b.csv",
        IDM_HEADER,
        [["35.28.08.2001", 2026, "0.55"], ["3528040002", 2026, "0.7"]],
    )
    assert cli("import-idm", str(first)).code == 0
    replaced = cli("import-idm", str(second))
    assert replaced.code == 0, replaced.err
    assert "idm-b.csv: 1 baru, 1 diperbarui (batch #2)" in replaced.out
    assert _idm_of(cli, "Peltong") == ("tertinggal", Decimal("0.55"))
    undone = cli("import", "undo", "2")
    assert undone.code == 0, undone.err
    assert "1 hasil IDM dikembalikan ke nilai sebelumnya, 1 dihapus" in undone.out
    assert _idm_of(cli, "Peltong") == ("mandiri", Decimal("0.9"))
    assert _idm_of(cli, "Trasak") == (None, None)
    listed = cli("import", "list", "--jenis", "idm", "--batas", "1").out.splitlines()
    assert listed[0] == "Batch impor Kecamatan Larangan, terbaru dulu (1 dari 2):"
    assert listed[1].startswith("#2  IDM  idm-b.csv")
    assert "dibaca 2, disimpan 2, diganti 1; dibatalkan " in listed[2]
    assert listed[-1] == "... 1 batch lebih lama tidak ditampilkan (pakai --batas N)."
    assert "SKM" not in cli("import", "list", "--jenis", "idm").out
    assert cli("import", "list", "--jenis", "skm").out == (
        "Belum ada batch impor di Kecamatan Larangan.\n"
    )


def test_a_future_year_is_refused_as_the_bot_refuses_it(cli: CliRunner, cli_env: Path) -> None:
    this_year = date.today().year
    path = write_csv(
        cli_env / "idm.csv",
        IDM_HEADER,
        [["3528040001", FUTURE, "0.9"], ["3528040002", 2014, "0.7"], ["3528040003", 2026, "0.7"]],
    )
    result = cli("import-idm", str(path))
    assert result.code == 1
    assert f"idm.csv, baris 2, kolom/isian tahun: tahun {FUTURE} di luar 2015-{this_year}" in (
        result.err
    )
    assert f"idm.csv, baris 3, kolom/isian tahun: tahun 2014 di luar 2015-{this_year}" in result.err
    assert _idm_of(cli, "Tentenan Barat") == (None, None)  # the good row is not stored alone
    assert "Belum ada batch impor" in cli("import", "list").out


def test_a_desa_twice_in_one_file_is_refused_also_by_its_two_codes(
    cli: CliRunner, cli_env: Path
) -> None:
    path = write_csv(
        cli_env / "idm.csv",
        IDM_HEADER,
        [["3528040001", 2026, "0.9"], ["35.28.08.2001", 2026, "0.8"], ["3528040001", 2025, "0.7"]],
    )
    result = cli("import-idm", str(path))
    assert result.code == 1
    assert (
        "idm.csv, baris 3, kolom/isian kode_desa: Desa Peltong tahun 2026 muncul lebih dari "
        "sekali (pertama di baris 2)" in result.err
    )
    assert "baris 4" not in result.err  # another year is another result
    assert _idm_of(cli, "Peltong") == (None, None)


def test_every_problem_of_every_row_and_file_is_printed_at_once(
    cli: CliRunner, cli_env: Path
) -> None:
    rows: list[list[object]] = [[f"35280400{n:02d}", 2026, "tinggi"] for n in range(1, 15)]
    rows += [[f"99999999{n:02d}", 2026, "0.5"] for n in range(1, 15)]  # unknown desa
    rows.append(["3528040001", FUTURE, "0.5"])
    bad = write_csv(cli_env / "a.csv", IDM_HEADER, rows)
    broken = cli_env / "b.json"
    broken.write_text('{"mapData": ', encoding="utf-8")
    result = cli("import-idm", str(bad), str(broken))
    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[0] == "Impor dibatalkan, tidak ada data yang disimpan (30 masalah):"
    assert len(lines) == 31  # 14 bad values, 14 unknown desa, a future year, a broken file
    assert sum("harus angka 0-1" in line for line in lines) == 14
    assert sum("tidak terdaftar" in line for line in lines) == 14
    assert any(f"tahun {FUTURE}" in line for line in lines)
    assert lines[-1].startswith("  b.json: bukan JSON yang sah")
    # In the order of the file, every layer of a row together.
    assert lines[1].startswith("  a.csv, baris 2, kolom/isian idm")
    assert lines[15].startswith("  a.csv, baris 16, kolom/isian kode_desa")


def test_an_xlsx_idm_sheet_is_imported_like_a_csv(cli: CliRunner, cli_env: Path) -> None:
    path = write_xlsx(
        cli_env / "idm-2026.xlsx",
        ["Kode_Desa", "Tahun", "IKS", "IKE", "IKL"],
        [
            [3528040001, 2026, 0.9, 0.85, 0.8],  # codes typed as numbers
            ["35.28.08.2003", 2026.0, 0.5, 0.5, 0.5],
        ],
    )
    result = cli("import-idm", str(path))
    assert result.code == 0, result.err
    assert "idm-2026.xlsx: 2 baru, 0 diperbarui (batch #1)" in result.out
    assert _idm_of(cli, "Peltong") == ("mandiri", Decimal("0.85"))
    again = cli("import-idm", str(path))
    assert again.code == 1
    assert "idm-2026.xlsx: berkas yang sama" in again.err


def test_bad_xlsx_files_get_a_clear_message_and_store_nothing(
    cli: CliRunner, cli_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_xlsx = cli_env / "tabel.xlsx"
    not_xlsx.write_text("kode_desa,tahun,idm\n3528040001,2026,0.9\n", encoding="utf-8")
    empty = cli_env / "kosong.xlsx"
    empty.write_bytes(b"")
    headers = write_xlsx(cli_env / "judul.xlsx", ["desa", "tahun", "nilai"], [["x", 2026, 0.5]])
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(IDM_HEADER)
    sheet.append(["3528040001", 2026, "=0.45+0.45"])  # openpyxl saves no value for it
    formulas = cli_env / "rumus.xlsx"
    workbook.save(formulas)
    blank = write_xlsx(cli_env / "tanpa-isi.xlsx", [], [])
    old = cli_env / "lama.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")

    result = cli("import-idm", *(str(p) for p in (not_xlsx, empty, headers, formulas, blank, old)))
    assert result.code == 1
    err = result.err
    assert "tabel.xlsx: berkas XLSX rusak atau bukan berkas Excel .xlsx" in err
    assert "kosong.xlsx: berkas kosong (0 bita)" in err
    assert "judul.xlsx, baris 1, kolom/isian desa: kolom tidak dikenal" in err
    assert "judul.xlsx, baris 1, kolom/isian kode_desa: kolom wajib tidak ada" in err
    assert (
        "rumus.xlsx, baris 2, kolom/isian idm: sel C2 berisi rumus tanpa nilai tersimpan "
        "(=0.45+0.45)" in err
    )
    assert "tanpa-isi.xlsx, baris 1: berkas kosong: baris judul kolom tidak ada" in err
    assert "lama.xls: jenis berkas tidak didukung" in err
    assert ".xls simpan ulang sebagai .xlsx" in err
    assert _idm_of(cli, "Peltong") == (None, None)

    monkeypatch.setattr(storage.readers, "MAX_FILE_BYTES", 1000)
    big = write_xlsx(cli_env / "besar.xlsx", IDM_HEADER, [["3528040001", 2026, 0.5]] * 50)
    assert big.stat().st_size > 1000
    too_big = cli("import-idm", str(big))
    assert too_big.code == 1
    assert "besar.xlsx: berkas terlalu besar" in too_big.err
    monkeypatch.setattr(storage.readers, "MAX_XLSX_UNPACKED", 2000)
    packed = write_xlsx(cli_env / "padat.xlsx", IDM_HEADER, [["3528040001", 2026, 0.5]])
    monkeypatch.setattr(storage.readers, "MAX_FILE_BYTES", 20 * 1024 * 1024)
    unpacked = cli("import-idm", str(packed))
    assert unpacked.code == 1
    assert "padat.xlsx: isi berkas XLSX terlalu besar" in unpacked.err


def test_import_help_is_indonesian(cli: CliRunner, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli("import", "--help")
    out = capsys.readouterr().out
    assert "menampilkan batch impor" in out
    assert "membatalkan satu batch" in out
