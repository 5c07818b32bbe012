from __future__ import annotations

import json

import pytest

from matching import Weights
from matching.components import COMPONENTS


def test_default_weights_are_normalised_and_cover_every_component():
    w = Weights.default()
    assert set(w.values) == set(COMPONENTS)
    assert abs(w.vector().sum() - 1.0) < 1e-12 and (w.vector() >= 0).all()


def test_missing_components_weigh_zero_and_weights_normalise():
    w = Weights({"interest": 3, "themes": 1})
    assert w.normalised()["interest"] == 0.75 and w.normalised()["kind"] == 0.0


@pytest.mark.parametrize("values, message", [
    ({"interest": -0.1}, "non-negative"),
    ({"interest": float("nan")}, "non-negative"),
    ({"interest": "high"}, "non-negative"),
    ({"fame": 1.0}, "unknown component 'fame'"),
    ({"interest": 0.0}, "at least one weight"),
])
def test_bad_weights_are_refused_with_a_reason(values, message):
    with pytest.raises(ValueError, match=message):
        Weights(values)


def test_weights_round_trip_through_json(tmp_path):
    w = Weights({"interest": 2, "distance": 1}, name="Lappi 2027")
    w.dump(tmp_path / "w.json")
    back = Weights.load(tmp_path / "w.json")
    assert back.name == "Lappi 2027" and back.normalised() == pytest.approx(w.normalised())
    (tmp_path / "flat.json").write_text(json.dumps({"interest": 1}), encoding="utf-8")
    assert Weights.load(tmp_path / "flat.json").normalised()["interest"] == 1.0
    (tmp_path / "bad.json").write_text("[1]", encoding="utf-8")
    with pytest.raises(ValueError, match="expected a JSON object"):
        Weights.load(tmp_path / "bad.json")
