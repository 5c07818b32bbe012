"""How fast a worker follows one change to the catalogue, against rebuilding its matcher (issue 16).

    python -m benchmarks --only changes [--quick] [--changes-sizes 10000,100000] [--changes-rounds 40]

For each size: a temporary SQLite database with that many synthetic open openings (through
`import-openings`'s code, as the web benchmark builds it), an app on it whose matcher is built
once (timed: the full build a worker did on every change before), then rounds of single changes,
each committed by another session as a member's request would, and each followed by what the next
request of a worker does: read the openings changed since its version and apply them to its matcher
in place (`engine.matcher.catch_up`, timed). The kinds of change, in turn: a place taken or freed
(`filled`), an edit of the text, a new opening published, an opening closed. At the end the
matcher's openings are checked equal to a full build's. Target: one change applied in <= 5 ms at
10^5 openings (p50). Prints a table; writes .bench/changes.json. Progress goes to stderr.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 5.0  # apply one change at 10^5 openings, p50
KINDS = ("places", "edit", "publish", "close")
WORDS = ["koira", "musiikki", "kahvila", "kirjasto", "nuoret", "leiri", "talkoot", "kioski", "valokuvaus", "pelit"]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def ms(seconds: list[float]) -> dict[str, float]:
    a = np.array(seconds) * 1000
    return {"p50": float(np.percentile(a, 50)), "p95": float(np.percentile(a, 95)), "max": float(a.max())}


def one_size(n_openings: int, rounds: int, workdir: Path) -> dict[str, object]:
    from sqlmodel import select

    from benchmarks.web import SECRET, build_database
    from webapp import create_app, db
    from webapp.engine import matcher as engine
    from webapp.engine.matcher import build_matcher
    from webapp.models import Association, Opening
    from webapp.states import OpeningStatus

    url = f"sqlite:///{workdir / f'changes-{n_openings}.sqlite'}"
    build_database(url, n_openings, 1, workdir)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET})
    state = engine.state(app)
    started = time.perf_counter()
    engine.warm(app)
    build_s = time.perf_counter() - started
    log(f"{n_openings:,} openings: full build {build_s:.1f} s")
    rng = random.Random(n_openings)

    with app.app_context():
        session = db.get_session()
        refs = list(session.exec(select(Opening.ref).where(Opening.status == OpeningStatus.OPEN)))
        association_id = session.exec(select(Association.id)).first()

    def change(kind: str, n: int) -> None:
        with app.app_context():
            session = db.get_session()
            if kind == "publish":
                session.add(Opening(ref=f"o-bench-{n}", association_id=association_id, status=OpeningStatus.OPEN,
                                    title=" ".join(rng.sample(WORDS, 3)), municipality="Oulu"))
            else:
                opening = session.exec(select(Opening).where(Opening.ref == refs.pop(rng.randrange(len(refs))))).one()
                if kind == "places":
                    opening.capacity = opening.capacity or 5
                    opening.filled = 1 if opening.filled == 0 else opening.filled - 1
                elif kind == "edit":
                    opening.description = f"{opening.description} {' '.join(rng.sample(WORDS, 2))}"
                else:
                    opening.status = OpeningStatus.CLOSED
                if kind != "close":
                    refs.append(opening.ref)
            session.commit()

    def timed(step: Callable[[], None]) -> float:
        begun = time.perf_counter()
        step()
        return time.perf_counter() - begun

    def catch_up() -> None:
        with engine.state(app).lock:
            engine.catch_up(app, state)

    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for n in range(rounds):
        kind = KINDS[n % len(KINDS)]
        change(kind, n)
        times[kind].append(timed(catch_up))
    assert state.builds == 1, "a change rebuilt the matcher"
    with app.app_context():
        fresh, version = build_matcher(db.get_session(), app)
    held = state.matcher
    assert held is not None and state.version == version
    same = {o.id: o for o in held.index} == {o.id: o for o in fresh.index}
    db.dispose(app)
    every = [t for kind in KINDS for t in times[kind]]
    return {"openings": n_openings, "build_s": build_s, "apply_ms": ms(every),
            **{f"{kind}_ms": ms(times[kind]) for kind in KINDS}, "equal_to_full_build": same,
            "dead_rows": held.index.dead_rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks --only changes")
    parser.add_argument("--changes-sizes", default="10000,100000")
    parser.add_argument("--changes-rounds", type=int, default=40)
    parser.add_argument("--quick", action="store_true")
    args, _ = parser.parse_known_args(argv)
    sizes = [1000] if args.quick else [int(s) for s in args.changes_sizes.split(",")]
    results = []
    with tempfile.TemporaryDirectory(prefix="polku-changes-") as tmp:
        for size in sizes:
            results.append(one_size(size, args.changes_rounds, Path(tmp)))
    print(f"{'openings':>9} {'full build':>11} {'apply p50':>10} {'p95':>8} {'max':>8}  "
          + " ".join(f"{kind + ' p50':>12}" for kind in KINDS) + "  equal")
    for r in results:
        a = r["apply_ms"]
        kinds = " ".join(f"{r[kind + '_ms']['p50']:>9.2f} ms" for kind in KINDS)
        print(f"{r['openings']:>9,} {r['build_s']:>9.1f} s {a['p50']:>7.2f} ms {a['p95']:>5.1f} ms "
              f"{a['max']:>5.1f} ms  {kinds}  {r['equal_to_full_build']}")
    for r in results:
        if r["openings"] >= 100_000:
            p50 = r["apply_ms"]["p50"]
            verdict = "PASS" if p50 <= TARGET_MS else "FAIL"
            print(f"{verdict}: one change applied at {r['openings']:,} openings, p50 {p50:.2f} ms <= {TARGET_MS} ms "
                  f"(a full build: {r['build_s'] * 1000:,.0f} ms, {r['build_s'] * 1000 / p50:,.0f}x longer)")
    out = ROOT / ".bench"
    out.mkdir(exist_ok=True)
    (out / "changes.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
