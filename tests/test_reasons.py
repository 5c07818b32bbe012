"""Reasons read naturally and come from the same numbers as the score."""
from __future__ import annotations

import pytest

from matching import Matcher, Opening, Youth, geo
from matching.model import Benefit, Kind, Support
from matching.schedule import Weekly
from tests.support.strategies import TODAY

TORNIO, KEMI = geo.locate("Tornio"), geo.locate("Kemi")


@pytest.fixture
def matcher() -> Matcher:
    return Matcher(today=TODAY, diversity=0.0).fit([
        Opening("o-1", "Valokuvaaja junioriotteluihin", "Kuvaa kotiotteluita ja tapahtumia",
                kind=Kind.VOLUNTEER, themes=("photography", "ice_hockey"), place=KEMI,
                schedule=Weekly.parse("ti ja to 17-20"), support=frozenset({Support.SUPERVISOR_PRESENT}),
                benefits=frozenset({Benefit.WORK_CERTIFICATE})),
        Opening("o-2", "Kioskimyyjä", kind=Kind.JOB, place=TORNIO, min_age=18, languages=frozenset({"sv"})),
    ])


YOUTH = Youth("y-1", interests="valokuvaaja, tapahtumat", age=17, themes=("photography", "sport"),
              place=TORNIO, max_travel_km=40, availability=Weekly.parse("ma-pe 16-21"),
              languages=frozenset({"fi"}), kinds=frozenset({Kind.VOLUNTEER}),
              needs=frozenset({Support.SUPERVISOR_PRESENT}), goals=frozenset({Benefit.WORK_CERTIFICATE}))


@pytest.mark.parametrize("lang, expected", [
    ("fi", {"distance": "23 km Torniosta", "themes": "Yhteiset teemat: valokuvaus",
            "schedule": "Ti ja to klo 17–20 sopii viikkoosi", "kind": "Vapaaehtoistyö, kuten toivoit",
            "support": "Tarjoaa: ohjaaja paikalla", "goals": "Saat: työtodistus"}),
    ("sv", {"distance": "23 km från Torneå", "themes": "Gemensamma teman: fotografering",
            "goals": "Du får: arbetsintyg"}),
    ("en", {"distance": "23 km from Tornio", "themes": "Shared themes: photography",
            "kind": "Volunteering, as you wished", "goals": "You get: a work certificate"}),
])
def test_reason_texts_in_each_language(matcher, lang, expected):
    (m,) = matcher.match(YOUTH, lang=lang)
    texts = {r.component: r.text for r in m.reasons}
    for component, text in expected.items():
        assert texts[component] == text
    assert texts["interest"].endswith("valokuvaaja") or "valokuvaaja" in texts["interest"]


def test_reasons_are_sorted_by_contribution_and_explain_agrees_with_match(matcher):
    (m,) = matcher.match(YOUTH)
    contributions = [r.contribution for r in m.reasons if not r.neutral]
    assert contributions == sorted(contributions, reverse=True)
    why = matcher.explain(YOUTH, "o-1")
    assert why.eligible and why.rank == 1 and why.score == m.score and why.reasons == m.reasons


def test_why_not_lists_every_broken_rule_in_plain_words(matcher):
    why = matcher.explain(YOUTH, "o-2", lang="fi")
    assert not why.eligible and why.rank is None
    assert [(b.code, b.text) for b in why.blocks] == [
        ("too_young", "Ikäraja on vähintään 18 vuotta."),
        ("language", "Tehtävässä tarvitaan kieltä, jota et maininnut: ruotsi."),
    ]


def test_a_sparse_profile_gets_neutral_reasons_that_say_so():
    m = Matcher(today=TODAY).fit([Opening("o-1", "Talkoot")])
    (match,) = m.match(Youth("y"), lang="en")
    assert all(r.neutral for r in match.reasons)
    assert match.reasons[0].text.startswith("You gave no ")


def test_unknown_language_and_unfitted_matcher_are_clear_errors(matcher):
    with pytest.raises(ValueError, match="unknown language 'de'"):
        matcher.match(YOUTH, lang="de")
    with pytest.raises(RuntimeError, match="not fitted"):
        Matcher().match(YOUTH)
    with pytest.raises(KeyError, match="no opening 'o-9'"):
        matcher.explain(YOUTH, "o-9")
