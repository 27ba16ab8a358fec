"""/idm typed in for an Indeks Desa year (2025 on): the score, status and decree as published."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.runtime import Runtime
from domain.errors import InvalidInput
from domain.idm import IdmStatus, VillageIndex
from domain.models import IdmResult, IndicatorCode, Role, Seksi
from domain.period import Period
from domain.records import record_indeks_desa
from domain.report import iku_report
from tests.bot.conftest import add_user
from tests.bot.harness import Harness, Person

DEWI = Person(710101, "Dewi Lestari")  # Seksi PPD
DECREE = "Kepmendes No. 343 Tahun 2025"


def _stored(runtime: Runtime, nama: str, tahun: int) -> IdmResult | None:
    kecamatan = runtime.kecamatan()
    with runtime.uow() as uow:
        [desa] = [d for d in uow.desa.list_by_kecamatan(kecamatan.id) if d.nama == nama]
        return uow.idm.get(desa.id, tahun)


def _mandiri(runtime: Runtime, tahun: int) -> Decimal | None:
    with runtime.uow() as uow:
        report = iku_report(
            uow, kecamatan_code="35.28.08", period=Period.year(tahun), now=runtime.now()
        )
    return report.row(IndicatorCode.DESA_MANDIRI).realisasi


async def _until_score(harness: Harness, runtime: Runtime, year: str, desa: str) -> None:
    add_user(runtime, DEWI, Role.STAF_SEKSI, seksi=Seksi.PPD)
    await harness.send(DEWI, "/idm")
    await harness.press(DEWI, "Isi manual")
    await harness.send(DEWI, year)
    await harness.press(DEWI, desa)


async def test_a_2025_result_is_typed_as_published_and_counted_by_its_status(
    harness: Harness, runtime: Runtime
) -> None:
    await _until_score(harness, runtime, "2025", "Peltong")
    assert "Tahun 2025 memakai <b>Indeks Desa</b>" in harness.last(DEWI).text
    for bad, why in (
        ("150", "Skor Indeks Desa harus di antara 0 dan 100 (diterima 150)"),
        ("0,8155 persen", "Skor Indeks Desa harus berupa angka 0-100"),
        ("-3", "Skor Indeks Desa harus berupa angka 0-100"),
    ):
        await harness.send(DEWI, bad)
        assert why in harness.texts(DEWI)[-2], bad
        assert "Ketik skor Indeks Desa" in harness.last(DEWI).text
    await harness.send(DEWI, "81,50")
    assert harness.last(DEWI).labels() == [s.label for s in reversed(IdmStatus)]
    await harness.send(DEWI, "Mandiri")  # typed where a button is expected
    assert "pilih salah satu tombol" in harness.texts(DEWI)[-2]
    await harness.press(DEWI, "Mandiri")
    assert harness.last(DEWI).labels() == [DECREE]
    await harness.press(DEWI, DECREE)
    summary = harness.last(DEWI).text
    assert "Periksa hasil Indeks Desa" in summary
    assert "Skor Indeks Desa: <b>81,50</b>" in summary
    assert "Status terbit: <b>Mandiri</b>" in summary
    assert f"Sumber status: {DECREE}" in summary
    assert _stored(runtime, "Peltong", 2025) is None  # nothing before Simpan
    assert _mandiri(runtime, 2025) is None

    await harness.press(DEWI, "Simpan")
    reply = harness.last(DEWI).text
    assert "Hasil Indeks Desa Desa Peltong tahun 2025 disimpan." in reply
    assert "Status: <b>Mandiri</b>" in reply
    assert "kekurangan skor tidak dihitung" in reply
    stored = _stored(runtime, "Peltong", 2025)
    assert stored is not None
    assert stored.index is VillageIndex.INDEKS_DESA
    assert stored.score == Decimal("81.50")
    assert stored.status is IdmStatus.MANDIRI
    assert stored.status_published == "Mandiri"
    assert stored.status_source == DECREE
    assert (stored.iks, stored.ike, stored.ikl) == (None, None, None)
    assert _mandiri(runtime, 2025) == 1


async def test_the_published_status_is_kept_even_where_the_score_looks_higher(
    harness: Harness, runtime: Runtime
) -> None:
    """No threshold table of the Indeks Desa is confirmed: a status is never computed."""
    await _until_score(harness, runtime, "2026", "Trasak")
    await harness.send(DEWI, "97")
    await harness.press(DEWI, "Maju")
    assert harness.last(DEWI).labels() == []  # no decree known for 2026: typed
    await harness.send(DEWI, "ab")
    assert "Sumber status harus 3-200 karakter" in harness.texts(DEWI)[-2]
    await harness.send(DEWI, "Kepmendes No. 12 Tahun 2026")
    await harness.press(DEWI, "Simpan")
    stored = _stored(runtime, "Trasak", 2026)
    assert stored is not None
    assert stored.status is IdmStatus.MAJU
    assert stored.status_source == "Kepmendes No. 12 Tahun 2026"
    assert _mandiri(runtime, 2026) == 0


async def test_ubah_to_an_idm_year_asks_the_idm_values_instead(
    harness: Harness, runtime: Runtime
) -> None:
    await _until_score(harness, runtime, "2025", "Lancar")
    await harness.send(DEWI, "70")
    await harness.press(DEWI, "Berkembang")
    await harness.press(DEWI, DECREE)
    await harness.press(DEWI, "Ubah")
    assert "tahun berapa?" in harness.last(DEWI).text
    await harness.send(DEWI, "2024")
    await harness.press(DEWI, "Lancar")
    assert "Nilai apa yang Anda punya?" in harness.last(DEWI).text  # the IDM questions
    await harness.press(DEWI, "Nilai IDM saja")
    await harness.send(DEWI, "0,8156")
    await harness.press(DEWI, "Simpan")
    stored = _stored(runtime, "Lancar", 2024)
    assert stored is not None
    assert stored.index is VillageIndex.IDM
    assert stored.status is IdmStatus.MANDIRI
    assert _stored(runtime, "Lancar", 2025) is None


async def test_an_indeks_desa_is_refused_for_an_idm_year(runtime: Runtime) -> None:
    add_user(runtime, DEWI, Role.STAF_SEKSI, seksi=Seksi.PPD)
    kecamatan = runtime.kecamatan()
    with runtime.uow() as uow:
        user = uow.users.get_by_telegram_id(DEWI.id)
        desa = uow.desa.list_by_kecamatan(kecamatan.id)[0]
        with pytest.raises(InvalidInput, match="tahun 2024 memakai IDM"):
            record_indeks_desa(
                uow,
                user=user,
                desa_id=desa.id,
                tahun=2024,
                now=runtime.now(),
                score=Decimal(80),
                status=IdmStatus.MANDIRI,
                status_source=DECREE,
            )
