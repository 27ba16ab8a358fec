"""The digest's, the open cases' and /laporanku's queries search the incident indexes.

Each repository call's statements are captured and explained on the same connection
(EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL). The incidents are mostly
handled and spread over two years, as in an office that has run the bot for a while;
on PostgreSQL, with statistics gathered, sequential scans are switched off so that
the plan shows which index the query can use (on a table this small a scan would win).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, insert, inspect, text
from sqlalchemy.orm import Session

from domain.models import Desa, IncidentKind, IncidentStatus, Kecamatan
from storage.repositories import SqlIncidentRepository
from storage.tables import IncidentPhotoRow, IncidentRow
from tests.storage.builders import utc

NOW = utc(2026, 11, 25, 3)
WEEK = (date(2026, 11, 16), date(2026, 11, 22))


@pytest.fixture
def filled(engine: Engine, larangan: Kecamatan, desa: list[Desa]) -> int:
    """2,000 incidents over two years, 40 of them open; returns a reporter's id."""
    rng = random.Random(5)
    rows: list[dict[str, Any]] = []
    for n in range(2000):
        received = NOW - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
        is_open = n < 40
        kind = IncidentKind.KONFLIK if n % 2 else IncidentKind.TRANTIBUM
        rows.append(
            {
                "nomor": f"{kind.prefix}-X-{n:05d}",
                "kind": kind.value,
                "tahun": 2026,
                "seq": n,
                "kecamatan_id": larangan.id,
                "desa_id": desa[n % len(desa)].id,
                "event_date": received.date(),
                "received_at": received,
                "category": "lainnya",
                "description": "Kejadian untuk rencana kueri",
                "status": (IncidentStatus.BARU if is_open else IncidentStatus.TERTANGANI).value,
                "handled_at": None if is_open else received + timedelta(hours=5),
                "reporter_id": None,
                "version": 1,
                "created_at": received,
                "updated_at": received,
            }
        )
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO app_user (telegram_id, nama, jabatan, role, kecamatan_id, status, "
                "created_at, updated_at) VALUES (1, 'Pelapor', 'Kasi', 'perangkat_desa', "
                ":kec, 'active', :now, :now)"
            ),
            {"kec": larangan.id, "now": NOW},
        )
        reporter = int(conn.execute(text("SELECT id FROM app_user")).scalar_one())
        for row in rows[::7]:
            row["reporter_id"] = reporter
        conn.execute(insert(IncidentRow), rows)
        ids = conn.execute(text("SELECT id FROM incident")).scalars().all()
        conn.execute(
            insert(IncidentPhotoRow),
            [
                {"incident_id": i, "file_id": f"f{i}", "purpose": "laporan", "created_at": NOW}
                for i in ids
            ],
        )
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE incident"))
            conn.execute(text("ANALYZE incident_photo"))
    return reporter


@pytest.fixture
def explain(engine: Engine) -> Iterator[Callable[[Callable[[Any], object]], list[str]]]:
    """Run a repository call and return the plan of each statement it sent."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET enable_seqscan = off"))

        def plans(call: Callable[[SqlIncidentRepository], object]) -> list[str]:
            sent: list[tuple[str, Any]] = []

            def capture(_c: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
                sent.append((statement, params))

            event.listen(conn, "before_cursor_execute", capture)
            try:
                with Session(bind=conn) as session:
                    call(SqlIncidentRepository(session))
            finally:
                event.remove(conn, "before_cursor_execute", capture)
            return [_plan(conn, statement, params) for statement, params in sent]

        yield plans


def _plan(conn: Connection, statement: str, params: Any) -> str:
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        prefix = "EXPLAIN QUERY PLAN " if conn.dialect.name == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + statement, params)
        return "\n".join(
            str(row[-1] if conn.dialect.name == "sqlite" else row[0]) for row in cursor.fetchall()
        )
    finally:
        cursor.close()


def _incident_plan(plans: list[str]) -> str:
    [plan] = [p for p in plans if "incident_photo" not in p]
    return plan


@pytest.mark.usefixtures("filled")
@pytest.mark.parametrize(
    ("name", "call", "index"),
    [
        (
            "received",
            lambda r, k: r.received_marks(k, *WEEK),
            "ix_incident_kec_received",
        ),
        (
            "handled",
            lambda r, k: r.list_handled(k, *WEEK),
            "ix_incident_kec_handled",
        ),
        (
            "open page",
            lambda r, k: r.list_open(k, limit=30, offset=30),
            "ix_incident_open",
        ),
        (
            "open count",
            lambda r, k: r.count_open(k),
            "ix_incident_open",
        ),
        (
            "overdue count",
            lambda r, k: r.count_open(k, received_before=NOW - timedelta(days=7)),
            "ix_incident_open",
        ),
        (
            "open page of a kind",
            lambda r, k: r.list_open(k, IncidentKind.KONFLIK, limit=30),
            "ix_incident_open_kind",
        ),
        (
            "open count of a kind",
            lambda r, k: r.count_open(k, kind=IncidentKind.KONFLIK),
            "ix_incident_open_kind",
        ),
    ],
)
def test_the_digest_and_open_case_queries_use_their_index(
    explain: Callable[[Callable[[Any], object]], list[str]],
    engine: Engine,
    larangan: Kecamatan,
    name: str,
    call: Callable[[SqlIncidentRepository, int], object],
    index: str,
) -> None:
    plan = _incident_plan(explain(lambda repo: call(repo, larangan.id)))
    used = set(re.findall(r"\bix_incident_\w+", plan))
    expected = {index}
    if engine.dialect.name == "postgresql" and index == "ix_incident_open":
        # Both open-case indexes hold only the 40 open rows: on a table this small
        # PostgreSQL's costs do not tell them apart (on 20,000 it takes this one).
        expected.add("ix_incident_open_kind")
    assert used, f"{name}: {plan}"
    assert used <= expected, f"{name}: {plan}"


def test_reported_desa_searches_both_the_event_date_and_the_received_indexes(
    explain: Callable[[Callable[[Any], object]], list[str]], larangan: Kecamatan, filled: int
) -> None:
    # Two searches, one per range (an OR of both in one WHERE walked the kecamatan's rows):
    # the event dates through either index that starts with (kecamatan, event date).
    [plan] = explain(lambda repo: repo.reported_desa(larangan.id, *WEEK))
    assert re.search(r"ix_incident_(kec_event|iku)\b", plan), plan
    assert "ix_incident_kec_received" in plan, plan


def test_the_iku_counts_of_several_kecamatan_search_the_iku_index(
    explain: Callable[[Callable[[Any], object]], list[str]],
    engine: Engine,
    larangan: Kecamatan,
    filled: int,
) -> None:
    [plan] = explain(lambda repo: repo.status_counts([larangan.id, larangan.id + 1], *WEEK))
    # A search of the period's rows, not a walk of all the kecamatan's. (The void time is
    # read from the table: with it in the index SQLite took that covering index for the
    # open-case counts too, over the small partial index that holds only open cases.)
    assert "ix_incident_iku" in plan, plan
    if engine.dialect.name == "sqlite":
        assert "kecamatan_id=? AND event_date>? AND event_date<?" in plan, plan
    else:
        assert re.search(r"Index Cond: .*event_date >=", plan), plan  # not a filter after it


def test_laporanku_and_the_photos_use_their_indexes(
    explain: Callable[[Callable[[Any], object]], list[str]], filled: int
) -> None:
    incidents, photos = explain(lambda repo: repo.list_by_reporter(filled, limit=20))
    assert "ix_incident_reporter_received" in incidents, incidents
    assert "ix_incident_photo_incident_id" in photos, photos


def test_the_open_case_indexes_hold_only_the_cases_not_handled(engine: Engine) -> None:
    # The drift check compares columns, not the conditions of partial indexes.
    option = f"{engine.dialect.name}_where"
    found = {
        str(i["name"]): str(i.get("dialect_options", {}).get(option, ""))
        for i in inspect(engine).get_indexes("incident")
    }
    for name in ("ix_incident_open", "ix_incident_open_kind"):
        assert "status" in found[name], found
        assert "<> 'tertangani'" in found[name], found
    assert found["ix_incident_kec_received"] == ""
