"""incident indexes for the digest, the open cases and /laporanku

The weekly digest reads the incidents received, dated and handled in a week and the
open cases (oldest first, counted and listed a page at a time); /laporanku reads a
reporter's latest reports. Without these indexes each of them read every incident
of the kecamatan.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Partial indexes of the cases not yet handled.
OPEN = "status <> 'tertangani'"

INDEXES = (
    ('ix_incident_kec_received', ['kecamatan_id', 'received_at', 'id'], None),
    ('ix_incident_kec_event', ['kecamatan_id', 'event_date'], None),
    ('ix_incident_kec_handled', ['kecamatan_id', 'handled_at', 'id'], None),
    ('ix_incident_open', ['kecamatan_id', 'received_at', 'id'], OPEN),
    ('ix_incident_open_kind', ['kecamatan_id', 'kind', 'received_at', 'id'], OPEN),
    ('ix_incident_reporter_received', ['reporter_id', 'received_at', 'id'], None),
)


def upgrade() -> None:
    for name, columns, where in INDEXES:
        condition = None if where is None else sa.text(where)
        op.create_index(
            name,
            'incident',
            columns,
            unique=False,
            sqlite_where=condition,
            postgresql_where=condition,
        )


def downgrade() -> None:
    for name, _, _ in reversed(INDEXES):
        op.drop_index(name, table_name='incident')
