from __future__ import annotations

import re

import pytest

from tests.support.clients import token
from tests.support.coordinators import LAPLAND, NORTH, add_user
from tests.support.signin import signed_in
from webapp.services import audit
from webapp import db
from webapp.models import User
from webapp.states import Role


def test_the_landing_page_shows_the_region_and_the_way_to_the_weights(app):
    add_user(app, "kaisa@example.fi", region=NORTH)
    html = signed_in(app, "kaisa@example.fi").get("/coordinator/").text
    assert html.count("<h1>") == 1 and "<h1>Coordinator's workspace</h1>" in html
    assert f"Your region: {NORTH}" in html
    assert 'href="/coordinator/weights"' in html
    assert re.search(r'<a href="/coordinator/" aria-current="page">Coordinator</a>', html)
    assert "No changes yet." in html


def test_recent_changes_are_those_of_the_own_region_only(app):
    kaisa = add_user(app, "kaisa@example.fi", region=NORTH)
    lasse = add_user(app, "lasse@example.fi", region=LAPLAND)
    with app.app_context():
        session = db.get_session()
        audit.record(session, session.get(User, kaisa), "weights.save", "weightprofile:1", region=NORTH)
        audit.record(session, session.get(User, lasse), "weights.activate", "weightprofile:2", region=LAPLAND)
        session.commit()
    html = signed_in(app, "kaisa@example.fi").get("/coordinator/").text
    assert "Kaisa saved a new version" in html and "weight profile 1" in html and "weightprofile:1" not in html
    assert "Lasse" not in html and "weightprofile:2" not in html
    html = signed_in(app, "lasse@example.fi").get("/coordinator/").text
    assert "Lasse activated a version" in html and "weight profile 1" not in html


def test_the_landing_page_is_in_finnish_and_swedish_too(app):
    add_user(app, "kaisa@example.fi", region=NORTH)
    client = signed_in(app, "kaisa@example.fi")
    for lang, words in (("fi", "Koordinaattorin työtila"), ("sv", "Koordinatorns arbetsyta")):
        client.get(f"/language?lang={lang}&next=/")
        assert words in client.get("/coordinator/").text


@pytest.mark.parametrize("role", [Role.YOUTH, Role.ASSOCIATION])
def test_others_have_no_coordinator_link_nor_page(app, role):
    add_user(app, "other@example.fi", role=role)
    client = signed_in(app, "other@example.fi")
    assert 'href="/coordinator/"' not in client.get("/openings").text
    assert client.get("/coordinator/").status_code == 403


def test_visitors_are_sent_to_sign_in(client):
    response = client.get("/coordinator/")
    assert response.status_code == 302 and response.location.startswith("/auth/signin")
    assert client.post("/coordinator/weights", data={"name": "x", "csrf_token": token(client)}).status_code == 302
