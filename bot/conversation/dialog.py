"""Guided conversations whose state lives in the database, free of Telegram types.

Why not python-telegram-bot's ConversationHandler with a persistence class: its
persistence is flushed on an interval, not per update, and conversation timeouts do
not survive a restart. Here every step is saved in the same transaction as the
answer that caused it (table ``draft``), so a restart loses nothing, and a draft's
``token`` and ``version`` tell a stale button from a live one.

A :class:`Flow` is a set of steps; each step has a prompt (what the bot asks) and a
handler (what it does with an answer). Handlers are small synchronous functions that
read and write ``ctx.data``, call use cases with ``ctx.uow``, and queue replies with
``ctx.say``; the engine (bot/conversation/engine.py) saves the draft and sends the replies.
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from bot import texts
from bot.config import Settings
from domain.errors import InvalidInput
from domain.models import Desa, Draft, Kecamatan, OutboxMessage, User
from domain.ports import UnitOfWork

__all__ = [
    "CHOICE_PREFIX",
    "InputKind",
    "MAX_DOCUMENT",
    "Input",
    "Button",
    "Keyboard",
    "Outgoing",
    "Ctx",
    "Step",
    "Flow",
    "StaleDraft",
    "WouldReplace",
    "REPLACE_KEY",
    "Services",
    "new_token",
    "rows",
]


MAX_DOCUMENT = 1_000_000  # bytes: larger documents arrive without content
CHOICE_PREFIX = "d"  # d:<token>:<step>:<value> - a choice of a conversation's step


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
    content: bytes | None = None  # a DOCUMENT's bytes, downloaded when at most MAX_DOCUMENT
    what: str = ""  # for OTHER: "stiker", "pesan suara", ...


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: a choice of the current step, a raw callback, or a link."""

    label: str
    value: str | None = None
    data: str | None = None
    url: str | None = None


Keyboard = list[list[Button]]


def rows(buttons: Sequence[Button], per_row: int = 2) -> Keyboard:
    """Lay buttons out ``per_row`` to a row."""
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


@dataclass(slots=True)
class Outgoing:
    """A message to send: to the current chat (``chat_id`` None) or to someone else."""

    text: str
    keyboard: Keyboard | None = None
    chat_id: int | None = None
    photo: bytes | None = None
    photo_file_id: str | None = None
    document: tuple[str, bytes] | None = None
    location: tuple[float, float] | None = None
    token: str | None = None
    step: str | None = None


@dataclass(slots=True)
class Services:
    """Long-lived things step handlers need besides the unit of work."""

    settings: Settings
    skm_secret: bytes
    bot_username: str = "iku_bot"


class StaleDraft(Exception):
    """The conversation moved on (or ended) since the input's button was shown."""


class WouldReplace(Exception):
    """A command or button would start ``flow`` over a conversation with answers in it.

    The engine rolls the update back and asks first: continue the conversation, or
    start anew (the command is then run again, and the old draft dropped).
    """

    def __init__(self, flow: type[Flow]) -> None:
        super().__init__(flow.name)
        self.flow = flow


REPLACE_KEY = "_ganti"  # in a draft's data: the command waiting for "Mulai baru"


def new_token() -> str:
    """A short random id for a new conversation (part of its buttons' data)."""
    return secrets.token_urlsafe(6)


@dataclass(slots=True)
class Ctx:
    """Everything a step handler may use, for one update."""

    uow: UnitOfWork
    chat_id: int
    telegram_id: int
    telegram_name: str
    user: User | None
    kecamatan: Kecamatan
    now: datetime
    services: Services
    draft: Draft | None = None
    outbox: list[Outgoing] = field(default_factory=list)
    next_step: str | None = None
    ended: bool = False
    started: bool = False
    edit: tuple[str, Keyboard | None] | None = None
    toast: str | None = None
    menus: list[int] = field(default_factory=list)
    # Filled by the engine: the outbox rows written with the commit, and whether the
    # update had been handled before (a redelivery: nothing done, nothing sent).
    queued: list[OutboxMessage] = field(default_factory=list)
    duplicate: bool = False
    replace_ok: bool = False  # the person chose "Mulai baru": start() may replace the draft

    @property
    def data(self) -> dict[str, Any]:
        """The answers collected so far (saved with the draft)."""
        if self.draft is None:
            raise StaleDraft
        return self.draft.data

    def say(self, text: str, keyboard: Keyboard | None = None) -> Outgoing:
        """Reply in the current chat; choice buttons are bound to the current step."""
        message = Outgoing(text, keyboard)
        if self.draft is not None and not self.ended:
            message.token, message.step = self.draft.token, self.draft.step
        self.outbox.append(message)
        return message

    def notify(self, chat_id: int, text: str, keyboard: Keyboard | None = None) -> Outgoing:
        """Send a message to another chat (a card to staff, a notice to a reporter)."""
        message = Outgoing(text, keyboard, chat_id=chat_id)
        self.outbox.append(message)
        return message

    def is_over(self) -> bool:
        """True once the conversation ended (or there is none)."""
        return self.ended or self.draft is None

    def refresh_menu(self, telegram_id: int) -> None:
        """Set this person's command menu again after their role or status changed."""
        self.menus.append(telegram_id)

    def edit_pressed(self, text: str, keyboard: Keyboard | None = None) -> None:
        """Replace the message whose button was pressed (e.g. a decided approval card)."""
        self.edit = (text, keyboard)

    def start(self, flow: type[Flow], data: Mapping[str, Any] | None = None) -> None:
        """Begin a new conversation at the flow's first step.

        A conversation that already has answers is not replaced silently: unless the
        person chose to start anew, :class:`WouldReplace` makes the engine ask first.
        """
        current = self.draft
        # A draft saved again since it began has answers (version 1: just begun).
        answered = current is not None and current.version > 1
        if answered and not self.replace_ok and not self.started:
            raise WouldReplace(flow)
        self.draft = Draft(
            chat_id=self.chat_id,
            user_id=self.telegram_id,
            flow=flow.name,
            step=flow.first,
            data=dict(data or {}),
            token=new_token(),
            version=0,
        )
        self.started = True
        self.next_step = flow.first

    def goto(self, step: str) -> None:
        """Move to ``step``; its prompt is sent after this handler."""
        self.next_step = step

    def end(self) -> None:
        """Finish the conversation now, in the current transaction.

        The engine commits the end of the conversation together with what the answer
        stored, so a second press of "Kirim" finds nothing to submit.
        """
        draft = self.draft
        if draft is not None and draft.version > 0:
            done = self.uow.drafts.delete(
                self.chat_id, self.telegram_id, token=draft.token, version=draft.version
            )
            if not done:
                raise StaleDraft
        self.ended = True
        self.next_step = None


Prompt = Callable[[Ctx], object]
Handler = Callable[[Ctx, Input], object]


@dataclass(frozen=True, slots=True)
class Step:
    """One step: what the bot asks, what it accepts, and what it does with the answer."""

    prompt: Prompt
    handle: Handler
    accepts: frozenset[InputKind] = frozenset({InputKind.CHOICE})
    hint: str = ""  # said again when the user sends something the step does not accept


class Flow:
    """A guided conversation: a name, a first step, and its steps."""

    name: ClassVar[str]
    title: ClassVar[str]  # "laporan kejadian", shown by /bantuan mid-conversation
    first: ClassVar[str]
    steps: ClassVar[dict[str, Step]]


def confirm_keyboard(accept: str) -> Keyboard:
    """The buttons under a summary: ``accept`` (Kirim or Simpan), Ubah, Batal."""
    return [
        [Button(accept, "ok"), Button(texts.EDIT, "edit")],
        [Button(texts.CANCEL_BUTTON, "cancel")],
    ]


def cancel(ctx: Ctx) -> None:
    """End the conversation, storing nothing, and say so."""
    ctx.end()
    ctx.say(texts.CANCELLED)


def confirmed(ctx: Ctx, given: Input, *, edit_step: str) -> bool:
    """Handle a press under :func:`confirm_keyboard`; True only for the accept button.

    Ubah goes to ``edit_step``; Batal ends the conversation, storing nothing.
    """
    if given.text == "edit":
        ctx.goto(edit_step)
        return False
    if given.text == "cancel":
        cancel(ctx)
        return False
    if given.text != "ok":
        raise InvalidInput(texts.CHOOSE_BUTTON)
    return True


def desa_buttons(desa: Sequence[Desa], per_row: int = 2) -> Keyboard:
    """One button per desa (value: its id)."""
    return rows([Button(d.nama, str(d.id)) for d in desa], per_row)


__all__ += ["desa_buttons", "confirm_keyboard", "confirmed", "cancel"]
