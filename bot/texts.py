"""Every user-facing Indonesian sentence of the bot, in one place."""

from __future__ import annotations

from typing import Final

NO_TOKEN: Final = (
    "Token bot Telegram belum diatur, jadi bot belum dapat tersambung ke Telegram. "
    "Untuk mendapatkannya: buka Telegram, cari @BotFather, kirim /newbot, ikuti "
    "petunjuknya (nama dan username bot yang berakhiran 'bot'), lalu salin token yang "
    "diberikan ke berkas .env di folder ini sebagai TELEGRAM_BOT_TOKEN=123456:ABC... "
    "(contohnya ada di .env.example) dan jalankan perintah ini lagi. Tanpa token Anda "
    "tetap dapat mencoba aplikasinya secara offline pada basis data yang sama, misalnya "
    "'uv run iku-bot report' untuk tabel IKU, 'uv run iku-bot import-idm BERKAS' dan "
    "'uv run iku-bot import-skm BERKAS' untuk mengisi data (lihat README)."
)

START: Final = (
    "Selamat datang di bot IKU Kecamatan {kecamatan}.\n"
    "Bot ini mencatat laporan konflik sosial dan trantibum, hasil IDM, desa tematik, "
    "dan Survei Kepuasan Masyarakat.\n\nKetik /bantuan untuk melihat perintah yang tersedia."
)

HELP: Final = (
    "Perintah yang tersedia:\n"
    "/start - mulai\n"
    "/bantuan - bantuan ini\n\n"
    "Fitur pelaporan, tindak lanjut, dan survei sedang disiapkan."
)

ERROR: Final = (
    "Maaf, terjadi kesalahan saat memproses permintaan Anda. Silakan coba lagi "
    "beberapa saat lagi. Bila terus terjadi, hubungi operator kecamatan."
)
