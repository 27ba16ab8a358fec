"""/ringkasan (the IKU table year to date in chat) and /ekspor (the full Excel report)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from telegram import Chat

from bot import texts
from bot.runtime import Runtime
from domain.idm import IdmStatus
from domain.models import (
    DesaTematik,
    IdmResult,
    IncidentStatus,
    IndicatorCode,
    Role,
    Seksi,
    SkmResponse,
    Tema,
    UserStatus,
)
from domain.skm import UNSUR
from tests.bot.conftest import ADMIN, Clock, add_user
from tests.bot.harness import Harness, Person
from tests.bot.test_export_workbook import _soffice
from tests.factories import make_incident
from tests.storage.builders import jakarta

DEWI = Person(710001, "Dewi Kesbang")
ANDI = Person(710002, "Andi Peltong")
STRANGER = Person(710003, "Orang Asing")
GROUP = Chat(id=-100123, type=Chat.SUPERGROUP)

KINERJA_DESA = "Mendorong Tumbuhnya Desa Mandiri/Maju/Tematik di Wilayah Kecamatan Larangan"
KINERJA_TRANTIB = (
    "Meningkatnya penanganan konflik sosial dan pelanggaran trantibum di wilayah Kecamatan Larangan"
)
KINERJA_LAYANAN = "Meningkatnya kualitas pelayanan publik di wilayah Kecamatan Larangan"


def _known_data(runtime: Runtime) -> None:
    """A year with numbers that are easy to check by hand.

    IDM 2026: 3 of 4 recorded desa mandiri (target 5: 60%); 2 desa tematik (target 4:
    50%); 2 conflicts in 2026 of which 1 handled, plus one of 2025 that does not count
    (50%, target 100: capaian 50%); no trantibum event; one SKM response all 4 (NIK
    100, target 88,31: capaian 113,24%).
    """
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        desa = uow.desa.list_by_kecamatan(kec.id)
        for item, score in zip(desa[:4], ("0.85", "0.90", "0.8156", "0.75"), strict=True):
            value = Decimal(score)
            status = IdmStatus.MANDIRI if value > Decimal("0.8155") else IdmStatus.MAJU
            uow.idm.upsert(IdmResult(desa_id=item.id, tahun=2026, score=value, status=status))
        for item, tema in ((desa[0], Tema.WISATA), (desa[5], Tema.UMKM)):
            uow.tematik.add(
                DesaTematik(id=0, desa_id=item.id, tema=tema, tahun=2026, referensi="SK 1/2026")
            )
        handled = uow.incidents.add(make_incident(desa[1], event_date=date(2026, 3, 2)))
        uow.incidents.change_status(
            handled.id,
            to_status=IncidentStatus.TERTANGANI,
            note="Dimediasi di balai desa",
            user_id=None,
            at=jakarta(2026, 3, 5),
            expected_version=handled.version,
        )
        uow.incidents.add(
            make_incident(desa[2], event_date=date(2026, 10, 1), received_at=jakarta(2026, 10, 1))
        )
        uow.incidents.add(
            make_incident(desa[3], event_date=date(2025, 12, 31), received_at=jakarta(2025, 12, 31))
        )
        uow.skm.add_response(
            SkmResponse(
                kecamatan_id=kec.id,
                survey_date=date(2026, 6, 1),
                answers=dict.fromkeys(UNSUR, 4),
            )
        )
        for code, target in (
            (IndicatorCode.DESA_MANDIRI, "5"),
            (IndicatorCode.DESA_TEMATIK, "4"),
            (IndicatorCode.KONFLIK_TERTANGANI, "100"),
            (IndicatorCode.TRANTIBUM_TERTANGANI, "100"),
            (IndicatorCode.SKM, "88.31"),
        ):
            uow.targets.set(kec.id, code, 2026, Decimal(target))
        uow.commit()


def _staf(runtime: Runtime) -> None:
    add_user(runtime, DEWI, Role.STAF_SEKSI, seksi=Seksi.KESBANG)


def _workbook_rows(content: bytes | None) -> list[list[object]]:
    assert content is not None
    sheet = load_workbook(BytesIO(content))["IKU"]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


async def test_ringkasan_shows_the_five_indicators_with_exact_numbers(
    harness: Harness, runtime: Runtime
) -> None:
    _known_data(runtime)
    _staf(runtime)
    await harness.send(DEWI, "/ringkasan")
    text = harness.last(DEWI).text
    assert harness.texts(DEWI) == [text]  # one message
    assert text.startswith(
        "<b>Ringkasan IKU Kecamatan Larangan</b>\nPeriode: 1 Januari 2026 s.d. 25 November 2026"
    )
    assert (
        "<b>1. Jumlah Desa Mandiri</b>\nRealisasi: 3 desa | Target: 5 desa | Capaian: 60,00%\n"
        "<i>IDM tahun 2026: dihitung desa dengan IDM &gt; 0,8155. "
        "Data tahun 2026 baru ada untuk 4 dari 14 desa.</i>"
    ) in text
    assert (
        "<b>2. Jumlah Desa Tematik</b>\nRealisasi: 2 desa | Target: 4 desa | Capaian: 50,00%"
    ) in text
    assert (
        "<b>3. Persentase jumlah potensi dan/atau konflik sosial tertangani</b>\n"
        "Realisasi: 50,00% | Target: 100,00% | Capaian: 50,00%\n"
        "<i>1 dari 2 tertangani.</i>"
    ) in text
    assert (
        "<b>4. Persentase jumlah pelanggaran trantibum tertangani</b>\n"
        "Realisasi: tidak ada kejadian | Target: 100,00% | Capaian: -\n"
        "<i>Tidak ada kejadian trantibum pada periode ini.</i>"
    ) in text
    assert (
        "<b>5. Hasil Survei Kepuasan Masyarakat</b>\n"
        "Realisasi: 100,00 | Target: 88,31 | Capaian: 113,24%\n"
        "<i>Mutu A (Sangat baik), 1 responden.</i>"
    ) in text
    assert text.endswith("Dihitung 25 November 2026 10.00 WIB. Tabel lengkap dalam Excel: /ekspor")
    assert len(text) < 4096


async def test_ringkasan_without_incidents_says_tidak_ada_kejadian_not_a_percentage(
    harness: Harness,
) -> None:
    await harness.send(ADMIN, "/ringkasan")
    text = harness.last(ADMIN).text
    assert (
        "Realisasi: tidak ada kejadian | Target: - | Capaian: -\n"
        "<i>Tidak ada konflik sosial pada periode ini. Target belum ditetapkan.</i>"
    ) in text
    assert (
        "Realisasi: tidak ada kejadian | Target: - | Capaian: -\n"
        "<i>Tidak ada kejadian trantibum pada periode ini. Target belum ditetapkan.</i>"
    ) in text
    assert "0,00%" not in text
    assert "100,00%" not in text
    assert "<i>Belum ada data IDM tahun 2026. Target belum ditetapkan.</i>" in text
    assert "Realisasi: 0 desa | Target: - | Capaian: -" in text  # no desa tematik yet
    assert "<i>Belum ada responden SKM pada periode ini. Target belum ditetapkan.</i>" in text


async def test_ringkasan_counts_only_this_year_up_to_today(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _known_data(runtime)
    _staf(runtime)
    # On 1 January 2027 nothing of 2026 counts any more: a new year starts empty.
    clock.now = jakarta(2027, 1, 1, 8)
    await harness.send(DEWI, "/ringkasan")
    text = harness.last(DEWI).text
    assert "Periode: 1 Januari 2027 s.d. 1 Januari 2027" in text
    assert text.count("Realisasi: tidak ada kejadian") == 2
    assert "Belum ada data IDM tahun 2027 (data terakhir: tahun 2026)." in text


async def test_a_stranger_is_refused_ringkasan_and_ekspor_and_sent_nothing(
    harness: Harness,
) -> None:
    await harness.send(STRANGER, "/ringkasan")
    await harness.send(STRANGER, "/ekspor")
    said = harness.texts(STRANGER)
    assert len(said) == 2
    for text in said:
        assert "hanya untuk admin atau staf seksi yang sudah terdaftar" in text
        assert "/daftar" in text
        assert "Realisasi" not in text
    assert [m.kind for m in harness.api.to_chat(STRANGER.id)] == ["text", "text"]


async def test_a_perangkat_desa_is_refused_ringkasan_and_ekspor(
    harness: Harness, runtime: Runtime
) -> None:
    _known_data(runtime)
    add_user(runtime, ANDI, Role.PERANGKAT_DESA, desa_kode="35.28.08.2001")
    await harness.send(ANDI, "/ringkasan")
    await harness.send(ANDI, "/ekspor")
    assert harness.texts(ANDI) == ["Maaf, fitur ini hanya untuk admin atau staf seksi."] * 2
    assert all(m.kind == "text" for m in harness.api.to_chat(ANDI.id))


async def test_a_staf_whose_registration_is_pending_is_told_to_wait(
    harness: Harness, runtime: Runtime
) -> None:
    add_user(runtime, DEWI, Role.STAF_SEKSI, seksi=Seksi.KESBANG, status=UserStatus.PENDING)
    await harness.send(DEWI, "/ekspor")
    assert "masih menunggu persetujuan" in harness.last(DEWI).text
    assert harness.last(DEWI).kind == "text"


async def test_ekspor_sends_the_full_workbook_of_the_year_to_date(
    harness: Harness, runtime: Runtime
) -> None:
    """_known_data up to 25 November 2026: 3 of 4 recorded desa mandiri (target 5: 60%),
    2 tematik (50%), konflik 1 of 2 (50%), no trantibum, NIK 100 (capaian 113.24%)."""
    _known_data(runtime)
    _staf(runtime)
    await harness.send(DEWI, "/ekspor")
    sent = harness.api.to_chat(DEWI.id)
    assert len(sent) == 1
    document = sent[0]
    assert document.kind == "document"
    assert document.file_name == "IKU-Larangan-20260101-20261125.xlsx"
    assert document.text == (
        "Tabel IKU Kecamatan Larangan, periode 1 Januari 2026 s.d. 25 November 2026, "
        "beserta rinciannya: konflik, trantibum, SKM, IDM dan desa tematik."
    )
    assert document.content is not None
    book = load_workbook(BytesIO(document.content))
    assert book.sheetnames == [
        "IKU",
        "Konflik",
        "Trantibum",
        "SKM",
        "SKM Responden",
        "SKM Saran",
        "IDM",
        "Perkembangan Desa",
        "Desa Tematik",
        "Bukti",
    ]
    sheet = book["IKU"]
    assert sheet["A1"].value == "Indikator Kinerja Utama (IKU) Kecamatan Larangan"
    assert sheet["A2"].value == "Periode: 1 Januari 2026 s.d. 25 November 2026"
    assert sheet["A3"].value == (
        "Kabupaten Pamekasan, Provinsi Jawa Timur. Dibuat 25 November 2026 10.00 WIB."
    )
    rows = _workbook_rows(document.content)
    assert rows[4] == [
        "No",
        "Kinerja Utama",
        "Indikator Kinerja",
        "Satuan",
        "Formula",
        "Target 2026 s.d. 25 November",
        "Realisasi",
        None,
        None,
        "Capaian 2026 s.d. 25 November",
        "Kategori Capaian",
        "Sumber Data",
        "Penanggung Jawab",
        "Keterangan",
    ]
    assert rows[5][6:9] == ["2024", "2025", "2026 s.d. 25 November"]
    assert rows[6][:3] == [1, KINERJA_DESA, "Jumlah Desa Mandiri"]
    assert [[row[5], row[8], row[9]] for row in rows[6:11]] == [
        [5, 3, 0.6],
        [4, 2, 0.5],
        [1, 0.5, 0.5],
        [1, "tidak ada kejadian", "-"],
        [88.31, 100, 1.1324],
    ]
    assert [row[13] for row in rows[6:11]] == [
        "IDM tahun 2026: dihitung desa dengan IDM > 0,8155. "
        "Data tahun 2026 baru ada untuk 4 dari 14 desa.",
        None,
        "1 dari 2 tertangani.",
        "Tidak ada kejadian trantibum pada periode ini.",
        "Mutu A (Sangat baik), 1 responden.",
    ]
    assert rows[8][1] == KINERJA_TRANTIB
    assert rows[9][1] is None  # merged with the row above: one kinerja, two indicators
    assert rows[10][1] == KINERJA_LAYANAN
    assert rows[8][12] == "Seksi Kesatuan Bangsa"
    assert rows[12][0] == texts.WB_CAPAIAN_NOTE  # then the signature block
    signature = [row[10] for row in rows[14:]]
    assert signature[:2] == ["Pamekasan, 25 November 2026", "CAMAT LARANGAN"]
    assert signature[-2:] == [texts.WB_SIGN_BLANK_NAME, texts.WB_SIGN_BLANK_NIP]
    assert sheet["F7"].number_format == "0"
    assert sheet["J7"].number_format == "0.00%"
    assert sheet["I9"].number_format == "0.00%"
    assert sheet["I11"].number_format == "0.00"
    # The conflict of 2025 is not listed; the two of 2026 are.
    konflik = [[cell.value for cell in row] for row in book["Konflik"].iter_rows()]
    assert [row[1] for row in konflik[11:]] == ["KS-352808-2026-0001", "KS-352808-2026-0002"]
    assert [row[3] for row in konflik[4:7]] == [2, 1, 0.5]


async def test_ekspor_without_data_writes_dashes_and_tidak_ada_kejadian(
    harness: Harness,
) -> None:
    await harness.send(ADMIN, "/ekspor")
    rows = _workbook_rows(harness.last(ADMIN).content)
    assert [[row[5], row[8], row[9]] for row in rows[6:11]] == [
        ["-", "-", "-"],
        ["-", 0, "-"],
        ["-", "tidak ada kejadian", "-"],
        ["-", "tidak ada kejadian", "-"],
        ["-", "-", "-"],
    ]
    assert rows[8][13] == "Tidak ada konflik sosial pada periode ini. Target belum ditetapkan."


@pytest.mark.parametrize(
    ("words", "file_name", "period"),
    [
        ("2026", "IKU-Larangan-2026.xlsx", "1 Januari 2026 s.d. 31 Desember 2026"),
        ("2025", "IKU-Larangan-2025.xlsx", "1 Januari 2025 s.d. 31 Desember 2025"),
        ("2026 semester 1", "IKU-Larangan-2026-S1.xlsx", "1 Januari 2026 s.d. 30 Juni 2026"),
        ("2026 Semester 2", "IKU-Larangan-2026-S2.xlsx", "1 Juli 2026 s.d. 31 Desember 2026"),
        ("2026 s1", "IKU-Larangan-2026-S1.xlsx", "1 Januari 2026 s.d. 30 Juni 2026"),
        ("2026 SMT 2", "IKU-Larangan-2026-S2.xlsx", "1 Juli 2026 s.d. 31 Desember 2026"),
        ("2026 triwulan 3", "IKU-Larangan-2026-TW3.xlsx", "1 Juli 2026 s.d. 30 September 2026"),
        ("2026 tw3", "IKU-Larangan-2026-TW3.xlsx", "1 Juli 2026 s.d. 30 September 2026"),
        ("2026 TW 1", "IKU-Larangan-2026-TW1.xlsx", "1 Januari 2026 s.d. 31 Maret 2026"),
        ("2026 triwulan IV", "IKU-Larangan-2026-TW4.xlsx", "1 Oktober 2026 s.d. 31 Desember 2026"),
        ("2026 kuartal 2", "IKU-Larangan-2026-TW2.xlsx", "1 April 2026 s.d. 30 Juni 2026"),
    ],
)
async def test_ekspor_takes_a_year_semester_or_triwulan(
    harness: Harness, runtime: Runtime, words: str, file_name: str, period: str
) -> None:
    _known_data(runtime)
    await harness.send(ADMIN, f"/ekspor {words}")
    document = harness.last(ADMIN)
    assert document.kind == "document"
    assert document.file_name == file_name
    assert f"periode {period}, beserta" in document.text
    assert document.content is not None
    sheet = load_workbook(BytesIO(document.content))["IKU"]
    assert sheet["A2"].value == f"Periode: {period}"


async def test_ekspor_of_the_second_semester_counts_only_its_conflict(
    harness: Harness, runtime: Runtime
) -> None:
    """_known_data: the conflict of 2 March (handled) is in semester 1, the one of
    1 October (open) in semester 2: 0 of 1 handled, 0.00%, capaian 0.00%."""
    _known_data(runtime)
    await harness.send(ADMIN, "/ekspor 2026 semester 2")
    rows = _workbook_rows(harness.last(ADMIN).content)
    assert [rows[8][5], rows[8][8], rows[8][9]] == [1, 0, 0]
    assert rows[8][13] == "0 dari 1 tertangani."


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("dua ribu", 'Tahun "dua" tidak dikenali. Tulis tahun dengan 4 angka'),
        ("26", 'Tahun "26" tidak dikenali.'),
        ("1999", 'Tahun "1999" tidak dikenali.'),
        ("2101", 'Tahun "2101" tidak dikenali.'),
        ("semester 1", 'Tahun "semester" tidak dikenali.'),
        ("2026 semester 3", "Semester hanya 1 atau 2 (tertulis: 3)."),
        ("2026 s0", "Semester hanya 1 atau 2 (tertulis: 0)."),
        ("2026 triwulan 5", "Triwulan hanya 1 sampai 4 (tertulis: 5)."),
        ("2026 tw 9", "Triwulan hanya 1 sampai 4 (tertulis: 9)."),
        ("2026 bulan 3", 'Bagian periode "bulan 3" tidak dikenali.'),
        ("2026 semester", 'Bagian periode "semester" tidak dikenali.'),
        ("2026 semester 1 saja", 'Bagian periode "semester 1 saja" tidak dikenali.'),
        ("2027", "Periode itu baru dimulai 1 Januari 2027, jadi belum ada datanya."),
        ("2026 <b>tw</b>", 'Bagian periode "&lt;b&gt;tw&lt;/b&gt;" tidak dikenali.'),
    ],
)
async def test_ekspor_explains_a_period_it_cannot_read_and_sends_no_file(
    harness: Harness, words: str, expected: str
) -> None:
    await harness.send(ADMIN, f"/ekspor {words}")
    sent = harness.api.to_chat(ADMIN.id)
    assert [m.kind for m in sent] == ["text"]
    assert expected in sent[0].text
    assert "Contoh:\n/ekspor - tahun ini sampai hari ini\n/ekspor 2026 - satu tahun" in sent[0].text
    assert "/ekspor 2026 triwulan 3 (atau /ekspor 2026 tw3)" in sent[0].text


async def test_ekspor_of_a_quarter_that_has_not_started_is_refused(
    harness: Harness, clock: Clock
) -> None:
    clock.now = jakarta(2026, 9, 30, 23, 59)
    await harness.send(ADMIN, "/ekspor 2026 tw4")
    assert harness.last(ADMIN).kind == "text"
    assert "baru dimulai 1 Oktober 2026" in harness.last(ADMIN).text
    clock.now = jakarta(2026, 10, 1, 0, 1)  # the first minute of the quarter, office clock
    await harness.send(ADMIN, "/ekspor 2026 tw4")
    assert harness.last(ADMIN).file_name == "IKU-Larangan-2026-TW4.xlsx"


async def test_an_admin_may_ask_for_ringkasan_and_ekspor_in_a_group(
    harness: Harness, runtime: Runtime
) -> None:
    _known_data(runtime)
    await harness.send(ADMIN, "/ringkasan", chat=GROUP)
    text = harness.last(GROUP.id).text
    assert "Realisasi: 50,00% | Target: 100,00% | Capaian: 50,00%" in text
    await harness.send(ADMIN, "/ekspor@iku_test_bot 2026 s1", chat=GROUP)
    document, line = harness.api.to_chat(GROUP.id)[-2:]
    assert document.kind == "document"
    assert document.file_name == "IKU-Larangan-2026-S1-ringkas.xlsx"
    assert line.text == texts.EXPORT_GROUP_SENT_PRIVATELY.format(nama=ADMIN.name)
    # The details went to the admin's private chat (see tests/bot/test_export_visibility.py).
    private = harness.last(ADMIN)
    assert private.kind == "document"
    assert private.file_name == "IKU-Larangan-2026-S1.xlsx"


async def test_a_staf_in_a_group_gets_the_polite_refusal(
    harness: Harness, runtime: Runtime
) -> None:
    _known_data(runtime)
    _staf(runtime)
    await harness.send(DEWI, "/ringkasan", chat=GROUP)
    await harness.send(STRANGER, "/ekspor", chat=GROUP)
    assert harness.texts(GROUP.id) == [texts.GROUP_ADMIN_ONLY] * 2
    assert all(m.kind == "text" for m in harness.api.to_chat(GROUP.id))


async def test_bantuan_lists_the_reports_only_for_those_allowed(
    harness: Harness, runtime: Runtime
) -> None:
    _staf(runtime)
    add_user(runtime, ANDI, Role.PERANGKAT_DESA, desa_kode="35.28.08.2001")
    await harness.send(DEWI, "/bantuan")
    await harness.send(ANDI, "/bantuan")
    assert "/ringkasan - Ringkasan IKU tahun ini" in harness.last(DEWI).text
    assert f"/ekspor - {texts.EXPORT_FULL_COMMAND}" in harness.last(DEWI).text
    assert "/ekspor 2026 pdf" in texts.EXPORT_FULL_COMMAND
    assert "/ringkasan" not in harness.last(ANDI).text
    assert "/ekspor" not in harness.last(ANDI).text


async def test_ringkasan_mid_conversation_keeps_the_conversation(harness: Harness) -> None:
    await harness.send(ADMIN, "/undang")
    await harness.send(ADMIN, "/ringkasan")
    assert "Ringkasan IKU" in harness.last(ADMIN).text
    await harness.press(ADMIN, "Perangkat desa")
    assert "Untuk perangkat desa mana?" in harness.last(ADMIN).text


# -- the IKU table as PDF ---------------------------------------------------------------------


async def test_ekspor_pdf_sends_the_signed_iku_table_as_one_page(
    harness: Harness, runtime: Runtime
) -> None:
    """The IKU table alone through LibreOffice: one landscape page, audited as a PDF export."""
    import pypdfium2 as pdfium

    _soffice()
    _known_data(runtime)
    _staf(runtime)
    await harness.send(DEWI, "/ekspor 2026 PDF")
    [document] = harness.api.to_chat(DEWI.id)
    assert document.kind == "document"
    assert document.file_name == "IKU-Larangan-2026.pdf"
    assert document.content is not None
    assert document.content.startswith(b"%PDF")
    assert "siap dicetak dan ditandatangani" in document.text
    pdf = pdfium.PdfDocument(document.content)
    try:
        assert len(pdf) == 1
        width, height = pdf[0].get_size()
        text = " ".join(pdf[0].get_textpage().get_text_range().split())
    finally:
        pdf.close()
    assert width > height  # landscape
    assert "CAMAT LARANGAN" in text
    assert "Kategori Capaian" in text
    with runtime.uow() as uow:
        actions = [entry.action for entry in uow.audit.entries(action_prefix="export")]
    assert actions == ["export_pdf"]


async def test_ekspor_pdf_without_libreoffice_is_explained_and_not_audited(
    harness: Harness, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOFFICE", "soffice-yang-tidak-ada")
    _staf(runtime)
    await harness.send(DEWI, "/ekspor pdf")
    [reply] = harness.api.to_chat(DEWI.id)
    assert reply.kind == "text"
    assert "LibreOffice (soffice) tidak ditemukan" in reply.text
    with runtime.uow() as uow:
        assert uow.audit.entries(action_prefix="export") == []


async def test_ekspor_pdf_with_a_bad_period_says_what_is_wrong(
    harness: Harness, runtime: Runtime
) -> None:
    _staf(runtime)
    await harness.send(DEWI, "/ekspor 2026 semester 3 pdf")
    assert "semester" in harness.last(DEWI).text.lower()
    assert all(m.kind == "text" for m in harness.api.to_chat(DEWI.id))
