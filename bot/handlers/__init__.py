"""Feature modules; each registers its commands, conversations and buttons."""

from __future__ import annotations

from bot.conversation.engine import Registry
from bot.handlers import (
    common,
    groups,
    incidents,
    records,
    registration,
    reminders,
    reports,
    survey,
)

__all__ = ["build_registry"]


def build_registry() -> Registry:
    """Every feature, registered in the order their commands appear in help and menus."""
    registry = Registry()
    common.register_start(registry)
    incidents.register(registry)
    reminders.register(registry)  # the Nihil button of the weekly reminder
    records.register(registry)
    survey.register(registry)
    reports.register(registry)
    registration.register(registry)
    groups.register(registry)
    common.register(registry)  # /profil, /bantuan and /batal close every list
    return registry
