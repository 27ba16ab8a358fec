"""Registration: /daftar decided by admins, invite links, /profil, /pengguna."""

from __future__ import annotations

from datetime import timedelta

from bot.app import ENGINE_KEY
from bot.conversation.engine import Engine
from bot.runtime import Runtime
from domain.models import Role, Seksi, SkmService, UserStatus
from tests.bot.conftest import ADMIN, Clock, add_user
from tests.bot.harness import Harness, Person

RINA = Person(700001, "Rina Wulandari", "rina_w")
DODI = Person(700009, "Dodi Prasetyo")


def _stored(runtime: Runtime, person: Person):  # type: ignore[no-untyped-def]
    with runtime.uow() as uow:
        return uow.users.get_by_telegram_id(person.id)


async def test_daftar_as_staf_is_approved_by_an_admin(harness: Harness, runtime: Runtime) -> None:
    await harness.send(ADMIN, "/start")  # the first admin comes from the settings
    await harness.send(RINA, "/daftar")
    await harness.press(RINA, "Staf seksi kecamatan")
    seksi = harness.last(RINA).labels()
    assert seksi[:-1] == [
        "Seksi Pembinaan dan Pengawasan Pemerintahan Desa",
        "Seksi Pemberdayaan Masyarakat Desa dan Kelurahan",
        "Seksi Kesatuan Bangsa",
        "Seksi Ketenteraman dan Ketertiban Umum",
        "Seksi Pemerintahan dan Pelayanan Publik",
    ]
    await harness.press(RINA, "Seksi Ketenteraman dan Ketertiban Umum")
    await harness.send(RINA, "Rina Wulandari")
    await harness.send(RINA, "Kasi Trantib")
    summary = harness.last(RINA)
    assert "Rina Wulandari" in summary.text
    assert "Seksi Ketenteraman dan Ketertiban Umum" in summary.text
    await harness.press(RINA, "Kirim")
    assert "terkirim" in harness.last(RINA).text
    stored = _stored(runtime, RINA)
    assert stored is not None
    assert stored.status is UserStatus.PENDING
    assert stored.seksi is Seksi.TRANTIB

    card = harness.last(ADMIN)
    assert "Pendaftaran baru" in card.text
    assert f"Akun Telegram: @rina_w (ID {RINA.id})" in card.text
    assert "ADMIN" not in card.text
    approve = card.buttons[0][0]["callback_data"]
    await harness.press(ADMIN, "Setujui", message=card)
    assert "Disetujui oleh Camat Larangan" in card.text  # the card was edited
    assert card.buttons == []
    assert "disetujui" in harness.last(RINA).text
    stored = _stored(runtime, RINA)
    assert stored is not None
    assert stored.status is UserStatus.ACTIVE

    # A second press on the same card changes nothing and says why.
    await harness.press_data(ADMIN, approve, card)
    assert "sudah diputuskan" in harness.last(ADMIN).text


async def test_text_where_a_button_is_expected_repeats_the_question(harness: Harness) -> None:
    await harness.send(RINA, "/daftar")
    await harness.send(RINA, "staf")
    texts = harness.texts(RINA)
    assert "pilih salah satu tombol" in texts[-2]
    assert harness.last(RINA).labels()[0].startswith("Admin")


async def test_a_sticker_mid_form_is_refused_and_the_question_repeated(harness: Harness) -> None:
    await harness.send(RINA, "/daftar")
    await harness.press(RINA, "Perangkat desa")
    await harness.press(RINA, "Peltong")
    await harness.send_sticker(RINA)
    assert "stiker tidak dapat diproses" in harness.texts(RINA)[-2]
    assert "nama lengkap" in harness.last(RINA).text


async def test_a_bad_name_is_explained_and_asked_again(harness: Harness) -> None:
    await harness.send(RINA, "/daftar")
    await harness.press(RINA, "Admin (Camat, Sekcam, operator)")
    await harness.send(RINA, "R2")
    assert "Nama harus" in harness.texts(RINA)[-2] or "Nama hanya" in harness.texts(RINA)[-2]
    assert "nama lengkap" in harness.last(RINA).text


async def test_a_button_from_an_earlier_step_is_stale(harness: Harness, runtime: Runtime) -> None:
    await harness.send(RINA, "/daftar")
    first = harness.with_buttons(RINA)
    old = harness.data_of(first, "Perangkat desa")
    await harness.press(RINA, "Staf seksi kecamatan")
    assert first.buttons == []  # an accepted press takes the buttons off the question
    await harness.press_data(RINA, old, first)
    assert "sudah tidak berlaku" in harness.toasts()[-1]
    assert "Seksi Anda" in harness.last(RINA).text  # still at the seksi step


async def test_the_conversation_survives_a_restart(harness: Harness, runtime: Runtime) -> None:
    await harness.send(RINA, "/daftar")
    await harness.press(RINA, "Perangkat desa")
    await harness.press(RINA, "Trasak")
    await harness.restart()
    await harness.send(RINA, "Rina Wulandari")
    assert "jabatan" in harness.last(RINA).text


async def test_bantuan_mid_conversation_keeps_the_place(harness: Harness) -> None:
    await harness.send(RINA, "/daftar")
    await harness.press(RINA, "Perangkat desa")
    await harness.send(RINA, "/bantuan")
    assert "/daftar" in harness.texts(RINA)[-3]
    assert "Desa tempat Anda bertugas" in harness.last(RINA).text
    await harness.press(RINA, "Montok")
    assert "nama lengkap" in harness.last(RINA).text


async def test_batal_cancels_and_stores_nothing(harness: Harness, runtime: Runtime) -> None:
    await harness.send(RINA, "/daftar")
    await harness.press(RINA, "Admin (Camat, Sekcam, operator)")
    await harness.send(RINA, "/batal")
    assert "Dibatalkan" in harness.last(RINA).text
    assert _stored(runtime, RINA) is None
    await harness.send(RINA, "Rina")
    assert "Tidak ada isian" in harness.last(RINA).text


async def test_an_invite_link_registers_once(harness: Harness, runtime: Runtime) -> None:
    await harness.send(ADMIN, "/undang")
    await harness.press(ADMIN, "Perangkat desa")
    await harness.press(ADMIN, "Lancar")
    created = harness.last(ADMIN).text
    assert "?start=inv_" in created
    payload = created.split("?start=", 1)[1].split()[0]
    await harness.send(RINA, f"/start {payload}")
    assert "Perangkat Desa Lancar" in harness.texts(RINA)[-2]
    await harness.send(RINA, "Rina Wulandari")
    await harness.send(RINA, "Kaur Pemerintahan")
    stored = _stored(runtime, RINA)
    assert stored is not None
    assert stored.status is UserStatus.ACTIVE
    assert stored.role is Role.PERANGKAT_DESA
    other = Person(700002, "Budi")
    await harness.send(other, f"/start {payload}")
    assert "sudah dipakai" in harness.last(other).text


async def test_a_stranger_cannot_invite(harness: Harness, runtime: Runtime) -> None:
    await harness.send(RINA, "/undang")
    assert "hanya untuk admin" in harness.last(RINA).text
    add_user(runtime, Person(700003, "Dodi"), Role.STAF_SEKSI, seksi=Seksi.PPD)
    await harness.send(Person(700003, "Dodi"), "/pengguna")
    assert "hanya untuk admin" in harness.last(700003).text


async def test_abandoned_conversations_are_forgotten_skm_ones_after_a_day(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    await harness.send(RINA, "/daftar")
    with runtime.uow() as uow:
        service = uow.skm.add_service(
            SkmService(id=0, kecamatan_id=runtime.kecamatan().id, kode="ktp", nama="KTP-el")
        )
        uow.commit()
    citizen = Person(700009, "Warga")
    await harness.send(citizen, f"/start skm_{service.kode}")
    engine: Engine = harness.application.bot_data[ENGINE_KEY]
    clock.now += timedelta(hours=23)
    assert engine.purge_drafts() == 0
    clock.now += timedelta(hours=2)
    assert engine.purge_drafts() == 1  # the questionnaire: a chat id next to answers
    with runtime.uow() as uow:
        assert uow.drafts.get(citizen.id, citizen.id) is None
        assert uow.drafts.get(RINA.id, RINA.id) is not None
    clock.now += timedelta(days=7)
    assert engine.purge_drafts() == 1
    await harness.press(RINA, "Perangkat desa")
    assert "sudah tidak berlaku" in harness.toasts()[-1]


async def test_a_request_for_the_admin_role_is_marked_and_shows_the_account(
    harness: Harness,
) -> None:
    await harness.send(ADMIN, "/start")
    await harness.send(DODI, "/daftar")
    await harness.press(DODI, "Admin (Camat, Sekcam, operator)")
    await harness.send(DODI, "Dodi Prasetyo")
    await harness.send(DODI, "Operator Kecamatan")
    await harness.press(DODI, "Kirim")
    card = harness.last(ADMIN)
    assert "Permintaan peran ADMIN" in card.text
    assert f"Akun Telegram: ID {DODI.id}, tanpa nama pengguna" in card.text
    await harness.press(ADMIN, "Tolak", message=card)
    assert "Permintaan peran ADMIN" in card.text  # the decided card still says what it was


async def test_nonaktifkan_asks_first_and_says_what_the_person_will_lose(
    harness: Harness, runtime: Runtime
) -> None:
    await harness.send(ADMIN, "/start")
    add_user(runtime, DODI, Role.PERANGKAT_DESA, desa_kode="35.28.08.2001", jabatan="Kasi Pem")
    await harness.send(ADMIN, "/pengguna")
    listing = harness.last(ADMIN)
    [label] = [name for name in listing.labels() if name.endswith("Nonaktifkan")]
    await harness.press(ADMIN, label, message=listing)
    question = harness.last(ADMIN)
    assert "Nonaktifkan <b>Dodi Prasetyo</b> (Perangkat Desa Peltong)?" in question.text
    assert "tidak dapat lagi mengirim laporan kejadian dan laporan nihil" in question.text
    assert "tetap tersimpan" in question.text
    assert question.labels() == ["Ya, nonaktifkan", "Batal"]
    stored = _stored(runtime, DODI)
    assert stored is not None
    assert stored.status is UserStatus.ACTIVE  # nothing changed yet

    await harness.press(ADMIN, "Batal", message=question)
    assert "Dibatalkan: Dodi Prasetyo tetap aktif." in question.text
    stored = _stored(runtime, DODI)
    assert stored is not None
    assert stored.status is UserStatus.ACTIVE

    await harness.press(ADMIN, label, message=listing)
    question = harness.last(ADMIN)
    await harness.press(ADMIN, "Ya, nonaktifkan", message=question)
    stored = _stored(runtime, DODI)
    assert stored is not None
    assert stored.status is UserStatus.DISABLED
    assert "dinonaktifkan" in harness.last(DODI).text
    # The question, pressed again after the change, is stale and changes nothing.
    await harness.press_data(ADMIN, harness.data_of(listing, label), listing)
    assert "Aktifkan" in " ".join(harness.last(ADMIN).labels())
