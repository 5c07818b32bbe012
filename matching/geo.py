"""Finnish municipalities and great-circle distances.

Openings and youths name a municipality ("Tornio", "Torneå", "TORNIO"); matching
needs a point and a distance, and messages need the name in the reader's language
and the Finnish elative ("Torniosta").  The table is the 308 municipalities of
2025/2026 (see data/README.md); it is read once, on first use.  People also write the
municipalities merged away since 2005 ("Honkajoki", "Nastola", "Pertunmaa") and common
districts and villages ("Tikkurila", "Klaukkala"): `data/places.csv` maps each to today's
municipality, which `municipality` returns and `resolve` names.
"""
from __future__ import annotations

import csv
import difflib
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from .model import Place

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius

_SUFFIXES = (" kunta", " kaupunki", " stad", " kommun")
_ALAND = "Ahvenanmaa"


@dataclass(frozen=True)
class Municipality:
    """One row of the table; `place` is what the matcher stores."""

    name_fi: str
    name_sv: str
    lat: float
    lon: float
    elative_fi: str
    region: str

    @cached_property
    def place(self) -> Place:
        """One shared Place per municipality (a million openings need not hold a million)."""
        return Place(self.lat, self.lon, self.name_fi)


@dataclass(frozen=True)
class FormerName:
    """A place people write that is not a municipality today: a municipality merged away in `year`
    (kind "merged"), or a district or village (kind "locality"), and the municipality it is in now."""

    name: str
    today: str  # today's Finnish municipality name
    kind: str
    year: int | None


@dataclass(frozen=True)
class Resolved:
    municipality: Municipality
    former: FormerName | None  # what was written, when it is not today's name


class UnknownPlace(ValueError):
    """A name that is no municipality; carries close matches so a UI can offer them."""

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown municipality {name!r}{hint}")


def _exact_key(name: str) -> str:
    """Case- and whitespace-insensitive form that keeps accents ('vöyri' != 'voyri')."""
    key = " ".join(unicodedata.normalize("NFC", name).replace("-", " ").split()).casefold()
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def _folded_key(name: str) -> str:
    """Accent-free form so 'jyvaskyla' and 'tornea' find Jyväskylä and Torneå."""
    decomposed = unicodedata.normalize("NFKD", _exact_key(name))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class _Table:
    rows: tuple[Municipality, ...]
    exact: dict[str, tuple[Municipality, ...]]
    folded: dict[str, tuple[Municipality, ...]]
    display: dict[str, str]  # folded key -> a name as written, for suggestions
    former_exact: dict[str, FormerName]
    former_folded: dict[str, FormerName]


def _index(rows: tuple[Municipality, ...],
           key: Callable[[str], str]) -> dict[str, tuple[Municipality, ...]]:
    index: dict[str, tuple[Municipality, ...]] = {}
    for m in rows:
        for k in {key(m.name_fi), key(m.name_sv)}:
            index[k] = index.get(k, ()) + (m,)
    return index


@lru_cache(maxsize=1)
def _table() -> _Table:
    """Read the CSV once; lru_cache makes this the lazy module-level singleton."""
    source = resources.files(__package__ or "matching").joinpath("data", "municipalities.csv")
    with io.TextIOWrapper(source.open("rb"), encoding="utf-8", newline="") as f:  # newline="" as csv asks
        rows = tuple(
            sorted(
                (
                    Municipality(r["name_fi"], r["name_sv"], float(r["lat"]), float(r["lon"]),
                                 r["elative_fi"], r["region"])
                    for r in csv.DictReader(f)
                ),
                key=lambda m: m.name_fi,
            )
        )
    display = {_folded_key(n): n for m in rows for n in (m.name_sv, m.name_fi)}
    former_exact: dict[str, FormerName] = {}
    former_folded: dict[str, FormerName] = {}
    source = resources.files(__package__ or "matching").joinpath("data", "places.csv")
    with io.TextIOWrapper(source.open("rb"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            for written in {r["name_fi"], r["name_sv"]}:
                former = FormerName(written, r["today"], r["kind"], int(r["year"]) if r["year"] else None)
                former_exact[_exact_key(written)] = former
                former_folded[_folded_key(written)] = former
    return _Table(rows, _index(rows, _exact_key), _index(rows, _folded_key), display, former_exact, former_folded)


def municipalities() -> tuple[Municipality, ...]:
    """All municipalities, sorted by Finnish name."""
    return _table().rows


def municipality(name: str) -> Municipality:
    """Find by Finnish or Swedish name, ignoring case, spacing, accents and a 'kunta'-type suffix;
    a former municipality or a district gives today's municipality (`resolve` says which it was).

    If accent folding makes two names collide, the accented spelling that matches exactly wins.
    """
    return resolve(name).municipality


def resolve(name: str) -> Resolved:
    """`municipality`, and the former name or district when that is what `name` is."""
    table = _table()
    hits = table.exact.get(_exact_key(name)) or table.folded.get(_folded_key(name), ())
    if len(hits) == 1:
        return Resolved(hits[0], None)
    if hits:  # ambiguous only after folding: make the caller spell it out
        raise UnknownPlace(name, tuple(sorted({m.name_fi for m in hits})))
    former = table.former_exact.get(_exact_key(name)) or table.former_folded.get(_folded_key(name))
    if former is not None:
        today = table.exact[_exact_key(former.today)]
        return Resolved(today[0], former)
    key = _folded_key(name)
    close = [table.display[k] for k in difflib.get_close_matches(key, table.display, n=3, cutoff=0.7)]
    if not close:  # no municipality of today is close: a former one or a district may be ("Honkajoen")
        close = [table.former_folded[k].name for k in difflib.get_close_matches(key, table.former_folded, n=3,
                                                                                 cutoff=0.7)]
    raise UnknownPlace(name, tuple(dict.fromkeys(close)))


def locate(name: str) -> Place:
    """The point of a municipality, for matching."""
    return municipality(name).place


def elative(name_fi: str) -> str:
    """'from X' in Finnish, e.g. 'Torniosta', 'Rovaniemeltä'; never a guessed ending."""
    return municipality(name_fi).elative_fi


def name_in(lang: str, name_fi: str) -> str:
    """The municipality's name for a reader of `lang` ('fi', 'sv' or 'en').

    English uses the Finnish name, except on Åland, where Swedish is the only official language.
    """
    m = municipality(name_fi)
    if lang == "fi":
        return m.name_fi
    if lang == "sv":
        return m.name_sv
    if lang == "en":
        return m.name_sv if m.region == _ALAND else m.name_fi
    raise ValueError(f"unknown language {lang!r}; expected one of: fi, sv, en")


FloatOrArray = float | npt.NDArray[np.float64]


def _out(x: npt.NDArray[np.float64]) -> FloatOrArray:
    return float(x) if np.ndim(x) == 0 else x


def distance_km(lat1: npt.ArrayLike, lon1: npt.ArrayLike,
                lat2: npt.ArrayLike, lon2: npt.ArrayLike) -> FloatOrArray:
    """Great-circle (haversine) distance; broadcasts like numpy, floats in give a float out."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dlon = np.radians(np.subtract(lon2, lon1))
    h = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlon / 2) ** 2
    return _out(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


def unit_vectors(lat: npt.ArrayLike, lon: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Points as unit vectors, shape (..., 3): one matrix product then compares many pairs.

    For unit vectors u, v at great-circle distance d: u @ v == cos(d / R).
    """
    phi, lam = np.radians(lat), np.radians(lon)
    cos_phi = np.cos(phi)
    return np.stack(np.broadcast_arrays(cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)),
                    axis=-1)


def km_to_cos(km: float) -> float:
    """Threshold on dot products: distance <= km exactly when dot >= km_to_cos(km)."""
    if km < 0:
        raise ValueError(f"distance must be non-negative, got {km}")
    return float(np.cos(min(km / EARTH_RADIUS_KM, np.pi)))


def dot_to_km(dot: npt.ArrayLike) -> FloatOrArray:
    """Inverse of the dot-product trick; clipping absorbs rounding just outside [-1, 1]."""
    return _out(EARTH_RADIUS_KM * np.arccos(np.clip(dot, -1.0, 1.0)))


def chord_lengths(xyz: npt.NDArray[np.float64], point: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Straight-line distances (on the unit sphere) from many unit vectors to one.

    Written element by element, so each row's value is the same bits wherever the row
    sits in the array, and precise near zero where arccos of a dot product is not.
    """
    d0, d1, d2 = xyz[:, 0] - point[0], xyz[:, 1] - point[1], xyz[:, 2] - point[2]
    return np.sqrt(d0 * d0 + d1 * d1 + d2 * d2)


def chord_to_km(chord: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Great-circle km of chord lengths on the unit sphere."""
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord / 2.0, 1.0))


def km_to_chord(km: float) -> float:
    """Threshold on chord lengths: distance <= km exactly when chord <= km_to_chord(km)."""
    if km < 0:
        raise ValueError(f"distance must be non-negative, got {km}")
    return float(2.0 * np.sin(min(km / EARTH_RADIUS_KM, np.pi) / 2.0))
