"""The week step reads the youths' words, saves what it can and says what it could not, in the page's
language with examples: never the parser's English (issue 17, point 2)."""
from __future__ import annotations

import html as htmllib

import pytest

from tests.support.youths import post_step, profile_of, save_profile

NOT_READ = {"fi": "Emme voineet lukea “blaa”. Kirjoita esimerkiksi näin: “ma-pe 16-20”",
            "sv": "Vi kunde inte läsa “blaa”. Skriv till exempel så här: “mån-fre 16-20”",
            "en": "We could not read “blaa”. Write it for example like this: “Mon-Fri 16-20”"}
SAVED = {"fi": "Tallensimme sen, minkä pystyimme lukemaan.", "sv": "Vi sparade det vi kunde läsa.",
         "en": "We saved what we could read."}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_step_saves_the_readable_lines_and_names_the_rest_in_the_pages_language(app, anna, lang):
    anna.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    response = post_step(anna, 3, availability="iltasin ja viikonloppusin\nblaa")
    page = htmllib.unescape(response.text)
    assert response.status_code == 200
    assert profile_of(app).availability == ["iltasin ja viikonloppusin"]
    assert NOT_READ[lang] in page and SAVED[lang] in page
    assert "cannot read" not in page and "unknown word" not in page
    assert "iltasin ja viikonloppusin\nblaa</textarea>" in page  # nothing typed is lost
    assert 'aria-describedby="availability-hint availability-note"' in page


@pytest.mark.parametrize("text", ["arki-illat", "iltaisin\nviikonloppuisin", "kvällar och helger", "evenings, weekends",
                                  "aamupäivisin", "vardagar"])
def test_the_youths_words_are_saved_and_the_steps_go_on(app, anna, text):
    response = post_step(anna, 3, availability=text)
    assert response.status_code == 303 and response.location.endswith("/youth/start/4")
    assert profile_of(app).availability == text.splitlines()


def test_edit_profile_saves_the_rest_too(app, anna):
    response = save_profile(anna, availability="ke 16-20\nkuuhun")
    assert response.status_code == 200 and "We could not read “kuuhun”" in htmllib.unescape(response.text)
    assert profile_of(app).availability == ["ke 16-20"] and profile_of(app).municipality == "Oulu"
