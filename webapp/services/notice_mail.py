"""Notifications by e-mail: each notice whose user chose "at once" goes to the outbox in the event's own
transaction (`mail_if_due`, called by `notices.notify`); "daily digest" users get one mail a day with what
came since their last one (`send_digests`, a task of the worker). Every mail says why it was sent and
carries a one-click unsubscribe link (RFC 8058) that turns e-mail off without signing in.

Links in mails are absolute: inside a request from the request's own address, elsewhere (the worker's
digest) from `POLKU_BASE_URL`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session, col, select

from .. import clock
from ..mail.outbox import queue_mail
from ..models import EmailChoice, Notice, NoticeSetting, User
from . import notices

DEFAULT_BASE_URL = "http://127.0.0.1:5000"
_SALT = "polku-unsubscribe"


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link to `endpoint`, for a mail."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config.get("POLKU_BASE_URL") or DEFAULT_BASE_URL
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def unsubscribe_token(user: User) -> str:
    """The user's unsubscribe token: signed, so nobody turns off another's mail; it names only an id."""
    return str(_signer().dumps(user.id))


def user_of_token(session: Session, token: str) -> User | None:
    """The user of an unsubscribe token, or None for a token that was not made here."""
    try:
        user_id = _signer().loads(token)
    except BadSignature:
        return None
    return session.get(User, user_id) if isinstance(user_id, int) else None


def unsubscribe(session: Session, user: User) -> None:
    """No more notification mail for `user` (the choice the settings page shows); commits."""
    row = session.get(NoticeSetting, user.id)
    language = row.language if row is not None else notices.LANGUAGES[0]
    notices.choose(session, user, EmailChoice.NONE, language)


def _footer_reason(language: str) -> str:
    with force_locale(language):
        return _("You get this mail because your Polku account sends notifications by e-mail. "
                 "You can change this in your account's notification settings.")


def mail_if_due(session: Session, notice: Notice) -> None:
    """The notice to the outbox now, if its user chose e-mail at once (in the caller's transaction)."""
    if notices.email_timing(session, notice) != notices.Timing.NOW:
        return
    user = session.get(User, notice.user_id)
    assert user is not None  # email_timing found it
    language = notices.setting(session, user).language
    text = notices.email_text(notice, language)
    with force_locale(language):
        subject = _("Polku: %(what)s", what=_shorten(text))
        body = "\n\n".join([text, _("See it in Polku:") + " " + _absolute(notice.link),
                            _("Notification settings:") + " " + external_url("notices.settings")])
    queue_mail(session, to=user.email, language=language, subject=subject, text=body,
               reason=_footer_reason(language),
               unsubscribe_url=external_url("notices.unsubscribe", token=unsubscribe_token(user)))


def send_digests(session: Session, now: dt.datetime | None = None) -> int:
    """One mail to each "daily digest" user with notices since their last digest (or the last day);
    commits. Returns how many mails were queued."""
    now = now or clock.now()
    sent = 0
    rows = session.exec(select(NoticeSetting, User).join(User, col(NoticeSetting.user_id) == User.id)
                        .where(NoticeSetting.email == EmailChoice.DIGEST, col(User.active).is_(True))).all()
    for setting, user in rows:
        since = clock.aware(setting.digest_sent_at) if setting.digest_sent_at else now - dt.timedelta(days=1)
        due = [n for n in notices.digest_due(session, user.id, since)  # type: ignore[arg-type]  # a stored row's id is set
               if notices.email_timing(session, n) == notices.Timing.DIGEST]
        setting.digest_sent_at = now
        session.add(setting)
        if not due:
            continue
        language = setting.language
        lines = [f"- {notices.email_text(n, language)} {_absolute(n.link)}" for n in due]
        with force_locale(language):
            subject = _("Polku: %(count)d new notifications", count=len(due))
            body = "\n".join([_("What happened in Polku since the last mail:"), "", *lines, "",
                              _("Notification settings:") + " " + external_url("notices.settings")])
        queue_mail(session, to=user.email, language=language, subject=subject, text=body,
                   reason=_footer_reason(language),
                   unsubscribe_url=external_url("notices.unsubscribe", token=unsubscribe_token(user)))
        sent += 1
    session.commit()
    return sent


def _absolute(link: str) -> str:
    base = external_url("public.index").rstrip("/")
    return base + link if link.startswith("/") else link


def _shorten(text: str, most: int = 80) -> str:
    return text if len(text) <= most else text[:most - 1].rstrip() + "…"
