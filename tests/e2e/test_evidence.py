"""Over the wire: report photos downloaded by the real process into the evidence store.

The real ``iku-bot`` process (behind tests/e2e/wire.py, which answers ``getFile`` and serves
the files as Telegram's file server does) receives photos in /lapor; its evidence fetcher
downloads each one, checks it and stores it under ``EVIDENCE_DIR`` (``data/bukti`` in the
process's working folder) by its SHA-256. The test reads the SQLite file and the folder.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import time

from PIL import Image

from bot import texts
from bot.runtime import Runtime
from domain.models import Role
from tests.bot.conftest import add_user
from tests.e2e.conftest import Client, Person
from tests.e2e.process import BotProcess, Database
from tests.e2e.test_faults import LAPOR, PERANGKAT, _officers, _sent_number
from tests.e2e.wire import WireServer

SECOND = Person(710011, "Nur Hasanah")  # perangkat desa of Trasak: reports too
TRASAK = "35.28.08.2003"
STORED_WAIT = 30.0  # seconds for the fetcher to download and store what was reported


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    """A small real JPEG of one colour (each colour gives other bytes)."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


async def _report_with_photos(client: Client, person: Person, photos: list[str]) -> str:
    """/lapor answered to the photo step, ``photos`` sent, Selesai, Kirim; the number."""
    await client.send_command(person, "/lapor")
    for step in LAPOR[:-1]:
        question = await client.expect(person, step.asks)
        await step.answer(client, person, question)
    await client.expect(person, "Kirim foto kejadian")
    received = None
    for number, file_id in enumerate(photos, start=1):
        await client.send_photo(person, file_id)
        received = await client.expect(person, f"Foto ke-{number} diterima")
    assert received is not None
    await client.press(person, received, texts.DONE)
    summary = await client.expect(person, texts.LAPOR_SUMMARY_HEADER)
    assert f"Foto: {len(photos)}" in summary.text
    await client.press(person, summary, texts.SEND)
    return await _sent_number(client, person)


async def _all_stored(database: Database, expected: int) -> list[tuple[str, str, str, str]]:
    """(nomor, file id, status, sha256) of every evidence row, once ``expected`` are stored."""
    deadline = time.monotonic() + STORED_WAIT
    while True:
        rows = [
            (str(r[0]), str(r[1]), str(r[2]), str(r[3]))
            for r in database.rows(
                "SELECT i.nomor, e.telegram_file_id, e.status, e.sha256 FROM evidence_file e "
                "JOIN incident i ON i.id = e.incident_id ORDER BY e.id"
            )
        ]
        stored = sum(status == "stored" for _, _, status, _ in rows)
        if stored >= expected or time.monotonic() >= deadline:
            return rows
        await asyncio.sleep(0.2)


async def test_report_photos_are_stored_per_incident_with_their_sha256(
    bot_process: BotProcess,
    client: Client,
    runtime: Runtime,
    database: Database,
    wire: WireServer,
) -> None:
    _officers(runtime)
    add_user(runtime, SECOND, Role.PERANGKAT_DESA, desa_kode=TRASAK, jabatan="Kasi Pem")
    red, green = _jpeg((200, 30, 30)), _jpeg((30, 200, 30))
    # The same picture sent by both officers: two records, one file in the store.
    files = {"bukti-merah": red, "bukti-hijau": green, "bukti-merah-lagi": red}
    for file_id, content in files.items():
        wire.add_file(file_id, content)
    await bot_process.start()

    first = await _report_with_photos(client, PERANGKAT, ["bukti-merah", "bukti-hijau"])
    second = await _report_with_photos(client, SECOND, ["bukti-merah-lagi"])
    rows = await _all_stored(database, 3)

    sha = {file_id: hashlib.sha256(content).hexdigest() for file_id, content in files.items()}
    assert rows == [
        (first, "bukti-merah", "stored", sha["bukti-merah"]),
        (first, "bukti-hijau", "stored", sha["bukti-hijau"]),
        (second, "bukti-merah-lagi", "stored", sha["bukti-merah-lagi"]),
    ]
    store = bot_process.workdir / "data" / "bukti"
    kept = sorted(p for p in store.rglob("*") if p.is_file())
    assert [p.relative_to(store).as_posix() for p in kept] == sorted(
        f"{h[:2]}/{h}" for h in {sha["bukti-merah"], sha["bukti-hijau"]}
    )
    for path in kept:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name
    # The Telegram file id stays beside the stored file; each was downloaded once.
    assert [wire.downloads(file_id) for file_id in files] == [1, 1, 1]
    with runtime.uow() as uow:
        incident = uow.incidents.get_by_nomor(first)
        assert incident is not None
        assert list(incident.photo_file_ids) == ["bukti-merah", "bukti-hijau"]
