"""Near words of an unknown word: the gram index gives exactly what the scan of the vocabulary gave.

The reference below is `Postings._similar_terms` as it was before the gram index (commit
72bc07d), kept here word for word: every term sharing a gram with the word, its grams
computed again, Dice similarity, threshold, order by similarity and then term.
"""
from __future__ import annotations

import dataclasses
import random
from collections import Counter
from pathlib import Path

import pytest

from matching.grams import size_window
from matching.index import OpeningIndex
from matching.io import load_openings
from matching.postings import Postings
from matching.text import LanguageAnalyzer, char_grams, words

FIXTURES = Path(__file__).parent.parent / "fixtures"
FINNISH = "abcdefghijklmnopqrstuvwxyzäö"


class Reference:
    """The scan as it was, over a gram dict built (as `_term_id` built it) from the vocabulary."""

    def __init__(self, p: Postings) -> None:
        self.p = p
        self._grams: dict[str, list[int]] = {}
        for tid, term in enumerate(p.terms):
            for g in set(p.analyzer.grams(term)):
                self._grams.setdefault(g, []).append(tid)

    def similar_terms(self, term: str) -> list[tuple[int, float]]:
        """Every vocabulary term within the fuzzy threshold, best first (cached by _near)."""
        grams = set(self.p.analyzer.grams(term))
        shared: Counter[int] = Counter()
        for g in grams:
            shared.update(self._grams.get(g, ()))
        out = []
        for tid, k in shared.items():
            sim = 2.0 * k / (len(grams) + len(set(self.p.analyzer.grams(self.p.terms[tid]))))
            if sim >= self.p.fuzzy_min:
                out.append((tid, sim))
        out.sort(key=lambda p: (-p[1], self.p.terms[p[0]]))  # ties by term, not id: ids depend on history
        return out


def _openings() -> list:
    return load_openings(FIXTURES / "openings.jsonl") + load_openings(FIXTURES / "regions" / "openings.jsonl")


def _misspelt(rng: random.Random, word: str) -> str:
    """One or two random edits: a letter dropped, added, changed or two swapped."""
    for _ in range(rng.choice((1, 1, 2))):
        i = rng.randrange(len(word) + 1)
        edit = rng.choice("dias" if len(word) > 1 else "ia")
        if edit == "d" and i < len(word):
            word = word[:i] + word[i + 1:]
        elif edit == "i":
            word = word[:i] + rng.choice(FINNISH) + word[i:]
        elif edit == "a" and i < len(word):
            word = word[:i] + rng.choice(FINNISH) + word[i + 1:]
        elif i < len(word) - 1:
            word = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word or "a"


def random_words(n: int, seed: int = 19, terms: list[str] | None = None) -> list[str]:
    """Words a youth might write, as they reach the lookup: the fixtures' words as written
    (Finnish inflected forms and compounds, Swedish, English) or index terms, as they are,
    misspelt or inflected anew; short words; words with digits."""
    rng = random.Random(seed)
    written = sorted({w for o in _openings() for w in words(o.text)} | set(terms or ()))
    out: list[str] = []
    while len(out) < n:
        kind = rng.randrange(6)
        word = rng.choice(written)
        if kind == 0:
            out.append(word)
        elif kind in (1, 2):
            out.append(_misspelt(rng, word))
        elif kind == 3:
            out.append("".join(rng.choice(FINNISH) for _ in range(rng.randint(1, 3))))
        elif kind == 4:
            out.append(word[: rng.randint(1, len(word))] + str(rng.randint(0, 2030)) + rng.choice(["", word[-2:]]))
        else:
            out.append(_misspelt(rng, word) + rng.choice(["", "ja", "lle", "ssa", "ing", "en", "s"]))
    return out


@pytest.fixture(scope="module")
def fitted() -> OpeningIndex:
    return OpeningIndex().fit(_openings())


def _assert_same(p: Postings, terms: list[str]) -> None:
    reference = Reference(p)
    for term in terms:
        assert p._similar_terms(term) == reference.similar_terms(term), term


def test_the_random_words_are_of_every_kind():
    sample = random_words(1000)
    assert len(set(sample)) > 800
    assert sum(len(w) <= 3 for w in sample) > 100
    assert sum(any(c.isdigit() for c in w) for w in sample) > 100
    swedish_or_english = {w for o in _openings() if "sv" in o.languages or "en" in o.languages for w in words(o.text)}
    assert len(set(sample) & swedish_or_english) > 50


def test_a_thousand_random_words_have_the_near_words_of_the_scan(fitted):
    p = fitted.text
    sample = random_words(1000, terms=p.terms)
    analysed = [t for w in sample[:300] for t in fitted.analyzer.terms(w)]
    _assert_same(p, sample + analysed)
    found = [p._similar_terms(w) for w in sample]
    assert sum(bool(near) for near in found) > 300  # a third of them have near words to compare


@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.75, 1.0])
def test_other_thresholds_too(fitted, threshold):
    p = Postings(fitted.analyzer, fuzzy_min=threshold)
    for term in fitted.text.terms:
        p._term_id(term)
    p.merge()
    sample = random_words(200, seed=int(threshold * 100), terms=p.terms)
    _assert_same(p, sample)
    if threshold == 0.3:  # many near words: ties of similarity, ordered by term
        tied = [any(a[1] == b[1] for a, b in zip(near, near[1:])) for near in map(p._similar_terms, sample)]
        assert sum(tied) > 50


def test_other_grams_too():
    class Bigrams(LanguageAnalyzer):
        def grams(self, term: str) -> list[str]:
            return char_grams(term, 2)

    ix = OpeningIndex(Bigrams()).fit(_openings()[:60])
    _assert_same(ix.text, random_words(200, seed=2))


def test_after_adds_updates_and_removes_with_terms_in_and_out_of_the_tail():
    all_openings = _openings()
    rng = random.Random(5)
    ix = OpeningIndex(merge_min=7, compact_min=3).fit(all_openings[:40])
    sample = random_words(300, seed=3)
    novel = [dataclasses.replace(o, id=f"new-{i}", description=" ".join(rng.sample(sample, 12)))
             for i, o in enumerate(all_openings[40:80])]
    for i, o in enumerate(all_openings[40:] + novel):
        ix.add(o)
        if i % 5 == 0:
            ix.remove(rng.choice(list(ix)).id)
        if i % 7 == 0:
            victim = rng.choice(list(ix))
            ix.update(dataclasses.replace(victim, description=victim.description + " " + rng.choice(sample) + "x"))
        if i % 25 == 0:
            _assert_same(ix.text, sample[:100])
    assert ix.compactions > 0
    assert ix.text.grams._tail, "some terms still wait for a fold"
    _assert_same(ix.text, sample)
    ix.text.merge()
    assert not ix.text.grams._tail
    _assert_same(ix.text, sample)


def test_the_size_window_is_the_sizes_that_can_reach_the_threshold():
    for t in (0.05, 0.3, 0.5, 0.6, 2 / 3, 0.7, 0.75, 0.8, 0.9, 0.99, 1.0):
        for a in range(1, 80):
            lo, hi = size_window(a, t)
            reach = [b for b in range(1, 4000) if 2.0 * min(a, b) / (a + b) >= t]
            assert (lo, hi) == (reach[0], reach[-1]), (a, t)
    assert size_window(5, 1.5) == (1, 0) and size_window(0, 0.6) == (1, 0)
    assert size_window(5, float("nan")) == (1, 0)
    assert size_window(5, 0.0)[0] == 0
