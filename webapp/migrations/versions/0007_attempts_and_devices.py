"""Attempts counted before the work they guard (sign-in, sign-up, registration) and the browsers that
signed in to an account before (their own sign-in budget)

The failed sign-ins kept so far (at most 15 minutes' worth) are not carried over: the new
table counts attempts under other keys.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index(op.f('ix_signinfailure_at'), table_name='signinfailure')
    op.drop_index(op.f('ix_signinfailure_key'), table_name='signinfailure')
    op.drop_table('signinfailure')
    op.create_table('attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt')),
    )
    op.create_index(op.f('ix_attempt_key'), 'attempt', ['key'], unique=False)
    op.create_index(op.f('ix_attempt_at'), 'attempt', ['at'], unique=False)
    op.create_table('trusteddevice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_trusteddevice_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trusteddevice')),
    sa.UniqueConstraint('key', name=op.f('uq_trusteddevice_key')),
    )
    op.create_index(op.f('ix_trusteddevice_user_id'), 'trusteddevice', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_trusteddevice_user_id'), table_name='trusteddevice')
    op.drop_table('trusteddevice')
    op.drop_index(op.f('ix_attempt_at'), table_name='attempt')
    op.drop_index(op.f('ix_attempt_key'), table_name='attempt')
    op.drop_table('attempt')
    op.create_table('signinfailure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signinfailure')),
    )
    op.create_index(op.f('ix_signinfailure_key'), 'signinfailure', ['key'], unique=False)
    op.create_index(op.f('ix_signinfailure_at'), 'signinfailure', ['at'], unique=False)
