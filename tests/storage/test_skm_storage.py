"""SKM storage: services, anonymous responses, totals computed by the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import Engine, insert, inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from domain.models import Kecamatan, SkmResponse, SkmService
from domain.ports import SkmTotals, UnitOfWork
from domain.skm import UNSUR, UnsurTotal
from storage.tables import UNSUR_COLUMNS, SkmResponseRow
from tests.storage.builders import captured_statements, utc

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def _answers(*scores: int | None) -> dict[str, int | None]:
    """Answers in the order of UNSUR; missing trailing ones are None."""
    padded = list(scores) + [None] * (len(UNSUR) - len(scores))
    return dict(zip(UNSUR, padded, strict=True))


def _response(
    kecamatan: Kecamatan,
    survey_date: date,
    answers: dict[str, int | None],
    service: SkmService | None = None,
) -> SkmResponse:
    return SkmResponse(
        kecamatan_id=kecamatan.id,
        survey_date=survey_date,
        answers=answers,
        service_id=None if service is None else service.id,
    )


def _service(
    kecamatan: Kecamatan, kode: str, nama: str, population: int | None = None
) -> SkmService:
    return SkmService(id=0, kecamatan_id=kecamatan.id, kode=kode, nama=nama, population=population)


def _add_services(uow_factory: Callable[[], UnitOfWork], *services: SkmService) -> list[SkmService]:
    with uow_factory() as uow:
        stored = [uow.skm.add_service(s) for s in services]
        uow.commit()
    return stored


def _totals(
    uow_factory: Callable[[], UnitOfWork],
    kecamatan: Kecamatan,
    start: date,
    end: date,
    service: SkmService | None = None,
) -> SkmTotals:
    with uow_factory() as uow:
        return uow.skm.totals(kecamatan.id, start, end, None if service is None else service.id)


# --- responses -----------------------------------------------------------------------------


def test_a_response_is_stored_under_the_fixed_unsur_columns(
    larangan: Kecamatan,
    uow_factory: Callable[[], UnitOfWork],
    session_factory: sessionmaker[Session],
) -> None:
    (ktp,) = _add_services(uow_factory, _service(larangan, "KTP", "Rekomendasi KTP-el"))
    response = SkmResponse(
        kecamatan_id=larangan.id,
        survey_date=date(2026, 3, 2),
        answers=_answers(1, 2, 3, 4, 4, 3, 2, 1, None),
        service_id=ktp.id,
        jenis_kelamin="P",
        usia=34,
        pendidikan="SMA",
        pekerjaan="wiraswasta",
        saran="Antrean dipercepat",
        source="import",
    )
    with uow_factory() as uow:
        response_id = uow.skm.add_response(response)
        uow.commit()
    assert response_id > 0
    with session_factory() as session:
        row = session.get(SkmResponseRow, response_id)
        assert row is not None
        assert {c: getattr(row, c) for c in UNSUR_COLUMNS} == {
            "u_persyaratan": 1,
            "u_prosedur": 2,
            "u_waktu": 3,
            "u_biaya": 4,
            "u_produk": 4,
            "u_kompetensi": 3,
            "u_perilaku": 2,
            "u_pengaduan": 1,
            "u_sarana": None,
        }
        assert (row.kecamatan_id, row.service_id, row.survey_date) == (
            larangan.id,
            ktp.id,
            date(2026, 3, 2),
        )
        assert (row.jenis_kelamin, row.usia, row.pendidikan, row.pekerjaan) == (
            "P",
            34,
            "SMA",
            "wiraswasta",
        )
        assert (row.saran, row.source) == ("Antrean dipercepat", "import")


def test_the_database_has_one_score_column_per_domain_unsur(engine: Engine) -> None:
    assert tuple(f"u_{key}" for key in UNSUR) == UNSUR_COLUMNS
    columns = {c["name"] for c in inspect(engine).get_columns("skm_response")}
    assert {c for c in columns if c.startswith("u_")} == set(UNSUR_COLUMNS)


def test_unknown_answer_keys_are_not_stored(
    larangan: Kecamatan,
    uow_factory: Callable[[], UnitOfWork],
    session_factory: sessionmaker[Session],
) -> None:
    answers: dict[str, int | None] = {"persyaratan": 4, "telegram_id": 3}
    with uow_factory() as uow:
        response_id = uow.skm.add_response(_response(larangan, date(2026, 3, 2), answers))
        uow.commit()
    with session_factory() as session:
        row = session.get(SkmResponseRow, response_id)
        assert row is not None
        assert [getattr(row, c) for c in UNSUR_COLUMNS] == [4] + [None] * 8


@pytest.mark.parametrize("score", [0, 5, -1])
def test_a_score_outside_one_to_four_is_refused_by_the_check_constraint(
    score: int, larangan: Kecamatan, engine: Engine
) -> None:
    values = {
        "kecamatan_id": larangan.id,
        "survey_date": date(2026, 3, 2),
        "u_waktu": score,
        "source": "bot",
        "created_at": utc(2026, 3, 2),
    }
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(SkmResponseRow).values(**values))


@pytest.mark.parametrize("column", UNSUR_COLUMNS)
def test_every_unsur_column_has_the_check_constraint(
    column: str, larangan: Kecamatan, engine: Engine
) -> None:
    values = {
        "kecamatan_id": larangan.id,
        "survey_date": date(2026, 3, 2),
        column: 5,
        "source": "bot",
        "created_at": utc(2026, 3, 2),
    }
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(SkmResponseRow).values(**values))


def test_a_score_of_five_through_the_repository_is_refused_too(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow, pytest.raises(IntegrityError):
        uow.skm.add_response(_response(larangan, date(2026, 3, 2), _answers(4, 5)))
    assert _totals(uow_factory, larangan, *MARCH).respondents == 0


# --- totals --------------------------------------------------------------------------------


@pytest.fixture
def responses(
    larangan: Kecamatan, pademawu: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> dict[str, SkmService]:
    """Responses in and around March 2026, for two services and two kecamatan."""
    ktp, kk = _add_services(
        uow_factory,
        _service(larangan, "KTP", "Rekomendasi KTP-el"),
        _service(larangan, "KK", "Pengantar Kartu Keluarga"),
    )
    (other,) = _add_services(uow_factory, _service(pademawu, "KTP", "Rekomendasi KTP-el"))
    rows = [
        _response(larangan, date(2026, 2, 28), _answers(1, 1, 1, 1, 1, 1, 1, 1, 1), ktp),
        _response(larangan, date(2026, 3, 1), _answers(4, 4, 4, 4, 4, 4, 4, 4, 4), ktp),
        _response(larangan, date(2026, 3, 15), _answers(3, 3, None, 3, 3, 3, 3, 3, 3), ktp),
        _response(larangan, date(2026, 3, 31), _answers(2, None, None, 2, 2, 2, 2, 2, 2), kk),
        _response(larangan, date(2026, 3, 20), _answers(None), None),
        _response(larangan, date(2026, 4, 1), _answers(1, 1, 1, 1, 1, 1, 1, 1, 1), kk),
        _response(pademawu, date(2026, 3, 15), _answers(1, 1, 1, 1, 1, 1, 1, 1, 1), other),
    ]
    with uow_factory() as uow:
        for row in rows:
            uow.skm.add_response(row)
        uow.commit()
    return {"ktp": ktp, "kk": kk, "other": other}


def test_totals_sum_and_count_each_unsur_over_an_inclusive_date_range(
    larangan: Kecamatan, responses: dict[str, SkmService], uow_factory: Callable[[], UnitOfWork]
) -> None:
    totals = _totals(uow_factory, larangan, *MARCH)
    # 1 March (all 4), 15 March (3s, waktu missing), 31 March (2s, prosedur and waktu
    # missing), 20 March (nothing answered).
    assert totals.respondents == 4
    assert totals.totals == {
        "persyaratan": UnsurTotal(total=9, answered=3),
        "prosedur": UnsurTotal(total=7, answered=2),
        "waktu": UnsurTotal(total=4, answered=1),
        "biaya": UnsurTotal(total=9, answered=3),
        "produk": UnsurTotal(total=9, answered=3),
        "kompetensi": UnsurTotal(total=9, answered=3),
        "perilaku": UnsurTotal(total=9, answered=3),
        "pengaduan": UnsurTotal(total=9, answered=3),
        "sarana": UnsurTotal(total=9, answered=3),
    }


def test_totals_can_be_limited_to_one_service(
    larangan: Kecamatan, responses: dict[str, SkmService], uow_factory: Callable[[], UnitOfWork]
) -> None:
    ktp = _totals(uow_factory, larangan, *MARCH, responses["ktp"])
    kk = _totals(uow_factory, larangan, *MARCH, responses["kk"])
    assert ktp.respondents == 2
    assert ktp.totals["persyaratan"] == UnsurTotal(total=7, answered=2)
    assert ktp.totals["waktu"] == UnsurTotal(total=4, answered=1)
    assert kk.respondents == 1
    assert kk.totals["persyaratan"] == UnsurTotal(total=2, answered=1)
    assert kk.totals["prosedur"] == UnsurTotal(total=0, answered=0)


def test_totals_are_kept_per_kecamatan(
    pademawu: Kecamatan, responses: dict[str, SkmService], uow_factory: Callable[[], UnitOfWork]
) -> None:
    totals = _totals(uow_factory, pademawu, *MARCH)
    assert totals.respondents == 1
    assert set(totals.totals.values()) == {UnsurTotal(total=1, answered=1)}


def test_totals_of_a_single_day_include_that_day(
    larangan: Kecamatan, responses: dict[str, SkmService], uow_factory: Callable[[], UnitOfWork]
) -> None:
    first = _totals(uow_factory, larangan, date(2026, 3, 1), date(2026, 3, 1))
    last = _totals(uow_factory, larangan, date(2026, 3, 31), date(2026, 3, 31))
    assert (first.respondents, first.totals["sarana"]) == (1, UnsurTotal(4, 1))
    assert (last.respondents, last.totals["sarana"]) == (1, UnsurTotal(2, 1))


def test_totals_without_responses_are_zero_for_every_unsur(
    larangan: Kecamatan, responses: dict[str, SkmService], uow_factory: Callable[[], UnitOfWork]
) -> None:
    totals = _totals(uow_factory, larangan, date(2025, 1, 1), date(2025, 12, 31))
    assert totals == SkmTotals(
        respondents=0, totals={key: UnsurTotal(total=0, answered=0) for key in UNSUR}
    )


def test_totals_are_one_aggregate_query_in_the_database(
    larangan: Kecamatan,
    responses: dict[str, SkmService],
    uow_factory: Callable[[], UnitOfWork],
    engine: Engine,
) -> None:
    with uow_factory() as uow:
        uow.skm.list_services(larangan.id)  # the connection is checked out already
        with captured_statements(engine) as statements:
            totals = uow.skm.totals(larangan.id, *MARCH)
    assert totals.respondents == 4
    assert len(statements.sql) == 1
    sql = statements.sql[0].lower()
    assert sql.lstrip().startswith("select")
    assert sql.count("count(") == 1 + len(UNSUR)
    assert sql.count("sum(") == len(UNSUR)
    assert "group by" not in sql  # an aggregate without GROUP BY is a single row
    if engine.dialect.name == "postgresql":
        assert statements.rowcounts == [1]


# --- services ------------------------------------------------------------------------------


def test_a_service_is_added_with_an_id(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    (stored,) = _add_services(
        uow_factory, _service(larangan, "DOM", "Surat Keterangan Domisili", population=1200)
    )
    assert stored.id > 0
    assert stored == SkmService(
        stored.id, larangan.id, "DOM", "Surat Keterangan Domisili", 1200, True
    )
    with uow_factory() as uow:
        assert uow.skm.get_service_by_code(larangan.id, "DOM") == stored


@pytest.mark.parametrize("typed", ["DOM", "dom", " Dom "])
def test_a_service_is_found_by_its_code_whatever_the_case(
    typed: str, larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    (stored,) = _add_services(uow_factory, _service(larangan, "DOM", "Surat Keterangan Domisili"))
    with uow_factory() as uow:
        assert uow.skm.get_service_by_code(larangan.id, typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["Surat Keterangan Domisili", "surat keterangan domisili", "  SURAT   keterangan\tDomisili "],
)
def test_a_service_is_found_by_its_name_ignoring_case_and_extra_spaces(
    typed: str, larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    (stored,) = _add_services(uow_factory, _service(larangan, "DOM", "Surat Keterangan Domisili"))
    with uow_factory() as uow:
        assert uow.skm.find_service_by_name(larangan.id, typed) == stored
        assert uow.skm.find_service_by_name(larangan.id, "Surat Keterangan") is None


def test_services_are_found_only_in_their_own_kecamatan(
    larangan: Kecamatan, pademawu: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    _add_services(uow_factory, _service(larangan, "DOM", "Surat Keterangan Domisili"))
    with uow_factory() as uow:
        assert uow.skm.get_service_by_code(pademawu.id, "DOM") is None
        assert uow.skm.find_service_by_name(pademawu.id, "Surat Keterangan Domisili") is None
        assert uow.skm.list_services(pademawu.id) == []


def test_services_are_listed_by_name(
    larangan: Kecamatan, pademawu: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    _add_services(
        uow_factory,
        _service(larangan, "SKTM", "Surat Keterangan Tidak Mampu"),
        _service(larangan, "AW", "Akta Waris"),
        _service(pademawu, "IMB", "Izin Mendirikan Bangunan"),
        _service(larangan, "KK", "Pengantar Kartu Keluarga"),
    )
    with uow_factory() as uow:
        names = [s.nama for s in uow.skm.list_services(larangan.id)]
    assert names == ["Akta Waris", "Pengantar Kartu Keluarga", "Surat Keterangan Tidak Mampu"]


def test_a_service_code_is_unique_within_a_kecamatan(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    _add_services(uow_factory, _service(larangan, "DOM", "Surat Keterangan Domisili"))
    with uow_factory() as uow, pytest.raises(IntegrityError):
        uow.skm.add_service(_service(larangan, "DOM", "Domisili Usaha"))


def test_the_same_service_code_may_exist_in_another_kecamatan(
    larangan: Kecamatan, pademawu: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    ours, theirs = _add_services(
        uow_factory,
        _service(larangan, "DOM", "Surat Keterangan Domisili"),
        _service(pademawu, "DOM", "Surat Keterangan Domisili"),
    )
    assert ours.id != theirs.id
    with uow_factory() as uow:
        assert uow.skm.get_service_by_code(larangan.id, "dom") == ours
        assert uow.skm.get_service_by_code(pademawu.id, "dom") == theirs
