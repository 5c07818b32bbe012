"""Faults of issue 16: a rollback that fails in a database outage never replaces the JSON error with the
server's bare one, and the eligibility check for interest reads the opening's places from the database,
not from a worker's matcher a change behind."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Blueprint
from sqlalchemy.pool import NullPool
from sqlmodel import select

from tests.support.apps import make_app
from tests.support.youths import act, interests_of, save_profile
from webapp import db, migrate
from webapp.engine import matcher as engine
from webapp.engine.matcher import get_matcher
from webapp.models import Opening


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_rollback_failing_in_an_outage_still_answers_the_json_error(database_url):
    app = make_app(database_url, TESTING=False, SECRET_KEY="s" * 48)  # as served: exceptions become answers
    migrate.upgrade(app)
    admin = sa.create_engine(db.normalise_url(database_url), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    pages = Blueprint("outage", __name__)

    @pages.get("/api/v1/outage")
    def outage() -> str:
        session = db.get_session()
        pid = session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        with admin.connect() as connection:  # the server ends this request's connection mid-transaction
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        raise RuntimeError("a failure while the database is gone")

    app.register_blueprint(pages)
    try:
        response = app.test_client().get("/api/v1/outage")  # the rollbacks fail: the connection is gone
        assert response.status_code == 500
        assert response.json == {"error": {"code": "internal_error", "message": "Something went wrong on our side."}}
        assert app.test_client().get("/api/v1/openings").status_code == 200  # and the next request is served
    finally:
        db.dispose(app)
        admin.dispose()


def _free_in_matcher(app) -> bool:
    with app.test_request_context():
        index = get_matcher().index
        held = index.opening(index.row_of("o-dog"))
    return held.capacity is None or held.filled < held.capacity


def test_interest_in_an_opening_full_in_the_database_is_refused_by_a_stale_matcher(app, anna):
    save_profile(anna)
    assert anna.get("/youth/matches").status_code == 200
    assert _free_in_matcher(app)
    with app.app_context():  # another worker took the last place just now
        session = db.get_session()
        opening = session.exec(select(Opening).where(Opening.ref == "o-dog")).one()
        opening.filled = max(opening.filled, 1)
        opening.capacity = opening.filled
        session.commit()
    with engine.state(app).lock:  # this worker cannot catch up meanwhile: its matcher still has a free place
        response = act(anna, "o-dog")
        assert _free_in_matcher(app)
    assert response.status_code == 400 and "All places are taken." in response.text
    assert interests_of(app) == {}
