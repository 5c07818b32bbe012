"""The e-mail outbox, password-reset links, and long runs on the worker

- `outboxmail`: every e-mail, written in the event's transaction and sent by the worker;
- `invitation.purpose`: the one-time password links are invitations ("invite") or password resets
  ("reset"); existing links are invitations;
- `job.heartbeat_at`, `job.running_key`: a run whose worker died is found by its silence, and the same
  run for the same cohort or region cannot be started twice.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from webapp.migrations.keep import refuse_to_lose

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAIL_STATES = ('queued', 'sent', 'held', 'failed')  # webapp.states.MailState


def upgrade() -> None:
    op.create_table(
        'outboxmail',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.String(length=200), nullable=False),
        sa.Column('to', sa.String(length=254), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('html', sa.Text(), nullable=True),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('unsubscribe_url', sa.String(length=2000), nullable=True),
        sa.Column('state', sa.Enum(*MAIL_STATES, name='mail_state', native_enum=False, create_constraint=True,
                                   length=16), nullable=False),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.Column('next_try_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('leased_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('lease', sa.String(length=64), nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outboxmail')),
        sa.UniqueConstraint('message_id', name=op.f('uq_outboxmail_message_id')),
    )
    op.create_index('ix_outboxmail_due', 'outboxmail', ['state', 'next_try_at'], unique=False)
    with op.batch_alter_table('invitation') as batch:
        batch.add_column(sa.Column('purpose', sa.String(length=16), server_default='invite', nullable=False))
    with op.batch_alter_table('job') as batch:
        batch.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('running_key', sa.String(length=100), nullable=True))
        batch.create_unique_constraint(op.f('uq_job_running_key'), ['running_key'])


def downgrade() -> None:
    refuse_to_lose("0013", rows={"outboxmail": "state IN ('queued', 'held')"})  # mail not sent yet
    with op.batch_alter_table('job') as batch:
        batch.drop_constraint(op.f('uq_job_running_key'), type_='unique')
        batch.drop_column('running_key')
        batch.drop_column('heartbeat_at')
    with op.batch_alter_table('invitation') as batch:
        batch.drop_column('purpose')
    op.drop_index('ix_outboxmail_due', table_name='outboxmail')
    op.drop_table('outboxmail')
