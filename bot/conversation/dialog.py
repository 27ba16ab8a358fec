"""Flows still declared as a class of string-named steps (being moved to :class:`Flow`)."""

from __future__ import annotations

import enum
from typing import Any, ClassVar

from bot.conversation.flow import Flow as TypedFlow
from bot.conversation.flow import NoAnswers, Step

__all__ = ["Flow"]


class Flow:
    """A guided conversation: a name, a first step, and its steps by name."""

    name: ClassVar[str]
    title: ClassVar[str]
    first: ClassVar[str]
    steps: ClassVar[dict[str, Step]]

    @classmethod
    def typed(cls) -> TypedFlow[Any, NoAnswers]:
        """The same flow as a :class:`bot.conversation.flow.Flow` (built once)."""
        built: TypedFlow[Any, NoAnswers] | None = cls.__dict__.get("_typed")
        if built is None:
            names = [cls.first, *(n for n in cls.steps if n != cls.first)]
            kind = enum.StrEnum(f"{cls.__name__}Step", {n.upper(): n for n in names})  # type: ignore[misc]
            built = TypedFlow(
                name=cls.name,
                title=cls.title,
                answers=NoAnswers,
                steps={kind(n): cls.steps[n] for n in names},
            )
            cls._typed = built  # type: ignore[attr-defined]
        return built
