"""incident corrections: an admin corrects a report or voids a duplicate

incident gains duplicate_of_id (the report a duplicate repeats), voided_at and
void_reason (a voided report counts nowhere) and late_entry (an admin's report of an
event older than the usual limit). incident_correction keeps each changed field with
its old and new value, the reason, who and when. No existing row changes: none is
voided, none is a late entry. A downgrade drops the table and the columns.

Revision ID: 0013
Revises: 0014
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0013'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK_NAME = 'fk_incident_duplicate_of_id_incident'


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        # In place (ALTER TABLE ... ADD COLUMN ... REFERENCES), instead of copying the
        # table that every table's foreign keys refer to.
        op.execute('ALTER TABLE incident ADD COLUMN duplicate_of_id INTEGER REFERENCES incident (id)')
    else:
        op.add_column('incident', sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        op.create_foreign_key(FK_NAME, 'incident', 'incident', ['duplicate_of_id'], ['id'])
    with op.batch_alter_table('incident', schema=None, recreate='never') as batch_op:
        batch_op.add_column(
            sa.Column('voided_at', storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('void_reason', sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column('late_entry', sa.Boolean(), nullable=False, server_default='0')
        )
    op.create_table(
        'incident_correction',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('incident_id', sa.Integer(), nullable=False),
        sa.Column('field', sa.String(length=30), nullable=False),
        sa.Column('old_value', sa.Text(), nullable=True),
        sa.Column('new_value', sa.Text(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('by_user_id', sa.Integer(), nullable=True),
        sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['by_user_id'], ['app_user.id'], name=op.f('fk_incident_correction_by_user_id_app_user')
        ),
        sa.ForeignKeyConstraint(
            ['incident_id'], ['incident.id'], name=op.f('fk_incident_correction_incident_id_incident')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_correction')),
    )
    op.create_index(
        op.f('ix_incident_correction_incident_id'),
        'incident_correction',
        ['incident_id'],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_incident_correction_incident_id'), table_name='incident_correction')
    op.drop_table('incident_correction')
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite drops no column a foreign key uses: the table is copied without them,
        # with the foreign keys off meanwhile (the other tables refer to incident; no row
        # changes, so none breaks). The pragma works outside a transaction only.
        op.execute('PRAGMA foreign_keys=OFF')
        try:
            with op.batch_alter_table('incident', schema=None, recreate='always') as batch_op:
                batch_op.drop_column('late_entry')
                batch_op.drop_column('void_reason')
                batch_op.drop_column('voided_at')
                batch_op.drop_column('duplicate_of_id')
        finally:
            op.execute('PRAGMA foreign_keys=ON')
    else:
        op.drop_constraint(FK_NAME, 'incident', type_='foreignkey')
        op.drop_column('incident', 'late_entry')
        op.drop_column('incident', 'void_reason')
        op.drop_column('incident', 'voided_at')
        op.drop_column('incident', 'duplicate_of_id')
