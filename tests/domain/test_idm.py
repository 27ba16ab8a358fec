"""IDM: exact score, status on the unrounded score with strict lower bounds, next status."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.idm import (
    NEXT_STATUS_STEP,
    THRESHOLDS,
    IdmStatus,
    compute_idm,
    idm_status,
    next_status,
    score_to_decimal,
    validate_index,
)
from domain.rounding import round_half_up

D = Decimal


def test_the_idm_is_the_exact_mean_of_the_three_indices() -> None:
    result = compute_idm(D("0.6"), D("0.7"), D("0.8"))
    assert isinstance(result, Fraction)
    assert result == Fraction(7, 10)


def test_the_idm_keeps_a_non_terminating_mean_exact() -> None:
    assert compute_idm(D(1), D(0), D(0)) == Fraction(1, 3)


def test_the_idm_of_a_published_record_is_the_exact_mean_of_its_components() -> None:
    result = compute_idm(D("0.76571428571429"), D("0.6"), D("0.6"))
    assert result == (Fraction("0.76571428571429") + Fraction("1.2")) / 3


@pytest.mark.parametrize("name", ["IKS", "IKE", "IKL"])
@pytest.mark.parametrize("bad", [D("-0.0001"), D("1.0001"), D("NaN"), D("Infinity")])
def test_an_index_outside_zero_to_one_is_refused_naming_the_index(name: str, bad: Decimal) -> None:
    values = {"IKS": D("0.5"), "IKE": D("0.5"), "IKL": D("0.5")}
    values[name] = bad
    with pytest.raises(ValueError, match=name):
        compute_idm(values["IKS"], values["IKE"], values["IKL"])


@pytest.mark.parametrize("value", [D(0), D(1), D("0.5"), D("0.00000000000001")])
def test_validate_index_returns_a_value_within_zero_to_one(value: Decimal) -> None:
    assert validate_index(value) is value


@pytest.mark.parametrize("value", [D("-0.01"), D("1.01"), D("NaN"), D("-Infinity")])
def test_validate_index_refuses_a_value_outside_zero_to_one_naming_it(value: Decimal) -> None:
    with pytest.raises(ValueError, match="skor IKS"):
        validate_index(value, "skor IKS")


@pytest.mark.parametrize(
    ("score", "status"),
    [
        (D("0.4907"), IdmStatus.SANGAT_TERTINGGAL),
        (D("0.5989"), IdmStatus.TERTINGGAL),
        (D("0.7072"), IdmStatus.BERKEMBANG),
        (D("0.8155"), IdmStatus.MAJU),
    ],
)
def test_a_score_equal_to_a_threshold_stays_in_the_lower_status(
    score: Decimal, status: IdmStatus
) -> None:
    assert idm_status(score) is status


@pytest.mark.parametrize(
    ("score", "status"),
    [
        (D("0.49070000000001"), IdmStatus.TERTINGGAL),
        (D("0.59890000000001"), IdmStatus.BERKEMBANG),
        (D("0.70720000000001"), IdmStatus.MAJU),
        (D("0.81550000000001"), IdmStatus.MANDIRI),
    ],
)
def test_a_score_just_above_a_threshold_is_in_the_higher_status(
    score: Decimal, status: IdmStatus
) -> None:
    assert idm_status(score) is status


@pytest.mark.parametrize(
    ("score", "status"),
    [
        (D(0), IdmStatus.SANGAT_TERTINGGAL),
        (0, IdmStatus.SANGAT_TERTINGGAL),
        (D(1), IdmStatus.MANDIRI),
        (1, IdmStatus.MANDIRI),
        (Fraction(1, 2), IdmStatus.TERTINGGAL),
        (D("0.65"), IdmStatus.BERKEMBANG),
        (D("0.75"), IdmStatus.MAJU),
    ],
)
def test_zero_one_and_inner_scores_get_their_status(
    score: Decimal | Fraction | int, status: IdmStatus
) -> None:
    assert idm_status(score) is status


@pytest.mark.parametrize("score", [D("-0.0001"), D("1.0001"), Fraction(-1, 10**20), 2, -1])
def test_a_score_outside_zero_to_one_is_refused(score: Decimal | Fraction | int) -> None:
    with pytest.raises(ValueError, match="skor IDM"):
        idm_status(score)


def test_the_status_is_read_from_the_unrounded_score() -> None:
    score = Fraction(81551, 100000)
    assert round_half_up(score, 4) == D("0.8155")
    assert idm_status(round_half_up(score, 4)) is IdmStatus.MAJU
    assert idm_status(score) is IdmStatus.MANDIRI


def test_a_score_above_a_threshold_by_less_than_the_stored_precision_is_in_the_higher_status() -> (
    None
):
    score = Fraction(8155, 10000) + Fraction(1, 10**20)
    assert score_to_decimal(score) == D("0.8155")
    assert idm_status(score) is IdmStatus.MANDIRI


def test_the_thresholds_are_the_published_ones_in_order() -> None:
    published = (
        (IdmStatus.SANGAT_TERTINGGAL, D("0.4907")),
        (IdmStatus.TERTINGGAL, D("0.5989")),
        (IdmStatus.BERKEMBANG, D("0.7072")),
        (IdmStatus.MAJU, D("0.8155")),
    )
    assert published == THRESHOLDS
    assert D("0.0001") == NEXT_STATUS_STEP


@pytest.mark.parametrize(
    ("score", "current", "target", "minimum", "needed"),
    [
        (D(0), IdmStatus.SANGAT_TERTINGGAL, IdmStatus.TERTINGGAL, "0.4908", "0.4908"),
        (D("0.4907"), IdmStatus.SANGAT_TERTINGGAL, IdmStatus.TERTINGGAL, "0.4908", "0.0001"),
        (D("0.5"), IdmStatus.TERTINGGAL, IdmStatus.BERKEMBANG, "0.5990", "0.099"),
        (D("0.5989"), IdmStatus.TERTINGGAL, IdmStatus.BERKEMBANG, "0.5990", "0.0001"),
        (
            D("0.6552380952381"),
            IdmStatus.BERKEMBANG,
            IdmStatus.MAJU,
            "0.7073",
            "0.0520619047619",
        ),
        (D("0.7072"), IdmStatus.BERKEMBANG, IdmStatus.MAJU, "0.7073", "0.0001"),
        (D("0.8155"), IdmStatus.MAJU, IdmStatus.MANDIRI, "0.8156", "0.0001"),
        (D("0.70725"), IdmStatus.MAJU, IdmStatus.MANDIRI, "0.8156", "0.10835"),
    ],
)
def test_next_status_is_the_next_one_up_at_its_threshold_plus_one_ten_thousandth(
    score: Decimal, current: IdmStatus, target: IdmStatus, minimum: str, needed: str
) -> None:
    result = next_status(score)
    assert result.current is current
    assert result.target is target
    assert result.minimum_score is not None
    assert str(result.minimum_score) == minimum
    assert result.needed == D(needed)
    assert not result.is_top


def test_the_score_still_needed_is_rounded_half_up_to_fourteen_places() -> None:
    result = next_status(Fraction(1, 3))
    assert result.needed == D("0.15746666666667")


@pytest.mark.parametrize("score", [D("0.81550000000001"), D("0.9"), D(1)])
def test_mandiri_is_the_top_status_with_nothing_needed(score: Decimal) -> None:
    result = next_status(score)
    assert result.current is IdmStatus.MANDIRI
    assert result.target is None
    assert result.minimum_score is None
    assert result.needed == 0
    assert result.is_top


def test_next_status_refuses_a_score_outside_zero_to_one() -> None:
    with pytest.raises(ValueError, match="skor IDM"):
        next_status(D("1.5"))


@pytest.mark.parametrize(
    ("label", "status"),
    [
        ("SANGAT TERTINGGAL", IdmStatus.SANGAT_TERTINGGAL),
        ("Sangat Tertinggal", IdmStatus.SANGAT_TERTINGGAL),
        ("sangat  tertinggal", IdmStatus.SANGAT_TERTINGGAL),
        ("Sangat-Tertinggal", IdmStatus.SANGAT_TERTINGGAL),
        ("TERTINGGAL", IdmStatus.TERTINGGAL),
        ("BERKEMBANG", IdmStatus.BERKEMBANG),
        ("Maju", IdmStatus.MAJU),
        (" MANDIRI ", IdmStatus.MANDIRI),
    ],
)
def test_a_published_status_label_is_parsed(label: str, status: IdmStatus) -> None:
    assert IdmStatus.from_label(label) is status


@pytest.mark.parametrize("label", ["", "MAJU SEKALI", "Tertinggal Sekali", "A", "maju!"])
def test_an_unknown_status_label_is_refused(label: str) -> None:
    with pytest.raises(ValueError, match="status IDM tidak dikenal"):
        IdmStatus.from_label(label)


@pytest.mark.parametrize("status", list(IdmStatus))
def test_every_status_label_parses_back_to_its_status(status: IdmStatus) -> None:
    assert IdmStatus.from_label(status.label) is status
    assert IdmStatus.from_label(status.label.upper()) is status


def test_the_statuses_are_ordered_from_lowest_to_highest() -> None:
    assert [s.label for s in IdmStatus] == [
        "Sangat Tertinggal",
        "Tertinggal",
        "Berkembang",
        "Maju",
        "Mandiri",
    ]


def test_score_to_decimal_keeps_fourteen_places_half_up() -> None:
    assert score_to_decimal(Fraction(2, 3)) == D("0.66666666666667")
    assert score_to_decimal(Fraction(2, 3)).as_tuple().exponent == -14


_BOUNDS = [Fraction(0), *(Fraction(upper) for _, upper in THRESHOLDS), Fraction(1)]


@settings(max_examples=200, deadline=None)
@given(score=st.fractions(min_value=0, max_value=1, max_denominator=10**15))
def test_the_status_is_the_interval_whose_strict_lower_bound_the_score_exceeds(
    score: Fraction,
) -> None:
    status = idm_status(score)
    index = list(IdmStatus).index(status)
    lower, upper = _BOUNDS[index], _BOUNDS[index + 1]
    assert score <= upper
    assert score > lower or (index == 0 and score == 0)
    result = next_status(score)
    if result.minimum_score is not None:
        exact_needed = Fraction(result.minimum_score) - score
        assert abs(Fraction(result.needed) - exact_needed) <= Fraction(1, 2 * 10**14)
        assert idm_status(result.minimum_score) is result.target


@pytest.mark.parametrize(
    ("score", "status"),
    [
        (0.8155, IdmStatus.MAJU),  # the binary value is just above 0.8155
        (0.81550001, IdmStatus.MANDIRI),
        (0.7072, IdmStatus.BERKEMBANG),
        (0.4907, IdmStatus.SANGAT_TERTINGGAL),
        (0.5989, IdmStatus.TERTINGGAL),
        (1.0, IdmStatus.MANDIRI),
        (0.0, IdmStatus.SANGAT_TERTINGGAL),
    ],
)
def test_a_float_is_read_as_the_decimal_it_prints_as(score: float, status: IdmStatus) -> None:
    assert Fraction(score) != Fraction(D(repr(score))) or score in (0.0, 1.0)
    assert idm_status(score) is status
    assert idm_status(score) is idm_status(D(repr(score)))


def test_the_next_status_of_a_float_counts_from_its_printed_decimal() -> None:
    result = next_status(0.7072)
    assert result.target is IdmStatus.MAJU
    assert result.needed == D("0.0001")


@pytest.mark.parametrize("score", [float("nan"), float("inf"), -0.0001, 1.0001])
def test_a_float_that_is_not_a_score_is_refused(score: float) -> None:
    with pytest.raises(ValueError, match=r"bukan angka|skor IDM harus"):
        idm_status(score)


def test_a_boolean_is_not_a_score() -> None:
    with pytest.raises(TypeError):
        idm_status(True)


def test_the_idm_of_float_indices_is_the_idm_of_their_printed_decimals() -> None:
    assert compute_idm(0.8155, 0.8155, 0.8155) == Fraction(8155, 10000)
    assert idm_status(compute_idm(0.8155, 0.8155, 0.8155)) is IdmStatus.MAJU
    with pytest.raises(ValueError, match="IKE harus di antara 0 dan 1"):
        compute_idm(0.5, float("nan"), 0.5)


def test_rounding_a_float_rounds_its_printed_decimal() -> None:
    # 2.675 is stored as 2.67499999...; read as printed it rounds half-up to 2.68.
    assert round_half_up(2.675, 2) == D("2.68")
    assert round_half_up(D("2.675"), 2) == D("2.68")
