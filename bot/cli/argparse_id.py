"""argparse in Indonesian: its own messages (usage, errors, help headings) translated.

argparse takes every message it prints through ``gettext``; :func:`indonesian` puts a
small catalogue in its place while the operator's command line is built and parsed,
and gives the original back afterwards (also when argparse exits on --help or an error).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["indonesian", "MESSAGES"]

MESSAGES: dict[str, str] = {
    "usage: ": "penggunaan: ",
    "positional arguments": "argumen",
    "options": "opsi",
    "show this help message and exit": "menampilkan bantuan ini lalu keluar",
    "subcommands": "perintah",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "pilihan %(value)r tidak dikenal (pilih salah satu: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "nilai %(value)r tidak sah (%(type)s)",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "ignored explicit argument %r": "argumen %r diabaikan",
    "expected one argument": "perlu satu nilai",
    "expected at most one argument": "paling banyak satu nilai",
    "expected at least one argument": "perlu paling sedikit satu nilai",
    "ambiguous option: %(option)s could match %(matches)s": (
        "opsi %(option)s tidak jelas: bisa %(matches)s"
    ),
    "unexpected option string: %s": "opsi tidak terduga: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "perintah %(parser_name)r tidak dikenal (pilihan: %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "berkas '%(filename)s' tidak dapat dibuka: %(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: kesalahan perintah: %(message)s\n",
}
_PLURAL: dict[str, str] = {"expected %s argument": "perlu %s nilai"}


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _PLURAL.get(singular, singular if n == 1 else plural)


@contextmanager
def indonesian() -> Iterator[None]:
    """argparse speaks Indonesian inside this block."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
