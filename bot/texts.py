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
REPLACE_ASK: Final = (
    "Anda sedang mengisi {current} dan sudah ada jawaban yang belum dikirim. "
    "Lanjutkan isian itu, atau tinggalkan dan mulai {new}? Isian yang ditinggalkan "
    "tidak disimpan."
)
REPLACE_CONTINUE: Final = "Lanjutkan {title}"
REPLACE_NEW: Final = "Mulai baru: {title}"
DATABASE_DOWN: Final = (
    "⚠️ Maaf, basis data kantor sedang tidak dapat dijangkau, jadi pesan atau tombol "
    "terakhir Anda <b>belum tersimpan</b>. Isian yang sudah Anda jawab sebelumnya tetap "
    "aman. Kirim lagi jawaban terakhir (atau tekan tombolnya lagi) beberapa menit lagi."
)
DATABASE_DOWN_TOAST: Final = "Belum tersimpan: basis data sedang tidak dapat dijangkau."
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
REG_ASK_KABUPATEN: Final = "Anda bertugas di kabupaten/kota mana?"
REG_ASK_KECAMATAN: Final = "Anda bertugas di kecamatan mana?"
REG_SUMMARY_KECAMATAN: Final = "\nKecamatan: {kecamatan}, {kabupaten}"
REG_ASK_ROLE: Final = "Anda mendaftar sebagai apa?"
REG_ASK_SEKSI: Final = "Seksi Anda:"
REG_ASK_DESA: Final = "Desa tempat Anda bertugas:"
REG_ASK_NAME: Final = "Tulis nama lengkap Anda (sesuai SK/tanda pengenal):"
REG_ASK_JABATAN: Final = "Tulis jabatan Anda, misalnya Kasi Trantib, Sekretaris Desa, Kaur Umum:"
REG_SUMMARY: Final = (
    "<b>Periksa pendaftaran Anda</b>\nNama: {nama}\nJabatan: {jabatan}\nPeran: {peran}"
    "{kecamatan}\n\nKirim ke admin kecamatan?"
)
REG_SENT: Final = "Pendaftaran terkirim. Anda akan diberi tahu di sini setelah admin memutuskan."
REG_NO_ADMIN: Final = (
    "Catatan: belum ada admin aktif di kecamatan ini. Hubungi operator kecamatan agar "
    "pendaftaran Anda diperiksa."
)
REG_CARD: Final = (
    "<b>Pendaftaran baru</b>\nNama: {nama}\nJabatan: {jabatan}\nPeran yang diminta: {peran}\n"
    "Akun Telegram: {akun}"
)
REG_CARD_ADMIN: Final = (
    "⚠️ <b>Permintaan peran ADMIN</b>: admin dapat menyetujui dan menonaktifkan pengguna, "
    "mengatur layanan, dan melihat semua laporan. Setujui hanya bila Anda mengenal orangnya "
    "dan akun Telegram-nya."
)
REG_ACCOUNT: Final = "@{username} (ID {id})"
REG_ACCOUNT_NO_USERNAME: Final = "ID {id}, tanpa nama pengguna"
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
USER_DISABLE_ASK: Final = (
    "Nonaktifkan <b>{nama}</b> ({peran})?\n\nSetelah dinonaktifkan, ia {hilang}. "
    "Laporan dan catatan yang sudah ia kirim tetap tersimpan dan tetap dihitung; akunnya "
    "dapat diaktifkan kembali dari /pengguna."
)
USER_DISABLE_LOSES: Final = {
    "perangkat_desa": (
        "tidak dapat lagi mengirim laporan kejadian dan laporan nihil desanya, dan tidak "
        "lagi menerima pengingat mingguan"
    ),
    "staf_seksi": (
        "tidak lagi menerima kartu kasus seksinya dan tidak dapat lagi menindaklanjuti laporan "
        "atau mencatat data seksinya"
    ),
    "admin": (
        "tidak dapat lagi menyetujui dan menonaktifkan pengguna, mengatur layanan, atau melihat "
        "ringkasan dan laporan Excel"
    ),
}
USER_DISABLE_CONFIRM: Final = "Ya, nonaktifkan"
USER_DISABLE_KEPT: Final = "Dibatalkan: {nama} tetap aktif."
USER_ENABLED: Final = "{nama} diaktifkan kembali."
USER_DISABLED_NOTICE: Final = (
    "Akun Anda di bot IKU dinonaktifkan oleh admin kecamatan. Hubungi admin bila ini keliru."
)
USER_ENABLED_NOTICE: Final = "Akun Anda di bot IKU diaktifkan kembali. Ketik /bantuan."

# -- survey (SKM in chat, /qr, /layanan) ---------------------------------------------------

SKM_AGREE: Final = "Setuju"
SKM_INTRO: Final = (
    "<b>Survei Kepuasan Masyarakat (SKM) Kecamatan {kecamatan}</b>\n"
    "Kami ingin tahu pendapat Anda tentang layanan yang baru Anda terima: 9 pertanyaan "
    "pilihan dan beberapa data singkat tentang Anda, sekitar 2 menit.\n"
    "Survei ini tanpa nama: akun Telegram Anda tidak disimpan bersama jawaban, dan setiap "
    "orang mengisi satu kali per layanan per semester. Ketik /batal untuk berhenti.\n\n"
    "Bersedia mengisi survei?"
)
SKM_INTRO_SERVICE: Final = "Layanan yang dinilai: <b>{layanan}</b>."
SKM_DECLINED: Final = (
    "Baik, terima kasih. Tidak ada yang disimpan. Bila berubah pikiran, ketik /skm kapan saja."
)
SKM_NOT_OPEN: Final = (
    "Maaf, survei kepuasan Kecamatan {kecamatan} belum dibuka: belum ada layanan yang "
    "dapat dinilai. Silakan coba lagi lain waktu."
)
SKM_UNKNOWN_SERVICE: Final = (
    "Layanan pada tautan atau kode QR ini tidak dikenal (mungkin kodenya sudah diganti). "
    "Anda dapat memilih layanan dari daftar setelah ini."
)
SKM_SERVICE_CLOSED: Final = (
    "Layanan <b>{nama}</b> saat ini tidak dinilai dalam survei. "
    "Anda dapat memilih layanan dari daftar setelah ini."
)
SKM_ASK_SERVICE: Final = "Layanan apa yang baru Anda terima di kantor kecamatan?"
SKM_SERVICE_GONE: Final = "Layanan itu sudah tidak dinilai lagi. Silakan pilih layanan lain."
SKM_ASK_JK: Final = "Jenis kelamin Anda:"
SKM_ASK_USIA: Final = "Berapa usia Anda? Tulis dengan angka, misalnya 35."
SKM_USIA_HINT: Final = "Tulis usia Anda dengan angka, misalnya 35."
SKM_ASK_PENDIDIKAN: Final = "Pendidikan terakhir Anda:"
SKM_ASK_PEKERJAAN: Final = "Pekerjaan utama Anda:"
SKM_QUESTION: Final = "<b>Pertanyaan {number} dari {total} - {name}</b>\n{question}"
SKM_PREVIOUS: Final = "\n<i>Jawaban Anda sebelumnya: {label}</i>"
SKM_ANSWERED: Final = "{question}\nJawaban: <b>{label}</b>"
SKM_ASK_SARAN: Final = (
    "Terakhir, adakah saran untuk perbaikan pelayanan kami? Tulis saran Anda (paling "
    "banyak 1000 karakter), atau pilih Lewati."
)
SKM_SARAN_HINT: Final = "Tulis saran Anda sebagai teks, atau pilih Lewati."
SKM_THANKS: Final = (
    "Terima kasih! Penilaian Anda untuk layanan <b>{layanan}</b> sudah kami terima "
    "tanpa nama. Masukan Anda membantu Kecamatan {kecamatan} memperbaiki pelayanan."
)
SKM_ALREADY_HINT: Final = (
    "Tidak ada yang disimpan dari isian tadi. Bila Anda juga menerima layanan lain, "
    "ketik /skm untuk menilai layanan itu."
)

QR_HEADER: Final = (
    "<b>Kode QR survei kepuasan</b>\n"
    "Cetak dan tempel di meja layanan. Warga memindai kode, lalu bot membuka survei "
    "untuk layanan itu."
)
QR_SERVICE: Final = "<b>{layanan}</b> (kode {kode})\n{link}"
QR_GENERAL: Final = "<b>Semua layanan</b> (warga memilih layanannya sendiri)\n{link}"
QR_NONE: Final = (
    "Belum ada layanan aktif, jadi belum ada kode QR. Tambahkan layanan dengan /layanan."
)

SERVICES_HEADER: Final = "<b>Layanan SKM Kecamatan {kecamatan}</b>"
SERVICES_NONE: Final = "Belum ada layanan. Tambahkan layanan agar warga dapat mengisi survei."
SERVICE_LINE: Final = "{number}. {nama} (kode {kode}), populasi {populasi} orang/tahun, {status}"
SERVICES_FOOTER: Final = "Kode QR untuk layanan aktif: /qr"
SERVICE_ACTIVE: Final = "aktif"
SERVICE_INACTIVE: Final = "nonaktif"
SERVICE_ADD: Final = "+ Tambah layanan"
SERVICE_EXAMPLE_MARK: Final = ", <b>contoh, belum dikonfirmasi</b>"
SERVICES_EXAMPLES_NOTE: Final = (
    "Layanan bertanda contoh berasal dari data awal kantor dan sudah dapat dinilai warga. "
    "Konfirmasi yang memang dilayani kantor, hapus yang tidak."
)
SERVICE_CONFIRM: Final = "Konfirmasi"
SERVICE_REMOVE: Final = "Hapus contoh"
SERVICE_CONFIRMED: Final = "{nama} dikonfirmasi."
SERVICE_REMOVED: Final = "{nama} dihapus."
SERVICE_REMOVED_KEPT: Final = "{nama} dinonaktifkan ({jumlah} tanggapan tetap tersimpan)."
SERVICE_ENABLED: Final = "{nama} diaktifkan."
SERVICE_DISABLED: Final = "{nama} dinonaktifkan."
SERVICE_ASK_KODE: Final = (
    "Tambah layanan SKM. Tulis kode singkat layanan (dipakai di tautan dan kode QR), "
    "huruf kecil, angka, '-' atau '_', misalnya <code>ktp</code> atau <code>kk-baru</code>. "
    "Ketik /batal untuk berhenti."
)
SERVICE_BAD_KODE: Final = (
    "Kode layanan 1-32 karakter: huruf kecil, angka, '-' atau '_', diawali huruf atau angka, "
    "misalnya ktp."
)
SERVICE_KODE_TAKEN: Final = "Kode {kode} sudah dipakai layanan {nama}. Tulis kode lain."
SERVICE_ASK_NAMA: Final = "Tulis nama layanan, misalnya Rekomendasi KTP-el:"
SERVICE_NAMA_TAKEN: Final = "Layanan bernama {nama} sudah ada. Tulis nama lain."
SERVICE_ASK_POPULASI: Final = (
    "Berapa orang dilayani dalam setahun untuk layanan ini (perkiraan)? Dipakai untuk "
    "menghitung sampel minimal. Tulis angka, misalnya 1200, atau pilih Lewati."
)
SERVICE_POPULASI_HINT: Final = "Tulis jumlah dengan angka, misalnya 1200, atau pilih Lewati."
SERVICE_BAD_POPULASI: Final = "Tulis jumlah orang per tahun dengan angka saja, misalnya 1200."
SERVICE_ADDED: Final = (
    "Layanan <b>{nama}</b> (kode {kode}) ditambahkan dan langsung dapat dinilai warga. "
    "Tautan survei: {link}\nKode QR: /qr"
)

# -- records: IDM and desa tematik ---------------------------------------------------------

SAVE: Final = "Simpan"

IDM_TITLE: Final = "hasil IDM"
IDM_ASK_HOW: Final = (
    "<b>Hasil Indeks Desa Membangun (IDM)</b>\n"
    "Isi nilainya sendiri, atau kirim berkas IDM dari Kemendesa (JSON) atau tabel CSV/XLSX?"
)
IDM_MANUAL: Final = "Isi manual"
IDM_FILE: Final = "Kirim berkas"
IDM_ASK_YEAR: Final = "Hasil IDM tahun berapa? Pilih atau ketik tahunnya ({first}-{last})."
IDM_ASK_DESA: Final = "Desa mana?"
IDM_ASK_MODE: Final = "Nilai apa yang Anda punya?"
IDM_MODE_THREE: Final = "IKS, IKE, IKL"
IDM_MODE_ONLY: Final = "Nilai IDM saja"
IDM_ASK_INDEX: Final = (
    "Ketik nilai <b>{name}</b> ({long}) Desa {desa} tahun {tahun}: angka 0-1, "
    "misalnya 0,7512 (koma atau titik, paling banyak 14 desimal)."
)
IDM_INDEX_NAMES: Final = {
    "IKS": "Indeks Ketahanan Sosial",
    "IKE": "Indeks Ketahanan Ekonomi",
    "IKL": "Indeks Ketahanan Lingkungan",
    "IDM": "Indeks Desa Membangun",
}
IDM_SUMMARY: Final = "<b>Periksa hasil IDM</b>\nDesa: {desa}\nTahun: {tahun}\n{values}\n\nSimpan?"
IDM_SUMMARY_SCORE: Final = "IDM: <b>{score}</b> ({status})"
IDM_SAVED: Final = "Hasil IDM Desa {desa} tahun {tahun} disimpan."
IDM_SCORE: Final = "Skor IDM: {score}"
IDM_SCORE_EXACT: Final = " (tepatnya {exact})"
IDM_STATUS: Final = "Status: <b>{status}</b>"
IDM_PREVIOUS: Final = "Nilai sebelumnya untuk tahun ini: {score} ({status})"
IDM_NEXT: Final = (
    "Untuk naik ke status {target} diperlukan skor minimal {minimum}: kurang {needed} lagi."
)
IDM_TOP: Final = "Mandiri adalah status tertinggi."

IDM_ASK_FILE: Final = (
    "Kirim berkasnya sebagai dokumen (lampiran), paling besar 1 MB:\n"
    "- berkas JSON IDM dari Kemendesa (.json), satu desa satu tahun; atau\n"
    "- tabel CSV (.csv) atau Excel (.xlsx, lembar pertama) dengan kolom kode_desa, tahun, "
    "iks, ike, ikl (atau kode_desa, tahun, idm); atau\n"
    "- tabel hasil terbit dengan kolom kode_desa, tahun, skor, status (boleh ditambah enam "
    "kolom dimensi dan sumber): sampai 2024 IDM (skor 0-1), mulai 2025 Indeks Desa "
    "(skor 0-100)."
)
IDM_FILE_HINT: Final = (
    "Kirim berkas .json, .csv atau .xlsx sebagai dokumen (ikon klip, lalu File), bukan teks "
    "atau foto. "
    "Ketik /batal untuk berhenti."
)
IDM_FILE_EXTENSION: Final = (
    "Berkas {name} tidak dapat dibaca: yang diterima hanya berkas .json (IDM Kemendesa), "
    ".csv atau .xlsx."
)
IDM_FILE_TOO_LARGE: Final = (
    "Berkas {name} terlalu besar ({size}). Paling besar 1 MB; pecah tabelnya menjadi "
    "beberapa berkas."
)
IDM_FILE_UNREADABLE: Final = "Berkas {name} tidak dapat diunduh dari Telegram. Coba kirim lagi."
IDM_FILE_NOT_UTF8: Final = "berkas bukan teks UTF-8 (simpan ulang sebagai CSV UTF-8)"
IDM_PREVIEW: Final = (
    "<b>Pratinjau impor {name}</b>\n{count} hasil IDM akan disimpan:\n{lines}\n\nSimpan?"
)
IDM_PREVIEW_CURRENT: Final = "sekarang {score} ({status})"
IDM_PREVIEW_NEW: Final = "baru"
IDM_IMPORTED: Final = (
    "Impor {name} selesai: {inserted} hasil IDM baru, {updated} diperbarui.\n{lines}"
)

TEMATIK_TITLE: Final = "desa tematik"
TEMATIK_MENU: Final = "<b>Desa tematik</b>\nApa yang ingin Anda lakukan?"
TEMATIK_RECORD: Final = "Catat desa tematik"
TEMATIK_LIST: Final = "Daftar"
TEMATIK_END: Final = "Akhiri"
TEMATIK_ASK_DESA: Final = "Desa mana yang ditetapkan sebagai desa tematik?"
TEMATIK_ASK_TEMA: Final = "Temanya?"
TEMATIK_ASK_LAINNYA: Final = "Ketik nama temanya (3-100 karakter), misalnya Desa Digital:"
TEMATIK_ASK_YEAR: Final = "Untuk tahun berapa? Pilih atau ketik tahunnya ({first}-{last})."
TEMATIK_ASK_REF: Final = (
    "Ketik nomor SK atau referensi penetapannya (3-200 karakter), misalnya 188/45/432.312/2026:"
)
TEMATIK_ASK_DOC: Final = (
    "Kirim foto atau berkas SK-nya bila ada (sebagai bukti), atau tekan Lewati."
)
TEMATIK_DOC_HINT: Final = "Kirim foto atau berkas (dokumen), atau tekan Lewati."
TEMATIK_SUMMARY: Final = (
    "<b>Periksa desa tematik</b>\nDesa: {desa}\nTema: {tema}\nTahun: {tahun}\n"
    "Referensi: {referensi}\nBukti: {bukti}\n\nSimpan?"
)
TEMATIK_PROOF_PHOTO: Final = "foto terlampir"
TEMATIK_PROOF_FILE: Final = "berkas {name}"
TEMATIK_PROOF_NONE: Final = "tidak ada"
TEMATIK_SAVED: Final = (
    "Tercatat: Desa {desa} sebagai desa tematik {tema} tahun {tahun}.\n"
    "Desa tematik tahun {tahun}: <b>{count} desa</b>."
)
TEMATIK_LIST_HEADER: Final = "<b>Desa tematik aktif tahun {tahun}</b>"
TEMATIK_LIST_LINE: Final = "{n}. {desa} - {tema} - {referensi}"
TEMATIK_LIST_NONE: Final = "Belum ada desa tematik aktif tahun {tahun}."
TEMATIK_LIST_COUNT: Final = "Jumlah desa tematik (IKU 2): <b>{count} desa</b>"
TEMATIK_ASK_WHICH: Final = "Desa tematik mana yang diakhiri?"
TEMATIK_NONE_TO_END: Final = (
    "Tidak ada desa tematik aktif tahun {this} atau {next} yang dapat diakhiri."
)
TEMATIK_ASK_END: Final = (
    "Akhiri penetapan Desa {desa} sebagai desa tematik {tema} tahun {tahun}? "
    "Penetapan ini tidak lagi dihitung pada IKU 2 tahun {tahun}."
)
TEMATIK_END_YES: Final = "Ya, akhiri"
TEMATIK_ENDED: Final = (
    "Diakhiri: Desa {desa}, desa tematik {tema} tahun {tahun}.\n"
    "Desa tematik tahun {tahun} sekarang: <b>{count} desa</b>."
)
TEMATIK_GONE: Final = "Desa tematik itu sudah tidak aktif."

# -- incident reports and follow-up ------------------------------------------------------

TODAY: Final = "Hari ini"
YESTERDAY: Final = "Kemarin"
LAPOR_ASK_KIND: Final = "Laporan kejadian. Apa jenis kejadiannya?"
LAPOR_ASK_DESA: Final = "Di desa mana kejadiannya?"
LAPOR_ASK_DATE: Final = (
    "Kapan kejadiannya? Pilih tombol, atau tulis tanggalnya (hh-bb-tttt, misalnya "
    "05-11-2026, atau 2026-11-05). Paling lama {days} hari yang lalu."
)
LAPOR_ASK_STAGE: Final = "Apakah ini potensi konflik, atau konflik yang sudah terjadi?"
STAGE_POTENSI: Final = "Potensi konflik"
STAGE_TERJADI: Final = "Sudah terjadi"
LAPOR_ASK_CATEGORY: Final = "Kategori kejadian:"
LAPOR_ASK_DETAIL: Final = "Sebutkan jenis kejadiannya (3-100 karakter):"
LAPOR_ASK_DESC: Final = (
    "Uraikan kejadiannya: apa yang terjadi, siapa yang terlibat, di mana, dan langkah "
    "yang sudah diambil (15-1000 karakter)."
)
LAPOR_DESC_HINT: Final = "Tuliskan uraian kejadian sebagai teks."
LAPOR_ASK_LOCATION: Final = (
    "Bila ada, kirim lokasi kejadian: tombol lampiran (📎) > Lokasi. Atau pilih Lewati."
)
LAPOR_LOCATION_HINT: Final = "Kirim lokasi lewat tombol lampiran (📎) > Lokasi, atau pilih Lewati."
LAPOR_ASK_PHOTOS: Final = (
    "Kirim foto kejadian bila ada (paling banyak {max}; dokumen PDF juga boleh), atau pilih Lewati."
)
LAPOR_MORE_PHOTOS: Final = (
    "Foto ke-{count} diterima. Kirim foto lain (paling banyak {max}) atau pilih Selesai."
)
LAPOR_MORE_FILES: Final = (
    "Berkas ke-{count} ({name}) diterima. Kirim foto atau berkas lain (paling banyak {max}) "
    "atau pilih Selesai."
)
LAPOR_TOO_MANY_PHOTOS: Final = "Paling banyak {max} foto atau berkas per laporan."
LAPOR_PHOTO_HINT: Final = "Kirim foto atau dokumen PDF, atau pilih Selesai."
LAPOR_SUMMARY_HEADER: Final = "<b>Periksa laporan Anda</b>"
LAPOR_ASK_WHICH: Final = "Bagian mana yang ingin diubah?"
LAPOR_SENT: Final = (
    "Laporan terkirim dengan nomor <b>{nomor}</b>. Simpan nomor ini. Anda akan diberi "
    "tahu setiap kali statusnya berubah; lihat semua laporan Anda dengan /laporanku."
)
CARD_NEW: Final = "<b>Laporan baru untuk ditindaklanjuti</b>"
CARD_CHANGED: Final = "Laporan ini sudah berubah sejak kartu tadi dikirim. Keadaan terbaru:"
REOPEN: Final = "Buka kembali"
HISTORY: Final = "Riwayat"
SHOW_MEDIA: Final = "Lihat foto/lokasi"
OVERDUE: Final = "⚠️ Terlambat: terbuka {days} hari."
OVERDUE_MARK: Final = " ⚠️ terlambat"
INCIDENT_NOT_FOUND: Final = "Laporan ini tidak ditemukan."
NOMOR_NOT_FOUND: Final = (
    "Laporan bernomor {nomor} tidak ditemukan. Periksa nomornya (contoh: "
    "KS-352808-2026-0001), atau ketik /tindaklanjut saja untuk daftar kasus terbuka."
)
PHOTO_CAPTION: Final = "{nomor} - foto {number}"
DOCUMENT_CAPTION: Final = "{nomor} - berkas {number}: {name}"
LOCATION_CAPTION: Final = "Lokasi kejadian {nomor}:"
FOLLOW_ASK_NOTE: Final = (
    "Tindak lanjut {nomor} menjadi <b>{status}</b>. Tulis catatannya: apa yang sudah "
    "dilakukan, oleh siapa, hasilnya (5-1000 karakter)."
)
FOLLOW_ASK_REASON: Final = (
    "Membuka kembali {nomor} (status menjadi <b>{status}</b>). Tulis alasannya (5-1000 karakter)."
)
FOLLOW_ASK_PROOF: Final = (
    "Kirim foto bukti bila ada (atau dokumennya, misalnya berita acara PDF), atau pilih Lewati."
)
FOLLOW_PROOF_HINT: Final = "Kirim foto atau dokumen PDF sebagai bukti, atau pilih Lewati."
FOLLOW_DONE: Final = "Status {nomor} sekarang <b>{status}</b>. Pelapor sudah diberi tahu."
FOLLOW_NOTICE: Final = "Laporan Anda {nomor} sekarang berstatus <b>{status}</b>.\nCatatan: {note}"
FOLLOW_STAFF_NOTICE: Final = (
    "Kasus {nomor} yang menjadi tanggung jawab seksi Anda diubah oleh admin {admin} menjadi "
    "<b>{status}</b>.\nCatatan: {note}"
)
NO_OPEN_CASES: Final = "Tidak ada kasus terbuka yang menjadi tanggung jawab Anda."
OPEN_CASES_HEADER: Final = "<b>Kasus terbuka</b> (pilih untuk menindaklanjuti):"
OPEN_CASES_PAGE: Final = (
    "Halaman {page} dari {pages}: kasus {first}-{last} dari {total}, yang terlama lebih dulu."
)
NEXT_PAGE: Final = "Berikutnya ▶"
PREVIOUS_PAGE: Final = "◀ Sebelumnya"
MY_REPORTS_NONE: Final = "Anda belum pernah mengirim laporan. Mulai dengan /lapor."
MY_REPORTS_HEADER: Final = "<b>Laporan Anda</b> (terbaru dulu):"
MY_REPORTS_FOOTER: Final = "Pilih nomor untuk melihat riwayat tindak lanjutnya."
NIHIL_ASK: Final = (
    "Konfirmasi laporan nihil: <b>tidak ada konflik sosial dan tidak ada kejadian "
    "trantibum</b> di Desa {desa} pada minggu ini ({start} s.d. {end})?"
)
NIHIL_CONFIRM: Final = "Ya, nihil"
NIHIL_DONE: Final = "Laporan nihil minggu {start} s.d. {end} tercatat. Terima kasih."
NIHIL_ALREADY: Final = (
    "Laporan nihil desa Anda untuk minggu {start} s.d. {end} sudah tercatat sebelumnya."
)

# -- reports (/ringkasan, /ekspor) and the offline console --------------------------------

SUMMARY_COMMAND: Final = "Ringkasan IKU tahun ini"
SUMMARY_HEADER: Final = "<b>Ringkasan IKU Kecamatan {kecamatan}</b>\nPeriode: {mulai} s.d. {sampai}"
SUMMARY_ROW: Final = (
    "<b>{nomor}. {indikator}</b>\nRealisasi: {realisasi} | Target: {target} | Capaian: {capaian}"
)
SUMMARY_NO_EVENTS: Final = "tidak ada kejadian"
SUMMARY_FOOTER: Final = "Dihitung {waktu}. Tabel lengkap dalam Excel: /ekspor"

CONSOLE_INTRO: Final = (
    "Konsol offline bot IKU: Anda berbicara dengan bot sebagai {nama} (ID Telegram {id}); "
    "tidak ada yang dikirim ke Telegram, data disimpan di basis data biasa.\n"
    "Ketik pesan atau /perintah (mulai dengan /start). Angka menekan tombol bernomor "
    "pesan terakhir (tanpa tombol: angka dikirim sebagai teks); awali dengan ' untuk "
    "selalu mengirim angka sebagai teks (mis. '2026). 'lokasi: -7.05, 113.47' membagikan "
    "lokasi, 'foto: BERKAS' dan "
    "'berkas: BERKAS' mengirim gambar atau dokumen. Ketik 'keluar' untuk selesai."
)
CONSOLE_BAD_NUMBER: Final = "Pilih nomor tombol 1 sampai {jumlah}."
CONSOLE_LINK: Final = "Tautan (buka di peramban): {url}"
CONSOLE_BAD_LOCATION: Final = (
    "Tulis lokasi sebagai lintang, bujur dalam derajat, misalnya: lokasi: -7.05, 113.47"
)
CONSOLE_NO_FILE: Final = "Berkas tidak ditemukan: {path}"
CONSOLE_SAVED: Final = "[{jenis} disimpan di {path}]"
CONSOLE_PHOTO_ID: Final = "[foto {file_id}]"
CONSOLE_LOCATION: Final = "[lokasi {lat}, {lon}]"
CONSOLE_TOAST: Final = "(notifikasi) {text}"
CONSOLE_OTHER_CHAT: Final = "[pesan untuk chat {chat_id}]"
CONSOLE_EDITED: Final = "[pesan diubah]"
CONSOLE_BYE: Final = "Konsol selesai."
SKM_ALREADY_EARLY: Final = (
    "Anda sudah mengisi survei untuk layanan {layanan} pada semester ini; satu orang "
    "mengisi sekali per layanan per semester. Terima kasih! Untuk layanan lain, ketik /skm."
)
SKM_NOT_OPEN_HINT: Final = "Tambahkan layanan yang dapat dinilai warga dengan /layanan."

# -- export (Excel report) ----------------------------------------------------------------
# /ekspor [tahun] [semester|triwulan] and `iku-bot report --format xlsx`. Replaces the
# one-sheet XLSX_* texts above (kept while anything else still uses them).

EXPORT_FULL_COMMAND: Final = (
    "Laporan IKU lengkap sebagai berkas Excel (mis. /ekspor 2026 s1; tabel IKU bertanda "
    "tangan sebagai PDF: /ekspor 2026 pdf)"
)
EXPORT_PDF_CAPTION: Final = (
    "Tabel IKU Kecamatan {kecamatan}, periode {mulai} s.d. {sampai}, siap dicetak dan "
    "ditandatangani (PDF, satu halaman)."
)
EXPORT_FULL_CAPTION: Final = (
    "Tabel IKU Kecamatan {kecamatan}, periode {mulai} s.d. {sampai}, beserta rinciannya: "
    "konflik, trantibum, SKM, IDM dan desa tematik."
)
EXPORT_EXAMPLES: Final = (
    "Contoh:\n"
    "/ekspor - tahun ini sampai hari ini\n"
    "/ekspor 2026 - satu tahun\n"
    "/ekspor 2026 semester 1 (atau /ekspor 2026 s1)\n"
    "/ekspor 2026 triwulan 3 (atau /ekspor 2026 tw3)"
)
EXPORT_BAD_YEAR: Final = (
    'Tahun "{teks}" tidak dikenali. Tulis tahun dengan 4 angka, dari 2000 sampai 2100.\n\n'
    + EXPORT_EXAMPLES
)
EXPORT_BAD_PART: Final = (
    'Bagian periode "{teks}" tidak dikenali. Tulis semester 1 atau 2, atau triwulan 1 '
    "sampai 4, setelah tahunnya.\n\n" + EXPORT_EXAMPLES
)
EXPORT_BAD_SEMESTER: Final = "Semester hanya 1 atau 2 (tertulis: {nomor}).\n\n" + EXPORT_EXAMPLES
EXPORT_BAD_QUARTER: Final = "Triwulan hanya 1 sampai 4 (tertulis: {nomor}).\n\n" + EXPORT_EXAMPLES
EXPORT_NOT_STARTED: Final = (
    "Periode itu baru dimulai {mulai}, jadi belum ada datanya. Pilih periode yang sudah "
    "berjalan.\n\n" + EXPORT_EXAMPLES
)

WB_SHEET_IKU: Final = "IKU"
WB_SHEET_KONFLIK: Final = "Konflik"
WB_SHEET_TRANTIBUM: Final = "Trantibum"
WB_SHEET_SKM: Final = "SKM"
WB_SHEET_PROFILE: Final = "SKM Responden"
WB_SHEET_SARAN: Final = "SKM Saran"
WB_SHEET_IDM: Final = "IDM"
WB_SHEET_TEMATIK: Final = "Desa Tematik"

WB_PERIOD: Final = "Periode: {mulai} s.d. {sampai}"
WB_GENERATED: Final = "Kabupaten {kabupaten}, Provinsi {provinsi}. Dibuat {waktu}."
WB_MISSING: Final = "-"
WB_YES: Final = "Ya"
WB_NO: Final = "Belum"

WB_TITLE_IKU: Final = "Indikator Kinerja Utama (IKU) Kecamatan {kecamatan}"
WB_HEADERS_IKU: Final = (
    "No",
    "Kinerja Utama",
    "Indikator Kinerja",
    "Satuan",
    "Formula",
    "Target {tahun}",
    "Realisasi",
    "Capaian {tahun}",
    "Kategori Capaian",
    "Sumber Data",
    "Penanggung Jawab",
    "Keterangan",
)
WB_IKU_REALISASI_OF: Final = "Realisasi"  # the header over the years' realisasi
WB_SATUAN: Final = {"desa": "Desa", "%": "%", "NIK": "Nilai (NIK)"}
WB_CAPAIAN_NOTE: Final = (
    "Capaian = realisasi / target x 100%. Kategori capaian (Permendagri 86/2017): "
    "Sangat Tinggi >= 91%, Tinggi 76 - <91%, Sedang 66 - <76%, Rendah 51 - <66%, "
    "Sangat Rendah < 51%."
)
WB_SIGN_DATE: Final = "{tempat}, {tanggal}"
WB_SIGN_BLANK_NAME: Final = "(................................................)"
WB_SIGN_NIP: Final = "NIP. {nip}"
WB_SIGN_BLANK_NIP: Final = "NIP. ........................................"

WB_TITLE_KONFLIK: Final = "Potensi dan Konflik Sosial Kecamatan {kecamatan} (IKU 3)"
WB_TITLE_TRANTIBUM: Final = "Pelanggaran Trantibum Kecamatan {kecamatan} (IKU 4)"
WB_INCIDENT_NOTE: Final = (
    "Kejadian dengan tanggal kejadian di dalam periode; status pada saat laporan dibuat."
)
WB_INCIDENT_TOTAL: Final = "Jumlah kejadian"
WB_INCIDENT_HANDLED: Final = "Tertangani"
WB_INCIDENT_PERCENT: Final = "Persentase tertangani"
WB_HEADERS_INCIDENT: Final = (
    "No",
    "Nomor",
    "Tanggal Kejadian",
    "Diterima ({zona})",
    "Desa",
    "Kategori",
    "Tahap",
    "Status",
    "Tanggal Tertangani",
    "Lama Penanganan (hari)",
    "Uraian",
    "Pelapor",
    "Jabatan Pelapor",
)

WB_TITLE_SKM: Final = "Survei Kepuasan Masyarakat (SKM) Kecamatan {kecamatan} (IKU 5)"
WB_SKM_NOTE: Final = (
    "PermenPAN-RB No. 14 Tahun 2017: NRR = jumlah nilai / jumlah jawaban; "
    "IKM = jumlah NRR x 1/9; NIK = IKM x 25."
)
WB_HEADERS_UNSUR: Final = (
    "Kode",
    "Unsur Pelayanan",
    "Jumlah Nilai",
    "Jumlah Jawaban",
    "NRR",
    "NRR Tertimbang (x 1/9)",
)
WB_SKM_IKM: Final = "IKM (jumlah NRR tertimbang)"
WB_SKM_NIK: Final = "NIK (IKM x 25)"
WB_SKM_MUTU: Final = "Mutu pelayanan"
WB_SKM_KINERJA: Final = "Kinerja unit pelayanan"
WB_SKM_RESPONDENTS: Final = "Jumlah responden"
WB_SKM_POPULATION: Final = "Populasi (jumlah seluruh layanan)"
WB_SKM_MIN_SAMPLE: Final = "Sampel minimal (Krejcie-Morgan)"
WB_SKM_SUFFICIENT: Final = "Sampel memenuhi"
WB_SKM_NOTE_LABEL: Final = "Keterangan"
WB_HEADERS_SERVICE: Final = (
    "Layanan",
    "Responden",
    "Populasi",
    "Sampel Minimal",
    "Memenuhi",
)
WB_SKM_NO_SERVICE: Final = "Tanpa layanan (impor tanpa kolom layanan)"

WB_TITLE_PROFILE: Final = "Profil Responden SKM Kecamatan {kecamatan}"
WB_PROFILE_NOTE: Final = "Dihitung dari seluruh responden periode ini; survei bersifat anonim."
WB_HEADERS_PROFILE: Final = ("Pertanyaan", "Jawaban", "Jumlah", "Persentase")
WB_PROFILE_QUESTION: Final = {
    "jenis_kelamin": "Jenis kelamin",
    "usia": "Usia",
    "pendidikan": "Pendidikan",
    "pendidikan_resmi": "Pendidikan (kategori PermenPAN-RB 14/2017)",
    "pekerjaan": "Pekerjaan",
    "pekerjaan_resmi": "Pekerjaan (kategori PermenPAN-RB 14/2017)",
}
WB_PROFILE_BLANK: Final = "Tidak diisi"
WB_PROFILE_TOTAL: Final = "Jumlah"

WB_TITLE_SARAN: Final = "Saran Responden SKM Kecamatan {kecamatan}"
WB_SARAN_NOTE: Final = "Hanya tanggal survei dan layanan; tanpa identitas responden."
WB_HEADERS_SARAN: Final = ("No", "Tanggal Survei", "Layanan", "Saran")
WB_SARAN_NONE: Final = "Belum ada saran pada periode ini."

WB_TITLE_IDM: Final = "Indeks Desa Membangun (IDM) Kecamatan {kecamatan} Tahun {tahun} (IKU 1)"
WB_IDM_NOTE: Final = (
    "Status dibaca dari skor yang tidak dibulatkan; Mandiri: IDM lebih besar dari 0,8155."
)
WB_HEADERS_IDM: Final = (
    "No",
    "Kode Desa",
    "Kode BPS",
    "Desa",
    "IKS",
    "IKE",
    "IKL",
    "Skor (IDM 0-1, Indeks Desa 0-100)",
    "Status (dihitung IKU 1)",
)
WB_IDM_NO_DATA: Final = "Belum ada data IDM tahun {tahun}"
WB_IDM_COUNTS: Final = "Jumlah desa per status, tahun {tahun}"
WB_IDM_WITHOUT: Final = "Belum ada data"
WB_IDM_ALL: Final = "Jumlah desa"

WB_TITLE_TEMATIK: Final = "Desa Tematik Kecamatan {kecamatan} Tahun {tahun} (IKU 2)"
WB_TEMATIK_COUNT: Final = "Jumlah desa tematik (desa berbeda)"
WB_HEADERS_TEMATIK: Final = ("No", "Kode Desa", "Desa", "Tema", "Tahun", "Referensi (SK)")
WB_TEMATIK_NONE: Final = "Belum ada desa tematik aktif tahun {tahun}."

# -- weekly digest (the Camat's group) ----------------------------------------------------

DIGEST_TITLE: Final = (
    "<b>Ringkasan Mingguan IKU Kecamatan {kecamatan}</b>\nMinggu {minggu} ({mulai} s.d. {sampai})"
)
DIGEST_IKU_HEADER: Final = "<b>IKU {periode}</b>"
DIGEST_IKU_ROW: Final = "{nomor}. {indikator}: <b>{realisasi}</b> {arah}"
DIGEST_IKU_DETAIL: Final = "    target {target} · capaian {capaian}"
DIGEST_ARROW_UP: Final = "▲ (minggu lalu {sebelum})"
DIGEST_ARROW_DOWN: Final = "▼ (minggu lalu {sebelum})"
DIGEST_ARROW_SAME: Final = "= (tetap)"
DIGEST_ARROW_NEW: Final = "▲ (minggu lalu belum ada angka)"
DIGEST_COMPARED_DIGEST: Final = "<i>Panah: dibandingkan dengan ringkasan minggu lalu.</i>"
DIGEST_COMPARED_COMPUTED: Final = (
    "<i>Panah: dibandingkan dengan angka s.d. akhir minggu lalu (dihitung ulang).</i>"
)
DIGEST_COMPARED_NONE: Final = "<i>Awal tahun: belum ada pembanding minggu lalu.</i>"
DIGEST_WEEK_HEADER: Final = "<b>Kejadian minggu ini</b>"
DIGEST_WEEK_NEW: Final = "Laporan baru: {konflik} konflik sosial, {trantibum} trantibum."
DIGEST_WEEK_NONE: Final = "Laporan baru: tidak ada."
DIGEST_WEEK_DESA: Final = "• {desa}: {rincian}"
DIGEST_WEEK_HANDLED: Final = (
    "Tertangani minggu ini: {konflik} konflik sosial, {trantibum} trantibum."
)
DIGEST_OPEN_HEADER: Final = "<b>Kasus terbuka per {waktu}: {jumlah}, terlambat {terlambat}</b>"
DIGEST_OPEN_NONE: Final = "<b>Kasus terbuka per {waktu}: tidak ada.</b>"
DIGEST_OPEN_ROW: Final = "{tanda} {nomor} · {desa} · {hari} hari"
DIGEST_OPEN_MORE: Final = "… dan {jumlah} kasus lain (lihat /tindaklanjut)."
DIGEST_OPEN_LEGEND: Final = "⚠️ = terlambat (terbuka lebih dari {batas} hari)."
DIGEST_DESA_HEADER: Final = "<b>Kelengkapan laporan desa minggu ini</b>"
DIGEST_DESA_REPORTED: Final = "Melapor kejadian ({jumlah}): {desa}"
DIGEST_DESA_NIL: Final = "Laporan nihil ({jumlah}): {desa}"
DIGEST_DESA_SILENT: Final = "Belum ada kabar ({jumlah}): {desa}"
DIGEST_DESA_ALL: Final = "Semua {jumlah} desa sudah melapor atau mengirim laporan nihil."
DIGEST_SKM_HEADER: Final = "<b>Survei Kepuasan Masyarakat</b>"
DIGEST_SKM_WEEK: Final = "Responden minggu ini: {jumlah}."
DIGEST_SKM_YEAR: Final = (
    "{periode}: NIK <b>{nik}</b>, mutu {mutu} ({kinerja}), {responden} responden{sampel}."
)
DIGEST_SKM_SAMPLE: Final = " dari sampel minimal {minimal}"
DIGEST_SKM_SAMPLE_SHORT: Final = " (belum memenuhi)"
DIGEST_SKM_NONE: Final = "{periode}: {alasan}"
DIGEST_IDM_HEADER: Final = "<b>IDM tahun {tahun}</b>"
DIGEST_IDM_ROW: Final = "{rincian}; belum ada data: {kosong}."
DIGEST_IDM_NONE: Final = "Belum ada data IDM tahun {tahun}{terakhir}."
DIGEST_IDM_LAST: Final = " (data terakhir: tahun {tahun})"
DIGEST_TEMATIK: Final = "<b>Desa tematik tahun {tahun}:</b> {jumlah} desa."
DIGEST_FOOTER: Final = "Dibuat {waktu}. Rincian: /ringkasan, Excel: /ekspor."
DIGEST_CHART_CAPTION: Final = (
    "Kejadian per minggu dan persentase tertangani, Kecamatan {kecamatan}, {mulai} s.d. {akhir}."
)
DIGEST_GAVE_UP: Final = (
    "⚠️ Ringkasan mingguan {minggu} gagal dikirim ke grup <b>{grup}</b> setelah {kali} kali "
    "percobaan ({galat}). Periksa apakah bot masih boleh mengirim pesan di grup itu; "
    "ringkasan dapat dilihat dengan /ringkasan."
)
DIGEST_GROUP_LOST: Final = (
    "⚠️ Bot dikeluarkan atau tidak lagi boleh mengirim pesan di grup <b>{grup}</b>, sehingga "
    "ringkasan mingguan tidak dikirim ke sana lagi. Tambahkan bot kembali ke grup lalu kirim "
    "/atur_grup di grup itu."
)
GROUP_BIND_COMMAND: Final = "Jadikan grup ini penerima ringkasan mingguan"
GROUP_UNBIND_COMMAND: Final = "Hentikan ringkasan mingguan di grup ini"
GROUP_ONLY: Final = (
    "Kirim perintah ini di grup yang akan menerima ringkasan mingguan (tambahkan bot ke grup "
    "itu lebih dulu)."
)
GROUP_BOUND: Final = (
    "✅ Grup ini sekarang menerima ringkasan mingguan IKU Kecamatan {kecamatan}, {jadwal} "
    "(waktu kantor).{berikut}"
)
GROUP_BOUND_NEXT: Final = " Ringkasan berikutnya: {waktu}."
GROUP_BOUND_OFF: Final = " Jadwal ringkasan sedang nonaktif (DIGEST_SCHEDULE)."
GROUP_BOUND_REPLACED: Final = "Grup sebelumnya ({grup}) tidak menerima ringkasan lagi."
GROUP_NO_PHOTOS: Final = (
    "Catatan: bot tidak boleh mengirim foto di grup ini, jadi grafik tidak ikut terkirim."
)
GROUP_TAKEN: Final = (
    "Grup ini sudah menerima ringkasan kecamatan lain; lepaskan dulu dengan /lepas_grup oleh "
    "admin kecamatan itu."
)
GROUP_CANNOT_POST: Final = (
    "Bot belum dapat mengirim pesan di grup <b>{grup}</b>. Izinkan anggota mengirim pesan atau "
    "jadikan bot admin grup, lalu kirim /atur_grup lagi."
)
GROUP_UNBOUND: Final = "Grup ini tidak lagi menerima ringkasan mingguan Kecamatan {kecamatan}."
GROUP_NOT_BOUND: Final = "Grup ini tidak sedang menerima ringkasan mingguan."
GROUP_OTHER_KECAMATAN: Final = (
    "Grup ini menerima ringkasan kecamatan lain; Anda tidak dapat melepasnya."
)

# -- reminders (weekly: perangkat desa without a report, staff with overdue cases) ---------

REMINDER_NIHIL: Final = (
    "<b>Pengingat laporan mingguan</b>\n"
    "Bapak/Ibu {nama}, Desa {desa} belum mengirim laporan kejadian maupun laporan nihil "
    "untuk minggu ini ({start} s.d. {end}).\n\n"
    "Bila minggu ini <b>tidak ada</b> konflik sosial dan tidak ada kejadian trantibum di "
    "desa Anda, cukup tekan tombol <b>Nihil</b> di bawah.\n"
    "Bila ada kejadian, laporkan dengan /lapor."
)
REMINDER_NIHIL_BUTTON: Final = "Nihil"
REMINDER_NIHIL_OLD_WEEK: Final = (
    "Pengingat ini untuk minggu ke-{number} tahun {year} ({start} s.d. {end}), yang sudah "
    "lewat, jadi tidak ada yang disimpan. Laporan nihil hanya dapat dikirim untuk minggu "
    "berjalan: gunakan /nihil untuk minggu ini."
)
REMINDER_OVERDUE_HEADER: Final = (
    "<b>Pengingat kasus terlambat</b>\n"
    "Bapak/Ibu {nama}, kasus berikut sudah lebih dari {days} hari terbuka sejak laporannya "
    "diterima dan menunggu tindak lanjut:"
)
REMINDER_OVERDUE_KIND: Final = "<b>{kind}</b> ({count} kasus)"
REMINDER_OVERDUE_LINE: Final = "- {nomor}, Desa {desa}, {status}, terbuka {days} hari"
REMINDER_OVERDUE_MORE: Final = "- ... dan {count} kasus lain"
REMINDER_OVERDUE_FOOTER: Final = (
    "Tindak lanjuti dengan /tindaklanjut NOMOR, misalnya /tindaklanjut {example}, atau "
    "ketik /tindaklanjut saja untuk daftar semua kasus terbuka."
)
GROUP_WELCOME: Final = (
    "Terima kasih, bot IKU sudah ditambahkan. Agar grup ini menerima ringkasan mingguan IKU, "
    "admin bot mengirim /atur_grup di sini."
)

# --- export visibility and audit ---
# Who sees what in /ekspor (domain/export.py) and `iku-bot audit` (bot/cli/audit.py).

WB_WITHHELD: Final = (
    "(tidak ditampilkan: rincian kasus hanya untuk seksi yang menanganinya, pelapornya, dan admin)"
)
WB_WITHHELD_SHORT: Final = "(tidak ditampilkan)"
WB_WITHHELD_NOTE: Final = (
    "{jumlah} kasus tanpa rincian (uraian dan pelapor): Anda tidak menangani kasus itu dan "
    "bukan pelapornya. Jumlah di atas tetap menghitung semua kasus."
)
WB_GROUP_NOTE: Final = (
    "Versi grup: hanya angka agregat, tanpa nama, uraian, dan saran. Laporan lengkap "
    "dikirim ke admin yang memintanya secara pribadi."
)
WB_GROUP_COUNTS_NOTE: Final = "Versi grup: jumlah kejadian per desa dan status, tanpa daftar kasus."
WB_HEADERS_CASE_COUNTS: Final = (
    "No",
    "Kode Desa",
    "Desa",
    "Baru",
    "Diproses",
    "Tertangani",
    "Jumlah",
)
WB_SARAN_WITHHELD: Final = (
    "Ada {jumlah} saran pada periode ini. Isi saran hanya untuk admin dan Seksi Pemerintahan "
    "dan Pelayanan Publik, pengelola SKM."
)
WB_SARAN_GROUP: Final = (
    "Ada {jumlah} saran pada periode ini; isinya tidak dimuat di grup (dikirim ke admin "
    "secara pribadi)."
)
EXPORT_GROUP_CAPTION: Final = (
    "Ringkasan IKU Kecamatan {kecamatan}, periode {mulai} s.d. {sampai}: angka agregat saja "
    "(tanpa nama, uraian kasus, dan saran)."
)
EXPORT_GROUP_SENT_PRIVATELY: Final = (
    "Laporan lengkap dengan rinciannya dikirim ke chat pribadi {nama} dengan bot."
)
EXPORT_GROUP_NOT_REACHABLE: Final = (
    "Laporan lengkap dengan rinciannya tidak dapat dikirim ke {nama} secara pribadi: bot belum "
    "pernah dimulai di chat pribadi (atau diblokir). Buka chat dengan bot, tekan Mulai, lalu "
    "kirim /ekspor di sana."
)
EXPORT_PRIVATE_FROM_GROUP: Final = (
    "Laporan lengkap yang Anda minta di grup {grup}: tabel IKU Kecamatan {kecamatan}, periode "
    "{mulai} s.d. {sampai}, beserta rinciannya. Jangan diteruskan ke grup."
)
EXPORT_WITHHELD_CASES: Final = (
    "Uraian dan pelapor {jumlah} kasus tidak dimuat: rincian kasus hanya untuk seksi yang "
    "menanganinya, pelapornya, dan admin."
)
EXPORT_WITHHELD_SARAN: Final = (
    "Isi {jumlah} saran SKM tidak dimuat: hanya untuk admin dan Seksi Pemerintahan dan "
    "Pelayanan Publik."
)

# --- import batches ---

# A file imported already: "<file>: " comes before it. The bot's users cannot undo a
# batch; the operator can.
IDM_FILE_ALREADY: Final = (
    "berkas yang sama sudah diimpor pada {when} sebagai batch impor #{id} ({stored} hasil IDM), "
    "jadi tidak diimpor lagi. Bila nilainya berubah, kirim berkas yang sudah diperbaiki; bila "
    "impor itu keliru, minta operator membatalkannya (iku-bot import undo {id})."
)
IDM_FILE_BATCH: Final = "Tercatat sebagai batch impor #{id}."
IDM_FILE_AGAIN: Final = (
    "Pratinjau ini dibuat oleh versi bot sebelumnya; kirim berkasnya sekali lagi."
)
IMPORT_SAME_FILE: Final = (
    "berkas yang sama (SHA-256 {sha}) sudah diimpor pada {when} sebagai batch #{id} "
    "({stored} disimpan), jadi tidak diimpor lagi. Untuk menggantinya, ulangi perintahnya "
    "dengan --ganti; untuk membatalkannya: iku-bot import undo {id}"
)
IMPORT_FAILED: Final = "Impor dibatalkan, tidak ada data yang disimpan ({count} masalah):"
IMPORT_BATCH: Final = "Tercatat sebagai batch #{id}."
IMPORT_REPLACED_SKM: Final = (
    "Batch #{id} yang lama (diimpor {when}) dibatalkan dan diganti: {removed} responden "
    "lamanya dihapus."
)
IMPORT_REPLACED_IDM: Final = (
    "Batch #{id} yang lama (diimpor {when}) dibatalkan dan diganti: {restored} hasil IDM "
    "dikembalikan, {removed} dihapus, {kept} dibiarkan sebelum disimpan ulang."
)
IMPORT_SAME_NAME: Final = (
    "Catatan: berkas bernama {file} dengan isi lain sudah diimpor sebagai batch #{id} "
    "({when}) dan tetap tersimpan. Bila berkas ini perbaikannya, batalkan yang lama dengan "
    "'iku-bot import undo {id}'."
)
IMPORT_LIST_EMPTY: Final = "Belum ada batch impor di Kecamatan {kecamatan}."
IMPORT_LIST_HEADER: Final = (
    "Batch impor Kecamatan {kecamatan}, terbaru dulu ({shown} dari {total}):"
)
IMPORT_LIST_LINE: Final = "#{id}  {kind}  {file}  sha256 {sha}  oleh {who}  {when}"
IMPORT_LIST_COUNTS: Final = "      dibaca {read}, disimpan {stored}, diganti {replaced}; {state}"
IMPORT_LIST_ACTIVE: Final = "aktif"
IMPORT_LIST_UNDONE: Final = "dibatalkan {when} oleh {who}"
IMPORT_LIST_REPLACED_BY: Final = ", diganti batch #{id}"
IMPORT_LIST_MORE: Final = "... {count} batch lebih lama tidak ditampilkan (pakai --batas N)."
IMPORT_UNDONE_SKM: Final = (
    "Batch #{id} (SKM, {file}, diimpor {when}) dibatalkan: {removed} responden SKM dihapus."
)
IMPORT_UNDONE_IDM: Final = (
    "Batch #{id} (IDM, {file}, diimpor {when}) dibatalkan: {restored} hasil IDM dikembalikan "
    "ke nilai sebelumnya, {removed} dihapus (baru dari batch ini), {kept} dibiarkan karena "
    "sudah diubah sesudah batch ini."
)


# --- cadangan dan pemulihan (iku-bot db backup, db restore, db backup-kunci) ---------------

BACKUP_KEY_WARNING: Final = (
    "PERINGATAN: kunci SKM TIDAK ikut dalam cadangan basis data dan harus disimpan di tempat "
    "lain. Siapa pun yang memegang basis data (atau cadangannya) SEKALIGUS kunci ini dapat "
    "mencoba ID Telegram orang yang ia kenal terhadap baris anti-ganda SKM dan mengetahui "
    "bahwa orang itu sudah menjawab survei. Sebaliknya, tanpa kunci ini basis data yang "
    "dipulihkan tidak dapat menolak jawaban kedua dari orang yang sama pada periode yang "
    "sedang berjalan. Simpan cadangan dan kunci di tempat yang berbeda (mis. kunci di "
    "pengelola sandi atau brankas kantor, cadangan di penyimpanan lain)."
)
BACKUP_WRITTEN: Final = "Cadangan ditulis ke {path} ({size}, mode 0600)."
BACKUP_DATABASE: Final = (
    "  Basis data: {engine}, revisi migrasi {revision}, {tables} tabel, {rows} baris."
)
BACKUP_KECAMATAN: Final = "  Kecamatan: {codes}."
BACKUP_EVIDENCE_LOCAL: Final = "  Bukti: {files} berkas ({size}) dari folder {folder}."
BACKUP_EVIDENCE_NONE: Final = "  Bukti: folder {folder} belum ada, tidak ada berkas bukti."
BACKUP_EVIDENCE_S3: Final = (
    "  Bukti: tersimpan di bucket S3 {bucket} dan TIDAK disalin ke cadangan ini (tertulis "
    "juga di manifest.json). Lindungi bucket itu sendiri: versioning dan replikasi ke bucket "
    "lain (lihat README, Cadangan dan pemulihan)."
)
BACKUP_SKIPPED: Final = (
    "  Dilewati di folder bukti: {count} berkas tersembunyi/sementara, tautan simbolik, atau "
    "berkas basis data/kunci SKM."
)
BACKUP_VERIFIED: Final = (
    "  Diperiksa ulang: {files} berkas, semua SHA-256 cocok (manifest.json, SHA256SUMS)."
)
BACKUP_TARGET_EXISTS: Final = (
    "Berkas {path} sudah ada; cadangan tidak pernah menimpa berkas. Pilih nama lain, atau "
    "sebut foldernya saja (nama berkas dibuat dari waktunya)."
)
BACKUP_TARGET_SUFFIX: Final = (
    "Nama berkas cadangan harus berakhiran .tar: {path} (atau sebut folder yang sudah ada)."
)
BACKUP_NO_FOLDER: Final = "Folder {folder} tidak ada. Buat dulu foldernya (mkdir -p {folder})."
BACKUP_DB_MISSING: Final = (
    "Basis data SQLite {path} tidak ada, tidak ada yang dicadangkan. Periksa DATABASE_URL."
)
BACKUP_IN_MEMORY: Final = (
    "DATABASE_URL menunjuk basis data SQLite di memori: tidak ada berkas untuk dicadangkan "
    "atau dipulihkan."
)
BACKUP_NOT_MIGRATED: Final = (
    "Basis data {url} belum berisi tabel iku-bot (belum ada revisi migrasi), tidak ada yang "
    "dicadangkan."
)
BACKUP_DB_UNREACHABLE: Final = "Basis data {url} tidak dapat dibuka: {detail}"
BACKUP_TOOL_MISSING: Final = (
    "{tool} tidak ditemukan di PATH maupun di folder program PostgreSQL "
    "(/usr/lib/postgresql/VERSI/bin). Pasang klien PostgreSQL (Debian: apt-get install "
    "postgresql-client) atau atur PG_BIN_DIR ke folder yang berisi {tool}."
)
BACKUP_TOOL_MISSING_IN_DIR: Final = (
    "{tool} tidak ada atau tidak dapat dijalankan di PG_BIN_DIR={folder}."
)
BACKUP_TOOL_TOO_OLD: Final = (
    "{tool} yang ditemukan ({path}, versi {version}) lebih lama dari server PostgreSQL "
    "{server}. Pasang klien PostgreSQL {server} atau yang lebih baru, atau atur PG_BIN_DIR."
)
BACKUP_TOOL_FAILED: Final = "{tool} gagal (kode keluar {code}):\n{detail}"
BACKUP_COPY_DAMAGED: Final = (
    "Salinan SQLite gagal diperiksa (integrity_check: {detail}); basis data sumber mungkin "
    "rusak. Tidak ada cadangan yang ditulis."
)
BACKUP_EVIDENCE_NOT_DIR: Final = "EVIDENCE_DIR={folder} bukan folder."
BACKUP_EVIDENCE_BAD_NAME: Final = (
    "Berkas bukti dengan nama yang tidak dapat dicadangkan (baris baru atau garis miring "
    "terbalik): {name}. Ganti namanya, lalu ulangi."
)
BACKUP_WRITE_FAILED: Final = (
    "Cadangan ke {path} gagal ({detail}). Tidak ada berkas cadangan yang tertinggal."
)

KEY_WRITTEN: Final = (
    "Kunci SKM (dari {source}) ditulis ke {path}, mode 0600: hanya pemiliknya yang dapat "
    "membacanya."
)
KEY_RESTORE_HINT: Final = (
    "Untuk memulihkan: salin berkas ini ke SKM_SECRET_FILE (bawaan ./data/skm-secret.key, "
    "mode 0600) atau isikan isinya ke SKM_SECRET, sebelum bot dijalankan."
)
KEY_MISSING: Final = (
    "Belum ada kunci SKM: SKM_SECRET kosong dan berkas {path} (SKM_SECRET_FILE) belum ada. "
    "Bot membuatnya saat pertama kali dijalankan. Tidak ada yang ditulis."
)
KEY_TOO_SHORT: Final = (
    "Kunci SKM dari {source} terlalu pendek (minimal 32 karakter). Tidak ada yang ditulis."
)
KEY_TARGET_EXISTS: Final = "Berkas {path} sudah ada; kunci tidak ditulis menimpanya."
KEY_UNREADABLE: Final = "Kunci SKM dari {source} tidak dapat dibaca ({detail})."
KEY_WRITE_FAILED: Final = "Kunci SKM tidak dapat ditulis ke {path} ({detail})."

RESTORE_NOT_FOUND: Final = "Berkas cadangan {path} tidak ada."
RESTORE_DAMAGED: Final = (
    "Cadangan {path} rusak, terpotong, atau diubah, jadi tidak dipulihkan: {detail}. "
    "Tidak ada yang diubah."
)
RESTORE_DAMAGE_UNREADABLE: Final = "tidak terbaca sebagai arsip .tar ({error})"
RESTORE_DAMAGE_MEMBER: Final = "isi arsip yang tidak dikenal: {name}"
RESTORE_DAMAGE_DUPLICATE: Final = "{name} ada dua kali di arsip"
RESTORE_DAMAGE_SIZE: Final = "ukuran {name} tidak sesuai dengan kepala arsipnya"
RESTORE_DAMAGE_NO_SUMS: Final = "SHA256SUMS tidak ada (arsip terpotong?)"
RESTORE_DAMAGE_BAD_SUMS: Final = "SHA256SUMS tidak dapat dibaca (baris {line})"
RESTORE_DAMAGE_CHECKSUM: Final = "SHA-256 {name} tidak cocok dengan SHA256SUMS"
RESTORE_DAMAGE_MISSING: Final = "{name} tercantum di SHA256SUMS tetapi tidak ada di arsip"
RESTORE_DAMAGE_UNLISTED: Final = "{name} ada di arsip tetapi tidak tercantum di SHA256SUMS"
RESTORE_DAMAGE_MANIFEST: Final = "manifest.json tidak ada atau tidak sah ({error})"
RESTORE_DAMAGE_MANIFEST_FILES: Final = (
    "daftar berkas manifest.json tidak sama dengan SHA256SUMS ({name})"
)
RESTORE_VERIFIED: Final = (
    "Cadangan {path} utuh: {files} berkas, semua SHA-256 cocok. Dibuat {created}, "
    "iku-bot {version}, {engine}, revisi migrasi {revision}."
)
RESTORE_NEWER: Final = (
    "Cadangan ini dari versi iku-bot yang lebih baru (revisi migrasi {revision} tidak dikenal "
    "versi ini). Perbarui iku-bot dulu, lalu ulangi. Tidak ada yang diubah."
)
RESTORE_ENGINE_MISMATCH: Final = (
    "Cadangan ini dari {backup}, sedangkan DATABASE_URL menunjuk {target}. Pulihkan ke "
    "basis data dengan mesin yang sama. Tidak ada yang diubah."
)
RESTORE_NOT_EMPTY: Final = (
    "Basis data tujuan {url} tidak kosong: sudah berisi {count} tabel ({names}). Pemulihan "
    "hanya ke basis data KOSONG, agar tidak ada data yang tertimpa atau tercampur. Buat basis "
    "data baru (PostgreSQL: createdb NAMA; SQLite: DATABASE_URL ke berkas yang belum ada), "
    "arahkan DATABASE_URL ke sana, lalu ulangi. Tidak ada yang diubah."
)
RESTORE_UNREACHABLE: Final = (
    "Basis data tujuan {url} tidak dapat dihubungi: {detail}. Untuk PostgreSQL, buat dulu "
    "basis data kosongnya (createdb NAMA). Tidak ada yang diubah."
)
RESTORE_EVIDENCE_CONFLICT: Final = (
    "Berkas bukti {path} sudah ada dengan isi yang berbeda dari cadangan dan tidak ditimpa. "
    "Tidak ada yang diubah."
)
RESTORE_FAILED: Final = (
    "Pemulihan gagal, tidak ada yang dipulihkan (berkas bukti yang sempat disalin dihapus "
    "lagi): {detail}"
)
RESTORE_DATABASE_DONE: Final = "Basis data dipulihkan ke {url}."
RESTORE_EVIDENCE_DONE: Final = (
    "Bukti: {copied} berkas disalin ke {folder}, {same} sudah ada dengan isi yang sama; "
    "SHA-256 setiap berkas diperiksa."
)
RESTORE_EVIDENCE_S3: Final = (
    "Bukti: tidak ada di cadangan ini, tersimpan di bucket S3 {bucket}. Pastikan "
    "EVIDENCE_S3_BUCKET menunjuk bucket itu (atau replikanya)."
)
RESTORE_EVIDENCE_S3_CONFIGURED: Final = (
    "Catatan: EVIDENCE_S3_BUCKET diatur, tetapi bukti cadangan ini disalin ke folder {folder}."
)
RESTORE_CHECK_OK: Final = (
    "Pemeriksaan terhadap manifes: OK ({tables} tabel, {rows} baris, revisi migrasi "
    "{revision}, sama dengan saat dicadangkan)."
)
RESTORE_CHECK_DIFFERS: Final = (
    "Pemeriksaan terhadap manifes: BERBEDA. Periksa sebelum bot dijalankan:"
)
RESTORE_DIFF_REVISION: Final = (
    "  - revisi migrasi: {expected} di cadangan, {actual} setelah dipulihkan"
)
RESTORE_DIFF_TABLE: Final = (
    "  - tabel {table}: {expected} baris di cadangan, {actual} setelah dipulihkan"
)
RESTORE_DIFF_KECAMATAN: Final = "  - kecamatan: {expected} di cadangan, {actual} setelah dipulihkan"
RESTORE_NEXT: Final = (
    "Langkah berikutnya: pasang kunci SKM (dari 'iku-bot db backup-kunci') sebagai "
    "SKM_SECRET_FILE atau SKM_SECRET, jalankan 'iku-bot doctor', lalu nyalakan bot "
    "(migrasi yang lebih baru diterapkan saat bot mulai)."
)
BACKUP_NONE: Final = "tidak ada"


# --- Koreksi dan pembatalan laporan (admin) ----------------------------------------------

KOREKSI_USAGE: Final = "Tulis nomor laporan yang dikoreksi, misalnya /koreksi TB-352808-2026-0001."
BATALKAN_USAGE: Final = (
    "Tulis nomor laporan duplikat yang dibatalkan, misalnya /batalkan TB-352808-2026-0002."
)
CORRECTION_UNKNOWN: Final = "Laporan {nomor} tidak ditemukan di kecamatan ini."
CORRECTION_VOIDED: Final = (
    "Laporan {nomor} sudah dibatalkan sebagai duplikat; tidak dapat dikoreksi lagi."
)
KOREKSI_ASK_FIELD: Final = "Koreksi laporan <b>{nomor}</b>. Bagian mana yang dikoreksi?"
KOREKSI_CANCELLED: Final = "Koreksi dibatalkan. Tidak ada yang diubah."
KOREKSI_SAME_KIND: Final = "Jenis itu sama dengan yang tercatat. Pilih jenis yang lain."
KOREKSI_ASK_DATE: Final = "Tulis tanggal kejadian yang benar (hh-bb-tttt), misalnya 05-11-2026."
KOREKSI_ASK_REASON: Final = (
    "Tulis alasan koreksi ini (minimal 10 karakter). Alasan dicatat di riwayat laporan."
)
KOREKSI_SUMMARY: Final = (
    "<b>Periksa koreksi</b>\nLaporan: {nomor}\nBagian: {field}\nNilai baru: {value}\n"
    "Alasan: {reason}"
)
KOREKSI_DONE: Final = "Koreksi laporan {nomor} tersimpan. Pelapor dan seksi terkait diberi tahu."
KOREKSI_NOTICE: Final = (
    "Laporan {old} dikoreksi admin (sekarang {nomor}).\nBagian: {fields}\nAlasan: {reason}"
)
BATALKAN_ASK_ORIGINAL: Final = (
    "Laporan <b>{nomor}</b> akan dibatalkan sebagai duplikat. Tulis nomor laporan yang "
    "diulanginya, misalnya TB-352808-2026-0001."
)
BATALKAN_SUMMARY: Final = (
    "<b>Periksa pembatalan</b>\nLaporan {nomor} dibatalkan sebagai duplikat dari "
    "{original}.\nAlasan: {reason}\nLaporan yang dibatalkan tidak dihitung di IKU."
)
BATALKAN_DONE: Final = (
    "Laporan {nomor} dibatalkan sebagai duplikat dari {original}. Pelapor dan seksi "
    "terkait diberi tahu."
)
BATALKAN_NOTICE: Final = (
    "Laporan {nomor} dibatalkan admin sebagai duplikat dari {original}; tidak dihitung "
    "lagi.\nAlasan: {reason}"
)
LATE_ENTRY_MARK: Final = "<i>Entri terlambat: dicatat admin setelah batas umur laporan.</i>"
VOIDED_MARK: Final = "<b>Dibatalkan sebagai duplikat</b>: tidak dihitung di IKU."
DIGEST_WEEK_CORRECTIONS: Final = (
    "Dikoreksi admin: {koreksi} laporan; dibatalkan sebagai duplikat: {batal} laporan."
)

# -- evidence in the workbook and the evidence ZIP (iku-bot ekspor-bukti) ---------------------

WB_SHEET_BUKTI: Final = "Bukti"
WB_TITLE_BUKTI: Final = "Berkas Bukti Kasus Kecamatan {kecamatan}"
WB_BUKTI_NOTE: Final = (
    "Foto dan dokumen kasus yang diterima bot, dengan SHA-256 untuk memeriksa keasliannya. "
    "Berkasnya sendiri diekspor operator dengan 'iku-bot ekspor-bukti'."
)
WB_HEADERS_BUKTI: Final = (
    "No",
    "Nomor Laporan",
    "Desa",
    "Jenis Kasus",
    "Peran",
    "Status",
    "SHA-256",
    "Ukuran (byte)",
    "Tipe",
    "Diterima ({zona})",
)
WB_BUKTI_NONE: Final = "Belum ada berkas bukti pada periode ini."
WB_BUKTI_WITHHELD: Final = (
    "{jumlah} berkas bukti tidak dicantumkan: kasusnya tidak dapat Anda buka."
)
WB_BUKTI_GROUP: Final = "Versi grup: daftar berkas bukti tidak dimuat."
EVIDENCE_ROLE_TEXT: Final = {"laporan": "laporan", "bukti": "bukti penanganan"}
EVIDENCE_STATUS_TEXT: Final = {
    "pending": "menunggu",
    "stored": "tersimpan",
    "rejected": "ditolak",
    "failed": "gagal",
}
EVIDENCE_KIND_TEXT: Final = {"konflik": "Konflik", "trantibum": "Trantibum"}
EVIDENCE_INDEX_HEADERS: Final = (
    "nomor",
    "desa",
    "jenis",
    "tanggal_kejadian",
    "peran",
    "berkas",
    "sha256",
    "ukuran",
    "tipe",
    "status",
)
EVIDENCE_ZIP_BAD_DATE: Final = "tanggal harus berformat YYYY-MM-DD: {teks!r}"
EVIDENCE_ZIP_ORDER: Final = "--dari ({dari}) tidak boleh sesudah --sampai ({sampai})."
EVIDENCE_ZIP_SUFFIX: Final = "Berkas --output harus berakhiran .zip: {berkas}"
EVIDENCE_ZIP_EXISTS: Final = (
    "Berkas {berkas} sudah ada; tidak ditimpa. Pilih nama lain atau hapus berkas itu dulu."
)
EVIDENCE_ZIP_NO_FOLDER: Final = (
    "Folder {folder} tidak ada. Buat foldernya dulu, atau pilih berkas di folder lain."
)
EVIDENCE_ZIP_MISSING: Final = (
    "Berkas bukti {berkas} ({sha256}) tidak ada di penyimpanan bukti. ZIP tidak ditulis."
)
EVIDENCE_ZIP_MISMATCH: Final = (
    "Isi berkas bukti {berkas} tidak cocok dengan SHA-256 yang tercatat ({sha256}): berkas "
    "di penyimpanan rusak atau diubah. ZIP tidak ditulis; pulihkan berkas itu dari cadangan."
)
EVIDENCE_ZIP_WRITTEN: Final = (
    "Bukti Kecamatan {kecamatan} periode {mulai} s.d. {sampai} ditulis ke {berkas}: "
    "{disimpan} berkas dari {kasus} kasus, SHA-256 setiap berkas diperiksa."
)
EVIDENCE_ZIP_NOT_STORED: Final = (
    "{jumlah} berkas belum/tidak tersimpan (menunggu, ditolak, atau gagal): hanya tercantum "
    "di indeks.csv dengan statusnya."
)
EVIDENCE_ZIP_EMPTY: Final = (
    "Tidak ada berkas bukti pada periode ini; {berkas} hanya berisi indeks.csv dengan judul kolom."
)
EVIDENCE_ZIP_NO_KECAMATAN: Final = "Kecamatan dengan kode {kode} belum terdaftar."

# -- Publikasi hasil SKM: infografis per periode dan poster kode QR ---------------------------
# (bot/reports/infographic.py, bot/cli/publication.py, bot/handlers/publication.py)

INFO_TITLE: Final = "HASIL SURVEI KEPUASAN MASYARAKAT"
INFO_OFFICE: Final = "Kecamatan {kecamatan}, {kabupaten}"
INFO_KABUPATEN: Final = "Kabupaten {kabupaten}"
INFO_PERIOD_YEAR: Final = "Tahun {tahun}"
INFO_PERIOD_SEMESTER: Final = "Semester {romawi} {tahun}"
INFO_PERIOD_QUARTER: Final = "Triwulan {romawi} {tahun}"
INFO_PERIOD_WORDS: Final = "{nama} ({mulai} – {sampai})"
INFO_NIK_LABEL: Final = "Nilai IKM (skala 25–100)"
INFO_MUTU: Final = "Mutu {mutu}"
INFO_KINERJA: Final = "Kinerja unit pelayanan: {kinerja}"
INFO_IKM: Final = "IKM {ikm} (skala 1–4), bobot tiap unsur 1/9"
INFO_BARS_TITLE: Final = "Nilai rata-rata per unsur (NRR, skala 1–4)"
INFO_RESPONDENTS: Final = "Jumlah responden: {jumlah} orang"
INFO_SAMPLE: Final = (
    "Sampel minimal (Krejcie-Morgan, populasi {populasi}): {minimal} orang — {status}"
)
INFO_SAMPLE_OK: Final = "cukup"
INFO_SAMPLE_SHORT: Final = "belum cukup"
INFO_SAMPLE_UNKNOWN: Final = "Sampel minimal belum dapat dihitung: populasi layanan belum diisi."
INFO_NO_RESPONSES: Final = "Belum ada responden SKM pada periode ini."
INFO_NO_RESULT: Final = (
    "Nilai IKM belum dapat dihitung: ada unsur yang belum dijawab satu responden pun."
)
INFO_METHOD: Final = "Metode: PermenPAN-RB No. 14 Tahun 2017. Jawaban responden tanpa nama."
INFO_MADE: Final = "Dibuat {tanggal}"
POSTER_HEADING: Final = "SURVEI KEPUASAN MASYARAKAT"
POSTER_OFFICE: Final = "KECAMATAN {kecamatan}"
POSTER_ALL_SERVICES: Final = "Semua layanan"
POSTER_SERVICE_LABEL: Final = "Layanan:"
POSTER_INSTRUCTION: Final = (
    "Pindai kode ini dengan kamera HP untuk mengisi Survei Kepuasan Masyarakat; "
    "tanpa nama, 2 menit."
)
POSTER_THANKS: Final = "Terima kasih atas penilaian Anda."
# CLI
PUB_BAD_SUFFIX: Final = "Berkas --output harus berakhiran .png atau .pdf: {berkas}"
PUB_NO_FOLDER: Final = (
    "Folder {folder} tidak ada. Buat foldernya dulu, atau pilih berkas di folder lain."
)
PUB_IS_FOLDER: Final = "{berkas} adalah folder. Tulis nama berkas, misalnya {berkas}/{contoh}."
FILE_NOT_WRITABLE: Final = "Berkas {berkas} tidak dapat ditulis: {alasan}"
PUB_PNG_ONE_PAGE: Final = (
    "PNG hanya satu halaman, sedangkan ada {jumlah} poster. Pakai berkas .pdf untuk "
    "--semua, atau pilih satu layanan dengan --layanan KODE."
)
PUB_BAD_USERNAME: Final = (
    "Nama pengguna bot tidak sah: {teks!r}. Tulis seperti di Telegram, mis. "
    "iku_larangan_bot (5-32 huruf, angka atau _, berakhiran bot)."
)
PUB_NEED_USERNAME: Final = (
    "Poster perlu nama pengguna bot untuk tautannya: berikan --bot-username NAMA_bot "
    "(atau atur BOT_USERNAME)."
)
PUB_BAD_DPI: Final = "--dpi harus bilangan bulat 150 sampai 300: {teks!r}"
PUB_INFO_WRITTEN: Final = (
    "Infografis SKM Kecamatan {kecamatan} {periode} ditulis ke {berkas} "
    "({halaman} halaman {kertas})."
)
PUB_POSTER_WRITTEN: Final = "{jumlah} poster {kertas} ditulis ke {berkas}: {isi}."
# Bot
POSTER_COMMAND: Final = "Poster kode QR survei (PDF untuk dicetak)"
INFO_COMMAND: Final = "Infografis hasil SKM satu periode"
POSTER_NONE: Final = (
    "Belum ada layanan aktif, jadi belum ada poster. Tambahkan layanan dengan /layanan."
)
POSTER_CAPTION: Final = (
    "Poster A4 kode QR survei: <b>{layanan}</b>. Cetak dan tempel di meja layanan."
)
INFO_CAPTION: Final = (
    "Infografis SKM Kecamatan {kecamatan}, {periode}. Cetak atau unggah di media kantor "
    "(PEKPPP menilai publikasi hasil SKM). Versi PDF: iku-bot skm infografis."
)

# -- Rencana tindak lanjut SKM (RTL) -------------------------------------------------------
RTL_TITLE: Final = "rencana tindak lanjut SKM"
RTL_DESCRIPTION: Final = "Rencana tindak lanjut SKM (RTL): usulan, penetapan, kemajuan"
RTL_UNREGISTERED: Final = (
    "Fitur RTL hanya untuk pengguna terdaftar yang aktif. Daftar dengan /daftar atau minta "
    "tautan undangan kepada admin kecamatan."
)
RTL_ADMIN_ONLY: Final = "Maaf, rencana tindak lanjut SKM ditetapkan oleh admin kecamatan."
RTL_HEADER: Final = "<b>Rencana tindak lanjut SKM {periode}</b>"
RTL_FIGURES: Final = "Capaian: {ringkas}"
RTL_ITEMS_HEADER: Final = "\n<b>RTL yang ditetapkan</b>"
RTL_ITEM_LINE: Final = (
    "{n}. {unsur}: {kegiatan}\n   Penanggung jawab: {pj} · batas {batas} · {status}"
)
RTL_ITEMS_NONE: Final = "\nBelum ada RTL yang ditetapkan untuk periode ini."
RTL_PROPOSALS_HEADER: Final = (
    "\n<b>Usulan</b> (unsur dengan nilai rata-rata terendah; tekan Tetapkan untuk "
    "menetapkan kegiatan, penanggung jawab, dan batas waktunya)"
)
RTL_PROPOSAL_LINE: Final = "• {unsur}: NRR {nrr}"
RTL_PROPOSALS_NOT_YET: Final = "\nUsulan RTL dibuat sesudah periode berakhir ({akhir})."
RTL_PROPOSALS_NONE: Final = (
    "\nTidak ada usulan lagi (semua unsur terendah sudah ditetapkan, atau belum ada jawaban "
    "SKM pada periode ini)."
)
RTL_SET_BUTTON: Final = "Tetapkan {unsur}"
RTL_ASK_KEGIATAN: Final = (
    "RTL untuk unsur <b>{unsur}</b> ({periode}).\nTulis kegiatan yang akan dilakukan "
    "({min}-{max} karakter), misalnya: Menambah kursi dan kipas di ruang tunggu."
)
RTL_ASK_OWNER: Final = "Siapa penanggung jawabnya?"
RTL_NO_OWNER: Final = (
    "Belum ada pengguna aktif di kecamatan ini yang dapat menjadi penanggung jawab."
)
RTL_ASK_DUE: Final = (
    "Batas waktu penyelesaian? Tulis tanggal hh-bb-tttt, misalnya {contoh} (sesudah "
    "{akhir}, dan tidak di masa lalu)."
)
RTL_SUMMARY: Final = (
    "<b>Periksa RTL</b>\nPeriode: {periode}\nUnsur: {unsur}\nKegiatan: {kegiatan}\n"
    "Penanggung jawab: {pj}\nBatas waktu: {batas}"
)
RTL_SAVED: Final = "RTL unsur {unsur} ditetapkan; {pj} diberi tahu."
RTL_SAVED_SELF: Final = "RTL unsur {unsur} ditetapkan dengan Anda sebagai penanggung jawab."
RTL_ALREADY_SET: Final = (
    "Unsur {unsur} sudah tidak dapat ditetapkan (sudah ditetapkan, atau usulan periode ini "
    "berubah). Tidak ada yang disimpan. Lihat lagi dengan /rtl."
)
RTL_OWNER_TOLD: Final = (
    "Anda ditunjuk sebagai penanggung jawab rencana tindak lanjut SKM {periode}:\n"
    "Unsur: {unsur}\nKegiatan: {kegiatan}\nBatas waktu: {batas}\n"
    "Laporkan kemajuan dan penyelesaiannya dengan /rtl."
)
RTL_MINE_HEADER: Final = "<b>RTL yang Anda pegang</b>"
RTL_MINE_NONE: Final = "Anda tidak memegang RTL yang masih berjalan."
RTL_MINE_ITEM: Final = "<b>{unsur}</b> ({periode})\n{kegiatan}\nBatas waktu: {batas}{terlambat}"
RTL_MINE_LATE: Final = " (<b>lewat batas waktu</b>)"
RTL_PROGRESS_BUTTON: Final = "Laporkan kemajuan"
RTL_DONE_BUTTON: Final = "Selesai"
RTL_ASK_PROGRESS: Final = "Tulis kemajuan RTL unsur {unsur} ({min}-{max} karakter)."
RTL_ASK_DONE: Final = (
    "Tulis catatan penyelesaian RTL unsur {unsur} ({min}-{max} karakter); tanggal selesai "
    "dicatat hari ini."
)
RTL_PROGRESS_SAVED: Final = "Kemajuan RTL unsur {unsur} dicatat."
RTL_DONE_SAVED: Final = "RTL unsur {unsur} dicatat selesai pada {tanggal}{tepat}."
RTL_DONE_ON_TIME: Final = ", tepat waktu"
RTL_DONE_LATE: Final = ", melewati batas waktu {batas}"
RTL_ADMIN_PROGRESS: Final = "Kemajuan RTL unsur {unsur} ({periode}) dari {nama}:\n{catatan}"
RTL_ADMIN_DONE: Final = (
    "RTL unsur {unsur} ({periode}) diselesaikan oleh {nama} pada {tanggal}:\n{catatan}"
)
RTL_STALE: Final = (
    "RTL ini sudah berubah atau sudah ditutup sejak pesan itu dikirim; tidak ada yang "
    "disimpan. Lihat keadaannya sekarang dengan /rtl."
)
RTL_NOT_OWNER: Final = "Maaf, kemajuan RTL ini dilaporkan oleh penanggung jawabnya."
RTL_REMINDER_HEADER: Final = (
    "Pengingat RTL SKM, {nama}: {jumlah} rencana tindak lanjut lewat batas waktu dan belum selesai:"
)
RTL_REMINDER_LINE: Final = "• {unsur} ({periode}): {kegiatan} · batas {batas}"
RTL_REMINDER_FOOTER: Final = "Laporkan kemajuan atau penyelesaiannya dengan /rtl."
RTL_CANCEL_BUTTON: Final = "Batalkan {unsur}"
RTL_ASK_CANCEL: Final = (
    "Tulis alasan pembatalan RTL unsur {unsur} ({min}-{max} karakter). RTL yang dibatalkan "
    "tidak dihitung sebagai rencana."
)
RTL_CANCELLED: Final = "RTL unsur {unsur} dibatalkan; penanggung jawabnya diberi tahu."
RTL_OWNER_CANCELLED: Final = (
    "RTL unsur {unsur} ({periode}) yang Anda pegang dibatalkan admin: {alasan}"
)
DIGEST_RTL: Final = "RTL SKM {periode}: {ringkas}"


# --- Workbook: the SKM follow-up plan on the SKM sheet ----------------------------------------

WB_RTL_TITLE: Final = "Rencana tindak lanjut (RTL) {periode}: {ringkas}"
WB_HEADERS_RTL: Final = (
    "Unsur",
    "Kegiatan",
    "Penanggung Jawab",
    "Batas Waktu",
    "Status",
    "Selesai Pada",
)
WB_RTL_NONE: Final = "Belum ada RTL yang ditetapkan untuk periode ini (admin: /rtl)."
# --- Laporan SKM (DOCX/PDF): iku-bot report skm, /laporanskm ------------------------------
SKMR_TITLE: Final = "LAPORAN SURVEI KEPUASAN MASYARAKAT (SKM)"
SKMR_SUBTITLE: Final = "KECAMATAN {kecamatan} KABUPATEN {kabupaten}"
SKMR_PERIOD: Final = "{periode} ({mulai} s.d. {sampai})"
SKMR_BAB1: Final = "BAB I PENDAHULUAN"
SKMR_LATAR: Final = "1.1 Latar Belakang"
SKMR_LATAR_TEXT: Final = (
    "Pelayanan publik yang baik adalah hak setiap warga. Untuk mengetahui tingkat kepuasan "
    "masyarakat atas pelayanan yang diberikan, Kecamatan {kecamatan} melaksanakan Survei "
    "Kepuasan Masyarakat (SKM) secara berkala. Hasil survei menjadi bahan evaluasi dan "
    "perbaikan kualitas pelayanan."
)
SKMR_DASAR: Final = "1.2 Dasar Hukum"
SKMR_DASAR_ITEMS: Final = (
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 14 Tahun "
    "2017 tentang Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara "
    "Pelayanan Publik.",
)
SKMR_TUJUAN: Final = "1.3 Tujuan"
SKMR_TUJUAN_TEXT: Final = (
    "Survei ini bertujuan mengukur tingkat kepuasan masyarakat sebagai pengguna layanan, "
    "mengetahui unsur pelayanan yang masih lemah dan yang sudah baik, serta menyusun "
    "rencana tindak lanjut perbaikan pelayanan."
)
SKMR_BAB2: Final = "BAB II PENGUMPULAN DATA"
SKMR_PELAKSANA: Final = "2.1 Pelaksana"
SKMR_PELAKSANA_TEXT: Final = (
    "Survei dilaksanakan secara mandiri oleh Kantor Kecamatan {kecamatan} Kabupaten {kabupaten}."
)
SKMR_METODE: Final = "2.2 Metode"
SKMR_METODE_TEXT: Final = (
    "Data dikumpulkan dengan kuesioner yang memuat 9 (sembilan) unsur pelayanan sesuai "
    "PermenPAN-RB Nomor 14 Tahun 2017, diisi oleh pengguna layanan melalui bot Telegram "
    "kantor dan melalui kuesioner kertas. Setiap unsur dinilai 1 sampai 4. Survei tidak "
    "mencatat identitas responden."
)
SKMR_TEMPAT: Final = "2.3 Tempat dan Waktu"
SKMR_TEMPAT_TEXT: Final = (
    "Survei dilaksanakan di Kantor Kecamatan {kecamatan} pada periode {mulai} s.d. {sampai}."
)
SKMR_SAMPEL: Final = "2.4 Jumlah Responden dan Sampel Minimal"
SKMR_SAMPEL_TEXT: Final = (
    "Jumlah responden pada periode ini {responden} orang. Populasi penerima layanan "
    "{populasi} orang; sampel minimal menurut tabel Krejcie dan Morgan {sampel} orang: "
    "{memenuhi}."
)
SKMR_SAMPEL_UNKNOWN: Final = (
    "Jumlah responden pada periode ini {responden} orang. Populasi layanan belum dicatat, "
    "sehingga sampel minimal (Krejcie dan Morgan) belum dapat dihitung."
)
SKMR_SAMPEL_MET: Final = "sampel memenuhi"
SKMR_SAMPEL_NOT_MET: Final = "sampel belum memenuhi"
SKMR_BAB3: Final = "BAB III HASIL SURVEI"
SKMR_RESPONDEN: Final = "3.1 Profil Responden"
SKMR_PROFILE_TITLES: Final = {
    "jenis_kelamin": "Jenis kelamin",
    "usia": "Usia",
    "pendidikan_resmi": "Pendidikan",
    "pekerjaan_resmi": "Pekerjaan",
}
SKMR_PROFILE_HEAD: Final = ("Jawaban", "Jumlah", "Persentase")
SKMR_PROFILE_BLANK: Final = "Tidak diisi"
SKMR_NRR: Final = "3.2 Nilai Rata-rata per Unsur"
SKMR_NRR_HEAD: Final = ("No", "Unsur pelayanan", "Jumlah nilai", "Jawaban", "NRR", "NRR tertimbang")
SKMR_IKM_ROWS: Final = (
    "IKM (jumlah NRR tertimbang)",
    "NIK (IKM x 25)",
    "Mutu pelayanan",
    "Kinerja unit pelayanan",
)
SKMR_NO_RESULT: Final = (
    "Pada periode ini belum ada hasil SKM: {alasan} IKM, NIK dan mutu tidak dihitung."
)
SKMR_NO_RESPONDENTS: Final = "belum ada responden."
SKMR_UNANSWERED: Final = "ada unsur yang belum dijawab satu responden pun."
SKMR_CHARTS: Final = "3.3 Sebaran Jawaban per Unsur"
SKMR_CHART_TITLE: Final = "U{nomor} {nama}"
SKMR_CHART_Y: Final = "Jumlah responden"
SKMR_CHART_X: Final = "Nilai jawaban"
SKMR_CHART_EMPTY: Final = "U{nomor} {nama}: tidak ada jawaban pada periode ini."
SKMR_NRR_CHART_TITLE: Final = "NRR per unsur, {periode}"
SKMR_NRR_CHART_X: Final = "NRR (1-4)"
SKMR_NRR_CHART_EMPTY: Final = "Grafik NRR tidak dibuat: tidak ada jawaban pada periode ini."
SKMR_LAYANAN: Final = "3.4 Hasil per Layanan"
SKMR_LAYANAN_HEAD: Final = ("Layanan", "Responden", "Sampel minimal", "IKM", "NIK", "Mutu")
SKMR_LAYANAN_NONE: Final = "Belum ada layanan yang terdaftar."
SKMR_BAB4: Final = "BAB IV ANALISIS"
SKMR_UNSUR_ANALYSIS: Final = "4.1 Unsur Terendah dan Tertinggi"
SKMR_WEAKEST: Final = "Unsur dengan nilai terendah: U{nomor} {nama} (NRR {nrr})."
SKMR_STRONGEST: Final = "Unsur dengan nilai tertinggi: U{nomor} {nama} (NRR {nrr})."
SKMR_NO_UNSUR: Final = "Tidak ada data unsur pada periode ini."
SKMR_TREND: Final = "4.2 Perbandingan dengan Periode Sebelumnya"
SKMR_TREND_UP: Final = (
    "NIK {sekarang} pada periode ini naik {selisih} poin dibanding {sebelumnya} ({lalu})."
)
SKMR_TREND_DOWN: Final = (
    "NIK {sekarang} pada periode ini turun {selisih} poin dibanding {sebelumnya} ({lalu})."
)
SKMR_TREND_SAME: Final = "NIK {sekarang} pada periode ini sama dengan {sebelumnya} ({lalu})."
SKMR_TREND_NONE: Final = "Perbandingan dengan {sebelumnya}: tidak ada data."
SKMR_TREND_NO_PERIOD: Final = "Perbandingan dengan periode sebelumnya: tidak ada data."
SKMR_RTL: Final = "4.3 Rencana Tindak Lanjut (RTL)"
SKMR_RTL_HEAD: Final = (
    "No",
    "Unsur",
    "Kegiatan",
    "Penanggung jawab",
    "Batas waktu",
    "Status",
    "Selesai",
)
SKMR_RTL_PROPOSED: Final = (
    "Belum ada RTL yang ditetapkan; di bawah ini usulan untuk tiga unsur dengan NRR terendah."
)
SKMR_RTL_NONE: Final = "Tidak ada usulan RTL: belum ada jawaban pada periode ini."
SKMR_RTL_SUMMARY: Final = (
    "RTL selesai: {selesai} dari {rencana} yang direncanakan ({persen}%); selesai tepat "
    "waktu: {tepat} dari {selesai} yang selesai ({persen_tepat}%)."
)
SKMR_RTL_NONE_DONE: Final = (
    "RTL selesai: 0 dari {rencana} yang direncanakan (0,00%); belum ada yang selesai."
)
SKMR_RTL_NOTHING_PLANNED: Final = (
    "Belum ada RTL yang direncanakan (yang dibatalkan tidak dihitung)."
)
SKMR_RTL_PJ: Final = "Seksi Pelayanan"
SKMR_RTL_KEGIATAN: Final = {
    "persyaratan": "Menyederhanakan dan mengumumkan persyaratan setiap layanan",
    "prosedur": "Memasang alur prosedur pelayanan yang mudah dipahami",
    "waktu": "Menetapkan dan memantau waktu penyelesaian layanan",
    "biaya": "Mengumumkan biaya/tarif (atau gratis) di ruang pelayanan",
    "produk": "Memeriksa kesesuaian produk layanan dengan standar pelayanan",
    "kompetensi": "Pelatihan dan pembinaan petugas pelayanan",
    "perilaku": "Pembinaan sikap sopan dan ramah petugas",
    "pengaduan": "Menyediakan dan menanggapi saluran pengaduan",
    "sarana": "Memperbaiki sarana dan prasarana ruang pelayanan",
}
SKMR_BAB5: Final = "BAB V PENUTUP"
SKMR_PENUTUP_TEXT: Final = (
    "Hasil SKM periode ini menunjukkan mutu pelayanan {mutu} ({kinerja}) dengan NIK {nik}. "
    "Rencana tindak lanjut dilaksanakan dan dipantau agar kualitas pelayanan terus meningkat."
)
SKMR_PENUTUP_NO_RESULT: Final = (
    "Hasil SKM periode ini belum dapat dihitung. Survei dilanjutkan agar jumlah responden "
    "memenuhi sampel minimal."
)
SKMR_DOTS: Final = "...................................."
SKMR_NIP: Final = "NIP. {nip}"
SKMR_YEAR: Final = "Tahun {tahun}"
SKMR_WRITTEN: Final = (
    "Laporan SKM Kecamatan {kecamatan} periode {mulai} s.d. {sampai} ditulis ke {berkas}."
)
SKMR_BAD_SUFFIX: Final = "berkas --output harus berakhiran .docx atau .pdf: {berkas}"
OFFICE_MISSING: Final = (
    "LibreOffice (soffice) tidak ditemukan: PDF tidak dapat dibuat. Pasang LibreOffice "
    "(Debian/Ubuntu: apt install libreoffice-calc-nogui libreoffice-writer-nogui "
    "fonts-liberation), atau buat berkas .xlsx/.docx lalu cetak dari Excel/Word."
)
OFFICE_FAILED: Final = "LibreOffice gagal mengubah dokumen menjadi PDF: {alasan}"
SKMR_NO_FOLDER: Final = (
    "Folder {folder} tidak ada. Buat foldernya dulu, atau pilih berkas di folder lain."
)
SKMR_IS_FOLDER: Final = "{berkas} adalah folder. Tulis nama berkas, misalnya {berkas}/skm.docx."
SKMR_COMMAND: Final = "Laporan SKM (DOCX; PDF: /laporanskm 2026 S1 pdf) satu periode"
SKMR_CAPTION_PDF: Final = (
    "Laporan SKM Kecamatan {kecamatan} periode {mulai} s.d. {sampai}, siap dicetak dan "
    "ditandatangani (PDF)."
)
SKMR_CAPTION: Final = (
    "Laporan SKM Kecamatan {kecamatan} periode {mulai} s.d. {sampai}. Berkas DOCX dapat "
    "disunting sebelum dicetak dan ditandatangani."
)
SKMR_ADMIN_ONLY: Final = "Maaf, /laporanskm hanya untuk admin kecamatan."
SKMR_BAD_ARGS: Final = (
    "Tulis /laporanskm [TAHUN] [S1|S2|TW1..TW4], misalnya /laporanskm 2026 S1. "
    "Tidak dimengerti: {teks}"
)

# --- Rekap kabupaten (iku-bot report --kabupaten) ---
KAB_TITLE: Final = "Rekap IKU Kabupaten {kabupaten} (kode {kode})"
KAB_PERIOD: Final = "Periode: {label} ({mulai} s.d. {sampai})"
KAB_SHEET: Final = "Rekap Kabupaten"
KAB_TOTAL: Final = "Kabupaten"
KAB_HEADERS: Final = (
    "No",
    "Kecamatan",
    "Kode",
    "Desa",
    "Desa mandiri",
    "Desa tematik",
    "Konflik (tertangani/kejadian)",
    "Konflik tertangani (%)",
    "Trantibum (tertangani/kejadian)",
    "Trantibum tertangani (%)",
    "Responden SKM",
    "NIK SKM",
)
KAB_NO_EVENTS: Final = "tidak ada kejadian"
KAB_NO_DATA: Final = "-"
KAB_NOTE: Final = (
    "Jumlah kabupaten: desa mandiri dan desa tematik dijumlahkan; konflik dan trantibum = "
    "seluruh yang tertangani dibagi seluruh kejadian; NIK = SKM atas seluruh jawaban "
    "responden semua kecamatan (bukan rata-rata NIK)."
)
KAB_WRITTEN: Final = (
    "Rekap IKU Kabupaten {kabupaten} periode {mulai} s.d. {sampai} ditulis ke {berkas}."
)


# -- Indeks Desa (2025 on) -------------------------------------------------------------------

INDEKS_DESA_PREVIEW_LINE: Final = (
    "{n}. {desa}, {tahun}: {index} {score} ({status}){flag}; {current}"
)
INDEKS_DESA_IMPORTED_LINE: Final = "- {desa}, {tahun}: {index} {score} ({status}){flag}"
INDEKS_DESA_FLAG: Final = " [status terbit {published} berbeda dengan status dari skor: ditandai]"


# Indeks Desa diisi manual lewat /idm (tahun 2025 dan sesudahnya)
ID_ASK_SCORE: Final = (
    "Tahun {tahun} memakai <b>Indeks Desa</b>. Ketik skor Indeks Desa Desa {desa} seperti "
    "yang diterbitkan: angka 0-100, misalnya 72,45 (koma atau titik)."
)
ID_ASK_STATUS: Final = (
    "Status desa tahun {tahun} menurut keputusan menteri? Pilih status yang diterbitkan "
    "(status tidak dihitung dari skor)."
)
ID_ASK_SOURCE: Final = (
    "Sumber status tahun {tahun}: pilih keputusannya, atau ketik nomor keputusan/dokumen "
    "(3-200 karakter)."
)
ID_SUMMARY: Final = (
    "<b>Periksa hasil Indeks Desa</b>\nDesa: {desa}\nTahun: {tahun}\n"
    "Skor Indeks Desa: <b>{score}</b>\nStatus terbit: <b>{status}</b>\nSumber status: {source}"
    "\n\nSimpan?"
)
ID_SAVED: Final = (
    "Hasil Indeks Desa Desa {desa} tahun {tahun} disimpan.\nSkor: <b>{score}</b>\n"
    "Status: <b>{status}</b> (sumber: {source})"
)
ID_PREVIOUS: Final = "Nilai sebelumnya untuk tahun ini: {index} {score} ({status})"
ID_NO_THRESHOLD: Final = (
    "IKU 1 tahun ini menghitung desa berstatus Mandiri sesuai status terbit. Batas skor "
    "antarstatus Indeks Desa belum ditetapkan, sehingga kekurangan skor tidak dihitung."
)

# --- Perkembangan status desa (/perkembangan, lembar "Perkembangan Desa") ---
PROGRESS_COMMAND: Final = "Perkembangan status desa per tahun (IDM, Indeks Desa)"
PROGRESS_EXAMPLES: Final = (
    "Contoh: /perkembangan (semua tahun sampai tahun ini), /perkembangan 2020-2025, "
    "/perkembangan 2024 (sampai tahun 2024)."
)
PROGRESS_BAD_YEAR: Final = 'Tahun "{teks}" tidak dikenali: tulis tahun dengan 4 angka.'
PROGRESS_TOO_MANY: Final = "Tulis satu tahun atau satu rentang tahun saja."
PROGRESS_REVERSED: Final = "Tahun awal {awal} sesudah tahun akhir {akhir}: tukar urutannya."
PROGRESS_FUTURE: Final = "Tahun {tahun} belum tiba (sekarang tahun {sekarang})."
PROGRESS_TOO_EARLY: Final = "Data IDM baru ada sejak tahun {pertama}."
PROGRESS_NO_DATA: Final = (
    "Belum ada data IDM maupun Indeks Desa Kecamatan {kecamatan} untuk tahun {rentang}. "
    "Data dicatat dengan /idm."
)
PROGRESS_TITLE: Final = "<b>Perkembangan status desa Kecamatan {kecamatan}, {rentang}</b>"
PROGRESS_LEGEND: Final = (
    "ST Sangat Tertinggal, TT Tertinggal, BK Berkembang, MJ Maju, MD Mandiri, "
    "-- belum ada data; * status terbit berbeda dengan status dari skor (dihitung dari skor)."
)
PROGRESS_RULE_IDM: Final = "IDM {rentang}: status dari skor (IDM &gt; 0,8155 = Mandiri)."
PROGRESS_RULE_INDEKS: Final = "Indeks Desa {rentang}: status seperti yang ditetapkan (terbit)."
PROGRESS_DESA_HEAD: Final = "Desa"
PROGRESS_COUNTS_TITLE: Final = "<b>Jumlah desa per status</b>"
PROGRESS_COUNTS_HEAD: Final = "Tahun"
PROGRESS_CHANGES: Final = "Ke tahun {tahun}: naik {naik}, turun {turun}, tetap {tetap} desa."
PROGRESS_CHANGES_ACROSS: Final = (
    " (perbandingan IDM ke Indeks Desa: nama status sama, ukuran berbeda)"
)
PROGRESS_CLOSEST_TITLE: Final = "<b>Terdekat ke status berikutnya ({index} {tahun})</b>"
PROGRESS_CLOSEST_IDM: Final = (
    "{n}. {desa}: {status} {skor} → {target} (skor minimal {minimum}), kurang {kurang}"
)
PROGRESS_CLOSEST_ESTIMATE: Final = (
    "{n}. {desa}: {status} {skor} → {target}, kurang ± {kurang} (perkiraan)"
)
PROGRESS_CLOSEST_NO_ESTIMATE: Final = (
    "{n}. {desa}: {status} {skor} → {target}, selisih tidak dapat diperkirakan "
    "(belum ada desa {target} di kecamatan ini tahun itu)"
)
PROGRESS_CLOSEST_NOTE_IDM: Final = (
    "Ambang resmi IDM (Permendesa PDTT No. 2 Tahun 2016); kekurangan dibulatkan ke atas."
)
PROGRESS_CLOSEST_NOTE_ESTIMATE: Final = (
    "Perkiraan, bukan angka resmi: ambang status Indeks Desa belum ditetapkan. Selisih "
    "dihitung dari skor terendah yang terbit dengan status berikutnya di antara desa "
    "kecamatan ini pada tahun yang sama."
)
PROGRESS_CLOSEST_NONE: Final = "Semua desa yang berdata sudah Mandiri."
PROGRESS_CLOSEST_MORE: Final = "… dan {jumlah} desa lainnya (lengkap di /ekspor)."
PROGRESS_CAPTION: Final = "Grafik jumlah desa per status, Kecamatan {kecamatan}, {rentang}"
PROGRESS_CHART_TITLE: Final = "Kecamatan {kecamatan}: jumlah desa per status, {rentang}"
PROGRESS_CHART_Y: Final = "Jumlah desa"
PROGRESS_CHART_WITHOUT: Final = "Belum ada data"
PROGRESS_SHORT: Final = {
    "sangat_tertinggal": "ST",
    "tertinggal": "TT",
    "berkembang": "BK",
    "maju": "MJ",
    "mandiri": "MD",
}
PROGRESS_NONE_SHORT: Final = "--"
WB_SHEET_PROGRESS: Final = "Perkembangan Desa"
WB_TITLE_PROGRESS: Final = "Perkembangan Status Desa Kecamatan {kecamatan}, {rentang}"
WB_PROGRESS_NOTE: Final = (
    "Status tiap tahun seperti yang dihitung IKU 1: IDM (sampai 2024) dari skornya "
    "(> 0,8155 Mandiri), Indeks Desa (sejak 2025) seperti yang ditetapkan. Skor: IDM 0-1, "
    "Indeks Desa 0-100. * = status terbit berbeda dengan status dari skor."
)
WB_PROGRESS_HEAD: Final = ("No", "Kode Desa", "Nama Desa")
WB_PROGRESS_STATUS: Final = "Status {tahun}"
WB_PROGRESS_SCORE: Final = "Skor {tahun}"
WB_PROGRESS_LAST: Final = "Perubahan terakhir"
WB_PROGRESS_CHANGE: Final = {"naik": "naik", "turun": "turun", "tetap": "tetap"}
WB_PROGRESS_CHANGE_TEXT: Final = "{change} ({dari} → {ke})"
WB_PROGRESS_COUNTS: Final = "Jumlah desa per status per tahun"
WB_PROGRESS_INDEX: Final = "Indeks"
WB_PROGRESS_WITHOUT: Final = "Belum ada data"
WB_PROGRESS_CLOSEST: Final = "Terdekat ke status berikutnya ({index} {tahun})"
WB_PROGRESS_CLOSEST_HEAD: Final = (
    "No",
    "Nama Desa",
    "Status",
    "Skor",
    "Status berikutnya",
    "Skor minimal / pembanding",
    "Kekurangan",
    "Dasar",
)
WB_PROGRESS_OFFICIAL: Final = "ambang resmi IDM"
WB_PROGRESS_ESTIMATE: Final = "perkiraan dari skor terbit (bukan angka resmi)"
WB_PROGRESS_NO_ESTIMATE: Final = "tidak dapat diperkirakan"
WB_PROGRESS_NO_DATA: Final = "Belum ada data IDM maupun Indeks Desa untuk tahun {rentang}."
WB_PROGRESS_CHART: Final = "Jumlah desa per status"
WB_HEADERS_IDM_MORE: Final = (
    "Indeks",
    "Status terbit",
    "Sumber status",
    "Ditandai",
)
WB_IDM_FLAGGED: Final = "status terbit berbeda dengan status dari skor"
WB_TITLE_INDEKS_DESA: Final = "Indeks Desa Kecamatan {kecamatan} Tahun {tahun} (IKU 1)"
WB_TITLE_IDM_BOTH: Final = "IDM dan Indeks Desa Kecamatan {kecamatan} Tahun {tahun} (IKU 1)"
WB_IDM_NOTE_INDEKS: Final = (
    "Indeks Desa (sejak 2025, skor 0-100, enam dimensi): status seperti yang ditetapkan "
    "(terbit), tidak dihitung ulang; Mandiri dihitung dari status terbit."
)


# Admin kabupaten: rekap dan ringkasan mingguan ----------------------------------------------

KABADM_ADDED: Final = (
    "{nama} (ID Telegram {telegram_id}) terdaftar sebagai admin Kabupaten {kabupaten} "
    "({kode}), kecamatan asal {kecamatan}. Ia dapat melihat /ringkasan dan /ekspor rekap "
    "kabupaten."
)
KABADM_UNCHANGED: Final = (
    "{nama} (ID Telegram {telegram_id}) sudah menjadi admin Kabupaten {kabupaten} ({kode}); "
    "tidak ada yang berubah."
)
KABADM_UNKNOWN_KECAMATAN: Final = (
    "Kecamatan dengan kode {kode} belum terdaftar. Tulis /ringkasan tanpa kode untuk rekap "
    "seluruh kecamatan kabupaten."
)
KABADM_NO_PDF: Final = (
    "Rekap kabupaten tersedia sebagai Excel: tulis /ekspor (atau /ekspor 2026 semester 1) "
    "tanpa pdf."
)
KABADM_EXPORT_CAPTION: Final = (
    "Rekap IKU Kabupaten {kabupaten}: {jumlah} kecamatan berdampingan dan jumlah kabupaten, "
    "periode {mulai} s.d. {sampai}. Siap cetak (satu lembar)."
)

# Ringkasan mingguan kabupaten ---------------------------------------------------------

KABDIG_TITLE: Final = (
    "<b>Ringkasan Mingguan IKU Kabupaten {kabupaten}</b>\nMinggu {minggu} ({mulai} s.d. {sampai})"
)
KABDIG_PERIOD: Final = "<i>IKU tahun {tahun} s.d. {sampai}, per kecamatan.</i>"
KABDIG_INDICATOR: Final = "<b>{nomor}. {indikator}</b>"
KABDIG_ROW: Final = "{kecamatan}: {nilai}"
KABDIG_TOTAL: Final = "<b>Kabupaten: {nilai}</b>"
KABDIG_HANDLED: Final = "{persen} ({tertangani}/{total})"
KABDIG_NO_EVENTS: Final = "tidak ada kejadian"
KABDIG_COMPLETENESS: Final = "<b>Kelengkapan laporan desa minggu ini</b>"
KABDIG_COMPLETENESS_ROW: Final = "{kecamatan}: {lapor}/{desa} desa ({persen})"
KABDIG_COMPLETENESS_TOTAL: Final = "<b>Kabupaten: {lapor}/{desa} desa ({persen})</b>"
KABDIG_FOOTER: Final = (
    "Desa dihitung melapor bila mengirim laporan kejadian atau laporan nihil minggu ini. "
    "Dibuat {waktu}. Rincian: /ringkasan, Excel: /ekspor."
)
KABDIG_GROUP_BOUND: Final = (
    "✅ Grup ini sekarang menerima ringkasan mingguan IKU Kabupaten {kabupaten}: seluruh "
    "kecamatan berdampingan per indikator dan kelengkapan laporan desa, {jadwal} "
    "(waktu kantor).{berikut}"
)
KABDIG_GROUP_UNBOUND: Final = (
    "Grup ini tidak lagi menerima ringkasan mingguan IKU Kabupaten {kabupaten}."
)
KABDIG_GROUP_IS_KECAMATAN: Final = (
    "Grup ini sudah menerima ringkasan mingguan sebuah kecamatan. Ringkasan kabupaten perlu "
    "grup sendiri: pakai grup lain, atau minta admin kecamatan melepasnya dengan /lepas_grup."
)
KABDIG_GROUP_IS_KABUPATEN: Final = (
    "Grup ini sudah menerima ringkasan mingguan kabupaten. Ringkasan kecamatan perlu grup "
    "sendiri: pakai grup lain, atau minta admin kabupaten melepasnya dengan /lepas_grup."
)
KABDIG_GROUP_OTHER_KABUPATEN: Final = (
    "Grup ini menerima ringkasan kabupaten lain; Anda tidak dapat mengatur atau melepasnya."
)
KABDIG_GAVE_UP: Final = (
    "⚠️ Ringkasan mingguan kabupaten {minggu} gagal dikirim ke grup <b>{grup}</b> setelah "
    "{kali} kali percobaan ({galat}). Periksa apakah bot masih boleh mengirim pesan di grup "
    "itu; rekap dapat dilihat dengan /ringkasan."
)
KABDIG_GROUP_LOST: Final = (
    "⚠️ Bot dikeluarkan atau tidak lagi boleh mengirim pesan di grup <b>{grup}</b>, sehingga "
    "ringkasan mingguan kabupaten tidak dikirim ke sana lagi. Tambahkan bot kembali ke grup "
    "lalu kirim /atur_grup di grup itu."
)
