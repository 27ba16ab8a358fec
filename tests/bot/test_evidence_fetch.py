"""Evidence files are downloaded from Telegram into the office's store."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import EVIDENCE_KEY
from bot.config import Settings
from bot.delivery.evidence import EvidenceFetcher
from bot.runtime import Runtime
from domain.models import EvidenceFile, EvidenceMedia, EvidenceRole, EvidenceStatus
from storage.evidence_store import LocalEvidenceStore
from tests.bot.conftest import Clock
from tests.bot.harness import TOKEN, Harness
from tests.bot.test_incidents import KESBANG, PERANGKAT, _incidents, _report_konflik, _setup

# A small JPEG (the first bytes are what makes it one) and bytes of no kept type.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
TEXT = b"just some text, not a photo"


def _fetcher(harness: Harness) -> EvidenceFetcher:
    fetcher: EvidenceFetcher = harness.application.bot_data[EVIDENCE_KEY]
    return fetcher


def _stored_files(settings: Settings) -> list[Path]:
    root = Path(settings.evidence_dir)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _evidence(runtime: Runtime) -> list[EvidenceFile]:
    [incident] = _incidents(runtime)
    with runtime.uow() as uow:
        return uow.evidence.for_incident(incident.id)


async def _reported(harness: Harness, runtime: Runtime) -> None:
    _setup(runtime)
    await _report_konflik(harness)  # its photo is "photo-1"
    await harness.press(PERANGKAT, "Kirim")
    await harness.settle()


async def test_a_reported_photo_ends_in_the_store_with_its_sha256(
    harness: Harness, runtime: Runtime, settings: Settings
) -> None:
    harness.api.files["photo-1"] = JPEG
    await _reported(harness, runtime)
    await _fetcher(harness).fetch_due()
    [file] = _evidence(runtime)
    assert file.status is EvidenceStatus.STORED
    assert file.role is EvidenceRole.REPORT
    assert file.telegram_file_id == "photo-1"  # the Telegram file id is kept too
    assert file.sha256 == hashlib.sha256(JPEG).hexdigest()
    assert file.size == len(JPEG)
    assert file.content_type == "image/jpeg"
    assert file.store_key is not None
    store = LocalEvidenceStore(settings.evidence_dir)
    assert store.get(file.store_key) == JPEG
    assert (Path(settings.evidence_dir) / file.store_key).read_bytes() == JPEG


async def test_a_file_of_another_type_is_rejected_and_not_stored(
    harness: Harness, runtime: Runtime, settings: Settings
) -> None:
    harness.api.files["photo-1"] = TEXT
    await _reported(harness, runtime)
    await _fetcher(harness).fetch_due()
    [file] = _evidence(runtime)
    assert file.status is EvidenceStatus.REJECTED
    assert file.last_error is not None
    assert "Jenis berkas" in file.last_error
    assert file.store_key is None
    assert _stored_files(settings) == []
    assert await _fetcher(harness).fetch_due() == 0  # never retried


async def test_a_file_over_the_size_limit_is_rejected(
    harness: Harness, runtime: Runtime, settings: Settings
) -> None:
    harness.api.files["photo-1"] = JPEG + b"\0" * (settings.evidence_max_mb * 1024 * 1024)
    await _reported(harness, runtime)
    await _fetcher(harness).fetch_due()
    [file] = _evidence(runtime)
    assert file.status is EvidenceStatus.REJECTED
    assert file.last_error is not None
    assert "terlalu besar" in file.last_error
    assert file.sha256 is None


async def test_a_failing_download_is_retried_then_stored(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    await _reported(harness, runtime)  # Telegram does not serve the file yet
    fetcher = _fetcher(harness)
    await fetcher.fetch_due()
    [file] = _evidence(runtime)
    assert file.status is EvidenceStatus.PENDING
    assert file.attempts == 1
    assert file.last_error is not None
    assert TOKEN not in file.last_error
    assert await fetcher.fetch_due() == 0  # not due before its pause is over
    harness.api.files["photo-1"] = JPEG
    clock.now += timedelta(minutes=5)
    assert await fetcher.fetch_due() == 1
    [file] = _evidence(runtime)
    assert file.status is EvidenceStatus.STORED
    assert file.sha256 == hashlib.sha256(JPEG).hexdigest()


async def test_after_a_restart_pending_files_are_fetched(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    await _reported(harness, runtime)
    await _fetcher(harness).fetch_due()
    await harness.stop()
    assert _evidence(runtime)[0].status is EvidenceStatus.PENDING
    harness.api.files["photo-1"] = JPEG
    clock.now += timedelta(minutes=5)
    await harness.start()  # a new process: its fetcher starts on what is pending
    await _fetcher(harness).fetch_due()
    [file] = _evidence(runtime)
    assert file.status is EvidenceStatus.STORED
    assert any(call.method == "getFile" for call in harness.api.calls)


async def test_the_case_photo_is_shown_from_the_store_once_stored(
    harness: Harness, runtime: Runtime
) -> None:
    harness.api.files["photo-1"] = JPEG
    await _reported(harness, runtime)
    await _fetcher(harness).fetch_due()
    card = harness.with_buttons(KESBANG)
    await harness.press(KESBANG, "Lihat foto/lokasi", message=card)
    await harness.settle()
    [photo] = [m for m in harness.api.messages if m.chat_id == KESBANG.id and m.kind == "photo"]
    assert photo.content == JPEG  # the stored bytes were uploaded, not the file id


async def _until(
    runtime: Runtime, done: Callable[[list[EvidenceFile]], bool]
) -> list[EvidenceFile]:
    """The case's files once ``done`` holds for them (the running fetcher is at work)."""
    async with asyncio.timeout(10):
        while True:
            files = _evidence(runtime)
            if files and done(files):
                return files
            await asyncio.sleep(0.02)


async def _until_stored(runtime: Runtime) -> list[EvidenceFile]:
    return await _until(
        runtime, lambda files: all(f.status is EvidenceStatus.STORED for f in files)
    )


async def test_the_running_bot_fetches_a_report_photo_without_being_asked(
    harness: Harness, runtime: Runtime
) -> None:
    # Woken by the transaction that committed the evidence row, not by a sweep a minute on.
    harness.api.files["photo-1"] = JPEG
    await _reported(harness, runtime)
    [file] = await _until_stored(runtime)
    assert file.sha256 == hashlib.sha256(JPEG).hexdigest()
    # The fetcher counts a file once its commit has come back to the event loop, a moment
    # after the row reads as stored.
    async with asyncio.timeout(10):
        while True:
            if _fetcher(harness).stored >= 1:
                break
            await asyncio.sleep(0.01)
    assert _fetcher(harness).stored == 1


async def test_only_a_transaction_that_recorded_evidence_wakes_the_fetcher(
    harness: Harness, runtime: Runtime
) -> None:
    woken: list[bool] = []

    class Recording(asyncio.Event):
        def set(self) -> None:
            woken.append(True)
            super().set()

    _fetcher(harness)._wake = Recording()
    _setup(runtime)
    await harness.send(PERANGKAT, "/bantuan")
    await harness.send(PERANGKAT, "/kasus")
    assert woken == []  # no query of the evidence table on an ordinary update
    await _report_konflik(harness)
    assert woken == []  # the photo is in the draft; nothing is recorded before "Kirim"
    await harness.press(PERANGKAT, "Kirim")
    assert woken == [True]  # the report's submission, with its photo


async def test_a_stop_right_after_a_wake_ends(harness: Harness, runtime: Runtime) -> None:
    # A wake and a cancel in the same step once left the loop running for ever (stop hung).
    for _ in range(20):
        fetcher = _fetcher(harness)
        fetcher.wake()
        async with asyncio.timeout(10):
            await harness.stop()
        await harness.start()


# -- documents --------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


async def _report_with(harness: Harness, send: Callable[[], Awaitable[None]]) -> None:
    await harness.send(PERANGKAT, "/lapor")
    await harness.press(PERANGKAT, "Konflik sosial")
    await harness.press(PERANGKAT, "Kemarin")
    await harness.press(PERANGKAT, "Potensi konflik")
    await harness.press(PERANGKAT, "Sengketa tanah/batas")
    await harness.send(PERANGKAT, "Dua keluarga berselisih soal batas tanah tegalan.")
    await harness.press(PERANGKAT, "Lewati")  # no location
    await send()


async def test_a_pdf_sent_with_a_report_is_kept_as_a_document_and_shown_as_one(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _setup(runtime)

    async def send() -> None:
        await harness.send_document(PERANGKAT, "berita-acara.pdf", PDF, file_id="doc-ba")

    await _report_with(harness, send)
    assert "Berkas ke-1 (berita-acara.pdf) diterima" in harness.last(PERANGKAT).text
    del harness.api.files["doc-ba"]  # Telegram does not serve it yet: it stays pending
    await harness.send_photo(PERANGKAT, "photo-1")
    await harness.press(PERANGKAT, "Selesai")
    await harness.press(PERANGKAT, "Kirim")
    await harness.settle()
    await _until(runtime, lambda files: all(f.attempts == 1 for f in files))  # tried, failed
    # Before the download: the document goes by its file id, as a document.
    card = harness.with_buttons(KESBANG)
    await harness.press(KESBANG, "Lihat foto/lokasi", message=card)
    await harness.settle()
    shown = [m for m in harness.api.messages if m.chat_id == KESBANG.id and m.kind != "text"]
    assert [m.kind for m in shown] == ["document", "photo"]
    assert shown[0].content is None
    harness.api.files["photo-1"] = JPEG
    harness.api.files["doc-ba"] = PDF
    clock.now += timedelta(minutes=5)  # past the pause after the failed first try
    await _fetcher(harness).fetch_due()
    document, photo = await _until_stored(runtime)
    assert document.media is EvidenceMedia.DOCUMENT
    assert document.file_name == "berita-acara.pdf"
    assert document.telegram_file_unique_id == "doc-ba-u"
    assert document.content_type == "application/pdf"
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert photo.media is EvidenceMedia.PHOTO
    assert photo.telegram_file_unique_id == "photo-1-u"
    # Once stored: uploaded from the store, the PDF as a document under its own name.
    before = len(harness.api.messages)
    await harness.press(KESBANG, "Lihat foto/lokasi", message=card)
    await harness.settle()
    again = [m for m in harness.api.messages[before:] if m.chat_id == KESBANG.id]
    files = [m for m in again if m.kind != "text"]
    assert [(m.kind, m.content) for m in files] == [("document", PDF), ("photo", JPEG)]
    assert files[0].file_name == "berita-acara.pdf"
    assert "KS-352808-2026-0001 - berkas 1: berita-acara.pdf" in [m.text for m in again]


@pytest.mark.parametrize(
    ("name", "size", "said"),
    [
        ("laporan.docx", 2000, "tidak dapat menjadi bukti"),
        ("rekaman.mp4", 2000, "tidak dapat menjadi bukti"),
        ("scan.pdf", 25 * 1024 * 1024, "Berkas terlalu besar (25,0 MB, maksimal 20,0 MB)"),
    ],
)
async def test_a_document_that_cannot_be_evidence_is_refused_in_words(
    harness: Harness, runtime: Runtime, name: str, size: int, said: str
) -> None:
    _setup(runtime)

    async def send() -> None:
        await harness.send_document(PERANGKAT, name, b"%PDF" + b"\0" * (size - 4))

    await _report_with(harness, send)
    assert said in harness.texts(PERANGKAT)[-2]
    assert "Kirim foto kejadian" in harness.last(PERANGKAT).text  # asked again, none kept
    await harness.press(PERANGKAT, "Lewati")
    await harness.press(PERANGKAT, "Kirim")
    [incident] = _incidents(runtime)
    assert incident.photo_file_ids == ()
    assert _evidence(runtime) == []


async def test_a_pdf_proof_of_handling_is_recorded_with_the_follow_up(
    harness: Harness, runtime: Runtime
) -> None:
    harness.api.files["photo-1"] = JPEG
    harness.api.files["doc-proof"] = PDF
    await _reported(harness, runtime)
    card = harness.with_buttons(KESBANG)
    await harness.press(KESBANG, "Tertangani", message=card)
    await harness.send(KESBANG, "Dimediasi di balai desa, kedua pihak sepakat.")
    await harness.send_document(KESBANG, "berita acara.pdf", PDF, file_id="doc-proof")
    assert "Tertangani" in harness.texts(KESBANG)[-1]
    files = await _until_stored(runtime)
    proof = next(f for f in files if f.role is EvidenceRole.PROOF)
    assert proof.media is EvidenceMedia.DOCUMENT
    assert proof.file_name == "berita acara.pdf"
    assert proof.event_id is not None
    assert proof.sha256 == hashlib.sha256(PDF).hexdigest()
