"""The weekly kabupaten digest in its own group: binding by the admin kabupaten, one
message a week with every kecamatan and their completeness, retries and giving up.

Time is the test's Clock; the tests call the digest service's ``tick`` as the
scheduler would (see tests/bot/test_digest.py).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from telegram import Chat, ChatMemberLeft, ChatMemberMember, ChatMemberUpdated, Update, User

from bot import texts
from bot.app import DIGEST_KEY
from bot.delivery.offline import BOT_ID, process
from bot.digest.sender import DigestService
from bot.runtime import Runtime
from domain.kabupaten_admin import add_kabupaten_admin
from domain.models import (
    DigestGroup,
    DigestStatus,
    IncidentKind,
    KabupatenDigestGroup,
    NilReport,
    Role,
    UserStatus,
)
from tests import factories
from tests.bot.conftest import ADMIN, WIB, Clock, add_user
from tests.bot.harness import Harness, Person
from tests.bot.test_kabupaten_admin import BUDI, CERMEE_ADMIN, RINA, seed_kabupaten
from tests.factories import make_incident
from tests.storage.builders import jakarta

KAB_GROUP = Chat(id=-100888, type=Chat.SUPERGROUP, title="Grup Pemkab Pamekasan")
OTHER_GROUP = Chat(id=-100889, type=Chat.SUPERGROUP, title="Grup Lain")
KEC_GROUP = Chat(id=-100890, type=Chat.SUPERGROUP, title="Grup Camat Larangan")
BONDOWOSO_ADMIN = Person(720004, "Admin Bondowoso")
MONDAY = datetime(2026, 11, 30, 7, 0, tzinfo=WIB)  # reports 2026-W48 (23-29 November)


@pytest.fixture(autouse=True)
def _kabupaten(runtime: Runtime, clock: Clock) -> None:
    seed_kabupaten(runtime, clock)


def _service(harness: Harness) -> DigestService:
    service = harness.application.bot_data[DIGEST_KEY]
    assert isinstance(service, DigestService)
    return service


async def _tick(harness: Harness) -> int:
    return await _service(harness).tick(harness.application.bot)


def _kab_group(runtime: Runtime) -> KabupatenDigestGroup | None:
    with runtime.uow() as uow:
        return uow.digests.kabupaten_group("35.28")


def _bind(runtime: Runtime) -> None:
    with runtime.uow() as uow:
        assert uow.digests.bind_kabupaten(
            KabupatenDigestGroup("35.28", KAB_GROUP.id, KAB_GROUP.title or "", None, MONDAY)
        )
        uow.commit()


def _seed_week(runtime: Runtime) -> None:
    """W48: Larangan has a konflik in its first desa and a nil report from its second;
    Pademawu a trantibum in its first desa."""
    with runtime.uow() as uow:
        larangan = uow.kecamatan.get_by_code("35.28.08")
        pademawu = uow.kecamatan.get_by_code("35.28.09")
        assert larangan is not None
        assert pademawu is not None
        lar = uow.desa.list_by_kecamatan(larangan.id)
        pad = uow.desa.list_by_kecamatan(pademawu.id)
        uow.incidents.add(
            make_incident(
                lar[0],
                kind=IncidentKind.KONFLIK,
                event_date=date(2026, 11, 24),
                received_at=jakarta(2026, 11, 24),
            )
        )
        uow.incidents.add(
            make_incident(
                pad[0],
                kind=IncidentKind.TRANTIBUM,
                event_date=date(2026, 11, 25),
                received_at=jakarta(2026, 11, 25),
            )
        )
        uow.incidents.add_nil_report(NilReport(lar[1].id, 2026, 48, None, MONDAY))
        uow.commit()


def _log(runtime: Runtime) -> object:
    with runtime.uow() as uow:
        return uow.digests.kabupaten_log("35.28", "2026-W48")


# -- binding ------------------------------------------------------------------------------


async def test_the_admin_kabupaten_binds_its_group(harness: Harness, runtime: Runtime) -> None:
    await harness.send(RINA, "/atur_grup", chat=KAB_GROUP)
    assert harness.last(KAB_GROUP.id).text.startswith(
        "✅ Grup ini sekarang menerima ringkasan mingguan IKU Kabupaten Pamekasan"
    )
    group = _kab_group(runtime)
    assert group is not None
    assert (group.chat_id, group.title) == (KAB_GROUP.id, "Grup Pemkab Pamekasan")
    with runtime.uow() as uow:
        assert uow.digests.groups() == []  # no kecamatan group was bound
        entries = uow.audit.entries(action_prefix="kabupaten_digest_group")
    assert [(e.action, e.entity_id, e.detail) for e in entries] == [
        (
            "kabupaten_digest_group_bind",
            str(KAB_GROUP.id),
            {"kabupaten": "35.28", "judul": "Grup Pemkab Pamekasan"},
        )
    ]


async def test_rebinding_moves_the_kabupaten_group_and_unbinding_stops_it(
    harness: Harness, runtime: Runtime
) -> None:
    await harness.send(RINA, "/atur_grup", chat=KAB_GROUP)
    await harness.send(RINA, "/atur_grup", chat=OTHER_GROUP)
    assert "Grup sebelumnya (Grup Pemkab Pamekasan) tidak menerima ringkasan lagi." in (
        harness.last(OTHER_GROUP.id).text
    )
    group = _kab_group(runtime)
    assert group is not None
    assert group.chat_id == OTHER_GROUP.id
    await harness.send(RINA, "/lepas_grup", chat=OTHER_GROUP)
    assert harness.last(OTHER_GROUP.id).text == texts.KABDIG_GROUP_UNBOUND.format(
        kabupaten="Pamekasan"
    )
    assert _kab_group(runtime) is None
    await harness.send(RINA, "/lepas_grup", chat=OTHER_GROUP)
    assert harness.last(OTHER_GROUP.id).text == texts.GROUP_NOT_BOUND


async def test_a_perangkat_and_admins_elsewhere_cannot_take_or_drop_the_group(
    harness: Harness, runtime: Runtime
) -> None:
    await harness.send(RINA, "/atur_grup", chat=KAB_GROUP)
    add_user(runtime, BUDI, Role.PERANGKAT_DESA, desa_kode="35.28.08.2001")
    await harness.send(BUDI, "/atur_grup", chat=KAB_GROUP)
    assert harness.last(KAB_GROUP.id).text == texts.GROUP_ADMIN_ONLY
    with runtime.uow() as uow:
        cermee = uow.kecamatan.get_by_code("35.11.15")
        assert cermee is not None
        factories.add_user(
            uow,
            Role.ADMIN,
            telegram_id=CERMEE_ADMIN.id,
            nama=CERMEE_ADMIN.name,
            kecamatan_id=cermee.id,
            status=UserStatus.ACTIVE,
        )
        add_kabupaten_admin(
            uow,
            telegram_id=BONDOWOSO_ADMIN.id,
            kabupaten_code="35.11",
            nama=BONDOWOSO_ADMIN.name,
            at=MONDAY,
        )
        uow.commit()
    await harness.send(CERMEE_ADMIN, "/atur_grup", chat=KAB_GROUP)
    assert harness.last(KAB_GROUP.id).text == texts.KABDIG_GROUP_IS_KABUPATEN
    await harness.send(CERMEE_ADMIN, "/lepas_grup", chat=KAB_GROUP)
    assert harness.last(KAB_GROUP.id).text == texts.KABDIG_GROUP_IS_KABUPATEN
    await harness.send(BONDOWOSO_ADMIN, "/atur_grup", chat=KAB_GROUP)
    assert harness.last(KAB_GROUP.id).text == texts.KABDIG_GROUP_OTHER_KABUPATEN
    await harness.send(BONDOWOSO_ADMIN, "/lepas_grup", chat=KAB_GROUP)
    assert harness.last(KAB_GROUP.id).text == texts.KABDIG_GROUP_OTHER_KABUPATEN
    group = _kab_group(runtime)
    assert group is not None
    assert group.chat_id == KAB_GROUP.id
    with runtime.uow() as uow:
        assert uow.digests.groups() == []
        assert uow.digests.kabupaten_group("35.11") is None


async def test_a_kecamatan_group_is_not_the_kabupaten_group_and_vice_versa(
    harness: Harness, runtime: Runtime
) -> None:
    await harness.send(ADMIN, "/atur_grup", chat=KEC_GROUP)
    await harness.send(RINA, "/atur_grup", chat=KEC_GROUP)
    assert harness.last(KEC_GROUP.id).text == texts.KABDIG_GROUP_IS_KECAMATAN
    assert _kab_group(runtime) is None
    await harness.send(RINA, "/atur_grup", chat=KAB_GROUP)
    await harness.send(ADMIN, "/atur_grup", chat=KAB_GROUP)
    assert harness.last(KAB_GROUP.id).text == texts.KABDIG_GROUP_IS_KABUPATEN
    with runtime.uow() as uow:
        assert [g.chat_id for g in uow.digests.groups()] == [KEC_GROUP.id]


# -- delivery -------------------------------------------------------------------------------


async def test_the_group_gets_one_message_a_week_with_both_kecamatan(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _seed_week(runtime)
    _bind(runtime)
    clock.now = MONDAY - timedelta(minutes=1)
    assert await _tick(harness) == 0
    clock.now = MONDAY
    assert await _tick(harness) == 1
    (message,) = harness.api.to_chat(KAB_GROUP.id)
    text = message.text
    assert "Ringkasan Mingguan IKU Kabupaten Pamekasan" in text
    assert "Minggu 2026-W48" in text
    assert "Larangan: 0,00% (0/1)\nPademawu: tidak ada kejadian\n<b>Kabupaten: 0,00% (0/1)" in text
    assert (
        "Larangan: 2/14 desa (14,29%)\nPademawu: 1/2 desa (50,00%)\n"
        "<b>Kabupaten: 3/16 desa (18,75%)</b>"
    ) in text
    assert "Cermee" not in text
    clock.now = MONDAY + timedelta(minutes=10)
    assert await _tick(harness) == 0
    await harness.restart()
    assert await _tick(harness) == 0
    assert len(harness.api.to_chat(KAB_GROUP.id)) == 1
    # the kecamatan digest log is untouched (its figures feed the kecamatan arrows)
    with runtime.uow() as uow:
        assert uow.digests.figures_of(runtime.kecamatan().id, "2026-W48") is None


async def test_the_kabupaten_group_comes_after_the_kecamatan_group(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _bind(runtime)
    with runtime.uow() as uow:
        uow.digests.bind(DigestGroup(runtime.kecamatan().id, KEC_GROUP.id, "Kec", None, MONDAY))
        uow.commit()
    clock.now = MONDAY
    assert await _tick(harness) == 2
    assert harness.api.to_chat(KEC_GROUP.id) != []
    assert len(harness.api.to_chat(KAB_GROUP.id)) == 1


async def test_a_failed_send_is_tried_again_later(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _bind(runtime)
    clock.now = MONDAY
    harness.api.fail_next(KAB_GROUP.id, 502, "Bad Gateway")
    assert await _tick(harness) == 0
    entry = _log(runtime)
    assert (entry.status, entry.attempts) == (DigestStatus.FAILED, 1)  # type: ignore[attr-defined]
    clock.now = MONDAY + timedelta(minutes=5)  # before DIGEST_RETRY_MINUTES
    assert await _tick(harness) == 0
    clock.now = MONDAY + timedelta(minutes=10)
    assert await _tick(harness) == 1
    assert len(harness.api.to_chat(KAB_GROUP.id)) == 1
    entry = _log(runtime)
    assert (entry.status, entry.attempts) == (DigestStatus.SENT, 2)  # type: ignore[attr-defined]


async def test_after_the_last_attempt_the_admin_kabupaten_is_told(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _bind(runtime)
    harness.api.fail_next(KAB_GROUP.id, 502, "Bad Gateway", times=3)
    for minutes in (0, 10, 20, 30):
        clock.now = MONDAY + timedelta(minutes=minutes)
        assert await _tick(harness) == 0
    entry = _log(runtime)
    assert (entry.status, entry.attempts) == (DigestStatus.GAVE_UP, 3)  # type: ignore[attr-defined]
    told = [t for t in harness.texts(RINA) if "Ringkasan mingguan kabupaten 2026-W48" in t]
    assert len(told) == 1
    assert "gagal dikirim ke grup <b>Grup Pemkab Pamekasan</b> setelah 3 kali" in told[0]
    assert not [t for t in harness.texts(ADMIN) if "kabupaten 2026-W48" in t]


async def test_the_bot_removed_from_the_kabupaten_group_is_forgotten_and_the_admin_told(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _bind(runtime)
    clock.now = MONDAY
    harness.api.fail_for.add(KAB_GROUP.id)
    assert await _tick(harness) == 0
    assert _log(runtime).status is DigestStatus.GAVE_UP  # type: ignore[attr-defined]
    assert _kab_group(runtime) is None
    assert harness.last(RINA).text.startswith(
        "⚠️ Bot dikeluarkan atau tidak lagi boleh mengirim pesan di grup "
        "<b>Grup Pemkab Pamekasan</b>, sehingga ringkasan mingguan kabupaten"
    )
    clock.now = MONDAY + timedelta(hours=1)  # no retry against the group
    calls = len(harness.api.calls)
    assert await _tick(harness) == 0
    assert len(harness.api.calls) == calls


async def test_a_membership_update_removing_the_bot_unbinds_the_kabupaten_group(
    harness: Harness, runtime: Runtime
) -> None:
    _bind(runtime)
    bot_user = User(BOT_ID, "IKU Bot", is_bot=True)
    change = ChatMemberUpdated(
        chat=KAB_GROUP,
        from_user=User(RINA.id, RINA.name, is_bot=False),
        date=jakarta(2026, 11, 25, 9),
        old_chat_member=ChatMemberMember(user=bot_user),
        new_chat_member=ChatMemberLeft(user=bot_user),
    )
    await process(harness.application, Update(update_id=99002, my_chat_member=change))
    assert _kab_group(runtime) is None
    assert "grup <b>Grup Pemkab Pamekasan</b>" in harness.last(RINA).text
    with runtime.uow() as uow:
        entries = uow.audit.entries(action_prefix="kabupaten_digest_group_lost")
    assert [e.entity_id for e in entries] == [str(KAB_GROUP.id)]


async def test_a_kabupaten_group_that_became_a_supergroup_is_followed(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    old = Chat(id=-556, type=Chat.GROUP, title="Grup Pemkab Pamekasan")
    with runtime.uow() as uow:
        assert uow.digests.bind_kabupaten(
            KabupatenDigestGroup("35.28", old.id, old.title or "", None, MONDAY)
        )
        uow.commit()
    clock.now = MONDAY
    harness.api.fail_next(
        old.id,
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        {"migrate_to_chat_id": KAB_GROUP.id},
    )
    assert await _tick(harness) == 1
    assert len(harness.api.to_chat(KAB_GROUP.id)) == 1
    group = _kab_group(runtime)
    assert group is not None
    assert group.chat_id == KAB_GROUP.id
    assert _log(runtime).status is DigestStatus.SENT  # type: ignore[attr-defined]
