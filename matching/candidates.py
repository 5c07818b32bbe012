"""A cohort's candidate edges: each youth's best few kept exactly, every other one as a bound.

Every eligible (youth, opening) pair is a candidate, but keeping them all does not scale:
50,000 youths against 5,000 openings are 158 million pairs (11.5 GB as arrays). Each
youth is scored once, in order; what stays is

- its `keep` best edges, exact (score, and rank among its own edges: 0 = its best);
- one byte for every other eligible edge, an upper bound of its score in `LEVELS` steps
  of [0, 1], in a youths x openings matrix (250 MB at 50,000 x 5,000), and the highest
  level of each youth's row; over `BOUND_BYTES` only that highest level is kept, and every
  youth whose highest level beats the lowest price is scored again (slower, same answer);
- first come, first served greedy, taken in the same pass, as the baseline to beat.

The solver (`assignment.solve`) compares the bounds with its dual prices, and for the few
youths the bounds cannot clear asks for their exact edges (`exact` scores them again).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

LEVELS = 254  # bound steps over [0, 1]: level q (1..255) says score < q / LEVELS
BOUND_BYTES = 1 << 30  # the largest bound matrix kept
CHUNK = 1024  # youths per block when checking bounds or scoring again

# youth position -> (opening positions, scores) of every edge it is eligible for, any order
Scorer = Callable[[int], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Edges:
    """(youth, opening) pairs with their scores and each one's rank among its youth's edges."""

    youth: np.ndarray  # int64 youth positions
    col: np.ndarray  # int64 opening positions
    score: np.ndarray  # float64
    rank: np.ndarray  # int64; 0 = the youth's best, ties in opening order

    @classmethod
    def join(cls, parts: list[Edges]) -> Edges:
        if not parts:
            return cls(*(np.zeros(0, t) for t in (np.int64, np.int64, np.float64, np.int64)))
        return cls(*(np.concatenate(a) for a in zip(*((p.youth, p.col, p.score, p.rank) for p in parts))))

    def take(self, which: np.ndarray) -> Edges:
        return Edges(self.youth[which], self.col[which], self.score[which], self.rank[which])

    def __len__(self) -> int:
        return len(self.youth)


def best_first(cols: np.ndarray, scores: np.ndarray, limit: int | None = None) -> np.ndarray:
    """Positions of the `limit` best edges (all: None), best first, ties in opening order."""
    if limit is not None and len(cols) > limit:
        top = np.argpartition(-scores, limit - 1)[:limit]
        pool = np.flatnonzero(scores >= scores[top].min())  # every tie at the cut, to cut by opening
        return pool[np.lexsort((cols[pool], -scores[pool]))][:limit]
    return np.lexsort((cols, -scores))


def levels(scores: np.ndarray) -> np.ndarray:
    """Upper-bound levels 1..255: floor(s * LEVELS) + 1 > s * LEVELS whatever the rounding."""
    return np.clip(np.floor(scores * LEVELS) + 1, 1, 255).astype(np.uint8)


class Candidates:
    """The kept edges, the bounds of the rest, eligibility counts and the greedy baseline."""

    def __init__(self, n: int, places: np.ndarray, scorer: Scorer, keep: int,
                 progress: Callable[[int], None] | None = None) -> None:
        if keep < 1:
            raise ValueError(f"keep must be at least 1, got {keep!r}")
        self.n, self.m, self.keep = n, len(places), keep
        self._scorer = scorer
        self.degree = np.zeros(n, np.int64)  # eligible edges per youth
        self.greedy = np.full(n, -1, np.int64)  # opening position per youth, first come first served
        self.greedy_score = np.zeros(n)
        self.bound: np.ndarray | None = (np.zeros((n, self.m), np.uint8) if n * self.m <= BOUND_BYTES else None)
        self.top_level = np.zeros(n, np.uint8)  # the highest bound level in each youth's row (0: none)
        self.rescored = 0  # youths scored again for the certificate (a figure for benchmarks)
        self._collect(places, progress)

    def _collect(self, places: np.ndarray, progress: Callable[[int], None] | None) -> None:
        left = places.copy()
        parts = []
        for i in range(self.n):
            cols, scores = self._scorer(i)
            self.degree[i] = len(cols)
            if len(cols):
                free = left[cols] > 0
                if free.any():  # greedy: the best opening with a place left, ties in opening order
                    s = np.where(free, scores, -np.inf)
                    j = int(cols[s == s.max()].min())
                    self.greedy[i], self.greedy_score[i] = j, float(s.max())
                    left[j] -= 1
                top = best_first(cols, scores, self.keep)
                parts.append(Edges(np.full(len(top), i, np.int64), cols[top], scores[top], np.arange(len(top))))
                if len(cols) > len(top):
                    self.top_level[i] = levels(scores[top[-1:]])[0]  # no pruned edge scores above the kept
                    if self.bound is not None:
                        row = self.bound[i]
                        row[cols] = levels(scores)
                        row[cols[top]] = 0
            if progress:
                progress(i + 1)
        self.kept = Edges.join(parts)

    def suspects(self, ceiling: np.ndarray, u: np.ndarray, v: np.ndarray) -> Iterator[np.ndarray]:
        """Blocks of youths whose bounded edges might break u_i + v_j >= w_ij.

        `ceiling[q]` is the largest weight an edge of bound level q can have (q = 0: no
        such edge, so below anything). A youth not yielded has no edge that can.
        """
        # only a youth whose highest level beats the lowest price can have such an edge
        rows = np.flatnonzero(ceiling[self.top_level] - (v.min() if self.m else 0) > u)
        if self.bound is None:
            yield from np.array_split(rows, max(1, -(-len(rows) // CHUNK)))
            return
        for start in range(0, len(rows), CHUNK):
            some = rows[start:start + CHUNK]
            worst = (ceiling[self.bound[some]] - v).max(axis=1)
            flagged = some[worst > u[some]]
            if len(flagged):
                yield flagged

    def exact(self, youths: np.ndarray) -> Edges:
        """Every edge of these youths not kept yet, exact, with its rank (scored again)."""
        parts = []
        for i in youths.tolist():
            cols, scores = self._scorer(i)
            order = best_first(cols, scores)
            parts.append(Edges(np.full(len(order), i, np.int64), cols[order], scores[order], np.arange(len(order))))
        self.rescored += len(youths)
        found = Edges.join(parts)
        if self.bound is not None:  # a pruned edge has a level; a kept one has none
            return found.take(self.bound[found.youth, found.col] > 0)
        keys = np.sort(self.kept.youth * self.m + self.kept.col)
        mine = found.youth * self.m + found.col
        at = np.minimum(np.searchsorted(keys, mine), len(keys) - 1)
        return found.take(keys[at] != mine)

    def add(self, edges: Edges) -> None:
        """Keeps these edges exactly from now on (they leave the bounds)."""
        self.kept = Edges.join([self.kept, edges])
        if self.bound is not None:
            self.bound[edges.youth, edges.col] = 0

    def chosen(self, assign: np.ndarray) -> Edges:
        """The kept edge of each placed youth, in youth order."""
        key = self.kept.youth * self.m + self.kept.col
        placed = np.flatnonzero(assign >= 0)
        order = np.argsort(key)
        at = order[np.searchsorted(key, placed * self.m + assign[placed], sorter=order)]
        return self.kept.take(at)
