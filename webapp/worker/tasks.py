"""The worker's tasks, registered on an app's queue (`queue.huey_for`): each runs in the app's context.

- `mail.send`: a round of the outbox's sender (`mail.sender`), enqueued after every commit that wrote
  mail; while mail waits for a retry, one more round is scheduled for when it falls due;
- `mail.retry`: that scheduled round; `mail.sweep`: a round every minute, whatever happened before
  (a lost nudge, a worker that was down);
- `notices.digest`: the daily digest of notifications (`services.notice_mail`), every morning;
- `jobs.run`: a long run (cohort allocation, learning weights) of `services.jobs`.
"""
from __future__ import annotations

from typing import Any

from flask import Flask
from huey import Huey, crontab

from ..mail import sender
from . import queue


def register(huey: Huey, app: Flask) -> None:
    """Registers every task on `huey`, bound to `app`."""

    def send_round() -> int:
        with app.app_context():
            done = sender.send_due(app)
        if done.next_in is not None:
            queue.retry_mail_later(app, done.next_in + 0.05)
        return done.sent

    @huey.task(name="mail.send")
    def send_mail() -> int:
        return send_round()

    @huey.task(name="mail.retry")
    def retry_mail() -> int:
        queue.retry_started(app)
        return send_round()

    @huey.periodic_task(crontab(minute="*"), name="mail.sweep")
    def sweep_mail() -> int:
        return send_round()

    @huey.periodic_task(crontab(hour="5", minute="0"), name="notices.digest")  # 07:00 in Finland in winter (UTC)
    def send_digests() -> int:
        from .. import db
        from ..services import notice_mail
        with app.app_context():
            return notice_mail.send_digests(db.get_session())

    @huey.task(name="jobs.run")
    def run_job(job_id: int) -> None:
        from ..services import jobs
        jobs.run(app, job_id)

    tasks: dict[str, Any] = {"jobs.run": run_job, "mail.send": send_mail, "mail.retry": retry_mail,
                             "mail.sweep": sweep_mail, "notices.digest": send_digests}
    app.extensions[queue.TASKS] = tasks
