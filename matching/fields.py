"""Reading one field of a record: each parser takes the raw value from JSON or CSV and
returns the domain value or raises ValueError with a message a person can act on.

`Reader` applies them to one record and tags every error with the field's name.
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, TypeVar

from . import geo, themes
from .model import Place, Vocabulary
from .schedule import ScheduleError, Weekly

T = TypeVar("T")
V = TypeVar("V", bound=Vocabulary)

_TRUE = {"true", "yes", "1", "kyllä", "ja", "y"}
_FALSE = {"false", "no", "0", "ei", "nej", "n"}
_LANG = re.compile(r"^[a-z]{2,3}$")


class FieldError(ValueError):
    """One field of one record is wrong."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def missing(value: Any) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    if isinstance(value, (dict, list, bool)):
        raise ValueError(f"expected text, got {json.dumps(value)[:40]}")
    return str(value).strip()


def as_int(value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number, got {value!r}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        n = int(str(value).strip())
    except ValueError:
        raise ValueError(f"expected a whole number, got {value!r}") from None
    if not lo <= n <= hi:
        raise ValueError(f"expected a number from {lo} to {hi}, got {n}")
    return n


def as_float(value: Any, lo: float, hi: float) -> float:
    try:
        x = float(str(value).strip().replace(",", ".")) if not isinstance(value, bool) else None
    except ValueError:
        x = None
    if x is None or x != x:
        raise ValueError(f"expected a number, got {value!r}")
    if not lo <= x <= hi:
        raise ValueError(f"expected a number from {lo:g} to {hi:g}, got {x:g}")
    return x


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def as_date(value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"expected an ISO date like 2026-06-01, got {value!r}") from None


def items(value: Any) -> list[str]:
    if isinstance(value, str):
        return [p.strip() for p in value.split(";") if p.strip()]
    if isinstance(value, (list, tuple)):
        return [as_text(v) for v in value if not missing(v)]
    raise ValueError(f"expected a list, got {value!r}")


@lru_cache(maxsize=4096)
def shared(items: frozenset[T]) -> frozenset[T]:
    """One frozenset object per distinct value: large files repeat the same few sets."""
    return items


def codes(kind: type[V]) -> Callable[[Any], frozenset[V]]:
    return lambda value: shared(frozenset(kind.parse(v) for v in items(value)))


def languages(value: Any) -> frozenset[str]:
    out = set()
    for code in items(value):
        code = code.lower()
        if not _LANG.match(code):
            raise ValueError(f"expected ISO 639-1 language codes like fi, sv, en; got {code!r}")
        out.add(code)
    return shared(frozenset(out))


def theme_ids(value: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(themes.parse(v) for v in items(value)))


def weekly(value: Any) -> Weekly:
    if isinstance(value, (list, tuple)):
        return _parse_weekly(tuple(as_text(v) for v in value))
    return _parse_weekly(as_text(value))


@lru_cache(maxsize=65536)
def _parse_weekly(text: str | tuple[str, ...]) -> Weekly:
    """Weekly values are immutable, so equal texts share one parse."""
    return Weekly.parse(list(text) if isinstance(text, tuple) else text)


class Reader:
    """Reads fields off one record, each parse error tagged with its field name."""

    def __init__(self, record: Mapping[str, Any], known: tuple[str, ...]) -> None:
        self.record = record
        for name in record:
            if name not in known and not missing(record[name]):
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
                if close:
                    raise FieldError(name, f"unknown field; did you mean '{close[0]}'?")

    def get(self, name: str, parse: Callable[[Any], T], default: T) -> T:
        value = self.record.get(name)
        if missing(value):
            return default
        try:
            return parse(value)
        except (ValueError, ScheduleError) as e:
            raise FieldError(name, str(e)) from None
        except TypeError:  # a JSON type the field never holds (a number where text or a list belongs, ...)
            raise FieldError(name, f"cannot read {json.dumps(value)[:40]} here") from None

    def required(self, name: str) -> str:
        value = self.record.get(name)
        if missing(value):
            raise FieldError(name, "is required")
        return self.get(name, as_text, "")

    def place(self) -> Place | None:
        municipality = self.get("municipality", lambda v: geo.locate(as_text(v)), None)
        has_lat, has_lon = not missing(self.record.get("lat")), not missing(self.record.get("lon"))
        if has_lat != has_lon:
            raise FieldError("lon" if has_lat else "lat", "lat and lon must be given together")
        if has_lat:
            lat = self.get("lat", lambda v: as_float(v, -90, 90), 0.0)
            lon = self.get("lon", lambda v: as_float(v, -180, 180), 0.0)
            return Place(lat, lon, municipality.name if municipality else None)
        return municipality
