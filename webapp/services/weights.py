"""Weight profiles of the coordinators' regions: versions, activation, preview, evaluation, learning.

The rules, kept here and nowhere else:
- A profile is every `WeightProfile` row with one name; each row is one version. Saving
  never edits a row: it adds version n+1 (n = the newest version of that name).
- One active version per region (`activate` turns the others off in the same
  transaction); the active version of the youth's region scores the youth's matches,
  else the active one without a region, else the engine's defaults (`weights_for`).
- "Restore this version" re-activates that old version (the history stays as it was;
  to edit from an old version, open it and save, which makes a new version).
- Every save, activation, restore and adoption is logged with `audit.record`, holding
  the state before and after, in the same transaction.
- Previews and evaluations never write anything; they read only youths in the
  coordinator's scope (`webapp.scope`).
- Relevance of an outcome (`relevance`) is the judgement `matching.learn` uses, so the
  evaluation figures and the learned proposal speak of the same thing.
"""
from __future__ import annotations

import copy
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from matching import Matcher, Weights, geo
from matching.components import COMPONENTS
from matching.evaluate import evaluate
from matching.explain import Match
from matching.io import FieldError
from matching.model import Youth
from matching.outcomes import GRADE, Outcome as EngineOutcome, furthest
from matching.weights import DEFAULT

from . import audit, scope
from ..engine import versions as versioned
from ..engine.convert import youth_from_row
from ..models import AuditEntry, Opening, Outcome, User, WeightProfile, YouthProfile, bump_weights
from ..engine.versions import VersionCache

DEFAULT_DIVERSITY = 0.2  # Matcher's own default
MAX_DIVERSITY = 0.9  # the engine needs < 1; above this the list is all variety and no fit
PREVIEW_K = 5  # matches per youth in the preview
PREVIEW_SAMPLE = 10  # youths shown in the preview
MIN_PREVIEW_YOUTHS = 10  # fewer in scope: no per-youth preview (too few to judge weights by)
EVAL_K = 10
MIN_EVAL_YOUTHS = 5  # youths with a relevant outcome needed before figures mean anything
MIN_LEARN_PAIRS = 20  # (youth, opening) pairs with an outcome needed to learn from
MIN_LEARN_YOUTHS = 4  # learn holds whole youths out: a few on each side
SUBJECT = "weightprofile"
_IN_USE_KEY = "polku.weights_in_use"


class ProfileConflict(Exception):
    """The change cannot be made as asked (a name in use, a concurrent save); nothing was saved."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# ---------------------------------------------------------------- what a profile holds

@dataclass(frozen=True)
class Setting:
    """Weights and diversity: what a version holds and what the sliders show."""

    weights: dict[str, float]
    diversity: float = DEFAULT_DIVERSITY

    @classmethod
    def default(cls) -> "Setting":
        return cls(dict(DEFAULT), DEFAULT_DIVERSITY)

    @classmethod
    def of(cls, profile: WeightProfile) -> "Setting":
        return cls({c: float(profile.weights.get(c, 0.0)) for c in COMPONENTS}, float(profile.diversity))

    def engine_weights(self, name: str = "custom") -> Weights:
        """`matching.Weights`; raises ValueError for negative or all-zero values."""
        return Weights(dict(self.weights), name)

    def to_dict(self) -> dict[str, Any]:
        return {"weights": dict(self.weights), "diversity": self.diversity}


def region_of(municipality: str | None) -> str | None:
    """The region (maakunta) of a municipality name, or None if it is not one."""
    if not municipality:
        return None
    try:
        return geo.municipality(municipality).region
    except geo.UnknownPlace:
        return None


def _version_facts(profile: WeightProfile | None) -> dict[str, Any] | None:
    if profile is None:
        return None
    return {"id": profile.id, "name": profile.name, "version": profile.version, **Setting.of(profile).to_dict()}


# ---------------------------------------------------------------- reading profiles

def profiles_of_region(session: Session, region: str) -> list[WeightProfile]:
    """Every version of every profile of `region`, by name then newest version first."""
    return list(session.exec(select(WeightProfile).where(WeightProfile.region == region)
                             .order_by(col(WeightProfile.name), col(WeightProfile.version).desc())))


def versions(session: Session, profile: WeightProfile) -> list[WeightProfile]:
    """Every version of `profile`'s name, newest first."""
    return list(session.exec(select(WeightProfile).where(WeightProfile.name == profile.name)
                             .order_by(col(WeightProfile.version).desc())))


def get_for(session: Session, user: User, profile_id: int) -> WeightProfile | None:
    """The version with this id if it belongs to `user`'s region, else None (the same for absent ones)."""
    profile = session.get(WeightProfile, profile_id)
    if profile is None or not user.region or profile.region != user.region:
        return None
    return profile


def active_profile(session: Session, region: str | None) -> WeightProfile | None:
    """The active version of `region` (None: the one for regions without their own)."""
    where = WeightProfile.region == region if region is not None else col(WeightProfile.region).is_(None)
    return session.exec(select(WeightProfile).where(where, col(WeightProfile.active).is_(True))
                        .order_by(col(WeightProfile.id).desc())).first()


def in_use(session: Session, region: str | None) -> tuple[WeightProfile | None, Setting]:
    """The version that scores `region`'s youths (its own, else the general one) and its setting.

    One query for both candidates: this runs on every page that matches."""
    own = WeightProfile.region == region if region else sa.false()
    candidates = session.exec(select(WeightProfile).where(
        col(WeightProfile.active).is_(True), sa.or_(own, col(WeightProfile.region).is_(None)))
        .order_by(col(WeightProfile.id).desc())).all()
    found = next((p for p in candidates if p.region is not None), None) or next(iter(candidates), None)
    return found, (Setting.of(found) if found is not None else Setting.default())


def weights_for(session: Session, profile: YouthProfile) -> Weights | None:
    """The weights that score this youth: their region's active version, else the general active
    one, else None (the engine's defaults)."""
    found = _active_for_youth(session, profile)
    return found.setting.engine_weights(found.label) if found is not None else None


def matcher_for(session: Session, profile: YouthProfile, matcher: Matcher) -> Matcher:
    """`matcher` itself, or a light copy scoring with the youth's region's weights and diversity.

    The copy shares the fitted index; only the weights and the diversity differ, so
    `match` and `explain` both follow the region's profile."""
    found = _active_for_youth(session, profile)
    return matcher if found is None else with_setting(matcher, found.setting, found.label)


def region_matcher(session: Session, region: str | None, matcher: Matcher) -> Matcher:
    """`matcher` as `region`'s active weight profile (or the general one) weighs things."""
    found, setting = in_use(session, region)
    return matcher if found is None else with_setting(matcher, setting, f"{found.name} v{found.version}")


def youth_matcher(profile: YouthProfile) -> Matcher:
    """The process's matcher as this youth's region weighs things: what every youth-facing page uses."""
    from .. import db
    from ..engine.matcher import get_matcher

    return matcher_for(db.get_session(), profile, get_matcher())


def youth_matches(profile: YouthProfile, youth: Youth, k: int, lang: str) -> list[Match]:
    """The youth's k best matches as their region weighs things (`youth_matcher`), remembered by
    the process until the catalogue, the weights or the profile change (`engine.match`)."""
    from ..engine.matcher import match

    return match(youth_matcher(profile), youth, k, lang)


@dataclass(frozen=True)
class InUse:
    """The version that scores a region's youths, as the engine needs it; kept per process."""

    name: str
    version: int
    setting: Setting

    @property
    def label(self) -> str:
        return f"{self.name} v{self.version}"


IN_USE_CACHE_SIZE = 64  # regions (19, and None) kept per weights version


def _active_for_youth(session: Session, profile: YouthProfile) -> InUse | None:
    """The weights in use for the youth's region, read once per process and weights version
    (every change to weight profiles raises it, see `models.bump_weights`)."""
    region = region_of(profile.municipality)
    kept: VersionCache = current_app.extensions.setdefault(_IN_USE_KEY, VersionCache(IN_USE_CACHE_SIZE))
    return kept.get(versioned.current().weights, region, lambda: _in_use(session, region))


def _in_use(session: Session, region: str | None) -> InUse | None:
    found, setting = in_use(session, region)
    return InUse(found.name, found.version, setting) if found is not None else None


def with_setting(matcher: Matcher, setting: Setting, name: str = "custom") -> Matcher:
    """A shallow copy of a fitted matcher with other weights and diversity (the index is shared)."""
    other = copy.copy(matcher)
    other.weights = setting.engine_weights(name)
    other.diversity = setting.diversity
    return other


# ---------------------------------------------------------------- changing profiles

def create(session: Session, user: User, name: str) -> WeightProfile:
    """Version 1 of a new profile of `user`'s region, from the engine's defaults; committed."""
    taken = session.exec(select(WeightProfile.id).where(WeightProfile.name == name)).first()
    if taken is not None:
        raise ProfileConflict("name_taken")
    setting = Setting.default()
    profile = WeightProfile(name=name, region=user.region, version=1, weights=setting.weights,
                            diversity=setting.diversity, note="", created_by=user.id)
    session.add(profile)
    session.flush()
    audit.record(session, user, "weights.create", f"{SUBJECT}:{profile.id}", region=user.region,
                 before=None, after=_version_facts(profile))
    _commit(session)
    return profile


def save(session: Session, user: User, base: WeightProfile, setting: Setting, note: str = "",
         *, action: str = "weights.save", **details: Any) -> WeightProfile:
    """A new version n+1 of `base`'s profile holding `setting`; the old versions stay; committed."""
    setting.engine_weights()  # raises ValueError for weights the engine refuses
    newest = session.exec(select(sa.func.max(WeightProfile.version)).where(WeightProfile.name == base.name)).one()
    profile = WeightProfile(name=base.name, region=base.region, version=(newest or 0) + 1,
                            weights=dict(setting.weights), diversity=setting.diversity, note=note.strip(),
                            created_by=user.id)
    session.add(profile)
    session.flush()
    audit.record(session, user, action, f"{SUBJECT}:{profile.id}", region=base.region,
                 before=_version_facts(base), after=_version_facts(profile), **details)
    _commit(session)
    return profile


def activate(session: Session, user: User, profile: WeightProfile, *, action: str = "weights.activate") -> None:
    """Makes `profile` the one active version of its region; committed with its audit entry."""
    # Lock the region's versions first, so two activations at once end with one active.
    session.exec(select(WeightProfile.id).where(WeightProfile.region == profile.region).with_for_update()).all()
    before = _version_facts(active_profile(session, profile.region))
    table = WeightProfile.__table__  # type: ignore[attr-defined]
    session.connection().execute(sa.update(table).where(table.c.region == profile.region, table.c.active.is_(True))
                                 .values(active=False))
    bump_weights(session)  # the bulk update bypasses the session's own bump (models._versions_changed)
    session.expire_all()
    profile = session.get(WeightProfile, profile.id)  # type: ignore[assignment]
    profile.active = True
    session.add(profile)
    audit.record(session, user, action, f"{SUBJECT}:{profile.id}", region=profile.region,
                 before=before, after=_version_facts(profile))
    _commit(session)


def restore(session: Session, user: User, profile: WeightProfile) -> None:
    """Goes back to an old version by re-activating it (logged as a restore)."""
    activate(session, user, profile, action="weights.restore")


def _commit(session: Session) -> None:
    try:
        session.commit()
    except IntegrityError:  # the same name or version saved by someone else just now
        session.rollback()
        raise ProfileConflict("concurrent") from None


def history(session: Session, profiles: Iterable[WeightProfile], limit: int = 50) -> list[tuple[AuditEntry, str]]:
    """Audit entries of these versions, newest first, each with who made it."""
    subjects = [f"{SUBJECT}:{p.id}" for p in profiles]
    rows = session.exec(select(AuditEntry, User.name, User.email)
                        .join(User, col(AuditEntry.user_id) == User.id, isouter=True)
                        .where(col(AuditEntry.subject).in_(subjects))
                        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(limit))
    return [(entry, name or email or "") for entry, name, email in rows]


# ---------------------------------------------------------------- judgements from outcomes

def relevance(outcomes: Iterable[str]) -> int:
    """How relevant an opening proved for a youth, from the outcomes recorded for the pair.

    The furthest stage counts (completed > accepted > interested > dropped > declined > shown,
    as in `matching.outcomes`): completed 3, accepted 2, interested 1, anything else 0.
    The same grades `matching.learn` ranks by, so evaluation and learning agree.
    """
    stages = list(outcomes)
    if not stages:
        return 0
    return GRADE.get(furthest(EngineOutcome("y", "o", s) for s in stages)[("y", "o")], 0)


def _scope_outcomes(session: Session, user: User) -> list[tuple[str, str, str]]:
    """(youth ref, opening ref, outcome) of every recorded outcome of youths in `user`'s scope."""
    rows = session.exec(
        select(YouthProfile.ref, Opening.ref, Outcome.outcome)
        .join(YouthProfile, col(Outcome.youth_id) == YouthProfile.id)
        .join(Opening, col(Outcome.opening_id) == Opening.id)
        .where(col(Outcome.youth_id).in_(scope.youth_ids(user)))
        .order_by(col(Outcome.id)))
    return [(y, o, getattr(kind, "value", kind)) for y, o, kind in rows]


def qrels(session: Session, user: User, known: Iterable[str] | None = None) -> dict[str, dict[str, int]]:
    """youth ref -> opening ref -> `relevance`, for youths in scope (openings in `known` only)."""
    allowed = None if known is None else set(known)
    stages: dict[tuple[str, str], list[str]] = {}
    for y, o, outcome in _scope_outcomes(session, user):
        if allowed is None or o in allowed:
            stages.setdefault((y, o), []).append(outcome)
    out: dict[str, dict[str, int]] = {}
    for (y, o), seen in stages.items():
        out.setdefault(y, {})[o] = relevance(seen)
    return out


def _engine_youths(profiles: Iterable[YouthProfile]) -> list[Youth]:
    out = []
    for p in profiles:
        try:
            out.append(youth_from_row(p))
        except FieldError:  # a profile the engine cannot read is left out, never a crash
            continue
    return out


@dataclass(frozen=True)
class Evaluation:
    """Ranking quality of two settings against the outcomes of the youths in scope."""

    judged_youths: int
    enough: bool
    before: dict[str, float] = field(default_factory=dict)
    after: dict[str, float] = field(default_factory=dict)


def evaluation(session: Session, user: User, matcher: Matcher, before: Setting, after: Setting,
               k: int = EVAL_K) -> Evaluation:
    """`matching.evaluate` of both settings over the youths in scope that have any outcome."""
    judged = qrels(session, user, known=(o.id for o in matcher.index))
    refs = [y for y, pairs in judged.items() if any(r > 0 for r in pairs.values())]
    if len(refs) < MIN_EVAL_YOUTHS:
        return Evaluation(len(refs), False)
    with_outcomes = [p for p in scope.profiles(session, user) if p.ref in judged]
    youths = _engine_youths(with_outcomes)
    return Evaluation(len(refs), True,
                      evaluate(with_setting(matcher, before), youths, judged, k=k),
                      evaluate(with_setting(matcher, after), youths, judged, k=k))


# ---------------------------------------------------------------- the preview

@dataclass(frozen=True)
class Change:
    """Why an opening moved: a component and how much its contribution changed."""

    component: str
    delta: float
    text: str


@dataclass(frozen=True)
class Row:
    """One opening in a youth's before/after lists."""

    opening_id: str
    before: int | None  # rank (1 = first), None = not in the list
    after: int | None
    changes: tuple[Change, ...]

    @property
    def movement(self) -> str:
        if self.before is None:
            return "in"
        if self.after is None:
            return "out"
        return "up" if self.after < self.before else "down" if self.after > self.before else "same"


@dataclass(frozen=True)
class YouthPreview:
    label: int  # "young person 1", "2", ...: the preview needs no names
    rows: tuple[Row, ...]
    youth_ref: str = ""  # not shown on the page

    @property
    def changed(self) -> bool:
        return any(r.movement != "same" for r in self.rows)


@dataclass(frozen=True)
class Preview:
    in_scope: int
    youths: tuple[YouthPreview, ...]
    enough: bool
    titles: dict[str, str]


def _why(matcher: Matcher, youth: Youth, ids: list[str], before: Weights, after: Weights,
         texts: Mapping[str, Mapping[str, str]], neutral: frozenset[str]) -> dict[str, tuple[Change, ...]]:
    """The components whose contribution changed most for each opening (largest first, up to 3).

    Components neutral for this youth are left out: they change every opening alike, so
    they move none."""
    if not ids:
        return {}
    values = matcher.component_values(youth, ids)  # the same values whatever the weights
    delta = (after.vector() - before.vector())[:, None] * values
    delta[[i for i, c in enumerate(COMPONENTS) if c in neutral]] = 0.0
    out = {}
    for j, oid in enumerate(ids):
        order = np.argsort(-np.abs(delta[:, j]), kind="stable")
        out[oid] = tuple(Change(COMPONENTS[i], float(delta[i, j]), texts.get(oid, {}).get(COMPONENTS[i], ""))
                         for i in order[:3] if abs(delta[i, j]) >= 0.005)
    return out


def compare(matcher: Matcher, youth: Youth, before: Setting, after: Setting, k: int = PREVIEW_K,
            lang: str = "fi") -> tuple[Row, ...]:
    """The youth's top k under both settings: every opening in either list, in the new order."""
    old: list[Match] = with_setting(matcher, before).match(youth, k, lang=lang)
    new: list[Match] = with_setting(matcher, after).match(youth, k, lang=lang)
    rank_old = {m.opening_id: i for i, m in enumerate(old, 1)}
    rank_new = {m.opening_id: i for i, m in enumerate(new, 1)}
    texts: dict[str, dict[str, str]] = {}
    for m in (*old, *new):  # a component weighed 0 on one side has its text on the other
        texts.setdefault(m.opening_id, {}).update({r.component: r.text for r in m.reasons})
    neutral = frozenset(r.component for m in (*old, *new) for r in m.reasons if r.neutral)
    ids = [m.opening_id for m in new] + [m.opening_id for m in old if m.opening_id not in rank_new]
    why = _why(matcher, youth, ids, before.engine_weights(), after.engine_weights(), texts, neutral)
    return tuple(Row(o, rank_old.get(o), rank_new.get(o), why[o]) for o in ids)


def preview(session: Session, user: User, matcher: Matcher, before: Setting, after: Setting,
            lang: str = "fi", sample: int = PREVIEW_SAMPLE) -> Preview:
    """Before/after lists for a fixed sample of youths in `user`'s scope; nothing is written.

    With fewer than `MIN_PREVIEW_YOUTHS` in scope it shows no youth at all: a handful of
    lists says little about weights, and says a lot about those few people.
    """
    found = scope.profiles(session, user)
    if len(found) < MIN_PREVIEW_YOUTHS:
        return Preview(len(found), (), False, {})
    chosen = sorted(random.Random(0).sample(found, min(sample, len(found))), key=lambda p: p.id or 0)
    out = []
    for i, youth in enumerate(_engine_youths(chosen), 1):
        out.append(YouthPreview(i, compare(matcher, youth, before, after, lang=lang), youth.id))
    refs = {r.opening_id for y in out for r in y.rows}
    titles = dict(session.exec(select(Opening.ref, Opening.title).where(col(Opening.ref).in_(refs))).all())
    return Preview(len(found), tuple(out), True, titles)


# ---------------------------------------------------------------- learning from outcomes

def learn_counts(session: Session, user: User) -> tuple[int, int]:
    """(pairs, youths) with an outcome in `user`'s scope: enough to learn from?"""
    pairs = {(y, o) for y, o, _ in _scope_outcomes(session, user)}
    return len(pairs), len({y for y, _ in pairs})


def enough_to_learn(session: Session, user: User) -> bool:
    pairs, youths = learn_counts(session, user)
    return pairs >= MIN_LEARN_PAIRS and youths >= MIN_LEARN_YOUTHS


def learn_proposal(session: Session, user: User, matcher: Matcher, current: Setting,
                   report: Any = None) -> dict[str, Any]:
    """Runs `matching.learn` on the outcomes in scope against `current`; a JSON-able result.

    {"ok": True, "weights": {...}, "diversity": d, "report": LearnReport.to_dict()} or
    {"ok": False, "reason": "too_few" | "cannot_learn"}.
    """
    from matching.learn import learn

    step = report or (lambda fraction, message="": None)
    step(0.1, "outcomes")
    known = {o.id for o in matcher.index}
    rows = [EngineOutcome(y, o, kind) for y, o, kind in _scope_outcomes(session, user) if o in known]
    pairs = furthest(rows)
    if len(pairs) < MIN_LEARN_PAIRS or len({y for y, _ in pairs}) < MIN_LEARN_YOUTHS:
        return {"ok": False, "reason": "too_few"}
    refs = {y for y, _ in pairs}
    youths = _engine_youths(p for p in scope.profiles(session, user) if p.ref in refs)
    readable = {y.id for y in youths}
    rows = [r for r in rows if r.youth_id in readable]
    step(0.4, "learning")
    try:
        found = learn(rows, youths, list(matcher.index), with_setting(matcher, current), k=EVAL_K)
    except ValueError:  # all positive, all negative, or nothing predicts them
        return {"ok": False, "reason": "cannot_learn"}
    step(0.9, "done")
    return {"ok": True, "weights": found.weights.normalised(), "diversity": current.diversity,
            "report": found.to_dict()}
