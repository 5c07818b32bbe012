"""Ranking quality on the hand-judged regional set, against a plain word TF-IDF baseline.

    python -m benchmarks.quality [--out .bench/quality.json]

Loads fixtures/regions/ (openings, youths, qrels, languages.csv) and computes nDCG@10,
recall@10 and MRR (matching.evaluate.ranking_metrics) per youth language (fi/sv/en, from
languages.csv) and overall, for:

  engine          Matcher(today=2026-11-23, diversity=0.0), default weights, match(youth, k=10)
  tfidf-eligible  sklearn TfidfVectorizer() (default word tokens, lowercase) fitted on the
                  openings' title + description; the youth's interests as the query; cosine
                  ranking over the SAME openings the engine finds eligible for that youth,
                  so only text understanding differs
  char3-5-eligible  the same with character 3-5-grams (TfidfVectorizer(analyzer="char_wb",
                  ngram_range=(3, 5)))
  bm25-eligible   rank_bm25's BM25Okapi (lower-cased word tokens) over the same eligible openings
  tfidf-all       the word TF-IDF baseline over every opening (no hard rules), for reference

plus two diagnostics of the engine alone: text only (Weights({"interest": 1})) and themes
only (Weights({"themes": 1})), and the eligible openings in random order (mean of 100 seeded
shuffles) as the floor: pools are small (hard rules leave a youth a handful of openings), so
recall@10 is high for any order and nDCG@10 / MRR tell the rankings apart. Ties are broken
as the engine breaks them (catalogue order), so an opening with no word in common with the
query still fills a list in a fixed order.
Prints a table and, per language, PASS when the engine beats tfidf-eligible on nDCG@10
(FAIL otherwise; exit status 0 either way), and writes everything to .bench/quality.json.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi
from sklearn.feature_extraction.text import TfidfVectorizer

import matching
from matching.evaluate import ranking_metrics

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "fixtures" / "regions"
TODAY = dt.date(2026, 11, 23)  # the set's "today": ended openings and eligibility do not follow the clock
K = 10
LANGS = ("fi", "sv", "en", "all")
ENGINE, BASELINE, BASELINE_ALL = "engine", "tfidf-eligible", "tfidf-all"
DIAGNOSTICS = {"engine text only": {"interest": 1}, "engine themes only": {"themes": 1}}


def load_set(folder: Path = DATA):
    openings = matching.load_openings(folder / "openings.jsonl")
    youths = matching.load_youths(folder / "youths.jsonl")
    qrels = matching.load_qrels(folder / "qrels.csv")
    with open(folder / "languages.csv", encoding="utf-8", newline="") as f:
        langs = {row["youth_id"]: row["lang"] for row in csv.DictReader(f)}
    return openings, youths, qrels, langs


def engine_rankings(matcher: matching.Matcher, youths, weights: matching.Weights | None = None):
    return {y.id: [m.opening_id for m in matcher.match(y, k=K, weights=weights)] for y in youths}


def tfidf_rankings(matcher: matching.Matcher, openings, youths, eligible_only: bool, **options):
    """Cosine of TF-IDF vectors (both L2-normalised; `options` go to TfidfVectorizer), best first,
    catalogue order on ties."""
    vectorizer = TfidfVectorizer(**options)
    docs = vectorizer.fit_transform([f"{o.title}\n{o.description}" for o in openings])
    return _rankings(matcher, openings, youths, eligible_only,
                     lambda text: (docs @ vectorizer.transform([text]).T).toarray().ravel())


def bm25_rankings(matcher: matching.Matcher, openings, youths):
    """BM25 (rank_bm25's BM25Okapi, lower-cased word tokens) over the eligible openings."""
    bm25 = BM25Okapi([re.findall(r"\w+", f"{o.title}\n{o.description}".lower()) or [""] for o in openings])
    return _rankings(matcher, openings, youths, True,
                     lambda text: np.asarray(bm25.get_scores(re.findall(r"\w+", text.lower()))))


def _rankings(matcher: matching.Matcher, openings, youths, eligible_only: bool, similarity):
    ids = [o.id for o in openings]
    position = {oid: i for i, oid in enumerate(ids)}
    out, no_overlap = {}, 0
    for y in youths:
        sims = similarity(y.interests)
        if eligible_only:
            allowed = matcher.index.ids(matcher.score(y).rows)
            candidates = np.array(sorted(position[o] for o in allowed), dtype=np.int64)
        else:
            candidates = np.arange(len(ids))
        no_overlap += bool(len(candidates)) and not sims[candidates].any()
        order = candidates[np.lexsort((candidates, -sims[candidates]))][:K]
        out[y.id] = [ids[i] for i in order]
    return out, no_overlap


def random_metrics(matcher: matching.Matcher, youths, qrels, langs: dict, shuffles: int = 100) -> dict:
    """Metrics of the eligible openings in random order, averaged over seeded shuffles."""
    pools = {y.id: matcher.index.ids(matcher.score(y).rows) for y in youths}
    runs = []
    for seed in range(shuffles):
        rng = np.random.default_rng(seed)
        runs.append(split({y: [p[i] for i in rng.permutation(len(p))[:K]] for y, p in pools.items()}, qrels, langs))
    return {lang: {key: float(np.mean([r[lang][key] for r in runs])) for key in runs[0][lang]} for lang in LANGS}


def split(rankings: dict, qrels, langs: dict) -> dict:
    """ranking_metrics per youth language and over everyone."""
    res = {}
    for lang in LANGS:
        part = {y: r for y, r in rankings.items() if lang == "all" or langs.get(y) == lang}
        res[lang] = {**ranking_metrics(part, qrels, K), "youths": len(part)}
    return res


def table(systems: dict) -> str:
    head = f"{'system':21} {'lang':4} {'youths':>6} {'nDCG@10':>8} {'recall@10':>9} {'MRR':>6}"
    lines = [head, "-" * len(head)]
    for name, by_lang in systems.items():
        for lang in LANGS:
            m = by_lang[lang]
            lines.append(f"{name:21} {lang:4} {m['judged_youths']:>6.0f} {m[f'ndcg@{K}']:>8.3f} "
                         f"{m[f'recall@{K}']:>9.3f} {m['mrr']:>6.3f}")
        lines.append("")
    return "\n".join(lines).rstrip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.quality", description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(DATA), help="folder with openings.jsonl, youths.jsonl, qrels.csv, "
                    "languages.csv")
    ap.add_argument("--out", default=str(ROOT / ".bench" / "quality.json"), help="where to write the JSON results")
    a, _ = ap.parse_known_args(argv)  # tolerate the options of `python -m benchmarks` when wired in there

    openings, youths, qrels, langs = load_set(Path(a.data))
    unknown = sorted(y.id for y in youths if y.id not in langs)
    if unknown:
        print(f"warning: no language in languages.csv for {', '.join(unknown)} (counted in 'all' only)",
              file=sys.stderr)
    matcher = matching.Matcher(today=TODAY, diversity=0.0).fit(openings)

    base, base_empty = tfidf_rankings(matcher, openings, youths, eligible_only=True)
    base_all, _ = tfidf_rankings(matcher, openings, youths, eligible_only=False)
    chars, _ = tfidf_rankings(matcher, openings, youths, eligible_only=True, analyzer="char_wb", ngram_range=(3, 5))
    bm25, _ = bm25_rankings(matcher, openings, youths)
    systems = {ENGINE: split(engine_rankings(matcher, youths), qrels, langs),
               BASELINE: split(base, qrels, langs),
               "char3-5-eligible": split(chars, qrels, langs),
               "bm25-eligible": split(bm25, qrels, langs),
               BASELINE_ALL: split(base_all, qrels, langs)}
    diagnostics = {name: split(engine_rankings(matcher, youths, matching.Weights(w)), qrels, langs)
                   for name, w in DIAGNOSTICS.items()}
    diagnostics["random eligible order"] = random_metrics(matcher, youths, qrels, langs)
    pool = [len(matcher.score(y).rows) for y in youths]

    n_rel = sum(r > 0 for judged in qrels.values() for r in judged.values())
    print(f"Ranking quality on fixtures/regions: {len(openings)} openings, {len(youths)} youths, "
          f"{sum(map(len, qrels.values()))} judgements ({n_rel} relevant), k={K}, today {TODAY}; eligible openings "
          f"per youth: min {min(pool)}, median {np.median(pool):g}, max {max(pool)}\n")
    print(table(systems))
    print(f"\n(tfidf-eligible: for {base_empty} of {len(youths)} youths the interests share no word with any "
          "eligible opening, so the list is in catalogue order)\n")
    verdicts = {}
    for lang in LANGS:
        e, b = systems[ENGINE][lang][f"ndcg@{K}"], systems[BASELINE][lang][f"ndcg@{K}"]
        verdicts[lang] = {"engine": e, "baseline": b, "pass": e > b}
        print(f"  {'PASS' if e > b else 'FAIL'}  {lang:3}  engine nDCG@{K} {e:.3f} vs word TF-IDF on the same "
              f"eligible openings {b:.3f} ({e - b:+.3f})")
    print("\nDiagnostics (the engine with one component only; random order of the eligible openings):\n")
    print(table(diagnostics))

    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "k": K, "today": TODAY.isoformat(), "openings": len(openings), "youths": len(youths),
        "judgements": sum(map(len, qrels.values())), "relevant": n_rel,
        "youths_per_lang": {lang: sum(langs.get(y.id) == lang for y in youths) for lang in LANGS[:-1]},
        "baseline_no_word_overlap": base_empty,
        "eligible_per_youth": {"min": min(pool), "median": float(np.median(pool)), "max": max(pool)},
        "systems": systems, "diagnostics": diagnostics, "verdicts": verdicts,
    }, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
