"""tracking numbers per kecamatan: KS-352808-2026-0001

tracking_counter gains kecamatan_id: one counter per (kecamatan, kind, tahun). Each
counter starts from the highest sequence that kecamatan's incidents of that kind and
year already use (with a single kecamatan: from the old counter, which also counts
numbers given away by a change of kind), so a kecamatan's numbering continues. The
incident's unique (kind, tahun, seq) becomes (kecamatan_id, kind, tahun, seq). Stored
numbers are never renumbered: they were printed and told to people.

A downgrade refuses while two kecamatan hold the same (kind, tahun, seq) (the old
unique could not hold them); otherwise each (kind, tahun) counter continues from the
highest sequence given in any kecamatan, and the numbers stay as they are.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 15:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status <> 'tertangani'")
PARTIAL = (
    ('ix_incident_open', ['kecamatan_id', 'received_at', 'id']),
    ('ix_incident_open_kind', ['kecamatan_id', 'kind', 'received_at', 'id']),
)


def _unique(old: list[str], new: list[str]) -> None:
    """Replace the incident's unique sequence constraint."""
    old_name = 'uq_incident_' + '_'.join(old)
    new_name = 'uq_incident_' + '_'.join(new)
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(old_name, 'incident', type_='unique')
        op.create_unique_constraint(new_name, 'incident', new)
        return
    # SQLite drops no constraint: the table is copied, with the foreign keys off meanwhile
    # (other tables refer to incident; no row changes). The partial indexes are made again
    # by hand so that their condition is kept. The pragma works outside a transaction only:
    # an earlier migration of the same run may have begun one, so it is committed first.
    for name, _ in PARTIAL:
        op.drop_index(name, table_name='incident')
    context = op.get_context()
    with context.autocommit_block():
        op.execute('PRAGMA foreign_keys=OFF')
    try:
        with op.batch_alter_table('incident', schema=None, recreate='always') as batch_op:
            batch_op.drop_constraint(old_name, type_='unique')
            batch_op.create_unique_constraint(new_name, new)
    finally:
        with context.autocommit_block():
            op.execute('PRAGMA foreign_keys=ON')
    for name, columns in PARTIAL:
        op.create_index(name, 'incident', columns, unique=False, sqlite_where=OPEN)


def upgrade() -> None:
    bind = op.get_bind()
    old = {
        (kind, tahun): last
        for kind, tahun, last in bind.execute(
            sa.text('SELECT kind, tahun, last FROM tracking_counter')
        )
    }
    used = bind.execute(
        sa.text(
            'SELECT kecamatan_id, kind, tahun, MAX(seq) FROM incident '
            'GROUP BY kecamatan_id, kind, tahun'
        )
    ).all()
    kecamatan = [row[0] for row in bind.execute(sa.text('SELECT id FROM kecamatan'))]
    seeds: dict[tuple[int, str, int], int] = {
        (kec, kind, tahun): last for kec, kind, tahun, last in used
    }
    if len(kecamatan) == 1:
        for (kind, tahun), last in old.items():
            key = (kecamatan[0], kind, tahun)
            seeds[key] = max(seeds.get(key, 0), last)
    op.drop_table('tracking_counter')
    counter = op.create_table(
        'tracking_counter',
        sa.Column('kecamatan_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('tahun', sa.Integer(), nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['kecamatan_id'], ['kecamatan.id'], name=op.f('fk_tracking_counter_kecamatan_id_kecamatan')
        ),
        sa.PrimaryKeyConstraint('kecamatan_id', 'kind', 'tahun', name=op.f('pk_tracking_counter')),
    )
    if seeds:
        op.bulk_insert(
            counter,
            [
                {'kecamatan_id': kec, 'kind': kind, 'tahun': tahun, 'last': last}
                for (kec, kind, tahun), last in sorted(seeds.items())
            ],
        )
    _unique(['kind', 'tahun', 'seq'], ['kecamatan_id', 'kind', 'tahun', 'seq'])


def downgrade() -> None:
    bind = op.get_bind()
    shared = bind.execute(
        sa.text(
            'SELECT kind, tahun, seq FROM incident GROUP BY kind, tahun, seq '
            'HAVING COUNT(*) > 1 ORDER BY kind, tahun, seq'
        )
    ).all()
    if shared:
        kind, tahun, seq = shared[0]
        raise RuntimeError(
            f'{len(shared)} nomor urut dipakai oleh lebih dari satu kecamatan '
            f'(misalnya {kind} {tahun} urutan {seq}); skema lama tidak dapat menampungnya, '
            'jadi penurunan dibatalkan'
        )
    last: dict[tuple[str, int], int] = {}
    for kind, tahun, value in bind.execute(
        sa.text('SELECT kind, tahun, MAX(last) FROM tracking_counter GROUP BY kind, tahun')
    ):
        last[(kind, tahun)] = value
    for kind, tahun, value in bind.execute(
        sa.text('SELECT kind, tahun, MAX(seq) FROM incident GROUP BY kind, tahun')
    ):
        last[(kind, tahun)] = max(last.get((kind, tahun), 0), value)
    _unique(['kecamatan_id', 'kind', 'tahun', 'seq'], ['kind', 'tahun', 'seq'])
    op.drop_table('tracking_counter')
    counter = op.create_table(
        'tracking_counter',
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('tahun', sa.Integer(), nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'tahun', name=op.f('pk_tracking_counter')),
    )
    if last:
        op.bulk_insert(
            counter,
            [
                {'kind': kind, 'tahun': tahun, 'last': value}
                for (kind, tahun), value in sorted(last.items())
            ],
        )
