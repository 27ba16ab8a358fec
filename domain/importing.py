"""Parsing imported files into validated records (pure: standard library only).

Every problem names the file, the line (1-based; a CSV header is line 1) and the
column or JSON field, in Indonesian. Parsers collect all problems of a file (up to
``MAX_PROBLEMS``) and raise :class:`~domain.errors.ImportFailed` with them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, NoReturn

from domain.errors import ImportFailed, ImportProblem
from domain.idm import (
    DIMENSIONS,
    INDEKS_DESA_FIRST_YEAR,
    IdmStatus,
    VillageIndex,
    compute_idm,
    idm_status,
    index_for_year,
    score_to_decimal,
)
from domain.models import IdmRecord
from domain.skm import PEKERJAAN_JAWABAN, PENDIDIKAN_JAWABAN, UNSUR

__all__ = [
    "MAX_PROBLEMS",
    "IDM_TOLERANCE",
    "SkmRow",
    "IdmRow",
    "IdmParse",
    "parse_kemendesa_json",
    "read_kemendesa_json",
    "parse_idm_csv",
    "read_idm_table",
    "parse_skm_rows",
    "Table",
    "csv_table",
]

MAX_PROBLEMS = 100
# Published IDM and the mean of its rounded components may differ in the 14th decimal.
IDM_TOLERANCE = Decimal("0.0001")
YEAR_MIN, YEAR_MAX = 2000, 2100
ROW_CELLS = {"iks": 45, "ike": 58, "ikl": 62, "idm": 63}
_BPS_DESA = re.compile(r"\d{10}")
_KEMENDAGRI_DESA = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")
_YEAR = re.compile(r"[0-9]{4}")
_FILE_NAME = re.compile(r"(\d{10})_(\d{4})\.json", re.IGNORECASE)


class _Problems:
    """Collects the problems of one file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[ImportProblem] = []
        self.truncated = False

    def add(self, message: str, line: int | None = None, field: str | None = None) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(ImportProblem(self.source, message, line, field))
        elif not self.truncated:
            # Said, not dropped silently: the last place says that there are more.
            self.truncated = True
            self.items[-1] = ImportProblem(
                self.source, f"lebih dari {MAX_PROBLEMS} masalah; yang lain tidak dicantumkan"
            )

    def fail(self, message: str, line: int | None = None, field: str | None = None) -> NoReturn:
        self.add(message, line, field)
        raise ImportFailed(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportFailed(self.items)


def _decimal(text: str) -> Decimal | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _index(value: Any) -> Decimal | None:
    """A JSON number (Decimal via parse_float, or int) as Decimal, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal | int):
        return Decimal(value)
    if isinstance(value, str):
        return _decimal(value)
    return None


@dataclass(frozen=True, slots=True)
class IdmRow:
    """A desa and year a file names (line None: a Kemendesa JSON), kept also when the
    row's values are wrong, so that the desa and year can be checked all the same."""

    source: str
    kode_desa: str
    tahun: int
    line: int | None = None


@dataclass(frozen=True, slots=True)
class IdmParse:
    """What was read from one IDM file: the valid records, every desa-year named, and
    every problem (the records are stored only when there is none, in any file)."""

    records: list[IdmRecord]
    rows: list[IdmRow]
    problems: list[ImportProblem]


def parse_kemendesa_json(data: bytes | str, source: str) -> IdmRecord:
    """One desa-year from a Kemendesa ``/open/api/desa/rumusan/{kode}/{tahun}`` file."""
    return _kemendesa(data, source, [])


def read_kemendesa_json(data: bytes | str, source: str) -> IdmParse:
    """A Kemendesa file as :class:`IdmParse`: its problems are returned, not raised."""
    named: list[IdmRow] = []
    try:
        record = _kemendesa(data, source, named)
    except ImportFailed as failed:
        return IdmParse([], named, failed.problems)
    return IdmParse([record], named, [])


def _kemendesa(data: bytes | str, source: str, named: list[IdmRow]) -> IdmRecord:
    """Parse a Kemendesa file; the desa-year, once both are valid, goes to ``named``."""
    problems = _Problems(source)
    try:
        doc = json.loads(data, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        problems.fail(f"bukan JSON yang sah ({exc.msg}, baris {exc.lineno}, kolom {exc.colno})")
    except UnicodeDecodeError:
        problems.fail("berkas bukan teks UTF-8")
    if not isinstance(doc, dict) or not isinstance(doc.get("mapData"), dict):
        problems.fail("bukan format IDM Kemendesa: isian mapData tidak ada", field="mapData")
    if doc.get("status") not in (200, None) or doc.get("error") is True:
        problems.fail(
            f"berkas berisi jawaban galat dari server (status {doc.get('status')})",
            field="status",
        )
    map_data: dict[str, Any] = doc["mapData"]
    summaries = map_data.get("SUMMARIES")
    if not isinstance(summaries, dict):
        problems.add("isian tidak ada", field="mapData.SUMMARIES")
        summaries = {}
    identitas = map_data.get("IDENTITAS")
    kode = nama = None
    if isinstance(identitas, list) and identitas and isinstance(identitas[0], dict):
        kode = str(identitas[0].get("id_desa") or "").strip() or None
        nama = str(identitas[0].get("nama_desa") or "").strip() or None
    if kode is None:
        problems.add("kode desa tidak ada", field="mapData.IDENTITAS[0].id_desa")
    elif not _BPS_DESA.fullmatch(kode):
        problems.add(
            f"kode desa BPS harus 10 digit (diterima {kode})", field="mapData.IDENTITAS[0].id_desa"
        )
    tahun = summaries.get("TAHUN")
    if isinstance(tahun, str) and _YEAR.fullmatch(tahun.strip()):
        tahun = int(tahun)
    if not isinstance(tahun, int) or isinstance(tahun, bool) or not YEAR_MIN <= tahun <= YEAR_MAX:
        problems.add(
            f"tahun harus {YEAR_MIN}-{YEAR_MAX} (diterima {tahun!r})",
            field="mapData.SUMMARIES.TAHUN",
        )
        tahun = None
    rows = map_data.get("ROW")
    cells: dict[int, Any] = {}
    if isinstance(rows, list):
        for item in rows:
            if isinstance(item, dict) and isinstance(item.get("ROW_CELL"), int):
                cells[item["ROW_CELL"]] = item.get("SKOR")
    else:
        problems.add("isian tidak ada", field="mapData.ROW")
    values: dict[str, Decimal | None] = {}
    for name, cell in ROW_CELLS.items():
        field = f"mapData.ROW[ROW_CELL={cell}].SKOR ({name.upper()})"
        raw = cells.get(cell)
        if raw is None and name == "idm":
            raw = summaries.get("SKOR_SAAT_INI")
            field = "mapData.SUMMARIES.SKOR_SAAT_INI"
        if raw is None:
            if name == "idm":
                problems.add("skor IDM tidak ada", field=field)
            values[name] = None
            continue
        value = _index(raw)
        if value is None:
            problems.add(f"skor bukan angka (diterima {raw!r})", field=field)
        elif not 0 <= value <= 1:
            problems.add(f"skor harus di antara 0 dan 1 (diterima {value})", field=field)
            value = None
        values[name] = value
    if kode is not None and tahun is not None:
        match = _FILE_NAME.fullmatch(source.rsplit("/", 1)[-1])
        if match and match.group(1) != kode:
            problems.add(
                f"nama berkas menyebut desa {match.group(1)}, isinya desa {kode}",
                field="mapData.IDENTITAS[0].id_desa",
            )
        if match and int(match.group(2)) != tahun:
            problems.add(
                f"nama berkas menyebut tahun {match.group(2)}, isinya tahun {tahun}",
                field="mapData.SUMMARIES.TAHUN",
            )
    if kode is not None and _BPS_DESA.fullmatch(kode) and tahun is not None:
        named.append(IdmRow(source, kode, tahun))
    score = values.get("idm")
    iks, ike, ikl = values.get("iks"), values.get("ike"), values.get("ikl")
    if score is not None and iks is not None and ike is not None and ikl is not None:
        mean = compute_idm(iks, ike, ikl)
        if abs(Fraction(score) - mean) > Fraction(IDM_TOLERANCE):
            problems.add(
                f"IDM {score} tidak sama dengan rata-rata IKS, IKE, IKL "
                f"({score_to_decimal(mean, 4)})",
                field="mapData.ROW[ROW_CELL=63].SKOR (IDM)",
            )
    problems.raise_if_any()
    if score is None or kode is None or tahun is None:  # pragma: no cover - reported above
        problems.fail("data IDM tidak lengkap")
    published = summaries.get("STATUS")
    return IdmRecord(
        kode_desa=kode,
        tahun=tahun,
        score=score_to_decimal(score),
        status=idm_status(score),
        iks=iks,
        ike=ike,
        ikl=ikl,
        status_published=str(published).strip() if published else None,
        source=source,
        nama_desa=nama,
    )


@dataclass(frozen=True, slots=True)
class Table:
    """A sheet: lower-cased header names and the data rows with their line numbers.

    ``overflow`` holds the lines that have more values than the header has columns.
    """

    header: list[str]
    rows: list[tuple[int, dict[str, object]]]
    overflow: frozenset[int] = frozenset()


def csv_table(text: str) -> Table:
    """Read a CSV text (``,`` or ``;``, optional BOM); blank lines are skipped.

    Line numbers are 1-based and the header is line 1.
    """
    text = text.lstrip("\ufeff")
    # The separator is read from the first non-blank line (blank lines are skipped below).
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, object]]] = []
    overflow: set[int] = set()
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if header is None:
            header = [h.strip().lower() for h in values]
            continue
        if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            overflow.add(line)
        rows.append(
            (line, {name: (values[i] if i < len(values) else "") for i, name in enumerate(header)})
        )
    return Table(header or [], rows, frozenset(overflow))


def _desa_code(value: str) -> str | None:
    value = value.strip()
    return value if _BPS_DESA.fullmatch(value) or _KEMENDAGRI_DESA.fullmatch(value) else None


def _desa_and_year(
    texts: dict[str, str], line: int, problems: _Problems
) -> tuple[str | None, int | None]:
    """The row's desa code and year, each None (and named in ``problems``) when wrong."""
    kode = _desa_code(texts["kode_desa"])
    if kode is None:
        problems.add(
            f"kode desa harus kode BPS 10 digit atau kode Kemendagri 35.28.08.2001 "
            f"(diterima {texts['kode_desa'].strip()!r})",
            line=line,
            field="kode_desa",
        )
    tahun_text = texts["tahun"].strip()
    tahun = int(tahun_text) if _YEAR.fullmatch(tahun_text) else None
    if tahun is None or not YEAR_MIN <= tahun <= YEAR_MAX:
        problems.add(
            f"tahun harus {YEAR_MIN}-{YEAR_MAX} (diterima {tahun_text!r})",
            line=line,
            field="tahun",
        )
        tahun = None
    return kode, tahun


def parse_idm_csv(text: str, source: str) -> list[IdmRecord]:
    """IDM rows ``kode_desa,tahun,iks,ike,ikl`` (an ``idm`` column is checked) or ``...,idm``."""
    parsed = read_idm_table(csv_table(text), source)
    if parsed.problems:
        raise ImportFailed(parsed.problems)
    return parsed.records


def _cell(value: object) -> str:
    """A cell as text: a whole number from a spreadsheet (2026.0) without its '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_idm_table(table: Table, source: str) -> IdmParse:
    """IDM rows of a CSV or XLSX sheet (the columns of :func:`parse_idm_csv`), or,
    with a ``skor`` column, published results (see :func:`_read_published`).

    Every row is checked, also after a bad one; the problems are returned, not raised.
    Only a header without the required columns stops before the rows.
    """
    problems = _Problems(source)
    header, rows = table.header, table.rows
    if not header:
        problems.add("berkas kosong: baris judul kolom tidak ada", line=1)
        return IdmParse([], [], problems.items)
    if "skor" in header:
        return _read_published(table, source, problems)
    components = {"iks", "ike", "ikl"}
    known = {"kode_desa", "tahun", "idm", *components}
    for name in header:
        if name not in known:
            problems.add(
                "kolom tidak dikenal (yang diterima: kode_desa, tahun, iks, ike, ikl, idm; "
                "atau kode_desa, tahun, skor, status)",
                line=1,
                field=name or "(kosong)",
            )
    readable = True  # whether the rows can be read with this header
    for name in ("kode_desa", "tahun"):
        if name not in header:
            problems.add("kolom wajib tidak ada", line=1, field=name)
            readable = False
    has_components = components <= set(header)
    if not has_components and "idm" not in header:
        problems.add("kolom iks, ike, ikl atau kolom idm wajib ada", line=1)
        readable = False
    elif not has_components and components & set(header):
        missing = ", ".join(sorted(components - set(header)))
        problems.add(f"kolom komponen tidak lengkap (kurang: {missing})", line=1)
        readable = False
    if not readable:
        return IdmParse([], [], problems.items)
    records: list[IdmRecord] = []
    named: list[IdmRow] = []
    seen: dict[tuple[str, int], int] = {}
    for line, row in rows:
        if line in table.overflow:
            problems.add("jumlah kolom melebihi judul", line=line)
            continue
        texts = {k: _cell(v) for k, v in row.items()}
        kode, tahun = _desa_and_year(texts, line, problems)
        values: dict[str, Decimal] = {}
        for name in ("iks", "ike", "ikl", "idm"):
            if name not in texts:
                continue
            raw = texts[name].strip()
            if not raw and name == "idm" and has_components:
                continue
            value = _decimal(raw)
            if value is None:
                problems.add(f"harus angka 0-1 (diterima {raw!r})", line=line, field=name)
            elif not 0 <= value <= 1:
                problems.add(f"harus di antara 0 dan 1 (diterima {raw})", line=line, field=name)
            else:
                values[name] = value
        if kode is None or tahun is None:
            continue
        key = (kode, tahun)
        if key in seen:
            problems.add(f"desa {kode} tahun {tahun} sudah ada di baris {seen[key]}", line=line)
            continue
        seen[key] = line
        named.append(IdmRow(source, kode, tahun, line))
        if has_components:
            if not components <= set(values):
                continue
            exact = compute_idm(values["iks"], values["ike"], values["ikl"])
            if "idm" in values and abs(Fraction(values["idm"]) - exact) > Fraction(IDM_TOLERANCE):
                problems.add(
                    f"idm {values['idm']} tidak sama dengan rata-rata iks, ike, ikl "
                    f"({score_to_decimal(exact, 4)})",
                    line=line,
                    field="idm",
                )
                continue
            records.append(
                IdmRecord(
                    kode_desa=kode,
                    tahun=tahun,
                    score=score_to_decimal(exact),
                    status=idm_status(exact),
                    iks=values["iks"],
                    ike=values["ike"],
                    ikl=values["ikl"],
                    source=source,
                    line=line,
                )
            )
        elif "idm" in values:
            records.append(
                IdmRecord(
                    kode_desa=kode,
                    tahun=tahun,
                    score=score_to_decimal(values["idm"]),
                    status=idm_status(values["idm"]),
                    source=source,
                    line=line,
                )
            )
    if not rows:
        problems.add("tidak ada baris data", line=2)
    return IdmParse(records, named, problems.items)


PUBLISHED_COLUMNS = ("kode_desa", "tahun", "skor", "status")
DIMENSION_COLUMNS = tuple(name for name, _ in DIMENSIONS)
SUMBER_MAX = 200
SCORE_PLACES = 14
_STATUS_NAMES = ", ".join(s.label for s in reversed(IdmStatus))


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _read_published(table: Table, source: str, problems: _Problems) -> IdmParse:
    """Rows ``kode_desa,tahun,skor,status`` (optional: the six Indeks Desa dimensions and
    ``sumber``), the score and status as published.

    The year decides the index: up to 2024 IDM (skor 0-1; the status is computed from
    the score and a different published one is kept, to be flagged), from 2025 the
    Indeks Desa (skor 0-100; the published status is the status).
    """
    header = table.header
    known = {*PUBLISHED_COLUMNS, *DIMENSION_COLUMNS, "sumber"}
    accepted = ", ".join((*PUBLISHED_COLUMNS, *DIMENSION_COLUMNS, "sumber"))
    for name in header:
        if name not in known:
            problems.add(
                f"kolom tidak dikenal (yang diterima: {accepted})",
                line=1,
                field=name or "(kosong)",
            )
    readable = True
    for name in PUBLISHED_COLUMNS:
        if name not in header:
            problems.add("kolom wajib tidak ada", line=1, field=name)
            readable = False
    if not readable:
        return IdmParse([], [], problems.items)
    records: list[IdmRecord] = []
    named: list[IdmRow] = []
    seen: dict[tuple[str, int], int] = {}
    for line, row in table.rows:
        if line in table.overflow:
            problems.add("jumlah kolom melebihi judul", line=line)
            continue
        texts = {k: _cell(v) for k, v in row.items()}
        ok = True
        kode, tahun = _desa_and_year(texts, line, problems)
        index = None if tahun is None else index_for_year(tahun)
        raw = texts["skor"].strip()
        skor = _decimal(raw)
        if skor is None:
            problems.add(f"skor harus angka (diterima {raw!r})", line=line, field="skor")
            ok = False
        elif _places(skor) > SCORE_PLACES:
            problems.add(
                f"skor paling banyak {SCORE_PLACES} desimal (diterima {raw})",
                line=line,
                field="skor",
            )
            ok = False
        elif index is not None and not 0 <= skor <= index.maximum:
            rule = (
                "IDM (tahun 2024 dan sebelumnya) harus 0-1"
                if index is VillageIndex.IDM
                else f"Indeks Desa (tahun {INDEKS_DESA_FIRST_YEAR} dan sesudahnya) harus 0-100"
            )
            problems.add(f"skor {rule} (diterima {raw})", line=line, field="skor")
            ok = False
        status_text = texts["status"].strip()
        published: IdmStatus | None = None
        try:
            published = IdmStatus.from_label(status_text) if status_text else None
        except ValueError:
            published = None
        if published is None:
            problems.add(
                f"status harus salah satu dari {_STATUS_NAMES} (diterima {status_text!r})",
                line=line,
                field="status",
            )
            ok = False
        dimensions: dict[str, Decimal] = {}
        for name in DIMENSION_COLUMNS:
            value_text = texts.get(name, "").strip()
            if not value_text:
                continue
            value = _decimal(value_text)
            if value is None or not 0 <= value <= 100 or _places(value) > SCORE_PLACES:
                problems.add(f"harus angka 0-100 (diterima {value_text!r})", line=line, field=name)
                ok = False
            elif index is VillageIndex.IDM:
                problems.add(
                    f"skor dimensi hanya untuk Indeks Desa (tahun {INDEKS_DESA_FIRST_YEAR} "
                    "dan sesudahnya)",
                    line=line,
                    field=name,
                )
                ok = False
            else:
                dimensions[name] = value
        sumber = " ".join(texts.get("sumber", "").split())
        if len(sumber) > SUMBER_MAX:
            problems.add(f"sumber paling banyak {SUMBER_MAX} karakter", line=line, field="sumber")
            ok = False
        if kode is None or tahun is None or index is None:
            continue
        key = (kode, tahun)
        if key in seen:
            problems.add(f"desa {kode} tahun {tahun} sudah ada di baris {seen[key]}", line=line)
            continue
        seen[key] = line
        named.append(IdmRow(source, kode, tahun, line))
        if not ok or skor is None or published is None:
            continue
        records.append(
            IdmRecord(
                kode_desa=kode,
                tahun=tahun,
                score=score_to_decimal(skor),
                # IDM: computed from the score (a different published one is flagged);
                # Indeks Desa: as the decree published it.
                status=idm_status(skor) if index is VillageIndex.IDM else published,
                status_published=published.label,
                source=source,
                line=line,
                index=index,
                dimensions=dimensions or None,
                status_source=sumber or source,
            )
        )
    if not table.rows:
        problems.add("tidak ada baris data", line=2)
    return IdmParse(records, named, problems.items)


@dataclass(frozen=True, slots=True)
class SkmRow:
    """One typed-in questionnaire."""

    line: int
    survey_date: date
    answers: dict[str, int | None]
    layanan: str | None = None
    jenis_kelamin: str | None = None
    usia: int | None = None
    pendidikan: str | None = None
    pekerjaan: str | None = None
    saran: str | None = None


SKM_OPTIONAL = ("layanan", "jenis_kelamin", "usia", "pendidikan", "pekerjaan", "saran")
USIA_MIN, USIA_MAX = 15, 100
SARAN_MAX = 1000
_GENDER = {"l": "L", "laki-laki": "L", "laki laki": "L", "p": "P", "perempuan": "P"}


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _score(value: object) -> int | None:
    """1-4 from an int, a whole float (Excel) or a digit string; raises ValueError."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        number = int(value)
    elif isinstance(value, str):
        dec = _decimal(value)
        if dec is None or dec != dec.to_integral_value():
            raise ValueError
        number = int(dec)
    else:
        raise ValueError
    if not 1 <= number <= 4:
        raise ValueError
    return number


def _survey_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return date.fromisoformat(value.strip())
    raise ValueError


def _choice(value: str, options: Iterable[str]) -> str | None:
    wanted = value.strip().lower()
    return next((o for o in options if o.lower() == wanted), None)


def parse_skm_rows(table: Table, source: str, *, today: date) -> list[SkmRow]:
    """Validate SKM rows (``tanggal`` + nine unsur, optional profile); all or nothing.

    Decided: ``usia`` is a whole number from 15 to 100 (respondents are adults
    served at the office); a ``tanggal`` after ``today`` is refused.
    """
    problems = _Problems(source)
    header = set(table.header)
    if not table.header:
        problems.fail("berkas kosong: baris judul kolom tidak ada", line=1)
    for name in ("tanggal", *UNSUR):
        if name not in header:
            problems.add("kolom wajib tidak ada", line=1, field=name)
    for name in table.header:
        if name and name not in {"tanggal", *UNSUR, *SKM_OPTIONAL}:
            problems.add("kolom tidak dikenal", line=1, field=name)
    problems.raise_if_any()
    data = table.rows
    out: list[SkmRow] = []
    for line, row in data:
        if all(_blank(v) for v in row.values()):
            continue
        if line in table.overflow:
            problems.add("jumlah kolom melebihi judul", line=line)
            continue
        ok = True
        try:
            day = _survey_date(row.get("tanggal"))
            if day > today:
                problems.add(
                    f"tanggal {day.isoformat()} belum terjadi (hari ini {today.isoformat()})",
                    line=line,
                    field="tanggal",
                )
                ok = False
        except ValueError:
            problems.add(
                f"tanggal harus berformat YYYY-MM-DD (diterima {row.get('tanggal')!r})",
                line=line,
                field="tanggal",
            )
            ok = False
            day = today
        answers: dict[str, int | None] = {}
        for key in UNSUR:
            value = row.get(key)
            if _blank(value):
                answers[key] = None
                continue
            try:
                answers[key] = _score(value)
            except ValueError:
                problems.add(
                    f"nilai harus 1, 2, 3 atau 4 (diterima {value!r})", line=line, field=key
                )
                ok = False
        if ok and all(v is None for v in answers.values()):
            problems.add("tidak ada satu pun unsur yang diisi", line=line)
            ok = False
        profile: dict[str, Any] = {}
        layanan = row.get("layanan")
        profile["layanan"] = None if _blank(layanan) else " ".join(str(layanan).split())
        gender = row.get("jenis_kelamin")
        if not _blank(gender):
            mapped = _GENDER.get(str(gender).strip().lower())
            if mapped is None:
                problems.add(
                    f"jenis kelamin harus L atau P (diterima {gender!r})",
                    line=line,
                    field="jenis_kelamin",
                )
                ok = False
            profile["jenis_kelamin"] = mapped
        usia = row.get("usia")
        if not _blank(usia):
            try:
                age = _score_like_int(usia)
                if not USIA_MIN <= age <= USIA_MAX:
                    raise ValueError
                profile["usia"] = age
            except ValueError:
                problems.add(
                    f"usia harus bilangan bulat {USIA_MIN}-{USIA_MAX} (diterima {usia!r})",
                    line=line,
                    field="usia",
                )
                ok = False
        for name, options in (("pendidikan", PENDIDIKAN_JAWABAN), ("pekerjaan", PEKERJAAN_JAWABAN)):
            value = row.get(name)
            if _blank(value):
                continue
            chosen = _choice(str(value), options)
            if chosen is None:
                problems.add(
                    f"harus salah satu dari {', '.join(options)} (diterima {value!r})",
                    line=line,
                    field=name,
                )
                ok = False
            profile[name] = chosen
        saran = row.get("saran")
        if not _blank(saran):
            text = str(saran).strip()
            if len(text) > SARAN_MAX:
                problems.add(f"saran paling banyak {SARAN_MAX} karakter", line=line, field="saran")
                ok = False
            profile["saran"] = text
        if ok:
            out.append(SkmRow(line=line, survey_date=day, answers=answers, **profile))
    if not data:
        problems.add("tidak ada baris data", line=2)
    problems.raise_if_any()
    return out


def _score_like_int(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value.strip()):
        return int(value.strip())
    raise ValueError
