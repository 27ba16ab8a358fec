"""The admin kabupaten: how one is registered, and the recap it reads (audited).

Decisions:
- An admin kabupaten is a user with :attr:`Role.ADMIN_KABUPATEN`. Its ``kecamatan_id``
  is its home kecamatan (the one named, else the first of the kabupaten by code, which
  in a seeded kabupaten is usually the seat); its scope is the kabupaten of that
  kecamatan (domain.permissions).
- The operator registers one (``iku-bot admin-kabupaten add``): active at once, no
  approval by a kecamatan admin, audited. Registering the same person again changes
  nothing (idempotent); a disabled one is made active again. A Telegram ID already
  used by a kecamatan user, or by the admin of another kabupaten, is refused: one
  person, one role.
- Every recap handed out (shown in a chat or sent as a workbook) is one audit entry
  per kecamatan shown, ``rekap_kabupaten``, like the CLI's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from domain.audit import Channel, ExportForm, record_export
from domain.errors import InvalidInput, NotFound
from domain.kabupaten import KabupatenRecap, kabupaten_kecamatan, kabupaten_recap
from domain.models import Kecamatan, Role, User, UserStatus
from domain.period import Period
from domain.permissions import Action, kabupaten_code_of, require
from domain.ports import UnitOfWork
from domain.registration import NAME_MAX, clean_jabatan, clean_name

__all__ = ["AddedAdmin", "add_kabupaten_admin", "audited_recap"]

DEFAULT_JABATAN = "Bagian Pemerintahan Kabupaten"


@dataclass(frozen=True, slots=True)
class AddedAdmin:
    """The admin kabupaten, and whether this call changed anything."""

    user: User
    home: Kecamatan
    changed: bool


def _members(uow: UnitOfWork, kabupaten_code: str) -> list[Kecamatan]:
    members = kabupaten_kecamatan(uow, kabupaten_code)
    if not members:
        raise NotFound(
            f"Kabupaten dengan kode {kabupaten_code.strip()} belum punya kecamatan terdaftar "
            "(daftarkan dengan 'iku-bot db seed BERKAS')."
        )
    return members


def add_kabupaten_admin(
    uow: UnitOfWork,
    *,
    telegram_id: int,
    kabupaten_code: str,
    nama: str,
    at: datetime,
    jabatan: str = DEFAULT_JABATAN,
    home_code: str | None = None,
) -> AddedAdmin:
    """Register (or re-activate) an admin kabupaten; the caller commits."""
    members = _members(uow, kabupaten_code)
    if home_code is None:
        home = members[0]
    else:
        found = [k for k in members if k.kode == home_code.strip()]
        if not found:
            raise InvalidInput(
                f"Kecamatan {home_code.strip()} bukan kecamatan Kabupaten "
                f"{members[0].kabupaten} ({kabupaten_code.strip()})."
            )
        home = found[0]
    clean, title = clean_name(nama)[:NAME_MAX], clean_jabatan(jabatan)
    existing = uow.users.get_by_telegram_id(telegram_id)
    if existing is not None:
        return _again(uow, existing, home, kabupaten_code.strip(), at)
    user = uow.users.add(
        User(
            id=0,
            telegram_id=telegram_id,
            nama=clean,
            jabatan=title,
            role=Role.ADMIN_KABUPATEN,
            status=UserStatus.ACTIVE,
            kecamatan_id=home.id,
        )
    )
    _audit(uow, user, "add_kabupaten_admin", kabupaten_code.strip(), at)
    return AddedAdmin(user, home, changed=True)


def _again(
    uow: UnitOfWork, existing: User, home: Kecamatan, kabupaten_code: str, at: datetime
) -> AddedAdmin:
    """The Telegram ID is known: the same admin kabupaten, or a refusal."""
    current = uow.kecamatan.get(existing.kecamatan_id)
    if existing.role is not Role.ADMIN_KABUPATEN or current is None:
        where = "" if current is None else f" di Kecamatan {current.nama}"
        raise InvalidInput(
            f"ID Telegram {existing.telegram_id} sudah terdaftar sebagai {existing.nama}"
            f"{where} ({existing.role.value}). Satu orang satu peran: pakai ID lain, atau "
            "minta admin kecamatan menonaktifkan akun itu lebih dulu."
        )
    if kabupaten_code_of(current) != kabupaten_code:
        raise InvalidInput(
            f"ID Telegram {existing.telegram_id} sudah menjadi admin Kabupaten "
            f"{current.kabupaten} ({kabupaten_code_of(current)})."
        )
    if existing.status is UserStatus.ACTIVE:
        return AddedAdmin(existing, current, changed=False)
    stored = uow.users.update(replace(existing, status=UserStatus.ACTIVE))
    assert stored is not None
    _audit(uow, stored, "reactivate_kabupaten_admin", kabupaten_code, at)
    return AddedAdmin(stored, current, changed=True)


def _audit(uow: UnitOfWork, user: User, action: str, kabupaten_code: str, at: datetime) -> None:
    uow.audit.record(
        actor="cli",
        action=action,
        entity="app_user",
        entity_id=str(user.id),
        detail={"peran": Role.ADMIN_KABUPATEN.value, "kabupaten": kabupaten_code},
        user_id=user.id,
        at=at,
    )


def audited_recap(
    uow: UnitOfWork,
    *,
    user: User | None,
    home: Kecamatan,
    period: Period,
    now: datetime,
    channel: Channel,
    form: ExportForm,
) -> KabupatenRecap:
    """The recap of the admin's kabupaten, one audit entry per kecamatan shown."""
    require(user, Action.VIEW_KABUPATEN)
    assert user is not None
    recap = kabupaten_recap(uow, kabupaten_code=kabupaten_code_of(home), period=period, now=now)
    for report in recap.kecamatan:
        record_export(
            uow,
            user=user,
            channel=channel,
            kecamatan=report.kecamatan,
            period=period,
            form=form,
            contents={"rekap_kabupaten": recap.kode},
            at=now,
            entity="rekap_kabupaten",
        )
    return recap
