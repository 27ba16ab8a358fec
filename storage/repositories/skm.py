"""SKM (Survei Kepuasan Masyarakat) services and responses."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import delete, func, select
from sqlmodel import col

from domain.models import SkmResponse, SkmService
from domain.ports import SkmTotals
from domain.skm import UNSUR, UnsurTotal
from storage.repositories._base import _insert_once, _Repo
from storage.tables import SkmDedupRow, SkmResponseRow, SkmServiceRow

__all__ = ["SqlSkmRepository"]


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
        """COUNT of the responses naming the service."""
        count = self.session.scalar(
            select(func.count())
            .select_from(SkmResponseRow)
            .where(col(SkmResponseRow.service_id) == service_id)
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
        """SUM and COUNT per unsur and COUNT(*) in a single query."""
        columns = [getattr(SkmResponseRow, f"u_{key}") for key in UNSUR]
        selected: list[Any] = [func.count()]
        for column in columns:
            selected += [func.coalesce(func.sum(column), 0), func.count(column)]
        conditions = [
            col(SkmResponseRow.kecamatan_id) == kecamatan_id,
            col(SkmResponseRow.survey_date) >= start,
            col(SkmResponseRow.survey_date) <= end,
        ]
        if service_id is not None:
            conditions.append(col(SkmResponseRow.service_id) == service_id)
        row = self.session.execute(select(*selected).where(*conditions)).one()
        respondents = int(row[0])
        totals = {
            key: UnsurTotal(total=int(row[1 + 2 * i]), answered=int(row[2 + 2 * i]))
            for i, key in enumerate(UNSUR)
        }
        return SkmTotals(respondents=respondents, totals=totals)
