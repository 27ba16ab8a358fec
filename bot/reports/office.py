"""Documents to PDF through LibreOffice headless (``soffice --convert-to pdf``).

LibreOffice is what an office has (and what prints the workbook the way Excel does); it
runs as a separate process with its own throw-away profile, so that two conversions at
once, or one beside the user's own LibreOffice, never share a profile lock. A missing
LibreOffice, a conversion that fails or takes too long: :class:`OfficeUnavailable`, in
Indonesian, never a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from bot import texts
from domain.errors import DomainError

__all__ = ["OfficeUnavailable", "soffice_path", "to_pdf", "CONVERT_TIMEOUT"]

CONVERT_TIMEOUT = 180.0  # seconds; a first start of LibreOffice takes a few


class OfficeUnavailable(DomainError):
    """LibreOffice is not installed, or could not convert the document."""


def soffice_path() -> str | None:
    """LibreOffice's command (SOFFICE in the environment, else soffice/libreoffice)."""
    configured = os.environ.get("SOFFICE")
    if configured:
        return configured if shutil.which(configured) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(content: bytes, suffix: str, *, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """The PDF of a document given as bytes (``suffix``: ".xlsx", ".docx", ...)."""
    soffice = soffice_path()
    if soffice is None:
        raise OfficeUnavailable(texts.OFFICE_MISSING)
    with tempfile.TemporaryDirectory(prefix="iku-pdf-") as folder:
        work = Path(folder)
        source = work / f"dokumen{suffix}"
        source.write_bytes(content)
        try:
            completed = subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={(work / 'profil').as_uri()}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(work),
                    str(source),
                ],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise OfficeUnavailable(
                texts.OFFICE_FAILED.format(alasan=f"tidak selesai dalam {timeout:.0f} detik")
            ) from None
        except OSError as error:
            raise OfficeUnavailable(
                texts.OFFICE_FAILED.format(alasan=error.strerror or error)
            ) from None
        produced = work / "dokumen.pdf"
        if completed.returncode != 0 or not produced.is_file():
            detail = (completed.stderr or completed.stdout).strip().splitlines()
            raise OfficeUnavailable(
                texts.OFFICE_FAILED.format(
                    alasan=detail[-1][:200] if detail else f"kode keluar {completed.returncode}"
                )
            )
        return produced.read_bytes()
