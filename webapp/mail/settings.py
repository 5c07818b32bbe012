"""Where mail goes: the SMTP server and the sender's address, from the environment (`POLKU_SMTP_*`,
`POLKU_MAIL_FROM`; README, "E-mail"). With no `POLKU_SMTP_HOST` nothing leaves the machine: the
worker keeps each mail in the outbox, marked held, for an administrator to read in the app.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
DEFAULT_FROM = "Polku <polku@localhost>"
# The settings, each read from the environment variable of the same name (`create_app`).
NAMES = ("POLKU_SMTP_HOST", "POLKU_SMTP_PORT", "POLKU_SMTP_USER", "POLKU_SMTP_PASSWORD", "POLKU_SMTP_SECURITY",
         "POLKU_MAIL_FROM")


class MailSettingError(RuntimeError):
    """An SMTP setting that cannot work; the message names it and says what is expected."""


@dataclass(frozen=True)
class Smtp:
    """How the worker reaches the SMTP server."""

    host: str
    port: int
    security: str  # starttls (the default), tls (SMTPS, port 465) or none (a relay on loopback)
    user: str | None
    password: str | None
    timeout: float = 30.0


def smtp(config: Mapping[str, Any]) -> Smtp | None:
    """The SMTP server of `config`, or None when none is configured (mail is held in the outbox)."""
    host = str(config.get("POLKU_SMTP_HOST") or "").strip()
    if not host:
        return None
    security = str(config.get("POLKU_SMTP_SECURITY") or "starttls").strip().lower()
    if security not in SECURITY:
        raise MailSettingError(f"POLKU_SMTP_SECURITY must be one of {', '.join(SECURITY)}, not {security!r}")
    port_text = str(config.get("POLKU_SMTP_PORT") or DEFAULT_PORTS[security]).strip()
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise MailSettingError(f"POLKU_SMTP_PORT must be a port number from 1 to 65535, not {port_text!r}")
    user = str(config.get("POLKU_SMTP_USER") or "") or None
    password = str(config.get("POLKU_SMTP_PASSWORD") or "") or None
    return Smtp(host=host, port=int(port_text), security=security, user=user, password=password)


def sender_address(config: Mapping[str, Any]) -> str:
    """The From address, "Polku <polku@example.fi>"."""
    value = str(config.get("POLKU_MAIL_FROM") or DEFAULT_FROM)
    if "@" not in parseaddr(value)[1]:
        raise MailSettingError(f"POLKU_MAIL_FROM must be an address such as 'Polku <polku@example.fi>', not {value!r}")
    return value


def sender_domain(config: Mapping[str, Any]) -> str:
    """The domain of the From address: the right side of every Message-ID."""
    return parseaddr(sender_address(config))[1].rpartition("@")[2] or "localhost"
