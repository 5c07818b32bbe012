"""Interest dates and reference for the work certificate; failed sign-ins shared by all workers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from webapp.migrations.keep import refuse_to_lose

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('interest') as batch:
        batch.add_column(sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('reference', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('interest') as batch:
        batch.alter_column('reference', server_default=None)
    op.create_table('signinfailure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signinfailure')),
    )
    op.create_index(op.f('ix_signinfailure_key'), 'signinfailure', ['key'], unique=False)
    op.create_index(op.f('ix_signinfailure_at'), 'signinfailure', ['at'], unique=False)


def downgrade() -> None:
    refuse_to_lose("0002", rows={"interest": "reference <> '' OR finished_at IS NOT NULL OR accepted_at IS NOT NULL"})
    op.drop_index(op.f('ix_signinfailure_at'), table_name='signinfailure')
    op.drop_index(op.f('ix_signinfailure_key'), table_name='signinfailure')
    op.drop_table('signinfailure')
    with op.batch_alter_table('interest') as batch:
        batch.drop_column('reference')
        batch.drop_column('finished_at')
        batch.drop_column('accepted_at')
