from __future__ import annotations

import datetime as dt
import time

from webapp import db
from webapp.services import jobs
from webapp.models import Job
from webapp.states import JobState


def _wait(app, job_id: int, seconds: float = 20.0) -> Job:
    deadline = time.monotonic() + seconds
    while True:
        with app.app_context():
            job = db.get_session().get(Job, job_id)
            if job.state in (JobState.DONE, JobState.FAILED) or time.monotonic() > deadline:
                return job
        time.sleep(0.02)


def test_a_job_runs_in_the_background_and_keeps_its_progress_and_result(app):
    seen = []

    def work(report):
        for i in range(1, 5):
            report(i / 4, f"step {i}")
            seen.append(i)
        return {"answer": 42}

    with app.test_request_context():
        job = jobs.start("learn", {"rows": 4}, work, user_id=None)
    done = _wait(app, job.id)
    assert (done.state, done.progress, done.result, done.message) == (JobState.DONE, 1.0, {"answer": 42}, "step 4")
    assert done.params == {"rows": 4} and done.finished_at is not None and seen == [1, 2, 3, 4]


def test_a_failing_job_is_marked_failed_with_its_reason(app):
    def work(report):
        report(0.5, "half way")
        raise ValueError("no youths chosen")

    with app.test_request_context():
        job = jobs.start("allocate", {}, work)
    done = _wait(app, job.id)
    assert done.state == JobState.FAILED and done.message == "ValueError: no youths chosen"
    assert done.progress == 0.5


def test_inline_jobs_are_done_when_start_returns(app):
    app.config["JOBS_INLINE"] = True
    with app.test_request_context():
        job = jobs.start("learn", {}, lambda report: {"ok": True})
        assert db.get_session().get(Job, job.id).state == JobState.DONE


def test_a_job_left_running_by_a_dead_process_is_marked_failed(app):
    with app.app_context():
        session = db.get_session()
        old = Job(kind="allocate", state=JobState.RUNNING,
                  created_at=dt.datetime.now(dt.timezone.utc) - jobs.STALE_AFTER - dt.timedelta(minutes=1))
        fresh = Job(kind="allocate", state=JobState.RUNNING)
        session.add_all([old, fresh])
        session.commit()
        assert jobs.mark_stale(session, old).state == JobState.FAILED
        assert jobs.mark_stale(session, fresh).state == JobState.RUNNING
