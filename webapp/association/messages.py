"""The conversation with one applicant of an association's own opening: read and write. An opening of
another association, or an applicant of another opening (or one who withdrew), answers 404 as if it
did not exist. The rules live in `webapp.services.messages`."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import db
from ..auth.access import role_required
from ..forms import MessageForm
from ..services import decisions as applications
from ..services import messages
from ..states import Role
from . import bp


def _conversation_or_404(ref: str, interest_id: int) -> tuple[messages.Conversation, applications.Applicant]:
    session = db.get_session()
    interest = messages.members_interest(session, current_user, interest_id)
    if interest is None:
        abort(404)
    talk = messages.conversation(session, interest)
    if talk.opening.ref != ref:
        abort(404)
    return talk, applications.applicant(session, interest)


def _page(talk: messages.Conversation, applicant: applications.Applicant, form: MessageForm,
          status: int = 200) -> tuple[str, int]:
    return render_template("association/messages.html", talk=talk, applicant=applicant, form=form,
                           report_form=None, max_length=messages.MAX_LENGTH), status


@bp.route("/association/openings/<ref>/applicants/<int:interest_id>/messages", methods=["GET", "POST"])
@role_required(Role.ASSOCIATION)
def conversation(ref: str, interest_id: int) -> Response | tuple[str, int]:
    talk, applicant = _conversation_or_404(ref, interest_id)
    session = db.get_session()
    form = MessageForm()
    if request.method == "GET":
        return _page(talk, applicant, form)
    if not form.validate():
        flash(_("The form had expired. Please try again."), "error")
        return _page(talk, applicant, form, 400)
    try:
        messages.post(session, talk, current_user, form.body.data)
    except messages.MessageRefused as e:
        if e.field:
            form.body.errors = [e.message]
        else:  # about the conversation, not the text: said above the form, which keeps the text
            flash(e.message, "error")
        return _page(talk, applicant, form, {"too_many": 429, "blocked": 409, "closed": 409}.get(e.code, 400))
    flash(_("Your message is sent."), "success")
    return redirect(url_for("association.conversation", ref=ref, interest_id=interest_id,
                            _anchor="conversation-heading"), code=303)
