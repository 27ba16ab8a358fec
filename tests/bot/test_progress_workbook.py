"""The "Perkembangan Desa" sheet of the workbook: statuses and scores per desa and year,
the counts per status with a native stacked chart, and the desa closest to the next
status (official IDM gaps, Indeks Desa estimates labelled as such)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from openpyxl.chart import BarChart

from bot.runtime import Runtime
from domain.period import Period
from tests.bot.test_export_workbook import book_of, known_export, rows_of, table
from tests.domain.test_desa_progress import seed_results


def _sheet(runtime: Runtime, year: int):  # type: ignore[no-untyped-def]
    with runtime.uow() as uow:
        seed_results(uow)
        uow.commit()
    _, content = known_export(runtime, Period.year(year))
    return book_of(content)["Perkembangan Desa"]


def test_statuses_and_scores_per_desa_and_year(runtime: Runtime) -> None:
    sheet = _sheet(runtime, 2025)
    assert sheet["A1"].value == "Perkembangan Status Desa Kecamatan Larangan, 2022-2025"
    _, rows = table(sheet, "No")
    assert rows[0][:8] == [
        1,
        "35.28.08.2001",
        "Peltong",
        "Berkembang",
        "Maju",
        "Maju",
        "Mandiri",
        "naik (2024 Maju → 2025 Mandiri)",
    ]
    assert rows[1][3:7] == ["Berkembang", "-", "Tertinggal", "Berkembang"]
    assert rows[2][3:7] == ["-", "-", "Berkembang*", "Maju"]
    assert rows[5][3:8] == ["-", "-", "-", "-", "-"]  # Grujugan
    assert sheet.freeze_panes is not None
    scores = next(i for i, r in enumerate(rows) if r[0] == "No")
    assert rows[scores][3] == "Skor 2022"
    assert rows[scores + 1][:7] == [1, "35.28.08.2001", "Peltong", 0.7, 0.71, 0.8155, 85]


def test_counts_per_year_with_a_stacked_chart_of_five_statuses(runtime: Runtime) -> None:
    sheet = _sheet(runtime, 2025)
    rows = rows_of(sheet)
    counts = {r[1]: r[2:10] for r in rows if isinstance(r[1], str) and r[1].isdigit()}
    assert counts["2025"] == ["Indeks Desa", 1, 1, 1, 1, 1, 9, 14]
    assert counts["2024"] == ["IDM", 0, 1, 1, 1, 0, 11, 14]
    assert counts["2022"] == ["IDM", 0, 0, 2, 0, 0, 12, 14]
    charts = sheet._charts
    assert len(charts) == 1
    chart = charts[0]
    assert isinstance(chart, BarChart)
    assert chart.grouping == "stacked"
    assert len(chart.series) == 5


def test_closest_lists_every_desa_below_mandiri_with_its_basis(runtime: Runtime) -> None:
    sheet = _sheet(runtime, 2025)
    rows = rows_of(sheet)
    head = next(i for i, r in enumerate(rows) if r[:2] == ["No", "Nama Desa"])
    assert rows[head - 1][0] == "Terdekat ke status berikutnya (Indeks Desa 2025)"
    assert rows[head + 1][:8] == [
        1,
        "Tentenan Barat",
        "Tertinggal",
        60,
        "Berkembang",
        62.5,
        2.5,
        "perkiraan dari skor terbit (bukan angka resmi)",
    ]
    assert [r[1] for r in rows[head + 1 : head + 5]] == [
        "Tentenan Barat",
        "Blumbungan",
        "Tentenan Timur",
        "Trasak",
    ]
    notes = [r[0] for r in rows if isinstance(r[0], str) and r[0].startswith("Perkiraan")]
    assert notes
    assert "bukan angka resmi" in notes[0]


def test_an_idm_year_gives_the_official_gaps(runtime: Runtime) -> None:
    sheet = _sheet(runtime, 2024)
    rows = rows_of(sheet)
    head = next(i for i, r in enumerate(rows) if r[:2] == ["No", "Nama Desa"])
    assert rows[head + 1][:8] == [
        1,
        "Peltong",
        "Maju",
        0.8155,
        "Mandiri",
        0.8156,
        0.0001,
        "ambang resmi IDM",
    ]
    assert rows[head + 3][6] == 0.0073


def test_idm_sheet_says_the_index_the_published_status_its_source_and_the_dimensions(
    runtime: Runtime,
) -> None:
    with runtime.uow() as uow:
        _, desa = seed_results(uow)
        peltong = uow.idm.get(desa[0].id, 2025)
        assert peltong is not None
        dimensions = {"layanan_dasar": Decimal("91.5"), "tata_kelola_pemerintahan": Decimal("77")}
        uow.idm.upsert(replace(peltong, dimensions=dimensions))
        uow.commit()
    _, content = known_export(runtime, Period.year(2025))
    sheet = book_of(content)["IDM"]
    assert sheet["A1"].value == "Indeks Desa Kecamatan Larangan Tahun 2025 (IKU 1)"
    header_row, rows = table(sheet, "No")
    headers = [c.value for c in sheet[header_row]]
    assert headers[7:14] == [
        "Skor (IDM 0-1, Indeks Desa 0-100)",
        "Status (dihitung IKU 1)",
        "Indeks",
        "Status terbit",
        "Sumber status",
        "Ditandai",
        "Layanan Dasar",
    ]
    assert headers[-1] == "Tata Kelola Pemerintahan"
    assert rows[0][4:] == [
        "-",
        "-",
        "-",
        85,
        "Mandiri",
        "Indeks Desa",
        "Mandiri",
        "Kepmendes No. 343 Tahun 2025",
        None,
        91.5,
        "-",
        "-",
        "-",
        "-",
        77,
    ]
    assert sheet.cell(row=header_row + 1, column=8).number_format == "0.00##########"
    notes = [r[0] for r in rows_of(sheet)[:8] if isinstance(r[0], str)]
    assert any(n.startswith("Indeks Desa (sejak 2025") for n in notes)


def test_idm_sheet_flags_a_published_status_that_differs_from_the_score(
    runtime: Runtime,
) -> None:
    with runtime.uow() as uow:
        seed_results(uow)
        uow.commit()
    _, content = known_export(runtime, Period.year(2024))
    sheet = book_of(content)["IDM"]
    assert sheet["A1"].value == "Indeks Desa Membangun (IDM) Kecamatan Larangan Tahun 2024 (IKU 1)"
    _, rows = table(sheet, "No")
    trasak = rows[2]
    assert trasak[7:13] == [
        0.7,
        "Berkembang",
        "IDM",
        "Mandiri",
        "idm.json",
        "status terbit berbeda dengan status dari skor",
    ]
