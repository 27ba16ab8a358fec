"""The pure checks behind the bot's questions: dates, texts, ages, indices, tokens."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.errors import InvalidInput
from domain.incidents import (
    CATEGORIES,
    LAINNYA,
    allowed_transitions,
    category_label,
    check_event_date,
    clean_category_detail,
    clean_description,
    clean_note,
    days_open,
    is_overdue,
    parse_date,
)
from domain.models import Incident, IncidentKind, IncidentStatus
from domain.records import clean_reference, clean_tema_lainnya, parse_index, parse_year
from domain.registration import clean_jabatan, clean_name, hash_token
from domain.survey import clean_saran, dedup_key, parse_age, survey_period
from tests.factories import make_desa, make_incident

# --- event dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["05-11-2026", "5-11-2026", "5/11/2026", "05/11/2026", "5.11.2026", "  05-11-2026  "],
)
def test_a_date_is_read_as_day_month_year_with_dash_slash_or_dot(text: str) -> None:
    assert parse_date(text) == date(2026, 11, 5)


def test_a_leap_day_is_a_real_date() -> None:
    assert parse_date("29-02-2028") == date(2028, 2, 29)


@pytest.mark.parametrize("text", ["2026-11-05", "2026-11-5", " 2026-11-05 "])
def test_an_iso_date_as_the_csv_files_write_it_is_read_too(text: str) -> None:
    assert parse_date(text) == date(2026, 11, 5)


def test_an_iso_date_that_is_not_in_the_calendar_is_refused() -> None:
    with pytest.raises(InvalidInput, match="tidak ada di kalender"):
        parse_date("2026-02-30")


@pytest.mark.parametrize(
    "text",
    [
        "2026/11/05",
        "26-11-05",
        "kemarin",
        "",
        "   ",
        "5-11-26",
        "05112026",
        "5 11 2026",
        "5-11",
        "5-11/2026",  # mixed separators
        "٠٥-١١-٢٠٢٦",  # Arabic-Indic digits
    ],
)
def test_a_date_in_another_format_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(InvalidInput, match="Format tanggal tidak dikenali") as refused:
        parse_date(text)
    assert "05-11-2026" in str(refused.value)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("31-02-2026", "31-02-2026"),
        ("29-02-2026", "29-02-2026"),
        ("31-04-2026", "31-04-2026"),
        ("0-1-2026", "00-01-2026"),
        ("5-13-2026", "05-13-2026"),
    ],
)
def test_a_date_missing_from_the_calendar_is_refused_by_name(text: str, shown: str) -> None:
    with pytest.raises(InvalidInput, match="tidak ada di kalender") as refused:
        parse_date(text)
    assert shown in str(refused.value)


TODAY = date(2026, 3, 15)


def test_an_event_of_today_is_accepted() -> None:
    assert check_event_date(TODAY, TODAY, 30) == TODAY


def test_an_event_of_tomorrow_is_refused_as_in_the_future() -> None:
    with pytest.raises(InvalidInput, match="masa depan"):
        check_event_date(TODAY + timedelta(days=1), TODAY, 30)


def test_an_event_exactly_max_age_days_ago_is_accepted() -> None:
    day = TODAY - timedelta(days=30)
    assert check_event_date(day, TODAY, 30) == day


def test_an_event_one_day_older_than_max_age_is_refused_and_names_the_limit() -> None:
    with pytest.raises(InvalidInput, match="lebih dari 30 hari"):
        check_event_date(TODAY - timedelta(days=31), TODAY, 30)


def test_with_max_age_zero_only_today_is_accepted() -> None:
    assert check_event_date(TODAY, TODAY, 0) == TODAY
    with pytest.raises(InvalidInput):
        check_event_date(TODAY - timedelta(days=1), TODAY, 0)


# --- descriptions, notes, category details ----------------------------------------------------


def test_a_description_of_fourteen_characters_is_too_short() -> None:
    with pytest.raises(InvalidInput, match="terlalu singkat"):
        clean_description("a" * 14)


def test_a_description_of_fifteen_characters_is_accepted() -> None:
    assert clean_description("a" * 15) == "a" * 15


def test_a_description_of_a_thousand_characters_is_accepted() -> None:
    assert clean_description("b" * 1000) == "b" * 1000


def test_a_description_of_a_thousand_and_one_characters_is_refused_with_its_length() -> None:
    with pytest.raises(InvalidInput, match="terlalu panjang") as refused:
        clean_description("b" * 1001)
    assert "1001" in str(refused.value)


def test_surrounding_spaces_do_not_count_towards_the_minimum() -> None:
    with pytest.raises(InvalidInput):
        clean_description("   " + "a" * 14 + "   \n\n")
    assert clean_description("   " + "a" * 15 + "\n\n  ") == "a" * 15


def test_spaces_count_after_tidying_so_padding_cannot_pass_the_maximum() -> None:
    padded = "kata  " * 200  # 1200 characters typed, 999 after tidying
    assert len(clean_description(padded)) == 999


def test_a_description_is_tidied_but_keeps_its_line_breaks() -> None:
    typed = "\n\n  Ada   keributan\tdi pasar  \r\n\n  pelaku   dua orang  \n\n"
    assert clean_description(typed) == "Ada keributan di pasar\n\npelaku dua orang"


def test_a_note_of_four_characters_is_refused_and_of_five_accepted() -> None:
    with pytest.raises(InvalidInput, match="terlalu singkat"):
        clean_note("abcd")
    assert clean_note("abcde") == "abcde"
    assert clean_note("  ab   cd  ") == "ab cd"


def test_a_note_of_a_thousand_characters_is_accepted_and_one_more_refused() -> None:
    assert clean_note("n" * 1000) == "n" * 1000
    with pytest.raises(InvalidInput, match="terlalu panjang"):
        clean_note("n" * 1001)


def test_a_note_keeps_its_line_breaks() -> None:
    assert clean_note("Sudah  dimediasi\n  oleh Babinsa ") == "Sudah dimediasi\noleh Babinsa"


def test_a_category_detail_is_three_to_a_hundred_characters_on_one_line() -> None:
    with pytest.raises(InvalidInput, match="3-100"):
        clean_category_detail("ab")
    with pytest.raises(InvalidInput):
        clean_category_detail("  ab  ")  # surrounding spaces do not count
    assert clean_category_detail("  a  b  ") == "a b"
    assert clean_category_detail("x" * 100) == "x" * 100
    with pytest.raises(InvalidInput):
        clean_category_detail("x" * 101)
    assert clean_category_detail("Sengketa\n  waris ") == "Sengketa waris"


def test_the_label_of_lainnya_carries_its_text() -> None:
    assert category_label(IncidentKind.KONFLIK, LAINNYA, "Sengketa waris") == (
        "Lainnya: Sengketa waris"
    )
    assert category_label(IncidentKind.KONFLIK, LAINNYA) == "Lainnya"
    assert category_label(IncidentKind.TRANTIBUM, "judi") == "Perjudian"
    assert category_label(IncidentKind.TRANTIBUM, "tak-dikenal") == "tak-dikenal"


def test_both_kinds_offer_lainnya() -> None:
    assert all(LAINNYA in codes for codes in CATEGORIES.values())


# --- status transitions and overdue cases -----------------------------------------------------


def test_a_new_case_may_go_to_diproses_or_straight_to_tertangani() -> None:
    assert allowed_transitions(IncidentStatus.BARU) == (
        IncidentStatus.DIPROSES,
        IncidentStatus.TERTANGANI,
    )


def test_a_case_in_progress_may_only_be_handled() -> None:
    assert allowed_transitions(IncidentStatus.DIPROSES) == (IncidentStatus.TERTANGANI,)


def test_a_handled_case_may_only_be_reopened_to_diproses() -> None:
    assert allowed_transitions(IncidentStatus.TERTANGANI) == (IncidentStatus.DIPROSES,)


@pytest.mark.parametrize("status", list(IncidentStatus))
def test_no_status_leads_to_itself_or_back_to_baru(status: IncidentStatus) -> None:
    assert status not in allowed_transitions(status)
    assert IncidentStatus.BARU not in allowed_transitions(status)


RECEIVED = datetime(2026, 3, 2, 3, 15, tzinfo=UTC)


def _incident(status: IncidentStatus = IncidentStatus.BARU) -> Incident:
    return make_incident(
        make_desa(id=1, kecamatan_id=1),
        id=1,
        nomor="KS-352808-2026-0001",
        kind=IncidentKind.KONFLIK,
        event_date=date(2026, 3, 1),
        received_at=RECEIVED,
        category="tanah",
        description="Sengketa batas tanah antarwarga",
        status=status,
    )


def test_a_case_open_exactly_the_limit_is_not_yet_overdue() -> None:
    assert not is_overdue(_incident(), RECEIVED + timedelta(days=7), 7)


def test_a_case_open_one_second_past_the_limit_is_overdue() -> None:
    assert is_overdue(_incident(), RECEIVED + timedelta(days=7, seconds=1), 7)
    assert is_overdue(_incident(IncidentStatus.DIPROSES), RECEIVED + timedelta(days=8), 7)


def test_a_handled_case_is_never_overdue() -> None:
    assert not is_overdue(_incident(IncidentStatus.TERTANGANI), RECEIVED + timedelta(days=365), 7)


def test_days_open_counts_whole_days_since_receipt() -> None:
    assert days_open(_incident(), RECEIVED) == 0
    assert days_open(_incident(), RECEIVED + timedelta(days=1, seconds=-1)) == 0
    assert days_open(_incident(), RECEIVED + timedelta(days=1)) == 1
    assert days_open(_incident(), RECEIVED + timedelta(days=10, hours=23)) == 10


def test_days_open_is_never_negative_for_a_clock_behind_the_receipt() -> None:
    assert days_open(_incident(), RECEIVED - timedelta(hours=3)) == 0


# --- survey: ages, periods, dedup keys --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("35", 35),
        (" 35 ", 35),
        ("35 tahun", 35),
        ("35 Tahun", 35),
        ("35 TAHUN", 35),
        ("35tahun", 35),
        ("15", 15),
        ("100", 100),
    ],
)
def test_an_age_is_a_whole_number_of_years_optionally_followed_by_tahun(
    text: str, age: int
) -> None:
    assert parse_age(text) == age


@pytest.mark.parametrize(
    "text", ["tiga", "3.5", "3,5", "٣٥", "３５", "", "-35", "+35", "35 th", "tahun"]
)
def test_an_age_not_written_with_ascii_digits_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="angka"):
        parse_age(text)


@pytest.mark.parametrize("text", ["14", "101", "0", "999"])
def test_an_age_outside_fifteen_to_a_hundred_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="antara 15 dan 100"):
        parse_age(text)


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (date(2026, 1, 1), "2026-S1"),
        (date(2026, 6, 30), "2026-S1"),
        (date(2026, 7, 1), "2026-S2"),
        (date(2026, 12, 31), "2026-S2"),
        (date(2027, 1, 1), "2027-S1"),
    ],
)
def test_a_response_counts_for_its_semester(day: date, period: str) -> None:
    assert survey_period(day) == period


SECRET = b"rahasia-server-0123456789"
PERSON = 987_654_321_012


def _key(
    secret: bytes = SECRET,
    telegram_id: int = PERSON,
    kecamatan_id: int = 1,
    service_id: int = 3,
    day: date = date(2026, 3, 5),
) -> str:
    return dedup_key(
        secret, telegram_id=telegram_id, kecamatan_id=kecamatan_id, service_id=service_id, day=day
    )


def test_the_dedup_key_is_deterministic_and_64_hex_characters() -> None:
    assert _key() == _key()
    assert re.fullmatch(r"[0-9a-f]{64}", _key())


def test_the_dedup_key_is_an_hmac_sha256_under_the_secret() -> None:
    expected = hmac.new(SECRET, f"{PERSON}|1|3|2026-S1".encode(), hashlib.sha256).hexdigest()
    assert _key() == expected
    assert _key() != hashlib.sha256(f"{PERSON}|1|3|2026-S1".encode()).hexdigest()


def test_the_dedup_key_does_not_contain_the_telegram_id() -> None:
    assert str(PERSON) not in _key()
    assert format(PERSON, "x") not in _key()


def test_the_dedup_key_is_the_same_throughout_a_semester() -> None:
    assert _key(day=date(2026, 1, 1)) == _key(day=date(2026, 6, 30))


def test_the_dedup_key_changes_with_the_semester() -> None:
    assert _key(day=date(2026, 6, 30)) != _key(day=date(2026, 7, 1))
    assert _key(day=date(2026, 3, 5)) != _key(day=date(2027, 3, 5))


def test_the_dedup_key_changes_with_secret_person_kecamatan_and_service() -> None:
    keys = {
        _key(),
        _key(secret=b"rahasia-lain"),
        _key(telegram_id=PERSON + 1),
        _key(kecamatan_id=2),
        _key(service_id=4),
    }
    assert len(keys) == 5


def test_a_suggestion_is_tidied_and_limited_to_a_thousand_characters() -> None:
    assert clean_saran("  Antrian   terlalu lama \n\n  tolong  diperbaiki ") == (
        "Antrian terlalu lama\n\ntolong diperbaiki"
    )
    assert clean_saran("s" * 1000) == "s" * 1000
    with pytest.raises(InvalidInput, match="terlalu panjang"):
        clean_saran("s" * 1001)
    with pytest.raises(InvalidInput, match="Lewati"):
        clean_saran("  \n ")


# --- IDM indices and years -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0,7512", "0.7512"),
        ("0.7512", "0.7512"),
        (" 0,7512 ", "0.7512"),
        ("1", "1"),
        ("0", "0"),
        ("1,0", "1"),
        ("1.00000000000000", "1"),
        ("0,12345678901234", "0.12345678901234"),
        ("0.81550000000001", "0.81550000000001"),
    ],
)
def test_an_index_is_read_with_a_comma_or_a_point_exactly(text: str, value: str) -> None:
    parsed = parse_index(text, "IKS")
    assert parsed == Decimal(value)
    assert isinstance(parsed, Decimal)


def test_an_index_keeps_all_fourteen_decimals_without_float_rounding() -> None:
    assert str(parse_index("0,33333333333333", "IKE")) == "0.33333333333333"


@pytest.mark.parametrize(
    "text", ["0,123456789012345", "-0,1", "abc", "", "0,", ",5", ".5", "0,5,1", "1e-1", "0 5"]
)
def test_an_index_not_written_as_a_plain_number_is_refused_naming_the_index(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"^IKL harus berupa angka 0-1"):
        parse_index(text, "IKL")


@pytest.mark.parametrize("text", ["1,5", "2", "1,00000000000001"])
def test_an_index_above_one_is_refused_with_the_value_given(text: str) -> None:
    with pytest.raises(InvalidInput, match="di antara 0 dan 1") as refused:
        parse_index(text, "IDM")
    assert text in str(refused.value)


@pytest.mark.parametrize(("text", "year"), [("2015", 2015), ("2026", 2026), (" 2020 ", 2020)])
def test_a_year_from_2015_to_the_current_year_is_accepted(text: str, year: int) -> None:
    assert parse_year(text, 2026) == year


@pytest.mark.parametrize("text", ["26", "20266", "dua ribu", "", "2O26", "２０２６"])
def test_a_year_not_written_with_four_digits_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="4 angka"):
        parse_year(text, 2026)


@pytest.mark.parametrize("text", ["2014", "2027", "1999"])
def test_a_year_before_2015_or_in_the_future_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="antara 2015 dan 2026"):
        parse_year(text, 2026)


def test_a_tematik_reference_and_theme_name_are_tidied_and_bounded() -> None:
    assert clean_reference("  188/45/432.312/2026 ") == "188/45/432.312/2026"
    with pytest.raises(InvalidInput):
        clean_reference("SK")
    assert clean_reference("r" * 200) == "r" * 200
    with pytest.raises(InvalidInput):
        clean_reference("r" * 201)
    assert clean_tema_lainnya("  Kampung   Batik ") == "Kampung Batik"
    with pytest.raises(InvalidInput):
        clean_tema_lainnya("ab")
    with pytest.raises(InvalidInput):
        clean_tema_lainnya("t" * 101)


# --- registration: names, positions, invite tokens --------------------------------------------


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("  Moh.   Hasan  ", "Moh. Hasan"),
        ("Siti Nur'aini", "Siti Nur'aini"),
        ("Abd. Rahman, S.Sos", "Abd. Rahman, S.Sos"),
        ("Al-Farisi", "Al-Farisi"),
        ("Ani", "Ani"),
        ("Zulaikha\nBinti Ahmad", "Zulaikha Binti Ahmad"),
        ("a" * 100, "a" * 100),
    ],
)
def test_a_name_of_letters_and_punctuation_is_accepted_tidied(typed: str, name: str) -> None:
    assert clean_name(typed) == name


@pytest.mark.parametrize("typed", ["ab", "  ab  ", "a" * 101, ""])
def test_a_name_shorter_than_three_or_longer_than_a_hundred_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="3-100 karakter"):
        clean_name(typed)


@pytest.mark.parametrize("typed", ["Budi123", "Budi_S", "Budi 🙂", "...", "- - -", "Budi@desa"])
def test_a_name_with_digits_symbols_or_without_letters_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="hanya boleh berisi huruf"):
        clean_name(typed)


@pytest.mark.parametrize(
    ("typed", "jabatan"),
    [
        ("Kasi Trantib", "Kasi Trantib"),
        ("  Kaur   Umum ", "Kaur Umum"),
        ("Kasun 2", "Kasun 2"),
        ("Ka", "Ka"),
        ("j" * 100, "j" * 100),
    ],
)
def test_a_position_of_two_to_a_hundred_characters_is_accepted(typed: str, jabatan: str) -> None:
    assert clean_jabatan(typed) == jabatan


@pytest.mark.parametrize("typed", ["K", " ", "j" * 101])
def test_a_position_of_the_wrong_length_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="2-100 karakter"):
        clean_jabatan(typed)


@pytest.mark.parametrize("typed", ["12", "--", "123/45"])
def test_a_position_without_letters_is_refused_with_an_example(typed: str) -> None:
    with pytest.raises(InvalidInput, match="Kasi Trantib"):
        clean_jabatan(typed)


def test_an_invite_token_is_stored_as_its_sha256_hex() -> None:
    # FIPS 180-2 test vector for "abc".
    assert hash_token("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert hash_token("abd") != hash_token("abc")
    assert re.fullmatch(r"[0-9a-f]{64}", hash_token("inv-token_XYZ"))


@pytest.mark.parametrize("text", ["٠,٥", "0,٥", "١"])
def test_an_index_in_non_ascii_digits_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="IKS"):
        parse_index(text, "IKS")
