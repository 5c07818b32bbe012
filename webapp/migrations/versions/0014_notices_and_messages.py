"""Notifications, each user's e-mail choice for them, and messages between a youth and an association

New tables only: notice, noticesetting, message, messagereport, block.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from webapp.migrations.keep import refuse_to_lose

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('params', JSON_DOC, nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notice_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice'))
    )
    op.create_index(op.f('ix_notice_subject'), 'notice', ['subject'], unique=False)
    op.create_index('ix_notice_user_created', 'notice', ['user_id', 'created_at', 'id'], unique=False)
    op.create_table('noticesetting',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.Enum('now', 'digest', 'none', name='email_choice', native_enum=False, create_constraint=True,
                               length=16), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('digest_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_noticesetting_user_id_user')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_noticesetting'))
    )
    op.create_table('block',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('youth_id', sa.Integer(), nullable=False),
    sa.Column('association_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['association_id'], ['association.id'], name=op.f('fk_block_association_id_association')),
    sa.ForeignKeyConstraint(['youth_id'], ['youthprofile.id'], name=op.f('fk_block_youth_id_youthprofile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_block')),
    sa.UniqueConstraint('youth_id', 'association_id', name=op.f('uq_block_youth_id_association_id'))
    )
    op.create_index(op.f('ix_block_association_id'), 'block', ['association_id'], unique=False)
    op.create_index(op.f('ix_block_youth_id'), 'block', ['youth_id'], unique=False)
    op.create_table('message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interest_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('from_youth', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['interest_id'], ['interest.id'], name=op.f('fk_message_interest_id_interest')),
    sa.ForeignKeyConstraint(['sender_id'], ['user.id'], name=op.f('fk_message_sender_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message'))
    )
    op.create_index('ix_message_interest_created', 'message', ['interest_id', 'created_at', 'id'], unique=False)
    op.create_index(op.f('ix_message_sender_id'), 'message', ['sender_id'], unique=False)
    op.create_table('messagereport',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_messagereport_message_id_message')),
    sa.ForeignKeyConstraint(['reporter_id'], ['user.id'], name=op.f('fk_messagereport_reporter_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messagereport')),
    sa.UniqueConstraint('message_id', name=op.f('uq_messagereport_message_id'))
    )
    op.create_index(op.f('ix_messagereport_reporter_id'), 'messagereport', ['reporter_id'], unique=False)


def downgrade() -> None:
    refuse_to_lose("0014", tables=("message", "messagereport", "block", "notice", "noticesetting"))
    op.drop_index(op.f('ix_messagereport_reporter_id'), table_name='messagereport')
    op.drop_table('messagereport')
    op.drop_index(op.f('ix_message_sender_id'), table_name='message')
    op.drop_index('ix_message_interest_created', table_name='message')
    op.drop_table('message')
    op.drop_index(op.f('ix_block_youth_id'), table_name='block')
    op.drop_index(op.f('ix_block_association_id'), table_name='block')
    op.drop_table('block')
    op.drop_table('noticesetting')
    op.drop_index('ix_notice_user_created', table_name='notice')
    op.drop_index(op.f('ix_notice_subject'), table_name='notice')
    op.drop_table('notice')
