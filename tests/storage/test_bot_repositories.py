"""The repository methods the bot added: drafts, users, invites, tematik, SKM dedup, incidents.

Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import SQLModel

from domain.models import (
    Desa,
    DesaTematik,
    Draft,
    IncidentKind,
    IncidentStatus,
    Invite,
    Kecamatan,
    OutboxMessage,
    Role,
    Seksi,
    SkmService,
    Tema,
    UpdateKey,
    User,
    UserStatus,
)
from domain.ports import UnitOfWork
from storage.tables import DesaTematikRow, DraftRow, HandledUpdateRow, SkmDedupRow
from tests.factories import make_incident, make_user
from tests.storage.builders import captured_statements, jakarta

UowFactory = Callable[[], UnitOfWork]
Sessions = sessionmaker[Session]

GROUP_CHAT = -1_001_234_567_890  # Telegram supergroup ids do not fit in 32 bits
PERSON = 6_123_456_789


@pytest.fixture
def sessions(session_factory: Sessions) -> Sessions:
    """Plain sessions, to read rows behind the repositories' backs."""
    return session_factory


def _count(sessions: Sessions, table: type[SQLModel]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


# === drafts ===================================================================================


def _new_draft(
    chat_id: int = PERSON,
    user_id: int = PERSON,
    *,
    token: str = "tok-a",
    step: str = "nama",
    data: dict[str, Any] | None = None,
) -> Draft:
    return Draft(
        chat_id=chat_id,
        user_id=user_id,
        flow="daftar",
        step=step,
        data={} if data is None else data,
        token=token,
    )


def _save(uow_factory: UowFactory, draft: Draft) -> Draft | None:
    with uow_factory() as uow:
        saved = uow.drafts.save(draft)
        uow.commit()
    return saved


def _get_draft(
    uow_factory: UowFactory, chat_id: int = PERSON, user_id: int = PERSON
) -> Draft | None:
    with uow_factory() as uow:
        return uow.drafts.get(chat_id, user_id)


def _delete(uow_factory: UowFactory, chat_id: int = PERSON, **match: Any) -> bool:
    with uow_factory() as uow:
        done = uow.drafts.delete(chat_id, PERSON, **match)
        uow.commit()
    return done


def test_a_new_draft_is_inserted_with_version_one(
    uow_factory: UowFactory, sessions: Sessions
) -> None:
    saved = _save(uow_factory, _new_draft(data={"peran": "staf_seksi"}))
    assert saved is not None
    assert saved.version == 1
    assert saved.updated_at is not None
    stored = _get_draft(uow_factory)
    assert stored is not None
    assert stored == saved
    assert (stored.flow, stored.step, stored.token) == ("daftar", "nama", "tok-a")
    assert stored.data == {"peran": "staf_seksi"}
    assert _count(sessions, DraftRow) == 1


def test_saving_with_the_stored_version_and_token_updates_and_bumps_the_version(
    uow_factory: UowFactory,
) -> None:
    first = _save(uow_factory, _new_draft())
    assert first is not None
    second = _save(uow_factory, Draft(**{**_fields(first), "step": "jabatan", "data": {"n": 1}}))
    assert second is not None
    assert (second.version, second.step, second.data) == (2, "jabatan", {"n": 1})
    third = _save(uow_factory, Draft(**{**_fields(second), "step": "kirim"}))
    assert third is not None
    assert third.version == 3
    assert _get_draft(uow_factory) == third


def _fields(draft: Draft) -> dict[str, Any]:
    return {
        "chat_id": draft.chat_id,
        "user_id": draft.user_id,
        "flow": draft.flow,
        "step": draft.step,
        "data": draft.data,
        "token": draft.token,
        "version": draft.version,
    }


@pytest.mark.parametrize(
    "stale",
    [{"version": 1}, {"version": 3}, {"token": "tok-lama"}],
    ids=["older-version", "newer-version", "other-token"],
)
def test_saving_with_a_wrong_version_or_token_changes_nothing(
    uow_factory: UowFactory, stale: dict[str, Any]
) -> None:
    first = _save(uow_factory, _new_draft())
    assert first is not None
    current = _save(uow_factory, Draft(**{**_fields(first), "step": "jabatan"}))
    assert current is not None
    assert current.version == 2
    attempt = Draft(**{**_fields(current), "step": "kirim", "data": {"x": 1}, **stale})
    assert _save(uow_factory, attempt) is None
    assert _get_draft(uow_factory) == current


def test_two_writers_with_the_same_version_only_one_wins(uow_factory: UowFactory) -> None:
    first = _save(uow_factory, _new_draft())
    assert first is not None
    with uow_factory() as one, uow_factory() as two:
        won = one.drafts.save(Draft(**{**_fields(first), "step": "satu"}))
        one.commit()
        lost = two.drafts.save(Draft(**{**_fields(first), "step": "dua"}))
        two.commit()
    assert won is not None
    assert lost is None
    stored = _get_draft(uow_factory)
    assert stored is not None
    assert (stored.step, stored.version) == ("satu", 2)


def test_a_new_conversation_replaces_the_draft_of_the_same_chat_and_user(
    uow_factory: UowFactory, sessions: Sessions
) -> None:
    old = _save(uow_factory, _new_draft(token="tok-a", step="jabatan"))
    assert old is not None
    new = _save(uow_factory, _new_draft(token="tok-b", step="nama", data={"baru": True}))
    assert new is not None
    assert (new.version, new.token) == (1, "tok-b")
    assert _get_draft(uow_factory) == new
    assert _count(sessions, DraftRow) == 1
    # The buttons of the old conversation are now stale.
    assert _save(uow_factory, Draft(**{**_fields(old), "step": "kirim"})) is None


def test_drafts_of_different_chats_and_users_coexist(
    uow_factory: UowFactory, sessions: Sessions
) -> None:
    private = _save(uow_factory, _new_draft(PERSON, PERSON, step="nama"))
    in_group = _save(uow_factory, _new_draft(GROUP_CHAT, PERSON, step="tanggal"))
    other = _save(uow_factory, _new_draft(GROUP_CHAT, PERSON + 1, step="desa"))
    assert _count(sessions, DraftRow) == 3
    assert _get_draft(uow_factory, PERSON, PERSON) == private
    assert _get_draft(uow_factory, GROUP_CHAT, PERSON) == in_group
    assert _get_draft(uow_factory, GROUP_CHAT, PERSON + 1) == other
    assert _get_draft(uow_factory, PERSON, PERSON + 1) is None


def test_draft_data_survives_a_round_trip_with_nesting_and_unicode(
    uow_factory: UowFactory,
) -> None:
    data: dict[str, Any] = {
        "answers": {"persyaratan": 4, "prosedur": 3},
        "photos": ["AgAC-1", "AgAC-2"],
        "lokasi": {"lat": -7.0512, "lon": 113.5234},
        "uraian": "Keributan di pasar — “carok” dicegah 🙏\nbaris kedua",
        "nama": "Zulaikha Nur'aini",
        "kosong": None,
        "setuju": True,
        "daftar": [{"a": [1, 2, {"b": "ç"}]}, [], {}],
    }
    saved = _save(uow_factory, _new_draft(data=data))
    assert saved is not None
    assert saved.data == data
    stored = _get_draft(uow_factory)
    assert stored is not None
    assert stored.data == data


def test_the_longest_token_flow_and_step_fit_their_columns(uow_factory: UowFactory) -> None:
    draft = Draft(
        chat_id=GROUP_CHAT,
        user_id=PERSON,
        flow="f" * 30,
        step="s" * 30,
        data={},
        token="t" * 16,
    )
    saved = _save(uow_factory, draft)
    assert saved is not None
    assert _get_draft(uow_factory, GROUP_CHAT, PERSON) == saved
    assert (saved.flow, saved.step, saved.token) == ("f" * 30, "s" * 30, "t" * 16)


def test_deleting_with_the_right_token_and_version_removes_the_draft(
    uow_factory: UowFactory,
) -> None:
    saved = _save(uow_factory, _new_draft())
    assert saved is not None
    assert _delete(uow_factory, token="tok-a", version=1)
    assert _get_draft(uow_factory) is None
    assert not _delete(uow_factory, token="tok-a", version=1)


@pytest.mark.parametrize(
    "match",
    [{"token": "tok-lain", "version": 1}, {"token": "tok-a", "version": 2}, {"token": "x"}],
    ids=["wrong-token", "wrong-version", "wrong-token-only"],
)
def test_deleting_with_a_wrong_token_or_version_keeps_the_draft(
    uow_factory: UowFactory, match: dict[str, Any]
) -> None:
    saved = _save(uow_factory, _new_draft())
    assert not _delete(uow_factory, **match)
    assert _get_draft(uow_factory) == saved


def test_deleting_without_a_token_removes_only_that_chat_and_user(
    uow_factory: UowFactory,
) -> None:
    _save(uow_factory, _new_draft())
    kept = _save(uow_factory, _new_draft(GROUP_CHAT, PERSON))
    assert _delete(uow_factory)
    assert _get_draft(uow_factory) is None
    assert _get_draft(uow_factory, GROUP_CHAT, PERSON) == kept
    assert not _delete(uow_factory)


def test_a_draft_is_read_back_as_saved_in_the_same_unit_of_work(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        first = uow.drafts.save(_new_draft())
        assert first is not None
        assert uow.drafts.get(PERSON, PERSON) == first
        uow.commit()


def test_an_updated_draft_is_read_back_updated_in_the_same_unit_of_work(
    uow_factory: UowFactory,
) -> None:
    first = _save(uow_factory, _new_draft())
    assert first is not None
    with uow_factory() as uow:
        assert uow.drafts.get(PERSON, PERSON) == first
        second = uow.drafts.save(Draft(**{**_fields(first), "step": "jabatan"}))
        assert second is not None
        again = uow.drafts.get(PERSON, PERSON)
        assert again is not None
        assert (again.step, again.version) == ("jabatan", 2)


def test_the_user_and_their_draft_are_read_together_as_the_two_reads_give_them(
    uow_factory: UowFactory, people: dict[str, User], engine: Engine
) -> None:
    hasan = people["hasan"]
    mine = _save(uow_factory, _new_draft(hasan.telegram_id, hasan.telegram_id, token="own"))
    in_group = _save(uow_factory, _new_draft(GROUP_CHAT, hasan.telegram_id, token="grp"))
    other = _save(uow_factory, _new_draft(GROUP_CHAT, PERSON, token="other"))
    asked = [
        (hasan.telegram_id, hasan.telegram_id),  # registered, a draft in private
        (GROUP_CHAT, hasan.telegram_id),  # registered, a draft in the group
        (GROUP_CHAT, PERSON),  # a citizen (no user row) with a draft
        (PERSON, PERSON),  # a citizen without a draft
        (people["zainal"].telegram_id, people["zainal"].telegram_id),  # registered, no draft
    ]
    with uow_factory() as uow:
        expected = [
            (uow.users.get_by_telegram_id(user_id), uow.drafts.get(chat_id, user_id))
            for chat_id, user_id in asked
        ]
        with captured_statements(engine) as statements:
            together = [uow.drafts.get_with_user(chat_id, user_id) for chat_id, user_id in asked]
    assert together == expected
    assert [draft for _, draft in together[:3]] == [mine, in_group, other]
    assert [user for user, _ in together] == [hasan, hasan, None, None, people["zainal"]]
    assert len(statements.sql) == len(asked)  # one statement each


def test_the_user_and_draft_read_together_see_this_unit_of_works_changes(
    uow_factory: UowFactory, people: dict[str, User]
) -> None:
    hasan = people["hasan"]
    with uow_factory() as uow:
        saved = uow.drafts.save(_new_draft(hasan.telegram_id, hasan.telegram_id))
        changed = uow.users.update(replace(hasan, status=UserStatus.DISABLED))
        assert uow.drafts.get_with_user(hasan.telegram_id, hasan.telegram_id) == (changed, saved)


def test_an_update_is_claimed_with_the_read_once_and_not_again(
    uow_factory: UowFactory, people: dict[str, User], sessions: Sessions
) -> None:
    hasan = people["hasan"]
    draft = _save(uow_factory, _new_draft(hasan.telegram_id, hasan.telegram_id))
    key = UpdateKey(bot_id=1, update_id=501, callback_query_id="q-501")
    at = jakarta(2026, 11, 25, 10)
    with uow_factory() as uow:
        first = uow.drafts.claim_with_user(key, at, hasan.telegram_id, hasan.telegram_id)
        uow.commit()
    with uow_factory() as uow:
        again = uow.drafts.claim_with_user(key, at, hasan.telegram_id, hasan.telegram_id)
        # The same button press under another update id is the same press.
        pressed_again = uow.drafts.claim_with_user(
            UpdateKey(bot_id=1, update_id=502, callback_query_id="q-501"), at, PERSON, PERSON
        )
        # As the update log's own claim sees it.
        assert not uow.updates.claim(key, at=at)
    assert first == (hasan, draft)
    assert again is None
    assert pressed_again is None
    assert _count(sessions, HandledUpdateRow) == 1


def test_a_claim_with_the_read_is_undone_with_its_unit_of_work(
    uow_factory: UowFactory, sessions: Sessions
) -> None:
    key = UpdateKey(bot_id=1, update_id=601)
    at = jakarta(2026, 11, 25, 10)
    with uow_factory() as uow:
        assert uow.drafts.claim_with_user(key, at, PERSON, PERSON) == (None, None)
    assert _count(sessions, HandledUpdateRow) == 0
    with uow_factory() as uow:
        assert uow.drafts.claim_with_user(key, at, PERSON, PERSON) == (None, None)
        uow.commit()
    assert _count(sessions, HandledUpdateRow) == 1


# === users ===================================================================================


@pytest.fixture
def people(
    uow_factory: UowFactory, larangan: Kecamatan, pademawu: Kecamatan, desa: list[Desa]
) -> dict[str, User]:
    """Users of Larangan in several roles and statuses, and one of Pademawu."""
    wanted = {
        "zainal": make_user(
            telegram_id=11, nama="Zainal Arifin", seksi=Seksi.KESBANG, kecamatan_id=larangan.id
        ),
        "ahmad": make_user(
            telegram_id=12, nama="Ahmad Fauzi", seksi=Seksi.PPD, kecamatan_id=larangan.id
        ),
        "budi": make_user(
            telegram_id=13,
            nama="Budi Santoso",
            seksi=Seksi.KESBANG,
            status=UserStatus.PENDING,
            kecamatan_id=larangan.id,
        ),
        "camat": make_user(
            Role.ADMIN, telegram_id=14, nama="Camat Larangan", kecamatan_id=larangan.id
        ),
        "hasan": make_user(
            Role.PERANGKAT_DESA,
            telegram_id=15,
            nama="Moh. Hasan",
            kecamatan_id=larangan.id,
            desa_id=desa[0].id,
        ),
        "ahmad2": make_user(
            telegram_id=16, nama="Ahmad Fauzi", seksi=Seksi.TRANTIB, kecamatan_id=larangan.id
        ),
        "rina": make_user(
            telegram_id=17,
            nama="Rina",
            seksi=Seksi.PMD,
            status=UserStatus.REJECTED,
            kecamatan_id=larangan.id,
        ),
        "luar": make_user(
            telegram_id=21, nama="Abdul Luar", seksi=Seksi.KESBANG, kecamatan_id=pademawu.id
        ),
    }
    with uow_factory() as uow:
        stored = {key: uow.users.add(user) for key, user in wanted.items()}
        uow.commit()
    return stored


def _names(users: list[User]) -> list[str]:
    return [f"{u.nama}#{u.telegram_id}" for u in users]


def test_users_are_listed_by_name_within_their_kecamatan_only(
    uow_factory: UowFactory, larangan: Kecamatan, pademawu: Kecamatan, people: dict[str, User]
) -> None:
    with uow_factory() as uow:
        everyone = uow.users.list(larangan.id)
        elsewhere = uow.users.list(pademawu.id)
    assert _names(everyone) == [
        "Ahmad Fauzi#12",  # same name: in order of registration
        "Ahmad Fauzi#16",
        "Budi Santoso#13",
        "Camat Larangan#14",
        "Moh. Hasan#15",
        "Rina#17",
        "Zainal Arifin#11",
    ]
    assert everyone[0] == people["ahmad"]
    assert elsewhere == [people["luar"]]


def test_users_are_filtered_by_status_role_and_seksi(
    uow_factory: UowFactory, larangan: Kecamatan, people: dict[str, User]
) -> None:
    with uow_factory() as uow:
        pending = uow.users.list(larangan.id, status=UserStatus.PENDING)
        admins = uow.users.list(larangan.id, role=Role.ADMIN)
        kesbang = uow.users.list(larangan.id, seksi=Seksi.KESBANG)
        active_kesbang = uow.users.list(
            larangan.id, status=UserStatus.ACTIVE, role=Role.STAF_SEKSI, seksi=Seksi.KESBANG
        )
        perangkat = uow.users.list(larangan.id, role=Role.PERANGKAT_DESA)
        disabled = uow.users.list(larangan.id, status=UserStatus.DISABLED)
    assert pending == [people["budi"]]
    assert admins == [people["camat"]]
    assert kesbang == [people["budi"], people["zainal"]]
    assert active_kesbang == [people["zainal"]]
    assert perangkat == [people["hasan"]]
    assert disabled == []


def test_get_finds_a_user_by_id_and_nobody_for_an_unknown_id(
    uow_factory: UowFactory, people: dict[str, User]
) -> None:
    with uow_factory() as uow:
        assert uow.users.get(people["hasan"].id) == people["hasan"]
        assert uow.users.get(987_654) is None


def test_update_stores_every_field(
    uow_factory: UowFactory, people: dict[str, User], desa: list[Desa]
) -> None:
    changed = User(
        id=people["rina"].id,
        telegram_id=people["rina"].telegram_id,
        nama="Rina Wulandari",
        jabatan="Sekdes",
        role=Role.PERANGKAT_DESA,
        status=UserStatus.PENDING,
        kecamatan_id=people["rina"].kecamatan_id,
        seksi=None,
        desa_id=desa[4].id,
    )
    with uow_factory() as uow:
        assert uow.users.update(changed) == changed
        uow.commit()
    with uow_factory() as uow:
        assert uow.users.get(changed.id) == changed


def test_update_with_the_expected_status_changes_the_user(
    uow_factory: UowFactory, people: dict[str, User]
) -> None:
    approved = User(**{**_user_fields(people["budi"]), "status": UserStatus.ACTIVE})
    with uow_factory() as uow:
        assert uow.users.update(approved, expected_status=UserStatus.PENDING) == approved
        uow.commit()
    with uow_factory() as uow:
        assert uow.users.get(approved.id) == approved


def _user_fields(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "telegram_id": user.telegram_id,
        "nama": user.nama,
        "jabatan": user.jabatan,
        "role": user.role,
        "status": user.status,
        "kecamatan_id": user.kecamatan_id,
        "seksi": user.seksi,
        "desa_id": user.desa_id,
    }


def test_update_with_another_expected_status_changes_nothing(
    uow_factory: UowFactory, people: dict[str, User]
) -> None:
    attempt = User(
        **{**_user_fields(people["budi"]), "status": UserStatus.REJECTED, "nama": "Budi Lain"}
    )
    with uow_factory() as uow:
        assert uow.users.update(attempt, expected_status=UserStatus.ACTIVE) is None
        uow.commit()
    with uow_factory() as uow:
        assert uow.users.get(people["budi"].id) == people["budi"]


def test_two_admins_deciding_at_once_only_one_wins(
    uow_factory: UowFactory, people: dict[str, User]
) -> None:
    approve = User(**{**_user_fields(people["budi"]), "status": UserStatus.ACTIVE})
    reject = User(**{**_user_fields(people["budi"]), "status": UserStatus.REJECTED})
    with uow_factory() as first:
        assert first.users.update(approve, expected_status=UserStatus.PENDING) == approve
        first.commit()
    with uow_factory() as second:
        assert second.users.update(reject, expected_status=UserStatus.PENDING) is None
        second.commit()
    with uow_factory() as uow:
        assert uow.users.get(people["budi"].id) == approve


def test_updating_an_unknown_user_returns_none(
    uow_factory: UowFactory, people: dict[str, User]
) -> None:
    ghost = User(**{**_user_fields(people["budi"]), "id": 987_654})
    with uow_factory() as uow:
        assert uow.users.update(ghost) is None


def test_a_user_updated_is_read_back_updated_in_the_same_unit_of_work(
    uow_factory: UowFactory, larangan: Kecamatan, people: dict[str, User]
) -> None:
    # As the bot does: set_active() reads the user, updates it, then /pengguna lists users.
    disabled = User(**{**_user_fields(people["zainal"]), "status": UserStatus.DISABLED})
    with uow_factory() as uow:
        assert uow.users.get(people["zainal"].id) == people["zainal"]
        assert uow.users.update(disabled, expected_status=UserStatus.ACTIVE) == disabled
        uow.commit()
        assert uow.users.get(disabled.id) == disabled
        listed = {u.id: u for u in uow.users.list(larangan.id)}
        assert listed[disabled.id].status is UserStatus.DISABLED


# === invites =================================================================================


def _add_invite(
    uow_factory: UowFactory, people: dict[str, User], token_hash: str = "a" * 64
) -> Invite:
    camat = people["camat"]
    with uow_factory() as uow:
        invite = uow.invites.add(
            Invite(
                id=0,
                kecamatan_id=camat.kecamatan_id,
                role=Role.STAF_SEKSI,
                created_by=camat.id,
                expires_at=jakarta(2026, 3, 7, 10),
                seksi=Seksi.PELAYANAN,
            ),
            token_hash,
        )
        uow.commit()
    return invite


def test_an_invite_is_found_by_the_hash_of_its_token(
    uow_factory: UowFactory, people: dict[str, User]
) -> None:
    invite = _add_invite(uow_factory, people)
    assert invite.id > 0
    with uow_factory() as uow:
        assert uow.invites.get_by_hash("a" * 64) == invite
        assert uow.invites.get_by_hash("b" * 64) is None
    assert (invite.role, invite.seksi, invite.desa_id) == (Role.STAF_SEKSI, Seksi.PELAYANAN, None)
    assert invite.expires_at == jakarta(2026, 3, 7, 10)
    assert (invite.used_at, invite.used_by) == (None, None)


def test_an_invite_is_marked_used_only_once(
    uow_factory: UowFactory, people: dict[str, User]
) -> None:
    invite = _add_invite(uow_factory, people)
    first_use = jakarta(2026, 3, 5, 11)
    with uow_factory() as uow:
        assert uow.invites.mark_used(invite.id, people["zainal"].id, first_use)
        uow.commit()
    with uow_factory() as uow:
        assert not uow.invites.mark_used(invite.id, people["ahmad"].id, jakarta(2026, 3, 5, 12))
        uow.commit()
    with uow_factory() as uow:
        stored = uow.invites.get_by_hash("a" * 64)
    assert stored is not None
    assert (stored.used_at, stored.used_by) == (first_use, people["zainal"].id)


def test_marking_an_unknown_invite_used_returns_false(
    uow_factory: UowFactory, people: dict[str, User]
) -> None:
    with uow_factory() as uow:
        assert not uow.invites.mark_used(987_654, people["zainal"].id, jakarta(2026, 3, 5))


# === desa tematik ============================================================================


def _add_tematik(uow_factory: UowFactory, desa: Desa, tema: Tema = Tema.WISATA) -> DesaTematik:
    with uow_factory() as uow:
        item = uow.tematik.add(
            DesaTematik(id=0, desa_id=desa.id, tema=tema, tahun=2026, referensi="188/1/2026")
        )
        uow.commit()
    return item


def test_a_desa_tematik_is_read_back_by_id(uow_factory: UowFactory, desa: list[Desa]) -> None:
    item = _add_tematik(uow_factory, desa[0])
    with uow_factory() as uow:
        assert uow.tematik.get(item.id) == item
        assert uow.tematik.get(987_654) is None


def test_a_desa_tematik_is_ended_only_once(
    uow_factory: UowFactory, desa: list[Desa], sessions: Sessions
) -> None:
    item = _add_tematik(uow_factory, desa[0])
    _add_tematik(uow_factory, desa[1])
    with uow_factory() as uow:
        assert uow.tematik.end(item.id, jakarta(2026, 3, 5))
        uow.commit()
    with uow_factory() as uow:
        assert not uow.tematik.end(item.id, jakarta(2026, 3, 6))
        uow.commit()
    with uow_factory() as uow:
        stored = uow.tematik.get(item.id)
        count = uow.tematik.count_desa(desa[0].kecamatan_id, 2026)
        active = uow.tematik.list_active(desa[0].kecamatan_id, 2026)
    assert stored is not None
    assert not stored.active
    assert count == 1
    assert [a.desa_id for a in active] == [desa[1].id]
    with sessions() as session:
        row = session.get(DesaTematikRow, item.id)
        assert row is not None
        assert row.ended_at == jakarta(2026, 3, 5)


def test_ending_an_unknown_desa_tematik_returns_false(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        assert not uow.tematik.end(987_654, jakarta(2026, 3, 5))


def test_an_ended_desa_tematik_reads_as_ended_in_the_same_unit_of_work(
    uow_factory: UowFactory, desa: list[Desa]
) -> None:
    item = _add_tematik(uow_factory, desa[0])
    with uow_factory() as uow:
        assert uow.tematik.get(item.id) == item
        assert uow.tematik.end(item.id, jakarta(2026, 3, 5))
        stored = uow.tematik.get(item.id)
        assert stored is not None
        assert not stored.active


# === SKM =====================================================================================


def test_a_dedup_hash_is_claimed_only_once(uow_factory: UowFactory, sessions: Sessions) -> None:
    with uow_factory() as uow:
        assert uow.skm.claim_dedup("f" * 64, "2026-S1")
        assert not uow.skm.claim_dedup("f" * 64, "2026-S1")
        uow.commit()
    with uow_factory() as uow:
        assert not uow.skm.claim_dedup("f" * 64, "2026-S2")
        assert uow.skm.claim_dedup("e" * 64, "2026-S2")
        uow.commit()
    assert _count(sessions, SkmDedupRow) == 2


def test_has_dedup_sees_a_claimed_hash_and_stores_nothing(
    uow_factory: UowFactory, sessions: Sessions
) -> None:
    with uow_factory() as uow:
        assert not uow.skm.has_dedup("c" * 64)
        uow.commit()
    assert _count(sessions, SkmDedupRow) == 0
    with uow_factory() as uow:
        assert uow.skm.claim_dedup("c" * 64, "2026-S1")
        assert uow.skm.has_dedup("c" * 64)
        uow.commit()
    with uow_factory() as uow:
        assert uow.skm.has_dedup("c" * 64)
        assert not uow.skm.has_dedup("C" * 64)
        assert not uow.skm.has_dedup("c" * 63)


def test_a_rolled_back_claim_leaves_the_hash_free(
    uow_factory: UowFactory, sessions: Sessions
) -> None:
    with uow_factory() as uow:
        assert uow.skm.claim_dedup("d" * 64, "2026-S1")
    assert _count(sessions, SkmDedupRow) == 0
    with uow_factory() as uow:
        assert uow.skm.claim_dedup("d" * 64, "2026-S1")
        uow.commit()
    assert _count(sessions, SkmDedupRow) == 1


def test_a_service_is_read_back_by_id(uow_factory: UowFactory, larangan: Kecamatan) -> None:
    with uow_factory() as uow:
        service = uow.skm.add_service(
            SkmService(id=0, kecamatan_id=larangan.id, kode="ktp", nama="KTP-el", population=900)
        )
        uow.commit()
    with uow_factory() as uow:
        assert uow.skm.get_service(service.id) == service
        assert uow.skm.get_service(987_654) is None
    assert (service.kode, service.nama, service.population, service.active) == (
        "ktp",
        "KTP-el",
        900,
        True,
    )


# === incidents ===============================================================================


def test_an_incident_is_read_back_by_id_with_its_current_version(
    uow_factory: UowFactory, desa: list[Desa]
) -> None:
    with uow_factory() as uow:
        incident = uow.incidents.add(make_incident(desa[0], photos=("p1",)))
        uow.commit()
    with uow_factory() as uow:
        assert uow.incidents.get(incident.id) == incident
        assert uow.incidents.get(987_654) is None
        moved = uow.incidents.change_status(
            incident.id,
            to_status=IncidentStatus.DIPROSES,
            note="ditangani",
            user_id=None,
            at=jakarta(2026, 3, 3),
            expected_version=1,
        )
        assert moved is not None
        assert uow.incidents.get(incident.id) == moved
        uow.commit()
    assert moved.version == 2


def test_a_reporters_incidents_are_newest_first_and_limited(
    uow_factory: UowFactory, desa: list[Desa], people: dict[str, User]
) -> None:
    hasan, zainal = people["hasan"], people["zainal"]
    with uow_factory() as uow:
        received = [jakarta(2026, 3, day) for day in (3, 1, 4, 2)]
        mine = [
            uow.incidents.add(make_incident(desa[0], received_at=at, reporter_id=hasan.id))
            for at in received
        ]
        uow.incidents.add(
            make_incident(desa[0], received_at=jakarta(2026, 3, 9), reporter_id=zainal.id)
        )
        uow.incidents.add(make_incident(desa[0], received_at=jakarta(2026, 3, 8)))
        uow.commit()
    with uow_factory() as uow:
        listed = uow.incidents.list_by_reporter(hasan.id)
        two = uow.incidents.list_by_reporter(hasan.id, limit=2)
    by_time = sorted(mine, key=lambda i: i.received_at, reverse=True)
    assert listed == by_time
    assert [i.received_at.date() for i in listed] == [
        date(2026, 3, 4),
        date(2026, 3, 3),
        date(2026, 3, 2),
        date(2026, 3, 1),
    ]
    assert two == by_time[:2]


def test_incidents_of_a_desa_are_counted_by_event_date_inclusively(
    uow_factory: UowFactory, desa: list[Desa]
) -> None:
    with uow_factory() as uow:
        for day in (1, 2, 5, 8, 9):
            uow.incidents.add(make_incident(desa[0], event_date=date(2026, 3, day)))
        uow.incidents.add(
            make_incident(desa[0], kind=IncidentKind.TRANTIBUM, event_date=date(2026, 3, 4))
        )
        uow.incidents.add(make_incident(desa[1], event_date=date(2026, 3, 4)))
        uow.commit()
    with uow_factory() as uow:
        week = uow.incidents.count_for_desa(desa[0].id, date(2026, 3, 2), date(2026, 3, 8))
        neighbour = uow.incidents.count_for_desa(desa[1].id, date(2026, 3, 2), date(2026, 3, 8))
        one_day = uow.incidents.count_for_desa(desa[0].id, date(2026, 3, 9), date(2026, 3, 9))
        nothing = uow.incidents.count_for_desa(desa[2].id, date(2026, 3, 2), date(2026, 3, 8))
    assert week == 4  # 2, 4 (trantibum), 5 and 8 March; not 1 or 9 March
    assert (neighbour, one_day, nothing) == (1, 1, 0)


def test_open_incidents_are_oldest_first_per_kecamatan_and_kind(
    uow_factory: UowFactory, desa: list[Desa], pademawu_desa: list[Desa]
) -> None:
    base = jakarta(2026, 3, 1)
    with uow_factory() as uow:
        konflik_late = uow.incidents.add(
            make_incident(desa[0], received_at=base + timedelta(days=3))
        )
        trantibum = uow.incidents.add(
            make_incident(desa[1], kind=IncidentKind.TRANTIBUM, received_at=base + timedelta(1))
        )
        konflik_early = uow.incidents.add(make_incident(desa[2], received_at=base))
        handled = uow.incidents.add(make_incident(desa[3], received_at=base - timedelta(days=1)))
        uow.incidents.add(make_incident(pademawu_desa[0], received_at=base - timedelta(days=2)))
        uow.incidents.change_status(
            handled.id,
            to_status=IncidentStatus.TERTANGANI,
            note="selesai",
            user_id=None,
            at=base,
            expected_version=1,
        )
        uow.commit()
    kecamatan_id = desa[0].kecamatan_id
    with uow_factory() as uow:
        everything = uow.incidents.list_open(kecamatan_id)
        konflik = uow.incidents.list_open(kecamatan_id, IncidentKind.KONFLIK)
        only_trantibum = uow.incidents.list_open(kecamatan_id, IncidentKind.TRANTIBUM)
    assert everything == [konflik_early, trantibum, konflik_late]
    assert konflik == [konflik_early, konflik_late]
    assert only_trantibum == [trantibum]


# === outbox ==================================================================================


def test_the_messages_of_one_change_are_queued_in_order_in_one_statement_on_postgresql(
    uow_factory: UowFactory, engine: Engine
) -> None:
    at = jakarta(2026, 11, 25, 10)
    keyboard = {"inline_keyboard": [[{"text": "Ya", "callback_data": "t:1:ya"}]]}
    messages = [
        OutboxMessage(
            chat_id=PERSON,
            kind="edit",
            payload={"message_id": 41, "text": "", "markup": None},
            source="update:7",
        ),
        OutboxMessage(
            chat_id=PERSON,
            kind="text",
            payload={"text": "Tanggal kejadian? <b>Ş</b>", "markup": keyboard},
            source="update:7",
        ),
        OutboxMessage(
            chat_id=GROUP_CHAT,
            kind="photo",
            payload={"file_id": None, "file_name": "gambar.png", "caption": "Bukti"},
            content=b"\x89PNG\r\n\x1a\n\x00\xff",
            source="update:7",
        ),
    ]
    with uow_factory() as uow, captured_statements(engine) as statements:
        stored = uow.outbox.add(messages, at=at)
        uow.commit()
    inserts = [sql for sql in statements.sql if sql.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == (1 if engine.dialect.name == "postgresql" else len(messages))
    ids = [message.id for message in stored if message.id is not None]
    assert len(ids) == len(messages)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert [(m.chat_id, m.kind, m.payload, m.content) for m in stored] == [
        (m.chat_id, m.kind, m.payload, m.content) for m in messages
    ]
    with uow_factory() as uow:
        pending = uow.outbox.pending(limit=10)
    assert [m.id for m in pending] == ids
    assert [(m.chat_id, m.kind, m.payload, m.content, m.source) for m in pending] == [
        (m.chat_id, m.kind, m.payload, m.content, m.source) for m in messages
    ]
