"""The digest fan-out: every group side by side under Telegram's limits, on a fake clock.

The rate limiter's windows (30 messages a second overall, 20 a minute per group) are
checked on virtual time: the moments recorded are the fake clock's, never wall time.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.delivery.offline import OfflineBotApi
from bot.delivery.ratelimit import TelegramRateLimiter
from bot.digest.sender import DigestService
from bot.runtime import Runtime
from domain.digest import HISTORY_WEEKS, IsoWeek, WeekPoint, weekly_digest
from domain.models import DigestStatus, IncidentCorrection, IncidentKind, IncidentStatus
from tests.bot.conftest import WIB, Clock
from tests.bot.fanout import FakeClock, Timeline, add_groups, limited_bot
from tests.bot.harness import Harness
from tests.factories import make_incident

MONDAY = datetime(2026, 11, 30, 7, 0, tzinfo=WIB)
W48 = IsoWeek(2026, 48)
GROUPS = 20  # 40 messages: more than a second's worth


async def _acquire_all(limiter: TelegramRateLimiter, clock: FakeClock, chats: list[int]) -> Any:
    moments: list[tuple[float, int]] = []

    async def one(chat: int) -> None:
        await limiter.acquire(chat)
        moments.append((clock(), chat))

    await clock.run(asyncio.gather(*(one(c) for c in chats)))
    return moments


def _most(moments: list[float], seconds: float) -> int:
    ordered = sorted(moments)
    start, most = 0, 0
    for end, moment in enumerate(ordered):
        while ordered[start] <= moment - seconds:
            start += 1
        most = max(most, end - start + 1)
    return most


async def test_the_limiter_sends_30_a_second_and_no_faster() -> None:
    clock = FakeClock()
    limiter = TelegramRateLimiter(clock=clock, sleep=clock.sleep)
    moments = await _acquire_all(limiter, clock, list(range(1, 101)))  # private chats
    times = [m for m, _ in moments]
    assert _most(times, 1.0) == 30
    assert max(times) == 3.0  # 30 at 0, 1 and 2 s, the last 10 at 3 s: the floor


async def test_the_limiter_sends_20_a_minute_to_one_group() -> None:
    clock = FakeClock()
    limiter = TelegramRateLimiter(clock=clock, sleep=clock.sleep)
    chats = [-100] * 25 + [-200] * 5
    moments = await _acquire_all(limiter, clock, chats)
    to_first = sorted(m for m, c in moments if c == -100)
    assert _most(to_first, 60.0) == 20
    assert to_first[19] == 0.0
    assert to_first[20] == 60.0
    assert all(m == 0.0 for m, c in moments if c == -200)  # the other group does not wait


async def test_a_429_holds_that_chat_for_the_time_asked_and_no_other() -> None:
    clock = FakeClock()
    limiter = TelegramRateLimiter(clock=clock, sleep=clock.sleep)
    calls: list[float] = []

    async def flooded() -> bool:
        raise RetryAfter(5)

    async def fine() -> bool:
        calls.append(clock())
        return True

    with pytest.raises(RetryAfter):
        await clock.run(
            limiter.process_request(flooded, (), {}, "sendMessage", {"chat_id": 1}, None)
        )
    await clock.run(limiter.process_request(fine, (), {}, "sendMessage", {"chat_id": 2}, None))
    await clock.run(limiter.process_request(fine, (), {}, "getMe", {}, None))
    assert calls == [0.0, 0.0]  # another chat, and a call without one, are not held
    await clock.run(limiter.process_request(fine, (), {}, "sendMessage", {"chat_id": "1"}, None))
    assert calls == [0.0, 0.0, 5.0]  # the flooded chat waits the 5 s asked


def _fan_out(
    runtime: Runtime, settings: Any, api: OfflineBotApi
) -> tuple[DigestService, FakeClock, Timeline, Any]:
    clock = FakeClock()
    limiter = TelegramRateLimiter(clock=clock, sleep=clock.sleep)
    service = DigestService(runtime, settings)
    service.sleep = clock.sleep
    timeline = Timeline(clock)
    timeline.listen(api)
    return (
        service,
        clock,
        timeline,
        limited_bot(api, settings.telegram_bot_token.get_secret_value(), limiter),
    )


async def test_every_group_gets_its_digest_once_within_the_limits(
    harness: Harness, runtime: Runtime, clock: Clock, settings: Any
) -> None:
    chats = add_groups(runtime, GROUPS, MONDAY - timedelta(days=7))
    clock.now = MONDAY
    service, fake, timeline, bot = _fan_out(runtime, settings, harness.api)
    await bot.initialize()
    assert await fake.run(service.tick(bot)) == GROUPS
    for chat in chats:
        assert [m.kind for m in harness.api.to_chat(chat)] == ["text", "photo"]
        assert timeline.most_in_window(60.0, chat) <= 20
    assert timeline.most_in_window(1.0) <= 30
    assert len(timeline.sent) == 2 * GROUPS
    assert max(m for m, _, _ in timeline.sent) >= 1.0  # 40 messages cannot go in one second
    # The text is what composing alone gives (the fan-out changes nothing of it).
    with runtime.uow() as uow:
        codes = {g.chat_id: uow.kecamatan.get(g.kecamatan_id) for g in uow.digests.groups()}
    for chat in chats[:3]:
        kecamatan = codes[chat]
        assert kecamatan is not None
        composed = service.compose(kecamatan.kode, W48, MONDAY)
        assert harness.api.to_chat(chat)[0].text == composed.messages[0]
    with runtime.uow() as uow:
        entries = [uow.digests.get_log(chat, W48.key) for chat in chats]
    assert all(e is not None and e.status is DigestStatus.SENT for e in entries)
    # A second tick (the catch-up job) sends nothing again.
    assert await fake.run(service.tick(bot)) == 0
    assert len(timeline.sent) == 2 * GROUPS
    await bot.shutdown()


async def test_a_failing_group_does_not_hold_the_others_and_is_retried(
    harness: Harness, runtime: Runtime, clock: Clock, settings: Any
) -> None:
    chats = add_groups(runtime, 6, MONDAY - timedelta(days=7))
    broken, flooded = chats[1], chats[4]
    harness.api.fail_next(broken, 502, "Bad Gateway")
    harness.api.fail_next(flooded, 429, "Too Many Requests: retry after 20", {"retry_after": 20})
    clock.now = MONDAY
    service, fake, timeline, bot = _fan_out(runtime, settings, harness.api)
    await bot.initialize()
    assert await fake.run(service.tick(bot)) == 5
    for chat in chats:
        expected = [] if chat == broken else ["text", "photo"]
        assert [m.kind for m in harness.api.to_chat(chat)] == expected
    # The flooded group waited the 20 s Telegram asked.
    first_of = {
        c: min(m for m, chat, _ in timeline.sent if chat == c) for c in chats if c != broken
    }
    assert first_of[flooded] >= 20.0
    with runtime.uow() as uow:
        entry = uow.digests.get_log(broken, W48.key)
    assert entry is not None
    assert (entry.status, entry.attempts) == (DigestStatus.FAILED, 1)
    clock.now = MONDAY + timedelta(minutes=settings.digest_retry_minutes)
    assert await fake.run(service.tick(bot)) == 1
    for chat in chats:
        assert [m.kind for m in harness.api.to_chat(chat)] == ["text", "photo"]
    await bot.shutdown()


# -- the fast paths of composing give what the simple ones gave ---------------------------------


def _marks_history(uow: Any, kecamatan_id: int, last: IsoWeek, tz: Any) -> list[WeekPoint]:
    """The history as it was counted before: every mark loaded and put in its week."""
    weeks = [last.previous(n) for n in range(HISTORY_WEEKS - 1, -1, -1)]
    tally: dict[IsoWeek, list[int]] = {w: [0, 0, 0] for w in weeks}
    for mark in uow.incidents.received_marks(kecamatan_id, weeks[0].start, last.end):
        week = IsoWeek.of(mark.received_at.astimezone(tz).date())
        if week in tally:
            tally[week][0 if mark.kind is IncidentKind.KONFLIK else 1] += 1
            tally[week][2] += mark.handled
    return [WeekPoint(w, *tally[w]) for w in weeks]


def _seed_edges(runtime: Runtime) -> None:
    """Incidents on the edges of weeks (office clock), handled, voided and corrected ones."""
    kec = runtime.kecamatan()
    moments = [
        datetime(2026, 9, 6, 23, 59, 59, tzinfo=WIB),  # the Sunday before the first week
        datetime(2026, 9, 7, 0, 0, tzinfo=WIB),  # the first week's first moment
        datetime(2026, 11, 22, 23, 59, 59, tzinfo=WIB),  # end of W47
        datetime(2026, 11, 23, 0, 0, tzinfo=WIB),  # start of W48
        datetime(2026, 11, 25, 16, 59, 59, tzinfo=UTC),  # Wednesday 23:59:59 WIB
        datetime(2026, 11, 29, 23, 59, 59, tzinfo=WIB),  # the last moment of W48
        datetime(2026, 11, 30, 0, 0, tzinfo=WIB),  # after the digest's week
    ]
    with runtime.uow() as uow:
        desa = uow.desa.list_by_kecamatan(kec.id)
        added = []
        for n, moment in enumerate(moments * 2):
            kind = IncidentKind.KONFLIK if n % 3 else IncidentKind.TRANTIBUM
            day = moment.astimezone(WIB).date()
            added.append(
                uow.incidents.add(
                    make_incident(
                        desa[n % len(desa)], kind=kind, event_date=day, received_at=moment
                    )
                )
            )
        for incident in added[::4]:
            uow.incidents.change_status(
                incident.id,
                to_status=IncidentStatus.TERTANGANI,
                note="Selesai",
                user_id=None,
                at=datetime(2026, 11, 26, 9, tzinfo=WIB),
                expected_version=1,
            )
        for incident, field_name in ((added[3], "duplicate_of"), (added[5], "category")):
            current = uow.incidents.get(incident.id)
            assert current is not None
            voided = field_name == "duplicate_of"
            corrected = replace(
                current,
                voided_at=datetime(2026, 11, 27, 9, tzinfo=WIB) if voided else None,
                duplicate_of_id=added[0].id if voided else None,
                category="lainnya" if not voided else current.category,
            )
            uow.incidents.apply_correction(
                incident.id,
                corrected=corrected,
                corrections=[IncidentCorrection(field_name, "a", "b")],
                reason="Uji",
                note="Dikoreksi",
                user_id=None,
                at=datetime(2026, 11, 27, 9, tzinfo=WIB),
                expected_version=current.version,
            )
        uow.commit()


async def test_composing_counts_as_the_simple_way_did(
    runtime: Runtime, clock: Clock, settings: Any
) -> None:
    _seed_edges(runtime)
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        digest = weekly_digest(
            uow, kecamatan_code=kec.kode, week=W48, now=MONDAY, overdue_days=7, tz=WIB
        )
        simple = _marks_history(uow, kec.id, W48, WIB)
        received = uow.incidents.received_marks(kec.id, W48.start, W48.end)
    assert digest.history == simple
    assert sum(p.total for p in simple) == 9  # outside the 12 weeks left out, one voided
    assert simple[-1].total == 5  # W48: from Monday 00:00 to Sunday 23:59:59, one voided
    assert len(received) == simple[-1].total
    assert (digest.corrected, digest.voided) == (1, 1)
