"""My matches names the answer that hides openings and links to it (issue 17, points 1 and 3):
no raw scores, minus reasons with a visible minus, and "why not" with the answer to change."""
from __future__ import annotations

import html as htmllib
import re

import pytest

from tests.support.youths import save_profile
from tests.support.why import in_language, items, panel, signs

AT_HOME = dict(municipality="oulu", max_travel_km="20", remote_ok="yes", needs=["at_home"])
NEAR_ON_SITE = {"en": "1 opening near you needs you on site: you said you can only take part from home.",
                "fi": "1 tehtävä lähelläsi vaatii, että olet paikalla: kerroit, että voit osallistua vain kotoa käsin.",
                "sv": "1 uppdrag nära dig kräver att du är på plats: du sa att du bara kan delta hemifrån."}


def matches_page(client) -> str:
    response = client.get("/youth/matches")
    assert response.status_code == 200
    return htmllib.unescape(response.text)


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
def test_the_at_home_answer_that_hides_the_openings_near_is_named_with_a_link(anna, lang):
    assert save_profile(anna, **AT_HOME).status_code == 303
    page = matches_page(in_language(anna, lang))
    assert NEAR_ON_SITE[lang] in page
    assert 'href="/youth/start/4#needs"' in page  # the step with the support answers
    assert 'href="/openings/o-dog"' in page  # the opening it hides, whose page says why not


def test_nothing_is_named_when_no_single_answer_hides_much(anna):
    assert save_profile(anna, municipality="oulu", max_travel_km="20", remote_ok="yes", needs=[]).status_code == 303
    page = matches_page(anna)
    assert "hides many openings" not in page and "/youth/start/4#needs" not in page


def test_my_matches_shows_no_score_and_minus_reasons_carry_a_minus(anna):
    save_profile(anna, **{**AT_HOME, "needs": []})
    page = matches_page(in_language(anna, "fi"))
    assert "Pisteet" not in page and not re.search(r"\b0[.,]\d\d\b", page)
    assert "Ei lupaa sitä, mitä toivoit saavasi" in page  # o-remote offers no reference
    match = re.search(r'<li class="reason reason-against">(.*?)</li>', page, re.S)
    assert match and "−" in match.group(1) and "Vastaan:" in match.group(1)
    assert '<li class="reason reason-for">' in page


def test_why_not_on_the_opening_page_links_to_the_answer(anna):
    save_profile(anna, **AT_HOME)
    section = panel(anna, "o-dog")
    assert items(section, "blocks") == ["It cannot be done from home."]
    assert signs(section, "blocks") == ["−"]
    assert 'href="/youth/start/4#needs"' in section and "Change this answer in your profile" in section


def test_a_youth_with_nothing_near_sees_the_nearest_openings_not_a_dead_end(anna):
    assert save_profile(anna, municipality="Vaasa", max_travel_km="20", remote_ok="no").status_code == 303
    page = matches_page(anna)
    assert "Nothing is within 20 km of your home yet." in page and "Try adding interests" not in page
    assert page.index('href="/openings/o-dog"') < page.index('href="/openings/o-photo"')  # Oulu is nearer than Tornio
    assert "km from Vaasa" in page and 'href="/youth/start/2#max_travel_km"' in page


def test_a_visitor_on_an_opening_page_is_offered_a_way_on(client, catalogue):
    page = htmllib.unescape(client.get("/openings/o-dog", headers={"Accept-Language": "en"}).text)
    assert "Sign up to show interest" in page and 'href="/auth/signup?next=/openings/o-dog"' in page
