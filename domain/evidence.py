"""Evidence files: report photos and proofs of handling, kept by the office itself.

Decisions:
- A Telegram file id belongs to one bot: when the office replaces its bot or token, the
  ids no longer open anything. So every photo or document is downloaded once received and
  kept in the office's own store, content-addressed by SHA-256 (the same bytes once).
- The evidence row (status ``pending``) is written in the transaction of the report or
  follow-up that received it: the file id is never lost, the download comes after.
- A download is checked before it is stored: at most ``max_bytes`` (Telegram's bot API
  downloads at most 20 MB), and only the types an office keeps as evidence, recognised by
  their first bytes (JPEG, PNG, WebP, HEIC, PDF), never by the name or the sender's
  claim. A refused file is ``rejected`` with its reason, never retried.
- A failed download is retried with exponential backoff; after ``max_attempts`` it is
  ``failed`` (kept with its error, audited). Errors never carry the bot token.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from domain.errors import DomainError, InvalidInput
from domain.models import (
    CheckedFile,
    EvidenceFile,
    EvidenceMedia,
    EvidenceRole,
    EvidenceStatus,
    ReceivedFile,
)
from domain.ports import UnitOfWork

__all__ = [
    "EvidenceStatus",
    "EvidenceRole",
    "EvidenceFile",
    "EvidenceRefused",
    "CheckedFile",
    "EvidenceStore",
    "FetchPolicy",
    "DEFAULT_MAX_BYTES",
    "sniff",
    "check_file",
    "store_key",
    "extension_of",
    "safe_error",
    "record_received",
    "accept_document",
    "EvidenceMedia",
    "ReceivedFile",
    "record_stored",
    "record_rejected",
    "record_fetch_error",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # what the Bot API lets a bot download


class EvidenceRefused(DomainError):
    """A downloaded file the office does not keep (too large, unknown type)."""


_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/pdf": "pdf",
}
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


def sniff(data: bytes) -> str | None:
    """The content type by the file's first bytes, or None when it is not one kept."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in _HEIC_BRANDS:
        return "image/heic"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def extension_of(content_type: str | None) -> str:
    """The file name extension of a content type ("bin" when unknown)."""
    return _EXTENSIONS.get(content_type or "", "bin")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def check_file(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> CheckedFile:
    """Size, type and SHA-256 of a download; :class:`EvidenceRefused` with the reason."""
    if len(data) == 0:
        raise EvidenceRefused("Berkas kosong.")
    if len(data) > max_bytes:
        raise EvidenceRefused(
            f"Berkas terlalu besar ({_megabytes(len(data))} MB, "
            f"maksimal {_megabytes(max_bytes)} MB)."
        )
    content_type = sniff(data)
    if content_type is None:
        raise EvidenceRefused(
            "Jenis berkas tidak diterima sebagai bukti (hanya JPEG, PNG, WebP, HEIC, PDF)."
        )
    return CheckedFile(
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), content_type=content_type
    )


_SHA256 = re.compile(r"[0-9a-f]{64}")


def store_key(sha256: str) -> str:
    """Where the store keeps bytes of this SHA-256: ``ab/abcdef...`` (content-addressed)."""
    if not _SHA256.fullmatch(sha256):
        raise ValueError("not a SHA-256 in hex")
    return f"{sha256[:2]}/{sha256}"


class EvidenceStore(Protocol):
    """The office's file store (a local folder, or an S3-compatible bucket)."""

    def put(self, data: bytes) -> str:
        """Store bytes under their SHA-256 key and return it (the same bytes: once)."""
        ...

    def get(self, key: str) -> bytes:
        """The bytes of a key (KeyError when missing)."""
        ...

    def exists(self, key: str) -> bool:
        """Whether the store has the key."""
        ...


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How often and how long a download is retried."""

    max_attempts: int = 8
    first_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=6)

    def next_attempt(self, attempts: int, now: datetime) -> datetime | None:
        """When to try again after ``attempts`` failures; None: give up."""
        if attempts >= self.max_attempts:
            return None
        delay: timedelta = self.first_delay * 2 ** max(attempts - 1, 0)
        later: datetime = now + min(delay, self.max_delay)
        return later


# A bot token (also inside a URL: .../file/bot123:ABC/...), and what follows "bot" in a path.
_TOKEN = re.compile(r"[0-9]{5,}:[A-Za-z0-9_-]{20,}")
_ERROR_MAX = 300


def safe_error(error: BaseException | str, *secrets: str) -> str:
    """An error's text without the bot token (or other secrets), at most 300 characters."""
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = _TOKEN.sub("***", text)
    return text[:_ERROR_MAX]


# -- use cases (the caller commits) ---------------------------------------------------------


def record_received(
    uow: UnitOfWork,
    *,
    incident_id: int,
    role: EvidenceRole,
    files: Sequence[ReceivedFile],
    at: datetime,
    event_id: int | None = None,
) -> list[EvidenceFile]:
    """Pending evidence rows for files just received (in the caller's transaction)."""
    return [
        uow.evidence.add_pending(
            incident_id=incident_id,
            role=role,
            telegram_file_id=file.file_id,
            received_at=at,
            event_id=event_id,
            telegram_file_unique_id=file.unique_id,
            media=file.media,
            file_name=None if file.file_name is None else _clean_name(file.file_name),
        )
        for file in files
    ]


# What a document sent as evidence may be called (its content is checked again once
# downloaded: the name and the declared type are only what the sender's phone said).
_DOCUMENT_SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}
_DOCUMENT_TYPES = {*_EXTENSIONS, "image/heif"}


def accept_document(
    file_name: str | None,
    mime_type: str | None,
    size: int | None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> None:
    """Refuse, in words, a document that cannot be evidence (before it is downloaded)."""
    name = (file_name or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    declared = (mime_type or "").lower()
    if suffix not in _DOCUMENT_SUFFIXES and declared not in _DOCUMENT_TYPES:
        raise InvalidInput(
            "Berkas ini tidak dapat menjadi bukti. Kirim foto, atau dokumen PDF, JPG, PNG, "
            "WebP atau HEIC."
        )
    if size is not None and size > max_bytes:
        raise InvalidInput(
            f"Berkas terlalu besar ({_megabytes(size)} MB, maksimal {_megabytes(max_bytes)} MB). "
            "Kirim berkas yang lebih kecil atau foto biasa."
        )


def _clean_name(name: str) -> str:
    """A file name as sent, without control characters or folders, at most 255 long."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(ch for ch in base if ch.isprintable()).strip()
    return kept[:255] or "berkas"


def record_stored(
    uow: UnitOfWork, file: EvidenceFile, *, checked: CheckedFile, key: str, at: datetime
) -> None:
    """The bytes are in the store."""
    uow.evidence.mark_stored(file.id, checked=checked, store_key=key, at=at)


def record_rejected(uow: UnitOfWork, file: EvidenceFile, *, reason: str, at: datetime) -> None:
    """The download is not kept (too large, wrong type): never retried, audited."""
    uow.evidence.mark_rejected(file.id, reason=reason, at=at)
    uow.audit.record(
        actor="system",
        action="evidence_rejected",
        entity="evidence_file",
        entity_id=str(file.id),
        detail={"incident_id": file.incident_id, "reason": reason},
        at=at,
    )


def record_fetch_error(
    uow: UnitOfWork, file: EvidenceFile, *, error: str, at: datetime, policy: FetchPolicy
) -> EvidenceStatus:
    """A download failed: try again later, or give up (audited) after the attempts."""
    attempts = file.attempts + 1
    retry_at = policy.next_attempt(attempts, at)
    if retry_at is not None:
        uow.evidence.reschedule(file.id, attempts=attempts, next_attempt_at=retry_at, error=error)
        return EvidenceStatus.PENDING
    uow.evidence.mark_failed(file.id, attempts=attempts, error=error, at=at)
    uow.audit.record(
        actor="system",
        action="evidence_failed",
        entity="evidence_file",
        entity_id=str(file.id),
        detail={"incident_id": file.incident_id, "attempts": attempts, "error": error},
        at=at,
    )
    return EvidenceStatus.FAILED
