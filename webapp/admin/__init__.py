"""The administrator's workspace: coordinators (invited, never given a password), association
verification, deactivating and reactivating accounts, and the audit of each action. One blueprint,
`admin`."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__, template_folder="templates")

from . import outbox, views  # noqa: E402,F401  (add their pages to bp)
