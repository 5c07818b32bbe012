"""What the engine reads from each column, so that the tables never store a value it would refuse.

`models` checks every assignment to these columns with the engine's own field parsers
(`matching.fields`): a kind, theme, language or code the engine does not know, a place
that is not a Finnish municipality, weekly times it cannot read, a number out of range.
So a row the web app wrote is always one the engine can read (`engine.convert`), and the
forms, the import and the API all meet one rule, the engine's.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from matching import geo
from matching.fields import FieldError, as_float, as_int, codes, languages, missing, theme_ids, weekly
from matching.model import Benefit, Kind, Requirement, Support
from matching.schedule import ScheduleError

Parse = Callable[[Any], Any]


def _int(low: int, high: int) -> Parse:
    return lambda value: as_int(value, low, high)


def _float(low: float, high: float) -> Parse:
    return lambda value: as_float(value, low, high)


_PLACE: dict[str, Parse] = {"municipality": geo.locate, "lat": _float(-90, 90), "lon": _float(-180, 180)}

# The same parsers and ranges as `matching.io.opening_from_record` and `youth_from_record`.
OPENING: Mapping[str, Parse] = {
    "kind": Kind.parse, "themes": theme_ids, **_PLACE, "schedule": weekly,
    "capacity": _int(1, 1_000_000), "filled": _int(0, 1_000_000), "min_age": _int(0, 120), "max_age": _int(0, 120),
    "languages": languages, "requirements": codes(Requirement), "support": codes(Support), "benefits": codes(Benefit),
}
YOUTH: Mapping[str, Parse] = {
    "age": _int(0, 120), "themes": theme_ids, **_PLACE, "max_travel_km": _float(0, 5000), "availability": weekly,
    "languages": languages, "kinds": codes(Kind), "qualifications": codes(Requirement), "needs": codes(Support),
    "goals": codes(Benefit),
}
KINDS = tuple(kind.value for kind in Kind)


def checked(reads: Mapping[str, Parse], field: str, value: Any) -> Any:
    """`value`, once the engine has read it; raises `matching.io.FieldError` naming `field` otherwise.

    A kind must be the engine's code itself ("volunteer", not "Volunteer "), as the database's
    CHECK constraint compares codes: the import writes the engine's parse of a record, the
    forms offer the codes."""
    if missing(value):
        return value
    try:
        parsed = reads[field](value)
    except (ValueError, ScheduleError) as e:
        raise FieldError(field, str(e)) from None
    if isinstance(parsed, Kind) and parsed.value != value:
        raise FieldError(field, f"write the kind as its code {parsed.value!r}, not {value!r}")
    return value
