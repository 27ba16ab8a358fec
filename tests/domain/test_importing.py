"""Importers: Kemendesa IDM JSON, IDM CSV and typed-in SKM sheets; all or nothing."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from domain.errors import ImportFailed, ImportProblem
from domain.idm import IdmStatus, next_status
from domain.importing import (
    MAX_PROBLEMS,
    Table,
    csv_table,
    parse_idm_csv,
    parse_kemendesa_json,
    parse_skm_rows,
)
from domain.skm import UNSUR

D = Decimal

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "idm-kemendesa-api"
SAMPLE_FILES = sorted(SAMPLES.glob("*.json"))
IDM_FIELD = "mapData.ROW[ROW_CELL=63].SKOR (IDM)"
ID_DESA_FIELD = "mapData.IDENTITAS[0].id_desa"
TAHUN_FIELD = "mapData.SUMMARIES.TAHUN"


def published(path: Path) -> dict[str, Any]:
    """A sample read independently of the importer, numbers as Decimal."""
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    return doc


def cell(doc: dict[str, Any], number: int) -> Any:
    return next(row["SKOR"] for row in doc["mapData"]["ROW"] if row["ROW_CELL"] == number)


def sample(name: str = "3511152001_2024.json") -> dict[str, Any]:
    """A sample as plain JSON values, to be changed and dumped again."""
    doc: dict[str, Any] = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    return doc


def set_cell(doc: dict[str, Any], number: int, value: object) -> None:
    for row in doc["mapData"]["ROW"]:
        if row["ROW_CELL"] == number:
            row["SKOR"] = value
            return
    raise AssertionError(f"no ROW_CELL {number}")


def drop_cell(doc: dict[str, Any], number: int) -> None:
    doc["mapData"]["ROW"] = [row for row in doc["mapData"]["ROW"] if row["ROW_CELL"] != number]


def kemendesa_text(
    *,
    kode: str = "3528040001",
    tahun: str = "2024",
    iks: str = "0.8155",
    ike: str = "0.8155",
    ikl: str = "0.8155",
    idm: str = "0.8155",
    status: str = "MAJU",
) -> str:
    """A minimal file of the Kemendesa format with the numbers written exactly as given."""
    rows = ", ".join(
        f'{{"ROW_CELL": {number}, "SKOR": {value}}}'
        for number, value in ((45, iks), (58, ike), (62, ikl), (63, idm))
    )
    return (
        '{"status": 200, "error": false, "mapData": {'
        f'"SUMMARIES": {{"SKOR_SAAT_INI": {idm}, "STATUS": "{status}", "TAHUN": {tahun}}}, '
        f'"ROW": [{rows}], '
        f'"IDENTITAS": [{{"id_desa": "{kode}", "nama_desa": "PELTONG"}}]}}}}'
    )


def import_problems(data: bytes | str, source: str = "berkas.json") -> list[ImportProblem]:
    with pytest.raises(ImportFailed) as info:
        parse_kemendesa_json(data, source)
    assert source in str(info.value)
    return info.value.problems


def csv_problems(text: str, source: str = "idm.csv") -> list[ImportProblem]:
    with pytest.raises(ImportFailed) as info:
        parse_idm_csv(text, source)
    assert all(problem.source == source for problem in info.value.problems)
    return info.value.problems


# --- Kemendesa JSON: the real samples ------------------------------------------------------


def test_the_real_kemendesa_samples_are_available() -> None:
    assert len(SAMPLE_FILES) >= 30, f"sampel IDM Kemendesa tidak ditemukan di {SAMPLES}"


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_a_real_kemendesa_file_is_imported_as_published(path: Path) -> None:
    doc = published(path)
    summaries = doc["mapData"]["SUMMARIES"]
    record = parse_kemendesa_json(path.read_bytes(), path.name)
    kode, tahun = path.stem.split("_")
    assert record.kode_desa == kode
    assert record.tahun == int(tahun) == summaries["TAHUN"]
    assert record.score == summaries["SKOR_SAAT_INI"] == cell(doc, 63)
    assert record.status is IdmStatus.from_label(summaries["STATUS"])
    assert record.status_published == summaries["STATUS"]
    assert record.iks is not None
    assert record.ike is not None
    assert record.ikl is not None
    assert (record.iks, record.ike, record.ikl) == (cell(doc, 45), cell(doc, 58), cell(doc, 62))
    assert record.nama_desa == doc["mapData"]["IDENTITAS"][0]["nama_desa"]
    assert record.source == path.name


@pytest.mark.parametrize(
    "path",
    [p for p in SAMPLE_FILES if published(p)["mapData"]["SUMMARIES"]["STATUS"] != "MANDIRI"],
    ids=lambda p: p.name,
)
def test_next_status_agrees_with_the_published_target_minimum_and_addition(path: Path) -> None:
    summaries = published(path)["mapData"]["SUMMARIES"]
    result = next_status(parse_kemendesa_json(path.read_bytes(), path.name).score)
    assert result.target is IdmStatus.from_label(summaries["TARGET_STATUS"])
    assert result.minimum_score == D(summaries["SKOR_MINIMAL"])
    assert abs(result.needed - summaries["PENAMBAHAN"]) < D("1e-12")


def test_a_known_sample_gives_its_published_figures() -> None:
    record = parse_kemendesa_json((SAMPLES / "3511152001_2024.json").read_text(), "x.json")
    assert record.kode_desa == "3511152001"
    assert record.tahun == 2024
    assert record.score == D("0.6552380952381")
    assert record.status is IdmStatus.BERKEMBANG
    assert (record.iks, record.ike, record.ikl) == (D("0.76571428571429"), D("0.6"), D("0.6"))
    assert record.nama_desa == "SOLOR"
    assert record.source == "x.json"


def test_a_sample_named_by_its_full_path_is_checked_against_its_file_name() -> None:
    path = SAMPLES / "1102042001_2023.json"
    record = parse_kemendesa_json(path.read_bytes(), str(path))
    assert (record.kode_desa, record.tahun, record.status) == (
        "1102042001",
        2023,
        IdmStatus.MANDIRI,
    )


# --- Kemendesa JSON: thresholds --------------------------------------------------------------


def test_an_imported_idm_equal_to_0_8155_is_maju() -> None:
    record = parse_kemendesa_json(kemendesa_text(), "a.json")
    assert record.status is IdmStatus.MAJU


def test_an_imported_idm_just_above_0_8155_is_mandiri() -> None:
    record = parse_kemendesa_json(kemendesa_text(idm="0.81550000000001"), "a.json")
    assert record.status is IdmStatus.MANDIRI
    assert record.score == D("0.81550000000001")


def test_the_imported_status_is_computed_and_the_published_one_only_kept() -> None:
    record = parse_kemendesa_json(kemendesa_text(status="MANDIRI"), "a.json")
    assert record.status is IdmStatus.MAJU
    assert record.status_published == "MANDIRI"


def test_the_idm_is_taken_from_skor_saat_ini_when_row_cell_63_is_missing() -> None:
    doc = sample()
    drop_cell(doc, 63)
    record = parse_kemendesa_json(json.dumps(doc), "a.json")
    assert record.score == D("0.6552380952381")


def test_a_year_written_as_text_is_accepted() -> None:
    record = parse_kemendesa_json(kemendesa_text(tahun='"2024"'), "a.json")
    assert record.tahun == 2024


# --- Kemendesa JSON: refused files ---------------------------------------------------------


def test_malformed_json_is_refused_naming_the_file() -> None:
    problems = import_problems(b'{"mapData": ', "rusak.json")
    assert len(problems) == 1
    assert problems[0].source == "rusak.json"
    assert "bukan JSON yang sah" in problems[0].message


def test_a_file_that_is_not_utf_8_is_refused() -> None:
    problems = import_problems(b'{"nama": "\xe9"}')
    assert "UTF-8" in problems[0].message


@pytest.mark.parametrize("text", ['{"status": 200}', "[]", '{"mapData": []}'])
def test_a_file_without_map_data_is_refused_naming_the_field(text: str) -> None:
    problems = import_problems(text)
    assert [p.field for p in problems] == ["mapData"]


def test_a_saved_server_error_is_refused() -> None:
    problems = import_problems('{"status": 500, "error": true, "mapData": {}}')
    assert [p.field for p in problems] == ["status"]


@pytest.mark.parametrize(
    ("number", "value", "field"),
    [
        (63, 1.5, IDM_FIELD),
        (63, -0.1, IDM_FIELD),
        (45, 1.2, "mapData.ROW[ROW_CELL=45].SKOR (IKS)"),
        (58, 2, "mapData.ROW[ROW_CELL=58].SKOR (IKE)"),
        (62, -1, "mapData.ROW[ROW_CELL=62].SKOR (IKL)"),
    ],
)
def test_a_score_outside_zero_to_one_is_refused_naming_its_field(
    number: int, value: float, field: str
) -> None:
    doc = sample()
    set_cell(doc, number, value)
    problems = import_problems(json.dumps(doc), "3511152001_2024.json")
    assert [p.field for p in problems] == [field]
    assert problems[0].source == "3511152001_2024.json"
    assert "antara 0 dan 1" in problems[0].message


def test_a_score_that_is_not_a_number_is_refused() -> None:
    doc = sample()
    set_cell(doc, 63, "tinggi")
    problems = import_problems(json.dumps(doc))
    assert [p.field for p in problems] == [IDM_FIELD]
    assert "bukan angka" in problems[0].message


def test_a_file_without_any_idm_score_is_refused() -> None:
    doc = sample()
    drop_cell(doc, 63)
    del doc["mapData"]["SUMMARIES"]["SKOR_SAAT_INI"]
    problems = import_problems(json.dumps(doc))
    assert [p.field for p in problems] == ["mapData.SUMMARIES.SKOR_SAAT_INI"]


def test_an_idm_that_is_not_the_mean_of_its_components_is_refused() -> None:
    problems = import_problems(kemendesa_text(idm="0.9"))
    assert [p.field for p in problems] == [IDM_FIELD]
    assert "rata-rata" in problems[0].message


@pytest.mark.parametrize("tahun", ["1999", "2101", '"dua ribu"', "null", "true"])
def test_a_year_outside_2000_to_2100_is_refused_naming_the_field(tahun: str) -> None:
    problems = import_problems(kemendesa_text(tahun=tahun))
    assert [p.field for p in problems] == [TAHUN_FIELD]


@pytest.mark.parametrize("kode", ["352804001", "35.28.08.2001", "35280400011", ""])
def test_a_desa_code_that_is_not_ten_digits_is_refused_naming_the_field(kode: str) -> None:
    problems = import_problems(kemendesa_text(kode=kode))
    assert [p.field for p in problems] == [ID_DESA_FIELD]


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    problems = import_problems(kemendesa_text(kode="123", tahun="1999", idm="1.5"))
    assert [p.field for p in problems] == [ID_DESA_FIELD, TAHUN_FIELD, IDM_FIELD]


@pytest.mark.parametrize(
    "name", ["3511152002_2024.json", "3511152001_2023.json", "dir/3511152001_2021.json"]
)
def test_a_file_name_that_disagrees_with_the_content_is_refused_naming_the_file(name: str) -> None:
    text = (SAMPLES / "3511152001_2024.json").read_text()
    problems = import_problems(text, name)
    assert len(problems) == 1
    assert problems[0].source == name
    assert "nama berkas menyebut" in problems[0].message
    assert "isinya desa 3511152001" in problems[0].message or "isinya tahun 2024" in (
        problems[0].message
    )


@pytest.mark.parametrize(
    ("name", "field"),
    [("3511152002_2024.json", ID_DESA_FIELD), ("3511152001_2023.json", TAHUN_FIELD)],
)
def test_a_file_name_that_disagrees_with_the_content_is_refused_naming_the_field(
    name: str, field: str
) -> None:
    text = (SAMPLES / "3511152001_2024.json").read_text()
    problems = import_problems(text, name)
    assert [p.field for p in problems] == [field]


def test_a_year_with_a_superscript_digit_is_refused_as_an_import_problem() -> None:
    problems = import_problems(kemendesa_text(tahun='"2024²"'))
    assert [p.field for p in problems] == [TAHUN_FIELD]


# --- IDM CSV -------------------------------------------------------------------------------


def test_a_csv_of_components_gives_the_exact_mean_and_its_status() -> None:
    records = parse_idm_csv(
        "kode_desa,tahun,iks,ike,ikl\n3528040001,2024,0.8,0.6,0.7\n3528040006,2024,1,0,0\n",
        "idm.csv",
    )
    assert [(r.kode_desa, r.tahun, r.line) for r in records] == [
        ("3528040001", 2024, 2),
        ("3528040006", 2024, 3),
    ]
    assert records[0].score == D("0.7")
    assert records[0].status is IdmStatus.BERKEMBANG
    assert (records[0].iks, records[0].ike, records[0].ikl) == (D("0.8"), D("0.6"), D("0.7"))
    assert records[1].score == D("0.33333333333333")
    assert records[1].status is IdmStatus.SANGAT_TERTINGGAL
    assert all(r.source == "idm.csv" for r in records)


def test_a_csv_of_idm_scores_only_is_accepted() -> None:
    records = parse_idm_csv("kode_desa,tahun,idm\n35.28.08.2001,2023,0.8155\n", "idm.csv")
    assert len(records) == 1
    assert records[0].kode_desa == "35.28.08.2001"
    assert records[0].score == D("0.8155")
    assert records[0].status is IdmStatus.MAJU
    assert records[0].iks is None


def test_a_csv_with_semicolons_and_decimal_commas_is_read() -> None:
    text = "\ufeffKODE_DESA;Tahun;IKS;IKE;IKL;IDM\n3528040001;2024;0,9;0,8;0,7;0,8\n"
    records = parse_idm_csv(text, "idm.csv")
    assert records[0].score == D("0.8")
    assert records[0].iks == D("0.9")


def test_a_csv_with_semicolons_and_only_idm_is_read() -> None:
    records = parse_idm_csv("kode_desa;tahun;idm\n3528040001;2024;0,81550000000001\n", "a.csv")
    assert records[0].status is IdmStatus.MANDIRI


def test_an_empty_idm_cell_is_allowed_beside_the_components() -> None:
    records = parse_idm_csv("kode_desa,tahun,iks,ike,ikl,idm\n3528040001,2024,1,1,1,\n", "a.csv")
    assert records[0].score == D(1)
    assert records[0].status is IdmStatus.MANDIRI


def test_an_idm_within_the_tolerance_of_the_mean_is_accepted() -> None:
    text = "kode_desa,tahun,iks,ike,ikl,idm\n3528040001,2024,0.8,0.6,0.7,0.70009\n"
    assert parse_idm_csv(text, "a.csv")[0].score == D("0.7")


def test_the_csv_status_is_read_from_the_unrounded_mean() -> None:
    text = "kode_desa,tahun,iks,ike,ikl\n3528040001,2024,0.81550000000001,0.8155,0.8155\n"
    record = parse_idm_csv(text, "a.csv")[0]
    assert record.score == D("0.8155")
    assert record.status is IdmStatus.MANDIRI


def test_a_csv_mean_of_two_thirds_is_stored_at_fourteen_places() -> None:
    record = parse_idm_csv("kode_desa,tahun,iks,ike,ikl\n3528040001,2024,1,1,0\n", "a.csv")[0]
    assert Fraction(record.score) != Fraction(2, 3)
    assert record.score == D("0.66666666666667")
    assert record.status is IdmStatus.BERKEMBANG


def test_an_idm_that_disagrees_with_the_mean_is_refused_naming_line_and_field() -> None:
    problems = csv_problems("kode_desa,tahun,iks,ike,ikl,idm\n3528040001,2024,0.8,0.6,0.7,0.71\n")
    assert [(p.line, p.field) for p in problems] == [(2, "idm")]
    assert "0.7000" in problems[0].message


def test_a_duplicated_desa_year_is_refused_naming_the_first_line() -> None:
    problems = csv_problems(
        "kode_desa,tahun,idm\n3528040001,2024,0.5\n3528040006,2024,0.6\n3528040001,2024,0.7\n"
    )
    assert [p.line for p in problems] == [4]
    assert "sudah ada di baris 2" in problems[0].message


def test_the_same_desa_in_two_years_is_not_a_duplicate() -> None:
    records = parse_idm_csv("kode_desa,tahun,idm\n3528040001,2023,0.5\n3528040001,2024,0.6\n", "")
    assert [r.tahun for r in records] == [2023, 2024]


def test_an_unknown_column_is_refused_naming_it() -> None:
    problems = csv_problems("kode_desa,tahun,idm,nama\n3528040001,2024,0.5,Peltong\n")
    assert [(p.line, p.field) for p in problems] == [(1, "nama")]


@pytest.mark.parametrize("missing", ["kode_desa", "tahun"])
def test_a_missing_required_column_is_refused_naming_it(missing: str) -> None:
    header = ",".join(name for name in ("kode_desa", "tahun", "idm") if name != missing)
    problems = csv_problems(f"{header}\n1,2\n")
    assert [(p.line, p.field) for p in problems] == [(1, missing)]


def test_a_csv_without_components_or_idm_is_refused() -> None:
    problems = csv_problems("kode_desa,tahun\n3528040001,2024\n")
    assert [p.line for p in problems] == [1]
    assert "iks, ike, ikl atau kolom idm" in problems[0].message


def test_a_csv_with_only_some_components_is_refused_naming_the_missing_ones() -> None:
    problems = csv_problems("kode_desa,tahun,iks,ike,idm\n3528040001,2024,0.5,0.5,0.5\n")
    assert [p.line for p in problems] == [1]
    assert "kurang: ikl" in problems[0].message


@pytest.mark.parametrize("bad", ["tinggi", "0.5.1", "NaN", "-", "1e"])
def test_text_where_a_number_should_be_is_refused_naming_line_and_field(bad: str) -> None:
    problems = csv_problems(f"kode_desa,tahun,iks,ike,ikl\n3528040001,2024,0.5,{bad},0.5\n")
    assert [(p.line, p.field) for p in problems] == [(2, "ike")]


@pytest.mark.parametrize("bad", ["1.01", "-0.1", "2"])
def test_a_csv_score_outside_zero_to_one_is_refused(bad: str) -> None:
    problems = csv_problems(f"kode_desa,tahun,idm\n3528040001,2024,{bad}\n")
    assert [(p.line, p.field) for p in problems] == [(2, "idm")]


@pytest.mark.parametrize("kode", ["352804001", "Peltong", "35.28.08.201", ""])
def test_a_bad_desa_code_is_refused_naming_line_and_field(kode: str) -> None:
    problems = csv_problems(f"kode_desa,tahun,idm\n{kode},2024,0.5\n")
    assert [(p.line, p.field) for p in problems] == [(2, "kode_desa")]


@pytest.mark.parametrize("tahun", ["1999", "2101", "24", "dua", ""])
def test_a_bad_year_is_refused_naming_line_and_field(tahun: str) -> None:
    problems = csv_problems(f"kode_desa,tahun,idm\n3528040001,{tahun},0.5\n")
    assert [(p.line, p.field) for p in problems] == [(2, "tahun")]


def test_a_csv_year_with_a_superscript_digit_is_refused_as_an_import_problem() -> None:
    problems = csv_problems("kode_desa,tahun,idm\n3528040001,2024²,0.5\n")
    assert [(p.line, p.field) for p in problems] == [(2, "tahun")]


def test_a_row_with_more_values_than_columns_is_refused() -> None:
    problems = csv_problems("kode_desa,tahun,idm\n3528040001,2024,0.5,extra\n")
    assert [p.line for p in problems] == [2]
    assert "melebihi judul" in problems[0].message


def test_an_empty_csv_and_a_csv_without_rows_are_refused() -> None:
    assert [p.line for p in csv_problems("")] == [1]
    assert [p.line for p in csv_problems("kode_desa,tahun,idm\n")] == [2]


def test_problems_on_several_lines_are_all_reported_and_nothing_is_returned() -> None:
    text = (
        "kode_desa,tahun,iks,ike,ikl\n"
        "3528040001,2024,0.5,0.5,0.5\n"
        "3528040006,2024,abc,0.5,0.5\n"
        "3528040002,1990,0.5,0.5,0.5\n"
        "3528040003,2024,0.5,0.5,1.5\n"
    )
    problems = csv_problems(text)
    assert [(p.line, p.field) for p in problems] == [(3, "iks"), (4, "tahun"), (5, "ikl")]


def test_the_import_failure_message_names_file_line_and_column() -> None:
    with pytest.raises(ImportFailed) as info:
        parse_idm_csv("kode_desa,tahun,idm\n3528040001,2024,abc\n", "idm-2024.csv")
    message = str(info.value)
    assert message.startswith("Impor dibatalkan, tidak ada data yang disimpan:")
    assert "idm-2024.csv, baris 2, kolom/isian idm: harus angka 0-1" in message


def test_at_most_max_problems_are_kept_and_twenty_are_shown() -> None:
    rows = "".join(f"3528040001,x{n},0.5\n" for n in range(150))
    problems = csv_problems("kode_desa,tahun,idm\n" + rows)
    assert len(problems) == MAX_PROBLEMS
    with pytest.raises(ImportFailed) as info:
        parse_idm_csv("kode_desa,tahun,idm\n" + rows, "idm.csv")
    assert f"... dan {MAX_PROBLEMS - 20} masalah lain" in str(info.value)


# --- csv_table -----------------------------------------------------------------------------


def test_csv_table_lowercases_the_header_and_numbers_lines_from_the_header() -> None:
    table = csv_table("\ufeffA;B\n1;2\n\n3;4\n")
    assert table.header == ["a", "b"]
    assert table.rows == [(2, {"a": "1", "b": "2"}), (4, {"a": "3", "b": "4"})]
    assert table.overflow == frozenset()


def test_csv_table_fills_short_rows_and_marks_long_ones() -> None:
    table = csv_table("a,b\n1\n1,2,3\n1,2,\n")
    assert table.rows[0] == (2, {"a": "1", "b": ""})
    assert table.overflow == frozenset({3})


def test_csv_table_guesses_the_delimiter_from_the_header_after_blank_lines() -> None:
    table = csv_table("\nkode_desa;tahun;idm\n3528040001;2024;0,5\n")
    assert table.header == ["kode_desa", "tahun", "idm"]


# --- SKM sheets ----------------------------------------------------------------------------

TODAY = date(2025, 6, 30)
SKM_PROFILE = ["layanan", "jenis_kelamin", "usia", "pendidikan", "pekerjaan", "saran"]
SKM_HEADER = ["tanggal", *UNSUR, *SKM_PROFILE]


def skm_line(
    tanggal: str = "2025-06-01", scores: str = "4,3,3,4,3,4,4,3,4", profile: str = ",,,,,"
) -> str:
    return f"{tanggal},{scores},{profile}"


def skm_sheet(*lines: str) -> Table:
    return csv_table("\n".join([",".join(SKM_HEADER), *lines]) + "\n")


def skm_problems(table: Table, source: str = "skm.csv") -> list[ImportProblem]:
    with pytest.raises(ImportFailed) as info:
        parse_skm_rows(table, source, today=TODAY)
    assert all(problem.source == source for problem in info.value.problems)
    return info.value.problems


def test_a_good_skm_sheet_is_read_with_its_profile() -> None:
    table = skm_sheet(
        skm_line(profile="KTP  elektronik,laki-laki,34,s1,pns, Cepat sekali "),
        skm_line(tanggal="2025-06-30", scores="1,2,3,4,1,2,3,4,1", profile="KK,P,15,SMA,,"),
    )
    rows = parse_skm_rows(table, "skm.csv", today=TODAY)
    assert [row.line for row in rows] == [2, 3]
    first, second = rows
    assert first.survey_date == date(2025, 6, 1)
    assert first.answers == dict(zip(UNSUR, (4, 3, 3, 4, 3, 4, 4, 3, 4), strict=True))
    assert first.layanan == "KTP elektronik"
    assert first.jenis_kelamin == "L"
    assert first.usia == 34
    assert first.pendidikan == "S1"
    assert first.pekerjaan == "PNS"
    assert first.saran == "Cepat sekali"
    assert second.survey_date == TODAY
    assert second.jenis_kelamin == "P"
    assert second.pekerjaan is None
    assert second.saran is None


def test_a_sheet_with_only_the_required_columns_is_read() -> None:
    text = ",".join(["tanggal", *UNSUR]) + "\n2025-01-02," + ",".join("4" * 9) + "\n"
    rows = parse_skm_rows(csv_table(text), "skm.csv", today=TODAY)
    assert rows[0].answers == dict.fromkeys(UNSUR, 4)
    assert rows[0].usia is None


def test_values_from_a_spreadsheet_are_accepted() -> None:
    header = ["tanggal", *UNSUR, "usia"]
    values: list[object] = [datetime(2025, 3, 4, 10, 30), 4.0, 3, "2", 1, 4, 4, 4, 4, None, 40.0]
    table = Table(header, [(2, dict(zip(header, values, strict=True)))])
    row = parse_skm_rows(table, "skm.xlsx", today=TODAY)[0]
    assert row.survey_date == date(2025, 3, 4)
    assert row.answers["persyaratan"] == 4
    assert row.answers["waktu"] == 2
    assert row.answers["sarana"] is None
    assert row.usia == 40


def test_a_survey_date_after_today_is_refused() -> None:
    problems = skm_problems(skm_sheet(skm_line(tanggal="2025-07-01")))
    assert [(p.line, p.field) for p in problems] == [(2, "tanggal")]
    assert "belum terjadi" in problems[0].message


@pytest.mark.parametrize("tanggal", ["01/06/2025", "2025-6-1", "2025-02-30", "kemarin", ""])
def test_a_survey_date_not_in_yyyy_mm_dd_is_refused(tanggal: str) -> None:
    problems = skm_problems(skm_sheet(skm_line(tanggal=tanggal)))
    assert [(p.line, p.field) for p in problems] == [(2, "tanggal")]
    assert "YYYY-MM-DD" in problems[0].message


@pytest.mark.parametrize("bad", ["5", "0", "3.5", "sangat", "-1"])
def test_a_score_other_than_one_to_four_is_refused_naming_the_unsur(bad: str) -> None:
    problems = skm_problems(skm_sheet(skm_line(scores=f"4,3,{bad},4,3,4,4,3,4")))
    assert [(p.line, p.field) for p in problems] == [(2, "waktu")]


def test_a_whole_number_written_with_a_decimal_is_accepted() -> None:
    rows = parse_skm_rows(skm_sheet(skm_line(scores="4.0,3,3,4,3,4,4,3,4")), "skm.csv", today=TODAY)
    assert rows[0].answers["persyaratan"] == 4


def test_an_empty_unsur_is_read_as_unanswered() -> None:
    rows = parse_skm_rows(skm_sheet(skm_line(scores="4,,3,4,3,4,4,3, ")), "skm.csv", today=TODAY)
    assert rows[0].answers["prosedur"] is None
    assert rows[0].answers["sarana"] is None
    assert rows[0].answers["waktu"] == 3


def test_a_row_with_every_unsur_empty_is_refused() -> None:
    problems = skm_problems(skm_sheet(skm_line(scores=",,,,,,,,", profile="KTP,L,30,,,")))
    assert [(p.line, p.field) for p in problems] == [(2, None)]
    assert "tidak ada satu pun unsur" in problems[0].message


@pytest.mark.parametrize("usia", ["14", "101", "0", "tiga puluh", "30.5", "-20"])
def test_an_age_outside_15_to_100_is_refused(usia: str) -> None:
    problems = skm_problems(skm_sheet(skm_line(profile=f",,{usia},,,")))
    assert [(p.line, p.field) for p in problems] == [(2, "usia")]


@pytest.mark.parametrize("usia", [15, 100])
def test_the_ages_15_and_100_are_accepted(usia: int) -> None:
    rows = parse_skm_rows(skm_sheet(skm_line(profile=f",,{usia},,,")), "skm.csv", today=TODAY)
    assert rows[0].usia == usia


@pytest.mark.parametrize(
    ("field", "profile"), [("pendidikan", ",,,SMK,,"), ("pekerjaan", ",,,,Tani,")]
)
def test_an_unknown_profile_choice_is_refused_naming_the_field(field: str, profile: str) -> None:
    problems = skm_problems(skm_sheet(skm_line(profile=profile)))
    assert [(p.line, p.field) for p in problems] == [(2, field)]


def test_a_gender_other_than_l_or_p_is_refused() -> None:
    problems = skm_problems(skm_sheet(skm_line(profile=",X,,,,")))
    assert [(p.line, p.field) for p in problems] == [(2, "jenis_kelamin")]


def test_a_suggestion_longer_than_1000_characters_is_refused() -> None:
    problems = skm_problems(skm_sheet(skm_line(profile=",,,,," + "a" * 1001)))
    assert [(p.line, p.field) for p in problems] == [(2, "saran")]


def test_a_missing_unsur_column_and_an_unknown_column_are_refused_on_line_one() -> None:
    header = ["tanggal", *UNSUR[:-1], "kepuasan"]
    problems = skm_problems(csv_table(",".join(header) + "\n2025-01-01,4,4,4,4,4,4,4,4,4\n"))
    assert [(p.line, p.field) for p in problems] == [(1, "sarana"), (1, "kepuasan")]


def test_an_empty_sheet_and_a_sheet_without_rows_are_refused() -> None:
    assert [p.line for p in skm_problems(csv_table(""))] == [1]
    assert [p.line for p in skm_problems(skm_sheet())] == [2]


def test_a_row_with_more_values_than_columns_is_refused_in_an_skm_sheet() -> None:
    problems = skm_problems(skm_sheet(skm_line(profile=",,,,,,lebih")))
    assert [p.line for p in problems] == [2]


def test_problems_on_several_skm_lines_are_all_reported_and_nothing_is_kept() -> None:
    table = skm_sheet(
        skm_line(),
        skm_line(scores="5,3,3,4,3,4,4,3,4"),
        skm_line(),
        skm_line(tanggal="2025-13-01", profile=",,12,,,"),
        skm_line(scores="4,3,3,4,3,4,4,3,x"),
    )
    problems = skm_problems(table)
    assert [(p.line, p.field) for p in problems] == [
        (3, "persyaratan"),
        (5, "tanggal"),
        (5, "usia"),
        (6, "sarana"),
    ]
