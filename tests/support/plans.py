"""What the database plans for a statement: which index serves it, and whether it sorts."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def assert_read_in_index_order(session: Any, statement: Any, index: str) -> None:
    """`statement` (limited to a page of 20) is served by `index` with no sort of its rows.

    On PostgreSQL the planner would rather sort the handful of rows of a test database: sorting and
    sequential scans are forbidden for the question, so the plan shows whether the index can serve."""
    compiled = statement.limit(20).compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    if session.get_bind().dialect.name == "sqlite":
        plan = " ".join(str(row[-1]) for row in session.exec(sa.text(f"EXPLAIN QUERY PLAN {compiled}")))
        assert index in plan and "TEMP B-TREE" not in plan, plan
    else:
        session.exec(sa.text("SET LOCAL enable_sort = off"))
        session.exec(sa.text("SET LOCAL enable_seqscan = off"))
        plan = " ".join(row[0] for row in session.exec(sa.text(f"EXPLAIN {compiled}")))
        session.rollback()
        assert index in plan and "Sort" not in plan, plan
