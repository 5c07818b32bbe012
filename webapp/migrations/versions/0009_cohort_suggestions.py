"""A cohort's proposals reach the youth as suggestions: two new proposal states

"suggested" (sent to the youth, waiting for their answer) and "refused" (the youth said no).
Proposals sent before this revision keep their interest records and states.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""
from collections.abc import Sequence

from alembic import op

from webapp.migrations.keep import refuse_to_lose

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ('proposed', 'removed', 'sent', 'accepted', 'declined')
AFTER = ('proposed', 'removed', 'suggested', 'refused', 'sent', 'accepted', 'declined')  # webapp.states.ProposalState


def _states(states: tuple[str, ...]) -> None:
    with op.batch_alter_table('proposal') as batch:
        batch.drop_constraint(op.f('ck_proposal_proposal_state'), type_='check')
        batch.create_check_constraint('proposal_state', "state IN (%s)" % ", ".join(f"'{s}'" for s in states))


def upgrade() -> None:
    _states(AFTER)


def downgrade() -> None:
    refuse_to_lose("0009", rows={"proposal": "state IN ('suggested', 'refused')"})
    op.execute("UPDATE proposal SET state = 'removed' WHERE state IN ('suggested', 'refused')")
    _states(BEFORE)
