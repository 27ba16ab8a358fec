"""Who may do what: every role, seksi and status against the rules of the office."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pytest

from domain.models import IncidentKind, Role, Seksi, User, UserStatus
from domain.permissions import (
    Action,
    Forbidden,
    allowed,
    can_follow_up,
    can_report_for,
    require,
    require_follow_up,
    require_report_for,
    responsible_seksi,
)
from tests.factories import make_user

KECAMATAN = 1
OTHER_KECAMATAN = 2
OWN_DESA = 11
NEIGHBOUR_DESA = 12  # another desa of the same kecamatan
KONFLIK = IncidentKind.KONFLIK
TRANTIBUM = IncidentKind.TRANTIBUM


# Users built directly, as the repositories would return them: one person in every role.
user = partial(make_user, id=7, telegram_id=700_007, nama="Siti Aminah", kecamatan_id=KECAMATAN)


ADMIN = user(Role.ADMIN)
ADMIN_WITH_DESA = user(Role.ADMIN, desa_id=OWN_DESA)
PPD = user(Role.STAF_SEKSI, seksi=Seksi.PPD)
PMD = user(Role.STAF_SEKSI, seksi=Seksi.PMD)
KESBANG = user(Role.STAF_SEKSI, seksi=Seksi.KESBANG)
TRANTIB = user(Role.STAF_SEKSI, seksi=Seksi.TRANTIB)
PELAYANAN = user(Role.STAF_SEKSI, seksi=Seksi.PELAYANAN)
STAF_WITHOUT_SEKSI = user(Role.STAF_SEKSI)
PERANGKAT = user(Role.PERANGKAT_DESA, desa_id=OWN_DESA)
PERANGKAT_WITHOUT_DESA = user(Role.PERANGKAT_DESA)
ADMIN_KABUPATEN = user(Role.ADMIN_KABUPATEN)

# --- the expected matrix, written out by hand -----------------------------------------------
#
# Columns, in this order:
#   RI  report_incident     NR  nil_report       FU  follow_up
#   IDM record_idm          TEM record_tematik   SVC manage_services
#   USR manage_users        SUM view_summary     SKM answer_skm
#   KAB view_kabupaten      GRP bind_digest_group
COLUMNS = (
    Action.REPORT_INCIDENT,
    Action.NIL_REPORT,
    Action.FOLLOW_UP,
    Action.RECORD_IDM,
    Action.RECORD_TEMATIK,
    Action.MANAGE_SERVICES,
    Action.MANAGE_USERS,
    Action.VIEW_SUMMARY,
    Action.ANSWER_SKM,
    Action.VIEW_KABUPATEN,
    Action.BIND_DIGEST_GROUP,
)

PEOPLE: dict[str, User | None] = {
    "admin": ADMIN,
    "admin-with-desa": ADMIN_WITH_DESA,
    "staf-ppd": PPD,
    "staf-pmd": PMD,
    "staf-kesbang": KESBANG,
    "staf-trantib": TRANTIB,
    "staf-pelayanan": PELAYANAN,
    "staf-without-seksi": STAF_WITHOUT_SEKSI,
    "perangkat-desa": PERANGKAT,
    "perangkat-without-desa": PERANGKAT_WITHOUT_DESA,
    "admin-kabupaten": ADMIN_KABUPATEN,
    "stranger": None,
}

MATRIX = """
                            RI  NR  FU  IDM TEM SVC USR SUM SKM KAB GRP
    admin                   x   .   x   x   x   x   x   x   x   .   x
    admin-with-desa         x   x   x   x   x   x   x   x   x   .   x
    staf-ppd                x   .   .   x   .   .   .   x   x   .   .
    staf-pmd                x   .   .   .   x   .   .   x   x   .   .
    staf-kesbang            x   .   x   .   .   .   .   x   x   .   .
    staf-trantib            x   .   x   .   .   .   .   x   x   .   .
    staf-pelayanan          x   .   .   .   .   x   .   x   x   .   .
    staf-without-seksi      x   .   .   .   .   .   .   x   x   .   .
    perangkat-desa          x   x   .   .   .   .   .   .   x   .   .
    perangkat-without-desa  .   .   .   .   .   .   .   .   x   .   .
    admin-kabupaten         .   .   .   .   .   .   .   x   x   x   x
    stranger                .   .   .   .   .   .   .   .   x   .   .
"""

# Whatever their role, people whose registration is pending, rejected or disabled may
# only answer the SKM.
INACTIVE_ROW = ".   .   .   .   .   .   .   .   x   .   ."


def _expected() -> dict[str, tuple[User | None, list[bool]]]:
    table: dict[str, tuple[User | None, list[bool]]] = {}
    header, *rows = MATRIX.strip().splitlines()
    assert header.split() == [
        *("RI", "NR", "FU", "IDM", "TEM", "SVC", "USR", "SUM", "SKM", "KAB", "GRP")
    ]
    for line in rows:
        name, *marks = line.split()
        assert len(marks) == len(COLUMNS), name
        assert set(marks) <= {"x", "."}, name
        table[name] = (PEOPLE[name], [mark == "x" for mark in marks])
    inactive = [mark == "x" for mark in INACTIVE_ROW.split()]
    for name, who in PEOPLE.items():
        if who is None:
            continue
        for status in (UserStatus.PENDING, UserStatus.DISABLED, UserStatus.REJECTED):
            table[f"{status.value}-{name}"] = (replace(who, status=status), inactive)
    return table


EXPECTED = _expected()


def _cases() -> list[tuple[str, User | None, Action, bool]]:
    return [
        (name, who, action, ok)
        for name, (who, row) in EXPECTED.items()
        for action, ok in zip(COLUMNS, row, strict=True)
    ]


def test_the_expected_matrix_covers_every_role_seksi_and_action() -> None:
    people = {(who.role, who.seksi) for who, _ in EXPECTED.values() if who is not None}
    assert people >= {(Role.STAF_SEKSI, seksi) for seksi in Seksi}
    assert {role for role, _ in people} == set(Role)
    assert set(COLUMNS) == set(Action)


@pytest.mark.parametrize(
    ("who", "action", "expected"),
    [
        pytest.param(who, action, ok, id=f"{name}-{action.value}")
        for name, who, action, ok in _cases()
    ],
)
def test_each_person_may_do_exactly_the_actions_of_the_matrix(
    who: User | None, action: Action, expected: bool
) -> None:
    assert allowed(who, action) is expected
    if expected:
        assert require(who, action) is who
    else:
        with pytest.raises(Forbidden):
            require(who, action)


# --- answering the SKM ----------------------------------------------------------------------


@pytest.mark.parametrize("status", list(UserStatus))
def test_the_skm_may_always_be_answered_whatever_the_status(status: UserStatus) -> None:
    assert allowed(replace(PERANGKAT, status=status), Action.ANSWER_SKM)
    assert allowed(replace(ADMIN, status=status), Action.ANSWER_SKM)


def test_a_citizen_may_answer_the_skm_and_require_returns_none() -> None:
    assert allowed(None, Action.ANSWER_SKM)
    assert require(None, Action.ANSWER_SKM) is None


# --- reporting for a desa -------------------------------------------------------------------


def test_a_perangkat_desa_may_report_for_their_own_desa() -> None:
    assert can_report_for(PERANGKAT, OWN_DESA, KECAMATAN)
    assert require_report_for(PERANGKAT, OWN_DESA, KECAMATAN) is PERANGKAT


def test_a_perangkat_desa_may_not_report_for_a_neighbouring_desa() -> None:
    assert not can_report_for(PERANGKAT, NEIGHBOUR_DESA, KECAMATAN)
    with pytest.raises(Forbidden, match="desanya sendiri"):
        require_report_for(PERANGKAT, NEIGHBOUR_DESA, KECAMATAN)


@pytest.mark.parametrize(
    "who",
    [ADMIN, PPD, PMD, KESBANG, TRANTIB, PELAYANAN, STAF_WITHOUT_SEKSI],
    ids=["admin", "ppd", "pmd", "kesbang", "trantib", "pelayanan", "no-seksi"],
)
def test_staff_and_admins_may_report_for_any_desa_of_their_kecamatan(who: User) -> None:
    assert can_report_for(who, OWN_DESA, KECAMATAN)
    assert can_report_for(who, NEIGHBOUR_DESA, KECAMATAN)
    assert require_report_for(who, NEIGHBOUR_DESA, KECAMATAN) is who


@pytest.mark.parametrize(
    "who", [ADMIN, KESBANG, STAF_WITHOUT_SEKSI], ids=["admin", "kesbang", "no-seksi"]
)
def test_staff_and_admins_may_not_report_for_a_desa_of_another_kecamatan(who: User) -> None:
    assert not can_report_for(who, 99, OTHER_KECAMATAN)
    with pytest.raises(Forbidden):
        require_report_for(who, 99, OTHER_KECAMATAN)


@pytest.mark.parametrize("status", [UserStatus.PENDING, UserStatus.DISABLED, UserStatus.REJECTED])
def test_an_inactive_perangkat_may_not_report_even_for_their_own_desa(status: UserStatus) -> None:
    inactive = replace(PERANGKAT, status=status)
    assert not can_report_for(inactive, OWN_DESA, KECAMATAN)
    with pytest.raises(Forbidden):
        require_report_for(inactive, OWN_DESA, KECAMATAN)


def test_a_stranger_may_not_report_and_is_told_how_to_register() -> None:
    assert not can_report_for(None, OWN_DESA, KECAMATAN)
    with pytest.raises(Forbidden, match="/daftar"):
        require_report_for(None, OWN_DESA, KECAMATAN)


def test_a_perangkat_without_a_desa_may_not_report_at_all() -> None:
    assert not can_report_for(PERANGKAT_WITHOUT_DESA, OWN_DESA, KECAMATAN)


def test_a_nil_report_needs_a_desa_for_a_perangkat_and_for_an_admin() -> None:
    assert allowed(PERANGKAT, Action.NIL_REPORT)
    assert not allowed(PERANGKAT_WITHOUT_DESA, Action.NIL_REPORT)
    assert allowed(ADMIN_WITH_DESA, Action.NIL_REPORT)
    assert not allowed(ADMIN, Action.NIL_REPORT)


# --- following up -----------------------------------------------------------------------------


def test_each_kind_of_incident_has_its_responsible_seksi() -> None:
    assert responsible_seksi(KONFLIK) is Seksi.KESBANG
    assert responsible_seksi(TRANTIBUM) is Seksi.TRANTIB


FOLLOW_UP_CASES = [
    # who, kind, kecamatan, expected
    ("kesbang-konflik", KESBANG, KONFLIK, KECAMATAN, True),
    ("kesbang-trantibum", KESBANG, TRANTIBUM, KECAMATAN, False),
    ("trantib-trantibum", TRANTIB, TRANTIBUM, KECAMATAN, True),
    ("trantib-konflik", TRANTIB, KONFLIK, KECAMATAN, False),
    ("admin-konflik", ADMIN, KONFLIK, KECAMATAN, True),
    ("admin-trantibum", ADMIN, TRANTIBUM, KECAMATAN, True),
    ("kesbang-konflik-elsewhere", KESBANG, KONFLIK, OTHER_KECAMATAN, False),
    ("trantib-trantibum-elsewhere", TRANTIB, TRANTIBUM, OTHER_KECAMATAN, False),
    ("admin-konflik-elsewhere", ADMIN, KONFLIK, OTHER_KECAMATAN, False),
    ("admin-trantibum-elsewhere", ADMIN, TRANTIBUM, OTHER_KECAMATAN, False),
    ("ppd-konflik", PPD, KONFLIK, KECAMATAN, False),
    ("pmd-trantibum", PMD, TRANTIBUM, KECAMATAN, False),
    ("pelayanan-konflik", PELAYANAN, KONFLIK, KECAMATAN, False),
    ("no-seksi-trantibum", STAF_WITHOUT_SEKSI, TRANTIBUM, KECAMATAN, False),
    ("perangkat-konflik", PERANGKAT, KONFLIK, KECAMATAN, False),
    ("perangkat-trantibum", PERANGKAT, TRANTIBUM, KECAMATAN, False),
    ("pending-kesbang-konflik", replace(KESBANG, status=UserStatus.PENDING), KONFLIK, 1, False),
    ("disabled-admin-konflik", replace(ADMIN, status=UserStatus.DISABLED), KONFLIK, 1, False),
    ("stranger-konflik", None, KONFLIK, KECAMATAN, False),
]


@pytest.mark.parametrize(
    ("who", "kind", "kecamatan_id", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in FOLLOW_UP_CASES],
)
def test_follow_up_belongs_to_the_responsible_seksi_or_an_admin_of_the_kecamatan(
    who: User | None, kind: IncidentKind, kecamatan_id: int, expected: bool
) -> None:
    assert can_follow_up(who, kind, kecamatan_id) is expected
    if expected:
        assert who is not None
        assert require_follow_up(who, kind, kecamatan_id) is who
    else:
        with pytest.raises(Forbidden):
            require_follow_up(who, kind, kecamatan_id)


def test_trantib_refused_a_konflik_is_told_that_kesbang_follows_it_up() -> None:
    with pytest.raises(Forbidden) as refused:
        require_follow_up(TRANTIB, KONFLIK, KECAMATAN)
    message = str(refused.value)
    assert "konflik sosial" in message
    assert Seksi.KESBANG.full_name in message
    assert "admin" in message


def test_kesbang_refused_a_trantibum_event_is_told_that_trantib_follows_it_up() -> None:
    with pytest.raises(Forbidden) as refused:
        require_follow_up(KESBANG, TRANTIBUM, KECAMATAN)
    assert Seksi.TRANTIB.full_name in str(refused.value)


# --- the reasons given ----------------------------------------------------------------------


def test_a_stranger_is_told_to_register_with_daftar_and_that_citizens_use_skm() -> None:
    with pytest.raises(Forbidden) as refused:
        require(None, Action.REPORT_INCIDENT)
    message = str(refused.value)
    assert "/daftar" in message
    assert "/skm" in message
    assert "undangan" in message


def test_a_pending_user_is_told_that_approval_is_pending() -> None:
    with pytest.raises(Forbidden) as refused:
        require(replace(KESBANG, status=UserStatus.PENDING), Action.FOLLOW_UP)
    assert "menunggu persetujuan" in str(refused.value)


def test_a_disabled_user_is_told_that_the_account_is_disabled() -> None:
    with pytest.raises(Forbidden) as refused:
        require(replace(ADMIN, status=UserStatus.DISABLED), Action.MANAGE_USERS)
    assert "dinonaktifkan" in str(refused.value)
    assert "/daftar" not in str(refused.value)


def test_a_rejected_user_is_told_they_may_register_again() -> None:
    with pytest.raises(Forbidden) as refused:
        require(replace(PERANGKAT, status=UserStatus.REJECTED), Action.REPORT_INCIDENT)
    message = str(refused.value)
    assert "ditolak" in message
    assert "/daftar" in message


@pytest.mark.parametrize(
    ("who", "action", "names"),
    [
        (PERANGKAT, Action.FOLLOW_UP, "Seksi Kesbang"),
        (KESBANG, Action.RECORD_IDM, "Seksi PPD"),
        (PPD, Action.RECORD_TEMATIK, "Seksi PMD"),
        (TRANTIB, Action.MANAGE_SERVICES, "Seksi Pelayanan"),
        (PELAYANAN, Action.MANAGE_USERS, "admin"),
        (KESBANG, Action.NIL_REPORT, "perangkat desa"),
        (PERANGKAT, Action.VIEW_SUMMARY, "staf seksi"),
    ],
)
def test_an_active_user_refused_is_told_who_may_do_it(
    who: User, action: Action, names: str
) -> None:
    with pytest.raises(Forbidden) as refused:
        require(who, action)
    message = str(refused.value)
    assert message.startswith("Maaf, fitur ini hanya untuk")
    assert names in message
    assert "/daftar" not in message
