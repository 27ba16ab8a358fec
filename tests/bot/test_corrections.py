"""/koreksi and /batalkan in process: an admin corrects a report or voids a duplicate;
the reporter and the seksi are told through the outbox; the IKU follows."""

from __future__ import annotations

from bot.runtime import Runtime
from domain.models import IncidentKind, Role, Seksi
from domain.period import Period
from domain.report import iku_report
from tests.bot.conftest import ADMIN, add_user
from tests.bot.harness import Harness, Person

PERANGKAT = Person(800001, "Ahmad Fauzi")
KESBANG = Person(800002, "Hasan Basri")
TRANTIB = Person(800003, "Moh. Rofiq")
PELTONG = "35.28.08.2001"


def _setup(runtime: Runtime) -> None:
    add_user(runtime, PERANGKAT, Role.PERANGKAT_DESA, desa_kode=PELTONG, jabatan="Kasi Pem")
    add_user(runtime, KESBANG, Role.STAF_SEKSI, seksi=Seksi.KESBANG, jabatan="Kasi Kesbang")
    add_user(runtime, TRANTIB, Role.STAF_SEKSI, seksi=Seksi.TRANTIB, jabatan="Kasi Trantib")


async def _report_trantibum(harness: Harness) -> None:
    await harness.send(PERANGKAT, "/lapor")
    await harness.press(PERANGKAT, "Trantibum")
    await harness.press(PERANGKAT, "Kemarin")
    await harness.press(PERANGKAT, "Perjudian")
    await harness.send(PERANGKAT, "Warga berjudi sabung ayam di belakang pasar desa.")
    await harness.press(PERANGKAT, "Lewati")
    await harness.press(PERANGKAT, "Lewati")
    await harness.press(PERANGKAT, "Kirim")


def _said(harness: Harness, person: Person, fragment: str) -> bool:
    """The last answer, or the explanation just before the question asked again."""
    return any(fragment in text for text in harness.texts(person)[-2:])


def _totals(runtime: Runtime) -> tuple[int, int]:
    with runtime.uow() as uow:
        report = iku_report(
            uow, kecamatan_code="35.28.08", period=Period.year(2026), now=runtime.now()
        )
    return report.konflik.result.total, report.trantibum.result.total


async def test_a_kind_correction_tells_reporter_and_both_seksi_and_moves_the_iku(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _report_trantibum(harness)
    assert _said(harness, PERANGKAT, "TB-352808-2026-0001")
    assert _totals(runtime) == (0, 1)
    await harness.send(ADMIN, "/koreksi tb-352808-2026-0001")
    assert _said(harness, ADMIN, "TB-352808-2026-0001")
    await harness.press(ADMIN, "Jenis")
    await harness.press(ADMIN, "Konflik sosial")
    await harness.press(ADMIN, "Potensi konflik")
    await harness.press(ADMIN, "Sengketa tanah/batas")
    await harness.send(ADMIN, "dobel")
    assert _said(harness, ADMIN, "Alasan terlalu singkat")
    await harness.send(ADMIN, "Sebenarnya sengketa batas tanah, bukan judi")
    assert _said(harness, ADMIN, "Periksa koreksi")
    assert _totals(runtime) == (0, 1)  # nothing stored before Kirim
    await harness.press(ADMIN, "Kirim")
    assert _said(harness, ADMIN, "KS-352808-2026-0001")
    assert _totals(runtime) == (1, 0)
    for person in (PERANGKAT, KESBANG, TRANTIB):
        notice = harness.last(person).text
        assert "dikoreksi admin" in notice
        assert "KS-352808-2026-0001" in notice
        assert "Bagian: jenis, kategori\n" in notice


async def test_a_void_lowers_the_denominator(harness: Harness, runtime: Runtime) -> None:
    _setup(runtime)
    await _report_trantibum(harness)
    await _report_trantibum(harness)
    assert _totals(runtime) == (0, 2)
    await harness.send(ADMIN, "/batalkan TB-352808-2026-0002")
    await harness.send(ADMIN, "TB-352808-2026-0099")
    assert _said(harness, ADMIN, "TB-352808-2026-0099 tidak ditemukan")
    await harness.send(ADMIN, "TB-352808-2026-0002")
    assert _said(harness, ADMIN, "dirinya sendiri")
    await harness.send(ADMIN, "tb-352808-2026-0001")
    await harness.send(ADMIN, "Kejadian yang sama dilaporkan dua kali")
    assert _said(harness, ADMIN, "Periksa pembatalan")
    await harness.press(ADMIN, "Kirim")
    assert _said(harness, ADMIN, "dibatalkan sebagai duplikat dari TB-352808-2026-0001")
    assert _totals(runtime) == (0, 1)
    assert _said(harness, PERANGKAT, "dibatalkan admin")
    assert _said(harness, TRANTIB, "dibatalkan admin")
    await harness.send(ADMIN, "/koreksi TB-352808-2026-0002")
    assert _said(harness, ADMIN, "sudah dibatalkan")


async def test_non_admins_and_unknown_numbers_are_refused(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _report_trantibum(harness)
    await harness.send(TRANTIB, "/koreksi TB-352808-2026-0001")
    assert _said(harness, TRANTIB, "Hanya admin")
    await harness.send(PERANGKAT, "/batalkan TB-352808-2026-0001")
    assert _said(harness, PERANGKAT, "Hanya admin")
    await harness.send(ADMIN, "/koreksi KS-352808-2026-0042")
    assert _said(harness, ADMIN, "KS-352808-2026-0042 tidak ditemukan")
    await harness.send(ADMIN, "/koreksi")
    assert _said(harness, ADMIN, "/koreksi TB-352808-2026-0001")
    await harness.send(ADMIN, "/koreksi TB-352808-2026-0001")
    await harness.press(ADMIN, "Tanggal kejadian")
    await harness.send(ADMIN, "31-02-2026")
    assert _said(harness, ADMIN, "tidak ada di kalender")
    await harness.send(ADMIN, "01-01-2027")
    assert _said(harness, ADMIN, "masa depan")
    assert _totals(runtime) == (0, 1)
    assert IncidentKind.TRANTIBUM.value == "trantibum"


async def test_an_admin_enters_an_old_report_as_a_late_entry_others_are_refused(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await harness.send(PERANGKAT, "/lapor")
    await harness.press(PERANGKAT, "Trantibum")
    await harness.send(PERANGKAT, "01-06-2026")
    assert _said(harness, PERANGKAT, "mintalah admin mencatatnya sebagai entri terlambat")
    await harness.send(PERANGKAT, "/batal")
    await harness.send(ADMIN, "/lapor")
    await harness.press(ADMIN, "Trantibum")
    await harness.press(ADMIN, "Peltong")
    await harness.send(ADMIN, "01-06-2026")
    await harness.press(ADMIN, "Perjudian")
    await harness.send(ADMIN, "Judi sabung ayam bulan Juni, baru diketahui kantor.")
    await harness.press(ADMIN, "Lewati")
    await harness.press(ADMIN, "Lewati")
    await harness.press(ADMIN, "Kirim")
    assert _said(harness, ADMIN, "TB-352808-2026-0001")
    with runtime.uow() as uow:
        stored = uow.incidents.get_by_nomor("TB-352808-2026-0001")
    assert stored is not None
    assert stored.late_entry
    assert "Entri terlambat" in harness.last(TRANTIB).text  # the card of the new case
    await harness.send(ADMIN, "/lapor")
    await harness.press(ADMIN, "Trantibum")
    await harness.press(ADMIN, "Peltong")
    await harness.send(ADMIN, "01-01-2027")
    assert _said(harness, ADMIN, "masa depan")


async def test_a_stale_summary_button_stores_nothing(harness: Harness, runtime: Runtime) -> None:
    _setup(runtime)
    await _report_trantibum(harness)
    await harness.send(ADMIN, "/batalkan TB-352808-2026-0001")
    await harness.send(ADMIN, "/batal")
    await harness.send(ADMIN, "/koreksi TB-352808-2026-0001")
    await harness.press(ADMIN, "Kategori")
    await harness.press(ADMIN, "Minuman keras/narkoba")
    await harness.send(ADMIN, "Pelapor salah memilih kategori kejadian")
    summary = harness.with_buttons(ADMIN)
    kirim = harness.data_of(summary, "Kirim")
    await harness.send(ADMIN, "/batal")
    await harness.press_data(ADMIN, kirim, summary)
    assert any("tidak berlaku" in t for t in harness.toasts())
    with runtime.uow() as uow:
        stored = uow.incidents.get_by_nomor("TB-352808-2026-0001")
        assert stored is not None
        assert stored.category == "judi"
        assert uow.incidents.corrections(stored.id) == []
    await harness.send(ADMIN, "/koreksi TB-352808-2026-0001")
    await harness.press(ADMIN, "Kategori")
    await harness.press(ADMIN, "Perjudian")
    await harness.send(ADMIN, "Pelapor salah memilih kategori kejadian")
    await harness.press(ADMIN, "Kirim")
    assert _said(harness, ADMIN, "Tidak ada yang berubah")
