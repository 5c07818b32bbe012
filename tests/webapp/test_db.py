from __future__ import annotations

import pytest
from flask import g
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from webapp import db
from webapp.models import Association, Opening


def test_one_session_per_request_closed_afterwards(app):
    with app.test_request_context():
        session = db.get_session()
        assert db.get_session() is session
        assert session.exec(select(Association)).all() == []
    with app.test_request_context():
        assert "db_session" not in g
        assert db.get_session() is not session


def test_a_failed_request_is_rolled_back(app):
    @app.get("/boom")
    def boom():
        db.get_session().add(Association(name="Kesken ry"))
        db.get_session().flush()
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        app.test_client().get("/boom")
    with app.app_context():
        assert db.get_session().exec(select(Association)).all() == []


def test_foreign_keys_are_enforced(app):
    with app.app_context():
        session = db.get_session()
        session.add(Opening(ref="o-x", title="Orpo", association_id=999))
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()


def test_postgres_urls_use_psycopg():
    assert db.normalise_url("postgresql://u@h/d").drivername == "postgresql+psycopg"
    assert db.normalise_url("postgres://u@h/d").drivername == "postgresql+psycopg"
    assert db.normalise_url("sqlite:///x.sqlite").drivername == "sqlite"


def test_emails_are_stored_trimmed_and_lower_case():
    from webapp.models import User, normalise_email
    from webapp.states import Role
    assert normalise_email("  Maija@Example.FI ") == "maija@example.fi"
    assert User(email="maija@example.fi", password_hash="x", role=Role.YOUTH).email == "maija@example.fi"
    with pytest.raises(ValueError, match="lower-case"):
        User(email="Maija@example.fi", password_hash="x", role=Role.YOUTH)
