"""evidence files: every photo of a case is downloaded into the office's own store

A Telegram file id belongs to one bot; the office keeps the bytes. evidence_file holds
each photo or document of a case (report photo or proof of handling), its Telegram
file id and, once downloaded, its SHA-256, size, content type and key in the store,
with the fetcher's attempts. Every photo already known (incident_photo, and the proof
of each follow-up) becomes a pending row, so that the running bot fetches it while the
current token still opens it. A downgrade drops the table; the file ids stay in
incident_photo and incident_event, the stored files stay in the store.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'evidence_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('incident_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('telegram_file_id', sa.String(length=200), nullable=False),
        sa.Column('telegram_file_unique_id', sa.String(length=100), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=True),
        sa.Column('size', sa.BigInteger(), nullable=True),
        sa.Column('content_type', sa.String(length=100), nullable=True),
        sa.Column('store_key', sa.String(length=200), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.Column('received_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('stored_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['incident_id'], ['incident.id'], name=op.f('fk_evidence_file_incident_id_incident')
        ),
        sa.ForeignKeyConstraint(
            ['event_id'],
            ['incident_event.id'],
            name=op.f('fk_evidence_file_event_id_incident_event'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_file')),
    )
    op.create_index(
        op.f('ix_evidence_file_incident_id'), 'evidence_file', ['incident_id'], unique=False
    )
    op.create_index(
        'ix_evidence_file_status_next', 'evidence_file', ['status', 'next_attempt_at'], unique=False
    )
    # The photos known so far, due at once. A report photo keeps the time it was stored;
    # a proof photo is matched to its follow-up (the event with that file id).
    op.execute(
        "INSERT INTO evidence_file (incident_id, event_id, role, telegram_file_id, status,"
        " attempts, next_attempt_at, received_at)"
        " SELECT p.incident_id, NULL, p.purpose, p.file_id, 'pending', 0, p.created_at,"
        " p.created_at FROM incident_photo p WHERE p.purpose = 'laporan' ORDER BY p.id"
    )
    op.execute(
        "INSERT INTO evidence_file (incident_id, event_id, role, telegram_file_id, status,"
        " attempts, next_attempt_at, received_at)"
        " SELECT e.incident_id, e.id, 'bukti', e.photo_file_id, 'pending', 0, e.created_at,"
        " e.created_at FROM incident_event e WHERE e.photo_file_id IS NOT NULL ORDER BY e.id"
    )


def downgrade() -> None:
    op.drop_index('ix_evidence_file_status_next', table_name='evidence_file')
    op.drop_index(op.f('ix_evidence_file_incident_id'), table_name='evidence_file')
    op.drop_table('evidence_file')
