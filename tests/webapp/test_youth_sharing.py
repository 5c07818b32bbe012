"""On "Edit profile": what associations may see, the youth's name, and qualifications."""
from __future__ import annotations

import re

import pytest

from tests.support.catalogue import add_catalogue
from tests.support.clients import english, field_errors
from tests.support.youths import act, interests_of, name_of, post_step, profile_of, save_profile, youth_client
from matching.model import Requirement
from webapp.engine.convert import youth_from_row
from webapp.models import SHAREABLE_FIELDS


@pytest.fixture
def catalogue(app):
    """o-dog needs a hygiene passport."""
    add_catalogue(app, **{"o-photo": {"languages": ["fi"]}, "o-remote": {"languages": ["fi"]}, "o-draft": None,
                          "o-dog": {"start_date": None, "requirements": ["hygiene_passport"]}})


@pytest.fixture
def anna(app, catalogue):
    return youth_client(app)


def ticked(html: str, field: str) -> list[str]:
    return re.findall(rf'<input checked id="{field}-\d+" name="{field}" type="checkbox" value="(\w+)">', html)


# ---------------------------------------------------------------- sharing

@pytest.mark.parametrize("url", ["/youth/profile", "/youth/start/5"])
def test_nothing_is_shared_until_the_youth_ticks_it(app, anna, url):
    html = anna.get(url).text
    offered = re.findall(r'name="shared_fields" type="checkbox" value="(\w+)"', html)
    assert offered == list(SHAREABLE_FIELDS)
    assert ticked(html, "shared_fields") == []
    assert "always see your name and the note you write. Tick what else they may see." in html
    assert profile_of(app).shared_fields == []


@pytest.mark.parametrize("choice", [["email"], ["availability", "age"], list(SHAREABLE_FIELDS), []])
def test_the_sharing_choice_is_stored_exactly(app, anna, choice):
    save_profile(anna, shared_fields=list(SHAREABLE_FIELDS))  # first everything, then the choice
    response = save_profile(anna, shared_fields=choice)
    assert response.status_code == 303
    stored = profile_of(app).shared_fields
    assert stored == [name for name in SHAREABLE_FIELDS if name in choice]  # the names ticked, in a fixed order
    assert sorted(ticked(anna.get("/youth/profile").text, "shared_fields")) == sorted(choice)


@pytest.mark.parametrize("bad", [["password"], ["age", "password_hash"], ["shared_fields"], ["Email"]])
def test_unknown_names_are_refused_and_nothing_is_saved(app, anna, bad):
    save_profile(anna, shared_fields=["age"])
    before = profile_of(app).model_dump()
    response = save_profile(anna, shared_fields=bad, interests="Musiikki")
    assert response.status_code == 400
    assert "Choose only from the options shown." in field_errors(response, "shared_fields")
    assert profile_of(app).model_dump() == before  # neither the sharing nor the interests


def test_sharing_labels_are_translated(app, anna):
    anna.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fi"
    html = anna.get("/youth/profile").text
    assert "Sähköpostiosoitteesi, jotta he voivat ottaa sinuun yhteyttä" in html
    assert "Rastita, mitä muuta ne saavat nähdä." in html


# ---------------------------------------------------------------- name

def test_the_name_is_saved_on_the_account_trimmed(app, anna):
    save_profile(anna, name="  Anna Virtanen ")
    assert name_of(app) == "Anna Virtanen"
    assert 'value="Anna Virtanen"' in anna.get("/youth/profile").text
    post_step(anna, 5, name="Anna V.", age="17")
    assert name_of(app) == "Anna V."


def test_one_youth_cannot_change_anothers_profile(app, anna):
    bob = youth_client(app, "bob@example.fi")
    save_profile(bob, name="Bob", shared_fields=["email"])
    assert name_of(app) == "" and profile_of(app).shared_fields == []
    assert name_of(app, "bob@example.fi") == "Bob"
    assert profile_of(app, "bob@example.fi").shared_fields == ["email"]


# ---------------------------------------------------------------- qualifications

def test_qualifications_are_offered_with_translated_labels(app, anna):
    html = anna.get("/youth/profile").text
    assert re.findall(r'name="qualifications" type="checkbox" value="(\w+)"', html) == [r.value for r in Requirement]
    assert "hygiene passport" in html.lower()
    anna.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv"
    assert "ordningsvaktskort" in anna.get("/youth/start/4").text.lower()


def test_qualifications_are_saved_and_reach_the_engine(app, anna):
    save_profile(anna, qualifications=["hygiene_passport", "first_aid", "hygiene_passport"])
    profile = profile_of(app)
    assert profile.qualifications == ["hygiene_passport", "first_aid"]
    assert youth_from_row(profile).qualifications == {Requirement.HYGIENE_PASSPORT, Requirement.FIRST_AID}
    assert sorted(ticked(anna.get("/youth/profile").text, "qualifications")) == ["first_aid", "hygiene_passport"]


def test_a_required_qualification_decides_eligibility(app, anna):
    english(anna)
    save_profile(anna, qualifications=["first_aid"])  # (an empty list means "not told": no rule applies)
    response = act(anna, "o-dog")
    assert response.status_code == 400 and "This opening does not suit you" in response.text
    assert interests_of(app) == {}
    save_profile(anna, qualifications=["first_aid", "hygiene_passport"])
    assert act(anna, "o-dog").status_code == 303
    assert "o-dog" in interests_of(app)


def test_an_unknown_qualification_is_refused(app, anna):
    response = save_profile(anna, qualifications=["pilot_licence"])
    assert response.status_code == 400
    assert "Choose only from the options shown." in field_errors(response, "qualifications")
    assert profile_of(app).qualifications == []
