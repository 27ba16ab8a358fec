"""digest groups, digest retries and reminders

The kecamatan's digest group, the digest log's attempts, progress and figures (for
next week's arrows), and a log that keeps reminders to once per person and week.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 08:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'digest_group',
        sa.Column('kecamatan_id', sa.Integer(), nullable=False),
        sa.Column('chat_id', sa.BigInteger(), nullable=False),
        sa.Column('title', sa.String(length=255), nullable=False),
        sa.Column('bound_by', sa.Integer(), nullable=True),
        sa.Column('bound_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['bound_by'], ['app_user.id'], name=op.f('fk_digest_group_bound_by_app_user')
        ),
        sa.ForeignKeyConstraint(
            ['kecamatan_id'], ['kecamatan.id'], name=op.f('fk_digest_group_kecamatan_id_kecamatan')
        ),
        sa.PrimaryKeyConstraint('kecamatan_id', name=op.f('pk_digest_group')),
        sa.UniqueConstraint('chat_id', name=op.f('uq_digest_group_chat_id')),
    )
    op.create_table(
        'reminder_log',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('week_key', sa.String(length=10), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['app_user.id'], name=op.f('fk_reminder_log_user_id_app_user')
        ),
        sa.PrimaryKeyConstraint('user_id', 'week_key', 'kind', name=op.f('pk_reminder_log')),
    )
    with op.batch_alter_table('digest_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(
            sa.Column('parts_sent', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.add_column(sa.Column('figures', sa.JSON(), nullable=True))
    with op.batch_alter_table('digest_log', schema=None) as batch_op:
        batch_op.alter_column('attempts', server_default=None)
        batch_op.alter_column('parts_sent', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('digest_log', schema=None) as batch_op:
        batch_op.drop_column('figures')
        batch_op.drop_column('parts_sent')
        batch_op.drop_column('attempts')
    op.drop_table('reminder_log')
    op.drop_table('digest_group')
