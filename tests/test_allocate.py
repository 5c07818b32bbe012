"""Cohort allocation: capacity, hard rules, optimality against brute force, greedy, CLI."""
from __future__ import annotations

import contextlib
import dataclasses
import importlib
import io
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from matching import Allocation, Matcher, Opening, Youth, allocate
from matching.__main__ import main
from matching.assignment import Scale, solve
from matching.candidates import LEVELS, Candidates, levels
from tests.support import strategies as S

alloc_module = importlib.import_module("matching.allocate")  # the module; matching.allocate is the function
candidates_module = importlib.import_module("matching.candidates")
FIXTURES = Path(__file__).parent.parent / "fixtures"
FILES = ["--openings", str(FIXTURES / "openings.jsonl"), "--youths", str(FIXTURES / "youths.jsonl"),
         "--today", "2026-11-23"]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def fitted(openings: list[Opening]) -> Matcher:
    return Matcher(today=S.TODAY).fit(openings)


def eligible(matcher: Matcher, youths: list[Youth], openings: list[Opening]) -> list[dict[int, float]]:
    """Per youth: opening position -> score, for eligible openings with a place left."""
    pos = {o.id: j for j, o in enumerate(openings)}
    out = []
    for y in youths:
        s = matcher.score(y)
        ids = matcher.index.ids(s.rows)
        out.append({pos[o]: float(x) for o, x in zip(ids, s.scores) if openings[pos[o]].places_left != 0})
    return out


def brute_force(edges: list[dict[int, float]], places: list[int], top: int | None = None) -> tuple:
    """Best (placed, placed at a top choice, total score) over every assignment."""
    preferred = []
    for e in edges:
        ranked = sorted(e, key=lambda j: (-e[j], j))
        preferred.append(set(ranked[:top]) if top else set())
    best = (0, 0, 0.0)
    for choice in itertools.product(*[[None, *e] for e in edges]):
        used = [j for j in choice if j is not None]
        if any(used.count(j) > places[j] for j in set(used)):
            continue
        key = (len(used), sum(j in preferred[i] for i, j in enumerate(choice) if j is not None),
               sum(edges[i][j] for i, j in enumerate(choice) if j is not None))
        if key > best:
            best = key
    return best


def check_valid(plan: Allocation, youths: list[Youth], openings: list[Opening], matcher: Matcher) -> None:
    by_id = {o.id: o for o in openings}
    youth_by_id = {y.id: y for y in youths}
    edges = eligible(matcher, youths, openings)
    scores = {(y.id, openings[j].id): x for y, e in zip(youths, edges) for j, x in e.items()}
    placed_ids = [y for y, _, _ in plan.assignments]
    assert len(set(placed_ids)) == len(placed_ids) == plan.placed
    assert set(placed_ids) | {y for y, _ in plan.unplaced} == set(youth_by_id)
    assert set(placed_ids).isdisjoint(y for y, _ in plan.unplaced)
    counts: dict[str, int] = {}
    for yid, oid, score in plan.assignments:
        o = by_id[oid]
        counts[oid] = counts.get(oid, 0) + 1
        assert S.broken_rules(youth_by_id[yid], o) == []  # the independent oracle of the rules
        assert score == scores[yid, oid]  # the matcher's own score of the pair
    for oid, c in counts.items():
        left = by_id[oid].places_left
        assert left is None or c <= left
    assert plan.total_score == pytest.approx(sum(s for _, _, s in plan.assignments))
    assert plan.placed >= plan.greedy_placed


# ---------------------------------------------------------------- properties

cohorts = st.integers(1, 8).flatmap(lambda n: st.tuples(*[S.youths(f"y-{i}") for i in range(n)]).map(list))


@FAST
@given(openings=S.catalogue(8), youths=cohorts, top=st.none() | st.integers(1, 3))
def test_no_capacity_exceeded_no_rule_broken_never_worse_than_greedy(openings, youths, top):
    matcher = fitted(openings)
    plan = allocate(youths, openings, matcher, top_choices=top)
    check_valid(plan, youths, openings, matcher)
    edges = eligible(matcher, youths, openings)
    position = {y.id: i for i, y in enumerate(youths)}
    taken = {o.id: sum(oid == o.id for _, oid, _ in plan.assignments) for o in openings}
    for yid, reason in plan.unplaced:
        e = edges[position[yid]]
        assert reason == ("all_eligible_full" if e else "no_eligible_opening")
        for j in e:  # every opening the youth could take was filled by others
            assert taken[openings[j].id] == openings[j].places_left


class pruned_to:  # noqa: N801 - reads as a context, like pytest.raises
    """Sets how many exact edges `allocate` keeps per youth."""

    def __init__(self, keep: int) -> None:
        self.keep = keep

    def __enter__(self) -> None:
        self.old, alloc_module.PRUNE = alloc_module.PRUNE, self.keep

    def __exit__(self, *exc: object) -> None:
        alloc_module.PRUNE = self.old


many_youths = st.integers(1, 25).flatmap(lambda n: st.tuples(*[S.youths(f"y-{i}") for i in range(n)]).map(list))


@FAST
@given(openings=S.catalogue(12), youths=many_youths, top=st.none() | st.integers(1, 3))
def test_pruned_allocate_equals_the_full_graph_with_the_real_matcher(openings, youths, top):
    matcher = fitted(openings)
    with pruned_to(10**9):
        full = allocate(youths, openings, matcher, top_choices=top)
    with pruned_to(1):
        plan = allocate(youths, openings, matcher, top_choices=top)
    check_valid(plan, youths, openings, matcher)
    assert (plan.placed, plan.top_choice_placed) == (full.placed, full.top_choice_placed)
    assert plan.total_score == pytest.approx(full.total_score, abs=1e-6)
    assert [r for _, r in plan.unplaced].count("no_eligible_opening") == \
        [r for _, r in full.unplaced].count("no_eligible_opening")
    assert (plan.greedy_placed, plan.greedy_total_score) == (full.greedy_placed, full.greedy_total_score)


WORDS = ["koira", "kioski", "lapset", "valokuvaus", "tapahtuma", "musiikki", "metsä", "kahvila"]


@st.composite
def small_case(draw: st.DrawFn) -> tuple[list[Youth], list[Opening]]:
    """Up to 5 youths and 4 openings with 1-2 places: small enough to enumerate."""
    n_open, n_youth = draw(st.integers(1, 4)), draw(st.integers(1, 5))
    text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
    openings = [Opening(f"o-{j}", draw(st.sampled_from(WORDS)), draw(text), capacity=draw(st.integers(1, 2)),
                        min_age=draw(st.none() | st.integers(16, 20))) for j in range(n_open)]
    youths = [Youth(f"y-{i}", draw(text), age=draw(st.integers(15, 22))) for i in range(n_youth)]
    return youths, openings


@FAST
@given(case=small_case(), top=st.none() | st.integers(1, 3))
def test_placed_then_fit_are_optimal_against_brute_force(case, top):
    youths, openings = case
    matcher = fitted(openings)
    plan = allocate(youths, openings, matcher, top_choices=top)
    check_valid(plan, youths, openings, matcher)
    best = brute_force(eligible(matcher, youths, openings), [o.capacity for o in openings], top)
    assert plan.placed == best[0]
    if top:
        assert plan.top_choice_placed == best[1]
    assert plan.total_score == pytest.approx(best[2], abs=1e-6)


@st.composite
def random_edges(draw: st.DrawFn, max_youths: int = 5, max_open: int = 4) -> tuple[list[dict[int, float]], list[int]]:
    n, m = draw(st.integers(1, max_youths)), draw(st.integers(1, max_open))
    scores = st.sampled_from([0.0, 0.5, 1.0]) | st.floats(0, 1).map(lambda x: round(x, 3))  # ties happen
    edges = [draw(st.dictionaries(st.integers(0, m - 1), scores, max_size=m)) for _ in range(n)]
    return edges, [draw(st.integers(0, 2)) for _ in range(m)]


def candidates(edges: list[dict[int, float]], places: list[int], keep: int) -> Candidates:
    """Candidates over given edges (those of openings with a place left), keeping `keep` per youth."""
    def scorer(i: int) -> tuple[np.ndarray, np.ndarray]:
        live = [(j, x) for j, x in edges[i].items() if places[j] > 0]
        return np.array([j for j, _ in live], np.int64), np.array([x for _, x in live], float)

    return Candidates(len(edges), np.array(places, np.int64), scorer, keep)


def full_solve(edges: list[dict[int, float]], places: list[int],
               top: int | None = None) -> tuple[np.ndarray, Candidates]:
    c = candidates(edges, places, keep=10**9)  # every edge kept: the full graph, nothing to certify
    return solve(c, np.array(places, np.int64), top), c


def objective(c: Candidates, assign: np.ndarray, top: int | None) -> int:
    """The exact integer objective (placed, top choices, fit) of an assignment."""
    mine = c.chosen(assign)
    return int(Scale.of(c.n, top is not None).weigh(mine.score, mine.rank < top if top else None).sum())


def assert_valid(assign: np.ndarray, edges: list[dict[int, float]], places: list[int]) -> None:
    """Every hard constraint: only eligible pairs, at most one opening each, places kept."""
    for i, j in enumerate(assign.tolist()):
        assert j == -1 or (j in edges[i] and places[j] > 0)
    used = np.bincount(assign[assign >= 0], minlength=len(places))
    assert (used <= np.array(places)).all()


class bounds_off:  # noqa: N801 - reads as a context, like pytest.raises
    """No bound matrix: every youth with pruned edges is scored again at each check."""

    def __enter__(self) -> None:
        self.old, candidates_module.BOUND_BYTES = candidates_module.BOUND_BYTES, -1

    def __exit__(self, *exc: object) -> None:
        candidates_module.BOUND_BYTES = self.old


@FAST
@given(case=random_edges(), top=st.none() | st.integers(1, 2), bounded=st.booleans())
def test_pruned_solve_with_certificate_matches_brute_force(case, top, bounded):
    edges, places = case
    with contextlib.nullcontext() if bounded else bounds_off():
        c = candidates(edges, places, keep=top or 1)  # one edge each: the certificate does the work
        assign = solve(c, np.array(places), top)
    assert_valid(assign, edges, places)
    chosen = [(i, int(j)) for i, j in enumerate(assign) if j >= 0]
    live = [{j: x for j, x in d.items() if places[j] > 0} for d in edges]
    best = brute_force(live, places, top)
    assert len(chosen) == best[0]
    assert sum(edges[i][j] for i, j in chosen) == pytest.approx(best[2], abs=1e-6)


TIED = st.sampled_from([0.0, 0.25, 0.5, 1.0]) | st.floats(0, 1).map(lambda x: round(x, 2))  # ties happen


@st.composite
def medium_edges(draw: st.DrawFn) -> tuple[list[dict[int, float]], list[int]]:
    """Up to 80 youths and 15 openings: dense or sparse, capacities 0-4, some youths with nothing eligible."""
    n, m = draw(st.integers(1, 80)), draw(st.integers(1, 15))
    density = draw(st.sampled_from([0.0, 0.1, 0.5, 0.9]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    levels_ = np.array(draw(st.lists(TIED, min_size=1, max_size=6)))
    edges = [{int(j): float(rng.choice(levels_)) for j in np.flatnonzero(rng.random(m) < density)}
             for _ in range(n)]
    return edges, draw(st.lists(st.integers(0, 4), min_size=m, max_size=m))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=random_edges(6, 5) | medium_edges(), keep=st.integers(1, 4), top=st.none() | st.integers(1, 3),
       bounded=st.booleans())
def test_pruned_allocation_has_the_full_graphs_optimum(case, keep, top, bounded):
    """The same placed count, top-choice count and total fit, to the last integer weight unit."""
    edges, places = case
    keep = max(keep, top or 0)
    full, fc = full_solve(edges, places, top)
    with contextlib.nullcontext() if bounded else bounds_off():
        c = candidates(edges, places, keep)
        assign = solve(c, np.array(places, np.int64), top)
    assert_valid(assign, edges, places)
    assert (assign >= 0).sum() == (full >= 0).sum()
    assert objective(c, assign, top) == objective(fc, full, top)
    total = sum(edges[i][j] for i, j in enumerate(assign.tolist()) if j >= 0)
    assert total == pytest.approx(sum(edges[i][j] for i, j in enumerate(full.tolist()) if j >= 0), abs=1e-9)
    assert (c.degree == [sum(places[j] > 0 for j in e) for e in edges]).all()


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_pruned_solve_matches_the_linear_program_on_larger_cases(seed):
    rng = np.random.default_rng(seed)
    n, m = 60, 12
    dense = rng.random((n, m)) < 0.5
    scores = rng.random((n, m))
    places = rng.integers(0, 5, m)
    edges = [{int(j): float(scores[i, j]) for j in np.flatnonzero(dense[i])} for i in range(n)]
    c = candidates(edges, places.tolist(), keep=1)
    assign = solve(c, places)
    placed = assign >= 0
    total = sum(scores[i, assign[i]] for i in np.flatnonzero(placed))
    e = candidates(edges, places.tolist(), keep=10**9).kept
    k = len(e)  # the LP of the same problem: integral (totally unimodular), so exact
    a = sp.csr_array((np.ones(2 * k), (np.concatenate([e.youth, n + e.col]), np.tile(np.arange(k), 2))),
                     shape=(n + m, k))
    lp = linprog(-(n + 1.0 + e.score), A_ub=a, b_ub=np.concatenate([np.ones(n), places]), bounds=(0, 1))
    assert placed.sum() == round(lp.x.sum())
    assert total == pytest.approx(float(e.score @ lp.x), abs=1e-5)


@given(scores=st.lists(st.floats(0, 1), min_size=1, max_size=50), top=st.booleans(), n=st.integers(1, 10**5))
def test_a_bound_level_is_never_below_the_weight_it_stands_for(scores, top, n):
    s = np.array(scores)
    scale = Scale.of(n, top)
    assert (levels(s).astype(float) / LEVELS > s).all()
    assert (scale.bounds()[levels(s)] >= scale.weigh(s, None)).all()
    assert (scale.bounds()[levels(s)] - scale.weigh(s, None) <= 2 * scale.step).all()


def test_without_bounds_it_scores_many_more_again_for_the_same_optimum():
    rng = np.random.default_rng(7)
    edges = [{int(j): float(x) for j, x in enumerate(rng.random(30))} for _ in range(200)]
    places = [3] * 30
    bounded = candidates(edges, places, keep=2)
    found = solve(bounded, np.array(places))
    with bounds_off():
        unbounded = candidates(edges, places, keep=2)
        again = solve(unbounded, np.array(places))
    assert objective(bounded, found, None) == objective(unbounded, again, None)
    assert unbounded.bound is None and bounded.bound is not None
    assert bounded.rescored * 5 < unbounded.rescored  # the bounds clear most youths without scoring them again


# ---------------------------------------------------------------- examples

@pytest.mark.parametrize("k", [1, 2, 4])
def test_one_more_placed_beats_any_loss_of_fit_along_a_chain(k):
    """A_i fits X_i perfectly and X_i+1 not at all; B can only take X_0. Placing B means
    moving every A_i along: k+1 placed with fit 0 must beat k placed with fit k."""
    edges = [{i: 1.0, i + 1: 0.0} for i in range(k)] + [{0: 0.0}]
    assign = solve(candidates(edges, [1] * (k + 1), keep=1), np.ones(k + 1, np.int64))
    assert assign.tolist() == [i + 1 for i in range(k)] + [0]



def two_youths_one_contested() -> tuple[list[Youth], list[Opening]]:
    """y-a likes both but the dog job more; y-b can only take the dog job (age)."""
    openings = [Opening("o-dog", "koira koira ulkoilu", association="Koirat ry", capacity=1, min_age=16),
                Opening("o-kiosk", "kioski", association="Kioski ry", capacity=1, max_age=20)]
    youths = [Youth("y-a", "koira kioski ulkoilu", age=17), Youth("y-b", "koira", age=25)]
    return youths, openings


def test_beats_greedy_when_the_first_comer_takes_the_only_place_of_another():
    youths, openings = two_youths_one_contested()
    plan = allocate(youths, openings, fitted(openings))
    assert {(y, o) for y, o, _ in plan.assignments} == {("y-a", "o-kiosk"), ("y-b", "o-dog")}
    assert (plan.placed, plan.greedy_placed, plan.gain_placed) == (2, 1, 1)
    assert plan.fill == {"Koirat ry": (1, 1), "Kioski ry": (1, 1)}
    d = plan.to_dict()
    assert set(d) == {"assignments", "unplaced", "summary"}
    assert set(d["assignments"][0]) == {"youth_id", "opening_id", "score"}
    assert d["summary"]["greedy"]["placed"] == 1 and d["summary"]["gain"]["placed"] == 1


def test_top_choices_widen_only_to_place_someone_more():
    youths, openings = two_youths_one_contested()
    plan = allocate(youths, openings, fitted(openings), top_choices=1)
    assert plan.placed == 2 and plan.top_choice_placed == 1  # y-a left their top choice to make room
    alone = allocate(youths[:1], openings, fitted(openings), top_choices=1)
    assert [(y, o) for y, o, _ in alone.assignments] == [("y-a", "o-dog")]
    assert alone.to_dict()["summary"]["top_choices"] == 1


def test_unplaced_reasons_and_unlimited_and_already_full_openings():
    openings = [Opening("o-1", "koira", capacity=1), Opening("o-2", "kioski", capacity=3, filled=3),
                Opening("o-3", "metsä", min_age=30)]
    youths = [Youth("y-1", "koira", age=18), Youth("y-2", "koira", age=18), Youth("y-3", "kioski", age=18)]
    plan = allocate(youths, openings, fitted(openings))  # only o-1 is open to them, and it has one place
    assert plan.placed == 1 and plan.assignments[0][:2] in {("y-1", "o-1"), ("y-2", "o-1")}
    assert len(plan.unplaced) == 2 and {r for _, r in plan.unplaced} == {"all_eligible_full"}
    assert plan.fill[alloc_module.NO_ASSOCIATION] == (1 + 0 + 3, 1)
    teen = allocate([Youth("y-9", "metsä", age=15)], openings[1:], fitted(openings[1:]))
    assert teen.unplaced == [("y-9", "no_eligible_opening")]
    free = [Opening("o-free", "koira")]
    many = allocate(youths, free, fitted(free))
    assert many.placed == 3 and many.fill == {alloc_module.NO_ASSOCIATION: (3, 3)}


def test_bad_arguments_say_what_is_wrong():
    youths, openings = two_youths_one_contested()
    m = fitted(openings)
    with pytest.raises(ValueError, match="top_choices must be a whole number of at least 1, got 0"):
        allocate(youths, openings, m, top_choices=0)
    with pytest.raises(ValueError, match="duplicate youth id 'y-a'"):
        allocate(youths + youths[:1], openings, m)
    with pytest.raises(ValueError, match="opening 'o-x' is not in the matcher's index"):
        allocate(youths, openings + [dataclasses.replace(openings[0], id="o-x")], m)


def test_progress_is_called_per_youth():
    youths, openings = two_youths_one_contested()
    seen: list[int] = []
    allocate(youths, openings, fitted(openings), progress=seen.append)
    assert seen == [1, 2]


# ---------------------------------------------------------------- CLI

def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


def test_cli_allocate_writes_the_documented_object():
    code, out = run("allocate", *FILES, "--top-choices", "3")
    d = json.loads(out)
    assert code == 0 and set(d) == {"assignments", "unplaced", "summary"}
    assert d["summary"]["placed"] == len(d["assignments"]) > 0
    assert d["summary"]["placed"] + d["summary"]["unplaced"] == d["summary"]["youths"] == 16
    assert d["summary"]["placed"] >= d["summary"]["greedy"]["placed"]


def test_cli_allocate_bad_input_exits_2_naming_file_line_field(tmp_path, capsys):
    bad = tmp_path / "youths.jsonl"
    bad.write_text('{"id": "y-1", "age": 17}\n{"id": "y-2", "age": "old"}\n', encoding="utf-8")
    code, _ = run("allocate", "--openings", str(FIXTURES / "openings.jsonl"), "--youths", str(bad))
    assert code == 2 and f"{bad}, line 2, field 'age'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        run("allocate", *FILES, "--top-choices", "0")
    assert e.value.code == 2
