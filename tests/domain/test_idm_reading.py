"""IDM files read row by row: every desa-year named, every problem kept (no raising)."""

from __future__ import annotations

from decimal import Decimal

from domain.importing import (
    MAX_PROBLEMS,
    IdmRow,
    Table,
    csv_table,
    read_idm_table,
    read_kemendesa_json,
)
from tests.domain.test_importing import kemendesa_text


def test_a_row_with_a_bad_value_still_names_its_desa_and_year() -> None:
    parsed = read_idm_table(
        csv_table("kode_desa,tahun,idm\n3528040001,2026,abc\n3528040002,2026,0.7\nx,2026,0.5\n"),
        "a.csv",
    )
    assert [r.kode_desa for r in parsed.records] == ["3528040002"]
    assert parsed.rows == [
        IdmRow("a.csv", "3528040001", 2026, 2),
        IdmRow("a.csv", "3528040002", 2026, 3),
    ]
    assert [(p.line, p.field) for p in parsed.problems] == [(2, "idm"), (4, "kode_desa")]


def test_an_unknown_column_does_not_stop_the_rows_but_a_missing_one_does() -> None:
    unknown = read_idm_table(csv_table("kode_desa,tahun,idm,nama\n3528040001,2026,x,P\n"), "a")
    assert [(p.line, p.field) for p in unknown.problems] == [(1, "nama"), (2, "idm")]
    missing = read_idm_table(csv_table("kode_desa,idm\n3528040001,0.5\n"), "a")
    assert [(p.line, p.field) for p in missing.problems] == [(1, "tahun")]
    assert missing.rows == []


def test_spreadsheet_numbers_are_read_as_typed() -> None:
    table = Table(
        ["kode_desa", "tahun", "iks", "ike", "ikl"],
        [(2, {"kode_desa": 3528040001, "tahun": 2026.0, "iks": 0.9, "ike": 1, "ikl": 0.8})],
    )
    [record] = read_idm_table(table, "a.xlsx").records
    assert (record.kode_desa, record.tahun, record.iks, record.ike) == (
        "3528040001",
        2026,
        Decimal("0.9"),
        Decimal("1"),
    )


def test_a_kemendesa_file_with_a_bad_score_still_names_its_desa_and_year() -> None:
    parsed = read_kemendesa_json(kemendesa_text(ike="1.5"), "a.json")
    assert parsed.records == []
    assert parsed.rows == [IdmRow("a.json", "3528040001", 2024)]
    assert len(parsed.problems) == 1
    broken = read_kemendesa_json("{", "b.json")
    assert (broken.records, broken.rows, len(broken.problems)) == ([], [], 1)


def test_problems_beyond_the_limit_are_said_not_dropped() -> None:
    rows = "".join(f"3528040001,x{n},0.5\n" for n in range(150))
    problems = read_idm_table(csv_table("kode_desa,tahun,idm\n" + rows), "a.csv").problems
    assert len(problems) == MAX_PROBLEMS
    assert problems[-1].message == f"lebih dari {MAX_PROBLEMS} masalah; yang lain tidak dicantumkan"
    assert problems[-2].line == MAX_PROBLEMS  # line 100: the 99th row
