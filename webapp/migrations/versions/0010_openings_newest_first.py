"""An index for listing open openings newest first (the directory and GET /api/v1/openings)

Without it every page sorted the whole catalogue: 25 ms a request at 10^4 openings and 172 ms
at 10^5, against about 0.1 ms read in index order.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_opening_status_created', 'opening', ['status', 'created_at', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_opening_status_created', table_name='opening')
