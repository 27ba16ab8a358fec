"""Registration of officers: requests decided by admins, invite links, disabling.

Decisions:
- Anyone may ask for any role with ``/daftar``; an active admin decides. Rejected
  people may ask again; a disabled account may not (an admin enables it again).
- The first admins come from a setting: on their first contact they are registered
  as active admins without approval (``bootstrap_admin``).
- An invite is single-use and expires; only the SHA-256 of its token is stored, so a
  copy of the database does not hold usable links.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace
from datetime import datetime, timedelta

from domain.errors import InvalidInput, NotFound
from domain.models import Invite, Role, Seksi, User, UserStatus
from domain.permissions import Action, Forbidden, require
from domain.ports import UnitOfWork

__all__ = [
    "NAME_MIN",
    "NAME_MAX",
    "JABATAN_MAX",
    "INVITE_PREFIX",
    "clean_name",
    "clean_jabatan",
    "check_role_fields",
    "request_registration",
    "bootstrap_admin",
    "decide_registration",
    "set_active",
    "create_invite",
    "find_invite",
    "redeem_invite",
    "hash_token",
]

NAME_MIN = 3
NAME_MAX = 100
JABATAN_MAX = 100
INVITE_PREFIX = "inv_"


def clean_name(text: str) -> str:
    """A person's name: letters, spaces and . , ' - only, 3-100 characters."""
    name = " ".join(text.split())
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise InvalidInput(f"Nama harus {NAME_MIN}-{NAME_MAX} karakter.")
    if not any(ch.isalpha() for ch in name) or any(
        not (ch.isalpha() or ch in " .,'-") for ch in name
    ):
        raise InvalidInput("Nama hanya boleh berisi huruf, spasi, titik, koma, apostrof dan '-'.")
    return name


def clean_jabatan(text: str) -> str:
    """A position title, 2-100 characters."""
    jabatan = " ".join(text.split())
    if not 2 <= len(jabatan) <= JABATAN_MAX:
        raise InvalidInput(f"Jabatan harus 2-{JABATAN_MAX} karakter.")
    if not any(ch.isalpha() for ch in jabatan):
        raise InvalidInput("Jabatan harus berisi huruf, misalnya 'Kasi Trantib' atau 'Kaur Umum'.")
    return jabatan


def check_role_fields(
    uow: UnitOfWork,
    kecamatan_id: int,
    role: Role,
    seksi: Seksi | None,
    desa_id: int | None,
) -> None:
    """A staf seksi names a seksi, a perangkat desa a desa of this kecamatan, an admin neither."""
    if role is Role.ADMIN_KABUPATEN:  # never asked for: the operator registers one
        raise InvalidInput(
            "Admin kabupaten didaftarkan oleh operator (iku-bot admin-kabupaten add), "
            "bukan lewat pendaftaran atau undangan."
        )
    if role is Role.STAF_SEKSI and (seksi is None or desa_id is not None):
        raise InvalidInput("Staf seksi harus memilih satu seksi.")
    if role is Role.PERANGKAT_DESA:
        if desa_id is None or seksi is not None:
            raise InvalidInput("Perangkat desa harus memilih satu desa.")
        desa = uow.desa.get(desa_id)
        if desa is None or desa.kecamatan_id != kecamatan_id:
            raise InvalidInput("Desa tersebut bukan desa kecamatan ini.")
    if role is Role.ADMIN and (seksi is not None or desa_id is not None):
        raise InvalidInput("Admin tidak terikat pada satu seksi atau desa.")


def request_registration(
    uow: UnitOfWork,
    *,
    telegram_id: int,
    kecamatan_id: int,
    role: Role,
    seksi: Seksi | None,
    desa_id: int | None,
    nama: str,
    jabatan: str,
    at: datetime,
) -> User:
    """Store a pending registration (or renew a rejected one) for the admins to decide.

    The caller commits.
    """
    nama, jabatan = clean_name(nama), clean_jabatan(jabatan)
    check_role_fields(uow, kecamatan_id, role, seksi, desa_id)
    existing = uow.users.get_by_telegram_id(telegram_id)
    if existing is not None and existing.status is not UserStatus.REJECTED:
        raise InvalidInput(_already(existing))
    wanted = User(
        id=0 if existing is None else existing.id,
        telegram_id=telegram_id,
        nama=nama,
        jabatan=jabatan,
        role=role,
        status=UserStatus.PENDING,
        kecamatan_id=kecamatan_id,
        seksi=seksi,
        desa_id=desa_id,
    )
    user = _save_person(uow, wanted, existing)
    uow.audit.record(
        actor=f"tg:{telegram_id}",
        action="request_registration",
        entity="app_user",
        entity_id=str(user.id),
        detail={"peran": role.value, "seksi": seksi and seksi.value, "desa_id": desa_id},
        user_id=user.id,
        at=at,
    )
    return user


def _save_person(uow: UnitOfWork, wanted: User, existing: User | None) -> User:
    """Add a new person, or renew a rejected one (only if still rejected)."""
    if existing is None:
        return uow.users.add(wanted)
    stored = uow.users.update(wanted, expected_status=UserStatus.REJECTED)
    if stored is None:
        raise InvalidInput("Status pendaftaran Anda baru saja berubah. Silakan cek /profil.")
    return stored


def _already(user: User) -> str:
    if user.status is UserStatus.PENDING:
        return "Pendaftaran Anda sudah terkirim dan masih menunggu persetujuan admin."
    if user.status is UserStatus.DISABLED:
        return "Akun Anda dinonaktifkan. Hubungi admin kecamatan untuk mengaktifkannya kembali."
    return "Anda sudah terdaftar. Lihat /profil."


def bootstrap_admin(
    uow: UnitOfWork, *, telegram_id: int, kecamatan_id: int, nama: str, at: datetime
) -> User:
    """Register a first admin named in the settings as an active admin (idempotent).

    The caller commits.
    """
    existing = uow.users.get_by_telegram_id(telegram_id)
    if existing is not None:
        return existing
    try:
        clean = clean_name(nama)
    except InvalidInput:
        clean = f"Admin {telegram_id}"
    user = uow.users.add(
        User(
            id=0,
            telegram_id=telegram_id,
            nama=clean[:NAME_MAX],
            jabatan="Admin",
            role=Role.ADMIN,
            status=UserStatus.ACTIVE,
            kecamatan_id=kecamatan_id,
        )
    )
    uow.audit.record(
        actor="pengaturan",
        action="bootstrap_admin",
        entity="app_user",
        entity_id=str(user.id),
        user_id=user.id,
        at=at,
    )
    return user


def _admin_of(admin: User | None, user: User) -> User:
    require(admin, Action.MANAGE_USERS)
    assert admin is not None
    if admin.kecamatan_id != user.kecamatan_id:
        raise Forbidden("Pengguna ini terdaftar di kecamatan lain.")
    return admin


def decide_registration(
    uow: UnitOfWork, *, admin: User | None, user_id: int, approve: bool, at: datetime
) -> User:
    """Approve or reject a pending registration; a second decision is refused clearly.

    The caller commits.
    """
    user = uow.users.get(user_id)
    if user is None:
        raise NotFound("Pendaftaran ini tidak ditemukan.")
    decider = _admin_of(admin, user)
    if user.status is not UserStatus.PENDING:
        raise InvalidInput(
            f"Pendaftaran {user.nama} sudah diputuskan sebelumnya "
            f"(status sekarang: {STATUS_LABEL[user.status]})."
        )
    status = UserStatus.ACTIVE if approve else UserStatus.REJECTED
    stored = uow.users.update(replace(user, status=status), expected_status=UserStatus.PENDING)
    if stored is None:
        raise InvalidInput(f"Pendaftaran {user.nama} baru saja diputuskan oleh admin lain.")
    uow.audit.record(
        actor=f"tg:{decider.telegram_id}",
        action="approve_registration" if approve else "reject_registration",
        entity="app_user",
        entity_id=str(user.id),
        user_id=decider.id,
        at=at,
    )
    return stored


STATUS_LABEL: dict[UserStatus, str] = {
    UserStatus.PENDING: "menunggu persetujuan",
    UserStatus.ACTIVE: "aktif",
    UserStatus.DISABLED: "nonaktif",
    UserStatus.REJECTED: "ditolak",
}
__all__ += ["STATUS_LABEL"]


def set_active(
    uow: UnitOfWork, *, admin: User | None, user_id: int, active: bool, at: datetime
) -> User:
    """Disable an active user or enable a disabled one; an admin cannot disable themself.

    The caller commits.
    """
    user = uow.users.get(user_id)
    if user is None:
        raise NotFound("Pengguna ini tidak ditemukan.")
    decider = _admin_of(admin, user)
    if not active and user.id == decider.id:
        raise InvalidInput("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    expected = UserStatus.ACTIVE if not active else UserStatus.DISABLED
    if user.status is not expected:
        raise InvalidInput(
            f"{user.nama} berstatus {STATUS_LABEL[user.status]}; tidak ada yang diubah."
        )
    target = UserStatus.DISABLED if not active else UserStatus.ACTIVE
    stored = uow.users.update(replace(user, status=target), expected_status=expected)
    if stored is None:
        raise InvalidInput(f"Status {user.nama} baru saja diubah oleh admin lain.")
    uow.audit.record(
        actor=f"tg:{decider.telegram_id}",
        action="disable_user" if not active else "enable_user",
        entity="app_user",
        entity_id=str(user.id),
        user_id=decider.id,
        at=at,
    )
    return stored


def hash_token(token: str) -> str:
    """SHA-256 of an invite token, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_invite(
    uow: UnitOfWork,
    *,
    admin: User | None,
    role: Role,
    seksi: Seksi | None,
    desa_id: int | None,
    at: datetime,
    valid_for: timedelta,
) -> tuple[Invite, str]:
    """Create a single-use invite; returns it and the deep-link payload (shown once).

    The caller commits.
    """
    require(admin, Action.MANAGE_USERS)
    assert admin is not None
    check_role_fields(uow, admin.kecamatan_id, role, seksi, desa_id)
    token = secrets.token_urlsafe(18)  # 24 characters of [A-Za-z0-9_-]
    invite = uow.invites.add(
        Invite(
            id=0,
            kecamatan_id=admin.kecamatan_id,
            role=role,
            created_by=admin.id,
            expires_at=at + valid_for,
            seksi=seksi,
            desa_id=desa_id,
        ),
        hash_token(token),
    )
    uow.audit.record(
        actor=f"tg:{admin.telegram_id}",
        action="create_invite",
        entity="invite",
        entity_id=str(invite.id),
        detail={"peran": role.value, "seksi": seksi and seksi.value, "desa_id": desa_id},
        user_id=admin.id,
        at=at,
    )
    return invite, INVITE_PREFIX + token


def find_invite(uow: UnitOfWork, payload: str, at: datetime) -> Invite:
    """The usable invite of a deep-link payload, or a clear reason why it is not usable."""
    token = payload.removeprefix(INVITE_PREFIX)
    invite = uow.invites.get_by_hash(hash_token(token)) if token else None
    if invite is None:
        raise NotFound("Tautan undangan ini tidak dikenal. Mintalah tautan baru kepada admin.")
    if invite.used_at is not None:
        raise InvalidInput("Tautan undangan ini sudah dipakai. Mintalah tautan baru kepada admin.")
    if invite.expires_at <= at:
        raise InvalidInput(
            "Tautan undangan ini sudah kedaluwarsa. Mintalah tautan baru kepada admin."
        )
    return invite


def redeem_invite(
    uow: UnitOfWork,
    *,
    payload: str,
    telegram_id: int,
    nama: str,
    jabatan: str,
    at: datetime,
) -> User:
    """Register an active user with the invite's role; the invite cannot be used again.

    The caller commits. When the invite was used by someone else meanwhile, the user
    row is already written and InvalidInput is raised: the caller must roll back (as
    it does for any error of a use case), never commit.
    """
    nama, jabatan = clean_name(nama), clean_jabatan(jabatan)
    invite = find_invite(uow, payload, at)
    existing = uow.users.get_by_telegram_id(telegram_id)
    if existing is not None and existing.status is not UserStatus.REJECTED:
        raise InvalidInput(_already(existing))
    wanted = User(
        id=0 if existing is None else existing.id,
        telegram_id=telegram_id,
        nama=nama,
        jabatan=jabatan,
        role=invite.role,
        status=UserStatus.ACTIVE,
        kecamatan_id=invite.kecamatan_id,
        seksi=invite.seksi,
        desa_id=invite.desa_id,
    )
    user = _save_person(uow, wanted, existing)
    if not uow.invites.mark_used(invite.id, user.id, at):
        raise InvalidInput("Tautan undangan ini baru saja dipakai orang lain.")
    uow.audit.record(
        actor=f"tg:{telegram_id}",
        action="redeem_invite",
        entity="invite",
        entity_id=str(invite.id),
        user_id=user.id,
        at=at,
    )
    return user
