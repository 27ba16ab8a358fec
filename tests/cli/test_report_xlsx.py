"""``iku-bot report --format xlsx --output FILE``: the full workbook, written atomically."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from storage.engine import make_engine, make_session_factory
from storage.uow import SqlUnitOfWork
from tests.bot.test_export_workbook import _soffice, seed_known_year
from tests.cli.conftest import CliRunner

# seed_known_year registers its own services: with Larangan seeded beforehand as an
# office with its own services, the CLI's start adds no example services.
known_year_setup = pytest.mark.usefixtures("larangan")


def _seed(url: str) -> None:
    engine = make_engine(url)
    try:
        factory = make_session_factory(engine)
        seed_known_year(lambda: SqlUnitOfWork(factory))
    finally:
        engine.dispose()


def _rows(path: Path, sheet: str) -> list[list[Any]]:
    book = load_workbook(BytesIO(path.read_bytes()))
    return [[cell.value for cell in row] for row in book[sheet].iter_rows()]


@known_year_setup
def test_xlsx_report_has_the_same_figures_as_the_json_report(
    cli: CliRunner, cli_env: Path, database_url: str
) -> None:
    """seed_known_year: realisasi 2, 2, 50%, 66.67%, NIK 91.48; as JSON percentages are
    50.0 and 66.67, in the workbook the fractions 0.5 and 0.6667."""
    assert cli("db", "upgrade").code == 0
    _seed(database_url)
    target = cli_env / "laporan" / "iku-2026.xlsx"
    target.parent.mkdir()
    result = cli("report", "--year", "2026", "--format", "xlsx", "--output", str(target))
    assert result.code == 0, result.err
    assert result.out == (
        "Laporan IKU Kecamatan Larangan periode 1 Januari 2026 s.d. 31 Desember 2026 "
        f"ditulis ke {target}.\n"
    )
    assert sorted(p.name for p in target.parent.iterdir()) == ["iku-2026.xlsx"]  # no temp file
    rows = _rows(target, "IKU")
    # Data from row 7 (two header rows); target, realisasi and capaian in columns F, I, J.
    assert [row[8] for row in rows[6:11]] == [2, 2, 0.5, 0.6667, 91.48]
    assert [row[9] for row in rows[6:11]] == [0.4, 0.5, 0.5, 0.6667, 1.0359]

    report = cli("report", "--year", "2026", "--format", "json").json()
    for row, item in zip(rows[6:11], report["indicators"], strict=True):
        assert row[2] == item["indikator"]
        assert row[12] == item["penanggung_jawab"]
        scale = 100 if item["satuan"] == "%" else 1
        assert row[8] * scale == pytest.approx(item["realisasi"])
        assert row[9] * 100 == pytest.approx(item["capaian"])
    konflik = _rows(target, "Konflik")
    assert [row[3] for row in konflik[4:6]] == [2, 1]
    assert [row[1] for row in konflik[11:]] == ["KS-352808-2026-0001", "KS-352808-2026-0002"]


@known_year_setup
def test_xlsx_report_of_a_quarter_and_over_an_existing_file(
    cli: CliRunner, cli_env: Path, database_url: str
) -> None:
    """Triwulan 1 (January-March): trantibum the two February events, both handled."""
    assert cli("db", "upgrade").code == 0
    _seed(database_url)
    target = cli_env / "IKU.XLSX"
    target.write_bytes(b"laporan lama")
    result = cli(
        "report", "--year", "2026", "--quarter", "1", "--format", "xlsx", "--output", str(target)
    )
    assert result.code == 0, result.err
    rows = _rows(target, "IKU")
    assert rows[1][0] == "Periode: 1 Januari 2026 s.d. 31 Maret 2026"
    assert rows[9][8:10] == [1, 1]  # 2 of 2: 100%, capaian 100%
    trantibum = _rows(target, "Trantibum")
    assert [row[1] for row in trantibum[11:]] == ["TB-352808-2026-0001", "TB-352808-2026-0002"]


def test_xlsx_without_output_is_a_usage_error(cli: CliRunner, cli_env: Path) -> None:
    result = cli("report", "--year", "2026", "--format", "xlsx")
    assert result.code == 2
    assert result.err.endswith(
        "iku-bot report: kesalahan perintah: --format xlsx memerlukan --output BERKAS.xlsx\n"
    )
    assert list(cli_env.glob("*.xlsx")) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--format", "json", "--output", "x.xlsx"],
            "--output hanya dipakai bersama --format xlsx atau pdf",
        ),
        (["--output", "x.xlsx"], "--output hanya dipakai bersama --format xlsx atau pdf"),
        (["--format", "xlsx", "--output", "x.csv"], "berkas --output harus berakhiran .xlsx"),
        (["--format", "pdf", "--output", "x.xlsx"], "berkas --output harus berakhiran .pdf"),
        (["--format", "pdf"], "--format pdf memerlukan --output BERKAS.pdf"),
    ],
)
def test_output_options_that_do_not_fit_are_usage_errors(
    cli: CliRunner, cli_env: Path, args: list[str], message: str
) -> None:
    result = cli("report", "--year", "2026", *args)
    assert result.code == 2
    assert message in result.err
    assert sorted(p.name for p in cli_env.iterdir() if not p.name.endswith(".db")) == []


def test_xlsx_into_a_missing_folder_is_refused_clearly(cli: CliRunner, cli_env: Path) -> None:
    missing = cli_env / "tidak-ada" / "iku.xlsx"
    result = cli("report", "--format", "xlsx", "--output", str(missing))
    assert result.code == 1
    assert result.err.endswith(
        f"Gagal: Folder {missing.parent} tidak ada. Buat foldernya dulu, atau pilih berkas "
        "di folder lain.\n"
    )
    assert not missing.parent.exists()


def test_xlsx_onto_a_folder_is_refused(cli: CliRunner, cli_env: Path) -> None:
    folder = cli_env / "arsip.xlsx"
    folder.mkdir()
    result = cli("report", "--format", "xlsx", "--output", str(folder))
    assert result.code == 1
    assert "adalah folder" in result.err
    assert list(folder.iterdir()) == []


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(
    cli: CliRunner, cli_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = cli_env / "iku.xlsx"
    target.write_bytes(b"laporan lama")

    def broken_replace(source: str | os.PathLike[str], destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("bot.cli.options.os.replace", broken_replace)
    result = cli("report", "--format", "xlsx", "--output", str(target))
    assert result.code == 1
    assert result.err.endswith(
        f"Gagal: Berkas {target} tidak dapat ditulis: No space left on device\n"
    )
    assert target.read_bytes() == b"laporan lama"
    assert sorted(p.name for p in cli_env.iterdir() if not p.name.endswith(".db")) == ["iku.xlsx"]


def test_xlsx_for_an_unknown_kecamatan_fails_without_a_file(cli: CliRunner, cli_env: Path) -> None:
    target = cli_env / "iku.xlsx"
    result = cli("report", "--format", "xlsx", "--output", str(target), "--kecamatan", "99.99.99")
    assert result.code == 1
    assert "99.99.99" in result.err
    assert not target.exists()


@known_year_setup
def test_pdf_report_is_the_signed_iku_table_on_one_landscape_page(
    cli: CliRunner, cli_env: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The IKU table alone, through LibreOffice: one A4 landscape page with the figures of
    seed_known_year, the capaian categories and the signature from the settings."""
    import pypdfium2 as pdfium

    _soffice()
    monkeypatch.setenv("SIGNER_NAMA", "MOHAMMAD HARI S.Sos, M.Si")
    monkeypatch.setenv("SIGNER_NIP", "197006091993021001")
    assert cli("db", "upgrade").code == 0
    _seed(database_url)
    target = cli_env / "iku-2026.pdf"
    result = cli("report", "--year", "2026", "--format", "pdf", "--output", str(target))
    assert result.code == 0, result.err
    assert result.out.startswith("Tabel IKU Kecamatan Larangan periode 1 Januari 2026")
    document = pdfium.PdfDocument(str(target))
    try:
        assert len(document) == 1
        width, height = document[0].get_size()
        text = " ".join(document[0].get_textpage().get_text_range().split())
    finally:
        document.close()
    assert (round(width), round(height)) == (842, 595)
    for shown in (
        "40.00%",
        "66.67%",
        "103.59%",
        "Sangat Tinggi",
        "CAMAT LARANGAN",
        "MOHAMMAD HARI S.Sos, M.Si",
        "NIP. 19700609 199302 1 001",
    ):
        assert shown in text, shown
    assert sorted(p.name for p in cli_env.iterdir() if p.suffix == ".pdf") == ["iku-2026.pdf"]
    audit = cli("audit", "--aksi", "export").out
    assert "pdf" in audit


@known_year_setup
def test_pdf_without_libreoffice_says_so_and_writes_nothing(
    cli: CliRunner, cli_env: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOFFICE", "soffice-yang-tidak-ada")
    assert cli("db", "upgrade").code == 0
    target = cli_env / "iku.pdf"
    result = cli("report", "--year", "2026", "--format", "pdf", "--output", str(target))
    assert result.code == 1
    assert "LibreOffice (soffice) tidak ditemukan: PDF tidak dapat dibuat." in result.err
    assert "Traceback" not in result.err
    assert not target.exists()
    assert [p.name for p in cli_env.iterdir() if ".pdf" in p.name] == []
