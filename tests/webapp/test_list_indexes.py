"""Every list that grows with the catalogue is read in the order of an index: a page costs its own
rows, not a sort of every opening or interest (checked in the query plans of SQLite and PostgreSQL)."""
from __future__ import annotations

import re

from sqlmodel import select

from tests.support.plans import assert_read_in_index_order
from tests.support.referrals import add_user
from tests.support.signin import signed_in
from webapp import db
from webapp.models import Association, Opening
from webapp.services import openings
from webapp.services.catalogue import Filters, open_openings
from webapp.services.decisions import applicants_of
from webapp.states import OpeningStatus, Role


def test_the_directory_lists_open_openings_newest_first_in_index_order(app):
    """catalogue.open_openings' page, as the directory and GET /api/v1/openings run it."""
    with app.app_context():
        statement, _count = open_openings(Filters())
        assert_read_in_index_order(db.get_session(), statement, "ix_opening_status_created")


def test_an_associations_openings_are_read_newest_first_in_index_order(app):
    with app.app_context():
        assert_read_in_index_order(db.get_session(), openings.of_association(1), "ix_opening_association_created")


def test_an_openings_applicants_are_read_oldest_first_in_index_order(app):
    with app.app_context():
        assert_read_in_index_order(db.get_session(), applicants_of(1), "ix_interest_opening_created")


def test_an_associations_openings_come_a_page_at_a_time(app):
    add_user(app, "ry@example.fi", Role.ASSOCIATION, association="Monen paikan ry")
    with app.app_context():
        session = db.get_session()
        association = session.exec(select(Association).where(Association.name == "Monen paikan ry")).one()
        session.add_all([Opening(ref=f"many-{i:02d}", association_id=association.id, title=f"Tehtävä {i:02d}",
                                 description="Kuvaus", status=OpeningStatus.DRAFT) for i in range(23)])
        session.commit()
    member = signed_in(app, "ry@example.fi")
    first, second = member.get("/association/openings").text, member.get("/association/openings?page=2").text
    titles = [re.findall(r">Tehtävä (\d\d)</a>", page) for page in (first, second)]
    assert [len(t) for t in titles] == [openings.PAGE_SIZE, 23 - openings.PAGE_SIZE]
    assert sorted(titles[0] + titles[1]) == [f"{i:02d}" for i in range(23)]
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert member.get("/association/openings?page=3").status_code == 404
    assert member.get("/association/openings?page=x").status_code == 400
