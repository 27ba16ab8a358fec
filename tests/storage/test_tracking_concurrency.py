"""Tracking numbers under concurrent writers: consecutive, no gaps, no duplicates."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from domain.models import Desa, IncidentKind, IncidentStatus
from domain.ports import UnitOfWork
from tests.factories import make_incident
from tests.storage.builders import jakarta

THREADS = 8
PER_THREAD = 6


def _report_concurrently(
    desa: list[Desa],
    uow_factory: Callable[[], UnitOfWork],
    kind_of: Callable[[int], IncidentKind],
    *,
    abandon_every: int = 0,
) -> list[str]:
    """Each thread adds incidents in its own units of work; returns the committed numbers."""
    start = threading.Barrier(THREADS)

    def worker(index: int) -> list[str]:
        start.wait(timeout=30)
        committed: list[str] = []
        for n in range(PER_THREAD):
            with uow_factory() as uow:
                incident = uow.incidents.add(
                    make_incident(desa[index % len(desa)], kind=kind_of(index))
                )
                if abandon_every and n % abandon_every == abandon_every - 1:
                    continue  # left without commit: the number must be given again
                uow.commit()
                committed.append(incident.nomor)
        return committed

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(worker, range(THREADS)))
    return [nomor for numbers in results for nomor in numbers]


def _expected(prefix: str, count: int) -> list[str]:
    return [f"{prefix}-352808-2026-{seq:04d}" for seq in range(1, count + 1)]


def test_concurrent_writers_get_distinct_consecutive_numbers(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    numbers = _report_concurrently(desa, uow_factory, lambda _: IncidentKind.KONFLIK)
    assert len(numbers) == len(set(numbers)) == THREADS * PER_THREAD
    assert sorted(numbers) == _expected("KS", THREADS * PER_THREAD)


def test_concurrent_writers_of_both_kinds_each_get_their_own_sequence(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    numbers = _report_concurrently(
        desa,
        uow_factory,
        lambda i: IncidentKind.KONFLIK if i % 2 else IncidentKind.TRANTIBUM,
    )
    half = THREADS // 2 * PER_THREAD
    assert sorted(n for n in numbers if n.startswith("KS")) == _expected("KS", half)
    assert sorted(n for n in numbers if n.startswith("TB")) == _expected("TB", half)


def test_abandoned_units_of_work_leave_no_gaps_under_concurrency(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    numbers = _report_concurrently(
        desa, uow_factory, lambda _: IncidentKind.TRANTIBUM, abandon_every=3
    )
    committed = THREADS * (PER_THREAD - PER_THREAD // 3)
    assert sorted(numbers) == _expected("TB", committed)
    with uow_factory() as uow:
        assert uow.incidents.get_by_nomor(f"TB-352808-2026-{committed + 1:04d}") is None


def test_a_writer_waiting_on_the_first_number_of_a_year_gets_the_next_one(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    # The first writer of the year creates the counter but has not committed yet; the
    # second one cannot see it, tries to create it too, and must wait and then take 0002.
    second: list[str] = []

    def late_writer() -> None:
        with uow_factory() as uow:
            second.append(uow.incidents.add(make_incident(desa[1])).nomor)
            uow.commit()

    with uow_factory() as first:
        first_number = first.incidents.add(make_incident(desa[0])).nomor
        thread = threading.Thread(target=late_writer)
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive(), "the second writer should wait for the first"
        first.commit()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert (first_number, second) == ("KS-352808-2026-0001", ["KS-352808-2026-0002"])


def test_of_two_concurrent_status_changes_of_one_version_only_one_succeeds(
    desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        incident = uow.incidents.add(make_incident(desa[0]))
        uow.commit()
    outcomes: list[bool] = []

    def change(to_status: IncidentStatus) -> None:
        with uow_factory() as uow:
            moved = uow.incidents.change_status(
                incident.id,
                to_status=to_status,
                note=to_status.value,
                user_id=None,
                at=jakarta(2026, 3, 3),
                expected_version=1,
            )
            uow.commit()
        outcomes.append(moved is not None)

    with uow_factory() as first:
        assert (
            first.incidents.change_status(
                incident.id,
                to_status=IncidentStatus.TERTANGANI,
                note="ditangani",
                user_id=None,
                at=jakarta(2026, 3, 3),
                expected_version=1,
            )
            is not None
        )
        thread = threading.Thread(target=change, args=(IncidentStatus.DIPROSES,))
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive(), "the second change should wait for the first"
        first.commit()
    thread.join(timeout=30)
    assert outcomes == [False]
    with uow_factory() as uow:
        final = uow.incidents.get_by_nomor(incident.nomor)
        history = uow.incidents.history(incident.id)
    assert final is not None
    assert (final.status, final.version) == (IncidentStatus.TERTANGANI, 2)
    assert [e.to_status for e in history] == [IncidentStatus.BARU, IncidentStatus.TERTANGANI]


def test_concurrent_writers_in_two_kecamatan_each_number_their_own_series(
    desa: list[Desa], pademawu_desa: list[Desa], uow_factory: Callable[[], UnitOfWork]
) -> None:
    # Half the threads report in Larangan (35.28.08), half in Pademawu (35.28.09), at once:
    # each kecamatan's numbers run 0001.. without a gap or a number given twice.
    places = {0: desa, 1: pademawu_desa}
    start = threading.Barrier(THREADS)

    def worker(index: int) -> list[str]:
        start.wait(timeout=30)
        committed: list[str] = []
        for _ in range(PER_THREAD):
            with uow_factory() as uow:
                incident = uow.incidents.add(make_incident(places[index % 2][0]))
                uow.commit()
                committed.append(incident.nomor)
        return committed

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        numbers = [n for found in pool.map(worker, range(THREADS)) for n in found]
    half = THREADS // 2 * PER_THREAD
    assert sorted(n for n in numbers if "-352808-" in n) == _expected("KS", half)
    assert sorted(n for n in numbers if "-352809-" in n) == [
        f"KS-352809-2026-{seq:04d}" for seq in range(1, half + 1)
    ]
