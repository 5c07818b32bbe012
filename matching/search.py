"""Searching the catalogue with the engine's own reading of text: what a directory's search box needs.

Every word of the search must be met by an opening: by a term of its text (base forms,
compound parts, a close spelling of an unknown word) or by one of its themes (the word is a
theme's label or synonym in fi/sv/en: "jääkiekko" finds an opening about ice hockey whose
text says "kaukalo"). Those that meet all words are ranked by the text score of the whole
search plus a fixed bonus for a shared theme, ties in catalogue order. Words that carry no
meaning ("ja", "the", "ym.") ask for nothing.

>>> from matching import Matcher, Opening
>>> ix = Matcher().fit([Opening("o-1", "Koiranulkoiluttaja"), Opening("o-2", "Kioskimyyjä")]).index
>>> [oid for oid, _ in search(ix, "koirien")]
['o-1']
"""
from __future__ import annotations

import numpy as np

from . import themes
from .index import OpeningIndex
from .query import part_terms
from .text import words

THEME_SCORE = 0.5  # what a shared theme adds to the text score (which is below 1)


def search(index: OpeningIndex, text: str) -> list[tuple[str, float]]:
    """(opening id, score) of the live openings that meet every word of `text`, best first."""
    alive = index.cols["alive"]
    met = alive.copy()
    asked = False
    for word in dict.fromkeys(words(text)):
        hits = _word_hits(index, word)
        if hits is not None:
            met &= hits
            asked = True
    if not asked:
        return []
    rows = np.flatnonzero(met)
    score = _scores(index, text)[rows]
    order = np.lexsort((rows, -score))
    return [(index.opening(int(rows[i])).id, float(score[i])) for i in order]


def _word_hits(index: OpeningIndex, word: str) -> np.ndarray | None:
    """Rows one word finds (by text or theme); None when the word means nothing to search by."""
    pairs = index.analyzer.pairs(word)
    if not pairs:
        return None
    terms = [t for _, t in pairs]
    hits = index.text.scores(index.text.query_terms(terms, common=True)) > 0
    return hits | _theme_rows(index, terms)


def _theme_rows(index: OpeningIndex, terms: list[str]) -> np.ndarray:
    """Rows whose themes (given or read off their text) include a theme the terms name."""
    found = index.effective_themes((), terms)
    if not found:
        return np.zeros(index.n_rows, dtype=bool)
    own, _ = themes.masks(found)
    return np.any(index.cols["themes_own"] & themes.pack(own), axis=-1)


def _scores(index: OpeningIndex, text: str) -> np.ndarray:
    pairs = index.analyzer.pairs(text)
    terms = [t for _, t in pairs]
    score = index.text.scores(index.text.query_terms(terms, part_terms(pairs), common=True))
    return score + THEME_SCORE * _theme_rows(index, terms)
