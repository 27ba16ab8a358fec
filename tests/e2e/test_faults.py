"""Proven over the wire: the real ``iku-bot`` process killed, cut off and fed twice.

Each test runs ``python -m bot`` behind the wire layer (tests/e2e/wire.py), which keeps
Telegram's getUpdates contract: an update the bot fetched but did not confirm (by asking
with a higher offset) is delivered again to the next process. The process is killed with
SIGKILL between updates or at a fail point (``IKU_FAILPOINTS``, bot/failpoints.py), or its
Bot API calls fail (502, 429 with retry_after, a hang past its read timeout). Each test
then reads the SQLite file and the users' chat histories in the emulator:

- what was stored is stored exactly once, and nothing the users did is lost;
- every message about a stored change arrives (at-least-once: a message Telegram got
  whose answer was lost may arrive twice; those duplicates are counted and reported in
  the session summary), and nobody is told of an error or a stale button about a change
  that was stored.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from bot import texts
from bot.runtime import Runtime
from domain.incidents import IncidentDraft, submit_incident
from domain.models import IncidentKind, KonflikStage, Role, Seksi, UserStatus
from tests.bot.conftest import add_user
from tests.e2e.conftest import ADMIN, FIGURES, BotMessage, Client, Person
from tests.e2e.process import BotProcess, Database, all_recorded
from tests.e2e.wire import FaultKind, WireServer

PERANGKAT = Person(710001, "Ahmad Fauzi")  # perangkat desa of Peltong: reports
KESBANG = Person(710002, "Hasan Basri")  # staf seksi Kesbang: follows conflicts up
APPLICANT = Person(710003, "Siti Aminah")  # waits for the admin's approval
PELTONG = "35.28.08.2001"
TRASAK = "35.28.08.2003"
DESCRIPTION = "Dua keluarga berselisih soal batas tanah tegalan di Dusun Barat."
NOTE = "Mediasi di balai desa bersama kedua keluarga."
NOMOR = re.compile(r"KS-\d{6}-\d{4}-\d{4}")
RESTART_WAIT = 20.0  # seconds for what a restarted process owes the users
RETRY_WAIT = 30.0  # seconds for a message whose first attempts fail
QUIET_AFTER_RETRY = 3.0  # seconds of silence that outlast the outbox's first retry delay (2 s)

ERROR_MARKS = ("terjadi kesalahan", "coba lagi", texts.ERROR)
STALE_MARKS = (
    texts.STALE_BUTTON,
    texts.STALE_NO_DRAFT,
    texts.STALE_RESUME.split("{", 1)[0],
    texts.CARD_CHANGED,
)


# -- set-up --------------------------------------------------------------------------------


def _officers(runtime: Runtime) -> None:
    add_user(runtime, PERANGKAT, Role.PERANGKAT_DESA, desa_kode=PELTONG, jabatan="Kasi Pem")
    add_user(runtime, KESBANG, Role.STAF_SEKSI, seksi=Seksi.KESBANG, jabatan="Kasi Kesbang")


def _seed_incident(runtime: Runtime) -> str:
    """A conflict reported by PERANGKAT, stored before the process starts; its number."""
    now = runtime.now()
    with runtime.uow() as uow:
        reporter = uow.users.get_by_telegram_id(PERANGKAT.id)
        desa = uow.desa.find_by_code(PELTONG)
        assert reporter is not None
        assert desa is not None
        incident = submit_incident(
            uow,
            reporter=reporter,
            draft=IncidentDraft(
                kind=IncidentKind.KONFLIK,
                desa_id=desa.id,
                event_date=now.date() - timedelta(days=1),
                category="tanah",
                description=DESCRIPTION,
                stage=KonflikStage.POTENSI,
            ),
            now=now,
            max_age_days=30,
        )
        uow.commit()  # the caller owns the transaction
    return incident.nomor


# -- conversations ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One answer of /lapor: what the bot asks (a part of its text) and what the user does."""

    asks: str
    answer: Callable[[Client, Person, BotMessage], Awaitable[None]]


def _press(label: str) -> Callable[[Client, Person, BotMessage], Awaitable[None]]:
    async def press(client: Client, person: Person, question: BotMessage) -> None:
        await client.press(person, question, label)

    return press


async def _describe(client: Client, person: Person, _: BotMessage) -> None:
    await client.send_message(person, DESCRIPTION)


LAPOR = (
    Step(texts.LAPOR_ASK_KIND, _press(IncidentKind.KONFLIK.label)),
    Step("Kapan kejadiannya?", _press(texts.YESTERDAY)),
    Step(texts.LAPOR_ASK_STAGE, _press(texts.STAGE_POTENSI)),
    Step(texts.LAPOR_ASK_CATEGORY, _press("Sengketa tanah/batas")),
    Step("Uraikan kejadiannya", _describe),
    Step("kirim lokasi kejadian", _press(texts.SKIP)),
    Step("Kirim foto kejadian", _press(texts.SKIP)),
)


async def _lapor(client: Client, person: Person) -> BotMessage:
    """/lapor answered all the way through; the summary with Kirim."""
    await client.send_command(person, "/lapor")
    for step in LAPOR:
        question = await client.expect(person, step.asks, wait=RESTART_WAIT)
        await step.answer(client, person, question)
    return await client.expect(person, texts.LAPOR_SUMMARY_HEADER)


def _update_of(wire: WireServer, token: str, test: Callable[[dict[str, Any]], bool]) -> int:
    """The id of the last update the bot was given that passes ``test``."""
    found = [u["update_id"] for u in wire.updates(token) if test(u)]
    assert found, "no such update reached the bot"
    return int(found[-1])


def _press_of(data_suffix: str) -> Callable[[dict[str, Any]], bool]:
    def test(update: dict[str, Any]) -> bool:
        query = update.get("callback_query") or {}
        return str(query.get("data", "")).endswith(data_suffix)

    return test


def _callback_id(wire: WireServer, token: str, update_id: int) -> str:
    update = next(u for u in wire.updates(token) if u["update_id"] == update_id)
    return str(update["callback_query"]["id"])


# -- what the users saw ------------------------------------------------------------------


async def _complaints(client: Client, wire: WireServer, token: str, *people: Person) -> list[str]:
    """Error and stale-button texts anyone was sent, shown or as a toast."""
    found = []
    for person in people:
        for message in await client.history(person.id):
            for mark in (*ERROR_MARKS, *STALE_MARKS):
                if mark in message.text:
                    found.append(f"{person.name}: {message.text[:100]}")
                    break
    for call in wire.calls(token, "answerCallbackQuery"):
        toast = str(call.parameters.get("text") or "")
        if toast and any(mark in toast for mark in (*ERROR_MARKS, *STALE_MARKS)):
            found.append(f"toast: {toast}")
    return found


async def _sent_number(client: Client, person: Person) -> str:
    """The tracking number the reporter was shown."""
    sent = await client.expect(person, "Laporan terkirim dengan nomor", wait=RESTART_WAIT)
    match = NOMOR.search(sent.text)
    assert match is not None, sent.text
    return match.group(0)


def _figure(name: str, **counts: object) -> None:
    FIGURES.append(f"{name}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))


# -- kill -9 between updates ---------------------------------------------------------------


async def test_killed_mid_conversation_the_report_continues_at_the_same_step(
    bot_process: BotProcess,
    client: Client,
    runtime: Runtime,
    database: Database,
    wire: WireServer,
    token: str,
) -> None:
    _officers(runtime)
    await bot_process.start()
    await client.send_command(PERANGKAT, "/lapor")
    for step in LAPOR[:2]:
        question = await client.expect(PERANGKAT, step.asks)
        await step.answer(client, PERANGKAT, question)
    stage_question = await client.expect(PERANGKAT, texts.LAPOR_ASK_STAGE)
    # Between updates, once the questions' deliveries are recorded (those not yet
    # recorded would be asked again after the restart: delivery is at least once).
    await all_recorded(database)

    bot_process.kill()  # between updates: the stage question was answered by the bot
    assert database.rows("SELECT flow, step FROM draft") == [("lapor", "stage")]
    await client.press(PERANGKAT, stage_question, texts.STAGE_POTENSI)  # while it is dead
    await bot_process.start()

    for step in LAPOR[3:]:
        question = await client.expect(PERANGKAT, step.asks, wait=RESTART_WAIT)
        await step.answer(client, PERANGKAT, question)
    summary = await client.expect(PERANGKAT, texts.LAPOR_SUMMARY_HEADER)
    assert "Tahap: Potensi konflik" in summary.text
    await client.press(PERANGKAT, summary, texts.SEND)
    nomor = await _sent_number(client, PERANGKAT)
    await client.expect(KESBANG, nomor)
    await client.quiet()

    assert [(n, s) for _, n, s in database.incidents()] == [(nomor, "baru")]
    assert database.count("draft") == 0
    for step in LAPOR:  # every question asked once: nothing answered twice after the restart
        assert await client.count(PERANGKAT, step.asks) == 1, step.asks
    assert await client.count(PERANGKAT, "Laporan terkirim") == 1
    assert await client.count(KESBANG, nomor) == 1
    assert await _complaints(client, wire, token, PERANGKAT, KESBANG) == []


# -- kill -9 at the commit of Kirim -------------------------------------------------------


@pytest.mark.parametrize("moment", ["before_commit", "after_commit"])
async def test_killed_at_the_commit_of_kirim_the_report_is_stored_and_told_once(
    moment: str,
    bot_process: BotProcess,
    client: Client,
    runtime: Runtime,
    database: Database,
    wire: WireServer,
    token: str,
) -> None:
    _officers(runtime)
    await bot_process.start([f"{moment}:step:lapor.summary"])
    summary = await _lapor(client, PERANGKAT)

    await client.press(PERANGKAT, summary, texts.SEND)
    assert await bot_process.died() == -9
    stored_at_death = len(database.incidents())
    kirim = _update_of(wire, token, _press_of(":summary:ok"))
    await bot_process.start()

    nomor = await _sent_number(client, PERANGKAT)
    card = await client.expect(KESBANG, nomor, wait=RESTART_WAIT)
    await client.quiet(1.5)

    deliveries = wire.deliveries(token).get(kirim, 0)
    _figure(
        f"kill at {moment}:step:lapor.summary",
        incidents=len(database.incidents()),
        kirim_delivered=deliveries,
        confirmations=await client.count(PERANGKAT, "Laporan terkirim"),
        cards=await client.count(KESBANG, nomor),
    )
    if moment == "before_commit":
        assert stored_at_death == 0  # the transaction never committed
        assert deliveries >= 2, "the press was confirmed before its change was stored"
    else:
        assert stored_at_death == 1
    assert [(n, s) for _, n, s in database.incidents()] == [(nomor, "baru")]
    assert await client.count(PERANGKAT, "Laporan terkirim") == 1
    assert await client.count(KESBANG, nomor) == 1
    assert texts.CARD_NEW in card.text
    assert "Diproses" in card.labels
    assert await _complaints(client, wire, token, PERANGKAT, KESBANG) == []
    answers = [
        c
        for c in wire.calls(token, "answerCallbackQuery")
        if c.parameters.get("callback_query_id") == _callback_id(wire, token, kirim)
    ]
    assert len([c for c in answers if c.status == 200]) <= 1


# -- kill -9 during a follow-up -----------------------------------------------------------


@pytest.mark.parametrize(
    "point",
    [
        "after_commit:btn:tl",
        "after_commit:step:tindaklanjut.note",
        "after_commit:step:tindaklanjut.proof",
    ],
)
async def test_killed_during_a_follow_up_the_change_is_stored_and_told_once(
    point: str,
    bot_process: BotProcess,
    client: Client,
    runtime: Runtime,
    database: Database,
    wire: WireServer,
    token: str,
) -> None:
    _officers(runtime)
    nomor = _seed_incident(runtime)
    ((incident_id, _, _),) = database.incidents()
    await bot_process.start([point])
    await client.send_command(KESBANG, f"/tindaklanjut {nomor}")
    card = await client.expect(KESBANG, nomor)

    async def press_diproses(card: BotMessage) -> None:
        await client.press(KESBANG, card, "Diproses")

    async def write_note(_: BotMessage) -> None:
        await client.send_message(KESBANG, NOTE)

    async def skip_proof(proof: BotMessage) -> None:
        await client.press(KESBANG, proof, texts.SKIP)

    # (fail point, what the staff member does, what they are asked or told next)
    stages: list[tuple[str, Callable[[BotMessage], Awaitable[None]], str]] = [
        ("after_commit:btn:tl", press_diproses, "Tulis catatannya"),
        ("after_commit:step:tindaklanjut.note", write_note, texts.FOLLOW_ASK_PROOF),
        ("after_commit:step:tindaklanjut.proof", skip_proof, "sekarang <b>Diproses</b>"),
    ]
    last = card
    for name, act, then in stages:
        await act(last)
        if name == point:
            assert await bot_process.died() == -9
            await bot_process.start()
        last = await client.expect(KESBANG, then, wait=RESTART_WAIT)
    notice = await client.expect(PERANGKAT, f"Laporan Anda {nomor}", wait=RESTART_WAIT)
    await client.quiet(1.5)

    changes = database.status_changes(incident_id, "diproses")
    notices = await client.count(PERANGKAT, f"Laporan Anda {nomor}")
    _figure(f"kill at {point}", status_changes=changes, notices=notices)
    assert changes == 1
    assert database.incidents() == [(incident_id, nomor, "diproses")]
    assert NOTE in notice.text
    assert notices == 1
    assert await client.count(KESBANG, "sekarang <b>Diproses</b>") == 1
    assert await client.count(KESBANG, "Tulis catatannya") == 1
    assert await _complaints(client, wire, token, PERANGKAT, KESBANG) == []


# -- kill -9 after Telegram got a message, before the outbox knew -------------------------


async def test_killed_after_a_send_the_message_may_come_twice_but_nothing_is_stored_twice(
    bot_process: BotProcess,
    client: Client,
    runtime: Runtime,
    database: Database,
    wire: WireServer,
    token: str,
) -> None:
    _officers(runtime)
    await bot_process.start()
    summary = await _lapor(client, PERANGKAT)
    # Delivery is at least once: a message Telegram has whose record is not yet written
    # would be sent again at the restart (and die there). Kill once all are recorded.
    await all_recorded(database)
    bot_process.kill()
    await bot_process.start(["outbox:after_send"])

    await client.press(PERANGKAT, summary, texts.SEND)
    assert await bot_process.died() == -9
    sent = [c for c in wire.calls(token) if c.method.startswith(("send", "edit")) and c.forwarded]
    in_flight = f"{sent[-1].method} to {sent[-1].chat_id}" if sent else "none"
    await bot_process.start()
    nomor = await _sent_number(client, PERANGKAT)
    await client.expect(KESBANG, nomor, wait=RESTART_WAIT)
    await client.quiet(1.5)

    confirmations = await client.count(PERANGKAT, "Laporan terkirim")
    cards = await client.count(KESBANG, nomor)
    _figure(
        "kill at outbox:after_send (Kirim)",
        last_call_before_death=in_flight,
        confirmations=confirmations,
        cards=cards,
        outbox_rows=dict(Counter(status for _, _, status, _ in database.outbox())),
    )
    assert [(n, s) for _, n, s in database.incidents()] == [(nomor, "baru")]
    assert 1 <= confirmations <= 2
    assert 1 <= cards <= 2
    assert confirmations + cards <= 3  # only the message in flight at the kill comes twice
    assert await _complaints(client, wire, token, PERANGKAT, KESBANG) == []


# -- transient failures of the Bot API ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Failure:
    kind: FaultKind
    deliver: bool = False  # hang only: Telegram got the message, the answer was lost

    @property
    def exactly_once(self) -> bool:
        """Whether a retry cannot duplicate: the failed attempt never reached Telegram."""
        return not self.deliver


FAILURES = {
    "502": Failure("502"),
    "429": Failure("429"),
    "timeout": Failure("hang"),
    "timeout-after-delivery": Failure("hang", deliver=True),
}


@pytest.mark.parametrize("failure_name", list(FAILURES))
async def test_every_message_about_a_stored_change_survives_a_transient_failure(
    failure_name: str,
    bot_process: BotProcess,
    client: Client,
    runtime: Runtime,
    database: Database,
    wire: WireServer,
    token: str,
) -> None:
    """Four messages, each behind one failure of its sendMessage; checked one by one.

    A chat's messages go out in order, so what follows a failed message in the same chat
    waits for its retry: every wait here allows for that.
    """
    failure = FAILURES[failure_name]
    _officers(runtime)
    add_user(runtime, ADMIN, Role.ADMIN, jabatan="Camat")
    add_user(
        runtime,
        APPLICANT,
        Role.PERANGKAT_DESA,
        desa_kode=TRASAK,
        status=UserStatus.PENDING,
        jabatan="Sekretaris Desa",
    )
    await bot_process.start()
    problems: list[str] = []
    counts: dict[str, int] = {}

    def fail_next(person: Person) -> None:
        wire.inject(
            token,
            "sendMessage",
            failure.kind,
            chat_id=person.id,
            retry_after=1,
            deliver=failure.deliver,
        )

    async def arrived(label: str, person: Person, contains: str) -> None:
        try:
            await client.expect(person, contains, wait=RETRY_WAIT)
        except AssertionError as error:
            problems.append(f"({label}) never arrived: {error}")

    # (a) the reporter's confirmation and (b) the card to Kesbang, each failing once.
    summary = await _lapor(client, PERANGKAT)
    fail_next(PERANGKAT)
    fail_next(KESBANG)
    await client.press(PERANGKAT, summary, texts.SEND)
    await arrived("a: confirmation", PERANGKAT, "Laporan terkirim dengan nomor")
    await arrived("b: card", KESBANG, texts.CARD_NEW)
    incidents = database.incidents()
    if len(incidents) != 1:
        problems.append(f"(a/b) incidents stored: {incidents}")
    nomor = incidents[0][1] if incidents else "KS-?"

    # (c) the reporter's notice of the follow-up.
    cards = [m for m in await client.history(KESBANG.id) if nomor in m.text and m.buttons]
    if cards:
        await client.press(KESBANG, cards[0], "Diproses")
        await client.expect(KESBANG, "Tulis catatannya", wait=RETRY_WAIT)
        await client.send_message(KESBANG, NOTE)
        proof = await client.expect(KESBANG, texts.FOLLOW_ASK_PROOF, wait=RETRY_WAIT)
        fail_next(PERANGKAT)
        await client.press(KESBANG, proof, texts.SKIP)
        await arrived("c: follow-up notice", PERANGKAT, f"Laporan Anda {nomor}")
        if incidents and database.status_changes(incidents[0][0], "diproses") != 1:
            problems.append("(c) status changes stored: not exactly one")
    else:
        problems.append("(c) not tried: Kesbang never got a card to press")

    # (d) the approval notice to the applicant.
    await client.send_command(ADMIN, "/pengguna")
    listing = await client.expect(ADMIN, APPLICANT.name, wait=RETRY_WAIT)
    fail_next(APPLICANT)
    await client.press(ADMIN, listing, next(x for x in listing.labels if texts.APPROVE in x))
    await arrived("d: approval notice", APPLICANT, "Pendaftaran Anda disetujui")
    status = database.value("SELECT status FROM app_user WHERE telegram_id = ?", APPLICANT.id)
    if status != UserStatus.ACTIVE.value:
        problems.append(f"(d) applicant's status: {status}")

    await _settled(wire, token)  # a hang that outlived the bot's timeout ends, retries run
    await client.quiet(QUIET_AFTER_RETRY)
    for label, person, contains in (
        ("a", PERANGKAT, "Laporan terkirim dengan nomor"),
        ("b", KESBANG, texts.CARD_NEW),
        ("c", PERANGKAT, f"Laporan Anda {nomor}"),
        ("d", APPLICANT, "Pendaftaran Anda disetujui"),
    ):
        counts[label] = await client.count(person, contains)
        if counts[label] > 1 and failure.exactly_once:
            problems.append(f"({label}) arrived {counts[label]} times")
    faults = [c for c in wire.calls(token, "sendMessage") if c.fault]
    if len(faults) != 4:
        problems.append(f"{len(faults)} of 4 faults were hit: {[c.describe() for c in faults]}")
    complaints = await _complaints(client, wire, token, PERANGKAT, KESBANG, ADMIN, APPLICANT)
    problems += [f"complaint: {c}" for c in complaints]
    _figure(
        f"transient {failure_name}",
        arrivals=counts,
        incidents=len(incidents),
        complaints=len(complaints),
    )
    assert problems == []


# -- the same update twice ------------------------------------------------------------------


async def test_a_photo_delivered_twice_is_stored_and_answered_once(
    bot_process: BotProcess,
    client: Client,
    runtime: Runtime,
    database: Database,
    wire: WireServer,
    token: str,
) -> None:
    _officers(runtime)
    await bot_process.start()
    await client.send_command(PERANGKAT, "/lapor")
    for step in LAPOR[:-1]:
        question = await client.expect(PERANGKAT, step.asks)
        await step.answer(client, PERANGKAT, question)
    await client.expect(PERANGKAT, "Kirim foto kejadian")
    await client.send_photo(PERANGKAT, "foto-kejadian-1")
    received = await client.expect(PERANGKAT, "Foto ke-1 diterima")
    photo = _update_of(wire, token, lambda u: "photo" in (u.get("message") or {}))

    wire.redeliver(token, photo)
    await _delivered_again(wire, token, photo)
    await client.quiet()
    await client.press(PERANGKAT, received, texts.DONE)
    summary = await client.expect(PERANGKAT, texts.LAPOR_SUMMARY_HEADER)
    await client.press(PERANGKAT, summary, texts.SEND)
    nomor = await _sent_number(client, PERANGKAT)
    await client.quiet()

    assert "Foto: 1" in summary.text
    assert await client.count(PERANGKAT, "Foto ke-") == 1
    ((incident_id, stored, _),) = database.incidents()
    assert stored == nomor
    assert database.count("incident_photo", "incident_id = ?", incident_id) == 1
    assert await _complaints(client, wire, token, PERANGKAT, KESBANG) == []


async def test_a_kirim_press_delivered_twice_is_stored_and_answered_once(
    bot_process: BotProcess,
    client: Client,
    runtime: Runtime,
    database: Database,
    wire: WireServer,
    token: str,
) -> None:
    _officers(runtime)
    await bot_process.start()
    summary = await _lapor(client, PERANGKAT)
    await client.press(PERANGKAT, summary, texts.SEND)
    nomor = await _sent_number(client, PERANGKAT)
    await client.expect(KESBANG, nomor)
    kirim = _update_of(wire, token, _press_of(":summary:ok"))

    wire.redeliver(token, kirim)
    await _delivered_again(wire, token, kirim)
    await client.quiet()

    assert [(n, s) for _, n, s in database.incidents()] == [(nomor, "baru")]
    assert await client.count(PERANGKAT, "Laporan terkirim") == 1
    assert await client.count(KESBANG, nomor) == 1
    assert await _complaints(client, wire, token, PERANGKAT, KESBANG) == []
    query = _callback_id(wire, token, kirim)
    answers = [
        c
        for c in wire.calls(token, "answerCallbackQuery")
        if c.parameters.get("callback_query_id") == query
    ]
    assert len(answers) == 1, [c.describe() for c in answers]


async def _settled(wire: WireServer, token: str) -> None:
    """Wait until no Bot API call of the bot is under way at the wire layer."""
    for _ in range(int(RETRY_WAIT / 0.05)):
        if wire.busy(token) == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"calls still under way after {RETRY_WAIT} s")


async def _delivered_again(wire: WireServer, token: str, update_id: int) -> None:
    """Wait until the bot has fetched ``update_id`` a second time."""
    for _ in range(200):
        if wire.deliveries(token).get(update_id, 0) >= 2:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"update {update_id} was not fetched again")
