"""/laporanskm: the SKM report as a Word document, for admins, through the outbox."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from docx import Document

from bot import texts
from bot.handlers.skm_report import report_period
from bot.runtime import Runtime
from domain.errors import InvalidInput
from domain.models import Role, Seksi
from domain.period import Period
from tests.bot.conftest import ADMIN, add_user
from tests.bot.harness import Harness, Person
from tests.bot.test_export_workbook import seed_known_year

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
    assert entry.detail["isi"] == {"responden": 29, "layanan": 2, "rtl_ditetapkan": 0}
    assert (entry.detail["saluran"], entry.detail["bentuk"]) == ("pribadi", "docx")


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
