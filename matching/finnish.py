"""Finnish morphology with Voikko: base forms and compound parts of a word form.

"koiranulkoiluttajia" -> koiranulkoiluttaja, koira, ulkoiluttaja, ulkoiluttaa;
"kuvaamiseen" -> kuvata; "valokuvaajaksi" -> valokuvaaja, kuvata. So inflected,
compound and derived forms meet their base forms in the index. Voikko (Debian
libvoikko1 + voikko-fi, PyPI libvoikko) is optional: `Morphology.load()` returns None
when it is missing and the analyser falls back to Snowball.
"""
from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from typing import Protocol

log = logging.getLogger(__name__)

_PART = re.compile(r"\+([^+(]*)(?:\(([^)]*)\))?")
# Word classes that carry no interest: conjunctions, adpositions, pronouns, negation.
_SKIP_CLASSES = frozenset({"sidesana", "suhdesana", "asemosana", "kieltosana", "huudahdussana"})
_NAMES = frozenset({"paikannimi", "etunimi", "sukunimi", "nimi"})
# Base forms too common in postings and profiles to say anything about interests.
STOP_BASES = frozenset(
    """olla voida haluta tykätä pitää kiinnostaa kiinnostunut saada tulla mennä päästä
    jokin joku kaikki paljon vähän hyvä kiva mieli juttu asia tosi kyllä vaikka sitten
    niin kuin myös vielä ehkä esimerkiksi etsiä tarvita osata ihan aina usein joskus
    kerta tapa muu oma uusi eri sama tällainen sellainen siis jo nyt""".split()
)


def compound_terms(baseform: str, wordbases: str) -> list[str]:
    """The base form, each compound member, and the root of each derived member.

    Voikko's WORDBASES reads "+koiran(koira)+ulkoilutta(ulkoiluttaa)+ja(+ja)": members
    are "+surface(base)"; a part whose base starts with '+' or has none (a linking
    letter) belongs to the member before it, which is then derived from that base.
    """
    members: list[tuple[str, str, bool]] = []  # (surface, base, derived)
    for surface, base in _PART.findall(wordbases):
        if (not base or base.startswith("+")) and members:
            s, b, _ = members[-1]
            members[-1] = (s + surface, b, True)
        else:
            members.append((surface, base or surface, False))
    out = [baseform]
    for i, (surface, base, derived) in enumerate(members):
        last = i == len(members) - 1
        if len(members) > 1:
            out.append(surface if derived or "=" in base else base)
        root = base.split("=")[-1]
        if (derived or "=" in base) and root and not (last and not derived and root == baseform):
            out.append(root)
    return list(dict.fromkeys(t.lower() for t in out if len(t) > 1))


class Voikko(Protocol):
    """What is used of a `libvoikko.Voikko` handle."""

    def analyze(self, word: str) -> list[dict[str, str]]: ...


class Morphology:
    """Voikko analyses, cached per word form; safe to share between threads."""

    def __init__(self, voikko: Voikko) -> None:
        self._voikko = voikko
        self._lock = threading.Lock()
        self.terms = lru_cache(maxsize=1 << 18)(self._terms)

    @classmethod
    def load(cls) -> "Morphology | None":
        try:
            import libvoikko

            return cls(libvoikko.Voikko("fi"))
        except Exception as e:  # ImportError, or OSError/VoikkoException when the library or dictionary is missing
            log.warning("Voikko is not available (%s); Finnish text falls back to Snowball stemming", e)
            return None

    def _terms(self, word: str) -> tuple[str, ...] | None:
        """Index terms of one Finnish word form; None when Voikko does not know it."""
        with self._lock:
            analyses = self._voikko.analyze(word)
        if not analyses:
            return None
        a = analyses[0]
        cls = a.get("CLASS", "")
        base = a.get("BASEFORM", word)
        if cls in _SKIP_CLASSES or base.lower() in STOP_BASES:
            return ()
        if cls in _NAMES:
            return (base.lower(),)
        return tuple(t for t in compound_terms(base, a.get("WORDBASES", "")) if t not in STOP_BASES)


@lru_cache(maxsize=1)
def morphology() -> Morphology | None:
    """The process's one Voikko handle (or None), created on first use and logged once."""
    return Morphology.load()
