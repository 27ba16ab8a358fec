"""The background loops' wait: a stop that comes as the loop is woken is never lost."""

from __future__ import annotations

import asyncio

import pytest

from bot.delivery.waiting import wait_event


async def _loop(event: asyncio.Event, rounds: list[bool]) -> None:
    # The shape of the outbox's, the fetcher's and the poller's loops.
    while True:
        rounds.append(await wait_event(event, 60))
        event.clear()


async def test_a_cancel_as_the_event_is_set_stops_the_loop() -> None:
    # asyncio.wait_for on Python 3.11 returns when the event is set in the same step as the
    # cancel, and such a loop then never ends (stop() waited for ever after a wake()).
    event = asyncio.Event()
    rounds: list[bool] = []
    task = asyncio.get_running_loop().create_task(_loop(event, rounds))
    await asyncio.sleep(0)
    event.set()
    task.cancel()
    async with asyncio.timeout(5):
        results = await asyncio.gather(task, return_exceptions=True)
    assert isinstance(results[0], asyncio.CancelledError)
    assert rounds == []


async def test_the_wait_says_whether_the_event_came() -> None:
    event = asyncio.Event()
    assert await wait_event(event, 0.01) is False
    event.set()
    assert await wait_event(event, 60) is True


@pytest.mark.parametrize("seconds", [0.0, -1.0])
async def test_no_time_left_is_a_wait_that_timed_out(seconds: float) -> None:
    assert await wait_event(asyncio.Event(), seconds) is False
