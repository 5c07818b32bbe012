"""The index: incremental changes score exactly like a fresh fit, and stay consistent."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import Kind, Matcher, Opening, Youth
from matching.index import OpeningIndex
from tests.support.strategies import TODAY, catalogue, youths


def _scores_by_id(matcher: Matcher, youth: Youth) -> dict[str, float]:
    s = matcher.score(youth, today=TODAY)
    ids = matcher.index.ids(s.rows)
    return dict(zip(ids, s.scores.tolist()))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogue(30), st.lists(youths(), min_size=1, max_size=3), st.integers(0, 30),
       st.lists(st.integers(0, 29), max_size=6), st.integers(1, 4))
def test_incremental_index_scores_exactly_like_one_fitted_at_once(openings, people, split, churn, merge_min):
    split = min(split, len(openings))
    incremental = Matcher(today=TODAY).fit(openings[:split])
    incremental.index.merge_min = merge_min  # force merges and compactions along the way
    incremental.index.compact_min = 1
    for o in openings[split:]:
        incremental.add(o)
    final = {o.id: o for o in openings}
    for i in churn:  # remove and re-add, or update with a changed text
        o = final[openings[i % len(openings)].id]
        if i % 2:
            incremental.remove(o.id)
            incremental.add(o)
        else:
            changed = dataclasses.replace(o, description=o.description + " talkoot kioski")
            incremental.update(changed)
            final[o.id] = changed
    at_once = Matcher(today=TODAY).fit(final.values())
    assert len(incremental.index) == len(at_once.index) == len(final)
    assert incremental.index.dead_rows == incremental.index.n_rows - len(final)
    for youth in people:
        assert _scores_by_id(incremental, youth) == _scores_by_id(at_once, youth)


def test_add_rejects_a_duplicate_id_and_remove_an_unknown_one():
    ix = OpeningIndex().fit([Opening("o-1", "Kioski")])
    with pytest.raises(KeyError, match="already indexed"):
        ix.add(Opening("o-1", "Kioski"))
    with pytest.raises(KeyError):
        ix.remove("o-2")
    with pytest.raises(KeyError, match="no opening 'o-9'"):
        ix.row_of("o-9")


TOPICS = ["koiran ulkoilutus", "kioskimyyjä otteluihin", "valokuvaaja tapahtumiin", "lasten kerho",
          "ikäihmisten ulkoiluapu", "metsätalkoot", "kahvilan keittiö", "bändin roudari"]
SEEKERS = [Youth("y-1", interests="koirat ja ulkoilu"), Youth("y-2", interests="valokuvaus, tapahtumat, lapset"),
           Youth("y-3", interests="kahvila ja musiikki", kinds=frozenset({Kind.VOLUNTEER})), Youth("y-4")]


def test_removed_openings_are_never_matched_and_compaction_keeps_ids():
    openings = [Opening(f"o-{i}", f"{TOPICS[i % len(TOPICS)]} {i}", kind=list(Kind)[i % len(Kind)])
                for i in range(50)]
    m = Matcher(today=TODAY).fit(openings)
    ix = m.index
    ix.merge_min, ix.compact_min = 1, 1
    removed = {f"o-{i}" for i in range(0, 50, 2)}
    for opening_id in sorted(removed):
        m.remove(opening_id)
    assert (ix.dead_rows, ix.n_rows, len(ix), ix.compactions) == (25, 50, 25, 0)  # removed, not yet dropped
    added = [Opening(f"o-new-{j}", TOPICS[j]) for j in range(7)]
    for o in added:  # seven rows wait past an eighth of the 50 merged: the merge compacts
        m.add(o)
    assert ix.compactions == 1
    assert (ix.dead_rows, ix.n_rows, len(ix)) == (0, 32, 32)

    survivors = [o for o in openings if o.id not in removed] + added
    fresh = Matcher(today=TODAY).fit(survivors)
    assert [o.id for o in ix] == [o.id for o in fresh.index]
    assert all(ix.row_of(o.id) == fresh.index.row_of(o.id) for o in survivors)
    for youth in SEEKERS:
        assert _scores_by_id(m, youth) == _scores_by_id(fresh, youth)  # bit for bit
        assert m.match(youth, k=40) == fresh.match(youth, k=40)
        assert {x.opening_id for x in m.match(youth, k=40)}.isdisjoint(removed)
        for o in survivors:
            assert m.explain(youth, o.id) == fresh.explain(youth, o.id)
    for opening_id in removed:
        assert opening_id not in ix
        with pytest.raises(KeyError):
            m.explain(SEEKERS[0], opening_id)


def test_compact_min_is_a_setting_of_the_index():
    assert (OpeningIndex().merge_min, OpeningIndex().compact_min) == (2048, 1024)
    ix = OpeningIndex(merge_min=1, compact_min=3).fit([Opening(f"o-{i}", "kioski") for i in range(4)])
    for i in range(3):
        ix.remove(f"o-{i}")
    ix.add(Opening("o-9", "kioski"))  # three dead rows: not more than compact_min, so kept
    assert (ix.compactions, ix.dead_rows, ix.n_rows) == (0, 3, 5)
    ix.remove("o-3")
    ix.add(Opening("o-10", "kioski"))  # four: dropped
    assert (ix.compactions, ix.dead_rows, ix.n_rows, sorted(o.id for o in ix)) == (1, 0, 2, ["o-10", "o-9"])


def test_set_filled_closes_a_full_opening():
    m = Matcher(today=TODAY).fit([Opening("o-1", "Kioski", capacity=2), Opening("o-2", "Kioski")])
    youth = Youth("y", interests="kioski")
    m.index.set_filled("o-1", 2)
    assert [x.opening_id for x in m.match(youth)] == ["o-2"]
    assert [b.code for b in m.explain(youth, "o-1").blocks] == ["full"]


def test_text_scores_use_only_postings_of_query_terms():
    m = Matcher(today=TODAY).fit([Opening("o-1", "koira koira"), Opening("o-2", "kissa")])
    q = m.index.text.query("koira")
    scores = m.index.text.scores(q)
    assert scores[1] == 0.0 and 0.0 < scores[0] < 1.0
    assert np.all((scores >= 0) & (scores < 1))


def test_text_scores_saturate_and_normalise_length():
    filler = " ".join(f"sana{chr(97 + i)}" for i in range(12))
    m = Matcher(today=TODAY).fit([Opening("once", "koira"), Opening("thrice", "koira koira koira"),
                                  Opening("long", f"koira {filler}"), Opening("other", "kissa")])
    s = dict(zip(["once", "thrice", "long", "other"], m.index.text.scores(m.index.text.query("koira")).tolist()))
    assert s["once"] < s["thrice"] < 2 * s["once"]  # said three times: more, but far from three times as much
    assert s["long"] < s["once"]  # the same word among many others says less
    assert s["other"] == 0.0


def test_an_unknown_word_within_one_typo_still_matches():
    m = Matcher(today=TODAY).fit([Opening("o-1", "valokuvaus ja kuvaaminen"), Opening("o-2", "siivous")])
    matches = m.match(Youth("y", interests="valokuvuas"), k=2)
    assert matches[0].opening_id == "o-1"
    assert matches[0].reasons[0].component == "interest" and matches[0].reasons[0].value > 0
