"""Digest groups, the digest log and the reminder log."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.models import (
    DigestGroup,
    DigestLog,
    DigestStatus,
    KabupatenDigestGroup,
    KabupatenDigestLog,
)
from storage.repositories._base import _insert_once, _Repo
from storage.tables import (
    DigestGroupRow,
    DigestLogRow,
    KabupatenDigestGroupRow,
    KabupatenDigestLogRow,
    ReminderLogRow,
)

__all__ = ["SqlDigestRepository"]


def _group(row: DigestGroupRow) -> DigestGroup:
    return DigestGroup(
        kecamatan_id=row.kecamatan_id,
        chat_id=row.chat_id,
        title=row.title,
        bound_by=row.bound_by,
        bound_at=row.bound_at,
    )


def _kab_group(row: KabupatenDigestGroupRow) -> KabupatenDigestGroup:
    return KabupatenDigestGroup(
        kabupaten_code=row.kabupaten_code,
        chat_id=row.chat_id,
        title=row.title,
        bound_by=row.bound_by,
        bound_at=row.bound_at,
    )


def _kab_log(row: KabupatenDigestLogRow) -> KabupatenDigestLog:
    assert row.id is not None
    return KabupatenDigestLog(
        id=row.id,
        kabupaten_code=row.kabupaten_code,
        chat_id=row.chat_id,
        week_key=row.week_key,
        status=DigestStatus(row.status),
        claimed_at=row.claimed_at,
        attempts=row.attempts,
        parts_sent=row.parts_sent,
        sent_at=row.sent_at,
        error=row.error,
    )


def _log(row: DigestLogRow) -> DigestLog:
    assert row.id is not None
    return DigestLog(
        id=row.id,
        kecamatan_id=row.kecamatan_id,
        chat_id=row.chat_id,
        week_key=row.week_key,
        status=DigestStatus(row.status),
        claimed_at=row.claimed_at,
        attempts=row.attempts,
        parts_sent=row.parts_sent,
        sent_at=row.sent_at,
        error=row.error,
    )


# A group bound to a kecamatan's digest or to a kabupaten's: the same four columns.
_BindingRow = TypeVar("_BindingRow", DigestGroupRow, KabupatenDigestGroupRow)


def _stored_binding(
    session: Session, row: _BindingRow, group: DigestGroup | KabupatenDigestGroup
) -> bool:
    """Write a group's chat, title and binder to its row; False when another binding took
    the chat at the same moment (the unique chat id refuses it)."""
    row.chat_id = group.chat_id
    row.title = group.title[:255]
    row.bound_by = group.bound_by
    row.bound_at = group.bound_at
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        return False
    return True


def _unbound_row(session: Session, table: type[_BindingRow], chat_id: int) -> _BindingRow | None:
    """Delete the binding row of a chat; the row as it was, or None when there is none."""
    row = session.scalars(select(table).where(col(table.chat_id) == chat_id)).first()
    if row is not None:
        session.delete(row)
        session.flush()
    return row


def _moved_chat(session: Session, table: type[_BindingRow], old_chat_id: int, new: int) -> bool:
    """Point a binding at the supergroup its chat became."""
    result = session.execute(
        update(table)
        .where(col(table.chat_id) == old_chat_id)
        .values(chat_id=new)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


class SqlDigestRepository(_Repo):
    """Digest groups, the digest log (claimed before sending) and the reminder log."""

    def group_for(self, kecamatan_id: int) -> DigestGroup | None:
        """The group bound to a kecamatan."""
        row = self.session.get(DigestGroupRow, kecamatan_id)
        return None if row is None else _group(row)

    def group_by_chat(self, chat_id: int) -> DigestGroup | None:
        """The binding of a chat."""
        row = self.session.scalars(
            select(DigestGroupRow).where(col(DigestGroupRow.chat_id) == chat_id)
        ).first()
        return None if row is None else _group(row)

    def groups(self) -> list[DigestGroup]:
        """All bindings, by kecamatan id."""
        rows = self.session.scalars(
            select(DigestGroupRow).order_by(col(DigestGroupRow.kecamatan_id))
        )
        return [_group(r) for r in rows]

    def bind(self, group: DigestGroup) -> DigestGroup | None:
        """Bind or re-bind; None when the chat already serves another kecamatan (or a
        kabupaten)."""
        other = self.group_by_chat(group.chat_id)
        if other is not None and other.kecamatan_id != group.kecamatan_id:
            return None
        if self.kabupaten_group_by_chat(group.chat_id) is not None:
            return None
        row = self.session.get(DigestGroupRow, group.kecamatan_id)
        if row is None:
            row = DigestGroupRow(kecamatan_id=group.kecamatan_id, chat_id=group.chat_id, title="")
            self.session.add(row)
        return _group(row) if _stored_binding(self.session, row, group) else None

    def unbind(self, chat_id: int) -> DigestGroup | None:
        """Remove a chat's binding."""
        row = _unbound_row(self.session, DigestGroupRow, chat_id)
        return None if row is None else _group(row)

    def move_chat(self, old_chat_id: int, new_chat_id: int) -> bool:
        """Follow a group that became a supergroup."""
        return _moved_chat(self.session, DigestGroupRow, old_chat_id, new_chat_id)

    def get_log(self, chat_id: int, week_key: str) -> DigestLog | None:
        """A group's digest entry for a week."""
        row = self.session.scalars(
            select(DigestLogRow).where(
                col(DigestLogRow.chat_id) == chat_id, col(DigestLogRow.week_key) == week_key
            )
        ).first()
        if row is not None:
            self.session.refresh(row)
        return None if row is None else _log(row)

    def claim(
        self,
        *,
        kecamatan_id: int,
        chat_id: int,
        week_key: str,
        at: datetime,
        stale_before: datetime,
    ) -> DigestLog | None:
        """Insert SENDING once, or take over a FAILED or stale SENDING entry (atomic)."""
        inserted = _insert_once(
            self.session,
            DigestLogRow,
            {
                "kecamatan_id": kecamatan_id,
                "chat_id": chat_id,
                "week_key": week_key,
                "status": DigestStatus.SENDING.value,
                "claimed_at": at,
                "attempts": 1,
                "parts_sent": 0,
            },
            key=["chat_id", "week_key"],
        )
        if not inserted:
            # Compare-and-set: of two processes taking over at once, one updates the row.
            result = self.session.execute(
                update(DigestLogRow)
                .where(
                    col(DigestLogRow.chat_id) == chat_id,
                    col(DigestLogRow.week_key) == week_key,
                    or_(
                        col(DigestLogRow.status) == DigestStatus.FAILED.value,
                        and_(
                            col(DigestLogRow.status) == DigestStatus.SENDING.value,
                            col(DigestLogRow.claimed_at) < stale_before,
                        ),
                    ),
                )
                .values(
                    status=DigestStatus.SENDING.value,
                    claimed_at=at,
                    attempts=col(DigestLogRow.attempts) + 1,
                )
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) != 1:
                return None
        return self.get_log(chat_id, week_key)

    def progress(self, log_id: int, parts_sent: int) -> None:
        """Record the parts sent so far."""
        self.session.execute(
            update(DigestLogRow)
            .where(col(DigestLogRow.id) == log_id)
            .values(parts_sent=parts_sent)
            .execution_options(synchronize_session=False)
        )

    def finish(self, log_id: int, *, at: datetime, figures: dict[str, str | None]) -> None:
        """Mark sent, keeping the figures shown."""
        self.session.execute(
            update(DigestLogRow)
            .where(col(DigestLogRow.id) == log_id)
            .values(status=DigestStatus.SENT.value, sent_at=at, error=None, figures=figures)
            .execution_options(synchronize_session=False)
        )

    def fail(self, log_id: int, *, error: str, give_up: bool) -> None:
        """Mark failed (retried later) or given up."""
        status = DigestStatus.GAVE_UP if give_up else DigestStatus.FAILED
        self.session.execute(
            update(DigestLogRow)
            .where(col(DigestLogRow.id) == log_id)
            .values(status=status.value, error=error[:2000])
            .execution_options(synchronize_session=False)
        )

    def figures_of(self, kecamatan_id: int, week_key: str) -> dict[str, str | None] | None:
        """The figures of a sent digest of the kecamatan for the week."""
        value = self.session.scalars(
            select(col(DigestLogRow.figures))
            .where(
                col(DigestLogRow.kecamatan_id) == kecamatan_id,
                col(DigestLogRow.week_key) == week_key,
                col(DigestLogRow.status) == DigestStatus.SENT.value,
                col(DigestLogRow.figures).is_not(None),
            )
            .order_by(col(DigestLogRow.sent_at).desc())
            .limit(1)
        ).first()
        return None if value is None else dict(value)

    def claim_reminder(self, user_id: int, week_key: str, kind: str, at: datetime) -> bool:
        """Once per person, week and kind."""
        return _insert_once(
            self.session,
            ReminderLogRow,
            {"user_id": user_id, "week_key": week_key, "kind": kind, "sent_at": at},
            key=["user_id", "week_key", "kind"],
        )

    # -- the kabupaten's digest group and log ------------------------------------------

    def kabupaten_group(self, kabupaten_code: str) -> KabupatenDigestGroup | None:
        """The group bound to a kabupaten."""
        row = self.session.get(KabupatenDigestGroupRow, kabupaten_code)
        return None if row is None else _kab_group(row)

    def kabupaten_group_by_chat(self, chat_id: int) -> KabupatenDigestGroup | None:
        """The kabupaten binding of a chat."""
        row = self.session.scalars(
            select(KabupatenDigestGroupRow).where(col(KabupatenDigestGroupRow.chat_id) == chat_id)
        ).first()
        return None if row is None else _kab_group(row)

    def kabupaten_groups(self) -> list[KabupatenDigestGroup]:
        """All kabupaten bindings, by code."""
        rows = self.session.scalars(
            select(KabupatenDigestGroupRow).order_by(col(KabupatenDigestGroupRow.kabupaten_code))
        )
        return [_kab_group(r) for r in rows]

    def bind_kabupaten(self, group: KabupatenDigestGroup) -> KabupatenDigestGroup | None:
        """Bind or re-bind; None when the chat serves another kabupaten or a kecamatan."""
        other = self.kabupaten_group_by_chat(group.chat_id)
        if other is not None and other.kabupaten_code != group.kabupaten_code:
            return None
        if self.group_by_chat(group.chat_id) is not None:
            return None
        row = self.session.get(KabupatenDigestGroupRow, group.kabupaten_code)
        if row is None:
            row = KabupatenDigestGroupRow(
                kabupaten_code=group.kabupaten_code, chat_id=group.chat_id, title=""
            )
            self.session.add(row)
        return _kab_group(row) if _stored_binding(self.session, row, group) else None

    def unbind_kabupaten(self, chat_id: int) -> KabupatenDigestGroup | None:
        """Remove a chat's kabupaten binding."""
        row = _unbound_row(self.session, KabupatenDigestGroupRow, chat_id)
        return None if row is None else _kab_group(row)

    def move_kabupaten_chat(self, old_chat_id: int, new_chat_id: int) -> bool:
        """Follow a kabupaten group that became a supergroup."""
        return _moved_chat(self.session, KabupatenDigestGroupRow, old_chat_id, new_chat_id)

    def kabupaten_log(self, kabupaten_code: str, week_key: str) -> KabupatenDigestLog | None:
        """The kabupaten digest entry of a week."""
        row = self.session.scalars(
            select(KabupatenDigestLogRow).where(
                col(KabupatenDigestLogRow.kabupaten_code) == kabupaten_code,
                col(KabupatenDigestLogRow.week_key) == week_key,
            )
        ).first()
        if row is not None:
            self.session.refresh(row)
        return None if row is None else _kab_log(row)

    def claim_kabupaten(
        self,
        *,
        kabupaten_code: str,
        chat_id: int,
        week_key: str,
        at: datetime,
        stale_before: datetime,
    ) -> KabupatenDigestLog | None:
        """Insert SENDING once, or take over a FAILED or stale SENDING entry (atomic)."""
        inserted = _insert_once(
            self.session,
            KabupatenDigestLogRow,
            {
                "kabupaten_code": kabupaten_code,
                "chat_id": chat_id,
                "week_key": week_key,
                "status": DigestStatus.SENDING.value,
                "claimed_at": at,
                "attempts": 1,
                "parts_sent": 0,
            },
            key=["kabupaten_code", "week_key"],
        )
        if not inserted:
            result = self.session.execute(
                update(KabupatenDigestLogRow)
                .where(
                    col(KabupatenDigestLogRow.kabupaten_code) == kabupaten_code,
                    col(KabupatenDigestLogRow.week_key) == week_key,
                    or_(
                        col(KabupatenDigestLogRow.status) == DigestStatus.FAILED.value,
                        and_(
                            col(KabupatenDigestLogRow.status) == DigestStatus.SENDING.value,
                            col(KabupatenDigestLogRow.claimed_at) < stale_before,
                        ),
                    ),
                )
                .values(
                    status=DigestStatus.SENDING.value,
                    claimed_at=at,
                    chat_id=chat_id,
                    attempts=col(KabupatenDigestLogRow.attempts) + 1,
                )
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) != 1:
                return None
        return self.kabupaten_log(kabupaten_code, week_key)

    def _kab_update(self, log_id: int, **values: object) -> None:
        self.session.execute(
            update(KabupatenDigestLogRow)
            .where(col(KabupatenDigestLogRow.id) == log_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    def progress_kabupaten(self, log_id: int, parts_sent: int) -> None:
        """Record the parts sent so far."""
        self._kab_update(log_id, parts_sent=parts_sent)

    def finish_kabupaten(self, log_id: int, *, at: datetime) -> None:
        """Mark sent."""
        self._kab_update(log_id, status=DigestStatus.SENT.value, sent_at=at, error=None)

    def fail_kabupaten(self, log_id: int, *, error: str, give_up: bool) -> None:
        """Mark failed (retried later) or given up."""
        status = DigestStatus.GAVE_UP if give_up else DigestStatus.FAILED
        self._kab_update(log_id, status=status.value, error=error[:2000])
