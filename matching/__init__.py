"""Polku's matching engine: explainable, constraint-aware ranking of openings for youths."""
from . import geo
from .explain import Block, Explanation, Match, Reason
from .io import RecordError, load_openings, load_qrels, load_youths
from .matcher import Matcher
from .model import Benefit, Kind, Opening, Place, Requirement, Support, Youth
from .weights import Weights
from .evaluate import evaluate
from .allocate import Allocation, allocate
from .learn import LearnReport, learn
from .outcomes import load_outcomes

__all__ = [
    "Benefit", "Block", "Explanation", "Kind", "Match", "Matcher", "Opening", "Place",
    "Reason", "RecordError", "Requirement", "Support", "Weights", "Youth", "evaluate", "geo",
    "load_openings", "load_qrels", "load_youths",
    "Allocation", "LearnReport", "allocate", "learn", "load_outcomes",
]
