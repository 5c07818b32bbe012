"""Initial tables: associations, openings, users, youth profiles, interests, outcomes, catalogue version

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Lists are JSON (JSONB on PostgreSQL); enums are VARCHAR with a CHECK constraint.
The catalogue version starts as its single row, version 0.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from webapp.migrations.keep import refuse_to_lose
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_LIST = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=16)


def upgrade() -> None:
    op.create_table('association',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('business_id', sa.String(length=9), nullable=True),
    sa.Column('municipality', sa.String(length=100), nullable=True),
    sa.Column('contact', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_association')),
    sa.UniqueConstraint('business_id', name=op.f('uq_association_business_id')),
    sa.UniqueConstraint('name', name=op.f('uq_association_name'))
    )
    op.create_table('catalogueversion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_catalogueversion_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogueversion'))
    )
    op.bulk_insert(sa.table('catalogueversion', sa.column('id', sa.Integer()), sa.column('version', sa.Integer())),
                   [{'id': 1, 'version': 0}])
    op.create_table('opening',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('association_id', sa.Integer(), nullable=False),
    sa.Column('status', _enum('opening_status', 'draft', 'open', 'closed'), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=True),
    sa.Column('themes', JSON_LIST, nullable=False),
    sa.Column('municipality', sa.String(length=100), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('remote', sa.Boolean(), nullable=False),
    sa.Column('schedule', JSON_LIST, nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('filled', sa.Integer(), nullable=False),
    sa.Column('min_age', sa.Integer(), nullable=True),
    sa.Column('max_age', sa.Integer(), nullable=True),
    sa.Column('languages', JSON_LIST, nullable=False),
    sa.Column('requirements', JSON_LIST, nullable=False),
    sa.Column('support', JSON_LIST, nullable=False),
    sa.Column('benefits', JSON_LIST, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 1', name=op.f('ck_opening_capacity')),
    sa.CheckConstraint('filled >= 0 AND (capacity IS NULL OR filled <= capacity)', name=op.f('ck_opening_filled')),
    sa.CheckConstraint('min_age IS NULL OR max_age IS NULL OR min_age <= max_age', name=op.f('ck_opening_ages')),
    sa.ForeignKeyConstraint(['association_id'], ['association.id'], name=op.f('fk_opening_association_id_association')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opening')),
    sa.UniqueConstraint('ref', name=op.f('uq_opening_ref'))
    )
    with op.batch_alter_table('opening', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opening_association_id'), ['association_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opening_status'), ['status'], unique=False)

    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', _enum('user_role', 'youth', 'association', 'coordinator', 'admin'), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('association_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['association_id'], ['association.id'], name=op.f('fk_user_association_id_association')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('email', name=op.f('uq_user_email'))
    )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_association_id'), ['association_id'], unique=False)

    op.create_table('youthprofile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('age', sa.Integer(), nullable=True),
    sa.Column('interests', sa.Text(), nullable=False),
    sa.Column('themes', JSON_LIST, nullable=False),
    sa.Column('municipality', sa.String(length=100), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('max_travel_km', sa.Float(), nullable=True),
    sa.Column('remote_ok', sa.Boolean(), nullable=True),
    sa.Column('availability', JSON_LIST, nullable=False),
    sa.Column('languages', JSON_LIST, nullable=False),
    sa.Column('kinds', JSON_LIST, nullable=False),
    sa.Column('qualifications', JSON_LIST, nullable=False),
    sa.Column('needs', JSON_LIST, nullable=False),
    sa.Column('goals', JSON_LIST, nullable=False),
    sa.Column('shared_fields', JSON_LIST, nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_youthprofile_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_youthprofile')),
    sa.UniqueConstraint('ref', name=op.f('uq_youthprofile_ref')),
    sa.UniqueConstraint('user_id', name=op.f('uq_youthprofile_user_id'))
    )
    op.create_table('interest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('youth_id', sa.Integer(), nullable=False),
    sa.Column('opening_id', sa.Integer(), nullable=False),
    sa.Column('state', _enum('interest_state', 'interested', 'accepted', 'declined', 'withdrawn',
                                 'completed', 'dropped'), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['opening_id'], ['opening.id'], name=op.f('fk_interest_opening_id_opening')),
    sa.ForeignKeyConstraint(['youth_id'], ['youthprofile.id'], name=op.f('fk_interest_youth_id_youthprofile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interest')),
    sa.UniqueConstraint('youth_id', 'opening_id', name=op.f('uq_interest_youth_id_opening_id'))
    )
    with op.batch_alter_table('interest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interest_opening_id'), ['opening_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interest_youth_id'), ['youth_id'], unique=False)

    op.create_table('outcome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('youth_id', sa.Integer(), nullable=False),
    sa.Column('opening_id', sa.Integer(), nullable=False),
    sa.Column('outcome', _enum('outcome_kind', 'shown', 'interested', 'accepted', 'completed',
                                   'declined', 'dropped'), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['opening_id'], ['opening.id'], name=op.f('fk_outcome_opening_id_opening')),
    sa.ForeignKeyConstraint(['youth_id'], ['youthprofile.id'], name=op.f('fk_outcome_youth_id_youthprofile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome'))
    )
    with op.batch_alter_table('outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_opening_id'), ['opening_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_youth_id'), ['youth_id'], unique=False)



def downgrade() -> None:
    refuse_to_lose("0001", tables=("association", "opening", "user", "youthprofile", "interest", "outcome"))
    with op.batch_alter_table('outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_youth_id'))
        batch_op.drop_index(batch_op.f('ix_outcome_opening_id'))

    op.drop_table('outcome')
    with op.batch_alter_table('interest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interest_youth_id'))
        batch_op.drop_index(batch_op.f('ix_interest_opening_id'))

    op.drop_table('interest')
    op.drop_table('youthprofile')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_association_id'))

    op.drop_table('user')
    with op.batch_alter_table('opening', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opening_status'))
        batch_op.drop_index(batch_op.f('ix_opening_association_id'))

    op.drop_table('opening')
    op.drop_table('catalogueversion')
    op.drop_table('association')
