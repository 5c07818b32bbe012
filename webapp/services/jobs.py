"""Long runs (cohort allocation, learning weights) in the background, with progress on a page.

`start(kind, params, work, user_id=...)` stores a `Job` row and runs `work(report)` in a
thread of this process, with its own app context and database session. `work` calls
`report(fraction, message)` as it goes and returns a JSON-able result; the row holds the
state, progress, message and result, so any worker process can show them (the page
reloads itself while the job runs). An exception marks the job failed with its message;
a job whose process died stays "running" until `mark_stale` (called when a page reads
it) finds it silent for longer than `STALE_AFTER`.

Set `JOBS_INLINE = True` in the app config to run jobs in the calling thread (tests of
the steps around a job, the CLI).
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from sqlmodel import Session

from .. import clock, db
from ..models import Job
from ..states import JobState

log = logging.getLogger(__name__)

Report = Callable[[float, str], None]
Work = Callable[[Report], dict[str, Any]]
STALE_AFTER = dt.timedelta(minutes=30)




def _update(app: Flask, job_id: int, **values: Any) -> None:
    """Writes `values` to the job's row in a short transaction of its own."""
    with Session(db.get_engine(app)) as session:
        job = session.get(Job, job_id)
        if job is not None:
            for name, value in values.items():
                setattr(job, name, value)
            session.add(job)
            session.commit()


def _run(app: Flask, job_id: int, work: Work) -> None:
    last = [0.0]

    def report(fraction: float, message: str = "") -> None:
        fraction = min(max(float(fraction), 0.0), 1.0)
        if fraction - last[0] >= 0.01 or fraction >= 1.0 or message:  # at most ~100 writes per job
            last[0] = fraction
            _update(app, job_id, progress=fraction, message=message[:300])

    with app.app_context():
        _update(app, job_id, state=JobState.RUNNING, message="")
        try:
            result = work(report)
        except Exception as e:  # the job failed, the server goes on: keep the reason for the page
            log.exception("job %s failed", job_id)
            _update(app, job_id, state=JobState.FAILED, message=f"{type(e).__name__}: {e}"[:300],
                    finished_at=clock.now())
            return
        _update(app, job_id, state=JobState.DONE, progress=1.0, result=result, finished_at=clock.now())


def start(kind: str, params: dict[str, Any], work: Work, *, user_id: int | None = None) -> Job:
    """A new job of `kind`, committed, and running (or, with JOBS_INLINE, already finished)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # Flask types current_app as the app, not its proxy
    with Session(db.get_engine(app), expire_on_commit=False) as session:
        job = Job(kind=kind, params=params, created_by=user_id)
        session.add(job)
        session.commit()
    assert job.id is not None
    if app.config.get("JOBS_INLINE"):
        _run(app, job.id, work)
    else:
        threading.Thread(target=_run, args=(app, job.id, work), name=f"job-{job.ref}", daemon=True).start()
    return job


def mark_stale(session: Session, job: Job) -> Job:
    """Fails a job left running by a process that is gone, so its page stops waiting."""
    if job.state in (JobState.QUEUED, JobState.RUNNING) and clock.now() - clock.aware(job.created_at) > STALE_AFTER:
        job.state, job.message, job.finished_at = JobState.FAILED, "stopped: the server restarted", clock.now()
        session.add(job)
        session.commit()
    return job

