"""The conversation engine itself, with a toy three-question flow on a real database.

No feature of the bot is involved: a registry with one flow ("toy": name, age, city,
then a summary) and one record button, run through :meth:`Engine.run_sync` exactly as
the Telegram adapter runs an update. Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import count

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from bot import texts
from bot.config import Settings
from bot.conversation import (
    Button,
    CommandSpec,
    Ctx,
    Flow,
    Input,
    InputKind,
    RecordButton,
    Registry,
    StaleButton,
    Step,
    confirm_keyboard,
    confirmed,
)
from bot.conversation.callbacks import decode
from bot.conversation.context import Incoming, Services
from bot.conversation.engine import Engine, Outcome
from bot.delivery.outbox import OutboxSender
from bot.runtime import Runtime, open_runtime
from domain.errors import InvalidInput
from domain.models import Draft, UpdateKey
from storage.tables import AuditLogRow

CHAT = 5551


class ToyStep(enum.StrEnum):
    NAME = "name"
    AGE = "age"
    CITY = "city"
    SUMMARY = "summary"
    WHICH = "which"


@dataclass(slots=True)
class ToyAnswers:
    name: str | None = None
    age: int | None = None
    city: str | None = None


def _a(ctx: Ctx) -> ToyAnswers:
    return ctx.answers(ToyAnswers)


def _name(ctx: Ctx, given: Input) -> None:
    _a(ctx).name = given.text
    ctx.next()


def _age(ctx: Ctx, given: Input) -> None:
    if given.text == "back":
        ctx.back()
        return
    if not given.text.isdigit():
        raise InvalidInput("Umur harus angka.")
    _a(ctx).age = int(given.text)
    ctx.next()


def _city(ctx: Ctx, given: Input) -> None:
    if given.text == "back":
        ctx.back()
        return
    _a(ctx).city = given.text
    ctx.next()


def _summary_prompt(ctx: Ctx) -> None:
    a = _a(ctx)
    ctx.say(f"RINGKASAN {a.name}/{a.age}/{a.city}", confirm_keyboard("Kirim"))


def _summary(ctx: Ctx, given: Input) -> None:
    if not confirmed(ctx, given, edit_step=ToyStep.WHICH):
        return
    a = _a(ctx)
    ctx.uow.audit.record(actor="toy", action="toy_sent", entity="toy", detail={"nama": a.name})
    ctx.end()
    ctx.say("TERKIRIM")


def _which_prompt(ctx: Ctx) -> None:
    ctx.say("UBAH?", [[Button(label, step.value) for step, label in TOY.changeable(ctx)]])


def _which(ctx: Ctx, given: Input) -> None:
    ctx.change(given.text)


def _ask(text: str) -> Callable[[Ctx], None]:
    def prompt(ctx: Ctx) -> None:
        ctx.say(text)

    return prompt


TOY: Flow[ToyStep, ToyAnswers] = Flow(
    name="toy",
    title="isian mainan",
    answers=ToyAnswers,
    order=(ToyStep.NAME, ToyStep.AGE, ToyStep.CITY),
    summary=ToyStep.SUMMARY,
    steps={
        ToyStep.NAME: Step(
            _ask("NAMA?"),
            _name,
            frozenset({InputKind.TEXT}),
            label="Nama",
            answered=lambda a: a.name is not None,
        ),
        # Skipped, forwards and backwards, for the anonymous.
        ToyStep.AGE: Step(
            _ask("UMUR?"),
            _age,
            frozenset({InputKind.TEXT, InputKind.CHOICE}),
            label="Umur",
            applies=lambda ctx: _a(ctx).name != "anonim",
            answered=lambda a: a.age is not None,
        ),
        ToyStep.CITY: Step(
            _ask("KOTA?"),
            _city,
            frozenset({InputKind.TEXT, InputKind.CHOICE}),
            label="Kota",
            answered=lambda a: a.city is not None,
        ),
        ToyStep.SUMMARY: Step(_summary_prompt, _summary),
        ToyStep.WHICH: Step(_which_prompt, _which),
    },
)


@dataclass(frozen=True, slots=True)
class Ping(RecordButton):
    kind = "pg"
    number: int
    level: ToyStep


PINGED: list[Ping] = []


def _ping(ctx: Ctx, pressed: Ping) -> None:
    if pressed.number == 0:
        raise StaleButton("KARTU SEKARANG")
    PINGED.append(pressed)
    ctx.say(f"PING {pressed.number}")


def _registry() -> Registry:
    registry = Registry()
    registry.flow(TOY)
    registry.command(CommandSpec("toy", lambda ctx, args: ctx.start(TOY), "Mainan"))
    registry.button(Ping, _ping)
    return registry


class Bench:
    """The engine with the toy registry, and a way to send it updates."""

    def __init__(self, settings: Settings, runtime: Runtime) -> None:
        self.settings = settings
        self.runtime = runtime
        self.pool = ThreadPoolExecutor(max_workers=2)
        self.engine = self._engine(runtime)
        self._ids = count(1)

    def _engine(self, runtime: Runtime) -> Engine:
        services = Services(settings=self.settings, skm_secret=b"x" * 32)
        outbox = OutboxSender(runtime, self.pool)
        return Engine(runtime, _registry(), services, pool=self.pool, outbox=outbox)

    def restart(self) -> None:
        """A new process on the same database: a new runtime and engine."""
        self.runtime = open_runtime(self.settings)
        self.engine = self._engine(self.runtime)

    def run(self, action: Callable[[Ctx], None], *, claim: bool = True) -> Outcome:
        key = UpdateKey(1, next(self._ids), None) if claim else None
        return self.engine.run_sync(Incoming(CHAT, CHAT, "Penguji"), action, key=key)

    def command(self, text: str) -> Outcome:
        return self.run(lambda ctx: self.engine.registry.run_command(ctx, text))

    def text(self, text: str) -> Outcome:
        return self.run(lambda ctx: self.engine.feed(ctx, Input(InputKind.TEXT, text=text)))

    def choose(self, value: str, *, token: str | None = None, step: str | None = None) -> Outcome:
        if token is None or step is None:
            draft = self.draft()
            assert draft is not None
            token, step = token or draft.token, step or draft.step
        return self.run(lambda ctx: self.engine.choose(ctx, token, step, value))

    def press(self, data: str) -> Outcome:
        return self.run(lambda ctx: self.engine.registry.press(ctx, data))

    def draft(self) -> Draft | None:
        with self.runtime.uow() as uow:
            return uow.drafts.get(CHAT, CHAT)

    def sent(self) -> int:
        with self.runtime.engine.connect() as connection:
            query = (
                select(func.count()).select_from(AuditLogRow).where(col(AuditLogRow.actor) == "toy")
            )
            return int(connection.execute(query).scalar_one())


def said(outcome: Outcome) -> list[str]:
    return [message.text for message in outcome.ctx.reply.messages]


@pytest.fixture
def bench(settings: Settings, runtime: Runtime) -> Iterator[Bench]:
    b = Bench(settings, runtime)
    yield b
    b.pool.shutdown()
    if b.runtime is not runtime:
        b.runtime.close()


def test_the_questions_come_in_their_order_and_the_summary_sends_once(bench: Bench) -> None:
    assert said(bench.command("/toy")) == ["NAMA?"]
    assert said(bench.text("Ani")) == ["UMUR?"]
    assert said(bench.text("30")) == ["KOTA?"]
    assert said(bench.text("Pamekasan")) == ["RINGKASAN Ani/30/Pamekasan"]
    draft = bench.draft()
    assert draft is not None
    assert draft.step == "summary"
    assert draft.data == {"name": "Ani", "age": 30, "city": "Pamekasan"}
    assert said(bench.choose("ok")) == ["TERKIRIM"]
    assert bench.draft() is None
    assert bench.sent() == 1
    # The same "Kirim" again: the conversation is over, nothing is sent twice.
    again = bench.choose("ok", token=draft.token, step="summary")
    assert again.ctx.reply.toast == texts.STALE_BUTTON
    assert said(again) == [texts.STALE_NO_DRAFT]
    assert bench.sent() == 1


def test_a_domain_error_says_why_and_asks_the_same_question_again(bench: Bench) -> None:
    bench.command("/toy")
    bench.text("Ani")
    before = bench.draft()
    outcome = bench.text("tiga puluh")
    assert said(outcome) == ["Umur harus angka.", "UMUR?"]
    after = bench.draft()
    assert after is not None
    assert before is not None
    assert (after.step, after.data, after.token) == (before.step, before.data, before.token)


def test_a_button_of_a_question_already_answered_is_stale_and_changes_nothing(
    bench: Bench,
) -> None:
    bench.command("/toy")
    bench.text("Ani")
    bench.text("30")
    draft = bench.draft()
    assert draft is not None
    # "Kembali" under the age question, pressed now that the city is asked.
    outcome = bench.choose("back", step="age")
    assert outcome.ctx.reply.toast == texts.STALE_BUTTON
    assert said(outcome) == [texts.STALE_RESUME.format(title="isian mainan"), "KOTA?"]
    # A button of an earlier conversation (another token) is stale as well.
    old = bench.choose("back", token="lama123", step="city")
    assert old.ctx.reply.toast == texts.STALE_BUTTON
    now = bench.draft()
    assert now is not None
    assert (now.step, now.data) == ("city", draft.data)


def test_a_draft_changed_meanwhile_is_a_version_conflict_and_nothing_is_saved(
    bench: Bench,
) -> None:
    bench.command("/toy")
    bench.text("Ani")

    def answer_while_another_update_moves_on(ctx: Ctx) -> None:
        # Another update of the same person commits first (a second phone, a double tap).
        with bench.runtime.uow() as other:
            stored = other.drafts.get(CHAT, CHAT)
            assert stored is not None
            other.drafts.save(replace(stored, step="city", data={**stored.data, "age": 99}))
            other.commit()
        bench.engine.feed(ctx, Input(InputKind.TEXT, text="30"))

    outcome = bench.run(answer_while_another_update_moves_on, claim=False)
    assert outcome.ctx.reply.toast == texts.STALE_BUTTON
    assert said(outcome) == [texts.STALE_RESUME.format(title="isian mainan"), "KOTA?"]
    draft = bench.draft()
    assert draft is not None
    assert draft.data["age"] == 99  # the other update's answer, not this one's


def test_a_step_that_does_not_apply_is_skipped_forwards_and_backwards(bench: Bench) -> None:
    bench.command("/toy")
    assert said(bench.text("anonim")) == ["KOTA?"]
    assert said(bench.choose("back")) == ["NAMA?"]
    assert said(bench.text("Budi")) == ["UMUR?"]
    assert said(bench.text("41")) == ["KOTA?"]
    assert said(bench.choose("back")) == ["UMUR?"]


def test_a_changed_answer_returns_to_the_summary_and_asks_what_the_change_left_empty(
    bench: Bench,
) -> None:
    bench.command("/toy")
    bench.text("anonim")
    assert said(bench.text("Sumenep")) == ["RINGKASAN anonim/None/Sumenep"]
    bench.choose("edit")
    # "Umur" is not offered while it is not asked.
    which = bench.draft()
    assert which is not None
    assert which.step == "which"
    assert said(bench.choose("name")) == ["NAMA?"]
    # Now the age is asked (it applies and is empty), then straight back to the summary.
    assert said(bench.text("Citra")) == ["UMUR?"]
    assert said(bench.text("25")) == ["RINGKASAN Citra/25/Sumenep"]
    bench.choose("edit")
    # A forged choice that is not offered is refused and the question asked again.
    assert said(bench.choose("summary")) == [texts.CHOOSE_BUTTON, "UBAH?"]
    assert said(bench.choose("city")) == ["KOTA?"]
    assert said(bench.text("Bangkalan")) == ["RINGKASAN Citra/25/Bangkalan"]


def test_a_restart_continues_the_conversation_where_it_was(bench: Bench) -> None:
    bench.command("/toy")
    bench.text("Ani")
    bench.restart()
    assert said(bench.text("30")) == ["KOTA?"]
    draft = bench.draft()
    assert draft is not None
    assert draft.data == {"name": "Ani", "age": 30}


def test_a_redelivered_update_is_neither_run_nor_answered_again(bench: Bench) -> None:
    bench.command("/toy")
    key = UpdateKey(1, 10_000, None)
    first = bench.engine.run_sync(
        Incoming(CHAT, CHAT, "Penguji"),
        lambda ctx: bench.engine.feed(ctx, Input(InputKind.TEXT, text="Ani")),
        key=key,
    )
    second = bench.engine.run_sync(
        Incoming(CHAT, CHAT, "Penguji"),
        lambda ctx: bench.engine.feed(ctx, Input(InputKind.TEXT, text="Budi")),
        key=key,
    )
    assert said(first) == ["UMUR?"]
    assert len(first.queued) == 1
    assert second.duplicate
    assert second.queued == []
    draft = bench.draft()
    assert draft is not None
    assert draft.data == {"name": "Ani"}


def test_record_buttons_are_typed_and_malformed_data_never_reaches_the_handler(
    bench: Bench,
) -> None:
    PINGED.clear()
    assert Ping(7, ToyStep.CITY).data() == "r:pg:7:city"
    assert decode("r:pg:7:city", {"pg": Ping}) == Ping(7, ToyStep.CITY)
    assert said(bench.press("r:pg:7:city")) == ["PING 7"]
    for forged in (
        "r:pg:7",
        "r:pg:7:city:x",
        "r:pg:x:city",
        "r:pg:7:kota",
        "r:pg:-1:city",
        "r:zz:1",
    ):
        outcome = bench.press(forged)
        assert outcome.ctx.reply.toast == texts.STALE_BUTTON, forged
        assert said(outcome) == [], forged
    assert [Ping(7, ToyStep.CITY)] == PINGED
    # A handler that finds its button outdated: answered as stale, with what it says.
    stale = bench.press("r:pg:0:name")
    assert stale.ctx.reply.toast == texts.STALE_BUTTON
    assert said(stale) == ["KARTU SEKARANG"]


def test_a_flow_that_does_not_fit_its_steps_is_refused_when_it_is_declared() -> None:
    def step() -> Step:
        return Step(_ask("?"), _name)

    with pytest.raises(ValueError, match="no Step for"):
        Flow("x", "x", ToyAnswers, {ToyStep.NAME: step()})
    every = {member: step() for member in ToyStep}

    class Other(enum.StrEnum):
        NAME = "name"

    with pytest.raises(ValueError, match="not one of its steps"):
        Flow("x", "x", ToyAnswers, every, order=(Other.NAME,))  # type: ignore[misc]
    with pytest.raises(ValueError, match="summary comes after"):
        Flow("x", "x", ToyAnswers, every, order=(ToyStep.NAME,), summary=ToyStep.NAME)
    registry = _registry()
    with pytest.raises(ValueError, match="duplicate flow"):
        registry.flow(TOY)

    @dataclass(frozen=True, slots=True)
    class Wide(RecordButton):
        kind = "toolong"

    with pytest.raises(ValueError, match="1-4 letters"):
        registry.button(Wide, lambda ctx, pressed: None)
