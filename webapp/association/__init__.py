"""The association's pages: registration, its public page, its openings and their applicants.
One blueprint, `association`."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("association", __name__, template_folder="templates")

from . import applicants, messages, views  # noqa: E402,F401  (each adds its pages to bp)
