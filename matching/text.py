"""Turning free text in Finnish, Swedish or English into index terms.

The analyser is pluggable: anything with `terms`, `pairs` and `grams` works. The
default, `LanguageAnalyzer`, guesses each text's language, gives Finnish words their
base forms and compound parts with Voikko, stems Swedish and English (and Finnish
words Voikko does not know) with Snowball, and caches analyses per word form so
large fits stay fast. Typos and spoken forms are met by character n-grams at the
vocabulary level (see `postings`).
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
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

# Finnish text borrows freely, so Finnish-looking text drops every language's stop words.
_ALL_STOPWORDS = STOPWORDS["fi"] | STOPWORDS["sv"] | STOPWORDS["en"]
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


def _votes(tokens: list[str]) -> Counter[str]:
    votes = Counter({lang: sum(t in STOPWORDS[lang] for t in tokens) for lang in LANGUAGES})
    votes["sv"] += 2 * sum(bool(_SV_CHARS.search(t)) for t in tokens)
    return votes


def _winner(votes: Counter[str]) -> str:
    lang, n = max(votes.items(), key=lambda kv: (kv[1], kv[0] == "fi"))
    return lang if n > 0 else "fi"


def guess_language(tokens: list[str]) -> str:
    """The text's main language from stop words and letters; Finnish when unsure."""
    return _winner(_votes(tokens))


@lru_cache(maxsize=3)
def _stemmer(lang: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(_SNOWBALL[lang])


class SnowballAnalyzer:
    """Stop words out, Snowball stems in the guessed language, cached per word form."""

    def __init__(self, min_length: int = 2, cache_size: int = 1 << 18) -> None:
        self.min_length = min_length
        self._stem = lru_cache(maxsize=cache_size)(self._stem_uncached)

    @staticmethod
    def _stem_uncached(lang: str, word: str) -> str:
        return _stemmer(lang).stemWord(word)

    def terms(self, text: str, lang: str | None = None) -> list[str]:
        return [term for _, term in self.pairs(text, lang)]

    def pairs(self, text: str, lang: str | None = None) -> list[tuple[str, str]]:
        tokens = words(text)
        lang = lang or guess_language(tokens)
        stop = _ALL_STOPWORDS if lang == "fi" else STOPWORDS[lang]
        return [(t, self._stem(lang, t)) for t in tokens if len(t) >= self.min_length and t not in stop]

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

    def __init__(self, morphology_: Morphology | None | bool = True, min_length: int = 2) -> None:
        super().__init__(min_length)
        self.morphology = morphology() if morphology_ is True else (morphology_ or None)

    def pairs(self, text: str, lang: str | None = None) -> list[tuple[str, str]]:
        tokens = words(text)
        votes = _votes(tokens)
        lang = lang or _winner(votes)
        second = max(("sv", "en"), key=lambda k: votes[k]) if votes["sv"] or votes["en"] else "fi"
        stop = _ALL_STOPWORDS if lang == "fi" else STOPWORDS[lang]
        out: list[tuple[str, str]] = []
        for t in tokens:
            if len(t) < self.min_length or t in stop:
                continue
            finnish = self.morphology.terms(t) if self.morphology and (lang == "fi" or len(t) >= 6) else None
            if finnish is not None:
                out.extend((t, term) for term in finnish)
            else:
                out.append((t, self._stem(second if lang == "fi" else lang, t)))
        return out

    def quote(self, word: str) -> str:
        """A Finnish base form reads better than the inflected word ("koira", not "koirista")."""
        finnish = self.morphology.terms(word) if self.morphology else None
        return finnish[0] if finnish else word


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
