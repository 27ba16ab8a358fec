"""``iku-bot admin-kabupaten add``: register the kabupaten's admin (Bagian Pemerintahan)."""

from __future__ import annotations

import argparse
from typing import Any

from bot import texts
from bot.cli.kabupaten import kabupaten_code
from bot.runtime import Runtime
from domain.kabupaten_admin import DEFAULT_JABATAN, add_kabupaten_admin

__all__ = ["COMMAND", "add_kabupaten_admin_parser", "cmd_kabupaten_admin"]

COMMAND = "admin-kabupaten"


def _telegram_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ID Telegram harus bilangan bulat: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"ID Telegram harus lebih dari 0: {value}")
    return value


def add_kabupaten_admin_parser(sub: Any) -> None:
    """``admin-kabupaten add --telegram-id N --kabupaten 35.28 --nama ...``."""
    parser = sub.add_parser(COMMAND, help="admin kabupaten: melihat rekap semua kecamatan")
    commands = parser.add_subparsers(dest="kabupaten_admin_command", required=True)
    add = commands.add_parser(
        "add", help="mendaftarkan admin kabupaten (langsung aktif; diulang: tidak berubah)"
    )
    add.add_argument("--telegram-id", type=_telegram_id, required=True, metavar="ID")
    add.add_argument("--kabupaten", type=kabupaten_code, required=True, metavar="KODE")
    add.add_argument("--nama", required=True, help="nama lengkap")
    add.add_argument("--jabatan", default=DEFAULT_JABATAN, help=f"bawaan: {DEFAULT_JABATAN}")
    add.add_argument(
        "--kecamatan",
        metavar="KODE",
        help="kecamatan asal, mis. 35.28.08 (bawaan: kecamatan pertama kabupaten itu)",
    )


def cmd_kabupaten_admin(runtime: Runtime, args: argparse.Namespace) -> int:
    """Register the admin kabupaten and say what changed."""
    assert args.kabupaten_admin_command == "add"
    with runtime.uow() as uow:
        added = add_kabupaten_admin(
            uow,
            telegram_id=args.telegram_id,
            kabupaten_code=args.kabupaten,
            nama=args.nama,
            jabatan=args.jabatan,
            home_code=args.kecamatan,
            at=runtime.now(),
        )
        uow.commit()
    template = texts.KABADM_ADDED if added.changed else texts.KABADM_UNCHANGED
    print(
        template.format(
            nama=added.user.nama,
            telegram_id=added.user.telegram_id,
            kabupaten=added.home.kabupaten,
            kode=args.kabupaten,
            kecamatan=added.home.nama,
        )
    )
    return 0
