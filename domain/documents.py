"""What the office's printed documents share: the signatory, the NIP, the capaian category.

Decisions:
- The signature block under a document is the head of office's: jabatan (``CAMAT
  LARANGAN`` unless set), name, pangkat/golongan and NIP, from the settings. A missing
  name or NIP leaves a dotted line to fill in by hand, never an invented value.
- A NIP (PNS, PP 11/2017) has 18 digits: birth date (8), appointment month (6), sex (1),
  sequence (3); it is printed in those groups, ``19700609 199302 1 001``. Anything else
  is refused in words.
- The capaian category follows the five-level scale of Permendagri 86/2017 used in
  LKjIP tables: 91 and more Sangat Tinggi, 76 to under 91 Tinggi, 66 to under 76 Sedang,
  51 to under 66 Rendah, under 51 Sangat Rendah; on the exact percentage (90.99 is
  Tinggi, 91.00 Sangat Tinggi; above 100 stays Sangat Tinggi).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from domain.errors import InvalidInput

__all__ = [
    "Signatory",
    "format_nip",
    "signatory",
    "capaian_category",
    "CAPAIAN_SCALE",
    "PaperSize",
    "PAPER_SIZES",
]

_NIP = re.compile(r"\d{18}")


def format_nip(raw: str) -> str:
    """The NIP in its printed groups; InvalidInput when it is not 18 digits."""
    digits = re.sub(r"[\s.\-]", "", raw)
    if not _NIP.fullmatch(digits):
        raise InvalidInput(
            "NIP harus 18 angka (contoh 19700609 199302 1 001); spasi boleh, huruf tidak."
        )
    month = int(digits[12:14])
    if not 1 <= month <= 12 or digits[14] not in "12":
        raise InvalidInput(
            "NIP tidak sah: angka ke-13 dan 14 adalah bulan pengangkatan (01-12) dan angka "
            "ke-15 jenis kelamin (1 atau 2)."
        )
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


@dataclass(frozen=True, slots=True)
class Signatory:
    """Who signs: shown under a document with place and date."""

    jabatan: str
    nama: str | None = None
    pangkat: str | None = None
    nip: str | None = None  # formatted (format_nip)
    place: str = ""


def signatory(
    kecamatan_nama: str,
    kabupaten: str,
    *,
    jabatan: str | None = None,
    nama: str | None = None,
    pangkat: str | None = None,
    nip: str | None = None,
    place: str | None = None,
) -> Signatory:
    """The head of office of ``kecamatan_nama``, completed from the settings given.

    The place above the date is the kabupaten's seat unless set ("Pamekasan, 04 Januari
    2024" under the signed IKU table of Larangan), "Kabupaten " left out.
    """
    return Signatory(
        jabatan=(jabatan or f"Camat {kecamatan_nama}").strip().upper(),
        nama=(nama or "").strip() or None,
        pangkat=(pangkat or "").strip() or None,
        nip=None if not (nip or "").strip() else format_nip(nip or ""),
        place=(place or _seat(kabupaten)).strip(),
    )


def _seat(kabupaten: str) -> str:
    name = kabupaten.strip()
    for prefix in ("Kabupaten ", "Kab. ", "Kota "):
        if name.startswith(prefix):
            return name.removeprefix(prefix).strip()
    return name


# (lowest capaian of the level, label), highest first; below the last: Sangat Rendah.
CAPAIAN_SCALE: tuple[tuple[Decimal, str], ...] = (
    (Decimal(91), "Sangat Tinggi"),
    (Decimal(76), "Tinggi"),
    (Decimal(66), "Sedang"),
    (Decimal(51), "Rendah"),
)


def capaian_category(capaian_percent: Decimal | None) -> str | None:
    """The category of a capaian given in percent (103.59 for 103.59%); None without one."""
    if capaian_percent is None:
        return None
    for bound, label in CAPAIAN_SCALE:
        if capaian_percent >= bound:
            return label
    return "Sangat Rendah"


@dataclass(frozen=True, slots=True)
class PaperSize:
    """A paper the office prints on."""

    name: str
    width_mm: int
    height_mm: int


# F4 (folio) as sold in Indonesia: 215 x 330 mm.
PAPER_SIZES = {
    "A4": PaperSize("A4", 210, 297),
    "F4": PaperSize("F4", 215, 330),
}
