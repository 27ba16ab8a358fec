"""Buttons bound to records (a case's follow-up, an approval): typed, with one codec.

A record button is a frozen dataclass subclass of :class:`RecordButton` with a short
``kind`` and typed fields (int, str or a StrEnum). ``button.data()`` is its callback
data, ``r:<kind>:<field>:<field>...`` (64 bytes at most, as Telegram allows), and
:func:`decode` reads it back, or returns None for data that is malformed or forged: a
wrong kind, a wrong number of fields, a field of the wrong form. The engine answers
such a press as stale, once, and never calls the handler with it.

A handler that finds its button outdated (the case changed since the card was sent)
raises :class:`StaleButton`; the engine rolls back, answers the press as stale and says
what the handler gave it to say (the card as it is now, for instance).
"""

from __future__ import annotations

import dataclasses
import enum
import re
import typing
from typing import Any, ClassVar, Self

from bot.conversation.context import Button, Keyboard
from bot.conversation.flow import field_types

__all__ = [
    "RECORD_PREFIX",
    "RecordButton",
    "StaleButton",
    "Switch",
    "Verdict",
    "decode",
    "MAX_DATA",
]

RECORD_PREFIX = "r"
MAX_DATA = 64  # bytes of callback data Telegram accepts
_INT = re.compile(r"[0-9]{1,18}")
_TEXT = re.compile(r"[^:\s]{1,40}")


class Switch(enum.StrEnum):
    """Turn something on or off (a user, a service)."""

    ON = "on"
    OFF = "off"


class Verdict(enum.StrEnum):
    """Approve or reject (a registration)."""

    YES = "y"
    NO = "n"


class StaleButton(Exception):
    """The button was made for a state that has changed: answer as stale, say ``text``."""

    def __init__(self, text: str | None = None, keyboard: Keyboard | None = None) -> None:
        super().__init__(text or "stale")
        self.text = text
        self.keyboard = keyboard


@dataclasses.dataclass(frozen=True, slots=True)
class RecordButton:
    """The base of typed record buttons (subclasses are frozen dataclasses)."""

    kind: ClassVar[str]

    def data(self) -> str:
        """The callback data of this button."""
        parts = [RECORD_PREFIX, self.kind]
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            parts.append(value.value if isinstance(value, enum.Enum) else str(value))
        data = ":".join(parts)
        if len(data.encode()) > MAX_DATA:
            raise ValueError(f"callback data too long: {data!r}")
        return data

    def button(self, label: str) -> Button:
        """An inline button with ``label`` that presses this."""
        return Button(label, data=self.data())

    @classmethod
    def parse(cls, args: list[str]) -> Self | None:
        """The button from the fields after ``r:<kind>:`` (None: malformed)."""
        fields = dataclasses.fields(cls)
        if len(args) != len(fields):
            return None
        hints = field_types(cls)
        values: dict[str, Any] = {}
        for item, raw in zip(fields, args, strict=True):
            value = _field(hints[item.name], raw)
            if value is None:
                return None
            values[item.name] = value
        return cls(**values)


def _field(hint: Any, raw: str) -> object | None:
    if hint is int:
        return int(raw) if _INT.fullmatch(raw) else None
    if hint is str:
        return raw if _TEXT.fullmatch(raw) else None
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(raw)
        except ValueError:
            return None
    raise TypeError(f"a record button field cannot be {hint!r}")


def check_button_type(kind: type[RecordButton]) -> None:
    """Refuse a button type whose kind or fields the codec cannot carry (at registration)."""
    if not dataclasses.is_dataclass(kind):
        raise ValueError(f"{kind.__name__} must be a dataclass")
    name = getattr(kind, "kind", "")
    if not re.fullmatch(r"[a-z]{1,4}", name):
        raise ValueError(f"{kind.__name__}.kind must be 1-4 letters, not {name!r}")
    for hint in field_types(kind).values():
        if typing.get_origin(hint) is ClassVar:
            continue
        ok = hint in (int, str) or (isinstance(hint, type) and issubclass(hint, enum.Enum))
        if not ok:
            raise ValueError(f"{kind.__name__}: a field cannot be {hint!r}")


def decode(data: str, kinds: typing.Mapping[str, type[RecordButton]]) -> RecordButton | None:
    """The record button of ``data`` among ``kinds`` (None: not one, or malformed)."""
    prefix, _, rest = data.partition(":")
    if prefix != RECORD_PREFIX:
        return None
    kind, *args = rest.split(":")
    cls = kinds.get(kind)
    if cls is None:
        return None
    if not dataclasses.fields(cls) and args == [""]:
        args = []
    return cls.parse(args)
