"""An admin's corrections and voids, stored on both engines (and on the fake alike).

A change of kind takes the next number of the new kind and keeps the old one in the
corrections; every change leaves correction rows, a history entry (status unchanged)
and an audit entry; a refusal writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.digest.text import digest_sections
from domain.corrections import Changes, correct_incident, void_duplicate
from domain.digest import IsoWeek, WeeklyDigest, weekly_digest
from domain.errors import InvalidInput, NotFound
from domain.incidents import IncidentDraft, follow_up, submit_incident
from domain.models import (
    Desa,
    Incident,
    IncidentKind,
    IncidentStatus,
    IndicatorCode,
    Kecamatan,
    KonflikStage,
    Role,
    Seksi,
    User,
)
from domain.period import Period
from domain.permissions import Forbidden
from domain.ports import UnitOfWork
from domain.report import iku_report
from storage.seed import packaged_kecamatan, seed_kecamatan
from tests.factories import store_user
from tests.fakes import InMemoryDatabase

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 3, 5, 10, 0, tzinfo=WIB)
LATER = datetime(2026, 3, 6, 9, 0, tzinfo=WIB)
REASON = "Pelapor salah memilih jenis kejadian"


@pytest.fixture(params=["sql", "fake"])
def uows(
    request: pytest.FixtureRequest, larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> Callable[[], UnitOfWork]:
    """The SQL unit of work (SQLite and PostgreSQL) or the fake, seeded alike."""
    if request.param == "sql":
        return uow_factory
    db = InMemoryDatabase()
    with db.unit_of_work() as uow:
        seed = packaged_kecamatan("35.28.08")
        assert seed is not None
        seed_kecamatan(uow, replace(seed, layanan_contoh=()))
        uow.commit()
    return db.unit_of_work


def _setup(uows: Callable[[], UnitOfWork]) -> tuple[User, User, list[Desa]]:
    with uows() as uow:
        kec = uow.kecamatan.get_by_code("35.28.08")
        assert kec is not None
        villages = uow.desa.list_by_kecamatan(kec.id)
    admin = store_user(uows, Role.ADMIN, telegram_id=9001, kecamatan_id=kec.id)
    staff = store_user(
        uows, Role.STAF_SEKSI, telegram_id=9002, kecamatan_id=kec.id, seksi=Seksi.TRANTIB
    )
    return admin, staff, villages


def _report(
    uows: Callable[[], UnitOfWork],
    reporter: User,
    desa: Desa,
    kind: IncidentKind = IncidentKind.TRANTIBUM,
    category: str = "judi",
) -> Incident:
    with uows() as uow:
        incident = submit_incident(
            uow,
            reporter=reporter,
            draft=IncidentDraft(
                kind=kind,
                desa_id=desa.id,
                event_date=date(2026, 3, 2),
                category=category,
                description="Warga melaporkan perjudian di pos ronda",
                stage=KonflikStage.POTENSI if kind is IncidentKind.KONFLIK else None,
            ),
            now=NOW,
            max_age_days=30,
        )
        uow.commit()
    return incident


def test_a_kind_correction_renumbers_and_keeps_the_history(
    uows: Callable[[], UnitOfWork],
) -> None:
    admin, staff, villages = _setup(uows)
    first = _report(uows, staff, villages[0], IncidentKind.KONFLIK, "tanah")
    report = _report(uows, staff, villages[1])
    assert report.nomor == "TB-352808-2026-0001"
    with uows() as uow:
        result = correct_incident(
            uow,
            admin=admin,
            incident_id=report.id,
            expected_version=report.version,
            changes=Changes(
                kind=IncidentKind.KONFLIK,
                category="antarwarga",
                stage=KonflikStage.TERJADI,
                desa_id=villages[2].id,
                event_date=date(2026, 3, 1),
            ),
            reason=REASON,
            now=LATER,
        )
        uow.commit()
    assert first.nomor == "KS-352808-2026-0001"
    assert result.incident.nomor == "KS-352808-2026-0002"
    assert result.seksi == (Seksi.TRANTIB, Seksi.KESBANG)
    assert result.reporter_id == staff.id
    with uows() as uow:
        stored = uow.incidents.get(report.id)
        assert stored is not None
        assert (stored.kind, stored.category, stored.stage, stored.desa_id) == (
            IncidentKind.KONFLIK,
            "antarwarga",
            KonflikStage.TERJADI,
            villages[2].id,
        )
        assert stored.event_date == date(2026, 3, 1)
        assert stored.version == report.version + 1
        assert uow.incidents.get_by_nomor("KS-352808-2026-0002") == stored
        fields = [
            (c.field, c.old_value, c.new_value) for c, _, _ in uow.incidents.corrections(report.id)
        ]
        history = uow.incidents.history(report.id)
    assert fields == [
        ("kind", "trantibum", "konflik"),
        ("desa", str(villages[1].id), str(villages[2].id)),
        ("event_date", "2026-03-02", "2026-03-01"),
        ("category", "Perjudian", "Perselisihan antarwarga/kelompok"),
        ("nomor", "TB-352808-2026-0001", "KS-352808-2026-0002"),
    ]
    assert history[-1].from_status is history[-1].to_status is IncidentStatus.BARU
    assert history[-1].note.startswith("Dikoreksi admin (jenis, desa, tanggal kejadian, kategori)")
    assert history[-1].user_id == admin.id


def test_a_duplicate_is_voided_and_refusals_write_nothing(
    uows: Callable[[], UnitOfWork],
) -> None:
    admin, staff, villages = _setup(uows)
    original = _report(uows, staff, villages[0])
    copy = _report(uows, staff, villages[0])
    other_kind = _report(uows, staff, villages[0], IncidentKind.KONFLIK, "tanah")

    def void(target: Incident, nomor: str, who: User = admin, reason: str = REASON) -> Incident:
        with uows() as uow:
            current = uow.incidents.get(target.id)
            assert current is not None
            result = void_duplicate(
                uow,
                admin=who,
                incident_id=target.id,
                expected_version=current.version,
                original_nomor=nomor,
                reason=reason,
                now=LATER,
            )
            uow.commit()
        return result.incident

    with pytest.raises(Forbidden, match="Hanya admin"):
        void(copy, original.nomor, who=staff)
    with pytest.raises(InvalidInput, match="Alasan terlalu singkat"):
        void(copy, original.nomor, reason="dobel")
    with pytest.raises(NotFound, match="TB-352808-2026-0099 tidak ditemukan"):
        void(copy, "tb-352808-2026-0099")
    with pytest.raises(InvalidInput, match="dirinya sendiri"):
        void(copy, copy.nomor)
    with pytest.raises(InvalidInput, match="sejenis"):
        void(copy, other_kind.nomor)
    voided = void(copy, original.nomor.lower())
    assert voided.voided
    assert voided.duplicate_of_id == original.id
    assert voided.void_reason == REASON
    with pytest.raises(InvalidInput, match="sudah dibatalkan"):
        void(original, copy.nomor)
    with pytest.raises(InvalidInput, match="sudah dibatalkan"):
        void(copy, original.nomor)
    with uows() as uow:
        corrections = uow.incidents.corrections(copy.id)
        assert [(c.field, c.new_value) for c, _, _ in corrections] == [
            ("duplicate_of", original.nomor)
        ]
        assert uow.incidents.history(copy.id)[-1].note == f"Dibatalkan sebagai duplikat: {REASON}"
        stored_original = uow.incidents.get(original.id)
        assert stored_original is not None
        assert not stored_original.voided
        assert uow.incidents.corrections(original.id) == []


@pytest.mark.parametrize(
    ("changes", "by_staff", "error", "match"),
    [
        (lambda _: Changes(category="miras"), True, Forbidden, "Hanya admin"),
        (lambda _: Changes(event_date=date(2026, 3, 7)), False, InvalidInput, "masa depan"),
        (
            lambda _: Changes(kind=IncidentKind.KONFLIK, stage=KonflikStage.POTENSI),
            False,
            InvalidInput,
            "tidak berlaku untuk laporan konflik",
        ),
        # The report's own category and desa: nothing changes at all.
        (
            lambda villages: Changes(category="judi", desa_id=villages[0].id),
            False,
            InvalidInput,
            "Tidak ada yang berubah",
        ),
    ],
    ids=["not-an-admin", "future-date", "kind-without-its-category", "nothing-changes"],
)
def test_a_refused_correction_writes_nothing(
    uows: Callable[[], UnitOfWork],
    changes: Callable[[list[Desa]], Changes],
    by_staff: bool,
    error: type[Exception],
    match: str,
) -> None:
    admin, staff, villages = _setup(uows)
    report = _report(uows, staff, villages[0])
    with uows() as uow, pytest.raises(error, match=match):
        correct_incident(
            uow,
            admin=staff if by_staff else admin,
            incident_id=report.id,
            expected_version=report.version,
            changes=changes(villages),
            reason=REASON,
            now=LATER,
        )
    with uows() as uow:
        assert uow.incidents.corrections(report.id) == []
        stored = uow.incidents.get(report.id)
        assert stored is not None
        assert stored.version == report.version
        assert (stored.category, stored.desa_id, stored.kind) == (
            report.category,
            report.desa_id,
            report.kind,
        )


def _figures(uows: Callable[[], UnitOfWork]) -> dict[str, tuple[int, int, Decimal | None]]:
    with uows() as uow:
        report = iku_report(uow, kecamatan_code="35.28.08", period=Period.year(2026), now=LATER)
    return {
        detail.kind.value: (
            detail.result.total,
            detail.result.handled,
            report.row(code).realisasi,
        )
        for detail, code in (
            (report.konflik, IndicatorCode.KONFLIK_TERTANGANI),
            (report.trantibum, IndicatorCode.TRANTIBUM_TERTANGANI),
        )
    }


def test_a_correction_and_a_void_move_iku_3_and_4(uows: Callable[[], UnitOfWork]) -> None:
    admin, staff, villages = _setup(uows)
    handled = _report(uows, staff, villages[0])
    wrong_kind = _report(uows, staff, villages[1])
    duplicate = _report(uows, staff, villages[0])
    conflict = _report(uows, staff, villages[2], IncidentKind.KONFLIK, "tanah")
    for incident, who in ((handled, staff), (conflict, admin)):
        with uows() as uow:
            follow_up(
                uow,
                actor=who,
                incident_id=incident.id,
                expected_version=incident.version,
                to_status=IncidentStatus.TERTANGANI,
                note="Sudah dimediasi di balai desa",
                now=NOW,
            )
            uow.commit()
    assert _figures(uows) == {
        "konflik": (1, 1, Decimal("100.00")),
        "trantibum": (3, 1, Decimal("33.33")),
    }
    with uows() as uow:
        correct_incident(
            uow,
            admin=admin,
            incident_id=wrong_kind.id,
            expected_version=wrong_kind.version,
            changes=Changes(
                kind=IncidentKind.KONFLIK, category="antarwarga", stage=KonflikStage.POTENSI
            ),
            reason=REASON,
            now=LATER,
        )
        uow.commit()
    assert _figures(uows) == {
        "konflik": (2, 1, Decimal("50.00")),
        "trantibum": (2, 1, Decimal("50.00")),
    }
    with uows() as uow:
        void_duplicate(
            uow,
            admin=admin,
            incident_id=duplicate.id,
            expected_version=duplicate.version,
            original_nomor=handled.nomor,
            reason="Kejadian yang sama dilaporkan dua kali",
            now=LATER,
        )
        uow.commit()
    assert _figures(uows) == {
        "konflik": (2, 1, Decimal("50.00")),
        "trantibum": (1, 1, Decimal("100.00")),
    }
    with uows() as uow:
        kec = uow.kecamatan.get_by_code("35.28.08")
        assert kec is not None
        open_cases = uow.incidents.list_open(kec.id)
        assert [i.id for i in open_cases] == [wrong_kind.id]
        assert uow.incidents.count_open(kec.id, kind=IncidentKind.TRANTIBUM) == 0
        assert (
            uow.incidents.count_for_desa(villages[0].id, date(2026, 1, 1), date(2026, 12, 31)) == 1
        )
        listed = uow.exports.incidents(
            kec.id, IncidentKind.TRANTIBUM, date(2026, 1, 1), date(2026, 12, 31)
        )
        assert [r.nomor for r in listed] == [handled.nomor]
        received = uow.incidents.received_marks(kec.id, date(2026, 3, 1), date(2026, 3, 7))
        assert len(received) == 3


def _digest_text(uows: Callable[[], UnitOfWork]) -> tuple[WeeklyDigest, str]:
    with uows() as uow:
        digest = weekly_digest(
            uow,
            kecamatan_code="35.28.08",
            week=IsoWeek.of(date(2026, 3, 5)),
            now=LATER,
            overdue_days=7,
            tz=WIB,
        )
    return digest, "\n\n".join(digest_sections(digest, overdue_days=7))


def test_the_digest_counts_the_week_s_corrections_and_voids_only_when_there_were_any(
    uows: Callable[[], UnitOfWork],
) -> None:
    admin, staff, villages = _setup(uows)
    original = _report(uows, staff, villages[0])
    duplicate = _report(uows, staff, villages[0])
    digest, text = _digest_text(uows)
    assert (digest.corrected, digest.voided, digest.new_trantibum) == (0, 0, 2)
    assert "Dikoreksi admin" not in text
    with uows() as uow:
        correct_incident(
            uow,
            admin=admin,
            incident_id=original.id,
            expected_version=original.version,
            changes=Changes(category="miras", description="Pesta minuman keras di pos ronda"),
            reason=REASON,
            now=LATER,
        )
        void_duplicate(
            uow,
            admin=admin,
            incident_id=duplicate.id,
            expected_version=duplicate.version,
            original_nomor=original.nomor,
            reason="Kejadian yang sama dilaporkan dua kali",
            now=LATER,
        )
        uow.commit()
    digest, text = _digest_text(uows)
    assert (digest.corrected, digest.voided, digest.new_trantibum) == (1, 1, 1)
    assert "Dikoreksi admin: 1 laporan; dibatalkan sebagai duplikat: 1 laporan." in text
    with uows() as uow:
        kec = uow.kecamatan.get_by_code("35.28.08")
        assert kec is not None
        next_week = uow.incidents.correction_counts(kec.id, date(2026, 3, 9), date(2026, 3, 15))
    assert next_week == (0, 0)


def test_a_desa_of_another_kecamatan_is_refused(
    uow_factory: Callable[[], UnitOfWork], larangan: Kecamatan, pademawu_desa: list[Desa]
) -> None:
    admin, staff, villages = _setup(uow_factory)
    report = _report(uow_factory, staff, villages[0])
    with uow_factory() as uow, pytest.raises(InvalidInput, match="bukan desa kecamatan"):
        correct_incident(
            uow,
            admin=admin,
            incident_id=report.id,
            expected_version=report.version,
            changes=Changes(desa_id=pademawu_desa[0].id),
            reason=REASON,
            now=LATER,
        )
    with uow_factory() as uow:
        assert uow.incidents.corrections(report.id) == []
