"""The command line: match, explain, evaluate, allocate and learn from JSON Lines or CSV files.

Output is JSON (Lines) on stdout; progress of long runs and errors go to stderr.
Bad input exits with code 2 and a message naming the file, line and field.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Sequence
from typing import TextIO

from . import io, texts
from .explain import Match
from .matcher import Matcher
from .model import Opening, Youth
from .weights import Weights


class UsageError(Exception):
    """Bad input: reported on stderr with exit code 2."""


class Progress:
    """'matched 1200/5000 youths' on stderr, at most every two seconds."""

    def __init__(self, total: int, verb: str, out: TextIO = sys.stderr, every: float = 2.0) -> None:
        self.total, self.verb, self.out, self.every = total, verb, out, every
        self.start = self.last = time.monotonic()

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.last >= self.every or (done == self.total and now - self.start >= self.every):
            self.last = now
            rate = done / max(now - self.start, 1e-9)
            print(f"{self.verb} {done}/{self.total} youths ({rate:.0f}/s)", file=self.out, flush=True)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m matching", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    def common(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--openings", required=True, help="openings, .jsonl or .csv")
        cmd.add_argument("--youths", required=True, help="youths, .jsonl or .csv")
        cmd.add_argument("--weights", help="weights JSON (default: built-in weights)")
        cmd.add_argument("--lang", default="en", choices=texts.LANGS, help="language of reasons")
        cmd.add_argument("--today", type=_date, help="date for 'ended' checks (default: today)")
        cmd.add_argument("--diversity", type=float, default=0.2,
                         help="how far near-duplicates move down; 0 = score order (default 0.2)")

    m = sub.add_parser("match", help="top matches per youth, one JSON line each")
    common(m)
    m.add_argument("-k", type=_positive, default=10, help="matches per youth (default 10)")
    m.add_argument("--pretty", action="store_true", help="readable text instead of JSON Lines")
    e = sub.add_parser("explain", help="why an opening is or is not a match for a youth")
    common(e)
    e.add_argument("--youth", required=True, help="youth id")
    e.add_argument("--opening", required=True, help="opening id")
    v = sub.add_parser("evaluate", help="ranking quality against judgements, and exposure")
    common(v)
    v.add_argument("--qrels", required=True, help="CSV youth_id,opening_id,relevance")
    v.add_argument("-k", type=_positive, default=10)
    a = sub.add_parser("allocate", help="assign each youth at most one opening, within places (JSON)")
    common(a)
    a.add_argument("--top-choices", type=_positive, metavar="N",
                   help="prefer each youth's N best openings; wider only to place someone more")
    n = sub.add_parser("learn", help="weights from outcomes (weights JSON, report under 'report')")
    common(n)
    n.add_argument("--outcomes", required=True, help="CSV youth_id,opening_id,outcome")
    n.add_argument("--test-size", type=float, default=0.25, help="share of youths held out (default 0.25)")
    n.add_argument("--seed", type=int, default=0, help="seed of the held-out split")
    return p


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an ISO date like 2026-11-23, got {s!r}") from None


def _positive(s: str) -> int:
    try:
        n = int(s)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {s!r}")
    return n


def _load(args: argparse.Namespace) -> tuple[Matcher, list[Youth], dict[str, Opening]]:
    try:
        weights = Weights.load(args.weights) if args.weights else Weights.default()
    except ValueError as e:
        raise UsageError(str(e)) from None
    if not 0 <= args.diversity < 1:
        raise UsageError(f"--diversity must be in [0, 1), got {args.diversity:g}")
    openings = io.load_openings(args.openings)
    youths = io.load_youths(args.youths)
    matcher = Matcher(weights, diversity=args.diversity, lang=args.lang, today=args.today).fit(openings)
    return matcher, youths, {o.id: o for o in openings}


def _match(args: argparse.Namespace, out: TextIO) -> None:
    matcher, youths, openings = _load(args)
    progress = Progress(len(youths), "matched")
    for i, youth in enumerate(youths, 1):
        matches = matcher.match(youth, k=args.k)
        if args.pretty:
            _print_pretty(youth, matches, openings, out)
        else:
            out.write(json.dumps({"youth_id": youth.id, "matches": [m.to_dict() for m in matches]},
                                 ensure_ascii=False) + "\n")
        progress(i)


def _print_pretty(youth: Youth, matches: list[Match], openings: dict[str, Opening], out: TextIO) -> None:
    about = youth.interests or ", ".join(youth.themes) or "-"
    out.write(f"\n{youth.id}: {about}\n")
    if not matches:
        out.write("  (no openings fit the constraints)\n")
    for rank, m in enumerate(matches, 1):
        o = openings[m.opening_id]
        out.write(f"  {rank:2}. {m.score:.2f}  {o.title}  [{o.association or m.opening_id}]\n")
        for r in [r for r in m.reasons if not r.neutral][:3]:
            out.write(f"        +{r.contribution:.2f} {r.text}\n")


def _explain(args: argparse.Namespace, out: TextIO) -> None:
    matcher, youths, openings = _load(args)
    youth = next((y for y in youths if y.id == args.youth), None)
    if youth is None:
        raise UsageError(f"{args.youths}: no youth with id {args.youth!r}")
    if args.opening not in openings:
        raise UsageError(f"{args.openings}: no opening with id {args.opening!r}")
    out.write(json.dumps(matcher.explain(youth, args.opening).to_dict(), ensure_ascii=False, indent=2) + "\n")


def _evaluate(args: argparse.Namespace, out: TextIO) -> None:
    from .evaluate import evaluate

    matcher, youths, _ = _load(args)
    qrels = io.load_qrels(args.qrels)
    unknown = sorted(set(qrels) - {y.id for y in youths})
    if unknown:
        raise UsageError(f"{args.qrels}: judgements for unknown youths: {', '.join(unknown[:5])}")
    report = evaluate(matcher, youths, qrels, k=args.k, progress=Progress(len(youths), "evaluated"))
    out.write(json.dumps(report, indent=2) + "\n")


def _allocate(args: argparse.Namespace, out: TextIO) -> None:
    from .allocate import allocate

    matcher, youths, openings = _load(args)
    plan = allocate(youths, list(openings.values()), matcher, top_choices=args.top_choices,
                    progress=Progress(len(youths), "scored"))
    out.write(json.dumps(plan.to_dict(), ensure_ascii=False, indent=2) + "\n")


def _learn(args: argparse.Namespace, out: TextIO) -> None:
    """Weights JSON on stdout (Weights.load reads it; the report rides under "report")."""
    from .learn import learn
    from .outcomes import load_outcomes

    matcher, youths, openings = _load(args)
    outcomes = load_outcomes(args.outcomes, [y.id for y in youths], openings)
    try:
        report = learn(outcomes, youths, list(openings.values()), matcher, test_size=args.test_size, seed=args.seed)
    except ValueError as e:
        raise UsageError(f"{args.outcomes}: {e}") from None
    k = report.k
    print(f"learned from {report.pairs} pairs ({report.rows} rows); held-out nDCG@{k} "
          f"{report.ndcg_current:.3f} -> {report.ndcg_learned:.3f}", file=sys.stderr)
    out.write(json.dumps({**report.weights.to_dict(), "report": report.to_dict()}, indent=2) + "\n")


COMMANDS = {"match": _match, "explain": _explain, "evaluate": _evaluate, "allocate": _allocate, "learn": _learn}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        COMMANDS[args.command](args, out or sys.stdout)
    except (UsageError, io.RecordError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as e:  # no room left on the disk, a file that cannot be written, ...
        print(f"error: cannot write the output: {e.strerror or e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
