"""Waiting for an event with a time limit, without ever swallowing a cancellation.

``asyncio.wait_for(event.wait(), timeout)`` on Python 3.11 returns normally when the
task is cancelled at the moment the event is set: the cancellation is lost, and a
background loop that was told to stop goes on forever (its ``stop()`` then waits for
ever). ``asyncio.timeout`` keeps a cancellation from outside apart from its own.
"""

from __future__ import annotations

import asyncio

__all__ = ["wait_event"]


async def wait_event(event: asyncio.Event, seconds: float) -> bool:
    """Wait until ``event`` is set or ``seconds`` pass; True when it was set."""
    try:
        async with asyncio.timeout(seconds):
            await event.wait()
    except TimeoutError:
        return False
    return True
