"""Evidence files are downloaded from Telegram into the office's store."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import timedelta
from pathlib import Path

from bot.app import EVIDENCE_KEY
from bot.config import Settings
from bot.delivery.evidence import EvidenceFetcher
from bot.runtime import Runtime
from domain.models import EvidenceFile, EvidenceRole, EvidenceStatus
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


async def _until_stored(runtime: Runtime) -> list[EvidenceFile]:
    async with asyncio.timeout(10):
        while True:
            files = _evidence(runtime)
            if files and all(f.status is EvidenceStatus.STORED for f in files):
                return files
            await asyncio.sleep(0.02)


async def test_the_running_bot_fetches_a_report_photo_without_being_asked(
    harness: Harness, runtime: Runtime
) -> None:
    # Woken by the transaction that committed the evidence row, not by a sweep a minute on.
    harness.api.files["photo-1"] = JPEG
    await _reported(harness, runtime)
    [file] = await _until_stored(runtime)
    assert file.sha256 == hashlib.sha256(JPEG).hexdigest()
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
