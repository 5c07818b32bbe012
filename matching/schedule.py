"""Weekly availability and opening schedules as packed half-hour slot masks.

Young people and associations write times as free text in Finnish, Swedish or
English ("ti ja to klo 17.30-20", "helger", "weekday evenings"). Reading both
into one 336-bit week (7 days x 48 half hours, bit ``day*48 + slot``) turns
"do they fit?" into a popcount of an AND, which numpy does for thousands of
openings at once. Text we cannot read raises ScheduleError instead of being
guessed at, so a typo never silently becomes "no time in common".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from .slots import DAYS, SLOTS, SLOTS_PER_DAY, bits
from .week_text import describe
WORDS = 6
FULL = (1 << SLOTS) - 1
ALL_DAYS = frozenset(range(DAYS))
DEFAULT_SPAN = (8 * 60, 22 * 60)  # a day named without a time
EXAMPLES = "'ma-pe 12-20', 'ti ja to klo 17.30-20', 'Sat 10:00-14:00', 'weekends', 'joustava'"


class ScheduleError(ValueError):
    """Availability text that cannot be read; the message quotes the culprit.

    `part` is the words that could not be read and `why` the reason in English, so a page
    can say the same in its own language."""

    def __init__(self, message: str, part: str = "", why: str = "") -> None:
        super().__init__(message)
        self.part, self.why = part, why


def _error(text: str, part: str, why: str) -> ScheduleError:
    shown = text if len(text) <= 80 else text[:77] + "..."
    return ScheduleError(
        f"cannot read {part!r} in availability {shown!r} ({why}): expected e.g. {EXAMPLES}", part, why)


# --- vocabulary: comma-separated words or phrases --------------------------------------

_DAY_NAMES = [  # (fi, sv, en) full names; then fi, sv, en short forms
    ("maanantai", "måndag", "monday", "ma", "mån", "mon"),
    ("tiistai", "tisdag", "tuesday", "ti", "tis", "tue, tues"),
    ("keskiviikko", "onsdag", "wednesday", "ke", "ons", "wed, weds"),
    ("torstai", "torsdag", "thursday", "to", "tor, tors", "thu, thur, thurs"),
    ("perjantai", "fredag", "friday", "pe", "fre", "fri"),
    ("lauantai", "lördag", "saturday", "la", "lör", "sat"),
    ("sunnuntai", "söndag", "sunday", "su", "sön", "sun"),
]
_TABLE: list[tuple[str, object, str]] = [  # (kind, value, phrases)
    ("days", frozenset({5, 6}), "viikonloppuisin, viikonloppu, viikonloput, viikonloppuna, vkl, "
     "viikonloppusin, viikonlopusin, viikonloppuina, viikonlopuisin, vklp, vkloppuisin, "
     "helg, helger, helgen, helgerna, helgdagar, på helgen, på helgerna, "
     "weekend, weekends, on weekends, at weekends, the weekend"),
    ("days", frozenset(range(5)), "arkisin, arkipäivisin, arkipäivät, arkipäivinä, arkena, arki, arkipäivä, "
     "arkipäivisin, arkiaamuisin, "
     "vardag, vardagar, vardagarna, vardagen, på vardagar, "
     "weekday, weekdays, on weekdays, workdays"),
    ("days", ALL_DAYS, "joka päivä, päivittäin, varje dag, dagligen, every day, daily"),
    ("period", (17 * 60, 22 * 60), "illalla, iltaisin, illat, ilta, ilta-aikaan, "
     "iltasin, iltaasin, iltaisi, iltoina, iltaset, iltaisen, illoin, "
     "kväll, kvällar, kvällarna, kvällen, kvällstid, på kvällen, på kvällarna, kvällarna, "
     "evening, evenings, in the evening, in the evenings, nights, at night"),
    ("period", (8 * 60, 12 * 60), "aamulla, aamuisin, aamupäivisin, aamupäivä, aamupäivällä, "
     "aamupäiväsin, aamupäivät, aamusin, aamut, "
     "ap, morgon, morgnar, morgonen, förmiddag, förmiddagar, förmiddagen, fm, på förmiddagen, "
     "morning, mornings, in the morning, in the mornings"),
    ("period", (12 * 60, 17 * 60), "iltapäivisin, iltapäivä, iltapäivällä, ip, "
     "iltapäiväsin, iltapäivät, "
     "eftermiddag, eftermiddagar, eftermiddagen, em, på eftermiddagen, "
     "afternoon, afternoons, in the afternoon, in the afternoons"),
    ("period", (8 * 60, 17 * 60), "päivisin, päivällä, päiväsaikaan, dagtid, på dagen, "
     "daytime, during the day"),
    ("flex", None, "joustava, joustavasti, sopimuksen mukaan, sovittaessa, sovitusti, "
     "milloin vain, milloin tahansa, flexibel, flexibelt, enligt överenskommelse, när som helst, "
     "flexible, flexibly, by agreement, any time, anytime, whenever"),
    ("join", None, "ja, sekä, tai, och, samt, eller, and, or"),
    # open ranges: "after 16" / "16 jälkeen" = 16-22, "before 12" / "12 asti" = 8-12
    ("from", None, "after, from, since, från, efter, alkaen, jälkeen, lähtien"),
    ("until", None, "before, until, till, före, innan, ennen, asti, saakka"),
    ("noise", None, "klo, kello, kl, at, o'clock, on, in, the, i, på, every, each, joka, varje"),
]
# Words that say days and a time of day at once ("arki-illat" = weekday evenings): read as the two.
_COMPOUNDS = {
    "arkisin iltaisin": "arki-illat, arki-iltaisin, arki-iltasin, arki-iltoina, arki-ilta, arki-illat, arki-iltana, "
                        "arkiiltaisin, arkiillat, arkipäivä-iltaisin, arki iltaisin, "
                        "vardagskvällar, vardagskvällarna, vardagskvällen, vardagskväll, "
                        "weeknights, weeknight, weekday evenings, weekday nights",
    "viikonloppuisin iltaisin": "viikonloppuiltaisin, viikonloppu-iltaisin, viikonloppuillat, helgkvällar, "
                                "helgkvällarna, weekend evenings",
    "arkisin aamupäivisin": "arkiaamupäivisin, arki-aamupäivisin, arkiaamuisin, arki-aamuisin, "
                            "vardagsförmiddagar, weekday mornings",
    "arkisin iltapäivisin": "arki-iltapäivisin, arkiiltapäivisin, vardagseftermiddagar, weekday afternoons",
    "viikonloppuisin päivisin": "viikonloppupäivisin, helgdagtid",
}
_RANGE_WORDS = {"to", "till", "until"}  # "9 to 17", "mån till fre"; "to" is also Thursday


def _phrase(phrase: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)*|-", phrase.strip().lower()))


def _vocabulary() -> dict[tuple[str, ...], tuple[str, object, str]]:
    """Phrase (as tokens) -> (kind, value, language of a day name)."""
    vocab = {_phrase(p): (kind, value, "") for kind, value, ps in _TABLE for p in ps.split(",")}
    for day, (fi, sv, en, *short) in enumerate(_DAY_NAMES):
        forms = {
            "fi": [fi, fi + "t", fi + "na", fi + ("isin" if fi.endswith("o") else "sin")],
            "sv": [sv, sv + "ar", sv + "en", sv + "arna"],
            "en": [en, en + "s"],
        }
        for lang, abbreviations in zip(forms, short):
            for word in forms[lang] + abbreviations.split(","):
                vocab[_phrase(word)] = ("day", day, lang)
    for meaning, phrases in _COMPOUNDS.items():
        parts = tuple(vocab[_phrase(word)] for word in meaning.split())
        for p in phrases.split(","):
            vocab[_phrase(p)] = ("compound", parts, "")
    return vocab


_VOCAB = _vocabulary()
_LONGEST = max(map(len, _VOCAB))


# --- reading text ---------------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<time>\d+(?:[.:]\d+)?(?:\s*[ap]\.?m\b\.?)?)
      | (?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)\.?
      | (?P<dash>[-‐‑‒–—―−]) | (?P<join>[,&+/]) | (?P<end>[;\n])
      | (?P<skip>[^\S\n]+|[.:()]) | (?P<other>.)""",
    re.VERBOSE | re.IGNORECASE,
)
_TIME = re.compile(r"(\d+)(?:[.:](\d+))?\s*(?:([ap])\.?m\.?)?")


@dataclass
class _Item:
    kind: str  # a vocabulary kind, or time, dash, end, unknown, other
    value: Any  # days, (start, end) minutes, or (hour, minute, am/pm) text of a time
    text: str
    start: int
    end: int
    lang: str = ""


def _lex(text: str) -> list[_Item]:
    """Tokens, with the longest known phrase merged into one item."""
    raw = [(kind, m.group(kind).lower().replace("’", "'"), m.start(), m.end())
           for m in _TOKEN.finditer(text) if (kind := m.lastgroup) and kind != "skip"]  # every branch is named
    raw = [(kind, "-" if kind == "dash" else low, start, end) for kind, low, start, end in raw]
    items, i = [], 0
    while i < len(raw):
        kind, low, start, end = raw[i]
        for size in range(min(_LONGEST, len(raw) - i), 0, -1):
            key = tuple(r[1] for r in raw[i:i + size])
            if key in _VOCAB and all(r[0] in ("word", "dash") for r in raw[i:i + size]):
                kind, value, lang = _VOCAB[key]
                end_at = raw[i + size - 1][3]
                if kind == "compound":  # one word for days and a time of day: its parts, in order
                    parts: tuple[tuple[str, object, str], ...] = value  # type: ignore[assignment]  # the table's compound value
                    items += [_Item(k, v, " ".join(key), start, end_at, la) for k, v, la in parts]
                else:
                    items.append(_Item(kind, value, " ".join(key), start, end_at, lang))
                i += size
                break
        else:
            time = _TIME.fullmatch(low) if kind == "time" else None  # a time token always is one
            value = time.groups() if time else None
            items.append(_Item("unknown" if kind == "word" else kind, value, low, start, end))
            i += 1
    return items


def _span_mask(day: int, start: int, end: int) -> int:
    """Minutes to slots: start rounds down, end rounds up; end <= start runs past midnight."""
    base, stop = day * SLOTS_PER_DAY, -(-end // 30)
    if end > start:
        return bits(base + start // 30, base + stop)
    after = (day + 1) % DAYS * SLOTS_PER_DAY
    return bits(base + start // 30, base + SLOTS_PER_DAY) | bits(after, after + stop)


@dataclass
class _Group:
    """Days sharing the times next to them ("ti ja to klo 17-20")."""

    days: frozenset[int] = frozenset()
    spans: list[tuple[tuple[int, int], bool]] = field(default_factory=list)  # (span, is_period)
    state: str = "days"  # then "times"; "postfix": days after times ("klo 10-14 lauantaisin")

    def add(self, span: tuple[int, int], is_period: bool, joined: bool) -> None:
        # "iltaisin klo 18-21" means 18-21: an explicit time refines an adjacent period.
        if self.spans and not joined and self.spans[-1][1] != is_period:
            if is_period:
                return
            self.spans.pop()
        self.spans.append((span, is_period))
        self.state = "times"


class _Segment:
    """Reads one ';'- or newline-separated part left to right."""

    def __init__(self, text: str, items: list[_Item]) -> None:
        self.text, self.items = text, [it for it in items if it.kind != "noise"]

    def fail(self, first: _Item, last: _Item, why: str) -> ScheduleError:
        return _error(self.text, self.text[first.start:last.end], why)

    def kind(self, i: int) -> str:
        return self.items[i].kind if i < len(self.items) else ""

    def read(self) -> tuple[int, bool, bool]:
        """(mask, flexible, whether anything was read)."""
        groups: list[_Group] = []
        flexible = joined = False
        i = 0
        while i < len(self.items):
            it, g = self.items[i], (groups[-1] if groups else None)
            if it.kind == "join":
                joined, i = True, i + 1
                continue
            if it.kind == "from" and self.kind(i + 1) in ("day", "days"):
                i += 1  # "from Monday to Friday"
                continue
            if it.kind == "flex":
                flexible, i = True, i + 1
            elif it.kind in ("day", "days"):
                days, i = self.days(i)
                if g is None or (g.state == "times" and (g.days or joined)) or (
                        g.state == "postfix" and joined):
                    groups.append(g := _Group())
                elif g.state == "times":
                    g.state = "postfix"
                g.days |= days
            elif it.kind in ("time", "from", "until", "period"):
                span, i = (it.value, i + 1) if it.kind == "period" else self.span(i)
                if g is None or g.state == "postfix":
                    groups.append(g := _Group())
                g.add(span, it.kind == "period", joined)
            else:
                why = {"dash": "a dash needs days or times on both sides",
                       "unknown": "unknown word"}
                raise self.fail(it, it, why.get(it.kind, "unexpected character"))
            joined = False
        kept: list[_Group] = []
        for g in groups:  # "klo 10-14 lauantaisin ja sunnuntaisin": later days share the times
            if not g.spans and kept and kept[-1].state == "postfix":
                kept[-1].days |= g.days
            else:
                kept.append(g)
        mask = 0
        for g in kept:
            for day in g.days or ALL_DAYS:
                for span, _ in g.spans or [(DEFAULT_SPAN, False)]:
                    mask |= _span_mask(day, *span)
        return mask, flexible, bool(groups) or flexible

    def days(self, i: int) -> tuple[frozenset[int], int]:
        it = self.items[i]
        if it.kind == "days":
            return it.value, i + 1
        if self.kind(i + 2) == "day":
            sep = self.items[i + 1]
            finnish_thursday = sep.text == "to" and it.lang == "fi"  # "ma to pe" = Mon, Thu, Fri
            if sep.kind == "dash" or (sep.text in _RANGE_WORDS and not finnish_thursday):
                a, b = it.value, self.items[i + 2].value  # wraps: pe-ma = Fri, Sat, Sun, Mon
                return frozenset((a + k) % DAYS for k in range((b - a) % DAYS + 1)), i + 3
        return frozenset({it.value}), i + 1

    def span(self, i: int) -> tuple[tuple[int, int], int]:
        """A time range, or an open one: 'after 16', '16 jälkeen', 'före 12'."""
        marker = self.items[i] if self.kind(i) in ("from", "until") else None
        if marker is not None:
            i += 1
            if self.kind(i) != "time":
                raise self.fail(marker, marker, "expected a time after it")
        first, i = self.items[i], i + 1
        if self.kind(i + 1) == "time" and (
                self.kind(i) == "dash" or self.items[i].text in _RANGE_WORDS):
            last = self.items[i + 1]
            start, end = self.minutes(first, is_end=False), self.minutes(last, is_end=True)
            if first.value[2] is None and last.value[2] == "p" and 60 <= start < end - 720:
                start += 720  # "5-8pm"
            if start == end:
                raise self.fail(first, last, "the end equals the start")
            return (start, end), i + 2
        if marker is None and self.kind(i) in ("from", "until"):
            marker, i = self.items[i], i + 1  # "klo 16 alkaen", "12 asti"
        if marker is None:
            raise self.fail(first, first, "a time needs an end, e.g. '17-20'")
        at = self.minutes(first, is_end=marker.kind == "until")
        if marker.kind == "from":
            return (at, 22 * 60 if at < 22 * 60 else 24 * 60), i
        if at == 0:
            raise self.fail(marker, first, "nothing is before midnight")
        return (8 * 60 if at > 8 * 60 else 0, at), i

    def minutes(self, item: _Item, is_end: bool) -> int:
        hour_text, minute_text, ampm = item.value
        hour, minute = int(hour_text), int(minute_text or 0)
        ok = minute_text is None or len(minute_text) == 2
        if ampm:
            ok, hour = ok and 1 <= hour <= 12, hour % 12 + (12 if ampm == "p" else 0)
        if not (ok and minute < 60 and (hour < 24 or (hour == 24 and minute == 0 and is_end))):
            raise self.fail(item, item, "no such time of day")
        return hour * 60 + minute


def _parse_one(text: str) -> tuple[int, bool]:
    if not text.strip():
        raise _error(text, text, "empty")
    items, mask, flexible, anything, start = _lex(text), 0, False, False, 0
    for stop in [n for n, it in enumerate(items) if it.kind == "end"] + [len(items)]:
        m, f, a = _Segment(text, items[start:stop]).read()
        mask, flexible, anything, start = mask | m, flexible or f, anything or a, stop + 1
    if not anything:
        raise _error(text, text, "no days or times")
    return (FULL, True) if flexible else (mask, False)


# --- the public type --------------------------------------------------------------------

@dataclass(frozen=True)
class Weekly:
    """A recurring week: bit ``day*48 + slot`` set means free (or scheduled) then."""

    mask: int
    flexible: bool = False
    text: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not 0 <= self.mask <= FULL or (self.flexible and self.mask != FULL):
            raise ValueError(f"not a weekly mask: {self.mask:#x} (flexible={self.flexible})")

    @classmethod
    def parse(cls, text: str | Sequence[str]) -> Weekly:
        """Read fi/sv/en free text; several texts mean the union of them."""
        texts = [text] if isinstance(text, str) else list(text)
        if not texts:
            raise _error("", "", "empty")
        mask, flexible = 0, False
        for m, f in map(_parse_one, texts):
            mask, flexible = mask | m, flexible or f
        return cls(mask, flexible, "; ".join(texts))

    @classmethod
    def flexible_week(cls) -> Weekly:
        return cls(FULL, True)

    @property
    def hours(self) -> float:
        return self.mask.bit_count() / 2

    def words(self) -> np.ndarray:
        """Little-endian uint64 words: the row layout of `pack`."""
        return np.frombuffer(self.mask.to_bytes(WORDS * 8, "little"), dtype="<u8").astype(np.uint64)

    def overlap_slots(self, other: Weekly) -> int:
        return (self.mask & other.mask).bit_count()

    def __or__(self, other: Weekly) -> Weekly:
        return Weekly(self.mask | other.mask, self.flexible or other.flexible)

    def __and__(self, other: Weekly) -> Weekly:
        return Weekly(self.mask & other.mask, self.flexible and other.flexible)

    def describe(self, lang: str = "fi") -> str:
        """Short text for match reasons ("ti ja to klo 17–20"); parses back to the same mask."""
        return describe(self.mask, self.flexible, lang)  # the words live apart from the parser


# --- vectorised overlap -----------------------------------------------------------------

def pack(weeklies: Sequence[Weekly]) -> np.ndarray:
    """(n, WORDS) uint64 rows, so overlap with one query is a single numpy expression."""
    data = b"".join(w.mask.to_bytes(WORDS * 8, "little") for w in weeklies)
    return np.frombuffer(data, dtype="<u8").astype(np.uint64).reshape(len(weeklies), WORDS)


def overlap_slots(packed: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Shared half-hour slots of each packed row with `query` (shape (WORDS,))."""
    return np.bitwise_count(packed & query).sum(axis=1, dtype=np.int64)


def slot_counts(packed: np.ndarray) -> np.ndarray:
    """Half-hour slots in each packed row."""
    return np.bitwise_count(packed).sum(axis=1, dtype=np.int64)
