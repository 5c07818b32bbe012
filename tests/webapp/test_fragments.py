"""The list on "My matches" is drawn once and kept per process (webapp/fragments.py): kept lists
must show exactly what a fresh drawing would, and never carry another session's CSRF token."""
from __future__ import annotations

import re

import pytest
from flask import template_rendered

from tests.support.apps import make_app
from tests.support.catalogue import add_catalogue
from tests.support.clients import csrf_token_in
from tests.support.youths import save_profile, youth_client
from webapp import db, migrate
from webapp.engine import fragments

LIST = "youth/_match_list.html"
SHOWN = re.compile(r'<h2><a href="/openings/([^"]+)">')
INTEREST_FORMS = re.compile(r'<form method="post" action="(/youth/openings/[^"]+)"[^>]*>(.*?)</form>', re.S)


@pytest.fixture
def drawn(app):
    """The names of the templates rendered, in order."""
    names: list[str] = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    yield names
    template_rendered.disconnect(record, app)


def _forms(html: str) -> list[tuple[str, str]]:
    """(action, csrf token) of every interest form in the list."""
    return [(action, csrf_token_in(form)) for action, form in INTEREST_FORMS.findall(html)]


def test_the_list_is_drawn_once_while_nothing_on_it_changes(app, catalogue, drawn):
    anna = youth_client(app)
    save_profile(anna)
    first = anna.get("/youth/matches").text
    second = anna.get("/youth/matches").text
    assert drawn.count(LIST) == 1 and drawn.count("youth/matches.html") == 2
    assert SHOWN.findall(first) == SHOWN.findall(second) and SHOWN.findall(first)
    assert fragments.TOKEN not in second and "\x00" not in second


def test_a_kept_list_carries_this_sessions_token_and_it_works(app, catalogue, drawn):
    # Two youths with the same profile share one kept list; each page must carry its own session's token.
    anna, bert = youth_client(app), youth_client(app, "bert@example.fi")
    save_profile(anna)
    save_profile(bert)
    anna_forms, bert_forms = _forms(anna.get("/youth/matches").text), _forms(bert.get("/youth/matches").text)
    assert drawn.count(LIST) == 1 and anna_forms and [a for a, _ in anna_forms] == [a for a, _ in bert_forms]
    (action, anna_token), (_, bert_token) = anna_forms[0], bert_forms[0]
    assert anna_token != bert_token
    assert anna.post(action, data={"csrf_token": bert_token, "next": "/youth/matches"}).status_code == 400
    assert anna.post(action, data={"csrf_token": anna_token, "next": "/youth/matches"}).status_code == 303


def test_the_list_follows_the_youths_interest(app, catalogue, drawn):
    anna = youth_client(app)
    save_profile(anna)
    action, csrf = _forms(anna.get("/youth/matches").text)[0]
    ref = action.split("/")[3]
    assert anna.post(action, data={"csrf_token": csrf, "next": "/youth/matches"}).status_code == 303
    html = anna.get("/youth/matches").text
    assert drawn.count(LIST) == 2
    assert f'action="/youth/openings/{ref}/withdraw"' in html and "Your interest: interested" in html


def test_each_language_has_its_own_list(app, catalogue, drawn):
    anna = youth_client(app)
    save_profile(anna)
    english = anna.get("/youth/matches").text
    anna.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv"
    swedish = anna.get("/youth/matches").text
    assert drawn.count(LIST) == 2
    assert "I am interested in" in english and "I am interested in" not in swedish
    assert SHOWN.findall(english) == SHOWN.findall(swedish)


def test_a_changed_profile_draws_a_new_list(app, catalogue, drawn):
    anna = youth_client(app)
    save_profile(anna)
    before = SHOWN.findall(anna.get("/youth/matches").text)
    save_profile(anna, interests="Valokuvaus ja kamerat", themes=["photography"], municipality="Oulu",
                 max_travel_km="", remote_ok="yes")
    after = SHOWN.findall(anna.get("/youth/matches").text)
    assert drawn.count(LIST) == 2 and before != after


def test_a_cache_size_of_zero_draws_every_time(database_url):
    app = make_app(database_url, FRAGMENT_CACHE_SIZE=0)
    try:
        migrate.upgrade(app)
        add_catalogue(app)
        names: list[str] = []

        def record(sender, template, context, **extra):  # a name of its own: blinker keeps only a weak reference
            names.append(template.name)

        template_rendered.connect(record, app)
        anna = youth_client(app)
        save_profile(anna)
        anna.get("/youth/matches")
        anna.get("/youth/matches")
        assert names.count(LIST) == 2
    finally:
        db.dispose(app)
