"""``iku-bot report --kabupaten``: two kecamatan of Pamekasan side by side, in each format.

The data, semester 1 of 2026:
- IDM 2026: Peltong (Larangan) 0,8156 mandiri, Blumbungan (Larangan) 0,8155 maju (the
  threshold itself), Murtajih (Pademawu) 0,9 mandiri: desa mandiri 1 + 1 = 2 of 16 desa.
- Konflik: Larangan 3 events, 1 handled (33,33%); Pademawu 1 event, handled (100%).
  Kabupaten: (1 + 1) / (3 + 1) = 2/4 = 50,00% (not the mean 66,67% of the percentages).
- Trantibum: Larangan none ("tidak ada kejadian"); Pademawu 2 events, 1 handled: 50,00%.
  Kabupaten: 1/2 = 50,00%.
- SKM: Larangan the worked 29 respondents (unsur totals sum 955, NIK 91,48); Pademawu 10
  respondents answering 4 on every unsur (NIK 100). Pooled: each unsur's NRR is
  (T_i + 40) / 39, so IKM = (955 + 360) / (39 x 9) = 1315/351 and NIK = 25 x 1315/351 =
  93,6609... -> 93,66 (not the mean 95,74 of the two NIKs).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.config import load_settings
from bot.runtime import open_runtime
from domain.models import IncidentKind, IncidentStatus, Role
from domain.skm import UNSUR
from tests.cli.conftest import CliRunner, write_csv
from tests.cli.test_cli import worked_rows
from tests.factories import add_user, make_incident

KABUPATEN_FILE = (
    Path(__file__).resolve().parents[1] / "data" / "kabupaten" / ("pamekasan-2-kecamatan.json")
)


def _incidents() -> None:
    """Konflik and trantibum of both kecamatan, as the module docstring lists them."""
    runtime = open_runtime(load_settings(), prepare=False)
    try:
        with runtime.uow() as uow:
            larangan = uow.kecamatan.get_by_code("35.28.08")
            pademawu = uow.kecamatan.get_by_code("35.28.09")
            assert larangan is not None
            assert pademawu is not None
            lar = uow.desa.list_by_kecamatan(larangan.id)
            pad = uow.desa.list_by_kecamatan(pademawu.id)
            staf = add_user(uow, Role.STAF_SEKSI, kecamatan_id=larangan.id)
            plan = [
                (lar[0], IncidentKind.KONFLIK, True),
                (lar[1], IncidentKind.KONFLIK, False),
                (lar[2], IncidentKind.KONFLIK, False),
                (pad[0], IncidentKind.KONFLIK, True),
                (pad[0], IncidentKind.TRANTIBUM, True),
                (pad[1], IncidentKind.TRANTIBUM, False),
            ]
            for desa, kind, handled in plan:
                incident = uow.incidents.add(make_incident(desa, kind=kind))
                if handled:
                    uow.incidents.change_status(
                        incident.id,
                        to_status=IncidentStatus.TERTANGANI,
                        note="Selesai",
                        user_id=staf.id,
                        at=datetime(2026, 3, 5, 3, tzinfo=UTC),
                        expected_version=incident.version,
                    )
            uow.commit()
    finally:
        runtime.close()


def _prepare(cli: CliRunner, cli_env: Path) -> None:
    assert cli("db", "seed", str(KABUPATEN_FILE)).code == 0
    idm = write_csv(
        cli_env / "idm.csv",
        ["kode_desa", "tahun", "idm"],
        [["3528040001", 2026, "0.8156"], ["3528040006", 2026, "0.8155"]],
    )
    assert cli("import-idm", str(idm)).code == 0
    idm_p = write_csv(
        cli_env / "idm-p.csv",
        ["kode_desa", "tahun", "idm"],
        [["3528050001", 2026, "0.9"], ["3528050002", 2026, "0.5"]],
    )
    imported = cli("import-idm", "--kecamatan", "35.28.09", str(idm_p))
    assert imported.code == 0, imported.err
    skm_l = write_csv(cli_env / "skm-l.csv", ["tanggal", *UNSUR], worked_rows())
    assert cli("import-skm", str(skm_l)).code == 0
    skm_p = write_csv(cli_env / "skm-p.csv", ["tanggal", *UNSUR], [["2026-03-11", *[4] * 9]] * 10)
    imported = cli("import-skm", "--kecamatan", "35.28.09", str(skm_p))
    assert imported.code == 0, imported.err
    _incidents()


ARGS = ("report", "--kabupaten", "35.28", "--year", "2026", "--semester", "1")


def _by_code(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["code"]: item for item in items}


def test_kabupaten_json_has_each_kecamatan_as_its_report_and_exact_totals(
    cli: CliRunner, cli_env: Path
) -> None:
    _prepare(cli, cli_env)
    result = cli(*ARGS, "--format", "json")
    assert result.code == 0, result.err
    recap = result.json()
    assert recap["kabupaten"] == {"kode": "35.28", "nama": "Pamekasan"}
    assert recap["periode"]["mulai"] == "2026-01-01"
    assert [k["nama"] for k in recap["kecamatan"]] == ["Larangan", "Pademawu"]
    larangan = cli("report", "--year", "2026", "--semester", "1", "--format", "json").json()
    assert recap["kecamatan"][0]["indicators"] == larangan["indicators"]
    pademawu = _by_code(recap["kecamatan"][1]["indicators"])
    assert pademawu["skm"]["realisasi"] == 100
    assert pademawu["konflik_tertangani"]["realisasi"] == 100
    total = _by_code(recap["total"]["indicators"])
    assert total["desa_mandiri"]["realisasi"] == 2
    assert total["desa_mandiri"]["detail"] == {"desa": 16, "desa_dengan_data": 4}
    assert total["desa_tematik"]["realisasi"] == 0
    assert total["konflik_tertangani"]["realisasi"] == 50
    assert total["konflik_tertangani"]["detail"]["total"] == 4
    assert total["trantibum_tertangani"]["realisasi"] == 50
    assert total["skm"]["realisasi"] == 93.66
    assert total["skm"]["detail"]["respondents"] == 39


def test_kabupaten_table_puts_the_kecamatan_side_by_side(cli: CliRunner, cli_env: Path) -> None:
    _prepare(cli, cli_env)
    result = cli(*ARGS)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "Rekap IKU Kabupaten Pamekasan (kode 35.28)"
    larangan = next(line for line in lines if "Larangan" in line).split()
    assert larangan[:5] == ["1", "Larangan", "35.28.08", "14", "1"]
    assert larangan[6:8] == ["1/3", "33,33"]
    assert larangan[-2:] == ["29", "91,48"]
    total = next(line for line in lines if line.startswith(" ") and "Kabupaten" in line)
    cells = total.split()
    assert cells[-9:] == ["16", "2", "0", "2/4", "50,00", "1/2", "50,00", "39", "93,66"]


def test_kabupaten_xlsx_is_one_printable_sheet_with_the_totals_row(
    cli: CliRunner, cli_env: Path
) -> None:
    _prepare(cli, cli_env)
    out = cli_env / "rekap.xlsx"
    result = cli(*ARGS, "--format", "xlsx", "--output", str(out))
    assert result.code == 0, result.err
    assert "ditulis ke" in result.out
    book = load_workbook(out)
    assert book.sheetnames == ["Rekap Kabupaten"]
    sheet = book["Rekap Kabupaten"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_row=7)]
    assert rows[0][1:8] == ["Larangan", "35.28.08", 14, 1, 0, "1/3", 33.33]
    assert rows[0][8:] == ["tidak ada kejadian", "tidak ada kejadian", 29, 91.48]
    assert rows[1][1:] == ["Pademawu", "35.28.09", 2, 1, 0, "1/1", 100, "1/2", 50, 10, 100]
    assert rows[2][1:] == ["Kabupaten", "35.28", 16, 2, 0, "2/4", 50, "1/2", 50, 39, 93.66]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$4:$4"
    # Audited like the other exports: one entry per kecamatan shown.
    runtime = open_runtime(load_settings(), prepare=False)
    try:
        with runtime.uow() as uow:
            entries = [e for e in uow.audit.entries() if e.entity == "rekap_kabupaten"]
    finally:
        runtime.close()
    assert sorted(str(e.entity_id) for e in entries) == [
        "35.28.08/2026-01-01/2026-06-30",
        "35.28.09/2026-01-01/2026-06-30",
    ]
    assert {e.detail["bentuk"] for e in entries if e.detail} == {"xlsx"}


def test_an_unknown_kabupaten_is_refused_in_indonesian(
    cli: CliRunner, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli("report", "--kabupaten", "35.99", "--year", "2026")
    assert result.code == 1
    assert "Kabupaten dengan kode 35.99 belum punya kecamatan terdaftar" in result.err
    with pytest.raises(SystemExit) as stopped:
        cli("report", "--kabupaten", "pamekasan", "--year", "2026")
    assert stopped.value.code == 2
    assert "kode kabupaten harus berbentuk 35.28" in capsys.readouterr().err
