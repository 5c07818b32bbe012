"""E-mail through the outbox: mails written per second (each in a transaction of its own, as events
write them), mails sent per second to an SMTP server on loopback, and the delay from the event to
the mail at the server when 10^4 mails are queued at once.

    python -m benchmarks.mail [--mails 10000] [--senders 1] [--database sqlite|URL]

The SMTP server is aiosmtpd on 127.0.0.1 (it keeps nothing, counts); the database a fresh SQLite file
(or the PostgreSQL server URL given); the senders are `mail.sender.send_due` rounds in threads, as the
worker's tasks run them. Prints one table.
"""
from __future__ import annotations

import argparse
import secrets
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlmodel import Session, select

from webapp import clock, create_app, db, migrate
from webapp.mail import sender
from webapp.mail.outbox import queue_mail
from webapp.models import OutboxMail


class _Count:
    def __init__(self) -> None:
        self.count = 0
        self.last: dict[str, float] = {}

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.mail")
    parser.add_argument("--mails", type=int, default=10_000)
    parser.add_argument("--senders", type=int, default=1)
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--quick", action="store_true", help="10^3 mails")
    args = parser.parse_args(argv)
    count = 1000 if args.quick else args.mails
    folder = Path(tempfile.mkdtemp(prefix="polku-mail-bench-"))
    url = f"sqlite:///{folder / 'polku.sqlite'}" if args.database == "sqlite" else args.database
    handler = _Count()
    port = _port()
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()
    app = create_app({"TESTING": True, "SECRET_KEY": secrets.token_urlsafe(48), "DATABASE_URL": url,
                      "POLKU_QUEUE_URL": f"sqlite:///{folder / 'queue.sqlite'}", "POLKU_SMTP_HOST": "127.0.0.1",
                      "POLKU_SMTP_PORT": str(port), "POLKU_SMTP_SECURITY": "none",
                      "POLKU_MAIL_FROM": "Polku <polku@polku.test>"})
    migrate.upgrade(app)
    try:
        start = time.perf_counter()
        with app.app_context():
            session = db.get_session()
            for i in range(count):
                queue_mail(session, to=f"nuori{i}@example.fi", language="fi", subject="Uusi tehtävä sinulle",
                           text="Polussa on uusi tehtävä, joka sopii sinulle.\n\nhttps://polku.example.fi/o/1\n",
                           reason="Saat tämän viestin, koska tilasit ilmoitukset uusista tehtävistä.",
                           unsubscribe_url=f"https://polku.example.fi/unsubscribe/{i}")
                session.commit()
        written = time.perf_counter() - start
        start = time.perf_counter()
        with app.app_context():
            threads = [threading.Thread(target=sender.send_due, args=(app,)) for _ in range(args.senders)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        sent_seconds = time.perf_counter() - start
        with Session(db.get_engine(app)) as session:
            rows = session.exec(select(OutboxMail.created_at, OutboxMail.sent_at)).all()
        delays = sorted((clock.aware(sent) - clock.aware(made)).total_seconds() for made, sent in rows if sent)
    finally:
        smtp.stop()
        db.dispose(app)
    if handler.count != count or len(delays) != count:
        sys.exit(f"FAIL: {handler.count} of {count} mails reached the server ({len(delays)} marked sent)")
    q = statistics.quantiles(delays, n=100)
    print(f"{'mails':>7} {'backend':>10} {'senders':>7} {'written/s':>10} {'sent/s':>8} "
          f"{'delay p50':>10} {'p95':>7} {'max':>7}")
    print(f"{count:>7} {url.split(':')[0]:>10} {args.senders:>7} {count / written:>10.0f} {count / sent_seconds:>8.0f} "
          f"{q[49]:>9.1f}s {q[94]:>6.1f}s {delays[-1]:>6.1f}s")
    print("(delay: from the event's commit to the server's 250, all mails queued before the sender starts)")


if __name__ == "__main__":
    main()
