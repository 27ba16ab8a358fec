"""Feature modules; each registers its commands, conversations and buttons."""

from __future__ import annotations

from bot.conversation import Registry
from bot.handlers import (
    common,
    followup,
    groups,
    invites,
    lapor,
    nihil,
    records,
    registration,
    reports,
    services,
    survey,
    users,
)

__all__ = ["build_registry"]


def build_registry() -> Registry:
    """Every feature, registered in the order their commands appear in help and menus."""
    registry = Registry()
    common.register_start(registry)
    lapor.register(registry)
    followup.register(registry)
    nihil.register(registry)
    records.register(registry)
    survey.register(registry)
    services.register(registry)
    reports.register(registry)
    registration.register(registry)
    invites.register(registry)
    users.register(registry)
    groups.register(registry)
    common.register(registry)  # /profil, /bantuan and /batal close every list
    return registry
