"""The shared catalogue: two associations and their openings, open, draft and closed."""
from __future__ import annotations

import datetime as dt

from flask import Flask

from webapp import db

CATALOGUE_BASE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)



def add_catalogue(app: Flask, **changes: dict[str, object]) -> dict[str, int]:
    """Two associations; three open openings (o-remote newest), a draft and a closed one.

    `changes` maps an opening's ref to fields that differ for one test module (or to None to
    leave the opening out). Returns the associations' ids.
    """
    from webapp.models import Association, Opening
    from webapp.states import OpeningStatus

    open_, draft, closed = OpeningStatus.OPEN, OpeningStatus.DRAFT, OpeningStatus.CLOSED
    with app.app_context():
        session = db.get_session()
        animals = Association(verified=True, name="Oulun Eläinystävät ry", municipality="Oulu",
                              contact="info@elaimet.example", description="Autamme löytöeläimiä.")
        culture = Association(verified=True, name="Tornion Kulttuuriseura ry", municipality="Tornio")
        session.add_all([animals, culture])
        openings = {
            "o-dog": dict(association=animals, status=open_, title="Koiranulkoiluttaja",
                          description="Lenkki koiran kanssa metsässä.", kind="volunteer",
                          themes=["animals", "outdoors"], municipality="Oulu", languages=["fi"],
                          schedule=["ke 16-19"], capacity=3, filled=1, min_age=16,
                          support=["no_experience_needed"], benefits=["reference"],
                          start_date=dt.date(2026, 2, 1), created_at=CATALOGUE_BASE),
            "o-photo": dict(association=culture, status=open_, title="Valokuvaaja festivaaleille",
                            description="Kuvaat konsertteja.", kind="event", themes=["photography"],
                            municipality="Tornio", languages=["sv", "fi"],
                            created_at=CATALOGUE_BASE + dt.timedelta(days=1)),
            "o-remote": dict(association=animals, status=open_, title="Somepäivittäjä",
                             description="Päivität yhdistyksen someä kotoa käsin.", kind="volunteer",
                             themes=["social_media"], municipality="Oulu", remote=True, languages=["en"],
                             created_at=CATALOGUE_BASE + dt.timedelta(days=2)),
            "o-draft": dict(association=animals, status=draft, title="Koiratarhan siivooja",
                            description="Luonnos.", kind="volunteer", themes=["animals"], municipality="Oulu"),
            "o-closed": dict(association=animals, status=closed, title="Koiranäyttelyn järjestäjä",
                             description="Päättynyt.", kind="event", themes=["animals"], municipality="Oulu"),
        }
        for ref, fields in openings.items():
            if ref in changes and changes[ref] is None:
                continue
            session.add(Opening(ref=ref, **{**fields, **(changes.get(ref) or {})}))
        session.commit()
        return {"animals": animals.id, "culture": culture.id}


def add_youth_catalogue(app: Flask) -> dict[str, int]:
    """The catalogue as the youth tests read it: every open opening in Finnish, o-dog without a start date,
    and no draft. Returns the associations' ids."""
    return add_catalogue(app, **{"o-photo": {"languages": ["fi"]}, "o-remote": {"languages": ["fi"]},
                                 "o-draft": None, "o-dog": {"start_date": None}})
