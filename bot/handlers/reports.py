"""reports."""

from __future__ import annotations

from bot.engine import Registry


def register(registry: Registry) -> None:
    """Nothing yet."""
