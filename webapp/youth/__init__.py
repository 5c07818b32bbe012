"""The youth's pages: the step-by-step profile, matches, interest, activities and certificates,
referral requests, next steps and self-assessments, and "My data". One blueprint, `youth`."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("youth", __name__, template_folder="templates")

from . import messages, my_data, next_steps, referrals, views  # noqa: E402,F401  (each adds its pages to bp)
