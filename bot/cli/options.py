"""What the operator's commands share: common options, the period, writing a file whole."""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import date
from pathlib import Path

from bot import texts
from domain.errors import InvalidInput
from domain.period import Period

__all__ = ["kecamatan_option", "year", "period_of", "write_atomically"]


def kecamatan_option(parser: argparse.ArgumentParser) -> None:
    """--kecamatan KODE (the settings' KECAMATAN when not given)."""
    parser.add_argument(
        "--kecamatan",
        metavar="KODE",
        help="kode Kemendagri atau BPS kecamatan (bawaan: KECAMATAN dari pengaturan)",
    )


def year(text: str) -> int:
    """An argparse type: a year 2000-2100."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tahun harus angka 4 digit: {text!r}") from None
    if not 2000 <= value <= 2100:
        raise argparse.ArgumentTypeError(f"tahun di luar 2000-2100: {value}")
    return value


def period_of(args: argparse.Namespace, today: date) -> Period:
    """--year with --semester, --quarter or --range (where the command has it); this year."""
    given: tuple[date, date] | None = getattr(args, "range", None)
    if given is not None:
        start, end = given
        if args.year is not None and (start.year != args.year or end.year != args.year):
            raise InvalidInput("--range harus berada di dalam --year bila keduanya diberikan.")
        try:
            return Period.between(start, end)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
    chosen = args.year if args.year is not None else today.year
    if args.semester is not None:
        return Period.semester(chosen, args.semester)
    if args.quarter is not None:
        return Period.quarter(chosen, args.quarter)
    return Period.year(chosen)


def write_atomically(path: Path, content: bytes) -> None:
    """A temporary file next to ``path``, renamed over it: never a half-written file.

    InvalidInput (in words, nothing left behind, an old file kept) when it cannot be written.
    """
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise InvalidInput(
            texts.FILE_NOT_WRITABLE.format(berkas=path, alasan=error.strerror or error)
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise InvalidInput(
            texts.FILE_NOT_WRITABLE.format(berkas=path, alasan=error.strerror or error)
        ) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
