"""/laporanskm: the SKM report as a Word document, for admins, through the outbox."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from io import BytesIO

import pytest
from docx import Document

from bot import texts
from bot.handlers.skm_report import report_period
from bot.reports.skm_report import skm_docx
from bot.runtime import Runtime
from domain.documents import PAPER_SIZES, signatory
from domain.errors import InvalidInput
from domain.export import Viewer
from domain.models import Role, Seksi
from domain.period import Period
from domain.rtl import RtlFigures, RtlRow, SkmPeriod, confirm_rtl
from domain.skm_report import skm_report_data
from tests.bot.conftest import ADMIN, add_user
from tests.bot.harness import Harness, Person
from tests.bot.test_export_workbook import NOW, seed_known_year

DEWI = Person(720001, "Dewi Pelayanan")
STRANGER = Person(720002, "Orang Asing")


async def test_an_admin_gets_the_docx_of_a_semester_and_it_is_audited(
    harness: Harness, runtime: Runtime
) -> None:
    seed_known_year(runtime.uow)
    await harness.send(ADMIN, "/laporanskm 2026 S1")
    sent = harness.api.to_chat(ADMIN.id)
    assert len(sent) == 1
    document = sent[0]
    assert document.kind == "document"
    assert document.file_name == "laporan-skm-larangan-2026-01-01-2026-06-30.docx"
    assert document.text == (
        "Laporan SKM Kecamatan Larangan periode 1 Januari 2026 s.d. 30 Juni 2026. Berkas "
        "DOCX dapat disunting sebelum dicetak dan ditandatangani."
    )
    assert document.content is not None
    docx = Document(BytesIO(document.content))
    cells = [cell.text for table in docx.tables for row in table.rows for cell in row.cells]
    assert "91,48" in cells
    assert "3,4483" in cells  # NRR of U3 Waktu Penyelesaian
    paragraphs = [p.text for p in docx.paragraphs]
    assert "BAB III HASIL SURVEI" in paragraphs
    assert "NIP. ...................................." in paragraphs  # no NIP in the settings
    with runtime.uow() as uow:
        entries = uow.audit.entries(action_prefix="export_docx")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.entity == "laporan_skm"
    assert entry.entity_id == "35.28.08/2026-01-01/2026-06-30"
    assert entry.detail is not None
    assert entry.detail["isi"] == {"responden": 29, "layanan": 2, "rtl": 0}
    assert (entry.detail["saluran"], entry.detail["bentuk"]) == ("pribadi", "docx")


async def test_the_rtl_an_admin_confirmed_is_printed_instead_of_the_proposals(
    harness: Harness, runtime: Runtime
) -> None:
    """Waktu confirmed for semester 1 (domain.rtl), Dewi in charge, due 31 August."""
    seed_known_year(runtime.uow)
    owner = add_user(runtime, DEWI, Role.STAF_SEKSI, seksi=Seksi.PELAYANAN)
    await harness.send(ADMIN, "/start")  # the admin of the settings, registered
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        admin = uow.users.get_by_telegram_id(ADMIN.id)
        confirm_rtl(
            uow,
            user=admin,
            kecamatan_id=kec.id,
            skm_period=SkmPeriod(2026, "S1"),
            unsur="waktu",
            kegiatan="Memasang papan waktu penyelesaian layanan",
            owner_id=owner.id,
            due=date(2026, 12, 31),
            today=date(2026, 11, 25),
            now=NOW,
        )
        uow.commit()
    await harness.send(ADMIN, "/laporanskm 2026 S1")
    document = harness.api.to_chat(ADMIN.id)[-1]
    assert document.kind == "document"
    assert document.content is not None
    docx = Document(BytesIO(document.content))
    rtl = next(t for t in docx.tables if [c.text for c in t.rows[0].cells][2:3] == ["Kegiatan"])
    assert [[cell.text for cell in row.cells] for row in rtl.rows[1:]] == [
        [
            "1",
            "U3 Waktu Penyelesaian",
            "Memasang papan waktu penyelesaian layanan",
            "Dewi Pelayanan",
            "31 Desember 2026",
            "Direncanakan",
            "-",
        ]
    ]
    paragraphs = [p.text for p in docx.paragraphs]
    assert "RTL selesai: 0 dari 1 yang direncanakan (0,00%); belum ada yang selesai." in paragraphs
    assert texts.SKMR_RTL_PROPOSED not in paragraphs


async def test_a_staf_seksi_is_refused_and_sent_no_file(harness: Harness, runtime: Runtime) -> None:
    add_user(runtime, DEWI, Role.STAF_SEKSI, seksi=Seksi.PELAYANAN)
    await harness.send(DEWI, "/laporanskm 2026")
    assert harness.texts(DEWI) == [texts.SKMR_ADMIN_ONLY]
    assert [m.kind for m in harness.api.to_chat(DEWI.id)] == ["text"]
    with runtime.uow() as uow:
        assert uow.audit.entries(action_prefix="export_docx") == []


async def test_a_stranger_is_refused_and_sent_no_file(harness: Harness) -> None:
    await harness.send(STRANGER, "/laporanskm")
    sent = harness.api.to_chat(STRANGER.id)
    assert [m.kind for m in sent] == ["text"]
    assert "/daftar" in sent[0].text


@pytest.mark.parametrize("words", ["2026 S3", "2026 TW5", "tahun lalu", "1999", "2026 S1 TW2"])
async def test_bad_arguments_are_explained_and_send_no_file(
    harness: Harness, runtime: Runtime, words: str
) -> None:
    await harness.send(ADMIN, f"/laporanskm {words}")
    sent = harness.api.to_chat(ADMIN.id)
    assert [m.kind for m in sent] == ["text"]
    assert "Tulis /laporanskm [TAHUN] [S1|S2|TW1..TW4]" in sent[0].text
    with runtime.uow() as uow:
        assert uow.audit.entries(action_prefix="export_docx") == []


def test_report_period_reads_year_semester_and_quarter() -> None:
    today = date(2026, 11, 25)
    assert report_period([], today) == Period.year(2026)
    assert report_period(["2025"], today) == Period.year(2025)
    assert report_period(["2026", "s2"], today) == Period.semester(2026, 2)
    assert report_period(["TW3"], today) == Period.quarter(2026, 3)
    with pytest.raises(InvalidInput, match="Tidak dimengerti: S0"):
        report_period(["2026", "S0"], today)


def test_tracked_rtl_rows_are_printed_with_what_is_done_and_on_time(runtime: Runtime) -> None:
    """Two tracked items, one done before its deadline: 50,00% done, 100,00% of the done on
    time (domain.rtl's figures); the proposals are not shown then."""
    seed_known_year(runtime.uow)
    rows = [
        RtlRow(
            "U3 Waktu Penyelesaian",
            "Memasang papan waktu layanan",
            "Dewi Pelayanan",
            date(2026, 8, 31),
            "Selesai",
            date(2026, 8, 20),
        ),
        RtlRow(
            "U9 Sarana dan Prasarana",
            "Memperbaiki kursi tunggu",
            "Dewi Pelayanan",
            date(2026, 9, 30),
            "Direncanakan",
            None,
        ),
    ]
    with runtime.uow() as uow:
        data = skm_report_data(
            uow,
            viewer=Viewer.operator(),
            kecamatan_code="35.28.08",
            period=Period.semester(2026, 1),
            now=NOW,
            kegiatan=texts.SKMR_RTL_KEGIATAN,
            penanggung_jawab=texts.SKMR_RTL_PJ,
        )
    assert data.rtl_proposed  # nothing tracked in this database: the three proposals
    assert [row.status for row in data.rtl_rows] == ["Usulan"] * 3
    tracked = replace(data, rtl_rows=rows, rtl_figures=RtlFigures(2, 1, 1), rtl_proposed=False)
    content = skm_docx(
        tracked,
        signer=signatory("Larangan", "Pamekasan", nama="Drs. Hasan", nip="197006091993021001"),
        paper=PAPER_SIZES["F4"],
        signed_on=date(2026, 7, 6),
    )
    docx = Document(BytesIO(content))
    rtl = next(t for t in docx.tables if [c.text for c in t.rows[0].cells][2:3] == ["Kegiatan"])
    printed = [[cell.text for cell in row.cells] for row in rtl.rows[1:]]
    assert printed == [
        [
            "1",
            "U3 Waktu Penyelesaian",
            "Memasang papan waktu layanan",
            "Dewi Pelayanan",
            "31 Agustus 2026",
            "Selesai",
            "20 Agustus 2026",
        ],
        [
            "2",
            "U9 Sarana dan Prasarana",
            "Memperbaiki kursi tunggu",
            "Dewi Pelayanan",
            "30 September 2026",
            "Direncanakan",
            "-",
        ],
    ]
    paragraphs = [p.text for p in docx.paragraphs]
    assert (
        "RTL selesai: 1 dari 2 yang direncanakan (50,00%); selesai tepat waktu: 1 dari 1 "
        "yang selesai (100,00%)."
    ) in paragraphs
    assert texts.SKMR_RTL_PROPOSED not in paragraphs
    assert "Pamekasan, 6 Juli 2026" in paragraphs
    assert "NIP. 19700609 199302 1 001" in paragraphs
    section = docx.sections[0]
    assert section.page_height is not None
    assert round(section.page_height.mm) == 330


def test_score_counts_give_the_distribution_the_charts_draw(runtime: Runtime) -> None:
    """seed_known_year, first semester: persyaratan 18 fours (105 - 87) and 11 threes,
    biaya 29 fours; the response of 31 December 2025 (all 1) is outside."""
    seed_known_year(runtime.uow)
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        counts = uow.skm.score_counts(kec.id, date(2026, 1, 1), date(2026, 6, 30))
        before = uow.skm.score_counts(kec.id, date(2025, 7, 1), date(2025, 12, 31))
    assert counts["persyaratan"] == {1: 0, 2: 0, 3: 11, 4: 18}
    assert counts["biaya"] == {1: 0, 2: 0, 3: 0, 4: 29}
    assert all(sum(per.values()) == 29 for per in counts.values())
    assert before["sarana"] == {1: 1, 2: 0, 3: 0, 4: 0}


async def test_an_admin_gets_the_pdf_when_asked_and_it_is_audited_as_one(
    harness: Harness, runtime: Runtime
) -> None:
    import pypdfium2 as pdfium

    from tests.bot.test_export_workbook import _soffice

    _soffice()
    seed_known_year(runtime.uow)
    await harness.send(ADMIN, "/laporanskm 2026 S1 pdf")
    [document] = harness.api.to_chat(ADMIN.id)
    assert document.file_name == "laporan-skm-larangan-2026-01-01-2026-06-30.pdf"
    assert document.content is not None
    pdf = pdfium.PdfDocument(document.content)
    try:
        pages = len(pdf)
        width, height = pdf[0].get_size()
        text = " ".join(" ".join(p.get_textpage().get_text_range().split()) for p in pdf)
    finally:
        pdf.close()
    assert 3 <= pages <= 12
    assert (round(width), round(height)) == (595, 842)  # A4 upright
    assert "91,48" in text
    with runtime.uow() as uow:
        assert [e.action for e in uow.audit.entries(action_prefix="export")] == ["export_pdf"]


async def test_the_pdf_without_libreoffice_is_explained_and_not_audited(
    harness: Harness, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOFFICE", "soffice-yang-tidak-ada")
    await harness.send(ADMIN, "/laporanskm 2026 pdf")
    [reply] = harness.api.to_chat(ADMIN.id)
    assert reply.kind == "text"
    assert "LibreOffice (soffice) tidak ditemukan" in reply.text
    with runtime.uow() as uow:
        assert uow.audit.entries(action_prefix="export") == []
