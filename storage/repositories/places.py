"""Kecamatan and their desa."""

from __future__ import annotations

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.models import Desa, Kecamatan
from domain.ports import KecamatanSeed
from storage.repositories._base import _Repo
from storage.tables import DesaRow, KecamatanRow

__all__ = ["SqlKecamatanRepository", "SqlDesaRepository"]


def _kecamatan(row: KecamatanRow) -> Kecamatan:
    assert row.id is not None
    return Kecamatan(row.id, row.kode, row.kode_bps, row.nama, row.kabupaten, row.provinsi)


def _desa(row: DesaRow) -> Desa:
    assert row.id is not None
    return Desa(row.id, row.kecamatan_id, row.kode, row.kode_bps, row.nama)


class SqlKecamatanRepository(_Repo):
    """Kecamatan rows."""

    def get(self, kecamatan_id: int) -> Kecamatan | None:
        """By id."""
        row = self.session.get(KecamatanRow, kecamatan_id)
        return None if row is None else _kecamatan(row)

    def get_by_code(self, kode: str) -> Kecamatan | None:
        """By Kemendagri or BPS code."""
        kode = kode.strip()
        row = self.session.scalars(
            select(KecamatanRow).where(
                or_(col(KecamatanRow.kode) == kode, col(KecamatanRow.kode_bps) == kode)
            )
        ).first()
        return None if row is None else _kecamatan(row)

    def list(self) -> list[Kecamatan]:
        """All kecamatan by code."""
        rows = self.session.scalars(select(KecamatanRow).order_by(col(KecamatanRow.kode)))
        return [_kecamatan(r) for r in rows]

    def upsert(self, seed: KecamatanSeed) -> tuple[Kecamatan, int]:
        """Insert or update a kecamatan and its desa, matched by Kemendagri code."""
        changed = 0
        row = self.session.scalars(
            select(KecamatanRow).where(col(KecamatanRow.kode) == seed.kode)
        ).first()
        values = {
            "kode_bps": seed.kode_bps,
            "nama": seed.nama,
            "kabupaten": seed.kabupaten,
            "provinsi": seed.provinsi,
        }
        if row is None:
            row = KecamatanRow(
                kode=seed.kode,
                kode_bps=seed.kode_bps,
                nama=seed.nama,
                kabupaten=seed.kabupaten,
                provinsi=seed.provinsi,
            )
            self.session.add(row)
            changed += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            changed += 1
        self.session.flush()
        assert row.id is not None
        existing = {
            d.kode: d
            for d in self.session.scalars(
                select(DesaRow).where(col(DesaRow.kecamatan_id) == row.id)
            )
        }
        for item in seed.desa:
            desa = existing.get(item.kode)
            if desa is None:
                self.session.add(
                    DesaRow(
                        kecamatan_id=row.id, kode=item.kode, kode_bps=item.kode_bps, nama=item.nama
                    )
                )
                changed += 1
            elif (desa.kode_bps, desa.nama) != (item.kode_bps, item.nama):
                desa.kode_bps, desa.nama = item.kode_bps, item.nama
                changed += 1
        self.session.flush()
        return _kecamatan(row), changed

    def claim_service_examples(self, kecamatan_id: int) -> bool:
        """Conditional UPDATE: only the first claim of a kecamatan succeeds."""
        result = self.session.execute(
            update(KecamatanRow)
            .where(
                col(KecamatanRow.id) == kecamatan_id,
                col(KecamatanRow.service_examples_offered).is_(False),
            )
            .values(service_examples_offered=True)
            .execution_options(synchronize_session=False)
        )
        return getattr(result, "rowcount", 0) == 1


class SqlDesaRepository(_Repo):
    """Desa rows."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        # The rows read by id, held so that the session's identity map (weak by itself)
        # answers a second get of the same desa in this unit of work without a query; a
        # rollback expires them, so what is read after it is read again.
        self._held: dict[int, DesaRow] = {}

    def get(self, desa_id: int) -> Desa | None:
        """By id (once per unit of work: a report's last step reads its desa twice)."""
        row = self.session.get(DesaRow, desa_id)
        if row is None:
            return None
        self._held[desa_id] = row
        return _desa(row)

    def find_by_code(self, code: str) -> Desa | None:
        """By Kemendagri or BPS code."""
        code = code.strip()
        row = self.session.scalars(
            select(DesaRow).where(or_(col(DesaRow.kode) == code, col(DesaRow.kode_bps) == code))
        ).first()
        return None if row is None else _desa(row)

    def list_by_kecamatan(self, kecamatan_id: int) -> list[Desa]:
        """The desa of a kecamatan by code."""
        rows = self.session.scalars(
            select(DesaRow)
            .where(col(DesaRow.kecamatan_id) == kecamatan_id)
            .order_by(col(DesaRow.kode))
        )
        return [_desa(r) for r in rows]
