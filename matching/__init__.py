"""Polku's matching engine: explainable, constraint-aware ranking of openings for youths."""
from . import geo
from .explain import Block, Explanation, Match, Reason
from .io import RecordError, load_openings, load_qrels, load_youths
from .matcher import Matcher
from .model import Benefit, Kind, Opening, Place, Requirement, Support, Youth
from .weights import Weights
from .evaluate import evaluate

__all__ = [
    "Benefit", "Block", "Explanation", "Kind", "Match", "Matcher", "Opening", "Place",
    "Reason", "RecordError", "Requirement", "Support", "Weights", "Youth", "evaluate", "geo",
    "load_openings", "load_qrels", "load_youths",
]
