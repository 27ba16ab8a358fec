"""Example services: a fresh install can run the SKM at once, an admin confirms or removes.

The packaged data of Larangan lists the office's usual services (``layanan_contoh``).
A kecamatan without any service gets them once, active and marked as examples; the
admin confirms the ones the office offers and removes the others, and no response is
ever lost. Every test runs on SQLite and on PostgreSQL (tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from domain.errors import InvalidInput, NotFound
from domain.models import Kecamatan, SkmResponse, SkmService
from domain.ports import KecamatanSeed, ServiceSeed, UnitOfWork
from domain.skm import UNSUR
from domain.usecases import (
    add_service,
    confirm_example_service,
    remove_example_service,
    update_service,
)
from storage.seed import packaged_kecamatan, parse_kecamatan, seed_kecamatan
from storage.tables import AuditLogRow
from tests.storage.builders import PADEMAWU

UowFactory = Callable[[], UnitOfWork]
T = TypeVar("T")

LARANGAN_EXAMPLES = [
    ("dispensasi", "Dispensasi Nikah"),
    ("kk", "Kartu Keluarga"),
    ("ktp", "Rekomendasi KTP-el"),
    ("pbg", "Rekomendasi PBG"),
    ("sktm", "Surat Keterangan Tidak Mampu (SKTM)"),
    ("pindah", "Surat Pindah"),
]  # by name, as list_services gives them


def _packaged() -> KecamatanSeed:
    seed = packaged_kecamatan("35.28.08")
    assert seed is not None
    return seed


def _seed(uow_factory: UowFactory, seed: KecamatanSeed | None = None) -> int:
    with uow_factory() as uow:
        changed = seed_kecamatan(uow, _packaged() if seed is None else seed)
        uow.commit()
    return changed


def _kecamatan(uow_factory: UowFactory, kode: str = "35.28.08") -> Kecamatan:
    with uow_factory() as uow:
        kec = uow.kecamatan.get_by_code(kode)
    assert kec is not None
    return kec


def _services(uow_factory: UowFactory, kec: Kecamatan) -> list[SkmService]:
    with uow_factory() as uow:
        return uow.skm.list_services(kec.id)


def _respond(uow_factory: UowFactory, service: SkmService, times: int = 1) -> None:
    with uow_factory() as uow:
        for _ in range(times):
            uow.skm.add_response(
                SkmResponse(
                    kecamatan_id=service.kecamatan_id,
                    survey_date=date(2026, 3, 10),
                    answers=dict.fromkeys(UNSUR, 3),
                    service_id=service.id,
                )
            )
        uow.commit()


def _run(uow_factory: UowFactory, work: Callable[[UnitOfWork], T]) -> T:
    with uow_factory() as uow:
        result = work(uow)
        uow.commit()
    return result


@pytest.fixture
def fresh(uow_factory: UowFactory) -> Kecamatan:
    """Larangan seeded on a fresh database from the packaged file, examples and all."""
    assert _seed(uow_factory) == 1 + 14 + 6
    return _kecamatan(uow_factory)


# --- seeding ---------------------------------------------------------------------------------


def test_a_fresh_install_has_the_six_usual_services_as_active_examples(
    fresh: Kecamatan, uow_factory: UowFactory
) -> None:
    services = _services(uow_factory, fresh)
    assert [(s.kode, s.nama) for s in services] == LARANGAN_EXAMPLES
    assert all(s.active and s.example and s.population is None for s in services)
    assert all(s.kecamatan_id == fresh.id for s in services)


def test_seeding_again_adds_nothing(fresh: Kecamatan, uow_factory: UowFactory) -> None:
    before = _services(uow_factory, fresh)
    assert _seed(uow_factory) == 0
    assert _seed(uow_factory) == 0
    assert _services(uow_factory, fresh) == before


def test_removed_examples_do_not_come_back(fresh: Kecamatan, uow_factory: UowFactory) -> None:
    for kode, _ in LARANGAN_EXAMPLES:
        with uow_factory() as uow:
            remove_example_service(uow, kecamatan_id=fresh.id, kode=kode, actor="cli")
            uow.commit()
    assert _services(uow_factory, fresh) == []
    assert _seed(uow_factory) == 0
    assert _services(uow_factory, fresh) == []


def test_deactivated_examples_do_not_come_back(fresh: Kecamatan, uow_factory: UowFactory) -> None:
    for kode, _ in LARANGAN_EXAMPLES:
        with uow_factory() as uow:
            update_service(uow, kecamatan_id=fresh.id, kode=kode, active=False, actor="cli")
            uow.commit()
    assert _seed(uow_factory) == 0
    services = _services(uow_factory, fresh)
    assert [s.kode for s in services] == [kode for kode, _ in LARANGAN_EXAMPLES]
    assert not any(s.active for s in services)


def test_a_kecamatan_with_services_already_gets_no_examples_then_or_later(
    uow_factory: UowFactory,
) -> None:
    # An install from before the examples: Larangan and one service of its own.
    assert _seed(uow_factory, replace(_packaged(), layanan_contoh=())) == 15
    kec = _kecamatan(uow_factory)
    _run(
        uow_factory,
        lambda uow: add_service(
            uow, kecamatan_id=kec.id, kode="dom", nama="Domisili", population=None, actor="cli"
        ),
    )
    assert _seed(uow_factory) == 0
    assert [(s.kode, s.example) for s in _services(uow_factory, kec)] == [("dom", False)]
    # Its one service retired and deleted by hand: the examples were offered already.
    with uow_factory() as uow:
        (dom,) = uow.skm.list_services(kec.id)
        uow.skm.delete_service(dom.id)
        uow.commit()
    assert _seed(uow_factory) == 0
    assert _services(uow_factory, kec) == []


def test_a_file_without_examples_leaves_them_to_a_later_file_that_has_some(
    uow_factory: UowFactory,
) -> None:
    plain = parse_kecamatan(PADEMAWU, "pademawu.json")
    assert plain.layanan_contoh == ()
    assert _seed(uow_factory, plain) == 3
    kec = _kecamatan(uow_factory, "35.28.09")
    assert _services(uow_factory, kec) == []
    with_examples = replace(plain, layanan_contoh=(ServiceSeed("domisili", "Surat Domisili"),))
    assert _seed(uow_factory, with_examples) == 1
    assert _seed(uow_factory, with_examples) == 0
    (service,) = _services(uow_factory, kec)
    assert (service.kode, service.nama, service.active, service.example) == (
        "domisili",
        "Surat Domisili",
        True,
        True,
    )


def test_examples_are_offered_to_each_kecamatan_on_its_own(
    fresh: Kecamatan, uow_factory: UowFactory
) -> None:
    other = parse_kecamatan({**PADEMAWU, "layanan_contoh": [{"kode": "ktp", "nama": "KTP"}]}, "p")
    assert _seed(uow_factory, other) == 3 + 1
    pademawu = _kecamatan(uow_factory, "35.28.09")
    assert [s.kode for s in _services(uow_factory, pademawu)] == ["ktp"]
    assert len(_services(uow_factory, fresh)) == 6


# --- confirming and removing -----------------------------------------------------------------


def test_a_confirmed_example_is_a_normal_active_service(
    fresh: Kecamatan, uow_factory: UowFactory
) -> None:
    confirmed = _run(
        uow_factory,
        lambda uow: confirm_example_service(uow, kecamatan_id=fresh.id, kode=" KTP ", actor="cli"),
    )
    assert (confirmed.kode, confirmed.active, confirmed.example) == ("ktp", True, False)
    with uow_factory() as uow:
        assert uow.skm.get_service_by_code(fresh.id, "ktp") == confirmed
    # Confirmed once: the second time it is not an example any more.
    with uow_factory() as uow, pytest.raises(InvalidInput, match="bukan layanan contoh"):
        confirm_example_service(uow, kecamatan_id=fresh.id, kode="ktp", actor="cli")
    assert _seed(uow_factory) == 0


def test_an_example_without_responses_is_removed_for_good(
    fresh: Kecamatan, uow_factory: UowFactory
) -> None:
    removal = _run(
        uow_factory,
        lambda uow: remove_example_service(uow, kecamatan_id=fresh.id, kode="pbg", actor="cli"),
    )
    assert (removal.deleted, removal.responses) == (True, 0)
    assert "pbg" not in [s.kode for s in _services(uow_factory, fresh)]
    with uow_factory() as uow:
        assert uow.skm.get_service_by_code(fresh.id, "pbg") is None


def test_an_example_with_responses_is_deactivated_and_its_responses_kept(
    fresh: Kecamatan, uow_factory: UowFactory
) -> None:
    with uow_factory() as uow:
        kk = uow.skm.get_service_by_code(fresh.id, "kk")
    assert kk is not None
    _respond(uow_factory, kk, times=3)
    removal = _run(
        uow_factory,
        lambda uow: remove_example_service(uow, kecamatan_id=fresh.id, kode="kk", actor="cli"),
    )
    assert (removal.deleted, removal.responses) == (False, 3)
    with uow_factory() as uow:
        stored = uow.skm.get_service(kk.id)
        assert uow.skm.count_responses(kk.id) == 3
        totals = uow.skm.totals(fresh.id, date(2026, 1, 1), date(2026, 12, 31), kk.id)
    assert stored == replace(kk, active=False, example=False)
    assert totals.respondents == 3
    # No longer an example: removing it again is refused, seeding brings nothing back.
    with uow_factory() as uow, pytest.raises(InvalidInput, match="bukan layanan contoh"):
        remove_example_service(uow, kecamatan_id=fresh.id, kode="kk", actor="cli")
    assert _seed(uow_factory) == 0


def test_only_examples_are_confirmed_or_removed(fresh: Kecamatan, uow_factory: UowFactory) -> None:
    _run(
        uow_factory,
        lambda uow: add_service(
            uow, kecamatan_id=fresh.id, kode="dom", nama="Domisili", population=None, actor="cli"
        ),
    )
    for use_case in (confirm_example_service, remove_example_service):
        with uow_factory() as uow, pytest.raises(InvalidInput, match=r"dom .*bukan layanan contoh"):
            use_case(uow, kecamatan_id=fresh.id, kode="dom", actor="cli")
        with uow_factory() as uow, pytest.raises(NotFound, match="akta belum terdaftar"):
            use_case(uow, kecamatan_id=fresh.id, kode="akta", actor="cli")
    assert [s.kode for s in _services(uow_factory, fresh) if not s.example] == ["dom"]


def test_confirming_and_removing_are_audited_and_wait_for_the_callers_commit(
    fresh: Kecamatan, uow_factory: UowFactory, session_factory: sessionmaker[Session]
) -> None:
    with uow_factory() as uow:
        confirm_example_service(uow, kecamatan_id=fresh.id, kode="ktp", actor="cli")
        remove_example_service(uow, kecamatan_id=fresh.id, kode="pbg", actor="cli")
        # not committed: undone when the unit of work ends
    services = _services(uow_factory, fresh)
    assert len(services) == 6
    assert all(s.example for s in services)
    assert _audit_entries(session_factory) == []
    with uow_factory() as uow:
        kk = uow.skm.get_service_by_code(fresh.id, "kk")
    assert kk is not None
    _respond(uow_factory, kk)
    with uow_factory() as uow:
        confirm_example_service(uow, kecamatan_id=fresh.id, kode="ktp", actor="bot:900001")
        remove_example_service(uow, kecamatan_id=fresh.id, kode="pbg", actor="cli")
        remove_example_service(uow, kecamatan_id=fresh.id, kode="kk", actor="cli")
        uow.commit()
    assert _audit_entries(session_factory) == [
        (
            "bot:900001",
            "confirm_service",
            "skm_service",
            "ktp",
            {"nama": "Rekomendasi KTP-el", "aktif": True},
        ),
        (
            "cli",
            "remove_service",
            "skm_service",
            "pbg",
            {"nama": "Rekomendasi PBG", "tanggapan": 0, "dihapus": True},
        ),
        (
            "cli",
            "remove_service",
            "skm_service",
            "kk",
            {"nama": "Kartu Keluarga", "tanggapan": 1, "dihapus": False},
        ),
    ]


def _audit_entries(sessions: sessionmaker[Session]) -> list[tuple[Any, ...]]:
    with sessions() as session:
        rows = session.scalars(select(AuditLogRow).order_by(col(AuditLogRow.id)))
        return [(r.actor, r.action, r.entity, r.entity_id, r.detail) for r in rows]


def test_the_database_refuses_to_delete_a_service_that_responses_name(
    fresh: Kecamatan, uow_factory: UowFactory
) -> None:
    with uow_factory() as uow:
        kk = uow.skm.get_service_by_code(fresh.id, "kk")
    assert kk is not None
    _respond(uow_factory, kk)
    with uow_factory() as uow, pytest.raises(IntegrityError):
        uow.skm.delete_service(kk.id)
    with uow_factory() as uow:
        assert uow.skm.count_responses(kk.id) == 1
        assert uow.skm.get_service(kk.id) == kk
