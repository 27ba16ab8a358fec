"""Builders of domain objects for the tests and the benchmarks: one place for their defaults.

``make_*`` return a domain object without storing it (ids 0 mean "assigned by storage");
``add_user`` stores a user in the caller's unit of work, ``store_user`` in a unit of work
of its own that it commits. Keyword arguments are named after the fields they set.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.models import (
    Desa,
    Incident,
    IncidentKind,
    IncidentStatus,
    Kecamatan,
    KonflikStage,
    Role,
    Seksi,
    User,
    UserStatus,
)
from domain.ports import UnitOfWork

__all__ = [
    "CERMEE",
    "cermee",
    "KECAMATAN_ID",
    "DESA_ID",
    "make_kecamatan",
    "make_desa",
    "make_user",
    "add_user",
    "store_user",
    "make_incident",
]

JAKARTA = ZoneInfo("Asia/Jakarta")
KECAMATAN_ID = 1
DESA_ID = 11


# A kecamatan of another kabupaten (Bondowoso) in the shape of a seed file, for the tests
# of a deployment that serves several: one desa, whose name is made up.
CERMEE: dict[str, Any] = {
    "kode": "35.11.15",
    "kode_bps": "3511152",
    "nama": "Cermee",
    "kabupaten": "Bondowoso",
    "provinsi": "Jawa Timur",
    "desa": [{"kode": "35.11.15.2001", "kode_bps": "3511152001", "nama": "Desa Satu"}],
}


def cermee(desa_name: str = "Desa Satu") -> dict[str, Any]:
    """A copy of :data:`CERMEE`, its desa named ``desa_name``."""
    return {**CERMEE, "desa": [{**CERMEE["desa"][0], "nama": desa_name}]}


def make_kecamatan(
    *,
    id: int = KECAMATAN_ID,
    kode: str = "35.28.08",
    kode_bps: str = "3528040",
    nama: str = "Larangan",
    kabupaten: str = "Pamekasan",
    provinsi: str = "Jawa Timur",
) -> Kecamatan:
    """A kecamatan as the repositories return it (Larangan by default)."""
    return Kecamatan(
        id=id, kode=kode, kode_bps=kode_bps, nama=nama, kabupaten=kabupaten, provinsi=provinsi
    )


def make_desa(
    *,
    id: int = DESA_ID,
    kecamatan_id: int = KECAMATAN_ID,
    kode: str = "35.28.08.2001",
    kode_bps: str = "3528040001",
    nama: str = "Peltong",
) -> Desa:
    """A desa as the repositories return it (Peltong of Larangan by default)."""
    return Desa(id=id, kecamatan_id=kecamatan_id, kode=kode, kode_bps=kode_bps, nama=nama)


def make_user(
    role: Role = Role.STAF_SEKSI,
    *,
    id: int = 0,
    telegram_id: int = 700_007,
    nama: str = "Pengguna Uji",
    jabatan: str = "Pelaksana",
    status: UserStatus = UserStatus.ACTIVE,
    kecamatan_id: int = KECAMATAN_ID,
    seksi: Seksi | None = None,
    desa_id: int | None = None,
) -> User:
    """A user, not stored (``id`` 0: the repository assigns it)."""
    return User(
        id=id,
        telegram_id=telegram_id,
        nama=nama,
        jabatan=jabatan,
        role=role,
        status=status,
        kecamatan_id=kecamatan_id,
        seksi=seksi,
        desa_id=desa_id,
    )


def add_user(
    uow: UnitOfWork,
    role: Role = Role.STAF_SEKSI,
    *,
    telegram_id: int = 700_007,
    nama: str = "Pengguna Uji",
    jabatan: str = "Pelaksana",
    status: UserStatus = UserStatus.ACTIVE,
    kecamatan_id: int = KECAMATAN_ID,
    seksi: Seksi | None = None,
    desa_id: int | None = None,
) -> User:
    """Store a user in the caller's unit of work (the caller commits); returns it with its id."""
    return uow.users.add(
        make_user(
            role,
            telegram_id=telegram_id,
            nama=nama,
            jabatan=jabatan,
            status=status,
            kecamatan_id=kecamatan_id,
            seksi=seksi,
            desa_id=desa_id,
        )
    )


def store_user(
    uow_factory: Callable[[], UnitOfWork],
    role: Role = Role.STAF_SEKSI,
    *,
    telegram_id: int = 700_007,
    nama: str = "Pengguna Uji",
    jabatan: str = "Pelaksana",
    status: UserStatus = UserStatus.ACTIVE,
    kecamatan_id: int = KECAMATAN_ID,
    seksi: Seksi | None = None,
    desa_id: int | None = None,
) -> User:
    """Store a user in a unit of work of its own and commit it; returns it with its id."""
    with uow_factory() as uow:
        user = add_user(
            uow,
            role,
            telegram_id=telegram_id,
            nama=nama,
            jabatan=jabatan,
            status=status,
            kecamatan_id=kecamatan_id,
            seksi=seksi,
            desa_id=desa_id,
        )
        uow.commit()
    return user


def make_incident(
    desa: Desa | None = None,
    *,
    id: int = 0,
    nomor: str = "",
    kind: IncidentKind = IncidentKind.KONFLIK,
    event_date: date = date(2026, 3, 2),
    received_at: datetime | None = None,
    category: str = "sengketa_lahan",
    description: str = "Warga melaporkan kejadian di balai desa",
    status: IncidentStatus = IncidentStatus.BARU,
    reporter_id: int | None = None,
    category_detail: str | None = None,
    stage: KonflikStage | None = None,
    photos: tuple[str, ...] = (),
    handled_at: datetime | None = None,
    kecamatan_id: int | None = None,
) -> Incident:
    """An incident of ``desa`` (default: ``make_desa()``), received 2 March 2026 10:15 WIB.

    ``kecamatan_id`` is the desa's unless given (an incident that names another one).

    Handed to ``IncidentRepository.add``, the id, number and status are assigned by
    storage; built with them, it stands for an incident as the repositories return it.
    """
    place = desa if desa is not None else make_desa()
    return Incident(
        id=id,
        nomor=nomor,
        kind=kind,
        kecamatan_id=place.kecamatan_id if kecamatan_id is None else kecamatan_id,
        desa_id=place.id,
        event_date=event_date,
        received_at=received_at or datetime(2026, 3, 2, 10, 15, tzinfo=JAKARTA),
        category=category,
        description=description,
        status=status,
        reporter_id=reporter_id,
        category_detail=category_detail,
        stage=stage,
        photo_file_ids=photos,
        handled_at=handled_at,
    )
