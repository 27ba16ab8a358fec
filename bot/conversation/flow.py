"""Flows: a conversation's steps (an Enum), their order once, and its typed answers.

A :class:`Flow` names its steps with a ``StrEnum`` and lists the questions in the order
they are asked (``order``), ending at its ``summary``. Forward (``ctx.next()``), back
(``ctx.back()``) and "change one answer and return to the summary" (``ctx.change()``)
are derived from that order, skipping the steps that do not apply to this conversation
(``Step.applies``). :meth:`Flow.check` refuses a flow whose steps, order or summary do
not match its Enum, when it is registered, not when a user reaches the step.

The answers of a flow are a dataclass (``Flow.answers``) of plain typed fields: str,
int, float, bool, date, StrEnum, lists of them, and None. They are stored with the
draft as JSON (:func:`dump_answers`, :func:`load_answers`), under the same keys as the
fields, so a draft saved before an upgrade is read the same after it.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from bot.conversation.context import Ctx

__all__ = [
    "InputKind",
    "Input",
    "Step",
    "Flow",
    "NoAnswers",
    "MAX_DOCUMENT",
    "dump_answers",
    "load_answers",
    "RESERVED_PREFIX",
]

MAX_DOCUMENT = 1_000_000  # bytes: larger documents arrive without content
RESERVED_PREFIX = "_"  # keys of a draft's data kept by the engine (not answers)
MAX_STEP_NAME = 12  # a step's name is part of its buttons' callback data (64 bytes)


class InputKind(enum.StrEnum):
    """What the user sent."""

    TEXT = "text"
    CHOICE = "choice"
    LOCATION = "location"
    PHOTO = "photo"
    DOCUMENT = "document"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Input:
    """One thing the user sent, reduced to what a step needs."""

    kind: InputKind
    text: str = ""
    latitude: float | None = None
    longitude: float | None = None
    file_id: str | None = None
    file_name: str | None = None
    file_size: int | None = None
    file_unique_id: str | None = None  # the same file in every bot's eyes
    mime_type: str | None = None  # what the sender's phone says a DOCUMENT is
    content: bytes | None = None  # a DOCUMENT's bytes, downloaded when at most MAX_DOCUMENT
    what: str = ""  # for OTHER: "stiker", "pesan suara", ...


Prompt = Callable[["Ctx"], object]
Handler = Callable[["Ctx", Input], object]
Applies = Callable[["Ctx"], bool]


@dataclass(frozen=True, slots=True)
class Step:
    """One step: what the bot asks, what it accepts, and what it does with the answer.

    ``label`` names the answer in the list of answers to change (empty: not offered);
    ``applies`` says whether the step is asked in this conversation (skipped forwards
    and backwards when not); ``answered`` says whether its answer is there, so that
    after a change the steps left empty by it are asked before the summary.
    """

    prompt: Prompt
    handle: Handler
    accepts: frozenset[InputKind] = frozenset({InputKind.CHOICE})
    hint: str = ""  # said again when the user sends something the step does not accept
    label: str = ""
    applies: Applies | None = None
    answered: Callable[[Any], bool] | None = None


@dataclass(slots=True)
class NoAnswers:
    """The answers of a flow that collects none (a confirmation only)."""


S = TypeVar("S", bound=enum.StrEnum)
A = TypeVar("A")


@dataclass(frozen=True, eq=False)
class Flow(Generic[S, A]):
    """A guided conversation: its name, its steps, their order and its answers."""

    name: str
    title: str  # "laporan kejadian", shown by /bantuan mid-conversation
    answers: type[A]
    steps: Mapping[S, Step]
    order: tuple[S, ...] = ()  # the questions in the order they are asked
    summary: S | None = None  # after the last question; a change returns here

    def __post_init__(self) -> None:
        self.check()

    @property
    def first(self) -> S:
        """Where the conversation begins."""
        return self.order[0] if self.order else next(iter(self.steps))

    @property
    def step_type(self) -> type[S]:
        """The Enum of this flow's steps."""
        return type(next(iter(self.steps)))

    def check(self) -> None:
        """Refuse a flow whose steps, order and summary do not fit its Enum."""
        if not self.steps:
            raise ValueError(f"flow {self.name}: no steps")
        kind = self.step_type
        missing = [m.value for m in kind if m not in self.steps]
        if missing:
            raise ValueError(f"flow {self.name}: no Step for {missing}")
        for step in self.steps:
            if not isinstance(step, kind):
                raise ValueError(f"flow {self.name}: step {step!r} is not a {kind.__name__}")
            if ":" in step.value or len(step.value) > MAX_STEP_NAME:
                raise ValueError(f"step name {step.value!r} must be short and free of ':'")
        for step in (*self.order, *([self.summary] if self.summary is not None else [])):
            if not isinstance(step, kind) or step not in self.steps:
                raise ValueError(f"flow {self.name}: {step!r} is not one of its steps")
        if len(set(self.order)) != len(self.order):
            raise ValueError(f"flow {self.name}: a step is twice in its order")
        if self.summary is not None and self.summary in self.order:
            raise ValueError(f"flow {self.name}: the summary comes after the questions")
        if not dataclasses.is_dataclass(self.answers):
            raise ValueError(f"flow {self.name}: its answers must be a dataclass")
        for item in dataclasses.fields(self.answers):
            if item.name.startswith(RESERVED_PREFIX):
                raise ValueError(f"flow {self.name}: answer {item.name!r} is reserved")
        field_types(self.answers)  # every annotation resolves

    def member(self, step: str) -> S:
        """The step named ``step`` (as stored in the draft)."""
        return self.step_type(step)

    def step_named(self, name: str) -> Step | None:
        """The :class:`Step` stored in a draft as ``name`` (None: not of this flow)."""
        try:
            return self.steps[self.step_type(name)]
        except (ValueError, KeyError):
            return None

    def asked(self, step: S, ctx: Ctx) -> bool:
        """True when ``step`` is asked in this conversation."""
        applies = self.steps[step].applies
        return applies is None or applies(ctx)

    def after(self, step: S, ctx: Ctx) -> S | None:
        """The next question asked after ``step``, else the summary (None: none)."""
        if step in self.order:
            for candidate in self.order[self.order.index(step) + 1 :]:
                if self.asked(candidate, ctx):
                    return candidate
        return self.summary

    def before(self, step: S, ctx: Ctx) -> S | None:
        """The question asked before ``step`` (None at the first one)."""
        if step == self.summary:
            candidates = list(self.order)
        elif step in self.order:
            candidates = list(self.order[: self.order.index(step)])
        else:
            return None
        for candidate in reversed(candidates):
            if self.asked(candidate, ctx):
                return candidate
        return None

    def unanswered(self, answers: A, ctx: Ctx) -> S | None:
        """The first question asked whose answer is missing (after a change)."""
        for step in self.order:
            done = self.steps[step].answered
            if self.asked(step, ctx) and done is not None and not done(answers):
                return step
        return None

    def changeable(self, ctx: Ctx) -> list[tuple[S, str]]:
        """The answers that may be changed from the summary, with their labels."""
        return [
            (step, self.steps[step].label)
            for step in self.order
            if self.steps[step].label and self.asked(step, ctx)
        ]


# -- answers as JSON ------------------------------------------------------------------


def dump_answers(answers: object) -> dict[str, Any]:
    """A flow's answers as the JSON stored with the draft (None fields left out)."""
    assert dataclasses.is_dataclass(answers)
    assert not isinstance(answers, type)
    stored: dict[str, Any] = {}
    for item in dataclasses.fields(answers):
        value = getattr(answers, item.name)
        if value is not None:
            stored[item.name] = _dump(value)
    return stored


def _dump(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_dump(v) for v in value]
    return value


_FIELD_TYPES: dict[type, dict[str, Any]] = {}


def field_types(kind: type) -> dict[str, Any]:
    """The resolved annotations of a dataclass, read once per class (every update reads
    a draft, every press a button)."""
    found = _FIELD_TYPES.get(kind)
    if found is None:
        found = _FIELD_TYPES[kind] = typing.get_type_hints(kind)
    return found


def load_answers(kind: type[A], stored: Mapping[str, Any]) -> A:
    """The answers of type ``kind`` from a draft's JSON (unknown keys ignored)."""
    hints = field_types(kind)
    values = {}
    for item in dataclasses.fields(kind):  # type: ignore[arg-type]
        if item.name in stored and stored[item.name] is not None:
            values[item.name] = _load(hints[item.name], stored[item.name])
    return kind(**values)


def _load(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _load(options[0], value) if len(options) == 1 else value
    if origin is list:
        (inner,) = typing.get_args(hint)
        return [_load(inner, v) for v in value]
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_load(args[0], v) for v in value)
        return tuple(_load(a, v) for a, v in zip(args, value, strict=True))
    if isinstance(hint, type):
        if issubclass(hint, enum.Enum):
            return hint(value)
        if hint is date:
            return date.fromisoformat(value)
        if hint is float:
            return float(value)
        if hint is bool:
            return bool(value)
        if hint is int:
            return int(value)
        if hint is str:
            return str(value)
    return value
