"""Survei Kepuasan Masyarakat (PermenPAN-RB No. 14 Tahun 2017).

Nine unsur under fixed keys (never by position), each scored 1-4.

- NRR of an unsur = sum of its scores / respondents who answered it.
- IKM = mean of the nine NRR (weight exactly 1/9, never 0.111 or 0.11).
- NIK = IKM x 25, rounded half-up to 2 decimals (decided), and the mutu is read
  from that rounded value so that the printed number and grade always agree.

Everything is computed with exact fractions and rounded once, at the edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Final

from domain.rounding import round_half_up, to_decimal

__all__ = [
    "UNSUR",
    "UnsurInfo",
    "UNSUR_INFO",
    "Mutu",
    "SkmResult",
    "UnsurTotal",
    "compute_skm",
    "skm_from_totals",
    "grade",
    "min_sample",
    "validate_answers",
    "InvalidAnswers",
    "NoSkmData",
    "JENIS_KELAMIN",
    "PENDIDIKAN",
    "PEKERJAAN",
    "SCORE_MIN",
    "SCORE_MAX",
]

SCORE_MIN: Final = 1
SCORE_MAX: Final = 4

UNSUR: Final[tuple[str, ...]] = (
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "pengaduan",
    "sarana",
)


@dataclass(frozen=True, slots=True)
class UnsurInfo:
    """One unsur: its key, official name, question and the four labelled options."""

    key: str
    number: int
    name: str
    question: str
    options: tuple[str, str, str, str]

    def label(self, score: int) -> str:
        """The option text of a score 1-4."""
        return self.options[score - 1]


UNSUR_INFO: Final[dict[str, UnsurInfo]] = {
    info.key: info
    for info in (
        UnsurInfo(
            "persyaratan",
            1,
            "Persyaratan",
            "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan "
            "dengan jenis pelayanannya?",
            ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ),
        UnsurInfo(
            "prosedur",
            2,
            "Sistem, Mekanisme, dan Prosedur",
            "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
            ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
        ),
        UnsurInfo(
            "waktu",
            3,
            "Waktu Penyelesaian",
            "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
            ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
        ),
        UnsurInfo(
            "biaya",
            4,
            "Biaya/Tarif",
            "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
            ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
        ),
        UnsurInfo(
            "produk",
            5,
            "Produk Spesifikasi Jenis Pelayanan",
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
            "tercantum dalam standar pelayanan dengan hasil yang diberikan?",
            ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ),
        UnsurInfo(
            "kompetensi",
            6,
            "Kompetensi Pelaksana",
            "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
            ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
        ),
        UnsurInfo(
            "perilaku",
            7,
            "Perilaku Pelaksana",
            "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
            "kesopanan dan keramahan?",
            (
                "Tidak sopan dan ramah",
                "Kurang sopan dan ramah",
                "Sopan dan ramah",
                "Sangat sopan dan ramah",
            ),
        ),
        UnsurInfo(
            "pengaduan",
            8,
            "Penanganan Pengaduan, Saran dan Masukan",
            "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
            (
                "Tidak ada",
                "Ada tetapi tidak berfungsi",
                "Berfungsi kurang maksimal",
                "Dikelola dengan baik",
            ),
        ),
        UnsurInfo(
            "sarana",
            9,
            "Sarana dan Prasarana",
            "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
            ("Buruk", "Cukup", "Baik", "Sangat baik"),
        ),
    )
}

# Respondent profile options (domain.md).
JENIS_KELAMIN: Final[dict[str, str]] = {"L": "Laki-laki", "P": "Perempuan"}
# The categories of the official tables are the regulation's:
PENDIDIKAN: Final[tuple[str, ...]] = ("SD", "SMP", "SMA", "D1-D3", "S1", "S2", "S3")
PEKERJAAN: Final[tuple[str, ...]] = ("PNS", "TNI", "POLRI", "Swasta", "Wirausaha", "Lainnya")
# what most respondents in rural Madura are is offered as an answer of its own, counted in
# its regulation category in the official tables and kept as answered in the profile sheet.
PENDIDIKAN_JAWABAN: Final[tuple[str, ...]] = ("Tidak sekolah", *PENDIDIKAN)
PEKERJAAN_JAWABAN: Final[tuple[str, ...]] = (
    *PEKERJAAN[:-1],
    "Petani",
    "Nelayan",
    "Ibu rumah tangga",
    PEKERJAAN[-1],
)
PENDIDIKAN_RESMI: Final[dict[str, str]] = {"Tidak sekolah": "SD"} | {v: v for v in PENDIDIKAN}
PEKERJAAN_RESMI: Final[dict[str, str]] = {v: v for v in PEKERJAAN} | dict.fromkeys(
    ("Petani", "Nelayan", "Ibu rumah tangga"), "Lainnya"
)
# How a category is named in the official tables.
KATEGORI_LABEL: Final[dict[str, str]] = {"SD": "SD ke bawah"}


@dataclass(frozen=True, slots=True)
class Mutu:
    """A grade of the NIK: letter, kinerja unit and its lower bound on the NIK."""

    letter: str
    kinerja: str
    nik_min: Decimal


# Grades on the NIK rounded to 2 decimals (decided, see domain.md), highest first.
GRADES: Final[tuple[Mutu, ...]] = (
    Mutu("A", "Sangat baik", Decimal("88.31")),
    Mutu("B", "Baik", Decimal("76.61")),
    Mutu("C", "Kurang baik", Decimal("65.00")),
    Mutu("D", "Tidak baik", Decimal("25.00")),
)


def grade(nik: Decimal) -> Mutu:
    """The mutu of a NIK already rounded to 2 decimals."""
    if nik < Decimal("25") or nik > Decimal("100"):
        raise ValueError(f"NIK harus di antara 25 dan 100 (diterima: {nik})")
    for mutu in GRADES:
        if nik >= mutu.nik_min:
            return mutu
    raise AssertionError("unreachable: D covers every NIK from 25")


class InvalidAnswers(ValueError):
    """An answer set that breaks the questionnaire's rules; ``problems`` says which."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


Answers = Mapping[str, int | None]


def validate_answers(answers: Answers) -> dict[str, int | None]:
    """Check one respondent's answers: known keys, scores 1-4, at least one answered.

    A missing key counts as unanswered. Returns the answers under all nine keys.
    """
    problems: list[str] = []
    unknown = sorted(set(answers) - set(UNSUR))
    if unknown:
        problems.append("unsur tidak dikenal: " + ", ".join(unknown))
    clean: dict[str, int | None] = {}
    for key in UNSUR:
        value = answers.get(key)
        if value is None:
            clean[key] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{key}: nilai harus bilangan bulat 1-4 (diterima: {value!r})")
        elif not SCORE_MIN <= value <= SCORE_MAX:
            problems.append(f"{key}: nilai harus 1-4 (diterima: {value})")
        clean[key] = value
    if not problems and all(v is None for v in clean.values()):
        problems.append("tidak ada satu pun unsur yang dijawab")
    if problems:
        raise InvalidAnswers(problems)
    return clean


@dataclass(frozen=True, slots=True)
class UnsurTotal:
    """Sum of the scores of one unsur and the number of respondents who answered it."""

    total: int
    answered: int


@dataclass(frozen=True, slots=True)
class SkmResult:
    """An SKM result: NRR per unsur, IKM (1-4), NIK (25-100, 2 places), mutu, kinerja."""

    respondents: int
    totals: dict[str, UnsurTotal]
    nrr: dict[str, Decimal]
    ikm: Decimal
    nik: Decimal
    mutu: str
    kinerja: str
    ikm_exact: Fraction = field(repr=False)

    def nrr_rounded(self, places: int = 4) -> dict[str, Decimal]:
        """NRR per unsur rounded half-up for printing (4 decimals by default)."""
        return {key: round_half_up(Fraction(value), places) for key, value in self.nrr.items()}

    def ikm_rounded(self, places: int = 4) -> Decimal:
        """IKM rounded half-up for printing."""
        return round_half_up(self.ikm_exact, places)


def skm_from_totals(totals: Mapping[str, UnsurTotal], respondents: int) -> SkmResult | None:
    """The SKM result from per-unsur sums (as a database computes them).

    Returns ``None`` when there is nothing to compute: no respondents, or an unsur
    that nobody answered (its NRR, and so the IKM, would be undefined).
    """
    if respondents <= 0:
        return None
    nrr_exact: dict[str, Fraction] = {}
    for key in UNSUR:
        item = totals.get(key)
        if item is None or item.answered <= 0:
            return None
        if not SCORE_MIN * item.answered <= item.total <= SCORE_MAX * item.answered:
            raise ValueError(f"{key}: jumlah {item.total} mustahil untuk {item.answered} jawaban")
        if item.answered > respondents:
            raise ValueError(f"{key}: {item.answered} jawaban melebihi {respondents} responden")
        nrr_exact[key] = Fraction(item.total, item.answered)
    ikm = sum(nrr_exact.values(), Fraction(0)) / len(UNSUR)
    nik = round_half_up(ikm * 25, 2)
    mutu = grade(nik)
    return SkmResult(
        respondents=respondents,
        totals={key: totals[key] for key in UNSUR},
        nrr={key: to_decimal(value) for key, value in nrr_exact.items()},
        ikm=to_decimal(ikm),
        nik=nik,
        mutu=mutu.letter,
        kinerja=mutu.kinerja,
        ikm_exact=ikm,
    )


class NoSkmData(ValueError):
    """Raised by :func:`compute_skm` when the responses cannot give a result."""


def compute_skm(responses: Iterable[Answers]) -> SkmResult:
    """Compute the SKM of responses (mappings unsur key -> 1..4 or None).

    Raises :class:`InvalidAnswers` for an invalid response and :class:`NoSkmData`
    when there are no responses or an unsur was answered by nobody.
    """
    sums = dict.fromkeys(UNSUR, 0)
    counts = dict.fromkeys(UNSUR, 0)
    respondents = 0
    for number, response in enumerate(responses, start=1):
        try:
            clean = validate_answers(response)
        except InvalidAnswers as exc:
            raise InvalidAnswers([f"responden {number}: {p}" for p in exc.problems]) from None
        respondents += 1
        for key, value in clean.items():
            if value is not None:
                sums[key] += value
                counts[key] += 1
    totals = {key: UnsurTotal(sums[key], counts[key]) for key in UNSUR}
    result = skm_from_totals(totals, respondents)
    if result is None:
        if respondents == 0:
            raise NoSkmData("belum ada responden")
        missing = [key for key in UNSUR if counts[key] == 0]
        raise NoSkmData("unsur tanpa jawaban: " + ", ".join(missing))
    return result


def min_sample(population: int) -> int:
    """Minimum sample for a population (Krejcie & Morgan, 95% confidence, 5% error).

    s = 3.841 * N * 0.25 / (0.0025 * (N - 1) + 0.96025), rounded half-up to an integer.
    """
    if isinstance(population, bool) or not isinstance(population, int):
        raise TypeError("populasi harus bilangan bulat")
    if population < 1:
        raise ValueError(f"populasi harus minimal 1 (diterima: {population})")
    n = Fraction(population)
    numerator = Fraction("3.841") * n * Fraction("0.25")
    s = numerator / (Fraction("0.0025") * (n - 1) + Fraction("0.96025"))
    return int(round_half_up(s, 0))
