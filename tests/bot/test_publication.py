"""/poster and /infografis in chat: documents and a photo through the outbox."""

from __future__ import annotations

from bot.reports.infographic import POSTER_SIZES, paper
from bot.reports.qr import survey_link
from bot.runtime import Runtime
from domain.models import Role, Seksi
from tests.bot.conftest import ADMIN, add_user
from tests.bot.harness import Harness, Person
from tests.bot.test_export_workbook import seed_known_year
from tests.bot.test_publication_documents import (
    A4_PT,
    assert_png_of,
    assert_qr_is,
    assert_size,
    dark_share,
    pdf_page_image,
    pdf_pages,
)
from tests.bot.test_survey import add_service

PELAYANAN = Person(820001, "Staf Pelayanan")
TRANTIB = Person(820002, "Staf Trantib")
PERANGKAT = Person(820003, "Kaur Peltong")
STRANGER = Person(820004, "Orang Asing")
BOT = "iku_test_bot"


# -- /poster ------------------------------------------------------------------------------


async def test_poster_gives_an_a4_pdf_per_active_service_and_the_general_one(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    add_service(runtime, "kk-baru", "Kartu Keluarga", 500)
    add_service(runtime, "lama", "Layanan Lama", None, active=False)
    await harness.send(ADMIN, "/poster")
    documents = [m for m in harness.api.to_chat(ADMIN.id) if m.kind == "document"]
    assert [d.file_name for d in documents] == [
        "poster-skm-kk-baru.pdf",
        "poster-skm-ktp.pdf",
        "poster-skm-semua.pdf",
    ]
    assert "Kartu Keluarga" in documents[0].text
    assert "Semua layanan" in documents[2].text
    links = [survey_link(BOT, "kk-baru"), survey_link(BOT, "ktp"), survey_link(BOT)]
    names = ["Kartu Keluarga", "Rekomendasi KTP-el", "Semua layanan"]
    for document, link, name in zip(documents, links, names, strict=True):
        assert document.content is not None
        [(size, text)] = pdf_pages(document.content)
        assert_size(size, A4_PT)
        flat = " ".join(text.split())
        assert name in flat
        assert "KECAMATAN LARANGAN" in flat
        assert "Kabupaten Pamekasan" in flat
        assert "Layanan Lama" not in flat
        assert_qr_is(pdf_page_image(document.content), POSTER_SIZES["A4"], link)


async def test_poster_of_one_code_and_of_an_unknown_code(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    add_user(runtime, PELAYANAN, Role.STAF_SEKSI, seksi=Seksi.PELAYANAN)
    await harness.send(PELAYANAN, "/poster ktp")
    [document] = [m for m in harness.api.to_chat(PELAYANAN.id) if m.kind == "document"]
    assert document.file_name == "poster-skm-ktp.pdf"
    assert "Rekomendasi KTP-el" in document.text

    await harness.send(PELAYANAN, "/poster tidak-ada")
    assert "Layanan dengan kode 'tidak-ada' tidak ada" in harness.last(PELAYANAN).text
    assert len([m for m in harness.api.to_chat(PELAYANAN.id) if m.kind == "document"]) == 1


async def test_poster_without_active_services_says_how_to_add_one(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime, "lama", "Layanan Lama", None, active=False)
    await harness.send(ADMIN, "/poster")
    assert "/layanan" in harness.last(ADMIN).text
    assert harness.last(ADMIN).kind == "text"
    await harness.send(ADMIN, "/poster lama")
    assert "nonaktif" in harness.last(ADMIN).text
    assert not [m for m in harness.api.to_chat(ADMIN.id) if m.kind == "document"]


async def test_poster_and_infografis_are_refused_to_others_in_words(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    add_user(runtime, TRANTIB, Role.STAF_SEKSI, seksi=Seksi.TRANTIB)
    add_user(runtime, PERANGKAT, Role.PERANGKAT_DESA, desa_kode="35.28.08.2001")
    for person in (TRANTIB, PERANGKAT):
        for command in ("/poster", "/infografis 2026"):
            await harness.send(person, command)
            assert "hanya untuk staf Seksi Pelayanan atau admin" in harness.last(person).text
    await harness.send(STRANGER, "/infografis")
    assert "sudah terdaftar" in harness.last(STRANGER).text
    assert not [m for m in harness.api.messages if m.kind in ("document", "photo")]


# -- /infografis --------------------------------------------------------------------------


async def test_infografis_of_a_known_semester_is_a_png_photo(
    harness: Harness, runtime: Runtime
) -> None:
    seed_known_year(runtime.uow)
    await harness.send(ADMIN, "/infografis 2026 S1")
    photo = harness.last(ADMIN)
    assert photo.kind == "photo"
    assert "Semester I 2026 (1 Januari – 30 Juni 2026)" in photo.text
    assert photo.content is not None
    image = assert_png_of(photo.content, paper("A4"), 150)
    assert dark_share(image) > 0.05


async def test_infografis_reads_the_period_like_ekspor_and_refuses_a_bad_one(
    harness: Harness, runtime: Runtime
) -> None:
    await harness.send(ADMIN, "/infografis 2026 tw3")
    photo = harness.last(ADMIN)
    assert photo.kind == "photo"
    assert "Triwulan III 2026" in photo.text
    await harness.send(ADMIN, "/infografis")  # the year to date (the clock: 25 November)
    assert "1 Januari – 25 November 2026" in harness.last(ADMIN).text
    photos = len([m for m in harness.api.to_chat(ADMIN.id) if m.kind == "photo"])
    for bad, said in (
        ("/infografis 26", 'Tahun "26" tidak dikenali'),
        ("/infografis 2026 S3", "Semester hanya 1 atau 2"),
        ("/infografis 2026 minggu", 'Bagian periode "minggu" tidak dikenali'),
        ("/infografis 2027", "Periode itu baru dimulai 1 Januari 2027"),
    ):
        await harness.send(ADMIN, bad)
        reply = harness.last(ADMIN)
        assert reply.kind == "text"
        assert said in reply.text
        assert "/infografis 2026 s1" in reply.text
        assert "/ekspor" not in reply.text
    assert len([m for m in harness.api.to_chat(ADMIN.id) if m.kind == "photo"]) == photos
