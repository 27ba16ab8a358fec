"""Import batches on SQLite and PostgreSQL: the same file once, --ganti, undo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from domain.batches import (
    IdmFile,
    ImportedFile,
    Importer,
    file_sha256,
    import_idm_files,
    import_skm_file,
    undo_batch,
)
from domain.errors import ImportFailed, InvalidInput, NotFound
from domain.idm import IdmStatus
from domain.importing import SkmRow, csv_table, read_idm_table
from domain.models import (
    Desa,
    IdmResult,
    ImportBatch,
    ImportKind,
    ImportSource,
    Kecamatan,
    Role,
    Seksi,
    SkmResponse,
)
from domain.ports import UnitOfWork
from domain.records import record_idm
from domain.skm import UNSUR
from storage.engine import make_engine
from storage.migrate import alembic_config, current_revision, head_revision, upgrade
from storage.tables import AuditLogRow, IdmImportChangeRow, SkmResponseRow
from tests.factories import store_user
from tests.storage.builders import jakarta

UowFactory = Callable[[], UnitOfWork]
NOW = jakarta(2026, 11, 20, 9)
LATER = jakarta(2026, 11, 21, 14, 30)
CLI = Importer("cli:budi", ImportSource.CLI)


def _explain(batch: ImportBatch) -> str:
    return f"sudah diimpor sebagai batch #{batch.id}"


def _when(moment: datetime) -> str:
    return moment.isoformat()


def _rows(count: int = 29) -> list[SkmRow]:
    return [
        SkmRow(
            line=n + 2,
            survey_date=date(2026, 3, 10),
            answers=dict.fromkeys(UNSUR, 4 if n % 2 else 3),
            saran=f"saran {n}",
        )
        for n in range(count)
    ]


def _skm(
    uow_factory: UowFactory,
    kec: Kecamatan,
    *,
    content: bytes = b"sheet-1",
    replace: bool = False,
    rows: list[SkmRow] | None = None,
    now: datetime = NOW,
) -> ImportBatch:
    with uow_factory() as uow:
        result = import_skm_file(
            uow,
            _rows() if rows is None else rows,
            kecamatan_id=kec.id,
            file=ImportedFile("kuesioner.xlsx", file_sha256(content)),
            now=now,
            importer=CLI,
            explain=_explain,
            replace=replace,
        )
        uow.commit()
    return result.batch


def _responses(session_factory: sessionmaker[Session]) -> list[tuple[int | None, str | None]]:
    with session_factory() as session:
        rows = session.execute(
            select(col(SkmResponseRow.batch_id), col(SkmResponseRow.saran)).order_by(
                col(SkmResponseRow.id)
            )
        )
        return [(r[0], r[1]) for r in rows]


def _audit(session_factory: sessionmaker[Session]) -> list[AuditLogRow]:
    with session_factory() as session:
        return list(session.scalars(select(AuditLogRow).order_by(col(AuditLogRow.id))))


def _undo(uow_factory: UowFactory, kec: Kecamatan, batch_id: int, now: datetime = LATER) -> None:
    with uow_factory() as uow:
        undo_batch(uow, batch_id, kecamatan_id=kec.id, now=now, importer=CLI, when=_when)
        uow.commit()


# --- SKM ----------------------------------------------------------------------------------


def test_the_same_sheet_again_is_refused_and_29_respondents_stay_29(
    uow_factory: UowFactory, larangan: Kecamatan, session_factory: sessionmaker[Session]
) -> None:
    first = _skm(uow_factory, larangan)
    assert (first.kind, first.source, first.actor) == (ImportKind.SKM, ImportSource.CLI, "cli:budi")
    assert (first.rows_read, first.stored, first.replaced) == (29, 29, 0)
    assert first.sha256 == file_sha256(b"sheet-1")
    assert first.created_at == NOW
    with pytest.raises(ImportFailed) as refused:
        _skm(uow_factory, larangan)
    assert [str(p) for p in refused.value.problems] == [
        f"kuesioner.xlsx: sudah diimpor sebagai batch #{first.id}"
    ]
    responses = _responses(session_factory)
    assert len(responses) == 29
    assert {batch for batch, _ in responses} == {first.id}
    assert len({saran for _, saran in responses}) == 29  # no suggestion twice
    with uow_factory() as uow:
        assert [b.id for b in uow.imports.list_for_kecamatan(larangan.id)] == [first.id]


def test_ganti_undoes_the_earlier_sheet_and_stores_it_once(
    uow_factory: UowFactory, larangan: Kecamatan, session_factory: sessionmaker[Session]
) -> None:
    first = _skm(uow_factory, larangan)
    second = _skm(uow_factory, larangan, replace=True, now=LATER)
    assert (second.rows_read, second.stored, second.replaced) == (29, 29, 29)
    responses = _responses(session_factory)
    assert len(responses) == 29
    assert {batch for batch, _ in responses} == {second.id}
    with uow_factory() as uow:
        old = uow.imports.get(first.id)
        assert old is not None
        assert (old.undone_at, old.undone_by, old.replaced_by) == (LATER, "cli:budi", second.id)
        assert uow.imports.find_active(larangan.id, ImportKind.SKM, first.sha256) == second
    actions = [(a.action, a.entity_id) for a in _audit(session_factory)]
    assert actions[-2:] == [("undo_import", str(first.id)), ("import_skm", None)]


def test_ganti_with_a_bad_sheet_keeps_the_earlier_one(
    uow_factory: UowFactory, larangan: Kecamatan, session_factory: sessionmaker[Session]
) -> None:
    first = _skm(uow_factory, larangan)
    bad = [*_rows(), SkmRow(line=31, survey_date=date(2026, 3, 10), answers={}, layanan="x")]
    with pytest.raises(ImportFailed, match="layanan 'x' belum terdaftar"):
        _skm(uow_factory, larangan, replace=True, rows=bad)
    assert {batch for batch, _ in _responses(session_factory)} == {first.id}
    with uow_factory() as uow:
        assert uow.imports.get(first.id) == first  # not undone: one transaction


def test_undo_removes_the_sheet_only_and_is_audited_and_refused_twice(
    uow_factory: UowFactory, larangan: Kecamatan, session_factory: sessionmaker[Session]
) -> None:
    with uow_factory() as uow:  # an answer given in the chat: no batch
        uow.skm.add_response(
            SkmResponse(larangan.id, date(2026, 3, 11), dict.fromkeys(UNSUR, 2), saran="chat")
        )
        uow.commit()
    batch = _skm(uow_factory, larangan)
    with uow_factory() as uow:
        result = undo_batch(
            uow, batch.id, kecamatan_id=larangan.id, now=LATER, importer=CLI, when=_when
        )
        uow.commit()
    assert (result.removed, result.restored, result.kept) == (29, 0, 0)
    assert result.batch.undone_at == LATER
    assert _responses(session_factory) == [(None, "chat")]
    entry = _audit(session_factory)[-1]
    assert (entry.action, entry.entity, entry.entity_id, entry.actor) == (
        "undo_import",
        "import_batch",
        str(batch.id),
        "cli:budi",
    )
    assert entry.detail == {
        "berkas": "kuesioner.xlsx",
        "jenis": "skm",
        "alasan": "batal",
        "dihapus": 29,
        "dipulihkan": 0,
        "dibiarkan": 0,
    }
    with pytest.raises(InvalidInput, match=f"#{batch.id} .* sudah dibatalkan pada 2026-11-21"):
        _undo(uow_factory, larangan, batch.id)
    assert len(_audit(session_factory)) == 2  # the import and one undo
    # Undone, the same file may come in again.
    again = _skm(uow_factory, larangan)
    assert again.id != batch.id
    assert len(_responses(session_factory)) == 30


def test_a_batch_of_another_kecamatan_or_none_at_all_is_not_undone(
    uow_factory: UowFactory, larangan: Kecamatan, pademawu: Kecamatan
) -> None:
    batch = _skm(uow_factory, larangan)
    with pytest.raises(NotFound, match="milik kecamatan lain"):
        _undo(uow_factory, pademawu, batch.id)
    with pytest.raises(NotFound, match="#999 tidak ada"):
        _undo(uow_factory, larangan, 999)
    with uow_factory() as uow:
        assert uow.imports.get(batch.id) == batch


def test_the_database_refuses_a_second_active_batch_of_the_same_bytes(
    uow_factory: UowFactory, larangan: Kecamatan, pademawu: Kecamatan
) -> None:
    def new(kec: Kecamatan, kind: ImportKind = ImportKind.SKM) -> ImportBatch:
        return ImportBatch(0, kec.id, kind, ImportSource.CLI, "a.csv", "ab" * 32, "cli", NOW)

    with uow_factory() as uow:
        first = uow.imports.add(new(larangan))
        assert first is not None
        assert uow.imports.add(new(larangan)) is None
        # Another kind or another kecamatan is another file.
        assert uow.imports.add(new(larangan, ImportKind.IDM)) is not None
        assert uow.imports.add(new(pademawu)) is not None
        assert uow.imports.mark_undone(first.id, at=LATER, by="cli")
        assert not uow.imports.mark_undone(first.id, at=LATER, by="cli")
        assert uow.imports.add(new(larangan)) is not None
        uow.commit()
        assert uow.imports.count(larangan.id) == 3
        assert uow.imports.count(larangan.id, kind=ImportKind.IDM) == 1


# --- IDM ----------------------------------------------------------------------------------


def _idm_file(name: str, text: str) -> IdmFile:
    return IdmFile(
        ImportedFile(name, file_sha256(text.encode())), read_idm_table(csv_table(text), name)
    )


def _idm(
    uow_factory: UowFactory,
    kec: Kecamatan,
    *files: IdmFile,
    replace: bool = False,
    now: datetime = NOW,
) -> list[ImportBatch]:
    with uow_factory() as uow:
        results = import_idm_files(
            uow, files, kecamatan=kec, now=now, importer=CLI, explain=_explain, replace=replace
        )
        uow.commit()
    return [r.batch for r in results]


def _get(uow_factory: UowFactory, desa: Desa, tahun: int = 2026) -> IdmResult | None:
    with uow_factory() as uow:
        return uow.idm.get(desa.id, tahun)


def _updated_at(uow_factory: UowFactory, desa: Desa, tahun: int = 2026) -> datetime | None:
    with uow_factory() as uow:
        snapshot = uow.idm.snapshot(desa.id, tahun)
    return None if snapshot is None else snapshot.updated_at


def test_undo_of_an_idm_batch_restores_what_it_overwrote_exactly(
    uow_factory: UowFactory,
    larangan: Kecamatan,
    desa: list[Desa],
    session_factory: sessionmaker[Session],
) -> None:
    peltong, other = desa[0], desa[2]
    [old] = _idm(
        uow_factory,
        larangan,
        _idm_file(
            "lama.csv", f"kode_desa,tahun,iks,ike,ikl\n{peltong.kode_bps},2026,0.9,0.8,0.7\n"
        ),
    )
    before = _get(uow_factory, peltong)
    before_at = _updated_at(uow_factory, peltong)
    assert before is not None
    assert before.batch_id == old.id
    [new] = _idm(
        uow_factory,
        larangan,
        _idm_file(
            "baru.csv",
            f"kode_desa,tahun,idm\n{peltong.kode},2026,0.5\n{other.kode_bps},2026,0.8156\n",
        ),
    )
    assert (new.rows_read, new.stored, new.replaced) == (2, 2, 1)
    changed = _get(uow_factory, peltong)
    assert changed is not None
    assert (changed.score, changed.iks, changed.batch_id) == (Decimal("0.5"), None, new.id)

    with uow_factory() as uow:
        result = undo_batch(
            uow, new.id, kecamatan_id=larangan.id, now=LATER, importer=CLI, when=_when
        )
        uow.commit()
    assert (result.restored, result.removed, result.kept) == (1, 1, 0)
    assert _get(uow_factory, peltong) == before  # the indices, the source, the batch
    assert _updated_at(uow_factory, peltong) == before_at
    assert _get(uow_factory, other) is None
    with session_factory() as session:
        changes = session.scalar(select(func.count()).select_from(IdmImportChangeRow))
    assert changes == 3  # the history stays
    with pytest.raises(InvalidInput, match="sudah dibatalkan"):
        _undo(uow_factory, larangan, new.id)


def test_idm_batches_undone_out_of_order_give_back_the_value_before_both(
    uow_factory: UowFactory, larangan: Kecamatan, desa: list[Desa]
) -> None:
    peltong = desa[0]
    ppd = store_user(uow_factory, Role.STAF_SEKSI, kecamatan_id=larangan.id, seksi=Seksi.PPD)
    with uow_factory() as uow:  # typed in through /idm before any import
        record_idm(uow, user=ppd, desa_id=peltong.id, tahun=2026, now=NOW, idm=Decimal("0.41"))
        uow.commit()
    typed = _get(uow_factory, peltong)
    assert typed is not None
    assert typed.batch_id is None
    [a] = _idm(
        uow_factory, larangan, _idm_file("a.csv", "kode_desa,tahun,idm\n3528040001,2026,0.6\n")
    )
    [b] = _idm(
        uow_factory, larangan, _idm_file("b.csv", "kode_desa,tahun,idm\n3528040001,2026,0.7\n")
    )
    with uow_factory() as uow:
        first = undo_batch(uow, a.id, kecamatan_id=larangan.id, now=LATER, importer=CLI, when=_when)
        uow.commit()
    assert (first.restored, first.removed, first.kept) == (0, 0, 1)  # b's value stays
    current = _get(uow_factory, peltong)
    assert current is not None
    assert (current.score, current.batch_id) == (Decimal("0.7"), b.id)
    _undo(uow_factory, larangan, b.id)
    assert _get(uow_factory, peltong) == typed  # not a's 0.6: a was undone


def test_a_value_typed_in_after_an_import_is_kept_by_its_undo(
    uow_factory: UowFactory, larangan: Kecamatan, desa: list[Desa]
) -> None:
    peltong = desa[0]
    [a] = _idm(
        uow_factory, larangan, _idm_file("a.csv", "kode_desa,tahun,idm\n3528040001,2026,0.6\n")
    )
    ppd = store_user(uow_factory, Role.STAF_SEKSI, kecamatan_id=larangan.id, seksi=Seksi.PPD)
    with uow_factory() as uow:
        record_idm(uow, user=ppd, desa_id=peltong.id, tahun=2026, now=LATER, idm=Decimal("0.83"))
        uow.commit()
    with uow_factory() as uow:
        result = undo_batch(
            uow, a.id, kecamatan_id=larangan.id, now=LATER, importer=CLI, when=_when
        )
        uow.commit()
    assert result.kept == 1
    kept = _get(uow_factory, peltong)
    assert kept is not None
    assert (kept.score, kept.status) == (Decimal("0.83"), IdmStatus.MANDIRI)


def test_ganti_of_an_idm_file_replaces_its_batch(
    uow_factory: UowFactory, larangan: Kecamatan, desa: list[Desa]
) -> None:
    text = "kode_desa,tahun,idm\n3528040001,2026,0.6\n"
    [a] = _idm(uow_factory, larangan, _idm_file("a.csv", text))
    with pytest.raises(ImportFailed, match=f"a.csv: sudah diimpor sebagai batch #{a.id}"):
        _idm(uow_factory, larangan, _idm_file("a.csv", text))
    [b] = _idm(uow_factory, larangan, _idm_file("salinan.csv", text), replace=True, now=LATER)
    assert (b.stored, b.replaced) == (1, 0)  # a's value was taken back first
    with uow_factory() as uow:
        old = uow.imports.get(a.id)
        assert old is not None
        assert old.replaced_by == b.id
    current = _get(uow_factory, desa[0])
    assert current is not None
    assert current.batch_id == b.id


def test_every_problem_of_every_file_is_found_before_anything_is_stored(
    uow_factory: UowFactory, larangan: Kecamatan, pademawu: Kecamatan
) -> None:
    good = _idm_file("baik.csv", "kode_desa,tahun,idm\n3528040001,2026,0.9\n")
    _idm(uow_factory, larangan, good)
    bad = _idm_file(
        "buruk.csv",
        "kode_desa,tahun,idm\n"
        "3528040002,2030,0.5\n"  # a future year
        "35.28.08.2001,2026,abc\n"  # Peltong again (by its other code) and a bad value
        "3528050001,2026,0.5\n"  # a desa of Pademawu
        "9999999999,2026,0.5\n"  # no such desa
        "3528040003,2026,0.7\n",  # fine
    )
    copy = IdmFile(ImportedFile("salinan.csv", good.file.sha256), good.parsed)
    twice = _idm_file("dua.csv", "kode_desa,tahun,idm\n3528040003,2026,0.7\n")
    with pytest.raises(ImportFailed) as failed:
        _idm(uow_factory, larangan, bad, good, copy, twice)
    assert [str(p) for p in failed.value.problems] == [
        "buruk.csv, baris 2, kolom/isian tahun: tahun 2030 di luar 2015-2026",
        "buruk.csv, baris 3, kolom/isian idm: harus angka 0-1 (diterima 'abc')",
        "buruk.csv, baris 4, kolom/isian kode_desa: desa 3528050001 (Murtajih) bukan desa "
        "Kecamatan Larangan",
        "buruk.csv, baris 5, kolom/isian kode_desa: kode desa 9999999999 tidak terdaftar",
        "baik.csv: sudah diimpor sebagai batch #1",
        "baik.csv, baris 2, kolom/isian kode_desa: Desa Peltong tahun 2026 muncul lebih dari "
        "sekali (pertama di berkas buruk.csv baris 3)",
        "salinan.csv: isinya sama persis dengan berkas baik.csv",
        "dua.csv, baris 2, kolom/isian kode_desa: Desa Tentenan Barat tahun 2026 muncul lebih dari "
        "sekali (pertama di berkas buruk.csv baris 6)",
    ]
    with uow_factory() as uow:
        assert uow.imports.count(larangan.id) == 1
        tentenan = uow.desa.find_by_code("3528040003")
        assert tentenan is not None
        assert uow.idm.get(tentenan.id, 2026) is None


# --- migration ----------------------------------------------------------------------------


def test_the_batch_migration_goes_back_and_forth_keeping_the_rows(
    database_url: str, uow_factory: UowFactory, larangan: Kecamatan
) -> None:
    batch = _skm(uow_factory, larangan, rows=_rows(2))
    config = alembic_config(database_url)
    command.downgrade(config, "0008")
    engine = make_engine(database_url)
    try:
        columns = {c["name"] for c in inspect(engine).get_columns("skm_response")}
        assert "batch_id" not in columns
        assert "import_batch" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT COUNT(*) FROM skm_response")).scalar_one()
        assert kept == 2  # imported rows stay, without their batch
    finally:
        engine.dispose()
    upgrade(database_url)
    assert current_revision(database_url) == head_revision()
    with uow_factory() as uow:
        assert uow.imports.get(batch.id) is None
        assert uow.skm.totals(larangan.id, date(2026, 1, 1), date(2026, 12, 31)).respondents == 2
