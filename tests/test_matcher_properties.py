"""Invariants of scoring and ranking, over random youths and catalogues."""
from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import Matcher, Weights
from matching.components import COMPONENTS
from tests.support.strategies import TODAY, broken_rules, catalogue, youths

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(catalogue(), youths())
def test_scores_in_unit_interval_and_contributions_sum_to_score(openings, youth):
    matcher = Matcher(today=TODAY).fit(openings)
    for m in matcher.match(youth, k=len(openings)):
        assert 0.0 <= m.score <= 1.0
        assert abs(sum(r.contribution for r in m.reasons) - m.score) < 1e-12
        weighed = {c for c, w in matcher.weights.values.items() if w > 0}
        assert {r.component for r in m.reasons} == weighed
        assert all(0.0 <= r.value <= 1.0 for r in m.reasons)
        assert matcher.explain(youth, m.opening_id).score == m.score  # same bits, alone or among all


@SETTINGS
@given(catalogue(), youths())
def test_eligible_exactly_when_no_rule_is_broken(openings, youth):
    matcher = Matcher(today=TODAY, diversity=0.0).fit(openings)
    matched = {m.opening_id for m in matcher.match(youth, k=len(openings))}
    for o in openings:
        broken = broken_rules(youth, o)
        assert (o.id in matched) == (not broken), (o, broken)
        assert [b.code for b in matcher.explain(youth, o.id).blocks] == broken


@SETTINGS
@given(catalogue(), youths(), st.sampled_from(COMPONENTS), st.floats(0.0, 2.0))
def test_a_neutral_component_never_reorders(openings, youth, component, new_weight):
    matcher = Matcher(today=TODAY, diversity=0.0).fit(openings)
    before = matcher.score(youth)
    if component not in before.neutral:
        return
    weights = Weights({**Weights.default().values, component: new_weight})
    after = matcher.score(youth, weights=weights)
    assert np.array_equal(before.rows, after.rows)
    a, b = before.scores, after.scores
    strictly = a[:, None] > a[None, :] + 1e-9
    assert np.all((b[:, None] - b[None, :])[strictly] > 0)


@SETTINGS
@given(catalogue(), youths(), st.floats(0.05, 0.9))
def test_diversity_keeps_the_same_candidates_and_the_best_first(openings, youth, diversity):
    plain = Matcher(today=TODAY, diversity=0.0).fit(openings).match(youth, k=len(openings))
    diverse = Matcher(today=TODAY, diversity=diversity).fit(openings).match(youth, k=len(openings))
    assert {m.opening_id for m in plain} == {m.opening_id for m in diverse}
    if plain:
        assert diverse[0].score == plain[0].score
