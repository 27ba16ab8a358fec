"""Feature modules; each has one ``register(registry)`` for its commands, flows and buttons.

``FEATURES`` lists them in the order their commands appear in /bantuan and the menus:
a new feature is one module here and one line in ``FEATURES`` (docs/architecture.md).
"""

from __future__ import annotations

from typing import Protocol

from bot.conversation import Registry
from bot.handlers import (
    common,
    corrections,
    followup,
    groups,
    idm,
    invites,
    lapor,
    nihil,
    progress,
    publication,
    registration,
    reports,
    rtl,
    services,
    skm_report,
    start,
    survey,
    tematik,
    users,
)

__all__ = ["FEATURES", "Feature", "build_registry"]


class Feature(Protocol):
    """A feature module: it registers what it offers."""

    def register(self, registry: Registry) -> None: ...


FEATURES: tuple[Feature, ...] = (
    start,  # /start first in every menu
    lapor,
    followup,
    corrections,
    nihil,
    idm,
    progress,
    tematik,
    survey,
    publication,
    services,
    rtl,
    reports,
    skm_report,
    registration,
    invites,
    users,
    groups,
    common,  # /profil, /bantuan and /batal close every list
)


def build_registry() -> Registry:
    """Every feature, registered in the order of ``FEATURES``."""
    registry = Registry()
    for feature in FEATURES:
        feature.register(registry)
    return registry
