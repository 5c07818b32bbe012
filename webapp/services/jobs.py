"""Long runs (cohort allocation, learning weights) on the worker, with progress on a page.

`start(kind, params, user_id=..., key=...)` stores a `Job` row and hands it to the worker (the
`jobs.run` task of `worker.tasks`), which runs the work registered for `kind` (`register`) with its
own app context and database session. The work calls `report(fraction, message)` as it goes and
returns a JSON-able result; the row holds the state, progress, message and result, so any web
process can show them (the page reloads itself while the job runs). An exception marks the job
failed with its message.

- **The same run is not started twice**: `key` (say "allocate:cohort:7") is stored in the row's
  unique `running_key` while the run is queued or running, so of any number of parallel starts one
  inserts its row and the others get that run back to follow.
- **A run whose worker died is failed at once**: while the work runs, a thread of the worker writes
  `heartbeat_at` every `HEARTBEAT_SECONDS`; a running job silent for longer than `SILENT_AFTER` is
  marked failed by the next page that reads it (`mark_stale`) or by the next start of the same
  run, which then starts anew. A long healthy run keeps beating, so it is never failed for its
  length. A queued job that no worker took within `QUEUED_TOO_LONG` (no worker running) is failed too.

Set `JOBS_INLINE = True` in the app config to run jobs in the calling thread (tests of the steps
around a job, the CLI).
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from .. import clock, db
from ..models import Job
from ..states import JobState

log = logging.getLogger(__name__)

Report = Callable[[float, str], None]
# The work of a kind of job: (the job's params, the id of the user who started it, report) -> result.
Work = Callable[[dict[str, Any], int | None, Report], dict[str, Any]]
HEARTBEAT_SECONDS = 5.0
SILENT_AFTER = dt.timedelta(seconds=60)  # twelve missed heartbeats: the worker is gone
QUEUED_TOO_LONG = dt.timedelta(minutes=30)
_WORKS: dict[str, Work] = {}
_LIVE = (JobState.QUEUED.value, JobState.RUNNING.value)


def register(kind: str, work: Work) -> None:
    """`work` is what a job of `kind` does (each service registers its own kinds when it is imported)."""
    _WORKS[kind] = work


def _update(app: Flask, job_id: int, *, only_running: bool = False, **values: Any) -> bool:
    """Writes `values` to the job's row in a short transaction of its own; whether the row was written
    (with `only_running`, only a row still running is: one marked failed meanwhile stays failed)."""
    table = Job.__table__  # type: ignore[attr-defined]  # made by SQLModel at class creation
    query = sa.update(table).where(table.c.id == job_id)
    if only_running:
        query = query.where(table.c.state == JobState.RUNNING.value)
    with Session(db.get_engine(app)) as session:
        written = session.connection().execute(query.values(**values)).rowcount
        session.commit()
    return bool(written)


def _beat(app: Flask, job_id: int, stop: threading.Event) -> None:
    while not stop.wait(HEARTBEAT_SECONDS):
        try:
            _update(app, job_id, only_running=True, heartbeat_at=clock.now())
        except Exception:  # noqa: BLE001  (a missed beat is retried; the run goes on)
            log.exception("job %s: heartbeat not written", job_id)


def run(app: Flask, job_id: int) -> None:
    """Runs the queued job `job_id` (the worker's task; inline with JOBS_INLINE)."""
    last = [0.0]

    def report(fraction: float, message: str = "") -> None:
        fraction = min(max(float(fraction), 0.0), 1.0)
        if fraction - last[0] >= 0.01 or fraction >= 1.0 or message:  # at most ~100 writes per job
            last[0] = fraction
            _update(app, job_id, only_running=True, progress=fraction, message=message[:300],
                    heartbeat_at=clock.now())

    with app.app_context():
        with Session(db.get_engine(app), expire_on_commit=False) as session:
            job = session.get(Job, job_id)
        if job is None or job.state != JobState.QUEUED:
            return  # failed meanwhile (no worker took it in time)
        work = _WORKS.get(job.kind)
        _update(app, job_id, state=JobState.RUNNING.value, message="", heartbeat_at=clock.now())
        stop = threading.Event()
        beat = threading.Thread(target=_beat, args=(app, job_id, stop), name=f"heartbeat-{job.ref}", daemon=True)
        beat.start()
        try:
            if work is None:
                raise LookupError(f"no work is registered for jobs of kind {job.kind!r}")
            result = work(job.params, job.created_by, report)
        except Exception as e:  # the job failed, the worker goes on: keep the reason for the page
            log.exception("job %s failed", job_id)
            _update(app, job_id, only_running=True, state=JobState.FAILED.value, running_key=None,
                    message=f"{type(e).__name__}: {e}"[:300], finished_at=clock.now())
            return
        finally:
            stop.set()
            beat.join()
        _update(app, job_id, only_running=True, state=JobState.DONE.value, progress=1.0, result=result,
                running_key=None, finished_at=clock.now())


def start(kind: str, params: dict[str, Any], *, user_id: int | None = None, key: str | None = None) -> Job:
    """A new job of `kind`, committed and handed to the worker (with JOBS_INLINE, already finished); or, when
    the run `key` is queued or running already, that job."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]  # Flask types current_app as the app, not its proxy
    job: Job | None = None
    for _try in range(3):  # a run that just ended, or was failed as stale, frees its key: try again
        with Session(db.get_engine(app), expire_on_commit=False) as session:
            job = Job(kind=kind, params=params, created_by=user_id, running_key=key)
            session.add(job)
            try:
                session.commit()
                break
            except IntegrityError:  # the same run is queued or running
                session.rollback()
                job = None
                going = session.exec(select(Job).where(Job.running_key == key)).first()
                if going is not None and mark_stale(session, going).state.value in _LIVE:
                    return going
    if job is None or job.id is None:
        raise RuntimeError(f"could not start the run {key!r}")
    if app.config.get("JOBS_INLINE"):
        run(app, job.id)
    else:
        from ..worker import queue
        queue.task(app, "jobs.run")(job.id)
    return job


def mark_stale(session: Session, job: Job) -> Job:
    """Fails a job whose worker is gone (running, but silent for `SILENT_AFTER`), or that no worker took (queued
    for `QUEUED_TOO_LONG`), so its page stops waiting and the run can be started again; commits if it did."""
    now = clock.now()
    if job.state == JobState.RUNNING:
        gone = now - clock.aware(job.heartbeat_at or job.created_at) > SILENT_AFTER
    elif job.state == JobState.QUEUED:
        gone = now - clock.aware(job.created_at) > QUEUED_TOO_LONG
    else:
        gone = False
    if gone:
        job.state, job.message, job.finished_at, job.running_key = (
            JobState.FAILED, "stopped: the worker stopped", now, None)
        session.add(job)
        session.commit()
    return job
