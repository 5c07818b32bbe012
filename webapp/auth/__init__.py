"""Signing up, in and out, and who may see which page (`role_required`)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")

from . import reset, views  # noqa: E402,F401  (each adds its pages to bp)
