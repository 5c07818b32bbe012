"""Cohort allocation and learning from outcomes at benchmark size, against their targets.

    python -m benchmarks.allocation [--youths 5000] [--openings 500] [--places 2750] [--rows 100000]

Allocation: youths and openings from `fixtures.generate`, moved into one region (Oulu and
four neighbours within 30 km) with travel limits of at least 40 km and no end dates, so
nearly every youth has eligible openings and they compete for the places (capacities
drawn to sum to --places). Timed: `matching.allocate`, scoring included (median of
--repeats runs), target <= 2 s; placed and total fit are set against the greedy baseline
of the same run.

Learning: --rows outcomes simulated from known weights (`matching.outcomes.simulate`),
written to CSV; timed: loading that file and `matching.learn`, target <= 30 s. Shows the
held-out nDCG@10 and AUC of the built-in weights and of the learned ones.
Progress goes to stderr; a failed target does not change the exit status.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path
from random import Random

import numpy as np

TODAY = dt.date(2026, 11, 23)
TOWNS = ("Oulu", "Oulu", "Oulu", "Kempele", "Liminka", "Tyrnävä", "Lumijoki")
MIN_TRAVEL_KM = 40
TRUE = {"interest": .35, "themes": .10, "schedule": .05, "distance": .20, "kind": .10, "support": .15, "goals": .05}
ALLOCATE_S, LEARN_S = 2.0, 30.0


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def status(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def population(n_openings: int, n_youths: int, places: int, seed: int = 0) -> tuple[list, list]:
    """Openings and youths of one region; capacities sum to `places` (at least one each)."""
    from fixtures.generate import generate_openings, generate_youths
    from matching.io import opening_from_record, youth_from_record

    if places < n_openings:
        raise ValueError(f"--places must be at least --openings ({n_openings}), got {places}")
    rng = Random(seed)
    capacity = [1] * n_openings
    for _ in range(places - n_openings):
        capacity[rng.randrange(n_openings)] += 1
    openings = []
    for rec, cap in zip(generate_openings(n_openings, seed), capacity):
        for key in ("lat", "lon", "start_date", "end_date", "filled"):
            rec.pop(key, None)
        rec.update(municipality=rng.choice(TOWNS), capacity=cap)
        openings.append(opening_from_record(rec))
    youths = []
    for rec in generate_youths(n_youths, seed + 1):
        rec.pop("lat", None), rec.pop("lon", None)
        rec["municipality"] = rng.choice(TOWNS)
        if "max_travel_km" in rec:
            rec["max_travel_km"] = max(rec["max_travel_km"], MIN_TRAVEL_KM)
        youths.append(youth_from_record(rec))
    return openings, youths


def bench_allocation(openings: list, youths: list, repeats: int) -> dict:
    from matching import Matcher, allocate

    t = time.perf_counter()
    matcher = Matcher(today=TODAY).fit(openings)
    fit_s = time.perf_counter() - t
    runs, scoring = [], []
    for r in range(repeats):
        marks: dict[str, float] = {}

        def progress(done: int) -> None:
            if done == len(youths):
                marks["scored"] = time.perf_counter()

        start = time.perf_counter()
        plan = allocate(youths, openings, matcher, progress=progress)
        runs.append(time.perf_counter() - start)
        scoring.append(marks.get("scored", start) - start)
        log(f"allocation run {r + 1}/{repeats}: {runs[-1]:.2f} s (scoring {scoring[-1]:.2f} s)")
    start = time.perf_counter()
    for y in youths:
        matcher.score(y)
    score_only = time.perf_counter() - start
    return {"fit_s": fit_s, "runs": runs, "scoring": scoring, "score_only": score_only, "plan": plan,
            "matcher": matcher}


def bench_learning(openings: list, youths: list, matcher, rows: int) -> dict:
    from matching import Weights, learn, load_outcomes
    from matching.outcomes import simulate, write_outcomes

    true = Weights(TRUE, "true")
    per_youth = -(-rows // max(len(youths), 1)) + 2
    t = time.perf_counter()
    outcomes = simulate(matcher, youths, true, pairs_per_youth=per_youth, seed=0)[:rows]
    log(f"simulated {len(outcomes):,} outcome rows in {time.perf_counter() - t:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "outcomes.csv"
        write_outcomes(outcomes, path)
        start = time.perf_counter()
        loaded = load_outcomes(path, [y.id for y in youths], [o.id for o in openings])
        load_s = time.perf_counter() - start
        report = learn(loaded, youths, openings, matcher)
        total_s = time.perf_counter() - start
    error = float(np.abs(report.weights.vector() - true.vector()).max())
    return {"rows": len(outcomes), "load_s": load_s, "total_s": total_s, "report": report, "error": error}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.allocation", description=__doc__.splitlines()[0])
    ap.add_argument("--youths", type=int, default=5000)
    ap.add_argument("--openings", type=int, default=500)
    ap.add_argument("--places", type=int, default=2750)
    ap.add_argument("--rows", type=int, default=100_000, help="simulated outcome rows to learn from")
    ap.add_argument("--repeats", type=int, default=3, help="allocation runs; the median is checked")
    a, _ = ap.parse_known_args(argv)

    log(f"generating {a.openings} openings ({a.places} places) and {a.youths} youths")
    openings, youths = population(a.openings, a.youths, a.places)
    al = bench_allocation(openings, youths, max(a.repeats, 1))
    plan, matcher = al["plan"], al["matcher"]
    eligible = [len(matcher.score(y).rows) for y in youths[:500]]
    log(f"learning from {a.rows:,} simulated outcome rows")
    le = bench_learning(openings, youths, matcher, a.rows)
    rep = le["report"]

    median = statistics.median(al["runs"])
    score_median = statistics.median(al["scoring"])
    print(f"Allocation: {a.youths:,} youths, {a.openings} openings, {a.places:,} places, one region "
          f"(fit {al['fit_s']:.2f} s, not timed; first 500 youths have {np.mean(eligible):.0f} eligible "
          f"openings on average, {sum(e == 0 for e in eligible)} none)")
    print(f"  runs: {', '.join(f'{r:.2f}' for r in al['runs'])} s; median {median:.2f} s = "
          f"scoring {score_median:.2f} s + assignment {median - score_median:.2f} s "
          f"(matcher.score alone, all youths: {al['score_only']:.2f} s)")
    print(f"  {status(median <= ALLOCATE_S)}  allocate (scoring included) <= {ALLOCATE_S:g} s   "
          f"(median {median:.2f} s)")
    print(f"  optimal: placed {plan.placed:,}, total fit {plan.total_score:.2f}, "
          f"unplaced {len(plan.unplaced):,} ({sum(r == 'no_eligible_opening' for _, r in plan.unplaced)} with none "
          f"eligible)")
    print(f"  greedy:  placed {plan.greedy_placed:,}, total fit {plan.greedy_total_score:.2f}")
    print(f"  gain:    placed {plan.gain_placed:+,}, total fit {plan.gain_score:+.2f} "
          f"({100 * plan.gain_score / max(plan.greedy_total_score, 1e-9):+.1f} %)")
    print(f"\nLearning: {le['rows']:,} simulated outcome rows ({rep.pairs:,} pairs; {rep.train_pairs:,} train, "
          f"{rep.test_pairs:,} held out over {rep.test_youths:,} youths)")
    print(f"  {status(le['total_s'] <= LEARN_S)}  load + learn <= {LEARN_S:g} s   "
          f"(measured {le['total_s']:.2f} s, of which loading the CSV {le['load_s']:.2f} s)")
    print(f"  held-out nDCG@{rep.k}: built-in weights {rep.ndcg_current:.4f} -> learned {rep.ndcg_learned:.4f} "
          f"({rep.judged_youths:,} youths with a positive outcome)")
    print(f"  held-out AUC:     built-in weights {rep.auc_current:.4f} -> learned {rep.auc_learned:.4f}")
    print(f"  learned weights vs the simulated ones: max abs error {le['error']:.3f}")
    print("    " + ", ".join(f"{k} {v:.3f} ({TRUE.get(k, 0.0):.2f})" for k, v in rep.weights.normalised().items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
