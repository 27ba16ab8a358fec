"""What a handler gets for one update: the request, the reply, the conversation, the unit of work.

- :class:`Request` is what came in: who, in which chat, when, in which kecamatan.
- :class:`Reply` is what goes out: messages (to this chat or others), the edit of the
  pressed message, the answer to a button press, the menus to refresh. The engine
  writes it to the outbox in the same transaction as the change it reports.
- :class:`Conversation` is where the person is: the draft (flow, step, answers), and
  where it goes next. The engine saves it with the answer that moved it.

:class:`Ctx` holds the three with the unit of work and the long-lived services, and
offers their methods under short names (``ctx.say``, ``ctx.next``, ``ctx.user``), so a
step handler reads as the conversation it leads.
"""

from __future__ import annotations

import dataclasses
import enum
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from bot import texts
from bot.config import Settings
from bot.conversation.flow import Flow, dump_answers, load_answers
from domain.errors import InvalidInput
from domain.evidence import EvidenceStore
from domain.importing import Table
from domain.models import Draft, Kecamatan, User
from domain.ports import UnitOfWork

__all__ = [
    "CHOICE_PREFIX",
    "Button",
    "Keyboard",
    "rows",
    "Outgoing",
    "Services",
    "Incoming",
    "Request",
    "Reply",
    "Conversation",
    "Ctx",
    "StaleDraft",
    "WouldReplace",
    "REPLACE_KEY",
    "CHANGE_KEY",
    "new_token",
]

A = TypeVar("A")
CHOICE_PREFIX = "d"  # d:<token>:<step>:<value> - a choice of a conversation's step
REPLACE_KEY = "_ganti"  # in a draft's data: the command waiting for "Mulai baru"
CHANGE_KEY = "_ubah"  # in a draft's data: one answer is being changed from the summary


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: a choice of the current step, a record's callback, or a link."""

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
    document_file_id: str | None = None  # a document Telegram already has
    location: tuple[float, float] | None = None
    token: str | None = None
    step: str | None = None


@dataclass(slots=True)
class Services:
    """Long-lived things step handlers need besides the unit of work."""

    settings: Settings
    skm_secret: bytes
    bot_username: str = "iku_bot"
    # The first sheet of an XLSX file's bytes (storage's reader, given by the application).
    read_xlsx: Callable[[bytes, str], Table] | None = None
    # The office's evidence store: case photos are shown from it once stored.
    evidence_store: EvidenceStore | None = None


class StaleDraft(Exception):
    """The conversation moved on (or ended) since the input's button was shown."""


class WouldReplace(Exception):
    """A command or button would start ``flow`` over a conversation with answers in it.

    The engine rolls the update back and asks first: continue the conversation, or
    start anew (the command is then run again, and the old draft dropped).
    """

    def __init__(self, flow: Flow[Any, Any]) -> None:
        super().__init__(flow.name)
        self.flow = flow


def new_token() -> str:
    """A short random id for a new conversation (part of its buttons' data)."""
    return secrets.token_urlsafe(6)


@dataclass(frozen=True, slots=True)
class Incoming:
    """What Telegram says about an update: who sent it, and in which chat."""

    chat_id: int
    telegram_id: int
    telegram_name: str
    in_group: bool = False
    chat_title: str | None = None
    checked: object = None  # what a command's precheck learnt from Telegram first
    username: str | None = None  # @username, when the account has one


@dataclass(frozen=True, slots=True)
class Request:
    """What came in, as the engine knows it: the sender, their registration, the time."""

    incoming: Incoming
    user: User | None
    kecamatan: Kecamatan
    now: datetime

    @property
    def chat_id(self) -> int:
        return self.incoming.chat_id

    @property
    def telegram_id(self) -> int:
        return self.incoming.telegram_id

    @property
    def telegram_name(self) -> str:
        return self.incoming.telegram_name


@dataclass(slots=True)
class Reply:
    """What goes out because of this update (written to the outbox with the commit)."""

    messages: list[Outgoing] = field(default_factory=list)
    edit: tuple[str, Keyboard | None] | None = None  # of the message whose button was pressed
    toast: str | None = None  # the answer to the button press
    menus: list[int] = field(default_factory=list)  # people whose command menu changes

    def add(self, message: Outgoing) -> Outgoing:
        self.messages.append(message)
        return message


@dataclass(slots=True)
class Conversation:
    """Where the person is: the draft, and where it goes after this update."""

    draft: Draft | None = None
    flow: Flow[Any, Any] | None = None  # the draft's flow (None: no draft, or a retired one)
    next_step: str | None = None
    ended: bool = False
    started: bool = False
    replace_ok: bool = False  # the person chose "Mulai baru": start() may replace the draft
    loaded: object | None = None  # the typed answers, once read

    def answers(self, kind: type[A]) -> A:
        """The typed answers of this conversation (changes are saved with the draft)."""
        if self.draft is None:
            raise StaleDraft
        if self.loaded is None:
            # Read as the flow's own answers, also when asked for a base of them (a helper
            # shared by several flows), so that the flow's handlers see the same object.
            own = self.flow.answers if self.flow is not None else kind
            self.loaded = load_answers(own if issubclass(own, kind) else kind, self.draft.data)
        if not isinstance(self.loaded, kind):
            raise TypeError(f"the answers of {self.draft.flow} are not {kind.__name__}")
        return self.loaded

    def flush(self) -> None:
        """Write the typed answers back into the draft's data (before it is saved)."""
        if self.draft is None or self.loaded is None:
            return
        names = {item.name for item in dataclasses.fields(self.loaded)}  # type: ignore[arg-type]
        kept = {k: v for k, v in self.draft.data.items() if k not in names}
        self.draft.data.clear()
        self.draft.data.update(kept | dump_answers(self.loaded))


@dataclass(slots=True)
class Ctx:
    """Everything a handler may use, for one update."""

    uow: UnitOfWork
    services: Services
    request: Request
    reply: Reply = field(default_factory=Reply)
    conversation: Conversation = field(default_factory=Conversation)

    # -- the request ---------------------------------------------------------------

    @property
    def user(self) -> User | None:
        return self.request.user

    @property
    def kecamatan(self) -> Kecamatan:
        return self.request.kecamatan

    @property
    def now(self) -> datetime:
        return self.request.now

    @property
    def chat_id(self) -> int:
        return self.request.chat_id

    @property
    def telegram_id(self) -> int:
        return self.request.telegram_id

    @property
    def telegram_name(self) -> str:
        return self.request.telegram_name

    # -- the reply -----------------------------------------------------------------

    def say(self, text: str, keyboard: Keyboard | None = None) -> Outgoing:
        """Reply in the current chat; choice buttons are bound to the current step."""
        message = Outgoing(text, keyboard)
        draft = self.conversation.draft
        if draft is not None and not self.conversation.ended:
            message.token, message.step = draft.token, draft.step
        return self.reply.add(message)

    def notify(self, chat_id: int, text: str, keyboard: Keyboard | None = None) -> Outgoing:
        """Send a message to another chat (a card to staff, a notice to a reporter)."""
        return self.reply.add(Outgoing(text, keyboard, chat_id=chat_id))

    def edit_pressed(self, text: str, keyboard: Keyboard | None = None) -> None:
        """Replace the message whose button was pressed (e.g. a decided approval card)."""
        self.reply.edit = (text, keyboard)

    def refresh_menu(self, telegram_id: int) -> None:
        """Set this person's command menu again after their role or status changed."""
        self.reply.menus.append(telegram_id)

    @property
    def toast(self) -> str | None:
        return self.reply.toast

    @toast.setter
    def toast(self, text: str | None) -> None:
        self.reply.toast = text

    # -- the conversation ----------------------------------------------------------

    @property
    def draft(self) -> Draft | None:
        return self.conversation.draft

    def _stored(self) -> dict[str, Any]:
        """The draft's data as stored (answers, and the engine's own ``_`` keys)."""
        if self.conversation.draft is None:
            raise StaleDraft
        return self.conversation.draft.data

    def answers(self, kind: type[A]) -> A:
        """The typed answers of the conversation (see :class:`Flow`)."""
        return self.conversation.answers(kind)

    def is_over(self) -> bool:
        """True once the conversation ended (or there is none)."""
        return self.conversation.ended or self.conversation.draft is None

    def start(self, flow: Flow[Any, A], answers: A | None = None) -> None:
        """Begin a new conversation at the flow's first step.

        A conversation that already has answers is not replaced silently: unless the
        person chose to start anew, :class:`WouldReplace` makes the engine ask first.
        """
        conversation = self.conversation
        current = conversation.draft
        # A draft saved again since it began has answers (version 1: just begun).
        answered = current is not None and current.version > 1
        if answered and not conversation.replace_ok and not conversation.started:
            raise WouldReplace(flow)
        loaded = answers if answers is not None else flow.answers()
        if not isinstance(loaded, flow.answers):
            raise TypeError(f"flow {flow.name} takes {flow.answers.__name__}, not {loaded!r}")
        data = dump_answers(loaded)
        conversation.draft = Draft(
            chat_id=self.chat_id,
            user_id=self.telegram_id,
            flow=flow.name,
            step=flow.first.value,
            data=data,
            token=new_token(),
            version=0,
        )
        conversation.flow = flow
        conversation.loaded = loaded
        conversation.ended = False
        conversation.started = True
        conversation.next_step = flow.first.value

    def _flow(self) -> Flow[Any, Any]:
        flow = self.conversation.flow
        if flow is None or self.conversation.draft is None:
            raise StaleDraft
        return flow

    def goto(self, step: enum.StrEnum) -> None:
        """Move to ``step``, a member of this flow's step Enum; its prompt follows.

        A member of another flow's Enum is a programming error, refused at once.
        """
        flow = self._flow()
        if not isinstance(step, flow.step_type):
            raise TypeError(f"{step!r} is not a step of flow {flow.name}")
        self.conversation.next_step = step.value

    def stay(self) -> None:
        """Ask the current question again (after adding one photo of several, say)."""
        draft = self.conversation.draft
        if draft is None:
            raise StaleDraft
        self.conversation.next_step = draft.step

    def next(self) -> None:
        """Go on: the next question in the flow's order, or, while one answer is being
        changed, the first one left unanswered by the change, else the summary."""
        flow = self._flow()
        data = self._stored()
        current = flow.member(self._step_name())
        if data.get(CHANGE_KEY):
            answers = self.answers(flow.answers)
            target = flow.unanswered(answers, self)
            if target is None or target == current:
                data.pop(CHANGE_KEY, None)
                target = flow.summary
        else:
            target = flow.after(current, self)
        if target is None:
            raise AssertionError(f"flow {flow.name}: nothing after {current}")
        self.conversation.next_step = target.value

    def back(self) -> None:
        """Back to the question before this one (the first one stays where it is)."""
        flow = self._flow()
        target = flow.before(flow.member(self._step_name()), self)
        self.conversation.next_step = (target or flow.member(self._step_name())).value

    def to_summary(self) -> None:
        """Straight to the summary (a change, if any, is over)."""
        flow = self._flow()
        if flow.summary is None:
            raise AssertionError(f"flow {flow.name} has no summary")
        self._stored().pop(CHANGE_KEY, None)
        self.conversation.next_step = flow.summary.value

    def change(self, step: str) -> None:
        """Change one answer from the summary: ask ``step``, then return to the summary.

        ``step`` must be one the flow offers to change (a forged value: ask again).
        """
        flow = self._flow()
        offered = {s.value: s for s, _ in flow.changeable(self)}
        if step not in offered:
            raise InvalidInput(texts.CHOOSE_BUTTON)
        self._stored()[CHANGE_KEY] = True
        self.conversation.next_step = offered[step].value

    def _step_name(self) -> str:
        draft = self.conversation.draft
        if draft is None:
            raise StaleDraft
        return draft.step

    def end(self) -> None:
        """Finish the conversation: the engine removes the draft in the same transaction.

        The end is committed together with what the answer stored, so a second press of
        "Kirim" finds nothing to submit, and a failing use case leaves the draft as it was.
        """
        self.conversation.ended = True
        self.conversation.next_step = None
