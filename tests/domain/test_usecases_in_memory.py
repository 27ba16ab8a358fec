"""The main use cases on the in-memory unit of work: fast, and without a database.

Registration and invites, an incident followed up to handled (and a stale follow-up),
the weekly nil report, IDM results and desa tematik, the SKM questionnaire counted once
per person, targets and the IKU report over all of it. Every test asserts what was
committed: states, counts and audit entries. tests/storage/test_fake_contract.py shows
that the fake gives the SQL repositories' results.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest

from domain.errors import ImportFailed, InvalidInput, NotFound
from domain.idm import IdmStatus
from domain.incidents import (
    IncidentDraft,
    StaleIncident,
    follow_up,
    submit_incident,
    submit_nil_report,
)
from domain.models import (
    Desa,
    IdmRecord,
    Incident,
    IncidentKind,
    IncidentStatus,
    IndicatorCode,
    Kecamatan,
    KonflikStage,
    Role,
    Seksi,
    SkmService,
    Tema,
    User,
    UserStatus,
)
from domain.period import Period
from domain.permissions import Forbidden
from domain.ports import HandlingCounts, UnitOfWork
from domain.records import end_tematik, record_idm, record_tematik
from domain.registration import (
    create_invite,
    decide_registration,
    redeem_invite,
    request_registration,
    set_active,
)
from domain.report import iku_report
from domain.skm import UNSUR
from domain.survey import AlreadyAnswered, SurveyAnswers, already_answered, submit_survey
from domain.usecases import add_service, import_idm, set_target, update_service
from storage.seed import packaged_kecamatan, seed_kecamatan
from tests.factories import make_user, store_user
from tests.fakes import CommitConflict, InMemoryDatabase, InMemoryUnitOfWork, IntegrityViolation

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 3, 5, 10, 0, tzinfo=WIB)  # a Thursday of ISO week 2026-W10
MAX_AGE = 30
SECRET = b"kunci-rahasia-uji"
CITIZEN = 812_345_678_901

T = TypeVar("T")


def committed(db: InMemoryDatabase, work: Callable[[UnitOfWork], T]) -> T:
    """Run ``work`` in a unit of work of its own and commit, as the bot's engine does."""
    with db.unit_of_work() as uow:
        result = work(uow)
        uow.commit()
    return result


def actions(db: InMemoryDatabase) -> list[str]:
    """The committed audit entries' actions, in order."""
    return [entry.action for entry in db.committed.audit]


@pytest.fixture
def db() -> InMemoryDatabase:
    """An in-memory database with Kecamatan Larangan and its 14 desa (packaged data).

    Without the data file's example services: the tests register the services they use.
    """
    database = InMemoryDatabase()
    seed = packaged_kecamatan("35.28.08")
    assert seed is not None
    committed(database, lambda uow: seed_kecamatan(uow, replace(seed, layanan_contoh=())))
    return database


@pytest.fixture
def kec(db: InMemoryDatabase) -> Kecamatan:
    """Larangan."""
    found = committed(db, lambda uow: uow.kecamatan.get_by_code("35.28.08"))
    assert found is not None
    return found


@pytest.fixture
def villages(db: InMemoryDatabase, kec: Kecamatan) -> list[Desa]:
    """Larangan's desa by code."""
    return committed(db, lambda uow: uow.desa.list_by_kecamatan(kec.id))


def _staff(db: InMemoryDatabase, kec: Kecamatan, telegram_id: int, seksi: Seksi) -> User:
    return store_user(
        db.unit_of_work, Role.STAF_SEKSI, telegram_id=telegram_id, kecamatan_id=kec.id, seksi=seksi
    )


@pytest.fixture
def admin(db: InMemoryDatabase, kec: Kecamatan) -> User:
    """The Camat, an active admin."""
    return store_user(
        db.unit_of_work,
        Role.ADMIN,
        telegram_id=100_001,
        nama="Camat Larangan",
        kecamatan_id=kec.id,
    )


@pytest.fixture
def kesbang(db: InMemoryDatabase, kec: Kecamatan) -> User:
    """Seksi Kesbang follows up conflicts."""
    return _staff(db, kec, 100_002, Seksi.KESBANG)


@pytest.fixture
def trantib(db: InMemoryDatabase, kec: Kecamatan) -> User:
    """Seksi Trantib follows up trantibum events."""
    return _staff(db, kec, 100_003, Seksi.TRANTIB)


@pytest.fixture
def ppd(db: InMemoryDatabase, kec: Kecamatan) -> User:
    """Seksi PPD records IDM results."""
    return _staff(db, kec, 100_004, Seksi.PPD)


@pytest.fixture
def pmd(db: InMemoryDatabase, kec: Kecamatan) -> User:
    """Seksi PMD records desa tematik."""
    return _staff(db, kec, 100_005, Seksi.PMD)


@pytest.fixture
def perangkat(db: InMemoryDatabase, kec: Kecamatan, villages: list[Desa]) -> User:
    """A perangkat desa of the first desa."""
    return store_user(
        db.unit_of_work,
        Role.PERANGKAT_DESA,
        telegram_id=100_006,
        nama="Moh. Hasan",
        kecamatan_id=kec.id,
        desa_id=villages[0].id,
    )


# === the unit of work ========================================================================


def test_the_fake_is_a_unit_of_work_for_the_use_cases() -> None:
    uow: UnitOfWork = InMemoryUnitOfWork()  # checked by mypy against domain.ports
    with uow:
        with pytest.raises(NotFound):
            iku_report(uow, kecamatan_code="35.28.08", period=Period.year(2026), now=NOW)
        with pytest.raises(NotImplementedError, match=r"OutboxRepository\.pending"):
            uow.outbox.pending(limit=1)


def test_only_committed_work_stays_and_a_rollback_returns_to_the_last_commit(
    db: InMemoryDatabase, kec: Kecamatan
) -> None:
    uow = db.unit_of_work()
    with uow:
        uow.users.add(make_user(telegram_id=1, kecamatan_id=kec.id))
    with uow:
        assert uow.users.get_by_telegram_id(1) is None  # left without commit: rolled back
        kept = uow.users.add(make_user(telegram_id=2, kecamatan_id=kec.id))
        uow.commit()
        uow.users.update(make_user(id=kept.id, telegram_id=2, nama="Diubah", kecamatan_id=kec.id))
        uow.users.add(make_user(telegram_id=3, kecamatan_id=kec.id))
        uow.rollback()
        assert uow.users.get(kept.id) == kept
        assert uow.users.get_by_telegram_id(3) is None
    assert [u.telegram_id for u in db.committed.users.values()] == [2]


def test_of_two_writers_at_once_only_the_first_commit_is_stored(
    db: InMemoryDatabase, kec: Kecamatan
) -> None:
    with db.unit_of_work() as first, db.unit_of_work() as second:
        first.users.add(make_user(telegram_id=1, kecamatan_id=kec.id))
        second.users.add(make_user(telegram_id=2, kecamatan_id=kec.id))
        first.commit()
        with pytest.raises(CommitConflict):
            second.commit()
    assert [u.telegram_id for u in db.committed.users.values()] == [1]


def test_what_the_database_refuses_is_refused(db: InMemoryDatabase, kec: Kecamatan) -> None:
    store_user(db.unit_of_work, telegram_id=7, kecamatan_id=kec.id)
    with db.unit_of_work() as uow:
        with pytest.raises(IntegrityViolation, match="telegram_id"):
            uow.users.add(make_user(telegram_id=7, kecamatan_id=kec.id))
        with pytest.raises(IntegrityViolation, match="desa"):
            uow.users.add(make_user(Role.PERANGKAT_DESA, telegram_id=8, desa_id=99_999))
        with pytest.raises(ValueError, match="tanpa zona waktu"):
            uow.audit.record(actor="uji", action="x", entity="y", at=datetime(2026, 3, 5))
    assert len(db.committed.users) == 1


# === registration ============================================================================


def _request(
    db: InMemoryDatabase,
    kec: Kecamatan,
    *,
    role: Role = Role.STAF_SEKSI,
    seksi: Seksi | None = Seksi.TRANTIB,
    desa_id: int | None = None,
    nama: str = "  Rina   Wulandari ",
) -> User:
    return committed(
        db,
        lambda uow: request_registration(
            uow,
            telegram_id=300_001,
            kecamatan_id=kec.id,
            role=role,
            seksi=seksi,
            desa_id=desa_id,
            nama=nama,
            jabatan="Kasi Trantib",
            at=NOW,
        ),
    )


def test_a_request_is_pending_until_an_admin_approves_it_once(
    db: InMemoryDatabase, kec: Kecamatan, admin: User
) -> None:
    pending = _request(db, kec)
    assert (pending.status, pending.nama) == (UserStatus.PENDING, "Rina Wulandari")
    approved = committed(
        db,
        lambda uow: decide_registration(uow, admin=admin, user_id=pending.id, approve=True, at=NOW),
    )
    assert approved.status is UserStatus.ACTIVE
    with pytest.raises(InvalidInput, match="sudah diputuskan"):
        committed(
            db,
            lambda uow: decide_registration(
                uow, admin=admin, user_id=pending.id, approve=False, at=NOW
            ),
        )
    assert db.committed.users[pending.id].status is UserStatus.ACTIVE
    assert actions(db) == ["request_registration", "approve_registration"]
    assert db.committed.audit[-1].user_id == admin.id


def test_a_rejected_person_asks_again_under_the_same_id(
    db: InMemoryDatabase, kec: Kecamatan, admin: User, villages: list[Desa]
) -> None:
    first = _request(db, kec)
    committed(
        db,
        lambda uow: decide_registration(uow, admin=admin, user_id=first.id, approve=False, at=NOW),
    )
    again = _request(
        db, kec, role=Role.PERANGKAT_DESA, seksi=None, desa_id=villages[2].id, nama="Rina W."
    )
    assert (again.id, again.status, again.desa_id) == (first.id, UserStatus.PENDING, villages[2].id)
    with pytest.raises(InvalidInput, match="menunggu persetujuan"):
        _request(db, kec)
    assert len(db.committed.users) == 2  # the admin and Rina
    assert actions(db) == ["request_registration", "reject_registration", "request_registration"]


def test_an_admin_disables_and_enables_a_user_but_not_themself(
    db: InMemoryDatabase, admin: User, kesbang: User
) -> None:
    def switch(who: User, active: bool) -> User:
        return committed(
            db, lambda uow: set_active(uow, admin=admin, user_id=who.id, active=active, at=NOW)
        )

    assert switch(kesbang, False).status is UserStatus.DISABLED
    with pytest.raises(InvalidInput, match="berstatus nonaktif"):
        switch(kesbang, False)
    with pytest.raises(InvalidInput, match="akun Anda sendiri"):
        switch(admin, False)
    assert switch(kesbang, True).status is UserStatus.ACTIVE
    assert actions(db) == ["disable_user", "enable_user"]


def test_an_invite_registers_one_active_user_and_is_then_used_up(
    db: InMemoryDatabase, admin: User, villages: list[Desa]
) -> None:
    invite, link = committed(
        db,
        lambda uow: create_invite(
            uow,
            admin=admin,
            role=Role.PERANGKAT_DESA,
            seksi=None,
            desa_id=villages[1].id,
            at=NOW,
            valid_for=timedelta(days=3),
        ),
    )

    def redeem(telegram_id: int) -> User:
        return committed(
            db,
            lambda uow: redeem_invite(
                uow,
                payload=link,
                telegram_id=telegram_id,
                nama="Siti Aminah",
                jabatan="Sekdes",
                at=NOW,
            ),
        )

    user = redeem(400_001)
    assert (user.role, user.status, user.desa_id) == (
        Role.PERANGKAT_DESA,
        UserStatus.ACTIVE,
        villages[1].id,
    )
    with pytest.raises(InvalidInput, match="sudah dipakai"):
        redeem(400_002)
    stored = db.committed.invites[invite.id]
    assert (stored.used_by, stored.used_at) == (user.id, NOW)
    assert db.committed.invite_hashes[invite.id] not in link  # only the hash is kept
    assert actions(db) == ["create_invite", "redeem_invite"]


# === incidents ===============================================================================


def _draft(desa: Desa, kind: IncidentKind = IncidentKind.KONFLIK, **changes: Any) -> IncidentDraft:
    draft = IncidentDraft(
        kind=kind,
        desa_id=desa.id,
        event_date=date(2026, 3, 4),
        category="tanah",
        description="Dua warga berselisih soal batas tanah di dusun timur",
        stage=KonflikStage.POTENSI if kind is IncidentKind.KONFLIK else None,
    )
    return replace(draft, **changes)


def _submit(db: InMemoryDatabase, reporter: User, draft: IncidentDraft) -> Incident:
    return committed(
        db,
        lambda uow: submit_incident(
            uow, reporter=reporter, draft=draft, now=NOW, max_age_days=MAX_AGE
        ),
    )


def _follow(
    db: InMemoryDatabase,
    actor: User,
    incident: Incident,
    to_status: IncidentStatus,
    *,
    version: int | None = None,
    at: datetime = NOW,
) -> Incident:
    return committed(
        db,
        lambda uow: follow_up(
            uow,
            actor=actor,
            incident_id=incident.id,
            expected_version=incident.version if version is None else version,
            to_status=to_status,
            note="Sudah dimediasi oleh Kasi Kesbang",
            now=at,
        ),
    )


def test_reports_get_the_next_number_of_their_kind_and_a_first_history_entry(
    db: InMemoryDatabase, perangkat: User, villages: list[Desa]
) -> None:
    first = _submit(db, perangkat, _draft(villages[0]))
    trantibum = _submit(
        db, perangkat, _draft(villages[0], IncidentKind.TRANTIBUM, category="pencurian")
    )
    second = _submit(db, perangkat, _draft(villages[0]))
    assert [first.nomor, trantibum.nomor, second.nomor] == [
        "KS-352808-2026-0001",
        "TB-352808-2026-0001",
        "KS-352808-2026-0002",
    ]
    assert (first.status, first.version, first.reporter_id) == (
        IncidentStatus.BARU,
        1,
        perangkat.id,
    )
    with db.unit_of_work() as uow:
        [event] = uow.incidents.history(first.id)
        assert uow.incidents.get_by_nomor(" ks-352808-2026-0002 ") == second
    assert (event.from_status, event.to_status, event.note) == (
        None,
        IncidentStatus.BARU,
        "Laporan diterima",
    )
    assert actions(db) == ["report_incident"] * 3
    assert [e.entity_id for e in db.committed.audit] == [
        "KS-352808-2026-0001",
        "TB-352808-2026-0001",
        "KS-352808-2026-0002",
    ]


def test_a_report_rolled_back_gives_its_number_to_the_next_one(
    db: InMemoryDatabase, perangkat: User, villages: list[Desa]
) -> None:
    with db.unit_of_work() as uow:
        submit_incident(
            uow, reporter=perangkat, draft=_draft(villages[0]), now=NOW, max_age_days=MAX_AGE
        )
    assert _submit(db, perangkat, _draft(villages[0])).nomor == "KS-352808-2026-0001"


def test_a_case_is_followed_up_to_handled_and_counted(
    db: InMemoryDatabase, kec: Kecamatan, perangkat: User, kesbang: User, villages: list[Desa]
) -> None:
    incident = _submit(db, perangkat, _draft(villages[0]))
    busy = _follow(db, kesbang, incident, IncidentStatus.DIPROSES)
    done = _follow(db, kesbang, busy, IncidentStatus.TERTANGANI, at=NOW + timedelta(hours=2))
    assert (busy.status, busy.version, busy.handled_at) == (IncidentStatus.DIPROSES, 2, None)
    assert (done.status, done.version, done.handled_at) == (
        IncidentStatus.TERTANGANI,
        3,
        NOW + timedelta(hours=2),
    )
    with db.unit_of_work() as uow:
        history = uow.incidents.history(incident.id)
        counts = HandlingCounts.from_statuses(
            uow.incidents.status_counts([kec.id], date(2026, 3, 1), date(2026, 3, 31))[
                (kec.id, IncidentKind.KONFLIK)
            ]
        )
        open_cases = uow.incidents.count_open(kec.id)
    assert [(e.from_status, e.to_status) for e in history] == [
        (None, IncidentStatus.BARU),
        (IncidentStatus.BARU, IncidentStatus.DIPROSES),
        (IncidentStatus.DIPROSES, IncidentStatus.TERTANGANI),
    ]
    assert (counts.total, counts.handled, open_cases) == (1, 1, 0)
    assert actions(db) == ["report_incident", "follow_up_incident", "follow_up_incident"]
    assert db.committed.audit[-1].detail == {"dari": "diproses", "ke": "tertangani"}


def test_a_follow_up_of_a_case_changed_meanwhile_is_refused_and_writes_nothing(
    db: InMemoryDatabase, perangkat: User, kesbang: User, admin: User, villages: list[Desa]
) -> None:
    seen = _submit(db, perangkat, _draft(villages[0]))
    _follow(db, admin, seen, IncidentStatus.DIPROSES)
    with pytest.raises(StaleIncident) as stale:
        _follow(db, kesbang, seen, IncidentStatus.TERTANGANI)  # still version 1
    assert stale.value.current.status is IncidentStatus.DIPROSES
    assert stale.value.current.version == 2
    assert db.committed.incidents[seen.id].status is IncidentStatus.DIPROSES
    assert len(db.committed.incident_events) == 2
    assert actions(db) == ["report_incident", "follow_up_incident"]


def test_the_repository_refuses_a_stale_version_on_its_own(
    db: InMemoryDatabase, perangkat: User, villages: list[Desa]
) -> None:
    incident = _submit(db, perangkat, _draft(villages[0]))
    with db.unit_of_work() as uow:

        def move(to_status: IncidentStatus) -> Incident | None:
            return uow.incidents.change_status(
                incident.id,
                to_status=to_status,
                note="catatan",
                user_id=None,
                at=NOW,
                expected_version=1,
            )

        moved = move(IncidentStatus.DIPROSES)
        again = move(IncidentStatus.TERTANGANI)
        assert moved is not None
        assert again is None
        assert uow.incidents.get(incident.id) == moved


def test_a_handled_case_reopens_without_its_handling_moment(
    db: InMemoryDatabase, perangkat: User, kesbang: User, villages: list[Desa]
) -> None:
    done = _follow(
        db, kesbang, _submit(db, perangkat, _draft(villages[0])), IncidentStatus.TERTANGANI
    )
    reopened = _follow(db, kesbang, done, IncidentStatus.DIPROSES)
    assert (reopened.status, reopened.handled_at, reopened.version) == (
        IncidentStatus.DIPROSES,
        None,
        3,
    )
    assert actions(db)[-1] == "reopen_incident"


def test_only_the_responsible_seksi_follows_up_a_case(
    db: InMemoryDatabase, perangkat: User, trantib: User, villages: list[Desa]
) -> None:
    incident = _submit(db, perangkat, _draft(villages[0]))
    with pytest.raises(Forbidden):
        _follow(db, trantib, incident, IncidentStatus.DIPROSES)
    assert db.committed.incidents[incident.id].version == 1


# === nil reports =============================================================================


def test_a_nil_report_is_stored_once_per_week(
    db: InMemoryDatabase, kec: Kecamatan, perangkat: User, villages: list[Desa]
) -> None:
    def nil(at: datetime) -> bool:
        return committed(db, lambda uow: submit_nil_report(uow, user=perangkat, now=at)).created

    assert nil(NOW)
    assert not nil(NOW + timedelta(days=2))  # Saturday of the same ISO week
    assert nil(NOW + timedelta(days=4))  # Monday of the next week
    assert sorted(db.committed.nil_reports) == [
        (villages[0].id, 2026, 10),
        (villages[0].id, 2026, 11),
    ]
    with db.unit_of_work() as uow:
        assert uow.incidents.nil_desa(kec.id, 2026, 10) == {villages[0].id}
    assert actions(db) == ["nil_report", "nil_report"]


def test_a_week_with_a_report_of_the_desa_cannot_be_nil(
    db: InMemoryDatabase, perangkat: User, villages: list[Desa]
) -> None:
    _submit(db, perangkat, _draft(villages[0], event_date=date(2026, 3, 2)))
    with pytest.raises(InvalidInput, match="1 laporan kejadian"):
        committed(db, lambda uow: submit_nil_report(uow, user=perangkat, now=NOW))
    assert db.committed.nil_reports == {}


# === IDM and desa tematik ====================================================================


def test_an_idm_result_is_recorded_then_replaced_for_the_same_year(
    db: InMemoryDatabase, kec: Kecamatan, ppd: User, villages: list[Desa]
) -> None:
    def record(**values: Decimal) -> tuple[IdmStatus, IdmStatus | None]:
        entry = committed(
            db,
            lambda uow: record_idm(
                uow, user=ppd, desa_id=villages[0].id, tahun=2025, now=NOW, **values
            ),
        )
        return entry.result.status, None if entry.previous is None else entry.previous.status

    assert record(iks=Decimal("0.9"), ike=Decimal("0.85"), ikl=Decimal("0.8")) == (
        IdmStatus.MANDIRI,
        None,
    )
    assert record(idm=Decimal("0.75")) == (IdmStatus.MAJU, IdmStatus.MANDIRI)
    stored = db.committed.idm[(villages[0].id, 2025)]
    assert (stored.score, stored.iks, stored.source) == (Decimal("0.75"), None, "bot:100004")
    with db.unit_of_work() as uow:
        counts = uow.idm.count_by_status(kec.id, 2025)
        assert uow.idm.latest_year(kec.id) == 2025
    assert counts == {**dict.fromkeys(IdmStatus, 0), IdmStatus.MAJU: 1}
    assert actions(db) == ["record_idm", "record_idm"]


def test_an_idm_import_with_an_unknown_desa_stores_nothing(
    db: InMemoryDatabase, kec: Kecamatan, villages: list[Desa]
) -> None:
    records = [
        IdmRecord(villages[0].kode_bps, 2025, Decimal("0.82"), IdmStatus.MANDIRI, line=2),
        IdmRecord("3528049999", 2025, Decimal("0.6"), IdmStatus.BERKEMBANG, line=3),
    ]
    with pytest.raises(ImportFailed, match="3528049999"):
        committed(
            db,
            lambda uow: import_idm(uow, [("idm.csv", records)], kecamatan_id=kec.id, actor="cli"),
        )
    assert db.committed.idm == {}
    summary = committed(
        db,
        lambda uow: import_idm(uow, [("idm.csv", records[:1])], kecamatan_id=kec.id, actor="cli"),
    )
    assert (summary.files[0].inserted, summary.files[0].updated) == (1, 0)
    assert actions(db) == ["import_idm"]


def test_a_desa_with_two_themes_counts_once_until_they_are_ended(
    db: InMemoryDatabase, kec: Kecamatan, pmd: User, villages: list[Desa]
) -> None:
    def record(tema: Tema) -> int:
        return committed(
            db,
            lambda uow: record_tematik(
                uow,
                user=pmd,
                desa_id=villages[0].id,
                tema=tema,
                tahun=2026,
                referensi="188/45/432.312/2026",
                now=NOW,
            ),
        ).id

    def count() -> int:
        return committed(db, lambda uow: uow.tematik.count_desa(kec.id, 2026))

    def end(tematik_id: int) -> None:
        committed(db, lambda uow: end_tematik(uow, user=pmd, tematik_id=tematik_id, now=NOW))

    wisata, budaya = record(Tema.WISATA), record(Tema.BUDAYA)
    with pytest.raises(InvalidInput, match="sudah tercatat"):
        record(Tema.WISATA)
    assert count() == 1
    end(wisata)
    with pytest.raises(InvalidInput, match="sudah diakhiri"):
        end(wisata)
    assert count() == 1
    end(budaya)
    assert count() == 0
    assert actions(db) == ["record_tematik", "record_tematik", "end_tematik", "end_tematik"]


# === SKM =====================================================================================


def _service(db: InMemoryDatabase, kec: Kecamatan, kode: str = "ktp") -> SkmService:
    return committed(
        db,
        lambda uow: add_service(
            uow, kecamatan_id=kec.id, kode=kode, nama=f"Layanan {kode}", population=100, actor="cli"
        ),
    )


def _survey(
    db: InMemoryDatabase, kec: Kecamatan, service: SkmService, person: int, at: datetime = NOW
) -> None:
    answers = SurveyAnswers(
        service_id=service.id,
        jenis_kelamin="P",
        usia=34,
        pendidikan="SMA",
        pekerjaan="Wirausaha",
        answers=dict.fromkeys(UNSUR, 3),
        saran="Antrian lebih tertib",
    )
    return committed(
        db,
        lambda uow: submit_survey(
            uow, kecamatan_id=kec.id, telegram_id=person, survey=answers, secret=SECRET, now=at
        ),
    )


def test_a_person_is_counted_once_per_service_and_semester(
    db: InMemoryDatabase, kec: Kecamatan
) -> None:
    ktp, kk = _service(db, kec, "ktp"), _service(db, kec, "kk")
    _survey(db, kec, ktp, CITIZEN)
    with pytest.raises(AlreadyAnswered):
        _survey(db, kec, ktp, CITIZEN, NOW + timedelta(days=30))
    _survey(db, kec, kk, CITIZEN)
    _survey(db, kec, ktp, CITIZEN + 1)
    _survey(db, kec, ktp, CITIZEN, datetime(2026, 7, 1, 9, tzinfo=WIB))  # the next semester
    with db.unit_of_work() as uow:
        first_semester = uow.skm.totals(kec.id, date(2026, 1, 1), date(2026, 6, 30))
        ktp_only = uow.skm.totals(kec.id, date(2026, 1, 1), date(2026, 6, 30), service_id=ktp.id)
        answered = already_answered(
            uow,
            kecamatan_id=kec.id,
            telegram_id=CITIZEN,
            service_id=ktp.id,
            secret=SECRET,
            day=NOW.date(),
        )
    assert (first_semester.respondents, ktp_only.respondents) == (3, 2)
    assert first_semester.totals["waktu"].total == 9
    assert answered
    assert len(db.committed.skm_dedup) == 4
    assert actions(db) == ["add_service", "add_service"]  # answers are never audited


def test_a_deactivated_service_takes_no_more_answers(db: InMemoryDatabase, kec: Kecamatan) -> None:
    ktp = _service(db, kec)
    committed(
        db,
        lambda uow: update_service(uow, kecamatan_id=kec.id, kode="KTP", active=False, actor="cli"),
    )
    with pytest.raises(NotFound):
        _survey(db, kec, ktp, CITIZEN)
    assert db.committed.skm_responses == {}
    with pytest.raises(InvalidInput, match="sudah terdaftar"):
        _service(db, kec)
    assert actions(db) == ["add_service", "update_service"]


# === targets and the IKU report ==============================================================


def test_targets_are_checked_stored_and_reported_with_what_happened(
    db: InMemoryDatabase, kec: Kecamatan, perangkat: User, kesbang: User, villages: list[Desa]
) -> None:
    def target(indicator: IndicatorCode, value: str) -> None:
        committed(
            db,
            lambda uow: set_target(
                uow,
                kecamatan_id=kec.id,
                indicator=indicator,
                tahun=2026,
                value=Decimal(value),
                actor="cli",
            ),
        )

    target(IndicatorCode.KONFLIK_TERTANGANI, "80")
    target(IndicatorCode.DESA_TEMATIK, "4")
    with pytest.raises(InvalidInput, match="melebihi jumlah desa"):
        target(IndicatorCode.DESA_MANDIRI, "15")
    handled = _submit(db, perangkat, _draft(villages[0]))
    _submit(db, kesbang, _draft(villages[1], description="Perselisihan batas sawah antar dusun"))
    _follow(db, kesbang, handled, IncidentStatus.TERTANGANI)
    report = committed(
        db, lambda uow: iku_report(uow, kecamatan_code="3528040", period=Period.year(2026), now=NOW)
    )
    konflik = report.row(IndicatorCode.KONFLIK_TERTANGANI)
    assert (konflik.target, konflik.realisasi) == (Decimal("80.00"), Decimal("50.00"))
    assert konflik.keterangan == "1 dari 2 tertangani."
    assert report.row(IndicatorCode.DESA_TEMATIK).target == Decimal("4")
    assert report.row(IndicatorCode.DESA_MANDIRI).target is None
    assert report.desa_count == len(villages) == 14
    with db.unit_of_work() as uow:
        stored = uow.targets.for_year(kec.id, 2026)
    assert stored == {
        IndicatorCode.KONFLIK_TERTANGANI: Decimal("80"),
        IndicatorCode.DESA_TEMATIK: Decimal("4"),
    }
    assert [e.entity_id for e in db.committed.audit if e.action == "set_target"] == [
        "konflik_tertangani/2026",
        "desa_tematik/2026",
    ]
