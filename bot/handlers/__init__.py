"""Feature modules; each registers its commands, conversations and buttons."""

from __future__ import annotations

from bot.conversation import Registry
from bot.handlers import (
    common,
    followup,
    groups,
    idm,
    lapor,
    nihil,
    registration,
    reports,
    survey,
    tematik,
)

__all__ = ["build_registry"]


def build_registry() -> Registry:
    """Every feature, registered in the order their commands appear in help and menus."""
    registry = Registry()
    common.register_start(registry)
    lapor.register(registry)
    followup.register(registry)
    nihil.register(registry)
    idm.register(registry)
    tematik.register(registry)
    survey.register(registry)
    reports.register(registry)
    registration.register(registry)
    groups.register(registry)
    common.register(registry)  # /profil, /bantuan and /batal close every list
    return registry
