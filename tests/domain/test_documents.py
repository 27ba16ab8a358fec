"""The signature block's NIP, the capaian category of LKjIP tables, and the signatory."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.documents import capaian_category, format_nip, signatory
from domain.errors import InvalidInput


@pytest.mark.parametrize(
    "raw",
    [
        "19700609 199302 1 001",
        "197006091993021001",
        " 19700609.199302.1.001 ",
        "19700609-199302-1-001",
    ],
)
def test_a_nip_is_printed_in_its_four_groups(raw: str) -> None:
    assert format_nip(raw) == "19700609 199302 1 001"


@pytest.mark.parametrize(
    "raw",
    [
        "1970060919930210",  # 16 digits
        "1970060919930210011",  # 19
        "19700609 199302 1 00A",
        "19700609 199313 1 001",  # month 13
        "19700609 199302 3 001",  # sex 3
        "",
    ],
)
def test_anything_else_is_refused_in_words(raw: str) -> None:
    with pytest.raises(InvalidInput, match="NIP"):
        format_nip(raw)


@pytest.mark.parametrize(
    ("capaian", "category"),
    [
        ("103.59", "Sangat Tinggi"),
        ("91.00", "Sangat Tinggi"),
        ("90.99", "Tinggi"),
        ("76.00", "Tinggi"),
        ("75.99", "Sedang"),
        ("66.00", "Sedang"),
        ("65.99", "Rendah"),
        ("51.00", "Rendah"),
        ("50.99", "Sangat Rendah"),
        ("0.00", "Sangat Rendah"),
    ],
)
def test_the_capaian_category_at_each_boundary(capaian: str, category: str) -> None:
    assert capaian_category(Decimal(capaian)) == category


def test_no_capaian_has_no_category() -> None:
    assert capaian_category(None) is None


def test_the_signatory_defaults_to_the_camat_and_the_kabupaten_seat() -> None:
    signer = signatory("Larangan", "Pamekasan", nama=" MOHAMMAD HARI S.Sos, M.Si ")
    assert signer.jabatan == "CAMAT LARANGAN"
    assert signer.place == "Pamekasan"
    assert signer.nama == "MOHAMMAD HARI S.Sos, M.Si"
    assert signer.nip is None  # a dotted line, never an invented number
    assert signatory("Larangan", "Kabupaten Pamekasan").place == "Pamekasan"
    given = signatory(
        "Larangan",
        "Pamekasan",
        jabatan="Plt. Camat Larangan",
        nip="197006091993021001",
        place="Larangan",
    )
    assert (given.jabatan, given.nip, given.place) == (
        "PLT. CAMAT LARANGAN",
        "19700609 199302 1 001",
        "Larangan",
    )
