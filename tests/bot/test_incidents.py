"""Incident reports (/lapor), their follow-up until handled, /laporanku and /nihil."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlmodel import col

from bot.delivery.offline import SentMessage
from bot.reports.iku import fmt_datetime_id, zone_label
from bot.runtime import Runtime
from domain.models import Incident, IncidentKind, IncidentStatus, KonflikStage, Role, Seksi
from storage.tables import IncidentRow, NilReportRow
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import ADMIN, Clock, add_user
from tests.bot.harness import Harness, Person

PERANGKAT = Person(800001, "Ahmad Fauzi")  # perangkat desa of Peltong
KESBANG = Person(800002, "Hasan Basri")
TRANTIB = Person(800003, "Moh. Rofiq")
PELTONG = "35.28.08.2001"


def _setup(runtime: Runtime) -> None:
    add_user(runtime, PERANGKAT, Role.PERANGKAT_DESA, desa_kode=PELTONG, jabatan="Kasi Pem")
    add_user(runtime, KESBANG, Role.STAF_SEKSI, seksi=Seksi.KESBANG, jabatan="Kasi Kesbang")
    add_user(runtime, TRANTIB, Role.STAF_SEKSI, seksi=Seksi.TRANTIB, jabatan="Kasi Trantib")


def _incidents(runtime: Runtime) -> list[Incident]:
    with runtime.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        ids = uow.session.scalars(select(col(IncidentRow.id)).order_by(col(IncidentRow.id)))
        found = [uow.incidents.get(int(i)) for i in ids if i is not None]
    return [i for i in found if i is not None]


async def _report_konflik(harness: Harness) -> None:
    await harness.send(PERANGKAT, "/lapor")
    await harness.press(PERANGKAT, "Konflik sosial")
    await harness.press(PERANGKAT, "Kemarin")
    await harness.press(PERANGKAT, "Potensi konflik")
    await harness.press(PERANGKAT, "Sengketa tanah/batas")
    await harness.send(
        PERANGKAT, "Dua keluarga berselisih soal batas tanah tegalan di Dusun Barat."
    )
    await harness.send_location(PERANGKAT, -7.0712, 113.5123)
    await harness.send_photo(PERANGKAT, "photo-1")
    await harness.press(PERANGKAT, "Selesai")


async def test_a_perangkat_desa_reports_a_conflict_for_their_own_desa(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _report_konflik(harness)
    summary = harness.last(PERANGKAT)
    assert "Periksa laporan Anda" in summary.text
    assert "Desa: Peltong" in summary.text
    assert "24 November 2026" in summary.text
    assert _incidents(runtime) == []  # nothing stored before Kirim
    await harness.press(PERANGKAT, "Kirim")
    assert "KS-352808-2026-0001" in harness.last(PERANGKAT).text
    [stored] = _incidents(runtime)
    assert stored.nomor == "KS-352808-2026-0001"
    assert stored.kind is IncidentKind.KONFLIK
    assert stored.stage is KonflikStage.POTENSI
    assert stored.category == "tanah"
    assert stored.event_date == date(2026, 11, 24)
    assert stored.latitude == -7.0712
    assert stored.photo_file_ids == ("photo-1",)
    assert stored.status is IncidentStatus.BARU
    # Kesbang follows up conflicts: its staff get the card; Trantib does not.
    card = harness.last(KESBANG)
    assert "KS-352808-2026-0001" in card.text
    assert "Diproses" in card.labels()
    assert harness.texts(TRANTIB) == []


async def test_a_staff_member_reports_trantibum_with_a_typed_date_and_other_category(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await harness.send(KESBANG, "/lapor")
    await harness.press(KESBANG, "Trantibum")
    await harness.press(KESBANG, "Montok")
    await harness.send(KESBANG, "20-11-2026")
    await harness.press(KESBANG, "Lainnya")
    await harness.send(KESBANG, "Balap liar")
    await harness.send(KESBANG, "Balap liar di jalan raya Montok setiap malam Minggu, warga resah.")
    await harness.press(KESBANG, "Lewati")
    await harness.press(KESBANG, "Lewati")
    assert "Lainnya: Balap liar" in harness.last(KESBANG).text
    await harness.press(KESBANG, "Kirim")
    [stored] = _incidents(runtime)
    assert stored.nomor == "TB-352808-2026-0001"
    assert stored.category_detail == "Balap liar"
    assert stored.stage is None
    assert stored.event_date == date(2026, 11, 20)
    assert "TB-352808-2026-0001" in harness.last(TRANTIB).text


async def test_wrong_and_out_of_range_dates_are_explained_and_nothing_is_stored(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await harness.send(PERANGKAT, "/lapor")
    await harness.press(PERANGKAT, "Trantibum")
    cases = {
        "2026/11/05": "Format tanggal tidak dikenali",
        "31-02-2026": "tidak ada di kalender",
        "2026-02-31": "tidak ada di kalender",
        "26-11-2026": "tidak boleh di masa depan",
        "01-01-2026": "lebih dari 30 hari",
        "kemarin sore": "Format tanggal tidak dikenali",
    }
    for typed, expected in cases.items():
        await harness.send(PERANGKAT, typed)
        assert expected in harness.texts(PERANGKAT)[-2], typed
        assert "Kapan kejadiannya" in harness.last(PERANGKAT).text
    await harness.send(PERANGKAT, "25-11-2026")
    assert "Kategori" in harness.last(PERANGKAT).text
    assert _incidents(runtime) == []


async def test_an_iso_date_is_accepted_as_in_the_csv_files(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await harness.send(PERANGKAT, "/lapor")
    await harness.press(PERANGKAT, "Trantibum")
    await harness.send(PERANGKAT, "2026-11-24")
    assert "Kategori" in harness.last(PERANGKAT).text
    with runtime.uow() as uow:
        draft = uow.drafts.get(PERANGKAT.id, PERANGKAT.id)
    assert draft is not None
    assert draft.data["event_date"] == "2026-11-24"


async def test_a_short_description_a_sticker_and_a_voice_note_are_refused(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await harness.send(PERANGKAT, "/lapor")
    await harness.press(PERANGKAT, "Trantibum")
    await harness.press(PERANGKAT, "Hari ini")
    await harness.press(PERANGKAT, "Pencurian")
    await harness.send(PERANGKAT, "ada maling")
    assert "terlalu singkat" in harness.texts(PERANGKAT)[-2]
    await harness.send_sticker(PERANGKAT)
    assert "stiker tidak dapat diproses" in harness.texts(PERANGKAT)[-2]
    await harness.send_voice(PERANGKAT)
    assert "pesan suara tidak dapat diproses" in harness.texts(PERANGKAT)[-2]
    await harness.send(PERANGKAT, "x" * 1001)
    assert "terlalu panjang" in harness.texts(PERANGKAT)[-2]
    assert "Uraikan kejadiannya" in harness.last(PERANGKAT).text
    await harness.send(PERANGKAT, "Tas warga dicuri di pasar desa siang tadi.")
    assert "lokasi" in harness.last(PERANGKAT).text


async def test_text_instead_of_a_location_or_a_photo_is_explained(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await harness.send(PERANGKAT, "/lapor")
    await harness.press(PERANGKAT, "Trantibum")
    await harness.press(PERANGKAT, "Hari ini")
    await harness.press(PERANGKAT, "Perjudian")
    await harness.send(PERANGKAT, "Perjudian sabung ayam di lapangan desa.")
    await harness.send(PERANGKAT, "di lapangan")
    assert "Lokasi" in harness.texts(PERANGKAT)[-2]
    await harness.press(PERANGKAT, "Lewati")
    await harness.send(PERANGKAT, "fotonya nanti")
    assert "Kirim foto" in harness.texts(PERANGKAT)[-2]
    for n in range(3):
        await harness.send_photo(PERANGKAT, f"p{n}")
    # The third photo leads straight to the summary.
    assert "Foto: 3" in harness.last(PERANGKAT).text


async def test_ubah_changes_one_answer_and_returns_to_the_summary(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _report_konflik(harness)
    await harness.press(PERANGKAT, "Ubah")
    await harness.press(PERANGKAT, "Tanggal")
    await harness.send(PERANGKAT, "10-11-2026")
    summary = harness.last(PERANGKAT)
    assert "10 November 2026" in summary.text
    assert "Kirim" in summary.labels()
    await harness.press(PERANGKAT, "Kirim")
    [stored] = _incidents(runtime)
    assert stored.event_date == date(2026, 11, 10)


async def test_a_second_press_on_kirim_stores_nothing_more(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _report_konflik(harness)
    summary = harness.with_buttons(PERANGKAT)
    kirim = harness.data_of(summary, "Kirim")
    await harness.press(PERANGKAT, "Kirim")
    await harness.press_data(PERANGKAT, kirim, summary)
    assert len(_incidents(runtime)) == 1
    assert "sudah tidak berlaku" in harness.toasts()[-1]


async def test_a_report_in_progress_survives_a_restart(harness: Harness, runtime: Runtime) -> None:
    _setup(runtime)
    await harness.send(PERANGKAT, "/lapor")
    await harness.press(PERANGKAT, "Trantibum")
    await harness.press(PERANGKAT, "Hari ini")
    await harness.restart()
    await harness.press(PERANGKAT, "Pencurian")
    assert "Uraikan kejadiannya" in harness.last(PERANGKAT).text


async def test_strangers_and_citizens_cannot_report(harness: Harness, runtime: Runtime) -> None:
    stranger = Person(800100, "Orang Lain")
    await harness.send(stranger, "/lapor")
    told = harness.last(stranger).text
    assert "/daftar" in told
    assert "/skm" in told
    assert _incidents(runtime) == []


async def _follow(harness: Harness, person: Person, label: str, note: str) -> None:
    await harness.press(person, label, message=harness.with_buttons(person))
    await harness.send(person, note)


async def test_kesbang_follows_a_conflict_until_handled_and_the_reporter_is_told(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _setup(runtime)
    await _report_konflik(harness)
    await harness.press(PERANGKAT, "Kirim")
    await _follow(harness, KESBANG, "Diproses", "Mediasi dijadwalkan di balai desa.")
    await harness.press(KESBANG, "Lewati")
    assert "sekarang <b>Diproses</b>" in harness.last(KESBANG).text
    assert "Diproses" in harness.last(PERANGKAT).text
    assert "Mediasi dijadwalkan" in harness.last(PERANGKAT).text

    await harness.send(KESBANG, "/tindaklanjut ks-352808-2026-0001")
    clock.now += timedelta(hours=3)
    await _follow(harness, KESBANG, "Tertangani", "Kedua pihak sepakat, batas dipatok ulang.")
    await harness.send_photo(KESBANG, "bukti-1")
    [stored] = _incidents(runtime)
    assert stored.status is IncidentStatus.TERTANGANI
    assert stored.handled_at is not None
    with runtime.uow() as uow:
        history = uow.incidents.history(stored.id)
    assert [e.to_status for e in history] == [
        IncidentStatus.BARU,
        IncidentStatus.DIPROSES,
        IncidentStatus.TERTANGANI,
    ]
    assert history[-1].photo_file_id == "bukti-1"
    assert "Tertangani" in harness.last(PERANGKAT).text

    # Reopening needs a reason.
    await harness.send(KESBANG, "/tindaklanjut KS-352808-2026-0001")
    await _follow(harness, KESBANG, "Buka kembali", "ok")
    assert "terlalu singkat" in harness.texts(KESBANG)[-2]
    await harness.send(KESBANG, "Salah satu pihak mengingkari kesepakatan.")
    await harness.press(KESBANG, "Lewati")
    [stored] = _incidents(runtime)
    assert stored.status is IncidentStatus.DIPROSES
    assert stored.handled_at is None


async def test_an_old_card_button_is_stale_and_changes_nothing(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    admin_card_holder = KESBANG
    await _report_konflik(harness)
    await harness.press(PERANGKAT, "Kirim")
    card = harness.with_buttons(admin_card_holder)
    handled = harness.data_of(card, "Tertangani")
    await _follow(harness, KESBANG, "Diproses", "Sedang dimediasi oleh kepala desa.")
    await harness.press(KESBANG, "Lewati")
    await harness.press_data(KESBANG, handled, card)
    assert "sudah tidak berlaku" in harness.toasts()[-1]
    assert "sudah berubah" in harness.last(KESBANG).text
    [stored] = _incidents(runtime)
    assert stored.status is IncidentStatus.DIPROSES


async def test_a_change_made_meanwhile_wins_over_a_note_being_written(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _report_konflik(harness)
    await harness.press(PERANGKAT, "Kirim")
    await harness.press(KESBANG, "Diproses", message=harness.with_buttons(KESBANG))
    # Meanwhile the Camat handles it from his own card.
    await harness.send(ADMIN, "/tindaklanjut KS-352808-2026-0001")
    await _follow(harness, ADMIN, "Tertangani", "Sudah diselesaikan di tingkat kecamatan.")
    await harness.press(ADMIN, "Lewati")
    await harness.send(KESBANG, "Mediasi dijadwalkan besok pagi.")
    await harness.press(KESBANG, "Lewati")
    assert any("sudah diperbarui" in t for t in harness.texts(KESBANG)[-3:])
    [stored] = _incidents(runtime)
    assert stored.status is IncidentStatus.TERTANGANI
    with runtime.uow() as uow:
        assert len(uow.incidents.history(stored.id)) == 2


async def test_the_wrong_seksi_cannot_follow_up(harness: Harness, runtime: Runtime) -> None:
    _setup(runtime)
    await _report_konflik(harness)
    await harness.press(PERANGKAT, "Kirim")
    card = harness.with_buttons(KESBANG)
    # The same button data sent from Trantib's own chat (a forwarded or forged press).
    forged = SentMessage(TRANTIB.id, card.message_id, card.text, card.buttons)
    await harness.press_data(TRANTIB, harness.data_of(card, "Diproses"), forged)
    assert "Seksi Kesatuan Bangsa" in harness.last(TRANTIB).text
    await harness.send(TRANTIB, "/tindaklanjut KS-352808-2026-0001")
    assert "Seksi Kesatuan Bangsa" in harness.last(TRANTIB).text
    await harness.send(PERANGKAT, "/tindaklanjut KS-352808-2026-0001")
    assert "hanya untuk" in harness.last(PERANGKAT).text
    [stored] = _incidents(runtime)
    assert stored.status is IncidentStatus.BARU


async def test_open_cases_list_marks_overdue_ones(
    harness: Harness, runtime: Runtime, clock: Clock
) -> None:
    _setup(runtime)
    await _report_konflik(harness)
    await harness.press(PERANGKAT, "Kirim")
    await harness.send(KESBANG, "/tindaklanjut")
    assert "terlambat" not in harness.last(KESBANG).text
    clock.now += timedelta(days=8)
    await harness.send(KESBANG, "/tindaklanjut")
    listing = harness.last(KESBANG)
    assert "KS-352808-2026-0001" in listing.text
    assert "8 hari ⚠️ terlambat" in listing.text
    await harness.press(KESBANG, "KS-352808-2026-0001")
    assert "Terlambat: terbuka 8 hari" in harness.last(KESBANG).text
    await harness.send(KESBANG, "/tindaklanjut KS-352808-2026-9999")
    assert "tidak ditemukan" in harness.last(KESBANG).text


async def test_laporanku_lists_own_reports_with_their_status(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await harness.send(PERANGKAT, "/laporanku")
    assert "belum pernah" in harness.last(PERANGKAT).text
    await _report_konflik(harness)
    await harness.press(PERANGKAT, "Kirim")
    await harness.send(PERANGKAT, "/laporanku")
    listing = harness.last(PERANGKAT)
    assert "KS-352808-2026-0001" in listing.text
    assert "Baru" in listing.text
    await harness.press(PERANGKAT, "KS-352808-2026-0001")
    assert "Laporan diterima" in harness.last(PERANGKAT).text


async def test_nihil_is_recorded_once_per_week_and_only_by_perangkat_desa(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await harness.send(PERANGKAT, "/nihil")
    assert "Desa Peltong" in harness.last(PERANGKAT).text
    assert "23 November 2026 s.d. 29 November 2026" in harness.last(PERANGKAT).text
    await harness.press(PERANGKAT, "Ya, nihil")
    assert "tercatat" in harness.last(PERANGKAT).text
    await harness.send(PERANGKAT, "/nihil")
    await harness.press(PERANGKAT, "Ya, nihil")
    assert "sudah tercatat sebelumnya" in harness.last(PERANGKAT).text
    await harness.send(KESBANG, "/nihil")
    assert "hanya untuk perangkat desa" in harness.last(KESBANG).text
    with runtime.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        count = uow.session.scalar(select(func.count()).select_from(NilReportRow))
    assert count == 1


async def test_nihil_cancelled_stores_nothing(harness: Harness, runtime: Runtime) -> None:
    _setup(runtime)
    await harness.send(PERANGKAT, "/nihil")
    await harness.press(PERANGKAT, "Batal")
    with runtime.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        count = uow.session.scalar(select(func.count()).select_from(NilReportRow))
    assert count == 0


async def test_nihil_is_refused_for_a_week_that_already_has_a_report(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _report_konflik(harness)
    await harness.press(PERANGKAT, "Kirim")
    await harness.send(PERANGKAT, "/nihil")
    # Said before anything is asked: no "Ya, nihil" to confirm what cannot be stored.
    refusal = harness.last(PERANGKAT)
    assert "sudah mempunyai 1 laporan kejadian" in refusal.text
    assert refusal.buttons == []
    with runtime.uow() as uow:
        assert uow.drafts.get(PERANGKAT.id, PERANGKAT.id) is None
    with runtime.uow() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        count = uow.session.scalar(select(func.count()).select_from(NilReportRow))
    assert count == 0


async def test_when_an_admin_changes_a_case_the_responsible_seksi_is_told(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _report_konflik(harness)
    await harness.press(PERANGKAT, "Kirim")
    await harness.send(ADMIN, "/start")  # the configured admin is registered on first contact
    await harness.send(ADMIN, "/tindaklanjut KS-352808-2026-0001")
    await _follow(harness, ADMIN, "Diproses", "Camat memanggil kedua pihak ke kantor.")
    await harness.press(ADMIN, "Lewati")
    notice = harness.last(KESBANG).text
    assert "KS-352808-2026-0001" in notice
    assert "diubah oleh admin Camat Larangan" in notice
    assert "<b>Diproses</b>" in notice
    assert "Camat memanggil kedua pihak" in notice
    # The reporter hears it as before; Trantib (not responsible for conflicts) hears nothing.
    assert "Diproses" in harness.last(PERANGKAT).text
    assert not any("KS-352808-2026-0001" in text for text in harness.texts(TRANTIB))


async def test_when_the_seksi_itself_changes_a_case_it_is_not_told_about_its_own_change(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _report_konflik(harness)
    await harness.press(PERANGKAT, "Kirim")
    await _follow(harness, KESBANG, "Diproses", "Mediasi dijadwalkan di balai desa.")
    await harness.press(KESBANG, "Lewati")
    assert not any("diubah oleh admin" in text for text in harness.texts(KESBANG))


async def test_riwayat_names_its_case_and_times_carry_their_zone(
    harness: Harness, runtime: Runtime
) -> None:
    _setup(runtime)
    await _report_konflik(harness)
    await harness.press(PERANGKAT, "Kirim")
    await harness.send(PERANGKAT, "/laporanku")
    await harness.press(PERANGKAT, "KS-352808-2026-0001")
    history = harness.last(PERANGKAT).text
    assert history.startswith("<b>Riwayat KS-352808-2026-0001</b> (Konflik sosial)")
    assert "25 November 2026 10.00 WIB" in history


def test_the_zone_of_a_time_is_named_as_in_indonesia() -> None:
    moment = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert fmt_datetime_id(moment) == "25 November 2026 10.00 WIB"
    assert zone_label(moment.astimezone(ZoneInfo("Asia/Makassar"))) == "WITA"
    assert zone_label(moment.astimezone(ZoneInfo("Asia/Jayapura"))) == "WIT"
    assert zone_label(moment.astimezone(ZoneInfo("UTC"))) == "UTC"
