"""A forgotten password, chosen anew with a link sent by e-mail.

The link is the accounts' one-time link (`accounts.new_link`, purpose "reset"): single-use, valid for
`RESET_MINUTES`, only its token's hash stored, and a newer one replaces it. Asking for it answers the
same whether or not the address has an account, and does about the same work (the mail itself goes
through the outbox, outside the request). Choosing the new password ends every session of the account.
"""
from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from ..mail.outbox import queue_mail
from ..models import User, normalise_email
from . import accounts

RESET = "reset"  # Invitation.purpose of a password-reset link
RESET_MINUTES = 60


def request_reset(session: Session, email: str, language: str, link: Callable[[str], str]) -> None:
    """If `email` has an open account, a reset link (`link(token)` gives its URL) goes to it in an e-mail in
    `language`, written in the same transaction as the link; committed. Nothing tells the caller which."""
    user = session.exec(select(User).where(User.email == normalise_email(email), col(User.active).is_(True))).first()
    if user is None:
        accounts._token_hash(secrets.token_urlsafe(32))  # the same token work as for an account
        session.commit()
        return
    token = accounts.new_link(session, user, RESET, dt.timedelta(minutes=RESET_MINUTES))
    url = link(token)
    with force_locale(language):
        subject = _("Choose a new password for Polku")
        text = _("Hello,\n\nsomeone asked for a new password for the Polku account of this e-mail address. If it "
                 "was you, open this link and choose a new password:\n\n%(link)s\n\nThe link works for one hour "
                 "and only once. If you did not ask for a new password, you do not need to do anything: your "
                 "password stays the same.", link=url)
        reason = _("You get this e-mail because someone asked for a new password for your Polku account on the "
                   "sign-in page.")
    queue_mail(session, to=user.email, language=language, subject=subject, text=text, reason=reason)
    session.commit()


def account_of(session: Session, token: str) -> User | None:
    """The account whose open reset link `token` is, or None (unknown, used, older than an hour, replaced)."""
    found = accounts.invitation(session, token, RESET)
    return found[1] if found is not None else None


def reset(session: Session, token: str, password_hash: str) -> User | None:
    """The account with its new password, every session of it ended and the link used up; committed. None if the
    link does not work."""
    return accounts.use_link(session, token, RESET, password_hash, "account.reset_password")
