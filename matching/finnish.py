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

_PIECE = re.compile(r"([^(]*)(?:\(([^)]*)\))?")
MIN_PART = 4  # a compound part shorter than this ("jää", "työ") says too little on its own
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


def _segments(wordbases: str) -> list[str]:
    """WORDBASES split at each '+' outside parentheses: one segment per member or suffix."""
    out: list[str] = []
    depth = 0
    for ch in wordbases:
        if ch == "+" and depth == 0:
            out.append("")
            continue
        depth += (ch == "(") - (ch == ")")
        if out:
            out[-1] += ch
    return [seg for seg in out if seg]


def compound_terms(baseform: str, wordbases: str) -> list[str]:
    """The base form, each compound member, and the root of each derived member.

    Voikko's WORDBASES reads "+koiran(koira)+ulkoilutta(ulkoiluttaa)+ja(+ja)": members
    are "+surface(base)"; a part whose base starts with '+' or has none (a linking
    letter) belongs to the member before it, which is then derived from that base. A
    member may carry its own derivation suffix: "+tarkkail(tarkata)i(+la)+ja(+ja)" is
    one member "tarkkailija", derived from "tarkata".
    """
    members: list[tuple[str, str, bool]] = []  # (surface, base, derived)
    for segment in _segments(wordbases):
        surface, base, derived = "", "", False
        for text, paren in _PIECE.findall(segment):
            surface += text
            if paren.startswith("+") or (base and text):
                derived = True
            elif paren and not base:
                base = paren
        if not base and members:
            s, b, _ = members[-1]
            members[-1] = (s + surface, b, True)
        else:
            members.append((surface, base or surface, derived))
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
        whole, *parts = compound_terms(base, a.get("WORDBASES", ""))
        return tuple(t for t in [whole, *(p for p in parts if self._real_part(p))] if t not in STOP_BASES)

    def _real_part(self, part: str) -> bool:
        """A compound part counts on its own only as a word Voikko knows, of MIN_PART letters or more:
        not a fragment ("tarkkail") nor a short word that matches too much ("jää", "työ")."""
        if len(part) < MIN_PART:
            return False
        with self._lock:
            return bool(self._voikko.analyze(part))


@lru_cache(maxsize=1)
def morphology() -> Morphology | None:
    """The process's one Voikko handle (or None), created on first use and logged once."""
    return Morphology.load()
