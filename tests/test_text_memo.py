"""Each distinct word is analysed once per language context, and the index is the same bit for bit.

The references below are `SnowballAnalyzer.pairs` and `LanguageAnalyzer.pairs` as they were
before the memo (commit 72bc07d), word for word: every token analysed where it stands.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from matching.index import OpeningIndex
from matching.io import load_openings, load_youths
from matching.text import (LANGUAGES, _stop_words, STOPWORDS, Context, LanguageAnalyzer, Pairs,
                           SnowballAnalyzer, _SV_CHARS, _winner, guess_language, words)

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _old_votes(tokens: list[str]) -> Counter[str]:
    votes = Counter({lang: sum(t in STOPWORDS[lang] for t in tokens) for lang in LANGUAGES})
    votes["sv"] += 2 * sum(bool(_SV_CHARS.search(t)) for t in tokens)
    return votes


def reference_snowball_pairs(a: SnowballAnalyzer, text: str, lang: str | None = None) -> list[tuple[str, str]]:
    tokens = words(text)
    lang = lang or _winner(_old_votes(tokens))
    stop = _stop_words(lang)
    return [(t, a._stem(lang, t)) for t in tokens if len(t) >= a.min_length and t not in stop]


def reference_language_pairs(a: LanguageAnalyzer, text: str, lang: str | None = None) -> list[tuple[str, str]]:
    tokens = words(text)
    votes = _old_votes(tokens)
    lang = lang or _winner(votes)
    second = max(("sv", "en"), key=lambda k: votes[k]) if votes["sv"] or votes["en"] else "fi"
    stop = _stop_words(lang)
    out: list[tuple[str, str]] = []
    for t in tokens:
        if len(t) < a.min_length or t in stop:
            continue
        finnish = a.morphology.terms(t) if a.morphology and (lang == "fi" or len(t) >= 6) else None
        if finnish is not None:
            out.extend((t, term) for term in finnish)
        else:
            out.append((t, a._stem(second if lang == "fi" else lang, t)))
    return out


def _openings() -> list:
    return load_openings(FIXTURES / "openings.jsonl") + load_openings(FIXTURES / "regions" / "openings.jsonl")


def _texts() -> list[str]:
    """Every text of the fixtures: openings and youths, Finnish, Swedish, English and mixed."""
    youths = load_youths(FIXTURES / "youths.jsonl") + load_youths(FIXTURES / "regions" / "youths.jsonl")
    return [o.text for o in _openings()] + [y.interests for y in youths] + [
        "tykkään kids and football", "Koiranulkoiluttajia wanted for our shelter", "jag gillar djur och natur",
        "", "å å å", "a b c", "Åbo ja Helsingfors"]


@pytest.mark.parametrize("make, reference", [
    (lambda size: LanguageAnalyzer(memo_size=size), reference_language_pairs),
    (lambda size: LanguageAnalyzer(morphology_=False, memo_size=size), reference_language_pairs),
    (lambda size: SnowballAnalyzer(memo_size=size), reference_snowball_pairs),
], ids=["voikko", "no-voikko", "snowball"])
@pytest.mark.parametrize("lang", [None, "fi", "sv", "en"])
def test_pairs_and_terms_are_those_of_each_token_analysed_where_it_stands(make, reference, lang):
    remembering, every_token, tiny = make(1 << 18), make(0), make(5)
    for text in _texts() * 2:  # twice: the second time from the memo
        expected = reference(every_token, text, lang)
        assert every_token.pairs(text, lang) == expected
        assert remembering.pairs(text, lang) == expected
        assert tiny.pairs(text, lang) == expected  # a memo that keeps starting afresh
        assert remembering.terms(text, lang) == [t for _, t in expected] == every_token.terms(text, lang)


def test_the_language_guess_is_the_one_of_each_token_counted():
    for text in _texts():
        assert guess_language(words(text)) == _winner(_old_votes(words(text)))


def test_an_unknown_language_fails_as_before():
    for a in (LanguageAnalyzer(), LanguageAnalyzer(memo_size=0), SnowballAnalyzer()):
        with pytest.raises(KeyError):
            a.pairs("", "ru")


def _index_state(ix: OpeningIndex) -> dict:
    t = ix.text
    return {
        "terms": t.terms, "vocab": t.vocab, "df": t._df[: len(t.terms)].tobytes(), "n_docs": t.n_docs,
        **{f"csr.{k}": getattr(t._csr, k).tobytes() for k in ("data", "indices", "indptr")},
        **{f"csc.{k}": getattr(t._csc, k).tobytes() for k in ("data", "indices", "indptr")},
        "sizes": t.grams.sizes[: len(t.terms)].tobytes(),
        **{f"grams.{i}": a.tobytes() for i, a in enumerate(t.grams._main)},
        **{f"col.{name}": np.ascontiguousarray(ix.cols[name]).tobytes() for name in ix.cols._data},
    }


def test_the_fitted_index_is_the_same_with_and_without_the_memo():
    openings = _openings()
    remembered = OpeningIndex(LanguageAnalyzer()).fit(openings)
    every_token = OpeningIndex(LanguageAnalyzer(memo_size=0)).fit(openings)
    a, b = _index_state(remembered), _index_state(every_token)
    assert a.keys() == b.keys()
    for key in a:
        assert a[key] == b[key], key
    assert len(remembered.text.terms) > 2000


def _counting(analyzer: LanguageAnalyzer) -> Counter[tuple[Context, str]]:
    """Counts each analysis of a word (in its context) the analyzer makes from now on."""
    calls: Counter[tuple[Context, str]] = Counter()
    analyse = analyzer._word

    def counted(word: str, context: Context) -> Pairs:
        calls[context, word] += 1
        return analyse(word, context)

    analyzer._word = counted  # type: ignore[method-assign]
    return calls


def test_each_distinct_word_is_analysed_once_per_context():
    analyzer = LanguageAnalyzer()
    calls = _counting(analyzer)
    openings = _openings()
    OpeningIndex(analyzer).fit(openings)
    texts = [o.text for o in openings]
    wanted = {(analyzer._context(Counter(words(t)), None), w) for t in texts for w in words(t)}
    assert wanted <= set(calls)  # every distinct word of every opening analysed in its context...
    assert set(calls.values()) == {1}  # ...once (and the theme finder's words once, too)
    OpeningIndex(analyzer).fit(openings)  # a second fit with the same analyzer analyses nothing again
    assert set(calls.values()) == {1}

    thrice = LanguageAnalyzer()
    calls_thrice = _counting(thrice)
    OpeningIndex(thrice).fit([replace(o, id=f"{o.id}-{i}") for i in range(3) for o in openings])
    assert calls_thrice == calls  # three times the tokens, the same analyses
