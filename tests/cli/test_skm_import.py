"""SKM services and typed-in questionnaires (CSV and XLSX) through the CLI."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from domain.skm import UNSUR
from domain.survey import SurveyAnswers, submit_survey
from storage.engine import make_engine, make_session_factory
from storage.uow import SqlUnitOfWork
from tests.cli.conftest import CliRunner, write_csv
from tests.cli.test_cli import indicator, worked_rows

# These tests register their own services: Larangan is seeded beforehand as an office
# with its own services, so that the CLI's start adds no example services.
pytestmark = pytest.mark.usefixtures("larangan")


HEADER = ["tanggal", *UNSUR, "layanan", "jenis_kelamin", "usia", "pendidikan", "pekerjaan", "saran"]


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    """A one-sheet workbook as an office clerk would type it."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_layanan_add_and_list(cli: CliRunner) -> None:
    added = cli("layanan", "add", "KTP", "Rekomendasi  KTP-el", "--populasi", "300")
    assert added.code == 0, added.err
    listed = cli("layanan", "list")
    assert "ktp" in listed.out
    assert "Rekomendasi KTP-el" in listed.out
    assert "populasi 300" in listed.out


def test_layanan_add_refuses_a_duplicate_and_a_bad_code(cli: CliRunner) -> None:
    assert cli("layanan", "add", "ktp", "Rekomendasi KTP-el").code == 0
    again = cli("layanan", "add", "ktp", "Layanan lain")
    assert again.code == 1
    assert "sudah terdaftar" in again.err
    same_name = cli("layanan", "add", "ktp2", "rekomendasi ktp-el")
    assert same_name.code == 1
    assert "sudah terdaftar" in same_name.err
    bad = cli("layanan", "add", "KTP el!", "Rekomendasi")
    assert bad.code == 1
    assert "Kode layanan" in bad.err
    zero = cli("layanan", "add", "kk", "Kartu Keluarga", "--populasi", "0")
    assert zero.code == 1
    assert "Populasi" in zero.err
    assert "kk" not in cli("layanan", "list").out


def test_an_xlsx_sheet_with_services_and_profile_is_imported(cli: CliRunner, cli_env: Path) -> None:
    assert cli("layanan", "add", "ktp", "Rekomendasi KTP-el", "--populasi", "100").code == 0
    assert cli("layanan", "add", "kk", "Kartu Keluarga").code == 0
    rows: list[list[object]] = []
    for i, base in enumerate(worked_rows()):
        layanan = "ktp" if i < 20 else "Kartu keluarga"
        day: object = datetime(2026, 3, 10) if i % 2 else "2026-03-10"
        rows.append([day, *base[1:], layanan, "P" if i % 2 else "l", 30 + i, "SMA", "Swasta", None])
    path = write_xlsx(cli_env / "kuesioner.xlsx", HEADER, rows)
    imported = cli("import-skm", str(path))
    assert imported.code == 0, imported.err
    assert "29 responden" in imported.out
    report = cli("report", "--year", "2026", "--format", "json").json()
    skm = indicator(report, "skm")
    assert skm["realisasi"] == 91.48
    detail = skm["detail"]
    assert isinstance(detail, dict)
    services = {s["kode"]: s for s in detail["services"]}
    assert services["ktp"]["respondents"] == 20
    assert services["ktp"]["min_sample"] == 80  # Krejcie-Morgan, N = 100
    assert services["ktp"]["sample_sufficient"] is False
    assert services["kk"]["respondents"] == 9
    assert services["kk"]["min_sample"] is None
    assert detail["population"] == 100
    assert detail["min_sample"] == 80


def test_an_unknown_service_in_the_sheet_stores_nothing(cli: CliRunner, cli_env: Path) -> None:
    assert cli("layanan", "add", "ktp", "Rekomendasi KTP-el").code == 0
    rows = [[*r, "ktp", None, None, None, None, None] for r in worked_rows()]
    rows[10][10] = "akta"
    path = write_csv(cli_env / "skm.csv", HEADER, rows)
    result = cli("import-skm", str(path))
    assert result.code == 1
    assert "skm.csv, baris 12, kolom/isian layanan" in result.err
    assert "'akta' belum terdaftar" in result.err
    report = cli("report", "--year", "2026", "--format", "json").json()
    assert indicator(report, "skm")["detail"]["respondents"] == 0  # type: ignore[index]


def test_profile_values_are_checked_line_by_line(cli: CliRunner, cli_env: Path) -> None:
    rows: list[list[object]] = [[*r, None, "L", 40, "SMA", "PNS", "Bagus"] for r in worked_rows()]
    rows[0][11] = "X"  # jenis_kelamin
    rows[1][12] = 9  # usia
    rows[2][13] = "SD kelas 3"  # pendidikan
    rows[3][14] = "Pedagang sayur"  # pekerjaan (Petani, Nelayan, Ibu rumah tangga are answers)
    path = write_csv(cli_env / "skm.csv", HEADER, rows, sep=";")
    result = cli("import-skm", str(path))
    assert result.code == 1
    for expected in (
        "baris 2, kolom/isian jenis_kelamin",
        "baris 3, kolom/isian usia",
        "baris 4, kolom/isian pendidikan",
        "baris 5, kolom/isian pekerjaan",
    ):
        assert expected in result.err
    assert cli("report", "--format", "json").json()["indicators"][4]["detail"]["respondents"] == 0


def test_a_future_survey_date_is_refused(cli: CliRunner, cli_env: Path) -> None:
    rows = worked_rows(day=date(2099, 1, 1).isoformat())
    path = write_csv(cli_env / "skm.csv", ["tanggal", *UNSUR], rows[:1])
    result = cli("import-skm", str(path))
    assert result.code == 1
    assert "belum terjadi" in result.err


def test_a_sheet_without_the_required_columns_is_refused(cli: CliRunner, cli_env: Path) -> None:
    path = write_csv(cli_env / "skm.csv", ["tanggal", *UNSUR[:-1], "nilai"], [["2026-01-02"] * 10])
    result = cli("import-skm", str(path))
    assert result.code == 1
    assert "baris 1, kolom/isian sarana: kolom wajib tidak ada" in result.err
    assert "kolom/isian nilai: kolom tidak dikenal" in result.err


def test_files_that_are_not_sheets_get_a_precise_message(cli: CliRunner, cli_env: Path) -> None:
    broken = cli_env / "rusak.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    result = cli("import-skm", str(broken))
    assert result.code == 1
    assert "rusak.xlsx" in result.err
    assert "XLSX rusak" in result.err
    latin = cli_env / "latin1.csv"
    latin.write_bytes(
        ("tanggal;" + ";".join(UNSUR) + ";saran\n").encode()
        + b"2026-01-02;"
        + b"4;" * 9
        + b"caf\xe9\n"
    )
    result = cli("import-skm", str(latin))
    assert result.code == 1
    assert "latin1.csv" in result.err
    assert "UTF-8" in result.err
    other = cli_env / "data.ods"
    other.write_bytes(b"x")
    result = cli("import-skm", str(other))
    assert result.code == 1
    assert "tidak didukung" in result.err
    missing = cli("import-skm", str(cli_env / "tidak-ada.csv"))
    assert missing.code == 1
    assert "tidak ditemukan" in missing.err


def test_layanan_update_changes_name_population_and_state(cli: CliRunner, cli_env: Path) -> None:
    assert cli("layanan", "add", "ktp", "Rekomendasi KTP-el").code == 0
    assert cli("layanan", "add", "kk", "Kartu Keluarga", "--populasi", "50").code == 0
    changed = cli("layanan", "update", "KTP", "--nama", "KTP elektronik", "--populasi", "220")
    assert changed.code == 0, changed.err
    assert "KTP elektronik, populasi 220, aktif" in changed.out
    clash = cli("layanan", "update", "ktp", "--nama", "kartu keluarga")
    assert clash.code == 1
    assert "sudah terdaftar" in clash.err
    unknown = cli("layanan", "update", "akta", "--populasi", "10")
    assert unknown.code == 1
    assert "akta belum terdaftar" in unknown.err
    assert cli("layanan", "update", "kk", "--nonaktif").code == 0
    listed = cli("layanan", "list").out
    assert "KTP elektronik" in listed
    assert "populasi 220" in listed
    assert "(nonaktif)" in listed
    # A retired service without answers in the period leaves the report; its population too.
    path = write_csv(cli_env / "skm.csv", HEADER, [[*r, "ktp"] + [None] * 5 for r in worked_rows()])
    assert cli("import-skm", str(path)).code == 0
    detail = cli("report", "--year", "2026", "--format", "json").json()["indicators"][4]["detail"]
    assert [s["kode"] for s in detail["services"]] == ["ktp"]
    assert detail["population"] == 220
    assert detail["min_sample"] == 140


def test_skm_flush_writes_the_waiting_chat_answers(cli: CliRunner, database_url: str) -> None:
    assert cli("layanan", "add", "ktp", "Rekomendasi KTP-el").code == 0
    assert cli("skm", "flush").out.strip() == "Tidak ada jawaban SKM yang menunggu."
    engine = make_engine(database_url)
    try:
        with SqlUnitOfWork(make_session_factory(engine)) as uow:
            kec = uow.kecamatan.get_by_code("35.28.08")
            assert kec is not None
            (service,) = uow.skm.list_services(kec.id)
            for person in (812_001, 812_002):
                submit_survey(
                    uow,
                    kecamatan_id=kec.id,
                    telegram_id=person,
                    survey=SurveyAnswers(
                        service_id=service.id,
                        jenis_kelamin="L",
                        usia=30,
                        pendidikan="SMA",
                        pekerjaan="Wirausaha",
                        answers=dict.fromkeys(UNSUR, 3),
                        saran=None,
                    ),
                    secret=b"kunci",
                    now=datetime(2026, 3, 5, 10, tzinfo=UTC),
                )
            uow.commit()
            assert uow.skm.pool_sizes() == {kec.id: 2}
        result = cli("skm", "flush")
        assert (result.code, result.out.strip()) == (0, "2 jawaban SKM ditulis dalam urutan acak.")
        with SqlUnitOfWork(make_session_factory(engine)) as uow:
            assert uow.skm.pool_sizes() == {}
            assert uow.skm.count_responses(service.id) == 2
    finally:
        engine.dispose()
