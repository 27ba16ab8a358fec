"""import batches: every imported file is recorded, refused a second time, and can be undone

A file (SKM sheet or IDM file) imported through the CLI or sent to /idm becomes a
batch: kecamatan, kind, source, file name, SHA-256 of its bytes, who and when, and
what it read, stored and replaced. The SKM responses and IDM results it stored point
to it; what an IDM batch overwrote is kept in idm_import_change, so that undoing the
batch puts it back. A partial unique index refuses the same bytes twice for the same
kecamatan and kind until the earlier batch is undone. Existing rows have no batch.

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0011'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = sa.text('undone_at IS NULL')
# The tables whose rows an import writes. On SQLite, adding a foreign key copies the
# table; neither is referenced by another table's foreign key.
BATCHED = ('skm_response', 'idm_result')


def upgrade() -> None:
    op.create_table(
        'import_batch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kecamatan_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('file_name', sa.String(length=200), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('actor', sa.String(length=60), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('rows_read', sa.Integer(), nullable=False),
        sa.Column('stored', sa.Integer(), nullable=False),
        sa.Column('replaced', sa.Integer(), nullable=False),
        sa.Column('undone_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('undone_by', sa.String(length=60), nullable=True),
        sa.Column('replaced_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['kecamatan_id'], ['kecamatan.id'], name=op.f('fk_import_batch_kecamatan_id_kecamatan')
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['app_user.id'], name=op.f('fk_import_batch_user_id_app_user')
        ),
        sa.ForeignKeyConstraint(
            ['replaced_by'],
            ['import_batch.id'],
            name=op.f('fk_import_batch_replaced_by_import_batch'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch')),
    )
    op.create_index(
        'uq_import_batch_active_sha',
        'import_batch',
        ['kecamatan_id', 'kind', 'sha256'],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )
    op.create_index(
        'ix_import_batch_kec_created', 'import_batch', ['kecamatan_id', 'created_at'], unique=False
    )
    op.create_table(
        'idm_import_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('desa_id', sa.Integer(), nullable=False),
        sa.Column('tahun', sa.Integer(), nullable=False),
        sa.Column('had_previous', sa.Boolean(), nullable=False),
        sa.Column('prev_iks', storage.types.ExactDecimal(16, 14), nullable=True),
        sa.Column('prev_ike', storage.types.ExactDecimal(16, 14), nullable=True),
        sa.Column('prev_ikl', storage.types.ExactDecimal(16, 14), nullable=True),
        sa.Column('prev_score', storage.types.ExactDecimal(16, 14), nullable=True),
        sa.Column('prev_status', sa.String(length=20), nullable=True),
        sa.Column('prev_status_published', sa.String(length=40), nullable=True),
        sa.Column('prev_source', sa.String(length=200), nullable=True),
        sa.Column('prev_updated_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('prev_batch_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['batch_id'], ['import_batch.id'], name=op.f('fk_idm_import_change_batch_id_import_batch')
        ),
        sa.ForeignKeyConstraint(
            ['desa_id'], ['desa.id'], name=op.f('fk_idm_import_change_desa_id_desa')
        ),
        sa.ForeignKeyConstraint(
            ['prev_batch_id'],
            ['import_batch.id'],
            name=op.f('fk_idm_import_change_prev_batch_id_import_batch'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_idm_import_change')),
        sa.UniqueConstraint(
            'batch_id', 'desa_id', 'tahun', name=op.f('uq_idm_import_change_batch_id_desa_id_tahun')
        ),
    )
    for table in BATCHED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                op.f(f'fk_{table}_batch_id_import_batch'), 'import_batch', ['batch_id'], ['id']
            )
    with op.batch_alter_table('skm_response', schema=None) as batch_op:
        batch_op.create_index(op.f('ix_skm_response_batch_id'), ['batch_id'], unique=False)


def downgrade() -> None:
    # The imported rows stay; they only lose the batch they came from.
    with op.batch_alter_table('skm_response', schema=None) as batch_op:
        batch_op.drop_index(op.f('ix_skm_response_batch_id'))
    for table in reversed(BATCHED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'fk_{table}_batch_id_import_batch'), type_='foreignkey')
            batch_op.drop_column('batch_id')
    op.drop_table('idm_import_change')
    op.drop_index('ix_import_batch_kec_created', table_name='import_batch')
    op.drop_index('uq_import_batch_active_sha', table_name='import_batch')
    op.drop_table('import_batch')
