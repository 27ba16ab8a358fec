"""Evidence checks: type by first bytes, size limit, SHA-256, backoff, secrets kept out."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from domain.errors import InvalidInput
from domain.evidence import (
    EvidenceRefused,
    FetchPolicy,
    accept_document,
    check_file,
    record_received,
    safe_error,
    sniff,
    store_key,
)
from domain.models import EvidenceMedia, EvidenceRole, ReceivedFile
from domain.ports import UnitOfWork
from storage.evidence_store import LocalEvidenceStore

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 20
HEIC = b"\x00\x00\x00\x18ftypheic" + b"\x00" * 20
PDF = b"%PDF-1.7\n" + b"\x00" * 20
NOW = datetime(2026, 3, 5, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (WEBP, "image/webp"),
        (HEIC, "image/heic"),
        (PDF, "application/pdf"),
        (b"GIF89a" + b"\x00" * 10, None),
        (b"<html>", None),
    ],
)
def test_the_type_is_read_from_the_first_bytes(data: bytes, expected: str | None) -> None:
    assert sniff(data) == expected


def test_an_accepted_file_has_its_sha256_size_and_type() -> None:
    checked = check_file(JPEG)
    assert (checked.sha256, checked.size, checked.content_type) == (
        hashlib.sha256(JPEG).hexdigest(),
        len(JPEG),
        "image/jpeg",
    )


def test_a_file_too_large_or_of_another_type_is_refused_with_the_reason() -> None:
    with pytest.raises(EvidenceRefused, match="terlalu besar"):
        check_file(JPEG + b"\x00" * 100, max_bytes=100)
    with pytest.raises(EvidenceRefused, match="Jenis berkas"):
        check_file(b"MZ executable")
    with pytest.raises(EvidenceRefused, match="kosong"):
        check_file(b"")


def test_retries_wait_twice_as_long_each_time_then_give_up() -> None:
    policy = FetchPolicy(max_attempts=3, first_delay=timedelta(seconds=30))
    assert policy.next_attempt(1, NOW) == NOW + timedelta(seconds=30)
    assert policy.next_attempt(2, NOW) == NOW + timedelta(seconds=60)
    assert policy.next_attempt(3, NOW) is None


def test_an_error_never_carries_the_bot_token() -> None:
    token = "123456789:AAEabcdefghijklmnopqrstuvwxyz012345"
    text = safe_error(OSError(f"GET https://api.telegram.org/file/bot{token}/photos/1.jpg"))
    assert token not in text
    assert "OSError" in text


def test_the_local_store_keeps_the_same_bytes_once_under_their_hash(tmp_path: Path) -> None:
    store = LocalEvidenceStore(tmp_path)
    key = store.put(JPEG)
    again = store.put(JPEG)
    digest = hashlib.sha256(JPEG).hexdigest()
    assert key == again == store_key(digest) == f"{digest[:2]}/{digest}"
    assert store.get(key) == JPEG
    assert store.exists(key)
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()] == [key]
    with pytest.raises(KeyError):
        store.get(store_key("0" * 64))
    with pytest.raises(ValueError, match="SHA-256"):
        store.get("../etc/passwd")


# -- documents offered as evidence ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("berita-acara.pdf", None),
        ("FOTO.JPG", None),
        ("scan", "application/pdf"),
        ("IMG_0001.HEIC", "image/heif"),
        (None, "image/png"),
    ],
)
def test_a_picture_or_pdf_sent_as_a_file_may_be_evidence(
    name: str | None, mime: str | None
) -> None:
    accept_document(name, mime, 1000)  # no refusal


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("laporan.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("video.mp4", "video/mp4"),
        (None, None),
        ("tanpa-titik", "application/octet-stream"),
    ],
)
def test_other_documents_are_refused_in_words(name: str | None, mime: str | None) -> None:
    with pytest.raises(InvalidInput, match="tidak dapat menjadi bukti"):
        accept_document(name, mime, 1000)


def test_a_document_over_the_limit_is_refused_before_it_is_downloaded() -> None:
    accept_document("scan.pdf", None, 5 * 1024 * 1024, max_bytes=5 * 1024 * 1024)
    with pytest.raises(InvalidInput, match=r"terlalu besar \(5,0 MB, maksimal 5,0 MB\)"):
        accept_document("scan.pdf", None, 5 * 1024 * 1024 + 1, max_bytes=5 * 1024 * 1024)


class _Recording:
    """The evidence repository as record_received sees it: what it was handed."""

    def __init__(self) -> None:
        self.added: list[dict[str, Any]] = []

    def add_pending(self, **values: Any) -> Any:
        self.added.append(values)
        return values


def test_a_received_name_keeps_no_folder_and_no_control_characters() -> None:
    evidence = _Recording()
    uow = cast(UnitOfWork, SimpleNamespace(evidence=evidence))
    record_received(
        uow,
        incident_id=7,
        role=EvidenceRole.REPORT,
        files=[
            ReceivedFile("doc-1", "u-1", EvidenceMedia.DOCUMENT, "../../etc/\x00passwd\n.pdf"),
            ReceivedFile("photo-1", "u-2"),
            ReceivedFile("doc-2", None, EvidenceMedia.DOCUMENT, "\n"),
        ],
        at=NOW,
    )
    assert [(a["telegram_file_id"], a["media"], a["file_name"]) for a in evidence.added] == [
        ("doc-1", EvidenceMedia.DOCUMENT, "passwd.pdf"),
        ("photo-1", EvidenceMedia.PHOTO, None),
        ("doc-2", EvidenceMedia.DOCUMENT, "berkas"),
    ]
    assert [a["telegram_file_unique_id"] for a in evidence.added] == ["u-1", "u-2", None]
