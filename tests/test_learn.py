"""Learning weights from outcomes: the loader, the fit, recovery of known weights, the CLI."""
from __future__ import annotations

import datetime as dt
import io
import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fixtures.generate import generate_openings, generate_youths
from matching import Matcher, RecordError, Weights, learn, load_outcomes
from matching.__main__ import main
from matching.io import opening_from_record, youth_from_record
from matching.learn import fit_nonnegative_logistic
from matching.outcomes import Outcome, furthest, simulate, write_outcomes

FIXTURES = Path(__file__).parent.parent / "fixtures"
TODAY = dt.date(2026, 11, 23)
FILES = ["--openings", str(FIXTURES / "openings.jsonl"), "--youths", str(FIXTURES / "youths.jsonl"),
         "--today", "2026-11-23"]
TRUE = Weights({"interest": .35, "themes": .10, "schedule": .05, "distance": .20, "kind": .10,
                "support": .15, "goals": .05}, "true")


@lru_cache(maxsize=1)
def population() -> tuple[list, list, Matcher]:
    openings = [opening_from_record(r) for r in generate_openings(300, 0)]
    youths = [youth_from_record(r) for r in generate_youths(400, 1)]
    return youths, openings, Matcher(today=TODAY).fit(openings)


# ---------------------------------------------------------------- recovery

@pytest.mark.parametrize("seed", [0, 1])
def test_learning_recovers_the_weights_that_drew_the_outcomes(seed):
    """About 10,700 simulated pairs (8,000 to train) from P = sigmoid(12 * TRUE . x - 6).

    Tolerance 0.08 on every normalised weight: over 15 seeds at this size the largest error
    was 0.037, so 0.08 is about twice the worst seen and far below the weights' spread.
    """
    youths, openings, matcher = population()
    outcomes = simulate(matcher, youths, TRUE, pairs_per_youth=40, seed=seed)
    report = learn(outcomes, youths, openings, matcher, seed=seed)
    assert report.rows == report.pairs == len(outcomes) > 9000
    assert report.weights.name == "learned"
    assert np.abs(report.weights.vector() - TRUE.vector()).max() <= 0.08
    assert report.auc_learned >= report.auc_current - 0.01
    assert report.ndcg_learned >= report.ndcg_current - 0.02
    assert report.train_pairs + report.test_pairs == report.pairs and report.judged_youths > 50


@settings(max_examples=30, deadline=None)
@given(beta=st.lists(st.floats(0, 3), min_size=3, max_size=3), b=st.floats(-2, 0), seed=st.integers(0, 10**6))
def test_fit_is_non_negative_and_close_to_the_generating_coefficients(beta, b, seed):
    rng = np.random.default_rng(seed)
    x = rng.random((20_000, 3))
    y = (rng.random(20_000) < 1 / (1 + np.exp(-(x @ np.array(beta) + b)))).astype(float)
    coef, intercept = fit_nonnegative_logistic(x, y, C=1e6)
    assert (coef >= 0).all()
    assert np.abs(coef - beta).max() < 0.45 and abs(intercept - b) < 0.45  # ~4 standard errors


def test_a_component_that_hurts_gets_weight_zero_not_a_negative_one():
    rng = np.random.default_rng(0)
    x = rng.random((5000, 2))
    y = (rng.random(5000) < 1 / (1 + np.exp(-(3 * x[:, 0] - 3 * x[:, 1])))).astype(float)
    coef, _ = fit_nonnegative_logistic(x, y)
    assert coef[1] == 0.0 and coef[0] > 1.0


def test_furthest_outcome_counts():
    rows = [Outcome("y", "o", "shown"), Outcome("y", "o", "completed"), Outcome("y", "o", "dropped"),
            Outcome("y", "p", "declined"), Outcome("y", "p", "shown"), Outcome("z", "o", "interested"),
            Outcome("z", "o", "dropped")]
    assert furthest(rows) == {("y", "o"): "completed", ("y", "p"): "declined", ("z", "o"): "interested"}
    with pytest.raises(ValueError, match="unknown outcome 'liked'"):
        Outcome("y", "o", "liked")


def test_learn_says_when_there_is_nothing_to_learn():
    youths, openings, matcher = population()
    one = [Outcome(youths[0].id, openings[0].id, "shown")]
    with pytest.raises(ValueError, match="fewer than 2 youths"):
        learn(one, youths, openings, matcher)
    all_shown = [Outcome(y.id, o.id, "shown") for y in youths[:8] for o in openings[:3]]
    with pytest.raises(ValueError, match="all positive or all negative"):
        learn(all_shown, youths, openings, matcher)
    with pytest.raises(ValueError, match="test_size must be between 0 and 1, got 1.5"):
        learn(all_shown, youths, openings, matcher, test_size=1.5)


# ---------------------------------------------------------------- loading

def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "outcomes.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_outcomes_reads_rows_and_lowercases_outcomes(tmp_path):
    path = write(tmp_path, "youth_id,opening_id,outcome\ny-1,o-1,Completed\ny-2, o-2 ,shown\n")
    assert load_outcomes(path, ["y-1", "y-2"], ["o-1", "o-2"]) == [
        Outcome("y-1", "o-1", "completed"), Outcome("y-2", "o-2", "shown")]


@pytest.mark.parametrize("text, line, field, message", [
    ("youth_id,opening_id,outcome\ny-1,o-1,shown\ny-1,o-2,liked\n", 3, "outcome", "unknown outcome 'liked'"),
    ("youth_id,opening_id,outcome\ny-404,o-1,shown\n", 2, "youth_id", "unknown youth id 'y-404'"),
    ("youth_id,opening_id,outcome\ny-1,o-404,shown\n", 2, "opening_id", "unknown opening id 'o-404'"),
    ("youth_id,opening_id,outcome\ny-1,,shown\n", 2, "opening_id", "is required"),
    ("youth_id,opening,outcome\ny-1,o-1,shown\n", 1, None, "missing columns: opening_id"),
    ("youth_id,opening_id,outcome\ny-1,o-1,shown,extra\n", 2, None, "more cells than header columns"),
])
def test_bad_outcome_rows_are_rejected_naming_file_line_and_field(tmp_path, text, line, field, message):
    path = write(tmp_path, text)
    with pytest.raises(RecordError) as e:
        load_outcomes(path, ["y-1"], ["o-1", "o-2"])
    assert (e.value.source, e.value.line, e.value.field) == (str(path), line, field)
    assert message in str(e.value) and str(e.value).startswith(f"{path}, line {line}")


# ---------------------------------------------------------------- CLI

def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


def fixture_outcomes(tmp_path: Path) -> Path:
    from matching import load_openings, load_youths

    openings = load_openings(FIXTURES / "openings.jsonl")
    youths = load_youths(FIXTURES / "youths.jsonl")
    path = tmp_path / "outcomes.csv"
    write_outcomes(simulate(Matcher(today=TODAY).fit(openings), youths, TRUE, pairs_per_youth=30, seed=1), path)
    return path


def test_cli_learn_prints_weights_that_weights_load_reads_back(tmp_path, capsys):
    code, out = run("learn", *FILES, "--outcomes", str(fixture_outcomes(tmp_path)))
    assert code == 0
    data = json.loads(out)
    assert data["name"] == "learned" and set(data["report"]) >= {"rows", "ndcg@10", "auc", "test_youths"}
    saved = tmp_path / "learned.json"
    saved.write_text(out, encoding="utf-8")
    w = Weights.load(saved)
    assert w.name == "learned" and sum(w.values.values()) == pytest.approx(1.0)
    assert "held-out nDCG@10" in capsys.readouterr().err


def test_cli_learn_bad_outcomes_exit_2_naming_file_line_field(tmp_path, capsys):
    path = write(tmp_path, "youth_id,opening_id,outcome\ny-1,o-1,shown\ny-1,o-404,shown\n")
    code, out = run("learn", *FILES, "--outcomes", str(path))
    assert code == 2 and out == ""
    assert f"{path}, line 3, field 'opening_id': unknown opening id 'o-404'" in capsys.readouterr().err
    path = write(tmp_path, "youth_id,opening_id,outcome\ny-1,o-1,shown\ny-2,o-1,declined\n")
    code, _ = run("learn", *FILES, "--outcomes", str(path))
    assert code == 2 and "all positive or all negative" in capsys.readouterr().err
    code, _ = run("learn", *FILES, "--outcomes", str(tmp_path / "missing.csv"))
    assert code == 2 and "cannot open" in capsys.readouterr().err
