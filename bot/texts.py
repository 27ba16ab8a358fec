"""Every user-facing Indonesian sentence of the bot, in one place.

Messages are sent as HTML: anything a user typed is escaped before it is put in.
"""

from __future__ import annotations

from typing import Final

NO_TOKEN: Final = (
    "Token bot Telegram belum diatur, jadi bot belum dapat tersambung ke Telegram. "
    "Untuk mendapatkannya: buka Telegram, cari @BotFather, kirim /newbot, ikuti "
    "petunjuknya (nama dan username bot yang berakhiran 'bot'), lalu salin token yang "
    "diberikan ke berkas .env di folder ini sebagai TELEGRAM_BOT_TOKEN=123456:ABC... "
    "(contohnya ada di .env.example) dan jalankan perintah ini lagi. Tanpa token Anda "
    "tetap dapat mencoba bot secara offline dengan 'uv run iku-bot console', dan "
    "memakai 'uv run iku-bot report' untuk tabel IKU, 'uv run iku-bot import-idm BERKAS' "
    "dan 'uv run iku-bot import-skm BERKAS' untuk mengisi data (lihat README)."
)

# -- general ---------------------------------------------------------------------------

START: Final = (
    "Selamat datang di bot IKU <b>Kecamatan {kecamatan}</b>.\n"
    "Bot ini mencatat laporan konflik sosial dan trantibum, hasil IDM, desa tematik, "
    "dan Survei Kepuasan Masyarakat (SKM)."
)
START_CITIZEN: Final = (
    "Warga yang baru dilayani di kantor kecamatan dapat mengisi survei kepuasan dengan "
    "/skm (tanpa nama, sekitar 2 menit).\n"
    "Perangkat desa dan staf kecamatan: daftar dengan /daftar."
)
START_USER: Final = "Halo, {nama} ({peran}). Ketik /bantuan untuk daftar perintah Anda."

ERROR: Final = (
    "Maaf, terjadi kesalahan saat memproses permintaan Anda. Silakan coba lagi "
    "beberapa saat lagi. Bila terus terjadi, hubungi operator kecamatan."
)
UNKNOWN_COMMAND: Final = "Perintah itu tidak dikenal. Ketik /bantuan untuk daftar perintah."
PRIVATE_ONLY: Final = "Perintah ini dipakai di chat pribadi dengan bot."
OPEN_PRIVATE: Final = "Buka chat dengan bot"
GROUP_ADMIN_ONLY: Final = "Maaf, perintah ini di grup hanya untuk admin bot."
STALE_BUTTON: Final = "Tombol ini sudah tidak berlaku."
STALE_NO_DRAFT: Final = (
    "Tombol itu berasal dari percakapan yang sudah selesai atau dibatalkan, jadi tidak "
    "ada yang diubah. Ketik /bantuan untuk memulai lagi."
)
STALE_RESUME: Final = (
    "Tombol itu berasal dari langkah sebelumnya, jadi tidak ada yang diubah. "
    "Anda sedang mengisi {title}; lanjutkan di sini:"
)
NO_CONVERSATION: Final = (
    "Tidak ada isian yang sedang berjalan. Ketik /bantuan untuk melihat perintah yang tersedia."
)
CHOOSE_BUTTON: Final = "Silakan pilih salah satu tombol pada pertanyaan di bawah ini."
WRONG_KIND: Final = "Jawaban jenis itu tidak dapat dipakai di langkah ini."
UNSUPPORTED: Final = "Maaf, {what} tidak dapat diproses di sini."
CANCELLED: Final = "Dibatalkan. Tidak ada yang disimpan dari isian tadi."
NOTHING_TO_CANCEL: Final = "Tidak ada isian yang sedang berjalan."
RESUME: Final = "Anda sedang mengisi {title}. Lanjutkan di sini, atau ketik /batal:"

HELP_HEADER: Final = "<b>Perintah yang tersedia</b>"
HELP_FOOTER: Final = (
    "/bantuan dapat dipakai kapan saja, juga di tengah isian; /batal membatalkan isian."
)
HELP_UNREGISTERED: Final = (
    "Belum terdaftar? Perangkat desa dan staf kecamatan mendaftar dengan /daftar, lalu "
    "menunggu persetujuan admin, atau memakai tautan undangan dari admin."
)

BACK: Final = "« Kembali"
CANCEL_BUTTON: Final = "Batal"
SKIP: Final = "Lewati"
DONE: Final = "Selesai"
YES: Final = "Ya"
NO: Final = "Tidak"

PROFILE: Final = (
    "<b>Profil Anda</b>\nNama: {nama}\nJabatan: {jabatan}\nPeran: {peran}\n"
    "Kecamatan: {kecamatan}\nStatus: {status}"
)
PROFILE_NONE: Final = (
    "Anda belum terdaftar. Perangkat desa dan staf kecamatan mendaftar dengan /daftar. "
    "Warga tidak perlu mendaftar untuk mengisi survei kepuasan (/skm)."
)

SEND: Final = "Kirim"
EDIT: Final = "Ubah"

# -- registration ------------------------------------------------------------------------

REG_INTRO: Final = (
    "Pendaftaran pengguna bot IKU. Jawab beberapa pertanyaan; admin kecamatan akan "
    "memeriksa dan menyetujui pendaftaran Anda. Ketik /batal untuk berhenti."
)
REG_ASK_KECAMATAN: Final = "Anda bertugas di kecamatan mana?"
REG_ASK_ROLE: Final = "Anda mendaftar sebagai apa?"
REG_ASK_SEKSI: Final = "Seksi Anda:"
REG_ASK_DESA: Final = "Desa tempat Anda bertugas:"
REG_ASK_NAME: Final = "Tulis nama lengkap Anda (sesuai SK/tanda pengenal):"
REG_ASK_JABATAN: Final = "Tulis jabatan Anda, misalnya Kasi Trantib, Sekretaris Desa, Kaur Umum:"
REG_SUMMARY: Final = (
    "<b>Periksa pendaftaran Anda</b>\nNama: {nama}\nJabatan: {jabatan}\nPeran: {peran}\n\n"
    "Kirim ke admin kecamatan?"
)
REG_SENT: Final = "Pendaftaran terkirim. Anda akan diberi tahu di sini setelah admin memutuskan."
REG_NO_ADMIN: Final = (
    "Catatan: belum ada admin aktif di kecamatan ini. Hubungi operator kecamatan agar "
    "pendaftaran Anda diperiksa."
)
REG_CARD: Final = (
    "<b>Pendaftaran baru</b>\nNama: {nama}\nJabatan: {jabatan}\nPeran yang diminta: {peran}"
)
APPROVE: Final = "Setujui"
REJECT: Final = "Tolak"
REG_APPROVED_BY: Final = "Disetujui oleh {admin}."
REG_REJECTED_BY: Final = "Ditolak oleh {admin}."
REG_WELCOME: Final = (
    "Pendaftaran Anda disetujui. Anda terdaftar sebagai {peran}. Ketik /bantuan untuk "
    "melihat perintah Anda."
)
REG_REJECTED: Final = (
    "Maaf, pendaftaran Anda belum disetujui admin kecamatan. Periksa data Anda lalu "
    "daftar ulang dengan /daftar, atau hubungi admin."
)
REG_ALREADY_PENDING: Final = "Pendaftaran Anda sudah terkirim dan masih menunggu persetujuan admin."
REG_ALREADY_ACTIVE: Final = "Anda sudah terdaftar. Lihat /profil."
REG_DISABLED: Final = (
    "Akun Anda dinonaktifkan. Hubungi admin kecamatan untuk mengaktifkannya kembali."
)

INV_ASK_ROLE: Final = "Tautan undangan untuk peran apa?"
INV_ASK_SEKSI: Final = "Untuk seksi apa?"
INV_ASK_DESA: Final = "Untuk perangkat desa mana?"
INV_CREATED: Final = (
    "Tautan undangan untuk <b>{peran}</b>:\n{link}\n\nBerlaku satu kali sampai {sampai}. "
    "Kirimkan hanya kepada orang yang dimaksud."
)
INV_OPENED: Final = "Anda diundang sebagai <b>{peran}</b>. Lengkapi data berikut."

USERS_HEADER: Final = "<b>Pengguna bot Kecamatan {kecamatan}</b>"
USERS_NONE: Final = "Belum ada pengguna terdaftar."
DISABLE: Final = "Nonaktifkan"
ENABLE: Final = "Aktifkan"
USER_DISABLED: Final = "{nama} dinonaktifkan."
USER_ENABLED: Final = "{nama} diaktifkan kembali."
USER_DISABLED_NOTICE: Final = (
    "Akun Anda di bot IKU dinonaktifkan oleh admin kecamatan. Hubungi admin bila ini keliru."
)
USER_ENABLED_NOTICE: Final = "Akun Anda di bot IKU diaktifkan kembali. Ketik /bantuan."
