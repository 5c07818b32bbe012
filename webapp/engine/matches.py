"""The one road to a youth's matches and to "why (not)": every page, the API, referrals and cohorts.

A youth is scored by this process's matcher (`engine.matcher`) as the youth's region
weighs things: the region's active weight profile, else the general one (no region),
else the engine's defaults. The weights in use are read once per process and weights
version (every change to weight profiles raises it, see `engine.versions.bump_weights`), and
`Matcher.with_weights` gives the weighted matcher over the same fitted index.

A youth's lists are kept per process under `Matcher.settings_key` (everything besides
the index that changes a list), the youth's whole record, k, the language and the day:
a change to any of these is a new key. A change to the catalogue makes again only the
lists it could change (`engine.kept`).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlalchemy as sa
from flask import current_app
from sqlmodel import Session, col, select

from matching import Matcher, Weights, geo
from matching.components import COMPONENTS
from matching.explain import Explanation, Match
from matching.model import Opening as EngineOpening
from matching.model import Youth
from matching.weights import DEFAULT

from .. import db
from ..models import Opening, WeightProfile, YouthProfile
from . import versions
from .convert import opening_from_row, youth_from_row
from .matcher import current, kept_matches
from .versions import VersionCache

DEFAULT_DIVERSITY = 0.2  # Matcher's own default
IN_USE_CACHE_SIZE = 64  # regions (19, and None) kept per weights version
_IN_USE_KEY = "polku.weights_in_use"


@dataclass(frozen=True)
class Setting:
    """Weights and diversity: what a weight profile's version holds and what the sliders show."""

    weights: dict[str, float]
    diversity: float = DEFAULT_DIVERSITY

    @classmethod
    def default(cls) -> Setting:
        return cls(dict(DEFAULT), DEFAULT_DIVERSITY)

    @classmethod
    def of(cls, profile: WeightProfile) -> Setting:
        return cls({c: float(profile.weights.get(c, 0.0)) for c in COMPONENTS}, float(profile.diversity))

    def engine_weights(self, name: str = "custom") -> Weights:
        """`matching.Weights`; raises ValueError for negative or all-zero values."""
        return Weights(dict(self.weights), name)

    def to_dict(self) -> dict[str, Any]:
        return {"weights": dict(self.weights), "diversity": self.diversity}

    def apply(self, matcher: Matcher, name: str = "custom") -> Matcher:
        """`matcher` scoring with these weights and this diversity, over the same fitted index."""
        return matcher.with_weights(self.engine_weights(name), diversity=self.diversity)


@dataclass(frozen=True)
class InUse:
    """The version that scores a region's youths, as the engine needs it."""

    name: str
    version: int
    setting: Setting

    @property
    def label(self) -> str:
        return f"{self.name} v{self.version}"


def region_of(municipality: str | None) -> str | None:
    """The region (maakunta) of a municipality name, or None if it is not one."""
    if not municipality:
        return None
    try:
        return geo.municipality(municipality).region
    except geo.UnknownPlace:
        return None


# ---------------------------------------------------------------- the weights in use

def active_in(session: Session, region: str | None) -> tuple[WeightProfile | None, Setting]:
    """The version that scores `region`'s youths (its own, else the general one) and its setting.

    One query for both candidates; read from the database each time (see `in_use` for the kept one)."""
    own = col(WeightProfile.region) == region if region else sa.false()
    candidates = session.exec(select(WeightProfile).where(
        col(WeightProfile.active).is_(True), sa.or_(own, col(WeightProfile.region).is_(None)))
        .order_by(col(WeightProfile.id).desc())).all()
    found = next((p for p in candidates if p.region is not None), None) or next(iter(candidates), None)
    return found, (Setting.of(found) if found is not None else Setting.default())


def in_use(region: str | None) -> InUse | None:
    """The weights in use for `region` (None: the engine's defaults), kept until the weights version moves."""
    kept: VersionCache = current_app.extensions.setdefault(_IN_USE_KEY, VersionCache(IN_USE_CACHE_SIZE))

    def read() -> InUse | None:
        found, setting = active_in(db.get_session(), region)
        return InUse(found.name, found.version, setting) if found is not None else None

    return kept.get(versions.current().weights, region, read)


def weights_for(profile: YouthProfile) -> Weights | None:
    """The weights that score this youth, or None for the engine's defaults."""
    found = in_use(region_of(profile.municipality))
    return found.setting.engine_weights(found.label) if found is not None else None


def region_matcher(region: str | None) -> Matcher:
    """This request's matcher as `region` weighs things (the index shared, nothing refitted)."""
    matcher = current()[0]
    found = in_use(region)
    return matcher if found is None else found.setting.apply(matcher, found.label)


def youth_matcher(profile: YouthProfile) -> Matcher:
    """This request's matcher as the youth's region weighs things."""
    return region_matcher(region_of(profile.municipality))


# ---------------------------------------------------------------- matches and why

def match(matcher: Matcher, youth: Youth, k: int, lang: str) -> list[Match]:
    """`matcher.match(youth, k, lang=lang)`, kept across catalogue changes that cannot alter it when
    `matcher` shares this process's fitted index (any other matcher is simply asked)."""
    built, version = current()
    if not matcher.shares_index(built):
        return matcher.match(youth, k, lang=lang)
    key: Hashable = (matcher.settings_key, youth, k, lang, matcher.settings.today or dt.date.today())
    return list(kept_matches().get(matcher, version, key, youth, lambda: matcher.ranked(youth, k, lang=lang)))


def matches(profile: YouthProfile, k: int, lang: str, youth: Youth | None = None) -> list[Match]:
    """The youth's k best matches, as their region weighs things; `youth` is the profile as the
    engine reads it, when the caller has it already. Raises `matching.io.FieldError` if the
    profile cannot be read."""
    return match(youth_matcher(profile), youth if youth is not None else youth_from_row(profile), k, lang)


def why(profile: YouthProfile, opening_ref: str, lang: str) -> Explanation:
    """Why `opening_ref` suits the youth or not, scored as `matches` scores it.

    Raises `matching.io.FieldError` for a profile the engine cannot read, and KeyError for
    an opening the engine does not hold (not open, or not yet seen by this process)."""
    return youth_matcher(profile).explain(youth_from_row(profile), opening_ref, lang=lang)


def scores_among(profile: YouthProfile, refs: Iterable[str]) -> dict[str, float]:
    """The youth's score for each of `refs` the youth is eligible for (the others left out), scored as
    `matches` scores: one scoring of the youth, whatever the number of refs. Raises
    `matching.io.FieldError` for a profile the engine cannot read."""
    matcher = youth_matcher(profile)
    index = matcher.index
    wanted = {index.row_of(ref): ref for ref in refs if ref in index}
    if not wanted:
        return {}
    scored = matcher.score(youth_from_row(profile))
    keep = np.isin(scored.rows, np.fromiter(wanted, np.int64, len(wanted)))
    return {wanted[int(row)]: float(score) for row, score in zip(scored.rows[keep], scored.scores[keep])}


def rules_now(profile: YouthProfile, opening: Opening, lang: str) -> Explanation:
    """Whether the youth may take `opening` as the database holds it now (its places taken included),
    not as this process's matcher last saw it: what a decision that must hold reads. Only `eligible`
    and `blocks` are meant (the score of a one-opening index is not the youth's score).

    Raises `matching.io.FieldError` for a profile or opening row the engine cannot read."""
    shared = youth_matcher(profile)
    single = Matcher(shared.weights, diversity=shared.diversity, analyzer=shared.index.analyzer, lang=shared.lang,
                     today=shared.today).fit([opening_from_row(opening)])
    return single.explain(youth_from_row(profile), opening.ref, lang=lang)


def engine_opening(ref: str) -> EngineOpening:
    """The opening as this request's matcher holds it (titles without a query); KeyError if absent."""
    index = current()[0].index
    return index.opening(index.row_of(ref))


def suggest_themes(text: str) -> list[str]:
    """Themes the engine reads in a youth's free text, for the profile's suggestions."""
    return list(current()[0].index.theme_finder.suggest(text))
