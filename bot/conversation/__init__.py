"""The conversation engine: what a feature module needs to offer commands, flows and buttons.

- flow.py: :class:`Flow` (steps as an Enum, their order, typed answers) and :class:`Step`;
- context.py: :class:`Ctx`, the request, the reply and the conversation of one update;
- callbacks.py: typed record buttons with one codec;
- registry.py: where features register their commands, flows, buttons and deep links;
- engine.py: the transaction of one update; telegram.py: python-telegram-bot's side.

docs/architecture.md shows the data flow and how to add a flow.
"""

from bot.conversation.callbacks import RecordButton, StaleButton
from bot.conversation.context import (
    Button,
    Ctx,
    Keyboard,
    Outgoing,
    Services,
    StaleDraft,
    rows,
)
from bot.conversation.flow import Flow, Input, InputKind, NoAnswers, Step
from bot.conversation.registry import CommandSpec, Registry
from bot.conversation.widgets import (
    back_row,
    cancel,
    choice,
    confirm_keyboard,
    confirmed,
    desa_buttons,
    desa_choice,
    needed,
)

__all__ = [
    "Button",
    "CommandSpec",
    "Ctx",
    "Flow",
    "Input",
    "InputKind",
    "Keyboard",
    "NoAnswers",
    "Outgoing",
    "RecordButton",
    "Registry",
    "Services",
    "StaleButton",
    "StaleDraft",
    "Step",
    "back_row",
    "cancel",
    "choice",
    "confirm_keyboard",
    "confirmed",
    "desa_buttons",
    "desa_choice",
    "needed",
    "rows",
]
