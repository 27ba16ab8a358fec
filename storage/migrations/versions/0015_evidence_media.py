"""evidence media: how a file came (photo or document) and its name as sent

evidence_file gains ``media`` ('foto' or 'dokumen': a document is shown again as a
document, by its file id until it is stored) and ``file_name`` (the name the sender's
phone gave a document). Every existing row came as a photo: 'foto', no name. A
downgrade drops both columns.

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-03 12:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0015'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('evidence_file', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('media', sa.String(length=20), nullable=False, server_default='foto')
        )
        batch_op.add_column(sa.Column('file_name', sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('evidence_file', schema=None) as batch_op:
        batch_op.drop_column('file_name')
        batch_op.drop_column('media')
