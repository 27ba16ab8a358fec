"""Which group chat receives a kecamatan's weekly digest: bind and unbind, audited.

The caller commits (the bot's engine, once per update). Only an active admin of the
kecamatan may bind or unbind; a chat already serving another kecamatan stays as it is.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from domain.models import DigestGroup, User
from domain.permissions import Action, require
from domain.ports import UnitOfWork

__all__ = ["Bound", "Unbound", "bind_digest_group", "unbind_digest_group"]

MAX_TITLE_AUDITED = 100


@dataclass(frozen=True, slots=True)
class Bound:
    """A group bound: the binding, and the group it replaced (if another)."""

    group: DigestGroup
    replaced: DigestGroup | None


class Unbound(enum.Enum):
    """What /lepas_grup found."""

    UNBOUND = "unbound"
    NOT_BOUND = "not_bound"
    OTHER_KECAMATAN = "other_kecamatan"


def bind_digest_group(
    uow: UnitOfWork, *, admin: User | None, chat_id: int, title: str, at: datetime
) -> Bound | None:
    """Bind ``chat_id`` to the admin's kecamatan; None if it serves another kecamatan."""
    require(admin, Action.MANAGE_USERS)
    assert admin is not None
    before = uow.digests.group_for(admin.kecamatan_id)
    bound = uow.digests.bind(
        DigestGroup(
            kecamatan_id=admin.kecamatan_id,
            chat_id=chat_id,
            title=title,
            bound_by=admin.id,
            bound_at=at,
        )
    )
    if bound is None:
        return None
    uow.audit.record(
        actor=f"tg:{admin.telegram_id}",
        action="digest_group_bind",
        entity="digest_group",
        entity_id=str(chat_id),
        detail={"judul": title[:MAX_TITLE_AUDITED]},
        user_id=admin.id,
        at=at,
    )
    replaced = before if before is not None and before.chat_id != chat_id else None
    return Bound(bound, replaced)


def unbind_digest_group(
    uow: UnitOfWork, *, admin: User | None, chat_id: int, at: datetime
) -> Unbound:
    """Stop the digest to ``chat_id`` (only the admin's own kecamatan's group)."""
    require(admin, Action.MANAGE_USERS)
    assert admin is not None
    current = uow.digests.group_by_chat(chat_id)
    if current is None:
        return Unbound.NOT_BOUND
    if current.kecamatan_id != admin.kecamatan_id:
        return Unbound.OTHER_KECAMATAN
    uow.digests.unbind(chat_id)
    uow.audit.record(
        actor=f"tg:{admin.telegram_id}",
        action="digest_group_unbind",
        entity="digest_group",
        entity_id=str(chat_id),
        user_id=admin.id,
        at=at,
    )
    return Unbound.UNBOUND
