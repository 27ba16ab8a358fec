"""The in-memory unit of work gives the results of the SQL one (tests/fakes.py).

Each scenario runs the use cases from a fresh database and returns what they gave and
what the repositories read back: ids, numbers, versions, lists in their order, counts
and sums, the IKU report, the weekly digest, the reminders and the Excel report's data.
It runs once on the real unit of work (SQLite and PostgreSQL, see tests/conftest.py)
and once on the fake; both results, and the audit entries committed, must be equal.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from domain.audit import AuditListing, AuditQuery, CaseView, Channel, audit_log, view_case
from domain.batches import (
    IdmBatchResult,
    IdmFile,
    ImportedFile,
    Importer,
    SkmBatchResult,
    UndoResult,
    file_sha256,
    import_idm_files,
    import_skm_file,
    undo_batch,
)
from domain.digest import IsoWeek, weekly_digest
from domain.errors import DomainError
from domain.export import Viewer, export_data, export_report
from domain.idm import IdmStatus
from domain.importing import SkmRow, csv_table, read_idm_table
from domain.incidents import (
    IncidentDraft,
    NilResult,
    follow_up,
    submit_incident,
    submit_nil_report,
)
from domain.models import (
    Desa,
    DesaTematik,
    DigestLog,
    IdmRecord,
    ImportBatch,
    ImportKind,
    ImportSource,
    Incident,
    IncidentKind,
    IncidentStatus,
    IndicatorCode,
    Kecamatan,
    KonflikStage,
    ReceivedFile,
    Role,
    Seksi,
    SkmResponse,
    SkmService,
    Tema,
    User,
    UserStatus,
)
from domain.period import Period
from domain.ports import UnitOfWork
from domain.records import IdmEntry, end_tematik, record_idm, record_tematik
from domain.registration import (
    create_invite,
    decide_registration,
    redeem_invite,
    request_registration,
    set_active,
)
from domain.reminders import reminders_for
from domain.report import iku_report
from domain.rtl import (
    SkmPeriod,
    StaleRtl,
    cancel_rtl,
    complete_rtl,
    confirm_rtl,
    latest_rtl_figures,
    open_proposals,
    overdue_rtl,
    report_progress,
    rtl_report,
)
from domain.skm import UNSUR
from domain.survey import SurveyAnswers, flush_survey_pool, submit_survey
from domain.usecases import (
    add_service,
    confirm_example_service,
    import_idm,
    import_skm,
    remove_example_service,
    set_target,
    update_service,
)
from storage.seed import packaged_kecamatan, seed_kecamatan
from storage.tables import AuditLogRow
from tests.factories import make_incident, store_user
from tests.fakes import InMemoryDatabase

UowFactory = Callable[[], UnitOfWork]
T = TypeVar("T")

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 3, 5, 10, 0, tzinfo=WIB)  # Thursday of ISO week 2026-W10
SECRET = b"kunci-kontrak"


def _run(factory: UowFactory, work: Callable[[UnitOfWork], T]) -> T:
    with factory() as uow:
        result = work(uow)
        uow.commit()
    return result


def _refusal(factory: UowFactory, work: Callable[[UnitOfWork], object]) -> str:
    """The message of a use case's refusal (its work rolled back)."""
    try:
        _run(factory, work)
    except DomainError as error:
        return f"{type(error).__name__}: {error}"
    raise AssertionError("the use case was expected to refuse")


def _larangan(factory: UowFactory) -> tuple[Kecamatan, list[Desa]]:
    seed = packaged_kecamatan("35.28.08")
    assert seed is not None
    kec, changed = _run(factory, lambda uow: uow.kecamatan.upsert(seed))
    assert changed == 15
    return kec, _run(factory, lambda uow: uow.desa.list_by_kecamatan(kec.id))


def _without_ids(*logs: DigestLog | None) -> list[DigestLog | None]:
    return [None if log is None else replace(log, id=0) for log in logs]


def _staff(factory: UowFactory, kec: Kecamatan, telegram_id: int, seksi: Seksi, nama: str) -> User:
    return store_user(
        factory,
        Role.STAF_SEKSI,
        telegram_id=telegram_id,
        nama=nama,
        kecamatan_id=kec.id,
        seksi=seksi,
    )


# --- the scenarios ---------------------------------------------------------------------------


def registration(factory: UowFactory) -> dict[str, Any]:
    """Requests decided once, a conditional update, disabling, invites."""
    kec, desa = _larangan(factory)
    admin = store_user(
        factory, Role.ADMIN, telegram_id=10, nama="camat Larangan", kecamatan_id=kec.id
    )

    def request(telegram_id: int, nama: str, seksi: Seksi) -> User:
        return _run(
            factory,
            lambda uow: request_registration(
                uow,
                telegram_id=telegram_id,
                kecamatan_id=kec.id,
                role=Role.STAF_SEKSI,
                seksi=seksi,
                desa_id=None,
                nama=nama,
                jabatan="Pelaksana",
                at=NOW,
            ),
        )

    def decide(user: User, approve: bool) -> User:
        return _run(
            factory,
            lambda uow: decide_registration(
                uow, admin=admin, user_id=user.id, approve=approve, at=NOW
            ),
        )

    rina, budi, ani = (
        request(11, "Rina Wulandari", Seksi.TRANTIB),
        request(12, "Budi Santoso", Seksi.KESBANG),
        request(13, "Ani", Seksi.PMD),
    )
    approved, rejected = decide(rina, True), decide(budi, False)
    twice = _refusal(
        factory,
        lambda uow: decide_registration(uow, admin=admin, user_id=rina.id, approve=False, at=NOW),
    )
    with factory() as uow:
        stale = uow.users.update(
            replace(rina, nama="Tidak Tersimpan"), expected_status=UserStatus.PENDING
        )
        missing = uow.users.update(replace(rina, id=99_999))
        renamed = uow.users.update(
            replace(ani, nama="Ani Lestari", telegram_id=999), expected_status=UserStatus.PENDING
        )
        uow.commit()
    disabled = _run(
        factory, lambda uow: set_active(uow, admin=admin, user_id=rina.id, active=False, at=NOW)
    )
    invite, link = _run(
        factory,
        lambda uow: create_invite(
            uow,
            admin=admin,
            role=Role.PERANGKAT_DESA,
            seksi=None,
            desa_id=desa[3].id,
            at=NOW,
            valid_for=timedelta(days=2),
        ),
    )
    redeemed = _run(
        factory,
        lambda uow: redeem_invite(
            uow, payload=link, telegram_id=14, nama="Moh. Hasan", jabatan="Sekdes", at=NOW
        ),
    )
    with factory() as uow:
        found = uow.invites.get_by_hash("0" * 64), uow.invites.mark_used(invite.id, admin.id, NOW)
        listed = uow.users.list(kec.id)
        filtered = (
            uow.users.list(kec.id, status=UserStatus.ACTIVE),
            uow.users.list(kec.id, role=Role.STAF_SEKSI, seksi=Seksi.KESBANG),
            uow.users.list(kec.id + 1),
        )
        by_telegram = uow.users.get_by_telegram_id(13), uow.users.get_by_telegram_id(999)
    used = _refusal(
        factory,
        lambda uow: redeem_invite(
            uow, payload=link, telegram_id=15, nama="Orang Lain", jabatan="Staf", at=NOW
        ),
    )
    return {
        "users": (admin, rina, budi, ani, approved, rejected, disabled, redeemed),
        "twice": twice,
        "updates": (stale, missing, renamed),
        "invite": (invite, found),
        "lists": (listed, filtered, by_telegram),
        "used": used,
    }


def _draft(
    desa: Desa, kind: IncidentKind, day: int, category: str, **changes: Any
) -> IncidentDraft:
    draft = IncidentDraft(
        kind=kind,
        desa_id=desa.id,
        event_date=date(2026, 3, day),
        category=category,
        description="Warga melaporkan kejadian di balai desa pada pagi hari",
        stage=KonflikStage.TERJADI if kind is IncidentKind.KONFLIK else None,
    )
    return replace(draft, **changes)


def incidents(factory: UowFactory) -> dict[str, Any]:
    """Reports, follow-ups (one stale), and everything the digest and reminders read."""
    kec, desa = _larangan(factory)
    kesbang = _staff(factory, kec, 20, Seksi.KESBANG, "Zainal")
    trantib = _staff(factory, kec, 21, Seksi.TRANTIB, "ahmad")
    perangkat = [
        store_user(
            factory,
            Role.PERANGKAT_DESA,
            telegram_id=30 + n,
            nama=f"Perangkat {n}",
            kecamatan_id=kec.id,
            desa_id=desa[n].id,
        )
        for n in range(4)
    ]

    def submit(reporter: User, draft: IncidentDraft, at: datetime) -> Incident:
        return _run(
            factory,
            lambda uow: submit_incident(
                uow, reporter=reporter, draft=draft, now=at, max_age_days=60
            ),
        )

    k, t = IncidentKind.KONFLIK, IncidentKind.TRANTIBUM
    reported = [
        submit(
            perangkat[0],
            _draft(desa[0], k, 2, "tanah", photo_file_ids=("f1", "f2")),
            NOW - timedelta(days=3),
        ),
        submit(perangkat[1], _draft(desa[1], t, 4, "pencurian"), NOW - timedelta(hours=30)),
        submit(kesbang, _draft(desa[2], k, 1, "lainnya", category_detail="Rebutan air"), NOW),
        submit(perangkat[0], _draft(desa[0], t, 5, "judi"), NOW + timedelta(minutes=5)),
        # received on Sunday 1 March 23:30 WIB (16:30 UTC): the week before, in office time
        submit(
            trantib, _draft(desa[3], t, 1, "keributan"), datetime(2026, 3, 1, 23, 30, tzinfo=WIB)
        ),
    ]

    def follow(
        actor: User, incident: Incident, to: IncidentStatus, at: datetime, photo: str | None = None
    ) -> Incident:
        return _run(
            factory,
            lambda uow: follow_up(
                uow,
                actor=actor,
                incident_id=incident.id,
                expected_version=incident.version,
                to_status=to,
                note="Ditindaklanjuti oleh seksi",
                now=at,
                proof=None if photo is None else ReceivedFile(photo),
            ),
        )

    busy = follow(kesbang, reported[0], IncidentStatus.DIPROSES, NOW - timedelta(days=2))
    done = follow(kesbang, busy, IncidentStatus.TERTANGANI, NOW - timedelta(days=1), "bukti")
    stale = _refusal(
        factory,
        lambda uow: follow_up(
            uow,
            actor=kesbang,
            incident_id=reported[0].id,
            expected_version=1,
            to_status=IncidentStatus.DIPROSES,
            note="Catatan yang terlambat",
            now=NOW,
        ),
    )
    # handled at midnight starting Monday 2 March (WIB): in that week, not in the day before
    monday = datetime(2026, 3, 2, 0, 0, tzinfo=WIB)
    trantib_done = follow(trantib, reported[4], IncidentStatus.TERTANGANI, monday)
    week = IsoWeek.of(NOW.date())
    with factory() as uow:
        log = uow.digests.claim(
            kecamatan_id=kec.id,
            chat_id=-100,
            week_key=week.previous().key,
            at=NOW,
            stale_before=NOW,
        )
        assert log is not None
        again = uow.digests.claim(
            kecamatan_id=kec.id,
            chat_id=-100,
            week_key=week.previous().key,
            at=NOW,
            stale_before=NOW,
        )
        uow.digests.progress(log.id, 1)
        uow.digests.finish(log.id, at=NOW, figures={"konflik_tertangani": "50.00", "skm": None})
        # a failed week is taken over (one more attempt); a week given up is not
        failed = uow.digests.claim(
            kecamatan_id=kec.id, chat_id=-100, week_key="2026-W08", at=NOW, stale_before=NOW
        )
        assert failed is not None
        uow.digests.fail(failed.id, error="jaringan", give_up=False)
        retried = uow.digests.claim(
            kecamatan_id=kec.id, chat_id=-100, week_key="2026-W08", at=NOW, stale_before=NOW
        )
        uow.digests.fail(failed.id, error="diblokir", give_up=True)
        given_up = uow.digests.claim(
            kecamatan_id=kec.id, chat_id=-100, week_key="2026-W08", at=NOW, stale_before=NOW
        )
        stale_taken = uow.digests.claim(
            kecamatan_id=kec.id,
            chat_id=-200,
            week_key="2026-W08",
            at=NOW - timedelta(hours=1),
            stale_before=NOW,
        )
        taken_over = uow.digests.claim(
            kecamatan_id=kec.id, chat_id=-200, week_key="2026-W08", at=NOW, stale_before=NOW
        )
        uow.commit()
    with factory() as uow:
        repo = uow.incidents
        start, end = date(2026, 3, 2), date(2026, 3, 8)
        reads = {
            "get": [repo.get(i.id) for i in reported],
            "nomor": (
                repo.get_by_nomor("ks-352808-2026-0002 "),
                repo.get_by_nomor("TB-352808-2026-0009"),
            ),
            "history": [repo.history(i.id) for i in reported],
            "by_reporter": (
                repo.list_by_reporter(perangkat[0].id),
                repo.list_by_reporter(perangkat[0].id, 1),
            ),
            "open": (
                repo.list_open(kec.id),
                repo.list_open(kec.id, t),
                repo.list_open(kec.id, limit=1, offset=1),
                repo.count_open(kec.id),
                repo.count_open(kec.id, kind=k),
                repo.count_open(kec.id, received_before=NOW),
            ),
            "desa_counts": [repo.count_for_desa(d.id, start, end) for d in desa[:4]],
            "by_status": (
                repo.status_counts([kec.id], start, end),
                repo.status_counts([kec.id, kec.id + 1], date(2026, 3, 1), end),
                repo.status_counts([], start, end),
            ),
            "marks": (
                repo.received_marks(kec.id, start, end),
                repo.received_marks(kec.id, date(2026, 3, 1), date(2026, 3, 1)),
            ),
            "received_counts": (
                repo.received_counts(
                    kec.id,
                    start,
                    end,
                    [datetime(2026, 3, 2, tzinfo=WIB), datetime(2026, 3, 9, tzinfo=WIB)],
                ),
                repo.received_counts(
                    kec.id,
                    date(2026, 2, 23),
                    end,
                    [
                        datetime(2026, 2, 23, tzinfo=WIB),
                        datetime(2026, 3, 4, tzinfo=WIB),
                        datetime(2026, 3, 5, tzinfo=WIB),
                        NOW,
                    ],
                ),
                repo.received_counts(kec.id, start, end, [NOW]),
            ),
            "handled": (
                repo.list_handled(kec.id, start, end),
                repo.list_handled(kec.id, date(2026, 3, 6), end),
                repo.list_handled(kec.id, date(2026, 3, 1), date(2026, 3, 1)),
            ),
            "reported": (
                repo.reported_desa(kec.id, start, end),
                repo.reported_desa(kec.id, date(2026, 2, 23), date(2026, 3, 1)),
            ),
            # Without ids: PostgreSQL spends a sequence value on every INSERT ... ON
            # CONFLICT DO NOTHING, also when it inserts nothing; SQLite does not.
            "log": _without_ids(
                uow.digests.get_log(-100, week.previous().key),
                uow.digests.get_log(-100, "2026-W08"),
                again,
                retried,
                given_up,
                stale_taken,
                taken_over,
            ),
            "figures": uow.digests.figures_of(kec.id, week.previous().key),
            "digest": weekly_digest(
                uow,
                kecamatan_code=kec.kode,
                week=week,
                now=NOW + timedelta(days=4),
                overdue_days=1,
                tz=WIB,
            ),
            "reminders": reminders_for(
                uow, kecamatan=kec, week=week, now=NOW + timedelta(days=1), overdue_days=1
            ),
            "export": export_data(
                uow,
                viewer=Viewer.operator(),
                kecamatan_code=kec.kode,
                period=Period.semester(2026, 1),
                now=NOW,
            ),
        }
    # received 31 December 2025 20:00 UTC: already 2026 in the office (number KS-352808-2026-...)
    new_year = _run(
        factory,
        lambda uow: uow.incidents.add(
            make_incident(desa[5], received_at=datetime(2025, 12, 31, 20, 0, tzinfo=UTC))
        ),
    )
    return {
        "reported": reported,
        "moves": (busy, done, trantib_done),
        "stale": stale,
        **reads,
        "new_year": new_year,
    }


def nil_reports(factory: UowFactory) -> dict[str, Any]:
    """Once per desa and week; a week with a report of the desa cannot be nil."""
    kec, desa = _larangan(factory)
    people = [
        store_user(
            factory,
            Role.PERANGKAT_DESA,
            telegram_id=40 + n,
            nama=f"Perangkat {n}",
            kecamatan_id=kec.id,
            desa_id=desa[n].id,
        )
        for n in range(3)
    ]

    def nil(user: User, at: datetime) -> NilResult:
        return _run(factory, lambda uow: submit_nil_report(uow, user=user, now=at))

    results = [
        nil(people[0], NOW),
        nil(people[0], NOW + timedelta(days=3)),
        nil(people[1], NOW),
        nil(people[0], NOW + timedelta(days=7)),
    ]
    _run(
        factory,
        lambda uow: submit_incident(
            uow,
            reporter=people[2],
            draft=_draft(desa[2], IncidentKind.TRANTIBUM, 3, "miras"),
            now=NOW,
            max_age_days=30,
        ),
    )
    refused = _refusal(factory, lambda uow: submit_nil_report(uow, user=people[2], now=NOW))
    with factory() as uow:
        desa_sets = [uow.incidents.nil_desa(kec.id, 2026, week) for week in (9, 10, 11)]
        other = uow.incidents.nil_desa(kec.id + 1, 2026, 10)
    return {"results": results, "refused": refused, "nil_desa": desa_sets, "other": other}


def records(factory: UowFactory) -> dict[str, Any]:
    """IDM typed in and imported, desa tematik recorded and ended, and the IKU report."""
    kec, desa = _larangan(factory)
    ppd = _staff(factory, kec, 50, Seksi.PPD, "Kasi PPD")
    pmd = _staff(factory, kec, 51, Seksi.PMD, "Kasi PMD")

    def idm(index: int, tahun: int, **values: Decimal) -> IdmEntry:
        return _run(
            factory,
            lambda uow: record_idm(
                uow, user=ppd, desa_id=desa[index].id, tahun=tahun, now=NOW, **values
            ),
        )

    entries = [
        idm(0, 2025, iks=Decimal("0.9"), ike=Decimal("0.85"), ikl=Decimal("0.8")),
        idm(1, 2025, idm=Decimal("0.71234567890123456")),
        idm(2, 2024, idm=Decimal("0.5")),
        idm(0, 2025, idm=Decimal("0.8156")),
    ]
    batch = [
        IdmRecord(
            desa[3].kode_bps, 2025, Decimal("0.6"), IdmStatus.BERKEMBANG, source="a.csv", line=2
        ),
        IdmRecord(
            desa[1].kode, 2025, Decimal("0.75"), IdmStatus.MAJU, status_published="MAJU", line=3
        ),
    ]
    imported = _run(
        factory, lambda uow: import_idm(uow, [("idm.csv", batch)], kecamatan_id=kec.id, actor="cli")
    )
    bad = [replace(batch[0], kode_desa="3528049999")]
    refused = _refusal(
        factory, lambda uow: import_idm(uow, [("x.csv", bad)], kecamatan_id=None, actor="cli")
    )

    def tematik(
        index: int, tema: Tema, tahun: int = 2025, lainnya: str | None = None
    ) -> DesaTematik:
        return _run(
            factory,
            lambda uow: record_tematik(
                uow,
                user=pmd,
                desa_id=desa[index].id,
                tema=tema,
                tahun=tahun,
                referensi="188/45/2025",
                now=NOW,
                tema_lainnya=lainnya,
            ),
        )

    designations = [
        tematik(5, Tema.WISATA),
        tematik(0, Tema.BUDAYA),
        tematik(0, Tema.WISATA),
        tematik(4, Tema.LAINNYA, lainnya="Desa Batik"),
        tematik(4, Tema.UMKM, 2024),
    ]
    duplicate = _refusal(
        factory,
        lambda uow: record_tematik(
            uow,
            user=pmd,
            desa_id=desa[4].id,
            tema=Tema.LAINNYA,
            tahun=2025,
            referensi="188/1",
            now=NOW,
            tema_lainnya="desa batik",
        ),
    )
    ended = _run(
        factory, lambda uow: end_tematik(uow, user=pmd, tematik_id=designations[1].id, now=NOW)
    )
    with factory() as uow:
        reads = (
            uow.idm.list_for_kecamatan(kec.id, 2025),
            uow.idm.count_by_status(kec.id, 2025),
            uow.idm.latest_year(kec.id),
            uow.idm.latest_year(kec.id + 1),
            uow.idm.get(desa[1].id, 2025),
            uow.tematik.list_active(kec.id, 2025),
            uow.tematik.count_desa(kec.id, 2025),
            uow.tematik.get(designations[1].id),
            uow.tematik.end(designations[1].id, NOW),
            iku_report(uow, kecamatan_code="35.28.08", period=Period.year(2025), now=NOW),
        )
    return {
        "entries": entries,
        "imported": imported,
        "refused": refused,
        "tematik": designations,
        "duplicate": duplicate,
        "ended": ended,
        "reads": reads,
    }


def skm(factory: UowFactory) -> dict[str, Any]:
    """Services, answers counted once per person, an import, and what the report reads."""
    kec, _ = _larangan(factory)

    def service(kode: str, nama: str, population: int | None) -> SkmService:
        return _run(
            factory,
            lambda uow: add_service(
                uow, kecamatan_id=kec.id, kode=kode, nama=nama, population=population, actor="cli"
            ),
        )

    ktp, kk, akta = (
        service("ktp", "KTP Elektronik", 200),
        service("kk", "Kartu Keluarga", None),
        service("akta", "akta kelahiran", 50),
    )
    renamed = _run(
        factory,
        lambda uow: update_service(
            uow,
            kecamatan_id=kec.id,
            kode=" KK ",
            nama="Kartu  Keluarga Baru",
            population=80,
            actor="cli",
        ),
    )
    unchanged = _run(
        factory,
        lambda uow: update_service(
            uow, kecamatan_id=kec.id, kode="akta", population=50, actor="cli"
        ),
    )
    taken = _refusal(
        factory,
        lambda uow: add_service(
            uow,
            kecamatan_id=kec.id,
            kode="baru",
            nama="ktp  elektronik",
            population=None,
            actor="cli",
        ),
    )

    def survey(
        person: int, svc: SkmService, at: datetime, score: int, usia: int, saran: str | None
    ) -> None:
        answers = SurveyAnswers(
            service_id=svc.id,
            jenis_kelamin="L" if person % 2 else "P",
            usia=usia,
            pendidikan=("SMA", "S1", "SD")[person % 3],
            pekerjaan=("Swasta", "PNS")[person % 2],
            answers={key: (score + i) % 4 + 1 for i, key in enumerate(UNSUR)},
            saran=saran,
        )
        return _run(
            factory,
            lambda uow: submit_survey(
                uow, kecamatan_id=kec.id, telegram_id=person, survey=answers, secret=SECRET, now=at
            ),
        )

    survey(1, ktp, NOW, 1, 15, "Antrian panjang")
    survey(2, ktp, NOW, 2, 24, None)
    survey(3, kk, NOW + timedelta(days=1), 3, 25, "antrian panjang")
    survey(4, akta, NOW - timedelta(days=40), 0, 70, "  Petugas   ramah ")
    survey(1, kk, NOW, 2, 44, None)
    again = _refusal(
        factory,
        lambda uow: submit_survey(
            uow,
            kecamatan_id=kec.id,
            telegram_id=1,
            survey=SurveyAnswers(ktp.id, "L", 30, "S1", "PNS", dict.fromkeys(UNSUR, 4)),
            secret=SECRET,
            now=NOW + timedelta(days=20),
        ),
    )
    rows = [
        SkmRow(
            line=2,
            survey_date=date(2026, 2, 1),
            answers={**dict.fromkeys(UNSUR, 3), "biaya": None},
            layanan="KTP elektronik",
            usia=None,
            saran="Ruang tunggu panas",
        ),
        SkmRow(
            line=3,
            survey_date=date(2026, 2, 2),
            answers=dict.fromkeys(UNSUR, 2),
            layanan=None,
            jenis_kelamin="P",
            usia=99,
            pendidikan="S3",
            pekerjaan="Lainnya",
            saran="",
        ),
        # the same day as the first: a suggestion without a service is listed first
        SkmRow(
            line=4,
            survey_date=date(2026, 2, 1),
            answers=dict.fromkeys(UNSUR, 4),
            saran="Zebra cross di depan kantor",
        ),
    ]
    imported = _run(
        factory,
        lambda uow: import_skm(uow, rows, kecamatan_id=kec.id, source="skm.xlsx", actor="cli"),
    )
    unknown = _refusal(
        factory,
        lambda uow: import_skm(
            uow,
            [replace(rows[0], layanan="paspor")],
            kecamatan_id=kec.id,
            source="x.xlsx",
            actor="cli",
        ),
    )
    with factory() as uow:
        skm_repo = uow.skm
        first_half = date(2026, 1, 1), date(2026, 6, 30)
        reads = (
            skm_repo.list_services(kec.id),
            skm_repo.get_service_by_code(kec.id, "KTP"),
            skm_repo.find_service_by_name(kec.id, " KARTU keluarga   baru"),
            skm_repo.get_service(99),
            skm_repo.totals(kec.id, *first_half),
            skm_repo.totals(kec.id, *first_half, service_id=ktp.id),
            skm_repo.totals(kec.id, date(2026, 3, 6), date(2026, 3, 6)),
            skm_repo.totals(kec.id + 1, *first_half),
            skm_repo.service_totals([kec.id, kec.id + 1], *first_half),
            skm_repo.service_totals([], *first_half),
            skm_repo.score_counts(kec.id, *first_half),
            skm_repo.score_counts(kec.id, date(2026, 3, 6), date(2026, 3, 6)),
            skm_repo.claim_dedup("a" * 64, "2026-S1"),
            skm_repo.claim_dedup("a" * 64, "2026-S1"),
            skm_repo.has_dedup("b" * 64),
            uow.exports.skm_profile(kec.id, *first_half, (15, 25, 35, 45, 55, 65)),
            uow.exports.skm_profile(kec.id, *first_half, (30,)),
            uow.exports.skm_suggestions(kec.id, *first_half),
            export_data(
                uow,
                viewer=Viewer.operator(),
                kecamatan_code=kec.kode,
                period=Period.semester(2026, 1),
                now=NOW,
            ),
        )
    first_half = date(2026, 1, 1), date(2026, 6, 30)
    pooled = _run(factory, lambda uow: uow.skm.pool_sizes())
    not_yet = _run(factory, lambda uow: flush_survey_pool(uow, batch_size=6))
    flushed = _run(factory, lambda uow: flush_survey_pool(uow, rng=random.Random(7)))
    with factory() as uow:
        after_flush = (
            uow.skm.pool_sizes(),
            uow.skm.totals(kec.id, *first_half),
            uow.skm.totals(kec.id, *first_half, service_id=ktp.id),
            uow.skm.service_totals([kec.id], *first_half),
            uow.skm.score_counts(kec.id, *first_half),
            uow.exports.skm_profile(kec.id, *first_half, (30,)),
            uow.exports.skm_suggestions(kec.id, *first_half),
            uow.skm.count_responses(ktp.id),
        )
    again_flushed = _refusal(
        factory,
        lambda uow: submit_survey(
            uow,
            kecamatan_id=kec.id,
            telegram_id=2,
            survey=SurveyAnswers(ktp.id, "L", 30, "S1", "PNS", dict.fromkeys(UNSUR, 4)),
            secret=SECRET,
            now=NOW,
        ),
    )
    return {
        "services": (ktp, kk, akta, renamed, unchanged),
        "taken": taken,
        "pooled": pooled,
        "flushes": (not_yet, flushed, _run(factory, lambda uow: flush_survey_pool(uow))),
        "after_flush": after_flush,
        "again_flushed": again_flushed,
        "again": again,
        "imported": imported,
        "unknown": unknown,
        "reads": reads,
    }


def example_services(factory: UowFactory) -> dict[str, Any]:
    """The data file's example services: offered once, confirmed, removed or deactivated."""
    seed = packaged_kecamatan("35.28.08")
    assert seed is not None
    seeded = _run(factory, lambda uow: seed_kecamatan(uow, seed))
    kec = _run(factory, lambda uow: uow.kecamatan.get_by_code("35.28.08"))
    assert kec is not None
    listed = _run(factory, lambda uow: uow.skm.list_services(kec.id))
    kk = next(s for s in listed if s.kode == "kk")
    response = _run(
        factory,
        lambda uow: uow.skm.add_response(
            SkmResponse(kec.id, date(2026, 3, 10), dict.fromkeys(UNSUR, 3), service_id=kk.id)
        ),
    )
    confirmed = _run(
        factory,
        lambda uow: confirm_example_service(uow, kecamatan_id=kec.id, kode="KTP", actor="cli"),
    )
    deleted = _run(
        factory,
        lambda uow: remove_example_service(uow, kecamatan_id=kec.id, kode="pbg", actor="cli"),
    )
    kept = _run(
        factory,
        lambda uow: remove_example_service(uow, kecamatan_id=kec.id, kode="kk", actor="cli"),
    )
    refused = [
        _refusal(
            factory,
            lambda uow: confirm_example_service(uow, kecamatan_id=kec.id, kode="ktp", actor="cli"),
        ),
        _refusal(
            factory,
            lambda uow: remove_example_service(uow, kecamatan_id=kec.id, kode="kk", actor="cli"),
        ),
        _refusal(
            factory,
            lambda uow: remove_example_service(uow, kecamatan_id=kec.id, kode="pbg", actor="cli"),
        ),
    ]
    again = _run(factory, lambda uow: seed_kecamatan(uow, seed))
    with factory() as uow:
        reads = (
            uow.skm.list_services(kec.id),
            uow.skm.count_responses(kk.id),
            uow.skm.count_responses(confirmed.id),
            uow.kecamatan.claim_service_examples(kec.id),
            uow.kecamatan.claim_service_examples(kec.id + 1),
        )
    return {
        "seeded": (seeded, listed),
        "response": response,
        "changes": (confirmed, deleted, kept),
        "refused": refused,
        "again": again,
        "reads": reads,
    }


def targets(factory: UowFactory) -> dict[str, Any]:
    """Targets checked, replaced and read by year, and the report that shows them."""
    kec, _ = _larangan(factory)

    def target(indicator: IndicatorCode, tahun: int, value: str) -> None:
        _run(
            factory,
            lambda uow: set_target(
                uow,
                kecamatan_id=kec.id,
                indicator=indicator,
                tahun=tahun,
                value=Decimal(value),
                actor="cli",
            ),
        )

    target(IndicatorCode.SKM, 2026, "76.61")
    target(IndicatorCode.DESA_MANDIRI, 2026, "3")
    target(IndicatorCode.DESA_MANDIRI, 2026, "4")
    target(IndicatorCode.KONFLIK_TERTANGANI, 2025, "90.5")
    refused = [
        _refusal(
            factory,
            lambda uow: set_target(
                uow,
                kecamatan_id=kec.id,
                indicator=IndicatorCode.DESA_TEMATIK,
                tahun=2026,
                value=Decimal("15"),
                actor="cli",
            ),
        ),
        _refusal(
            factory,
            lambda uow: set_target(
                uow,
                kecamatan_id=kec.id,
                indicator=IndicatorCode.SKM,
                tahun=2026,
                value=Decimal("20"),
                actor="cli",
            ),
        ),
    ]
    with factory() as uow:
        reads = (
            uow.targets.for_year(kec.id, 2026),
            uow.targets.for_year(kec.id, 2025),
            uow.targets.for_year(kec.id, 2024),
            iku_report(uow, kecamatan_code="35.28.08", period=Period.year(2026), now=NOW),
        )
    return {"refused": refused, "reads": reads}


def exports_and_views(factory: UowFactory) -> dict[str, Any]:
    """Exports for three viewers and views of a case, audited; the log read back filtered."""
    kec, desa = _larangan(factory)
    dewi = _staff(factory, kec, 730001, Seksi.KESBANG, "Dewi Kesbang")
    putri = _staff(factory, kec, 730002, Seksi.PPD, "Putri Pemdes")
    camat = store_user(factory, Role.ADMIN, telegram_id=730003, nama="Hasan", kecamatan_id=kec.id)
    konflik = _run(
        factory,
        lambda uow: uow.incidents.add(
            make_incident(desa[0], description="Uraian konflik", reporter_id=putri.id)
        ),
    )
    _run(
        factory,
        lambda uow: uow.incidents.add(
            make_incident(desa[1], kind=IncidentKind.TRANTIBUM, description="Uraian trantibum")
        ),
    )
    viewers = [
        Viewer.person(dewi, in_group=False),
        Viewer.person(putri, in_group=False),
        Viewer.person(camat, in_group=True),
        Viewer.operator(),
    ]
    exported = [
        _run(
            factory,
            lambda uow, viewer=viewer, hour=hour: export_report(  # type: ignore[misc]
                uow,
                viewer=viewer,
                kecamatan_code=kec.kode,
                period=Period.year(2026),
                now=NOW + timedelta(hours=hour),
            ),
        )
        for hour, viewer in enumerate(viewers)
    ]
    views = [
        _run(
            factory,
            lambda uow: view_case(
                uow,
                user=putri,
                incident=konflik,
                via=CaseView.HISTORY,
                channel=Channel.PRIVATE,
                at=NOW + timedelta(days=1),
            ),
        ),
        _refusal(
            factory,
            lambda uow: view_case(
                uow,
                user=putri,
                incident=konflik,
                via=CaseView.CARD,
                channel=Channel.PRIVATE,
                at=NOW,
                to_follow_up=True,
            ),
        ),
    ]

    def log(query: AuditQuery) -> AuditListing:
        with factory() as uow:
            return audit_log(uow, query, tz=WIB)

    listings = [
        log(AuditQuery()),
        log(AuditQuery(person=putri.telegram_id)),
        log(AuditQuery(person=dewi.id, action="EXPORT")),
        log(AuditQuery(since=date(2026, 3, 6), until=date(2026, 3, 6))),
        log(AuditQuery(action="export_xlsx_g")),
        log(AuditQuery(limit=2)),
    ]
    return {
        "exported": exported,
        "views": views,
        "listings": listings,
        "refused": [
            _refusal(factory, lambda uow: audit_log(uow, AuditQuery(person=999999), tz=WIB)),
            _refusal(
                factory,
                lambda uow: audit_log(
                    uow, AuditQuery(since=date(2026, 3, 7), until=date(2026, 3, 6)), tz=WIB
                ),
            ),
        ],
    }


def import_batches(factory: UowFactory) -> dict[str, Any]:
    """The same file refused and replaced, undo of SKM and IDM batches (out of order)."""
    kec, desa = _larangan(factory)
    ppd = _staff(factory, kec, 20, Seksi.PPD, "Dewi")
    cli = Importer("cli:budi", ImportSource.CLI)
    later = NOW + timedelta(hours=1)

    def explain(batch: ImportBatch) -> str:
        return f"sudah diimpor sebagai batch #{batch.id}"

    rows = [
        SkmRow(line=n + 2, survey_date=date(2026, 3, 2), answers=dict.fromkeys(UNSUR, 3))
        for n in range(3)
    ]
    sheet = ImportedFile("skm.csv", file_sha256(b"skm"))

    def skm(uow: UnitOfWork, replace: bool) -> SkmBatchResult:
        return import_skm_file(
            uow,
            rows,
            kecamatan_id=kec.id,
            file=sheet,
            now=NOW,
            importer=cli,
            explain=explain,
            replace=replace,
        )

    def idm(name: str, text: str) -> list[IdmBatchResult]:
        parsed = IdmFile(
            ImportedFile(name, file_sha256(text.encode())), read_idm_table(csv_table(text), name)
        )
        return _run(
            factory,
            lambda uow: import_idm_files(
                uow, [parsed], kecamatan=kec, now=NOW, importer=cli, explain=explain
            ),
        )

    def undo(batch_id: int) -> UndoResult:
        return _run(
            factory,
            lambda uow: undo_batch(
                uow, batch_id, kecamatan_id=kec.id, now=later, importer=cli, when=str
            ),
        )

    first = _run(factory, lambda uow: skm(uow, False))
    refused = _refusal(factory, lambda uow: skm(uow, False))
    second = _run(factory, lambda uow: skm(uow, True))
    _run(
        factory,
        lambda uow: record_idm(
            uow, user=ppd, desa_id=desa[0].id, tahun=2026, now=NOW, idm=Decimal("0.41")
        ),
    )
    a = idm("a.csv", f"kode_desa,tahun,idm\n{desa[0].kode},2026,0.6\n{desa[1].kode},2026,0.5\n")
    b = idm("b.csv", f"kode_desa,tahun,idm\n{desa[0].kode_bps},2026,0.7\n")
    undone = [undo(a[0].batch.id), undo(b[0].batch.id), undo(second.batch.id)]
    twice = _refusal(
        factory,
        lambda uow: undo_batch(
            uow, second.batch.id, kecamatan_id=kec.id, now=later, importer=cli, when=str
        ),
    )
    with factory() as uow:
        reads = (
            uow.imports.list_for_kecamatan(kec.id),
            uow.imports.list_for_kecamatan(kec.id, kind=ImportKind.IDM, limit=1),
            uow.imports.count(kec.id, kind=ImportKind.SKM),
            [uow.imports.idm_changes(r.batch.id) for r in (*a, *b)],
            uow.idm.list_for_kecamatan(kec.id, 2026),
            uow.skm.totals(kec.id, date(2026, 1, 1), date(2026, 12, 31)),
        )
    changes = [[(c.desa_id, c.tahun, c.previous is None) for c in found] for found in reads[3]]
    return {
        "imported": (first, second, a, b),
        "refused": (refused, twice),
        "undone": undone,
        "reads": (reads[0], reads[1], reads[2], changes, reads[4], reads[5]),
    }


def evidence(factory: UowFactory) -> dict[str, Any]:
    """Photos kept as pending evidence with their case, fetched, refused, retried, given up."""
    from domain.evidence import (
        FetchPolicy,
        check_file,
        record_fetch_error,
        record_rejected,
        record_stored,
        store_key,
    )

    kec, desa = _larangan(factory)
    trantib = _staff(factory, kec, 21, Seksi.TRANTIB, "ahmad")
    t = IncidentKind.TRANTIBUM
    first = _run(
        factory,
        lambda uow: submit_incident(
            uow,
            reporter=trantib,
            draft=_draft(desa[0], t, 2, "judi", photo_file_ids=("f1", "f2", "f3")),
            now=NOW - timedelta(days=1),
            max_age_days=60,
        ),
    )
    _run(
        factory,
        lambda uow: submit_incident(
            uow,
            reporter=trantib,
            draft=_draft(desa[1], t, 4, "pencurian", photo_file_ids=("g1",)),
            now=NOW,
            max_age_days=60,
        ),
    )
    _run(
        factory,
        lambda uow: follow_up(
            uow,
            actor=trantib,
            incident_id=first.id,
            expected_version=first.version,
            to_status=IncidentStatus.TERTANGANI,
            note="Sudah ditangani bersama polsek",
            now=NOW,
            proof=ReceivedFile("proof-1"),
        ),
    )
    policy = FetchPolicy(max_attempts=2, first_delay=timedelta(minutes=1))
    due_before = _run(factory, lambda uow: uow.evidence.due(now=NOW, limit=10))
    early = _run(factory, lambda uow: uow.evidence.due(now=NOW - timedelta(hours=1), limit=10))
    f1, f2, f3, g1, proof = due_before
    jpeg = b"\xff\xd8\xff\xe0" + b"x" * 60
    checked = check_file(jpeg)
    _run(
        factory,
        lambda uow: record_stored(uow, f1, checked=checked, key=store_key(checked.sha256), at=NOW),
    )
    _run(factory, lambda uow: record_rejected(uow, f2, reason="Berkas kosong.", at=NOW))
    retry = _run(
        factory, lambda uow: record_fetch_error(uow, f3, error="e1", at=NOW, policy=policy)
    )
    f3_later = _run(factory, lambda uow: uow.evidence.get(f3.id))
    assert f3_later is not None
    gave_up = _run(
        factory, lambda uow: record_fetch_error(uow, f3_later, error="e2", at=NOW, policy=policy)
    )

    def strip(files: list[Any]) -> list[Any]:
        return [replace(f, id=0, incident_id=0, event_id=f.event_id and 1) for f in files]

    return {
        "due": strip(due_before),
        "early": len(early),
        "retry": retry,
        "gave_up": gave_up,
        "first": strip(_run(factory, lambda uow: uow.evidence.for_incident(first.id))),
        "due_after": [
            f.telegram_file_id
            for f in _run(
                factory, lambda uow: uow.evidence.due(now=NOW + timedelta(days=1), limit=10)
            )
        ],
        "listing": [
            (
                e.nomor,
                e.kind,
                e.event_date,
                e.desa_kode,
                e.desa_nama,
                e.file.telegram_file_id,
                e.file.status,
            )
            for e in _run(
                factory,
                lambda uow: uow.evidence.listing(
                    kecamatan_id=kec.id, start=date(2026, 3, 1), end=date(2026, 3, 31)
                ),
            )
        ],
        "other_kec": _run(
            factory,
            lambda uow: uow.evidence.listing(
                kecamatan_id=kec.id + 1, start=date(2026, 3, 1), end=date(2026, 3, 31)
            ),
        ),
        "counts": _run(factory, lambda uow: uow.evidence.counts()),
        "g1": g1.telegram_file_id,
        "proof": (proof.role, proof.telegram_file_id, proof.event_id is not None),
    }


def rtl(factory: UowFactory) -> dict[str, Any]:
    """The SKM follow-up plan: proposals, confirmation, notes, a stale change, figures."""
    kec, _ = _larangan(factory)
    admin = store_user(factory, Role.ADMIN, telegram_id=90, nama="Camat", kecamatan_id=kec.id)
    owner = _staff(factory, kec, 91, Seksi.PELAYANAN, "Kasi Pelayanan")
    period = SkmPeriod(2025, "S2")
    low = {"waktu": 1, "sarana": 2, "biaya": 2}

    def answers(uow: UnitOfWork) -> None:
        for day in (date(2025, 8, 1), date(2025, 11, 30)):
            uow.skm.add_response(SkmResponse(kec.id, day, {key: low.get(key, 4) for key in UNSUR}))

    _run(factory, answers)
    proposed = _run(
        factory,
        lambda uow: open_proposals(uow, kecamatan_id=kec.id, skm_period=period, today=NOW.date()),
    )

    def confirm(unsur: str, due: date) -> Any:
        return _run(
            factory,
            lambda uow: confirm_rtl(
                uow,
                user=admin,
                kecamatan_id=kec.id,
                skm_period=period,
                unsur=unsur,
                kegiatan=f"Perbaikan unsur {unsur} di loket",
                owner_id=owner.id,
                due=due,
                today=NOW.date(),
                now=NOW,
            ),
        )

    waktu = confirm("waktu", date(2026, 3, 31))
    biaya = confirm("biaya", date(2026, 3, 5))
    sarana = confirm("sarana", date(2026, 4, 30))
    moved = _run(
        factory,
        lambda uow: report_progress(
            uow, user=owner, item_id=waktu.id, version=1, note="Loket kedua dipasang", now=NOW
        ),
    )
    stale = _refusal(
        factory,
        lambda uow: report_progress(
            uow, user=owner, item_id=waktu.id, version=1, note="Catatan basi", now=NOW
        ),
    )
    done = _run(
        factory,
        lambda uow: complete_rtl(
            uow,
            user=owner,
            item_id=waktu.id,
            version=moved.version,
            note="Selesai",
            today=NOW.date(),
            now=NOW,
        ),
    )
    cancelled = _run(
        factory,
        lambda uow: cancel_rtl(
            uow, user=admin, item_id=sarana.id, version=1, reason="Diganti kegiatan lain", now=NOW
        ),
    )
    report = _run(factory, lambda uow: rtl_report(uow, kecamatan_id=kec.id, skm_period=period))

    def strip(item: Any) -> Any:
        return replace(item, created_at=None)

    result = {
        "proposed": [(p.unsur, p.nrr) for p in proposed],
        "items": [strip(i) for i in (waktu, biaya, sarana, moved, done, cancelled)],
        "stale": stale,
        "stale_type": StaleRtl.__name__,
        "notes": [
            (n.item_id, n.user_id, n.note, n.status, n.at)
            for n in _run(factory, lambda uow: uow.rtl.progress(waktu.id))
        ],
        "period": [
            strip(i) for i in _run(factory, lambda uow: uow.rtl.list_for_period(kec.id, 2025, "S2"))
        ],
        "owner": [i.id for i in _run(factory, lambda uow: uow.rtl.list_for_owner(owner.id))],
        "open": [i.id for i in _run(factory, lambda uow: uow.rtl.list_open(kec.id))],
        "periods": _run(factory, lambda uow: uow.rtl.periods(kec.id)),
        "other_kec": _run(factory, lambda uow: uow.rtl.periods(kec.id + 1)),
        "missing": _run(factory, lambda uow: uow.rtl.get(999)),
        "report": report,
        "latest": _run(factory, lambda uow: latest_rtl_figures(uow, kec.id)),
        "overdue": {
            k: [i.id for i in v]
            for k, v in _run(
                factory, lambda uow: overdue_rtl(uow, kec.id, date(2026, 3, 6))
            ).items()
        },
        "created_at": waktu.created_at.astimezone(UTC),
    }

    # Last (a refused INSERT may use up an id on PostgreSQL): a second live item for an
    # unsur is refused by the partial unique index, a cancelled one's unsur may be planned.
    duplicate = _run(factory, lambda uow: uow.rtl.add(replace(biaya, id=0)))
    again = _run(factory, lambda uow: uow.rtl.add(replace(sarana, id=0)))
    assert again is not None
    result["duplicate"] = duplicate
    result["again"] = (again.unsur, again.status, again.version)
    return result


def kabupaten_digest_log(factory: UowFactory) -> dict[str, Any]:
    """Once per kabupaten and week: claimed, taken over when failed or stale, not after."""
    with factory() as uow:
        first = uow.digests.claim_kabupaten(
            kabupaten_code="35.28", chat_id=-500, week_key="2026-W09", at=NOW, stale_before=NOW
        )
        assert first is not None
        again = uow.digests.claim_kabupaten(
            kabupaten_code="35.28", chat_id=-500, week_key="2026-W09", at=NOW, stale_before=NOW
        )
        uow.digests.progress_kabupaten(first.id, 2)
        uow.digests.fail_kabupaten(first.id, error="jaringan", give_up=False)
        retried = uow.digests.claim_kabupaten(
            kabupaten_code="35.28", chat_id=-501, week_key="2026-W09", at=NOW, stale_before=NOW
        )
        assert retried is not None
        uow.digests.finish_kabupaten(retried.id, at=NOW + timedelta(minutes=5))
        after_sent = uow.digests.claim_kabupaten(
            kabupaten_code="35.28", chat_id=-501, week_key="2026-W09", at=NOW, stale_before=NOW
        )
        other = uow.digests.claim_kabupaten(
            kabupaten_code="35.29",
            chat_id=-600,
            week_key="2026-W09",
            at=NOW - timedelta(hours=1),
            stale_before=NOW,
        )
        stale = uow.digests.claim_kabupaten(
            kabupaten_code="35.29", chat_id=-600, week_key="2026-W09", at=NOW, stale_before=NOW
        )
        assert stale is not None
        uow.digests.fail_kabupaten(stale.id, error="diblokir", give_up=True)
        uow.commit()
    with factory() as uow:
        logs = [
            uow.digests.kabupaten_log("35.28", "2026-W09"),
            uow.digests.kabupaten_log("35.29", "2026-W09"),
            uow.digests.kabupaten_log("35.28", "2026-W10"),
            again,
            after_sent,
            other,
            retried,
        ]
    return {"logs": [None if log is None else replace(log, id=0) for log in logs]}


SCENARIOS = [
    kabupaten_digest_log,
    registration,
    incidents,
    nil_reports,
    records,
    skm,
    example_services,
    targets,
    exports_and_views,
    import_batches,
    evidence,
    rtl,
]


def _sql_audit(sessions: sessionmaker[Session]) -> list[tuple[Any, ...]]:
    with sessions() as session:
        rows = session.scalars(select(AuditLogRow).order_by(col(AuditLogRow.id)))
        return [(r.actor, r.action, r.entity, r.entity_id, r.detail, r.user_id) for r in rows]


def _memory_audit(db: InMemoryDatabase) -> list[tuple[Any, ...]]:
    return [
        (e.actor, e.action, e.entity, e.entity_id, e.detail, e.user_id) for e in db.committed.audit
    ]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_the_fake_gives_the_results_of_the_sql_unit_of_work(
    scenario: Callable[[UowFactory], dict[str, Any]],
    uow_factory: UowFactory,
    session_factory: sessionmaker[Session],
) -> None:
    memory = InMemoryDatabase()
    expected = scenario(uow_factory)
    actual = scenario(memory.unit_of_work)
    for key in expected:
        assert actual[key] == expected[key], key
    assert actual.keys() == expected.keys()
    assert _memory_audit(memory) == _sql_audit(session_factory)
