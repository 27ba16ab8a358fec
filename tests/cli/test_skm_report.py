"""``iku-bot report skm``: the SKM report as DOCX (python-docx) and PDF (LibreOffice headless).

The data is :func:`seed_known_year`: 29 respondents in March 2026 with domain.md's
worked totals (NRR 3.6207 ... 3.9655, IKM 3.6590, NIK 91.48, A, Sangat baik), and one
response of 31 December 2025 with every unsur 1 (NIK 25.00, D) for the trend. Every
test runs on SQLite and PostgreSQL (the ``database_url`` fixture).
"""

from __future__ import annotations

import os
import re
import shutil
from io import BytesIO
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from docx import Document

from storage.engine import make_engine, make_session_factory
from storage.uow import SqlUnitOfWork
from tests.bot.test_export_workbook import _soffice, seed_known_year
from tests.cli.conftest import CliRunner

known_year_setup = pytest.mark.usefixtures("larangan")

SIGNER = "Drs. Moh. Hasan Basri, M.Si."
NIP = "NIP. 19700609 199302 1 001"
NRR = ["3,6207", "3,4828", "3,4483", "4,0000", "3,5172", "3,6207", "3,6552", "3,6207", "3,9655"]
WEIGHTED = ["0,4023", "0,3870", "0,3831", "0,4444", "0,3908", "0,4023", "0,4061", "0,4023"]


@pytest.fixture
def signer_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Camat as the settings name him."""
    monkeypatch.setenv("SIGNER_NAMA", SIGNER)
    monkeypatch.setenv("SIGNER_PANGKAT", "Pembina Tk. I (IV/b)")
    monkeypatch.setenv("SIGNER_NIP", "197006091993021001")
    monkeypatch.delenv("PAPER_SIZE", raising=False)


def _seed(url: str) -> None:
    engine = make_engine(url)
    try:
        seed_known_year(lambda: SqlUnitOfWork(make_session_factory(engine)))
    finally:
        engine.dispose()


def _exports(url: str) -> list[tuple[str, str, str | None]]:
    """The export entries of the audit log: action, entity, entity id (newest first)."""
    engine = make_engine(url)
    try:
        with SqlUnitOfWork(make_session_factory(engine)) as uow:
            entries = uow.audit.entries(action_prefix="export_")
    finally:
        engine.dispose()
    return [(e.action, e.entity, e.entity_id) for e in entries]


def _table(document: Any, first_header: str, second_header: str) -> list[list[str]]:
    for table in document.tables:
        head = [cell.text for cell in table.rows[0].cells]
        if head[:2] == [first_header, second_header]:
            return [[cell.text for cell in row.cells] for row in table.rows]
    raise AssertionError(f"no table headed {first_header}, {second_header}")


@known_year_setup
@pytest.mark.usefixtures("signer_env")
def test_docx_of_the_first_semester_holds_chapters_tables_charts_and_signature(
    cli: CliRunner, cli_env: Path, database_url: str
) -> None:
    assert cli("db", "upgrade").code == 0
    _seed(database_url)
    target = cli_env / "laporan" / "skm-2026-s1.docx"
    target.parent.mkdir()
    result = cli("report", "skm", "--year", "2026", "--semester", "1", "--output", str(target))
    assert result.code == 0, result.err
    assert result.out == (
        "Laporan SKM Kecamatan Larangan periode 1 Januari 2026 s.d. 30 Juni 2026 "
        f"ditulis ke {target}.\n"
    )
    assert [p.name for p in target.parent.iterdir()] == ["skm-2026-s1.docx"]  # no temp file
    assert _exports(database_url) == [
        ("export_docx", "laporan_skm", "35.28.08/2026-01-01/2026-06-30")
    ]
    document = Document(BytesIO(target.read_bytes()))
    headings = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"
    ]
    assert headings == [
        "BAB I PENDAHULUAN",
        "BAB II PENGUMPULAN DATA",
        "BAB III HASIL SURVEI",
        "BAB IV ANALISIS",
        "BAB V PENUTUP",
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;" in text
    assert "Nomor 14 Tahun 2017" in text
    assert "periode 1 Januari 2026 s.d. 30 Juni 2026" in text
    # population 30 of Rekomendasi KTP-el: minimum 28, 29 respondents
    assert "Jumlah responden pada periode ini 29 orang. Populasi penerima layanan 30" in text
    assert "sampel minimal menurut tabel Krejcie dan Morgan 28 orang: sampel memenuhi." in text
    nrr = _table(document, "No", "Unsur pelayanan")
    assert [row[0] for row in nrr[1:]] == [f"U{n}" for n in range(1, 10)]
    assert [row[2] for row in nrr[1:]] == [
        str(t) for t in (105, 101, 100, 116, 102, 105, 106, 105, 115)
    ]
    assert [row[4] for row in nrr[1:]] == NRR
    assert [row[5] for row in nrr[1:9]] == WEIGHTED
    ikm = _table(document, "IKM (jumlah NRR tertimbang)", "3,6590")
    assert ikm == [
        ["IKM (jumlah NRR tertimbang)", "3,6590"],
        ["NIK (IKM x 25)", "91,48"],
        ["Mutu pelayanan", "A"],
        ["Kinerja unit pelayanan", "Sangat baik"],
    ]
    gender = _table(document, "Jawaban", "Jumlah")
    assert gender[1:] == [
        ["Laki-laki", "16", "55,17%"],
        ["Perempuan", "12", "41,38%"],
        ["Tidak diisi", "1", "3,45%"],
    ]
    services = _table(document, "Layanan", "Responden")
    # KTP-el, the first 20: 4 where i < total - 87, else 3; Kartu Keluarga: 4 on U4 and U9
    assert services[1:] == [
        ["Kartu Keluarga", "6", "-", "3,2222", "80,56", "B"],
        ["Rekomendasi KTP-el", "20", "28", "3,8611", "96,53", "A"],
        # The three without a service: the rows add up to the 29 respondents.
        ["Tanpa layanan (impor tanpa kolom layanan)", "3", "-", "-", "-", "-"],
    ]
    assert len(document.inline_shapes) == 10  # nine unsur and the NRR chart
    assert "Unsur dengan nilai terendah: U3 Waktu Penyelesaian (NRR 3,4483)." in text
    assert "Unsur dengan nilai tertinggi: U4 Biaya/Tarif (NRR 4,0000)." in text
    assert (
        "NIK 91,48 pada periode ini naik 66,48 poin dibanding Semester 2 Tahun 2025 (25,00)."
        in text
    )
    rtl = _table(document, "No", "Unsur")
    assert [row[1] for row in rtl[1:]] == [
        "U3 Waktu Penyelesaian",
        "U2 Sistem, Mekanisme, dan Prosedur",
        "U5 Produk Spesifikasi Jenis Pelayanan",
    ]
    assert {row[5] for row in rtl[1:]} == {"Usulan"}
    assert {row[4] for row in rtl[1:]} == {"31 Desember 2026"}  # the end of the next semester
    lines = [p.text for p in document.paragraphs]
    start = next(i for i, line in enumerate(lines) if line.startswith("Pamekasan, "))
    assert re.fullmatch(r"Pamekasan, \d{1,2} [A-Z][a-z]+ \d{4}", lines[start])  # today
    assert lines[start + 1 : start + 8] == [
        "CAMAT LARANGAN",
        "",
        "",
        "",
        SIGNER,
        "Pembina Tk. I (IV/b)",
        NIP,
    ]
    name = next(p for p in document.paragraphs if p.text == SIGNER).runs[0]
    assert name.bold
    assert name.underline
    section = document.sections[0]
    assert section.page_width is not None
    assert section.page_height is not None
    assert section.left_margin is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.cm, 1) == 2.5


@known_year_setup
@pytest.mark.usefixtures("signer_env")
def test_a_quarter_without_answers_says_so_instead_of_empty_charts(
    cli: CliRunner, cli_env: Path, database_url: str
) -> None:
    """Triwulan 2 2026 has no respondent; triwulan 1 before it has 29: no trend."""
    assert cli("db", "upgrade").code == 0
    _seed(database_url)
    target = cli_env / "skm-tw2.docx"
    result = cli("report", "skm", "--year", "2026", "--quarter", "2", "--output", str(target))
    assert result.code == 0, result.err
    document = Document(BytesIO(target.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert len(document.inline_shapes) == 0
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "U1 Persyaratan: tidak ada jawaban pada periode ini." in cells
    assert "Grafik NRR tidak dibuat: tidak ada jawaban pada periode ini." in text
    assert "belum ada hasil SKM: belum ada responden." in text
    assert "Perbandingan dengan Triwulan 1 Tahun 2026: tidak ada data." in text
    assert "Tidak ada usulan RTL: belum ada jawaban pada periode ini." in text
    assert "Tidak ada data unsur pada periode ini." in text


def _pdf(path: Path) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(path.read_bytes())


def _all_text(pdf: pdfium.PdfDocument) -> str:
    return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


@known_year_setup
@pytest.mark.usefixtures("signer_env")
def test_pdf_of_the_first_semester_on_a4_prints_the_figures_and_the_signature(
    cli: CliRunner, cli_env: Path, database_url: str
) -> None:
    _soffice()
    assert cli("db", "upgrade").code == 0
    _seed(database_url)
    target = cli_env / "skm-2026-s1.pdf"
    result = cli("report", "skm", "--year", "2026", "--semester", "1", "--output", str(target))
    assert result.code == 0, result.err
    assert sorted(p.name for p in cli_env.iterdir() if p.name.startswith(".skm")) == []
    pdf = _pdf(target)
    pages = len(pdf)
    assert 3 <= pages <= 12
    assert pages == PAGES_A4
    for index in range(pages):
        width, height = pdf[index].get_size()
        assert abs(width - 595) <= 1
        assert abs(height - 842) <= 1
    assert [action for action, _, _ in _exports(database_url)] == ["export_pdf"]
    text = _all_text(pdf)
    for figure in ("3,6590", "91,48", "Sangat baik", "3,6207", "3,9655", "29 orang"):
        assert figure in text, figure
    assert "BAB IV ANALISIS" in text
    assert SIGNER in text
    assert NIP in text
    bitmap = pdf[0].render(scale=1).to_pil().convert("L")
    low, high = bitmap.getextrema()
    assert high == 255
    assert low < 100  # printed text, not a blank page
    dark = bitmap.point(lambda value: 255 if value < 128 else 0).histogram()[255]
    assert dark > 1000


# Observed with LibreOffice 7.4 (Debian 12), the fonts of the CI image.
PAGES_A4 = 5
PAGES_F4 = 5


@known_year_setup
@pytest.mark.usefixtures("signer_env")
def test_pdf_on_f4_paper(
    cli: CliRunner, cli_env: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _soffice()
    monkeypatch.setenv("PAPER_SIZE", "F4")
    assert cli("db", "upgrade").code == 0
    _seed(database_url)
    target = cli_env / "skm-2026.pdf"
    result = cli("report", "skm", "--year", "2026", "--output", str(target))
    assert result.code == 0, result.err
    pdf = _pdf(target)
    assert len(pdf) == PAGES_F4
    for index in range(len(pdf)):
        width, height = pdf[index].get_size()
        assert abs(width - 609.4) <= 1  # 215 mm
        assert abs(height - 935.4) <= 1  # 330 mm
    text = _all_text(pdf)
    assert "Tahun 2026 (1 Januari 2026 s.d. 31 Desember 2026)" in text
    assert "naik 66,48 poin dibanding Tahun 2025 (25,00)" in text


@known_year_setup
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--semester", "3"), "argumen --semester: pilihan 3 tidak dikenal"),
        (("--semester", "1", "--quarter", "2"), "tidak boleh bersama argumen --semester"),
        (("--quarter", "5"), "argumen --quarter: pilihan 5 tidak dikenal"),
        (("--year", "1999"), "tahun di luar 2000-2100: 1999"),
    ],
)
def test_bad_arguments_are_refused_in_words_and_write_nothing(
    cli: CliRunner,
    cli_env: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    target = cli_env / "skm.docx"
    with pytest.raises(SystemExit) as exc:
        cli("report", "skm", *args, "--output", str(target))
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "penggunaan: iku-bot report skm" in err
    assert message in err
    assert "Traceback" not in err
    assert not target.exists()


@known_year_setup
def test_an_unknown_extension_a_missing_folder_and_an_unwritable_file_are_refused(
    cli: CliRunner, cli_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("db", "upgrade").code == 0
    odt = cli("report", "skm", "--year", "2026", "--output", str(cli_env / "skm.odt"))
    assert odt.code == 2
    assert "berkas --output harus berakhiran .docx atau .pdf" in odt.err
    missing = cli("report", "skm", "--output", str(cli_env / "tidak-ada" / "skm.docx"))
    assert missing.code == 1
    assert "Folder" in missing.err
    assert "tidak ada" in missing.err

    def refuse(*_: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    target = cli_env / "skm.docx"
    denied = cli("report", "skm", "--year", "2026", "--output", str(target))
    assert denied.code == 1
    assert f"Berkas {target} tidak dapat ditulis: Permission denied" in denied.err
    assert "Traceback" not in denied.err
    assert [p.name for p in cli_env.iterdir() if "skm" in p.name] == []  # temp file removed


@known_year_setup
def test_pdf_without_libreoffice_is_explained_and_writes_nothing(
    cli: CliRunner, cli_env: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("db", "upgrade").code == 0
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    target = cli_env / "skm.pdf"
    result = cli("report", "skm", "--year", "2026", "--output", str(target))
    assert result.code == 1
    assert "LibreOffice (soffice) tidak ditemukan: PDF tidak dapat dibuat." in result.err
    assert "Traceback" not in result.err
    assert [p.name for p in cli_env.iterdir() if "skm" in p.name] == []
    assert _exports(database_url) == []  # nothing handed out, nothing audited
    assert cli("report", "skm", "--year", "2026", "--output", str(cli_env / "skm.docx")).code == 0
    assert [action for action, _, _ in _exports(database_url)] == ["export_docx"]
