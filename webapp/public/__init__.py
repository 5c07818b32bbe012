"""The public pages, for anyone: the front page, the directory of openings and associations."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("public", __name__, template_folder="templates")

from . import views  # noqa: E402,F401  (each adds its pages to bp)
