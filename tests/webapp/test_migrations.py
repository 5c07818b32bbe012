from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel, select

from webapp import db, migrate
from webapp.models import Association

TABLES = {"association", "opening", "user", "youthprofile", "interest", "outcome", "catalogueversion",
          "attempt", "trusteddevice", "invitation", "weightprofile", "auditentry", "referral", "nextstep",
          "selfassessment", "job", "cohort", "proposal",
          "notice", "noticesetting", "message", "messagereport", "block"}


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
    result = runner.invoke(args=["db", "downgrade", "base"])
    assert result.exit_code == 0, result.output
    assert "database at revision base" in result.output
    assert _tables(empty_app) == {"alembic_version"}
