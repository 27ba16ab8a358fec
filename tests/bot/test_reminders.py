"""The weekly reminders on the office clock: who, exactly once, catch-up, and the Nihil button.

The calendar of these tests: ISO week 2026-W48 runs from Monday 23 to Sunday 29
November 2026; the reminders are scheduled on Friday 27 November at 14:00 (WIB) and
may be caught up for two days (DIGEST_GRACE_DAYS).
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlmodel import col
from telegram import Bot
from telegram.request import RequestData

from bot.config import Settings
from bot.delivery.offline import OfflineBotApi, SentMessage
from bot.digest.reminders import ReminderService
from bot.runtime import Runtime
from domain.models import IncidentKind, IncidentStatus, NilReport, Role, Seksi, User, UserStatus
from storage.repositories import SqlDigestRepository
from storage.seed import parse_kecamatan, seed_kecamatan
from storage.tables import NilReportRow, ReminderLogRow
from storage.uow import SqlUnitOfWork
from tests import factories
from tests.bot.conftest import ADMIN, WIB, Clock, add_user
from tests.bot.harness import Harness, Person
from tests.factories import make_incident
from tests.storage.builders import PADEMAWU

FRIDAY_14 = datetime(2026, 11, 27, 14, 0, tzinfo=WIB)

SEKDES = Person(810001, "Ahmad Fauzi")  # Peltong: no report, no nil report
KAUR = Person(810002, "Nur <Hasanah> & Putri")  # Peltong too; a name that needs escaping
BLUMBUNGAN = Person(810003, "Abd. Rahman")  # nil report this week
TRASAK = Person(810004, "Siti Maryam")  # an incident dated this week
MONTOK = Person(810005, "Moh. Sholeh")  # an incident dated last week, received this week
GRUJUGAN_OFF = Person(810006, "Imam Syafii")  # disabled
LANCAR_PENDING = Person(810007, "Hosnol Hotimah")  # registration pending
KESBANG = Person(820001, "Hasan Basri")
KESBANG_OFF = Person(820002, "Rasyid Ridho")  # disabled
TRANTIB = Person(820003, "Moh. Rofiq")

NIHIL_SEKDES = (
    "<b>Pengingat laporan mingguan</b>\n"
    "Bapak/Ibu Ahmad Fauzi, Desa Peltong belum mengirim laporan kejadian maupun laporan "
    "nihil untuk minggu ini (23 November 2026 s.d. 29 November 2026).\n\n"
    "Bila minggu ini <b>tidak ada</b> konflik sosial dan tidak ada kejadian trantibum di "
    "desa Anda, cukup tekan tombol <b>Nihil</b> di bawah.\n"
    "Bila ada kejadian, laporkan dengan /lapor."
)
OVERDUE_KESBANG = (
    "<b>Pengingat kasus terlambat</b>\n"
    "Bapak/Ibu Hasan Basri, kasus berikut sudah lebih dari 7 hari terbuka sejak laporannya "
    "diterima dan menunggu tindak lanjut:\n\n"
    "<b>Konflik sosial</b> (1 kasus)\n"
    "- KS-352808-2026-0001, Desa Taraban, Baru, terbuka 10 hari\n\n"
    "Tindak lanjuti dengan /tindaklanjut NOMOR, misalnya /tindaklanjut KS-352808-2026-0001, atau "
    "ketik /tindaklanjut saja untuk daftar semua kasus terbuka."
)
NIHIL_BUTTON = [[{"text": "Nihil", "callback_data": "r:nh:2026-W48"}]]


def _desa_id(runtime: Runtime, kode: str) -> int:
    with runtime.uow() as uow:
        desa = uow.desa.find_by_code(kode)
    assert desa is not None
    return desa.id


def _incident(
    runtime: Runtime, kode: str, kind: IncidentKind, event_date: date, received_at: datetime
) -> None:
    desa_id = _desa_id(runtime, kode)
    with runtime.uow() as uow:
        desa = uow.desa.get(desa_id)
        assert desa is not None
        uow.incidents.add(
            make_incident(desa, kind=kind, event_date=event_date, received_at=received_at)
        )
        uow.commit()


def _setup(runtime: Runtime) -> dict[Person, User]:
    """The people and the week of the tests (see the module docstring)."""
    perangkat = Role.PERANGKAT_DESA
    users = {
        SEKDES: add_user(runtime, SEKDES, perangkat, desa_kode="35.28.08.2001"),
        KAUR: add_user(runtime, KAUR, perangkat, desa_kode="35.28.08.2001"),
        BLUMBUNGAN: add_user(runtime, BLUMBUNGAN, perangkat, desa_kode="35.28.08.2002"),
        TRASAK: add_user(runtime, TRASAK, perangkat, desa_kode="35.28.08.2003"),
        MONTOK: add_user(runtime, MONTOK, perangkat, desa_kode="35.28.08.2010"),
        GRUJUGAN_OFF: add_user(
            runtime, GRUJUGAN_OFF, perangkat, desa_kode="35.28.08.2006", status=UserStatus.DISABLED
        ),
        LANCAR_PENDING: add_user(
            runtime, LANCAR_PENDING, perangkat, desa_kode="35.28.08.2013", status=UserStatus.PENDING
        ),
        KESBANG: add_user(runtime, KESBANG, Role.STAF_SEKSI, seksi=Seksi.KESBANG),
        KESBANG_OFF: add_user(
            runtime, KESBANG_OFF, Role.STAF_SEKSI, seksi=Seksi.KESBANG, status=UserStatus.DISABLED
        ),
        TRANTIB: add_user(runtime, TRANTIB, Role.STAF_SEKSI, seksi=Seksi.TRANTIB),
        ADMIN: add_user(runtime, ADMIN, Role.ADMIN, jabatan="Camat"),
    }
    # KS-352808-2026-0001, Taraban: open for 10 days on Friday 14:00 -> overdue, for Kesbang.
    _incident(
        runtime,
        "35.28.08.2011",
        IncidentKind.KONFLIK,
        date(2026, 11, 16),
        datetime(2026, 11, 17, 9, 0, tzinfo=WIB),
    )
    # KS-352808-2026-0002, Trasak: dated and received this week (4 days open: not overdue).
    _incident(
        runtime,
        "35.28.08.2003",
        IncidentKind.KONFLIK,
        date(2026, 11, 23),
        datetime(2026, 11, 23, 11, 0, tzinfo=WIB),
    )
    # TB-352808-2026-0001, Montok: dated last week, received this week.
    _incident(
        runtime,
        "35.28.08.2010",
        IncidentKind.TRANTIBUM,
        date(2026, 11, 21),
        datetime(2026, 11, 24, 8, 0, tzinfo=WIB),
    )
    with runtime.uow() as uow:
        uow.incidents.add_nil_report(
            NilReport(
                desa_id=_desa_id(runtime, "35.28.08.2002"),
                iso_year=2026,
                iso_week=48,
                user_id=users[BLUMBUNGAN].id,
                created_at=datetime(2026, 11, 25, 8, 0, tzinfo=WIB),
            )
        )
        uow.commit()
    return users


def _nil_reports(runtime: Runtime) -> list[tuple[int, int, int, int | None]]:
    with runtime.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        rows = uow.session.scalars(select(NilReportRow).order_by(col(NilReportRow.id)))
        return [(r.desa_id, r.iso_year, r.iso_week, r.user_id) for r in rows]


def _logged(runtime: Runtime) -> list[tuple[int, str, str]]:
    with runtime.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        rows = uow.session.scalars(
            select(ReminderLogRow).order_by(col(ReminderLogRow.user_id), col(ReminderLogRow.kind))
        )
        return [(r.user_id, r.week_key, r.kind) for r in rows]


def _sent(harness: Harness) -> list[int]:
    """Chats that received a message, in order."""
    return [m.chat_id for m in harness.api.messages]


@pytest.fixture
def service(harness: Harness, runtime: Runtime, settings: Settings) -> ReminderService:
    return ReminderService(runtime, settings, harness.outbox)


async def _tick(service: ReminderService, harness: Harness) -> int:
    """One run of the reminder job, then the outbox's delivery of what it queued."""
    queued = await service.tick(_bot(harness))
    await harness.settle()
    return queued


def _bot(harness: Harness) -> Bot:
    bot: Bot = harness.application.bot  # Application's type parameters are not spelled out
    return bot


# --- the scheduled moment, exactly once, the catch-up -------------------------------------


async def test_before_friday_14_00_nothing_is_sent(
    harness: Harness, runtime: Runtime, service: ReminderService, clock: Clock
) -> None:
    _setup(runtime)
    for moment in (
        datetime(2026, 11, 23, 9, 0, tzinfo=WIB),
        datetime(2026, 11, 27, 13, 59, 59, tzinfo=WIB),
    ):
        clock.now = moment
        assert service.due() is None
        assert await _tick(service, harness) == 0
    assert harness.api.messages == []
    assert _logged(runtime) == []


async def test_at_friday_14_00_exactly_the_right_people_are_reminded(
    harness: Harness, runtime: Runtime, service: ReminderService, clock: Clock
) -> None:
    users = _setup(runtime)
    clock.now = FRIDAY_14
    assert await _tick(service, harness) == 3
    # Peltong's two perangkat (nothing this week) and Kesbang (one overdue konflik);
    # not Blumbungan (nil), Trasak (dated this week), Montok (received this week), the
    # disabled and the pending, Trantib (nothing overdue), nor the admin (Kesbang has staff).
    assert sorted(_sent(harness)) == [SEKDES.id, KAUR.id, KESBANG.id]
    [to_sekdes] = harness.api.to_chat(SEKDES.id)
    assert to_sekdes.text == NIHIL_SEKDES
    assert to_sekdes.buttons == NIHIL_BUTTON
    [to_kaur] = harness.api.to_chat(KAUR.id)
    assert to_kaur.text.startswith(
        "<b>Pengingat laporan mingguan</b>\nBapak/Ibu Nur &lt;Hasanah&gt; &amp; Putri, "
        "Desa Peltong belum"
    )
    assert to_kaur.buttons == NIHIL_BUTTON
    [to_kesbang] = harness.api.to_chat(KESBANG.id)
    assert to_kesbang.text == OVERDUE_KESBANG
    assert to_kesbang.buttons == []
    sends = [c for c in harness.api.calls if c.method == "sendMessage"]
    assert {c.params["parse_mode"] for c in sends} == {"HTML"}
    assert _logged(runtime) == sorted(
        [
            (users[SEKDES].id, "2026-W48", "nihil"),
            (users[KAUR].id, "2026-W48", "nihil"),
            (users[KESBANG].id, "2026-W48", "terlambat"),
        ]
    )


async def test_a_second_tick_and_a_restart_send_nothing_new(
    harness: Harness, runtime: Runtime, settings: Settings, clock: Clock
) -> None:
    _setup(runtime)
    clock.now = FRIDAY_14
    first = ReminderService(runtime, settings, harness.outbox)
    assert await _tick(first, harness) == 3
    clock.now = FRIDAY_14 + timedelta(minutes=5)
    assert await _tick(first, harness) == 0
    # A new process on the same database, and a second bot process at the same time.
    await harness.restart()
    clock.now = FRIDAY_14 + timedelta(hours=3)
    assert await ReminderService(runtime, settings, harness.outbox).tick(_bot(harness)) == 0
    assert ReminderService(runtime, settings, harness.outbox).claim() == []
    assert len(harness.api.messages) == 3


async def test_after_downtime_on_friday_the_reminders_are_caught_up_on_saturday(
    harness: Harness, runtime: Runtime, service: ReminderService, clock: Clock
) -> None:
    _setup(runtime)
    clock.now = datetime(2026, 11, 28, 9, 30, tzinfo=WIB)  # the bot was down on Friday
    assert service.due() is not None
    assert await _tick(service, harness) == 3
    # Overdue "as of now": Saturday morning the Taraban case is open for 11 days.
    assert "terbuka 11 hari" in harness.last(KESBANG).text
    assert harness.last(SEKDES).text == NIHIL_SEKDES
    clock.now = datetime(2026, 11, 29, 12, 0, tzinfo=WIB)
    assert await _tick(service, harness) == 0


async def test_after_the_grace_period_or_in_the_next_week_nothing_is_sent(
    harness: Harness, runtime: Runtime, service: ReminderService, clock: Clock
) -> None:
    _setup(runtime)
    clock.now = FRIDAY_14 + timedelta(days=2, minutes=1)  # Sunday 14:01, grace was 2 days
    assert service.due() is None
    assert await _tick(service, harness) == 0
    clock.now = datetime(2026, 11, 30, 8, 0, tzinfo=WIB)  # Monday: a new week
    assert service.due() is None
    assert await _tick(service, harness) == 0
    assert harness.api.messages == []
    assert _logged(runtime) == []


async def test_the_grace_period_is_the_digests_setting(
    harness: Harness, runtime: Runtime, settings: Settings, clock: Clock
) -> None:
    _setup(runtime)
    one_day = ReminderService(
        runtime, settings.model_copy(update={"digest_grace_days": 1}), harness.outbox
    )
    clock.now = FRIDAY_14 + timedelta(days=1, seconds=1)
    assert one_day.due() is None
    clock.now = FRIDAY_14 + timedelta(days=1)
    assert one_day.due() is not None
    assert await _tick(one_day, harness) == 3


async def test_a_cron_schedule_and_the_week_it_reminds_about(
    runtime: Runtime, settings: Settings, clock: Clock
) -> None:
    monday = ReminderService(
        runtime, settings.model_copy(update={"reminder_schedule": "0 9 * * 1"})
    )
    clock.now = datetime(2026, 11, 30, 9, 0, tzinfo=WIB)
    week = monday.due()
    assert week is not None
    assert week.key == "2026-W49"
    clock.now = datetime(2026, 11, 30, 8, 59, tzinfo=WIB)
    assert monday.due() is None


async def test_the_schedule_nonaktif_sends_nothing(
    harness: Harness, runtime: Runtime, settings: Settings, clock: Clock
) -> None:
    _setup(runtime)
    off = ReminderService(
        runtime, settings.model_copy(update={"reminder_schedule": "nonaktif"}), harness.outbox
    )
    for moment in (FRIDAY_14, FRIDAY_14 + timedelta(hours=1)):
        clock.now = moment
        assert off.due() is None
        assert await _tick(off, harness) == 0
    assert harness.api.messages == []
    assert _logged(runtime) == []


# --- routing of overdue cases ----------------------------------------------------------------


async def test_overdue_cases_of_a_seksi_without_active_staff_go_to_the_admins(
    harness: Harness, runtime: Runtime, service: ReminderService, clock: Clock
) -> None:
    add_user(runtime, KESBANG, Role.STAF_SEKSI, seksi=Seksi.KESBANG)
    add_user(runtime, KESBANG_OFF, Role.STAF_SEKSI, seksi=Seksi.KESBANG, status=UserStatus.DISABLED)
    add_user(
        runtime, TRANTIB, Role.STAF_SEKSI, seksi=Seksi.TRANTIB, status=UserStatus.DISABLED
    )  # Trantib has nobody active
    add_user(runtime, ADMIN, Role.ADMIN, jabatan="Camat")
    received = datetime(2026, 11, 12, 10, 0, tzinfo=WIB)  # 15 days before Friday 14:00
    _incident(runtime, "35.28.08.2007", IncidentKind.TRANTIBUM, date(2026, 11, 12), received)
    _incident(runtime, "35.28.08.2001", IncidentKind.KONFLIK, date(2026, 11, 12), received)
    _incident(
        runtime,
        "35.28.08.2004",
        IncidentKind.TRANTIBUM,
        date(2026, 11, 18),
        datetime(2026, 11, 18, 16, 0, tzinfo=WIB),
    )
    clock.now = FRIDAY_14
    assert await _tick(service, harness) == 2
    assert harness.last(ADMIN).text == (
        "<b>Pengingat kasus terlambat</b>\n"
        "Bapak/Ibu Camat Larangan, kasus berikut sudah lebih dari 7 hari terbuka sejak "
        "laporannya diterima dan menunggu tindak lanjut:\n\n"
        "<b>Trantibum</b> (2 kasus)\n"
        "- TB-352808-2026-0001, Desa Larangan Luar, Baru, terbuka 15 hari\n"
        "- TB-352808-2026-0002, Desa Tentenan Barat, Baru, terbuka 8 hari\n\n"
        "Tindak lanjuti dengan /tindaklanjut NOMOR, misalnya /tindaklanjut TB-352808-2026-0001, "
        "atau "
        "ketik /tindaklanjut saja untuk daftar semua kasus terbuka."
    )
    assert (
        "- KS-352808-2026-0001, Desa Peltong, Baru, terbuka 15 hari" in harness.last(KESBANG).text
    )
    assert "TB-" not in harness.last(KESBANG).text
    assert harness.texts(KESBANG_OFF) == []
    assert harness.texts(TRANTIB) == []


async def test_an_admin_gets_both_kinds_in_one_message_and_handled_cases_are_left_out(
    harness: Harness, runtime: Runtime, service: ReminderService, clock: Clock
) -> None:
    add_user(runtime, ADMIN, Role.ADMIN, jabatan="Camat")
    received = datetime(2026, 11, 16, 10, 0, tzinfo=WIB)
    _incident(runtime, "35.28.08.2009", IncidentKind.TRANTIBUM, date(2026, 11, 16), received)
    _incident(runtime, "35.28.08.2012", IncidentKind.KONFLIK, date(2026, 11, 16), received)
    _incident(runtime, "35.28.08.2012", IncidentKind.KONFLIK, date(2026, 11, 16), received)
    with runtime.uow() as uow:
        handled = uow.incidents.get_by_nomor("KS-352808-2026-0002")
        assert handled is not None
        uow.incidents.change_status(
            handled.id,
            to_status=IncidentStatus.TERTANGANI,
            note="Sudah dimediasi di balai desa",
            user_id=None,
            at=received + timedelta(days=1),
            expected_version=handled.version,
        )
        uow.commit()
    clock.now = FRIDAY_14
    assert await _tick(service, harness) == 1
    [message] = harness.api.to_chat(ADMIN.id)
    assert (
        "<b>Konflik sosial</b> (1 kasus)\n"
        "- KS-352808-2026-0001, Desa Duko Timur, Baru, terbuka 11 hari\n"
        "\n<b>Trantibum</b> (1 kasus)\n- TB-352808-2026-0001, Desa Panaguan, Baru, terbuka 11 hari"
    ) in message.text
    assert "KS-352808-2026-0002" not in message.text


# --- delivery: blocked recipients, flood control, database errors ----------------------------


async def test_a_recipient_who_blocked_the_bot_does_not_stop_the_others(
    harness: Harness,
    runtime: Runtime,
    service: ReminderService,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _setup(runtime)
    harness.api.fail_for = {SEKDES.id}
    clock.now = FRIDAY_14
    with caplog.at_level(logging.WARNING, logger="bot.delivery.outbox"):
        assert await _tick(service, harness) == 3
    assert sorted(_sent(harness)) == [KAUR.id, KESBANG.id]
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert str(SEKDES.id) in warning.getMessage()
    assert "blocked" in warning.getMessage()
    # Never retried: the reminder was claimed before it was sent.
    harness.api.fail_for = set()
    clock.now = FRIDAY_14 + timedelta(minutes=10)
    assert await _tick(service, harness) == 0
    assert harness.texts(SEKDES) == []


@dataclass
class FloodedApi(OfflineBotApi):
    """Answers sendMessage to some chats with Telegram's flood control a number of times."""

    floods: dict[int, int] = field(default_factory=dict)
    retry_after: int = 3

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if url.endswith("/sendMessage") and request_data is not None:
            chat_id = int(str(request_data.parameters["chat_id"]))
            if self.floods.get(chat_id, 0) > 0:
                self.floods[chat_id] -= 1
                return 429, json.dumps(
                    {
                        "ok": False,
                        "error_code": 429,
                        "description": f"Too Many Requests: retry after {self.retry_after}",
                        "parameters": {"retry_after": self.retry_after},
                    }
                ).encode()
        return await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )


@pytest.fixture
async def flooded(settings: Settings, runtime: Runtime) -> AsyncIterator[Harness]:
    h = Harness(settings, runtime, api=FloodedApi())
    await h.start()
    yield h
    await h.stop()


@pytest.fixture
def waits(flooded: Harness) -> list[float]:
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(round(seconds))

    flooded.outbox.sleep = sleep
    return waited


# PTB itself warns about ``retry_after`` becoming a timedelta when it builds RetryAfter.
_PTB_RETRY_AFTER = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@_PTB_RETRY_AFTER
async def test_flood_control_waits_and_sends_the_same_message_again(
    flooded: Harness,
    runtime: Runtime,
    settings: Settings,
    clock: Clock,
    waits: list[float],
) -> None:
    _setup(runtime)
    api = flooded.api
    assert isinstance(api, FloodedApi)
    api.floods = {SEKDES.id: 2}
    clock.now = FRIDAY_14
    assert await _tick(ReminderService(runtime, settings, flooded.outbox), flooded) == 3
    assert waits == [3, 3]
    assert [m.text for m in api.to_chat(SEKDES.id)] == [NIHIL_SEKDES]


@_PTB_RETRY_AFTER
async def test_long_flood_control_on_one_chat_holds_up_nobody_else(
    flooded: Harness,
    runtime: Runtime,
    settings: Settings,
    clock: Clock,
    waits: list[float],
    caplog: pytest.LogCaptureFixture,
) -> None:
    _setup(runtime)
    api = flooded.api
    assert isinstance(api, FloodedApi)
    api.floods = {KESBANG.id: 6}
    order: list[int] = []
    api.listener = lambda method, sent, params: order.append(sent.chat_id) if sent else None
    clock.now = FRIDAY_14
    with caplog.at_level(logging.WARNING, logger="bot.delivery.outbox"):
        assert await _tick(ReminderService(runtime, settings, flooded.outbox), flooded) == 3
    # Waited as told, six times, and then delivered; the other two went out first.
    assert waits == [3] * 6
    assert order[-1] == KESBANG.id
    assert sorted(order[:2]) == sorted([SEKDES.id, KAUR.id])
    assert len(api.to_chat(KESBANG.id)) == 1
    assert "RetryAfter" in caplog.text


def _add_pademawu_perangkat(runtime: Runtime, person: Person) -> None:
    with runtime.uow() as uow:
        seed_kecamatan(uow, parse_kecamatan(PADEMAWU, "pademawu.json"))
        uow.commit()
    kec = runtime.kecamatan("35.28.09")
    with runtime.uow() as uow:
        desa = uow.desa.find_by_code("35.28.09.2001")
        assert desa is not None
        factories.add_user(
            uow,
            Role.PERANGKAT_DESA,
            telegram_id=person.id,
            nama=person.name,
            jabatan="Sekdes",
            kecamatan_id=kec.id,
            desa_id=desa.id,
        )
        uow.commit()


async def test_a_database_error_in_one_kecamatan_is_logged_and_tried_again_next_tick(
    harness: Harness,
    runtime: Runtime,
    service: ReminderService,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _setup(runtime)
    murtajih = Person(830001, "Fathorrahman")
    _add_pademawu_perangkat(runtime, murtajih)
    real = SqlDigestRepository.claim_reminder
    calls: list[int] = []

    def flaky(self: SqlDigestRepository, user_id: int, week: str, kind: str, at: Any) -> bool:
        calls.append(user_id)
        if len(calls) == 2:  # in Larangan, after one claim was already written
            raise OperationalError("INSERT INTO reminder_log", {}, Exception("connection lost"))
        return real(self, user_id, week, kind, at)

    monkeypatch.setattr(SqlDigestRepository, "claim_reminder", flaky)
    clock.now = FRIDAY_14
    with caplog.at_level(logging.ERROR, logger="bot.digest.reminders"):
        assert await _tick(service, harness) == 1
    assert _sent(harness) == [murtajih.id]  # Pademawu went on
    assert "Kecamatan Larangan" in caplog.text
    assert "connection lost" in caplog.text
    assert [week for _, week, _ in _logged(runtime)] == ["2026-W48"]  # Pademawu's only
    monkeypatch.setattr(SqlDigestRepository, "claim_reminder", real)
    clock.now = FRIDAY_14 + timedelta(minutes=5)
    assert await _tick(service, harness) == 3
    assert sorted(_sent(harness)) == sorted([murtajih.id, SEKDES.id, KAUR.id, KESBANG.id])


# --- the one-tap Nihil button ---------------------------------------------------------------


async def _remind(harness: Harness, runtime: Runtime, clock: Clock) -> dict[Person, User]:
    users = _setup(runtime)
    clock.now = FRIDAY_14
    assert await _tick(ReminderService(runtime, harness.settings, harness.outbox), harness) == 3
    clock.now = FRIDAY_14 + timedelta(hours=2)
    return users


def _reminder(harness: Harness, person: Person) -> SentMessage:
    [message] = [m for m in harness.api.to_chat(person.id) if "Pengingat" in m.text]
    return message


async def test_the_nihil_button_stores_the_nil_report_of_the_users_desa(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    users = await _remind(harness, runtime, clock)
    reminder = _reminder(harness, SEKDES)
    data = harness.data_of(reminder, "Nihil")
    await harness.press(SEKDES, "Nihil", message=reminder)
    assert harness.last(SEKDES).text == (
        "Laporan nihil minggu 23 November 2026 s.d. 29 November 2026 tercatat. Terima kasih."
    )
    peltong = _desa_id(runtime, "35.28.08.2001")
    assert _nil_reports(runtime)[-1] == (peltong, 2026, 48, users[SEKDES].id)
    assert len(_nil_reports(runtime)) == 2  # Blumbungan's and Peltong's
    assert reminder.buttons == []  # the button is taken off the reminder
    assert reminder.text == NIHIL_SEKDES
    # A second press (an old copy of the button) writes nothing more.
    await harness.press_data(SEKDES, data, reminder)
    assert harness.last(SEKDES).text == (
        "Laporan nihil desa Anda untuk minggu 23 November 2026 s.d. 29 November 2026 sudah "
        "tercatat sebelumnya."
    )
    # The other perangkat of Peltong: the desa has sent it already.
    await harness.press(KAUR, "Nihil", message=_reminder(harness, KAUR))
    assert "sudah tercatat sebelumnya" in harness.last(KAUR).text
    assert len(_nil_reports(runtime)) == 2


async def test_the_nihil_button_of_last_weeks_reminder_stores_nothing(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    await _remind(harness, runtime, clock)
    reminder = _reminder(harness, SEKDES)
    clock.now = datetime(2026, 11, 30, 7, 30, tzinfo=WIB)  # Monday of the next week
    await harness.press(SEKDES, "Nihil", message=reminder)
    assert harness.last(SEKDES).text == (
        "Pengingat ini untuk minggu ke-48 tahun 2026 (23 November 2026 s.d. 29 November "
        "2026), yang sudah lewat, jadi tidak ada yang disimpan. Laporan nihil hanya dapat "
        "dikirim untuk minggu berjalan: gunakan /nihil untuk minggu ini."
    )
    assert len(_nil_reports(runtime)) == 1  # Blumbungan's only
    assert reminder.buttons == []


async def test_the_nihil_button_refuses_who_is_no_longer_an_active_perangkat_desa(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    users = await _remind(harness, runtime, clock)
    reminder = _reminder(harness, SEKDES)
    with runtime.uow() as uow:
        uow.users.update(replace(users[SEKDES], status=UserStatus.DISABLED))
        uow.commit()
    await harness.press(SEKDES, "Nihil", message=reminder)
    assert harness.last(SEKDES).text == (
        "Akun Anda dinonaktifkan. Hubungi admin kecamatan bila ini keliru."
    )
    # Somebody else pressing it (a staff member, not a perangkat desa).
    await harness.press_data(KESBANG, harness.data_of(reminder, "Nihil"), reminder)
    assert harness.last(SEKDES).text == "Maaf, fitur ini hanya untuk perangkat desa."
    assert len(_nil_reports(runtime)) == 1
    assert reminder.buttons == NIHIL_BUTTON


async def test_the_nihil_button_is_refused_once_the_desa_has_an_incident_this_week(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    await _remind(harness, runtime, clock)
    _incident(
        runtime,
        "35.28.08.2001",
        IncidentKind.TRANTIBUM,
        date(2026, 11, 27),
        datetime(2026, 11, 27, 15, 0, tzinfo=WIB),
    )
    await harness.press(SEKDES, "Nihil", message=_reminder(harness, SEKDES))
    assert harness.last(SEKDES).text == (
        "Desa Peltong sudah mempunyai 1 laporan kejadian bertanggal minggu ini, jadi laporan "
        "nihil tidak dapat dikirim untuk minggu ini."
    )
    assert len(_nil_reports(runtime)) == 1


async def test_a_malformed_nihil_button_is_stale(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    await _remind(harness, runtime, clock)
    reminder = _reminder(harness, SEKDES)
    for data in ("r:nh:minggu-lalu", "r:nh", "r:nh:2026-W48:x"):
        await harness.press_data(SEKDES, data, reminder)
    assert harness.toasts()[-3:] == ["Tombol ini sudah tidak berlaku."] * 3
    assert len(_nil_reports(runtime)) == 1
    with runtime.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        assert uow.session.scalar(select(func.count()).select_from(NilReportRow)) == 1
