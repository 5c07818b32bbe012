"""Weights learned from what youths went on to do: a proposal a coordinator adopts or leaves.

`matching.learn` fits the weights on the outcomes of the youths in the coordinator's
scope, graded as `weights_preview.relevance` grades them; it runs as a background job
(`services.jobs`) and writes nothing: adopting the proposal saves it as a new version.
"""
from __future__ import annotations

from typing import Any

from sqlmodel import Session

from matching import Matcher
from matching.outcomes import Outcome as EngineOutcome, furthest

from ..engine.matches import Setting
from ..models import User
from . import scope
from .weights_preview import EVAL_K, engine_youths, scope_outcomes

MIN_LEARN_PAIRS = 20  # (youth, opening) pairs with an outcome needed to learn from
MIN_LEARN_YOUTHS = 4  # learn holds whole youths out: a few on each side


def learn_counts(session: Session, user: User) -> tuple[int, int]:
    """(pairs, youths) with an outcome in `user`'s scope: enough to learn from?"""
    pairs = {(y, o) for y, o, _ in scope_outcomes(session, user)}
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
    rows = [EngineOutcome(y, o, kind) for y, o, kind in scope_outcomes(session, user) if o in known]
    pairs = furthest(rows)
    if len(pairs) < MIN_LEARN_PAIRS or len({y for y, _ in pairs}) < MIN_LEARN_YOUTHS:
        return {"ok": False, "reason": "too_few"}
    refs = {y for y, _ in pairs}
    youths = engine_youths(p for p in scope.profiles(session, user) if p.ref in refs)
    readable = {y.id for y in youths}
    rows = [r for r in rows if r.youth_id in readable]
    step(0.4, "learning")
    try:
        found = learn(rows, youths, list(matcher.index), current.apply(matcher), k=EVAL_K)
    except ValueError:  # all positive, all negative, or nothing predicts them
        return {"ok": False, "reason": "cannot_learn"}
    step(0.9, "done")
    return {"ok": True, "weights": found.weights.normalised(), "diversity": current.diversity,
            "report": found.to_dict()}
