"""Turning free text in Finnish, Swedish or English into index terms.

The analyser is pluggable: anything with `terms`, `pairs` and `grams` works. The
default, `LanguageAnalyzer`, guesses each text's language, gives Finnish words their
base forms and compound parts with Voikko, stems Swedish and English (and Finnish
words Voikko does not know) with Snowball. A word's analysis depends only on the word
and on its text's language context (the language and the second language its stop
words vote for), so each distinct word is analysed once per context and remembered:
a fit of many long texts analyses its distinct words, not its tokens. Typos and spoken
forms are met by character n-grams at the vocabulary level (see `postings`).
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from itertools import chain
from typing import Protocol

import snowballstemmer

from .finnish import Morphology, morphology

LANGUAGES = ("fi", "sv", "en")
_SNOWBALL = {"fi": "finnish", "sv": "swedish", "en": "english"}

STOPWORDS: dict[str, frozenset[str]] = {
    "fi": frozenset(
        """ja tai sekä on ovat oli olla ole ei en et emme ette eivät se ne sen niiden
        tämä tämän nämä tuo tuon mikä mitä joka jotka jonka joita kuka ken mä mää
        minä sinä sä hän me te he mun sun mulla sulla mulle minun sinun hänen meidän
        teidän heidän myös vain kuin kun jos niin että mutta vaan koska jo vielä
        nyt sitten siis sekä eli kanssa ilman kautta mukaan yli alle ennen jälkeen aikana
        tai sit ku jotain jotakin joku jokin kaikki kaikkia paljon vähän hyvin
        tosi aika tää toi noi oon oot ollu olis olisi voisi voi voin voit voimme voitte
        haluan haluaisin haluisin tykkään tykkäisin pidän kiinnostaa kiinnostaisi
        olen olet olemme olette on ovat siellä täällä meillä teillä heillä
        tule tulla tervetuloa mukaan etsimme etsitään haemme""".split()
    ),
    "sv": frozenset(
        """och eller att det den de är var vara har hade en ett som på i med för till av
        om men så nu när jag du han hon vi ni dem mig dig sig min mitt mina din ditt
        våra vår er ert era deras här där också bara inte kan kunna vill skulle ska
        sina sitt sin från efter under över vid hos mot utan genom mycket lite alla
        något någon några gillar tycker vill gärna välkommen söker""".split()
    ),
    "en": frozenset(
        """the a an and or but if then so of to in on at by for with from as is are
        was were be been being am i you he she it we they me him her us them my your
        his its our their this that these those there here also just not no can could
        would should will shall do does did have has had about into over under after
        before during some any all very much like love enjoy want wanted would really
        something anything things thing stuff welcome looking seek seeking join""".split()
    ),
}

# Abbreviations (their dots fall away in tokens) and the commonest function words of each
# language: never a term in any text, whatever language it is guessed to be.
ABBREVIATIONS = frozenset(
    """ym yms mm esim tms jne ks ns ts vrt ko klo puh os nk tjsp tmv em
    bl osv mfl dvs tex ca resp kl tel ev pga
    etc eg ie approx incl vs pm am""".split()
)
EVERYWHERE = ABBREVIATIONS | frozenset("ja sekä tai eli och eller att the and of".split())

# Finnish text borrows freely, so Finnish-looking text drops every language's stop words.
_ALL_STOPWORDS = STOPWORDS["fi"] | STOPWORDS["sv"] | STOPWORDS["en"] | EVERYWHERE
# What each language's texts drop (STOPWORDS alone vote for the language).
_DROPPED = {lang: words | EVERYWHERE for lang, words in STOPWORDS.items()}
_WORD = re.compile(r"[^\W\d_]+")
_SV_CHARS = re.compile("å")


class Analyzer(Protocol):
    """What the index needs from text analysis."""

    def terms(self, text: str, lang: str | None = None) -> list[str]:
        """Index terms of a text, in order, repeats kept (for term frequency).
        `lang` skips the language guess when the language is known."""
        ...

    def pairs(self, text: str, lang: str | None = None) -> list[tuple[str, str]]:
        """(word as written, its term) for each term of a text, to quote words back."""
        ...

    def grams(self, term: str) -> list[str]:
        """Character n-grams of one term, for matching typos and unknown word forms."""
        ...

    def quote(self, word: str) -> str:
        """How to show a word the person wrote when it matched (its base form, or itself)."""
        ...


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def words(text: str) -> list[str]:
    """Word tokens: runs of letters, so hyphenated compounds come apart into their parts."""
    return _WORD.findall(normalise(text))


def _votes(counts: Mapping[str, int]) -> Counter[str]:
    """Stop words of each language among the tokens (counted with repeats), and 2 per token with "å"."""
    votes = Counter({lang: sum(counts[t] for t in counts.keys() & STOPWORDS[lang]) for lang in LANGUAGES})
    if _SV_CHARS.search(" ".join(counts)):  # most texts have no "å": one search of the words, not one per word
        votes["sv"] += 2 * sum(c for t, c in counts.items() if _SV_CHARS.search(t))
    return votes


def _winner(votes: Counter[str]) -> str:
    lang, n = max(votes.items(), key=lambda kv: (kv[1], kv[0] == "fi"))
    return lang if n > 0 else "fi"


def guess_language(tokens: list[str]) -> str:
    """The text's main language from stop words and letters; Finnish when unsure."""
    return _winner(_votes(Counter(tokens)))


@lru_cache(maxsize=3)
def _stemmer(lang: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(_SNOWBALL[lang])


Pairs = tuple[tuple[str, str], ...]
Context = tuple[str, str]  # (the text's language, the language its unknown words are stemmed in)


class SnowballAnalyzer:
    """Stop words out, Snowball stems in the guessed language.

    Each distinct word is analysed once per language context and remembered (up to
    `memo_size` words per context, then it starts afresh; 0: every token is analysed,
    for tests and baselines). Settings are fixed once made: remembered analyses follow them.
    """

    def __init__(self, min_length: int = 2, cache_size: int = 1 << 18, memo_size: int = 1 << 18) -> None:
        self.min_length = min_length
        self.memo_size = memo_size
        self._stem = lru_cache(maxsize=cache_size)(self._stem_uncached)
        # context -> (word -> its pairs, word -> its terms); a full memo is replaced, never emptied,
        # so another thread reading it meanwhile still finds every word it saw there
        self._memo: dict[Context, tuple[dict[str, Pairs], dict[str, tuple[str, ...]]]] = {}

    @staticmethod
    def _stem_uncached(lang: str, word: str) -> str:
        return _stemmer(lang).stemWord(word)

    def terms(self, text: str, lang: str | None = None) -> list[str]:
        tokens = words(text)
        if not self.memo_size:
            return [term for _, term in self._each_token(tokens, lang)]
        _, terms = self._remembered(tokens, lang)
        return list(chain.from_iterable(map(terms.__getitem__, tokens)))

    def pairs(self, text: str, lang: str | None = None) -> list[tuple[str, str]]:
        tokens = words(text)
        if not self.memo_size:
            return self._each_token(tokens, lang)
        pairs, _ = self._remembered(tokens, lang)
        return list(chain.from_iterable(map(pairs.__getitem__, tokens)))

    def _each_token(self, tokens: list[str], lang: str | None) -> list[tuple[str, str]]:
        """Without the memo: every token analysed where it stands."""
        context = self._context(Counter(tokens), lang)
        return [pair for t in tokens for pair in self._word(t, context)]

    def _remembered(self, tokens: list[str], lang: str | None) -> tuple[dict[str, Pairs], dict[str, tuple[str, ...]]]:
        """The memo of the tokens' context, holding every one of the tokens."""
        counts = Counter(tokens)
        context = self._context(counts, lang)
        memo = self._memo.get(context)
        if memo is None or len(memo[0]) >= self.memo_size:
            memo = self._memo[context] = ({}, {})
        pairs, terms = memo
        for t in [t for t in counts if t not in pairs]:  # (not keys() - keys(): that walks the whole memo)
            found = self._word(t, context)
            terms[t] = tuple(term for _, term in found)  # terms first: a word in `pairs` is in both
            pairs[t] = found
        return memo

    def _context(self, counts: Counter[str], lang: str | None) -> Context:
        """All that a word's analysis depends on besides the word: here the text's language."""
        lang = lang or _winner(_votes(counts))
        _stop_words(lang)  # an unknown language fails here, for every text
        return lang, lang

    def _word(self, word: str, context: Context) -> Pairs:
        """(word, term) pairs of one token: none for a stop word or a too short one."""
        lang, stem_lang = context
        if len(word) < self.min_length or word in _stop_words(lang):
            return ()
        return ((word, self._stem(stem_lang, word)),)

    def grams(self, term: str) -> list[str]:
        return char_grams(term)

    def quote(self, word: str) -> str:
        return word  # a stem is no word to show


class LanguageAnalyzer(SnowballAnalyzer):
    """Voikko for Finnish words (Snowball when Voikko is missing), Snowball for the rest.

    Mixed text is handled word by word: in a Finnish text, a word Voikko does not know
    is stemmed as the text's second language when it has one ("tykkään kids and
    football"); in a Swedish or English text, a longer word Voikko knows is Finnish
    ("koiranulkoiluttajia wanted").
    """

    def __init__(self, morphology_: Morphology | None | bool = True, min_length: int = 2,
                 memo_size: int = 1 << 18) -> None:
        super().__init__(min_length, memo_size=memo_size)
        self.morphology = morphology() if morphology_ is True else (morphology_ or None)

    def _context(self, counts: Counter[str], lang: str | None) -> Context:
        """The text's language, and the one its words Voikko does not know are stemmed in:
        in a Finnish text the second language its stop words vote for (Finnish if none)."""
        votes = _votes(counts)
        lang = lang or _winner(votes)
        second = max(("sv", "en"), key=lambda k: votes[k]) if votes["sv"] or votes["en"] else "fi"
        _stop_words(lang)
        return lang, second if lang == "fi" else lang

    def _word(self, word: str, context: Context) -> Pairs:
        lang, stem_lang = context
        if len(word) < self.min_length or word in _stop_words(lang):
            return ()
        finnish = self.morphology.terms(word) if self.morphology and (lang == "fi" or len(word) >= 6) else None
        if finnish is not None:
            return tuple((word, term) for term in finnish)
        return ((word, self._stem(stem_lang, word)),)

    def quote(self, word: str) -> str:
        """A Finnish base form reads better than the inflected word ("koira", not "koirista")."""
        finnish = self.morphology.terms(word) if self.morphology else None
        return finnish[0] if finnish else word


def _stop_words(lang: str) -> frozenset[str]:
    """Finnish text borrows freely, so Finnish-looking text drops every language's stop words."""
    return _ALL_STOPWORDS if lang == "fi" else _DROPPED[lang]


def char_grams(term: str, n: int = 3) -> list[str]:
    """Character n-grams of a term padded with '#', so short words keep their edges."""
    padded = f"#{term}#"
    if len(padded) <= n:
        return [padded]
    return [padded[i : i + n] for i in range(len(padded) - n + 1)]


def tf_weights(terms: list[str]) -> dict[str, float]:
    """Sublinear term frequency, L2-normalised: the document side of the text score."""
    counts = Counter(terms)
    raw = {t: 1.0 + math.log(c) for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in raw.values())) or 1.0
    return {t: v / norm for t, v in raw.items()}


def sublinear_norm(terms: list[str]) -> float:
    """The L2 norm `tf_weights` divides by: a stored weight times it is the sublinear count."""
    return math.sqrt(sum((1.0 + math.log(c)) ** 2 for c in Counter(terms).values())) or 1.0
