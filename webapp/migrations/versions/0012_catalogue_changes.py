"""The catalogue's change log: each opening's `changed_in` version, and the deleted openings' tombstones

Workers apply the openings changed since their own catalogue version to their fitted matcher instead
of refitting it (webapp.engine.changes). Existing rows start at 0: a worker builds its matcher from the
whole catalogue when it starts.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('opening') as batch:
        batch.add_column(sa.Column('changed_in', sa.Integer(), server_default='0', nullable=False))
        batch.create_index('ix_opening_changed_in', ['changed_in'], unique=False)
    op.create_table(
        'opening_tombstone',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ref', sa.String(length=64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_opening_tombstone')),
    )
    op.create_index('ix_opening_tombstone_version', 'opening_tombstone', ['version'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_opening_tombstone_version', table_name='opening_tombstone')
    op.drop_table('opening_tombstone')
    with op.batch_alter_table('opening') as batch:
        batch.drop_index('ix_opening_changed_in')
        batch.drop_column('changed_in')
