"""A conversation with answers is never dropped silently by another command or button."""

from __future__ import annotations

from bot import texts
from bot.runtime import Runtime
from domain.models import Role, Seksi
from tests.bot.conftest import add_user
from tests.bot.harness import Harness, Person

PERANGKAT = Person(820001, "Ahmad Fauzi")
KESBANG = Person(820002, "Hasan Basri")
PELTONG = "35.28.08.2001"
ASKED = "sudah ada jawaban yang belum dikirim"


def _setup(runtime: Runtime) -> None:
    add_user(runtime, PERANGKAT, Role.PERANGKAT_DESA, desa_kode=PELTONG, jabatan="Kasi Pem")
    add_user(runtime, KESBANG, Role.STAF_SEKSI, seksi=Seksi.KESBANG, jabatan="Kasi Kesbang")


async def _halfway(harness: Harness, person: Person = PERANGKAT) -> None:
    await harness.send(person, "/lapor")
    await harness.press(person, "Konflik sosial")
    if person == KESBANG:
        await harness.press(person, "Peltong")
    await harness.press(person, "Kemarin")
    await harness.press(person, "Potensi konflik")


async def test_the_same_command_mid_report_asks_and_continue_keeps_every_answer(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _halfway(harness)
    question = harness.last(PERANGKAT).text
    await harness.send(PERANGKAT, "/lapor")
    asked = harness.last(PERANGKAT)
    assert ASKED in asked.text
    assert asked.labels() == ["Lanjutkan laporan kejadian", "Mulai baru: laporan kejadian"]
    await harness.press(PERANGKAT, "Lanjutkan laporan kejadian")
    assert harness.last(PERANGKAT).text == question  # the same step, asked again
    await harness.press(PERANGKAT, "Sengketa tanah/batas")
    await harness.send(PERANGKAT, "Dua keluarga berselisih soal batas tanah di Dusun Barat.")
    await harness.press(PERANGKAT, "Lewati")
    await harness.press(PERANGKAT, "Lewati")
    summary = harness.last(PERANGKAT).text
    assert "Potensi" in summary
    assert "24 November 2026" in summary


async def test_starting_anew_drops_the_old_answers_and_begins_the_new_one(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _halfway(harness)
    await harness.send(PERANGKAT, "/nihil")
    await harness.press(PERANGKAT, "Mulai baru: laporan nihil")
    assert "nihil" in harness.last(PERANGKAT).text.lower()
    with runtime.uow() as uow:
        draft = uow.drafts.get(PERANGKAT.id, PERANGKAT.id)
    assert draft is not None
    assert draft.flow == "nihil"


async def test_the_choice_pressed_twice_or_after_the_draft_moved_on_changes_nothing(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _halfway(harness)
    await harness.send(PERANGKAT, "/lapor")
    asked = harness.with_buttons(PERANGKAT)
    anew = Harness.data_of(asked, "Mulai baru: laporan kejadian")
    await harness.press(PERANGKAT, "Lanjutkan laporan kejadian", message=asked)
    with runtime.uow() as uow:
        before = uow.drafts.get(PERANGKAT.id, PERANGKAT.id)
    await harness.press_data(PERANGKAT, anew, asked)
    assert texts.STALE_BUTTON in harness.toasts()
    with runtime.uow() as uow:
        after = uow.drafts.get(PERANGKAT.id, PERANGKAT.id)
    assert after is not None
    assert before is not None
    assert after.data == before.data
    assert after.step == before.step


async def test_a_conversation_just_begun_is_replaced_without_a_question(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await harness.send(PERANGKAT, "/lapor")
    await harness.send(PERANGKAT, "/lapor")
    assert ASKED not in harness.last(PERANGKAT).text
    assert "Konflik sosial" in harness.last(PERANGKAT).labels()


async def test_a_card_button_mid_report_asks_and_starting_anew_opens_the_follow_up(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _halfway(harness)
    await harness.press(PERANGKAT, "Sengketa tanah/batas")
    await harness.send(PERANGKAT, "Dua keluarga berselisih soal batas tanah di Dusun Barat.")
    await harness.press(PERANGKAT, "Lewati")
    await harness.press(PERANGKAT, "Lewati")
    await harness.press(PERANGKAT, "Kirim")
    card = harness.with_buttons(KESBANG)
    await _halfway(harness, KESBANG)  # the staff member starts a report of their own
    await harness.press(KESBANG, "Diproses", message=card)
    assert ASKED in harness.last(KESBANG).text
    await harness.press(KESBANG, "Mulai baru: tindak lanjut laporan")
    with runtime.uow() as uow:
        draft = uow.drafts.get(KESBANG.id, KESBANG.id)
    assert draft is not None
    assert draft.flow == "tindaklanjut"
