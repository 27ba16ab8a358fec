"""The Excel report's queries on SQLite and PostgreSQL: lists, GROUP BY counts, anonymity."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine

from domain.models import (
    Desa,
    IncidentKind,
    IncidentStatus,
    Kecamatan,
    KonflikStage,
    Role,
    SkmResponse,
    SkmService,
    User,
)
from domain.ports import IncidentRecord, SkmSuggestion, UnitOfWork
from domain.skm import UNSUR
from tests.factories import add_user, make_incident
from tests.storage.builders import captured_statements, jakarta

AGES = (15, 25, 35, 45, 55, 65)


def _officer(uow: UnitOfWork, kec: Kecamatan, desa: Desa) -> User:
    return add_user(
        uow,
        Role.PERANGKAT_DESA,
        telegram_id=920001,
        nama="Siti Aminah",
        jabatan="Sekretaris Desa",
        kecamatan_id=kec.id,
        desa_id=desa.id,
    )


def test_incidents_lists_one_kind_by_event_date_with_desa_and_reporter(
    uow_factory: Callable[[], UnitOfWork],
    larangan: Kecamatan,
    desa: list[Desa],
    pademawu_desa: list[Desa],
    engine: Engine,
) -> None:
    """Event dates 1 January and 30 June are inside semester 1 (inclusive), 31 December
    2025 and 1 July are not; trantibum and the other kecamatan are never listed; order is
    by event date although the later event was received first."""
    with uow_factory() as uow:
        siti = _officer(uow, larangan, desa[0])
        late = uow.incidents.add(
            make_incident(
                desa[1],
                event_date=date(2026, 6, 30),
                received_at=jakarta(2026, 6, 30, 8),
                reporter_id=siti.id,
            )
        )
        first = uow.incidents.add(
            make_incident(
                desa[0],
                event_date=date(2026, 1, 1),
                received_at=jakarta(2026, 7, 2, 6, 30),  # reported late, poor signal
                category="lainnya",
            )
        )
        for day in (date(2025, 12, 31), date(2026, 7, 1)):
            uow.incidents.add(
                make_incident(desa[2], event_date=day, received_at=jakarta(2026, 7, 2))
            )
        uow.incidents.add(
            make_incident(desa[3], kind=IncidentKind.TRANTIBUM, event_date=date(2026, 3, 3))
        )
        uow.incidents.add(make_incident(pademawu_desa[0], event_date=date(2026, 3, 3)))
        uow.incidents.change_status(
            late.id,
            to_status=IncidentStatus.TERTANGANI,
            note="Selesai dimediasi",
            user_id=siti.id,
            at=jakarta(2026, 7, 1, 10),
            expected_version=late.version,
        )
        uow.commit()
    with uow_factory() as uow, captured_statements(engine) as captured:
        listed = uow.exports.incidents(
            larangan.id, IncidentKind.KONFLIK, date(2026, 1, 1), date(2026, 6, 30)
        )
    assert len(captured.sql) == 1  # one joined query, no query per incident
    assert listed == [
        IncidentRecord(
            nomor=first.nomor,
            kind=IncidentKind.KONFLIK,
            event_date=date(2026, 1, 1),
            received_at=datetime(2026, 7, 1, 23, 30, tzinfo=UTC),
            desa_kode="35.28.08.2001",
            desa_nama="Peltong",
            category="lainnya",
            category_detail=None,
            stage=None,
            status=IncidentStatus.BARU,
            handled_at=None,
            description="Warga melaporkan kejadian di balai desa",
            reporter_nama=None,
            reporter_jabatan=None,
        ),
        IncidentRecord(
            nomor=late.nomor,
            kind=IncidentKind.KONFLIK,
            event_date=date(2026, 6, 30),
            received_at=datetime(2026, 6, 30, 1, 0, tzinfo=UTC),
            desa_kode="35.28.08.2002",
            desa_nama="Blumbungan",
            category="sengketa_lahan",
            category_detail=None,
            stage=None,
            status=IncidentStatus.TERTANGANI,
            handled_at=datetime(2026, 7, 1, 3, 0, tzinfo=UTC),
            description="Warga melaporkan kejadian di balai desa",
            reporter_nama="Siti Aminah",
            reporter_jabatan="Sekretaris Desa",
            reporter_id=siti.id,
        ),
    ]


def test_incidents_carry_the_stage_and_the_category_detail(
    uow_factory: Callable[[], UnitOfWork], larangan: Kecamatan, desa: list[Desa]
) -> None:
    with uow_factory() as uow:
        uow.incidents.add(
            replace(
                make_incident(desa[0], category="lainnya"),
                stage=KonflikStage.POTENSI,
                category_detail="Rebutan sumur",
            )
        )
        uow.commit()
    with uow_factory() as uow:
        (item,) = uow.exports.incidents(
            larangan.id, IncidentKind.KONFLIK, date(2026, 1, 1), date(2026, 12, 31)
        )
    assert (item.stage, item.category, item.category_detail) == (
        "potensi",
        "lainnya",
        "Rebutan sumur",
    )


def _response(kec: Kecamatan, day: date, **profile: object) -> SkmResponse:
    return SkmResponse(
        kecamatan_id=kec.id,
        survey_date=day,
        answers=dict.fromkeys(UNSUR, 3),
        **profile,  # type: ignore[arg-type]
    )


def test_skm_profile_is_counted_by_the_database_per_answer_and_age_group(
    uow_factory: Callable[[], UnitOfWork],
    larangan: Kecamatan,
    pademawu: Kecamatan,
    engine: Engine,
) -> None:
    """Ages 15, 24 -> 15-24 (2); 25 -> 25-34; 64 -> 55-64; 65, 100 -> 65+ (2); one blank.
    L 4, P 2, blank 1. The response of 1 July, and Pademawu's, are not counted."""
    profiles: list[dict[str, object]] = [
        {"jenis_kelamin": "L", "usia": 15, "pendidikan": "SMA", "pekerjaan": "PNS"},
        {"jenis_kelamin": "L", "usia": 24, "pendidikan": "SMA", "pekerjaan": "Swasta"},
        {"jenis_kelamin": "P", "usia": 25, "pendidikan": "S1", "pekerjaan": "Swasta"},
        {"jenis_kelamin": "P", "usia": 64, "pendidikan": "S1", "pekerjaan": "Lainnya"},
        {"jenis_kelamin": "L", "usia": 65},
        {"jenis_kelamin": "L", "usia": 100, "pendidikan": "SD"},
        {},
    ]
    with uow_factory() as uow:
        for index, profile in enumerate(profiles):
            uow.skm.add_response(_response(larangan, date(2026, 1, 1 + index), **profile))
        uow.skm.add_response(_response(larangan, date(2026, 7, 1), jenis_kelamin="P", usia=30))
        uow.skm.add_response(_response(pademawu, date(2026, 3, 1), jenis_kelamin="P", usia=30))
        uow.commit()
    with uow_factory() as uow, captured_statements(engine) as captured:
        counts = uow.exports.skm_profile(larangan.id, date(2026, 1, 1), date(2026, 6, 30), AGES)
    assert counts.jenis_kelamin == {"L": 4, "P": 2, None: 1}
    assert counts.usia == {15: 2, 25: 1, 55: 1, 65: 2, None: 1}
    assert counts.pendidikan == {"SMA": 2, "S1": 2, "SD": 1, None: 2}
    assert counts.pekerjaan == {"PNS": 1, "Swasta": 2, "Lainnya": 1, None: 3}
    # Four GROUP BY counts; no answer, suggestion or row of a response is read.
    assert len(captured.sql) == 4
    for sql in captured.sql:
        lowered = sql.lower()
        assert "group by" in lowered
        assert "count(" in lowered
        assert "saran" not in lowered
        assert "u_persyaratan" not in lowered


def test_skm_profile_refuses_age_groups_out_of_order(
    uow_factory: Callable[[], UnitOfWork], larangan: Kecamatan
) -> None:
    with uow_factory() as uow, pytest.raises(ValueError, match="naik"):
        uow.exports.skm_profile(larangan.id, date(2026, 1, 1), date(2026, 6, 30), (25, 15))


def test_skm_suggestions_give_day_service_and_text_only(
    uow_factory: Callable[[], UnitOfWork],
    larangan: Kecamatan,
    pademawu: Kecamatan,
    engine: Engine,
) -> None:
    """Empty and missing suggestions are left out; within a day, responses without a
    service come first, then by service name and text, whatever the insertion order."""
    with uow_factory() as uow:
        ktp = uow.skm.add_service(SkmService(0, larangan.id, "ktp", "Rekomendasi KTP-el", 100))
        akta = uow.skm.add_service(SkmService(0, larangan.id, "akta", "Akta Kelahiran", 50))
        day = date(2026, 5, 4)
        for service_id, saran in (
            (ktp.id, "Ruang tunggu panas"),
            (akta.id, "Petugas cepat"),
            (None, "Parkir sempit"),
            (ktp.id, "Antrean tertib"),
            (ktp.id, None),
            (akta.id, ""),
        ):
            uow.skm.add_response(_response(larangan, day, service_id=service_id, saran=saran))
        uow.skm.add_response(_response(larangan, date(2026, 5, 3), saran="Hari sebelumnya"))
        uow.skm.add_response(_response(larangan, date(2026, 7, 1), saran="Semester 2"))
        uow.skm.add_response(_response(pademawu, day, saran="Kecamatan lain"))
        uow.commit()
    with uow_factory() as uow, captured_statements(engine) as captured:
        found = uow.exports.skm_suggestions(larangan.id, date(2026, 1, 1), date(2026, 6, 30))
    assert found == [
        SkmSuggestion(date(2026, 5, 3), None, "Hari sebelumnya"),
        SkmSuggestion(day, None, "Parkir sempit"),
        SkmSuggestion(day, "Akta Kelahiran", "Petugas cepat"),
        SkmSuggestion(day, "Rekomendasi KTP-el", "Antrean tertib"),
        SkmSuggestion(day, "Rekomendasi KTP-el", "Ruang tunggu panas"),
    ]
    (sql,) = captured.sql
    selected = re.split(r"\sfrom\s", sql.lower())[0]
    assert "skm_response.id" not in selected
    assert "created_at" not in selected
    assert "usia" not in selected
