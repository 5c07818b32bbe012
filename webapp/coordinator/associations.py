"""The associations of the coordinator's region: check a new one's Y-tunnus and verify it.

Until verified, an association publishes no opening for under-18s and sees none of its
applicants' shared details (`services.accounts`); a coordinator verifies only the
associations of their own region (another's answers 404, as an absent one does).
"""
from __future__ import annotations

from flask import render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import db
from ..auth.access import role_required
from ..forms import ActionForm
from ..services import accounts
from ..states import Role
from ..verification import verify_association
from . import bp


@bp.get("/coordinator/associations")
@role_required(Role.COORDINATOR)
def associations() -> str:
    found = accounts.associations_for(db.get_session(), current_user._get_current_object())
    return render_template("admin/associations.html", associations=found, action=ActionForm(),
                           verify_endpoint="coordinator.verify")


@bp.post("/coordinator/associations/<int:association_id>/<any(verify, unverify):action>")
@role_required(Role.COORDINATOR)
def verify(association_id: int, action: str) -> Response:
    return verify_association(association_id, action, "coordinator.associations")
