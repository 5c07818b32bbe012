"""`explain` scores with the weights `match` is given, and its rank is match's order."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import Matcher, Opening, Weights, Youth
from matching.components import COMPONENTS
from matching.model import Kind
from tests.support.strategies import TODAY, catalogue, youths

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
weights = st.lists(st.sampled_from([0.0, 0.05, 0.1, 0.3, 0.5, 1.0]), min_size=len(COMPONENTS),
                   max_size=len(COMPONENTS)).filter(any).map(lambda ws: Weights(dict(zip(COMPONENTS, ws)), "drawn"))


@SETTINGS
@given(catalogue(), youths(), weights, st.sampled_from([0.0, 0.2]))
def test_explain_under_weights_tells_what_match_under_them_gives(openings, youth, w, diversity):
    matcher = Matcher(today=TODAY, diversity=diversity).fit(openings)
    matches = matcher.match(youth, k=len(openings), weights=w)
    other = matcher.with_weights(w)
    for position, m in enumerate(matches, 1):
        why = matcher.explain(youth, m.opening_id, weights=w)
        assert why.eligible and why.score == m.score and why.reasons == m.reasons
        if diversity == 0:
            assert why.rank == position
        assert other.explain(youth, m.opening_id) == why
    for o in openings:
        why = matcher.explain(youth, o.id, weights=w, lang="sv")
        assert why == other.explain(youth, o.id, lang="sv")
        assert (why.rank is None) == (o.id not in {m.opening_id for m in matches})


@SETTINGS
@given(catalogue(), youths())
def test_rank_is_the_position_in_match_with_no_diversity(openings, youth):
    matcher = Matcher(today=TODAY, diversity=0.0).fit(openings)
    ranks = {m.opening_id: i for i, m in enumerate(matcher.match(youth, k=len(openings)), 1)}
    assert {o.id: matcher.explain(youth, o.id).rank for o in openings if o.id in ranks} == ranks


def test_weights_reorder_what_explain_says():
    matcher = Matcher(today=TODAY, diversity=0.0).fit([
        Opening("o-1", "Koiran ulkoiluttaja", kind=Kind.JOB),
        Opening("o-2", "Kioskimyyjä", kind=Kind.VOLUNTEER),
    ])
    youth = Youth("y", interests="koirat", kinds=frozenset({Kind.VOLUNTEER}))
    by_interest, by_kind = Weights({"interest": 1.0}), Weights({"kind": 1.0})
    assert [matcher.explain(youth, o, weights=by_interest).rank for o in ("o-1", "o-2")] == [1, 2]
    assert [matcher.explain(youth, o, weights=by_kind).rank for o in ("o-1", "o-2")] == [2, 1]
    why = matcher.explain(youth, "o-2", weights=by_kind)
    assert why.score == 1.0 and [r.component for r in why.reasons] == ["kind"]


def test_equal_scores_rank_in_the_order_match_lists_them():
    same = [Opening(f"o-{i}", "Koiran ulkoiluttaja") for i in range(4)]
    matcher = Matcher(today=TODAY, diversity=0.0).fit(same)
    youth = Youth("y", interests="koirat")
    listed = [m.opening_id for m in matcher.match(youth, k=4)]
    assert [matcher.explain(youth, o).rank for o in listed] == [1, 2, 3, 4]
