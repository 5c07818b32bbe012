from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel, select

from webapp import db, migrate
from tests.support import worlds
from webapp.models import Association, Interest, Proposal
from webapp.states import ProposalState

TABLES = {"association", "opening", "user", "youthprofile", "interest", "outcome", "catalogueversion",
          "attempt", "opening_tombstone", "trusteddevice", "invitation", "weightprofile", "auditentry", "referral",
          "nextstep", "selfassessment", "job", "cohort", "proposal",
          "outboxmail", "notice", "noticesetting", "message", "messagereport", "block"}


def _tables(app):
    return set(sa.inspect(db.get_engine(app)).get_table_names())


def test_upgrade_on_an_empty_database_creates_every_table(empty_app):
    assert _tables(empty_app) == set()
    assert migrate.current_revision(empty_app) is None
    migrate.upgrade(empty_app)
    assert _tables(empty_app) == TABLES | {"alembic_version"}
    assert migrate.current_revision(empty_app) == migrate.head_revision()
    with db.get_engine(empty_app).connect() as connection:
        assert connection.execute(sa.text("SELECT id, version FROM catalogueversion")).all() == [(1, 0)]


def test_upgrade_on_an_up_to_date_database_is_a_no_op(app):
    with app.app_context():
        session = db.get_session()
        session.add(Association(name="Pysyvä ry", business_id="0737546-2"))
        session.commit()
    migrate.upgrade(app)
    assert migrate.current_revision(app) == migrate.head_revision()
    with app.app_context():
        assert [a.name for a in db.get_session().exec(select(Association))] == ["Pysyvä ry"]


def test_the_migrations_match_the_models(app):
    with db.get_engine(app).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_downgrade_to_base_and_up_again(app):
    migrate.downgrade(app, "base")
    assert _tables(app) == {"alembic_version"}
    migrate.upgrade(app)
    assert TABLES <= _tables(app)


def test_the_cli_upgrades_and_downgrades(empty_app):
    runner = empty_app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"database at revision {migrate.head_revision()}" in result.output
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0  # again: nothing to do
    assert "newest" in runner.invoke(args=["db", "current"]).output
    result = runner.invoke(args=["db", "downgrade", "base", "--yes"])
    assert result.exit_code == 0, result.output
    assert "database at revision base" in result.output
    assert _tables(empty_app) == {"alembic_version"}


# ---------------------------------------------------------------- downgrades keep data or refuse

def _tmp_tables(app):
    return {name for name in _tables(app) if name.startswith("_alembic_tmp")}


def _forget_suggestions(app):
    """0009 would turn the youths' answers to suggestions into "removed": it refuses while there are any."""
    _forget_newer(app)
    with app.app_context():
        session = db.get_session()
        states = [ProposalState.SUGGESTED, ProposalState.REFUSED]
        session.execute(sa.delete(Proposal).where(Proposal.state.in_(states)))  # type: ignore[attr-defined]
        session.commit()


def _forget_newer(app):
    """The rows of tables newer than 0009 that a downgrade past them refuses to delete: mail not sent yet,
    messages and their reports, blocks, notifications and e-mail choices."""
    with app.app_context():
        session = db.get_session()
        for table in ("outboxmail", "messagereport", "message", "block", "notice", "noticesetting"):
            session.execute(sa.text(f"DELETE FROM {table}"))
        session.commit()


def test_a_downgrade_that_would_delete_data_refuses_and_changes_nothing(app):
    worlds.build(app)
    _forget_suggestions(app)
    before = worlds.snapshot(app)
    with pytest.raises(migrate.DataWouldBeLost) as refused:
        migrate.downgrade(app, "0002")
    message = str(refused.value)
    assert "referral" in message and "nextstep" in message and "--drop-data" in message
    assert migrate.current_revision(app) == migrate.head_revision()
    assert worlds.snapshot(app) == before
    assert _tmp_tables(app) == set()


def test_a_downgrade_with_drop_data_runs_over_rows_that_reference_each_other(app):
    """On SQLite a batch step rebuilds `user` while interests point at it: foreign keys are checked once, at the end."""
    world = worlds.build(app)
    migrate.downgrade(app, "0002", drop_data=True)
    assert migrate.current_revision(app) == "0002"
    assert _tmp_tables(app) == set()
    assert "referral" not in _tables(app)
    migrate.upgrade(app)
    with app.app_context():
        session = db.get_session()
        assert session.get(Association, world.a.association_id) is not None  # the tables 0002 has keep their rows
        assert session.exec(select(Interest)).first() is not None


def test_a_round_trip_over_steps_that_lose_nothing_keeps_every_row(app):
    worlds.build(app)
    _forget_suggestions(app)
    with app.app_context():  # when each opening last changed is the engines' bookkeeping: 0012 starts it anew
        db.get_session().execute(sa.text("UPDATE opening SET changed_in = 0"))
        db.get_session().commit()
    before = worlds.snapshot(app)
    migrate.downgrade(app, "0008")
    assert migrate.current_revision(app) == "0008"
    migrate.upgrade(app)
    assert worlds.snapshot(app) == before


def test_a_cohort_suggestion_answered_by_a_youth_stops_the_downgrade_past_0009(app):
    worlds.build(app)
    _forget_newer(app)
    with pytest.raises(migrate.DataWouldBeLost, match="proposal"):
        migrate.downgrade(app, "0008")
    assert migrate.current_revision(app) == migrate.head_revision()


def test_the_cli_asks_before_emptying_and_refuses_to_lose_data_with_exit_code_2(app):
    worlds.build(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "downgrade", "base"], input="n\n")
    assert result.exit_code != 0
    assert "removes every table" in result.output
    assert migrate.current_revision(app) == migrate.head_revision()
    result = runner.invoke(args=["db", "downgrade", "0008"])
    assert result.exit_code == 2
    assert "nothing was changed" in result.output
    assert migrate.current_revision(app) == migrate.head_revision()
    result = runner.invoke(args=["db", "downgrade", "base"], input="y\n")
    assert result.exit_code == 0, result.output
    assert _tables(app) == {"alembic_version"}
