"""A weights version beside the catalogue version: workers keep the weights in use until it moves

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('catalogueversion') as batch:
        # the default fills the existing row; kept, as altering it would rebuild the table on SQLite
        batch.add_column(sa.Column('weights', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('catalogueversion') as batch:
        batch.drop_column('weights')
