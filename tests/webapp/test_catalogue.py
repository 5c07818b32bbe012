from __future__ import annotations

import sqlalchemy as sa

from webapp import db
from webapp.models import Association, Opening
from webapp.engine.versions import bump_catalogue, catalogue_version
from webapp.states import OpeningStatus


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

        opening = Opening(ref="o-v", title="Talkoot", association=association, status=OpeningStatus.OPEN)
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
        session.add(Opening(ref="o-r", title="Peruttu", association=Association(name="Peru ry"),
                            status=OpeningStatus.OPEN))
        session.flush()
        assert catalogue_version(session) == 1
        session.rollback()
    assert _version(app) == 0


def test_bump_catalogue_by_hand_after_a_bulk_update(app):
    with app.app_context():
        session = db.get_session()
        session.add(Opening(ref="o-b", title="Bulk", association=Association(name="Bulk ry"),
                            status=OpeningStatus.OPEN))
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


def test_the_version_cache_keeps_values_until_the_version_moves():
    from webapp.engine.versions import VersionCache

    made = []

    def make(value):
        def _make():
            made.append(value)
            return value
        return _make

    cache = VersionCache(size=2)
    assert cache.get(1, "a", make("a1")) == "a1"
    assert cache.get(1, "a", make("again")) == "a1"  # kept
    assert cache.get(2, "a", make("a2")) == "a2"  # the version moved: made anew
    assert cache.get(1, "a", make("old")) == "old"  # an older snapshot: its own value, not kept
    assert cache.get(2, "a", make("x")) == "a2"
    cache.get(2, "b", make("b2"))
    cache.get(2, "c", make("c2"))  # over the size: the least recently used ("a") goes
    assert len(cache) == 2
    assert cache.get(2, "a", make("a2 again")) == "a2 again"
    assert made == ["a1", "a2", "old", "b2", "c2", "a2 again"]


def test_open_opening_ids_are_cached_per_catalogue_version(app):
    from webapp.services import catalogue
    from webapp.states import OpeningStatus

    with app.app_context():
        session = db.get_session()
        association = Association(name="Välimuisti ry")
        session.add(association)
        session.add(Opening(ref="o-1", title="Yksi", association=association, status=OpeningStatus.OPEN))
        session.commit()
    with app.test_request_context():
        first = catalogue.open_opening_ids(catalogue.Filters())
        assert len(first) == 1
    with app.app_context():
        session = db.get_session()
        session.add(Opening(ref="o-2", title="Kaksi", association_id=association.id, status=OpeningStatus.OPEN))
        session.commit()
    with app.test_request_context():
        second = catalogue.open_opening_ids(catalogue.Filters())
        assert len(second) == 2 and second[1] == first[0]  # newest first
        assert catalogue.open_opening_ids(catalogue.Filters(q="Kaksi")) == second[:1]


def test_every_change_to_weight_profiles_bumps_the_weights_version_and_not_the_catalogue(app):
    from webapp.models import WeightProfile
    from webapp.engine.versions import bump_weights, versions

    with app.app_context():
        session = db.get_session()
        assert versions(session) == versions(session).__class__(0, 0)
        profile = WeightProfile(name="Syksy", region="Lappi", weights={"interest": 1.0})
        session.add(profile)
        session.commit()
        assert (versions(session).catalogue, versions(session).weights) == (0, 1)
        profile.active = True
        session.commit()
        assert versions(session).weights == 2
        session.add(profile)  # nothing changed: no bump
        session.commit()
        assert versions(session).weights == 2
        bump_weights(session)  # after a bulk UPDATE, which bypasses the session
        session.commit()
        assert versions(session).weights == 3
        session.add(Opening(ref="o-w", title="Talkoot", association=Association(name="Painot ry"),
                            status=OpeningStatus.OPEN))
        session.commit()
        assert (versions(session).catalogue, versions(session).weights) == (1, 3)
        session.delete(profile)
        session.commit()
        assert versions(session).weights == 4
