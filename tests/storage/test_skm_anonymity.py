"""SKM anonymity against whoever holds the database, its backups and the SKM key.

Method (README "Anonimitas SKM"): ten known people answer, in a known order, with
answer sets that can be recognised (a unique marker in the suggestion, a distinct
age); the pool is flushed twice (a fixed seed, so that the outcome is the same on
every run). Then, as the attacker, who knows the key (so every person's hash) and
the order in which the people answered (the outbox shows it):

- SQLite: the raw bytes of the database file, of its -wal file and of a copy made
  with the backup API: each marker is there once (the pooled copy is zeroed, the log
  is empty), and neither the rowid order nor the order in the file follows the order
  of answering;
- PostgreSQL: ``pg_dump``, ``ctid`` and ``xmin``: the answers of a flush share one
  transaction id with every hash, the hashes lie in hash order, the pool has no
  tuple and a new, empty file, and the order in the dump is not the order of answering.

The same attack run on answers stored the naive way (each response next to its hash,
in the submitting transaction) pairs every person with their answers: the checks can fail.
"""

from __future__ import annotations

import random
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url

from domain.models import Kecamatan, SkmResponse, SkmService
from domain.ports import UnitOfWork
from domain.skm import UNSUR, skm_from_totals
from domain.survey import (
    AlreadyAnswered,
    SurveyAnswers,
    dedup_key,
    flush_survey_pool,
    submit_survey,
    survey_period,
)
from storage.repositories.skm import rewrite_drafts
from storage.tables import DraftRow
from tests.storage.builders import jakarta

UowFactory = Callable[[], UnitOfWork]

NOW = jakarta(2026, 3, 5, 10)
SECRET = b"kunci-rahasia-server"
PEOPLE = [812_000_000_100 + 7 * i for i in range(10)]  # in the order they answer
FIRST_BATCH = 6


def _marker(person: int) -> str:
    return f"PENANDA{person}X"


def _survey(service: SkmService, index: int, person: int) -> SurveyAnswers:
    return SurveyAnswers(
        service_id=service.id,
        jenis_kelamin="P" if index % 2 else "L",
        usia=20 + index,
        pendidikan="SMA",
        pekerjaan="Wirausaha",
        answers={key: 1 + (index + i) % 4 for i, key in enumerate(UNSUR)},
        saran=_marker(person),
    )


def _service(uow_factory: UowFactory, kecamatan: Kecamatan) -> SkmService:
    with uow_factory() as uow:
        service = uow.skm.add_service(
            SkmService(id=0, kecamatan_id=kecamatan.id, kode="ktp", nama="KTP", active=True)
        )
        uow.commit()
    return service


def _answer(uow_factory: UowFactory, kecamatan: Kecamatan, service: SkmService, index: int) -> None:
    with uow_factory() as uow:
        submit_survey(
            uow,
            kecamatan_id=kecamatan.id,
            telegram_id=PEOPLE[index],
            survey=_survey(service, index, PEOPLE[index]),
            secret=SECRET,
            now=NOW,
        )
        uow.commit()


def _flush(uow_factory: UowFactory, seed: int) -> int:
    with uow_factory() as uow:
        moved = flush_survey_pool(uow, rng=random.Random(seed))
        uow.commit()
    return moved


def _naive(uow_factory: UowFactory, kecamatan: Kecamatan, service: SkmService) -> None:
    """The design this replaces: the response and its hash written in one transaction."""
    for index, person in enumerate(PEOPLE):
        survey = _survey(service, index, person)
        with uow_factory() as uow:
            assert uow.skm.claim_dedup(_hash(kecamatan, service, person), survey_period(NOW))
            uow.skm.add_response(
                SkmResponse(
                    kecamatan_id=kecamatan.id,
                    survey_date=NOW.date(),
                    answers=dict(survey.answers),
                    service_id=service.id,
                    jenis_kelamin=survey.jenis_kelamin,
                    usia=survey.usia,
                    pendidikan=survey.pendidikan,
                    pekerjaan=survey.pekerjaan,
                    saran=survey.saran,
                    source="bot",
                )
            )
            uow.commit()


def _hash(kecamatan: Kecamatan, service: SkmService, person: int) -> str:
    return dedup_key(
        SECRET, telegram_id=person, kecamatan_id=kecamatan.id, service_id=service.id, day=NOW.date()
    )


def _nik(uow_factory: UowFactory, kecamatan: Kecamatan) -> tuple[int, Decimal]:
    with uow_factory() as uow:
        totals = uow.skm.totals(kecamatan.id, NOW.date(), NOW.date())
    result = skm_from_totals(totals.totals, totals.respondents)
    assert result is not None
    return (result.respondents, result.nik)


def _people_in(order: list[str]) -> list[int]:
    """The markers found, in the order found, as the people they name."""
    return [int(m) for m in re.findall(r"PENANDA(\d+)X", " ".join(order))]


def _by_rowid(engine: Engine) -> list[int]:
    """Attack 1: the responses in the order the database keeps them (id, rowid, ctid)."""
    order = "ctid" if engine.dialect.name == "postgresql" else "rowid"
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(f"SELECT saran FROM skm_response ORDER BY {order}")
        return _people_in([row[0] for row in rows])


def _by_claim_order(engine: Engine, kecamatan: Kecamatan, service: SkmService) -> list[int]:
    """The people in the order their hashes are kept (the key names every hash)."""
    person_of = {_hash(kecamatan, service, person): person for person in PEOPLE}
    order = "ctid" if engine.dialect.name == "postgresql" else "rowid"
    if engine.dialect.name == "sqlite":
        order = "key_hash"  # a table without rowid: kept in key order, nothing else
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(f"SELECT key_hash FROM skm_dedup ORDER BY {order}")
        return [person_of[row[0]] for row in rows]


def _file_order(data: bytes) -> list[int]:
    """The people by where their markers lie in raw bytes."""
    return [int(m) for m in re.findall(rb"PENANDA(\d+)X", data)]


def _setup(uow_factory: UowFactory, larangan: Kecamatan) -> SkmService:
    service = _service(uow_factory, larangan)
    for index in range(FIRST_BATCH):
        _answer(uow_factory, larangan, service, index)
    assert _nik(uow_factory, larangan)[0] == FIRST_BATCH
    return service


def _rest(uow_factory: UowFactory, larangan: Kecamatan, service: SkmService) -> None:
    """Flush, answer the rest, flush again: the figures the same before and after each."""
    before = _nik(uow_factory, larangan)
    assert _flush(uow_factory, seed=11) == FIRST_BATCH
    assert _nik(uow_factory, larangan) == before
    for index in range(FIRST_BATCH, len(PEOPLE)):
        _answer(uow_factory, larangan, service, index)
    before = _nik(uow_factory, larangan)
    assert before[0] == len(PEOPLE)  # pooled answers count at once
    assert _flush(uow_factory, seed=12) == len(PEOPLE) - FIRST_BATCH
    assert _nik(uow_factory, larangan) == before


def _refused(uow_factory: UowFactory, larangan: Kecamatan, service: SkmService) -> None:
    with pytest.raises(AlreadyAnswered), uow_factory() as uow:
        submit_survey(
            uow,
            kecamatan_id=larangan.id,
            telegram_id=PEOPLE[0],
            survey=_survey(service, 0, PEOPLE[0]),
            secret=SECRET,
            now=NOW,
        )


def _sqlite_path(engine: Engine) -> Path:
    database = make_url(str(engine.url)).database
    assert database is not None
    return Path(database)


def _raw(path: Path) -> bytes:
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_the_order_of_answering_is_gone_from_the_file_the_log_and_a_backup(
    engine: Engine, uow_factory: UowFactory, larangan: Kecamatan, tmp_path: Path
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's bytes; PostgreSQL has its own test below")
    path = _sqlite_path(engine)
    service = _setup(uow_factory, larangan)
    # Before a flush the answers are readable in the file or its log: the check can see.
    assert set(_file_order(_raw(path))) >= set(PEOPLE[:FIRST_BATCH])
    _refused(uow_factory, larangan, service)
    _rest(uow_factory, larangan, service)
    engine.dispose()

    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed and cut to zero
    copy = tmp_path / "salinan.db"
    with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    for data in (_raw(path), copy.read_bytes()):
        found = _file_order(data)
        # Each answer once: the pooled copy is zeroed (secure_delete), not left in a free page.
        assert sorted(found) == sorted(PEOPLE)
        assert found not in (PEOPLE, PEOPLE[::-1])
    rowid_order = _by_rowid(engine)
    assert sorted(rowid_order) == sorted(PEOPLE)
    assert rowid_order != PEOPLE  # the order of answering does not pair people with answers
    assert rowid_order != _by_claim_order(engine, larangan, service)
    # A flush shuffles within its batch only: the batches are the anonymity sets.
    assert set(rowid_order[:FIRST_BATCH]) == set(PEOPLE[:FIRST_BATCH])
    _refused(uow_factory, larangan, service)


def test_the_naive_design_is_caught_by_the_same_attack(
    engine: Engine, uow_factory: UowFactory, larangan: Kecamatan
) -> None:
    """The control: responses written next to their hashes follow the order of answering."""
    service = _service(uow_factory, larangan)
    _naive(uow_factory, larangan, service)
    assert _by_rowid(engine) == PEOPLE  # every person paired with their own answers
    if engine.dialect.name == "sqlite":
        path = _sqlite_path(engine)
        engine.dispose()
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert _file_order(_raw(path)) in (PEOPLE, PEOPLE[::-1])  # and in the bytes
    if engine.dialect.name == "postgresql":
        assert _by_claim_order(engine, larangan, service) == PEOPLE
        with engine.connect() as connection:
            pairs = connection.exec_driver_sql(
                "SELECT r.saran, d.key_hash FROM skm_response r JOIN skm_dedup d "
                "ON r.xmin::text = d.xmin::text"
            ).all()
        person_of = {_hash(larangan, service, person): person for person in PEOPLE}
        assert {(m, person_of[h]) for m, h in pairs} == {(_marker(p), p) for p in PEOPLE}


def _pg(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(sql)]


def test_postgresql_dump_ctid_and_xmin_show_no_pairing(
    engine: Engine, uow_factory: UowFactory, larangan: Kecamatan
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's dump and system columns; SQLite has its own test above")
    pg_dump = shutil.which("pg_dump")
    assert pg_dump is not None, "pg_dump (klien PostgreSQL) harus terpasang"
    service = _setup(uow_factory, larangan)
    # Before a flush a pooled answer and its hash share the submitting transaction's id:
    # the very pairing the flush removes, so these queries can see it.
    person_of = {_hash(larangan, service, person): person for person in PEOPLE}
    pooled = _pg(
        engine,
        "SELECT p.saran, d.key_hash FROM skm_pool p "
        "JOIN skm_dedup d ON p.xmin::text = d.xmin::text",
    )
    assert {(m, person_of[str(h)]) for m, h in pooled} == {
        (_marker(p), p) for p in PEOPLE[:FIRST_BATCH]
    }
    (pool_file,) = _pg(engine, "SELECT pg_relation_filenode('skm_pool')")[0]
    _refused(uow_factory, larangan, service)
    _rest(uow_factory, larangan, service)

    assert _pg(engine, "SELECT count(*), pg_relation_size('skm_pool') FROM skm_pool") == [(0, 0)]
    assert _pg(engine, "SELECT pg_relation_filenode('skm_pool')")[0][0] != pool_file
    xmins = _pg(engine, "SELECT DISTINCT xmin::text FROM skm_dedup")
    assert len(xmins) == 1  # every hash rewritten by the last flush
    flushed = _pg(engine, "SELECT xmin::text, count(*) FROM skm_response GROUP BY 1 ORDER BY 2")
    assert [count for _, count in flushed] == [len(PEOPLE) - FIRST_BATCH, FIRST_BATCH]
    assert flushed[0][0] == xmins[0][0]  # the last batch shares one id with all hashes
    claims = _pg(engine, "SELECT key_hash FROM skm_dedup ORDER BY ctid")
    assert claims == sorted(claims)  # hash order: nothing of the order of answering
    # Joined by transaction id, the last batch pairs with every hash alike.
    joined = "SELECT count(*) FROM skm_response r JOIN skm_dedup d ON r.xmin::text = d.xmin::text"
    assert _pg(engine, joined)[0][0] == (len(PEOPLE) - FIRST_BATCH) * len(PEOPLE)

    ctid_order = _by_rowid(engine)
    assert sorted(ctid_order) == sorted(PEOPLE)
    assert ctid_order != PEOPLE
    assert ctid_order != _by_claim_order(engine, larangan, service)
    url = make_url(str(engine.url)).set(drivername="postgresql")
    dump = subprocess.run(
        [pg_dump, "--data-only", url.render_as_string(hide_password=False)],
        check=True,
        capture_output=True,
    ).stdout
    dumped = _file_order(dump)
    assert sorted(dumped) == sorted(PEOPLE)  # once each: nothing left in the pool
    assert dumped != PEOPLE
    ids = _pg(engine, "SELECT saran FROM skm_response ORDER BY id")
    assert _people_in([str(row[0]) for row in ids]) != PEOPLE
    _refused(uow_factory, larangan, service)


def _raw_pages(engine: Engine, table: str) -> bytes:
    """The table's pages as PostgreSQL holds them, dead tuples included (pageinspect)."""
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pageinspect")
        pages = connection.exec_driver_sql(
            f"SELECT get_raw_page('{table}', b::int) FROM generate_series(0, "
            f"pg_relation_size('{table}') / current_setting('block_size')::int - 1) b"
        ).all()
        connection.commit()
    return b"".join(bytes(page[0]) for page in pages)


def test_postgresql_old_versions_of_a_finished_draft_are_dropped_at_the_end_of_the_day(
    engine: Engine,
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's dead tuples; SQLite zeroes them (secure_delete)")
    with engine.begin() as connection:
        connection.execute(
            DraftRow.__table__.insert(),  # type: ignore[attr-defined]
            {
                "chat_id": PEOPLE[0],
                "user_id": PEOPLE[0],
                "flow": "skm",
                "step": "usia",
                "data": {"saran": _marker(PEOPLE[0])},
                "token": "t",
                "version": 1,
                "updated_at": NOW,
            },
        )
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE draft SET step = 'saran', version = 2")
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM draft")  # the questionnaire was submitted
    # Deleted, yet still in the table's pages: the check sees what the rewrite removes.
    assert _marker(PEOPLE[0]).encode() in _raw_pages(engine, "draft")
    rewrite_drafts(engine)
    assert _marker(PEOPLE[0]).encode() not in _raw_pages(engine, "draft")


def test_a_flush_that_does_not_commit_leaves_every_answer_pooled(
    uow_factory: UowFactory, larangan: Kecamatan
) -> None:
    service = _setup(uow_factory, larangan)
    with uow_factory() as uow:
        assert flush_survey_pool(uow, rng=random.Random(1)) == FIRST_BATCH
        # the process dies here: no commit
    with uow_factory() as uow:
        assert uow.skm.pool_sizes() == {larangan.id: FIRST_BATCH}
        assert uow.skm.count_responses(service.id) == FIRST_BATCH  # each counted once
    assert _flush(uow_factory, seed=2) == FIRST_BATCH
    with uow_factory() as uow:
        assert uow.skm.pool_sizes() == {}
        assert uow.skm.count_responses(service.id) == FIRST_BATCH
