"""Who may do what: the rules of the office, in one place, free of any framework.

- Admins (Camat, Sekcam, operator) may do everything in their kecamatan, except what
  is the kabupaten's (the kabupaten recap).
- An admin kabupaten (Bagian Pemerintahan of the kabupaten) is registered by the
  operator (``iku-bot admin-kabupaten add``). Its scope is every kecamatan whose code
  starts with the kabupaten code of its home kecamatan (``User.kecamatan_id``, e.g. the
  seat): 35.28.08 -> 35.28 -> 35.28.01 ... 35.28.13. It reads aggregates only: the
  kabupaten recap (/ringkasan, /ekspor) and one kecamatan's IKU table; BIND_DIGEST_GROUP
  binds the weekly kabupaten digest group (/atur_grup, domain.kabupaten_digest). It does
  not report, follow up cases, see case details or SKM suggestions, nor approve
  registrations: each kecamatan's admin stays the approver there.
- Staf seksi: Kesbang follows up conflicts, Trantib trantibum events; PPD records
  IDM, PMD desa tematik, Pelayanan manages the SKM services and their QR codes.
  Every staf seksi may report an incident for any desa of the kecamatan and read the
  IKU summary.
- A perangkat desa reports incidents and weekly nil reports for their own desa only.
- Citizens are not users: they may always answer the SKM, and nothing else.
- A user whose registration is pending, rejected or disabled may do nothing but ask
  for their own profile.
- A case's details (description, reporter, follow-up notes, photos) are for whoever may
  follow it up and for its own reporter; the SKM suggestions (citizens' free text) for
  admins and Seksi Pelayanan, who run the survey.
"""

from __future__ import annotations

import enum

from domain.errors import DomainError
from domain.models import IncidentKind, Kecamatan, Role, Seksi, User, UserStatus

__all__ = [
    "Action",
    "Forbidden",
    "allowed",
    "can_report_for",
    "can_follow_up",
    "can_view_case",
    "can_read_suggestions",
    "can_view_kecamatan",
    "kabupaten_code_of",
    "require_kecamatan_view",
    "responsible_seksi",
    "require",
    "require_report_for",
    "require_follow_up",
    "require_view_case",
]


class Action(enum.StrEnum):
    """Things a user may ask the bot to do."""

    REPORT_INCIDENT = "report_incident"
    NIL_REPORT = "nil_report"
    FOLLOW_UP = "follow_up"
    RECORD_IDM = "record_idm"
    RECORD_TEMATIK = "record_tematik"
    MANAGE_SERVICES = "manage_services"
    MANAGE_USERS = "manage_users"
    VIEW_SUMMARY = "view_summary"
    ANSWER_SKM = "answer_skm"
    VIEW_KABUPATEN = "view_kabupaten"  # the recap of every kecamatan of the kabupaten
    BIND_DIGEST_GROUP = "bind_digest_group"  # a group for the weekly digest (own scope)


class Forbidden(DomainError):
    """The user may not do this; the message says why and what to do instead."""


_SEKSI_ACTIONS: dict[Seksi, frozenset[Action]] = {
    Seksi.PPD: frozenset({Action.RECORD_IDM}),
    Seksi.PMD: frozenset({Action.RECORD_TEMATIK}),
    Seksi.KESBANG: frozenset({Action.FOLLOW_UP}),
    Seksi.TRANTIB: frozenset({Action.FOLLOW_UP}),
    Seksi.PELAYANAN: frozenset({Action.MANAGE_SERVICES}),
}

_STAFF_COMMON = frozenset({Action.REPORT_INCIDENT, Action.VIEW_SUMMARY, Action.ANSWER_SKM})
_PERANGKAT = frozenset({Action.REPORT_INCIDENT, Action.NIL_REPORT, Action.ANSWER_SKM})
_KABUPATEN = frozenset(
    {Action.VIEW_SUMMARY, Action.VIEW_KABUPATEN, Action.BIND_DIGEST_GROUP, Action.ANSWER_SKM}
)

_RESPONSIBLE: dict[IncidentKind, Seksi] = {
    IncidentKind.KONFLIK: Seksi.KESBANG,
    IncidentKind.TRANTIBUM: Seksi.TRANTIB,
}


def responsible_seksi(kind: IncidentKind) -> Seksi:
    """The section that follows up incidents of this kind."""
    return _RESPONSIBLE[kind]


def _active(user: User | None) -> bool:
    return user is not None and user.status is UserStatus.ACTIVE


def allowed(user: User | None, action: Action) -> bool:
    """Whether ``user`` (None: a citizen or stranger) may do ``action`` at all."""
    if action is Action.ANSWER_SKM:
        return True
    if user is None or not _active(user):
        return False
    if user.role is Role.ADMIN:
        if action is Action.VIEW_KABUPATEN:
            return False
        return action is not Action.NIL_REPORT or user.desa_id is not None
    if user.role is Role.ADMIN_KABUPATEN:
        return action in _KABUPATEN
    if user.role is Role.PERANGKAT_DESA:
        return action in _PERANGKAT and user.desa_id is not None
    if user.seksi is None:
        return action in _STAFF_COMMON
    return action in _STAFF_COMMON or action in _SEKSI_ACTIONS[user.seksi]


def can_report_for(user: User | None, desa_id: int, kecamatan_id: int) -> bool:
    """Perangkat desa: own desa only; staff and admins: any desa of their kecamatan."""
    if not allowed(user, Action.REPORT_INCIDENT):
        return False
    assert user is not None
    if user.role is Role.PERANGKAT_DESA:
        return user.desa_id == desa_id
    return user.kecamatan_id == kecamatan_id


def can_follow_up(user: User | None, kind: IncidentKind, kecamatan_id: int) -> bool:
    """Kesbang follows up conflicts, Trantib trantibum events, admins both (own kecamatan)."""
    if not allowed(user, Action.FOLLOW_UP):
        return False
    assert user is not None
    if user.kecamatan_id != kecamatan_id:
        return False
    return user.role is Role.ADMIN or user.seksi is responsible_seksi(kind)


def can_view_case(
    user: User | None, kind: IncidentKind, kecamatan_id: int, reporter_id: int | None
) -> bool:
    """Whether ``user`` may open a case: its own (active) reporter, or who follows it up."""
    if user is not None and _active(user) and reporter_id is not None and reporter_id == user.id:
        return True
    return can_follow_up(user, kind, kecamatan_id)


def can_read_suggestions(user: User | None, kecamatan_id: int) -> bool:
    """The SKM suggestions: admins and Seksi Pelayanan of the kecamatan (who run the SKM)."""
    return allowed(user, Action.MANAGE_SERVICES) and (
        user is not None and user.kecamatan_id == kecamatan_id
    )


def kabupaten_code_of(kecamatan: Kecamatan) -> str:
    """The kabupaten's Kemendagri code of a kecamatan: 35.28.08 -> 35.28."""
    return ".".join(kecamatan.kode.split(".")[:2])


def can_view_kecamatan(user: User | None, home: Kecamatan, kecamatan: Kecamatan) -> bool:
    """Whether ``user`` (home kecamatan ``home``) may read the aggregates of ``kecamatan``.

    Staff and admins: their own kecamatan; an admin kabupaten: every kecamatan of the
    kabupaten of its home kecamatan.
    """
    if not allowed(user, Action.VIEW_SUMMARY):
        return False
    assert user is not None
    if user.role is Role.ADMIN_KABUPATEN:
        return kecamatan.kode.startswith(kabupaten_code_of(home) + ".")
    return kecamatan.id == user.kecamatan_id


def require_kecamatan_view(user: User | None, home: Kecamatan, kecamatan: Kecamatan) -> User:
    """Raise :class:`Forbidden` unless ``user`` may read the aggregates of ``kecamatan``."""
    require(user, Action.VIEW_SUMMARY)
    assert user is not None
    if not can_view_kecamatan(user, home, kecamatan):
        raise Forbidden(
            f"Maaf, Kecamatan {kecamatan.nama} di luar wilayah Anda "
            f"(Kabupaten {home.kabupaten}, kode {kabupaten_code_of(home)})."
        )
    return user


_WHO: dict[Action, str] = {
    Action.REPORT_INCIDENT: "perangkat desa, staf seksi, atau admin",
    Action.NIL_REPORT: "perangkat desa",
    Action.FOLLOW_UP: "staf Seksi Kesbang (konflik), staf Seksi Trantib (trantibum), atau admin",
    Action.RECORD_IDM: "staf Seksi PPD atau admin",
    Action.RECORD_TEMATIK: "staf Seksi PMD atau admin",
    Action.MANAGE_SERVICES: "staf Seksi Pelayanan atau admin",
    Action.MANAGE_USERS: "admin",
    Action.VIEW_SUMMARY: "admin atau staf seksi",
    Action.ANSWER_SKM: "siapa pun",
    Action.VIEW_KABUPATEN: "admin kabupaten (Bagian Pemerintahan kabupaten)",
    Action.BIND_DIGEST_GROUP: "admin kecamatan atau admin kabupaten",
}


def _refusal(user: User | None, action: Action) -> str:
    who = _WHO[action]
    if user is None:
        return (
            f"Fitur ini hanya untuk {who} yang sudah terdaftar. Daftar dengan /daftar "
            "(disetujui admin kecamatan) atau minta tautan undangan kepada admin. "
            "Warga dapat mengisi survei kepuasan dengan /skm."
        )
    if user.status is UserStatus.PENDING:
        return "Pendaftaran Anda masih menunggu persetujuan admin kecamatan."
    if user.status is UserStatus.DISABLED:
        return "Akun Anda dinonaktifkan. Hubungi admin kecamatan bila ini keliru."
    if user.status is UserStatus.REJECTED:
        return "Pendaftaran Anda ditolak. Anda dapat mendaftar ulang dengan /daftar."
    if user.role is Role.ADMIN_KABUPATEN:
        return (
            f"Maaf, fitur ini hanya untuk {who}. Sebagai admin kabupaten Anda dapat melihat "
            "rekap kabupaten (/ringkasan, /ekspor)."
        )
    return f"Maaf, fitur ini hanya untuk {who}."


def require(user: User | None, action: Action) -> User | None:
    """Return the user when allowed, else raise :class:`Forbidden` with the reason."""
    if not allowed(user, action):
        raise Forbidden(_refusal(user, action))
    return user


def require_report_for(user: User | None, desa_id: int, kecamatan_id: int) -> User:
    """Raise :class:`Forbidden` unless ``user`` may report for this desa."""
    require(user, Action.REPORT_INCIDENT)
    assert user is not None
    if not can_report_for(user, desa_id, kecamatan_id):
        raise Forbidden("Maaf, perangkat desa hanya dapat melapor untuk desanya sendiri.")
    return user


def require_follow_up(user: User | None, kind: IncidentKind, kecamatan_id: int) -> User:
    """Raise :class:`Forbidden` unless ``user`` may follow up incidents of this kind."""
    require(user, Action.FOLLOW_UP)
    assert user is not None
    if not can_follow_up(user, kind, kecamatan_id):
        seksi = responsible_seksi(kind)
        raise Forbidden(
            f"Maaf, laporan {kind.label.lower()} ditindaklanjuti oleh staf "
            f"{seksi.full_name} atau admin."
        )
    return user


def require_view_case(
    user: User | None, kind: IncidentKind, kecamatan_id: int, reporter_id: int | None
) -> User:
    """Raise :class:`Forbidden` unless ``user`` may open this case (see can_view_case)."""
    if can_view_case(user, kind, kecamatan_id, reporter_id):
        assert user is not None
        return user
    return require_follow_up(user, kind, kecamatan_id)
