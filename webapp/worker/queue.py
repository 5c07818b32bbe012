"""The task queue of an app: huey, on a SQLite file in the instance folder by default, or on Redis.

`POLKU_QUEUE_URL` picks the broker: unset, the embedded default `instance/queue.sqlite` (one machine:
the web server and the worker share the file); `sqlite:////path/queue.sqlite` another file;
`redis://host:6379/0` a Redis server, so workers on several machines share one queue (needs the
`redis` package: `pip install -e '.[redis]'`). `QUEUE_IMMEDIATE = True` in the app config runs each
task in the calling thread at once (tests of the steps around a task, the CLI).

The queue is made on first use, so apps that never enqueue (most tests, `flask db upgrade`) never
open it.
"""
from __future__ import annotations

import logging
import os
import time
from typing import Any

from flask import Flask
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

log = logging.getLogger(__name__)

_KEY = "polku.queue"
TASKS = "polku.queue.tasks"  # in app.extensions: the task wrappers by name
NAME = "polku"
_RETRY_FLAG = "mail.retry-scheduled"


def huey_for(app: Flask) -> Huey:
    """`app`'s queue, with every task of `worker.tasks` registered on it; made on first use."""
    found: Huey | None = app.extensions.get(_KEY)
    if found is not None:
        return found
    huey = _make(app)
    from . import tasks
    tasks.register(huey, app)
    app.extensions[_KEY] = huey
    return huey


def _make(app: Flask) -> Huey:
    if app.config.get("QUEUE_IMMEDIATE"):
        return MemoryHuey(NAME, immediate=True)
    url = str(app.config.get("POLKU_QUEUE_URL") or "").strip()
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(NAME, url=url)
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
    elif url:
        raise ValueError(f"POLKU_QUEUE_URL must start with sqlite:/// or redis://, not {url!r}")
    else:
        path = os.path.join(app.instance_path, "queue.sqlite")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    return SqliteHuey(NAME, filename=path)


def nudge_mail(app: Flask) -> None:
    """The worker hears there is mail to send. A queue that cannot be reached only delays the mail: it is
    in the outbox, and the worker's sweep (every minute, and at its start) sends it."""
    try:
        task(app, "mail.send")()
    except Exception:  # noqa: BLE001  (the event is committed; its mail waits for the sweep)
        log.exception("could not tell the worker about new mail; the next sweep sends it")


def retry_mail_later(app: Flask, delay: float) -> None:
    """One more sending round in `delay` seconds, unless one is scheduled already (the flag, with its due time,
    is in the queue's own storage; a flag long past its time is a lost schedule and is replaced)."""
    huey = huey_for(app)
    due = time.time() + delay
    if not huey.put_if_empty(_RETRY_FLAG, due):
        scheduled = huey.get(_RETRY_FLAG, peek=True)
        if isinstance(scheduled, float) and scheduled > time.time() - 60:
            return
        huey.put(_RETRY_FLAG, due)
    task(app, "mail.retry").schedule(delay=delay)


def retry_started(app: Flask) -> None:
    """The scheduled round has started: a new one may be scheduled."""
    huey_for(app).get(_RETRY_FLAG)


def task(app: Flask, name: str) -> Any:
    """The task `name` of `app`'s queue (huey's task wrapper: call it to enqueue, `.schedule(delay=...)`)."""
    huey_for(app)
    return app.extensions[TASKS][name]
