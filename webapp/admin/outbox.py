"""The outbox for administrators, under /admin/mail/: every e-mail Polku wrote, newest first, and one
mail as it is (or would be) sent. Where no SMTP server is configured this is where mail is read
(`mail.sender` keeps it, held). A mail can hold a one-time link (a password reset): only administrators,
who can close and reopen any account anyway, see these pages.
"""
from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from sqlmodel import col, func, select

from .. import db
from ..auth.access import role_required
from ..mail import message, settings
from ..models import OutboxMail
from ..states import MailState, Role
from . import bp

PAGE = 100
STATE_LABELS = {MailState.QUEUED: _l("Waiting to be sent"), MailState.SENT: _l("Sent"),
                MailState.HELD: _l("Kept here (no SMTP server)"), MailState.FAILED: _l("Could not be sent")}


@bp.app_template_global()
def masked_address(address: str) -> str:
    """"a…@example.fi": the list shows whose domain a mail went to, not whose address; opening one mail shows it
    whole. An administrator browsing the outbox does not read every youth's address in passing."""
    local, _at, domain = address.partition("@")
    return f"{local[:1]}…@{domain}"


@bp.app_template_global()
def mail_state_label(state: MailState) -> str:
    return str(STATE_LABELS[MailState(state)])


@bp.get("/admin/mail/")
@role_required(Role.ADMIN)
def outbox() -> str:
    session = db.get_session()
    state = request.args.get("state", "")
    query = select(OutboxMail).order_by(col(OutboxMail.created_at).desc(), col(OutboxMail.id).desc()).limit(PAGE)
    if state in {s.value for s in MailState}:
        query = query.where(OutboxMail.state == MailState(state))
    else:
        state = ""
    by_state = select(OutboxMail.state, func.count(col(OutboxMail.id))).group_by(OutboxMail.state)
    counts = dict(session.exec(by_state).all())
    return render_template("admin/outbox.html", mails=session.exec(query).all(), counts=counts, state=state,
                           MailState=MailState, smtp=settings.smtp(current_app.config))


@bp.get("/admin/mail/<int:mail_id>")
@role_required(Role.ADMIN)
def outbox_mail(mail_id: int) -> str:
    session = db.get_session()
    mail = session.get(OutboxMail, mail_id)
    if mail is None:
        abort(404)
    built = message.build(mail, settings.sender_address(current_app.config))
    plain = built.get_body(("plain",))
    return render_template("admin/outbox_mail.html", mail=mail, headers=list(built.items()),
                           body=plain.get_content() if plain is not None else "", has_html=mail.html is not None)
