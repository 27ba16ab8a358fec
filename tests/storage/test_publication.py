"""domain.publication on a real database (SQLite and PostgreSQL): the figures of IKU 5."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from domain.errors import InvalidInput, NotFound
from domain.models import IndicatorCode, Kecamatan
from domain.period import Period
from domain.ports import UnitOfWork
from domain.publication import poster_services, skm_publication
from domain.report import iku_report
from tests.bot.test_export_workbook import seed_known_year
from tests.bot.test_publication_documents import NRR

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def known(uow_factory: Callable[[], UnitOfWork], larangan: Kecamatan) -> Kecamatan:
    seed_known_year(uow_factory)
    return larangan


def test_the_publication_has_the_figures_of_iku_5(
    uow_factory: Callable[[], UnitOfWork], known: Kecamatan
) -> None:
    period = Period.semester(2026, 1)
    with uow_factory() as uow:
        data = skm_publication(uow, kecamatan=known, period=period, now=NOW)
        report = iku_report(uow, kecamatan_code=known.kode, period=period, now=NOW)
    assert data.result is not None
    assert data.result.nik == Decimal("91.48")
    assert report.row(IndicatorCode.SKM).realisasi == data.result.nik
    assert data.result.mutu == "A"
    assert (data.respondents, data.population, data.min_sample) == (29, 30, 28)
    assert data.sufficient is True
    assert [str(line.nrr) for line in data.unsur] == [value.replace(",", ".") for value in NRR]


def test_a_period_without_responses_has_no_result_and_no_bars(
    uow_factory: Callable[[], UnitOfWork], known: Kecamatan
) -> None:
    with uow_factory() as uow:
        data = skm_publication(uow, kecamatan=known, period=Period.semester(2026, 2), now=NOW)
    assert data.result is None
    assert data.respondents == 0
    assert data.unsur == []
    assert data.sufficient is False  # 0 of the minimum 28


def test_poster_services_one_all_or_the_general_link(
    uow_factory: Callable[[], UnitOfWork], known: Kecamatan
) -> None:
    with uow_factory() as uow:
        assert poster_services(uow, kecamatan=known, kode=None, every=False) == [None]
        [ktp] = poster_services(uow, kecamatan=known, kode=" ktp ", every=False)
        assert ktp is not None
        assert ktp.nama == "Rekomendasi KTP-el"
        every = poster_services(uow, kecamatan=known, kode=None, every=True)
        assert [s.kode for s in every if s is not None] == ["kk", "ktp"]
        with pytest.raises(NotFound, match="tidak ada di Kecamatan Larangan"):
            poster_services(uow, kecamatan=known, kode="pbg", every=False)
        with pytest.raises(InvalidInput, match="bukan keduanya"):
            poster_services(uow, kecamatan=known, kode="ktp", every=True)


def test_poster_services_refuse_an_office_without_active_services(
    uow_factory: Callable[[], UnitOfWork], larangan: Kecamatan
) -> None:
    with uow_factory() as uow, pytest.raises(NotFound, match="Belum ada layanan SKM aktif"):
        poster_services(uow, kecamatan=larangan, kode=None, every=True)
