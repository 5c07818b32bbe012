"""A real SMTP server on loopback for the mail tests (aiosmtpd): it keeps every message it accepts.

`SmtpServer.start()` listens on a free port of 127.0.0.1; `stop()` and `start()` again take it down and
back on the same port (the "server is down" tests). `hold(address)` makes the server keep the DATA of
mail to `address` unanswered until `release()`, then answer 451 without keeping it: the test can kill
the sending worker while a mail is on the wire, and know that mail was never delivered.
"""
from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.server.refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if set(envelope.rcpt_tos) & self.server.held:
            self.server.holding.set()
            await server.loop.run_in_executor(None, self.server.released.wait)
            return "451 4.3.0 try again later"
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.server.lock:
            self.server.messages.append(parsed)
        return "250 OK"


class SmtpServer:
    """An SMTP server on 127.0.0.1:`port`, keeping what it accepts in `messages`."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()
        self.refused: set[str] = set()  # RCPT answered 550
        self.held: set[str] = set()  # DATA held until released
        self.holding = threading.Event()
        self.released = threading.Event()
        self._controller: Controller | None = None

    @property
    def env(self) -> dict[str, str]:
        """The environment that points a Polku process at this server."""
        return {"POLKU_SMTP_HOST": "127.0.0.1", "POLKU_SMTP_PORT": str(self.port), "POLKU_SMTP_SECURITY": "none",
                "POLKU_MAIL_FROM": "Polku <polku@polku.test>"}

    def start(self) -> SmtpServer:
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self.released.set()
            self._controller.stop()
            self._controller = None

    def hold(self, address: str) -> None:
        self.held.add(address)
        self.released.clear()
        self.holding.clear()

    def release(self) -> None:
        self.held.clear()
        self.released.set()

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    def wait_for(self, count: int, timeout: float = 30.0) -> list[EmailMessage]:
        """The messages once there are at least `count` (failing after `timeout` seconds: a bound, not a timing
        claim)."""
        wait_until(lambda: len(self.messages) >= count, timeout, f"{count} mails")
        with self.lock:
            return list(self.messages)


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Polls `condition` until it holds; AssertionError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(0.05)
