"""/rtl in process: proposals after an SKM period, an admin confirms one with an owner and
a due date, the owner reports progress and completion, the figures follow; stale buttons,
strangers, bad dates, the weekly reminder of overdue items and the digest's line."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from bot.config import Settings
from bot.digest.reminders import ReminderService
from bot.digest.text import digest_messages
from bot.runtime import Runtime
from domain.digest import IsoWeek, weekly_digest
from domain.models import Role, Seksi, SkmResponse
from domain.rtl import RtlFigures, RtlStatus, SkmPeriod, rtl_report
from domain.skm import UNSUR
from tests.bot.conftest import ADMIN, WIB, Clock, add_user
from tests.bot.harness import Harness, Person

PELAYANAN = Person(800010, "Siti Aminah")
PMD = Person(800011, "Moh. Hasan")
STRANGER = Person(800099, "Orang Lain")
S1 = SkmPeriod(2026, "S1")
KEGIATAN = "Menambah loket kedua pada jam sibuk pelayanan KTP"


def _setup(runtime: Runtime) -> None:
    add_user(runtime, PELAYANAN, Role.STAF_SEKSI, seksi=Seksi.PELAYANAN, jabatan="Kasi Pelayanan")
    add_user(runtime, PMD, Role.STAF_SEKSI, seksi=Seksi.PMD, jabatan="Kasi PMD")
    kec = runtime.kecamatan()
    low = {"waktu": 1, "sarana": 2, "biaya": 2, "produk": 3}
    with runtime.uow() as uow:
        for day in (date(2026, 2, 10), date(2026, 5, 20)):
            uow.skm.add_response(SkmResponse(kec.id, day, {key: low.get(key, 4) for key in UNSUR}))
        uow.commit()


def _last_text(harness: Harness, person: Person) -> str:
    return harness.last(person).text


async def _plan_waktu(harness: Harness, due: str = "31-12-2026") -> None:
    await harness.send(ADMIN, "/rtl 2026 S1")
    await harness.press(ADMIN, "Tetapkan U3 Waktu Penyelesaian")
    await harness.send(ADMIN, KEGIATAN)
    await harness.press(ADMIN, PELAYANAN.name)
    await harness.send(ADMIN, due)
    await harness.press(ADMIN, "Simpan")


def _report(runtime: Runtime) -> tuple[list[tuple[str, str, str]], RtlFigures]:
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        report = rtl_report(uow, kecamatan_id=kec.id, skm_period=S1)
    return [(r.unsur, r.penanggung_jawab, r.status) for r in report.rows], report.figures


async def test_the_whole_path_from_proposal_to_done_and_the_figures(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _setup(runtime)
    await harness.send(ADMIN, "/rtl 2026 S1")
    shown = harness.last(ADMIN)
    assert "Semester 1 Tahun 2026" in shown.text
    assert "belum ada RTL" in shown.text
    assert shown.labels() == [
        "Tetapkan U3 Waktu Penyelesaian",
        "Tetapkan U4 Biaya/Tarif",
        "Tetapkan U9 Sarana dan Prasarana",
    ]
    await harness.press(ADMIN, "Tetapkan U3 Waktu Penyelesaian")
    await harness.send(ADMIN, "Rapat")  # too short: asked again
    assert any("terlalu singkat" in t for t in harness.texts(ADMIN)[-2:])
    await harness.send(ADMIN, KEGIATAN)
    owners = harness.with_buttons(ADMIN).labels()
    assert {ADMIN.name, PELAYANAN.name, PMD.name} <= set(owners)
    await harness.press(ADMIN, PELAYANAN.name)
    await harness.send(ADMIN, "31-12-2026")
    assert "31 Desember 2026" in _last_text(harness, ADMIN)
    await harness.press(ADMIN, "Simpan")
    assert "ditetapkan" in _last_text(harness, ADMIN)
    told = _last_text(harness, PELAYANAN)
    assert "penanggung jawab" in told
    assert KEGIATAN in told
    assert _report(runtime) == (
        [("U3 Waktu Penyelesaian", PELAYANAN.name, "Direncanakan")],
        RtlFigures(1, 0, 0),
    )
    # The proposal is gone from the admin's view; the item is listed.
    await harness.send(ADMIN, "/rtl 2026 S1")
    assert "Tetapkan U3 Waktu Penyelesaian" not in harness.last(ADMIN).labels()
    assert "0 dari 1 selesai (0,00%), 0 tepat waktu" in harness.last(ADMIN).text

    # The owner reports progress, then finishes.
    await harness.send(PELAYANAN, "/rtl")
    assert KEGIATAN in harness.with_buttons(PELAYANAN).text
    await harness.press(PELAYANAN, "Laporkan kemajuan")
    await harness.send(PELAYANAN, "Meja dan komputer loket kedua sudah dipasang")
    assert "Kemajuan RTL unsur U3" in _last_text(harness, PELAYANAN)
    assert "Meja dan komputer" in _last_text(harness, ADMIN)
    clock.now = datetime(2026, 12, 10, 9, 0, tzinfo=WIB)
    await harness.press(PELAYANAN, "Selesai")
    await harness.send(PELAYANAN, "Loket kedua melayani sejak 1 Desember")
    assert "selesai pada 10 Desember 2026, tepat waktu" in _last_text(harness, PELAYANAN)
    assert "diselesaikan oleh Siti Aminah" in _last_text(harness, ADMIN)
    assert _report(runtime) == (
        [("U3 Waktu Penyelesaian", PELAYANAN.name, "Selesai")],
        RtlFigures(1, 1, 1),
    )
    await harness.send(PELAYANAN, "/rtl")
    assert "tidak memegang RTL" in _last_text(harness, PELAYANAN)


async def test_a_stale_button_says_so_and_writes_nothing(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _plan_waktu(harness)
    await harness.send(PELAYANAN, "/rtl")
    card = harness.with_buttons(PELAYANAN)
    old_done = harness.data_of(card, "Selesai")
    await harness.press(PELAYANAN, "Laporkan kemajuan", message=card)
    await harness.send(PELAYANAN, "Sudah dibahas dalam rapat staf")
    # The card's Selesai was made for the item before the note: stale.
    await harness.press_data(PELAYANAN, old_done, card)
    assert "sudah berubah" in _last_text(harness, PELAYANAN)
    assert _report(runtime)[1] == RtlFigures(1, 0, 0)
    # A second Tetapkan from the first list: already planned, nothing stored twice.
    await harness.send(ADMIN, "/rtl 2026 S1")
    listing = harness.last(ADMIN)
    assert "Tetapkan U3 Waktu Penyelesaian" not in listing.labels()
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        assert len(uow.rtl.list_for_period(kec.id, 2026, "S1")) == 1


async def test_the_same_proposal_pressed_twice_is_stale_the_second_time(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await harness.send(ADMIN, "/rtl 2026 S1")
    first = harness.last(ADMIN)
    data = harness.data_of(first, "Tetapkan U3 Waktu Penyelesaian")
    await _plan_waktu(harness)
    await harness.press_data(ADMIN, data, first)
    assert "sudah tidak dapat ditetapkan" in _last_text(harness, ADMIN)
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        assert len(uow.rtl.list_for_period(kec.id, 2026, "S1")) == 1


async def test_strangers_and_non_admins_are_refused(harness: Harness, runtime: Runtime) -> None:
    _setup(runtime)
    await harness.send(STRANGER, "/rtl")
    assert "pengguna terdaftar" in _last_text(harness, STRANGER)
    await harness.send(ADMIN, "/rtl 2026 S1")
    data = harness.data_of(harness.last(ADMIN), "Tetapkan U3 Waktu Penyelesaian")
    # (A press answers in the chat of the pressed message.)
    await harness.press_data(PMD, data, harness.last(ADMIN))
    assert "ditetapkan oleh admin kecamatan" in _last_text(harness, ADMIN)
    await _plan_waktu(harness)
    await harness.send(PELAYANAN, "/rtl")
    card = harness.with_buttons(PELAYANAN)
    await harness.press_data(PMD, harness.data_of(card, "Selesai"), card)
    assert "dilaporkan oleh penanggung jawabnya" in _last_text(harness, PELAYANAN)
    assert _report(runtime)[1] == RtlFigures(1, 0, 0)


async def test_a_bad_or_early_due_date_is_explained_and_asked_again(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await harness.send(ADMIN, "/rtl 2026 S1")
    await harness.press(ADMIN, "Tetapkan U3 Waktu Penyelesaian")
    await harness.send(ADMIN, KEGIATAN)
    await harness.press(ADMIN, PELAYANAN.name)
    for typed, reason in (
        ("besok", "Format tanggal"),
        ("31-02-2026", "tidak ada di kalender"),
        ("30-06-2026", "sesudah akhir periode"),
        ("20-11-2026", "masa lalu"),
    ):
        await harness.send(ADMIN, typed)
        assert any(reason in t for t in harness.texts(ADMIN)[-2:]), typed
    await harness.send(ADMIN, "/rtl 2025 S3")
    assert any("S1, S2" in t for t in harness.texts(ADMIN)[-2:])
    assert _report(runtime)[1] == RtlFigures(0, 0, 0)


async def test_overdue_items_are_reminded_once_per_week(
    harness: Harness, runtime: Runtime, settings: Settings, clock: Clock
) -> None:
    _setup(runtime)
    await _plan_waktu(harness, due="30-11-2026")
    service = ReminderService(runtime, settings, harness.outbox)
    before = len(harness.texts(PELAYANAN))
    clock.now = datetime(2026, 12, 4, 14, 0, tzinfo=WIB)  # Friday after the due date
    await service.tick(harness.application.bot)
    await harness.settle()
    reminders = [t for t in harness.texts(PELAYANAN)[before:] if "Pengingat RTL SKM" in t]
    assert len(reminders) == 1
    assert "30 November 2026" in reminders[0]
    clock.now += timedelta(hours=3)
    await service.tick(harness.application.bot)
    await harness.settle()
    assert sum("Pengingat RTL SKM" in t for t in harness.texts(PELAYANAN)) == 1
    clock.now = datetime(2026, 12, 11, 14, 0, tzinfo=WIB)  # the next week: again
    await service.tick(harness.application.bot)
    await harness.settle()
    assert sum("Pengingat RTL SKM" in t for t in harness.texts(PELAYANAN)) == 2
    # Nobody else got an RTL reminder.
    assert not any("Pengingat RTL SKM" in t for t in harness.texts(PMD))


async def test_the_digest_has_one_rtl_line_once_an_item_exists(
    harness: Harness, runtime: Runtime, settings: Settings
) -> None:
    _setup(runtime)

    def digest_text() -> str:
        with runtime.uow() as uow:
            digest = weekly_digest(
                uow,
                kecamatan_code="35.28.08",
                week=IsoWeek.of(date(2026, 11, 25)),
                now=runtime.now(),
                overdue_days=settings.overdue_days,
                tz=settings.tz,
            )
        return "\n".join(digest_messages(digest, overdue_days=settings.overdue_days))

    assert "RTL SKM" not in digest_text()
    await _plan_waktu(harness)
    lines = [line for line in digest_text().splitlines() if "RTL SKM" in line]
    assert lines == ["RTL SKM Semester 1 Tahun 2026: 0 dari 1 selesai (0,00%), 0 tepat waktu"]
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        [item] = uow.rtl.list_for_period(kec.id, 2026, "S1")
    assert item.status is RtlStatus.DIRENCANAKAN


async def test_an_admin_cancels_with_a_reason_the_owner_is_told_and_the_unsur_is_proposed_again(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _plan_waktu(harness)
    await harness.send(PELAYANAN, "/rtl")
    card = harness.with_buttons(PELAYANAN)
    await harness.send(ADMIN, "/rtl 2026 S1")
    await harness.press(ADMIN, "Batalkan U3 Waktu Penyelesaian")
    await harness.send(ADMIN, "Diganti dengan antrean daring")
    assert "dibatalkan" in _last_text(harness, ADMIN)
    assert "Diganti dengan antrean daring" in _last_text(harness, PELAYANAN)
    assert _report(runtime) == (
        [("U3 Waktu Penyelesaian", PELAYANAN.name, "Dibatalkan: Diganti dengan antrean daring")],
        RtlFigures(0, 0, 0),
    )
    # The owner's card is stale now; the unsur may be planned again.
    await harness.press_data(PELAYANAN, harness.data_of(card, "Selesai"), card)
    assert "sudah ditutup" in _last_text(harness, PELAYANAN)
    await harness.send(ADMIN, "/rtl 2026 S1")
    assert "Tetapkan U3 Waktu Penyelesaian" in harness.last(ADMIN).labels()
    assert "Capaian: belum ada RTL" in harness.last(ADMIN).text


async def test_an_item_cancelled_while_its_owner_writes_the_note_stores_nothing(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _plan_waktu(harness)
    await harness.send(PELAYANAN, "/rtl")
    await harness.press(PELAYANAN, "Selesai")  # asks for the note
    await harness.send(ADMIN, "/rtl 2026 S1")
    await harness.press(ADMIN, "Batalkan U3 Waktu Penyelesaian")
    await harness.send(ADMIN, "Anggaran tidak tersedia tahun ini")
    await harness.send(PELAYANAN, "Loket kedua sudah melayani warga")
    assert "sudah berubah atau sudah ditutup" in _last_text(harness, PELAYANAN)
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        [item] = uow.rtl.list_for_period(kec.id, 2026, "S1")
        notes = uow.rtl.progress(item.id)
    assert (item.status, item.done_on) == (RtlStatus.DIBATALKAN, None)
    assert [n.status for n in notes] == [RtlStatus.DIBATALKAN]


async def test_a_forged_proposal_button_is_stale(harness: Harness, runtime: Runtime) -> None:
    _setup(runtime)
    await harness.send(ADMIN, "/rtl 2026 S1")
    listing = harness.last(ADMIN)
    for data in ("r:rtp:2026:S9:waktu", "r:rtp:2026:S1:rasa", "r:rtp:1999:S1:waktu"):
        await harness.press_data(ADMIN, data, listing)
    assert _report(runtime)[1] == RtlFigures(0, 0, 0)
    assert harness.last(ADMIN).text == listing.text  # nothing new was said


async def test_the_workbook_s_skm_sheet_shows_the_period_s_rtl_and_its_figures(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    _setup(runtime)
    await harness.send(ADMIN, "/ekspor 2026 semester 1")
    before = load_workbook(BytesIO(harness.last(ADMIN).content or b""))["SKM"]
    values = [c.value for row in before.iter_rows() for c in row if c.value is not None]
    assert "Rencana tindak lanjut (RTL) Semester 1 Tahun 2026: belum ada RTL" in values
    await _plan_waktu(harness)
    clock.now = datetime(2026, 12, 10, 9, 0, tzinfo=WIB)
    await harness.send(PELAYANAN, "/rtl")
    await harness.press(PELAYANAN, "Selesai")
    await harness.send(PELAYANAN, "Loket kedua melayani sejak 1 Desember")
    await harness.send(ADMIN, "/ekspor 2026 semester 1")
    sheet = load_workbook(BytesIO(harness.last(ADMIN).content or b""))["SKM"]
    rows: list[list[Any]] = [[c.value for c in row] for row in sheet.iter_rows()]
    title = (
        "Rencana tindak lanjut (RTL) Semester 1 Tahun 2026: "
        "1 dari 1 selesai (100,00%), 1 tepat waktu"
    )
    index = next(i for i, row in enumerate(rows) if row[0] == title)
    assert rows[index + 1] == [
        "Unsur",
        "Kegiatan",
        "Penanggung Jawab",
        "Batas Waktu",
        "Status",
        "Selesai Pada",
    ]
    assert rows[index + 2][:3] == ["U3", KEGIATAN, PELAYANAN.name]
    assert rows[index + 2][3].date() == date(2026, 12, 31)
    assert rows[index + 2][4] == "Selesai"
    assert rows[index + 2][5].date() == date(2026, 12, 10)
    # A period that is no SKM period (the year so far) shows no RTL block.
    await harness.send(ADMIN, "/ekspor")
    other = load_workbook(BytesIO(harness.last(ADMIN).content or b""))["SKM"]
    assert not any(
        isinstance(c.value, str) and c.value.startswith("Rencana tindak lanjut")
        for row in other.iter_rows()
        for c in row
    )
