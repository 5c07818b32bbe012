"""An outbox row as the e-mail that is sent: headers, the body with its footer (why this mail was sent,
and how to stop such mails), and the one-click unsubscribe headers of RFC 8058."""
from __future__ import annotations

import functools
import html as html_lib
from email.message import EmailMessage
from email.utils import format_datetime

from flask_babel import force_locale
from flask_babel import gettext as _

from .. import clock
from ..models import OutboxMail


_URL = "\x00url\x00"  # where the link goes in the cached words


@functools.lru_cache(maxsize=8)
def _footer_words(language: str) -> tuple[str, str]:
    """The footer's own words in `language`: read once per process (switching the locale reloads the catalogue,
    ~15 ms a mail)."""
    with force_locale(language):
        return (_("To stop these e-mails, open: %(url)s", url=_URL),
                _("This e-mail was sent by Polku. Please do not reply to it."))


def _footer_lines(mail: OutboxMail) -> list[str]:
    unsubscribe, sent_by = _footer_words(mail.language)
    lines = [mail.reason]
    if mail.unsubscribe_url:
        lines.append(unsubscribe.replace(_URL, mail.unsubscribe_url))
    lines.append(sent_by)
    return lines


def build(mail: OutboxMail, sender: str) -> EmailMessage:
    """The message of `mail`, from `sender`, its own words in the mail's language. Needs an app context."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id  # the same on every try: a copy sent twice is recognised as one
    message["Date"] = format_datetime(clock.aware(mail.created_at))
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies
    if mail.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    footer = _footer_lines(mail)
    message.set_content(mail.text.rstrip() + "\n\n-- \n" + "\n".join(footer) + "\n")
    if mail.html:
        foot = "".join(f"<p>{html_lib.escape(line)}</p>" for line in footer)
        message.add_alternative(f'{mail.html}<hr><footer lang="{mail.language}">{foot}</footer>', subtype="html")
    message["Content-Language"] = mail.language  # after the body: setting the content drops Content-* headers
    return message
