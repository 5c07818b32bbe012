"""The step-by-step profile after sign-up: five short pages, each saved on its own."""
from __future__ import annotations

import re

import pytest

from tests.support.clients import english, field_errors, token
from tests.support.signin import PASSWORD
from tests.support.youths import name_of, post_step, profile_of

STEP_DATA = {
    1: {"interests": "Koirat ja ulkoilu", "themes": ["animals"]},
    2: {"municipality": "oulu", "max_travel_km": "20", "remote_ok": "no"},
    3: {"availability": "ke 16-20\nweekends"},
    4: {"languages": ["fi", "en"], "kinds": ["volunteer"], "qualifications": ["first_aid", "hygiene_passport"],
        "needs": ["peer_buddy"], "goals": ["reference"]},
    5: {"name": "Anna Virtanen", "shared_fields": ["age", "email"], "age": "17"},
}


def saved(app) -> dict:
    """The profile and the account's name, to compare before and after."""
    profile = profile_of(app)
    return {**profile.model_dump(), "name": name_of(app)}


def steps_nav(html: str) -> list[tuple[str, bool]]:
    """The progress list: (href, is current) per step."""
    nav = re.search(r'<nav aria-label="Steps of your profile">(.*?)</nav>', html, re.S).group(1)
    return [(href, bool(current)) for href, current in
            re.findall(r'<a href="([^"]+)"( aria-current="step")?>', nav)]


# ---------------------------------------------------------------- the whole way

def test_sign_up_then_five_steps_then_my_matches(app, catalogue):
    client = english(app.test_client())
    response = client.post("/auth/signup", data={"email": "anna@example.fi", "age": "17", "password": PASSWORD,
                                                 "confirm": PASSWORD, "consent": "y",
                                                 "csrf_token": token(client, "/auth/signup")})
    assert response.status_code == 302 and response.location == "/youth/start/1"
    for number in range(1, 6):
        html = client.get(f"/youth/start/{number}").text
        assert f"Step {number} of 5" in html
        assert steps_nav(html) == [(f"/youth/start/{n}", n == number) for n in range(1, 6)]
        assert html.count("<h1>") == 1
        response = post_step(client, number, **STEP_DATA[number])
        assert response.status_code == 303
        assert response.location == (f"/youth/start/{number + 1}" if number < 5 else "/youth/matches")
    p = profile_of(app)
    assert (p.interests, p.themes, p.municipality, p.max_travel_km, p.remote_ok, p.availability) == \
        ("Koirat ja ulkoilu", ["animals"], "Oulu", 20, False, ["ke 16-20", "weekends"])
    assert (p.languages, p.kinds, p.qualifications, p.needs, p.goals) == \
        (["fi", "en"], ["volunteer"], ["first_aid", "hygiene_passport"], ["peer_buddy"], ["reference"])
    assert (p.shared_fields, p.age, name_of(app)) == (["age", "email"], 17, "Anna Virtanen")
    html = client.get("/youth/matches").text
    assert "Your profile is saved. Here are activities that could suit you." in html
    assert re.findall(r'<h2><a href="/openings/([^"]+)">', html)  # she has matches


def test_each_step_saves_only_its_own_fields(app, anna):
    post_step(anna, 2, **STEP_DATA[2])
    p = profile_of(app)
    assert (p.municipality, p.max_travel_km, p.remote_ok) == ("Oulu", 20, False)
    assert (p.interests, p.themes, p.availability, p.age) == ("", [], [], 19)  # other steps untouched (age: sign-up)
    post_step(anna, 1, interests="Musiikki", themes=["music"])
    p = profile_of(app)
    assert (p.interests, p.themes, p.municipality) == ("Musiikki", ["music"], "Oulu")


def test_a_step_shows_what_is_saved_and_can_empty_it(app, anna):
    post_step(anna, 2, **STEP_DATA[2])
    html = anna.get("/youth/start/2").text
    assert 'value="Oulu"' in html and 'value="20"' in html
    assert re.search(r'<input checked id="remote_ok-\d" name="remote_ok" type="radio" value="no">', html)
    post_step(anna, 2, municipality="", max_travel_km="", remote_ok="")
    p = profile_of(app)
    assert (p.municipality, p.max_travel_km, p.remote_ok) == (None, None, None)


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("number, data, field, message", [
    (1, {"interests": "x" * 2001, "themes": ["animals"]}, "interests", "Write at most 2000 characters."),
    (1, {"interests": "Koirat", "themes": ["animals", "dragons"]}, "themes", "Choose only from the options shown."),
    (2, {"municipality": "Oulo", "max_travel_km": "20"}, "municipality", "Did you mean Oulu?"),
    (2, {"municipality": "Oulu", "max_travel_km": "-3"}, "max_travel_km", "Write a whole number from 0 to 1000."),
    (2, {"municipality": "Oulu", "remote_ok": "maybe"}, "remote_ok", "Not a valid choice."),
    (4, {"languages": ["fi"], "qualifications": ["pilot_licence"]}, "qualifications",
     "Choose only from the options shown."),
    (4, {"languages": ["fi"], "needs": ["butler"]}, "needs", "Choose only from the options shown."),
    (5, {"name": "Anna", "age": "7"}, "age", "Polku is for young people aged 15 to 29."),
    (5, {"name": "x" * 201, "age": "17"}, "name", "Write at most 200 characters."),
    (5, {"name": "Anna", "shared_fields": ["age", "password"]}, "shared_fields",
     "Choose only from the options shown."),
])
def test_bad_input_in_a_step_saves_nothing_of_it(app, anna, number, data, field, message):
    before = saved(app)
    response = post_step(anna, number, **data)
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert re.search(rf'aria-describedby="[^"]*\b{field}-error"', response.text)  # the message is tied to it
    assert "This step was not saved yet" in response.text
    assert f"Step {number} of 5" in response.text
    assert saved(app) == before


def test_step_messages_are_in_the_readers_language(app, anna):
    anna.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv"
    response = post_step(anna, 5, age="x")
    assert response.status_code == 400
    assert "Steg 5 av 5" in response.text
    assert field_errors(response, "age").strip() != "" and "Write a whole" not in field_errors(response, "age")


def test_a_step_needs_the_csrf_token(app, anna):
    before = saved(app)
    assert anna.post("/youth/start/1", data=STEP_DATA[1]).status_code == 400
    assert saved(app) == before


# ---------------------------------------------------------------- skip and back

def test_skip_goes_on_without_saving_and_back_goes_one_step_back(app, anna):
    before = saved(app)
    for number in range(1, 6):
        html = anna.get(f"/youth/start/{number}").text
        skip = "/youth/start/%d" % (number + 1) if number < 5 else "/youth/matches"
        assert f'<a href="{skip}">Skip this step</a>' in html
        back = re.search(r'<a href="([^"]+)">Back</a>', html)
        assert (back.group(1) if back else None) == (f"/youth/start/{number - 1}" if number > 1 else None)
        button = re.search(r'<button type="submit">([^<]+)</button>', html).group(1)
        assert button == ("Next" if number < 5 else "Save and see my matches")
    assert anna.get("/youth/matches").status_code == 200  # where the last skip leads
    assert saved(app) == before


# ---------------------------------------------------------------- suggested themes

def test_step_one_suggests_themes_once_then_goes_on(app, anna):
    interests = "Haluan ulkoiluttaa koiria ja valokuvata"
    response = post_step(anna, 1, interests=interests)
    assert response.status_code == 303 and response.location == "/youth/start/1"  # stays to show suggestions
    assert profile_of(app).interests == interests  # the step is saved meanwhile
    html = anna.get("/youth/start/1").text
    assert 'id="suggested-themes"' in html
    ticked = re.findall(r'<input checked id="themes-\d+" name="themes" type="checkbox" value="(\w+)">', html)
    assert "animals" in ticked
    hidden = re.findall(r'<input type="hidden" name="suggested" value="(\w+)">', html)
    assert sorted(hidden) == sorted(ticked)
    response = post_step(anna, 1, interests=interests, themes=ticked, suggested=hidden)
    assert response.location == "/youth/start/2"
    assert sorted(profile_of(app).themes) == sorted(ticked)


def test_a_mistake_after_the_suggestion_keeps_it(app, anna):
    post_step(anna, 1, interests="Haluan ulkoiluttaa koiria")
    response = post_step(anna, 1, interests="x" * 2001, themes=["animals"], suggested=["animals", "<dragons>"])
    assert response.status_code == 400 and "Write at most 2000 characters." in field_errors(response, "interests")
    assert re.findall(r'<input type="hidden" name="suggested" value="([^"]+)">', response.text) == ["animals"]
    assert profile_of(app).themes == [] and profile_of(app).interests == "Haluan ulkoiluttaa koiria"


def test_unticking_every_suggestion_is_allowed(app, anna):
    interests = "Haluan ulkoiluttaa koiria"
    post_step(anna, 1, interests=interests)
    response = post_step(anna, 1, interests=interests, suggested=["animals"])
    assert response.status_code == 303 and response.location == "/youth/start/2"
    assert profile_of(app).themes == []


# ---------------------------------------------------------------- who and where

@pytest.mark.parametrize("url", ["/youth/start/0", "/youth/start/6"])
def test_there_are_five_steps(app, anna, url):
    assert anna.get(url).status_code == 404


def test_visitors_are_sent_to_sign_in(client):
    response = client.get("/youth/start/1")
    assert response.status_code == 302 and response.location.startswith("/auth/signin")


def test_edit_profile_links_to_the_steps(app, anna):
    assert 'href="/youth/start/1"' in anna.get("/youth/profile").text


@pytest.mark.parametrize(("written", "saved_as", "note"), [
    ("Nastola", "Lahti", "Nastola has been part of Lahti since 2016, so Lahti is saved."),
    ("Tikkurila", "Vantaa", "Tikkurila is in Vantaa, so Vantaa is saved."),
])
def test_a_former_municipality_or_a_district_is_saved_as_todays_and_the_youth_is_told(app, anna, written, saved_as,
                                                                                      note):
    response = post_step(anna, 2, municipality=written, max_travel_km="20", remote_ok="no")
    assert response.status_code == 303
    assert profile_of(app).municipality == saved_as
    assert note in anna.get(response.location).text
