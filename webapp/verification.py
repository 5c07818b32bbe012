"""Verifying an association, one action shared by the administrator's and the coordinator's pages.

The rule (who may verify which association) lives in `services.accounts`; this only answers
the form: another region's association is a 404 for a coordinator, as an absent one is.
"""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from . import db
from .forms import ActionForm
from .models import Association
from .services import accounts


def verify_association(association_id: int, action: str, back: str) -> Response:
    """Verifies (`action` "verify") or unverifies the association, then sends the browser to the endpoint `back`."""
    if not ActionForm().validate():
        abort(400)
    session = db.get_session()
    found = session.get(Association, association_id)
    user = current_user._get_current_object()
    if found is None or not accounts.may_verify(user, found):
        abort(404)
    accounts.set_verified(session, user, found, action == "verify")
    flash(_("The association is verified.") if action == "verify" else _("The verification is taken back."),
          "success")
    return redirect(url_for(back), code=303)
