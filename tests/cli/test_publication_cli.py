"""``iku-bot skm infografis`` and ``iku-bot skm poster`` on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.reports.infographic import POSTER_SIZES, paper
from bot.reports.qr import survey_link
from storage.engine import make_engine, make_session_factory
from storage.uow import SqlUnitOfWork
from tests.bot.test_export_workbook import seed_known_year
from tests.bot.test_publication_documents import (
    A4_PT,
    A5_PT,
    F4_PT,
    NRR,
    assert_png_of,
    assert_qr_is,
    assert_size,
    dark_share,
    pdf_page_image,
    pdf_pages,
)
from tests.cli.conftest import CliRunner

pytestmark = pytest.mark.usefixtures("larangan")

BOT = "iku_larangan_bot"


def _seed(url: str) -> None:
    engine = make_engine(url)
    try:
        seed_known_year(lambda: SqlUnitOfWork(make_session_factory(engine)))
    finally:
        engine.dispose()


@pytest.fixture
def known(cli: CliRunner, database_url: str) -> CliRunner:
    """seed_known_year: 2026, 29 respondents in March, NIK 91.48 (A); services ktp, kk."""
    assert cli("db", "upgrade").code == 0
    _seed(database_url)
    return cli


def _call(cli: CliRunner, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Exit code and standard error, also of a usage error (argparse exits)."""
    try:
        result = cli(*args)
    except SystemExit as stop:
        return int(str(stop.code)), capsys.readouterr().err
    return result.code, result.err


def _flat(text: str) -> str:
    return " ".join(text.split())


# -- infografis ---------------------------------------------------------------------------


def test_infografis_pdf_of_semester_1_prints_the_known_figures(
    known: CliRunner, cli_env: Path
) -> None:
    target = cli_env / "skm-s1.pdf"
    result = known(
        "skm", "infografis", "--year", "2026", "--semester", "1", "--output", str(target)
    )
    assert result.code == 0, result.err
    assert result.out == (
        "Infografis SKM Kecamatan Larangan Semester I 2026 (1 Januari – 30 Juni 2026) "
        f"ditulis ke {target} (1 halaman A4).\n"
    )
    assert sorted(p.name for p in cli_env.iterdir() if p.name.startswith(".skm")) == []
    content = target.read_bytes()
    [(size, text)] = pdf_pages(content)
    assert_size(size, A4_PT)
    flat = _flat(text)
    for expected in (
        "Kecamatan Larangan, Kabupaten Pamekasan",
        "Semester I 2026 (1 Januari – 30 Juni 2026)",
        "91,48",
        "Mutu A",
        "A Sangat Baik",
        "Jumlah responden: 29 orang",
        # Services of known population: ktp (30), so the minimum is 28 and 29 reach it.
        "populasi 30): 28 orang — cukup",
    ):
        assert expected in flat, expected
    for value in NRR:
        assert value in flat
    assert dark_share(pdf_page_image(content)) > 0.05


def test_infografis_png_has_the_paper_at_the_dpi_and_follows_paper_size(
    known: CliRunner, cli_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = cli_env / "skm.png"
    result = known(
        "skm",
        "infografis",
        "--year",
        "2026",
        "--quarter",
        "1",
        "--output",
        str(target),
        "--dpi",
        "200",
    )
    assert result.code == 0, result.err
    assert "Triwulan I 2026 (1 Januari – 31 Maret 2026)" in result.out
    assert_png_of(target.read_bytes(), paper("A4"), 200)

    monkeypatch.setenv("PAPER_SIZE", "F4")
    pdf = cli_env / "skm-f4.pdf"
    result = known("skm", "infografis", "--year", "2026", "--output", str(pdf))
    assert result.code == 0, result.err
    assert "(1 halaman F4)" in result.out
    [(size, text)] = pdf_pages(pdf.read_bytes())
    assert_size(size, F4_PT)
    assert "Tahun 2026 (1 Januari – 31 Desember 2026)" in text


def test_infografis_of_a_period_without_responses_says_so(known: CliRunner, cli_env: Path) -> None:
    target = cli_env / "skm-s2.pdf"
    result = known(
        "skm", "infografis", "--year", "2026", "--semester", "2", "--output", str(target)
    )
    assert result.code == 0, result.err
    [(_, text)] = pdf_pages(target.read_bytes())
    flat = _flat(text)
    assert "Belum ada responden SKM pada periode ini." in flat
    assert "Jumlah responden: 0 orang" in flat
    assert "91,48" not in flat


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("skm.jpg", "harus berakhiran .png atau .pdf"),
        ("tidak-ada/skm.pdf", "Folder tidak-ada tidak ada"),
        (".", "adalah folder"),
    ],
)
def test_infografis_refuses_a_bad_output_and_writes_nothing(
    known: CliRunner, cli_env: Path, output: str, message: str
) -> None:
    before = sorted(p.name for p in cli_env.iterdir())
    result = known("skm", "infografis", "--year", "2026", "--output", output)
    assert result.code == 1
    assert message in result.err
    assert result.err.startswith("Gagal: ")
    assert sorted(p.name for p in cli_env.iterdir()) == before


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    known: CliRunner, cli_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = cli_env / "skm.pdf"
    target.write_bytes(b"lama")

    def refuse(source: str, destination: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    result = known("skm", "infografis", "--year", "2026", "--output", str(target))
    assert result.code == 1
    assert f"Berkas {target} tidak dapat ditulis: Permission denied" in result.err
    assert target.read_bytes() == b"lama"
    assert [p.name for p in cli_env.iterdir() if p.name.endswith(".tmp")] == []


def test_infografis_refuses_a_bad_dpi(
    known: CliRunner, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _call(known, capsys, "skm", "infografis", "--output", "x.png", "--dpi", "72")
    assert code == 2
    assert "--dpi harus bilangan bulat 150 sampai 300" in err
    assert not (cli_env / "x.png").exists()


# -- poster -------------------------------------------------------------------------------


def test_poster_of_one_service_a5_carries_its_qr(known: CliRunner, cli_env: Path) -> None:
    target = cli_env / "ktp.pdf"
    result = known(
        "skm", "poster", "--layanan", "ktp", "--size", "a5", "--output", str(target),
        "--bot-username", f"@{BOT}",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out == f"1 poster A5 ditulis ke {target}: Rekomendasi KTP-el.\n"
    content = target.read_bytes()
    [(size, text)] = pdf_pages(content)
    assert_size(size, A5_PT)
    flat = _flat(text)
    assert "KECAMATAN LARANGAN" in flat
    assert "Rekomendasi KTP-el" in flat
    assert "tanpa nama, 2 menit." in flat
    assert_qr_is(pdf_page_image(content, scale=3.0), POSTER_SIZES["A5"], survey_link(BOT, "ktp"))


def test_poster_semua_is_one_a4_page_per_active_service(
    known: CliRunner, cli_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOT_USERNAME", BOT)  # the setting, when --bot-username is not given
    target = cli_env / "semua.pdf"
    result = known("skm", "poster", "--semua", "--output", str(target))
    assert result.code == 0, result.err
    assert result.out == (f"2 poster A4 ditulis ke {target}: Kartu Keluarga, Rekomendasi KTP-el.\n")
    content = target.read_bytes()
    pages = pdf_pages(content)
    assert len(pages) == 2
    for size, _ in pages:
        assert_size(size, A4_PT)
    assert "Kartu Keluarga" in pages[0][1]
    assert "Rekomendasi KTP-el" in pages[1][1]
    assert_qr_is(pdf_page_image(content, 0), POSTER_SIZES["A4"], survey_link(BOT, "kk"))
    assert_qr_is(pdf_page_image(content, 1), POSTER_SIZES["A4"], survey_link(BOT, "ktp"))


def test_poster_without_a_service_is_the_general_link_as_png(
    known: CliRunner, cli_env: Path
) -> None:
    target = cli_env / "umum.png"
    result = known("skm", "poster", "--output", str(target), "--bot-username", BOT)
    assert result.code == 0, result.err
    assert "Semua layanan" in result.out
    image = assert_png_of(target.read_bytes(), POSTER_SIZES["A4"], 150)
    assert_qr_is(image, POSTER_SIZES["A4"], survey_link(BOT))


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--layanan", "tidak-ada"], 1, "Layanan dengan kode 'tidak-ada' tidak ada"),
        (["--size", "B5"], 2, "ukuran poster harus A4 atau A5"),
        (["--semua", "--output", "semua.png"], 1, "PNG hanya satu halaman, sedangkan ada 2"),
        (["--bot-username", "bukan nama"], 1, "Nama pengguna bot tidak sah"),
        (["--output", "tidak-ada/p.pdf"], 1, "Folder tidak-ada tidak ada"),
        (["--layanan", "ktp", "--semua"], 2, "tidak boleh bersama"),
    ],
)
def test_poster_refuses_bad_input_in_words_and_writes_nothing(
    known: CliRunner,
    cli_env: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    message: str,
) -> None:
    if "--output" not in args:
        args = [*args, "--output", "poster.pdf"]
    if "--bot-username" not in args:
        args = [*args, "--bot-username", BOT]
    before = sorted(p.name for p in cli_env.iterdir())
    exit_code, err = _call(known, capsys, "skm", "poster", *args)
    assert exit_code == code
    assert message in err
    assert sorted(p.name for p in cli_env.iterdir()) == before


def test_poster_without_a_bot_username_says_how_to_give_one(
    known: CliRunner, cli_env: Path
) -> None:
    result = known("skm", "poster", "--output", "poster.pdf")
    assert result.code == 1
    assert "--bot-username" in result.err
    assert "BOT_USERNAME" in result.err
    assert not (cli_env / "poster.pdf").exists()


def test_poster_of_an_inactive_service_is_refused(known: CliRunner, cli_env: Path) -> None:
    assert known("layanan", "update", "kk", "--nonaktif").code == 0
    result = known("skm", "poster", "--layanan", "kk", "--output", "kk.pdf", "--bot-username", BOT)
    assert result.code == 1
    assert "nonaktif" in result.err
    assert not (cli_env / "kk.pdf").exists()
    semua = known("skm", "poster", "--semua", "--output", "s.pdf", "--bot-username", BOT)
    assert semua.code == 0, semua.err
    assert len(pdf_pages((cli_env / "s.pdf").read_bytes())) == 1
