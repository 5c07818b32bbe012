from __future__ import annotations

import sqlalchemy as sa

from webapp import db
from webapp.models import Association, Opening, bump_catalogue, catalogue_version


def _version(app):
    with app.app_context():
        return catalogue_version(db.get_session())


def test_every_change_to_openings_bumps_the_version_once_per_commit(app):
    with app.app_context():
        session = db.get_session()
        association = Association(name="Versio ry")
        session.add(association)
        session.commit()
        assert catalogue_version(session) == 0  # associations alone are not the catalogue

        opening = Opening(ref="o-v", title="Talkoot", association=association)
        session.add(opening)
        session.commit()
        assert catalogue_version(session) == 1

        opening.title = "Kevättalkoot"
        session.commit()
        assert catalogue_version(session) == 2
        assert opening.updated_at >= opening.created_at

        session.add(opening)  # nothing changed: no bump
        session.commit()
        assert catalogue_version(session) == 2

        session.delete(opening)
        session.commit()
        assert catalogue_version(session) == 3


def test_a_rolled_back_change_leaves_the_version(app):
    with app.app_context():
        session = db.get_session()
        session.add(Opening(ref="o-r", title="Peruttu", association=Association(name="Peru ry")))
        session.flush()
        assert catalogue_version(session) == 1
        session.rollback()
    assert _version(app) == 0


def test_bump_catalogue_by_hand_after_a_bulk_update(app):
    with app.app_context():
        session = db.get_session()
        session.add(Opening(ref="o-b", title="Bulk", association=Association(name="Bulk ry")))
        session.commit()
        table = Opening.__table__
        session.execute(sa.update(table).values(filled=0))
        assert bump_catalogue(session) == 2
        session.commit()
    assert _version(app) == 2


def test_a_database_without_the_row_gets_one(app):
    with app.app_context():
        session = db.get_session()
        session.execute(sa.text("DELETE FROM catalogueversion"))
        assert catalogue_version(session) == 0
        assert bump_catalogue(session) == 1
        assert bump_catalogue(session) == 2
        session.commit()
    assert _version(app) == 2
