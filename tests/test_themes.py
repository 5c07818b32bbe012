"""The theme taxonomy: labels, tree, and themes found in free text in three languages."""
from __future__ import annotations

import pytest

from matching import Matcher, Opening, Youth, themes
from matching.text import LanguageAnalyzer
from matching.theme_words import SYNONYMS
from tests.support.strategies import TODAY


@pytest.fixture(scope="module")
def finder() -> themes.ThemeFinder:
    return themes.ThemeFinder(LanguageAnalyzer())


def test_taxonomy_is_a_shallow_tree_with_labels_in_three_languages():
    assert 20 <= len(themes.THEMES) <= 40
    for t in themes.THEMES.values():
        assert t.parent is None or themes.THEMES[t.parent].parent is None
        assert all(t.label(lang) for lang in ("fi", "sv", "en"))
        assert set(SYNONYMS[t.id]) == {"fi", "sv", "en"}
    assert themes.get("ice_hockey").parent == "sport"


def test_related_themes_count_half():
    own, related = themes.masks(("ice_hockey",))
    assert themes.ids_of(own) == ["ice_hockey"] and themes.ids_of(related) == ["sport"]
    m = Matcher(today=TODAY, diversity=0.0).fit([
        Opening("o-1", "a", themes=("ice_hockey",)), Opening("o-2", "b", themes=("sport",)),
        Opening("o-3", "c", themes=("kitchen",))])
    values = {m.index.ids([r])[0]: v for r, v in zip(m.score(Youth("y", themes=("ice_hockey",))).rows,
                                                      m.score(Youth("y", themes=("ice_hockey",))).values[1])}
    assert values == {"o-1": 1.0, "o-2": 0.5, "o-3": 0.0}


@pytest.mark.parametrize("text, theme", [
    ("tykkään koirista", "animals"),
    ("Koiranulkoiluttajia eläinsuojeluyhdistykseen", "animals"),
    ("ikäihmisten ulkoilukaveri", "elderly"),
    ("mä haluisin tehä jotain kuvaamiseen liittyvää", "photography"),
    ("kaukalonhoitajia junioriturnaukseen", "ice_hockey"),
    ("jag gillar djur", "animals"),
    ("vill jobba med barn på sommaren", "children"),
    ("Sökes: frivilliga till loppisen", "retail"),
    ("I like working with kids", "children"),
    ("We need friendly helpers for our board game café", "gaming"),
    ("helping at the food bank kitchen", "kitchen"),
])
def test_themes_are_found_in_inflected_compound_and_foreign_text(finder, text, theme):
    assert theme in finder.suggest(text)


def test_a_phrase_needs_all_its_words(finder):
    assert "social_media" in finder.suggest("social media for a club")
    assert "social_media" not in finder.suggest("local media")


def test_parse_accepts_ids_case_insensitively_and_rejects_unknown():
    assert themes.parse(" Ice-Hockey ") == "ice_hockey"
    with pytest.raises(themes.UnknownTheme, match="unknown theme 'dogs'"):
        themes.parse("dogs")


def test_a_youth_without_themes_is_matched_on_themes_found_in_their_words():
    m = Matcher(today=TODAY, diversity=0.0).fit([
        Opening("o-1", "Volontär på djurhemmet", "Hjälp till med hundar och katter", themes=("animals",)),
        Opening("o-2", "Kioskimyyjä", themes=("customer_service",))])
    (best, *_) = m.match(Youth("y", interests="tykkään eläimistä"), lang="en")
    reason = {r.component: r.text for r in best.reasons}["themes"]
    assert best.opening_id == "o-1" and reason == "Fits what you wrote about: animals"


def test_pack_and_unpack_are_inverse():
    mask = (1 << 3) | (1 << 30)
    assert themes.unpack(themes.pack(mask)) == mask
