"""The SKM follow-up plan (RTL): items and their dated notes."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col

from domain.rtl import RtlItem, RtlProgress, RtlStatus
from storage.repositories._base import _Repo
from storage.tables import RtlItemRow, RtlProgressRow, utcnow

__all__ = ["SqlRtlRepository"]


def _item(row: RtlItemRow) -> RtlItem:
    assert row.id is not None
    return RtlItem(
        id=row.id,
        kecamatan_id=row.kecamatan_id,
        tahun=row.tahun,
        bagian=row.bagian,
        unsur=row.unsur,
        kegiatan=row.kegiatan,
        owner_id=row.owner_id,
        due=row.due,
        status=RtlStatus(row.status),
        created_by=row.created_by,
        created_at=row.created_at,
        version=row.version,
        done_on=row.done_on,
        cancel_reason=row.cancel_reason,
    )


def _progress(row: RtlProgressRow) -> RtlProgress:
    assert row.id is not None
    return RtlProgress(
        id=row.id,
        item_id=row.item_id,
        user_id=row.user_id,
        note=row.note,
        at=row.at,
        status=RtlStatus(row.status),
    )


class SqlRtlRepository(_Repo):
    """RTL items and their notes."""

    def add(self, item: RtlItem) -> RtlItem | None:
        """INSERT ... ON CONFLICT DO NOTHING: the partial unique index on the live items
        decides, also between two writers at once."""
        if item.status is RtlStatus.USULAN:
            raise ValueError("a proposal is not stored")
        dialect = self.session.get_bind().dialect.name
        make_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        now = utcnow()
        statement = (
            make_insert(RtlItemRow)
            .values(
                kecamatan_id=item.kecamatan_id,
                tahun=item.tahun,
                bagian=item.bagian,
                unsur=item.unsur,
                kegiatan=item.kegiatan,
                owner_id=item.owner_id,
                due=item.due,
                status=item.status.value,
                version=item.version,
                done_on=item.done_on,
                cancel_reason=item.cancel_reason,
                created_by=item.created_by,
                created_at=item.created_at,
                updated_at=now,
            )
            .on_conflict_do_nothing()
            .returning(col(RtlItemRow.id))
        )
        item_id = self._core(statement).scalar_one_or_none()
        return None if item_id is None else self.get(int(item_id))

    def get(self, item_id: int) -> RtlItem | None:
        """One item by id."""
        row = self.session.get(RtlItemRow, item_id, populate_existing=True)
        return None if row is None else _item(row)

    def update(self, item: RtlItem, *, expected_version: int) -> RtlItem | None:
        """A conditional UPDATE on the version: only one change of a version wins."""
        result = self.session.execute(
            update(RtlItemRow)
            .where(col(RtlItemRow.id) == item.id, col(RtlItemRow.version) == expected_version)
            .values(
                status=item.status.value,
                version=item.version,
                done_on=item.done_on,
                cancel_reason=item.cancel_reason,
                updated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) != 1:
            return None
        return self.get(item.id)

    def add_progress(self, progress: RtlProgress) -> RtlProgress:
        """Append a note."""
        row = RtlProgressRow(
            item_id=progress.item_id,
            user_id=progress.user_id,
            note=progress.note,
            status=progress.status.value,
            at=progress.at,
        )
        self.session.add(row)
        self.session.flush()
        return _progress(row)

    def progress(self, item_id: int) -> list[RtlProgress]:
        """An item's notes, oldest first."""
        rows = self.session.scalars(
            select(RtlProgressRow)
            .where(col(RtlProgressRow.item_id) == item_id)
            .order_by(col(RtlProgressRow.at), col(RtlProgressRow.id))
        )
        return [_progress(r) for r in rows]

    def list_for_period(self, kecamatan_id: int, tahun: int, bagian: str) -> list[RtlItem]:
        """A period's items, by id."""
        rows = self.session.scalars(
            select(RtlItemRow)
            .where(
                col(RtlItemRow.kecamatan_id) == kecamatan_id,
                col(RtlItemRow.tahun) == tahun,
                col(RtlItemRow.bagian) == bagian,
            )
            .order_by(col(RtlItemRow.id))
        )
        return [_item(r) for r in rows]

    def list_for_owner(self, owner_id: int) -> list[RtlItem]:
        """An owner's items, by due date and id."""
        rows = self.session.scalars(
            select(RtlItemRow)
            .where(col(RtlItemRow.owner_id) == owner_id)
            .order_by(col(RtlItemRow.due), col(RtlItemRow.id))
        )
        return [_item(r) for r in rows]

    def list_open(self, kecamatan_id: int) -> list[RtlItem]:
        """The kecamatan's planned items, by due date and id."""
        rows = self.session.scalars(
            select(RtlItemRow)
            .where(
                col(RtlItemRow.kecamatan_id) == kecamatan_id,
                col(RtlItemRow.status) == RtlStatus.DIRENCANAKAN.value,
            )
            .order_by(col(RtlItemRow.due), col(RtlItemRow.id))
        )
        return [_item(r) for r in rows]

    def periods(self, kecamatan_id: int) -> list[tuple[int, str]]:
        """The distinct (tahun, bagian) with items, in order."""
        rows = self.session.execute(
            select(col(RtlItemRow.tahun), col(RtlItemRow.bagian))
            .where(col(RtlItemRow.kecamatan_id) == kecamatan_id)
            .distinct()
            .order_by(col(RtlItemRow.tahun), col(RtlItemRow.bagian))
        )
        return [(int(t), str(b)) for t, b in rows]
