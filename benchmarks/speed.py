"""Speed and memory of the matcher on synthetic openings, against a scikit-learn baseline.

    python -m benchmarks [--sizes 10000,100000,1000000] [--youths 200] [--quick]

Each size runs in a fresh subprocess (`python -m benchmarks.speed --one N`) that prints one
JSON line, so peak memory (ru_maxrss) belongs to that size alone. The parent prints a table,
checks the targets (PASS/FAIL; a failed target does not change the exit status) and writes
all numbers to .bench/speed.json. Progress goes to stderr.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SEED_OPENINGS, SEED_YOUTHS = 0, 1
TODAY = dt.date(2026, 11, 23)  # the generator's "today", so eligibility does not depend on the clock
K, N_ADDS, N_WARMUP, CHUNK = 10, 200, 5, 10_000
MB = 1024 * 1024

# (size, result key, limit, smaller is better, label)
TARGETS = [
    (100_000, "match_p50_ms", 10.0, True, "full match p50 <= 10 ms"),
    (100_000, "speedup", 5.0, False, "match >= 5x faster than baseline (p50)"),
    (100_000, "add_p50_ms", 20.0, True, "add one opening p50 <= 20 ms"),
    (1_000_000, "add_p50_ms", 20.0, True, "add one opening p50 <= 20 ms"),
    (1_000_000, "match_p50_ms", 100.0, True, "full match p50 <= 100 ms"),
    (1_000_000, "peak_mb", 4096.0, True, "peak memory (RSS) <= 4 GB"),
]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def ms(seconds: list[float]) -> dict[str, float]:
    a = np.array(seconds) * 1000
    return {"p50": float(np.percentile(a, 50)), "p95": float(np.percentile(a, 95)), "max": float(a.max())}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / MB


def progress(items: list, what: str):
    """The items, logging every 100,000 of them (so a long fit shows it is alive)."""
    for i, x in enumerate(items, 1):
        if i % 100_000 == 0:
            log(f"{what} {i:,} of {len(items):,}")
        yield x


def timed(fn, items) -> list[float]:
    out = []
    for x in items:
        t = time.perf_counter()
        fn(x)
        out.append(time.perf_counter() - t)
    return out


def measure(n: int, n_youths: int) -> dict:
    """Everything for one index size, in this process."""
    from fixtures.generate import generate_openings, generate_youths
    from matching import Matcher
    from matching.io import opening_from_record, youth_from_record

    res: dict = {"n": n, "youths": n_youths, "rss_start_mb": rss_mb()}

    # n openings to fit plus N_ADDS fresh ones to add; converted chunk by chunk, timed apart
    records = generate_openings(n + N_ADDS, SEED_OPENINGS)
    openings: list = []
    gen_s = conv_s = 0.0
    while len(openings) < n:
        t0 = time.perf_counter()
        chunk = list(islice(records, min(CHUNK, n - len(openings))))
        t1 = time.perf_counter()
        openings.extend(opening_from_record(r) for r in chunk)
        gen_s, conv_s = gen_s + t1 - t0, conv_s + time.perf_counter() - t1
        if len(openings) % (10 * CHUNK) == 0:
            log(f"n={n}: generated and converted {len(openings):,}")
    fresh = [opening_from_record(r) for r in records]
    youths = [youth_from_record(r) for r in generate_youths(N_WARMUP + n_youths, SEED_YOUTHS)]
    res.update(generate_s=gen_s, convert_s=conv_s, rss_converted_mb=rss_mb())
    log(f"n={n}: generated in {gen_s:.1f} s, converted in {conv_s:.1f} s; fitting")

    t = time.perf_counter()
    m = Matcher(today=TODAY).fit(progress(openings, f"n={n}: fitting"))
    res.update(fit_s=time.perf_counter() - t, rss_fitted_mb=rss_mb(), index_mb=m.index.nbytes() / MB,
               terms=len(m.index.text.terms))
    log(f"n={n}: fitted in {res['fit_s']:.1f} s; matching {n_youths} youths")

    timed(lambda y: m.match(y, k=K), youths[:N_WARMUP])
    res["match_ms"] = ms(timed(lambda y: m.match(y, k=K), youths[N_WARMUP:]))

    res["peak_mb"] = peak_mb()  # fit ends with a full merge, so this covers the merge spike too

    log(f"n={n}: scikit-learn baseline")
    res["baseline"] = baseline(m, youths)

    log(f"n={n}: adding {N_ADDS} openings")
    merges = 0

    def add(o) -> None:
        nonlocal merges
        before = m.index.text.tail_size()
        m.add(o)
        merges += m.index.text.tail_size() <= before

    res["add_ms"] = ms(timed(add, fresh))
    # the periodic merge of the tail, forced once: adds pay it every `merge_every` adds
    t = time.perf_counter()
    m.index.text.merge()
    res.update(merges_during_adds=merges, merge_ms=(time.perf_counter() - t) * 1000,
               merge_every=max(m.index.merge_min, m.index.text.main_rows // 8), peak_total_mb=peak_mb())
    res["match_p50_ms"], res["add_p50_ms"] = res["match_ms"]["p50"], res["add_ms"]["p50"]
    res["speedup"] = res["baseline"]["query_ms"]["p50"] / res["match_p50_ms"]
    return res


def baseline(m, youths) -> dict:
    """NearestNeighbors(brute, cosine) on the engine's own TF-IDF vectors, text only."""
    import scipy.sparse as sp
    from sklearn.neighbors import NearestNeighbors
    from sklearn.preprocessing import normalize

    text = m.index.text
    t = time.perf_counter()
    x = sp.csr_matrix(text._csr, dtype=np.float64)  # the fitted rows (no tail before any add)
    n_terms = x.shape[1]
    x.data *= text.idf(np.arange(n_terms))[x.indices]
    nn = NearestNeighbors(algorithm="brute", metric="cosine", n_neighbors=K).fit(normalize(x))
    fit_s = time.perf_counter() - t

    def vector(youth) -> sp.csr_matrix:
        q = text.query(youth.interests)
        order = np.argsort(q.terms)
        return sp.csr_matrix((q.weights[order], q.terms[order], [0, len(order)]), shape=(1, n_terms))

    queries = [vector(y) for y in youths]  # built untimed: the timing is kneighbors alone
    timed(nn.kneighbors, queries[:N_WARMUP])
    return {"fit_s": fit_s, "query_ms": ms(timed(nn.kneighbors, queries[N_WARMUP:]))}


def code_version() -> str:
    """The commit, plus any uncommitted change to the code measured (others may edit it mid-run)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    dirty = git("status", "--porcelain", "--", "matching", "fixtures")
    return git("rev-parse", "--short", "HEAD") + (" + uncommitted: " + ", ".join(dirty.split()[1::2]) if dirty else "")


def run_size(n: int, n_youths: int) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.speed", "--one", str(n), "--youths", str(n_youths)]
    p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if p.returncode != 0:
        log(f"n={n}: subprocess failed with exit status {p.returncode}")
        return {"n": n, "error": f"exit status {p.returncode}"}
    return json.loads(p.stdout.strip().splitlines()[-1])


COLUMNS = [  # header, width, value
    ("N", 9, lambda r: f"{r['n']:,}"),
    ("gen s", 6, lambda r: f"{r['generate_s']:.1f}"),
    ("conv s", 6, lambda r: f"{r['convert_s']:.1f}"),
    ("fit s", 6, lambda r: f"{r['fit_s']:.1f}"),
    ("add p50/p95/max ms", 20, lambda r: "{p50:.2f}/{p95:.2f}/{max:.1f}".format(**r["add_ms"])),
    ("merges", 6, lambda r: str(r["merges_during_adds"])),
    ("merge ms", 8, lambda r: f"{r['merge_ms']:.0f}"),
    ("match p50/p95 ms", 16, lambda r: "{p50:.1f}/{p95:.1f}".format(**r["match_ms"])),
    ("sklearn p50/p95 ms", 18, lambda r: "{p50:.1f}/{p95:.1f}".format(**r["baseline"]["query_ms"])),
    ("speedup", 7, lambda r: f"{r['speedup']:.1f}x"),
    ("index MB", 8, lambda r: f"{r['index_mb']:.0f}"),
    ("peak MB", 7, lambda r: f"{r['peak_mb']:.0f}"),
    ("+sklearn", 8, lambda r: f"{r['peak_total_mb']:.0f}"),
]


def table(results: list[dict]) -> str:
    lines = ["  ".join(h.rjust(w) for h, w, _ in COLUMNS)]
    for r in results:
        if "error" in r:
            lines.append(f"{r['n']:>9,}  ERROR: {r['error']}")
        else:
            lines.append("  ".join(f(r).rjust(w) for _, w, f in COLUMNS))
    return "\n".join(lines)


def check(results: list[dict]) -> list[dict]:
    by_n = {r["n"]: r for r in results if "error" not in r}
    out = []
    for n, key, limit, smaller, label in TARGETS:
        value = by_n[n][key] if n in by_n else None
        ok = None if value is None else (value <= limit if smaller else value >= limit)
        out.append({"n": n, "target": label, "value": value, "limit": limit,
                    "status": "n/a" if ok is None else "PASS" if ok else "FAIL"})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated numbers of openings")
    ap.add_argument("--youths", type=int, default=200, help="number of query youths")
    ap.add_argument("--quick", action="store_true", help="smoke run: sizes 2000,10000 and 50 youths")
    ap.add_argument("--out", default=".bench/speed.json", help="where to write the JSON results")
    ap.add_argument("--one", type=int, metavar="N", help=argparse.SUPPRESS)  # child mode
    a, _ = ap.parse_known_args(argv)
    if a.one is not None:
        print(json.dumps(measure(a.one, a.youths)), flush=True)
        return 0
    sizes = [2000, 10000] if a.quick else [int(s) for s in a.sizes.split(",")]
    n_youths = 50 if a.quick else a.youths

    start, version, load = time.perf_counter(), code_version(), os.getloadavg()[0]
    results = [run_size(n, n_youths) for n in sizes]
    wall = time.perf_counter() - start
    if code_version() != version:
        log(f"WARNING: the code changed during the run (was {version}, now {code_version()})")
    targets = check(results)

    print(f"Matcher speed: k={K}, {n_youths} youths (after {N_WARMUP} warm-up), {N_ADDS} adds, "
          f"openings seed {SEED_OPENINGS}, youths seed {SEED_YOUTHS}; code {version}; "
          f"load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end\n")
    print(table(results))
    print("\nmerges: tail merges during the adds (the index merges every max(2048, N/8) adds);"
          "\nmerge ms: one forced merge of the tail after the adds (what that periodic merge costs);"
          "\nsklearn: NearestNeighbors(brute, cosine) kneighbors on the same TF-IDF vectors, text only;"
          "\nspeedup: sklearn p50 / match p50; peak MB: RSS high-water after fit and match, +sklearn: at the end.\n")
    for t in targets:
        shown = "-" if t["value"] is None else f"{t['value']:.2f}"
        print(f"  {t['status']:4}  N={t['n']:>9,}  {t['target']:42} (measured {shown})")
    failed = sum(t["status"] == "FAIL" for t in targets)
    print(f"\nFAIL: {failed} of {len(targets)} targets missed" if failed else "\nno target failed",
          f"(wall time {wall:.0f} s)")

    out = ROOT / a.out
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {"code": version, "sizes": sizes, "youths": n_youths, "wall_s": wall, "load_average": load,
              "results": results, "targets": targets}
    out.write_text(json.dumps(report, indent=2) + "\n")
    log(f"wrote {out}")
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
