"""Cohort allocation: each youth gets at most one opening, within places and the hard rules.

The objective is lexicographic and solved exactly:

1. as many youths placed as possible;
2. with ``top_choices=n`` only: as many as possible placed at one of their own n best
   eligible openings (a wider choice is used only where it places someone who would
   otherwise be left out; see `allocate`);
3. the largest total fit (sum of scores).

Scores become integer weights ``w = B + P*[top choice] + round(score * 2**q)``, B and P
larger than anything the levels below can add up to, so one weighted matching carries all
three levels and every sum stays exact in float64 (q = 32 bits, or 24 with top_choices
for 5,000 youths; fewer for huge cohorts, so fit is optimal to ~n * 2**-q). Each opening is one row per remaining
place ("slot"), each youth a column, and each slot has its own "left empty" column, so a
full matching always exists; scipy's `min_weight_full_bipartite_matching` (LAPJVsp)
solves it. For speed the first solve sees only each youth's best `PRUNE` edges; LP
duality then checks the answer against every candidate edge (opening prices are shortest
paths in the exchange graph of the openings), adds any edge the check flags and solves
again, so the result is optimal over all candidate edges, not just the pruned ones.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from .matcher import Matcher
from .model import Opening, Youth

PRUNE = 20  # edges per youth in the first solve; the optimality check adds what is missing
MAX_ROUNDS = 12  # after that, solve once on every candidate edge
NO_ELIGIBLE, ALL_FULL = "no_eligible_opening", "all_eligible_full"
NO_ASSOCIATION = "(no association)"  # fill key of openings that name none
_INF = np.int64(1) << 62


@dataclass(frozen=True)
class Allocation:
    """Who goes where, who is left out and why, and how it compares with first-come greedy."""

    assignments: list[tuple[str, str, float]]  # (youth_id, opening_id, score), in youth order
    unplaced: list[tuple[str, str]]  # (youth_id, reason)
    fill: dict[str, tuple[int, int]]  # association -> (offered, filled); no capacity offers one per youth
    total_score: float
    placed: int
    greedy_placed: int
    greedy_total_score: float
    top_choices: int | None = None
    top_choice_placed: int = 0  # placed at one of their own top_choices best

    @property
    def gain_placed(self) -> int:
        return self.placed - self.greedy_placed

    @property
    def gain_score(self) -> float:
        return self.total_score - self.greedy_total_score

    def to_dict(self) -> dict[str, object]:
        """The CLI shape: assignments, unplaced and a summary."""
        offered = sum(o for o, _ in self.fill.values())
        summary: dict[str, object] = {
            "youths": self.placed + len(self.unplaced), "placed": self.placed,
            "unplaced": len(self.unplaced), "places_offered": offered,
            "total_score": round(self.total_score, 6),
            "greedy": {"placed": self.greedy_placed, "total_score": round(self.greedy_total_score, 6)},
            "gain": {"placed": self.gain_placed, "total_score": round(self.gain_score, 6)},
            "unplaced_reasons": {r: sum(x == r for _, x in self.unplaced) for r in (NO_ELIGIBLE, ALL_FULL)},
            "fill": {a: {"offered": o, "filled": f} for a, (o, f) in sorted(self.fill.items())},
        }
        if self.top_choices is not None:
            summary.update(top_choices=self.top_choices, top_choice_placed=self.top_choice_placed)
        return {
            "assignments": [{"youth_id": y, "opening_id": o, "score": round(s, 6)} for y, o, s in self.assignments],
            "unplaced": [{"youth_id": y, "reason": r} for y, r in self.unplaced],
            "summary": summary,
        }


@dataclass(frozen=True)
class _Edges:
    """Eligible (youth, opening) pairs, grouped by youth, each youth's best first."""

    youth: np.ndarray  # int64 youth positions
    col: np.ndarray  # int64 opening positions
    score: np.ndarray
    rank: np.ndarray  # 0 = the youth's best
    n: int


def allocate(youths: Sequence[Youth], openings: Sequence[Opening], matcher: Matcher, *,
             top_choices: int | None = None, progress: Callable[[int], None] | None = None) -> Allocation:
    """Assigns each youth at most one opening, optimally (see the module docstring).

    Candidate edges are the pairs ``matcher.score(youth)`` finds eligible, restricted to
    `openings` with a place left (capacity - filled; no capacity = one place per youth).
    With ``top_choices=n`` each youth's n best eligible openings are preferred: the number
    placed is exactly what it is without the option; among allocations placing that many,
    as many youths as possible get one of their own n best, and only then is fit summed.
    So a youth is moved to a wider choice only when that frees a place for someone else.
    Unplaced reasons: ``no_eligible_opening`` when no opening with a place left passes the
    youth's hard rules (one already full before the run is not eligible, as in `match`);
    ``all_eligible_full`` when the youth had eligible openings but others filled them all
    (an optimal allocation never leaves a place free that an unplaced youth could take).
    `progress(done)` is called after each youth is scored (scoring is most of the time).
    """
    if top_choices is not None and (type(top_choices) is not int or top_choices < 1):
        raise ValueError(f"top_choices must be a whole number of at least 1, got {top_choices!r}")
    _unique([y.id for y in youths], "youth")
    _unique([o.id for o in openings], "opening")
    places = np.array([len(youths) if o.places_left is None else o.places_left for o in openings], np.int64)
    edges = _collect(youths, openings, places, matcher, progress)
    preferred = edges.rank < top_choices if top_choices is not None else None
    assign = solve(edges, places, preferred)
    greedy = _greedy(edges, places)
    return _result(youths, openings, edges, places, assign, greedy, top_choices, preferred)


def _unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"duplicate {what} id {i!r}")
        seen.add(i)


def _collect(youths: Sequence[Youth], openings: Sequence[Opening], places: np.ndarray,
             matcher: Matcher, progress: Callable[[int], None] | None) -> _Edges:
    ix = matcher.index
    col_of_row = np.full(ix.n_rows, -1, np.int64)
    for j, o in enumerate(openings):
        if o.id not in ix:
            raise ValueError(f"opening {o.id!r} is not in the matcher's index; fit it on the same openings")
        if places[j] > 0:
            col_of_row[ix.row_of(o.id)] = j
    cs, ss = [np.zeros(0, np.int64)], [np.zeros(0)]
    for i, y in enumerate(youths):
        s = matcher.score(y)
        cols, scores = col_of_row[s.rows], s.scores
        if len(cols) and cols.min() < 0:
            keep = cols >= 0
            cols, scores = cols[keep], scores[keep]
        order = np.lexsort((cols, -scores))  # best first; ties in opening order
        cs.append(cols[order])
        ss.append(scores[order])
        if progress:
            progress(i + 1)
    counts = np.array([len(c) for c in cs[1:]], np.int64)
    youth = np.repeat(np.arange(len(youths), dtype=np.int64), counts)
    rank = np.arange(len(youth)) - np.repeat(np.cumsum(counts) - counts, counts)
    return _Edges(youth, np.concatenate(cs), np.concatenate(ss), rank, len(youths))


def _weights(e: _Edges, preferred: np.ndarray | None) -> tuple[np.ndarray, int]:
    """Integer weights carrying the three levels exactly, and K >= every weight."""
    nbits = (e.n + 1).bit_length()
    q = min(32, 50 - nbits * (2 if preferred is not None else 1))
    if q < 8:
        raise ValueError(f"too many youths ({e.n}) for an exact allocation; split the cohort")
    unit = 1 << q
    top = (e.n * unit + 1) if preferred is not None else 0
    big = e.n * (top + unit) + 1
    w = big + np.rint(e.score * unit).astype(np.int64)
    if preferred is not None:
        w += top * preferred
    return w, big + top + unit


def solve(e: _Edges, places: np.ndarray, preferred: np.ndarray | None = None) -> np.ndarray:
    """Opening position per youth (-1 = unplaced), optimal over all edges of `e`."""
    if len(e.youth) == 0:
        return np.full(e.n, -1, np.int64)
    w, k = _weights(e, preferred)
    keep = e.rank < PRUNE
    for _ in range(MAX_ROUNDS):
        if keep.all():
            break
        assign = _lap(e.youth[keep], e.col[keep], w[keep], k, e.n, places)
        try:
            u, v = _prices(e.youth[keep], e.col[keep], w[keep], assign, places)
        except ArithmeticError:  # cannot happen for an optimal matching; be safe anyway
            break
        flagged = w - u[e.youth] - v[e.col] > 0
        if not flagged.any():
            return assign
        keep |= flagged
    return _lap(e.youth, e.col, w, k, e.n, places)


def _lap(youth: np.ndarray, col: np.ndarray, w: np.ndarray, k: int, n: int, places: np.ndarray) -> np.ndarray:
    """Max-weight assignment via LAPJVsp: rows are opening slots, columns youths + one dummy per slot."""
    m = len(places)
    by_col = np.argsort(col, kind="stable")
    deg = np.bincount(col, minlength=m)
    slots = np.minimum(places, deg)  # more slots than youths who can take them change nothing
    owner = np.repeat(np.arange(m), slots)
    n_slots = len(owner)
    if n_slots == 0:
        return np.full(n, -1, np.int64)
    start = np.concatenate(([0], np.cumsum(deg)[:-1]))
    length = deg[owner] + 1
    indptr = np.concatenate(([0], np.cumsum(length)))
    pos = np.arange(indptr[-1]) - np.repeat(indptr[:-1], length)
    dummy = pos == np.repeat(length - 1, length)
    edge = by_col[np.minimum(np.repeat(start[owner], length) + pos, len(col) - 1)]
    indices = np.where(dummy, n + np.repeat(np.arange(n_slots), length), youth[edge])
    data = np.where(dummy, k + 1, k + 1 - w[edge]).astype(np.float64)  # all >= 1: LAPJVsp wants non-zero
    graph = sp.csr_array((data, indices, indptr), shape=(n_slots, n + n_slots))
    _, matched = min_weight_full_bipartite_matching(graph)
    assign = np.full(n, -1, np.int64)
    real = matched < n
    assign[matched[real]] = owner[real]
    return assign


def _prices(youth: np.ndarray, col: np.ndarray, w: np.ndarray, assign: np.ndarray,
            places: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dual prices (u per youth, v per opening) of a matching optimal on these edges.

    v are shortest paths from the "unplaced" node in the graph where an arc b -> a of
    length w_ia - w_ib says youth i, at a, must not prefer b; every youth i with u_i =
    w_i,a(i) - v_a(i) then satisfies u_i + v_j >= w_ij on every edge given here.
    """
    m, n = len(places), len(assign)
    unplaced = m
    placed = assign >= 0
    own = col == assign[youth]
    w_own = np.zeros(n, np.int64)
    w_own[youth[own]] = w[own]
    at = np.where(placed, assign, unplaced)
    used = np.bincount(assign[placed], minlength=m)
    open_ = np.flatnonzero(used < places)
    tail = np.concatenate([col[~own], np.full(placed.sum(), unplaced), np.arange(m), np.full(len(open_), unplaced)])
    head = np.concatenate([at[youth[~own]], assign[placed], np.full(m, unplaced), open_])
    length = np.concatenate([w_own[youth[~own]] - w[~own], w_own[placed], np.zeros(m + len(open_), np.int64)])
    v = _shortest(m + 1, tail, head, length, unplaced)
    u = np.where(placed, w_own - v[np.maximum(assign, 0)], 0)
    return u, v[:m]


def _shortest(n_nodes: int, tail: np.ndarray, head: np.ndarray, length: np.ndarray, source: int) -> np.ndarray:
    """Bellman-Ford in exact int64, vectorised, stopping as soon as nothing changes.

    (scipy's bellman_ford always runs all n-1 rounds, too slow for thousands of openings.)
    """
    order = np.argsort(head, kind="stable")
    tail, head, length = tail[order], head[order], length[order]
    heads, starts = np.unique(head, return_index=True)
    d = np.full(n_nodes, _INF, np.int64)
    d[source] = 0
    for _ in range(n_nodes + 1):
        best = np.minimum.reduceat(np.where(d[tail] >= _INF, _INF, d[tail] + length), starts)
        better = best < d[heads]
        if not better.any():
            if d[source] < 0:
                raise ArithmeticError("negative cycle")
            return np.where(d >= _INF, 0, d)
        d[heads[better]] = best[better]
    raise ArithmeticError("negative cycle")


def _greedy(e: _Edges, places: np.ndarray) -> np.ndarray:
    """First come, first served: youths in input order take their best opening with a place left."""
    left = places.copy()
    assign = np.full(e.n, -1, np.int64)
    bounds = np.searchsorted(e.youth, np.arange(e.n + 1))
    for i in range(e.n):
        cols = e.col[bounds[i]:bounds[i + 1]]
        free = left[cols] > 0
        if free.any():
            j = cols[int(np.argmax(free))]
            assign[i] = j
            left[j] -= 1
    return assign


def _result(youths: Sequence[Youth], openings: Sequence[Opening], e: _Edges, places: np.ndarray,
            assign: np.ndarray, greedy: np.ndarray, top_choices: int | None,
            preferred: np.ndarray | None) -> Allocation:
    def chosen(a: np.ndarray) -> np.ndarray:
        return np.flatnonzero(e.col == a[e.youth])  # edge index of each placed youth, in youth order

    mine, theirs = chosen(assign), chosen(greedy)
    assignments = [(youths[i].id, openings[j].id, s) for i, j, s in
                   zip(e.youth[mine].tolist(), e.col[mine].tolist(), e.score[mine].tolist())]
    degree = np.bincount(e.youth, minlength=e.n)
    unplaced = [(youths[i].id, ALL_FULL if degree[i] else NO_ELIGIBLE) for i in np.flatnonzero(assign < 0).tolist()]
    used = np.bincount(assign[assign >= 0], minlength=len(openings))
    fill: dict[str, tuple[int, int]] = {}
    for j, o in enumerate(openings):
        name = o.association or NO_ASSOCIATION
        offered, filled = fill.get(name, (0, 0))
        fill[name] = (offered + int(places[j]), filled + int(used[j]))
    return Allocation(
        assignments=assignments, unplaced=unplaced, fill=fill,
        total_score=float(e.score[mine].sum()), placed=len(mine),
        greedy_placed=len(theirs), greedy_total_score=float(e.score[theirs].sum()),
        top_choices=top_choices,
        top_choice_placed=int(preferred[mine].sum()) if preferred is not None else 0,
    )
