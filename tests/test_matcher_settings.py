"""A matcher's settings: one frozen value, a complete cache key, and matchers that share
one fitted index with other weights (`with_weights`)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import inspect

import pytest

from matching import Matcher, Opening, Weights, Youth
from matching.settings import Settings
from matching.text import SnowballAnalyzer
from matching.weights import DEFAULT
from tests.support.strategies import TODAY

OPENINGS = [Opening(f"o-{i}", text, kind=None) for i, text in enumerate([
    "Koiran ulkoiluttaja", "Koirien hoitaja eläinsuojelussa", "Kioskimyyjä jääkiekko-otteluihin",
    "Valokuvaaja junioriotteluihin", "Lasten kerhon ohjaaja", "Kahvilan keittiöapu", "Metsätalkoot",
    "Ikäihmisten ulkoiluapu", "Tapahtumien järjestäjä", "Bändin roudari",
])]
YOUTH = Youth("y", interests="koirat, ulkoilu ja valokuvaus", age=17)
INTEREST = Weights({"interest": 1.0, "themes": 0.2}, "interest")

# A value other than the default for every setting of Matcher(...): a new setting needs one here,
# and then its key must change with it.
OTHER_VALUES = {
    "weights": INTEREST,
    "diversity": 0.5,
    "analyzer": SnowballAnalyzer(),
    "lang": "fi",
    "today": dt.date(2027, 1, 1),
}


def _params() -> dict[str, inspect.Parameter]:
    return {n: p for n, p in inspect.signature(Matcher.__init__).parameters.items() if n != "self"}


def test_every_parameter_of_the_constructor_is_a_setting_in_the_same_order():
    assert list(_params()) == [f.name for f in dataclasses.fields(Settings)]


def test_the_constructor_defaults_are_the_settings_defaults():
    for name, param in _params().items():
        default = getattr(Settings(), name)
        assert (param.default, default) == ((None, Weights.default()) if name == "weights" else (default, default))
    assert Matcher().settings == Settings()


def test_a_matcher_keeps_nothing_beside_its_settings_and_its_index():
    # anything else kept by __init__ could change the output without changing the key
    m = Matcher(**OTHER_VALUES)
    assert set(vars(m)) == {"_settings", "_index"}
    assert m.settings == Settings(**OTHER_VALUES)


@pytest.mark.parametrize("name", list(_params()))
def test_each_setting_changes_the_key(name):
    assert set(OTHER_VALUES) == set(_params()), "give the new setting a value in OTHER_VALUES"
    plain, other = Matcher(), Matcher(**{name: OTHER_VALUES[name]})
    assert getattr(other, name) == OTHER_VALUES[name] != getattr(plain, name)
    assert other.settings_key != plain.settings_key
    assert hash(other.settings_key) != hash(plain.settings_key)


def test_equal_settings_give_equal_keys():
    assert Matcher().settings_key == Matcher(Weights.default(), diversity=0.2, lang="en").settings_key
    analyzer = SnowballAnalyzer()
    assert Matcher(analyzer=analyzer).settings_key == Matcher(analyzer=analyzer).settings_key
    assert Matcher(analyzer=analyzer).settings_key != Matcher(analyzer=SnowballAnalyzer()).settings_key
    # the name is in no reason, and weights that normalise alike score alike
    doubled = Weights({k: 2 * v for k, v in DEFAULT.items()}, "doubled")
    assert Matcher(doubled).settings_key == Matcher().settings_key
    assert {Matcher().settings_key: 1}[Matcher().settings_key] == 1


def test_equal_keys_over_one_index_give_the_same_matches_in_every_language():
    m = Matcher(today=TODAY).fit(OPENINGS)
    same = m.with_weights(Weights({k: 2 * v for k, v in DEFAULT.items()}, "renamed"))  # the same bits
    assert same.settings_key == m.settings_key and same.shares_index(m)
    for lang in ("fi", "sv", "en"):
        assert same.match(YOUTH, k=5, lang=lang) == m.match(YOUTH, k=5, lang=lang)
        assert same.explain(YOUTH, "o-0", lang=lang) == m.explain(YOUTH, "o-0", lang=lang)


def test_settings_are_validated_when_made():
    with pytest.raises(ValueError, match=r"diversity must be in \[0, 1\)"):
        Matcher(diversity=1.0)
    with pytest.raises(ValueError, match="unknown language 'de'"):
        Matcher(lang="de")
    with pytest.raises(TypeError, match="weights must be matching.Weights"):
        Matcher({"interest": 1.0})  # type: ignore[arg-type]  # a plain dict, on purpose


# ------------------------------------------------------------ with_weights

def test_with_weights_shares_the_fitted_index_and_scores_like_match_with_those_weights():
    m = Matcher(today=TODAY).fit(OPENINGS)
    arrays = m.index.cols
    other = m.with_weights(INTEREST)
    assert other.index is m.index and other.index.cols is arrays and other.shares_index(m)
    assert other.weights == INTEREST and other.diversity == m.diversity and other.today == m.today
    assert other.match(YOUTH, k=5) == m.match(YOUTH, k=5, weights=INTEREST)
    assert m.weights == Weights.default()  # the original is left as it was


def test_with_weights_changes_diversity_alone_or_both():
    m = Matcher(today=TODAY).fit(OPENINGS)
    fresh = Matcher(today=TODAY, diversity=0.0).fit(OPENINGS)
    assert m.with_weights(diversity=0.0).match(YOUTH, k=8) == fresh.match(YOUTH, k=8)
    both = m.with_weights(INTEREST, diversity=0.0)
    assert (both.weights, both.diversity) == (INTEREST, 0.0)
    assert both.settings_key == Matcher(INTEREST, today=TODAY, diversity=0.0).settings_key
    assert m.with_weights().settings_key == m.settings_key


def test_with_weights_validates_like_the_constructor_and_needs_a_fitted_matcher():
    m = Matcher().fit(OPENINGS)
    for bad in (1.0, -0.1, float("nan")):
        with pytest.raises(ValueError, match="diversity must be in"):
            m.with_weights(diversity=bad)
    with pytest.raises(RuntimeError, match="not fitted"):
        Matcher().with_weights(INTEREST)


def test_a_change_to_the_index_shows_in_every_matcher_sharing_it():
    m = Matcher(today=TODAY).fit(OPENINGS)
    other = m.with_weights(INTEREST)
    m.add(Opening("o-new", "Koirien ulkoiluttaja ja valokuvaaja"))
    assert "o-new" in {x.opening_id for x in other.match(YOUTH, k=3)}
    old = m.index
    m.fit(OPENINGS)  # a new index: the derived matcher keeps the old one
    assert m.index is not old and other.index is old and not other.shares_index(m)


def test_shares_index_only_for_the_same_fitted_index():
    a, b = Matcher().fit(OPENINGS), Matcher().fit(OPENINGS)
    assert a.shares_index(a) and not a.shares_index(b)
    assert not Matcher().shares_index(Matcher())


