"""Indexes for an association's openings (newest first) and an opening's applicants (oldest first)

Each replaces the single-column index of its foreign key, which it covers (the key leads), so a
page of either list is read in index order instead of sorting every row of the association or
opening.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_opening_association_created', 'opening', ['association_id', 'created_at', 'id'], unique=False)
    op.drop_index('ix_opening_association_id', table_name='opening')
    op.create_index('ix_interest_opening_created', 'interest', ['opening_id', 'created_at', 'id'], unique=False)
    op.drop_index('ix_interest_opening_id', table_name='interest')


def downgrade() -> None:
    op.create_index('ix_interest_opening_id', 'interest', ['opening_id'], unique=False)
    op.drop_index('ix_interest_opening_created', table_name='interest')
    op.create_index('ix_opening_association_id', 'opening', ['association_id'], unique=False)
    op.drop_index('ix_opening_association_created', table_name='opening')
