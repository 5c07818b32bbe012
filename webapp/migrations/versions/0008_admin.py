"""The administrator's workspace: associations verified by hand, coordinators invited by a one-time link

Every association starts unverified, those already registered included: an administrator or a
coordinator of its region checks its Y-tunnus and verifies it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from webapp.migrations.keep import refuse_to_lose

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('association') as batch:
        batch.add_column(sa.Column('verified', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('association') as batch:
        batch.alter_column('verified', server_default=None)
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_invitation_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitation_token_hash')),
    )
    op.create_index(op.f('ix_invitation_user_id'), 'invitation', ['user_id'], unique=False)


def downgrade() -> None:
    refuse_to_lose("0008", tables=("invitation",), rows={"association": "verified_at IS NOT NULL"})
    op.drop_index(op.f('ix_invitation_user_id'), table_name='invitation')
    op.drop_table('invitation')
    with op.batch_alter_table('association') as batch:
        batch.drop_column('verified_at')
        batch.drop_column('verified')
