"""Text understanding: inflected, compound and misspelt forms meet their base forms."""
from __future__ import annotations

import logging
import sys

import pytest

from matching import Matcher, Opening, Youth
from matching.finnish import Morphology, compound_terms, morphology
from matching.text import LanguageAnalyzer, SnowballAnalyzer, char_grams, guess_language, words
from tests.support.strategies import TODAY


@pytest.fixture(scope="module")
def analyzer() -> LanguageAnalyzer:
    a = LanguageAnalyzer()
    assert a.morphology is not None, "make test installs Voikko (libvoikko1, voikko-fi)"
    return a


@pytest.mark.parametrize("youth, posting", [
    ("tykkään koirista", "Koiranulkoiluttajia eläinsuojeluyhdistykseen"),
    ("haluaisin auttaa vanhuksia ulkoilemaan", "ikäihmisten ulkoilukaveri"),
    ("kuvaamiseen liittyvää", "Valokuvaaja junioriotteluihin"),
    ("kioskissa myymistä", "Kioskimyyjä kotiotteluihin"),
    ("jäähallilla", "Jäähallin kahvio"),
    ("lasten kanssa", "Lapsiperheiden tapahtuma"),
])
def test_inflected_and_compound_forms_share_terms(analyzer, youth, posting):
    assert set(analyzer.terms(youth)) & set(analyzer.terms(posting))


def test_compound_terms_from_voikko_wordbases():
    assert compound_terms("koiranulkoiluttaja", "+koiran(koira)+ulkoilutta(ulkoiluttaa)+ja(+ja)") == [
        "koiranulkoiluttaja", "koira", "ulkoiluttaja", "ulkoiluttaa"]
    assert compound_terms("valokuvaaja", "+valokuva(valo=kuvata)+a+ja(+ja)") == ["valokuvaaja", "kuvata"]
    assert compound_terms("kiekko", "+kiekko(kiekko)") == ["kiekko"]


@pytest.mark.parametrize("text, expected", [
    ("jag gillar djur och natur", {"djur", "natur"}),
    ("vill jobba med barnen på sommaren", {"jobb", "barn", "somm"}),
    ("sommar och hundar", {"somm", "hund"}),
    ("I like working with kids", {"work", "kid"}),
    ("photography and events", {"photographi", "event"}),
])
def test_swedish_and_english_are_stemmed(analyzer, text, expected):
    assert expected <= set(analyzer.terms(text))


def test_mixed_text_is_read_word_by_word(analyzer):
    assert {"koira", "ulkoiluttaja"} <= set(analyzer.terms("Koiranulkoiluttajia wanted for our shelter"))
    assert {"kid", "footbal"} <= set(analyzer.terms("tykkään kids and football"))
    assert guess_language(words("jag gillar djur")) == "sv"
    assert guess_language(words("I like dogs")) == "en"
    assert guess_language(words("koirat")) == "fi"


def test_stop_words_and_interest_verbs_carry_no_weight(analyzer):
    assert analyzer.terms("mä haluisin ja tykkään olla") == []


@pytest.mark.parametrize("typo", ["valokuvuas", "valokvaus", "valokuvaaus", "walokuvaus"])
def test_a_word_within_one_edit_still_matches(typo):
    m = Matcher(today=TODAY, diversity=0.0).fit(
        [Opening("o-1", "Valokuvaus ja kuvaaminen"), Opening("o-2", "Siivous ja lumityöt")])
    (best, *_) = m.match(Youth("y", interests=typo), k=2)
    assert best.opening_id == "o-1" and best.reasons[0].component == "interest"
    assert typo in best.reasons[0].text


def test_spoken_forms_reach_their_openings():
    m = Matcher(today=TODAY, diversity=0.0).fit(
        [Opening("o-1", "Valokuvaaja junioriotteluihin", "Kuvaat otteluita"), Opening("o-2", "Kioskimyyjä")])
    assert m.match(Youth("y", interests="mä haluisin tehä jotain kuvaamiseen liittyvää"), k=1)[0].opening_id == "o-1"


def test_without_voikko_the_engine_falls_back_to_snowball(monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "libvoikko", None)  # import fails as if not installed
    with caplog.at_level(logging.WARNING, logger="matching.finnish"):
        assert Morphology.load() is None
    assert "falls back to Snowball" in caplog.text
    plain = LanguageAnalyzer(morphology_=False)
    assert plain.terms("koirista") == SnowballAnalyzer().terms("koirista")
    m = Matcher(analyzer=plain, today=TODAY).fit([Opening("o-1", "Koirien ulkoilutus"), Opening("o-2", "Kioski")])
    assert m.match(Youth("y", interests="koirat"), k=1)[0].opening_id == "o-1"


def test_the_voikko_handle_is_made_once():
    assert morphology() is morphology()


def test_char_grams_keep_word_edges():
    assert char_grams("koira") == ["#ko", "koi", "oir", "ira", "ra#"]
    assert char_grams("a") == ["#a#"]


def test_reasons_quote_finnish_base_forms_and_other_words_as_written():
    m = Matcher(today=TODAY, lang="fi").fit([Opening("o-1", "Koiranulkoiluttajia", "Walking dogs at the shelter")])
    (fi,) = m.match(Youth("y", interests="tykkään koirista"))
    assert {r.component: r.text for r in fi.reasons}["interest"] == "Sopii kiinnostuksiisi: koira"
    (en,) = m.match(Youth("y", interests="I love walking dogs"))
    interest = {r.component: r.text for r in en.reasons}["interest"]
    assert "walking" in interest and "dogs" in interest
