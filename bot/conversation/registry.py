"""Every command, conversation, record button and deep link of the bot, by name.

Each feature module in bot/handlers/ has one ``register(registry)`` that declares what
it offers; bot/handlers/__init__.py lists the features. Registration checks what can be
checked before a user arrives: unique names, flows whose steps fit their Enum
(:meth:`Flow.check`), button types the codec can carry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram import Bot

from bot.conversation.callbacks import RecordButton, StaleButton, check_button_type, decode
from bot.conversation.context import Ctx, StaleDraft
from bot.conversation.flow import Flow
from domain.models import User, UserStatus
from domain.permissions import Action, allowed

__all__ = ["CommandSpec", "Registry", "CommandFn", "DeepLinkFn", "Precheck"]

B = TypeVar("B", bound=RecordButton)
CommandFn = Callable[[Ctx, list[str]], None]
DeepLinkFn = Callable[[Ctx, str], None]
# Asked of Telegram before the transaction (a group command checks the bot's rights):
# (bot, chat id, sender's Telegram id) -> facts handed to the handler as
# ``ctx.request.checked``.
Precheck = Callable[[Bot, int, int], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """A command: its handler, where it may be used, and its menu description."""

    name: str
    handler: CommandFn
    description: str
    private_only: bool = True
    group_admin: bool = False  # usable in groups by bot admins
    action: Action | None = None  # listed for users allowed this; None: for everyone
    registered: bool = False  # listed only for registered (active) users
    precheck: Precheck | None = None  # in groups: asked of Telegram first


@dataclass(slots=True)
class Registry:
    """Every command, conversation and record button of the bot, by name."""

    commands: dict[str, CommandSpec] = field(default_factory=dict)
    flows: dict[str, Flow[Any, Any]] = field(default_factory=dict)
    buttons: dict[str, type[RecordButton]] = field(default_factory=dict)
    pressed: dict[str, Callable[[Ctx, Any], None]] = field(default_factory=dict)
    deep_links: dict[str, DeepLinkFn] = field(default_factory=dict)

    def command(self, spec: CommandSpec) -> None:
        """Register a command (names are unique)."""
        if spec.name in self.commands:
            raise ValueError(f"duplicate command {spec.name}")
        self.commands[spec.name] = spec

    def flow(self, flow: Flow[Any, Any]) -> None:
        """Register a conversation (its steps were checked against their Enum when the
        flow was declared)."""
        if flow.name in self.flows:
            raise ValueError(f"duplicate flow {flow.name}")
        self.flows[flow.name] = flow

    def button(self, kind: type[B], handler: Callable[[Ctx, B], None]) -> None:
        """Register the handler of a record button type (kinds are unique)."""
        check_button_type(kind)
        if kind.kind in self.buttons:
            raise ValueError(f"duplicate record button {kind.kind}")
        self.buttons[kind.kind] = kind
        self.pressed[kind.kind] = handler

    def press(self, ctx: Ctx, data: str) -> None:
        """Run the handler of record button ``data`` (malformed or unknown: stale)."""
        pressed = decode(data, self.buttons)
        if pressed is None:
            raise StaleButton
        self.pressed[pressed.kind](ctx, pressed)

    def deep_link(self, prefix: str, handler: DeepLinkFn) -> None:
        """Register what ``/start <prefix>...`` does (longest prefix wins)."""
        if prefix in self.deep_links:
            raise ValueError(f"duplicate deep link {prefix}")
        self.deep_links[prefix] = handler

    def for_payload(self, payload: str) -> DeepLinkFn | None:
        """The handler of a deep-link payload, if any."""
        for prefix in sorted(self.deep_links, key=len, reverse=True):
            if payload == prefix or payload.startswith(prefix):
                return self.deep_links[prefix]
        return None

    def run_command(self, ctx: Ctx, text: str) -> None:
        """Run the command typed as ``text`` (``/lapor``, ``/lapor@bot arg``)."""
        head, *args = text.split()
        spec = self.commands.get(head[1:].partition("@")[0].lower())
        if spec is None:
            raise StaleDraft
        spec.handler(ctx, args)

    def visible_to(self, user: User | None) -> list[CommandSpec]:
        """The commands ``user`` may use, in registration order (for help and menus)."""
        active = user is not None and user.status is UserStatus.ACTIVE
        shown = []
        for spec in self.commands.values():
            if spec.registered and not active:
                continue
            if spec.action is not None and not allowed(user, spec.action):
                continue
            shown.append(spec)
        return shown
