"""The weekly reminders: who gets which reminder for a week, given the data.

Decisions (the issue leaves them open; kept consistent with the weekly digest):
- The reminders of a scheduled moment are due from that moment for ``grace`` days,
  and only while the office clock is still in the same ISO week: a reminder about
  "this week" makes no sense the week after. The week of the reminders is the week
  of the scheduled moment.
- A desa has reported for a week when it has an incident dated or received in the
  week, or a nil report for the week (the digest's rule). Every active perangkat desa
  of a desa that has not gets one reminder, kind ``nihil``.
- Overdue cases (the bot's OVERDUE_DAYS rule, as of the moment the reminders are
  made) go to the active staff of the seksi responsible for their kind, or to the
  active admins when that seksi has nobody active: the routing of the incident
  cards. One reminder per person, kind ``terlambat``, with every case routed to
  them; a person with nothing overdue gets nothing.
- "Once per week per person" is kept per kind in the reminder log, so that the two
  rules never hide each other (in practice perangkat desa get ``nihil`` and staff
  and admins ``terlambat``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from domain.digest import IsoWeek
from domain.incidents import days_open, is_overdue
from domain.models import Desa, Incident, IncidentKind, Kecamatan, Role, User, UserStatus
from domain.permissions import responsible_seksi
from domain.ports import UnitOfWork

__all__ = [
    "ReminderKind",
    "NihilReminder",
    "OverdueCase",
    "OverdueReminder",
    "KecamatanReminders",
    "due_week",
    "nihil_reminders",
    "overdue_reminders",
    "reminders_for",
]


class ReminderKind(enum.StrEnum):
    """What a reminder is about (the key of the reminder log, with person and week)."""

    NIHIL = "nihil"  # the desa has neither a report nor a nil report this week
    TERLAMBAT = "terlambat"  # the person has overdue cases to follow up
    RTL = "rtl"  # the person owns SKM follow-up items past their due date


@dataclass(frozen=True, slots=True)
class NihilReminder:
    """A perangkat desa whose desa has not reported this week."""

    user: User
    desa: Desa
    week: IsoWeek


@dataclass(frozen=True, slots=True)
class OverdueCase:
    """An open case past the limit, with its desa and age."""

    incident: Incident
    desa: Desa
    days_open: int


@dataclass(frozen=True, slots=True)
class OverdueReminder:
    """A person and the overdue cases routed to them (konflik first, oldest first)."""

    user: User
    cases: tuple[OverdueCase, ...]

    def of_kind(self, kind: IncidentKind) -> list[OverdueCase]:
        """The cases of one kind."""
        return [c for c in self.cases if c.incident.kind is kind]


@dataclass(frozen=True, slots=True)
class KecamatanReminders:
    """Everything one kecamatan's people are reminded of for a week."""

    kecamatan: Kecamatan
    week: IsoWeek
    nihil: list[NihilReminder]
    overdue: list[OverdueReminder]


def due_week(
    last: datetime | None, now: datetime, grace: timedelta, tz: ZoneInfo
) -> IsoWeek | None:
    """The week whose reminders are due at ``now``, given the last scheduled moment.

    None when there was no scheduled moment, when it is more than ``grace`` ago, or
    when the office clock has moved on to another ISO week since.
    """
    if last is None or last > now or now - last > grace:
        return None
    week = IsoWeek.of(last.astimezone(tz).date())
    if IsoWeek.of(now.astimezone(tz).date()) != week:
        return None
    return week


def _active(user: User, role: Role) -> bool:
    return user.status is UserStatus.ACTIVE and user.role is role


def nihil_reminders(
    week: IsoWeek,
    *,
    desa: Iterable[Desa],
    perangkat: Iterable[User],
    reported: set[int],
    nil: set[int],
) -> list[NihilReminder]:
    """Active perangkat desa of the kecamatan's desa with neither a report nor a nil report."""
    by_id = {d.id: d for d in desa}
    due = []
    for user in perangkat:
        if not _active(user, Role.PERANGKAT_DESA) or user.desa_id is None:
            continue
        own = by_id.get(user.desa_id)
        if own is None or own.id in reported or own.id in nil:
            continue
        due.append(NihilReminder(user, own, week))
    return due


def overdue_reminders(
    open_cases: Iterable[Incident],
    *,
    desa: Mapping[int, Desa],
    staff: Iterable[User],
    admins: Iterable[User],
    now: datetime,
    overdue_days: int,
) -> list[OverdueReminder]:
    """Route each kind's overdue cases to its seksi's active staff, else the active admins."""
    late: dict[IncidentKind, list[OverdueCase]] = {kind: [] for kind in IncidentKind}
    for incident in open_cases:
        if incident.desa_id in desa and is_overdue(incident, now, overdue_days):
            late[incident.kind].append(
                OverdueCase(incident, desa[incident.desa_id], days_open(incident, now))
            )
    active_staff = [u for u in staff if _active(u, Role.STAF_SEKSI)]
    active_admins = [u for u in admins if _active(u, Role.ADMIN)]
    people: dict[int, User] = {}
    routed: dict[int, list[OverdueCase]] = {}
    for kind in IncidentKind:  # konflik first, as everywhere in the bot
        cases = sorted(late[kind], key=lambda c: (-c.days_open, c.incident.nomor))
        if not cases:
            continue
        seksi = responsible_seksi(kind)
        recipients = [u for u in active_staff if u.seksi is seksi] or active_admins
        for user in recipients:
            people[user.id] = user
            routed.setdefault(user.id, []).extend(cases)
    return [OverdueReminder(people[uid], tuple(cases)) for uid, cases in routed.items()]


def reminders_for(
    uow: UnitOfWork,
    *,
    kecamatan: Kecamatan,
    week: IsoWeek,
    now: datetime,
    overdue_days: int,
) -> KecamatanReminders:
    """Read what a kecamatan's reminders for ``week`` need and apply the rules (read-only)."""
    users = uow.users
    desa = uow.desa.list_by_kecamatan(kecamatan.id)
    reported = uow.incidents.reported_desa(kecamatan.id, week.start, week.end)
    nil = uow.incidents.nil_desa(kecamatan.id, week.year, week.week)
    perangkat = users.list(kecamatan.id, status=UserStatus.ACTIVE, role=Role.PERANGKAT_DESA)
    staff = users.list(kecamatan.id, status=UserStatus.ACTIVE, role=Role.STAF_SEKSI)
    admins = users.list(kecamatan.id, status=UserStatus.ACTIVE, role=Role.ADMIN)
    return KecamatanReminders(
        kecamatan=kecamatan,
        week=week,
        nihil=nihil_reminders(week, desa=desa, perangkat=perangkat, reported=reported, nil=nil),
        overdue=overdue_reminders(
            uow.incidents.list_open(kecamatan.id),
            desa={d.id: d for d in desa},
            staff=staff,
            admins=admins,
            now=now,
            overdue_days=overdue_days,
        ),
    )
