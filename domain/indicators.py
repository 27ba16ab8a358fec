"""The five IKU as the signed table defines them, and capaian."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Final

from domain.models import IndicatorCode, Seksi
from domain.rounding import round_half_up

__all__ = [
    "IndicatorDef",
    "INDICATORS",
    "capaian",
    "SUMBER_IDM",
    "SUMBER_INDEKS_DESA",
    "SUMBER_LAPORAN",
    "FORMULA_INDEKS_DESA",
]

SUMBER_IDM: Final = "IDM (Indeks Desa Membangun)"
SUMBER_LAPORAN: Final = "Laporan Kecamatan"
# IKU 1 in the years of the Indeks Desa (2025 on): the status as the minister's decree
# published it (domain.md: never recomputed, no threshold table of the new index).
SUMBER_INDEKS_DESA: Final = "Indeks Desa (Kemendesa PDTT, Kepmendes status desa)"
FORMULA_INDEKS_DESA: Final = (
    "Jumlah desa berstatus Mandiri menurut Indeks Desa (Permendesa PDTT No. 9 Tahun 2024) "
    "sebagaimana ditetapkan Keputusan Menteri Desa PDTT tahun itu"
)


@dataclass(frozen=True, slots=True)
class IndicatorDef:
    """One row of the IKU table (``{kecamatan}`` is replaced by the kecamatan's name)."""

    code: IndicatorCode
    number: int
    kinerja_utama: str
    indikator: str
    formula: str
    satuan: str
    sumber_data: str
    owner: Seksi

    def kinerja_for(self, kecamatan: str) -> str:
        """The kinerja utama with the kecamatan's name."""
        return self.kinerja_utama.format(kecamatan=kecamatan)


_DESA = "Mendorong Tumbuhnya Desa Mandiri/Maju/Tematik di Wilayah Kecamatan {kecamatan}"
_TRANTIB = (
    "Meningkatnya penanganan konflik sosial dan pelanggaran trantibum di wilayah "
    "Kecamatan {kecamatan}"
)
_LAYANAN = "Meningkatnya kualitas pelayanan publik di wilayah Kecamatan {kecamatan}"

INDICATORS: Final[tuple[IndicatorDef, ...]] = (
    IndicatorDef(
        IndicatorCode.DESA_MANDIRI,
        1,
        _DESA,
        "Jumlah Desa Mandiri",
        "Jumlah desa yang memiliki Indeks Desa Membangun lebih besar (>) dari 0,8155",
        "desa",
        SUMBER_IDM,
        Seksi.PPD,
    ),
    IndicatorDef(
        IndicatorCode.DESA_TEMATIK,
        2,
        _DESA,
        "Jumlah Desa Tematik",
        "Jumlah desa yang dikembangkan dengan tema tertentu (budaya, peternakan, wisata, "
        "UMKM, perikanan)",
        "desa",
        SUMBER_LAPORAN,
        Seksi.PMD,
    ),
    IndicatorDef(
        IndicatorCode.KONFLIK_TERTANGANI,
        3,
        _TRANTIB,
        "Persentase jumlah potensi dan/atau konflik sosial tertangani",
        "Jumlah konflik sosial yang tertangani / jumlah seluruh konflik x 100%",
        "%",
        SUMBER_LAPORAN,
        Seksi.KESBANG,
    ),
    IndicatorDef(
        IndicatorCode.TRANTIBUM_TERTANGANI,
        4,
        _TRANTIB,
        "Persentase jumlah pelanggaran trantibum tertangani",
        "Jumlah penyelenggaraan trantibum yang difasilitasi / jumlah seluruh "
        "penyelenggaraan trantibum x 100%",
        "%",
        SUMBER_LAPORAN,
        Seksi.TRANTIB,
    ),
    IndicatorDef(
        IndicatorCode.SKM,
        5,
        _LAYANAN,
        "Hasil Survei Kepuasan Masyarakat",
        "Nilai Interval Konversi (NIK), mutu pelayanan dan kinerja unit pelayanan "
        "(PermenPAN-RB 14/2017)",
        "NIK",
        SUMBER_LAPORAN,
        Seksi.PELAYANAN,
    ),
)


def capaian(realisasi: Decimal | int | None, target: Decimal | int | None) -> Decimal | None:
    """realisasi / target x 100%, half-up to 2 decimals; None when either is missing or target 0."""
    if realisasi is None or target is None or target == 0:
        return None
    return round_half_up(Fraction(realisasi) * 100 / Fraction(target), 2)
