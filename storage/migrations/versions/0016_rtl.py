"""the SKM follow-up plan (RTL): rtl_item and rtl_progress

rtl_item holds an SKM period's follow-up actions (kecamatan, tahun and bagian of the
period, unsur, kegiatan, owner, due date, status direncanakan/selesai/dibatalkan,
version, done date, cancellation reason; one live item per unsur and period, by a
partial unique index); rtl_progress the dated notes on them. No
existing row changes. A downgrade drops both tables.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 12:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("status != 'dibatalkan'")


def upgrade() -> None:
    op.create_table(
        'rtl_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kecamatan_id', sa.Integer(), nullable=False),
        sa.Column('tahun', sa.Integer(), nullable=False),
        sa.Column('bagian', sa.String(length=5), nullable=False),
        sa.Column('unsur', sa.String(length=20), nullable=False),
        sa.Column('kegiatan', sa.String(length=300), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('due', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('done_on', sa.Date(), nullable=True),
        sa.Column('cancel_reason', sa.String(length=1000), nullable=True),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('direncanakan', 'selesai', 'dibatalkan')",
            name=op.f('ck_rtl_item_status'),
        ),
        sa.ForeignKeyConstraint(
            ['created_by'], ['app_user.id'], name=op.f('fk_rtl_item_created_by_app_user')
        ),
        sa.ForeignKeyConstraint(
            ['kecamatan_id'], ['kecamatan.id'], name=op.f('fk_rtl_item_kecamatan_id_kecamatan')
        ),
        sa.ForeignKeyConstraint(
            ['owner_id'], ['app_user.id'], name=op.f('fk_rtl_item_owner_id_app_user')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rtl_item')),
    )
    op.create_index('ix_rtl_item_owner', 'rtl_item', ['owner_id', 'status'], unique=False)
    op.create_index(
        'uq_rtl_item_live_unsur',
        'rtl_item',
        ['kecamatan_id', 'tahun', 'bagian', 'unsur'],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )
    op.create_index(
        'ix_rtl_item_period', 'rtl_item', ['kecamatan_id', 'tahun', 'bagian'], unique=False
    )
    op.create_table(
        'rtl_progress',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.String(length=1000), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['item_id'], ['rtl_item.id'], name=op.f('fk_rtl_progress_item_id_rtl_item')
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['app_user.id'], name=op.f('fk_rtl_progress_user_id_app_user')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rtl_progress')),
    )
    op.create_index(
        op.f('ix_rtl_progress_item_id'), 'rtl_progress', ['item_id'], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_rtl_progress_item_id'), table_name='rtl_progress')
    op.drop_table('rtl_progress')
    op.drop_index('ix_rtl_item_period', table_name='rtl_item')
    op.drop_index('uq_rtl_item_live_unsur', table_name='rtl_item')
    op.drop_index('ix_rtl_item_owner', table_name='rtl_item')
    op.drop_table('rtl_item')
