"""/tindaklanjut without a number: the open cases, 30 to a message, oldest first."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from bot import texts
from bot.delivery.offline import SentMessage
from bot.runtime import Runtime
from domain.models import IncidentKind, IncidentStatus, Role, Seksi
from tests.bot.conftest import ADMIN, Clock, add_user
from tests.bot.harness import Harness, Person
from tests.factories import make_incident

KESBANG = Person(810001, "Hasan Basri")
TRANTIB = Person(810002, "Moh. Rofiq")


def _staff(runtime: Runtime) -> None:
    add_user(runtime, KESBANG, Role.STAF_SEKSI, seksi=Seksi.KESBANG, jabatan="Kasi Kesbang")
    add_user(runtime, TRANTIB, Role.STAF_SEKSI, seksi=Seksi.TRANTIB, jabatan="Kasi Trantib")


def _open_cases(
    runtime: Runtime, clock: Clock, count: int, kind: IncidentKind = IncidentKind.KONFLIK
) -> list[str]:
    """``count`` open cases with two photos each, oldest first (stored newest first)."""
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        desa = uow.desa.list_by_kecamatan(kec.id)
        stored = [
            uow.incidents.add(
                make_incident(
                    desa[n % len(desa)],
                    kind=kind,
                    event_date=(clock.now - timedelta(days=20)).date(),
                    # The later stored, the earlier received: the list must sort them.
                    received_at=clock.now - timedelta(days=10, minutes=n),
                    photos=(f"foto-{kind}-{n}-a", f"foto-{kind}-{n}-b"),
                )
            )
            for n in range(count)
        ]
        uow.commit()
    return [i.nomor for i in reversed(stored)]


def _listed(message: SentMessage) -> list[str]:
    """The case buttons of a listing (not the page buttons)."""
    return [
        label for label in message.labels() if label not in (texts.NEXT_PAGE, texts.PREVIOUS_PAGE)
    ]


async def test_no_open_cases(harness: Harness, runtime: Runtime) -> None:
    _staff(runtime)
    await harness.send(KESBANG, "/tindaklanjut")
    assert harness.last(KESBANG).text == texts.NO_OPEN_CASES


async def test_only_the_kinds_one_follows_up_are_listed(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _staff(runtime)
    _open_cases(runtime, clock, 3, IncidentKind.TRANTIBUM)
    await harness.send(KESBANG, "/tindaklanjut")
    assert harness.last(KESBANG).text == texts.NO_OPEN_CASES
    await harness.send(TRANTIB, "/tindaklanjut")
    assert len(_listed(harness.last(TRANTIB))) == 3


async def test_exactly_thirty_cases_fit_one_message_without_a_next_button(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _staff(runtime)
    numbers = _open_cases(runtime, clock, 30)
    await harness.send(KESBANG, "/tindaklanjut")
    listing = harness.last(KESBANG)
    assert _listed(listing) == numbers  # oldest first
    assert texts.NEXT_PAGE not in listing.labels()
    assert "Halaman" not in listing.text
    assert "⚠️ terlambat" in listing.text  # ten days open


async def test_the_thirty_first_case_is_on_the_next_page(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _staff(runtime)
    numbers = _open_cases(runtime, clock, 31)
    _open_cases(runtime, clock, 4, IncidentKind.TRANTIBUM)  # not Kesbang's
    await harness.send(KESBANG, "/tindaklanjut")
    listing = harness.last(KESBANG)
    assert _listed(listing) == numbers[:30]
    assert listing.labels()[-1] == texts.NEXT_PAGE
    assert "Halaman 1 dari 2: kasus 1-30 dari 31" in listing.text
    sent = len(harness.texts(KESBANG))

    await harness.press(KESBANG, texts.NEXT_PAGE, message=listing)
    # The same message now shows the second page.
    assert len(harness.texts(KESBANG)) == sent
    assert _listed(listing) == numbers[30:]
    assert numbers[30] in listing.text
    assert numbers[0] not in listing.text
    assert "Halaman 2 dari 2: kasus 31-31 dari 31" in listing.text
    assert texts.NEXT_PAGE not in listing.labels()
    await harness.press(KESBANG, numbers[30], message=listing)
    assert numbers[30] in harness.last(KESBANG).text
    assert "Diproses" in harness.last(KESBANG).labels()

    await harness.press(KESBANG, texts.PREVIOUS_PAGE, message=listing)
    assert _listed(listing) == numbers[:30]

    # The admin follows every kind: 35 cases.
    await harness.send(ADMIN, "/tindaklanjut")
    assert "kasus 1-30 dari 35" in harness.last(ADMIN).text


@pytest.mark.parametrize("data", ["r:tp:", "r:tp:x", "r:tp:-1", "r:tp:1:2", "r:tp:1.0", "r:tp:²"])
async def test_a_malformed_page_button_is_stale_and_changes_nothing(
    harness: Harness, runtime: Runtime, clock: Clock, data: str
) -> None:
    _staff(runtime)
    _open_cases(runtime, clock, 31)
    await harness.send(KESBANG, "/tindaklanjut")
    listing = harness.last(KESBANG)
    before = (listing.text, listing.buttons, len(harness.api.messages))
    await harness.press_data(KESBANG, data, listing)
    assert harness.toasts()[-1] == texts.STALE_BUTTON
    assert (listing.text, listing.buttons, len(harness.api.messages)) == before


async def test_a_page_that_no_longer_exists_is_stale(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _staff(runtime)
    _open_cases(runtime, clock, 31)
    await harness.send(KESBANG, "/tindaklanjut")
    listing = harness.last(KESBANG)
    next_page = harness.data_of(listing, texts.NEXT_PAGE)
    with runtime.uow() as uow:
        [oldest] = uow.incidents.list_open(runtime.kecamatan().id, limit=1)
        uow.incidents.change_status(
            oldest.id,
            to_status=IncidentStatus.TERTANGANI,
            note="Sudah selesai dimediasi.",
            user_id=None,
            at=clock.now,
            expected_version=oldest.version,
        )
        uow.commit()
    before = (listing.text, listing.buttons)
    await harness.press_data(KESBANG, next_page, listing)
    assert harness.toasts()[-1] == texts.STALE_BUTTON
    assert (listing.text, listing.buttons) == before
    await harness.press_data(KESBANG, "r:tp:99", listing)
    assert harness.toasts()[-1] == texts.STALE_BUTTON


@contextmanager
def _statements(runtime: Runtime) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(runtime.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(runtime.engine, "before_cursor_execute", count)


async def test_the_statements_of_the_listing_do_not_grow_with_the_cases(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _staff(runtime)
    await harness.send(KESBANG, "/tindaklanjut")  # the first update loads the kecamatan
    _open_cases(runtime, clock, 10)
    with _statements(runtime) as ten:
        await harness.send(KESBANG, "/tindaklanjut")
    assert len(_listed(harness.last(KESBANG))) == 10
    _open_cases(runtime, clock, 90)
    with _statements(runtime) as hundred:
        await harness.send(KESBANG, "/tindaklanjut")
    assert len(_listed(harness.last(KESBANG))) == 30
    assert len(hundred) == len(ten), hundred
    # One query of photos for the whole page, one of desa names; none per case.
    assert len([s for s in hundred if "FROM incident_photo" in s]) == 1
    assert len([s for s in hundred if "FROM desa" in s]) == 1
    with _statements(runtime) as page:
        await harness.press(KESBANG, texts.NEXT_PAGE)
    assert len(page) == len(ten)
