"""The worker's sender: takes the outbox's due mails, sends them over SMTP, marks them sent.

- A lease: due rows are taken by one UPDATE that sets `lease` and `leased_until` only where no live
  lease is (re-checked per row by the database), so two workers never take the same row; a worker
  that dies leaves its lease to run out (`MAIL_LEASE_SECONDS`), then the rows are taken again.
- Each mail is marked sent in its own commit right after the server accepted it, so a worker killed
  between mails sends none of the sent ones again. The one window left is between the server's "250
  accepted" and that commit: a mail may then go out a second time, with the same Message-ID, which
  mail programs use to show it once.
- While the server is down (refused connection, a time-out, a 4xx answer) the mail waits, each time
  twice as long (`MAIL_RETRY_SECONDS`, at most `MAIL_RETRY_MAX_SECONDS`), and is tried again; a 5xx
  answer (say, no such address) fails it for good, as does `MAIL_MAX_TRIES` tries.
- With no SMTP server configured (`settings.smtp` is None) due mail is marked held: nothing leaves the
  machine, and an administrator reads it at /admin/mail/.
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask
from sqlmodel import Session, col, select

from .. import clock, db
from ..models import OutboxMail
from ..states import MailState
from . import message, settings

log = logging.getLogger(__name__)

DEFAULTS = {"MAIL_LEASE_SECONDS": 300.0, "MAIL_RETRY_SECONDS": 30.0, "MAIL_RETRY_MAX_SECONDS": 3600.0,
            "MAIL_MAX_TRIES": 25, "MAIL_BATCH": 50}


@dataclass(frozen=True)
class Round:
    """What one round of sending did, and in how many seconds the next mail falls due (None: none waits)."""

    sent: int
    held: int
    retried: int
    failed: int
    next_in: float | None


class _TryLater(Exception):
    """The server could not take mail now (down, a time-out, a 4xx answer): every mail left waits."""


def _setting(app: Flask, name: str) -> float:
    return float(app.config.get(name, DEFAULTS[name]))


def send_due(app: Flask, now: Callable[[], dt.datetime] = clock.now) -> Round:
    """One round: every due mail sent (or held, or put off); needs `app`'s context."""
    server = settings.smtp(app.config)
    with Session(db.get_engine(app)) as session:
        if server is None:
            held = _hold_due(session, now())
            return Round(0, held, 0, 0, None)
        sent = retried = failed = 0
        while True:
            rows = _claim(session, app, now())
            if not rows:
                break
            s, r, f = _send_rows(session, app, server, rows, now)
            sent, retried, failed = sent + s, retried + r, failed + f
            if r:  # the server is down: what is left waits for its own time
                break
        return Round(sent, 0, retried, failed, _next_due_in(session, now()))


def _hold_due(session: Session, moment: dt.datetime) -> int:
    table = OutboxMail.__table__
    result = session.connection().execute(
        sa.update(table).where(table.c.state == MailState.QUEUED.value, table.c.next_try_at <= moment)
        .values(state=MailState.HELD.value, last_error="no SMTP server configured"))
    session.commit()
    return int(result.rowcount or 0)


def _claim(session: Session, app: Flask, moment: dt.datetime) -> list[OutboxMail]:
    """Takes up to `MAIL_BATCH` due mails under a new lease; committed."""
    table = OutboxMail.__table__
    free = sa.and_(table.c.state == MailState.QUEUED.value, table.c.next_try_at <= moment,
                   sa.or_(table.c.leased_until.is_(None), table.c.leased_until < moment))
    due = sa.select(table.c.id).where(free).order_by(table.c.next_try_at, table.c.id).limit(
        int(_setting(app, "MAIL_BATCH")))
    lease = secrets.token_hex(16)
    # `free` again on the rows themselves: a row another worker leased meanwhile is re-read and skipped.
    session.connection().execute(sa.update(table).where(table.c.id.in_(due.scalar_subquery()), free).values(
        lease=lease, leased_until=moment + dt.timedelta(seconds=_setting(app, "MAIL_LEASE_SECONDS"))))
    session.commit()
    return list(session.exec(select(OutboxMail).where(OutboxMail.lease == lease).order_by(col(OutboxMail.id))))


def _connect(server: settings.Smtp) -> smtplib.SMTP:
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if server.security == "tls":
        smtp = smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout, context=context)
    else:
        smtp = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
        if server.security == "starttls":
            smtp.starttls(context=context)
    if server.user:
        smtp.login(server.user, server.password or "")
    return smtp


def _send_rows(session: Session, app: Flask, server: settings.Smtp, rows: list[OutboxMail],
               now: Callable[[], dt.datetime]) -> tuple[int, int, int]:
    sent = failed = 0
    sender = settings.sender_address(app.config)
    try:
        smtp = _connect(server)
    except (OSError, smtplib.SMTPException) as e:
        _put_off(session, app, rows, e, now())
        return 0, len(rows), 0
    try:
        for index, mail in enumerate(rows):
            try:
                smtp.send_message(message.build(mail, sender))
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as e:
                code = _code(e)
                if code is not None and code >= 500:
                    _finish(session, mail, MailState.FAILED, now(), error=str(e))
                    failed += 1
                    continue
                _put_off(session, app, rows[index:], e, now())
                return sent, len(rows) - index, failed
            except (OSError, smtplib.SMTPException) as e:  # the connection broke
                _put_off(session, app, rows[index:], e, now())
                return sent, len(rows) - index, failed
            _finish(session, mail, MailState.SENT, now())
            sent += 1
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return sent, 0, failed


def _code(error: smtplib.SMTPException) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return min(codes) if codes else None
    return error.smtp_code if isinstance(error, smtplib.SMTPResponseException) else None


def _finish(session: Session, mail: OutboxMail, state: MailState, moment: dt.datetime, error: str = "") -> None:
    mail.state, mail.lease, mail.leased_until = state, None, None
    mail.tries += 1
    if state == MailState.SENT:
        mail.sent_at, mail.last_error = moment, ""
    else:
        mail.last_error = error[:500]
        log.warning("mail %s refused for good: %s", mail.id, error)
    session.add(mail)
    session.commit()


def _put_off(session: Session, app: Flask, rows: list[OutboxMail], error: Exception, moment: dt.datetime) -> None:
    """The server is down or said "later": each row waits twice as long as the time before, then is free."""
    text = f"{type(error).__name__}: {error}"[:500] if not isinstance(error, socket.timeout) else "time-out"
    log.info("SMTP server not taking mail (%s): %d mails wait", text, len(rows))
    base, most = _setting(app, "MAIL_RETRY_SECONDS"), _setting(app, "MAIL_RETRY_MAX_SECONDS")
    for mail in rows:
        mail.tries += 1
        mail.lease, mail.leased_until, mail.last_error = None, None, text
        if mail.tries >= _setting(app, "MAIL_MAX_TRIES"):
            mail.state = MailState.FAILED
        else:
            mail.next_try_at = moment + dt.timedelta(seconds=min(base * 2 ** (mail.tries - 1), most))
        session.add(mail)
    session.commit()


def _next_due_in(session: Session, moment: dt.datetime) -> float | None:
    table = OutboxMail.__table__
    free_at = sa.case((table.c.leased_until > moment, table.c.leased_until), else_=table.c.next_try_at)
    soonest = session.connection().execute(
        sa.select(sa.func.min(free_at)).where(table.c.state == MailState.QUEUED.value)).scalar()
    session.commit()
    if soonest is None:
        return None
    return max(0.0, (clock.aware(soonest) - moment).total_seconds())
