"""A session token per user, part of every session cookie: the server can end a user's sessions

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""
import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user') as batch:
        batch.add_column(sa.Column('session_token', sa.String(length=64), nullable=False, server_default=''))
    bind = op.get_bind()
    users = sa.table('user', sa.column('id', sa.Integer()), sa.column('session_token', sa.String()))
    for (user_id,) in bind.execute(sa.select(users.c.id)).all():  # every old cookie ends here
        bind.execute(sa.update(users).where(users.c.id == user_id).values(session_token=secrets.token_hex(16)))
    with op.batch_alter_table('user') as batch:
        batch.alter_column('session_token', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('user') as batch:
        batch.drop_column('session_token')
