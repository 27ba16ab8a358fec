"""The weekly digest: the group binding, its content for a seeded week, the schedule,
exactly once, the catch-up after downtime, retries and faults.

Time is the test's Clock; the JobQueue is not started: the tests call the service's
``tick`` at the moments the scheduler would (the jobs themselves are checked apart).
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from telegram import (
    Chat,
    ChatMemberBanned,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberUpdated,
    Update,
    User,
)

from bot.app import DIGEST_KEY
from bot.delivery.offline import BOT_ID, process
from bot.digest import sender as digest_module
from bot.digest.sender import STALE_CLAIM, DigestService
from bot.runtime import Runtime
from domain.digest import IsoWeek
from domain.idm import IdmStatus
from domain.models import (
    DesaTematik,
    DigestGroup,
    DigestStatus,
    IdmResult,
    IncidentKind,
    IncidentStatus,
    IndicatorCode,
    NilReport,
    Role,
    Seksi,
    SkmResponse,
    Tema,
    UserStatus,
)
from domain.skm import UNSUR
from tests.bot.conftest import ADMIN, WIB, Clock, add_user
from tests.bot.harness import Harness, Person
from tests.factories import make_incident
from tests.storage.builders import jakarta

GROUP = Chat(id=-100555, type=Chat.SUPERGROUP, title="Grup Camat Larangan")
OTHER_GROUP = Chat(id=-100777, type=Chat.SUPERGROUP, title="Grup Lain")
DEWI = Person(720001, "Dewi Kesbang")
MONDAY = datetime(2026, 11, 30, 7, 0, tzinfo=WIB)  # reports 2026-W48 (23-29 November)
W48 = IsoWeek(2026, 48)


def _service(harness: Harness) -> DigestService:
    service = harness.application.bot_data[DIGEST_KEY]
    assert isinstance(service, DigestService)
    return service


async def _tick(harness: Harness) -> int:
    return await _service(harness).tick(harness.application.bot)


def _bind(runtime: Runtime, chat: Chat = GROUP) -> None:
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        known = uow.users.get_by_telegram_id(ADMIN.id) is not None
    if not known:
        add_user(runtime, ADMIN, Role.ADMIN)
    with runtime.uow() as uow:
        admin = uow.users.get_by_telegram_id(ADMIN.id)
        uow.digests.bind(
            DigestGroup(
                kecamatan_id=kec.id,
                chat_id=chat.id,
                title=chat.title or "",
                bound_by=None if admin is None else admin.id,
                bound_at=jakarta(2026, 11, 1),
            )
        )
        uow.commit()


def _log_status(runtime: Runtime, week: IsoWeek = W48, chat: Chat = GROUP) -> Any:
    with runtime.uow() as uow:
        return uow.digests.get_log(chat.id, week.key)


def _seed_week(runtime: Runtime) -> None:
    """A week with numbers checked by hand (see test_the_digest_of_a_seeded_week)."""
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        d = uow.desa.list_by_kecamatan(kec.id)

        def add(desa_index: int, kind: IncidentKind, event: date, received: datetime) -> int:
            incident = uow.incidents.add(
                make_incident(d[desa_index], kind=kind, event_date=event, received_at=received)
            )
            return incident.id

        e = add(3, IncidentKind.KONFLIK, date(2026, 10, 5), jakarta(2026, 10, 5))
        a = add(0, IncidentKind.KONFLIK, date(2026, 11, 24), jakarta(2026, 11, 24))
        add(0, IncidentKind.KONFLIK, date(2026, 11, 25), jakarta(2026, 11, 25))  # B
        add(2, IncidentKind.TRANTIBUM, date(2026, 11, 10), jakarta(2026, 11, 10))  # D
        add(1, IncidentKind.TRANTIBUM, date(2026, 11, 27), jakarta(2026, 11, 27))  # C
        add(6, IncidentKind.TRANTIBUM, date(2026, 11, 21), jakarta(2026, 11, 23))  # F
        for incident_id, at in ((e, jakarta(2026, 10, 7)), (a, jakarta(2026, 11, 26))):
            uow.incidents.change_status(
                incident_id,
                to_status=IncidentStatus.TERTANGANI,
                note="Dimediasi",
                user_id=None,
                at=at,
                expected_version=1,
            )
        uow.incidents.add_nil_report(
            NilReport(desa_id=d[4].id, iso_year=2026, iso_week=48, user_id=None, created_at=MONDAY)
        )
        for day in (date(2026, 11, 24), date(2026, 11, 26)):
            uow.skm.add_response(
                SkmResponse(kecamatan_id=kec.id, survey_date=day, answers=dict.fromkeys(UNSUR, 4))
            )
        for index, score, status in ((0, "0.85", IdmStatus.MANDIRI), (1, "0.75", IdmStatus.MAJU)):
            uow.idm.upsert(
                IdmResult(desa_id=d[index].id, tahun=2026, score=Decimal(score), status=status)
            )
        uow.tematik.add(
            DesaTematik(id=0, desa_id=d[0].id, tema=Tema.WISATA, tahun=2026, referensi="SK 1")
        )
        uow.targets.set(kec.id, IndicatorCode.DESA_MANDIRI, 2026, Decimal(5))
        uow.targets.set(kec.id, IndicatorCode.KONFLIK_TERTANGANI, 2026, Decimal(100))
        uow.commit()


# -- the group binding ----------------------------------------------------------------------


async def test_an_admin_binds_the_group_and_is_told_the_schedule(
    harness: Harness, runtime: Runtime
) -> None:
    await harness.send(ADMIN, "/atur_grup@iku_test_bot", chat=GROUP)
    reply = harness.last(GROUP.id).text
    assert reply.startswith(
        "✅ Grup ini sekarang menerima ringkasan mingguan IKU Kecamatan Larangan, setiap Senin "
        "pukul 07.00 (waktu kantor). Ringkasan berikutnya: 30 November 2026 07.00 WIB."
    )
    with runtime.uow() as uow:
        group = uow.digests.group_for(runtime.kecamatan().id)
    assert group is not None
    assert (group.chat_id, group.title) == (GROUP.id, "Grup Camat Larangan")
    # The bot asked Telegram whether it may post there before binding.
    assert any(c.method == "getChatMember" for c in harness.api.calls)


async def test_a_second_group_replaces_the_first(harness: Harness, runtime: Runtime) -> None:
    await harness.send(ADMIN, "/atur_grup", chat=GROUP)
    await harness.send(ADMIN, "/atur_grup", chat=OTHER_GROUP)
    assert "Grup sebelumnya (Grup Camat Larangan) tidak menerima ringkasan lagi." in (
        harness.last(OTHER_GROUP.id).text
    )
    with runtime.uow() as uow:
        assert [g.chat_id for g in uow.digests.groups()] == [OTHER_GROUP.id]


async def test_a_non_admin_cannot_bind_and_nothing_is_stored(
    harness: Harness, runtime: Runtime
) -> None:
    add_user(runtime, DEWI, Role.STAF_SEKSI, seksi=Seksi.KESBANG)
    stranger = Person(720009, "Orang Lewat")
    for person in (DEWI, stranger):
        await harness.send(person, "/atur_grup", chat=GROUP)
        assert harness.last(GROUP.id).text == "Maaf, perintah ini di grup hanya untuk admin bot."
        await harness.send(person, "/lepas_grup", chat=GROUP)
    with runtime.uow() as uow:
        assert uow.digests.groups() == []


async def test_a_group_where_the_bot_may_not_post_is_refused_in_private(
    harness: Harness, runtime: Runtime
) -> None:
    harness.api.chat_permissions[GROUP.id] = {"can_send_messages": False}
    await harness.send(ADMIN, "/atur_grup", chat=GROUP)
    assert harness.api.to_chat(GROUP.id) == []
    assert harness.last(ADMIN).text.startswith(
        "Bot belum dapat mengirim pesan di grup <b>Grup Camat Larangan</b>."
    )
    with runtime.uow() as uow:
        assert uow.digests.groups() == []


async def test_a_group_without_photos_is_bound_with_a_note(harness: Harness) -> None:
    harness.api.chat_permissions[GROUP.id] = {"can_send_messages": True, "can_send_photos": False}
    await harness.send(ADMIN, "/atur_grup", chat=GROUP)
    assert "grafik tidak ikut terkirim" in harness.last(GROUP.id).text


async def test_lepas_grup_unbinds_and_says_so(harness: Harness, runtime: Runtime) -> None:
    await harness.send(ADMIN, "/atur_grup", chat=GROUP)
    await harness.send(ADMIN, "/lepas_grup", chat=GROUP)
    assert harness.last(GROUP.id).text == (
        "Grup ini tidak lagi menerima ringkasan mingguan Kecamatan Larangan."
    )
    await harness.send(ADMIN, "/lepas_grup", chat=GROUP)
    assert harness.last(GROUP.id).text == "Grup ini tidak sedang menerima ringkasan mingguan."
    with runtime.uow() as uow:
        assert uow.digests.groups() == []


async def test_the_group_commands_in_private_say_where_to_send_them(harness: Harness) -> None:
    await harness.send(ADMIN, "/atur_grup")
    assert harness.last(ADMIN).text.startswith("Kirim perintah ini di grup")


async def test_unknown_commands_and_commands_for_other_bots_are_ignored_in_groups(
    harness: Harness,
) -> None:
    for text in ("/entahlah", "/ringkasan@bot_lain", "/start@bot_lain"):
        await harness.send(ADMIN, text, chat=GROUP)
    assert harness.api.to_chat(GROUP.id) == []


# -- content ----------------------------------------------------------------------------------


async def test_the_digest_of_a_seeded_week(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    """W48 (23-29 November 2026), made Monday 30 November 07.00.

    Konflik YTD: E (5 Oct, handled), A (24 Nov, handled), B (25 Nov) -> 2/3 = 66,67%;
    a week earlier only E -> 100,00%: down. Trantibum: D (10 Nov), C (27 Nov), F (dated
    21 Nov, received 23 Nov) -> 0/3 = 0,00%; a week earlier D and F -> 0,00%: same.
    New this week (received): Peltong 2 konflik, Blumbungan 1 trantibum, Larangan Luar
    (F) 1 trantibum. Handled this week: A. Open: D 19 days (overdue), F 6, B 4, C 2.
    """
    _seed_week(runtime)
    _bind(runtime)
    clock.now = MONDAY
    assert await _tick(harness) == 1
    sent = harness.api.to_chat(GROUP.id)
    assert [m.kind for m in sent] == ["text", "photo"]
    text = sent[0].text
    assert text.startswith(
        "<b>Ringkasan Mingguan IKU Kecamatan Larangan</b>\n"
        "Minggu 2026-W48 (23 November 2026 s.d. 29 November 2026)\n\n"
        "<b>IKU tahun 2026 s.d. 29 November 2026</b>\n"
        "1. Jumlah Desa Mandiri: <b>1 desa</b> = (tetap)\n"
        "    target 5 desa · capaian 20,00%\n"
        "2. Jumlah Desa Tematik: <b>1 desa</b> = (tetap)\n"
        "    target - · capaian -\n"
        "3. Persentase jumlah potensi dan/atau konflik sosial tertangani: <b>66,67%</b> "
        "▼ (minggu lalu 100,00%)\n"
        "    target 100,00% · capaian 66,67%\n"
        "4. Persentase jumlah pelanggaran trantibum tertangani: <b>0,00%</b> = (tetap)\n"
        "    target - · capaian -\n"
        "5. Hasil Survei Kepuasan Masyarakat: <b>100,00</b> ▲ (minggu lalu belum ada angka)\n"
    )
    d = _desa_names(runtime)
    assert (
        "<b>Kejadian minggu ini</b>\n"
        "Laporan baru: 2 konflik sosial, 2 trantibum.\n"
        f"• {d[0]}: 2 konflik sosial\n"
        f"• {d[1]}: 1 trantibum\n"
        f"• {d[6]}: 1 trantibum\n"
        "Tertangani minggu ini: 1 konflik sosial, 0 trantibum."
    ) in text
    assert (
        "<b>Kasus terbuka per 30 November 2026 07.00 WIB: 4, terlambat 1</b>\n"
        f"⚠️ TB-352808-2026-0001 · {d[2]} · 19 hari\n"
        f"• TB-352808-2026-0003 · {d[6]} · 6 hari\n"
        f"• KS-352808-2026-0003 · {d[0]} · 4 hari\n"
        f"• TB-352808-2026-0002 · {d[1]} · 2 hari\n"
        "⚠️ = terlambat (terbuka lebih dari 7 hari)."
    ) in text
    silent = [d[i] for i in range(14) if i not in (0, 1, 4, 6)]
    assert (
        "<b>Kelengkapan laporan desa minggu ini</b>\n"
        f"Melapor kejadian (3): {d[0]}, {d[1]}, {d[6]}\n"
        f"Laporan nihil (1): {d[4]}\n"
        f"Belum ada kabar (10): {', '.join(silent)}"
    ) in text
    assert (
        "<b>Survei Kepuasan Masyarakat</b>\nResponden minggu ini: 2.\n"
        "Tahun 2026 s.d. 29 November 2026: NIK <b>100,00</b>, mutu A (Sangat baik), "
        "2 responden."
    ) in text
    assert (
        "<b>IDM tahun 2026</b>\nMandiri 1 · Maju 1 · Berkembang 0 · Tertinggal 0 · "
        "Sangat Tertinggal 0; belum ada data: 12."
    ) in text
    assert "<b>Desa tematik tahun 2026:</b> 1 desa." in text
    assert "<i>Panah: dibandingkan dengan angka s.d. akhir minggu lalu (dihitung ulang).</i>" in (
        text
    )
    chart = sent[1]
    assert chart.content is not None
    assert chart.content.startswith(b"\x89PNG")
    assert chart.text == (
        "Kejadian per minggu dan persentase tertangani, Kecamatan Larangan, 2026-W37 s.d. 2026-W48."
    )
    log = _log_status(runtime)
    assert (log.status, log.parts_sent) == (DigestStatus.SENT, 2)


async def test_next_week_compares_with_what_the_group_was_shown(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _seed_week(runtime)
    _bind(runtime)
    clock.now = MONDAY
    await _tick(harness)
    # During W49 the last open conflict is handled and a new desa mandiri is recorded.
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        b = uow.incidents.get_by_nomor("KS-352808-2026-0003")
        assert b is not None
        uow.incidents.change_status(
            b.id,
            to_status=IncidentStatus.TERTANGANI,
            note="Selesai",
            user_id=None,
            at=jakarta(2026, 12, 2),
            expected_version=b.version,
        )
        d = uow.desa.list_by_kecamatan(kec.id)
        uow.idm.upsert(
            IdmResult(desa_id=d[5].id, tahun=2026, score=Decimal("0.9"), status=IdmStatus.MANDIRI)
        )
        uow.commit()
    clock.now = MONDAY + timedelta(days=7)
    assert await _tick(harness) == 1
    text = harness.api.to_chat(GROUP.id)[-2].text
    assert "1. Jumlah Desa Mandiri: <b>2 desa</b> ▲ (minggu lalu 1 desa)" in text
    assert "<b>100,00%</b> ▲ (minggu lalu 66,67%)" in text
    assert "<i>Panah: dibandingkan dengan ringkasan minggu lalu.</i>" in text
    assert "Tertangani minggu ini: 1 konflik sosial, 0 trantibum." in text


async def test_the_first_week_of_a_year_has_no_arrows(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _bind(runtime)
    clock.now = datetime(2027, 1, 11, 7, 0, tzinfo=WIB)  # reports 2027-W01 (4-10 January)
    await _tick(harness)
    text = harness.api.to_chat(GROUP.id)[0].text
    assert "Minggu 2027-W01 (4 Januari 2027 s.d. 10 Januari 2027)" in text
    assert "<b>IKU tahun 2027 s.d. 10 Januari 2027</b>" in text
    assert "<i>Awal tahun: belum ada pembanding minggu lalu.</i>" in text
    assert "▲" not in text
    assert "▼" not in text


# -- schedule, exactly once, catch-up ---------------------------------------------------------


async def test_nothing_before_the_scheduled_time_and_once_after_it(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _bind(runtime)
    clock.now = MONDAY - timedelta(minutes=1)
    assert await _tick(harness) == 0
    assert harness.api.to_chat(GROUP.id) == []
    clock.now = MONDAY
    assert await _tick(harness) == 1
    count = len(harness.api.to_chat(GROUP.id))
    clock.now = MONDAY + timedelta(minutes=10)
    assert await _tick(harness) == 0
    await harness.restart()  # a new process on the same database
    assert await _tick(harness) == 0
    assert len(harness.api.to_chat(GROUP.id)) == count


async def test_two_processes_at_once_send_it_once(
    harness: Harness, runtime: Runtime, clock: Clock, settings: Any
) -> None:
    _bind(runtime)
    clock.now = MONDAY
    bot = harness.application.bot
    first, second = DigestService(runtime, settings), DigestService(runtime, settings)
    results = await asyncio.gather(first.tick(bot), second.tick(bot))
    assert sorted(results) == [0, 1]
    assert [m.kind for m in harness.api.to_chat(GROUP.id)] == ["text", "photo"]


async def test_a_digest_missed_while_down_goes_out_within_the_grace(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _bind(runtime)
    clock.now = MONDAY + timedelta(days=1, hours=3)  # the bot comes back on Tuesday 10.00
    assert await _tick(harness) == 1
    assert "Minggu 2026-W48" in harness.api.to_chat(GROUP.id)[0].text


async def test_a_digest_missed_beyond_the_grace_is_not_sent(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _bind(runtime)
    clock.now = MONDAY + timedelta(days=2, minutes=1)
    assert await _tick(harness) == 0
    assert harness.api.to_chat(GROUP.id) == []
    assert _log_status(runtime) is None


async def test_the_schedule_can_be_a_cron_expression(
    runtime: Runtime, clock: Clock, settings: Any
) -> None:
    custom = settings.model_copy(update={"digest_schedule": "30 6 * * 1"})
    service = DigestService(runtime, custom)
    assert service.due_week(datetime(2026, 11, 30, 6, 29, tzinfo=WIB)) is None
    assert service.due_week(datetime(2026, 11, 30, 6, 30, tzinfo=WIB)) == W48
    off = DigestService(runtime, settings.model_copy(update={"digest_schedule": "nonaktif"}))
    assert off.due_week(MONDAY) is None


async def test_the_jobs_are_scheduled_on_the_office_clock(harness: Harness) -> None:
    jobs = {job.name: job for job in harness.application.job_queue.jobs()}  # type: ignore[union-attr]
    assert {"digest", "digest-catch-up", "purge-drafts"} <= set(jobs)
    trigger = jobs["digest"].job.trigger
    moment = trigger.get_next_fire_time(None, datetime(2026, 11, 26, 12, 0, tzinfo=WIB))
    assert moment == datetime(2026, 11, 30, 7, 0, tzinfo=WIB)
    assert str(moment.tzinfo) == "Asia/Jakarta"


# -- faults -----------------------------------------------------------------------------------


async def test_a_failed_send_is_retried_later_continuing_where_it_stopped(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _bind(runtime)
    clock.now = MONDAY
    service = _service(harness)
    composed = service.compose(runtime.kecamatan().kode, W48, MONDAY)
    assert len(composed.messages) == 1
    harness.api.fail_next(GROUP.id, 502, "Bad Gateway")  # the first message fails
    assert await _tick(harness) == 0
    entry = _log_status(runtime)
    assert (entry.status, entry.attempts, entry.parts_sent) == (DigestStatus.FAILED, 1, 0)
    clock.now = MONDAY + timedelta(minutes=5)  # before DIGEST_RETRY_MINUTES
    assert await _tick(harness) == 0
    clock.now = MONDAY + timedelta(minutes=10)
    assert await _tick(harness) == 1
    assert [m.kind for m in harness.api.to_chat(GROUP.id)] == ["text", "photo"]
    entry = _log_status(runtime)
    assert (entry.status, entry.attempts, entry.parts_sent) == (DigestStatus.SENT, 2, 2)


async def test_a_retry_does_not_repeat_the_parts_already_sent(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _bind(runtime)
    clock.now = MONDAY
    calls: list[str] = []

    def on_send(method: str, sent: Any, params: dict[str, Any]) -> None:
        calls.append(method)
        if method == "sendMessage" and sent is not None and sent.chat_id == GROUP.id:
            harness.api.fail_next(GROUP.id, 500, "Internal Server Error")

    harness.api.listener = on_send  # the text goes out, then the chart fails
    assert await _tick(harness) == 0
    harness.api.listener = None
    assert _log_status(runtime).parts_sent == 1
    clock.now = MONDAY + timedelta(minutes=10)
    assert await _tick(harness) == 1
    assert [m.kind for m in harness.api.to_chat(GROUP.id)] == ["text", "photo"]


async def test_after_the_last_attempt_the_admins_are_told(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _bind(runtime)
    harness.api.fail_next(GROUP.id, 502, "Bad Gateway", times=3)
    for minutes in (0, 10, 20, 30):
        clock.now = MONDAY + timedelta(minutes=minutes)
        assert await _tick(harness) == 0
    entry = _log_status(runtime)
    assert (entry.status, entry.attempts) == (DigestStatus.GAVE_UP, 3)
    told = [t for t in harness.texts(ADMIN) if t.startswith("⚠️ Ringkasan mingguan 2026-W48")]
    assert len(told) == 1
    assert "gagal dikirim ke grup <b>Grup Camat Larangan</b> setelah 3 kali percobaan" in told[0]


async def test_flood_control_is_waited_for(
    harness: Harness, runtime: Runtime, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []

    async def no_sleep(seconds: float) -> None:
        waits.append(seconds)

    _service(harness).sleep = no_sleep
    _bind(runtime)
    clock.now = MONDAY
    harness.api.fail_next(
        GROUP.id, 429, "Too Many Requests: retry after 7", {"retry_after": 7}, times=2
    )
    assert await _tick(harness) == 1
    assert waits == [7.0, 7.0]
    assert [m.kind for m in harness.api.to_chat(GROUP.id)] == ["text", "photo"]


async def test_the_bot_removed_from_the_group_is_forgotten_and_the_admins_told(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _bind(runtime)
    clock.now = MONDAY
    harness.api.fail_for.add(GROUP.id)
    assert await _tick(harness) == 0
    assert _log_status(runtime).status is DigestStatus.GAVE_UP
    with runtime.uow() as uow:
        assert uow.digests.groups() == []
    assert harness.last(ADMIN).text.startswith(
        "⚠️ Bot dikeluarkan atau tidak lagi boleh mengirim pesan di grup <b>Grup Camat Larangan</b>"
    )
    clock.now = MONDAY + timedelta(hours=1)  # no crash loop, no retry against the group
    calls = len(harness.api.calls)
    assert await _tick(harness) == 0
    assert len(harness.api.calls) == calls


async def test_a_membership_update_removing_the_bot_unbinds_the_group(
    harness: Harness, runtime: Runtime
) -> None:
    _bind(runtime)
    bot_user = User(BOT_ID, "IKU Bot", is_bot=True)
    admin = User(ADMIN.id, ADMIN.name, is_bot=False)
    change = ChatMemberUpdated(
        chat=GROUP,
        from_user=admin,
        date=jakarta(2026, 11, 25, 9),
        old_chat_member=ChatMemberMember(user=bot_user),
        new_chat_member=ChatMemberBanned(user=bot_user, until_date=jakarta(2027, 1, 1)),
    )
    await process(harness.application, Update(update_id=99001, my_chat_member=change))
    with runtime.uow() as uow:
        assert uow.digests.groups() == []
    assert "tidak lagi boleh mengirim pesan di grup <b>Grup Camat Larangan</b>" in (
        harness.last(ADMIN).text
    )


async def test_a_group_that_became_a_supergroup_is_followed(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    old = Chat(id=-555, type=Chat.GROUP, title="Grup Camat Larangan")
    _bind(runtime, old)
    clock.now = MONDAY
    harness.api.fail_next(
        old.id,
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        {"migrate_to_chat_id": GROUP.id},
    )
    assert await _tick(harness) == 1
    assert [m.kind for m in harness.api.to_chat(GROUP.id)] == ["text", "photo"]
    with runtime.uow() as uow:
        assert [g.chat_id for g in uow.digests.groups()] == [GROUP.id]


async def test_a_database_error_while_composing_is_retried_not_skipped(
    harness: Harness, runtime: Runtime, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    _bind(runtime)
    clock.now = MONDAY
    real = getattr(digest_module, "weekly_digest")  # noqa: B009

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(digest_module, "weekly_digest", broken)
    assert await _tick(harness) == 0
    assert _log_status(runtime) is None  # nothing claimed
    monkeypatch.setattr(digest_module, "weekly_digest", real)
    clock.now = MONDAY + timedelta(minutes=10)
    assert await _tick(harness) == 1


async def test_a_chart_that_cannot_be_made_leaves_the_text(
    harness: Harness, runtime: Runtime, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(digest_module, "digest_chart", broken)
    _bind(runtime)
    clock.now = MONDAY
    assert await _tick(harness) == 1
    assert [m.kind for m in harness.api.to_chat(GROUP.id)] == ["text"]


async def test_a_chart_refused_by_telegram_leaves_the_text(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _bind(runtime)
    clock.now = MONDAY

    def on_send(method: str, sent: Any, params: dict[str, Any]) -> None:
        if method == "sendMessage" and sent is not None and sent.chat_id == GROUP.id:
            harness.api.fail_next(GROUP.id, 400, "Bad Request: not enough rights to send photos")

    harness.api.listener = on_send
    assert await _tick(harness) == 1
    assert [m.kind for m in harness.api.to_chat(GROUP.id)] == ["text"]
    assert _log_status(runtime).status is DigestStatus.SENT


async def test_a_stale_claim_of_a_dead_process_is_taken_over(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _bind(runtime)
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        uow.digests.claim(
            kecamatan_id=kec.id,
            chat_id=GROUP.id,
            week_key=W48.key,
            at=MONDAY,
            stale_before=MONDAY - STALE_CLAIM,
        )
        uow.commit()
    clock.now = MONDAY + timedelta(minutes=20)  # the other process may still be sending
    assert await _tick(harness) == 0
    clock.now = MONDAY + STALE_CLAIM + timedelta(minutes=1)
    assert await _tick(harness) == 1


def _desa_names(runtime: Runtime) -> list[str]:
    with runtime.uow() as uow:
        return [d.nama for d in uow.desa.list_by_kecamatan(runtime.kecamatan().id)]


async def test_disabled_admins_are_not_told(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    other_admin = Person(720050, "Admin Nonaktif")
    add_user(runtime, other_admin, Role.ADMIN, status=UserStatus.DISABLED)
    _bind(runtime)
    clock.now = MONDAY
    harness.api.fail_for.add(GROUP.id)
    await _tick(harness)
    assert harness.api.to_chat(other_admin.id) == []


async def test_the_reminder_jobs_are_scheduled_on_friday_afternoon(harness: Harness) -> None:
    jobs = {job.name: job for job in harness.application.job_queue.jobs()}  # type: ignore[union-attr]
    assert {"reminders", "reminders-catch-up"} <= set(jobs)
    trigger = jobs["reminders"].job.trigger
    moment = trigger.get_next_fire_time(None, datetime(2026, 11, 26, 12, 0, tzinfo=WIB))
    assert moment == datetime(2026, 11, 27, 14, 0, tzinfo=WIB)


async def test_a_digest_a_moment_late_with_no_grace_still_goes_out(
    harness: Harness, runtime: Runtime, clock: Clock, settings: Any
) -> None:
    _bind(runtime)
    service = DigestService(runtime, settings.model_copy(update={"digest_grace_days": 0}))
    clock.now = MONDAY + timedelta(seconds=1)
    assert await service.tick(harness.application.bot) == 1
    clock.now = MONDAY + timedelta(hours=1, seconds=1)
    assert service.due_week(clock.now) is None


async def test_the_bot_added_to_a_group_says_how_to_bind_it(harness: Harness) -> None:
    bot_user = User(BOT_ID, "IKU Bot", is_bot=True)
    change = ChatMemberUpdated(
        chat=GROUP,
        from_user=User(ADMIN.id, ADMIN.name, is_bot=False),
        date=jakarta(2026, 11, 25, 9),
        old_chat_member=ChatMemberLeft(user=bot_user),
        new_chat_member=ChatMemberMember(user=bot_user),
    )
    await process(harness.application, Update(update_id=99002, my_chat_member=change))
    assert harness.last(GROUP.id).text.endswith("admin bot mengirim /atur_grup di sini.")
