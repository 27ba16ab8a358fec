"""The outbox and the log of handled updates, on SQLModel."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.models import OutboxMessage, OutboxStatus, UpdateKey
from storage.statements import insert_or_nothing
from storage.tables import HandledUpdateRow, OutboxRow

__all__ = ["SqlOutboxRepository", "SqlUpdateLogRepository"]

_ERROR_LENGTH = 500

# The statements of the hot path (one of each per update), built once as Core
# statements with bound parameters: compiled once, executed without ORM overhead.
_OUTBOX: Table = OutboxRow.__table__  # type: ignore[attr-defined]
_HANDLED: Table = HandledUpdateRow.__table__  # type: ignore[attr-defined]
# Many rows, ids in the order given: on PostgreSQL one INSERT ... SELECT ... ORDER BY of
# all rows, on SQLite (no ordered multi-row RETURNING) one INSERT per row.
_ADD = insert(_OUTBOX).returning(_OUTBOX.c.id, sort_by_parameter_order=True)
_SENT = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("message_id"))
    .values(
        status=OutboxStatus.SENT.value,
        sent_at=bindparam("sent_time"),
        telegram_message_id=bindparam("sent_telegram_id"),
        content=None,
        error=None,
    )
)
_CLAIM = insert_or_nothing(_HANDLED, _HANDLED.c.update_id)


def _message(row: OutboxRow) -> OutboxMessage:
    assert row.id is not None
    return OutboxMessage(
        id=row.id,
        chat_id=row.chat_id,
        kind=row.kind,
        payload=dict(row.payload),
        content=row.content,
        status=OutboxStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        created_at=row.created_at,
        source=row.source,
    )


class SqlOutboxRepository:
    """Messages waiting for Telegram."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, messages: list[OutboxMessage], *, at: datetime) -> list[OutboxMessage]:
        """Queue ``messages`` in order; ids ascend with the order given."""
        if not messages:
            return []
        rows = self.session.connection().execute(
            _ADD,
            [
                {
                    "chat_id": message.chat_id,
                    "kind": message.kind,
                    "payload": message.payload,
                    "content": message.content,
                    "status": OutboxStatus.PENDING.value,
                    "attempts": 0,
                    "next_attempt_at": at,
                    "created_at": at,
                    "source": message.source,
                }
                for message in messages
            ],
        )
        return [
            replace(
                message,
                id=int(new_id),
                status=OutboxStatus.PENDING,
                attempts=0,
                next_attempt_at=at,
                created_at=at,
            )
            for message, new_id in zip(messages, rows.scalars(), strict=True)
        ]

    def pending(self, *, limit: int, exclude: set[int] | None = None) -> list[OutboxMessage]:
        """Pending messages, oldest first."""
        query = select(OutboxRow).where(col(OutboxRow.status) == OutboxStatus.PENDING.value)
        if exclude:
            query = query.where(col(OutboxRow.id).not_in(sorted(exclude)))
        rows = self.session.scalars(query.order_by(col(OutboxRow.id)).limit(limit)).all()
        return [_message(row) for row in rows]

    def mark_sent(self, message_id: int, *, telegram_message_id: int | None, at: datetime) -> None:
        """Delivered."""
        self.mark_sent_many([(message_id, telegram_message_id)], at=at)

    def mark_sent_many(self, sent: list[tuple[int, int | None]], *, at: datetime) -> None:
        """Delivered, many at once: (outbox id, Telegram's message id) pairs."""
        if not sent:
            return
        self.session.connection().execute(
            _SENT,
            [
                {"message_id": message_id, "sent_telegram_id": telegram_id, "sent_time": at}
                for message_id, telegram_id in sent
            ],
        )

    def reschedule(
        self,
        message_id: int,
        *,
        attempts: int,
        next_attempt_at: datetime,
        error: str,
        chat_id: int | None = None,
        kind: str | None = None,
        payload: dict[str, Any] | None = None,
    ) -> None:
        """Try again later."""
        values: dict[str, Any] = {
            "attempts": attempts,
            "next_attempt_at": next_attempt_at,
            "error": error[:_ERROR_LENGTH],
        }
        if chat_id is not None:
            values["chat_id"] = chat_id
        if kind is not None:
            values["kind"] = kind
        if payload is not None:
            values["payload"] = payload
        self.session.execute(
            update(OutboxRow)
            .where(col(OutboxRow.id) == message_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    def mark_failed(self, message_id: int, *, error: str, at: datetime) -> None:
        """Given up."""
        self.session.execute(
            update(OutboxRow)
            .where(col(OutboxRow.id) == message_id)
            .values(status=OutboxStatus.FAILED.value, sent_at=at, error=error[:_ERROR_LENGTH])
            .execution_options(synchronize_session=False)
        )

    def counts(self) -> dict[OutboxStatus, int]:
        """Messages per status."""
        rows = self.session.execute(
            select(col(OutboxRow.status), func.count()).group_by(col(OutboxRow.status))
        ).all()
        found = {OutboxStatus(status): int(n) for status, n in rows}
        return {status: found.get(status, 0) for status in OutboxStatus}

    def purge_sent(self, before: datetime) -> int:
        """Forget delivered messages older than ``before``."""
        result = self.session.execute(
            delete(OutboxRow)
            .where(
                col(OutboxRow.status) == OutboxStatus.SENT.value,
                col(OutboxRow.sent_at) < before,
            )
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)


class SqlUpdateLogRepository:
    """Handled updates."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(self, key: UpdateKey, *, at: datetime) -> bool:
        """One INSERT ... ON CONFLICT DO NOTHING (the update id or the press's id)."""
        connection = self.session.connection()
        statement = _CLAIM.get(connection.dialect.name, _CLAIM["sqlite"])
        inserted = connection.execute(
            statement,
            {
                "bot_id": key.bot_id,
                "update_id": key.update_id,
                "callback_query_id": key.callback_query_id,
                "handled_at": at,
            },
        ).scalar_one_or_none()
        return inserted is not None

    def purge(self, before: datetime) -> int:
        """Forget old updates."""
        result = self.session.execute(
            delete(HandledUpdateRow)
            .where(col(HandledUpdateRow.handled_at) < before)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)
