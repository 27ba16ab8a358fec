"""village index results say which index they are (IDM or Indeks Desa)

idm_result gets ``indeks`` ('idm' up to 2024, 'indeks_desa' from 2025), ``dimensi``
(the six Indeks Desa dimension scores as JSON of exact decimal strings) and
``status_source`` (decree number or file name of the published status); its score
is widened to NUMERIC(17, 14) so that an Indeks Desa of 100 fits. idm_import_change
keeps the same three values of an overwritten row. Existing rows become IDM and
their published status, where none was stored, is the stored (computed) one.
A downgrade refuses while Indeks Desa results exist (they have no place in the old
schema); otherwise it drops the columns and narrows the scores back.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 13:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LABELS = {
    'sangat_tertinggal': 'Sangat Tertinggal',
    'tertinggal': 'Tertinggal',
    'berkembang': 'Berkembang',
    'maju': 'Maju',
    'mandiri': 'Mandiri',
}


def _scores(precision: int) -> None:
    """Widen or narrow the score columns (on SQLite the length of their text)."""
    for table, column in (('idm_result', 'score'), ('idm_import_change', 'prev_score')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                type_=storage.types.ExactDecimal(precision, 14),
                existing_type=storage.types.ExactDecimal(16 if precision == 17 else 17, 14),
            )


def upgrade() -> None:
    with op.batch_alter_table('idm_result', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('indeks', sa.String(length=20), nullable=False, server_default='idm')
        )
        batch_op.add_column(sa.Column('dimensi', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('status_source', sa.String(length=200), nullable=True))
    with op.batch_alter_table('idm_import_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_indeks', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('prev_dimensi', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('prev_status_source', sa.String(length=200), nullable=True))
    _scores(17)
    cases = ' '.join(f"WHEN '{value}' THEN '{label}'" for value, label in LABELS.items())
    op.execute(
        sa.text(
            f'UPDATE idm_result SET status_published = CASE status {cases} END '
            'WHERE status_published IS NULL'
        )
    )
    op.execute(
        sa.text("UPDATE idm_import_change SET prev_indeks = 'idm' WHERE had_previous")
    )


def downgrade() -> None:
    bind = op.get_bind()
    count = bind.execute(
        sa.text("SELECT COUNT(*) FROM idm_result WHERE indeks != 'idm'")
    ).scalar_one()
    kept = bind.execute(
        sa.text("SELECT COUNT(*) FROM idm_import_change WHERE prev_indeks = 'indeks_desa'")
    ).scalar_one()
    if count or kept:
        raise RuntimeError(
            f'{count + kept} hasil Indeks Desa tersimpan; hapus dulu sebelum turun ke 0016.'
        )
    _scores(16)
    with op.batch_alter_table('idm_import_change', schema=None) as batch_op:
        batch_op.drop_column('prev_status_source')
        batch_op.drop_column('prev_dimensi')
        batch_op.drop_column('prev_indeks')
    with op.batch_alter_table('idm_result', schema=None) as batch_op:
        batch_op.drop_column('status_source')
        batch_op.drop_column('dimensi')
        batch_op.drop_column('indeks')
