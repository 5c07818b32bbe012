"""An opening's kind is one of the engine's kinds: a CHECK constraint on opening.kind

Kinds differing only in case or spaces are written as the engine's code first. A kind the
engine does not know stops the migration with the openings named, so nothing is lost: fix
those rows (or set their kind to NULL, "unknown") and run it again.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ('volunteer', 'work_trial', 'hobby', 'event', 'talkoot', 'course', 'coaching', 'job')  # matching.Kind


def upgrade() -> None:
    bind = op.get_bind()
    openings = sa.table('opening', sa.column('id', sa.Integer()), sa.column('ref', sa.String()),
                        sa.column('kind', sa.String()))
    unknown = []
    for row_id, ref, kind in bind.execute(sa.select(openings.c.id, openings.c.ref, openings.c.kind)
                                          .where(openings.c.kind.is_not(None))).all():
        code = kind.strip().lower()
        if code not in KINDS:
            unknown.append(f"{ref} ({kind!r})")
        elif code != kind:
            bind.execute(sa.update(openings).where(openings.c.id == row_id).values(kind=code))
    if unknown:
        raise RuntimeError("openings with a kind the engine does not know: " + ", ".join(unknown)
                           + f"; expected one of {', '.join(KINDS)} or none")
    with op.batch_alter_table('opening') as batch:
        batch.create_check_constraint('kind', "kind IS NULL OR kind IN (%s)" % ", ".join(f"'{k}'" for k in KINDS))


def downgrade() -> None:
    with op.batch_alter_table('opening') as batch:
        batch.drop_constraint('kind', type_='check')
