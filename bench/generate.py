"""The large synthetic database every performance figure of the README is measured on.

One command fills an empty database (SQLite file or PostgreSQL) with a whole kabupaten:

    uv run python -m bench.generate --database-url sqlite:///bench/besar.db
    uv run python -m bench.generate --database-url postgresql+psycopg://user@host/db_kosong
    uv run python -m bench.generate --database-url sqlite:///kecil.db --scale 0.01

At ``--scale 1`` (the default) that is 13 kecamatan with 194 desa, ten years of reports
(2017-2026): 1,000,000 incidents with about 2.9 million follow-up events, 200,000 SKM
responses, the village index of every desa for every year (IDM 2016-2024, Indeks Desa
2025), desa tematik, laporan nihil, targets, officers and one digest group per kecamatan.

Decisions:
- Kecamatan Larangan (35.28.08) is the packaged data file, with its real desa; the other
  twelve are synthetic ("Sintetis 01" ..., codes 35.28.01 ... 35.28.13 without 08, BPS
  codes 35289NN) so that no one mistakes them for official data.
- The kecamatan and desa go through ``storage.seed`` (the path ``iku-bot db seed`` takes);
  the millions of rows are inserted with Core statements in batches, with explicit ids,
  and PostgreSQL's sequences are moved past them afterwards, so that the bot can go on
  writing to the database (new reports continue each kecamatan's numbering).
- Everything is drawn from one seeded random generator: the same arguments give the same
  database, so every figure can be reproduced.
- Statuses follow a plausible life: older cases are almost all handled, recent ones
  less so; each incident has its "diterima" event, most a "diproses" one (a fifth of the
  handled ones are handled at once), a few a second note, every handled one its
  "tertangani" event: about 2.9 events per incident.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, text
from sqlmodel import SQLModel, col

from domain.idm import (
    DIMENSIONS,
    IdmStatus,
    VillageIndex,
    compute_idm,
    idm_status,
    score_to_decimal,
)
from domain.incidents import CATEGORIES
from domain.models import (
    IncidentKind,
    IncidentStatus,
    IndicatorCode,
    Role,
    Seksi,
    Tema,
    UserStatus,
    tracking_number,
)
from domain.ports import DesaSeed, KecamatanSeed, ServiceSeed
from domain.skm import PEKERJAAN, PENDIDIKAN, UNSUR
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.seed import packaged_kecamatan, seed_kecamatan
from storage.tables import (
    DesaTematikRow,
    DigestGroupRow,
    IdmResultRow,
    IncidentEventRow,
    IncidentRow,
    NilReportRow,
    SkmResponseRow,
    TargetRow,
    TrackingCounterRow,
    UserRow,
)
from storage.uow import SqlUnitOfWork

__all__ = ["Scale", "generate", "main"]

BATCH = 5000
FIRST_YEAR = 2017
LAST_YEAR = 2026
LAST_DAY = date(LAST_YEAR, 11, 30)
LARANGAN = "35.28.08"
INDEKS_DESA_DECREE = "Kepmendes No. 343 Tahun 2025 (data sintetis)"
SERVICES = (
    ServiceSeed("ktp", "Rekomendasi KTP-el"),
    ServiceSeed("kk", "Kartu Keluarga"),
    ServiceSeed("sktm", "Surat Keterangan Tidak Mampu"),
)


@dataclass(frozen=True, slots=True)
class Scale:
    """How big a database: the defaults are the kabupaten of the README's figures."""

    kecamatan: int = 13
    desa: int = 194
    incidents: int = 1_000_000
    responses: int = 200_000

    @classmethod
    def of(cls, factor: float) -> Scale:
        """The default database scaled by ``factor`` (at least 2 kecamatan, 20 desa)."""
        return cls(
            kecamatan=max(2, min(13, math.ceil(13 * factor))),
            desa=194 if factor >= 1 else max(20, math.ceil(194 * factor)),
            incidents=max(1, round(1_000_000 * factor)),
            responses=max(1, round(200_000 * factor)),
        )


@dataclass
class Counts:
    """Rows written per table, printed at the end."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, number: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + number


@dataclass(frozen=True, slots=True)
class Place:
    """A kecamatan of the generated kabupaten with its desa and officers."""

    id: int
    kode: str
    desa: tuple[int, ...]
    perangkat: dict[int, int]  # desa id -> user id
    seksi: dict[Seksi, int]  # seksi -> user id
    services: tuple[int, ...]


def kabupaten_seeds(scale: Scale) -> list[KecamatanSeed]:
    """Larangan as packaged, and synthetic kecamatan up to ``scale`` (desa shared out)."""
    larangan = packaged_kecamatan(LARANGAN)
    assert larangan is not None
    seeds = [larangan]
    others = [n for n in range(1, 14) if f"35.28.{n:02d}" != LARANGAN][: scale.kecamatan - 1]
    left = max(scale.desa - len(larangan.desa), len(others))
    for index, number in enumerate(others):
        share = left // len(others) + (1 if index < left % len(others) else 0)
        kode = f"35.28.{number:02d}"
        bps = f"35289{number:02d}"
        seeds.append(
            KecamatanSeed(
                kode=kode,
                kode_bps=bps,
                nama=f"Sintetis {number:02d}",
                kabupaten=larangan.kabupaten,
                provinsi=larangan.provinsi,
                desa=tuple(
                    DesaSeed(
                        kode=f"{kode}.{2000 + d:04d}",
                        kode_bps=f"{bps}{d:03d}",
                        nama=f"Desa Sintetis {number:02d}-{d:02d}",
                    )
                    for d in range(1, share + 1)
                ),
                layanan_contoh=SERVICES,
            )
        )
    return seeds


class Writer:
    """Batched Core inserts with explicit ids, counted per table."""

    def __init__(self, conn: Connection, counts: Counts) -> None:
        self.conn = conn
        self.counts = counts
        self.pending: dict[type[SQLModel], list[dict[str, Any]]] = {}
        self.next_id: dict[type[SQLModel], int] = {}

    def start_ids(self, table: type[SQLModel]) -> None:
        """Continue after the highest id already in ``table``."""
        highest = self.conn.execute(select(func.max(col(table.id)))).scalar()  # type: ignore[attr-defined]
        self.next_id[table] = int(highest or 0) + 1

    def new_id(self, table: type[SQLModel]) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def add(self, table: type[SQLModel], row: dict[str, Any]) -> None:
        batch = self.pending.setdefault(table, [])
        batch.append(row)
        if len(batch) >= BATCH:  # every table, parents first (the order they came in)
            self.flush()

    def flush(self, table: type[SQLModel] | None = None) -> None:
        for each in [table] if table is not None else list(self.pending):
            batch = self.pending.get(each)
            if batch:
                self.conn.execute(insert(each), batch)
                self.counts.add(str(each.__tablename__), len(batch))
                self.pending[each] = []


def _seed_places(engine: Engine, seeds: list[KecamatanSeed]) -> None:
    factory = make_session_factory(engine)
    with SqlUnitOfWork(factory) as uow:
        for seed in seeds:
            seed_kecamatan(uow, seed)
        uow.commit()


def _person(
    writer: Writer,
    kec_id: int,
    role: Role,
    seksi: Seksi | None,
    desa_id: int | None,
    at: datetime,
) -> int:
    """An active officer; the Telegram id follows the user id (unique, never real)."""
    user_id = writer.new_id(UserRow)
    writer.add(
        UserRow,
        {
            "id": user_id,
            "telegram_id": 7_000_000 + user_id,
            "nama": f"Petugas {user_id}",
            "jabatan": "Sekretaris Desa" if seksi is None else f"Staf {seksi.full_name}",
            "role": role.value,
            "seksi": None if seksi is None else seksi.value,
            "desa_id": desa_id,
            "kecamatan_id": kec_id,
            "status": UserStatus.ACTIVE.value,
            "created_at": at,
            "updated_at": at,
        },
    )
    return user_id


def _places(conn: Connection, writer: Writer, at: datetime) -> list[Place]:
    """Officers for every kecamatan (admin, one per seksi, one perangkat per desa)."""
    places: list[Place] = []
    writer.start_ids(UserRow)
    rows: list[Any] = list(conn.execute(text("SELECT id, kode FROM kecamatan ORDER BY kode")))
    for kec_id, kode in rows:
        desa = tuple(
            int(d)
            for d in conn.execute(
                text("SELECT id FROM desa WHERE kecamatan_id = :k ORDER BY id"), {"k": kec_id}
            ).scalars()
        )
        services = tuple(
            int(s)
            for s in conn.execute(
                text("SELECT id FROM skm_service WHERE kecamatan_id = :k ORDER BY id"),
                {"k": kec_id},
            ).scalars()
        )
        _person(writer, kec_id, Role.ADMIN, None, None, at)
        seksi = {s: _person(writer, kec_id, Role.STAF_SEKSI, s, None, at) for s in Seksi}
        perangkat = {d: _person(writer, kec_id, Role.PERANGKAT_DESA, None, d, at) for d in desa}
        places.append(Place(int(kec_id), str(kode), desa, perangkat, seksi, services))
    writer.flush(UserRow)
    return places


def _received(day: date, rng: random.Random) -> datetime:
    """Received 0-3 days after the event, in office hours (UTC)."""
    moment = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
        days=rng.choice((0, 0, 0, 1, 1, 2, 3)),
        hours=rng.randrange(0, 10),
        minutes=rng.randrange(60),
    )
    return min(moment, datetime(LAST_DAY.year, LAST_DAY.month, LAST_DAY.day, 12, tzinfo=UTC))


def _incidents(writer: Writer, places: list[Place], number: int, rng: random.Random) -> None:
    """``number`` incidents spread by desa over the years, with their follow-up events."""
    writer.start_ids(IncidentRow)
    writer.start_ids(IncidentEventRow)
    weights = [len(p.desa) for p in places]
    span = (LAST_DAY - date(FIRST_YEAR, 1, 1)).days + 1
    seq: dict[tuple[int, IncidentKind, int], int] = {}
    categories = {kind: sorted(CATEGORIES[kind]) for kind in IncidentKind}
    for _ in range(number):
        place = rng.choices(places, weights)[0]
        kind = IncidentKind.KONFLIK if rng.random() < 0.3 else IncidentKind.TRANTIBUM
        day = date(FIRST_YEAR, 1, 1) + timedelta(days=rng.randrange(span))
        received = _received(day, rng)
        tahun = received.year
        key = (place.id, kind, tahun)
        seq[key] = seq.get(key, 0) + 1
        age = (LAST_DAY - day).days
        draw = rng.random()
        handled_share = 0.97 if age > 60 else 0.6 if age > 14 else 0.3
        if draw < handled_share:
            status = IncidentStatus.TERTANGANI
        elif draw < handled_share + (1 - handled_share) * 0.6:
            status = IncidentStatus.DIPROSES
        else:
            status = IncidentStatus.BARU
        desa_id = rng.choice(place.desa)
        reporter = place.perangkat[desa_id]
        handler = place.seksi[Seksi.KESBANG if kind is IncidentKind.KONFLIK else Seksi.TRANTIB]
        incident_id = writer.new_id(IncidentRow)
        events: list[tuple[str | None, str, str, int, datetime]] = [
            (None, IncidentStatus.BARU.value, "Laporan diterima", reporter, received)
        ]
        moment = received
        direct = status is IncidentStatus.TERTANGANI and rng.random() < 0.2
        if status is not IncidentStatus.BARU and not direct:
            moment += timedelta(hours=rng.randrange(2, 48))
            events.append(
                ("baru", IncidentStatus.DIPROSES.value, "Sedang ditangani", handler, moment)
            )
            if rng.random() < 0.15:
                moment += timedelta(hours=rng.randrange(2, 72))
                events.append(
                    ("diproses", IncidentStatus.DIPROSES.value, "Mediasi lanjutan", handler, moment)
                )
        handled_at = None
        if status is IncidentStatus.TERTANGANI:
            moment += timedelta(hours=rng.randrange(2, 240))
            handled_at = moment
            last_status = events[-1][1]
            events.append(
                (last_status, IncidentStatus.TERTANGANI.value, "Selesai", handler, moment)
            )
        writer.add(
            IncidentRow,
            {
                "id": incident_id,
                "nomor": _nomor(place.kode, kind, tahun, seq[key]),
                "kind": kind.value,
                "tahun": tahun,
                "seq": seq[key],
                "kecamatan_id": place.id,
                "desa_id": desa_id,
                "event_date": day,
                "received_at": received,
                "category": rng.choice(categories[kind]),
                "description": "Kejadian sintetis untuk pengukuran kinerja",
                "stage": "terjadi" if kind is IncidentKind.KONFLIK else None,
                "status": status.value,
                "handled_at": handled_at,
                "reporter_id": reporter,
                "version": len(events),
                "late_entry": False,
                "created_at": received,
                "updated_at": moment,
            },
        )
        for before, after, note, user_id, created in events:
            writer.add(
                IncidentEventRow,
                {
                    "id": writer.new_id(IncidentEventRow),
                    "incident_id": incident_id,
                    "from_status": before,
                    "to_status": after,
                    "note": note,
                    "user_id": user_id,
                    "created_at": created,
                },
            )
    writer.flush()
    _counters(writer.conn, seq)


def _nomor(kecamatan_kode: str, kind: IncidentKind, tahun: int, seq: int) -> str:
    """The tracking number the bot would have given (see ``domain.models``)."""
    return tracking_number(kind, kecamatan_kode, tahun, seq)


def _counters(conn: Connection, seq: dict[tuple[int, IncidentKind, int], int]) -> None:
    """Each counter at the last number used, so new reports continue the numbering."""
    conn.execute(
        insert(TrackingCounterRow),
        [
            {"kecamatan_id": kec_id, "kind": kind.value, "tahun": tahun, "last": value}
            for (kec_id, kind, tahun), value in seq.items()
        ],
    )


def _responses(writer: Writer, places: list[Place], number: int, rng: random.Random) -> None:
    """Anonymous SKM answers over the years, mostly good, a few unanswered unsur."""
    writer.start_ids(SkmResponseRow)
    weights = [len(p.desa) for p in places]
    span = (LAST_DAY - date(FIRST_YEAR, 1, 1)).days + 1
    at = datetime(LAST_YEAR, 1, 1, tzinfo=UTC)
    for _ in range(number):
        place = rng.choices(places, weights)[0]
        row: dict[str, Any] = {
            "id": writer.new_id(SkmResponseRow),
            "kecamatan_id": place.id,
            "service_id": rng.choice(place.services) if place.services else None,
            "survey_date": date(FIRST_YEAR, 1, 1) + timedelta(days=rng.randrange(span)),
            "jenis_kelamin": rng.choice("LP"),
            "usia": rng.randrange(17, 75),
            "pendidikan": rng.choice(PENDIDIKAN),
            "pekerjaan": rng.choice(PEKERJAAN),
            "saran": "Pelayanan sudah baik" if rng.random() < 0.1 else None,
            "source": "chat",
            "created_at": at,
        }
        for key in UNSUR:
            row[f"u_{key}"] = None if rng.random() < 0.01 else rng.choice((2, 3, 3, 3, 4, 4))
        writer.add(SkmResponseRow, row)
    writer.flush()


def _village_index(writer: Writer, places: list[Place], rng: random.Random, at: datetime) -> None:
    """IDM 2016-2024 (IKS, IKE, IKL, exact mean) and the Indeks Desa of 2025 per desa."""
    for place in places:
        for desa_id in place.desa:
            base = rng.uniform(0.50, 0.72)
            growth = rng.uniform(0.005, 0.02)
            for tahun in range(2016, 2025):
                trend = base + growth * (tahun - 2016)
                parts = [
                    Decimal(f"{min(0.99, max(0.30, trend + rng.uniform(-0.04, 0.04))):.4f}")
                    for _ in range(3)
                ]
                score = compute_idm(*parts)
                status = idm_status(score)
                writer.add(
                    IdmResultRow,
                    {
                        "desa_id": desa_id,
                        "tahun": tahun,
                        "iks": parts[0],
                        "ike": parts[1],
                        "ikl": parts[2],
                        "score": score_to_decimal(score),
                        "status": status.value,
                        "status_published": status.label,
                        "source": f"IDM {tahun} (data sintetis)",
                        "updated_at": at,
                        "indeks": VillageIndex.IDM.value,
                        "dimensi": None,
                        "status_source": None,
                    },
                )
            value = Decimal(f"{min(99.0, 100 * (base + growth * 9) + rng.uniform(-5, 5)):.2f}")
            published = _indeks_desa_status(value)
            dimensions = {
                key: f"{min(100.0, float(value) + rng.uniform(-8, 8)):.2f}" for key, _ in DIMENSIONS
            }
            writer.add(
                IdmResultRow,
                {
                    "desa_id": desa_id,
                    "tahun": 2025,
                    "iks": None,
                    "ike": None,
                    "ikl": None,
                    "score": value,
                    "status": published.value,
                    "status_published": published.label,
                    "source": "Indeks Desa 2025 (data sintetis)",
                    "updated_at": at,
                    "indeks": VillageIndex.INDEKS_DESA.value,
                    "dimensi": json.dumps(dimensions),
                    "status_source": INDEKS_DESA_DECREE,
                },
            )
    writer.flush()


def _indeks_desa_status(value: Decimal) -> IdmStatus:
    """A plausible published status for a synthetic Indeks Desa score (not a rule)."""
    for status, bound in (
        (IdmStatus.SANGAT_TERTINGGAL, 45),
        (IdmStatus.TERTINGGAL, 55),
        (IdmStatus.BERKEMBANG, 65),
        (IdmStatus.MAJU, 78),
    ):
        if value <= bound:
            return status
    return IdmStatus.MANDIRI


def _office_records(writer: Writer, places: list[Place], rng: random.Random, at: datetime) -> None:
    """Desa tematik, laporan nihil of the last two years, targets, digest groups."""
    themes = [t for t in Tema if t is not Tema.LAINNYA]
    for number, place in enumerate(places, start=1):
        for tahun in range(FIRST_YEAR, LAST_YEAR + 1):
            for desa_id in place.desa:
                if rng.random() < 0.08:
                    writer.add(
                        DesaTematikRow,
                        {
                            "desa_id": desa_id,
                            "tema": rng.choice(themes).value,
                            "tahun": tahun,
                            "referensi": f"SK Kepala Desa {tahun} (data sintetis)",
                            "active": True,
                            "created_by": place.seksi[Seksi.PMD],
                            "created_at": at,
                        },
                    )
            for indicator, value in (
                (IndicatorCode.DESA_MANDIRI, Decimal(1)),
                (IndicatorCode.DESA_TEMATIK, Decimal(2)),
                (IndicatorCode.KONFLIK_TERTANGANI, Decimal(100)),
                (IndicatorCode.TRANTIBUM_TERTANGANI, Decimal(100)),
                (IndicatorCode.SKM, Decimal(80)),
            ):
                writer.add(
                    TargetRow,
                    {
                        "kecamatan_id": place.id,
                        "indicator": indicator.value,
                        "tahun": tahun,
                        "value": value,
                        "updated_at": at,
                    },
                )
        for week in _weeks(LAST_DAY - timedelta(weeks=104), LAST_DAY):
            for desa_id in place.desa:
                if rng.random() < 0.4:
                    writer.add(
                        NilReportRow,
                        {
                            "desa_id": desa_id,
                            "iso_year": week[0],
                            "iso_week": week[1],
                            "user_id": place.perangkat[desa_id],
                            "created_at": at,
                        },
                    )
        writer.add(
            DigestGroupRow,
            {
                "kecamatan_id": place.id,
                "chat_id": -1_000_000_000_000 - number,
                "title": f"Grup Camat {place.kode}",
                "bound_at": at,
            },
        )
    writer.flush()


def _weeks(start: date, end: date) -> Iterator[tuple[int, int]]:
    day = start
    while day <= end:
        iso = day.isocalendar()
        yield iso.year, iso.week
        day += timedelta(weeks=1)


def _move_sequences(conn: Connection) -> None:
    """PostgreSQL: every serial id past the rows inserted with explicit ids."""
    if conn.dialect.name != "postgresql":
        return
    for table in (UserRow, IncidentRow, IncidentEventRow, SkmResponseRow):
        name = table.__tablename__
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
            )
        )


def generate(engine: Engine, url: str, scale: Scale, seed: int = 2026) -> Counts:
    """Fill the empty database at ``url`` (migrations first) and return the rows written."""
    upgrade(url)
    rng = random.Random(seed)
    counts = Counts()
    with engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(IncidentRow)).scalar():
            raise SystemExit("Basis data tidak kosong: pembangkit hanya mengisi basis data baru.")
    seeds = kabupaten_seeds(scale)
    _seed_places(engine, seeds)
    counts.add("kecamatan", len(seeds))
    counts.add("desa", sum(len(s.desa) for s in seeds))
    at = datetime(LAST_YEAR, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        writer = Writer(conn, counts)
        places = _places(conn, writer, at)
        _incidents(writer, places, scale.incidents, rng)
        _responses(writer, places, scale.responses, rng)
        _village_index(writer, places, rng, at)
        _office_records(writer, places, rng, at)
        _move_sequences(conn)
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True, help="basis data kosong")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = basis data README")
    parser.add_argument("--incidents", type=int, help="ganti jumlah laporan")
    parser.add_argument("--responses", type=int, help="ganti jumlah responden SKM")
    parser.add_argument("--seed", type=int, default=2026, help="benih acak (hasil sama)")
    args = parser.parse_args(argv)
    scale = Scale.of(args.scale)
    scale = Scale(
        kecamatan=scale.kecamatan,
        desa=scale.desa,
        incidents=args.incidents if args.incidents is not None else scale.incidents,
        responses=args.responses if args.responses is not None else scale.responses,
    )
    engine = make_engine(args.database_url)
    started = time.perf_counter()
    try:
        counts = generate(engine, args.database_url, scale, args.seed)
    finally:
        engine.dispose()
    for table, number in sorted(counts.rows.items()):
        print(f"{table:20} {number:>10,}")
    print(f"selesai dalam {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
