"""How good are the matches? Ranking quality against judgements, and fairness of exposure.

nDCG@k, recall@k and MRR use graded judgements (0-3; unjudged counts as 0). Coverage,
the Gini of exposure and the number of openings matched at least once tell whether
the engine spreads young people over the catalogue or sends everyone to a few.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

import numpy as np

from .model import Youth

Qrels = Mapping[str, Mapping[str, int]]


class _Ranked(Protocol):
    @property
    def opening_id(self) -> str: ...


class _Listed(Protocol):
    @property
    def id(self) -> str: ...


class _Ranker(Protocol):
    """What evaluation reads of a matcher (a fitted Matcher is one)."""

    def match(self, youth: Youth, k: int = 10) -> Sequence[_Ranked]: ...

    @property
    def index(self) -> Iterable[_Listed]: ...


def dcg(gains: Sequence[float]) -> float:
    return float(sum((2.0**g - 1.0) / np.log2(i + 2.0) for i, g in enumerate(gains)))


def ndcg_at_k(ranked: Sequence[str], judged: Mapping[str, int], k: int) -> float:
    """Normalised discounted cumulative gain of a ranked list, with gain 2^rel - 1."""
    ideal = dcg(sorted(judged.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([judged.get(o, 0) for o in ranked[:k]]) / ideal


def recall_at_k(ranked: Sequence[str], judged: Mapping[str, int], k: int) -> float:
    relevant = {o for o, r in judged.items() if r > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: Sequence[str], judged: Mapping[str, int]) -> float:
    for i, o in enumerate(ranked, 1):
        if judged.get(o, 0) > 0:
            return 1.0 / i
    return 0.0


def gini(counts: Sequence[float]) -> float:
    """Gini coefficient of exposure: 0 = every opening shown equally, near 1 = a few take all."""
    x = np.sort(np.asarray(counts, dtype=float))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return 0.0
    return float((2.0 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))


def ranking_metrics(rankings: Mapping[str, Sequence[str]], qrels: Qrels, k: int) -> dict[str, float]:
    """Mean nDCG@k, recall@k and MRR over youths that have at least one relevant judgement."""
    judged = [y for y in rankings if any(r > 0 for r in qrels.get(y, {}).values())]
    if not judged:
        return {f"ndcg@{k}": 0.0, f"recall@{k}": 0.0, "mrr": 0.0, "judged_youths": 0}
    return {
        f"ndcg@{k}": float(np.mean([ndcg_at_k(rankings[y], qrels[y], k) for y in judged])),
        f"recall@{k}": float(np.mean([recall_at_k(rankings[y], qrels[y], k) for y in judged])),
        "mrr": float(np.mean([reciprocal_rank(rankings[y], qrels[y]) for y in judged])),
        "judged_youths": len(judged),
    }


def exposure_metrics(rankings: Mapping[str, Sequence[str]], catalogue: Iterable[str]) -> dict[str, float]:
    """Catalogue coverage, Gini of exposure and openings shown to at least one youth."""
    shown = Counter(o for ranked in rankings.values() for o in ranked)
    ids = list(catalogue)
    counts = [shown.get(o, 0) for o in ids]
    matched = sum(c > 0 for c in counts)
    return {
        "coverage": matched / len(ids) if ids else 0.0,
        "gini_exposure": gini(counts),
        "openings_matched": matched,
        "openings": len(ids),
    }


def evaluate(matcher: _Ranker, youths: Iterable[Youth], qrels: Qrels, k: int = 10,
             progress: Callable[[int], None] | None = None) -> dict[str, float]:
    """Runs the matcher for every youth and reports ranking quality and exposure.

    Quality is averaged over the youths that have relevance judgements; exposure is
    measured over all youths given, against every opening in the matcher's index.
    """
    rankings: dict[str, list[str]] = {}
    for i, youth in enumerate(youths, 1):
        rankings[youth.id] = [m.opening_id for m in matcher.match(youth, k=k)]
        if progress:
            progress(i)
    catalogue = [o.id for o in matcher.index]
    return {"k": k, "youths": len(rankings), **ranking_metrics(rankings, qrels, k),
            **exposure_metrics(rankings, catalogue)}
