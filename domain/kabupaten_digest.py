"""The weekly kabupaten digest: its kecamatan side by side on each indicator and on
reporting completeness, for the kabupaten's own group.

Decisions:
- The week is an ISO week, as the kecamatan digest's; the IKU figures are the year to
  date of :func:`domain.digest.table_period` (the same period the kecamatan digest
  shows, so a kecamatan's figure here is the one its own group read), computed by
  :func:`domain.kabupaten.kabupaten_recap` with its pooled totals.
- Completeness of the week counts a desa once when it reported an incident dated or
  received in the week, or sent a nil report for the week (exactly the kecamatan
  digest's "reported" and "nil" together), over the desa of the kecamatan; percent
  half-up to 2 places (:func:`domain.rounding.round_half_up`). The kabupaten's is the
  sum of the desa over the sum of the desa, not an average of percentages.
- No week-on-week arrows: nothing is stored but the delivery log.
- The group: an active admin kabupaten binds one group per kabupaten (``/atur_grup`` in
  the group), audited; binding another group moves it. A chat that is a kecamatan's
  digest group is refused, and the other way round (one group, one digest).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from domain.digest import IsoWeek, table_period
from domain.errors import InvalidInput
from domain.kabupaten import KabupatenRecap, kabupaten_recap
from domain.models import KabupatenDigestGroup, Kecamatan, Role, User
from domain.permissions import Action, Forbidden, kabupaten_code_of, require
from domain.ports import UnitOfWork
from domain.rounding import round_half_up

__all__ = [
    "Completeness",
    "KabupatenDigest",
    "kabupaten_digest",
    "completeness_percent",
    "KabupatenBound",
    "KabupatenRefusal",
    "bind_kabupaten_digest_group",
    "unbind_kabupaten_digest_group",
]

MAX_TITLE_AUDITED = 100


def completeness_percent(reported: int, desa: int) -> Decimal | None:
    """``reported`` of ``desa`` in percent, half-up to 2 places; None without desa."""
    if desa == 0:
        return None
    return round_half_up(Fraction(reported * 100, desa), 2)


@dataclass(frozen=True, slots=True)
class Completeness:
    """How many desa of a kecamatan sent a report or a nil report in the week."""

    kecamatan: Kecamatan
    reported: int
    desa: int

    @property
    def percent(self) -> Decimal | None:
        """The share in percent (None for a kecamatan without desa)."""
        return completeness_percent(self.reported, self.desa)


@dataclass(frozen=True, slots=True)
class KabupatenDigest:
    """Everything the weekly kabupaten digest shows."""

    week: IsoWeek
    made_at: datetime
    recap: KabupatenRecap
    completeness: list[Completeness]  # in the recap's order (by kecamatan code)

    @property
    def reported(self) -> int:
        """Desa of the kabupaten that reported or sent a nil report in the week."""
        return sum(c.reported for c in self.completeness)

    @property
    def desa(self) -> int:
        """Desa of the kabupaten."""
        return sum(c.desa for c in self.completeness)

    @property
    def percent(self) -> Decimal | None:
        """The kabupaten's completeness in percent."""
        return completeness_percent(self.reported, self.desa)


def kabupaten_digest(
    uow: UnitOfWork, *, kabupaten_code: str, week: IsoWeek, now: datetime, tz: ZoneInfo
) -> KabupatenDigest:
    """Compute the kabupaten digest of ``week`` (read-only)."""
    today = now.astimezone(tz).date()
    if week.start > today:
        raise InvalidInput(f"Minggu {week.key} belum dimulai; ringkasan belum dapat dibuat.")
    recap = kabupaten_recap(
        uow, kabupaten_code=kabupaten_code, period=table_period(week, today), now=now
    )
    completeness = []
    for report in recap.kecamatan:
        kec = report.kecamatan
        desa = {d.id for d in uow.desa.list_by_kecamatan(kec.id)}
        heard = uow.incidents.reported_desa(kec.id, week.start, week.end) | uow.incidents.nil_desa(
            kec.id, week.year, week.week
        )
        completeness.append(Completeness(kec, len(desa & heard), len(desa)))
    return KabupatenDigest(week=week, made_at=now, recap=recap, completeness=completeness)


@dataclass(frozen=True, slots=True)
class KabupatenBound:
    """The kabupaten's group bound, and the group it replaced (if another)."""

    group: KabupatenDigestGroup
    replaced: KabupatenDigestGroup | None


class KabupatenRefusal(enum.Enum):
    """Why a chat is not (or no longer) the kabupaten's group."""

    KECAMATAN_GROUP = "kecamatan_group"  # the chat is a kecamatan's digest group
    OTHER_KABUPATEN = "other_kabupaten"  # the chat serves another kabupaten
    NOT_BOUND = "not_bound"  # unbinding a chat that is no kabupaten's group


def _kabupaten_admin(admin: User | None) -> User:
    require(admin, Action.BIND_DIGEST_GROUP)
    assert admin is not None
    if admin.role is not Role.ADMIN_KABUPATEN:
        raise Forbidden("Maaf, grup ringkasan kabupaten hanya diatur oleh admin kabupaten.")
    return admin


def bind_kabupaten_digest_group(
    uow: UnitOfWork,
    *,
    admin: User | None,
    home: Kecamatan,
    chat_id: int,
    title: str,
    at: datetime,
) -> KabupatenBound | KabupatenRefusal:
    """Make ``chat_id`` the group of the admin's kabupaten (the caller commits)."""
    user = _kabupaten_admin(admin)
    code = kabupaten_code_of(home)
    if uow.digests.group_by_chat(chat_id) is not None:
        return KabupatenRefusal.KECAMATAN_GROUP
    before = uow.digests.kabupaten_group(code)
    bound = uow.digests.bind_kabupaten(KabupatenDigestGroup(code, chat_id, title, user.id, at))
    if bound is None:
        if uow.digests.group_by_chat(chat_id) is not None:
            return KabupatenRefusal.KECAMATAN_GROUP
        return KabupatenRefusal.OTHER_KABUPATEN
    uow.audit.record(
        actor=f"tg:{user.telegram_id}",
        action="kabupaten_digest_group_bind",
        entity="kabupaten_digest_group",
        entity_id=str(chat_id),
        detail={"kabupaten": code, "judul": title[:MAX_TITLE_AUDITED]},
        user_id=user.id,
        at=at,
    )
    replaced = before if before is not None and before.chat_id != chat_id else None
    return KabupatenBound(bound, replaced)


def unbind_kabupaten_digest_group(
    uow: UnitOfWork, *, admin: User | None, home: Kecamatan, chat_id: int, at: datetime
) -> KabupatenDigestGroup | KabupatenRefusal:
    """Stop the kabupaten digest to ``chat_id`` (only the admin's own kabupaten's group)."""
    user = _kabupaten_admin(admin)
    current = uow.digests.kabupaten_group_by_chat(chat_id)
    if current is None:
        if uow.digests.group_by_chat(chat_id) is not None:
            return KabupatenRefusal.KECAMATAN_GROUP
        return KabupatenRefusal.NOT_BOUND
    if current.kabupaten_code != kabupaten_code_of(home):
        return KabupatenRefusal.OTHER_KABUPATEN
    uow.digests.unbind_kabupaten(chat_id)
    uow.audit.record(
        actor=f"tg:{user.telegram_id}",
        action="kabupaten_digest_group_unbind",
        entity="kabupaten_digest_group",
        entity_id=str(chat_id),
        detail={"kabupaten": current.kabupaten_code},
        user_id=user.id,
        at=at,
    )
    return current
