"""The admin kabupaten: what it may do, how it is registered, the recap it reads (fakes)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from domain.audit import Channel, ExportForm
from domain.errors import InvalidInput, NotFound
from domain.kabupaten_admin import add_kabupaten_admin, audited_recap
from domain.models import IncidentKind, Kecamatan, Role, Seksi, User, UserStatus
from domain.period import Period
from domain.permissions import (
    Action,
    Forbidden,
    allowed,
    can_follow_up,
    can_read_suggestions,
    can_report_for,
    can_view_kecamatan,
    kabupaten_code_of,
    require,
    require_kecamatan_view,
)
from domain.registration import check_role_fields
from storage.seed import packaged_kecamatan, parse_kecamatan, seed_kecamatan
from tests.factories import CERMEE, make_user
from tests.fakes import InMemoryDatabase
from tests.storage.builders import PADEMAWU

NOW = datetime(2026, 7, 1, 3, tzinfo=UTC)


@pytest.fixture
def db() -> InMemoryDatabase:
    """Larangan and Pademawu of Pamekasan, and Cermee of Bondowoso."""
    database = InMemoryDatabase()
    larangan = packaged_kecamatan("35.28.08")
    assert larangan is not None
    with database.unit_of_work() as uow:
        seed_kecamatan(uow, replace(larangan, layanan_contoh=()))
        seed_kecamatan(uow, parse_kecamatan(PADEMAWU, "pademawu.json"))
        seed_kecamatan(uow, parse_kecamatan(CERMEE, "cermee.json"))
        uow.commit()
    return database


def _kec(db: InMemoryDatabase, kode: str) -> Kecamatan:
    with db.unit_of_work() as uow:
        kec = uow.kecamatan.get_by_code(kode)
    assert kec is not None
    return kec


KAB = make_user(Role.ADMIN_KABUPATEN, id=1, nama="Bagian Pemerintahan")
ADMIN = make_user(Role.ADMIN, id=2)
STAFF = make_user(Role.STAF_SEKSI, id=3, seksi=Seksi.KESBANG)
PERANGKAT = make_user(Role.PERANGKAT_DESA, id=4, desa_id=5)

KABUPATEN_MAY = {
    Action.VIEW_SUMMARY,
    Action.VIEW_KABUPATEN,
    Action.BIND_DIGEST_GROUP,
    Action.ANSWER_SKM,
}


@pytest.mark.parametrize("action", list(Action))
def test_an_admin_kabupaten_may_read_and_bind_a_group_and_nothing_else(action: Action) -> None:
    assert allowed(KAB, action) is (action in KABUPATEN_MAY)
    if action not in KABUPATEN_MAY:
        with pytest.raises(Forbidden, match="admin kabupaten Anda dapat melihat"):
            require(KAB, action)


def test_only_the_admin_kabupaten_sees_the_kabupaten_recap() -> None:
    assert allowed(KAB, Action.VIEW_KABUPATEN)
    for user in (ADMIN, STAFF, PERANGKAT, None):
        assert not allowed(user, Action.VIEW_KABUPATEN)
    with pytest.raises(Forbidden, match="hanya untuk admin kabupaten"):
        require(ADMIN, Action.VIEW_KABUPATEN)
    disabled = replace(KAB, status=UserStatus.DISABLED)
    assert not allowed(disabled, Action.VIEW_KABUPATEN)
    assert not allowed(disabled, Action.VIEW_SUMMARY)


def test_a_kecamatan_admin_binds_a_group_a_staff_member_does_not() -> None:
    assert allowed(ADMIN, Action.BIND_DIGEST_GROUP)
    assert not allowed(STAFF, Action.BIND_DIGEST_GROUP)
    assert not allowed(PERANGKAT, Action.BIND_DIGEST_GROUP)


def test_an_admin_kabupaten_never_handles_cases_nor_reads_suggestions() -> None:
    home = KAB.kecamatan_id
    assert not can_follow_up(KAB, IncidentKind.KONFLIK, home)
    assert not can_report_for(KAB, 1, home)
    assert not can_read_suggestions(KAB, home)


def test_the_scope_is_the_kabupaten_of_the_home_kecamatan(db: InMemoryDatabase) -> None:
    larangan, pademawu, cermee = (_kec(db, k) for k in ("35.28.08", "35.28.09", "35.11.15"))
    assert kabupaten_code_of(larangan) == "35.28"
    kab = replace(KAB, kecamatan_id=larangan.id)
    assert can_view_kecamatan(kab, larangan, pademawu)
    assert can_view_kecamatan(kab, larangan, larangan)
    assert not can_view_kecamatan(kab, larangan, cermee)
    with pytest.raises(Forbidden, match="Cermee di luar wilayah Anda"):
        require_kecamatan_view(kab, larangan, cermee)
    admin = replace(ADMIN, kecamatan_id=larangan.id)
    assert can_view_kecamatan(admin, larangan, larangan)
    assert not can_view_kecamatan(admin, larangan, pademawu)  # a kecamatan admin: own only


def test_nobody_registers_or_invites_an_admin_kabupaten(db: InMemoryDatabase) -> None:
    larangan = _kec(db, "35.28.08")
    with db.unit_of_work() as uow, pytest.raises(InvalidInput, match="didaftarkan oleh operator"):
        check_role_fields(uow, larangan.id, Role.ADMIN_KABUPATEN, None, None)


def _add(db: InMemoryDatabase, telegram_id: int = 555, **extra: str) -> tuple[User, bool]:
    with db.unit_of_work() as uow:
        added = add_kabupaten_admin(
            uow,
            telegram_id=telegram_id,
            kabupaten_code=extra.pop("kabupaten", "35.28"),
            nama=extra.pop("nama", "Rina Pemerintahan"),
            at=NOW,
            **extra,
        )
        uow.commit()
    return added.user, added.changed


def test_registering_an_admin_kabupaten_twice_changes_nothing_the_second_time(
    db: InMemoryDatabase,
) -> None:
    user, changed = _add(db)
    assert changed
    assert user.role is Role.ADMIN_KABUPATEN
    assert user.status is UserStatus.ACTIVE
    assert user.kecamatan_id == _kec(db, "35.28.08").id  # the first kecamatan by code
    again, changed = _add(db)
    assert not changed
    assert again.id == user.id
    actions = [e.action for e in db.committed.audit]
    assert actions.count("add_kabupaten_admin") == 1


def test_a_named_home_kecamatan_must_belong_to_the_kabupaten(db: InMemoryDatabase) -> None:
    user, _ = _add(db, home_code="35.28.09")
    assert user.kecamatan_id == _kec(db, "35.28.09").id
    with pytest.raises(InvalidInput, match="bukan kecamatan Kabupaten Pamekasan"):
        _add(db, telegram_id=556, home_code="35.11.15")
    with pytest.raises(NotFound, match=r"35\.99 belum punya kecamatan"):
        _add(db, telegram_id=557, kabupaten="35.99")


def test_one_person_one_role(db: InMemoryDatabase) -> None:
    larangan = _kec(db, "35.28.08")
    with db.unit_of_work() as uow:
        uow.users.add(make_user(Role.ADMIN, telegram_id=777, kecamatan_id=larangan.id))
        uow.commit()
    with pytest.raises(InvalidInput, match=r"sudah terdaftar sebagai .* di Kecamatan Larangan"):
        _add(db, telegram_id=777)
    _add(db, telegram_id=778, kabupaten="35.11")
    with pytest.raises(InvalidInput, match="sudah menjadi admin Kabupaten Bondowoso"):
        _add(db, telegram_id=778)


def test_a_disabled_admin_kabupaten_is_made_active_again(db: InMemoryDatabase) -> None:
    user, _ = _add(db)
    with db.unit_of_work() as uow:
        uow.users.update(replace(user, status=UserStatus.DISABLED))
        uow.commit()
    again, changed = _add(db)
    assert changed
    assert again.status is UserStatus.ACTIVE
    assert "reactivate_kabupaten_admin" in [e.action for e in db.committed.audit]


def test_the_recap_is_audited_once_per_kecamatan_shown(db: InMemoryDatabase) -> None:
    user, _ = _add(db)
    larangan = _kec(db, "35.28.08")
    with db.unit_of_work() as uow:
        recap = audited_recap(
            uow,
            user=user,
            home=larangan,
            period=Period.year(2026),
            now=NOW,
            channel=Channel.PRIVATE,
            form=ExportForm.XLSX,
        )
        uow.commit()
    assert [r.kecamatan.nama for r in recap.kecamatan] == ["Larangan", "Pademawu"]
    entries = [e for e in db.committed.audit if e.entity == "rekap_kabupaten"]
    assert sorted(e.entity_id or "" for e in entries) == [
        "35.28.08/2026-01-01/2026-12-31",
        "35.28.09/2026-01-01/2026-12-31",
    ]
    assert all(e.user_id == user.id and e.action == "export_xlsx" for e in entries)


def test_a_kecamatan_admin_gets_no_recap(db: InMemoryDatabase) -> None:
    larangan = _kec(db, "35.28.08")
    with db.unit_of_work() as uow, pytest.raises(Forbidden):
        audited_recap(
            uow,
            user=replace(ADMIN, kecamatan_id=larangan.id),
            home=larangan,
            period=Period.year(2026),
            now=NOW,
            channel=Channel.PRIVATE,
            form=ExportForm.TABLE,
        )
    assert not [e for e in db.committed.audit if e.entity == "rekap_kabupaten"]
