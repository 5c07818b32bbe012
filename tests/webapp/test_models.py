"""The tables refuse what the engine would refuse: every column the engine reads, and opening.kind in
the database itself."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from matching.io import FieldError, opening_from_record, youth_from_record
from webapp import db
from webapp.engine.convert import opening_from_row, youth_from_row
from webapp.engine.fields import OPENING, YOUTH
from webapp.models import Association, Opening, YouthProfile

BAD_OPENING = {"kind": "picnic", "themes": ["no-such-theme"], "municipality": "Atlantis", "lat": 91.0,
               "lon": -181.0, "schedule": ["kuutamolla"], "capacity": 0, "filled": -1, "min_age": 121,
               "max_age": -1, "languages": ["not a language"], "requirements": ["flying"],
               "support": ["jetpack"], "benefits": ["yacht"]}
BAD_YOUTH = {"age": 130, "themes": ["no-such-theme"], "municipality": "Atlantis", "lat": 95.0, "lon": 200.0,
             "max_travel_km": -5.0, "availability": ["kuutamolla"], "languages": ["??"], "kinds": ["picnic"],
             "qualifications": ["flying"], "needs": ["jetpack"], "goals": ["yacht"]}


def test_every_column_the_engine_reads_is_checked():
    assert set(BAD_OPENING) == set(OPENING) and set(BAD_YOUTH) == set(YOUTH)


@pytest.mark.parametrize("field", sorted(BAD_OPENING))
def test_an_opening_refuses_what_the_engine_refuses(field):
    with pytest.raises(FieldError):  # the engine itself refuses the value ...
        opening_from_record({"id": "o-1", "title": "t", field: BAD_OPENING[field]})
    with pytest.raises(FieldError) as refused:  # ... and so does the table
        Opening(ref="o-1", title="t", association_id=1, **{field: BAD_OPENING[field]})
    assert refused.value.field == field


@pytest.mark.parametrize("field", sorted(BAD_YOUTH))
def test_a_youth_profile_refuses_what_the_engine_refuses(field):
    with pytest.raises(FieldError):
        youth_from_record({"id": "y-1", field: BAD_YOUTH[field]})
    profile = YouthProfile(user_id=1)
    with pytest.raises(FieldError) as refused:
        setattr(profile, field, BAD_YOUTH[field])
    assert refused.value.field == field


def test_a_kind_is_stored_as_the_engine_s_code():
    with pytest.raises(FieldError, match="write the kind as its code 'volunteer'"):
        Opening(ref="o-1", title="t", association_id=1, kind=" Volunteer ")


def test_good_values_are_stored_as_given():
    opening = Opening(ref="o-1", title="Koiran ulkoiluttaja", association_id=1, kind="volunteer",
                      themes=["animals"], municipality="Torneå", schedule=["ma-pe 12-20"], languages=["fi"],
                      requirements=["first_aid"], capacity=3, min_age=16, max_age=29)
    assert opening.kind == "volunteer" and opening.municipality == "Torneå"
    assert opening_from_row(opening, "Testi ry").kind.value == "volunteer"
    profile = YouthProfile(user_id=1, ref="y-1", age=17, availability=["iltaisin"], kinds=["event"], needs=["group"])
    assert youth_from_row(profile).age == 17


def test_the_database_refuses_an_unknown_kind_written_past_the_table(app):
    with app.app_context():
        session = db.get_session()
        association = Association(name="Testi ry")
        session.add(association)
        session.flush()
        session.add(Opening(ref="o-1", title="t", association_id=association.id, kind="event"))
        session.commit()
        table = Opening.__table__
        with pytest.raises(IntegrityError):
            session.connection().execute(sa.update(table).where(table.c.ref == "o-1").values(kind="picnic"))
        session.rollback()
        assert session.connection().execute(sa.select(table.c.kind)).scalar_one() == "event"
