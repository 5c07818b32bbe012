from __future__ import annotations

import math

import pytest

from matching import Matcher, Opening, Youth, evaluate
from matching.evaluate import gini, ndcg_at_k, recall_at_k, reciprocal_rank


def test_ndcg_is_one_for_the_ideal_order_and_less_otherwise():
    judged = {"a": 3, "b": 2, "c": 0}
    assert ndcg_at_k(["a", "b", "c"], judged, 3) == pytest.approx(1.0)
    worse = ndcg_at_k(["b", "a", "c"], judged, 3)
    expected = (3 / 1 + 7 / math.log2(3)) / (7 / 1 + 3 / math.log2(3))
    assert worse == pytest.approx(expected)
    assert ndcg_at_k(["x"], {}, 3) == 0.0


def test_recall_and_reciprocal_rank():
    judged = {"a": 1, "b": 2, "c": 0}
    assert recall_at_k(["c", "b", "x"], judged, 2) == 0.5
    assert reciprocal_rank(["c", "x", "a"], judged) == pytest.approx(1 / 3)
    assert reciprocal_rank(["c"], judged) == 0.0


def test_gini_of_exposure():
    assert gini([5, 5, 5, 5]) == pytest.approx(0.0)
    assert gini([0, 0, 0, 12]) == pytest.approx(0.75)
    assert gini([]) == 0.0


def test_evaluate_runs_the_matcher_and_counts_exposure():
    openings = [Opening("o-1", "koiran ulkoilutus"), Opening("o-2", "myyjä kioskiin"), Opening("o-3", "siivous")]
    m = Matcher(diversity=0.0).fit(openings)
    youths = [Youth("y-1", interests="koira"), Youth("y-2", interests="kioski")]
    report = evaluate(m, youths, {"y-1": {"o-1": 3}, "y-2": {"o-2": 2, "o-3": 1}}, k=1)
    assert report["ndcg@1"] == pytest.approx(1.0) and report["mrr"] == pytest.approx(1.0)
    assert report["recall@1"] == pytest.approx(0.75)
    assert report["openings_matched"] == 2 and report["coverage"] == pytest.approx(2 / 3)
