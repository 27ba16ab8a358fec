"""SKM (PermenPAN-RB 14/2017): NRR, IKM with weight exactly 1/9, NIK half-up, mutu, sample."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from domain.export import official_table
from domain.rounding import round_half_up
from domain.skm import (
    GRADES,
    PEKERJAAN,
    PEKERJAAN_JAWABAN,
    PEKERJAAN_RESMI,
    PENDIDIKAN,
    PENDIDIKAN_JAWABAN,
    PENDIDIKAN_RESMI,
    UNSUR,
    UNSUR_INFO,
    InvalidAnswers,
    NoSkmData,
    SkmResult,
    UnsurTotal,
    compute_skm,
    grade,
    min_sample,
    skm_from_totals,
    validate_answers,
)

D = Decimal

# The worked check of domain.md: 29 respondents, unsur totals in UNSUR order.
WORKED_RESPONDENTS = 29
WORKED_TOTALS = (105, 101, 100, 116, 102, 105, 106, 105, 115)
WORKED_NRR = (
    "3.6207",
    "3.4828",
    "3.4483",
    "4.0000",
    "3.5172",
    "3.6207",
    "3.6552",
    "3.6207",
    "3.9655",
)

# domain.md's table: key -> (official name, options scored 1 / 2 / 3 / 4).
DOMAIN_TABLE: dict[str, tuple[str, tuple[str, str, str, str]]] = {
    "persyaratan": (
        "Persyaratan",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    "prosedur": (
        "Sistem, Mekanisme, dan Prosedur",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    "waktu": ("Waktu Penyelesaian", ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat")),
    "biaya": ("Biaya/Tarif", ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")),
    "produk": (
        "Produk Spesifikasi Jenis Pelayanan",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    "kompetensi": (
        "Kompetensi Pelaksana",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    "perilaku": (
        "Perilaku Pelaksana",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
    ),
    "pengaduan": (
        "Penanganan Pengaduan, Saran dan Masukan",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
    ),
    "sarana": ("Sarana dan Prasarana", ("Buruk", "Cukup", "Baik", "Sangat baik")),
}


def all_answered(score: int) -> dict[str, int | None]:
    """One respondent giving ``score`` to every unsur."""
    return dict.fromkeys(UNSUR, score)


def spread(total: int, answered: int) -> list[int]:
    """``answered`` scores of 1-4 adding up to ``total`` (as even as possible)."""
    assert answered <= total <= 4 * answered
    base, extra = divmod(total, answered)
    return [base + 1] * extra + [base] * (answered - extra)


def responses_with_totals(totals: tuple[int, ...], respondents: int) -> list[dict[str, int | None]]:
    """Respondents who all answered every unsur, with the given unsur totals."""
    columns = [spread(total, respondents) for total in totals]
    return [{key: columns[i][n] for i, key in enumerate(UNSUR)} for n in range(respondents)]


def uniform_totals(grand_total: int, answered: int) -> dict[str, UnsurTotal]:
    """Nine unsur each answered by ``answered`` respondents, totals summing to ``grand_total``."""
    base, extra = divmod(grand_total, len(UNSUR))
    return {
        key: UnsurTotal(base + (1 if i < extra else 0), answered) for i, key in enumerate(UNSUR)
    }


def worked_result() -> SkmResult:
    totals = {
        key: UnsurTotal(total, WORKED_RESPONDENTS)
        for key, total in zip(UNSUR, WORKED_TOTALS, strict=True)
    }
    result = skm_from_totals(totals, WORKED_RESPONDENTS)
    assert result is not None
    return result


# --- the questionnaire -------------------------------------------------------------------


def test_the_nine_unsur_are_kept_under_fixed_keys_in_the_official_order() -> None:
    assert UNSUR == (
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


def test_unsur_info_has_one_entry_per_unsur_numbered_one_to_nine() -> None:
    assert tuple(UNSUR_INFO) == UNSUR
    for number, key in enumerate(UNSUR, start=1):
        assert UNSUR_INFO[key].key == key
        assert UNSUR_INFO[key].number == number


@pytest.mark.parametrize("key", UNSUR)
def test_unsur_names_and_options_match_the_domain_table_in_one_to_four_order(key: str) -> None:
    name, options = DOMAIN_TABLE[key]
    info = UNSUR_INFO[key]
    assert info.name == name
    assert info.options == options
    assert [info.label(score) for score in (1, 2, 3, 4)] == list(options)
    assert info.question.endswith("?")


def test_the_respondent_profile_options_are_those_of_the_domain() -> None:
    assert PENDIDIKAN == ("SD", "SMP", "SMA", "D1-D3", "S1", "S2", "S3")
    assert PEKERJAAN == ("PNS", "TNI", "POLRI", "Swasta", "Wirausaha", "Lainnya")


def test_the_answers_of_rural_respondents_count_in_the_regulation_categories() -> None:
    assert PENDIDIKAN_JAWABAN[0] == "Tidak sekolah"
    assert {"Petani", "Nelayan", "Ibu rumah tangga"} <= set(PEKERJAAN_JAWABAN)
    assert PEKERJAAN_JAWABAN[-1] == "Lainnya"
    # Every answer offered has a category of the regulation.
    assert {PENDIDIKAN_RESMI[v] for v in PENDIDIKAN_JAWABAN} == set(PENDIDIKAN)
    assert {PEKERJAAN_RESMI[v] for v in PEKERJAAN_JAWABAN} == set(PEKERJAAN)
    table = official_table(
        "pekerjaan",
        {"Petani": 3, "Nelayan": 2, "Ibu rumah tangga": 1, "Lainnya": 1, "PNS": 4, None: 1},
        PEKERJAAN,
        PEKERJAAN_RESMI,
    )
    counts = {line.label: line.count for line in table.lines}
    assert counts["Lainnya"] == 7
    assert counts["PNS"] == 4
    assert counts[None] == 1
    assert table.total == 12
    schooling = official_table(
        "pendidikan", {"Tidak sekolah": 5, "SD": 2}, PENDIDIKAN, PENDIDIKAN_RESMI
    )
    assert schooling.lines[0].label == "SD ke bawah"
    assert schooling.lines[0].count == 7


# --- the worked check ----------------------------------------------------------------------


def test_the_worked_check_gives_the_published_nrr_rounded_to_four_places() -> None:
    result = worked_result()
    assert result.nrr_rounded() == {
        key: D(value) for key, value in zip(UNSUR, WORKED_NRR, strict=True)
    }


def test_the_worked_check_gives_nik_91_48_mutu_a_sangat_baik() -> None:
    result = worked_result()
    assert result.nik == D("91.48")
    assert result.mutu == "A"
    assert result.kinerja == "Sangat baik"
    assert result.respondents == WORKED_RESPONDENTS
    assert result.ikm_exact == Fraction(sum(WORKED_TOTALS), WORKED_RESPONDENTS * 9)
    assert result.ikm_rounded() == D("3.6590")


def test_the_worked_check_computed_from_individual_answers_gives_the_same_result() -> None:
    responses = responses_with_totals(WORKED_TOTALS, WORKED_RESPONDENTS)
    result = compute_skm(responses)
    assert result == worked_result()
    assert result.nik == D("91.48")


def test_the_wrong_weight_0_11_would_give_90_56_on_the_worked_check() -> None:
    result = worked_result()
    nrr_sum = sum((Fraction(total, WORKED_RESPONDENTS) for total in WORKED_TOTALS), Fraction(0))
    wrong = round_half_up(nrr_sum * Fraction("0.11") * 25, 2)
    assert wrong == D("90.56")
    assert result.nik != wrong
    assert round_half_up(nrr_sum * Fraction(1, 9) * 25, 2) == result.nik


def test_the_weight_is_exactly_one_ninth_so_all_fours_give_100_not_99() -> None:
    result = compute_skm([all_answered(4)])
    assert result.nik == D("100.00")
    assert round_half_up(Fraction(36) * Fraction("0.11") * 25, 2) == D("99.00")
    assert round_half_up(Fraction(36) * Fraction("0.111") * 25, 2) == D("99.90")


# --- extremes and grades -------------------------------------------------------------------


def test_all_fours_give_exactly_nik_100_mutu_a() -> None:
    result = compute_skm([all_answered(4)] * 3)
    assert str(result.nik) == "100.00"
    assert result.ikm == 4
    assert result.mutu == "A"
    assert result.kinerja == "Sangat baik"


def test_all_ones_give_exactly_nik_25_mutu_d() -> None:
    result = compute_skm([all_answered(1)] * 3)
    assert str(result.nik) == "25.00"
    assert result.ikm == 1
    assert result.mutu == "D"
    assert result.kinerja == "Tidak baik"


@pytest.mark.parametrize(
    ("nik", "letter", "kinerja"),
    [
        ("100.00", "A", "Sangat baik"),
        ("88.31", "A", "Sangat baik"),
        ("88.30", "B", "Baik"),
        ("76.61", "B", "Baik"),
        ("76.60", "C", "Kurang baik"),
        ("65.00", "C", "Kurang baik"),
        ("64.99", "D", "Tidak baik"),
        ("25.00", "D", "Tidak baik"),
    ],
)
def test_the_grade_is_read_from_the_rounded_nik_on_both_sides_of_each_boundary(
    nik: str, letter: str, kinerja: str
) -> None:
    mutu = grade(D(nik))
    assert mutu.letter == letter
    assert mutu.kinerja == kinerja


@pytest.mark.parametrize("nik", ["24.99", "100.01", "0", "-1"])
def test_a_nik_outside_25_to_100_cannot_be_graded(nik: str) -> None:
    with pytest.raises(ValueError, match="NIK"):
        grade(D(nik))


def test_the_grade_table_lists_a_to_d_with_their_lower_bounds() -> None:
    assert [(g.letter, g.kinerja, str(g.nik_min)) for g in GRADES] == [
        ("A", "Sangat baik", "88.31"),
        ("B", "Baik", "76.61"),
        ("C", "Kurang baik", "65.00"),
        ("D", "Tidak baik", "25.00"),
    ]


@pytest.mark.parametrize(
    ("grand_total", "exact_nik", "nik", "letter"),
    [
        # 5000 respondents: exact NIK = 25 * grand_total / (9 * 5000).
        (158949, "88.305", "88.31", "A"),
        (158948, None, "88.30", "B"),
        (137889, "76.605", "76.61", "B"),
        (137888, None, "76.60", "C"),
        (116991, "64.995", "65.00", "C"),
        (116990, None, "64.99", "D"),
    ],
)
def test_a_nik_tie_at_the_third_decimal_is_rounded_up_before_grading(
    grand_total: int, exact_nik: str | None, nik: str, letter: str
) -> None:
    result = skm_from_totals(uniform_totals(grand_total, 5000), 5000)
    assert result is not None
    if exact_nik is not None:
        assert result.ikm_exact * 25 == Fraction(exact_nik)
    assert str(result.nik) == nik
    assert result.mutu == letter


def test_a_tie_from_forty_real_respondents_is_rounded_half_up_not_half_even() -> None:
    # 40 respondents, all nine unsur answered, grand total 1269: NIK = 25 * 1269 / 360 = 88.125.
    result = skm_from_totals(uniform_totals(1269, 40), 40)
    assert result is not None
    assert result.ikm_exact * 25 == Fraction("88.125")
    assert result.nik == D("88.13")
    assert result.mutu == "B"


def test_a_tie_with_unsur_answered_by_different_numbers_of_respondents_is_rounded_up() -> None:
    # Eight unsur answered by all 625 respondents (totals 17603), sarana by 8 (total 29):
    # NRR sum = 17603/625 + 29/8 = 31.7898, NIK = 31.7898 * 25 / 9 = 88.305.
    totals = {key: UnsurTotal(2200, 625) for key in UNSUR[:7]}
    totals["pengaduan"] = UnsurTotal(2203, 625)
    totals["sarana"] = UnsurTotal(29, 8)
    result = skm_from_totals(totals, 625)
    assert result is not None
    assert result.ikm_exact * 25 == Fraction("88.305")
    assert result.nik == D("88.31")
    assert result.mutu == "A"


# --- compute_skm ---------------------------------------------------------------------------


def test_the_nrr_of_an_unsur_counts_only_the_respondents_who_answered_it() -> None:
    second = all_answered(2)
    second["persyaratan"] = None
    third: dict[str, int | None] = dict(all_answered(3))
    del third["waktu"]
    result = compute_skm([all_answered(4), second, third])
    assert result.respondents == 3
    assert result.totals["persyaratan"] == UnsurTotal(7, 2)
    assert result.totals["waktu"] == UnsurTotal(6, 2)
    assert result.totals["biaya"] == UnsurTotal(9, 3)
    assert result.nrr["persyaratan"] == D("3.5")
    assert result.nrr["waktu"] == D(3)
    assert result.nrr["biaya"] == D(3)
    expected_ikm = (Fraction(7, 2) + 3 + 7 * Fraction(9, 3)) / 9
    assert result.ikm_exact == expected_ikm


def test_compute_skm_returns_decimals_with_a_two_place_nik() -> None:
    responses = [all_answered(4), all_answered(3), all_answered(2)]
    responses[0]["sarana"] = 1
    result = compute_skm(responses)
    assert list(result.nrr) == list(UNSUR)
    assert all(isinstance(value, Decimal) for value in result.nrr.values())
    assert isinstance(result.ikm, Decimal)
    assert 1 <= result.ikm <= 4
    assert isinstance(result.nik, Decimal)
    assert result.nik.as_tuple().exponent == -2
    assert result.mutu in {"A", "B", "C", "D"}
    assert result.kinerja == grade(result.nik).kinerja
    assert result.respondents == 3


def test_compute_skm_accepts_any_iterable_of_answer_sets() -> None:
    result = compute_skm(all_answered(score) for score in (1, 2, 3, 4))
    assert result.respondents == 4
    assert result.nik == D("62.50")
    assert result.mutu == "D"


def test_nrr_for_printing_is_rounded_half_up_to_four_places() -> None:
    result = compute_skm([all_answered(4), all_answered(4), all_answered(3)])
    assert result.nrr["persyaratan"] == D("3.666666666666666666666666667")
    assert result.nrr_rounded()["persyaratan"] == D("3.6667")
    assert result.nrr_rounded(2)["persyaratan"] == D("3.67")


def test_no_responses_give_no_skm_data() -> None:
    with pytest.raises(NoSkmData, match="belum ada responden"):
        compute_skm([])


def test_an_unsur_answered_by_nobody_gives_no_skm_data_naming_it() -> None:
    answers = all_answered(3)
    answers["sarana"] = None
    with pytest.raises(NoSkmData, match="sarana"):
        compute_skm([answers, answers])


def test_an_invalid_response_is_reported_with_its_respondent_number() -> None:
    bad: dict[str, Any] = dict(all_answered(3))
    bad["waktu"] = 5
    with pytest.raises(InvalidAnswers) as info:
        compute_skm([all_answered(3), bad])
    assert info.value.problems == ["responden 2: waktu: nilai harus 1-4 (diterima: 5)"]


# --- skm_from_totals -----------------------------------------------------------------------


def test_skm_from_totals_gives_nothing_for_no_respondents() -> None:
    assert skm_from_totals(uniform_totals(27, 1), 0) is None


def test_skm_from_totals_gives_nothing_when_an_unsur_is_missing_or_unanswered() -> None:
    totals = uniform_totals(27, 1)
    totals["sarana"] = UnsurTotal(0, 0)
    assert skm_from_totals(totals, 1) is None
    del totals["sarana"]
    assert skm_from_totals(totals, 1) is None


@pytest.mark.parametrize("item", [UnsurTotal(1, 2), UnsurTotal(9, 2)])
def test_skm_from_totals_refuses_an_impossible_total(item: UnsurTotal) -> None:
    totals = uniform_totals(27, 2)
    totals["biaya"] = item
    with pytest.raises(ValueError, match="biaya"):
        skm_from_totals(totals, 2)


def test_skm_from_totals_refuses_more_answers_than_respondents() -> None:
    with pytest.raises(ValueError, match="melebihi"):
        skm_from_totals(uniform_totals(27, 3), 2)


# --- validate_answers ----------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, 5, -1, "3", 3.0, True, False])
def test_an_answer_that_is_not_an_integer_from_one_to_four_is_refused(bad: object) -> None:
    answers: dict[str, Any] = dict(all_answered(3))
    answers["produk"] = bad
    with pytest.raises(InvalidAnswers) as info:
        validate_answers(answers)
    assert len(info.value.problems) == 1
    assert info.value.problems[0].startswith("produk:")


def test_an_unknown_unsur_key_is_refused() -> None:
    answers: dict[str, int | None] = {**all_answered(3), "kebersihan": 4}
    with pytest.raises(InvalidAnswers, match="unsur tidak dikenal: kebersihan"):
        validate_answers(answers)


def test_an_unsur_kept_by_position_instead_of_key_is_refused() -> None:
    with pytest.raises(InvalidAnswers, match="unsur tidak dikenal"):
        validate_answers({"1": 4, "2": 4})


def test_an_answer_set_with_nothing_answered_is_refused() -> None:
    with pytest.raises(InvalidAnswers, match="tidak ada satu pun unsur"):
        validate_answers(dict.fromkeys(UNSUR))
    with pytest.raises(InvalidAnswers, match="tidak ada satu pun unsur"):
        validate_answers({})


def test_every_problem_of_an_answer_set_is_reported() -> None:
    answers: dict[str, Any] = {"persyaratan": 0, "waktu": "4", "lain": 1}
    with pytest.raises(InvalidAnswers) as info:
        validate_answers(answers)
    assert len(info.value.problems) == 3


def test_a_missing_key_counts_as_unanswered_and_all_nine_keys_are_returned() -> None:
    assert validate_answers({"waktu": 4}) == {key: (4 if key == "waktu" else None) for key in UNSUR}


@pytest.mark.parametrize("score", [1, 2, 3, 4])
def test_every_score_from_one_to_four_is_accepted(score: int) -> None:
    assert validate_answers(all_answered(score)) == all_answered(score)


# --- minimum sample ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (1, 1),
        (10, 10),
        (20, 19),
        (50, 44),
        (100, 80),
        (220, 140),
        (300, 169),
        (1000, 278),
        (2000, 322),
        (10**7, 384),
    ],
)
def test_the_minimum_sample_matches_the_published_krejcie_morgan_rows(
    population: int, sample: int
) -> None:
    assert min_sample(population) == sample


@pytest.mark.parametrize("population", [0, -5])
def test_a_population_below_one_is_refused(population: int) -> None:
    with pytest.raises(ValueError, match="populasi"):
        min_sample(population)


@pytest.mark.parametrize("population", [True, 1.5, "100", None])
def test_a_population_that_is_not_an_integer_is_a_type_error(population: Any) -> None:
    with pytest.raises(TypeError, match="populasi"):
        min_sample(population)
