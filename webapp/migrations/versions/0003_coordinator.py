"""Coordinator workspace: weight profiles, audit log, referrals, next steps, self-assessments, jobs, cohorts, proposals

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from webapp.migrations.keep import refuse_to_lose
from sqlalchemy.dialects import postgresql

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=16)


def upgrade() -> None:
    op.create_table('auditentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=100), nullable=False),
    sa.Column('details', JSON_DOC, nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_auditentry_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auditentry'))
    )
    with op.batch_alter_table('auditentry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auditentry_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditentry_user_id'), ['user_id'], unique=False)

    op.create_table('job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('state', _enum('job_state', 'queued', 'running', 'done', 'failed'), nullable=False),
    sa.Column('progress', sa.Float(), nullable=False),
    sa.Column('message', sa.String(length=300), nullable=False),
    sa.Column('params', JSON_DOC, nullable=False),
    sa.Column('result', JSON_DOC, nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_job_created_by_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job')),
    sa.UniqueConstraint('ref', name=op.f('uq_job_ref'))
    )
    op.create_table('weightprofile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('weights', JSON_DOC, nullable=False),
    sa.Column('diversity', sa.Float(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_weightprofile_created_by_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weightprofile')),
    sa.UniqueConstraint('name', 'version', name=op.f('uq_weightprofile_name_version'))
    )
    with op.batch_alter_table('weightprofile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_weightprofile_region'), ['region'], unique=False)

    op.create_table('cohort',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=False),
    sa.Column('state', _enum('cohort_state', 'draft', 'proposed', 'sent'), nullable=False),
    sa.Column('youth_ids', JSON_DOC, nullable=False),
    sa.Column('opening_ids', JSON_DOC, nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('summary', JSON_DOC, nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_cohort_created_by_user')),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_cohort_job_id_job')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort')),
    sa.UniqueConstraint('ref', name=op.f('uq_cohort_ref'))
    )
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_region'), ['region'], unique=False)

    op.create_table('referral',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('youth_id', sa.Integer(), nullable=False),
    sa.Column('coordinator_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=False),
    sa.Column('state', _enum('referral_state', 'pending', 'active', 'ended'), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('consented_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['coordinator_id'], ['user.id'], name=op.f('fk_referral_coordinator_id_user')),
    sa.ForeignKeyConstraint(['youth_id'], ['youthprofile.id'], name=op.f('fk_referral_youth_id_youthprofile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral')),
    sa.UniqueConstraint('ref', name=op.f('uq_referral_ref')),
    sa.UniqueConstraint('youth_id', 'coordinator_id', name=op.f('uq_referral_youth_id_coordinator_id'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_coordinator_id'), ['coordinator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_region'), ['region'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_youth_id'), ['youth_id'], unique=False)

    op.create_table('selfassessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('youth_id', sa.Integer(), nullable=False),
    sa.Column('scores', JSON_DOC, nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['youth_id'], ['youthprofile.id'], name=op.f('fk_selfassessment_youth_id_youthprofile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_selfassessment'))
    )
    with op.batch_alter_table('selfassessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_selfassessment_youth_id'), ['youth_id'], unique=False)

    op.create_table('nextstep',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('youth_id', sa.Integer(), nullable=False),
    sa.Column('interest_id', sa.Integer(), nullable=True),
    sa.Column('step', _enum('next_step_kind', 'education', 'work', 'work_trial', 'rehabilitative', 'none_yet'),
              nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['interest_id'], ['interest.id'], name=op.f('fk_nextstep_interest_id_interest')),
    sa.ForeignKeyConstraint(['recorded_by'], ['user.id'], name=op.f('fk_nextstep_recorded_by_user')),
    sa.ForeignKeyConstraint(['youth_id'], ['youthprofile.id'], name=op.f('fk_nextstep_youth_id_youthprofile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nextstep'))
    )
    with op.batch_alter_table('nextstep', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nextstep_interest_id'), ['interest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nextstep_youth_id'), ['youth_id'], unique=False)

    op.create_table('proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('youth_id', sa.Integer(), nullable=False),
    sa.Column('opening_id', sa.Integer(), nullable=False),
    sa.Column('fit', sa.Float(), nullable=True),
    sa.Column('by_hand', sa.Boolean(), nullable=False),
    sa.Column('state', _enum('proposal_state', 'proposed', 'removed', 'sent', 'accepted', 'declined'), nullable=False),
    sa.Column('interest_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_proposal_cohort_id_cohort')),
    sa.ForeignKeyConstraint(['interest_id'], ['interest.id'], name=op.f('fk_proposal_interest_id_interest')),
    sa.ForeignKeyConstraint(['opening_id'], ['opening.id'], name=op.f('fk_proposal_opening_id_opening')),
    sa.ForeignKeyConstraint(['youth_id'], ['youthprofile.id'], name=op.f('fk_proposal_youth_id_youthprofile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal')),
    sa.UniqueConstraint('cohort_id', 'youth_id', name=op.f('uq_proposal_cohort_id_youth_id'))
    )
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_opening_id'), ['opening_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_youth_id'), ['youth_id'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region', sa.String(length=100), nullable=True))



def downgrade() -> None:
    refuse_to_lose("0003", tables=("referral", "nextstep", "selfassessment", "proposal", "cohort", "weightprofile",
                                   "job", "auditentry"), rows={"user": "region <> ''"})
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('region')

    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_youth_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_opening_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_cohort_id'))

    op.drop_table('proposal')
    with op.batch_alter_table('nextstep', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nextstep_youth_id'))
        batch_op.drop_index(batch_op.f('ix_nextstep_interest_id'))

    op.drop_table('nextstep')
    with op.batch_alter_table('selfassessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_selfassessment_youth_id'))

    op.drop_table('selfassessment')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_youth_id'))
        batch_op.drop_index(batch_op.f('ix_referral_region'))
        batch_op.drop_index(batch_op.f('ix_referral_coordinator_id'))

    op.drop_table('referral')
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_region'))

    op.drop_table('cohort')
    with op.batch_alter_table('weightprofile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_weightprofile_region'))

    op.drop_table('weightprofile')
    op.drop_table('job')
    with op.batch_alter_table('auditentry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auditentry_user_id'))
        batch_op.drop_index(batch_op.f('ix_auditentry_at'))

    op.drop_table('auditentry')
