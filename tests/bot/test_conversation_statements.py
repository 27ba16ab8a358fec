"""The statements of one conversation step: counted, so that a gain cannot silently go.

A step of ``/lapor`` is one transaction: the update claimed, the sender's registration
and draft read together, the draft saved, the replies queued; then the outbox records
what it delivered. Every statement more is a round trip more on PostgreSQL, on every
update. When a change removes one, shorten the expected lists here.
"""

from __future__ import annotations

import re

from bot.runtime import Runtime
from domain.models import Role, Seksi
from tests.bot.conftest import add_user
from tests.bot.harness import Harness, Person
from tests.storage.builders import captured_statements

PERANGKAT = Person(830001, "Ahmad Fauzi")
WARGA = Person(830002, "Warga")
PELTONG = "35.28.08.2001"

_TABLES = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE)\s+(\w+)", re.IGNORECASE)


# What the application's background workers read now and then, whatever the updates do:
# the outbox's and the evidence fetcher's sweeps (they would make the counts flaky).
_SWEEPS = {"SELECT outbox", "SELECT evidence_file"}


def _shape(sql: str) -> str:
    """``VERB table[+table...]`` of a statement, e.g. ``SELECT app_user+draft``."""
    verb = sql.split(None, 1)[0].upper()
    return f"{verb} {'+'.join(dict.fromkeys(t.lower() for t in _TABLES.findall(sql)))}"


def _shapes(statements: list[str]) -> list[str]:
    """The shapes of the statements the update caused, in order (sweeps left out)."""
    return [shape for shape in map(_shape, statements) if shape not in _SWEEPS]


# The start of every update: claimed, and the sender's registration and draft read. On
# PostgreSQL in one statement (the claim a data-modifying CTE), on SQLite in two.
START = {
    "postgresql": ["WITH handled_update+claimed+app_user+draft"],
    "sqlite": ["INSERT handled_update", "SELECT app_user+draft"],
}
DELIVERED = ["UPDATE outbox"]  # the outbox records what it delivered


def _start(runtime: Runtime) -> list[str]:
    return START[runtime.engine.dialect.name]


def _queued(runtime: Runtime, messages: int) -> list[str]:
    """The replies of an update queued: on PostgreSQL one ordered INSERT of them all, on
    SQLite one INSERT each (its multi-row RETURNING promises no order)."""
    if runtime.engine.dialect.name == "postgresql":
        return ["INSERT outbox"]
    return ["INSERT outbox"] * messages


async def test_a_step_of_a_report_is_one_read_one_draft_write_and_its_replies(
    harness: Harness, runtime: Runtime
) -> None:
    add_user(runtime, PERANGKAT, Role.PERANGKAT_DESA, desa_kode=PELTONG, jabatan="Kasi Pem")
    await harness.send(PERANGKAT, "/lapor")
    await harness.press(PERANGKAT, "Trantibum")
    before = len(harness.texts(PERANGKAT))

    with captured_statements(runtime.engine) as statements:
        await harness.press(PERANGKAT, "Hari ini")

    assert len(harness.texts(PERANGKAT)) == before + 1  # the next question came
    # The pressed question's buttons taken off (an edit) and the next question.
    assert _shapes(statements.sql) == [
        *_start(runtime),
        "UPDATE draft",
        *_queued(runtime, 2),
        *DELIVERED,
    ]


async def test_a_citizens_command_reads_once_and_writes_no_draft(harness: Harness) -> None:
    await harness.send(Person(830003, "Warga lain"), "/bantuan")  # what is looked up once
    with captured_statements(harness.runtime.engine) as statements:
        await harness.send(WARGA, "/bantuan")

    assert harness.texts(WARGA)
    assert _shapes(statements.sql) == [
        *_start(harness.runtime),
        *_queued(harness.runtime, 1),
        *DELIVERED,
    ]


async def _until_kirim(harness: Harness) -> None:
    """A /lapor report up to its summary (the question with "Kirim")."""
    await harness.send(PERANGKAT, "/lapor")
    for label in ("Trantibum", "Hari ini", "Pencurian"):
        await harness.press(PERANGKAT, label)
    await harness.send(PERANGKAT, "Sepeda motor warga hilang di halaman masjid.")
    await harness.press(PERANGKAT, "Lewati")
    await harness.press(PERANGKAT, "Lewati")


async def test_the_last_step_of_a_report_stores_it_in_few_statements(
    harness: Harness, runtime: Runtime
) -> None:
    add_user(runtime, PERANGKAT, Role.PERANGKAT_DESA, desa_kode=PELTONG, jabatan="Kasi Pem")
    trantib = Person(830004, "Kasi Trantib")
    add_user(runtime, trantib, Role.STAF_SEKSI, seksi=Seksi.TRANTIB, jabatan="Kasi Trantib")
    await _until_kirim(harness)
    await harness.press(PERANGKAT, "Kirim")  # the first of the year creates the counter
    await _until_kirim(harness)

    with captured_statements(runtime.engine) as statements:
        await harness.press(PERANGKAT, "Kirim")

    assert harness.texts(trantib)  # the seksi got the card
    # The desa read once (not again for the card), the reporter not read again (the
    # sender), the counter bumped with the kecamatan's code in one statement, the report
    # and its first event as Core INSERTs, the staff read as Core rows.
    assert _shapes(statements.sql) == [
        *_start(runtime),
        "SELECT desa",
        "UPDATE tracking_counter+kecamatan",
        "INSERT incident",
        "INSERT incident_event",
        "INSERT audit_log",
        "SELECT app_user",
        "DELETE draft",
        *_queued(runtime, 3),  # the buttons taken off, the confirmation, the card
        *DELIVERED,
    ]
