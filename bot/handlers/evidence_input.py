"""A photo or document sent as evidence (in /lapor and as the proof of a follow-up)."""

from __future__ import annotations

from bot.conversation import Ctx, Input, InputKind
from domain.evidence import accept_document
from domain.models import EvidenceMedia, ReceivedFile

__all__ = ["received_file", "dump_received", "load_received"]

MB = 1024 * 1024


def received_file(ctx: Ctx, given: Input) -> ReceivedFile | None:
    """The evidence in an answer, or None when it carries none.

    A document that cannot be evidence (its name and declared type are no picture or PDF,
    or it is over EVIDENCE_MAX_MB) is refused in words before anything is kept; what is
    kept is checked again by its bytes once downloaded.
    """
    if given.file_id is None:
        return None
    if given.kind is InputKind.PHOTO:
        return ReceivedFile(given.file_id, given.file_unique_id)
    if given.kind is InputKind.DOCUMENT:
        max_bytes = ctx.services.settings.evidence_max_mb * MB
        accept_document(given.file_name, given.mime_type, given.file_size, max_bytes=max_bytes)
        return ReceivedFile(
            given.file_id,
            given.file_unique_id,
            EvidenceMedia.DOCUMENT,
            given.file_name or "berkas",
        )
    return None


def dump_received(file: ReceivedFile) -> list[str]:
    """A received file as a draft keeps it (JSON: strings only)."""
    return [file.file_id, file.unique_id or "", file.media.value, file.file_name or ""]


def load_received(stored: list[str]) -> ReceivedFile:
    """A received file from a draft."""
    file_id, unique_id, media, name = [*stored, "", "", ""][:4]
    return ReceivedFile(file_id, unique_id or None, EvidenceMedia(media or "foto"), name or None)
