"""The bot's use cases through the real repositories, on SQLite and on PostgreSQL.

Registration and invites, incident reports and their follow-up, weekly nil reports,
the anonymous SKM questionnaire, IDM results and desa tematik; and that a use case's
work is stored only when the caller commits its unit of work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import SQLModel, col

from domain.errors import InvalidInput, NotFound
from domain.idm import IdmStatus
from domain.incidents import (
    IncidentDraft,
    NilResult,
    StaleIncident,
    follow_up,
    submit_incident,
    submit_nil_report,
)
from domain.models import (
    Desa,
    DesaTematik,
    IdmResult,
    Incident,
    IncidentKind,
    IncidentStatus,
    Kecamatan,
    KonflikStage,
    ReceivedFile,
    Role,
    Seksi,
    SkmService,
    Tema,
    User,
    UserStatus,
)
from domain.permissions import Forbidden
from domain.ports import UnitOfWork
from domain.records import IdmEntry, end_tematik, record_idm, record_tematik
from domain.registration import (
    INVITE_PREFIX,
    bootstrap_admin,
    create_invite,
    decide_registration,
    hash_token,
    redeem_invite,
    request_registration,
    set_active,
)
from domain.skm import UNSUR
from domain.survey import (
    AlreadyAnswered,
    SurveyAnswers,
    already_answered,
    dedup_key,
    flush_survey_pool,
    submit_survey,
)
from storage.tables import (
    AuditLogRow,
    IdmResultRow,
    IncidentEventRow,
    IncidentRow,
    InviteRow,
    NilReportRow,
    SkmDedupRow,
    SkmResponseRow,
    UserRow,
)
from tests.factories import store_user
from tests.storage.builders import jakarta

UowFactory = Callable[[], UnitOfWork]
Sessions = sessionmaker[Session]

NOW = jakarta(2026, 3, 5, 10)
MAX_AGE = 30
SECRET = b"kunci-rahasia-server"
CITIZEN = 812_345_678_901


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def sessions(session_factory: Sessions) -> Sessions:
    """Plain sessions, to count and read rows behind the repositories' backs."""
    return session_factory


def _count(sessions: Sessions, table: type[SQLModel]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _audit_actions(sessions: Sessions) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(col(AuditLogRow.action)).order_by(col(AuditLogRow.id))))


def _stored_user(uow_factory: UowFactory, telegram_id: int) -> User | None:
    with uow_factory() as uow:
        return uow.users.get_by_telegram_id(telegram_id)


@pytest.fixture
def admin(uow_factory: UowFactory, larangan: Kecamatan) -> User:
    """The Camat of Larangan, an active admin."""
    return store_user(
        uow_factory,
        Role.ADMIN,
        telegram_id=100_001,
        nama="Camat Larangan",
        kecamatan_id=larangan.id,
    )


@pytest.fixture
def kesbang(uow_factory: UowFactory, larangan: Kecamatan) -> User:
    """An active staf of Seksi Kesbang."""
    return store_user(
        uow_factory,
        Role.STAF_SEKSI,
        telegram_id=100_002,
        kecamatan_id=larangan.id,
        seksi=Seksi.KESBANG,
    )


@pytest.fixture
def trantib(uow_factory: UowFactory, larangan: Kecamatan) -> User:
    """An active staf of Seksi Trantib."""
    return store_user(
        uow_factory,
        Role.STAF_SEKSI,
        telegram_id=100_003,
        kecamatan_id=larangan.id,
        seksi=Seksi.TRANTIB,
    )


@pytest.fixture
def ppd(uow_factory: UowFactory, larangan: Kecamatan) -> User:
    """An active staf of Seksi PPD."""
    return store_user(
        uow_factory, Role.STAF_SEKSI, telegram_id=100_004, kecamatan_id=larangan.id, seksi=Seksi.PPD
    )


@pytest.fixture
def pmd(uow_factory: UowFactory, larangan: Kecamatan) -> User:
    """An active staf of Seksi PMD."""
    return store_user(
        uow_factory, Role.STAF_SEKSI, telegram_id=100_005, kecamatan_id=larangan.id, seksi=Seksi.PMD
    )


@pytest.fixture
def perangkat(uow_factory: UowFactory, larangan: Kecamatan, desa: list[Desa]) -> User:
    """An active perangkat desa of the first desa of Larangan."""
    return store_user(
        uow_factory,
        Role.PERANGKAT_DESA,
        telegram_id=100_006,
        nama="Moh. Hasan",
        kecamatan_id=larangan.id,
        desa_id=desa[0].id,
    )


@pytest.fixture
def pademawu_admin(uow_factory: UowFactory, pademawu: Kecamatan) -> User:
    """An active admin of another kecamatan."""
    return store_user(
        uow_factory,
        Role.ADMIN,
        telegram_id=200_001,
        nama="Camat Pademawu",
        kecamatan_id=pademawu.id,
    )


# === registration ============================================================================


def _request(
    uow_factory: UowFactory,
    larangan: Kecamatan,
    *,
    telegram_id: int = 300_001,
    role: Role = Role.STAF_SEKSI,
    seksi: Seksi | None = Seksi.TRANTIB,
    desa_id: int | None = None,
    nama: str = "Rina Wulandari",
    jabatan: str = "Kasi Trantib",
) -> User:
    with uow_factory() as uow:
        result = request_registration(
            uow,
            telegram_id=telegram_id,
            kecamatan_id=larangan.id,
            role=role,
            seksi=seksi,
            desa_id=desa_id,
            nama=nama,
            jabatan=jabatan,
            at=NOW,
        )
        uow.commit()
        return result


def _decide(uow_factory: UowFactory, admin: User | None, user: User, approve: bool) -> User:
    with uow_factory() as uow:
        result = decide_registration(uow, admin=admin, user_id=user.id, approve=approve, at=NOW)
        uow.commit()
        return result


def _set_active(uow_factory: UowFactory, admin: User | None, user: User, active: bool) -> User:
    with uow_factory() as uow:
        result = set_active(uow, admin=admin, user_id=user.id, active=active, at=NOW)
        uow.commit()
        return result


def test_a_registration_request_is_stored_as_pending_with_tidied_details(
    uow_factory: UowFactory, larangan: Kecamatan, sessions: Sessions
) -> None:
    user = _request(uow_factory, larangan, nama="  Rina   Wulandari ", jabatan=" Kasi  Trantib")
    assert user.status is UserStatus.PENDING
    stored = _stored_user(uow_factory, 300_001)
    assert stored == user
    assert stored is not None
    assert (stored.nama, stored.jabatan) == ("Rina Wulandari", "Kasi Trantib")
    assert (stored.role, stored.seksi, stored.desa_id) == (Role.STAF_SEKSI, Seksi.TRANTIB, None)
    assert stored.kecamatan_id == larangan.id
    assert _audit_actions(sessions) == ["request_registration"]


def test_a_second_request_while_pending_is_refused_and_nothing_changes(
    uow_factory: UowFactory, larangan: Kecamatan, sessions: Sessions
) -> None:
    first = _request(uow_factory, larangan)
    with pytest.raises(InvalidInput, match="menunggu persetujuan"):
        _request(uow_factory, larangan, seksi=Seksi.PPD, nama="Nama Lain")
    assert _stored_user(uow_factory, 300_001) == first
    assert _count(sessions, UserRow) == 1


def test_an_admin_approves_a_pending_registration(
    uow_factory: UowFactory, larangan: Kecamatan, admin: User, sessions: Sessions
) -> None:
    pending = _request(uow_factory, larangan)
    approved = _decide(uow_factory, admin, pending, approve=True)
    assert approved.status is UserStatus.ACTIVE
    stored = _stored_user(uow_factory, 300_001)
    assert stored is not None
    assert stored.status is UserStatus.ACTIVE
    assert stored.id == pending.id
    assert _audit_actions(sessions) == ["request_registration", "approve_registration"]


def test_an_admin_rejects_a_pending_registration(
    uow_factory: UowFactory, larangan: Kecamatan, admin: User
) -> None:
    pending = _request(uow_factory, larangan)
    rejected = _decide(uow_factory, admin, pending, approve=False)
    assert rejected.status is UserStatus.REJECTED
    stored = _stored_user(uow_factory, 300_001)
    assert stored is not None
    assert stored.status is UserStatus.REJECTED


@pytest.mark.parametrize(
    ("first", "second", "label"), [(True, False, "aktif"), (False, True, "ditolak")]
)
def test_a_second_decision_is_refused_naming_the_current_status(
    uow_factory: UowFactory,
    larangan: Kecamatan,
    admin: User,
    first: bool,
    second: bool,
    label: str,
) -> None:
    pending = _request(uow_factory, larangan)
    decided = _decide(uow_factory, admin, pending, approve=first)
    with pytest.raises(InvalidInput, match="sudah diputuskan") as refused:
        _decide(uow_factory, admin, pending, approve=second)
    assert f"status sekarang: {label}" in str(refused.value)
    assert "Rina Wulandari" in str(refused.value)
    assert _stored_user(uow_factory, 300_001) == decided


def test_a_rejected_person_may_request_again_and_is_pending_with_the_new_details(
    uow_factory: UowFactory, larangan: Kecamatan, admin: User, desa: list[Desa], sessions: Sessions
) -> None:
    first = _request(uow_factory, larangan)
    _decide(uow_factory, admin, first, approve=False)
    again = _request(
        uow_factory,
        larangan,
        role=Role.PERANGKAT_DESA,
        seksi=None,
        desa_id=desa[2].id,
        nama="Rina W.",
        jabatan="Sekdes",
    )
    assert again.id == first.id
    stored = _stored_user(uow_factory, 300_001)
    assert stored is not None
    assert stored.status is UserStatus.PENDING
    assert (stored.role, stored.seksi, stored.desa_id) == (Role.PERANGKAT_DESA, None, desa[2].id)
    assert (stored.nama, stored.jabatan) == ("Rina W.", "Sekdes")
    assert _count(sessions, UserRow) == 2  # the admin and Rina, once


def test_an_active_user_cannot_request_registration_again(
    uow_factory: UowFactory, larangan: Kecamatan, kesbang: User
) -> None:
    with pytest.raises(InvalidInput, match="sudah terdaftar"):
        _request(uow_factory, larangan, telegram_id=kesbang.telegram_id)
    assert _stored_user(uow_factory, kesbang.telegram_id) == kesbang


def test_a_disabled_user_cannot_register_again_and_is_told_to_ask_an_admin(
    uow_factory: UowFactory, larangan: Kecamatan, admin: User, kesbang: User
) -> None:
    disabled = _set_active(uow_factory, admin, kesbang, active=False)
    with pytest.raises(InvalidInput, match="dinonaktifkan"):
        _request(uow_factory, larangan, telegram_id=kesbang.telegram_id)
    assert _stored_user(uow_factory, kesbang.telegram_id) == disabled


@pytest.mark.parametrize(
    ("role", "seksi", "desa_index", "message"),
    [
        (Role.STAF_SEKSI, None, None, "satu seksi"),
        (Role.STAF_SEKSI, Seksi.PPD, 0, "satu seksi"),
        (Role.PERANGKAT_DESA, None, None, "satu desa"),
        (Role.PERANGKAT_DESA, Seksi.PMD, 0, "satu desa"),
        (Role.ADMIN, Seksi.PPD, None, "Admin tidak terikat"),
        (Role.ADMIN, None, 0, "Admin tidak terikat"),
    ],
)
def test_a_request_with_inconsistent_role_fields_is_refused_and_not_stored(
    uow_factory: UowFactory,
    larangan: Kecamatan,
    desa: list[Desa],
    sessions: Sessions,
    role: Role,
    seksi: Seksi | None,
    desa_index: int | None,
    message: str,
) -> None:
    desa_id = None if desa_index is None else desa[desa_index].id
    with pytest.raises(InvalidInput, match=message):
        _request(uow_factory, larangan, role=role, seksi=seksi, desa_id=desa_id)
    assert _count(sessions, UserRow) == 0


def test_a_perangkat_desa_may_not_ask_for_a_desa_of_another_kecamatan(
    uow_factory: UowFactory, larangan: Kecamatan, pademawu_desa: list[Desa], sessions: Sessions
) -> None:
    with pytest.raises(InvalidInput, match="bukan desa kecamatan ini"):
        _request(
            uow_factory,
            larangan,
            role=Role.PERANGKAT_DESA,
            seksi=None,
            desa_id=pademawu_desa[0].id,
        )
    assert _count(sessions, UserRow) == 0


def test_a_request_with_an_invalid_name_is_refused_and_not_stored(
    uow_factory: UowFactory, larangan: Kecamatan, sessions: Sessions
) -> None:
    with pytest.raises(InvalidInput, match="Nama"):
        _request(uow_factory, larangan, nama="R1na")
    assert _count(sessions, UserRow) == 0


@pytest.mark.parametrize("who", ["kesbang", "pending-admin", "nobody"])
def test_only_an_active_admin_may_decide_a_registration(
    uow_factory: UowFactory, larangan: Kecamatan, kesbang: User, who: str
) -> None:
    pending = _request(uow_factory, larangan)
    decider: User | None = {
        "kesbang": kesbang,
        "pending-admin": store_user(
            uow_factory,
            Role.ADMIN,
            telegram_id=100_099,
            status=UserStatus.PENDING,
            kecamatan_id=larangan.id,
        ),
        "nobody": None,
    }[who]
    with pytest.raises(Forbidden):
        _decide(uow_factory, decider, pending, approve=True)
    assert _stored_user(uow_factory, 300_001) == pending


def test_an_admin_of_another_kecamatan_may_not_decide(
    uow_factory: UowFactory, larangan: Kecamatan, pademawu_admin: User
) -> None:
    pending = _request(uow_factory, larangan)
    with pytest.raises(Forbidden, match="kecamatan lain"):
        _decide(uow_factory, pademawu_admin, pending, approve=True)
    assert _stored_user(uow_factory, 300_001) == pending


def test_deciding_an_unknown_registration_is_not_found(
    uow_factory: UowFactory, admin: User
) -> None:
    with uow_factory() as uow, pytest.raises(NotFound):
        decide_registration(uow, admin=admin, user_id=987_654, approve=True, at=NOW)


def test_an_admin_disables_and_enables_a_user(
    uow_factory: UowFactory, admin: User, kesbang: User, sessions: Sessions
) -> None:
    disabled = _set_active(uow_factory, admin, kesbang, active=False)
    assert disabled.status is UserStatus.DISABLED
    stored = _stored_user(uow_factory, kesbang.telegram_id)
    assert stored is not None
    assert stored.status is UserStatus.DISABLED

    enabled = _set_active(uow_factory, admin, kesbang, active=True)
    assert enabled.status is UserStatus.ACTIVE
    assert _stored_user(uow_factory, kesbang.telegram_id) == kesbang
    assert _audit_actions(sessions) == ["disable_user", "enable_user"]


def test_disabling_a_disabled_user_or_enabling_an_active_one_is_refused(
    uow_factory: UowFactory, admin: User, kesbang: User
) -> None:
    with pytest.raises(InvalidInput, match="berstatus aktif"):
        _set_active(uow_factory, admin, kesbang, active=True)
    _set_active(uow_factory, admin, kesbang, active=False)
    with pytest.raises(InvalidInput, match="berstatus nonaktif"):
        _set_active(uow_factory, admin, kesbang, active=False)


def test_a_pending_registration_cannot_be_enabled_around_the_decision(
    uow_factory: UowFactory, larangan: Kecamatan, admin: User
) -> None:
    pending = _request(uow_factory, larangan)
    with pytest.raises(InvalidInput, match="menunggu persetujuan"):
        _set_active(uow_factory, admin, pending, active=True)
    assert _stored_user(uow_factory, 300_001) == pending


def test_an_admin_cannot_disable_themself(uow_factory: UowFactory, admin: User) -> None:
    with pytest.raises(InvalidInput, match="akun Anda sendiri"):
        _set_active(uow_factory, admin, admin, active=False)
    assert _stored_user(uow_factory, admin.telegram_id) == admin


def test_a_non_admin_may_not_disable_anybody(
    uow_factory: UowFactory, kesbang: User, trantib: User
) -> None:
    with pytest.raises(Forbidden, match="hanya untuk admin"):
        _set_active(uow_factory, kesbang, trantib, active=False)
    assert _stored_user(uow_factory, trantib.telegram_id) == trantib


def test_a_disabled_admin_may_no_longer_manage_users(
    uow_factory: UowFactory, larangan: Kecamatan, admin: User, kesbang: User
) -> None:
    other_admin = store_user(uow_factory, Role.ADMIN, telegram_id=100_077, kecamatan_id=larangan.id)
    disabled_admin = _set_active(uow_factory, other_admin, admin, active=False)
    with pytest.raises(Forbidden, match="dinonaktifkan"):
        _set_active(uow_factory, disabled_admin, kesbang, active=False)


def test_bootstrap_admin_registers_an_active_admin_once(
    uow_factory: UowFactory, larangan: Kecamatan, sessions: Sessions
) -> None:
    with uow_factory() as uow:
        first = bootstrap_admin(
            uow, telegram_id=900_001, kecamatan_id=larangan.id, nama="Camat Larangan", at=NOW
        )
        uow.commit()
    with uow_factory() as uow:
        second = bootstrap_admin(
            uow, telegram_id=900_001, kecamatan_id=larangan.id, nama="Nama Baru", at=NOW
        )
        uow.commit()
    assert second == first
    assert (first.role, first.status, first.nama) == (
        Role.ADMIN,
        UserStatus.ACTIVE,
        "Camat Larangan",
    )
    assert _count(sessions, UserRow) == 1
    assert _audit_actions(sessions) == ["bootstrap_admin"]


def test_bootstrap_admin_with_an_unusable_telegram_name_gets_a_placeholder_name(
    uow_factory: UowFactory, larangan: Kecamatan
) -> None:
    with uow_factory() as uow:
        user = bootstrap_admin(
            uow, telegram_id=900_002, kecamatan_id=larangan.id, nama="🙂🙂", at=NOW
        )
        uow.commit()
    assert user.nama == "Admin 900002"
    assert _stored_user(uow_factory, 900_002) == user


# --- invites ---------------------------------------------------------------------------------


def _invite(
    uow_factory: UowFactory,
    admin: User | None,
    *,
    role: Role = Role.PERANGKAT_DESA,
    seksi: Seksi | None = None,
    desa_id: int | None = None,
    valid_for: timedelta = timedelta(days=2),
) -> str:
    with uow_factory() as uow:
        _, payload = create_invite(
            uow, admin=admin, role=role, seksi=seksi, desa_id=desa_id, at=NOW, valid_for=valid_for
        )
        uow.commit()
    return payload


def _redeem(
    uow_factory: UowFactory,
    payload: str,
    *,
    telegram_id: int = 400_001,
    at: datetime = NOW + timedelta(hours=1),
    nama: str = "Siti Aminah",
) -> User:
    with uow_factory() as uow:
        result = redeem_invite(
            uow, payload=payload, telegram_id=telegram_id, nama=nama, jabatan="Sekdes", at=at
        )
        uow.commit()
        return result


def _invite_rows(sessions: Sessions) -> list[dict[str, Any]]:
    with sessions() as session:
        rows = session.scalars(select(InviteRow)).all()
        return [row.model_dump() for row in rows]


def test_an_invite_gives_a_payload_once_and_stores_only_the_hash_of_its_token(
    uow_factory: UowFactory, admin: User, desa: list[Desa], engine: Engine, sessions: Sessions
) -> None:
    with uow_factory() as uow:
        invite, payload = create_invite(
            uow,
            admin=admin,
            role=Role.PERANGKAT_DESA,
            seksi=None,
            desa_id=desa[1].id,
            at=NOW,
            valid_for=timedelta(days=2),
        )
        uow.commit()
    assert payload.startswith(INVITE_PREFIX)
    token = payload.removeprefix(INVITE_PREFIX)
    assert len(token) >= 20
    assert invite.expires_at == NOW + timedelta(days=2)
    assert (invite.role, invite.seksi, invite.desa_id) == (Role.PERANGKAT_DESA, None, desa[1].id)
    assert (invite.kecamatan_id, invite.created_by) == (admin.kecamatan_id, admin.id)
    assert invite.used_at is None

    columns = {c["name"] for c in inspect(engine).get_columns("invite")}
    assert "token" not in columns
    assert not any("token" in name for name in columns - {"token_hash"})
    (row,) = _invite_rows(sessions)
    assert row["token_hash"] == hash_token(token)
    for value in row.values():
        assert token not in str(value)
    with sessions() as session:
        details = [str(d) for d in session.scalars(select(col(AuditLogRow.detail)))]
    assert all(token not in detail for detail in details)


def test_two_invites_get_different_tokens(uow_factory: UowFactory, admin: User) -> None:
    assert _invite(uow_factory, admin, role=Role.ADMIN) != _invite(
        uow_factory, admin, role=Role.ADMIN
    )


def test_redeeming_an_invite_registers_an_active_user_with_the_preset_role(
    uow_factory: UowFactory, admin: User, desa: list[Desa], sessions: Sessions
) -> None:
    payload = _invite(uow_factory, admin, desa_id=desa[1].id)
    at = NOW + timedelta(hours=1)
    user = _redeem(uow_factory, payload, at=at)
    assert user.status is UserStatus.ACTIVE
    assert (user.role, user.seksi, user.desa_id) == (Role.PERANGKAT_DESA, None, desa[1].id)
    assert user.kecamatan_id == admin.kecamatan_id
    assert (user.nama, user.jabatan) == ("Siti Aminah", "Sekdes")
    assert _stored_user(uow_factory, 400_001) == user
    (row,) = _invite_rows(sessions)
    assert row["used_by"] == user.id
    assert row["used_at"] == at


def test_an_invite_for_a_staf_seksi_presets_the_seksi(uow_factory: UowFactory, admin: User) -> None:
    payload = _invite(uow_factory, admin, role=Role.STAF_SEKSI, seksi=Seksi.PELAYANAN)
    user = _redeem(uow_factory, payload)
    assert (user.role, user.seksi, user.desa_id) == (Role.STAF_SEKSI, Seksi.PELAYANAN, None)


def test_an_invite_cannot_be_used_twice(
    uow_factory: UowFactory, admin: User, desa: list[Desa], sessions: Sessions
) -> None:
    payload = _invite(uow_factory, admin, desa_id=desa[1].id)
    first = _redeem(uow_factory, payload)
    with pytest.raises(InvalidInput, match="sudah dipakai"):
        _redeem(uow_factory, payload, telegram_id=400_002, nama="Orang Lain")
    assert _stored_user(uow_factory, 400_002) is None
    assert _count(sessions, UserRow) == 2  # the admin and the first invitee
    (row,) = _invite_rows(sessions)
    assert row["used_by"] == first.id


def test_an_expired_invite_is_refused(
    uow_factory: UowFactory, admin: User, desa: list[Desa]
) -> None:
    payload = _invite(uow_factory, admin, desa_id=desa[1].id, valid_for=timedelta(days=2))
    expires = NOW + timedelta(days=2)
    with pytest.raises(InvalidInput, match="kedaluwarsa"):
        _redeem(uow_factory, payload, at=expires + timedelta(seconds=1))
    with pytest.raises(InvalidInput, match="kedaluwarsa"):
        _redeem(uow_factory, payload, at=expires)
    assert _stored_user(uow_factory, 400_001) is None
    user = _redeem(uow_factory, payload, at=expires - timedelta(seconds=1))
    assert user.status is UserStatus.ACTIVE


@pytest.mark.parametrize("payload", ["inv_tidak-ada-token-seperti-ini", "inv_", ""])
def test_an_unknown_invite_is_refused_as_unknown(
    uow_factory: UowFactory, admin: User, sessions: Sessions, payload: str
) -> None:
    _invite(uow_factory, admin, role=Role.ADMIN)
    with pytest.raises(NotFound, match="tidak dikenal"):
        _redeem(uow_factory, payload)
    assert _stored_user(uow_factory, 400_001) is None


def test_a_registered_user_cannot_use_an_invite_and_it_stays_unused(
    uow_factory: UowFactory, admin: User, kesbang: User, sessions: Sessions
) -> None:
    payload = _invite(uow_factory, admin, role=Role.ADMIN)
    with pytest.raises(InvalidInput, match="sudah terdaftar"):
        _redeem(uow_factory, payload, telegram_id=kesbang.telegram_id)
    assert _stored_user(uow_factory, kesbang.telegram_id) == kesbang
    (row,) = _invite_rows(sessions)
    assert row["used_at"] is None


def test_a_pending_person_cannot_use_an_invite_and_it_stays_unused(
    uow_factory: UowFactory, larangan: Kecamatan, admin: User, sessions: Sessions
) -> None:
    pending = _request(uow_factory, larangan)
    payload = _invite(uow_factory, admin, role=Role.ADMIN)
    with pytest.raises(InvalidInput, match="menunggu persetujuan"):
        _redeem(uow_factory, payload, telegram_id=pending.telegram_id)
    assert _stored_user(uow_factory, pending.telegram_id) == pending
    (row,) = _invite_rows(sessions)
    assert row["used_at"] is None


def test_a_rejected_person_may_register_with_an_invite(
    uow_factory: UowFactory, larangan: Kecamatan, admin: User, sessions: Sessions
) -> None:
    rejected = _decide(uow_factory, admin, _request(uow_factory, larangan), approve=False)
    payload = _invite(uow_factory, admin, role=Role.STAF_SEKSI, seksi=Seksi.PMD)
    user = _redeem(uow_factory, payload, telegram_id=rejected.telegram_id)
    assert user.id == rejected.id
    assert (user.status, user.role, user.seksi) == (UserStatus.ACTIVE, Role.STAF_SEKSI, Seksi.PMD)
    assert _stored_user(uow_factory, rejected.telegram_id) == user


def test_only_an_active_admin_may_create_an_invite(
    uow_factory: UowFactory, kesbang: User, sessions: Sessions
) -> None:
    with pytest.raises(Forbidden):
        _invite(uow_factory, kesbang, role=Role.ADMIN)
    with pytest.raises(Forbidden, match="/daftar"):
        _invite(uow_factory, None, role=Role.ADMIN)
    assert _count(sessions, InviteRow) == 0


def test_an_invite_for_a_desa_of_another_kecamatan_is_refused(
    uow_factory: UowFactory, admin: User, pademawu_desa: list[Desa], sessions: Sessions
) -> None:
    with pytest.raises(InvalidInput, match="bukan desa kecamatan ini"):
        _invite(uow_factory, admin, desa_id=pademawu_desa[0].id)
    assert _count(sessions, InviteRow) == 0


# === incidents ===============================================================================


def _draft(
    desa: Desa,
    *,
    kind: IncidentKind = IncidentKind.KONFLIK,
    event_date: date = date(2026, 3, 4),
    category: str = "tanah",
    stage: KonflikStage | None = KonflikStage.POTENSI,
    **extra: Any,
) -> IncidentDraft:
    return IncidentDraft(
        kind=kind,
        desa_id=desa.id,
        event_date=event_date,
        category=category,
        description="Sengketa batas sawah antara dua keluarga di dusun timur",
        stage=stage,
        **extra,
    )


def _submit(
    uow_factory: UowFactory,
    reporter: User | None,
    draft: IncidentDraft,
    now: datetime = NOW,
) -> Incident:
    with uow_factory() as uow:
        result = submit_incident(uow, reporter=reporter, draft=draft, now=now, max_age_days=MAX_AGE)
        uow.commit()
        return result


def _follow(
    uow_factory: UowFactory,
    actor: User | None,
    incident: Incident,
    to_status: IncidentStatus,
    *,
    note: str = "Sudah dimediasi oleh kecamatan",
    at: datetime = NOW + timedelta(days=1),
    expected_version: int | None = None,
    photo: str | None = None,
) -> Incident:
    with uow_factory() as uow:
        result = follow_up(
            uow,
            actor=actor,
            incident_id=incident.id,
            expected_version=incident.version if expected_version is None else expected_version,
            to_status=to_status,
            note=note,
            now=at,
            proof=None if photo is None else ReceivedFile(photo),
        )
        uow.commit()
        return result


def _incident(uow_factory: UowFactory, incident_id: int) -> Incident:
    with uow_factory() as uow:
        found = uow.incidents.get(incident_id)
    assert found is not None
    return found


def test_a_submitted_incident_is_stored_with_its_tracking_number_and_fields(
    uow_factory: UowFactory, perangkat: User, desa: list[Desa], sessions: Sessions
) -> None:
    draft = IncidentDraft(
        kind=IncidentKind.KONFLIK,
        desa_id=desa[0].id,
        event_date=date(2026, 3, 4),
        category="tanah",
        description="  Sengketa batas   sawah\n\n  antara dua keluarga  ",
        stage=KonflikStage.TERJADI,
        latitude=-7.05,
        longitude=113.52,
        photo_file_ids=("foto-1", "foto-2"),
    )
    incident = _submit(uow_factory, perangkat, draft)
    assert incident.nomor == "KS-352808-2026-0001"
    stored = _incident(uow_factory, incident.id)
    assert stored == incident
    assert stored.kind is IncidentKind.KONFLIK
    assert (stored.kecamatan_id, stored.desa_id) == (desa[0].kecamatan_id, desa[0].id)
    assert stored.event_date == date(2026, 3, 4)
    assert stored.received_at == NOW
    assert (stored.category, stored.category_detail) == ("tanah", None)
    assert stored.description == "Sengketa batas sawah\n\nantara dua keluarga"
    assert stored.stage is KonflikStage.TERJADI
    assert stored.status is IncidentStatus.BARU
    assert stored.reporter_id == perangkat.id
    assert (stored.latitude, stored.longitude) == (-7.05, 113.52)
    assert stored.photo_file_ids == ("foto-1", "foto-2")
    assert (stored.handled_at, stored.version) == (None, 1)
    with uow_factory() as uow:
        (event,) = uow.incidents.history(incident.id)
    assert (event.from_status, event.to_status, event.user_id) == (
        None,
        IncidentStatus.BARU,
        perangkat.id,
    )
    assert _audit_actions(sessions) == ["report_incident"]


def test_a_trantibum_report_of_another_category_keeps_its_text(
    uow_factory: UowFactory, kesbang: User, desa: list[Desa]
) -> None:
    draft = _draft(
        desa[5],
        kind=IncidentKind.TRANTIBUM,
        category="lainnya",
        stage=None,
        category_detail="  Balap   liar ",
    )
    incident = _submit(uow_factory, kesbang, draft)
    assert incident.nomor == "TB-352808-2026-0001"
    stored = _incident(uow_factory, incident.id)
    assert (stored.category, stored.category_detail) == ("lainnya", "Balap liar")
    assert stored.stage is None
    assert stored.reporter_id == kesbang.id


def test_a_perangkat_desa_may_not_report_for_another_desa_and_nothing_is_stored(
    uow_factory: UowFactory,
    perangkat: User,
    desa: list[Desa],
    larangan: Kecamatan,
    sessions: Sessions,
) -> None:
    with pytest.raises(Forbidden, match="desanya sendiri"):
        _submit(uow_factory, perangkat, _draft(desa[1]))
    assert _count(sessions, IncidentRow) == 0
    assert _count(sessions, IncidentEventRow) == 0
    # The refused report used no tracking number.
    assert _submit(uow_factory, perangkat, _draft(desa[0])).nomor == "KS-352808-2026-0001"


def test_a_staf_of_another_kecamatan_may_not_report_for_a_desa_of_larangan(
    uow_factory: UowFactory, pademawu_admin: User, desa: list[Desa], sessions: Sessions
) -> None:
    with pytest.raises(Forbidden):
        _submit(uow_factory, pademawu_admin, _draft(desa[0]))
    assert _count(sessions, IncidentRow) == 0


def test_a_stranger_may_not_report(
    uow_factory: UowFactory, desa: list[Desa], sessions: Sessions
) -> None:
    with pytest.raises(Forbidden, match="/daftar"):
        _submit(uow_factory, None, _draft(desa[0]))
    assert _count(sessions, IncidentRow) == 0


def test_an_event_date_in_the_future_is_refused_and_nothing_is_stored(
    uow_factory: UowFactory, perangkat: User, desa: list[Desa], sessions: Sessions
) -> None:
    with pytest.raises(InvalidInput, match="masa depan"):
        _submit(uow_factory, perangkat, _draft(desa[0], event_date=date(2026, 3, 6)))
    assert _count(sessions, IncidentRow) == 0


def test_the_event_date_is_checked_against_the_office_day_of_now(
    uow_factory: UowFactory, perangkat: User, desa: list[Desa]
) -> None:
    today = _draft(desa[0], event_date=date(2026, 3, 5))
    oldest = _draft(desa[0], event_date=date(2026, 3, 5) - timedelta(days=MAX_AGE))
    assert _submit(uow_factory, perangkat, today).event_date == date(2026, 3, 5)
    assert _submit(uow_factory, perangkat, oldest).nomor == "KS-352808-2026-0002"
    with pytest.raises(InvalidInput, match=f"lebih dari {MAX_AGE} hari"):
        _submit(
            uow_factory,
            perangkat,
            _draft(desa[0], event_date=date(2026, 3, 5) - timedelta(days=MAX_AGE + 1)),
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"category": "pencurian"}, "Kategori"),
        ({"stage": None}, "potensi atau terjadi"),
        ({"kind": IncidentKind.TRANTIBUM, "category": "judi"}, "potensi atau terjadi"),
        ({"category": "lainnya"}, "3-100"),
        ({"photo_file_ids": ("a", "b", "c", "d")}, "Paling banyak 3 foto"),
        ({"latitude": -7.0}, "Lokasi"),
        ({"latitude": 91.0, "longitude": 113.0}, "Lokasi"),
        ({"latitude": -7.0, "longitude": 181.0}, "Lokasi"),
        ({"description": "terlalu pendek"}, "terlalu singkat"),
    ],
)
def test_an_invalid_draft_is_refused_as_a_whole_and_nothing_is_stored(
    uow_factory: UowFactory,
    perangkat: User,
    desa: list[Desa],
    sessions: Sessions,
    changes: dict[str, Any],
    message: str,
) -> None:
    base = _draft(desa[0])
    with pytest.raises(InvalidInput, match=message):
        _submit(uow_factory, perangkat, replace(base, **changes))
    assert _count(sessions, IncidentRow) == 0
    assert _submit(uow_factory, perangkat, base).nomor == "KS-352808-2026-0001"


def test_a_report_for_an_unknown_desa_is_not_found(
    uow_factory: UowFactory, admin: User, desa: list[Desa]
) -> None:
    missing = Desa(id=99_999, kecamatan_id=desa[0].kecamatan_id, kode="x", kode_bps="x", nama="x")
    with pytest.raises(NotFound):
        _submit(uow_factory, admin, _draft(missing))


def test_a_case_goes_from_baru_to_diproses_to_tertangani_with_its_history(
    uow_factory: UowFactory,
    perangkat: User,
    kesbang: User,
    desa: list[Desa],
    sessions: Sessions,
) -> None:
    incident = _submit(uow_factory, perangkat, _draft(desa[0]))
    day1, day2 = NOW + timedelta(days=1), NOW + timedelta(days=2)

    in_progress = _follow(
        uow_factory, kesbang, incident, IncidentStatus.DIPROSES, note="Tim  menuju lokasi", at=day1
    )
    assert (in_progress.status, in_progress.version, in_progress.handled_at) == (
        IncidentStatus.DIPROSES,
        2,
        None,
    )
    handled = _follow(
        uow_factory,
        kesbang,
        in_progress,
        IncidentStatus.TERTANGANI,
        note="Kedua pihak sepakat damai",
        at=day2,
        photo="bukti-1",
    )
    assert (handled.status, handled.version, handled.handled_at) == (
        IncidentStatus.TERTANGANI,
        3,
        day2,
    )
    assert _incident(uow_factory, incident.id) == handled
    assert handled.photo_file_ids == ()  # a proof of handling is not a report photo

    with uow_factory() as uow:
        history = uow.incidents.history(incident.id)
    assert [(e.from_status, e.to_status) for e in history] == [
        (None, IncidentStatus.BARU),
        (IncidentStatus.BARU, IncidentStatus.DIPROSES),
        (IncidentStatus.DIPROSES, IncidentStatus.TERTANGANI),
    ]
    assert [e.note for e in history[1:]] == ["Tim menuju lokasi", "Kedua pihak sepakat damai"]
    assert [e.user_id for e in history[1:]] == [kesbang.id, kesbang.id]
    assert [e.created_at for e in history[1:]] == [day1, day2]
    assert history[2].photo_file_id == "bukti-1"
    assert _audit_actions(sessions) == [
        "report_incident",
        "follow_up_incident",
        "follow_up_incident",
    ]


def test_a_new_case_may_be_handled_directly(
    uow_factory: UowFactory, perangkat: User, admin: User, desa: list[Desa]
) -> None:
    incident = _submit(uow_factory, perangkat, _draft(desa[0]))
    handled = _follow(uow_factory, admin, incident, IncidentStatus.TERTANGANI)
    assert handled.status is IncidentStatus.TERTANGANI
    assert handled.handled_at == NOW + timedelta(days=1)


def test_a_handled_case_is_reopened_to_diproses_and_loses_its_handled_time(
    uow_factory: UowFactory,
    perangkat: User,
    kesbang: User,
    desa: list[Desa],
    sessions: Sessions,
) -> None:
    incident = _submit(uow_factory, perangkat, _draft(desa[0]))
    handled = _follow(uow_factory, kesbang, incident, IncidentStatus.TERTANGANI)
    reopened = _follow(
        uow_factory,
        kesbang,
        handled,
        IncidentStatus.DIPROSES,
        note="Perselisihan muncul lagi",
        at=NOW + timedelta(days=3),
    )
    assert (reopened.status, reopened.handled_at, reopened.version) == (
        IncidentStatus.DIPROSES,
        None,
        3,
    )
    assert _incident(uow_factory, incident.id) == reopened
    with uow_factory() as uow:
        last = uow.incidents.history(incident.id)[-1]
    assert (last.from_status, last.to_status, last.note) == (
        IncidentStatus.TERTANGANI,
        IncidentStatus.DIPROSES,
        "Perselisihan muncul lagi",
    )
    assert _audit_actions(sessions)[-1] == "reopen_incident"


@pytest.mark.parametrize(
    ("path", "wrong"),
    [
        ((), IncidentStatus.BARU),
        ((IncidentStatus.DIPROSES,), IncidentStatus.DIPROSES),
        ((IncidentStatus.DIPROSES,), IncidentStatus.BARU),
        ((IncidentStatus.TERTANGANI,), IncidentStatus.TERTANGANI),
        ((IncidentStatus.TERTANGANI,), IncidentStatus.BARU),
    ],
)
def test_a_transition_not_allowed_is_refused_and_nothing_changes(
    uow_factory: UowFactory,
    perangkat: User,
    kesbang: User,
    desa: list[Desa],
    sessions: Sessions,
    path: tuple[IncidentStatus, ...],
    wrong: IncidentStatus,
) -> None:
    incident = _submit(uow_factory, perangkat, _draft(desa[0]))
    for status in path:
        incident = _follow(uow_factory, kesbang, incident, status)
    events = _count(sessions, IncidentEventRow)
    with pytest.raises(InvalidInput, match="tidak dapat diubah") as refused:
        _follow(uow_factory, kesbang, incident, wrong)
    assert incident.nomor in str(refused.value)
    assert _incident(uow_factory, incident.id) == incident
    assert _count(sessions, IncidentEventRow) == events


def test_a_stale_version_is_refused_with_the_current_case_and_nothing_is_stored(
    uow_factory: UowFactory,
    perangkat: User,
    kesbang: User,
    admin: User,
    desa: list[Desa],
    sessions: Sessions,
) -> None:
    seen = _submit(uow_factory, perangkat, _draft(desa[0]))
    moved = _follow(uow_factory, admin, seen, IncidentStatus.DIPROSES)
    events = _count(sessions, IncidentEventRow)
    audits = _audit_actions(sessions)
    with pytest.raises(StaleIncident) as refused:
        _follow(uow_factory, kesbang, seen, IncidentStatus.TERTANGANI, expected_version=1)
    assert refused.value.current == moved
    assert refused.value.current.version == 2
    assert "diperbarui orang lain" in str(refused.value)
    assert "diproses" in str(refused.value)
    assert _incident(uow_factory, seen.id) == moved
    assert _count(sessions, IncidentEventRow) == events
    assert _audit_actions(sessions) == audits


@pytest.mark.parametrize(
    ("kind", "category", "stage", "who"),
    [
        (IncidentKind.KONFLIK, "tanah", KonflikStage.POTENSI, "trantib"),
        (IncidentKind.TRANTIBUM, "judi", None, "kesbang"),
        (IncidentKind.KONFLIK, "tanah", KonflikStage.POTENSI, "ppd"),
        (IncidentKind.KONFLIK, "tanah", KonflikStage.POTENSI, "perangkat"),
        (IncidentKind.KONFLIK, "tanah", KonflikStage.POTENSI, "pademawu_admin"),
    ],
)
def test_only_the_responsible_seksi_or_an_admin_of_the_kecamatan_may_follow_up(
    request: pytest.FixtureRequest,
    uow_factory: UowFactory,
    admin: User,
    desa: list[Desa],
    sessions: Sessions,
    kind: IncidentKind,
    category: str,
    stage: KonflikStage | None,
    who: str,
) -> None:
    actor: User = request.getfixturevalue(who)
    incident = _submit(
        uow_factory, admin, _draft(desa[0], kind=kind, category=category, stage=stage)
    )
    with pytest.raises(Forbidden):
        _follow(uow_factory, actor, incident, IncidentStatus.DIPROSES)
    assert _incident(uow_factory, incident.id) == incident
    assert _count(sessions, IncidentEventRow) == 1


def test_trantib_follows_up_trantibum_events(
    uow_factory: UowFactory, perangkat: User, trantib: User, desa: list[Desa]
) -> None:
    incident = _submit(
        uow_factory,
        perangkat,
        _draft(desa[0], kind=IncidentKind.TRANTIBUM, category="miras", stage=None),
    )
    assert _follow(uow_factory, trantib, incident, IncidentStatus.DIPROSES).version == 2


def test_a_follow_up_with_a_too_short_note_is_refused_and_nothing_changes(
    uow_factory: UowFactory,
    perangkat: User,
    kesbang: User,
    desa: list[Desa],
    sessions: Sessions,
) -> None:
    incident = _submit(uow_factory, perangkat, _draft(desa[0]))
    with pytest.raises(InvalidInput, match="Catatan terlalu singkat"):
        _follow(uow_factory, kesbang, incident, IncidentStatus.DIPROSES, note=" ok ")
    assert _incident(uow_factory, incident.id) == incident
    assert _count(sessions, IncidentEventRow) == 1


def test_following_up_an_unknown_case_is_not_found(
    uow_factory: UowFactory, kesbang: User, desa: list[Desa]
) -> None:
    with uow_factory() as uow, pytest.raises(NotFound):
        follow_up(
            uow,
            actor=kesbang,
            incident_id=424_242,
            expected_version=1,
            to_status=IncidentStatus.DIPROSES,
            note="Catatan tindak lanjut",
            now=NOW,
        )


# --- nil reports -----------------------------------------------------------------------------


def _nil(uow_factory: UowFactory, user: User | None, now: datetime) -> NilResult:
    with uow_factory() as uow:
        result = submit_nil_report(uow, user=user, now=now)
        uow.commit()
        return result


def test_a_nil_report_is_stored_once_per_iso_week(
    uow_factory: UowFactory, perangkat: User, sessions: Sessions
) -> None:
    wednesday = jakarta(2026, 3, 4, 8)
    first = _nil(uow_factory, perangkat, wednesday)
    assert first.created
    assert (first.iso_year, first.iso_week) == (2026, 10)
    assert (first.week_start, first.week_end) == (date(2026, 3, 2), date(2026, 3, 8))

    sunday_night = jakarta(2026, 3, 8, 23, 59)
    second = _nil(uow_factory, perangkat, sunday_night)
    assert not second.created
    assert (second.iso_year, second.iso_week) == (2026, 10)
    assert _count(sessions, NilReportRow) == 1
    assert _audit_actions(sessions) == ["nil_report"]

    monday = _nil(uow_factory, perangkat, jakarta(2026, 3, 9, 0, 1))
    assert monday.created
    assert (monday.iso_week, monday.week_start) == (11, date(2026, 3, 9))
    assert _count(sessions, NilReportRow) == 2


def test_the_iso_week_at_new_year_belongs_to_its_iso_year(
    uow_factory: UowFactory, perangkat: User
) -> None:
    result = _nil(uow_factory, perangkat, jakarta(2027, 1, 1, 9))  # a Friday
    assert (result.iso_year, result.iso_week) == (2026, 53)
    assert (result.week_start, result.week_end) == (date(2026, 12, 28), date(2027, 1, 3))


def test_nil_reports_of_two_desa_in_the_same_week_are_both_stored(
    uow_factory: UowFactory,
    larangan: Kecamatan,
    perangkat: User,
    desa: list[Desa],
    sessions: Sessions,
) -> None:
    neighbour = store_user(
        uow_factory,
        Role.PERANGKAT_DESA,
        telegram_id=100_066,
        kecamatan_id=larangan.id,
        desa_id=desa[1].id,
    )
    assert _nil(uow_factory, perangkat, NOW).created
    assert _nil(uow_factory, neighbour, NOW).created
    assert _count(sessions, NilReportRow) == 2


@pytest.mark.parametrize("event_day", [2, 4, 8], ids=["monday", "wednesday", "sunday"])
def test_a_nil_report_is_refused_for_a_week_with_an_incident_of_the_desa(
    uow_factory: UowFactory,
    perangkat: User,
    kesbang: User,
    desa: list[Desa],
    sessions: Sessions,
    event_day: int,
) -> None:
    sunday_evening = jakarta(2026, 3, 8, 20)
    draft = _draft(desa[0], event_date=date(2026, 3, event_day))
    _submit(uow_factory, kesbang, draft, now=sunday_evening)
    with pytest.raises(InvalidInput, match="sudah mempunyai 1 laporan kejadian") as refused:
        _nil(uow_factory, perangkat, sunday_evening)
    assert desa[0].nama in str(refused.value)
    assert _count(sessions, NilReportRow) == 0


def test_incidents_of_another_week_or_another_desa_do_not_block_a_nil_report(
    uow_factory: UowFactory, perangkat: User, kesbang: User, desa: list[Desa], sessions: Sessions
) -> None:
    sunday_evening = jakarta(2026, 3, 8, 20)
    previous_sunday = _draft(desa[0], event_date=date(2026, 3, 1))
    neighbour = _draft(desa[1], event_date=date(2026, 3, 5))
    _submit(uow_factory, kesbang, previous_sunday, now=sunday_evening)
    _submit(uow_factory, kesbang, neighbour, now=sunday_evening)
    assert _nil(uow_factory, perangkat, sunday_evening).created
    assert _count(sessions, NilReportRow) == 1


def test_an_incident_reported_after_a_nil_report_of_its_week_is_still_stored(
    uow_factory: UowFactory, perangkat: User, desa: list[Desa], sessions: Sessions
) -> None:
    assert _nil(uow_factory, perangkat, jakarta(2026, 3, 4, 8)).created
    late = _submit(uow_factory, perangkat, _draft(desa[0], event_date=date(2026, 3, 3)), now=NOW)
    assert late.nomor == "KS-352808-2026-0001"
    assert _count(sessions, NilReportRow) == 1
    with pytest.raises(InvalidInput, match="sudah mempunyai 1 laporan"):
        _nil(uow_factory, perangkat, NOW)


@pytest.mark.parametrize("who", ["kesbang", "admin", "stranger"])
def test_a_nil_report_is_refused_for_those_without_a_desa(
    request: pytest.FixtureRequest, uow_factory: UowFactory, sessions: Sessions, who: str
) -> None:
    user: User | None = None if who == "stranger" else request.getfixturevalue(who)
    with pytest.raises(Forbidden):
        _nil(uow_factory, user, NOW)
    assert _count(sessions, NilReportRow) == 0


# --- reading incidents -----------------------------------------------------------------------


def test_a_reporter_sees_their_own_reports_newest_first(
    uow_factory: UowFactory, perangkat: User, kesbang: User, desa: list[Desa]
) -> None:
    first = _submit(uow_factory, perangkat, _draft(desa[0]), now=jakarta(2026, 3, 5, 8))
    third = _submit(uow_factory, perangkat, _draft(desa[0]), now=jakarta(2026, 3, 7, 8))
    second = _submit(uow_factory, perangkat, _draft(desa[0]), now=jakarta(2026, 3, 6, 8))
    _submit(uow_factory, kesbang, _draft(desa[3]), now=jakarta(2026, 3, 8, 8))
    with uow_factory() as uow:
        mine = uow.incidents.list_by_reporter(perangkat.id)
        latest_two = uow.incidents.list_by_reporter(perangkat.id, limit=2)
        nobody = uow.incidents.list_by_reporter(424_242)
    assert [i.nomor for i in mine] == [third.nomor, second.nomor, first.nomor]
    assert [i.nomor for i in latest_two] == [third.nomor, second.nomor]
    assert nobody == []


def test_open_cases_are_listed_oldest_first_without_handled_ones(
    uow_factory: UowFactory,
    perangkat: User,
    admin: User,
    pademawu_admin: User,
    desa: list[Desa],
    pademawu_desa: list[Desa],
) -> None:
    old = _submit(
        uow_factory,
        perangkat,
        _draft(desa[0], event_date=date(2026, 3, 1)),
        now=jakarta(2026, 3, 2),
    )
    handled = _submit(
        uow_factory,
        perangkat,
        _draft(desa[0], event_date=date(2026, 3, 1)),
        now=jakarta(2026, 3, 3),
    )
    event = _submit(
        uow_factory,
        perangkat,
        _draft(
            desa[0],
            kind=IncidentKind.TRANTIBUM,
            category="judi",
            stage=None,
            event_date=date(2026, 3, 1),
        ),
        now=jakarta(2026, 3, 4),
    )
    recent = _submit(
        uow_factory,
        perangkat,
        _draft(desa[0], event_date=date(2026, 3, 1)),
        now=jakarta(2026, 3, 5),
    )
    _submit(
        uow_factory,
        pademawu_admin,
        _draft(pademawu_desa[0], event_date=date(2026, 3, 1)),
        now=jakarta(2026, 3, 1),
    )
    _follow(uow_factory, admin, handled, IncidentStatus.TERTANGANI)
    in_progress = _follow(uow_factory, admin, recent, IncidentStatus.DIPROSES)

    with uow_factory() as uow:
        everything = uow.incidents.list_open(desa[0].kecamatan_id)
        konflik = uow.incidents.list_open(desa[0].kecamatan_id, IncidentKind.KONFLIK)
        trantibum = uow.incidents.list_open(desa[0].kecamatan_id, IncidentKind.TRANTIBUM)
    assert [i.nomor for i in everything] == [old.nomor, event.nomor, recent.nomor]
    assert [i.nomor for i in konflik] == [old.nomor, recent.nomor]
    assert trantibum == [event]
    assert everything[-1] == in_progress


# === SKM survey ==============================================================================


def _service(
    uow_factory: UowFactory, kecamatan: Kecamatan, kode: str, active: bool = True
) -> SkmService:
    with uow_factory() as uow:
        service = uow.skm.add_service(
            SkmService(
                id=0, kecamatan_id=kecamatan.id, kode=kode, nama=f"Layanan {kode}", active=active
            )
        )
        uow.commit()
    return service


def _answers(service: SkmService, **changes: Any) -> SurveyAnswers:
    values: dict[str, Any] = {
        "service_id": service.id,
        "jenis_kelamin": "P",
        "usia": 35,
        "pendidikan": "SMA",
        "pekerjaan": "Wirausaha",
        "answers": {key: 3 if i % 2 else 4 for i, key in enumerate(UNSUR)},
        "saran": "  Pelayanan   cepat \n terima kasih ",
    }
    values.update(changes)
    return SurveyAnswers(**values)


def _survey(
    uow_factory: UowFactory,
    kecamatan: Kecamatan,
    survey: SurveyAnswers,
    *,
    telegram_id: int = CITIZEN,
    now: datetime = NOW,
) -> None:
    """Submit, then flush the pool, so that the answer is where the report reads it."""
    with uow_factory() as uow:
        submit_survey(
            uow,
            kecamatan_id=kecamatan.id,
            telegram_id=telegram_id,
            survey=survey,
            secret=SECRET,
            now=now,
        )
        uow.commit()
    with uow_factory() as uow:
        flush_survey_pool(uow)
        uow.commit()


def _rows(sessions: Sessions, table: type[SQLModel]) -> list[dict[str, Any]]:
    with sessions() as session:
        return [row.model_dump() for row in session.scalars(select(table)).all()]


def test_a_survey_stores_one_anonymous_response_and_one_dedup_key(
    uow_factory: UowFactory, larangan: Kecamatan, sessions: Sessions
) -> None:
    ktp = _service(uow_factory, larangan, "ktp")
    _survey(uow_factory, larangan, _answers(ktp))
    (response,) = _rows(sessions, SkmResponseRow)
    assert (response["kecamatan_id"], response["service_id"]) == (larangan.id, ktp.id)
    assert response["survey_date"] == date(2026, 3, 5)
    assert (response["jenis_kelamin"], response["usia"]) == ("P", 35)
    assert (response["pendidikan"], response["pekerjaan"]) == ("SMA", "Wirausaha")
    assert response["saran"] == "Pelayanan cepat\nterima kasih"
    assert response["source"] == "bot"
    assert [response[f"u_{key}"] for key in UNSUR] == [4, 3, 4, 3, 4, 3, 4, 3, 4]

    (dedup,) = _rows(sessions, SkmDedupRow)
    expected = dedup_key(
        SECRET, telegram_id=CITIZEN, kecamatan_id=larangan.id, service_id=ktp.id, day=NOW.date()
    )
    assert dedup["key_hash"] == expected
    assert dedup["period"] == "2026-S1"
    # The response keeps its day, not the moment it was sent.
    assert response["created_at"] == datetime.combine(NOW.date(), time.min, tzinfo=UTC)
    assert _audit_actions(sessions) == []  # an audit entry would undo the anonymity


def test_a_second_survey_for_the_same_service_and_semester_is_refused_and_not_stored(
    uow_factory: UowFactory, larangan: Kecamatan, sessions: Sessions
) -> None:
    ktp = _service(uow_factory, larangan, "ktp")
    _survey(uow_factory, larangan, _answers(ktp), now=jakarta(2026, 1, 2))
    with pytest.raises(AlreadyAnswered, match="semester ini") as refused:
        _survey(uow_factory, larangan, _answers(ktp, usia=60), now=jakarta(2026, 6, 30, 20))
    assert "Layanan ktp" in str(refused.value)
    assert _count(sessions, SkmResponseRow) == 1
    assert _count(sessions, SkmDedupRow) == 1
    (response,) = _rows(sessions, SkmResponseRow)
    assert response["usia"] == 35


def test_the_same_person_may_answer_for_another_service_and_in_the_next_semester(
    uow_factory: UowFactory, larangan: Kecamatan, sessions: Sessions
) -> None:
    ktp = _service(uow_factory, larangan, "ktp")
    kk = _service(uow_factory, larangan, "kk")
    _survey(uow_factory, larangan, _answers(ktp), now=jakarta(2026, 6, 30, 20))
    _survey(uow_factory, larangan, _answers(kk), now=jakarta(2026, 6, 30, 21))
    _survey(uow_factory, larangan, _answers(ktp), now=jakarta(2026, 7, 1, 8))
    assert _count(sessions, SkmResponseRow) == 3
    assert _count(sessions, SkmDedupRow) == 3


def _already(uow_factory: UowFactory, kecamatan: Kecamatan, service: SkmService, day: date) -> bool:
    with uow_factory() as uow:
        return already_answered(
            uow,
            kecamatan_id=kecamatan.id,
            telegram_id=CITIZEN,
            service_id=service.id,
            secret=SECRET,
            day=day,
        )


def test_already_answered_tells_before_the_questions_whether_the_semester_is_used(
    uow_factory: UowFactory, larangan: Kecamatan, sessions: Sessions
) -> None:
    ktp = _service(uow_factory, larangan, "ktp")
    kk = _service(uow_factory, larangan, "kk")
    assert not _already(uow_factory, larangan, ktp, date(2026, 3, 5))
    _survey(uow_factory, larangan, _answers(ktp), now=NOW)
    assert _already(uow_factory, larangan, ktp, date(2026, 1, 1))
    assert _already(uow_factory, larangan, ktp, date(2026, 6, 30))
    assert not _already(uow_factory, larangan, ktp, date(2026, 7, 1))
    assert not _already(uow_factory, larangan, kk, date(2026, 3, 5))
    assert _count(sessions, SkmDedupRow) == 1  # asking stores nothing


def test_another_person_may_answer_for_the_same_service(
    uow_factory: UowFactory, larangan: Kecamatan, sessions: Sessions
) -> None:
    ktp = _service(uow_factory, larangan, "ktp")
    _survey(uow_factory, larangan, _answers(ktp))
    _survey(uow_factory, larangan, _answers(ktp), telegram_id=CITIZEN + 1)
    assert _count(sessions, SkmResponseRow) == 2


def test_an_inactive_service_is_refused_and_nothing_is_stored(
    uow_factory: UowFactory, larangan: Kecamatan, sessions: Sessions
) -> None:
    closed = _service(uow_factory, larangan, "lama", active=False)
    with pytest.raises(NotFound, match="tidak tersedia"):
        _survey(uow_factory, larangan, _answers(closed))
    assert _count(sessions, SkmResponseRow) == 0
    assert _count(sessions, SkmDedupRow) == 0


def test_a_service_of_another_kecamatan_or_unknown_is_refused(
    uow_factory: UowFactory, larangan: Kecamatan, pademawu: Kecamatan, sessions: Sessions
) -> None:
    elsewhere = _service(uow_factory, pademawu, "ktp")
    with pytest.raises(NotFound):
        _survey(uow_factory, larangan, _answers(elsewhere))
    with pytest.raises(NotFound):
        _survey(uow_factory, larangan, _answers(elsewhere, service_id=424_242))
    assert _count(sessions, SkmResponseRow) == 0
    assert _count(sessions, SkmDedupRow) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"jenis_kelamin": "X"}, "Jenis kelamin"),
        ({"pendidikan": "S4"}, "Pendidikan"),
        ({"pekerjaan": "Petani Garam"}, "pekerjaan"),
        ({"usia": 14}, "Usia"),
        ({"answers": dict.fromkeys(UNSUR[:8], 4)}, "Kesembilan"),
        ({"saran": "s" * 1001}, "terlalu panjang"),
    ],
)
def test_an_invalid_questionnaire_is_refused_without_claiming_the_dedup_key(
    uow_factory: UowFactory,
    larangan: Kecamatan,
    sessions: Sessions,
    changes: dict[str, Any],
    message: str,
) -> None:
    ktp = _service(uow_factory, larangan, "ktp")
    with pytest.raises(InvalidInput, match=message):
        _survey(uow_factory, larangan, _answers(ktp, **changes))
    assert _count(sessions, SkmResponseRow) == 0
    assert _count(sessions, SkmDedupRow) == 0
    _survey(uow_factory, larangan, _answers(ktp))  # the person may still answer
    assert _count(sessions, SkmResponseRow) == 1


def test_a_score_outside_one_to_four_is_refused_as_invalid_input_and_not_stored(
    uow_factory: UowFactory, larangan: Kecamatan, sessions: Sessions
) -> None:
    ktp = _service(uow_factory, larangan, "ktp")
    try:
        with pytest.raises(InvalidInput, match="1-4"):
            _survey(uow_factory, larangan, _answers(ktp, answers=dict.fromkeys(UNSUR, 5)))
    finally:
        assert _count(sessions, SkmResponseRow) == 0
        assert _count(sessions, SkmDedupRow) == 0


def test_no_table_links_a_dedup_key_to_a_response_or_a_telegram_id(
    uow_factory: UowFactory, larangan: Kecamatan, engine: Engine, sessions: Sessions
) -> None:
    ktp = _service(uow_factory, larangan, "ktp")
    _survey(uow_factory, larangan, _answers(ktp))
    inspector = inspect(engine)
    # No id, no time: nothing orders the hashes or pairs them with a response's moment.
    assert {c["name"] for c in inspector.get_columns("skm_dedup")} == {"key_hash", "period"}
    assert inspector.get_foreign_keys("skm_dedup") == []
    response_columns = {c["name"] for c in inspector.get_columns("skm_response")}
    for word in ("telegram", "chat", "user", "hash", "key", "dedup"):
        assert not any(word in name for name in response_columns), word
    referring = [
        table
        for table in inspector.get_table_names()
        for fk in inspector.get_foreign_keys(table)
        if fk["referred_table"] in ("skm_dedup", "skm_response")
    ]
    assert referring == []
    (response,) = _rows(sessions, SkmResponseRow)
    (dedup,) = _rows(sessions, SkmDedupRow)
    stored = " ".join(str(v) for v in [*response.values(), *dedup.values()])
    assert str(CITIZEN) not in stored
    assert dedup["key_hash"] not in " ".join(str(v) for v in response.values())


# === IDM and desa tematik ====================================================================


def _idm(
    uow_factory: UowFactory,
    user: User | None,
    desa: Desa,
    *,
    tahun: int = 2025,
    **values: str,
) -> IdmEntry:
    with uow_factory() as uow:
        result = record_idm(
            uow,
            user=user,
            desa_id=desa.id,
            tahun=tahun,
            now=NOW,
            **{name: Decimal(value) for name, value in values.items()},
        )
        uow.commit()
        return result


def _stored_idm(uow_factory: UowFactory, desa: Desa, tahun: int = 2025) -> IdmResult:
    with uow_factory() as uow:
        result = uow.idm.get(desa.id, tahun)
    assert result is not None
    return result


def test_an_idm_from_its_three_indices_is_their_exact_mean(
    uow_factory: UowFactory, ppd: User, desa: list[Desa], sessions: Sessions
) -> None:
    entry = _idm(uow_factory, ppd, desa[0], iks="0.8", ike="0.8", ikl="0.85")
    # (0.8 + 0.8 + 0.85) / 3 = 0.81666... > 0.8155
    assert entry.result.score == Decimal("0.81666666666667")
    assert entry.result.status is IdmStatus.MANDIRI
    assert entry.previous is None
    assert entry.next.is_top
    stored = _stored_idm(uow_factory, desa[0])
    assert stored == entry.result
    assert (stored.iks, stored.ike, stored.ikl) == (
        Decimal("0.8"),
        Decimal("0.8"),
        Decimal("0.85"),
    )
    assert stored.source == f"bot:{ppd.telegram_id}"
    assert _audit_actions(sessions) == ["record_idm"]


def test_an_idm_typed_alone_is_stored_without_indices_with_what_is_still_needed(
    uow_factory: UowFactory, ppd: User, desa: list[Desa]
) -> None:
    entry = _idm(uow_factory, ppd, desa[1], idm="0.7512")
    assert (entry.result.score, entry.result.status) == (Decimal("0.7512"), IdmStatus.MAJU)
    assert entry.next.target is IdmStatus.MANDIRI
    assert entry.next.minimum_score == Decimal("0.8156")
    assert entry.next.needed == Decimal("0.0644")
    stored = _stored_idm(uow_factory, desa[1])
    assert (stored.iks, stored.ike, stored.ikl) == (None, None, None)
    assert stored.score == Decimal("0.7512")


def test_an_idm_of_exactly_0_8155_is_still_maju(
    uow_factory: UowFactory, ppd: User, desa: list[Desa]
) -> None:
    assert _idm(uow_factory, ppd, desa[0], idm="0.8155").result.status is IdmStatus.MAJU
    three = _idm(uow_factory, ppd, desa[1], iks="0.8155", ike="0.8155", ikl="0.8155")
    assert (three.result.score, three.result.status) == (Decimal("0.8155"), IdmStatus.MAJU)
    assert _stored_idm(uow_factory, desa[1]).status is IdmStatus.MAJU


def test_the_status_comes_from_the_exact_mean_not_from_the_rounded_score(
    uow_factory: UowFactory, ppd: User, desa: list[Desa]
) -> None:
    # The mean is 0.8155000000000033...: stored as 0.81550000000000, yet above the bound.
    entry = _idm(uow_factory, ppd, desa[0], iks="0.81550000000001", ike="0.8155", ikl="0.8155")
    assert entry.result.score == Decimal("0.8155")
    assert entry.result.status is IdmStatus.MANDIRI
    stored = _stored_idm(uow_factory, desa[0])
    assert (stored.score, stored.status) == (Decimal("0.8155"), IdmStatus.MANDIRI)
    assert stored.iks == Decimal("0.81550000000001")


def test_recording_a_year_again_replaces_it_and_returns_the_previous_result(
    uow_factory: UowFactory, ppd: User, admin: User, desa: list[Desa], sessions: Sessions
) -> None:
    first = _idm(uow_factory, ppd, desa[0], idm="0.6")
    second = _idm(uow_factory, admin, desa[0], iks="0.7", ike="0.7", ikl="0.7")
    assert second.previous == first.result
    assert (second.result.score, second.result.status) == (Decimal("0.7"), IdmStatus.BERKEMBANG)
    assert _stored_idm(uow_factory, desa[0]) == second.result
    assert _count(sessions, IdmResultRow) == 1


@pytest.mark.parametrize("who", ["pmd", "kesbang", "perangkat"])
def test_only_ppd_or_an_admin_may_record_an_idm(
    request: pytest.FixtureRequest,
    uow_factory: UowFactory,
    desa: list[Desa],
    sessions: Sessions,
    who: str,
) -> None:
    user: User = request.getfixturevalue(who)
    with pytest.raises(Forbidden, match="Seksi PPD"):
        _idm(uow_factory, user, desa[0], idm="0.7")
    assert _count(sessions, IdmResultRow) == 0


def test_an_idm_for_a_desa_of_another_kecamatan_is_refused(
    uow_factory: UowFactory, ppd: User, pademawu_desa: list[Desa], sessions: Sessions
) -> None:
    with pytest.raises(NotFound, match="bukan desa kecamatan Anda"):
        _idm(uow_factory, ppd, pademawu_desa[0], idm="0.7")
    assert _count(sessions, IdmResultRow) == 0


@pytest.mark.parametrize(
    ("values", "tahun", "message"),
    [
        ({"iks": "0.7", "ike": "0.7"}, 2025, "ketiga indeks"),
        ({"iks": "0.7", "ike": "0.7", "ikl": "0.7", "idm": "0.7"}, 2025, "ketiga indeks"),
        ({}, 2025, "ketiga indeks"),
        ({"iks": "0.7", "ike": "1.2", "ikl": "0.7"}, 2025, "IKE harus di antara 0 dan 1"),
        ({"idm": "1.0001"}, 2025, "IDM harus di antara 0 dan 1"),
        ({"idm": "0.7"}, 2014, "antara 2015 dan 2026"),
        ({"idm": "0.7"}, 2027, "antara 2015 dan 2026"),
    ],
)
def test_an_incomplete_or_out_of_range_idm_is_refused(
    uow_factory: UowFactory,
    ppd: User,
    desa: list[Desa],
    sessions: Sessions,
    values: dict[str, str],
    tahun: int,
    message: str,
) -> None:
    with pytest.raises(InvalidInput, match=message):
        _idm(uow_factory, ppd, desa[0], tahun=tahun, **values)
    assert _count(sessions, IdmResultRow) == 0


def _tematik(
    uow_factory: UowFactory,
    user: User | None,
    desa: Desa,
    tema: Tema = Tema.WISATA,
    *,
    tahun: int = 2026,
    lainnya: str | None = None,
) -> DesaTematik:
    with uow_factory() as uow:
        result = record_tematik(
            uow,
            user=user,
            desa_id=desa.id,
            tema=tema,
            tahun=tahun,
            referensi=" 188/45/432.312/2026 ",
            now=NOW,
            tema_lainnya=lainnya,
            document_file_id="dok-1",
        )
        uow.commit()
        return result


def _count_desa(uow_factory: UowFactory, desa: Desa, tahun: int = 2026) -> int:
    with uow_factory() as uow:
        return uow.tematik.count_desa(desa.kecamatan_id, tahun)


def _end(uow_factory: UowFactory, user: User | None, tematik_id: int) -> DesaTematik:
    with uow_factory() as uow:
        result = end_tematik(uow, user=user, tematik_id=tematik_id, now=NOW)
        uow.commit()
        return result


def test_a_desa_tematik_is_recorded_and_a_duplicate_is_refused(
    uow_factory: UowFactory, pmd: User, desa: list[Desa]
) -> None:
    item = _tematik(uow_factory, pmd, desa[0])
    assert (item.desa_id, item.tema, item.tahun) == (desa[0].id, Tema.WISATA, 2026)
    assert (item.referensi, item.document_file_id, item.active) == (
        "188/45/432.312/2026",
        "dok-1",
        True,
    )
    with uow_factory() as uow:
        assert uow.tematik.get(item.id) == item
    with pytest.raises(InvalidInput, match="sudah tercatat sebagai desa tematik wisata"):
        _tematik(uow_factory, pmd, desa[0])
    with uow_factory() as uow:
        assert uow.tematik.list_active(desa[0].kecamatan_id, 2026) == [item]


def test_several_themes_of_one_desa_count_it_once(
    uow_factory: UowFactory, pmd: User, admin: User, desa: list[Desa]
) -> None:
    _tematik(uow_factory, pmd, desa[0], Tema.WISATA)
    _tematik(uow_factory, pmd, desa[0], Tema.UMKM)
    _tematik(uow_factory, admin, desa[0], Tema.WISATA, tahun=2025)
    assert _count_desa(uow_factory, desa[0]) == 1
    _tematik(uow_factory, pmd, desa[1], Tema.UMKM)
    assert _count_desa(uow_factory, desa[0]) == 2
    assert _count_desa(uow_factory, desa[0], 2025) == 1


def test_a_lainnya_theme_is_a_duplicate_only_with_the_same_text_in_any_case(
    uow_factory: UowFactory, pmd: User, desa: list[Desa]
) -> None:
    kopi = _tematik(uow_factory, pmd, desa[0], Tema.LAINNYA, lainnya="  Kampung   Kopi ")
    assert kopi.tema_lainnya == "Kampung Kopi"
    with pytest.raises(InvalidInput, match="sudah tercatat"):
        _tematik(uow_factory, pmd, desa[0], Tema.LAINNYA, lainnya="kampung kopi")
    batik = _tematik(uow_factory, pmd, desa[0], Tema.LAINNYA, lainnya="Kampung Batik")
    assert batik.id != kopi.id
    with pytest.raises(InvalidInput, match="Nama tema"):
        _tematik(uow_factory, pmd, desa[0], Tema.LAINNYA)


def test_ending_a_desa_tematik_twice_is_refused_and_the_count_drops_once(
    uow_factory: UowFactory, pmd: User, desa: list[Desa], sessions: Sessions
) -> None:
    item = _tematik(uow_factory, pmd, desa[0])
    _tematik(uow_factory, pmd, desa[1])
    assert _count_desa(uow_factory, desa[0]) == 2
    _end(uow_factory, pmd, item.id)
    with uow_factory() as uow:
        stored = uow.tematik.get(item.id)
    assert stored is not None
    assert not stored.active
    assert _count_desa(uow_factory, desa[0]) == 1
    with pytest.raises(InvalidInput, match="sudah diakhiri"):
        _end(uow_factory, pmd, item.id)
    assert _count_desa(uow_factory, desa[0]) == 1
    assert _audit_actions(sessions).count("end_tematik") == 1


def test_end_tematik_returns_the_designation_as_ended(
    uow_factory: UowFactory, pmd: User, desa: list[Desa]
) -> None:
    item = _tematik(uow_factory, pmd, desa[0])
    ended = _end(uow_factory, pmd, item.id)
    assert ended.id == item.id
    assert not ended.active


def test_an_ended_theme_may_be_recorded_again(
    uow_factory: UowFactory, pmd: User, desa: list[Desa]
) -> None:
    item = _tematik(uow_factory, pmd, desa[0])
    _end(uow_factory, pmd, item.id)
    again = _tematik(uow_factory, pmd, desa[0])
    assert again.id != item.id
    assert _count_desa(uow_factory, desa[0]) == 1


@pytest.mark.parametrize("who", ["ppd", "kesbang", "perangkat"])
def test_only_pmd_or_an_admin_may_record_or_end_a_desa_tematik(
    request: pytest.FixtureRequest, uow_factory: UowFactory, pmd: User, desa: list[Desa], who: str
) -> None:
    user: User = request.getfixturevalue(who)
    with pytest.raises(Forbidden, match="Seksi PMD"):
        _tematik(uow_factory, user, desa[0])
    item = _tematik(uow_factory, pmd, desa[0])
    with pytest.raises(Forbidden, match="Seksi PMD"):
        _end(uow_factory, user, item.id)
    assert _count_desa(uow_factory, desa[0]) == 1


def test_a_desa_tematik_of_another_kecamatan_may_be_neither_recorded_nor_ended(
    uow_factory: UowFactory,
    pmd: User,
    pademawu: Kecamatan,
    pademawu_desa: list[Desa],
    desa: list[Desa],
) -> None:
    with pytest.raises(NotFound, match="bukan desa kecamatan Anda"):
        _tematik(uow_factory, pmd, pademawu_desa[0])
    pademawu_pmd = store_user(
        uow_factory, Role.STAF_SEKSI, telegram_id=200_005, kecamatan_id=pademawu.id, seksi=Seksi.PMD
    )
    theirs = _tematik(uow_factory, pademawu_pmd, pademawu_desa[0])
    with pytest.raises(Forbidden, match="kecamatan lain"):
        _end(uow_factory, pmd, theirs.id)
    assert _count_desa(uow_factory, pademawu_desa[0]) == 1


def test_ending_an_unknown_desa_tematik_is_not_found(uow_factory: UowFactory, pmd: User) -> None:
    with pytest.raises(NotFound):
        _end(uow_factory, pmd, 424_242)


@pytest.mark.parametrize(
    ("tahun", "ok"), [(2014, False), (2015, True), (2027, True), (2028, False)]
)
def test_a_desa_tematik_year_runs_from_2015_to_next_year(
    uow_factory: UowFactory, pmd: User, desa: list[Desa], tahun: int, ok: bool
) -> None:
    if ok:
        assert _tematik(uow_factory, pmd, desa[0], tahun=tahun).tahun == tahun
    else:
        with pytest.raises(InvalidInput, match="antara 2015 dan 2027"):
            _tematik(uow_factory, pmd, desa[0], tahun=tahun)


# === the caller owns the transaction =========================================================


def test_a_submitted_incident_is_stored_only_when_the_caller_commits(
    uow_factory: UowFactory, perangkat: User, desa: list[Desa], sessions: Sessions
) -> None:
    with uow_factory() as uow:
        incident = submit_incident(
            uow, reporter=perangkat, draft=_draft(desa[0]), now=NOW, max_age_days=MAX_AGE
        )
        assert uow.incidents.get(incident.id) == incident  # done, inside this transaction
    # Left without commit(): the report, its history and its audit entry are gone, and
    # its tracking number was not used up.
    assert _count(sessions, IncidentRow) == 0
    assert _count(sessions, IncidentEventRow) == 0
    assert _audit_actions(sessions) == []
    assert _submit(uow_factory, perangkat, _draft(desa[0])).nomor == incident.nomor


def test_an_invite_taken_meanwhile_leaves_no_user_once_the_caller_rolls_back(
    uow_factory: UowFactory,
    admin: User,
    desa: list[Desa],
    sessions: Sessions,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    payload = _invite(uow_factory, admin, desa_id=desa[1].id)
    with uow_factory() as uow:
        # Someone else's use of the invite committed between the check and the UPDATE.
        monkeypatch.setattr(uow.invites, "mark_used", lambda invite_id, user_id, at: False)
        with pytest.raises(InvalidInput, match="baru saja dipakai"):
            redeem_invite(
                uow,
                payload=payload,
                telegram_id=400_001,
                nama="Siti Aminah",
                jabatan="Sekdes",
                at=NOW + timedelta(hours=1),
            )
        assert uow.users.get_by_telegram_id(400_001) is not None  # written before the refusal
    assert _stored_user(uow_factory, 400_001) is None
    (row,) = _invite_rows(sessions)
    assert row["used_at"] is None
    assert _audit_actions(sessions) == ["create_invite"]


def test_use_cases_in_one_unit_of_work_are_stored_together_by_its_one_commit(
    uow_factory: UowFactory, larangan: Kecamatan, admin: User, sessions: Sessions
) -> None:
    with uow_factory() as uow:
        pending = request_registration(
            uow,
            telegram_id=300_001,
            kecamatan_id=larangan.id,
            role=Role.STAF_SEKSI,
            seksi=Seksi.TRANTIB,
            desa_id=None,
            nama="Rina Wulandari",
            jabatan="Kasi Trantib",
            at=NOW,
        )
        approved = decide_registration(uow, admin=admin, user_id=pending.id, approve=True, at=NOW)
        assert _stored_user(uow_factory, 300_001) is None  # not visible before the commit
        uow.commit()
    assert _stored_user(uow_factory, 300_001) == approved
    assert approved.status is UserStatus.ACTIVE
    assert _audit_actions(sessions) == ["request_registration", "approve_registration"]
