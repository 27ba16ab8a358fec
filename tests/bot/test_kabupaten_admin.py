"""/ringkasan and /ekspor of an admin kabupaten: the recap of every kecamatan, audited."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from telegram import Chat

from bot import texts
from bot.runtime import Runtime
from domain.kabupaten_admin import add_kabupaten_admin
from domain.models import Role, UserStatus
from storage.seed import load_seed_file, parse_kecamatan, seed_kecamatan
from tests import factories
from tests.bot.conftest import ADMIN, Clock, add_user
from tests.bot.harness import Harness, Person
from tests.factories import CERMEE

KABUPATEN_FILE = (
    Path(__file__).resolve().parents[1] / "data" / "kabupaten" / ("pamekasan-2-kecamatan.json")
)
RINA = Person(720001, "Rina Pemerintahan")
BUDI = Person(720002, "Budi Perangkat")
CERMEE_ADMIN = Person(720003, "Camat Cermee")
GROUP = Chat(id=-100777, type=Chat.SUPERGROUP)


def seed_kabupaten(runtime: Runtime, clock: Clock) -> None:
    """Larangan and Pademawu of Pamekasan (the two-kecamatan file), Cermee of Bondowoso,
    and Rina as the admin of Kabupaten Pamekasan."""
    with runtime.uow() as uow:
        for seed in load_seed_file(KABUPATEN_FILE):
            seed_kecamatan(uow, seed)
        seed_kecamatan(uow, parse_kecamatan(CERMEE, "cermee.json"))
        add_kabupaten_admin(
            uow, telegram_id=RINA.id, kabupaten_code="35.28", nama=RINA.name, at=clock.now
        )
        uow.commit()


@pytest.fixture(autouse=True)
def _kabupaten(runtime: Runtime, clock: Clock) -> None:
    seed_kabupaten(runtime, clock)


def _recap_audit(runtime: Runtime) -> list[str]:
    with runtime.uow() as uow:
        entries = uow.audit.entries(action_prefix="export")
    return sorted(e.entity_id or "" for e in entries if e.entity == "rekap_kabupaten")


async def test_ringkasan_shows_every_kecamatan_side_by_side(
    harness: Harness, runtime: Runtime
) -> None:
    await harness.send(RINA, "/ringkasan")
    text = harness.last(RINA).text
    assert "Rekap IKU Kabupaten Pamekasan (kode 35.28)" in text
    lines = text.splitlines()
    assert any(line.lstrip().startswith("1 ") and "Larangan" in line for line in lines)
    assert any(line.lstrip().startswith("2 ") and "Pademawu" in line for line in lines)
    assert any("Kabupaten" in line and "35.28 " in line and " 16 " in line for line in lines)
    assert "Cermee" not in text
    assert _recap_audit(runtime) == [
        "35.28.08/2026-01-01/2026-11-25",
        "35.28.09/2026-01-01/2026-11-25",
    ]


async def test_ringkasan_takes_a_period_and_one_kecamatan_of_the_kabupaten(
    harness: Harness,
) -> None:
    await harness.send(RINA, "/ringkasan 2026 semester 1")
    assert "1 Januari 2026 s.d. 30 Juni 2026" in harness.last(RINA).text
    await harness.send(RINA, "/ringkasan 35.28.09")
    assert "Pademawu" in harness.last(RINA).text
    assert "Rekap IKU Kabupaten" not in harness.last(RINA).text
    await harness.send(RINA, "/ringkasan 35.11.15")
    assert "Maaf, Kecamatan Cermee di luar wilayah Anda" in harness.last(RINA).text
    await harness.send(RINA, "/ringkasan 35.28.99")
    assert "35.28.99 belum terdaftar" in harness.last(RINA).text
    await harness.send(RINA, "/ringkasan 2026 semester 7")
    assert harness.last(RINA).text == texts.EXPORT_BAD_SEMESTER.format(nomor=7)


async def test_ekspor_sends_the_recap_workbook_and_audits_it(
    harness: Harness, runtime: Runtime
) -> None:
    await harness.send(RINA, "/ekspor 2026")
    sent = harness.last(RINA)
    assert sent.kind == "document"
    assert sent.file_name == "Rekap-IKU-Kabupaten-Pamekasan-20260101-20261231.xlsx"
    assert "2 kecamatan berdampingan" in sent.text
    assert sent.content is not None
    sheet = load_workbook(BytesIO(sent.content))[texts.KAB_SHEET]
    names = [sheet.cell(row=r, column=2).value for r in range(5, 8)]
    assert names == ["Larangan", "Pademawu", texts.KAB_TOTAL]
    assert _recap_audit(runtime) == [
        "35.28.08/2026-01-01/2026-12-31",
        "35.28.09/2026-01-01/2026-12-31",
    ]
    await harness.send(RINA, "/ekspor 2026 pdf")
    assert harness.last(RINA).text == texts.KABADM_NO_PDF


async def test_in_a_group_the_admin_kabupaten_gets_the_recap_there(harness: Harness) -> None:
    await harness.send(RINA, "/ringkasan", chat=GROUP)
    assert "Rekap IKU Kabupaten Pamekasan" in harness.last(GROUP.id).text
    await harness.send(RINA, "/ekspor", chat=GROUP)
    assert harness.last(GROUP.id).kind == "document"


async def test_the_admin_kabupaten_does_no_kecamatan_work(harness: Harness) -> None:
    await harness.send(RINA, "/lapor")
    assert "Sebagai admin kabupaten Anda dapat melihat" in harness.last(RINA).text
    await harness.send(RINA, "/pengguna")
    assert "Sebagai admin kabupaten Anda dapat melihat" in harness.last(RINA).text


async def test_a_kecamatan_admin_keeps_its_own_summary_and_no_other(
    harness: Harness, runtime: Runtime
) -> None:
    await harness.send(ADMIN, "/ringkasan")
    text = harness.last(ADMIN).text
    assert "Larangan" in text
    assert "Rekap IKU Kabupaten" not in text
    await harness.send(ADMIN, "/ringkasan 35.28.09")
    assert "Maaf, Kecamatan Pademawu di luar wilayah Anda" in harness.last(ADMIN).text
    await harness.send(ADMIN, "/ekspor 2026")
    assert harness.last(ADMIN).file_name == "IKU-Larangan-2026.xlsx"
    assert _recap_audit(runtime) == []


async def test_perangkat_and_another_kabupatens_admin_are_refused(
    harness: Harness, runtime: Runtime
) -> None:
    add_user(runtime, BUDI, Role.PERANGKAT_DESA, desa_kode="35.28.08.2001")
    await harness.send(BUDI, "/ringkasan")
    assert harness.last(BUDI).text == "Maaf, fitur ini hanya untuk admin atau staf seksi."
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
        uow.commit()
    await harness.send(CERMEE_ADMIN, "/ringkasan 35.28.08")
    assert "Maaf, Kecamatan Larangan di luar wilayah Anda" in harness.last(CERMEE_ADMIN).text
    await harness.send(CERMEE_ADMIN, "/ringkasan")
    assert "Cermee" in harness.last(CERMEE_ADMIN).text
    assert "Rekap IKU Kabupaten" not in harness.last(CERMEE_ADMIN).text
