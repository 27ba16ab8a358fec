"""skm anonymity: answers pooled and flushed in shuffled batches

Chat answers wait in ``skm_pool`` (random key, no rowid, no time, no user) and are
written to ``skm_response`` in random order at a flush, which also rewrites the
duplicate-check hashes in hash order (README "Anonimitas SKM"). This migration also
rewrites what is already stored, so that the old order of answering is gone:

- ``skm_dedup`` is emptied and written again in hash order;
- the chat responses (source 'bot') keep their set of ids, but their contents are
  dealt out over those ids in a random order; ``skm_response`` is emptied (TRUNCATE
  on PostgreSQL: new files, no dead tuples) and written again in id order. Imported
  responses keep their ids and contents (their order is the sheet's, not a person's).

Downgrade moves whatever is still pooled into ``skm_response`` (in random order, so
that nothing is lost) and drops the pool.

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-03 07:30:00
"""

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, time
from typing import Any

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0014'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNSUR = (
    'persyaratan', 'prosedur', 'waktu', 'biaya', 'produk',
    'kompetensi', 'perilaku', 'pengaduan', 'sarana',
)
CONTENT = (
    'kecamatan_id', 'service_id', 'survey_date', *(f'u_{u}' for u in UNSUR),
    'jenis_kelamin', 'usia', 'pendidikan', 'pekerjaan', 'saran',
)


def _response_table() -> sa.TableClause:
    return sa.table(
        'skm_response',
        sa.column('id', sa.Integer),
        *(sa.column(name) for name in CONTENT if name != 'survey_date'),
        sa.column('survey_date', sa.Date),
        sa.column('source', sa.String),
        sa.column('created_at', storage.types.UTCDateTime(timezone=True)),
        sa.column('batch_id', sa.Integer),
    )


def _empty(bind: Any, table: str) -> None:
    if bind.dialect.name == 'postgresql':
        op.execute(f'TRUNCATE {table}')
    else:
        op.execute(f'DELETE FROM {table}')  # secure_delete is on (storage.engine)


def _rewrite_dedup(bind: Any) -> None:
    dedup = sa.table('skm_dedup', sa.column('key_hash', sa.String), sa.column('period', sa.String))
    kept = sorted(bind.execute(sa.select(dedup.c.key_hash, dedup.c.period)).all())
    _empty(bind, 'skm_dedup')
    if kept:
        op.bulk_insert(dedup, [{'key_hash': k, 'period': p} for k, p in kept])


def _rewrite_responses(bind: Any) -> None:
    responses = _response_table()
    rows = [dict(r._mapping) for r in bind.execute(sa.select(responses)).all()]
    chat = [r for r in rows if r['source'] == 'bot' and r['batch_id'] is None]
    if not chat:
        return
    ids = sorted(r['id'] for r in chat)
    contents = [{k: v for k, v in r.items() if k != 'id'} for r in chat]
    secrets.SystemRandom().shuffle(contents)
    dealt = [{'id': i, **c} for i, c in zip(ids, contents, strict=True)]
    others = [r for r in rows if not (r['source'] == 'bot' and r['batch_id'] is None)]
    _empty(bind, 'skm_response')
    op.bulk_insert(responses, sorted(dealt + others, key=lambda r: r['id']))


def upgrade() -> None:
    op.create_table(
        'skm_pool',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('kecamatan_id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=True),
        sa.Column('survey_date', sa.Date(), nullable=False),
        *(sa.Column(f'u_{u}', sa.SmallInteger(), nullable=True) for u in UNSUR),
        sa.Column('jenis_kelamin', sa.String(length=1), nullable=True),
        sa.Column('usia', sa.Integer(), nullable=True),
        sa.Column('pendidikan', sa.String(length=20), nullable=True),
        sa.Column('pekerjaan', sa.String(length=30), nullable=True),
        sa.Column('saran', sa.Text(), nullable=True),
        *(
            sa.CheckConstraint(
                f'u_{u} IS NULL OR (u_{u} BETWEEN 1 AND 4)', name=op.f(f'ck_skm_pool_u_{u}_range')
            )
            for u in UNSUR
        ),
        sa.ForeignKeyConstraint(
            ['kecamatan_id'], ['kecamatan.id'], name=op.f('fk_skm_pool_kecamatan_id_kecamatan')
        ),
        sa.ForeignKeyConstraint(
            ['service_id'], ['skm_service.id'], name=op.f('fk_skm_pool_service_id_skm_service')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_skm_pool')),
        sqlite_with_rowid=False,
    )
    bind = op.get_bind()
    _rewrite_dedup(bind)
    _rewrite_responses(bind)


def downgrade() -> None:
    bind = op.get_bind()
    pool = sa.table(
        'skm_pool',
        *(sa.column(name) for name in CONTENT if name != 'survey_date'),
        sa.column('survey_date', sa.Date),
    )
    pooled = [dict(r._mapping) for r in bind.execute(sa.select(pool)).all()]
    if pooled:
        secrets.SystemRandom().shuffle(pooled)
        moved = [
            row
            | {
                'source': 'bot',
                # The day only, as every response keeps (migration 0003).
                'created_at': datetime.combine(row['survey_date'], time.min, tzinfo=UTC),
                'batch_id': None,
            }
            for row in pooled
        ]
        op.bulk_insert(_response_table(), moved)
    op.drop_table('skm_pool')
