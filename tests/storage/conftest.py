"""Fixtures of the storage integration tests: the desa of Larangan and a second kecamatan."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.models import Desa, Kecamatan
from domain.ports import UnitOfWork
from storage.seed import parse_kecamatan, seed_kecamatan
from tests.storage.builders import PADEMAWU


@pytest.fixture
def desa(larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]) -> list[Desa]:
    """The 14 desa of Larangan, ordered by Kemendagri code."""
    with uow_factory() as uow:
        return uow.desa.list_by_kecamatan(larangan.id)


@pytest.fixture
def pademawu(larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]) -> Kecamatan:
    """A second kecamatan (two desa), to prove that data does not leak between kecamatan."""
    with uow_factory() as uow:
        seed_kecamatan(uow, parse_kecamatan(PADEMAWU, "pademawu.json"))
        uow.commit()
        kec = uow.kecamatan.get_by_code("35.28.09")
    assert kec is not None
    return kec


@pytest.fixture
def pademawu_desa(pademawu: Kecamatan, uow_factory: Callable[[], UnitOfWork]) -> list[Desa]:
    """The desa of the second kecamatan."""
    with uow_factory() as uow:
        return uow.desa.list_by_kecamatan(pademawu.id)
