"""/idm documents of published results (kode_desa,tahun,skor,status): Indeks Desa 2025
and IDM 2024, each previewed and stored as its index; a bad file stores nothing."""

from __future__ import annotations

from decimal import Decimal

from bot.runtime import Runtime
from domain.idm import IdmStatus, VillageIndex
from domain.models import IdmResult, Role, Seksi
from tests.bot.conftest import add_user
from tests.bot.harness import Harness, Person
from tests.bot.test_idm_batches import _batches, _send_file, _xlsx

DEWI = Person(720101, "Dewi Lestari")  # Seksi PPD
HEADER = ["kode_desa", "tahun", "skor", "status", "layanan_dasar", "sumber"]
DECREE = "Kepmendes No. 343 Tahun 2025"


def _result(runtime: Runtime, kode: str, tahun: int) -> IdmResult | None:
    with runtime.uow() as uow:
        desa = uow.desa.find_by_code(kode)
        assert desa is not None
        return uow.idm.get(desa.id, tahun)


async def test_a_sheet_of_published_results_is_stored_by_the_index_of_its_year(
    harness: Harness, runtime: Runtime
) -> None:
    add_user(runtime, DEWI, Role.STAF_SEKSI, seksi=Seksi.PPD)
    content = _xlsx(
        [
            [3528040001, 2025, 85, "maju", 91.5, DECREE],
            [3528040003, 2024, 0.7, "Mandiri", None, None],
        ],
        header=HEADER,
    )
    await _send_file(harness, DEWI, "terbit.xlsx", content)
    preview = harness.last(DEWI).text
    assert "1. Peltong, 2025: Indeks Desa 85,00 (Maju); baru" in preview
    assert "2. Tentenan Barat, 2024: IDM 0,7000 (Berkembang)" in preview
    assert "status terbit Mandiri berbeda dengan status dari skor: ditandai" in preview
    await harness.press(DEWI, "Simpan")
    reply = harness.last(DEWI).text
    assert "Tercatat sebagai batch impor #1." in reply
    assert "Indeks Desa 85,00 (Maju)" in reply
    peltong = _result(runtime, "3528040001", 2025)
    assert peltong is not None
    assert (peltong.index, peltong.score, peltong.status) == (
        VillageIndex.INDEKS_DESA,
        Decimal("85"),
        IdmStatus.MAJU,
    )
    assert peltong.dimensions == {"layanan_dasar": Decimal("91.5")}
    assert peltong.status_source == DECREE
    barat = _result(runtime, "3528040003", 2024)
    assert barat is not None
    assert (barat.index, barat.status, barat.status_published) == (
        VillageIndex.IDM,
        IdmStatus.BERKEMBANG,
        "Mandiri",
    )
    assert barat.flagged
    assert barat.status_source == "terbit.xlsx"


async def test_a_bad_sheet_names_every_problem_and_stores_nothing(
    harness: Harness, runtime: Runtime
) -> None:
    add_user(runtime, DEWI, Role.STAF_SEKSI, seksi=Seksi.PPD)
    content = _xlsx(
        [
            [3528040001, 2025, 185, "Maju", None, None],
            [3528040003, 2024, 0.5, "baik", None, None],
            [3528040004, 2025, 80, "Mandiri", None, None],
        ],
        header=HEADER,
    )
    await _send_file(harness, DEWI, "salah.xlsx", content)
    reply = harness.texts(DEWI)[-2]  # the problems, then the question again
    assert "baris 2, kolom/isian skor" in reply
    assert "harus 0-100 (diterima 185)" in reply
    assert "baris 3, kolom/isian status" in reply
    assert _result(runtime, "3528040004", 2025) is None
    assert _batches(runtime) == []
