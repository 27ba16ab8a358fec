"""Indeks Desa Membangun (Permendesa PDTT No. 2 Tahun 2016).

IDM = (IKS + IKE + IKL) / 3; the status is read from the *unrounded* score with
strict lower bounds (a score equal to a threshold stays in the lower status).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from domain.rounding import exact, round_half_up

__all__ = [
    "IdmStatus",
    "VillageIndex",
    "INDEKS_DESA_FIRST_YEAR",
    "DIMENSIONS",
    "index_for_year",
    "THRESHOLDS",
    "NEXT_STATUS_STEP",
    "NextStatus",
    "compute_idm",
    "idm_status",
    "next_status",
    "validate_index",
    "score_to_decimal",
]


class IdmStatus(enum.Enum):
    """The five IDM statuses, from the lowest to the highest."""

    SANGAT_TERTINGGAL = "sangat_tertinggal"
    TERTINGGAL = "tertinggal"
    BERKEMBANG = "berkembang"
    MAJU = "maju"
    MANDIRI = "mandiri"

    @property
    def label(self) -> str:
        """The status as Kemendesa prints it."""
        return _LABELS[self]

    @classmethod
    def from_label(cls, text: str) -> IdmStatus:
        """Parse a published status ("SANGAT TERTINGGAL", "Maju", ...)."""
        key = "_".join(text.strip().upper().replace("-", " ").split())
        try:
            return cls[key]
        except KeyError:
            raise ValueError(f"status IDM tidak dikenal: {text!r}") from None


class VillageIndex(enum.StrEnum):
    """Which village index a result is: IDM (up to 2024) or Indeks Desa (2025 on)."""

    IDM = "idm"
    INDEKS_DESA = "indeks_desa"

    @property
    def label(self) -> str:
        """The index as the office writes it."""
        return "IDM" if self is VillageIndex.IDM else "Indeks Desa"

    @property
    def maximum(self) -> Decimal:
        """The highest score: IDM 0-1, Indeks Desa 0-100."""
        return Decimal(1) if self is VillageIndex.IDM else Decimal(100)


# Indeks Desa (Permendesa PDTT No. 9 Tahun 2024) replaces IDM from the 2025 results on.
INDEKS_DESA_FIRST_YEAR = 2025

# The six dimensions of the Indeks Desa (Permendesa PDTT No. 9 Tahun 2024), as
# (column name in files and storage, label).
DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("layanan_dasar", "Layanan Dasar"),
    ("sosial", "Sosial"),
    ("ekonomi", "Ekonomi"),
    ("lingkungan", "Lingkungan"),
    ("aksesibilitas", "Aksesibilitas"),
    ("tata_kelola_pemerintahan", "Tata Kelola Pemerintahan"),
)


def index_for_year(tahun: int) -> VillageIndex:
    """The index a year's results are published in: IDM up to 2024, then Indeks Desa."""
    return VillageIndex.IDM if tahun < INDEKS_DESA_FIRST_YEAR else VillageIndex.INDEKS_DESA


_LABELS = {
    IdmStatus.SANGAT_TERTINGGAL: "Sangat Tertinggal",
    IdmStatus.TERTINGGAL: "Tertinggal",
    IdmStatus.BERKEMBANG: "Berkembang",
    IdmStatus.MAJU: "Maju",
    IdmStatus.MANDIRI: "Mandiri",
}

# Upper bound (inclusive) of each status but the last; a score strictly above the
# bound belongs to the next status.
THRESHOLDS: tuple[tuple[IdmStatus, Decimal], ...] = (
    (IdmStatus.SANGAT_TERTINGGAL, Decimal("0.4907")),
    (IdmStatus.TERTINGGAL, Decimal("0.5989")),
    (IdmStatus.BERKEMBANG, Decimal("0.7072")),
    (IdmStatus.MAJU, Decimal("0.8155")),
)

# Kemendesa publishes the minimum score of the next status as its lower bound plus
# one unit of the fourth decimal (SKOR_MINIMAL 0.7073 for Maju); we do the same.
NEXT_STATUS_STEP = Decimal("0.0001")

# A float is accepted by the public functions and read as the decimal it prints as:
# idm_status(0.8155) is Maju, as idm_status(Decimal("0.8155")) is.
Score = Decimal | Fraction | int | float


def _frac(value: Score) -> Fraction:
    return exact(value)


def validate_index(value: Decimal | float, name: str = "nilai") -> Decimal:
    """Return ``value`` as a Decimal if it lies within 0-1, else raise ``ValueError``.

    A float is read as the decimal it prints as (0.8155 is 0.8155).
    """
    if isinstance(value, float):
        value = Decimal(repr(value))  # NaN and infinities stay non-finite: refused below
    if not value.is_finite() or value < 0 or value > 1:
        raise ValueError(f"{name} harus di antara 0 dan 1 (diterima: {value})")
    return value


def compute_idm(iks: Decimal | float, ike: Decimal | float, ikl: Decimal | float) -> Fraction:
    """IDM as an exact fraction: (IKS + IKE + IKL) / 3 (floats read as printed)."""
    for name, value in (("IKS", iks), ("IKE", ike), ("IKL", ikl)):
        validate_index(value, name)
    return (exact(iks) + exact(ike) + exact(ikl)) / 3


def score_to_decimal(score: Score, places: int = 14) -> Decimal:
    """A score for storage and display: rounded half-up to ``places`` decimals.

    Kemendesa publishes 14 decimals. The status must be taken from the exact score
    *before* this rounding (see :func:`idm_status`).
    """
    return round_half_up(score, places)


def idm_status(score: Score) -> IdmStatus:
    """Status of an (unrounded) IDM score; thresholds are strict lower bounds."""
    value = _frac(score)
    if value < 0 or value > 1:
        raise ValueError(f"skor IDM harus di antara 0 dan 1 (diterima: {float(value)})")
    for status, upper in THRESHOLDS:
        if value <= Fraction(upper):
            return status
    return IdmStatus.MANDIRI


@dataclass(frozen=True, slots=True)
class NextStatus:
    """The next status up and the score still needed to reach it."""

    current: IdmStatus
    target: IdmStatus | None
    minimum_score: Decimal | None
    needed: Decimal

    @property
    def is_top(self) -> bool:
        """True for a desa already Mandiri."""
        return self.target is None


def next_status(score: Score) -> NextStatus:
    """The next status of ``score`` and how much is still needed (0 for Mandiri)."""
    current = idm_status(score)
    order = list(IdmStatus)
    index = order.index(current)
    if current is IdmStatus.MANDIRI:
        return NextStatus(current=current, target=None, minimum_score=None, needed=Decimal(0))
    upper = THRESHOLDS[index][1]
    minimum = upper + NEXT_STATUS_STEP
    needed = max(Fraction(minimum) - _frac(score), Fraction(0))
    return NextStatus(
        current=current,
        target=order[index + 1],
        minimum_score=minimum,
        needed=score_to_decimal(needed),
    )
