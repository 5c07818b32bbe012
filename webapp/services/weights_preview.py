"""What a coordinator sees before saving weights: how lists change, and how well each setting
ranks what youths went on to do.

Previews and evaluations never write anything; they read only youths in the coordinator's
scope (`services.scope`). Relevance of an outcome (`relevance`) is the judgement
`matching.learn` uses, so the evaluation figures and the learned proposal speak of the
same thing.
"""
from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from sqlmodel import Session, col, select

from matching import Matcher, Weights
from matching.components import COMPONENTS
from matching.evaluate import evaluate
from matching.explain import Match
from matching.model import Youth
from matching.outcomes import GRADE, Outcome as EngineOutcome, furthest

from ..engine.convert import youths_from_rows
from ..engine.matches import Setting
from ..models import Opening, Outcome, User, YouthProfile
from . import scope

PREVIEW_K = 5  # matches per youth in the preview
PREVIEW_SAMPLE = 10  # youths shown in the preview
MIN_PREVIEW_YOUTHS = 10  # fewer in scope: no per-youth preview (too few to judge weights by)
EVAL_K = 10
MIN_EVAL_YOUTHS = 5  # youths with a relevant outcome needed before figures mean anything


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


def scope_outcomes(session: Session, user: User) -> list[tuple[str, str, str]]:
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
    for y, o, outcome in scope_outcomes(session, user):
        if allowed is None or o in allowed:
            stages.setdefault((y, o), []).append(outcome)
    out: dict[str, dict[str, int]] = {}
    for (y, o), seen in stages.items():
        out.setdefault(y, {})[o] = relevance(seen)
    return out


def engine_youths(profiles: Iterable[YouthProfile]) -> list[Youth]:
    return youths_from_rows(profiles).items  # a profile the engine cannot read is left out, never a crash


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
    youths = engine_youths(with_outcomes)
    return Evaluation(len(refs), True,
                      evaluate(before.apply(matcher), youths, judged, k=k),
                      evaluate(after.apply(matcher), youths, judged, k=k))


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
    old: list[Match] = before.apply(matcher).match(youth, k, lang=lang)
    new: list[Match] = after.apply(matcher).match(youth, k, lang=lang)
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
    for i, youth in enumerate(engine_youths(chosen), 1):
        out.append(YouthPreview(i, compare(matcher, youth, before, after, lang=lang), youth.id))
    refs = {r.opening_id for y in out for r in y.rows}
    titles = dict(session.exec(select(Opening.ref, Opening.title).where(col(Opening.ref).in_(refs))).all())
    return Preview(len(found), tuple(out), True, titles)
