"""Only what the engine and the directory can see moves the catalogue version: saving a draft (or a closed
opening) leaves every worker's matcher and caches alone; publishing, editing an open opening and closing do not."""
from __future__ import annotations

from sqlmodel import select

from webapp import db
from webapp.engine.versions import catalogue_version
from webapp.models import Association, Opening
from webapp.states import OpeningStatus


def _version(app) -> int:
    with app.app_context():
        return catalogue_version(db.get_session())


def _change(app, ref, **values):
    with app.app_context():
        session = db.get_session()
        opening = session.exec(select(Opening).where(Opening.ref == ref)).one()
        for name, value in values.items():
            setattr(opening, name, value)
        session.commit()


def test_drafts_and_closed_openings_leave_the_catalogue_alone(app):
    with app.app_context():
        session = db.get_session()
        session.add(Opening(ref="o-1", title="Luonnos", status=OpeningStatus.DRAFT,
                            association=Association(name="Testi ry")))
        session.commit()
    start = _version(app)
    assert start == 0  # a new draft: nobody's match yet
    for n in range(16):  # an association saving its draft again and again
        _change(app, "o-1", description=f"versio {n}")
    assert _version(app) == start
    _change(app, "o-1", status=OpeningStatus.OPEN)  # published: now in the catalogue
    published = _version(app)
    assert published > start
    _change(app, "o-1", title="Kioskimyyjä")  # an open opening edited
    assert _version(app) > published
    edited = _version(app)
    _change(app, "o-1", status=OpeningStatus.CLOSED)  # closed: it leaves the catalogue
    closed = _version(app)
    assert closed > edited
    _change(app, "o-1", description="Päättynyt")  # a closed opening edited: nobody sees it
    assert _version(app) == closed
    with app.app_context():
        session = db.get_session()
        session.delete(session.exec(select(Opening).where(Opening.ref == "o-1")).one())
        session.commit()
    assert _version(app) == closed  # deleting a closed one changes no catalogue either


def test_a_new_open_opening_and_deleting_an_open_one_move_the_version(app):
    with app.app_context():
        session = db.get_session()
        session.add(Opening(ref="o-2", title="Talkoot", status=OpeningStatus.OPEN,
                            association=Association(name="Testi ry")))
        session.commit()
    added = _version(app)
    assert added > 0
    with app.app_context():
        session = db.get_session()
        session.delete(session.exec(select(Opening).where(Opening.ref == "o-2")).one())
        session.commit()
    assert _version(app) > added
