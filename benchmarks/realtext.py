"""Ranking quality on real postings nobody on the project wrote, against three text baselines.

    python -m benchmarks --only realtext [--nyc PATH] [--realtext-out .bench/realtext.json]

Sets (each read where it lies, never copied into the package; see benchmarks/data/README.md):

  nyc   NYC Service volunteer opportunities (2011, NYC Open Data), ../shared/data/
        nyc-volunteer-opportunities/opportunities.csv: 665 English postings, `title`,
        `summary` (the description) and `category_desc` (6 categories, 617 rows).

Protocols, per set and language:

  title     known item: the posting's own title is the query and the openings hold only
            their descriptions, so the title's words must be found in the description
            (every posting with the same title, ignoring case, counts as the item);
            postings whose description is empty or repeats the title are left out
  category  the category's name is the query ("Education", "Helping Neighbors in Need");
            every posting of that category is relevant

Systems, measured in the same run over the same openings (no hard rules: a query has only
words): the engine with its default settings (`Matcher()`, diversity 0.2, default weights,
k=10) and with diversity 0; word TF-IDF (scikit-learn TfidfVectorizer, defaults); character
3-5-gram TF-IDF (TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5))); BM25 (rank_bm25's
BM25Okapi, k1=1.5, b=0.75, lower-cased word tokens). Ties go to catalogue order.
Prints nDCG@10 and recall@10 per set, protocol and language, and the engine's margin over
the best baseline (the issue's target: at least +0.05).
"""
from __future__ import annotations

import argparse
import csv
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi
from sklearn.feature_extraction.text import TfidfVectorizer

import matching
from matching.evaluate import ranking_metrics

ROOT = Path(__file__).resolve().parent.parent
NYC = ROOT.parent / "shared" / "data" / "nyc-volunteer-opportunities" / "opportunities.csv"
K = 10
ENGINE, ENGINE_D0 = "engine", "engine diversity 0"
BASELINES = ("word tf-idf", "char 3-5 tf-idf", "bm25")
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Task:
    """One set under one protocol: openings, queries (id -> text) and judgements."""

    set_name: str
    protocol: str
    lang: str
    openings: list[matching.Opening]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def nyc_tasks(path: Path = NYC) -> list[Task]:
    """The NYC postings under both protocols."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["summary"].strip()]
    by_title: dict[str, list[str]] = {}
    for r in rows:
        by_title.setdefault(_key(r["title"]), []).append(f"nyc-{r['opportunity_id']}")
    described = [r for r in rows if _key(r["summary"]) != _key(r["title"])]
    openings = [matching.Opening(f"nyc-{r['opportunity_id']}", "", r["summary"].strip(), r["org_title"])
                for r in described]
    ids = {o.id for o in openings}
    queries: dict[str, str] = {}
    qrels: dict[str, dict[str, int]] = {}
    seen: set[str] = set()
    for r in described:
        title = _key(r["title"])
        if title in seen:
            continue
        seen.add(title)
        qid = f"t-{r['opportunity_id']}"
        queries[qid] = r["title"].strip()
        qrels[qid] = {o: 1 for o in by_title[title] if o in ids}
    title_task = Task("nyc", "title", "en", openings, queries, qrels)

    categories = sorted({r["category_desc"].strip() for r in rows if r["category_desc"].strip()})
    cat_openings = [matching.Opening(f"nyc-{r['opportunity_id']}", r["title"].strip(), r["summary"].strip(),
                                     r["org_title"]) for r in rows]
    cat_queries = {f"c-{i}": c for i, c in enumerate(categories)}
    cat_qrels = {qid: {f"nyc-{r['opportunity_id']}": 1 for r in rows if r["category_desc"].strip() == c}
                 for qid, c in cat_queries.items()}
    return [title_task, Task("nyc", "category", "en", cat_openings, cat_queries, cat_qrels)]


def _key(text: str) -> str:
    return " ".join(text.lower().split())


Ranker = Callable[[str], list[str]]


def engine_ranker(task: Task, diversity: float) -> Ranker:
    matcher = matching.Matcher(diversity=diversity).fit(task.openings)
    return lambda q: [m.opening_id for m in matcher.match(matching.Youth("q", interests=q), k=K)]


def _top(ids: list[str], sims: np.ndarray) -> list[str]:
    order = np.lexsort((np.arange(len(ids)), -sims))[:K]
    return [ids[i] for i in order]


def tfidf_ranker(task: Task, **options: object) -> Ranker:
    vectorizer = TfidfVectorizer(**options)  # type: ignore[arg-type]
    docs = vectorizer.fit_transform([o.text for o in task.openings])
    ids = [o.id for o in task.openings]
    return lambda q: _top(ids, (docs @ vectorizer.transform([q]).T).toarray().ravel())


def bm25_ranker(task: Task) -> Ranker:
    bm25 = BM25Okapi([_TOKEN.findall(o.text.lower()) or [""] for o in task.openings])
    ids = [o.id for o in task.openings]
    return lambda q: _top(ids, np.asarray(bm25.get_scores(_TOKEN.findall(q.lower()))))


def systems(task: Task) -> dict[str, Ranker]:
    return {ENGINE: engine_ranker(task, 0.2), ENGINE_D0: engine_ranker(task, 0.0),
            "word tf-idf": tfidf_ranker(task), "char 3-5 tf-idf": tfidf_ranker(task, analyzer="char_wb",
                                                                                 ngram_range=(3, 5)),
            "bm25": bm25_ranker(task)}


def measure(task: Task) -> dict[str, dict[str, float]]:
    out = {}
    for name, rank in systems(task).items():
        rankings = {qid: rank(text) for qid, text in task.queries.items()}
        out[name] = ranking_metrics(rankings, task.qrels, K)
    return out


def all_tasks(nyc: Path = NYC) -> list[Task]:
    return nyc_tasks(nyc)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.realtext", description=__doc__.splitlines()[0])
    ap.add_argument("--nyc", default=str(NYC), help="opportunities.csv of the NYC Service set")
    ap.add_argument("--realtext-out", default=str(ROOT / ".bench" / "realtext.json"))
    a, _ = ap.parse_known_args(argv)
    results = []
    head = (f"{'set':5} {'protocol':9} {'lang':4} {'queries':>7} {'docs':>5}  {'system':19} "
            f"{'nDCG@10':>8} {'recall@10':>9}")
    print(head + "\n" + "-" * len(head))
    for task in all_tasks(Path(a.nyc)):
        res = measure(task)
        for name, m in res.items():
            print(f"{task.set_name:5} {task.protocol:9} {task.lang:4} {len(task.queries):>7} {len(task.openings):>5}"
                  f"  {name:19} {m[f'ndcg@{K}']:>8.3f} {m[f'recall@{K}']:>9.3f}")
        best = max(BASELINES, key=lambda b: res[b][f"ndcg@{K}"])
        margin = res[ENGINE][f"ndcg@{K}"] - res[best][f"ndcg@{K}"]
        cost = res[ENGINE_D0][f"ndcg@{K}"] - res[ENGINE][f"ndcg@{K}"]
        print(f"  {'PASS' if margin >= 0.05 else 'FAIL'}  engine - best baseline ({best}) {margin:+.3f} "
              f"(target +0.05); diversity costs {cost:+.3f} (at most 0.01)\n")
        results.append({"set": task.set_name, "protocol": task.protocol, "lang": task.lang,
                        "queries": len(task.queries), "openings": len(task.openings), "systems": res,
                        "best_baseline": best, "margin": margin, "diversity_cost": cost})
    out = Path(a.realtext_out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"k": K, "results": results}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
