"""indexes for the digest's count of corrected and voided reports

The weekly digest counts the reports an admin corrected or voided in the week. Without
an index on the void time each digest read every incident of the kecamatan (a quarter
of a second per kecamatan on a kabupaten's ten years); the corrections were read by
their time without one too. Voided reports are few: a partial index holds only them.

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-03 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0020'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VOIDED = "voided_at IS NOT NULL"


def upgrade() -> None:
    condition = sa.text(VOIDED)
    op.create_index(
        'ix_incident_kec_voided',
        'incident',
        ['kecamatan_id', 'voided_at'],
        unique=False,
        sqlite_where=condition,
        postgresql_where=condition,
    )
    op.create_index('ix_incident_correction_at', 'incident_correction', ['at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_incident_correction_at', table_name='incident_correction')
    op.drop_index('ix_incident_kec_voided', table_name='incident')
