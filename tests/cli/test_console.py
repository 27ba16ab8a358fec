"""``iku-bot console``: the real bot in a terminal, offline, on the configured database."""

from __future__ import annotations

import io
import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.cli.commands import main
from bot.cli.console import plain_text, run_console
from bot.config import load_settings
from bot.runtime import open_runtime
from domain.models import Role, User, UserStatus

ConsoleRun = Callable[..., Coroutine[Any, Any, tuple[int, str]]]


@pytest.fixture
def console_env(tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment on an SQLite copy: no token, no developer .env in the way."""
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "KECAMATAN", "ADMIN_TELEGRAM_IDS", "LOG_LEVEL", "TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "konsol.db"
    shutil.copy(sqlite_template, path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    return tmp_path


@pytest.fixture
def console(console_env: Path) -> ConsoleRun:
    """Run the console with these input lines as Telegram user ``user_id``."""

    async def run(lines: list[str], user_id: int = 42) -> tuple[int, str]:
        out = io.StringIO()
        code = await run_console(load_settings(), user_id, lines, out)
        return code, out.getvalue()

    return run


def _stored(telegram_id: int) -> User | None:
    runtime = open_runtime(load_settings(), prepare=False)
    try:
        with runtime.uow() as uow:
            return uow.users.get_by_telegram_id(telegram_id)
    finally:
        runtime.close()


async def test_start_prints_the_greeting_as_plain_text(console: ConsoleRun) -> None:
    code, out = await console(["/start"])
    assert code == 0
    assert "> /start\nSelamat datang di bot IKU Kecamatan Larangan.\n" in out
    assert "<b>" not in out
    assert "daftar dengan /daftar" in out
    assert out.rstrip().endswith("Konsol selesai.")


async def test_daftar_by_numbered_buttons_stores_a_pending_user(console: ConsoleRun) -> None:
    code, out = await console(["/daftar", "3", "1", "Rina Wulandari", "Kaur Umum", "1"], user_id=42)
    assert code == 0
    assert "Anda mendaftar sebagai apa?\n  [1] Admin (Camat, Sekcam, operator)\n" in out
    assert "  [3] Perangkat desa\n" in out
    assert "  [1] Peltong\n" in out
    assert "Peran: Perangkat Desa Peltong" in out
    assert "Pendaftaran terkirim." in out
    stored = _stored(42)
    assert stored is not None
    assert stored.status is UserStatus.PENDING
    assert stored.role is Role.PERANGKAT_DESA
    assert stored.nama == "Rina Wulandari"
    assert stored.jabatan == "Kaur Umum"


async def test_a_number_with_no_buttons_shown_is_sent_as_text(console: ConsoleRun) -> None:
    code, out = await console(["1"])
    assert code == 0
    assert "> 1\nTidak ada isian yang sedang berjalan." in out  # the bot got "1"
    assert "(konsol)" not in out


async def test_a_number_beyond_the_buttons_is_explained_and_nothing_pressed(
    console: ConsoleRun,
) -> None:
    _, out = await console(["/daftar", "7", "2"])
    assert "(konsol) Pilih nomor tombol 1 sampai 3." in out
    assert "Seksi Anda:" in out  # the next number still pressed a button of the question


async def test_a_number_typed_where_the_last_message_has_no_buttons_is_an_answer(
    console: ConsoleRun,
) -> None:
    # The role is pressed (1); the name question has no buttons, so "2" is the answer.
    _, out = await console(["/daftar", "1", "2"])
    assert "Tulis nama lengkap Anda" in out
    assert "> 2\nNama harus 3-100 karakter." in out
    assert "(konsol)" not in out


async def test_a_quoted_number_is_sent_as_text(console: ConsoleRun) -> None:
    _, out = await console(["'2026"])
    assert "> '2026\nTidak ada isian yang sedang berjalan." in out


async def test_end_of_input_exits_with_code_0_and_keluar_stops_early(
    console: ConsoleRun,
) -> None:
    code, out = await console([])
    assert code == 0
    assert "Konsol offline bot IKU" in out
    assert out.rstrip().endswith("Konsol selesai.")
    code, out = await console(["keluar", "/start"])
    assert code == 0
    assert "Selamat datang" not in out


async def test_a_location_is_shared_and_a_bad_one_explained(console: ConsoleRun) -> None:
    _, out = await console(["lokasi: -7.05, 113.47", "lokasi: utara"])
    assert "> lokasi: -7.05, 113.47\nTidak ada isian yang sedang berjalan." in out
    assert "(konsol) Tulis lokasi sebagai lintang, bujur" in out


async def test_an_admin_gets_the_excel_file_written_to_the_console_folder(
    console: ConsoleRun, console_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADMIN_TELEGRAM_IDS", "42")
    _, out = await console(["/ringkasan", "/ekspor"])
    assert "Ringkasan IKU Kecamatan Larangan" in out
    assert "Realisasi: tidak ada kejadian" in out
    files = list((console_env / "data" / "konsol").glob("IKU-Larangan-*.xlsx"))
    assert len(files) == 1
    assert f"[berkas disimpan di data/konsol/{files[0].name}]" in out
    sheet = load_workbook(files[0])["IKU"]
    assert sheet["A5"].value == "No"
    assert sheet["C7"].value == "Jumlah Desa Mandiri"  # below the two header rows


async def test_an_admin_approves_a_registration_made_in_another_session(
    console: ConsoleRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADMIN_TELEGRAM_IDS", "5")
    await console(["/start"], user_id=5)  # the admin from the settings is registered
    _, out = await console(["/daftar", "2", "4", "Dewi Lestari", "Kasi Trantib", "1"], user_id=42)
    assert "[pesan untuk chat 5]\nPendaftaran baru\nNama: Dewi Lestari" in out
    assert "  - Setujui\n" in out  # someone else's buttons are shown, not numbered
    _, out = await console(["/pengguna", "1"], user_id=5)
    assert "  [1] 1. Setujui\n" in out
    assert "Disetujui oleh Pengguna Konsol." in out
    assert "[pesan untuk chat 42]\nPendaftaran Anda disetujui." in out
    stored = _stored(42)
    assert stored is not None
    assert stored.status is UserStatus.ACTIVE


def test_plain_text_drops_tags_keeps_links_and_reads_entities() -> None:
    assert plain_text('<b>A &amp; B</b> <a href="https://x.id/a">tautan</a>') == (
        "A & B tautan (https://x.id/a)"
    )
    assert plain_text('<a href="https://x.id">https://x.id</a> &lt;3') == "https://x.id <3"


def test_the_cli_console_reads_standard_input_until_its_end(
    console_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("/start\n/daftar\n2\n"))
    code = main(["console", "--user-id", "5"])
    out = capsys.readouterr().out
    assert code == 0
    assert "(ID Telegram 5)" in out
    assert "Selamat datang di bot IKU Kecamatan Larangan." in out
    assert "> 2\nSeksi Anda:\n  [1] Seksi Pembinaan dan Pengawasan Pemerintahan Desa" in out
    assert out.rstrip().endswith("Konsol selesai.")
    assert _stored(5) is None  # a stranger until registered


def test_the_cli_console_refuses_a_user_id_that_is_not_positive(
    console_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["console", "--user-id", "0"])
    assert exit_info.value.code == 2
    assert "ID Telegram harus lebih dari 0" in capsys.readouterr().err


async def test_files_are_sent_from_disk_and_a_missing_one_is_explained(
    console: ConsoleRun, console_env: Path
) -> None:
    (console_env / "data.csv").write_text("kode_desa,tahun,idm\n", encoding="utf-8")
    _, out = await console(["foto: tidak-ada.jpg", "berkas: data.csv"])
    assert "(konsol) Berkas tidak ditemukan: tidak-ada.jpg" in out
    assert "> berkas: data.csv\nTidak ada isian yang sedang berjalan." in out


async def test_in_a_terminal_the_console_prompts_instead_of_echoing(console_env: Path) -> None:
    out = io.StringIO()
    code = await run_console(load_settings(), 42, ["/start\n"], out, interactive=True)
    assert code == 0
    text = out.getvalue()
    assert "> Selamat datang di bot IKU" in text  # the prompt, then the bot's answer
    assert "> /start" not in text


async def test_an_incidents_photo_shown_again_is_saved_in_the_console_folder(
    console: ConsoleRun, console_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADMIN_TELEGRAM_IDS", "42")
    (console_env / "bukti.jpg").write_bytes(b"\xff\xd8\xff\xe0 foto bukti")
    report = [
        "/lapor",
        "2",  # Trantibum
        "1",  # the first desa
        "1",  # Hari ini
        "1",  # the first category
        "Warga melaporkan keributan di pasar desa pada malam hari.",
        "1",  # no location
        "foto: bukti.jpg",
        "1",  # Selesai
        "1",  # Kirim
        "/tindaklanjut TB-352808-2026-0001",
    ]
    _, out = await console([*report, "4"])  # Lihat foto dan lokasi, the card's 4th button
    card = out[out.rindex("> /tindaklanjut") :]
    assert "[4] Lihat foto" in card
    saved = list((console_env / "data" / "konsol").glob("foto-*-bukti.jpg"))
    assert len(saved) == 1
    assert saved[0].read_bytes() == b"\xff\xd8\xff\xe0 foto bukti"
    assert f"[foto disimpan di data/konsol/{saved[0].name}]" in out
    assert "[foto konsol-" not in out


def test_through_a_pipe_each_turns_output_arrives_before_the_next_line(
    console_env: Path,
) -> None:
    """A program that waits for each answer before it types the next line."""
    env = {**os.environ, "PYTHONUNBUFFERED": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--user-id", "42"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=console_env,
        env=env,
    )
    assert process.stdin is not None
    assert process.stdout is not None
    stdout = process.stdout
    received = b""

    def wait_for(text: str, seconds: float = 60) -> None:
        nonlocal received
        deadline = time.monotonic() + seconds
        while text.encode() not in received:
            left = deadline - time.monotonic()
            assert left > 0, f"{text!r} did not arrive: {received[-500:]!r}"
            ready, _, _ = select.select([stdout], [], [], left)
            if ready:
                chunk = os.read(stdout.fileno(), 65536)
                assert chunk, f"the console ended early: {received[-500:]!r}"
                received += chunk

    try:
        wait_for("Ketik 'keluar' untuk selesai.")
        process.stdin.write(b"/start\n")
        process.stdin.flush()
        wait_for("Perangkat desa dan staf kecamatan: daftar dengan /daftar.")
        process.stdin.write(b"/daftar\n")
        process.stdin.flush()
        wait_for("[3] Perangkat desa")  # the buttons, the last line of the turn
        process.stdin.write(b"keluar\n")
        process.stdin.flush()
        wait_for("Konsol selesai.")
    finally:
        process.kill()
        process.wait()
