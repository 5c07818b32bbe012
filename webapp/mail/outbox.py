"""Writing a mail to the outbox: the one way anything in Polku sends e-mail.

Call `queue_mail` with the session of the event that causes the mail, before that session commits:
the mail and the event are stored together, or neither. After the commit the worker is told there
is mail (`worker.queue.nudge`); it sends the mail over SMTP, retries while the server is down, and
never sends a row twice (`mail.sender`). Without an SMTP server the mail stays in the outbox, held,
for an administrator to read (/admin/mail/).
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlmodel import Session

from ..models import OutboxMail, looks_like_email, normalise_email
from . import settings

LANGUAGES = ("fi", "sv", "en")
_PENDING = "polku.mail_pending"  # in Session.info: the app whose worker hears of the mail after the commit
_LISTENING = "polku.mail_listening"


def queue_mail(session: Session, *, to: str, language: str, subject: str, text: str, reason: str,
               html: str | None = None, unsubscribe_url: str | None = None) -> OutboxMail:
    """Adds one e-mail to the outbox in `session`'s transaction (the caller commits) and returns its row.

    - `to`: one address; `language`: "fi", "sv" or "en", the language the texts are in (the footer's
      own words follow it);
    - `subject`, `text` (the plain-text body), `html` (an optional HTML body): already in `language`;
    - `reason`: the plain sentence saying why this mail was sent ("You get this mail because you asked
      for a new password."), printed in the body's footer;
    - `unsubscribe_url`: a one-click unsubscribe link (RFC 8058): the mail then carries
      `List-Unsubscribe: <url>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, and the footer
      shows the link. The URL must answer a POST by unsubscribing, without sign-in.

    Raises ValueError for an address that is not one, a language Polku does not speak, an empty subject
    or reason, or an unsubscribe URL that is not https (http on localhost is allowed for development).
    """
    address = normalise_email(to)
    if not looks_like_email(address):
        raise ValueError(f"expected one e-mail address, got {to!r}")
    if language not in LANGUAGES:
        raise ValueError(f"expected a language of {LANGUAGES}, got {language!r}")
    if not subject.strip() or not reason.strip():
        raise ValueError("a mail needs a subject and a reason")
    if "\n" in subject or "\r" in subject:
        raise ValueError("a subject is one line")
    if unsubscribe_url is not None and not (unsubscribe_url.startswith("https://")
                                            or unsubscribe_url.startswith(("http://localhost", "http://127.0.0.1"))):
        raise ValueError(f"expected an https unsubscribe URL, got {unsubscribe_url!r}")
    domain = settings.sender_domain(current_app.config) if has_app_context() else "localhost"
    mail = OutboxMail(message_id=f"<{secrets.token_hex(16)}@{domain}>", to=address, language=language,
                      subject=subject.strip(), text=text, html=html, reason=reason.strip(),
                      unsubscribe_url=unsubscribe_url)
    session.add(mail)
    _nudge_after_commit(session)
    return mail


def _nudge_after_commit(session: Session) -> None:
    """Once the transaction commits, the worker hears there is mail (once per transaction, not per mail);
    a rollback forgets it."""
    if not has_app_context():
        return
    session.info[_PENDING] = current_app._get_current_object()  # type: ignore[attr-defined]  # Flask types current_app as the app, not its proxy
    if not session.info.get(_LISTENING):
        session.info[_LISTENING] = True
        sa.event.listen(session, "after_commit", _after_commit)
        sa.event.listen(session, "after_soft_rollback", _after_rollback)


def _after_commit(session: Session) -> None:
    app = session.info.pop(_PENDING, None)
    if app is not None:
        from ..worker import queue
        queue.nudge_mail(app)


def _after_rollback(session: Session, previous_transaction: object) -> None:
    session.info.pop(_PENDING, None)
