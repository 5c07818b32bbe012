"""Outcomes of past matches: the file format, the furthest stage per pair, and a simulator.

A pair (youth, opening) moves through stages; when a file has several rows for one pair,
the furthest stage counts: completed > accepted > interested > dropped > declined > shown.
Interested, accepted and completed are positive (the youth wanted it); shown, declined and
dropped are negative. The simulator draws outcomes from known weights, so tests and
benchmarks can check that learning gets those weights back.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .io import RecordError, text_lines
from .matcher import Matcher
from .model import Youth
from .weights import Weights

OUTCOMES = ("shown", "declined", "dropped", "interested", "accepted", "completed")  # furthest last
FURTHEST = {o: i for i, o in enumerate(OUTCOMES)}
POSITIVE = frozenset({"interested", "accepted", "completed"})
GRADE = {"interested": 1, "accepted": 2, "completed": 3}  # relevance for nDCG; others 0
COLUMNS = ("youth_id", "opening_id", "outcome")


@dataclass(frozen=True)
class Outcome:
    """One row of an outcomes file."""

    youth_id: str
    opening_id: str
    outcome: str

    def __post_init__(self) -> None:
        if self.outcome not in FURTHEST:
            raise ValueError(f"unknown outcome {self.outcome!r}; expected one of: {', '.join(OUTCOMES)}")


def furthest(outcomes: Iterable[Outcome]) -> dict[tuple[str, str], str]:
    """The furthest outcome of each (youth_id, opening_id) pair, in first-seen pair order."""
    out: dict[tuple[str, str], str] = {}
    for o in outcomes:
        key = (o.youth_id, o.opening_id)
        if key not in out or FURTHEST[o.outcome] > FURTHEST[out[key]]:
            out[key] = o.outcome
    return out


def load_outcomes(path: str | Path, youth_ids: Iterable[str] | None = None,
                  opening_ids: Iterable[str] | None = None) -> list[Outcome]:
    """Rows of a CSV youth_id,opening_id,outcome; raises RecordError naming file, line, field.

    With `youth_ids` / `opening_ids`, an id outside them is an error too (a typo or an
    export from another catalogue would otherwise be learned from silently).
    """
    youths = None if youth_ids is None else set(youth_ids)
    openings = None if opening_ids is None else set(opening_ids)
    out: list[Outcome] = []
    with text_lines(path) as (lines, source):
        reader = csv.DictReader(lines)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise RecordError(source, 1, None, f"missing columns: {', '.join(missing)} "
                                               f"(expected the header {','.join(COLUMNS)})")
        for row in reader:
            line = reader.line_num
            if None in row:
                raise RecordError(source, line, None, "more cells than header columns")
            values = {c: (row[c] or "").strip() for c in COLUMNS}
            for name in COLUMNS:
                if not values[name]:
                    raise RecordError(source, line, name, "is required")
            outcome = values["outcome"].lower()
            if outcome not in FURTHEST:
                raise RecordError(source, line, "outcome",
                                  f"unknown outcome {values['outcome']!r}; expected one of: {', '.join(OUTCOMES)}")
            for name, known, what in (("youth_id", youths, "youth"), ("opening_id", openings, "opening")):
                if known is not None and values[name] not in known:
                    raise RecordError(source, line, name, f"unknown {what} id {values[name]!r}")
            out.append(Outcome(values["youth_id"], values["opening_id"], outcome))
    return out


def write_outcomes(outcomes: Iterable[Outcome], path: str | Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        writer.writerows((o.youth_id, o.opening_id, o.outcome) for o in outcomes)


def simulate(matcher: Matcher, youths: Sequence[Youth], weights: Weights, *, pairs_per_youth: int = 20,
             scale: float = 12.0, bias: float = -6.0, seed: int = 0) -> list[Outcome]:
    """Outcomes drawn with P(positive) = sigmoid(scale * (weights . components) + bias).

    Each youth is shown up to `pairs_per_youth` of their eligible openings at random, as a
    matcher would show them. A positive pair goes further the better it fits (completed
    with probability p^2, else accepted with p - p^2, else interested); a negative one is
    shown, declined or dropped alike, so the furthest-stage rule keeps P(positive) intact.
    """
    rng = np.random.default_rng(seed)
    w = weights.vector()
    out: list[Outcome] = []
    for youth in youths:
        s = matcher.score(youth)
        if len(s.rows) == 0:
            continue
        pick = rng.choice(len(s.rows), size=min(pairs_per_youth, len(s.rows)), replace=False)
        p = 1.0 / (1.0 + np.exp(-(scale * (w @ s.values[:, pick]) + bias)))
        u, v = rng.random(len(pick)), rng.random(len(pick))
        negative = rng.choice(["shown", "declined", "dropped"], size=len(pick))
        ids = matcher.index.ids(s.rows[pick])
        for oid, pi, ui, vi, neg in zip(ids, p, u, v, negative):
            outcome = str(neg) if ui >= pi else "completed" if vi < pi * pi else "accepted" if vi < pi else "interested"
            out.append(Outcome(youth.id, oid, outcome))
    return out
