"""`Matcher.hidden`: which openings one answer alone keeps from a youth (issue 17, point 1)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from matching import Matcher, Opening, Support, Youth, geo
from tests.support.strategies import TODAY, catalogue, youths

ROVANIEMI = geo.locate("Rovaniemi")


def _catalogue() -> list[Opening]:
    near = [Opening(f"near-{i}", "Kahvilan apulainen", place=ROVANIEMI) for i in range(5)]
    far = [Opening("far", "Kioskimyyjä", place=geo.locate("Helsinki"))]
    remote = [Opening("remote-1", "Etätukihenkilö", remote=True), Opening("remote-2", "Etäläksyapu", remote=True)]
    return near + far + remote


def test_only_at_home_hides_every_opening_near_the_youth_and_says_so():
    youth = Youth("y", place=ROVANIEMI, max_travel_km=20, remote_ok=True, needs=frozenset({Support.AT_HOME}))
    hidden = Matcher(today=TODAY).fit(_catalogue()).hidden(youth)
    assert hidden.eligible == 2  # the two remote ones
    assert hidden.by_rule["not_at_home"] == tuple(f"near-{i}" for i in range(5))
    assert "far" not in hidden.by_rule.get("not_at_home", ())  # two answers keep it away: no one answer does


def test_no_remote_hides_the_remote_openings_and_nothing_hides_a_youth_without_answers():
    matcher = Matcher(today=TODAY).fit(_catalogue())
    hidden = matcher.hidden(Youth("y", place=ROVANIEMI, max_travel_km=20, remote_ok=False))
    assert hidden.eligible == 5 and hidden.by_rule == {"remote_not_wanted": ("remote-1", "remote-2"),
                                                       "too_far": ("far",)}
    assert matcher.hidden(Youth("y")).by_rule == {}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogue(), youths())
def test_each_hidden_opening_breaks_exactly_that_one_rule(openings, youth):
    matcher = Matcher(today=TODAY).fit(openings)
    hidden = matcher.hidden(youth)
    assert hidden.eligible == sum(matcher.explain(youth, o.id).eligible for o in openings)
    for code, ids in hidden.by_rule.items():
        for opening_id in ids:
            assert [b.code for b in matcher.explain(youth, opening_id).blocks] == [code]
