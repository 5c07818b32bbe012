"""The "Is this for you?" panel of the public opening page: for a signed-in youth only, from `Matcher.explain`."""
from __future__ import annotations


import pytest
from werkzeug.security import generate_password_hash

from tests.support.clients import english, token
from tests.support.signin import PASSWORD
from tests.support.why import HEADINGS, PANEL, in_language, items, panel
from tests.support.youths import act, profile_of, save_profile, youth_client
from webapp import db
from webapp.engine.convert import youth_from_row
from webapp.engine.matcher import get_matcher
from webapp.models import Association, User, YouthProfile
from webapp.states import Role

def explained(app, ref="o-dog", lang="en", email="anna@example.fi"):
    with app.test_request_context():
        return get_matcher().explain(youth_from_row(profile_of(app, email)), ref, lang=lang)


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
def test_a_youth_who_fits_sees_why_strongest_first(app, anna, lang):
    save_profile(anna)
    expected = explained(app, lang=lang)
    assert expected.eligible
    section = panel(in_language(anna, lang))
    assert f'<h2 id="why-heading">{HEADINGS[lang]}</h2>' in section
    strongest_first = sorted((r for r in expected.reasons if not r.neutral), key=lambda r: -r.contribution)
    assert items(section, "reasons") == [r.text for r in strongest_first] and strongest_first
    assert not any(r.text in section for r in expected.reasons if r.neutral)
    assert f" {expected.rank} " in section  # the rank among the youth's matches
    assert items(section, "blocks") == []
    assert 'action="/youth/openings/o-dog/interest"' in section
    assert 'name="next" value="/openings/o-dog"' in section


def test_the_button_follows_the_interest(app, anna):
    save_profile(anna)
    assert act(anna, "o-dog", next="/openings/o-dog").location == "/openings/o-dog"
    assert 'action="/youth/openings/o-dog/withdraw"' in panel(anna)
    act(anna, "o-dog", "withdraw", next="/openings/o-dog")
    assert 'action="/youth/openings/o-dog/interest"' in panel(anna)


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
def test_a_youth_who_is_too_young_sees_the_block(app, anna, lang):
    save_profile(anna, age="15")  # o-dog is for 16 and up
    expected = explained(app, lang=lang)
    assert not expected.eligible and expected.blocks
    section = panel(in_language(anna, lang))
    assert f'<h2 id="why-heading">{HEADINGS[lang]}</h2>' in section
    assert items(section, "blocks") == [b.text for b in expected.blocks]
    assert items(section, "reasons") == [] and "<form" not in section
    if lang == "en":
        assert "You need to be at least 16." in section


def test_visitors_and_other_roles_see_no_panel(app, client, catalogue):
    assert panel(english(client)) == "" and "Is this for you?" not in client.get("/openings/o-dog").text
    with app.app_context():
        session = db.get_session()
        session.add(User(email="ry@example.fi", role=Role.ASSOCIATION, association=Association(name="Testi ry"),
                         password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")))
        session.commit()
    ry = english(app.test_client())
    ry.post("/auth/signin", data={"email": "ry@example.fi", "password": PASSWORD, "csrf_token": token(ry)})
    html = ry.get("/openings/o-dog").text
    assert "Koiranulkoiluttaja" in html and PANEL.search(html) is None and "Is this for you?" not in html


def test_a_youth_without_a_readable_profile_sees_no_panel(app, anna):
    save_profile(anna)
    with app.app_context():
        session = db.get_session()
        table = YouthProfile.__table__  # written behind the form's and the table's back: the engine cannot read it
        session.connection().execute(table.update().values(availability=["blah blah"]))
        session.commit()
    assert panel(anna) == ""


def test_a_youths_panel_never_shows_another_youths_data(app, anna):
    save_profile(anna, interests="Koirat ja ulkoilu metsässä")
    bob = youth_client(app, "bob@example.fi")
    save_profile(bob, interests="Valokuvaus ja musiikki", municipality="Tornio", themes=["photography"],
                 max_travel_km="", availability="", languages=["sv", "fi"])
    assert act(bob, "o-dog").status_code == 303  # Bob is interested in o-dog; Anna is not
    mine, theirs = explained(app), explained(app, email="bob@example.fi")
    assert mine.eligible and theirs.eligible
    anna_sees, bob_sees = panel(anna), panel(bob)
    assert items(anna_sees, "reasons") == [r.text for r in sorted(
        (r for r in mine.reasons if not r.neutral), key=lambda r: -r.contribution)]
    assert items(bob_sees, "reasons") == [r.text for r in sorted(
        (r for r in theirs.reasons if not r.neutral), key=lambda r: -r.contribution)]
    only_bobs = {r.text for r in theirs.reasons} - {r.text for r in mine.reasons}
    assert only_bobs and not any(text in anna_sees for text in only_bobs)
    for secret in ("Valokuvaus", "musiikki", "Tornio", "bob@example.fi"):
        assert secret not in anna_sees
    assert 'action="/youth/openings/o-dog/interest"' in anna_sees and "/withdraw" not in anna_sees
    assert 'action="/youth/openings/o-dog/withdraw"' in bob_sees
