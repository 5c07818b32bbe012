"""The youth's conversation with an association about one of their activities: read, write, report a
message, block the association. Only the youth's own interest records (anything else answers 404);
the rules live in `webapp.services.messages`."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import db
from ..auth.access import role_required
from ..forms import ActionForm, MessageForm
from ..models import Interest, Message
from ..services import messages
from ..states import Role
from . import bp
from .views import current_profile


def _interest_or_404(interest_id: int) -> Interest:
    found = messages.youths_interest(db.get_session(), current_profile(), interest_id)
    if found is None:
        abort(404, description=_("There is no activity of yours with this address."))
    return found


def _page(talk: messages.Conversation, form: MessageForm, status: int = 200) -> tuple[str, int]:
    return render_template("youth/messages.html", talk=talk, form=form, report_form=ActionForm(),
                           max_length=messages.MAX_LENGTH), status


@bp.route("/youth/activities/<int:interest_id>/messages", methods=["GET", "POST"])
@role_required(Role.YOUTH)
def conversation(interest_id: int) -> Response | tuple[str, int]:
    session = db.get_session()
    talk = messages.conversation(session, _interest_or_404(interest_id))
    form = MessageForm()
    if request.method == "GET":
        return _page(talk, form)
    if not form.validate():
        flash(_("The form had expired. Please try again."), "error")
        return _page(talk, form, 400)
    try:
        messages.post(session, talk, current_profile().user, form.body.data)
    except messages.MessageRefused as e:
        if e.field:
            form.body.errors = [e.message]
        else:  # about the conversation, not the text: said above the form, which keeps the text
            flash(e.message, "error")
        return _page(talk, form, {"too_many": 429, "blocked": 409, "closed": 409}.get(e.code, 400))
    flash(_("Your message is sent."), "success")
    return redirect(url_for("youth.conversation", interest_id=interest_id, _anchor="conversation-heading"), code=303)


@bp.post("/youth/messages/<int:message_id>/report")
@role_required(Role.YOUTH)
def report_message(message_id: int) -> Response:
    if not ActionForm().validate():
        abort(400)
    session = db.get_session()
    try:
        reported = messages.report(session, current_profile(), message_id)
    except LookupError:
        abort(404)
    message = session.get(Message, reported.message_id)
    assert message is not None  # report() found it
    interest_id = message.interest_id
    flash(_("Thank you. The message is reported, and an administrator will look at it."), "success")
    return redirect(url_for("youth.conversation", interest_id=interest_id), code=303)


@bp.post("/youth/activities/<int:interest_id>/block")
@role_required(Role.YOUTH)
def block(interest_id: int) -> Response:
    if not ActionForm().validate():
        abort(400)
    session = db.get_session()
    talk = messages.conversation(session, _interest_or_404(interest_id))
    messages.block(session, current_profile(), talk.association.id)  # type: ignore[arg-type]  # a stored row's id is set
    flash(_("You blocked %(association)s. It cannot send you messages any more.", association=talk.association.name),
          "success")
    return redirect(url_for("youth.conversation", interest_id=interest_id), code=303)
