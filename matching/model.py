"""The domain: youths, openings and the vocabularies they share.

Records are frozen dataclasses so an index can keep references to them safely;
everything optional defaults to "unknown / no constraint".
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:  # schedule imports nothing from here; avoid a cycle at runtime
    from .schedule import Weekly


class Vocabulary(str, Enum):
    """A closed list of codes; `parse` gives a message naming the valid ones."""

    @classmethod
    def parse(cls, value: str) -> Self:
        try:
            return cls(value.strip().lower())
        except ValueError:
            valid = ", ".join(m.value for m in cls)
            raise ValueError(f"unknown {cls.label()} {value!r}; expected one of: {valid}") from None

    @classmethod
    def label(cls) -> str:
        return cls.__name__.lower()


class Kind(Vocabulary):
    """What sort of activity an opening is."""

    VOLUNTEER = "volunteer"
    WORK_TRIAL = "work_trial"
    HOBBY = "hobby"
    EVENT = "event"
    TALKOOT = "talkoot"
    COURSE = "course"
    COACHING = "coaching"
    JOB = "job"


class Requirement(Vocabulary):
    """What an opening requires; a youth lists the same codes as qualifications."""

    CRIMINAL_RECORD_CHECK = "criminal_record_check"
    HYGIENE_PASSPORT = "hygiene_passport"
    DRIVING_LICENCE = "driving_licence"
    FIRST_AID = "first_aid"
    ALCOHOL_PASSPORT = "alcohol_passport"
    OCCUPATIONAL_SAFETY_CARD = "occupational_safety_card"
    SECURITY_STEWARD_CARD = "security_steward_card"


class Support(Vocabulary):
    """Low-threshold features an opening offers; a youth lists the same codes as needs."""

    NO_EXPERIENCE_NEEDED = "no_experience_needed"
    SUPERVISOR_PRESENT = "supervisor_present"
    PEER_BUDDY = "peer_buddy"
    GROUP = "group"
    SHORT_COMMITMENT = "short_commitment"
    WHEELCHAIR_ACCESSIBLE = "wheelchair_accessible"
    AT_HOME = "at_home"
    FLEXIBLE_HOURS = "flexible_hours"
    PLAIN_LANGUAGE = "plain_language"
    QUIET_SPACE = "quiet_space"


class Benefit(Vocabulary):
    """What a youth gets out of an opening; a youth lists the same codes as goals."""

    WORK_CERTIFICATE = "work_certificate"
    REFERENCE = "reference"
    TRAINING = "training"
    MEAL = "meal"
    TRAVEL_COSTS = "travel_costs"
    PAY = "pay"
    EQUIPMENT = "equipment"


@dataclass(frozen=True, slots=True)
class Place:
    """A point in Finland; `name` is the municipality's Finnish name when known."""

    lat: float
    lon: float
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Opening:
    """A volunteer gig, work trial, event task... posted by an association."""

    id: str
    title: str
    description: str = ""
    association: str = ""
    kind: Kind | None = None
    themes: tuple[str, ...] = ()
    place: Place | None = None
    remote: bool = False
    schedule: Weekly | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    capacity: int | None = None
    filled: int = 0
    min_age: int | None = None
    max_age: int | None = None
    languages: frozenset[str] = frozenset()
    requirements: frozenset[Requirement] = frozenset()
    support: frozenset[Support] = frozenset()
    benefits: frozenset[Benefit] = frozenset()

    @property
    def text(self) -> str:
        """The words the interest component reads."""
        return f"{self.title}\n{self.description}"

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.filled, 0)


@dataclass(frozen=True, slots=True)
class Youth:
    """A young person's light profile: interests in their own words plus constraints."""

    id: str
    interests: str = ""
    age: int | None = None
    themes: tuple[str, ...] = ()
    place: Place | None = None
    max_travel_km: float | None = None
    remote_ok: bool | None = None
    availability: Weekly | None = None
    languages: frozenset[str] = frozenset()
    kinds: frozenset[Kind] = frozenset()
    qualifications: frozenset[Requirement] = frozenset()
    needs: frozenset[Support] = frozenset()
    goals: frozenset[Benefit] = frozenset()
