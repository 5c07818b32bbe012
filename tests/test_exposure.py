"""Exposure-aware ranking: much-seen openings step back, boundedly."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import Matcher, Opening, Weights, Youth
from tests.support.strategies import TODAY, catalogue, youths

SAME = [Opening(f"o-{i}", "Koiran ulkoiluttaja", "Ulkoiluta koiria") for i in range(4)]
YOUTH = Youth("y", interests="koirat")


def test_exposure_is_neutral_until_set_and_off_by_default():
    m = Matcher(today=TODAY, diversity=0.0).fit(SAME)
    assert "exposure" in m.score(YOUTH).neutral
    assert Weights.default().values["exposure"] == 0.0
    assert all(r.component != "exposure" for r in m.match(YOUTH)[0].reasons)


def test_a_much_seen_opening_steps_back_and_says_why():
    weights = Weights({**Weights.default().values, "exposure": 0.1})
    m = Matcher(weights, today=TODAY, diversity=0.0, lang="en").fit(SAME)
    m.set_exposure({"o-0": 40, "o-1": 2})
    ranked = [x.opening_id for x in m.match(YOUTH, k=4)]
    assert ranked[-1] == "o-0" and ranked[0] in {"o-2", "o-3"}
    texts = {x.opening_id: {r.component: r.text for r in x.reasons}["exposure"] for x in m.match(YOUTH, k=4)}
    assert texts["o-0"] == "Many have already seen this" and texts["o-2"] == "Few have seen this yet"


def test_new_openings_start_unexposed_and_bad_counts_are_refused():
    m = Matcher(Weights({"interest": 1, "exposure": 0.2}), today=TODAY).fit(SAME)
    m.set_exposure({"o-0": 3, "o-1": 3, "o-2": 3, "o-3": 3})
    m.add(Opening("o-new", "Koiran ulkoiluttaja", "Ulkoiluta koiria"))
    assert m.match(YOUTH, k=1)[0].opening_id == "o-new"
    with pytest.raises(ValueError, match="must be non-negative"):
        m.set_exposure({"o-0": -1})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogue(15), youths(), st.floats(0.01, 0.3), st.lists(st.integers(0, 50), min_size=15, max_size=15))
def test_exposure_moves_a_score_by_at_most_its_weight(openings, youth, w, counts):
    base = Weights.default().values
    plain = Matcher(Weights(base), today=TODAY, diversity=0.0).fit(openings).score(youth)
    weights = Weights({**base, "exposure": w * sum(base.values()) / (1 - w)})  # exposure = w of the total
    m = Matcher(weights, today=TODAY, diversity=0.0).fit(openings)
    m.set_exposure({o.id: c for o, c in zip(openings, counts)})
    exposed = m.score(youth)
    assert np.array_equal(plain.rows, exposed.rows)
    assert np.all(np.abs(exposed.scores - plain.scores) <= w + 1e-9)
