"""The kabupaten recap on the in-memory fakes: which kecamatan belong, and empty periods."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from domain.errors import NotFound
from domain.kabupaten import kabupaten_kecamatan, kabupaten_recap
from domain.period import Period
from storage.seed import packaged_kecamatan, parse_kecamatan, seed_kecamatan
from tests.factories import CERMEE
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


def test_the_kecamatan_of_a_kabupaten_are_those_under_its_code(db: InMemoryDatabase) -> None:
    with db.unit_of_work() as uow:
        assert [k.nama for k in kabupaten_kecamatan(uow, "35.28")] == ["Larangan", "Pademawu"]
        assert [k.nama for k in kabupaten_kecamatan(uow, "35.11")] == ["Cermee"]
        assert kabupaten_kecamatan(uow, "35.2") == []  # a code prefix is not a kabupaten


def test_a_period_without_any_data_has_no_totals_instead_of_zeros(db: InMemoryDatabase) -> None:
    with db.unit_of_work() as uow:
        recap = kabupaten_recap(
            uow, kabupaten_code="35.28", period=Period.semester(2026, 1), now=NOW
        )
    assert recap.nama == "Pamekasan"
    assert [r.kecamatan.kode for r in recap.kecamatan] == ["35.28.08", "35.28.09"]
    total = recap.total
    assert total.desa_count == 16
    assert total.mandiri is None  # no IDM data at all: not 0
    assert total.tematik == 0
    assert total.konflik.no_events
    assert total.trantibum.percent is None
    assert total.skm is None
    assert total.skm_respondents == 0


def test_an_unknown_kabupaten_is_not_found(db: InMemoryDatabase) -> None:
    with db.unit_of_work() as uow, pytest.raises(NotFound, match=r"35\.99 belum punya kecamatan"):
        kabupaten_recap(uow, kabupaten_code="35.99", period=Period.year(2026), now=NOW)
