"""one index for the IKU counts of any number of kecamatan

The IKU table counts a period's incidents per kind and status. It read them through an
index on (kecamatan, kind, event date) and then every row for its status and void time,
twice per kind; the kabupaten recap did so for each of its kecamatan. One GROUP BY now
counts all of them (kecamatan, kind, status) over an index that holds those columns and
only the reports not voided, so that neither engine reads the table. It replaces the
older index, whose queries it serves too.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "voided_at IS NULL"


def upgrade() -> None:
    condition = sa.text(LIVE)
    op.create_index(
        'ix_incident_iku',
        'incident',
        ['kecamatan_id', 'event_date', 'kind', 'status'],
        unique=False,
        sqlite_where=condition,
        postgresql_where=condition,
    )
    op.drop_index('ix_incident_kec_kind_event', table_name='incident')


def downgrade() -> None:
    op.create_index(
        'ix_incident_kec_kind_event',
        'incident',
        ['kecamatan_id', 'kind', 'event_date'],
        unique=False,
    )
    op.drop_index('ix_incident_iku', table_name='incident')
