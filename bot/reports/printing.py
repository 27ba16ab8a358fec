"""How the workbook's sheets print: paper, orientation, fit to width, titles, row heights.

Decisions:
- Every sheet is set up to print as it is (LibreOffice or Excel, no hand work): paper
  from PAPER_SIZE (A4, or F4 215 x 330 mm), landscape unless the sheet is narrow, fitted
  to one page wide (as many pages tall as needed), the header rows repeated on each
  page, page numbers in the footer, centred horizontally.
- A wrapped cell does not grow its row by itself in every program: the row height is
  set from the text, counting the lines each cell needs at its column's width (a
  column's width is in characters of "0"; average text is narrower, so the estimate
  errs on the side of room).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.documents import PAPER_SIZES, PaperSize, Signatory, signatory
from domain.models import Kecamatan

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from bot.config import Settings

__all__ = [
    "PrintSetup",
    "print_setup",
    "setup_for",
    "setup_page",
    "lines_needed",
    "line_room",
    "LINE_POINTS",
]

LINE_POINTS = 15.0  # one line of 11 pt text, with its leading
# Paper sizes of the OOXML page setup (ECMA-376 18.3.1.63): 9 A4, 14 folio 8.5 x 13 in;
# F4 (215 x 330 mm) is as near folio as paper codes go: LibreOffice maps it to its F4.
_PAPER_CODES = {"A4": 9, "F4": 14}


@dataclass(frozen=True, slots=True)
class PrintSetup:
    """The paper and the signatory of the office's printed documents."""

    paper: PaperSize
    signer: Signatory


def print_setup(
    kecamatan: Kecamatan,
    *,
    paper_size: str = "A4",
    sign_place: str | None = None,
    signer_jabatan: str | None = None,
    signer_nama: str | None = None,
    signer_pangkat: str | None = None,
    signer_nip: str | None = None,
) -> PrintSetup:
    """The office's print setup from its settings (bot.config.Settings's fields)."""
    return PrintSetup(
        paper=PAPER_SIZES[paper_size],
        signer=signatory(
            kecamatan.nama,
            kecamatan.kabupaten,
            jabatan=signer_jabatan,
            nama=signer_nama,
            pangkat=signer_pangkat,
            nip=signer_nip,
            place=sign_place,
        ),
    )


def setup_for(settings: Settings, kecamatan: Kecamatan) -> PrintSetup:
    """The print setup of ``kecamatan`` from the office's settings."""
    return print_setup(
        kecamatan,
        paper_size=settings.paper_size,
        sign_place=settings.sign_place,
        signer_jabatan=settings.signer_jabatan,
        signer_nama=settings.signer_nama,
        signer_pangkat=settings.signer_pangkat,
        signer_nip=settings.signer_nip,
    )


def setup_page(
    sheet: Worksheet,
    paper: PaperSize,
    *,
    landscape: bool = True,
    title_rows: tuple[int, int] | None = None,
) -> None:
    """Paper, orientation, one page wide, repeated header rows and page numbers."""
    setup = sheet.page_setup
    setup.paperSize = _PAPER_CODES[paper.name]
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages tall as the table needs
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = 0.5
    margins.top = margins.bottom = 0.6
    margins.header = margins.footer = 0.3
    if title_rows is not None:
        first, last = title_rows
        sheet.print_title_rows = f"{first}:{last}"
    footer = sheet.oddFooter
    if footer is not None:
        footer.center.text = "&A - halaman &P dari &N"
        footer.center.size = 9


def line_room(width: float) -> int:
    """How many characters one line of a wrapped column ``width`` characters wide holds."""
    return max(int(width * 1.05) - 1, 1)


def lines_needed(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped column ``width`` characters wide."""
    room = line_room(width)
    if len(text) <= room and "\n" not in text:
        return 1  # the whole text fits on one line (most cells of a table)
    total = 0
    for paragraph in text.split("\n"):
        total += max(1, _wrapped(paragraph, room))
    return total


def _wrapped(paragraph: str, room: int) -> int:
    """Lines of one paragraph wrapped at word boundaries (long words broken)."""
    lines, used = 1, 0
    for word in paragraph.split():
        size = len(word)
        if used and used + 1 + size > room:
            lines += 1
            used = 0
        if size > room:  # a word longer than the column is broken across lines
            lines += math.ceil(size / room) - 1
            size = size % room or room
        used = size if used == 0 else used + 1 + size
    return lines
