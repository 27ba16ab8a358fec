"""the kabupaten's weekly digest group and its delivery log

A kabupaten (code "35.28") binds one group for its weekly digest; the log keeps the
digest to once per kabupaten and ISO week. Kept apart from digest_log, whose figures
feed the kecamatan digest's week-on-week arrows.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'kabupaten_digest_group',
        sa.Column('kabupaten_code', sa.String(length=20), nullable=False),
        sa.Column('chat_id', sa.BigInteger(), nullable=False),
        sa.Column('title', sa.String(length=255), nullable=False),
        sa.Column('bound_by', sa.Integer(), nullable=True),
        sa.Column('bound_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['bound_by'],
            ['app_user.id'],
            name=op.f('fk_kabupaten_digest_group_bound_by_app_user'),
        ),
        sa.PrimaryKeyConstraint('kabupaten_code', name=op.f('pk_kabupaten_digest_group')),
        sa.UniqueConstraint('chat_id', name=op.f('uq_kabupaten_digest_group_chat_id')),
    )
    op.create_table(
        'kabupaten_digest_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kabupaten_code', sa.String(length=20), nullable=False),
        sa.Column('chat_id', sa.BigInteger(), nullable=False),
        sa.Column('week_key', sa.String(length=10), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('claimed_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('parts_sent', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kabupaten_digest_log')),
        sa.UniqueConstraint(
            'kabupaten_code',
            'week_key',
            name=op.f('uq_kabupaten_digest_log_kabupaten_code_week_key'),
        ),
    )


def downgrade() -> None:
    op.drop_table('kabupaten_digest_log')
    op.drop_table('kabupaten_digest_group')
