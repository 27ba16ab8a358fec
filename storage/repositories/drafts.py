"""Conversations in progress."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Table, and_, bindparam, delete, func, literal_column, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlmodel import col

from domain.models import Draft, UpdateKey, User
from storage.outbox import SqlUpdateLogRepository
from storage.repositories._base import _Repo
from storage.repositories.users import USER_FIELDS, USERS, user_from_row
from storage.statements import insert_or_nothing
from storage.tables import DraftRow, HandledUpdateRow, utcnow

__all__ = ["SqlDraftRepository"]

_DRAFTS: Table = DraftRow.__table__  # type: ignore[attr-defined]
_DRAFT_KEY = and_(
    _DRAFTS.c.chat_id == bindparam("key_chat_id"), _DRAFTS.c.user_id == bindparam("key_user_id")
)
_DRAFT_GET = select(_DRAFTS).where(_DRAFT_KEY)
_DRAFT_INSERT = insert_or_nothing(_DRAFTS, _DRAFTS.c.id)
_DRAFT_UPDATE = (
    update(_DRAFTS)
    .where(
        _DRAFT_KEY,
        _DRAFTS.c.token == bindparam("key_token"),
        _DRAFTS.c.version == bindparam("key_version"),
    )
    .values(
        flow=bindparam("new_flow"),
        step=bindparam("new_step"),
        data=bindparam("new_data", type_=_DRAFTS.c.data.type),
        version=bindparam("new_version"),
        updated_at=bindparam("new_updated_at", type_=_DRAFTS.c.updated_at.type),
    )
)
_DRAFT_DELETE = delete(_DRAFTS).where(_DRAFT_KEY)
# A conversation's end ("Kirim", "Batal"): only the state the person saw.
_DRAFT_DELETE_STATE = delete(_DRAFTS).where(
    _DRAFT_KEY,
    _DRAFTS.c.token == bindparam("key_token"),
    _DRAFTS.c.version == bindparam("key_version"),
)

# The start of every update: the sender's registration and their draft in this chat, in
# one statement (one round trip). A one-row anchor joined outward to both, so that a
# citizen without a row, or an officer without a draft, still gets one row back.
# Only the columns the mappers read (no timestamps of the user, no draft id).
_ANCHOR = select(literal_column("1").label("one")).subquery("anchor")
_USER_COLUMNS = [c.label(f"u_{c.name}") for c in USERS.c if c.name in USER_FIELDS]
_DRAFT_COLUMNS = [c.label(f"d_{c.name}") for c in _DRAFTS.c if c.name != "id"]
_WITH_USER = select(*_USER_COLUMNS, *_DRAFT_COLUMNS).select_from(
    _ANCHOR.outerjoin(USERS, USERS.c.telegram_id == bindparam("key_user_id")).outerjoin(
        _DRAFTS, _DRAFT_KEY
    )
)

# On PostgreSQL the update is claimed in the same statement (one round trip for the
# start of every update): the INSERT ... ON CONFLICT DO NOTHING of the update log as a
# data-modifying CTE, its RETURNING counted (1: claimed now, 0: handled before).
_HANDLED: Table = HandledUpdateRow.__table__  # type: ignore[attr-defined]
_CLAIMED = (
    postgresql_insert(_HANDLED)
    .values(
        bot_id=bindparam("claim_bot_id", type_=_HANDLED.c.bot_id.type),
        update_id=bindparam("claim_update_id", type_=_HANDLED.c.update_id.type),
        callback_query_id=bindparam("claim_query_id", type_=_HANDLED.c.callback_query_id.type),
        handled_at=bindparam("claim_at", type_=_HANDLED.c.handled_at.type),
    )
    .on_conflict_do_nothing()
    .returning(_HANDLED.c.update_id)
    .cte("claimed")
)
_CLAIM_WITH_USER = _WITH_USER.add_columns(
    select(func.count()).select_from(_CLAIMED).scalar_subquery().label("claimed")
)


def _draft(row: Any) -> Draft:
    """A draft from its ORM row or a Core row."""
    return Draft(
        chat_id=row.chat_id,
        user_id=row.user_id,
        flow=row.flow,
        step=row.step,
        data=dict(row.data),
        token=row.token,
        version=row.version,
        updated_at=row.updated_at,
    )


class _Prefixed:
    """One table's columns of a joined row, read by their own names (as the mappers do)."""

    __slots__ = ("_prefix", "_row")

    def __init__(self, row: Row[Any], prefix: str) -> None:
        self._row = row
        self._prefix = prefix

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, self._prefix + name)


def _user_and_draft(row: Row[Any]) -> tuple[User | None, Draft | None]:
    user = None if row.u_id is None else user_from_row(_Prefixed(row, "u_"))
    draft = None if row.d_token is None else _draft(_Prefixed(row, "d_"))
    return user, draft


class SqlDraftRepository(_Repo):
    """Conversations in progress."""

    def get(self, chat_id: int, user_id: int) -> Draft | None:
        """The draft of this chat and user."""
        key = {"key_chat_id": chat_id, "key_user_id": user_id}
        row = self._core(_DRAFT_GET, key).first()
        return None if row is None else _draft(row)

    def get_with_user(self, chat_id: int, user_id: int) -> tuple[User | None, Draft | None]:
        """The user of Telegram id ``user_id`` and their draft in this chat, in one read."""
        key = {"key_chat_id": chat_id, "key_user_id": user_id}
        return _user_and_draft(self._core(_WITH_USER, key).one())

    def claim_with_user(
        self, key: UpdateKey, at: datetime, chat_id: int, user_id: int
    ) -> tuple[User | None, Draft | None] | None:
        """Claim the update (as ``updates.claim``), then :meth:`get_with_user`.

        None when the update was handled before (nothing read). One statement on
        PostgreSQL; elsewhere the claim and the read.
        """
        if self.session.get_bind().dialect.name != "postgresql":
            if not SqlUpdateLogRepository(self.session).claim(key, at=at):
                return None
            return self.get_with_user(chat_id, user_id)
        params = {
            "key_chat_id": chat_id,
            "key_user_id": user_id,
            "claim_bot_id": key.bot_id,
            "claim_update_id": key.update_id,
            "claim_query_id": key.callback_query_id,
            "claim_at": at,
        }
        row = self._core(_CLAIM_WITH_USER, params).one()
        return _user_and_draft(row) if row.claimed else None

    def save(self, draft: Draft) -> Draft | None:
        """Insert a new draft or update the stored one if its version is unchanged.

        ``updated_at`` is the draft's own (the caller's clock), or now.
        """
        at = draft.updated_at or utcnow()
        key = {"key_chat_id": draft.chat_id, "key_user_id": draft.user_id}
        if draft.version == 0:
            self._core(_DRAFT_DELETE, key)
            values = {
                "chat_id": draft.chat_id,
                "user_id": draft.user_id,
                "flow": draft.flow,
                "step": draft.step,
                "data": dict(draft.data),
                "token": draft.token,
                "version": 1,
                "updated_at": at,
            }
            # Another transaction's draft for the same chat and user: not ours to replace.
            statement = _DRAFT_INSERT.get(self.session.get_bind().dialect.name)
            if statement is None:
                raise NotImplementedError("database tidak didukung")
            if self._core(statement, values).first() is None:
                return None
            return replace(draft, data=dict(draft.data), version=1, updated_at=at)
        result = self._core(
            _DRAFT_UPDATE,
            {
                **key,
                "key_token": draft.token,
                "key_version": draft.version,
                "new_flow": draft.flow,
                "new_step": draft.step,
                "new_data": dict(draft.data),
                "new_version": draft.version + 1,
                "new_updated_at": at,
            },
        )
        if getattr(result, "rowcount", 0) != 1:
            return None
        return replace(draft, data=dict(draft.data), version=draft.version + 1, updated_at=at)

    def purge(self, older_than: datetime, flow: str | None = None) -> int:
        """Delete abandoned drafts."""
        query = delete(DraftRow).where(col(DraftRow.updated_at) < older_than)
        if flow is not None:
            query = query.where(col(DraftRow.flow) == flow)
        result = self.session.execute(query.execution_options(synchronize_session=False))
        return int(getattr(result, "rowcount", 0) or 0)

    def delete(
        self, chat_id: int, user_id: int, *, token: str | None = None, version: int | None = None
    ) -> bool:
        """Remove the draft (only that token and version, when given)."""
        key = {"key_chat_id": chat_id, "key_user_id": user_id}
        if token is None and version is None:
            return bool(getattr(self._core(_DRAFT_DELETE, key), "rowcount", 0))
        if token is not None and version is not None:
            matched = {**key, "key_token": token, "key_version": version}
            return bool(getattr(self._core(_DRAFT_DELETE_STATE, matched), "rowcount", 0))
        query = delete(DraftRow).where(
            col(DraftRow.chat_id) == chat_id, col(DraftRow.user_id) == user_id
        )
        if token is not None:
            query = query.where(col(DraftRow.token) == token)
        if version is not None:
            query = query.where(col(DraftRow.version) == version)
        result = self.session.execute(query.execution_options(synchronize_session=False))
        return bool(getattr(result, "rowcount", 0))
