"""Every signed-in user's notifications: the list (newest first, paged, mark read), the unread
count in the navigation, and the choice of e-mail in the account area. One blueprint, `notices`."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("notices", __name__, template_folder="templates")

from . import views  # noqa: E402,F401  (adds its pages to bp)
