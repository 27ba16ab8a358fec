"""skm dedup without id or time

The duplicate check of the SKM must not be pairable with the answers: its table loses
its serial id and its timestamp (keeping only the period) and, on SQLite, its rowid;
responses keep only their survey day in ``created_at``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 23:03:41.989823
"""

from collections.abc import Sequence
from datetime import UTC, datetime, time

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _period(moment: datetime) -> str:
    return f"{moment.year}-S{1 if moment.month <= 6 else 2}"


def upgrade() -> None:
    bind = op.get_bind()
    old = sa.table(
        'skm_dedup',
        sa.column('key_hash', sa.String(64)),
        sa.column('created_at', storage.types.UTCDateTime(timezone=True)),
    )
    kept = [(row.key_hash, _period(row.created_at)) for row in bind.execute(sa.select(old))]
    # The (small) table is read into memory above, then rebuilt under the same name.
    op.drop_table('skm_dedup')
    op.create_table(
        'skm_dedup',
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('period', sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint('key_hash', name=op.f('pk_skm_dedup')),
        sqlite_with_rowid=False,
    )
    new = sa.table('skm_dedup', sa.column('key_hash'), sa.column('period'))
    if kept:
        # Sorted by hash, so that not even the copy keeps the order of answering.
        op.bulk_insert(new, [{'key_hash': k, 'period': p} for k, p in sorted(kept)])

    responses = sa.table(
        'skm_response',
        sa.column('id', sa.Integer),
        sa.column('survey_date', sa.Date),
        sa.column('created_at', storage.types.UTCDateTime(timezone=True)),
    )
    for row in bind.execute(sa.select(responses.c.id, responses.c.survey_date)).all():
        bind.execute(
            responses.update()
            .where(responses.c.id == row.id)
            .values(created_at=datetime.combine(row.survey_date, time.min, tzinfo=UTC))
        )


def downgrade() -> None:
    op.drop_table('skm_dedup')
    op.create_table(
        'skm_dedup',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_skm_dedup')),
        sa.UniqueConstraint('key_hash', name=op.f('uq_skm_dedup_key_hash')),
    )
