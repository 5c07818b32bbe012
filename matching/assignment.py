"""The optimal assignment over a cohort's candidates, proved optimal over every eligible edge.

Scores become integer weights ``w = B + P*[top choice] + round(score * 2**q)``, B and P
larger than anything the levels below can add up to, so one weighted matching carries the
three levels of `allocate` exactly (q = 32 bits, fewer for huge cohorts or with top
choices, so fit is optimal to ~n * 2**-q). OR-Tools' min-cost flow solves it over the kept
edges only (source -> youth -> opening -> sink, an opening's arc to the sink holding its
places): a maximum flow places as many as possible, and its least cost, ``-(w - B)``
summed, is the best top-choice count and fit among those. (scipy's LAPJVsp needs one row
per place; on the same million kept edges of 50,000 youths it took 42 s to the flow's 10 s,
both wall time on one loaded machine.)

Why that is the optimum of the full graph (LP duality): the allocation LP, max sum w x
with at most one opening per youth and `places` per opening, has the dual min sum u_i +
sum places_j v_j with u_i + v_j >= w_ij on every edge and u, v >= 0. From the matching
`_prices` builds u and v that meet every kept edge's constraint with complementary
slackness (u_i = 0 for the unplaced, v_j = 0 where a place is left). If every pruned
edge also has w_ij <= u_i + v_j, the pair is dual feasible for the full graph and the
matching is optimal for it. `Candidates` bounds each pruned edge's weight from above
(one byte per edge); the youths whose bounds do not clear the test are scored again and
their pruned edges tested exactly. Any that fail (and those within one bound step of
failing) join the kept edges, and the kept graph is solved again. Edges only join, so
this ends; it ends with the certificate holding for every eligible edge.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from .candidates import LEVELS, Candidates, Edges

_INF = np.int64(1) << 62


@dataclass(frozen=True)
class Scale:
    """Integer weights of scores: placed first, then top choices (optional), then fit."""

    unit: int  # 2**q: one score point
    top: int  # bonus of a top choice (0 without top_choices)
    big: int  # base weight of any placement

    @classmethod
    def of(cls, n: int, top_choices: bool, m: int = 0) -> Scale:
        """Weights for n youths and m openings: a flow cost (w - B) times the flow's node
        count stays under 2**60, where OR-Tools' cost scaling cannot overflow."""
        nbits = (n + 1).bit_length()
        q = min(32, 60 - (n + m + 3).bit_length() - (nbits + 1 if top_choices else 0))
        if q < 8:
            raise ValueError(f"too many youths ({n}) for an exact allocation; split the cohort")
        unit = 1 << q
        top = (n * unit + 1) if top_choices else 0
        return cls(unit, top, n * (top + unit) + 1)

    def weigh(self, score: np.ndarray, preferred: np.ndarray | None) -> np.ndarray:
        w = self.big + np.rint(score * self.unit).astype(np.int64)
        return w + self.top * preferred if preferred is not None else w

    def bounds(self) -> np.ndarray:
        """Largest weight of a pruned edge (never a top choice) per bound level; level 0: none."""
        q = np.arange(256, dtype=np.int64)
        out = self.big + (q * self.unit + LEVELS - 1) // LEVELS  # ceil(q / LEVELS * unit) >= rint(score * unit)
        out[0] = -_INF
        return out

    @property
    def step(self) -> int:
        """One bound level in weight units."""
        return -(-self.unit // LEVELS)


def solve(c: Candidates, places: np.ndarray, top_choices: int | None = None) -> np.ndarray:
    """Opening position per youth (-1 = unplaced), optimal over every eligible edge (see above).

    With `top_choices` a youth's edges of rank below it are its top choices; `c` must keep
    at least that many per youth, so a pruned edge is never one.
    """
    if top_choices is not None and c.keep < top_choices:
        raise ValueError(f"the candidates keep {c.keep} edges per youth, fewer than top_choices={top_choices}")
    scale = Scale.of(c.n, top_choices is not None, c.m)
    ceiling = scale.bounds()
    while True:
        e = c.kept
        if len(e) == 0:
            return np.full(c.n, -1, np.int64)
        w = scale.weigh(e.score, e.rank < top_choices if top_choices is not None else None)
        assign = _flow(e.youth, e.col, w - scale.big, c.n, places)
        u, v = _prices(e.youth, e.col, w, assign, places)
        broken, near = False, []
        for youths in c.suspects(ceiling, u, v):
            x = c.exact(youths)
            slack = u[x.youth] + v[x.col] - scale.weigh(x.score, None)
            broken = broken or bool((slack < 0).any())
            near.append(x.take(slack < 2 * scale.step))  # the broken, and those their bound would flag again
        if not broken:
            return assign
        c.add(Edges.join(near))


def _flow(youth: np.ndarray, col: np.ndarray, gain: np.ndarray, n: int, places: np.ndarray) -> np.ndarray:
    """Most youths placed, then the largest total `gain`: a max flow of min cost (OR-Tools)."""
    m = len(places)
    source, sink = n + m, n + m + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    first = n  # arcs: source -> youths, then youth -> opening (the edges), then opening -> sink
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(n, source), youth, n + np.arange(m)]),
        np.concatenate([np.arange(n), n + col, np.full(m, sink)]),
        np.concatenate([np.ones(n + len(youth), np.int64), places]),
        np.concatenate([np.zeros(n, np.int64), -gain, np.zeros(m, np.int64)]))
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise ValueError(f"the min-cost flow failed ({status.name}); split the cohort")
    used = np.asarray(flow.flows(np.arange(first, first + len(youth), dtype=np.int32))) > 0
    assign = np.full(n, -1, np.int64)
    assign[youth[used]] = col[used]
    return assign


def _prices(youth: np.ndarray, col: np.ndarray, w: np.ndarray, assign: np.ndarray,
            places: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dual prices (u per youth, v per opening) of a matching optimal on these edges.

    v are shortest paths from the "unplaced" node in the graph where an arc b -> a of
    length w_ia - w_ib says youth i, at a, must not prefer b (and arcs unplaced -> a of
    length w_ia, a -> unplaced of 0, unplaced -> an opening with a place left of 0 give
    u >= 0, v >= 0 and v = 0 there); u_i = w_i,a(i) - v_a(i), 0 for the unplaced.
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
    A negative cycle would mean the matching was not optimal on its edges: a bug, raised.
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
                break
            return np.where(d >= _INF, 0, d)
        d[heads[better]] = best[better]
    raise ArithmeticError("negative cycle: the matching is not optimal on its own edges")
