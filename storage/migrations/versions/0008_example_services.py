"""example services: the office's usual services, suggested until an admin confirms them

A fresh install gets the services listed in the kecamatan's data file
(``layanan_contoh``), marked as examples; the kecamatan remembers that they were
offered, so that services an admin removed never come back. Existing services are
not examples, and existing kecamatan have not been offered any yet.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column). The default is a plain string: SQLite then adds the column in place
# instead of copying the table (which every table's foreign keys refer to).
COLUMNS = (
    ('skm_service', 'example'),
    ('kecamatan', 'service_examples_offered'),
)


def upgrade() -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(column, sa.Boolean(), nullable=False, server_default='0')
            )


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+), never a copy of the table.
    for table, column in reversed(COLUMNS):
        with op.batch_alter_table(table, schema=None, recreate='never') as batch_op:
            batch_op.drop_column(column)
