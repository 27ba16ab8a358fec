"""The packaged desa list of Kecamatan Larangan and adding another kecamatan."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from domain.errors import InvalidInput
from domain.models import Kecamatan
from domain.ports import UnitOfWork
from storage.seed import load_kecamatan_file, packaged_kecamatan, seed_kecamatan

# domain.md's table: Kemendagri code, name, BPS/IDM code.
LARANGAN = [
    ("35.28.08.2001", "Peltong", "3528040001"),
    ("35.28.08.2002", "Blumbungan", "3528040006"),
    ("35.28.08.2003", "Trasak", "3528040002"),
    ("35.28.08.2004", "Tentenan Barat", "3528040003"),
    ("35.28.08.2005", "Tentenan Timur", "3528040004"),
    ("35.28.08.2006", "Grujugan", "3528040005"),
    ("35.28.08.2007", "Larangan Luar", "3528040007"),
    ("35.28.08.2008", "Larangan Dalam", "3528040008"),
    ("35.28.08.2009", "Panaguan", "3528040009"),
    ("35.28.08.2010", "Montok", "3528040010"),
    ("35.28.08.2011", "Taraban", "3528040013"),
    ("35.28.08.2012", "Duko Timur", "3528040014"),
    ("35.28.08.2013", "Lancar", "3528040012"),
    ("35.28.08.2014", "Kaduara Barat", "3528040011"),
]


def test_larangan_has_its_fourteen_desa_with_both_codes(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    assert (larangan.kode, larangan.kode_bps, larangan.nama) == ("35.28.08", "3528040", "Larangan")
    with uow_factory() as uow:
        desa = uow.desa.list_by_kecamatan(larangan.id)
    assert [(d.kode, d.nama, d.kode_bps) for d in desa] == LARANGAN


def test_desa_are_found_by_either_code(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    with uow_factory() as uow:
        by_bps = uow.desa.find_by_code("3528040014")
        by_kemendagri = uow.desa.find_by_code("35.28.08.2012")
        assert uow.desa.find_by_code("Duko Timur") is None
    assert by_bps is not None
    assert by_bps == by_kemendagri
    assert by_bps.nama == "Duko Timur"


def test_seeding_again_changes_nothing(
    larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    seed = packaged_kecamatan("35.28.08")
    assert seed is not None
    with uow_factory() as uow:
        assert seed_kecamatan(uow, seed) == 0
        uow.commit()
    with uow_factory() as uow:
        assert len(uow.kecamatan.list()) == 1
        assert len(uow.desa.list_by_kecamatan(larangan.id)) == 14


def test_another_kecamatan_is_added_from_a_file_of_the_same_shape(
    tmp_path: Path, larangan: Kecamatan, uow_factory: Callable[[], UnitOfWork]
) -> None:
    data = {
        "kode": "35.28.09",
        "kode_bps": "3528050",
        "nama": "Pademawu",
        "kabupaten": "Pamekasan",
        "provinsi": "Jawa Timur",
        "desa": [{"kode": "35.28.09.2001", "kode_bps": "3528050001", "nama": "Murtajih"}],
    }
    path = tmp_path / "35.28.09.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with uow_factory() as uow:
        assert seed_kecamatan(uow, load_kecamatan_file(path)) == 2
        uow.commit()
    with uow_factory() as uow:
        assert [k.nama for k in uow.kecamatan.list()] == ["Larangan", "Pademawu"]


def test_no_packaged_data_for_an_unknown_kecamatan() -> None:
    assert packaged_kecamatan("99.99.99") is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kode": "35-28-09"}, "35.28.08"),
        ({"kode_bps": "35280"}, "7 digit"),
        ({"desa": []}, "desa"),
        (
            {"desa": [{"kode": "35.28.10.2001", "kode_bps": "3528050001", "nama": "X"}]},
            "35.28.09.NNNN",
        ),
        (
            {
                "desa": [
                    {"kode": "35.28.09.2001", "kode_bps": "3528050001", "nama": "X"},
                    {"kode": "35.28.09.2001", "kode_bps": "3528050002", "nama": "Y"},
                ]
            },
            "ganda",
        ),
    ],
)
def test_a_malformed_kecamatan_file_is_refused_with_a_clear_message(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    data: dict[str, object] = {
        "kode": "35.28.09",
        "kode_bps": "3528050",
        "nama": "Pademawu",
        "kabupaten": "Pamekasan",
        "provinsi": "Jawa Timur",
        "desa": [{"kode": "35.28.09.2001", "kode_bps": "3528050001", "nama": "Murtajih"}],
    }
    data.update(change)
    path = tmp_path / "k.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        load_kecamatan_file(path)


def test_the_packaged_larangan_lists_the_usual_services_as_examples() -> None:
    seed = packaged_kecamatan("35.28.08")
    assert seed is not None
    assert [(s.kode, s.nama) for s in seed.layanan_contoh] == [
        ("ktp", "Rekomendasi KTP-el"),
        ("kk", "Kartu Keluarga"),
        ("pindah", "Surat Pindah"),
        ("sktm", "Surat Keterangan Tidak Mampu (SKTM)"),
        ("dispensasi", "Dispensasi Nikah"),
        ("pbg", "Rekomendasi PBG"),
    ]


def test_example_services_are_read_tidied(tmp_path: Path) -> None:
    data = {
        "kode": "35.28.09",
        "kode_bps": "3528050",
        "nama": "Pademawu",
        "kabupaten": "Pamekasan",
        "provinsi": "Jawa Timur",
        "desa": [{"kode": "35.28.09.2001", "kode_bps": "3528050001", "nama": "Murtajih"}],
        "layanan_contoh": [{"kode": " KTP ", "nama": " Rekomendasi   KTP-el "}],
    }
    path = tmp_path / "k.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    (service,) = load_kecamatan_file(path).layanan_contoh
    assert (service.kode, service.nama) == ("ktp", "Rekomendasi KTP-el")


@pytest.mark.parametrize(
    ("examples", "message"),
    [
        ({"kode": "ktp", "nama": "KTP-el"}, "'layanan_contoh' harus berupa daftar"),
        ([{"kode": "ktp", "nama": "KTP-el"}, "kk"], "layanan_contoh ke-2 harus objek JSON"),
        (
            [{"kode": "ktp", "nama": "KTP-el"}, {"nama": "Kartu Keluarga"}],
            "layanan_contoh ke-2: isian 'kode' wajib",
        ),
        ([{"kode": "ktp"}], "layanan_contoh ke-1: isian 'nama' wajib"),
        ([{"kode": "ktp", "nama": "   "}], "layanan_contoh ke-1: isian 'nama' wajib"),
        (
            [{"kode": "KTP el!", "nama": "KTP-el"}],
            "layanan_contoh ke-1: kode 'ktp el!' harus 1-32 karakter",
        ),
        ([{"kode": "-ktp", "nama": "KTP-el"}], "layanan_contoh ke-1: kode '-ktp'"),
        ([{"kode": "k" * 33, "nama": "KTP-el"}], "layanan_contoh ke-1: kode 'kkk"),
        ([{"kode": "ktp", "nama": "KT"}], "layanan_contoh ke-1: nama layanan harus 3-120 karakter"),
        (
            [{"kode": "ktp", "nama": "KTP-el"}, {"kode": "KTP", "nama": "Kartu Keluarga"}],
            "layanan_contoh ke-2: kode ktp ganda",
        ),
        (
            [{"kode": "ktp", "nama": "KTP-el"}, {"kode": "ktp2", "nama": "ktp-EL"}],
            "layanan_contoh ke-2: nama 'ktp-EL' ganda",
        ),
    ],
)
def test_malformed_example_services_are_refused_naming_the_entry(
    tmp_path: Path, examples: object, message: str
) -> None:
    data = {
        "kode": "35.28.09",
        "kode_bps": "3528050",
        "nama": "Pademawu",
        "kabupaten": "Pamekasan",
        "provinsi": "Jawa Timur",
        "desa": [{"kode": "35.28.09.2001", "kode_bps": "3528050001", "nama": "Murtajih"}],
        "layanan_contoh": examples,
    }
    path = tmp_path / "k.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidInput, match=re.escape(f"k.json: {message}")):
        load_kecamatan_file(path)
