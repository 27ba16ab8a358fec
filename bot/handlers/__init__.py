"""Feature modules; each registers its commands, conversations and buttons."""

from __future__ import annotations

from bot.engine import Registry
from bot.handlers import common, incidents, records, registration, reports, survey

__all__ = ["build_registry"]


def build_registry() -> Registry:
    """Every feature, registered in the order their commands appear in help and menus."""
    registry = Registry()
    common.register_start(registry)
    incidents.register(registry)
    records.register(registry)
    survey.register(registry)
    reports.register(registry)
    registration.register(registry)
    common.register(registry)  # /profil, /bantuan and /batal close every list
    return registry
