"""The citizens' SKM questionnaire in chat, the QR codes (/qr) and the services (/layanan)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace
from datetime import datetime

import segno
from sqlalchemy import func, select
from sqlmodel import SQLModel, col

from bot.app import ENGINE_KEY
from bot.reports.qr import qr_png, survey_link
from bot.runtime import Runtime
from domain.models import Role, Seksi, SkmService
from domain.skm import UNSUR, UNSUR_INFO
from domain.survey import dedup_key, flush_survey_pool
from storage.tables import OutboxRow, SkmDedupRow, SkmResponseRow
from tests.bot.conftest import ADMIN, WIB, Clock, add_user
from tests.bot.harness import Harness, Person

WARGA = Person(810001, "Warga Larangan")
WARGA_2 = Person(810002, "Warga Lain")
PELAYANAN = Person(810003, "Staf Pelayanan")
PERANGKAT = Person(810004, "Kaur Peltong")
STRANGER = Person(810005, "Orang Asing")

BOT_LINK = "https://t.me/iku_test_bot?start="
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

SCORES: dict[str, int] = {
    "persyaratan": 4,
    "prosedur": 3,
    "waktu": 2,
    "biaya": 4,
    "produk": 3,
    "kompetensi": 4,
    "perilaku": 4,
    "pengaduan": 1,
    "sarana": 3,
}


# -- helpers --------------------------------------------------------------------------------


def add_service(
    runtime: Runtime,
    kode: str = "ktp",
    nama: str = "Rekomendasi KTP-el",
    population: int | None = 300,
    *,
    active: bool = True,
) -> int:
    """A service stored directly in the database; returns its id."""
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        service = uow.skm.add_service(
            SkmService(
                id=0,
                kecamatan_id=kec.id,
                kode=kode,
                nama=nama,
                population=population,
                active=active,
            )
        )
        uow.commit()
    return service.id


def responses(runtime: Runtime) -> list[SkmResponseRow]:
    """The stored responses, once the pool is flushed (the chat writes to the pool)."""
    with runtime.uow() as uow:
        flush_survey_pool(uow)
        uow.commit()
    with runtime.session_factory() as session:
        return list(session.scalars(select(SkmResponseRow).order_by(col(SkmResponseRow.id))))


def dedup_rows(runtime: Runtime) -> int:
    with runtime.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(SkmDedupRow)) or 0)


def has_draft(runtime: Runtime, person: Person) -> bool:
    with runtime.uow() as uow:
        return uow.drafts.get(person.id, person.id) is not None


def services_by_code(runtime: Runtime) -> dict[str, SkmService]:
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        return {s.kode: s for s in uow.skm.list_services(kec.id)}


def answers_of(row: SkmResponseRow) -> dict[str, int | None]:
    return {key: getattr(row, f"u_{key}") for key in UNSUR}


async def fill_profile(harness: Harness, person: Person, usia: str = "34") -> None:
    await harness.press(person, "Perempuan")
    await harness.send(person, usia)
    await harness.press(person, "SMA")
    await harness.press(person, "Wirausaha")


async def answer(harness: Harness, person: Person, key: str, score: int) -> None:
    info = UNSUR_INFO[key]
    question = harness.with_buttons(person)
    assert info.question in question.text
    await harness.press(person, info.label(score), message=question)


async def answer_questions(
    harness: Harness, person: Person, scores: dict[str, int] = SCORES
) -> None:
    for key in UNSUR:
        await answer(harness, person, key, scores[key])


async def complete(harness: Harness, person: Person, start: str = "/skm") -> None:
    """The whole questionnaire for the KTP service, without a suggestion."""
    await harness.send(person, start)
    await harness.press(person, "Setuju")
    if "Layanan apa" in harness.last(person).text:
        await harness.press(person, "Rekomendasi KTP-el")
    await fill_profile(harness, person)
    await answer_questions(harness, person)
    await harness.press(person, "Lewati")


# -- the questionnaire ------------------------------------------------------------------------


async def test_a_citizen_answers_the_whole_questionnaire_with_skm(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    ktp = add_service(runtime)
    add_service(runtime, "kk", "Kartu Keluarga", 500)
    add_service(runtime, "lama", "Layanan Lama", None, active=False)

    await harness.send(WARGA, "/skm")
    intro = harness.last(WARGA)
    assert "Survei Kepuasan Masyarakat" in intro.text
    assert "tanpa nama" in intro.text
    assert intro.labels() == ["Setuju", "Tidak"]
    await harness.press(WARGA, "Setuju")
    assert harness.last(WARGA).labels() == ["Kartu Keluarga", "Rekomendasi KTP-el"]
    await harness.press(WARGA, "Rekomendasi KTP-el")
    assert harness.last(WARGA).labels() == ["Laki-laki", "Perempuan", "« Kembali"]
    await harness.press(WARGA, "Perempuan")
    assert "usia" in harness.last(WARGA).text
    await harness.send(WARGA, "34")
    assert harness.last(WARGA).labels()[:8] == [
        "Tidak sekolah",
        "SD",
        "SMP",
        "SMA",
        "D1-D3",
        "S1",
        "S2",
        "S3",
    ]
    await harness.press(WARGA, "S1")
    assert "Pekerjaan" in harness.last(WARGA).text
    await harness.press(WARGA, "PNS")

    for number, key in enumerate(UNSUR, start=1):
        info = UNSUR_INFO[key]
        question = harness.last(WARGA)
        assert f"Pertanyaan {number} dari 9" in question.text
        assert info.name in question.text
        assert info.question in question.text  # the official wording
        assert question.labels() == [*info.options, "« Kembali"]
        await harness.press(WARGA, info.label(SCORES[key]))

    assert "saran" in harness.last(WARGA).text
    assert responses(runtime) == []  # nothing is stored before the end
    await harness.send(WARGA, "  Antrean <terlalu> lama   &  ruang tunggu panas.  ")
    thanks = harness.last(WARGA).text
    assert "Terima kasih" in thanks
    assert "Rekomendasi KTP-el" in thanks

    [row] = responses(runtime)
    assert row.service_id == ktp
    assert row.kecamatan_id == runtime.kecamatan().id
    assert row.survey_date == clock.now.date()
    assert answers_of(row) == SCORES
    assert (row.jenis_kelamin, row.usia, row.pendidikan, row.pekerjaan) == ("P", 34, "S1", "PNS")
    assert row.saran == "Antrean <terlalu> lama & ruang tunggu panas."
    assert row.source == "bot"
    # Anonymous: no column can hold the Telegram account, and the draft is gone.
    columns = SQLModel.metadata.tables["skm_response"].columns
    assert not [c for c in columns if "telegram" in c.name]
    assert str(WARGA.id) not in repr(row)
    assert not has_draft(runtime, WARGA)
    assert dedup_rows(runtime) == 1


async def test_a_deep_link_names_the_service_and_skips_the_choice(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime, "kk", "Kartu Keluarga", 500)
    ktp = add_service(runtime)
    await harness.send(WARGA, "/start skm_ktp")
    intro = harness.last(WARGA)
    assert "Layanan yang dinilai: <b>Rekomendasi KTP-el</b>" in intro.text
    await harness.press(WARGA, "Setuju")
    assert "Jenis kelamin" in harness.last(WARGA).text  # no list of services
    await fill_profile(harness, WARGA)
    await answer_questions(harness, WARGA)
    await harness.press(WARGA, "Lewati")
    assert "Terima kasih" in harness.last(WARGA).text
    [row] = responses(runtime)
    assert row.service_id == ktp
    assert row.saran is None
    assert (row.jenis_kelamin, row.usia, row.pendidikan, row.pekerjaan) == (
        "P",
        34,
        "SMA",
        "Wirausaha",
    )


async def test_the_general_link_offers_the_list_of_services(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    await harness.send(WARGA, "/start skm")
    await harness.press(WARGA, "Setuju")
    assert harness.last(WARGA).labels() == ["Rekomendasi KTP-el"]


async def test_an_unknown_or_inactive_code_in_the_link_is_said_and_the_list_offered(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    add_service(runtime, "lama", "Layanan Lama", None, active=False)
    await harness.send(WARGA, "/start skm_paspor")
    assert "Layanan pada tautan atau kode QR ini tidak dikenal" in harness.texts(WARGA)[-2]
    assert "paspor" not in harness.texts(WARGA)[-2]  # a code means nothing to a citizen
    await harness.press(WARGA, "Setuju")
    assert harness.last(WARGA).labels() == ["Rekomendasi KTP-el"]

    await harness.send(WARGA_2, "/start skm_lama")
    assert "Layanan <b>Layanan Lama</b> saat ini tidak dinilai" in harness.texts(WARGA_2)[-2]
    await harness.press(WARGA_2, "Setuju")
    assert harness.last(WARGA_2).labels() == ["Rekomendasi KTP-el"]
    assert responses(runtime) == []


async def test_refusing_consent_ends_politely_and_stores_nothing(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    await harness.send(WARGA, "/skm")
    await harness.press(WARGA, "Tidak")
    assert "Tidak ada yang disimpan" in harness.last(WARGA).text
    assert not has_draft(runtime, WARGA)
    assert responses(runtime) == []
    await harness.send(WARGA, "34")
    assert "Tidak ada isian" in harness.last(WARGA).text


async def test_without_an_active_service_the_survey_is_not_open(
    harness: Harness, runtime: Runtime
) -> None:
    await harness.send(WARGA, "/skm")
    assert "belum dibuka" in harness.last(WARGA).text
    add_service(runtime, active=False)
    await harness.send(WARGA, "/start skm_ktp")
    assert "belum dibuka" in harness.last(WARGA).text
    assert "/layanan" not in harness.last(WARGA).text  # a citizen cannot add services
    assert not has_draft(runtime, WARGA)
    # Those who can add services are told how.
    await harness.send(ADMIN, "/skm")
    assert "/layanan" in harness.last(ADMIN).text


async def test_bad_ages_are_explained_and_asked_again(harness: Harness, runtime: Runtime) -> None:
    add_service(runtime)
    await harness.send(WARGA, "/skm ktp")
    await harness.press(WARGA, "Setuju")
    await harness.press(WARGA, "Laki-laki")
    for typed, reason in (
        ("tiga puluh", "angka saja"),
        ("7", "antara 15 dan 100"),
        ("250", "antara 15 dan 100"),
    ):
        await harness.send(WARGA, typed)
        assert reason in harness.texts(WARGA)[-2]
        assert "Berapa usia Anda" in harness.last(WARGA).text
    await harness.send_photo(WARGA, "photo-1")
    assert "dengan angka" in harness.texts(WARGA)[-2]
    await harness.send(WARGA, "41 tahun")
    assert "Pendidikan" in harness.last(WARGA).text
    await harness.press(WARGA, "SMP")
    await harness.press(WARGA, "Lainnya")
    await answer_questions(harness, WARGA)
    await harness.press(WARGA, "Lewati")
    [row] = responses(runtime)
    assert (row.jenis_kelamin, row.usia, row.pendidikan, row.pekerjaan) == (
        "L",
        41,
        "SMP",
        "Lainnya",
    )


async def test_a_sticker_or_text_mid_questionnaire_repeats_the_question(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    await harness.send(WARGA, "/skm ktp")
    await harness.press(WARGA, "Setuju")
    await fill_profile(harness, WARGA)
    await answer(harness, WARGA, "persyaratan", 4)
    await answer(harness, WARGA, "prosedur", 3)
    await harness.send_sticker(WARGA)
    assert "stiker tidak dapat diproses" in harness.texts(WARGA)[-2]
    assert UNSUR_INFO["waktu"].question in harness.last(WARGA).text
    await harness.send(WARGA, "sangat cepat")
    assert "pilih salah satu tombol" in harness.texts(WARGA)[-2]
    assert UNSUR_INFO["waktu"].question in harness.last(WARGA).text
    await harness.send(WARGA, "Perempuan")  # text at a profile button step is refused too
    assert "pilih salah satu tombol" in harness.texts(WARGA)[-2]
    await answer(harness, WARGA, "waktu", 2)
    for key in UNSUR[3:]:
        await answer(harness, WARGA, key, SCORES[key])
    await harness.send_voice(WARGA)  # at the suggestion
    assert "pesan suara tidak dapat diproses" in harness.texts(WARGA)[-2]
    await harness.press(WARGA, "Lewati")
    [row] = responses(runtime)
    assert answers_of(row) == SCORES


async def test_a_stale_button_from_an_earlier_question_changes_nothing(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    await harness.send(WARGA, "/skm ktp")
    await harness.press(WARGA, "Setuju")
    await fill_profile(harness, WARGA)
    first = harness.last(WARGA)
    old = harness.data_of(first, "Sangat sesuai")
    await harness.press(WARGA, "Sesuai", message=first)
    assert first.buttons == []
    assert first.text.endswith("Jawaban: <b>Sesuai</b>")  # the answer stays visible
    await harness.press_data(WARGA, old, first)
    assert "sudah tidak berlaku" in harness.toasts()[-1]
    assert "langkah sebelumnya" in harness.texts(WARGA)[-2]
    assert UNSUR_INFO["prosedur"].question in harness.last(WARGA).text  # still question 2
    for key in UNSUR[1:]:
        await answer(harness, WARGA, key, SCORES[key])
    await harness.press(WARGA, "Lewati")
    [row] = responses(runtime)
    assert row.u_persyaratan == 3
    assert row.u_prosedur == SCORES["prosedur"]


async def test_going_back_one_question_changes_the_stored_answer(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    await harness.send(WARGA, "/skm ktp")
    await harness.press(WARGA, "Setuju")
    await fill_profile(harness, WARGA)
    # From question 1 back to the profile: the occupation is asked again.
    await harness.press(WARGA, "« Kembali")
    assert "Pekerjaan" in harness.last(WARGA).text
    await harness.press(WARGA, "Swasta")
    await answer(harness, WARGA, "persyaratan", 3)
    await answer(harness, WARGA, "prosedur", 2)
    await harness.press(WARGA, "« Kembali")  # at question 3
    again = harness.last(WARGA)
    assert UNSUR_INFO["prosedur"].question in again.text
    assert "Jawaban Anda sebelumnya: Kurang mudah" in again.text
    await harness.press(WARGA, "Sangat mudah")
    for key in UNSUR[2:]:
        await answer(harness, WARGA, key, SCORES[key])
    await harness.press(WARGA, "« Kembali")  # from the suggestion to question 9
    assert UNSUR_INFO["sarana"].question in harness.last(WARGA).text
    await harness.press(WARGA, "Sangat baik")
    await harness.press(WARGA, "Lewati")
    [row] = responses(runtime)
    assert row.pekerjaan == "Swasta"
    assert row.u_persyaratan == 3
    assert row.u_prosedur == 4
    assert row.u_sarana == 4


async def test_back_from_the_profile_offers_the_services_again(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    kk = add_service(runtime, "kk", "Kartu Keluarga", 500)
    await harness.send(WARGA, "/start skm_ktp")
    await harness.press(WARGA, "Setuju")
    await harness.press(WARGA, "« Kembali")
    assert harness.last(WARGA).labels() == ["Kartu Keluarga", "Rekomendasi KTP-el"]
    await harness.press(WARGA, "Kartu Keluarga")
    await harness.press(WARGA, "Laki-laki")
    await harness.press(WARGA, "« Kembali")  # from the age back to jenis kelamin
    await harness.press(WARGA, "Perempuan")
    await harness.send(WARGA, "34")
    await harness.press(WARGA, "SMA")
    await harness.press(WARGA, "Wirausaha")
    await answer_questions(harness, WARGA)
    await harness.press(WARGA, "Lewati")
    [row] = responses(runtime)
    assert row.service_id == kk
    assert row.jenis_kelamin == "P"


async def test_a_restart_in_the_middle_of_the_questions_continues(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    await harness.send(WARGA, "/skm ktp")
    await harness.press(WARGA, "Setuju")
    await fill_profile(harness, WARGA)
    for key in UNSUR[:4]:
        await answer(harness, WARGA, key, SCORES[key])
    await harness.restart()
    # The question shown before the restart still takes the answer.
    await answer(harness, WARGA, "produk", SCORES["produk"])
    await harness.restart()
    await harness.send(WARGA, "/bantuan")
    assert "Anda sedang mengisi survei kepuasan" in harness.texts(WARGA)[-2]
    assert UNSUR_INFO["kompetensi"].question in harness.last(WARGA).text
    for key in UNSUR[5:]:
        await answer(harness, WARGA, key, SCORES[key])
    await harness.send(WARGA, "Terima kasih, pelayanan cepat.")
    [row] = responses(runtime)
    assert answers_of(row) == SCORES
    assert row.saran == "Terima kasih, pelayanan cepat."


async def test_one_response_per_service_and_semester(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    add_service(runtime)
    kk = add_service(runtime, "kk", "Kartu Keluarga", 500)
    await complete(harness, WARGA, "/start skm_ktp")
    assert len(responses(runtime)) == 1

    # The same person, same service, same semester: told right after the consent,
    # before any question, and nothing is stored.
    await harness.send(WARGA, "/start skm_ktp")
    await harness.press(WARGA, "Setuju")
    said = harness.last(WARGA).text
    assert "sudah mengisi survei untuk layanan Rekomendasi KTP-el pada semester ini" in said
    assert len(responses(runtime)) == 1
    assert dedup_rows(runtime) == 1
    assert not has_draft(runtime, WARGA)  # the conversation ended
    await harness.send(WARGA, "Lewati")
    assert "Tidak ada isian" in harness.last(WARGA).text

    # Someone else may answer for the same service.
    await complete(harness, WARGA_2, "/skm ktp")
    assert len(responses(runtime)) == 2

    # A different service is accepted.
    await harness.send(WARGA, "/skm kk")
    await harness.press(WARGA, "Setuju")
    await fill_profile(harness, WARGA)
    await answer_questions(harness, WARGA)
    await harness.press(WARGA, "Lewati")
    assert "Terima kasih" in harness.last(WARGA).text
    stored = responses(runtime)
    assert len(stored) == 3
    assert stored[-1].service_id == kk

    # The next semester is accepted again.
    clock.now = datetime(2027, 1, 4, 8, 0, tzinfo=WIB)
    await complete(harness, WARGA, "/start skm_ktp")
    assert "Terima kasih" in harness.last(WARGA).text
    stored = responses(runtime)
    assert len(stored) == 4
    assert stored[-1].survey_date.isoformat() == "2027-01-04"
    assert dedup_rows(runtime) == 4


async def test_a_service_deactivated_while_answering_is_chosen_again(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    kk = add_service(runtime, "kk", "Kartu Keluarga", 500)
    await harness.send(WARGA, "/start skm_ktp")
    await harness.press(WARGA, "Setuju")
    await fill_profile(harness, WARGA)
    await answer_questions(harness, WARGA)
    ktp = services_by_code(runtime)["ktp"]
    with runtime.uow() as uow:
        uow.skm.update_service(replace(ktp, active=False))
        uow.commit()
    await harness.press(WARGA, "Lewati")
    assert "sudah tidak dinilai lagi" in harness.texts(WARGA)[-2]
    assert harness.last(WARGA).labels() == ["Kartu Keluarga"]
    assert responses(runtime) == []
    await harness.press(WARGA, "Kartu Keluarga")
    await fill_profile(harness, WARGA)
    await answer_questions(harness, WARGA)
    await harness.press(WARGA, "Lewati")
    [row] = responses(runtime)
    assert row.service_id == kk


# -- /qr --------------------------------------------------------------------------------------


async def test_qr_is_refused_for_a_perangkat_desa_and_a_stranger(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    add_user(runtime, PERANGKAT, Role.PERANGKAT_DESA, desa_kode="35.28.08.2001")
    await harness.send(PERANGKAT, "/qr")
    assert "hanya untuk staf Seksi Pelayanan atau admin" in harness.last(PERANGKAT).text
    await harness.send(STRANGER, "/qr")
    assert "sudah terdaftar" in harness.last(STRANGER).text
    photos = [m for m in harness.api.messages if m.kind == "photo"]
    assert photos == []


async def test_qr_gives_pelayanan_staff_a_png_per_active_service_and_the_general_link(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    add_service(runtime, "kk-baru", "Kartu Keluarga", 500)
    add_service(runtime, "lama", "Layanan Lama", None, active=False)
    add_user(runtime, PELAYANAN, Role.STAF_SEKSI, seksi=Seksi.PELAYANAN)
    await harness.send(PELAYANAN, "/qr")
    sent = harness.api.to_chat(PELAYANAN.id)
    photos = [m for m in sent if m.kind == "photo"]
    assert len(photos) == 3
    captions = [p.text for p in photos]
    assert "Kartu Keluarga" in captions[0]
    assert f"{BOT_LINK}skm_kk-baru" in captions[0]
    assert "Rekomendasi KTP-el" in captions[1]
    assert f"{BOT_LINK}skm_ktp" in captions[1]
    assert f"{BOT_LINK}skm" in captions[2]
    assert "Semua layanan" in captions[2]
    assert not any("lama" in c for c in captions)
    for photo in photos:
        assert photo.content is not None
        assert photo.content.startswith(PNG_SIGNATURE)
        assert len(photo.content) > 200
    assert photos[1].content == qr_png(f"{BOT_LINK}skm_ktp")

    await harness.send(ADMIN, "/qr")  # admins too
    assert len([m for m in harness.api.to_chat(ADMIN.id) if m.kind == "photo"]) == 3


async def test_qr_without_active_services_says_how_to_add_one(
    harness: Harness, runtime: Runtime
) -> None:
    await harness.send(ADMIN, "/qr")
    assert "/layanan" in harness.last(ADMIN).text
    assert harness.last(ADMIN).kind == "text"


def _unfilter(kind: int, line: bytes, previous: bytes) -> bytes:
    """Undo a PNG scanline filter (one byte per pixel step for a 1-bit image)."""
    out = bytearray()
    for i, value in enumerate(line):
        left = out[i - 1] if i > 0 else 0
        up = previous[i]
        up_left = previous[i - 1] if i > 0 else 0
        if kind == 0:
            guess = 0
        elif kind == 1:
            guess = left
        elif kind == 2:
            guess = up
        elif kind == 3:
            guess = (left + up) // 2
        else:
            assert kind == 4
            p = left + up - up_left
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
            guess = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
        out.append((value + guess) % 256)
    return bytes(out)


def _png_modules(png: bytes, scale: int) -> list[list[bool]]:
    """Decode a 1-bit greyscale PNG into dark (True) / light modules of ``scale`` pixels."""
    assert png.startswith(PNG_SIGNATURE)
    position = len(PNG_SIGNATURE)
    header = b""
    data = b""
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        body = png[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", png[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + body) == crc
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            data += body
        position += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert (depth, colour) == (1, 0)
    raw = zlib.decompress(data)
    stride = (width + 7) // 8
    pixels: list[list[bool]] = []
    previous = bytes(stride)
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        bits = _unfilter(line[0], line[1:], previous)
        previous = bits
        pixels.append([not (bits[x // 8] >> (7 - x % 8)) & 1 for x in range(width)])
    return [
        [pixels[y * scale + scale // 2][x * scale + scale // 2] for x in range(width // scale)]
        for y in range(height // scale)
    ]


def test_qr_png_is_the_qr_code_of_the_link() -> None:
    link = survey_link("iku_test_bot", "ktp")
    assert link == f"{BOT_LINK}skm_ktp"
    assert survey_link("iku_test_bot") == f"{BOT_LINK}skm"
    png = qr_png(link)
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) > 200
    modules = _png_modules(png, scale=10)
    expected = segno.make(link, error="m")
    size = len(expected.matrix) + 8  # quiet zone of 4 modules on each side
    assert len(modules) == size
    assert all(len(row) == size for row in modules)
    for y, row in enumerate(expected.matrix):
        assert modules[y + 4][4 : 4 + len(row)] == [bool(v) for v in row]
    assert not any(modules[0])  # light quiet zone
    assert not any(modules[-1])
    assert expected.error in ("M", "Q", "H")  # at least M


# -- /layanan ---------------------------------------------------------------------------------


async def test_layanan_adds_a_service_after_refusing_bad_input(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    await harness.send(ADMIN, "/layanan")
    listing = harness.last(ADMIN)
    assert "Rekomendasi KTP-el (kode ktp), populasi 300 orang/tahun, aktif" in listing.text
    assert listing.labels() == ["1. Nonaktifkan", "+ Tambah layanan"]
    await harness.press(ADMIN, "+ Tambah layanan")
    assert "kode singkat" in harness.last(ADMIN).text
    await harness.send(ADMIN, "KTP el!")
    assert "Kode layanan 1-32 karakter" in harness.texts(ADMIN)[-2]
    await harness.send(ADMIN, "KTP")
    assert "Kode ktp sudah dipakai layanan Rekomendasi KTP-el" in harness.texts(ADMIN)[-2]
    await harness.send(ADMIN, "kk")
    assert "nama layanan" in harness.last(ADMIN).text
    await harness.send(ADMIN, "rekomendasi  ktp-EL")
    assert "sudah ada" in harness.texts(ADMIN)[-2]
    await harness.send(ADMIN, "Kartu   Keluarga")
    assert "setahun" in harness.last(ADMIN).text
    await harness.send(ADMIN, "banyak")
    assert "dengan angka saja" in harness.texts(ADMIN)[-2]
    await harness.send(ADMIN, "0")
    assert "Populasi layanan harus" in harness.texts(ADMIN)[-2]
    assert services_by_code(runtime).keys() == {"ktp"}
    await harness.send(ADMIN, "1.200")
    added = harness.last(ADMIN).text
    assert "Kartu Keluarga" in added
    assert f"{BOT_LINK}skm_kk" in added
    stored = services_by_code(runtime)["kk"]
    assert (stored.nama, stored.population, stored.active) == ("Kartu Keluarga", 1200, True)
    assert not has_draft(runtime, ADMIN)

    await harness.send(WARGA, "/skm")
    await harness.press(WARGA, "Setuju")
    assert "Kartu Keluarga" in harness.last(WARGA).labels()


async def test_pelayanan_staff_add_a_service_without_population(
    harness: Harness, runtime: Runtime
) -> None:
    add_user(runtime, PELAYANAN, Role.STAF_SEKSI, seksi=Seksi.PELAYANAN)
    await harness.send(PELAYANAN, "/layanan")
    assert "Belum ada layanan" in harness.last(PELAYANAN).text
    await harness.press(PELAYANAN, "+ Tambah layanan")
    await harness.send(PELAYANAN, "akta")
    await harness.press(PELAYANAN, "« Kembali")  # back to the code
    await harness.send(PELAYANAN, "akta-lahir")
    await harness.send(PELAYANAN, "Akta Kelahiran")
    await harness.press(PELAYANAN, "Lewati")
    stored = services_by_code(runtime)
    assert stored.keys() == {"akta-lahir"}
    assert stored["akta-lahir"].population is None


async def test_layanan_deactivates_a_service_which_leaves_the_questionnaire(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    add_service(runtime, "kk", "Kartu Keluarga", 500)
    add_user(runtime, PELAYANAN, Role.STAF_SEKSI, seksi=Seksi.PELAYANAN)
    await harness.send(PELAYANAN, "/layanan")
    listing = harness.last(PELAYANAN)
    assert listing.labels() == ["1. Nonaktifkan", "2. Nonaktifkan", "+ Tambah layanan"]
    await harness.press(PELAYANAN, "2. Nonaktifkan", message=listing)  # Rekomendasi KTP-el
    assert "Rekomendasi KTP-el dinonaktifkan" in harness.toasts()[-1]
    assert "populasi 300 orang/tahun, nonaktif" in listing.text  # the list was edited
    assert listing.labels() == ["1. Nonaktifkan", "2. Aktifkan", "+ Tambah layanan"]
    assert not services_by_code(runtime)["ktp"].active

    await harness.send(WARGA, "/skm")
    await harness.press(WARGA, "Setuju")
    assert harness.last(WARGA).labels() == ["Kartu Keluarga"]
    await harness.send(WARGA_2, "/start skm_ktp")
    assert "<b>Rekomendasi KTP-el</b> saat ini tidak dinilai" in harness.texts(WARGA_2)[-2]

    await harness.press(PELAYANAN, "2. Aktifkan", message=listing)
    assert services_by_code(runtime)["ktp"].active
    await harness.send(WARGA_2, "/start skm_ktp")
    assert "Layanan yang dinilai: <b>Rekomendasi KTP-el</b>" in harness.last(WARGA_2).text


async def test_layanan_is_refused_for_a_perangkat_desa_and_a_stranger(
    harness: Harness, runtime: Runtime
) -> None:
    ktp = add_service(runtime)
    add_user(runtime, PERANGKAT, Role.PERANGKAT_DESA, desa_kode="35.28.08.2001")
    await harness.send(PERANGKAT, "/layanan")
    assert "hanya untuk staf Seksi Pelayanan atau admin" in harness.last(PERANGKAT).text
    await harness.send(ADMIN, "/layanan")
    listing = harness.last(ADMIN)
    # The buttons check who presses them: forged presses by others change nothing.
    await harness.press_data(STRANGER, harness.data_of(listing, "1. Nonaktifkan"), listing)
    assert "sudah terdaftar" in harness.last(ADMIN).text
    await harness.press_data(PERANGKAT, "r:ly:add", listing)
    assert "hanya untuk staf Seksi Pelayanan" in harness.last(ADMIN).text
    with runtime.uow() as uow:
        assert uow.drafts.get(ADMIN.id, PERANGKAT.id) is None
    assert services_by_code(runtime)["ktp"].active
    assert services_by_code(runtime)["ktp"].id == ktp


async def test_help_shows_skm_to_everyone_and_the_service_commands_to_pelayanan(
    harness: Harness, runtime: Runtime
) -> None:
    add_user(runtime, PELAYANAN, Role.STAF_SEKSI, seksi=Seksi.PELAYANAN)
    await harness.send(STRANGER, "/bantuan")
    help_text = harness.texts(STRANGER)[-1]
    assert "/skm" in help_text
    assert "/qr" not in help_text
    assert "/layanan" not in help_text
    await harness.send(PELAYANAN, "/bantuan")
    help_text = harness.texts(PELAYANAN)[-1]
    assert "/qr" in help_text
    assert "/layanan" in help_text


async def test_an_answer_sent_meanwhile_from_another_device_is_refused_at_the_end(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    await harness.send(WARGA, "/start skm_ktp")
    await harness.press(WARGA, "Setuju")
    await fill_profile(harness, WARGA)
    await answer_questions(harness, WARGA)
    # The same account completes the questionnaire elsewhere before this one is sent.
    with runtime.uow() as uow:
        service = uow.skm.get_service_by_code(runtime.kecamatan().id, "ktp")
        assert service is not None
        assert uow.skm.claim_dedup(
            dedup_key(
                runtime.skm_secret(),
                telegram_id=WARGA.id,
                kecamatan_id=runtime.kecamatan().id,
                service_id=service.id,
                day=runtime.now().date(),
            ),
            "2026-S2",
        )
        uow.commit()
    await harness.press(WARGA, "Lewati")
    said = harness.last(WARGA).text
    assert "sudah mengisi survei" in said
    assert "Tidak ada yang disimpan" in said
    assert responses(runtime) == []
    assert dedup_rows(runtime) == 1
    assert not has_draft(runtime, WARGA)


async def test_a_farmer_who_never_went_to_school_finds_the_answers_and_they_are_kept(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    await harness.send(WARGA, "/skm")
    await harness.press(WARGA, "Setuju")
    if "Layanan apa" in harness.last(WARGA).text:
        await harness.press(WARGA, "Rekomendasi KTP-el")
    await harness.press(WARGA, "Laki-laki")
    await harness.send(WARGA, "58")
    await harness.press(WARGA, "Tidak sekolah")
    occupations = harness.last(WARGA).labels()
    assert {"Petani", "Nelayan", "Ibu rumah tangga"} <= set(occupations)
    await harness.press(WARGA, "Petani")
    await answer_questions(harness, WARGA)
    await harness.press(WARGA, "Lewati")
    [row] = responses(runtime)
    # As answered; the official tables count them under SD ke bawah and Lainnya.
    assert (row.pendidikan, row.pekerjaan) == ("Tidak sekolah", "Petani")


def _add_example(runtime: Runtime, kode: str, nama: str) -> None:
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        uow.skm.add_service(SkmService(0, kec.id, kode, nama, example=True))
        uow.commit()


async def test_example_services_are_marked_and_an_admin_confirms_or_removes_them(
    harness: Harness, runtime: Runtime
) -> None:
    _add_example(runtime, "ktp", "Rekomendasi KTP-el")
    _add_example(runtime, "pbg", "Rekomendasi PBG")
    # A citizen can try the survey at once: examples are active.
    await harness.send(WARGA, "/skm")
    await harness.press(WARGA, "Setuju")
    assert harness.last(WARGA).labels() == ["Rekomendasi KTP-el", "Rekomendasi PBG"]

    await harness.send(ADMIN, "/layanan")
    listing = harness.last(ADMIN)
    assert listing.text.count("contoh, belum dikonfirmasi") == 2
    assert "Konfirmasi yang memang dilayani kantor" in listing.text
    assert listing.labels()[:4] == [
        "1. Konfirmasi",
        "1. Hapus contoh",
        "2. Konfirmasi",
        "2. Hapus contoh",
    ]
    await harness.press(ADMIN, "1. Konfirmasi", message=listing)
    assert "Rekomendasi KTP-el dikonfirmasi." in harness.toasts()[-1]
    await harness.press(ADMIN, "2. Hapus contoh", message=listing)
    assert "Rekomendasi PBG dihapus." in harness.toasts()[-1]
    assert "contoh, belum dikonfirmasi" not in listing.text  # the list was edited
    stored = services_by_code(runtime)
    assert set(stored) == {"ktp"}
    assert not stored["ktp"].example
    assert stored["ktp"].active


# -- anonymity: the pool and its flushes (README "Anonimitas SKM") ---------------------------


def pooled(runtime: Runtime) -> int:
    with runtime.uow() as uow:
        return sum(uow.skm.pool_sizes().values())


async def test_a_chat_answer_waits_in_the_pool_until_a_batch_is_full_or_the_day_ends(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    people = [Person(820000 + i, f"Warga {i}") for i in range(3)]
    for person in people:
        await complete(harness, person)
        assert not has_draft(runtime, person)  # deleted with the submission
    engine = harness.application.bot_data[ENGINE_KEY]
    with runtime.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(SkmResponseRow)) == 0
        # The thank-you names the service only, never an answer.
        thanks = [
            str(row.payload)
            for row in session.scalars(
                select(OutboxRow)
                .where(col(OutboxRow.chat_id) == 820000)
                .order_by(col(OutboxRow.id))
            )
        ]
    assert "Terima kasih" in thanks[-1]
    assert "34" not in thanks[-1]  # not the age given, nor any other answer
    assert pooled(runtime) == 3
    assert engine.flush_skm() == 0  # fewer than SKM_BATCH_SIZE (10) wait: they stay pooled
    small = replace(
        engine.services, settings=engine.services.settings.model_copy(update={"skm_batch_size": 3})
    )
    engine.services = small
    assert engine.flush_skm() == 3  # the batch is full
    assert pooled(runtime) == 0
    assert len(responses(runtime)) == 3
    await complete(harness, Person(820009, "Warga Malam"))
    assert engine.flush_skm(whole=True) == 1  # the end of the day takes whatever waits
    assert pooled(runtime) == 0


async def test_the_flush_jobs_run_every_minute_and_at_the_end_of_the_day(
    harness: Harness,
) -> None:
    jobs = {job.name: job for job in harness.application.job_queue.jobs()}  # type: ignore[union-attr]
    assert jobs["skm-flush"].job.trigger.interval.total_seconds() == 60
    moment = jobs["skm-flush-day"].job.trigger.get_next_fire_time(
        None, datetime(2026, 11, 26, 12, 0, tzinfo=WIB)
    )
    assert moment == datetime(2026, 11, 26, 23, 55, tzinfo=WIB)
