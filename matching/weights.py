"""Weights: how much each soft component counts, validated and serialisable.

Weights are non-negative and normalised to sum to one, so a score (the weighted sum
of components in [0, 1]) is itself in [0, 1] and each contribution is exact.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .components import COMPONENTS

DEFAULT = {
    "interest": 0.30,
    "themes": 0.20,
    "schedule": 0.10,
    "distance": 0.15,
    "kind": 0.10,
    "support": 0.10,
    "goals": 0.05,
    "exposure": 0.0,  # off unless a coordinator turns it on (see Matcher.set_exposure)
}


@dataclass(frozen=True)
class Weights:
    """Component weights; missing components weigh 0."""

    values: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT))
    name: str = "default"

    def __post_init__(self) -> None:
        problems = []
        for key, w in self.values.items():
            if key not in COMPONENTS:
                problems.append(f"unknown component {key!r} (expected one of: {', '.join(COMPONENTS)})")
            elif not isinstance(w, (int, float)) or isinstance(w, bool) or not np.isfinite(w) or w < 0:
                problems.append(f"weight of {key!r} must be a non-negative number, got {w!r}")
        if not problems and sum(self.values.values()) <= 0:
            problems.append("at least one weight must be above zero")
        if problems:
            raise ValueError("; ".join(problems))
        object.__setattr__(self, "values", {k: float(self.values.get(k, 0.0)) for k in COMPONENTS})

    @classmethod
    def default(cls) -> "Weights":
        return cls()

    def vector(self) -> np.ndarray:
        """Normalised weights in COMPONENTS order."""
        w = np.array([self.values[k] for k in COMPONENTS])
        return w / w.sum()

    def key(self) -> tuple[float, ...]:
        """What scores and reasons read of these weights: equal keys, equal matches.
        The name is left out; raw values that normalise alike count as the same."""
        return tuple(self.vector().tolist())

    def normalised(self) -> dict[str, float]:
        return dict(zip(COMPONENTS, self.vector().tolist()))

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "weights": self.normalised()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Weights":
        """From {"name": ..., "weights": {...}} or a flat {component: weight}, as parsed
        JSON: anything may be in it, and __post_init__ checks every value."""
        if "weights" in data:
            values = data["weights"]
            if not isinstance(values, Mapping):
                raise ValueError("'weights' must be an object of component: weight")
            return cls(dict(values), str(data.get("name", "custom")))
        return cls(dict(data), "custom")

    @classmethod
    def load(cls, path: str | Path) -> "Weights":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise ValueError(f"{path}: cannot read weights: {e}") from None
        if not isinstance(data, Mapping):
            raise ValueError(f"{path}: expected a JSON object of component weights")
        try:
            return cls.from_dict(data)
        except ValueError as e:
            raise ValueError(f"{path}: {e}") from None

    def dump(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")
