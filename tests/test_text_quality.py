"""What counts as a youth's interest: whole words over compound parts, no function words,
no abbreviations, nothing they said they do not want; and reasons quote only what counted."""
from __future__ import annotations

import pytest

from matching import Matcher, Opening, Youth
from matching.finnish import compound_terms, morphology
from matching.negation import affirmed
from matching.query import Query, part_terms
from matching.text import LanguageAnalyzer
from tests.support.strategies import TODAY

FILLER = [Opening(f"f-{i}", "Kahvilatyöntekijä", f"Myyt kahvia ja pullaa tapahtumassa {i}.") for i in range(6)]


def interest_words(matcher: Matcher, youth: Youth, opening_id: str) -> str:
    return next(r.text for r in matcher.explain(youth, opening_id, lang="fi").reasons if r.component == "interest")


def test_a_member_with_its_own_derivation_stays_one_word():
    terms = compound_terms("äänitarkkailija", "+ääni(ääni)+tarkkail(tarkata)i(+la)+ja(+ja)")
    assert terms == ["äänitarkkailija", "ääni", "tarkkailija", "tarkata"]
    assert all(")" not in t and "(" not in t for t in terms)


def test_short_and_unknown_compound_parts_are_not_terms():
    m = morphology()
    assert m is not None
    assert "jää" not in m.terms("jääkiekko") and "kiekko" in m.terms("jääkiekko")
    assert "työ" not in m.terms("kesätyöntekijä")


def test_compound_parts_weigh_less_than_the_word_written():
    pairs = LanguageAnalyzer().pairs("kaasuleikkaaja")
    assert part_terms(pairs) == {"kaasu", "leikkaaja", "leikata"}
    ix = Matcher().fit(FILLER).index
    q = Query.of(Youth("y", interests="kaasuleikkaaja"), ix)
    # unknown to this index: nothing of the whole word, so the parts alone, at part weight
    assert q.text.empty or max(q.text.weights) <= 1.0


def test_a_whole_word_beats_a_shared_compound_part():
    openings = [Opening("lawn", "Ruohonleikkaaja", "Leikkaat ruohoa kesällä."),
                Opening("gas", "Kaasuleikkaaja", "Metallipaja hakee kaasuleikkaajaa romuttamolle. Työ sisältää "
                        "teräsrakenteiden purkamista, kaasuleikkausta ja hitsausta. Suojavarusteet saat meiltä. "
                        "Työ on vuorotyötä ja sopii myös alalle vasta tulleelle."), *FILLER]
    ranked = Matcher(today=TODAY, diversity=0.0).fit(openings).match(Youth("y", interests="kaasuleikkaaja"), k=2)
    assert ranked[0].opening_id == "gas"
    assert ranked[0].score - ranked[1].score > 0.05


@pytest.mark.parametrize("text", ["ym. yms. mm. jne.", "etc. e.g. the and of", "och eller bl.a. osv."])
def test_abbreviations_and_function_words_are_no_terms(text):
    assert LanguageAnalyzer().terms(text) == []


def test_an_abbreviation_never_puts_an_opening_first_nor_shows_as_a_reason():
    openings = [Opening("short", "Apuri", "Kahvinkeittoa ym."),
                Opening("long", "Tapahtuma-apuri", "Autat konserttien järjestämisessä: lipunmyynti, "
                        "narikka ja opasteet, ym."), *FILLER]
    m = Matcher(today=TODAY, diversity=0.0).fit(openings)
    youth = Youth("y", interests="konsertit, musiikki ym.")
    assert m.match(youth, k=1)[0].opening_id == "long"
    for match in m.match(youth, k=len(openings)):
        assert "ym" not in interest_words(m, youth, match.opening_id).replace("yms", "")


@pytest.mark.parametrize("text, kept, gone", [
    ("Tykkään koirista, en haluu olla isos porukas.", "koirista", "porukas"),
    ("en halua myydä mitään mutta tykkään leipomisesta", "leipomisesta", "myydä"),
    ("Jag gillar hundar men inte fotboll", "hundar", "fotboll"),
    ("I like drawing but not football; dogs are great", "dogs", "football"),
    ("I don't like crowds. Cooking is fun", "Cooking", "crowds"),
    ("no football please, I love animals", "animals", "football"),
])
def test_negated_words_are_cut_from_a_youths_words(text, kept, gone):
    assert kept in affirmed(text) and gone not in affirmed(text)


def test_a_negated_word_is_neither_interest_nor_reason():
    openings = [Opening("crowd", "Isot porukat", "Toimit isossa porukassa festareilla, porukka on iso."),
                Opening("dogs", "Koiranulkoiluttaja", "Ulkoilutat koiria."), *FILLER]
    m = Matcher(today=TODAY, diversity=0.0).fit(openings)
    youth = Youth("y", interests="tykkään koirista mut en haluu olla isos porukas")
    assert m.match(youth, k=1)[0].opening_id == "dogs"
    crowd = next(r for r in m.explain(youth, "crowd", lang="fi").reasons if r.component == "interest")
    assert crowd.value == 0.0 and "poruk" not in crowd.text


def test_themes_read_off_both_texts_never_outweigh_the_texts():
    openings = [Opening("kiosk", "Kioskimyyjä", "Myyt makkaraa ja kahvia urheiluseuran kioskissa "
                        "jalkapallo-otteluissa, jääkiekko-otteluissa ja salibandyturnauksissa."),
                Opening("coach", "Futisvalmentajan apuri", "Autat jalkapallotreeneissä."), *FILLER]
    m = Matcher(today=TODAY, diversity=0.0).fit(openings)
    youth = Youth("y", interests="jääkiekko, salibandy ja futis")
    for match in m.match(youth, k=len(openings)):
        values = {r.component: r.value for r in match.reasons}
        assert values["themes"] <= values["interest"] + 1e-12, match.opening_id


def test_themes_an_association_gave_count_in_full():
    openings = [Opening("hockey", "Kaukalonhoitaja", "Lapioit jäätä erätauoilla.", themes=("ice_hockey",)), *FILLER]
    m = Matcher(today=TODAY, diversity=0.0).fit(openings)
    values = {r.component: r.value for r in m.explain(Youth("y", interests="jääkiekko"), "hockey").reasons}
    assert values["themes"] == 1.0 and values["interest"] < 1.0


def test_close_spellings_of_a_known_word_count_below_the_word_itself():
    filler = [Opening(f"f-{i}", "Cashier", f"Sell tickets at the gate {i}.") for i in range(6)]
    m = Matcher(today=TODAY, diversity=0.0).fit([Opening("help", "Library", "We help at the library."),
                                                 Opening("helper", "Food bank", "Food bank helpers wanted."),
                                                 *filler])
    scores = m.index.text.scores(m.index.text.query("help"))
    assert scores[0] > scores[1] > 0.0
    assert [x.opening_id for x in m.match(Youth("y", interests="help"), k=2)] == ["help", "helper"]
