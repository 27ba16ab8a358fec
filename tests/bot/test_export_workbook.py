"""The full Excel report: every sheet re-read with openpyxl and checked against hand figures.

The data of :func:`seed_known_year` is small enough to check by hand (see its
docstring); every test runs on SQLite and PostgreSQL (the ``runtime`` fixture).
"""

from __future__ import annotations

import csv
import dataclasses
import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot import texts
from bot.reports.workbook import SHEETS, build_workbook, report_workbook, workbook_name
from bot.runtime import Runtime
from domain.audit import Channel
from domain.export import ExportData, Viewer, export_data
from domain.idm import IdmStatus
from domain.models import (
    DesaTematik,
    IdmResult,
    IncidentKind,
    IncidentStatus,
    IndicatorCode,
    KonflikStage,
    Role,
    Seksi,
    SkmResponse,
    SkmService,
    Tema,
)
from domain.period import Period
from domain.ports import UnitOfWork
from domain.skm import UNSUR, UnsurTotal, skm_from_totals
from tests.factories import add_user, make_incident
from tests.storage.builders import jakarta

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=WIB)

# domain.md's worked SKM check: 29 respondents with these unsur totals give NIK 91.48, A.
WORKED_TOTALS = (105, 101, 100, 116, 102, 105, 106, 105, 115)
INJECTED = '=HYPERLINK("http://contoh.invalid","klik di sini")'

KINERJA_TRANTIB = (
    "Meningkatnya penanganan konflik sosial dan pelanggaran trantibum di wilayah Kecamatan Larangan"
)


def _incident(
    uow: UnitOfWork,
    desa_index: int,
    kind: IncidentKind,
    event: date,
    received: datetime,
    *,
    category: str,
    description: str = "Warga melaporkan kejadian di balai desa",
    detail: str | None = None,
    stage: KonflikStage | None = None,
    reporter_id: int | None = None,
    handled: datetime | None = None,
    status: IncidentStatus = IncidentStatus.BARU,
) -> None:
    kec = uow.kecamatan.get_by_code("35.28.08")
    assert kec is not None
    desa = uow.desa.list_by_kecamatan(kec.id)[desa_index]
    stored = uow.incidents.add(
        make_incident(
            desa,
            kind=kind,
            event_date=event,
            received_at=received,
            category=category,
            category_detail=detail,
            description=description,
            stage=stage,
            reporter_id=reporter_id,
        )
    )
    target = IncidentStatus.TERTANGANI if handled is not None else status
    if target is not IncidentStatus.BARU:
        moved = uow.incidents.change_status(
            stored.id,
            to_status=target,
            note="Ditindaklanjuti",
            user_id=None,
            at=handled or received,
            expected_version=stored.version,
        )
        assert moved is not None


def seed_known_year(uow_factory: Callable[[], UnitOfWork]) -> None:
    """A year 2026 of Kecamatan Larangan whose every figure is checked by hand.

    Konflik (event dates): KS-352808-2026-0001 Peltong 2 March, received 3 March 06.00 WIB
    (2 March 23.00 UTC), potensi, tanah, reported by Andi, handled 5 March 10.00: 2
    whole days; KS-352808-2026-0002 Trasak 1 October, terjadi, "Lainnya: Rebutan sumur", no
    reporter, still new, description starting with "="; KS-352808-2025-0001 of 31 December
    2025 does not count. So 1 of 2 handled: 50.00%, capaian 50.00% of target 100.

    Trantibum: Blumbungan 10 February judi, handled the same day (0 days), by Dewi;
    11 February received 09.00 and handled 20 February 08.00 (8 days 23 hours: 8);
    1 July, diproses. So 2 of 3 handled: 66.67%, capaian 66.67%.

    SKM: 29 respondents on 10-17 March with domain.md's worked totals (NRR 3.6207,
    3.4828, 3.4483, 4.0000, 3.5172, 3.6207, 3.6552, 3.6207, 3.9655; IKM 955/261 =
    3.6590; NIK 91.48, A); capaian 91.48 / 88.31 = 103.59%. One response of 2025 (all
    1s) does not count. Services: 20 on "Rekomendasi KTP-el" (population 30: minimum
    28, not reached), 6 on "Kartu Keluarga" (population unknown), 3 without a service;
    total population 30, minimum 28, 29 respondents: reached. Profile: L 16, P 12,
    blank 1; ages 24, 25, 64, 65, 100, two blanks, 22 of 40; S1 10, SMA 15, blank 4;
    PNS 5, Wirausaha 24. Suggestions: four non-empty (one "=1+1", one "@SUM(...)",
    one "+62 ..."), one empty, and the 2025 one outside the period.

    IDM 2026: Peltong 0.85 (IKS 0.9, IKE 0.8, IKL 0.85), Blumbungan exactly 0.8155
    (Maju), Trasak 0.81550000000001 (Mandiri), Tentenan Barat 0.6 (Berkembang); ten
    desa without data. Mandiri 2 of target 5: 40.00%.

    Desa tematik 2026: Peltong wisata and budaya, Grujugan "Lainnya: Desa Batik";
    an ended designation and one of 2025 do not count. 2 desa of target 4: 50.00%.
    """
    with uow_factory() as uow:
        kec = uow.kecamatan.get_by_code("35.28.08")
        assert kec is not None
        desa = uow.desa.list_by_kecamatan(kec.id)
        andi = add_user(
            uow,
            Role.PERANGKAT_DESA,
            telegram_id=810001,
            nama="Andi Peltong",
            jabatan="Kepala Desa",
            kecamatan_id=kec.id,
            desa_id=desa[0].id,
        )
        dewi = add_user(
            uow,
            Role.STAF_SEKSI,
            telegram_id=810002,
            nama="Dewi Trantib",
            jabatan="Kepala Seksi",
            kecamatan_id=kec.id,
            seksi=Seksi.TRANTIB,
        )
        k, t = IncidentKind.KONFLIK, IncidentKind.TRANTIBUM
        _incident(
            uow,
            0,
            k,
            date(2026, 3, 2),
            jakarta(2026, 3, 3, 6, 0),
            category="tanah",
            stage=KonflikStage.POTENSI,
            reporter_id=andi.id,
            handled=jakarta(2026, 3, 5, 10, 0),
        )
        _incident(
            uow,
            2,
            k,
            date(2026, 10, 1),
            jakarta(2026, 10, 1, 9, 0),
            category="lainnya",
            detail="Rebutan sumur",
            stage=KonflikStage.TERJADI,
            description=INJECTED,
        )
        _incident(uow, 3, k, date(2025, 12, 31), jakarta(2025, 12, 31, 9, 0), category="tanah")
        _incident(
            uow,
            1,
            t,
            date(2026, 2, 10),
            jakarta(2026, 2, 10, 8, 0),
            category="judi",
            reporter_id=dewi.id,
            handled=jakarta(2026, 2, 10, 15, 0),
        )
        _incident(
            uow,
            1,
            t,
            date(2026, 2, 11),
            jakarta(2026, 2, 11, 9, 0),
            category="keributan",
            handled=jakarta(2026, 2, 20, 8, 0),
        )
        _incident(
            uow,
            4,
            t,
            date(2026, 7, 1),
            jakarta(2026, 7, 1, 9, 0),
            category="miras",
            status=IncidentStatus.DIPROSES,
        )

        ktp = uow.skm.add_service(SkmService(0, kec.id, "ktp", "Rekomendasi KTP-el", 30))
        kk = uow.skm.add_service(SkmService(0, kec.id, "kk", "Kartu Keluarga", None))
        ages: list[int | None] = [24, 25, 64, 65, 100, None, None]
        suggestions = {
            0: "Antrean terlalu panjang",
            1: "=1+1",
            2: "",
            21: "@SUM(A1:A9) petugas ramah",
            27: "+62 812 nomor pengaduan tolong dipasang",
        }
        for i in range(29):
            uow.skm.add_response(
                SkmResponse(
                    kecamatan_id=kec.id,
                    survey_date=date(2026, 3, 10 + i % 8),
                    answers={
                        key: 4 if i < total - 87 else 3
                        for key, total in zip(UNSUR, WORKED_TOTALS, strict=True)
                    },
                    service_id=ktp.id if i < 20 else kk.id if i < 26 else None,
                    jenis_kelamin="L" if i < 16 else "P" if i < 28 else None,
                    usia=ages[i] if i < len(ages) else 40,
                    pendidikan="S1" if i < 10 else "SMA" if i < 25 else None,
                    pekerjaan="PNS" if i < 5 else "Wirausaha",
                    saran=suggestions.get(i),
                )
            )
        uow.skm.add_response(
            SkmResponse(
                kecamatan_id=kec.id,
                survey_date=date(2025, 12, 31),
                answers=dict.fromkeys(UNSUR, 1),
                service_id=ktp.id,
                jenis_kelamin="L",
                usia=30,
                saran="Saran tahun lalu",
            )
        )

        for index, score, parts in (
            (0, "0.85", ("0.9", "0.8", "0.85")),
            (1, "0.8155", None),
            (2, "0.81550000000001", None),
            (3, "0.6", None),
        ):
            value = Decimal(score)
            iks, ike, ikl = (None, None, None) if parts is None else map(Decimal, parts)
            status = (
                IdmStatus.MANDIRI
                if value > Decimal("0.8155")
                else IdmStatus.MAJU
                if value > Decimal("0.7072")
                else IdmStatus.BERKEMBANG
            )
            uow.idm.upsert(
                IdmResult(
                    desa_id=desa[index].id,
                    tahun=2026,
                    score=value,
                    status=status,
                    iks=iks,
                    ike=ike,
                    ikl=ikl,
                    source="uji",
                )
            )

        def tematik(index: int, tema: Tema, tahun: int = 2026, lainnya: str | None = None) -> int:
            item = uow.tematik.add(
                DesaTematik(
                    id=0,
                    desa_id=desa[index].id,
                    tema=tema,
                    tahun=tahun,
                    referensi=f"SK {index + 1}/{tahun}",
                    tema_lainnya=lainnya,
                )
            )
            return item.id

        tematik(0, Tema.WISATA)
        tematik(0, Tema.BUDAYA)
        tematik(5, Tema.LAINNYA, lainnya="Desa Batik")
        ended = tematik(7, Tema.UMKM)
        uow.tematik.end(ended, jakarta(2026, 6, 1))
        tematik(8, Tema.PERIKANAN, tahun=2025)

        for code, target in (
            (IndicatorCode.DESA_MANDIRI, "5"),
            (IndicatorCode.DESA_TEMATIK, "4"),
            (IndicatorCode.KONFLIK_TERTANGANI, "100"),
            (IndicatorCode.TRANTIBUM_TERTANGANI, "100"),
            (IndicatorCode.SKM, "88.31"),
        ):
            uow.targets.set(kec.id, code, 2026, Decimal(target))
        uow.commit()


def known_export(runtime: Runtime, period: Period | None = None) -> tuple[ExportData, bytes]:
    """Seed the known year and build its workbook (year 2026 unless told)."""
    seed_known_year(runtime.uow)
    with runtime.uow() as uow:
        data = export_data(
            uow,
            viewer=Viewer.operator(),
            kecamatan_code="35.28.08",
            period=period or Period.year(2026),
            now=NOW,
        )
    return data, report_workbook(data, WIB)


def rows_of(sheet: Worksheet) -> list[list[Any]]:
    """Every row of a sheet as a list of values."""
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def table(sheet: Worksheet, first_header: str) -> tuple[int, list[list[Any]]]:
    """The 1-based row of the header whose first cell is ``first_header`` and the rows below."""
    rows = rows_of(sheet)
    for index, row in enumerate(rows):
        if row[0] == first_header:
            return index + 1, rows[index + 1 :]
    raise AssertionError(f"no header {first_header!r} in {sheet.title}")


# The IKU sheet's columns: the realisasi of the two years before beside this year's.
TARGET, REAL_2024, REAL_2025, REAL, CAPAIAN, KATEGORI, SUMBER, PJ, KET = range(5, 14)


def iku_table(sheet: Worksheet) -> list[list[Any]]:
    """The indicator rows of the IKU sheet (below its two header rows, above the notes)."""
    header_row, rows = table(sheet, "No")
    assert rows_of(sheet)[header_row][0] is None  # the second header row (the years)
    found = []
    for row in rows[1:]:
        if not isinstance(row[0], int):
            break
        found.append(row)
    return found


def book_of(content: bytes) -> Workbook:
    return load_workbook(BytesIO(content))


def test_the_workbook_has_the_ten_sheets_in_order(runtime: Runtime) -> None:
    data, content = known_export(runtime)
    book = book_of(content)
    assert book.sheetnames == [
        "IKU",
        "Konflik",
        "Trantibum",
        "SKM",
        "SKM Responden",
        "SKM Saran",
        "IDM",
        "Perkembangan Desa",
        "Desa Tematik",
        "Bukti",
    ]
    assert list(SHEETS) == book.sheetnames
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert book.active is not None
    assert book.active.title == "IKU"
    assert workbook_name(data.report) == "IKU-Larangan-2026.xlsx"


def test_iku_sheet_has_the_seed_columns_and_exact_figures(runtime: Runtime) -> None:
    """Figures of seed_known_year: 2 mandiri (40%), 2 tematik (50%), konflik 50%,
    trantibum 2/3 = 66.67% (capaian 66.67%), NIK 91.48 (capaian 103.59%)."""
    _, content = known_export(runtime)
    sheet = book_of(content)["IKU"]
    assert sheet["A1"].value == "Indikator Kinerja Utama (IKU) Kecamatan Larangan"
    assert sheet["A2"].value == "Periode: 1 Januari 2026 s.d. 31 Desember 2026"
    assert sheet["A3"].value == (
        "Kabupaten Pamekasan, Provinsi Jawa Timur. Dibuat 25 November 2026 10.00 WIB."
    )
    header_row, _ = table(sheet, "No")
    assert header_row == 5
    assert rows_of(sheet)[4] == [
        "No",
        "Kinerja Utama",
        "Indikator Kinerja",
        "Satuan",
        "Formula",
        "Target 2026",
        "Realisasi",
        None,  # "Realisasi" is merged over the three years below it
        None,
        "Capaian 2026",
        "Kategori Capaian",
        "Sumber Data",
        "Penanggung Jawab",
        "Keterangan",
    ]
    assert rows_of(sheet)[5][REAL_2024 : REAL + 1] == ["2024", "2025", "2026"]
    rows = iku_table(sheet)
    assert len(rows) == 5
    numbers = [[row[TARGET], row[REAL], row[CAPAIAN], row[KATEGORI]] for row in rows]
    assert numbers == [
        [5, 2, 0.4, "Sangat Rendah"],
        [4, 2, 0.5, "Sangat Rendah"],
        [1, 0.5, 0.5, "Sangat Rendah"],
        [1, 0.6667, 0.6667, "Sedang"],
        [88.31, 91.48, 1.0359, "Sangat Tinggi"],
    ]
    # 2025: one tematik desa (2025's designation), one conflict not handled, one SKM
    # respondent answering 1 everywhere (NIK 25);
    # 2024: nothing recorded.
    assert [[row[REAL_2024], row[REAL_2025]] for row in rows] == [
        ["-", "-"],
        [0, 1],
        ["tidak ada kejadian", 0],  # KS-352808-2025-0001, not handled: 0 of 1
        ["tidak ada kejadian", "tidak ada kejadian"],
        ["-", 25.0],
    ]
    assert [row[3] for row in rows] == ["Desa", "Desa", "%", "%", "Nilai (NIK)"]
    # "Kinerja Utama" once over its indicators: the conflict and trantibum rows share it.
    assert [row[1] for row in rows] == [
        rows[0][1],
        None,
        KINERJA_TRANTIB,
        None,
        rows[4][1],
    ]
    assert {"B7:B8", "B9:B10"} <= {str(r) for r in sheet.merged_cells.ranges}
    assert rows[3][2:5] == [
        "Persentase jumlah pelanggaran trantibum tertangani",
        "%",
        "Jumlah penyelenggaraan trantibum yang difasilitasi / jumlah seluruh "
        "penyelenggaraan trantibum x 100%",
    ]
    assert [row[SUMBER] for row in rows] == ["IDM (Indeks Desa Membangun)"] + [
        "Laporan Kecamatan"
    ] * 4
    assert [row[PJ] for row in rows] == [
        "Seksi Pembinaan dan Pengawasan Pemerintahan Desa",
        "Seksi Pemberdayaan Masyarakat Desa dan Kelurahan",
        "Seksi Kesatuan Bangsa",
        "Seksi Ketenteraman dan Ketertiban Umum",
        "Seksi Pemerintahan dan Pelayanan Publik",
    ]
    assert rows[0][KET] == (
        "IDM tahun 2026: dihitung desa dengan IDM > 0,8155 (sumber: uji). "
        "Data tahun 2026 baru ada untuk 4 dari 14 desa."
    )
    assert rows[4][KET] == "Mutu A (Sangat baik), 29 responden dari sampel minimal 28."
    # Numbers are numbers with the decided formats (target, realisasi, capaian).
    columns = (TARGET + 1, REAL + 1, CAPAIAN + 1)
    assert [sheet.cell(row=7, column=c).number_format for c in columns] == ["0", "0", "0.00%"]
    assert [sheet.cell(row=9, column=c).number_format for c in columns] == ["0.00%"] * 3
    assert [sheet.cell(row=11, column=c).number_format for c in columns] == [
        "0.00",
        "0.00",
        "0.00%",
    ]
    assert isinstance(sheet["I10"].value, float)  # this year's realisasi of trantibum


def test_every_sheet_has_a_frozen_bold_filled_header_and_column_widths(runtime: Runtime) -> None:
    _, content = known_export(runtime)
    book = book_of(content)
    first_headers = {
        "IKU": "No",
        "Konflik": "No",
        "Trantibum": "No",
        "SKM": "Kode",
        "SKM Responden": "Pertanyaan",
        "SKM Saran": "No",
        "IDM": "No",
        "Desa Tematik": "No",
    }
    for name, first in first_headers.items():
        sheet = book[name]
        header_row, _ = table(sheet, first)
        header_rows = 2 if name == "IKU" else 1  # the years under "Realisasi"
        assert sheet.freeze_panes == f"A{header_row + header_rows}", name
        for cell in sheet[header_row]:
            if cell.value is None:
                continue
            assert cell.font.bold, (name, cell.coordinate)
            assert cell.fill.fgColor.rgb == "00DDEBF7", (name, cell.coordinate)
        widths = [sheet.column_dimensions[c].width for c in "ABCD"]
        assert all(width >= 5 for width in widths), (name, widths)
    assert book["Konflik"]["K11"].value == "Uraian"
    assert book["Konflik"]["K12"].alignment.wrap_text is True
    assert book["Konflik"].column_dimensions["K"].width == 54
    # "KS-352808-2026-0001" (19 characters) fits its column.
    assert book["Konflik"].column_dimensions["B"].width == 21


def test_konflik_sheet_lists_the_period_incidents_with_office_times(runtime: Runtime) -> None:
    """KS-352808-2026-0001: received 3 March 06.00 WIB (2 March 23.00 UTC), handled 5 March:
    2 whole days. KS-352808-2026-0002: "Lainnya: Rebutan sumur", not handled, no reporter.
    The summary (2 incidents, 1 handled, 50%) equals the IKU row."""
    data, content = known_export(runtime)
    sheet = book_of(content)["Konflik"]
    rows = rows_of(sheet)
    assert rows[0][0] == "Potensi dan Konflik Sosial Kecamatan Larangan (IKU 3)"
    summary = {row[0]: row[3] for row in rows[4:7]}
    assert summary == {"Jumlah kejadian": 2, "Tertangani": 1, "Persentase tertangani": 0.5}
    iku = data.report.row(IndicatorCode.KONFLIK_TERTANGANI)
    assert iku.realisasi == Decimal("50.00")
    assert sheet["D7"].number_format == "0.00%"
    header_row, body = table(sheet, "No")
    assert rows[header_row - 1] == [
        "No",
        "Nomor",
        "Tanggal Kejadian",
        "Diterima (WIB)",
        "Desa",
        "Kategori",
        "Tahap",
        "Status",
        "Tanggal Tertangani",
        "Lama Penanganan (hari)",
        "Uraian",
        "Pelapor",
        "Jabatan Pelapor",
    ]
    assert body == [
        [
            1,
            "KS-352808-2026-0001",
            datetime(2026, 3, 2),
            datetime(2026, 3, 3, 6, 0),
            "Peltong",
            "Sengketa tanah/batas",
            "Potensi konflik",
            "Tertangani",
            datetime(2026, 3, 5),
            2,
            "Warga melaporkan kejadian di balai desa",
            "Andi Peltong",
            "Kepala Desa",
        ],
        [
            2,
            "KS-352808-2026-0002",
            datetime(2026, 10, 1),
            datetime(2026, 10, 1, 9, 0),
            "Trasak",
            "Lainnya: Rebutan sumur",
            "Sudah terjadi",
            "Baru",
            "-",
            "-",
            INJECTED,
            "-",
            "-",
        ],
    ]
    first = header_row + 1
    assert sheet.cell(row=first, column=3).number_format == "dd-mm-yyyy"
    assert sheet.cell(row=first, column=4).number_format == "dd-mm-yyyy hh:mm"
    assert sheet.cell(row=first, column=9).number_format == "dd-mm-yyyy"
    assert sheet.cell(row=first, column=10).number_format == "0"


def test_trantibum_sheet_counts_whole_days_and_has_no_stage_column(runtime: Runtime) -> None:
    """Handled the same day: 0 days; 11 Feb 09.00 to 20 Feb 08.00: 8 days 23 hours = 8.
    Summary 3 / 2 / 66.67% equals the IKU row."""
    _, content = known_export(runtime)
    sheet = book_of(content)["Trantibum"]
    rows = rows_of(sheet)
    assert {row[0]: row[3] for row in rows[4:7]} == {
        "Jumlah kejadian": 3,
        "Tertangani": 2,
        "Persentase tertangani": 0.6667,
    }
    header_row, body = table(sheet, "No")
    assert "Tahap" not in rows[header_row - 1]
    assert [(row[1], row[5], row[6], row[7], row[8]) for row in body] == [
        ("TB-352808-2026-0001", "Perjudian", "Tertangani", datetime(2026, 2, 10), 0),
        ("TB-352808-2026-0002", "Perkelahian/keributan", "Tertangani", datetime(2026, 2, 20), 8),
        ("TB-352808-2026-0003", "Minuman keras/narkoba", "Diproses", "-", "-"),
    ]
    assert [row[10:12] for row in body] == [
        ["Dewi Trantib", "Kepala Seksi"],
        ["-", "-"],
        ["-", "-"],
    ]


def test_skm_sheet_equals_the_domain_computation(runtime: Runtime) -> None:
    """domain.md's worked check: NRR 3.6207 ... 3.9655; NRR/9 105/261 = 0.4023 ...;
    IKM 955/261 = 3.6590; NIK 91.48; A, Sangat baik; 29 respondents, minimum 28."""
    data, content = known_export(runtime)
    sheet = book_of(content)["SKM"]
    header_row, rows = table(sheet, "Kode")
    unsur = rows[:9]
    assert [row[0] for row in unsur] == [f"U{n}" for n in range(1, 10)]
    assert unsur[1][1] == "Sistem, Mekanisme, dan Prosedur"
    assert [row[2] for row in unsur] == list(WORKED_TOTALS)
    assert [row[3] for row in unsur] == [29] * 9
    assert [row[4] for row in unsur] == [
        3.6207,
        3.4828,
        3.4483,
        4.0,
        3.5172,
        3.6207,
        3.6552,
        3.6207,
        3.9655,
    ]
    assert [row[5] for row in unsur] == [
        0.4023,
        0.387,
        0.3831,
        0.4444,
        0.3908,
        0.4023,
        0.4061,
        0.4023,
        0.4406,
    ]
    # The same figures from domain.skm, computed from the worked totals alone.
    worked = {key: UnsurTotal(total, 29) for key, total in zip(UNSUR, WORKED_TOTALS, strict=True)}
    result = skm_from_totals(worked, 29)
    assert result is not None
    assert result.ikm_exact == Fraction(955, 261)
    assert [row[4] for row in unsur] == [float(v) for v in result.nrr_rounded(4).values()]
    assert data.report.skm.result == result
    summary = {row[1]: row[2] for row in rows[10:18]}
    assert summary == {
        "IKM (jumlah NRR tertimbang)": 3.659,
        "NIK (IKM x 25)": 91.48,
        "Mutu pelayanan": "A",
        "Kinerja unit pelayanan": "Sangat baik",
        "Jumlah responden": 29,
        "Populasi (jumlah seluruh layanan)": 30,
        "Sampel minimal (Krejcie-Morgan)": 28,
        "Sampel memenuhi": "Ya",
    }
    nik_row = header_row + 1 + 11
    assert sheet.cell(row=nik_row, column=2).value == "NIK (IKM x 25)"
    assert sheet.cell(row=nik_row, column=3).number_format == "0.00"
    assert sheet.cell(row=header_row + 1, column=5).number_format == "0.0000"
    services_header = next(i for i, row in enumerate(rows) if row[1] == "Layanan")
    assert rows[services_header + 1 : services_header + 4] == [
        [None, "Kartu Keluarga", 6, "-", "-", "-"],
        [None, "Rekomendasi KTP-el", 20, 30, 28, "Belum"],
        [None, "Tanpa layanan (impor tanpa kolom layanan)", 3, "-", "-", "-"],
    ]


def test_profile_sheet_is_counted_per_answer_with_shares(runtime: Runtime) -> None:
    """L 16/29 = 55.17%, P 12/29 = 41.38%, blank 1/29 = 3.45%; age groups 1, 1, 22, 0,
    1, 2 and 2 blank; S1 10, SMA 15, blank 4; PNS 5, Wirausaha 24; each totals 29."""
    _, content = known_export(runtime)
    _, rows = table(book_of(content)["SKM Responden"], "Pertanyaan")
    by_question: dict[str, list[tuple[str, int, float | str]]] = {}
    for question, answer, count, share in rows:
        by_question.setdefault(question, []).append((answer, count, share))
    assert by_question["Jenis kelamin"] == [
        ("Laki-laki", 16, 0.5517),
        ("Perempuan", 12, 0.4138),
        ("Tidak diisi", 1, 0.0345),
        ("Jumlah", 29, 1.0),
    ]
    assert [(a, c) for a, c, _ in by_question["Usia"]] == [
        ("15-24 tahun", 1),
        ("25-34 tahun", 1),
        ("35-44 tahun", 22),
        ("45-54 tahun", 0),
        ("55-64 tahun", 1),
        ("65 tahun ke atas", 2),
        ("Tidak diisi", 2),
        ("Jumlah", 29),
    ]
    assert [(a, c) for a, c, _ in by_question["Pendidikan"]] == [
        ("Tidak sekolah", 0),
        ("SD", 0),
        ("SMP", 0),
        ("SMA", 15),
        ("D1-D3", 0),
        ("S1", 10),
        ("S2", 0),
        ("S3", 0),
        ("Tidak diisi", 4),
        ("Jumlah", 29),
    ]
    assert by_question["Pekerjaan"][0] == ("PNS", 5, 0.1724)
    assert by_question["Pekerjaan"][4] == ("Wirausaha", 24, 0.8276)
    assert [a for a, _, _ in by_question["Pekerjaan"][5:9]] == [
        "Petani",
        "Nelayan",
        "Ibu rumah tangga",
        "Lainnya",
    ]
    assert by_question["Pekerjaan"][-1] == ("Jumlah", 29, 1.0)
    # The regulation's categories beside the answers as given.
    official = by_question["Pendidikan (kategori PermenPAN-RB 14/2017)"]
    assert [(a, c) for a, c, _ in official][:3] == [("SD ke bawah", 0), ("SMP", 0), ("SMA", 15)]
    assert official[-1] == ("Jumlah", 29, 1.0)
    jobs = by_question["Pekerjaan (kategori PermenPAN-RB 14/2017)"]
    assert [a for a, _, _ in jobs][:6] == ["PNS", "TNI", "POLRI", "Swasta", "Wirausaha", "Lainnya"]


def test_suggestions_carry_only_day_service_and_text(runtime: Runtime) -> None:
    """Four non-empty suggestions of 2026, by day; the 2025 one and the empty one absent."""
    _, content = known_export(runtime)
    sheet = book_of(content)["SKM Saran"]
    header_row, rows = table(sheet, "No")
    assert rows_of(sheet)[header_row - 1] == ["No", "Tanggal Survei", "Layanan", "Saran"]
    assert rows == [
        [1, datetime(2026, 3, 10), "Rekomendasi KTP-el", "Antrean terlalu panjang"],
        [2, datetime(2026, 3, 11), "Rekomendasi KTP-el", "=1+1"],
        [3, datetime(2026, 3, 13), "-", "+62 812 nomor pengaduan tolong dipasang"],
        [4, datetime(2026, 3, 15), "Kartu Keluarga", "@SUM(A1:A9) petugas ramah"],
    ]
    # No moment beyond the day anywhere in the SKM sheets.
    book = book_of(content)
    for name in ("SKM", "SKM Responden", "SKM Saran"):
        for row in rows_of(book[name]):
            for value in row:
                if isinstance(value, datetime):
                    assert (value.hour, value.minute, value.second) == (0, 0, 0)


def test_idm_sheet_keeps_the_exact_scores_and_counts_per_status(runtime: Runtime) -> None:
    """0.8155 is Maju, 0.81550000000001 Mandiri; 10 desa without data; 14 desa."""
    _, content = known_export(runtime)
    sheet = book_of(content)["IDM"]
    assert sheet["A1"].value == "Indeks Desa Membangun (IDM) Kecamatan Larangan Tahun 2026 (IKU 1)"
    _, rows = table(sheet, "No")
    desa_rows = rows[:14]
    assert desa_rows[0][9:13] == ["IDM", "-", "uji", None]  # index, published, source, flag
    assert desa_rows[0][13:] == ["-"] * 6  # no Indeks Desa dimensions
    assert desa_rows[0][:9] == [
        1,
        "35.28.08.2001",
        "3528040001",
        "Peltong",
        0.9,
        0.8,
        0.85,
        0.85,
        "Mandiri",
    ]
    assert desa_rows[1][4:9] == ["-", "-", "-", 0.8155, "Maju"]
    assert desa_rows[2][4:9] == ["-", "-", "-", 0.81550000000001, "Mandiri"]
    assert Decimal(repr(desa_rows[2][7])) == Decimal("0.81550000000001")
    assert desa_rows[3][7:9] == [0.6, "Berkembang"]
    assert desa_rows[4][9:] == [None] * 10
    assert desa_rows[4][:9] == [
        5,
        "35.28.08.2005",
        "3528040004",
        "Tentenan Timur",
        "-",
        "-",
        "-",
        "-",
        "Belum ada data IDM tahun 2026",
    ]
    counts = {row[0]: row[3] for row in rows[15:] if row[0] is not None and row[3] is not None}
    assert counts == {
        "Mandiri": 2,
        "Maju": 1,
        "Berkembang": 1,
        "Tertinggal": 0,
        "Sangat Tertinggal": 0,
        "Belum ada data": 10,
        "Jumlah desa": 14,
    }
    assert sheet["H8"].number_format == "0.0000##########"


def test_desa_tematik_sheet_lists_the_active_designations_of_the_year(runtime: Runtime) -> None:
    _, content = known_export(runtime)
    sheet = book_of(content)["Desa Tematik"]
    assert sheet["A5"].value == "Jumlah desa tematik (desa berbeda)"
    assert sheet["D5"].value == 2
    _, rows = table(sheet, "No")
    assert rows == [
        [1, "35.28.08.2001", "Peltong", "Wisata", 2026, "SK 1/2026"],
        [2, "35.28.08.2001", "Peltong", "Budaya", 2026, "SK 1/2026"],
        [3, "35.28.08.2006", "Grujugan", "Lainnya: Desa Batik", 2026, "SK 6/2026"],
    ]


def test_text_from_users_never_becomes_a_formula(runtime: Runtime) -> None:
    _, content = known_export(runtime)
    with zipfile.ZipFile(BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 10
        for name in sheets:
            assert b"<f>" not in archive.read(name), name
    book = book_of(content)
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+@":
                    found[cell.value] = cell
    assert set(found) == {
        INJECTED,
        "=1+1",
        "@SUM(A1:A9) petugas ramah",
        "+62 812 nomor pengaduan tolong dipasang",
    }
    for value, cell in found.items():
        assert cell.data_type == "s", value
        assert cell.quotePrefix, value


def test_a_semester_workbook_counts_only_its_months(runtime: Runtime) -> None:
    """Semester 1: konflik only KS-352808-2026-0001 (handled: 100%); trantibum the two
    February ones (100%); SKM the same 29 respondents; file IKU-Larangan-2026-S1."""
    data, content = known_export(runtime, Period.semester(2026, 1))
    assert workbook_name(data.report) == "IKU-Larangan-2026-S1.xlsx"
    book = book_of(content)
    iku = iku_table(book["IKU"])
    assert [row[REAL] for row in iku] == [2, 2, 1, 1, 91.48]
    _, konflik = table(book["Konflik"], "No")
    assert [row[1] for row in konflik] == ["KS-352808-2026-0001"]
    _, trantibum = table(book["Trantibum"], "No")
    assert [row[1] for row in trantibum] == ["TB-352808-2026-0001", "TB-352808-2026-0002"]
    assert book["IKU"]["A2"].value == "Periode: 1 Januari 2026 s.d. 30 Juni 2026"


def test_an_empty_period_says_so_on_every_sheet(runtime: Runtime) -> None:
    with runtime.uow() as uow:
        data = export_data(
            uow,
            viewer=Viewer.operator(),
            kecamatan_code="35.28.08",
            period=Period.quarter(2026, 4),
            now=NOW,
        )
    book = book_of(report_workbook(data, WIB))
    assert workbook_name(data.report) == "IKU-Larangan-2026-TW4.xlsx"
    assert {row[0]: row[3] for row in rows_of(book["Konflik"])[4:7]} == {
        "Jumlah kejadian": 0,
        "Tertangani": 0,
        "Persentase tertangani": "tidak ada kejadian",
    }
    iku = iku_table(book["IKU"])
    assert [[row[TARGET], row[REAL], row[CAPAIAN]] for row in iku] == [
        ["-", "-", "-"],
        ["-", 0, "-"],
        ["-", "tidak ada kejadian", "-"],
        ["-", "tidak ada kejadian", "-"],
        ["-", "-", "-"],
    ]
    _, skm = table(book["SKM"], "Kode")
    assert [row[2:6] for row in skm[:9]] == [[0, 0, "-", "-"]] * 9
    assert skm[10][1:3] == ["IKM (jumlah NRR tertimbang)", "-"]
    assert ["Keterangan", "Belum ada responden SKM pada periode ini. Target belum ditetapkan."] in [
        row[1:3] for row in skm
    ]
    _, saran = table(book["SKM Saran"], "No")
    assert saran == [["Belum ada saran pada periode ini.", None, None, None]]


# -- LibreOffice --------------------------------------------------------------------------


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("soffice (LibreOffice) harus terpasang di CI: lihat .ci/run")
        pytest.skip("soffice (LibreOffice) tidak terpasang: uji konversi dilewati")
    return found


def test_libreoffice_opens_the_workbook_and_shows_the_same_figures(
    runtime: Runtime, tmp_path: Path
) -> None:
    """Headless LibreOffice converts every sheet to CSV, showing values as formatted
    (en-US): IKU row 3 is 50.00% / 100.00% / 50.00%, row 5 is 88.31 / 91.48 / 103.59%;
    the conflict received 3 March 06.00 WIB shows as 03-03-2026 06:00; a "=" text
    stays text."""
    soffice = _soffice()
    _, content = known_export(runtime)
    source = tmp_path / "iku.xlsx"
    source.write_bytes(content)
    out = tmp_path / "out"
    # Tokens: separator ",", quote '"', UTF-8, from line 1, no column types, en-US,
    # quote text, detect numbers, save as shown, no formulas, keep spaces, all sheets.
    options = "44,34,76,1,,1033,true,true,true,false,false,-1"
    completed = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{options}",
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    produced = sorted(p.name for p in out.iterdir())
    assert produced == sorted(f"iku-{name}.csv" for name in SHEETS)

    def read(name: str) -> list[list[str]]:
        with (out / f"iku-{name}.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))

    iku = read("IKU")
    assert iku[4][:3] == ["No", "Kinerja Utama", "Indikator Kinerja"]
    assert [[row[TARGET], row[REAL], row[CAPAIAN]] for row in iku[6:11]] == [
        ["5", "2", "40.00%"],
        ["4", "2", "50.00%"],
        ["100.00%", "50.00%", "50.00%"],
        ["100.00%", "66.67%", "66.67%"],
        ["88.31", "91.48", "103.59%"],
    ]
    konflik = read("Konflik")
    first = next(row for row in konflik if row[1] == "KS-352808-2026-0001")
    assert first[2:4] == ["02-03-2026", "03-03-2026 06:00"]
    assert first[8:10] == ["05-03-2026", "2"]
    second = next(row for row in konflik if row[1] == "KS-352808-2026-0002")
    assert second[10] == INJECTED
    skm = read("SKM")
    nik = next(row for row in skm if row[1] == "NIK (IKM x 25)")
    assert nik[2] == "91.48"
    ikm = next(row for row in skm if row[1] == "IKM (jumlah NRR tertimbang)")
    assert ikm[2] == "3.6590"
    idm = read("IDM")
    trasak = next(row for row in idm if row[3] == "Trasak")
    assert trasak[7:9] == ["0.81550000000001", "Mandiri"]


def test_the_bukti_sheet_says_when_the_period_has_no_evidence_file(runtime: Runtime) -> None:
    data, content = known_export(runtime)
    assert data.evidence == []
    assert data.contents()["bukti"] == 0
    sheet = book_of(content)["Bukti"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert texts.WB_BUKTI_NONE in values
    assert texts.WB_BUKTI_GROUP not in values
    assert sheet.freeze_panes is not None


# -- The stored rows against openpyxl's own writer -----------------------------------------

# Texts a writer of XML by hand could get wrong: markup characters, blanks kept at either
# end, a carriage return, control characters XML cannot hold, a formula, a text longer
# than a cell holds (cut at 32,767 characters, as openpyxl cuts it).
AWKWARD = (
    "Tanda <b>&</b> \"kutip\" 'tunggal' > selesai",
    "  diawali dan diakhiri spasi  ",
    "baris satu\r\nbaris dua\nbaris tiga",
    "bel\x07 dan\x1b escape dibuang",
    "=SUM(A1:A3)",
    "-",
    "x" * 40_000,
)


def _seed_many(runtime: Runtime) -> None:
    """The known year, 400 more conflicts and the awkward texts as trantibum reports."""
    from tests.bot.test_print import _add_conflicts

    seed_known_year(runtime.uow)
    _add_conflicts(runtime, 400)
    with runtime.uow() as uow:
        for number, text in enumerate(AWKWARD):
            _incident(
                uow,
                number % 14,
                IncidentKind.TRANTIBUM,
                date(2026, 5, 1 + number),
                jakarta(2026, 5, 1 + number, 9, 0),
                category="judi",
                description=text,
            )
        uow.commit()


def _openpyxl_bytes(data: ExportData) -> bytes:
    """The same workbook with every cell an openpyxl cell, saved by openpyxl alone."""
    book, stores = build_workbook(data, WIB)
    for store in stores:
        store.materialize_all()
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell_facts(sheet: Worksheet) -> list[tuple[Any, ...]]:
    return [
        (
            cell.coordinate,
            cell.value,
            cell.data_type,
            cell.number_format,
            cell.style,
            cell.quotePrefix,
            *(repr(part) for part in (cell.font, cell.fill, cell.border, cell.alignment)),
            repr(cell.protection),
        )
        for row in sheet.iter_rows()
        for cell in row
    ]


def _sheet_facts(sheet: Worksheet) -> dict[str, Any]:
    return {
        "dimensions": sheet.dimensions,
        "merged": sorted(str(r) for r in sheet.merged_cells.ranges),
        "frozen": sheet.freeze_panes,
        "print_titles": sheet.print_title_rows,
        "page": repr(sheet.page_setup),
        "margins": repr(sheet.page_margins),
        "fit": repr(sheet.sheet_properties),
        "footer": None if sheet.oddFooter is None else sheet.oddFooter.center.text,
        "charts": len(getattr(sheet, "_charts")),  # noqa: B009 - no public name
        "widths": {k: d.width for k, d in sheet.column_dimensions.items()},
        "heights": {k: d.height for k, d in sheet.row_dimensions.items() if d.height},
    }


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _canonical_sheets(content: bytes) -> dict[str, str]:
    """Each sheet's XML, canonical, with every style id replaced by what the style is.

    Style ids are numbered in the order styles are first used, which differs between
    the two writers; what each id stands for (font, fill, border, number format and
    the rest of its ``xf``) must not.
    """
    from xml.etree import ElementTree as ET

    def text(element: ET.Element) -> str:
        return ET.canonicalize(ET.tostring(element, encoding="unicode"))

    with zipfile.ZipFile(BytesIO(content)) as archive:
        styles = ET.fromstring(archive.read("xl/styles.xml"))
        parts = {
            kind: [text(e) for e in styles.findall(f"{_MAIN}{kind}s/{_MAIN}{kind}")]
            for kind in ("font", "fill", "border")
        }
        codes = {
            e.get("numFmtId"): e.get("formatCode")
            for e in styles.findall(f"{_MAIN}numFmts/{_MAIN}numFmt")
        }
        meaning = []
        for xf in styles.findall(f"{_MAIN}cellXfs/{_MAIN}xf"):
            attributes = dict(xf.attrib)
            number = attributes.pop("numFmtId", "0")
            meaning.append(
                repr(
                    (
                        *(parts[k][int(attributes.pop(f"{k}Id", "0"))] for k in parts),
                        codes.get(number, number),
                        sorted(attributes.items()),
                        [text(child) for child in xf],
                    )
                )
            )
        sheets = {}
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/sheet"):
                continue
            root = ET.fromstring(archive.read(name))
            for cell in root.iter(f"{_MAIN}c"):
                if "s" in cell.attrib:
                    cell.set("s", meaning[int(cell.attrib["s"])])
            sheets[name] = text(root)
    return sheets


def _same_as_openpyxl(data: ExportData) -> Workbook:
    """The workbook, checked to be written as openpyxl writes the same cells: the same
    sheet XML (but for the numbering of styles), and read back the same."""
    content = report_workbook(data, WIB)
    reference = _openpyxl_bytes(data)
    ours_xml, theirs_xml = _canonical_sheets(content), _canonical_sheets(reference)
    assert ours_xml.keys() == theirs_xml.keys()
    for name, xml in ours_xml.items():
        assert xml == theirs_xml[name], name
    ours, theirs = book_of(content), book_of(reference)
    assert ours.sheetnames == theirs.sheetnames
    assert str(ours.defined_names) == str(theirs.defined_names)  # the print titles
    for name in ours.sheetnames:
        assert _sheet_facts(ours[name]) == _sheet_facts(theirs[name]), name
        assert _cell_facts(ours[name]) == _cell_facts(theirs[name]), name
    return ours


def test_stored_rows_read_back_as_openpyxls_own_writer_writes_them(runtime: Runtime) -> None:
    """Several hundred rows and the awkward texts: every cell's value, type, number format
    and style, and each sheet's used range, merges, frozen panes, print setup, widths
    and row heights equal those of the workbook openpyxl writes from the same cells."""
    _seed_many(runtime)
    with runtime.uow() as uow:
        data = export_data(
            uow,
            viewer=Viewer.operator(),
            kecamatan_code="35.28.08",
            period=Period.year(2026),
            now=NOW,
        )
    assert len(data.konflik) == 402
    book = _same_as_openpyxl(data)
    konflik = book["Konflik"]
    assert (konflik.max_row, konflik.max_column) == (11 + 402, 13)
    header_row, body = table(konflik, "No")
    assert [row[0] for row in body] == list(range(1, 403))
    # The long descriptions wrap over three lines of the 54-character column: 45 points.
    assert konflik.row_dimensions[header_row + 3].height == 45
    _, trantibum = table(book["Trantibum"], "No")
    shown = {row[9]: row for row in trantibum}  # Uraian (no Tahap column)
    assert shown["Tanda <b>&</b> \"kutip\" 'tunggal' > selesai"][1].startswith("TB-")
    assert "  diawali dan diakhiri spasi  " in shown
    assert "baris satu\r\nbaris dua\nbaris tiga" in shown
    assert "bel dan escape dibuang" in shown  # the control characters dropped
    assert "x" * 32_767 in shown
    cells = {c.value: c for row in book["Trantibum"].iter_rows() for c in row}
    assert cells["=SUM(A1:A3)"].data_type == "s"
    assert cells["=SUM(A1:A3)"].quotePrefix
    assert not cells["baris satu\r\nbaris dua\nbaris tiga"].quotePrefix
    assert cells["baris satu\r\nbaris dua\nbaris tiga"].alignment.wrap_text


def test_a_group_workbook_reads_back_as_openpyxls_own_writer_writes_it(runtime: Runtime) -> None:
    """The group's version (counts per desa instead of the lists) and the F4 signature."""
    _seed_many(runtime)
    with runtime.uow() as uow:
        data = export_data(
            uow,
            viewer=Viewer.operator(),
            kecamatan_code="35.28.08",
            period=Period.year(2026),
            now=NOW,
        )
    group = dataclasses.replace(
        data,
        disclosure=dataclasses.replace(
            data.disclosure,
            channel=Channel.GROUP,
            case_lists=False,
            suggestions=False,
            suggestions_withheld=4,
            typed_texts=False,
        ),
    )
    book = _same_as_openpyxl(group)
    _, counts = table(book["Konflik"], "No")
    assert counts[-1][2:7] == ["Jumlah", 401, 0, 1, 402]  # baru, diproses, tertangani
    iku = book["IKU"]
    # "Kinerja Utama" merged, a row lower than the operator's (the group note above).
    assert "B8:B9" in {str(r) for r in iku.merged_cells.ranges}


def test_table_rows_make_no_openpyxl_cells(runtime: Runtime) -> None:
    """Only merged cells become openpyxl cells: a case list of a kecamatan-year is
    thousands of rows, and an openpyxl cell costs ten times a stored one."""
    seed_known_year(runtime.uow)
    with runtime.uow() as uow:
        data = export_data(
            uow,
            viewer=Viewer.operator(),
            kecamatan_code="35.28.08",
            period=Period.year(2026),
            now=NOW,
        )
    book, stores = build_workbook(data, WIB)
    by_title = {store.sheet.title: store for store in stores}
    assert list(by_title) == list(SHEETS)
    for title in ("Konflik", "Trantibum", "SKM Saran", "Bukti"):
        assert by_title[title].sheet._cells == {}, title
    assert sorted(by_title["Konflik"].rows[12]) == list(range(1, 14))
    # "Kinerja Utama" merged over two rows: an openpyxl cell and a merged one.
    iku = by_title["IKU"]
    assert iku.sheet._cells[(9, 2)].value == KINERJA_TRANTIB
    assert type(iku.sheet._cells[(10, 2)]).__name__ == "MergedCell"
    assert [2 in iku.rows[9], 2 in iku.rows[10]] == [False, False]
    assert iku.rows[9][3][0] == "Persentase jumlah potensi dan/atau konflik sosial tertangani"
    assert book.sheetnames == list(SHEETS)


def test_a_place_holds_a_stored_or_an_openpyxl_cell_never_both() -> None:
    """Writing over a stored cell through openpyxl (or two heights for a row) is a mistake
    of the workbook's code: it is refused when written, not silently resolved."""
    from openpyxl import Workbook as NewWorkbook

    from bot.reports.sheet_rows import RowStore, save_workbook

    def store_of() -> tuple[NewWorkbook, RowStore]:
        book = NewWorkbook()
        sheet = book.active
        assert sheet is not None
        store = RowStore(sheet)
        store.put(2, 3, "tersimpan", 0)
        return book, store

    book, store = store_of()
    store.sheet.cell(row=2, column=3).value = "openpyxl"
    with pytest.raises(ValueError, match="row 2 columns \\[3\\]"):
        save_workbook(book, [store])
    book, store = store_of()
    store.heights[2] = 30
    store.sheet.row_dimensions[2].height = 45
    with pytest.raises(ValueError, match="two heights"):
        save_workbook(book, [store])
    book, store = store_of()
    store.put(3, 1, datetime(2026, 3, 3, 6, 0, tzinfo=WIB), 0)
    with pytest.raises(TypeError, match="timezones"):
        save_workbook(book, [store])
    # Materialized, a stored cell is an openpyxl cell: written once, read back the same.
    book, store = store_of()
    store.materialize(2, 3, 2, 3)
    assert store.rows == {}
    sheet = book_of(save_workbook(book, [store])).active
    assert sheet is not None
    assert sheet["C2"].value == "tersimpan"
