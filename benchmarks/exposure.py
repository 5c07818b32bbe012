"""Exposure-aware ranking: do more openings get an interested youth each week, and at
what cost in ranking quality?

    python -m benchmarks.exposure [--openings 2000] [--youths 1000] [--weeks 4]

Weekly simulation on one region's synthetic population (`benchmarks.allocation.population`):
each week every youth is shown their top 10 and takes an interest in a shown opening with
probability 0.5 * fit^2 / log2(rank + 1), where fit is the opening's score under the
built-in weights (the youth's real liking, which exposure must not change). Exposure
counts are the shows of the weeks so far. The metric is the number of openings with at
least one interested youth in the last week, for exposure weights 0 (off), 0.05, 0.1 and
0.2 of the total. The cost: nDCG@10 on the hand-judged regional set with exposure set
from one simulated week of its own youths. Seeded; prints a table.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from random import Random

import numpy as np

import matching
from matching.evaluate import ranking_metrics

from .allocation import population
from .quality import load_set

TODAY = dt.date(2026, 11, 23)
SHARES = (0.0, 0.05, 0.1, 0.2)


def weights_with(share: float) -> matching.Weights:
    base = dict(matching.Weights.default().values)
    base["exposure"] = share * sum(base.values()) / (1 - share)
    return matching.Weights(base, name=f"exposure {share:g}")


def simulate(openings: list, youths: list, share: float, weeks: int, seed: int) -> dict:
    rng = Random(seed)
    liking = matching.Matcher(today=TODAY).fit(openings)
    fit = {y.id: dict(zip(liking.index.ids(s.rows), s.scores.tolist()))
           for y in youths for s in [liking.score(y)]}
    m = matching.Matcher(weights_with(share), today=TODAY).fit(openings)
    shows: Counter[str] = Counter()
    interested_per_week = []
    for _ in range(weeks):
        if share:
            m.set_exposure(dict(shows))
        interested: set[str] = set()
        for y in youths:
            for rank, match in enumerate(m.match(y, k=10), 1):
                shows[match.opening_id] += 1
                if rng.random() < 0.5 * fit[y.id][match.opening_id] ** 2 / np.log2(rank + 1):
                    interested.add(match.opening_id)
        interested_per_week.append(len(interested))
    return {"share": share, "interested_last_week": interested_per_week[-1],
            "interested_per_week": interested_per_week, "shown_at_least_once": len(shows)}


def quality(share: float) -> float:
    openings, youths, qrels, _ = load_set()
    m = matching.Matcher(weights_with(share), today=TODAY, diversity=0.0).fit(openings)
    if share:
        week = Counter(x.opening_id for y in youths for x in m.match(y, k=10))
        m.set_exposure(dict(week))
    rankings = {y.id: [x.opening_id for x in m.match(y, k=10)] for y in youths}
    return ranking_metrics(rankings, qrels, 10)["ndcg@10"]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.exposure")
    p.add_argument("--openings", type=int, default=2000)
    p.add_argument("--youths", type=int, default=1000)
    p.add_argument("--weeks", type=int, default=4)
    args, _ = p.parse_known_args(argv)
    openings, youths = population(args.openings, args.youths, places=args.openings * 3, seed=7)
    print(f"\nExposure: {args.openings:,} openings, {args.youths:,} youths, {args.weeks} weeks, one region")
    print(f"{'exposure share':>15} {'openings w/ interest (last week)':>33} {'per week':>22} {'nDCG@10 (regions)':>18}")
    base = None
    for share in SHARES:
        r = simulate(openings, youths, share, args.weeks, seed=1)
        q = quality(share)
        base = base or (r["interested_last_week"], q)
        print(f"{share:>15g} {r['interested_last_week']:>20,} ({r['interested_last_week'] / base[0]:.2f}x)"
              f"{str(r['interested_per_week']):>35} {q:>12.3f} ({q - base[1]:+.3f})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
