"""The coordinator's workspace: weights, referrals, cohorts, the outcomes of the youths they
follow and the dashboard. One blueprint, `coordinator`."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("coordinator", __name__, template_folder="templates")

from . import associations, cohorts, dashboard, outcomes, referrals, weights  # noqa: E402,F401  (each adds its pages to bp)
