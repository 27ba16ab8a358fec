"""Faults in-process: the outbox, redelivered updates, the database away, order per chat.

Every test runs on SQLite and PostgreSQL with the real application and the offline Bot
API, which can fail the next sends to a chat as Telegram would (5xx, 429, 403).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlmodel import col
from telegram import Chat, Message, PhotoSize, Update, User

from bot import texts
from bot.delivery.offline import message_update, press_update, process
from bot.delivery.outbox import OutboxSender
from bot.delivery.updates import ChatOrderedProcessor
from bot.runtime import Runtime
from domain.models import OutboxStatus, Role, Seksi
from storage.tables import AuditLogRow, IncidentRow, OutboxRow
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import add_user
from tests.bot.harness import Harness, Person

PERANGKAT = Person(810001, "Ahmad Fauzi")
KESBANG = Person(810002, "Hasan Basri")
PELTONG = "35.28.08.2001"

# PTB itself warns about ``retry_after`` becoming a timedelta when it builds RetryAfter.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def _setup(runtime: Runtime) -> None:
    add_user(runtime, PERANGKAT, Role.PERANGKAT_DESA, desa_kode=PELTONG, jabatan="Kasi Pem")
    add_user(runtime, KESBANG, Role.STAF_SEKSI, seksi=Seksi.KESBANG, jabatan="Kasi Kesbang")


def _incident_numbers(runtime: Runtime) -> list[str]:
    with runtime.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        return list(uow.session.scalars(select(col(IncidentRow.nomor))))


def _outbox(runtime: Runtime) -> list[OutboxRow]:
    with runtime.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        rows = list(uow.session.scalars(select(OutboxRow).order_by(col(OutboxRow.id))))
        uow.session.expunge_all()  # keep the loaded values after the unit of work ends
        return rows


def _quick(harness: Harness) -> list[float]:
    """Retries without real waiting; the waits asked for are recorded."""
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(round(seconds, 1))

    harness.outbox.sleep = sleep
    harness.outbox.retry_seconds = 0.5
    return waited


async def _to_summary(harness: Harness) -> None:
    await harness.send(PERANGKAT, "/lapor")
    await harness.press(PERANGKAT, "Konflik sosial")
    await harness.press(PERANGKAT, "Kemarin")
    await harness.press(PERANGKAT, "Potensi konflik")
    await harness.press(PERANGKAT, "Sengketa tanah/batas")
    await harness.send(PERANGKAT, "Dua keluarga berselisih soal batas tanah di Dusun Barat.")
    await harness.press(PERANGKAT, "Lewati")  # no location
    await harness.press(PERANGKAT, "Lewati")  # no photo
    assert "Periksa laporan Anda" in harness.last(PERANGKAT).text


def _nobody_told_it_failed(harness: Harness) -> None:
    for message in harness.api.messages:
        assert texts.ERROR not in message.text
        assert "coba lagi" not in message.text.lower()


# --- the outbox: a stored report always reaches the reporter and the staff -------------


@pytest.mark.parametrize(
    ("code", "description", "parameters"),
    [
        (502, "Bad Gateway", None),
        (500, "Internal Server Error", None),
        (429, "Too Many Requests: retry after 7", {"retry_after": 7}),
    ],
)
async def test_a_failed_confirmation_is_sent_again_and_the_card_still_goes_out(
    harness: Harness,
    runtime: Runtime,
    code: int,
    description: str,
    parameters: dict[str, Any] | None,
) -> None:
    _setup(runtime)
    waited = _quick(harness)
    await _to_summary(harness)
    harness.api.fail_next(PERANGKAT.id, code, description, parameters)
    await harness.press(PERANGKAT, "Kirim")
    assert _incident_numbers(runtime) == ["KS-352808-2026-0001"]
    confirmations = [t for t in harness.texts(PERANGKAT) if "KS-352808-2026-0001" in t]
    assert len(confirmations) == 1
    assert "KS-352808-2026-0001" in harness.last(KESBANG).text
    assert waited == ([7.0] if code == 429 else [0.5])
    _nobody_told_it_failed(harness)
    assert {row.status for row in _outbox(runtime)} == {OutboxStatus.SENT.value}


async def test_a_card_failing_several_times_waits_longer_each_time_and_keeps_its_order(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    waited = _quick(harness)
    await _to_summary(harness)
    harness.api.fail_next(KESBANG.id, 502, "Bad Gateway", times=3)
    await harness.press(PERANGKAT, "Kirim")
    assert waited == [0.5, 1.0, 2.0]
    [card] = list(harness.api.to_chat(KESBANG.id))
    assert "KS-352808-2026-0001" in card.text
    assert "Diproses" in card.labels()


async def test_a_staff_member_who_blocked_the_bot_is_logged_and_audited_and_nobody_waits(
    harness: Harness, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    _setup(runtime)
    await _to_summary(harness)
    harness.api.fail_for = {KESBANG.id}
    with caplog.at_level(logging.WARNING, logger="bot.delivery.outbox"):
        await harness.press(PERANGKAT, "Kirim")
    assert any("KS-352808-2026-0001" in t for t in harness.texts(PERANGKAT))
    failed = [row for row in _outbox(runtime) if row.status == OutboxStatus.FAILED.value]
    assert [row.chat_id for row in failed] == [KESBANG.id]
    assert failed[0].error is not None
    assert "Forbidden" in failed[0].error
    assert str(KESBANG.id) in caplog.text
    with runtime.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        audited = uow.session.scalars(
            select(col(AuditLogRow.entity_id)).where(col(AuditLogRow.action) == "pesan_gagal")
        ).all()
    assert list(audited) == [str(failed[0].id)]


async def test_telegram_message_ids_are_recorded_and_uploads_dropped_once_sent(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _to_summary(harness)
    await harness.press(PERANGKAT, "Kirim")
    rows = _outbox(runtime)
    sent_ids = {m.message_id for m in harness.api.messages}
    assert rows
    assert all(row.status == OutboxStatus.SENT.value for row in rows)
    assert {row.telegram_message_id for row in rows if row.kind != "edit"} <= sent_ids
    assert all(row.content is None for row in rows)


async def test_deliveries_are_recorded_in_batches_and_a_failed_record_is_written_later(
    harness: Harness, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    _setup(runtime)
    waited = _quick(harness)
    from storage.outbox import SqlOutboxRepository

    real = SqlOutboxRepository.mark_sent_many
    batches: list[int] = []
    failures = [1]

    def flaky(self: SqlOutboxRepository, sent: list[tuple[int, int | None]], **kw: Any) -> None:
        if failures:
            failures.pop()
            raise OperationalError("UPDATE outbox", {}, Exception("database is locked"))
        batches.append(len(sent))
        real(self, sent, **kw)

    monkeypatch.setattr(SqlOutboxRepository, "mark_sent_many", flaky)
    await _to_summary(harness)
    await harness.press(PERANGKAT, "Kirim")
    rows = _outbox(runtime)
    # The first record failed: written on the next try, every message once at Telegram.
    assert 0.5 in waited
    assert {row.status for row in rows} == {OutboxStatus.SENT.value}
    assert sum(batches) == len(rows)
    assert max(batches) > 1  # deliveries that came while a record was written share one
    confirmations = [t for t in harness.texts(PERANGKAT) if "KS-352808-2026-0001" in t]
    assert len(confirmations) == 1
    cards = [t for t in harness.texts(KESBANG) if "KS-352808-2026-0001" in t]
    assert len(cards) == 1


async def _until(check: Callable[[], bool], seconds: float = 10.0) -> None:
    """Wait until ``check()`` holds: it reads the fake's record or the database, which
    a worker thread writes, so there is nothing to await but time."""
    async with asyncio.timeout(seconds):
        while not check():  # noqa: ASYNC110
            await asyncio.sleep(0.01)


@pytest.mark.parametrize(
    ("quiet", "longest"),
    [(0.3, 60.0), (60.0, 0.3)],
    ids=["written-once-quiet", "written-at-the-longest-wait"],
)
async def test_deliveries_of_a_moment_are_recorded_together_after_the_record_delay(
    quiet: float,
    longest: float,
    harness: Harness,
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _setup(runtime)
    await _to_summary(harness)
    from storage.outbox import SqlOutboxRepository

    real = SqlOutboxRepository.mark_sent_many
    batches: list[int] = []

    def counted(self: SqlOutboxRepository, sent: list[tuple[int, int | None]], **kw: Any) -> None:
        batches.append(len(sent))
        real(self, sent, **kw)

    monkeypatch.setattr(SqlOutboxRepository, "mark_sent_many", counted)
    harness.outbox.record_quiet, harness.outbox.record_seconds = quiet, longest
    summary = harness.with_buttons(PERANGKAT)
    await process(
        harness.application, press_update(PERANGKAT.tg, summary, Harness.data_of(summary, "Kirim"))
    )
    await _until(lambda: any("KS-352808-2026-0001" in t for t in harness.texts(KESBANG)))
    # Telegram has them all; the record waits for the others of this moment.
    assert batches == []
    assert OutboxStatus.PENDING.value in {row.status for row in _outbox(runtime)}
    await _until(lambda: bool(batches))
    await _until(lambda: {row.status for row in _outbox(runtime)} == {OutboxStatus.SENT.value})
    assert len(batches) == 1  # the card, the confirmation and the edit: one transaction


async def test_a_drain_records_at_once_and_a_crash_before_the_record_sends_again_once(
    harness: Harness, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    _setup(runtime)
    harness.outbox.record_quiet = harness.outbox.record_seconds = 60.0  # only a drain writes
    await _to_summary(harness)  # each step drained: recorded at once
    assert {row.status for row in _outbox(runtime)} == {OutboxStatus.SENT.value}

    summary = harness.with_buttons(PERANGKAT)
    kirim = press_update(PERANGKAT.tg, summary, Harness.data_of(summary, "Kirim"))
    await process(harness.application, kirim)
    await _until(lambda: any("KS-352808-2026-0001" in t for t in harness.texts(KESBANG)))
    unrecorded = [row.id for row in _outbox(runtime) if row.status == OutboxStatus.PENDING.value]
    assert unrecorded  # delivered, the record still waiting
    # The process dies now: the records it held in memory are never written.
    monkeypatch.setattr(OutboxSender, "_save_sent", lambda self, batch: None)
    await harness.stop()
    monkeypatch.undo()
    await harness.start()
    harness.outbox.record_quiet = harness.outbox.record_seconds = 60.0
    async with asyncio.timeout(10):
        await harness.outbox.sweep()
        await harness.settle()
    # At least once: what was not recorded came again, once; the report is stored once.
    assert _incident_numbers(runtime) == ["KS-352808-2026-0001"]
    assert len([t for t in harness.texts(KESBANG) if "KS-352808-2026-0001" in t]) == 2
    assert len([t for t in harness.texts(PERANGKAT) if "KS-352808-2026-0001" in t]) == 2
    assert {row.status for row in _outbox(runtime)} == {OutboxStatus.SENT.value}
    await harness.feed(kirim)  # and Telegram's redelivery of the press changes nothing
    assert _incident_numbers(runtime) == ["KS-352808-2026-0001"]
    assert len([t for t in harness.texts(KESBANG) if "KS-352808-2026-0001" in t]) == 2


async def test_messages_committed_before_a_crash_are_delivered_after_the_restart(
    harness: Harness, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    _setup(runtime)
    await _to_summary(harness)
    # The process "dies" right after the commit: nothing committed is handed to a worker.
    monkeypatch.setattr(OutboxSender, "submit", lambda self, messages: None)
    await harness.press(PERANGKAT, "Kirim")
    assert _incident_numbers(runtime) == ["KS-352808-2026-0001"]
    assert not any("KS-352808-2026-0001" in t for t in harness.texts(PERANGKAT))
    monkeypatch.undo()
    await harness.restart()  # the sender's first sweep finds what is pending
    async with asyncio.timeout(10):
        await harness.outbox.sweep()  # what the start's own sweep does, awaited here
        await harness.settle()
    assert [t for t in harness.texts(PERANGKAT) if "KS-352808-2026-0001" in t]
    assert {row.status for row in _outbox(runtime)} == {OutboxStatus.SENT.value}


async def test_a_message_failing_past_the_maximum_age_is_given_up(
    harness: Harness, runtime: Runtime, clock: Any
) -> None:
    _setup(runtime)
    _quick(harness)
    await _to_summary(harness)
    harness.api.fail_next(KESBANG.id, 502, "Bad Gateway", times=100)
    real_sleep = harness.outbox.sleep

    async def sleep_and_age(seconds: float) -> None:
        await real_sleep(seconds)
        clock.now = clock.now + harness.outbox.max_age  # two days pass between tries

    harness.outbox.sleep = sleep_and_age
    await harness.press(PERANGKAT, "Kirim")
    [failed] = [row for row in _outbox(runtime) if row.status == OutboxStatus.FAILED.value]
    assert failed.chat_id == KESBANG.id
    assert failed.error is not None
    assert "terlalu lama" in failed.error


# --- redelivered updates change nothing and are not answered twice --------------------------


async def test_a_redelivered_kirim_stores_one_report_and_confirms_once(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _to_summary(harness)
    summary = harness.with_buttons(PERANGKAT)
    press = press_update(PERANGKAT.tg, summary, Harness.data_of(summary, "Kirim"))
    await harness.feed(press)
    before = len(harness.api.messages)
    answers = len([c for c in harness.api.calls if c.method == "answerCallbackQuery"])
    await harness.feed(press)  # Telegram delivers the same update again
    assert _incident_numbers(runtime) == ["KS-352808-2026-0001"]
    assert len(harness.api.messages) == before
    assert len([c for c in harness.api.calls if c.method == "answerCallbackQuery"]) == answers


async def test_the_same_photo_delivered_twice_is_stored_once(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await harness.send(PERANGKAT, "/lapor")
    await harness.press(PERANGKAT, "Konflik sosial")
    await harness.press(PERANGKAT, "Kemarin")
    await harness.press(PERANGKAT, "Potensi konflik")
    await harness.press(PERANGKAT, "Sengketa tanah/batas")
    await harness.send(PERANGKAT, "Dua keluarga berselisih soal batas tanah di Dusun Barat.")
    await harness.press(PERANGKAT, "Lewati")
    photo = message_update(
        PERANGKAT.tg, PERANGKAT.chat, photo=[PhotoSize("foto-1", "foto-1-u", 800, 600)]
    )
    await harness.feed(photo)
    await harness.feed(photo)
    await harness.press(PERANGKAT, "Selesai")
    assert "Foto: 1" in harness.last(PERANGKAT).text


async def test_a_redelivered_command_is_not_answered_twice(harness: Harness) -> None:
    person = Person(810099, "Warga")
    update = message_update(person.tg, person.chat, text="/bantuan")
    await harness.feed(update)
    await harness.feed(update)
    assert len(harness.texts(person)) == 1


# --- the database away ------------------------------------------------------------------------


async def test_the_database_away_is_explained_and_the_draft_kept(
    harness: Harness, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    _setup(runtime)
    await harness.send(PERANGKAT, "/lapor")
    await harness.press(PERANGKAT, "Konflik sosial")
    question = harness.last(PERANGKAT)
    real = Runtime.uow

    def unreachable(self: Runtime) -> Any:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(Runtime, "uow", unreachable)
    await process(harness.application, message_update(PERANGKAT.tg, PERANGKAT.chat, text="x"))
    assert harness.last(PERANGKAT).text == texts.DATABASE_DOWN
    monkeypatch.setattr(Runtime, "uow", real)
    # Back again: the conversation goes on at the same step.
    await harness.press(PERANGKAT, "Kemarin", message=question)
    assert "Potensi" in " ".join(harness.with_buttons(PERANGKAT).labels())


async def test_a_lost_connection_is_retried_within_the_update(
    harness: Harness, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Runtime.uow
    failures = [1]

    def flaky(self: Runtime) -> Any:
        if failures:
            failures.pop()
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))
        return real(self)

    monkeypatch.setattr(Runtime, "uow", flaky)
    person = Person(810098, "Warga")
    await harness.send(person, "/bantuan")
    assert harness.texts(person)
    assert harness.texts(person)[0] != texts.DATABASE_DOWN


# --- order per chat, chats side by side -------------------------------------------------------


async def test_updates_of_one_chat_run_in_order_and_other_chats_do_not_wait() -> None:
    processor = ChatOrderedProcessor()
    first_may_end = asyncio.Event()
    done: list[str] = []

    async def step(name: str, wait: asyncio.Event | None = None) -> None:
        if wait is not None:
            await wait.wait()
        done.append(name)

    def update(chat_id: int, update_id: int) -> Update:
        user = User(chat_id, "x", False)
        chat = Chat(chat_id, Chat.PRIVATE)
        message = Message(update_id, datetime.now(UTC), chat, from_user=user, text="x")
        return Update(update_id, message=message)

    a1 = asyncio.create_task(processor.process_update(update(1, 1), step("a1", first_may_end)))
    a2 = asyncio.create_task(processor.process_update(update(1, 2), step("a2")))
    b1 = asyncio.create_task(processor.process_update(update(2, 3), step("b1")))
    await b1
    assert done == ["b1"]  # chat 2 did not wait for chat 1's slow update
    await asyncio.sleep(0.01)
    assert done == ["b1"]  # chat 1's second update waits for its first
    first_may_end.set()
    await asyncio.gather(a1, a2)
    assert done == ["b1", "a1", "a2"]
