"""SKM profile answers of their own: room for "Tidak sekolah" and "Ibu rumah tangga"

The questionnaire offers the answers most respondents in rural Madura give (Tidak
sekolah; Petani, Nelayan, Ibu rumah tangga), kept as answered and counted in the
regulation's categories in the official tables. "Tidak sekolah" does not fit the
10 characters the education column had.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 17:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('skm_response') as batch:
        batch.alter_column(
            'pendidikan', existing_type=sa.String(length=10), type_=sa.String(length=20)
        )
        batch.alter_column(
            'pekerjaan', existing_type=sa.String(length=20), type_=sa.String(length=30)
        )


def downgrade() -> None:
    with op.batch_alter_table('skm_response') as batch:
        batch.alter_column(
            'pekerjaan', existing_type=sa.String(length=30), type_=sa.String(length=20)
        )
        batch.alter_column(
            'pendidikan', existing_type=sa.String(length=20), type_=sa.String(length=10)
        )
