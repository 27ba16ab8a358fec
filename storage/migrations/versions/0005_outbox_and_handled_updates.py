"""transactional outbox and handled updates

The messages a change causes are written in the change's transaction (outbox) and
delivered by a sender that survives restarts; every handled Telegram update is
recorded, so that a redelivered one changes nothing.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'outbox',
        sa.Column(
            'id',
            sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
            nullable=False,
        ),
        sa.Column('chat_id', sa.BigInteger(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('telegram_message_id', sa.BigInteger(), nullable=True),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.Column('source', sa.String(length=60), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    )
    op.create_index(
        'ix_outbox_status_next_attempt_at', 'outbox', ['status', 'next_attempt_at'], unique=False
    )
    op.create_table(
        'handled_update',
        sa.Column('bot_id', sa.BigInteger(), nullable=False),
        sa.Column('update_id', sa.BigInteger(), nullable=False),
        sa.Column('callback_query_id', sa.String(length=64), nullable=True),
        sa.Column('handled_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('bot_id', 'update_id', name=op.f('pk_handled_update')),
        sa.UniqueConstraint('callback_query_id', name=op.f('uq_handled_update_callback_query_id')),
    )


def downgrade() -> None:
    op.drop_table('handled_update')
    op.drop_index('ix_outbox_status_next_attempt_at', table_name='outbox')
    op.drop_table('outbox')
