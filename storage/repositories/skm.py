"""SKM (Survei Kepuasan Masyarakat) services and responses.

Chat answers wait in ``skm_pool`` and are written to ``skm_response`` in shuffled
batches (:meth:`SqlSkmRepository.store_flushed`); every figure reads both tables
(:func:`skm_answers`), so a pooled answer counts at once and exactly once.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Engine, Subquery, case, delete, event, func, insert, select, union_all
from sqlmodel import col

from domain.models import SkmResponse, SkmService
from domain.ports import SkmTotals
from domain.skm import SCORE_MAX, SCORE_MIN, UNSUR, UnsurTotal
from storage.repositories._base import _insert_once, _Repo
from storage.tables import SkmDedupRow, SkmPoolRow, SkmResponseRow, SkmServiceRow

__all__ = ["SqlSkmRepository", "skm_answers", "rewrite_drafts"]

_ANSWER_COLUMNS = (
    "kecamatan_id",
    "service_id",
    "survey_date",
    *(f"u_{key}" for key in UNSUR),
    "jenis_kelamin",
    "usia",
    "pendidikan",
    "pekerjaan",
    "saran",
)


def skm_answers(*names: str) -> Subquery:
    """Columns of every response, stored or still pooled (UNION ALL: a row is in one table).

    Only the columns named (all by default), so that a count reads no suggestion.
    """
    chosen = names or _ANSWER_COLUMNS
    stored = select(*(getattr(SkmResponseRow, name) for name in chosen))
    pooled = select(*(getattr(SkmPoolRow, name) for name in chosen))
    return union_all(stored, pooled).subquery("skm_answers")


def _pooled(row: SkmPoolRow) -> SkmResponse:
    return SkmResponse(
        kecamatan_id=row.kecamatan_id,
        survey_date=row.survey_date,
        answers={key: getattr(row, f"u_{key}") for key in UNSUR},
        service_id=row.service_id,
        jenis_kelamin=row.jenis_kelamin,
        usia=row.usia,
        pendidikan=row.pendidikan,
        pekerjaan=row.pekerjaan,
        saran=row.saran,
        source="bot",
    )


def _checkpoint(engine: Engine) -> None:
    """Empty SQLite's write-ahead log into the file and cut it to zero bytes.

    Run after the flush commits: the log still holds the pages of every submission
    (pool row next to its hash) until then. Best effort: a reader that still holds
    an older snapshot keeps its frames until the next flush.
    """
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def rewrite_drafts(engine: Engine) -> None:
    """PostgreSQL: rewrite the draft table into a new file (``VACUUM FULL``).

    Every step of a questionnaire updates its draft (the chat id next to the answers
    so far); PostgreSQL keeps the old versions as dead tuples in the table's file
    until the space is reused. Rewriting drops them. SQLite needs nothing: with
    ``secure_delete`` the old cells are zeroed, and the checkpoint empties the log.
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM FULL draft")


def _service(row: SkmServiceRow) -> SkmService:
    assert row.id is not None
    return SkmService(
        row.id, row.kecamatan_id, row.kode, row.nama, row.population, row.active, row.example
    )


class SqlSkmRepository(_Repo):
    """SKM services and responses."""

    def add_response(self, response: SkmResponse) -> int:
        """Store one anonymous response."""
        row = SkmResponseRow(
            kecamatan_id=response.kecamatan_id,
            service_id=response.service_id,
            survey_date=response.survey_date,
            # The day only, never the moment: a time would let the answers be matched
            # with the moment someone was served or with the duplicate check.
            created_at=datetime.combine(response.survey_date, time.min, tzinfo=UTC),
            jenis_kelamin=response.jenis_kelamin,
            usia=response.usia,
            pendidikan=response.pendidikan,
            pekerjaan=response.pekerjaan,
            saran=response.saran,
            source=response.source,
            batch_id=response.batch_id,
        )
        for key in UNSUR:
            setattr(row, f"u_{key}", response.answers.get(key))
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        return row.id

    def pool_response(self, response: SkmResponse) -> None:
        """Store a chat answer in the pool under a random key (no rowid, no time)."""
        row = SkmPoolRow(
            id=secrets.token_hex(16),
            kecamatan_id=response.kecamatan_id,
            service_id=response.service_id,
            survey_date=response.survey_date,
            jenis_kelamin=response.jenis_kelamin,
            usia=response.usia,
            pendidikan=response.pendidikan,
            pekerjaan=response.pekerjaan,
            saran=response.saran,
        )
        for key in UNSUR:
            setattr(row, f"u_{key}", response.answers.get(key))
        self.session.add(row)
        self.session.flush()

    def pool_sizes(self) -> dict[int, int]:
        """How many answers wait in the pool, per kecamatan."""
        rows = self.session.execute(
            select(col(SkmPoolRow.kecamatan_id), func.count()).group_by(
                col(SkmPoolRow.kecamatan_id)
            )
        )
        return {int(kecamatan_id): int(count) for kecamatan_id, count in rows}

    def take_pool(self) -> list[SkmResponse]:
        """Lock the pool and the hashes for this transaction and read the pool by content.

        PostgreSQL: ACCESS EXCLUSIVE on both tables first (TRUNCATE needs it; taken
        up front so no answer committed between this read and the TRUNCATE is lost).
        SQLite: a write statement first, so the transaction holds the write lock.
        The order returned is the answers' own, never the order of submission.
        """
        self.session.flush()
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("LOCK TABLE skm_pool, skm_dedup IN ACCESS EXCLUSIVE MODE")
        else:
            connection.exec_driver_sql("DELETE FROM skm_pool WHERE 1 = 0")
        rows = self.session.scalars(
            select(SkmPoolRow).order_by(
                *(getattr(SkmPoolRow, name) for name in _ANSWER_COLUMNS), col(SkmPoolRow.id)
            )
        ).all()
        return [_pooled(row) for row in rows]

    def store_flushed(self, ordered: Sequence[SkmResponse]) -> None:
        """Write the taken pool to ``skm_response`` in the given order and empty the pool.

        In the same transaction every hash is rewritten in hash order, so that neither
        the physical order of the hashes nor (PostgreSQL) their xmin follows the order
        of answering: all rows this writes share one transaction id. PostgreSQL empties
        both tables with TRUNCATE (new files, no dead tuples of the submissions left);
        SQLite deletes with ``secure_delete`` on (the engine sets it), and the
        write-ahead log is checkpointed and truncated once this commits.
        """
        session = self.session
        for loaded in list(session.identity_map.values()):
            if isinstance(loaded, SkmPoolRow):  # gone below: never flush them again
                session.expunge(loaded)
        connection = session.connection()
        postgresql = connection.dialect.name == "postgresql"
        if ordered:
            connection.execute(
                insert(SkmResponseRow),
                [self._response_values(response) for response in ordered],
            )
        claims = sorted(
            connection.execute(select(col(SkmDedupRow.key_hash), col(SkmDedupRow.period)))
        )
        if postgresql:
            connection.exec_driver_sql("TRUNCATE skm_pool, skm_dedup")
        else:
            connection.execute(delete(SkmPoolRow))
            connection.execute(delete(SkmDedupRow))
        for start in range(0, len(claims), 500):
            connection.execute(
                insert(SkmDedupRow),
                [{"key_hash": k, "period": p} for k, p in claims[start : start + 500]],
            )
        bind = session.get_bind()
        if not postgresql and isinstance(bind, Engine):
            event.listen(session, "after_commit", lambda _s: _checkpoint(bind), once=True)

    @staticmethod
    def _response_values(response: SkmResponse) -> dict[str, Any]:
        values: dict[str, Any] = {
            "kecamatan_id": response.kecamatan_id,
            "service_id": response.service_id,
            "survey_date": response.survey_date,
            "created_at": datetime.combine(response.survey_date, time.min, tzinfo=UTC),
            "jenis_kelamin": response.jenis_kelamin,
            "usia": response.usia,
            "pendidikan": response.pendidikan,
            "pekerjaan": response.pekerjaan,
            "saran": response.saran,
            "source": response.source,
            "batch_id": None,
        }
        for key in UNSUR:
            values[f"u_{key}"] = response.answers.get(key)
        return values

    def claim_dedup(self, key_hash: str, period: str) -> bool:
        """INSERT ... ON CONFLICT DO NOTHING on the keyed hash: True only for the first."""
        return _insert_once(
            self.session, SkmDedupRow, {"key_hash": key_hash, "period": period}, key=["key_hash"]
        )

    def has_dedup(self, key_hash: str) -> bool:
        """Whether the keyed hash is stored (an indexed lookup)."""
        found = self.session.scalar(
            select(col(SkmDedupRow.key_hash)).where(col(SkmDedupRow.key_hash) == key_hash).limit(1)
        )
        return found is not None

    def get_service(self, service_id: int) -> SkmService | None:
        """By id."""
        row = self.session.get(SkmServiceRow, service_id)
        return None if row is None else _service(row)

    def get_service_by_code(self, kecamatan_id: int, kode: str) -> SkmService | None:
        """By code, case-insensitive."""
        row = self.session.scalars(
            select(SkmServiceRow).where(
                col(SkmServiceRow.kecamatan_id) == kecamatan_id,
                func.lower(col(SkmServiceRow.kode)) == kode.strip().lower(),
            )
        ).first()
        return None if row is None else _service(row)

    def find_service_by_name(self, kecamatan_id: int, nama: str) -> SkmService | None:
        """By name, case-insensitive."""
        row = self.session.scalars(
            select(SkmServiceRow).where(
                col(SkmServiceRow.kecamatan_id) == kecamatan_id,
                func.lower(col(SkmServiceRow.nama)) == " ".join(nama.split()).lower(),
            )
        ).first()
        return None if row is None else _service(row)

    def list_services(self, kecamatan_id: int) -> list[SkmService]:
        """Services of a kecamatan."""
        rows = self.session.scalars(
            select(SkmServiceRow)
            .where(col(SkmServiceRow.kecamatan_id) == kecamatan_id)
            .order_by(col(SkmServiceRow.nama))
        )
        return [_service(r) for r in rows]

    def add_service(self, service: SkmService) -> SkmService:
        """Create a service."""
        row = SkmServiceRow(
            kecamatan_id=service.kecamatan_id,
            kode=service.kode,
            nama=service.nama,
            population=service.population,
            active=service.active,
            example=service.example,
        )
        self.session.add(row)
        self.session.flush()
        return _service(row)

    def update_service(self, service: SkmService) -> SkmService:
        """Store name, population, active flag and example mark of an existing service."""
        row = self.session.get(SkmServiceRow, service.id)
        if row is None:
            raise LookupError(f"layanan {service.id} tidak ada")
        row.nama, row.population, row.active = service.nama, service.population, service.active
        row.example = service.example
        self.session.flush()
        return _service(row)

    def delete_service(self, service_id: int) -> None:
        """DELETE; the foreign key of its responses refuses a service that has some."""
        row = self.session.get(SkmServiceRow, service_id)
        if row is None:
            raise LookupError(f"layanan {service_id} tidak ada")
        self.session.delete(row)
        self.session.flush()

    def count_responses(self, service_id: int) -> int:
        """COUNT of the responses naming the service, pooled ones included."""
        answers = skm_answers("service_id")
        count = self.session.scalar(
            select(func.count()).select_from(answers).where(answers.c.service_id == service_id)
        )
        return int(count or 0)

    def delete_batch_responses(self, batch_id: int) -> int:
        """DELETE the responses of an import batch (one statement)."""
        result = self.session.execute(
            delete(SkmResponseRow).where(col(SkmResponseRow.batch_id) == batch_id)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def totals(
        self, kecamatan_id: int, start: date, end: date, service_id: int | None = None
    ) -> SkmTotals:
        """SUM and COUNT per unsur and COUNT(*) in a single query, pooled answers included."""
        answers = skm_answers(
            "kecamatan_id", "service_id", "survey_date", *(f"u_{key}" for key in UNSUR)
        )
        columns = [answers.c[f"u_{key}"] for key in UNSUR]
        selected: list[Any] = [func.count()]
        for column in columns:
            selected += [func.coalesce(func.sum(column), 0), func.count(column)]
        conditions = [
            answers.c.kecamatan_id == kecamatan_id,
            answers.c.survey_date >= start,
            answers.c.survey_date <= end,
        ]
        if service_id is not None:
            conditions.append(answers.c.service_id == service_id)
        row = self.session.execute(select(*selected).select_from(answers).where(*conditions)).one()
        respondents = int(row[0])
        totals = {
            key: UnsurTotal(total=int(row[1 + 2 * i]), answered=int(row[2 + 2 * i]))
            for i, key in enumerate(UNSUR)
        }
        return SkmTotals(respondents=respondents, totals=totals)

    def service_totals(
        self, kecamatan_ids: Sequence[int], start: date, end: date
    ) -> dict[tuple[int, int | None], SkmTotals]:
        """SUM and COUNT per unsur and COUNT(*) per kecamatan and service, one GROUP BY."""
        if not kecamatan_ids:
            return {}
        answers = skm_answers(
            "kecamatan_id", "service_id", "survey_date", *(f"u_{key}" for key in UNSUR)
        )
        selected: list[Any] = [answers.c.kecamatan_id, answers.c.service_id, func.count()]
        for key in UNSUR:
            column = answers.c[f"u_{key}"]
            selected += [func.coalesce(func.sum(column), 0), func.count(column)]
        rows = self.session.execute(
            select(*selected)
            .select_from(answers)
            .where(
                answers.c.kecamatan_id.in_(sorted(set(kecamatan_ids))),
                answers.c.survey_date >= start,
                answers.c.survey_date <= end,
            )
            .group_by(answers.c.kecamatan_id, answers.c.service_id)
        )
        found: dict[tuple[int, int | None], SkmTotals] = {}
        for row in rows:
            service_id = None if row[1] is None else int(row[1])
            found[(int(row[0]), service_id)] = SkmTotals(
                respondents=int(row[2]),
                totals={
                    key: UnsurTotal(total=int(row[3 + 2 * i]), answered=int(row[4 + 2 * i]))
                    for i, key in enumerate(UNSUR)
                },
            )
        return found

    def score_counts(self, kecamatan_id: int, start: date, end: date) -> dict[str, dict[int, int]]:
        """COUNT per unsur and score in a single query, pooled answers included."""
        answers = skm_answers("kecamatan_id", "survey_date", *(f"u_{key}" for key in UNSUR))
        scores = range(SCORE_MIN, SCORE_MAX + 1)
        selected = [
            func.coalesce(func.sum(case((answers.c[f"u_{key}"] == score, 1), else_=0)), 0)
            for key in UNSUR
            for score in scores
        ]
        row = self.session.execute(
            select(*selected)
            .select_from(answers)
            .where(
                answers.c.kecamatan_id == kecamatan_id,
                answers.c.survey_date >= start,
                answers.c.survey_date <= end,
            )
        ).one()
        values = iter(int(v) for v in row)
        return {key: {score: next(values) for score in scores} for key in UNSUR}
