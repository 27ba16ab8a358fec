"""Who may open a case's details and read the SKM suggestions (domain.permissions)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.models import IncidentKind, User, UserStatus
from domain.permissions import (
    Forbidden,
    can_read_suggestions,
    can_view_case,
    require_view_case,
)
from tests.domain.test_permissions import (
    ADMIN,
    KECAMATAN,
    KESBANG,
    OTHER_KECAMATAN,
    PELAYANAN,
    PERANGKAT,
    PMD,
    PPD,
    STAF_WITHOUT_SEKSI,
    TRANTIB,
)

KONFLIK = IncidentKind.KONFLIK
TRANTIBUM = IncidentKind.TRANTIBUM
SOMEONE_ELSE = 99  # the reporter id of a case reported by another person

# user, may open a conflict / a trantibum event of someone else, may read the suggestions
MATRIX: list[tuple[str, User | None, bool, bool, bool]] = [
    ("admin", ADMIN, True, True, True),
    ("kesbang", KESBANG, True, False, False),
    ("trantib", TRANTIB, False, True, False),
    ("ppd", PPD, False, False, False),
    ("pmd", PMD, False, False, False),
    ("pelayanan", PELAYANAN, False, False, True),
    ("staf tanpa seksi", STAF_WITHOUT_SEKSI, False, False, False),
    ("perangkat desa", PERANGKAT, False, False, False),
    ("stranger", None, False, False, False),
]


@pytest.mark.parametrize(
    ("person", "konflik", "trantibum", "saran"),
    [row[1:] for row in MATRIX],
    ids=[row[0] for row in MATRIX],
)
def test_who_may_open_a_case_of_someone_else_and_read_the_suggestions(
    person: User | None, konflik: bool, trantibum: bool, saran: bool
) -> None:
    assert can_view_case(person, KONFLIK, KECAMATAN, SOMEONE_ELSE) is konflik
    assert can_view_case(person, TRANTIBUM, KECAMATAN, SOMEONE_ELSE) is trantibum
    assert can_view_case(person, KONFLIK, KECAMATAN, None) is konflik
    assert can_read_suggestions(person, KECAMATAN) is saran


@pytest.mark.parametrize("person", [PPD, PMD, PELAYANAN, PERANGKAT, KESBANG], ids=str)
def test_every_active_reporter_may_open_their_own_case(person: User) -> None:
    for kind in IncidentKind:
        assert can_view_case(person, kind, KECAMATAN, person.id)
        assert require_view_case(person, kind, KECAMATAN, person.id) == person


@pytest.mark.parametrize("status", [UserStatus.DISABLED, UserStatus.PENDING, UserStatus.REJECTED])
def test_a_reporter_who_is_no_longer_active_may_not(status: UserStatus) -> None:
    former = replace(PERANGKAT, status=status)
    assert not can_view_case(former, KONFLIK, KECAMATAN, former.id)
    with pytest.raises(Forbidden):
        require_view_case(former, KONFLIK, KECAMATAN, former.id)
    assert not can_read_suggestions(replace(ADMIN, status=status), KECAMATAN)


def test_nothing_of_another_kecamatan() -> None:
    assert not can_view_case(ADMIN, KONFLIK, OTHER_KECAMATAN, SOMEONE_ELSE)
    assert not can_read_suggestions(ADMIN, OTHER_KECAMATAN)
    assert not can_read_suggestions(PELAYANAN, OTHER_KECAMATAN)
    with pytest.raises(Forbidden, match="ditindaklanjuti oleh staf Seksi Kesatuan Bangsa"):
        require_view_case(TRANTIB, KONFLIK, KECAMATAN, SOMEONE_ELSE)
