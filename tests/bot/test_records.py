"""/idm (typed in, or a Kemendesa JSON or CSV file) and /tematik (record, list, end)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from bot.runtime import Runtime
from domain.idm import IdmStatus
from domain.models import (
    DesaTematik,
    IdmResult,
    IndicatorCode,
    Kecamatan,
    Role,
    Seksi,
    Tema,
    UserStatus,
)
from domain.period import Period
from domain.ports import DesaSeed, KecamatanSeed
from domain.report import iku_report
from tests import factories
from tests.bot.conftest import ADMIN, add_user
from tests.bot.harness import Harness, Person

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "idm-kemendesa-api"

DEWI = Person(710001, "Dewi Lestari")  # Seksi PPD
AGUS = Person(710002, "Agus Salim")  # Seksi PMD
BAYU = Person(710003, "Bayu Pratama")  # Seksi Trantib
ORANG = Person(710004, "Orang Lain")  # not registered
RUDI = Person(710005, "Rudi Hartono")  # Seksi PPD of Kecamatan Cermee

# Kecamatan Cermee (Bondowoso): the desa of the real Kemendesa samples.
CERMEE_DESA = {
    "3511152001": "Solor",
    "3511152002": "Kladi",
    "3511152003": "Bercak",
    "3511152004": "Suling Wetan",
    "3511152005": "Suling Kulon",
    "3511152006": "Cermee",
    "3511152007": "Ramban Wetan",
    "3511152008": "Grujugan",
}


def _staff(runtime: Runtime, person: Person, seksi: Seksi) -> None:
    add_user(runtime, person, Role.STAF_SEKSI, seksi=seksi)


def _desa_id(runtime: Runtime, nama: str) -> int:
    with runtime.uow() as uow:
        for kecamatan in uow.kecamatan.list():
            for desa in uow.desa.list_by_kecamatan(kecamatan.id):
                if desa.nama == nama:
                    return desa.id
    raise AssertionError(f"no desa {nama}")


def _idm(runtime: Runtime, nama: str, tahun: int) -> IdmResult | None:
    desa_id = _desa_id(runtime, nama)
    with runtime.uow() as uow:
        return uow.idm.get(desa_id, tahun)


def _all_idm(runtime: Runtime, tahun: int) -> list[IdmResult]:
    with runtime.uow() as uow:
        return [
            result
            for kecamatan in uow.kecamatan.list()
            for result in uow.idm.list_for_kecamatan(kecamatan.id, tahun)
        ]


def _tematik(runtime: Runtime, tahun: int = 2026) -> list[DesaTematik]:
    kecamatan = runtime.kecamatan()
    with runtime.uow() as uow:
        return uow.tematik.list_active(kecamatan.id, tahun)


def _count_desa(runtime: Runtime, tahun: int = 2026) -> int:
    kecamatan = runtime.kecamatan()
    with runtime.uow() as uow:
        return uow.tematik.count_desa(kecamatan.id, tahun)


def _iku2(runtime: Runtime, tahun: int = 2026) -> Decimal | None:
    """IKU 2 (desa tematik) as the IKU report computes it."""
    with runtime.uow() as uow:
        report = iku_report(
            uow, kecamatan_code="35.28.08", period=Period.year(tahun), now=runtime.now()
        )
    return report.row(IndicatorCode.DESA_TEMATIK).realisasi


def _cermee(runtime: Runtime) -> Kecamatan:
    """Register Kecamatan Cermee and a Seksi PPD officer of it (RUDI)."""
    seed = KecamatanSeed(
        kode="35.11.15",
        kode_bps="3511152",
        nama="Cermee",
        kabupaten="Bondowoso",
        provinsi="Jawa Timur",
        desa=tuple(
            DesaSeed(f"35.11.15.{2000 + int(code[-3:])}", code, nama)
            for code, nama in CERMEE_DESA.items()
        ),
    )
    with runtime.uow() as uow:
        kecamatan, _ = uow.kecamatan.upsert(seed)
        factories.add_user(
            uow,
            Role.STAF_SEKSI,
            telegram_id=RUDI.id,
            nama=RUDI.name,
            jabatan="Kasi PPD",
            kecamatan_id=kecamatan.id,
            seksi=Seksi.PPD,
        )
        uow.commit()
    return kecamatan


def _sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


async def _manual_until_values(harness: Harness, person: Person, desa: str, mode: str) -> None:
    await harness.send(person, "/idm")
    await harness.press(person, "Isi manual")
    await harness.send(person, "2024")  # an IDM year (typed: the buttons are this year and last)
    await harness.press(person, desa)
    await harness.press(person, mode)


# -- /idm typed in -------------------------------------------------------------------------


async def test_a_ppd_officer_types_the_three_indices_and_gets_the_exact_idm(
    harness: Harness, runtime: Runtime
) -> None:
    _staff(runtime, DEWI, Seksi.PPD)
    await harness.send(DEWI, "/idm")
    assert harness.last(DEWI).labels() == ["Isi manual", "Kirim berkas"]
    await harness.press(DEWI, "Isi manual")
    assert harness.last(DEWI).labels() == ["2026", "2025"]
    await harness.send(DEWI, "2024")
    await harness.press(DEWI, "Peltong")
    await harness.press(DEWI, "IKS, IKE, IKL")
    assert "IKS" in harness.last(DEWI).text
    assert "Peltong tahun 2024" in harness.last(DEWI).text
    await harness.send(DEWI, "0,75")
    await harness.send(DEWI, "0.62")
    await harness.send(DEWI, "0,66")
    summary = harness.last(DEWI)
    assert "IKS: 0,75\nIKE: 0,62\nIKL: 0,66" in summary.text
    assert "IDM: <b>0,6767</b> (Berkembang)" in summary.text
    assert summary.labels() == ["Simpan", "Ubah", "Batal"]
    assert _idm(runtime, "Peltong", 2024) is None  # nothing stored before Simpan

    await harness.press(DEWI, "Simpan")
    reply = harness.last(DEWI).text
    assert "Hasil IDM Desa Peltong tahun 2024 disimpan." in reply
    assert "Skor IDM: <b>0,6767</b> (tepatnya 0,67666666666667)" in reply
    assert "Status: <b>Berkembang</b>" in reply
    assert "sebelumnya" not in reply
    # (0,75 + 0,62 + 0,66) / 3 = 0,676666...; Maju starts at 0,7073.
    assert "Untuk naik ke status Maju diperlukan skor minimal 0,7073: kurang 0,0307 lagi." in reply
    stored = _idm(runtime, "Peltong", 2024)
    assert stored is not None
    assert stored.score == Decimal("0.67666666666667")
    assert stored.status is IdmStatus.BERKEMBANG
    assert (stored.iks, stored.ike, stored.ikl) == (
        Decimal("0.75"),
        Decimal("0.62"),
        Decimal("0.66"),
    )

    # Typed again with the IDM alone: the previous value is shown; Mandiri is the top.
    await _manual_until_values(harness, DEWI, "Peltong", "Nilai IDM saja")
    await harness.send(DEWI, "0,8156")
    assert "IDM: <b>0,8156</b> (Mandiri)" in harness.last(DEWI).text
    await harness.press(DEWI, "Simpan")
    reply = harness.last(DEWI).text
    assert "Skor IDM: <b>0,8156</b>\n" in reply  # exact: no second value
    assert "Status: <b>Mandiri</b>" in reply
    assert "Nilai sebelumnya untuk tahun ini: 0,6767 (Berkembang)" in reply
    assert "Mandiri adalah status tertinggi." in reply
    stored = _idm(runtime, "Peltong", 2024)
    assert stored is not None
    assert stored.score == Decimal("0.81560000000000")
    assert stored.status is IdmStatus.MANDIRI
    assert stored.iks is None


async def test_an_admin_types_the_idm_alone_for_2024_and_a_threshold_stays_below(
    harness: Harness, runtime: Runtime
) -> None:
    await harness.send(ADMIN, "/idm")
    await harness.press(ADMIN, "Isi manual")
    await harness.send(ADMIN, "2024")
    await harness.press(ADMIN, "Montok")
    await harness.press(ADMIN, "Nilai IDM saja")
    await harness.send(ADMIN, "0.7072")  # equal to the upper bound of Berkembang
    await harness.press(ADMIN, "Simpan")
    reply = harness.last(ADMIN).text
    assert "Desa Montok tahun 2024" in reply
    assert "Status: <b>Berkembang</b>" in reply
    assert "Untuk naik ke status Maju diperlukan skor minimal 0,7073: kurang 0,0001 lagi." in reply
    stored = _idm(runtime, "Montok", 2024)
    assert stored is not None
    assert stored.score == Decimal("0.70720000000000")
    assert stored.status is IdmStatus.BERKEMBANG
    assert (stored.iks, stored.ike, stored.ikl) == (None, None, None)


async def test_bad_index_values_are_explained_and_asked_again(
    harness: Harness, runtime: Runtime
) -> None:
    _staff(runtime, DEWI, Seksi.PPD)
    await _manual_until_values(harness, DEWI, "Trasak", "IKS, IKE, IKL")
    for bad, why in (
        ("1,5", "IKS harus di antara 0 dan 1 (diterima 1,5)"),
        ("-0,1", "IKS harus berupa angka 0-1"),
        ("abc", "IKS harus berupa angka 0-1"),
        ("0,123456789012345", "paling banyak 14 desimal"),  # 15 decimals
    ):
        await harness.send(DEWI, bad)
        assert why in harness.texts(DEWI)[-2], bad
        assert "Ketik nilai <b>IKS</b>" in harness.last(DEWI).text
    await harness.send(DEWI, "0,12345678901234")  # 14 decimals: accepted
    assert "Ketik nilai <b>IKE</b>" in harness.last(DEWI).text
    await harness.send_sticker(DEWI)
    assert "stiker tidak dapat diproses" in harness.texts(DEWI)[-2]
    assert "Ketik nilai <b>IKE</b>" in harness.last(DEWI).text
    await harness.send(DEWI, "/batal")
    assert _all_idm(runtime, 2024) == []


async def test_bad_years_and_text_for_a_button_are_explained(
    harness: Harness, runtime: Runtime
) -> None:
    _staff(runtime, DEWI, Seksi.PPD)
    await harness.send(DEWI, "/idm")
    await harness.send(DEWI, "manual")  # text where a button is expected
    assert "pilih salah satu tombol" in harness.texts(DEWI)[-2]
    await harness.press(DEWI, "Isi manual")
    for bad, why in (
        ("2014", "Tahun harus antara 2015 dan 2026."),
        ("26", "Tulis tahun dengan 4 angka"),
        ("2027", "Tahun harus antara 2015 dan 2026."),  # next year: no result yet
    ):
        await harness.send(DEWI, bad)
        assert why in harness.texts(DEWI)[-2], bad
        assert "Hasil IDM tahun berapa?" in harness.last(DEWI).text
    await harness.send(DEWI, "2023")  # typed instead of pressed
    assert "Desa mana?" in harness.last(DEWI).text
    await harness.send(DEWI, "Peltong")  # a desa is chosen with its button
    assert "pilih salah satu tombol" in harness.texts(DEWI)[-2]
    await harness.press(DEWI, "Peltong")
    await harness.send_sticker(DEWI)  # a sticker where a button is expected
    assert "stiker tidak dapat diproses" in harness.texts(DEWI)[-2]
    assert "Nilai apa yang Anda punya?" in harness.last(DEWI).text
    await harness.press(DEWI, "Nilai IDM saja")
    await harness.send(DEWI, "0,5")
    await harness.press(DEWI, "Batal")
    assert "Dibatalkan" in harness.last(DEWI).text
    assert _idm(runtime, "Peltong", 2023) is None


async def test_ubah_goes_back_and_an_old_button_is_stale(
    harness: Harness, runtime: Runtime
) -> None:
    _staff(runtime, DEWI, Seksi.PPD)
    await _manual_until_values(harness, DEWI, "Lancar", "Nilai IDM saja")
    await harness.send(DEWI, "0,5")
    summary = harness.last(DEWI)
    save = harness.data_of(summary, "Simpan")
    await harness.press(DEWI, "Ubah")
    assert "Hasil IDM tahun berapa?" in harness.last(DEWI).text
    await harness.press_data(DEWI, save, summary)
    assert "sudah tidak berlaku" in harness.toasts()[-1]
    assert _idm(runtime, "Lancar", 2024) is None
    await harness.send(DEWI, "2023")
    await harness.press(DEWI, "Lancar")
    await harness.press(DEWI, "Nilai IDM saja")
    await harness.send(DEWI, "0,61")
    second = harness.last(DEWI)
    again = harness.data_of(second, "Simpan")
    await harness.press(DEWI, "Simpan")
    stored = _idm(runtime, "Lancar", 2023)
    assert stored is not None
    assert stored.status is IdmStatus.BERKEMBANG
    # A second press on the same Simpan finds the conversation over: nothing more happens.
    await harness.press_data(DEWI, again, second)
    assert "sudah tidak berlaku" in harness.toasts()[-1]
    assert "percakapan yang sudah selesai" in harness.last(DEWI).text
    assert _idm(runtime, "Lancar", 2023) == stored


async def test_a_stranger_and_other_roles_cannot_record_idm(
    harness: Harness, runtime: Runtime
) -> None:
    await harness.send(ORANG, "/idm")
    assert "hanya untuk staf Seksi PPD atau admin yang sudah terdaftar" in harness.last(ORANG).text
    await harness.send(ORANG, "0,7")
    assert "Tidak ada isian" in harness.last(ORANG).text
    _staff(runtime, BAYU, Seksi.TRANTIB)
    await harness.send(BAYU, "/idm")
    assert "Maaf, fitur ini hanya untuk staf Seksi PPD atau admin." in harness.last(BAYU).text
    _staff(runtime, AGUS, Seksi.PMD)
    await harness.send(AGUS, "/idm")
    assert "hanya untuk staf Seksi PPD" in harness.last(AGUS).text
    perangkat = Person(710006, "Pak Kades")
    add_user(runtime, perangkat, Role.PERANGKAT_DESA, desa_kode="35.28.08.2001")
    await harness.send(perangkat, "/idm")
    assert "hanya untuk staf Seksi PPD" in harness.last(perangkat).text
    await harness.send(BAYU, "/bantuan")
    assert "/idm" not in harness.texts(BAYU)[-1]
    assert _all_idm(runtime, 2024) == []


async def test_a_pending_officer_is_told_to_wait(harness: Harness, runtime: Runtime) -> None:
    add_user(runtime, DEWI, Role.STAF_SEKSI, seksi=Seksi.PPD, status=UserStatus.PENDING)
    await harness.send(DEWI, "/idm")
    assert "menunggu persetujuan" in harness.last(DEWI).text


# -- /idm from a file ------------------------------------------------------------------------


async def test_a_real_kemendesa_file_is_previewed_then_stored(
    harness: Harness, runtime: Runtime
) -> None:
    _cermee(runtime)
    await harness.send(RUDI, "/idm")
    await harness.press(RUDI, "Kirim berkas")
    assert "JSON IDM dari Kemendesa" in harness.last(RUDI).text
    await harness.send_document(RUDI, "3511152003_2024.json", _sample("3511152003_2024.json"))
    preview = harness.last(RUDI)
    assert "Pratinjau impor 3511152003_2024.json" in preview.text
    assert "1. Bercak, 2024: IDM 0,6773 (Berkembang); baru" in preview.text
    assert preview.labels() == ["Simpan", "Batal"]
    assert _idm(runtime, "Bercak", 2024) is None

    await harness.press(RUDI, "Simpan")
    reply = harness.last(RUDI).text
    assert "Impor 3511152003_2024.json selesai: 1 hasil IDM baru, 0 diperbarui." in reply
    assert "- Bercak, 2024: IDM 0,6773 (Berkembang)" in reply
    stored = _idm(runtime, "Bercak", 2024)
    assert stored is not None
    assert stored.score == Decimal("0.67730158730159")
    assert stored.status is IdmStatus.BERKEMBANG
    assert stored.iks == Decimal("0.74857142857143")
    assert stored.status_published == "BERKEMBANG"

    assert "Tercatat sebagai batch impor #1." in reply

    # The same file again is refused with the moment of its import; a corrected file
    # shows the stored value it replaces.
    await harness.send(RUDI, "/idm")
    await harness.press(RUDI, "Kirim berkas")
    await harness.send_document(RUDI, "3511152003_2024.json", _sample("3511152003_2024.json"))
    assert (
        "3511152003_2024.json: berkas yang sama sudah diimpor pada 25 November 2026 10.00 WIB "
        "sebagai batch impor #1 (1 hasil IDM)" in harness.texts(RUDI)[-2]
    )
    corrected = _sample("3511152003_2024.json").replace(b'"BERCAK"', b'"Bercak"')
    assert corrected != _sample("3511152003_2024.json")
    await harness.send_document(RUDI, "3511152003_2024.json", corrected)
    assert "IDM 0,6773 (Berkembang); sekarang 0,6773 (Berkembang)" in harness.last(RUDI).text
    await harness.press(RUDI, "Simpan")
    assert "0 hasil IDM baru, 1 diperbarui" in harness.last(RUDI).text
    assert "batch impor #2" in harness.last(RUDI).text


async def test_batal_on_the_preview_stores_nothing(harness: Harness, runtime: Runtime) -> None:
    _cermee(runtime)
    await harness.send(RUDI, "/idm")
    await harness.press(RUDI, "Kirim berkas")
    await harness.send_document(RUDI, "3511152006_2024.json", _sample("3511152006_2024.json"))
    assert "Cermee, 2024: IDM 0,7071 (Berkembang); baru" in harness.last(RUDI).text
    await harness.press(RUDI, "Batal")
    assert "Dibatalkan" in harness.last(RUDI).text
    assert _all_idm(runtime, 2024) == []


async def test_the_preview_survives_a_restart_before_simpan(
    harness: Harness, runtime: Runtime
) -> None:
    _cermee(runtime)
    await harness.send(RUDI, "/idm")
    await harness.press(RUDI, "Kirim berkas")
    await harness.send_document(RUDI, "3511152001_2024.json", _sample("3511152001_2024.json"))
    preview = harness.last(RUDI)
    assert "Solor, 2024: IDM 0,6552 (Berkembang); baru" in preview.text
    await harness.restart()
    await harness.press(RUDI, "Simpan", message=preview)
    assert "1 hasil IDM baru" in harness.last(RUDI).text
    stored = _idm(runtime, "Solor", 2024)
    assert stored is not None
    assert stored.score == Decimal("0.65523809523810")  # 0.6552380952381 to 14 decimals
    assert stored.status is IdmStatus.BERKEMBANG


async def test_a_file_of_another_kecamatan_is_refused_with_its_problem(
    harness: Harness, runtime: Runtime
) -> None:
    _staff(runtime, DEWI, Seksi.PPD)
    await harness.send(DEWI, "/idm")
    await harness.press(DEWI, "Kirim berkas")
    # Desa 1102042001 (Aceh) is not registered at all.
    await harness.send_document(DEWI, "1102042001_2024.json", _sample("1102042001_2024.json"))
    refusal = harness.texts(DEWI)[-2]
    assert "Impor dibatalkan, tidak ada data yang disimpan:" in refusal
    assert "1102042001_2024.json: kode desa 1102042001 tidak terdaftar" in refusal
    assert "Kirim berkasnya sebagai dokumen" in harness.last(DEWI).text  # asked again
    # Desa of Cermee exist but are not Larangan's.
    _cermee(runtime)
    await harness.send_document(DEWI, "3511152002_2024.json", _sample("3511152002_2024.json"))
    assert "desa 3511152002 (Kladi) bukan desa Kecamatan Larangan" in harness.texts(DEWI)[-2]
    assert _all_idm(runtime, 2024) == []


async def test_a_csv_table_is_previewed_with_new_and_replaced_values(
    harness: Harness, runtime: Runtime
) -> None:
    _staff(runtime, DEWI, Seksi.PPD)
    await _manual_until_values(harness, DEWI, "Trasak", "Nilai IDM saja")
    await harness.send(DEWI, "0,55")
    await harness.press(DEWI, "Simpan")
    table = (
        "kode_desa;tahun;iks;ike;ikl\n"
        "3528040001;2024;0,8;0,7;0,66\n"
        "35.28.08.2003;2024;0,9;0,8;0,85\n"  # Trasak by its Kemendagri code
    )
    await harness.send(DEWI, "/idm")
    await harness.press(DEWI, "Kirim berkas")
    await harness.send_document(DEWI, "idm-2024.csv", table.rsplit("35.28", 1)[0].encode())
    assert "1 hasil IDM akan disimpan" in harness.last(DEWI).text
    await harness.send_document(DEWI, "idm-2024.csv", table.encode())  # a corrected file
    preview = harness.last(DEWI).text
    assert "2 hasil IDM akan disimpan" in preview
    assert "1. Peltong, 2024: IDM 0,7200 (Maju); baru" in preview
    assert "2. Trasak, 2024: IDM 0,8500 (Mandiri); sekarang 0,5500 (Tertinggal)" in preview
    await harness.press(DEWI, "Simpan")
    assert "1 hasil IDM baru, 1 diperbarui" in harness.last(DEWI).text
    peltong = _idm(runtime, "Peltong", 2024)
    trasak = _idm(runtime, "Trasak", 2024)
    assert peltong is not None
    assert trasak is not None
    assert peltong.score == Decimal("0.72000000000000")
    assert trasak.status is IdmStatus.MANDIRI


async def test_broken_wrong_and_too_large_files_are_refused(
    harness: Harness, runtime: Runtime
) -> None:
    _staff(runtime, DEWI, Seksi.PPD)
    await harness.send(DEWI, "/idm")
    await harness.press(DEWI, "Kirim berkas")

    await harness.send_document(DEWI, "rusak.json", b'{"mapData": ')
    refusal = harness.texts(DEWI)[-2]
    assert "Impor dibatalkan, tidak ada data yang disimpan:" in refusal
    assert "rusak.json: bukan JSON" in refusal
    assert "bukan JSON yang sah" in refusal

    sample = _sample("3511152003_2024.json")
    assert b'"TAHUN":2024' in sample
    broken = sample.replace(b'"TAHUN":2024', b'"TAHUN":"dua"')
    await harness.send_document(DEWI, "3511152003_2024.json", broken)
    assert "mapData.SUMMARIES.TAHUN" in harness.texts(DEWI)[-2]

    table = "kode_desa,tahun,idm\n3528040001,2026,<b>\n3528040002,2062,0,5\n"
    await harness.send_document(DEWI, "tabel.csv", table.encode())
    refusal = harness.texts(DEWI)[-2]
    assert "tabel.csv, baris 2, kolom/isian idm: harus angka 0-1 (diterima '&lt;b&gt;')" in refusal
    assert "baris 3" in refusal
    assert "<b>" not in refusal.split("\n", 1)[1]  # the file's text is escaped

    await harness.send_document(DEWI, "tabel.csv", b"kode_desa,tahun,idm\n3528040001,2030,0.5\n")
    assert (
        "tabel.csv, baris 2, kolom/isian tahun: tahun 2030 di luar 2015-2026"
        in (harness.texts(DEWI)[-2])
    )

    await harness.send_document(DEWI, "idm.xls", b"\xd0\xcf\x11\xe0")
    assert "hanya berkas .json (IDM Kemendesa), .csv atau .xlsx" in harness.texts(DEWI)[-2]
    await harness.send_document(DEWI, "idm.xlsx", b"PK\x03\x04")
    assert "idm.xlsx: berkas XLSX rusak atau bukan berkas Excel .xlsx" in harness.texts(DEWI)[-2]

    await harness.send_document(DEWI, "besar.csv", b"k" * 1_000_001)
    assert "Berkas besar.csv terlalu besar (1,1 MB). Paling besar 1 MB" in harness.texts(DEWI)[-2]

    await harness.send(DEWI, "3528040001;2026;0,5")  # typed instead of sent as a file
    assert "sebagai dokumen" in harness.texts(DEWI)[-2]
    await harness.send_photo(DEWI, "foto-tabel")
    assert "sebagai dokumen" in harness.texts(DEWI)[-2]
    assert "Kirim berkasnya sebagai dokumen" in harness.last(DEWI).text
    assert _all_idm(runtime, 2026) == []


# -- /tematik ------------------------------------------------------------------------------


async def _record(
    harness: Harness,
    person: Person,
    desa: str,
    tema: str,
    referensi: str,
    *,
    lainnya: str | None = None,
    tahun: str = "2026",
) -> None:
    await harness.send(person, "/tematik")
    await harness.press(person, "Catat desa tematik")
    await harness.press(person, desa)
    await harness.press(person, tema)
    if lainnya is not None:
        await harness.send(person, lainnya)
    await harness.press(person, tahun)
    await harness.send(person, referensi)


async def test_a_pmd_officer_records_lists_and_ends_desa_tematik(
    harness: Harness, runtime: Runtime
) -> None:
    _staff(runtime, AGUS, Seksi.PMD)
    await harness.send(AGUS, "/tematik")
    assert harness.last(AGUS).labels() == ["Catat desa tematik", "Daftar", "Akhiri"]
    await harness.press(AGUS, "Catat desa tematik")
    await harness.press(AGUS, "Peltong")
    assert harness.last(AGUS).labels() == [
        "Budaya",
        "Peternakan",
        "Wisata",
        "UMKM",
        "Perikanan",
        "Lainnya",
    ]
    await harness.press(AGUS, "Lainnya")
    await harness.send(AGUS, "ab")
    assert "Nama tema harus 3-100 karakter." in harness.texts(AGUS)[-2]
    await harness.send(AGUS, "Desa  Digital")
    assert harness.last(AGUS).labels() == ["2026", "2027"]
    await harness.press(AGUS, "2026")
    await harness.send(AGUS, "AB")
    assert "Referensi (nomor SK) harus 3-200 karakter" in harness.texts(AGUS)[-2]
    await harness.send(AGUS, "188/45/432.312/2026")
    assert harness.last(AGUS).labels() == ["Lewati"]
    await harness.send_photo(AGUS, "foto-sk-1")
    summary = harness.last(AGUS).text
    assert "Desa: Peltong\nTema: Desa Digital\nTahun: 2026" in summary
    assert "Referensi: 188/45/432.312/2026\nBukti: foto terlampir" in summary
    await harness.press(AGUS, "Simpan")
    reply = harness.last(AGUS).text
    assert "Tercatat: Desa Peltong sebagai desa tematik Desa Digital tahun 2026." in reply
    assert "Desa tematik tahun 2026: <b>1 desa</b>." in reply
    [stored] = _tematik(runtime)
    assert stored.tema is Tema.LAINNYA
    assert stored.tema_lainnya == "Desa Digital"
    assert stored.referensi == "188/45/432.312/2026"
    assert stored.document_file_id == "foto-sk-1"

    # A second theme of the same desa: IKU 2 still counts the desa once.
    await _record(harness, AGUS, "Peltong", "Wisata", "188/46/432.312/2026")
    await harness.press(AGUS, "Lewati")
    assert "Bukti: tidak ada" in harness.last(AGUS).text
    await harness.press(AGUS, "Simpan")
    assert "Desa tematik tahun 2026: <b>1 desa</b>." in harness.last(AGUS).text
    # Another desa, with the SK as a file.
    await _record(harness, AGUS, "Montok", "UMKM", "SK Camat 12/2026")
    await harness.send_document(AGUS, "SK Montok.pdf", b"%PDF-1.4", file_id="dok-sk-2")
    assert "Bukti: berkas SK Montok.pdf" in harness.last(AGUS).text
    await harness.press(AGUS, "Simpan")
    assert "Desa tematik tahun 2026: <b>2 desa</b>." in harness.last(AGUS).text
    assert _count_desa(runtime) == 2
    assert _iku2(runtime) == 2

    await harness.send(AGUS, "/tematik")
    await harness.press(AGUS, "Daftar")
    listing = harness.last(AGUS).text
    assert "<b>Desa tematik aktif tahun 2026</b>" in listing
    assert "1. Peltong - Desa Digital - 188/45/432.312/2026" in listing
    assert "2. Peltong - Wisata - 188/46/432.312/2026" in listing
    assert "3. Montok - UMKM - SK Camat 12/2026" in listing
    assert "Jumlah desa tematik (IKU 2): <b>2 desa</b>" in listing
    await harness.send(AGUS, "teks")  # the list ended the conversation
    assert "Tidak ada isian" in harness.last(AGUS).text

    await harness.send(AGUS, "/tematik")
    await harness.press(AGUS, "Akhiri")
    assert harness.last(AGUS).labels() == [
        "Peltong - Desa Digital 2026",
        "Peltong - Wisata 2026",
        "Montok - UMKM 2026",
        "Batal",
    ]
    await harness.press(AGUS, "Montok - UMKM 2026")
    assert "Akhiri penetapan Desa Montok sebagai desa tematik UMKM tahun 2026?" in (
        harness.last(AGUS).text
    )
    await harness.press(AGUS, "Ya, akhiri")
    reply = harness.last(AGUS).text
    assert "Diakhiri: Desa Montok, desa tematik UMKM tahun 2026." in reply
    assert "Desa tematik tahun 2026 sekarang: <b>1 desa</b>." in reply
    assert _count_desa(runtime) == 1
    assert _iku2(runtime) == 1
    assert [t.tema for t in _tematik(runtime)] == [Tema.LAINNYA, Tema.WISATA]

    # Ending one of Peltong's two themes keeps Peltong counted.
    await harness.send(AGUS, "/tematik")
    await harness.press(AGUS, "Akhiri")
    await harness.press(AGUS, "Peltong - Wisata 2026")
    await harness.press(AGUS, "Ya, akhiri")
    assert "sekarang: <b>1 desa</b>" in harness.last(AGUS).text
    await harness.send(AGUS, "/tematik")
    await harness.press(AGUS, "Akhiri")
    await harness.press(AGUS, "Peltong - Desa Digital 2026")
    await harness.press(AGUS, "Ya, akhiri")
    assert "sekarang: <b>0 desa</b>" in harness.last(AGUS).text
    assert _count_desa(runtime) == 0
    assert _iku2(runtime) == 0
    await harness.send(AGUS, "/tematik")
    await harness.press(AGUS, "Akhiri")
    assert "Tidak ada desa tematik aktif tahun 2026 atau 2027" in harness.last(AGUS).text
    await harness.send(AGUS, "/tematik")
    await harness.press(AGUS, "Daftar")
    assert "Belum ada desa tematik aktif tahun 2026." in harness.last(AGUS).text


async def test_a_duplicate_designation_is_refused(harness: Harness, runtime: Runtime) -> None:
    _staff(runtime, AGUS, Seksi.PMD)
    await _record(harness, AGUS, "Grujugan", "Budaya", "188/1/2026")
    await harness.press(AGUS, "Lewati")
    await harness.press(AGUS, "Simpan")
    await _record(harness, AGUS, "Grujugan", "Budaya", "188/2/2026")
    await harness.press(AGUS, "Lewati")
    await harness.press(AGUS, "Simpan")
    assert (
        "Desa Grujugan sudah tercatat sebagai desa tematik budaya tahun 2026."
        in harness.texts(AGUS)[-2]
    )
    assert harness.last(AGUS).labels() == ["Simpan", "Ubah", "Batal"]  # asked again
    assert [t.referensi for t in _tematik(runtime)] == ["188/1/2026"]
    # Ubah: the same desa and theme for next year is fine.
    await harness.press(AGUS, "Ubah")
    await harness.press(AGUS, "Grujugan")
    await harness.press(AGUS, "Budaya")
    await harness.press(AGUS, "2027")
    await harness.send(AGUS, "188/2/2026")
    await harness.press(AGUS, "Lewati")
    await harness.press(AGUS, "Simpan")
    assert "tahun 2027" in harness.last(AGUS).text
    assert _count_desa(runtime, 2027) == 1
    await harness.send(AGUS, "/tematik")
    await harness.press(AGUS, "Daftar")
    assert "<b>Desa tematik aktif tahun 2027</b>" in harness.last(AGUS).text


async def test_bad_tematik_answers_are_explained(harness: Harness, runtime: Runtime) -> None:
    await harness.send(ADMIN, "/tematik")
    await harness.send(ADMIN, "catat")
    assert "pilih salah satu tombol" in harness.texts(ADMIN)[-2]
    await harness.press(ADMIN, "Catat desa tematik")
    await harness.press(ADMIN, "Taraban")
    await harness.press(ADMIN, "Perikanan")
    await harness.send(ADMIN, "2028")
    assert "Tahun harus antara 2015 dan 2027." in harness.texts(ADMIN)[-2]
    await harness.send(ADMIN, "2014")
    assert "Tahun harus antara 2015 dan 2027." in harness.texts(ADMIN)[-2]
    await harness.send(ADMIN, "2027")  # next year, typed
    await harness.send(ADMIN, " ".join(["x"] * 101))  # 201 characters
    assert "Referensi (nomor SK) harus 3-200 karakter" in harness.texts(ADMIN)[-2]
    await harness.send(ADMIN, "SK <Camat> 5/2027")
    await harness.send(ADMIN, "lewat")  # text where a photo, a file or Lewati is expected
    assert "Kirim foto atau berkas (dokumen), atau tekan Lewati." in harness.texts(ADMIN)[-2]
    await harness.send_sticker(ADMIN)
    assert "stiker tidak dapat diproses" in harness.texts(ADMIN)[-2]
    await harness.press(ADMIN, "Lewati")
    assert "Referensi: SK &lt;Camat&gt; 5/2027" in harness.last(ADMIN).text
    await harness.press(ADMIN, "Batal")
    assert "Dibatalkan" in harness.last(ADMIN).text
    assert _tematik(runtime, 2027) == []


async def test_a_stranger_and_other_roles_cannot_use_tematik(
    harness: Harness, runtime: Runtime
) -> None:
    await harness.send(ORANG, "/tematik")
    assert "hanya untuk staf Seksi PMD atau admin yang sudah terdaftar" in harness.last(ORANG).text
    _staff(runtime, DEWI, Seksi.PPD)
    await harness.send(DEWI, "/tematik")
    assert "Maaf, fitur ini hanya untuk staf Seksi PMD atau admin." in harness.last(DEWI).text
    await harness.send(DEWI, "Peltong")
    assert "Tidak ada isian" in harness.last(DEWI).text
    assert _tematik(runtime) == []


async def test_an_officer_disabled_mid_form_cannot_save(harness: Harness, runtime: Runtime) -> None:
    agus = add_user(runtime, AGUS, Role.STAF_SEKSI, seksi=Seksi.PMD)
    await _record(harness, AGUS, "Lancar", "Wisata", "188/9/2026")
    await harness.press(AGUS, "Lewati")
    with runtime.uow() as uow:
        stored = uow.users.get(agus.id)
        assert stored is not None
        uow.users.update(replace(stored, status=UserStatus.DISABLED))
        uow.commit()
    await harness.press(AGUS, "Simpan")
    assert "dinonaktifkan" in harness.texts(AGUS)[-2]
    assert _tematik(runtime) == []
