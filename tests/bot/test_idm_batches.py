"""/idm documents as import batches: XLSX sheets, a file sent again, who may import."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal

from openpyxl import Workbook

from bot.runtime import Runtime
from domain.models import IdmResult, ImportBatch, ImportKind, ImportSource, Role, Seksi
from tests.bot.conftest import add_user
from tests.bot.harness import Harness, Person

DEWI = Person(720001, "Dewi Lestari")  # Seksi PPD
SARI = Person(720002, "Sari Utami")  # Seksi PPD too
BAYU = Person(720003, "Bayu Pratama")  # Seksi Trantib
HEADER = ["kode_desa", "tahun", "iks", "ike", "ikl"]


def _xlsx(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


SHEET: list[list[object]] = [
    [3528040001, 2026, 0.9, 0.85, 0.8],
    ["35.28.08.2003", 2026, 0.5, 0.5, 0.5],
]


def _batches(runtime: Runtime) -> list[ImportBatch]:
    with runtime.uow() as uow:
        return uow.imports.list_for_kecamatan(runtime.kecamatan().id)


def _idm(runtime: Runtime, kode: str) -> IdmResult | None:
    with runtime.uow() as uow:
        desa = uow.desa.find_by_code(kode)
        assert desa is not None
        return uow.idm.get(desa.id, 2026)


async def _send_file(harness: Harness, person: Person, name: str, content: bytes) -> None:
    await harness.send(person, "/idm")
    await harness.press(person, "Kirim berkas")
    await harness.send_document(person, name, content)


async def test_an_xlsx_sheet_is_previewed_stored_as_a_batch_and_refused_when_sent_again(
    harness: Harness, runtime: Runtime
) -> None:
    dewi = add_user(runtime, DEWI, Role.STAF_SEKSI, seksi=Seksi.PPD)
    await harness.send(DEWI, "/idm")
    assert "CSV/XLSX" in harness.last(DEWI).text
    await harness.press(DEWI, "Kirim berkas")
    assert "Excel (.xlsx, lembar pertama)" in harness.last(DEWI).text
    content = _xlsx(SHEET)
    await harness.send_document(DEWI, "idm-2026.xlsx", content)
    preview = harness.last(DEWI).text
    assert "Pratinjau impor idm-2026.xlsx" in preview
    assert "1. Peltong, 2026: IDM 0,8500 (Mandiri); baru" in preview
    assert "2. Trasak, 2026: IDM 0,5000 (Tertinggal); baru" in preview
    await harness.press(DEWI, "Simpan")
    reply = harness.last(DEWI).text
    assert "Impor idm-2026.xlsx selesai: 2 hasil IDM baru, 0 diperbarui." in reply
    assert "Tercatat sebagai batch impor #1." in reply
    peltong = _idm(runtime, "3528040001")
    assert peltong is not None
    assert (peltong.score, peltong.iks, peltong.batch_id) == (
        Decimal("0.85000000000000"),
        Decimal("0.90000000000000"),
        1,
    )
    [batch] = _batches(runtime)
    assert (batch.kind, batch.source, batch.file_name) == (
        ImportKind.IDM,
        ImportSource.BOT,
        "idm-2026.xlsx",
    )
    assert (batch.actor, batch.user_id) == (f"tg:{DEWI.id}", dewi.id)
    assert (batch.rows_read, batch.stored, batch.replaced) == (2, 2, 0)

    # The same bytes again, under another name: refused with the moment of the import.
    await _send_file(harness, DEWI, "salinan.xlsx", content)
    refusal = harness.texts(DEWI)[-2]
    assert "Impor dibatalkan, tidak ada data yang disimpan:" in refusal
    assert (
        "salinan.xlsx: berkas yang sama sudah diimpor pada 25 November 2026 10.00 WIB sebagai "
        "batch impor #1 (2 hasil IDM), jadi tidak diimpor lagi." in refusal
    )
    assert "iku-bot import undo 1" in refusal
    assert "Kirim berkasnya sebagai dokumen" in harness.last(DEWI).text  # asked again
    assert len(_batches(runtime)) == 1


async def test_the_same_file_imported_by_somebody_else_meanwhile_is_refused_at_simpan(
    harness: Harness, runtime: Runtime
) -> None:
    add_user(runtime, DEWI, Role.STAF_SEKSI, seksi=Seksi.PPD)
    add_user(runtime, SARI, Role.STAF_SEKSI, seksi=Seksi.PPD)
    content = _xlsx(SHEET)
    await _send_file(harness, DEWI, "idm.xlsx", content)
    await _send_file(harness, SARI, "idm.xlsx", content)
    await harness.press(SARI, "Simpan")
    assert "2 hasil IDM baru" in harness.last(SARI).text
    await harness.press(DEWI, "Simpan")
    refusal = harness.texts(DEWI)[-2]
    assert "idm.xlsx: berkas yang sama sudah diimpor pada 25 November 2026 10.00 WIB" in refusal
    assert [b.actor for b in _batches(runtime)] == [f"tg:{SARI.id}"]


async def test_bad_xlsx_documents_are_explained_all_at_once(
    harness: Harness, runtime: Runtime
) -> None:
    add_user(runtime, DEWI, Role.STAF_SEKSI, seksi=Seksi.PPD)
    future: list[list[object]] = [
        [3528040001, 2030, 0.9, 0.85, 0.8],
        [3528040001, 2026, 0.9, 0.85, "=A2"],
    ]
    await _send_file(harness, DEWI, "rumus.xlsx", _xlsx(future))
    refusal = harness.texts(DEWI)[-2]
    assert "rumus.xlsx, baris 3, kolom/isian ikl: sel E3 berisi rumus tanpa nilai" in refusal

    rows: list[list[object]] = [
        [3528040001, 2030, 0.9, 0.85, 0.8],
        [3528049999, 2026, "tinggi", 0.5, 0.5],
    ]
    await harness.send_document(DEWI, "tahun.xlsx", _xlsx(rows))
    refusal = harness.texts(DEWI)[-2]
    assert "tahun.xlsx, baris 2, kolom/isian tahun: tahun 2030 di luar 2015-2026" in refusal
    assert "tahun.xlsx, baris 3, kolom/isian iks: harus angka 0-1" in refusal
    assert "tahun.xlsx, baris 3, kolom/isian kode_desa: kode desa 3528049999 tidak terdaftar" in (
        refusal
    )

    await harness.send_document(DEWI, "judul.xlsx", _xlsx([[1, 2]], header=["desa", "nilai"]))
    refusal = harness.texts(DEWI)[-2]
    assert "judul.xlsx, baris 1, kolom/isian desa: kolom tidak dikenal" in refusal
    assert "judul.xlsx, baris 1, kolom/isian kode_desa: kolom wajib tidak ada" in refusal

    await harness.send_document(DEWI, "teks.xlsx", b"kode_desa,tahun,idm\n")
    assert "teks.xlsx: berkas XLSX rusak atau bukan berkas Excel .xlsx" in harness.texts(DEWI)[-2]
    await harness.send_document(DEWI, "kosong.xlsx", b"")
    assert "kosong.xlsx: berkas kosong (0 bita)" in harness.texts(DEWI)[-2]
    await harness.send_document(DEWI, "besar.xlsx", b"PK" * 600_000)
    assert "Berkas besar.xlsx terlalu besar (1,2 MB)" in harness.texts(DEWI)[-2]
    assert _batches(runtime) == []
    assert _idm(runtime, "3528040001") is None


async def test_who_may_not_record_idm_cannot_import_a_file(
    harness: Harness, runtime: Runtime
) -> None:
    add_user(runtime, BAYU, Role.STAF_SEKSI, seksi=Seksi.TRANTIB)
    await harness.send(BAYU, "/idm")
    assert "hanya untuk staf Seksi PPD atau admin" in harness.last(BAYU).text
    await harness.send_document(BAYU, "idm.xlsx", _xlsx(SHEET))
    assert "Tidak ada isian yang sedang berjalan" in harness.last(BAYU).text  # nothing read

    # An officer moved to another seksi after the preview cannot save it.
    dewi = add_user(runtime, DEWI, Role.STAF_SEKSI, seksi=Seksi.PPD)
    await _send_file(harness, DEWI, "idm.xlsx", _xlsx(SHEET))
    assert "Pratinjau impor idm.xlsx" in harness.last(DEWI).text
    with runtime.uow() as uow:
        uow.users.update(replace(dewi, seksi=Seksi.TRANTIB))
        uow.commit()
    await harness.press(DEWI, "Simpan")
    assert "hanya untuk staf Seksi PPD atau admin" in harness.texts(DEWI)[-2]
    assert _batches(runtime) == []
    assert _idm(runtime, "3528040001") is None


async def test_a_preview_kept_by_an_earlier_version_asks_for_the_file_again(
    harness: Harness, runtime: Runtime
) -> None:
    add_user(runtime, DEWI, Role.STAF_SEKSI, seksi=Seksi.PPD)
    await _send_file(harness, DEWI, "idm.xlsx", _xlsx(SHEET))
    with runtime.uow() as uow:  # a draft from before the SHA-256 was kept
        draft = uow.drafts.get(DEWI.id, DEWI.id)
        assert draft is not None
        data = {k: v for k, v in draft.data.items() if k != "sha256"}
        assert data != draft.data
        assert uow.drafts.save(replace(draft, data=data)) is not None
        uow.commit()
    await harness.press(DEWI, "Simpan")
    assert "Pratinjau ini dibuat oleh versi bot sebelumnya" in harness.texts(DEWI)[-2]
    assert "Kirim berkasnya sebagai dokumen" in harness.last(DEWI).text
    assert _batches(runtime) == []
    await harness.send_document(DEWI, "idm.xlsx", _xlsx(SHEET))
    await harness.press(DEWI, "Simpan")
    assert "Tercatat sebagai batch impor #1." in harness.last(DEWI).text
