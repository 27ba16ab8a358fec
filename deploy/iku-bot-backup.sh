#!/bin/sh
# Cadangan harian iku-bot dengan rotasi: 7 harian, 4 mingguan (Minggu), 12 bulanan (tanggal 1).
# Dijalankan oleh deploy/iku-bot-backup.timer (atau cron), sebagai pengguna bot, dari folder
# iku-bot (pengaturan dibaca dari .env seperti perintah iku-bot lainnya).
#
#   BACKUP_DIR  folder cadangan (bawaan /var/backups/iku-bot); di dalamnya harian/,
#               mingguan/ dan bulanan/
#   IKU_BOT     program iku-bot (bawaan /opt/iku-bot/.venv/bin/iku-bot)
#   KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY   jumlah yang disimpan (bawaan 7, 4, 12)
#
# Salinan mingguan dan bulanan adalah hard link ke berkas harian: tidak memakai ruang lagi.
# Salinan di luar kantor (off-site) DIAMBIL oleh mesin lain (lihat README), agar server yang
# dibobol tidak dapat menghapusnya. Kunci SKM tidak ada di sini (iku-bot db backup-kunci).
set -eu

DIR="${BACKUP_DIR:-/var/backups/iku-bot}"
IKU_BOT="${IKU_BOT:-/opt/iku-bot/.venv/bin/iku-bot}"
umask 077
mkdir -p "$DIR/harian" "$DIR/mingguan" "$DIR/bulanan"

name="iku-bot-$(date +%Y%m%d-%H%M%S).tar"
"$IKU_BOT" db backup "$DIR/harian/$name"

if [ "$(date +%u)" = 7 ]; then
    ln "$DIR/harian/$name" "$DIR/mingguan/$name"
fi
if [ "$(date +%d)" = 01 ]; then
    ln "$DIR/harian/$name" "$DIR/bulanan/$name"
fi

# Keep the newest N backups of a folder (names sort by time).
keep() {
    ls -1 "$1" | grep -E '^iku-bot-[0-9]{8}-[0-9]{6}\.tar$' | sort -r | tail -n +"$(($2 + 1))" |
        while read -r old; do
            rm -f -- "$1/$old"
        done
}
keep "$DIR/harian" "${KEEP_DAILY:-7}"
keep "$DIR/mingguan" "${KEEP_WEEKLY:-4}"
keep "$DIR/bulanan" "${KEEP_MONTHLY:-12}"
